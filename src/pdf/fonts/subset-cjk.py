#!/usr/bin/env python3
"""Makes the CJK fonts shipped in the binary (src/pdf/fonts/NotoS*CJKsc-*.otf).

The full Noto CJK faces are 20-27 MB each; the binary carries subsets of
the Simplified Chinese faces instead: GB2312's level 1 (the 3,755 most used
hanzi) and its symbol rows, CJK and full-width punctuation, and every CJK
character the example, the theme and the test fixtures use. A briefing
that needs a character outside them takes it from a system font, or is told
which characters have no font (see src/pdf/fonts.rs).

Needs Debian's fonts-noto-cjk and fontTools (pip install fonttools). Run
from the repository's root: python3 src/pdf/fonts/subset-cjk.py
"""

import os
import subprocess

SOURCE = "/usr/share/fonts/opentype/noto"
# The index of the Simplified Chinese face in each collection.
SC_FACE = 2
FACES = ["NotoSerifCJK-Regular", "NotoSerifCJK-Bold", "NotoSansCJK-Regular", "NotoSansCJK-Bold"]
SCANNED = ["content", "src", "templates", "tests/fixtures", "docs/content"]


def gb2312(rows):
    chars = set()
    for lead in rows:
        for trail in range(0xA1, 0xFF):
            try:
                chars.add(bytes([lead, trail]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return chars


def used_in_repository():
    chars = set()
    for root in SCANNED:
        for folder, _, files in os.walk(root):
            for name in files:
                try:
                    with open(os.path.join(folder, name), encoding="utf-8") as f:
                        chars |= {c for c in f.read() if ord(c) >= 0x2E80}
                except (UnicodeDecodeError, OSError):
                    pass
    return chars


def main():
    chars = gb2312(range(0xA1, 0xAA)) | gb2312(range(0xB0, 0xD8))
    chars |= used_in_repository()
    chars |= {chr(c) for c in range(0x3000, 0x3040)}
    chars |= {chr(c) for c in range(0xFF01, 0xFF5F)}
    text = "".join(sorted(chars))
    for face in FACES:
        out = "src/pdf/fonts/" + face.replace("CJK", "CJKsc") + ".otf"
        subprocess.run(
            [
                "pyftsubset",
                f"{SOURCE}/{face}.ttc",
                f"--font-number={SC_FACE}",
                f"--text={text}",
                "--layout-features=*",
                f"--output-file={out}",
            ],
            check=True,
        )
        print(out, os.path.getsize(out))


if __name__ == "__main__":
    main()
