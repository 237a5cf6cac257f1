#!/usr/bin/env python3
"""How check and build grow with the number of figures in one data file.

    python3 benches/figures.py [BINARY] [SIZES...]

For each size N (default 1,000, 10,000 and 100,000) writes a briefing under
/dev/shm whose `content/data.toml` holds N figures: half plain values, a
quarter `growth` relations and a quarter `sum` relations, with a list table
of every 100 values and a bar chart of every 10, all shown on ten pages.
Then runs `check` and `build --no-pdf` on it three times each, alternating,
and prints the median wall time and peak memory, with the time per
thousand figures: a flat last column is linear growth.
"""

import os
import shutil
import statistics
import subprocess
import sys
import time


def write_briefing(n: int, root: str) -> None:
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(f"{root}/content")
    with open(f"{root}/config.toml", "w") as f:
        f.write('title = "Figures"\nbase_url = "https://example.org"\n')
    half = n // 2
    body = []
    with open(f"{root}/content/data.toml", "w") as f:
        f.write('[sources.s]\ntitle = "S"\npublisher = "P"\ndate = 2024-01-01\n\n')
        for i in range(half):
            f.write(f'[figures.v{i}]\nlabel = "Value {i}"\nvalue = {i % 97 + 1}.5\n'
                    'unit = "MW"\nperiod = "2023"\nsource = "s"\n\n')
        for i in range(n // 4):
            f.write(f'[figures.g{i}]\nlabel = "Growth {i}"\nperiod = "2023"\n'
                    f'growth = ["v{2 * i}", "v{2 * i + 1}"]\n\n')
            f.write(f'[figures.s{i}]\nlabel = "Sum {i}"\nperiod = "2023"\n'
                    f'sum = ["v{2 * i}", "v{2 * i + 1}"]\n\n')
            body.append(f'G {{{{ fig(id="g{i}") }}}}, S {{{{ fig(id="s{i}") }}}}.\n')
        for t in range(max(1, half // 100)):
            ids = ", ".join(f'"v{j}"' for j in range(t * 100, min(half, t * 100 + 100)))
            f.write(f'[tables.t{t}]\ncaption = "Table {t}"\nfigures = [{ids}]\n\n')
            body.append(f'{{{{ table(id="t{t}") }}}}\n')
        for c in range(max(1, half // 10)):
            ids = ", ".join(f'"v{j}"' for j in range(c * 10, min(half, c * 10 + 10)))
            f.write(f'[charts.c{c}]\nkind = "bar"\ntitle = "Chart {c}"\nfigures = [{ids}]\n\n')
            body.append(f'{{{{ chart(id="c{c}") }}}}\n')
    per = len(body) // 10 + 1
    for p in range(10):
        with open(f"{root}/content/p{p}.md", "w") as f:
            f.write(f'+++\ntitle = "Page {p}"\n+++\n\n' + "\n".join(body[p * per:(p + 1) * per]))
    with open(f"{root}/content/_index.md", "w") as f:
        f.write('+++\ntitle = "Home"\n+++\n\nHome.\n')


def run(argv: list[str]) -> tuple[float, int]:
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(argv)}")
    return (time.perf_counter() - start) * 1000, usage.ru_maxrss


def main() -> None:
    binary = sys.argv[1] if len(sys.argv) > 1 else "target/release/briefing"
    sizes = [int(s) for s in sys.argv[2:]] or [1_000, 10_000, 100_000]
    print(f"{'figures':>8} {'command':>6} {'median ms':>10} {'ms/1k':>7} {'peak MiB':>9}")
    for n in sizes:
        root = f"/dev/shm/briefing-figures-{n}"
        write_briefing(n, root)
        commands = {
            "check": [binary, "check", "-q", "--root", root],
            "build": [binary, "build", "-q", "--no-pdf", "--root", root],
        }
        runs = {name: [] for name in commands}
        for _ in range(3):
            for name, argv in commands.items():
                runs[name].append(run(argv))
        for name, results in runs.items():
            ms = statistics.median(r[0] for r in results)
            mib = max(r[1] for r in results) / 1024
            print(f"{n:>8} {name:>6} {ms:>10.0f} {ms / n * 1000:>7.1f} {mib:>9.0f}")
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
