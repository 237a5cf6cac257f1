"""Time from saving a file to the reload event of `briefing serve`.

usage: python3 benches/reload_time.py SITE_ROOT FILE_TO_EDIT
Starts `briefing serve --port 0` (BRIEFING overrides the binary), connects to
its event stream like an open page, appends a line to FILE_TO_EDIT five times
and prints each time until `data: reload` arrives. It edits FILE_TO_EDIT:
point it at a copy of a site.
"""
import socket, subprocess, sys, time, re, os
root, page = sys.argv[1], sys.argv[2]
p = subprocess.Popen([os.environ.get("BRIEFING", "target/release/briefing"),"serve","--port","0","--root",root], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
line = p.stderr.readline(); port = int(re.search(r"127\.0\.0\.1:(\d+)", line).group(1))
print(line.strip())
times=[]
for i in range(5):
    s = socket.create_connection(("127.0.0.1", port)); s.sendall(f"GET /__briefing/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()); s.settimeout(10)
    time.sleep(0.3)
    text = open(page).read()
    t0 = time.perf_counter()
    open(page, "w").write(text + f"\nEdit {i}.\n")
    buf=b""
    while b"data: reload" not in buf:
        buf += s.recv(4096)
    times.append((time.perf_counter()-t0)*1000)
    s.close()
    print(p.stderr.readline().strip())
times.sort(); print("save→reload event ms:", [round(t) for t in times], "median", round(times[len(times)//2]))
p.kill()
