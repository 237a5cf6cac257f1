"""Time from saving a file to the page reloaded under `briefing serve`.

usage: python3 benches/reload_time.py SITE_ROOT FILE_TO_EDIT URL_PATH [RUNS]

Starts `briefing serve --port 0` (BRIEFING overrides the binary), connects to
its event stream like the reload script of the page at URL_PATH (which names
its page, so that a template edit renders it first), then RUNS times (default 9): changes one
word of FILE_TO_EDIT's last line, waits for `data: reload`, and fetches
URL_PATH as the reloading page does, checking that it has the new word. Each
time printed is from the save to the last byte of the reloaded page; the
server's own line (what it rebuilt, in how long) follows. It edits
FILE_TO_EDIT: point it at a copy of a site.

A data file (`*.toml`) is edited as analysts do: the first `value = …` line
gets a new number (51, 52 …), which URL_PATH must then show.

benches/compare.py imports `reload_times` for its serve rows.
"""
import os, re, socket, subprocess, sys, time


def _fetch(port, path):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())
    out = b""
    while chunk := s.recv(65536):
        out += chunk
    s.close()
    return out.decode("utf-8", "replace")


def _edited(original, page, i):
    if page.endswith(".toml"):
        word = f"{51 + i}"
        return word, re.sub(r"(?m)^value = .*$", f"value = {word}", original, count=1)
    word = f"Edited{i}"
    return word, original.rstrip("\n") + f" {word}\n"


def reload_times(binary, root, page, url, runs=9, report=print):
    """Milliseconds from each of `runs` saves of `page` to `url` reloaded."""
    p = subprocess.Popen([binary, "serve", "--port", "0", "--root", root],
                         stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    line = p.stderr.readline()
    port = int(re.search(r"127\.0\.0\.1:(\d+)", line).group(1))
    report(line.strip())
    original = open(page).read()
    times = []
    try:
        for i in range(runs):
            s = socket.create_connection(("127.0.0.1", port))
            s.sendall(f"GET /__briefing/events?page={url} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
            s.settimeout(10)
            time.sleep(0.3)
            word, edited = _edited(original, page, i)
            t0 = time.perf_counter()
            with open(page, "w") as f:
                f.write(edited)
            buf = b""
            while b"data: reload" not in buf:
                buf += s.recv(4096)
            body = _fetch(port, url)
            times.append((time.perf_counter() - t0) * 1000)
            s.close()
            assert word in body, f"{url} does not show {word}"
            report(f"{times[-1]:.1f} ms; {p.stderr.readline().strip()}")
    finally:
        open(page, "w").write(original)
        p.kill()
        p.wait()
    return times


if __name__ == "__main__":
    root, page, url = sys.argv[1], sys.argv[2], sys.argv[3]
    runs = int(sys.argv[4]) if len(sys.argv) > 4 else 9
    times = sorted(reload_times(os.environ.get("BRIEFING", "target/release/briefing"),
                                root, page, url, runs))
    print("save → page reloaded, ms:", [round(t) for t in times], "median", round(times[len(times) // 2]))
