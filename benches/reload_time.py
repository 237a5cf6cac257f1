"""Time from saving a file to the page reloaded under `briefing serve`.

usage: python3 benches/reload_time.py SITE_ROOT FILE_TO_EDIT URL_PATH [RUNS]

Starts `briefing serve --port 0` (BRIEFING overrides the binary), connects to
its event stream like an open page, then RUNS times (default 9): changes one
word of FILE_TO_EDIT's last line, waits for `data: reload`, and fetches
URL_PATH as the reloading page does, checking that it has the new word. Each
time printed is from the save to the last byte of the reloaded page; the
server's own line (what it rebuilt, in how long) follows. It edits
FILE_TO_EDIT: point it at a copy of a site.

A data file (`*.toml`) is edited as analysts do: the first `value = …` line
gets a new number (51, 52 …), which URL_PATH must then show.
"""
import os, re, socket, subprocess, sys, time

root, page, url = sys.argv[1], sys.argv[2], sys.argv[3]
runs = int(sys.argv[4]) if len(sys.argv) > 4 else 9
p = subprocess.Popen(
    [os.environ.get("BRIEFING", "target/release/briefing"), "serve", "--port", "0", "--root", root],
    stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
line = p.stderr.readline()
port = int(re.search(r"127\.0\.0\.1:(\d+)", line).group(1))
print(line.strip())


def fetch(path):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())
    out = b""
    while chunk := s.recv(65536):
        out += chunk
    s.close()
    return out.decode("utf-8", "replace")


original = open(page).read()
times = []
try:
    for i in range(runs):
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(f"GET /__briefing/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
        s.settimeout(10)
        time.sleep(0.3)
        if page.endswith(".toml"):
            word = f"{51 + i}"
            edited = re.sub(r"(?m)^value = .*$", f"value = {word}", original, count=1)
        else:
            word = f"Edited{i}"
            edited = original.rstrip("\n") + f" {word}\n"
        t0 = time.perf_counter()
        with open(page, "w") as f:
            f.write(edited)
        buf = b""
        while b"data: reload" not in buf:
            buf += s.recv(4096)
        body = fetch(url)
        times.append((time.perf_counter() - t0) * 1000)
        s.close()
        assert word in body, f"{url} does not show {word}"
        print(f"{times[-1]:.1f} ms;", p.stderr.readline().strip())
finally:
    open(page, "w").write(original)
    p.kill()
times.sort()
print("save → page reloaded, ms:", [round(t) for t in times], "median", round(times[len(times) // 2]))
