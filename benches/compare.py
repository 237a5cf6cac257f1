"""Runs the side-by-side benchmark for compare.sh and prints the report.

Each run is a separate process; wall time comes from a monotonic clock and
CPU time (user + system) from wait4's rusage, both with microsecond
resolution, and peak memory (max RSS) from GNU time. Runs of briefing, Hugo and the floor alternate, with
the starting tool rotated, and the report gives medians and ratios.
"""
import argparse, os, shutil, statistics, subprocess, sys, time

ap = argparse.ArgumentParser()
ap.add_argument("--runs", type=int, default=5)
ap.add_argument("--sizes", default="10 1000 10000")
ap.add_argument("--work", required=True)
ap.add_argument("--briefing", required=True)
ap.add_argument("--gensite", required=True)
ap.add_argument("--floor", required=True)
a = ap.parse_args()


RSS_FILE = os.path.join(a.work, "maxrss")


def measure(cmd):
    # GNU time reports the command's peak memory: the command is forked from
    # the small `time` process, so none of Python's memory is counted. Wall
    # time and CPU time are measured here, with microsecond resolution.
    start = time.perf_counter()
    p = subprocess.Popen(["/usr/bin/time", "-f", "%M", "-o", RSS_FILE, *cmd],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - start
    err = p.stderr.read().decode(errors="replace")
    p.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{err}")
    with open(RSS_FILE) as f:
        rss_kib = int(f.read().split()[-1])
    return wall, ru.ru_utime + ru.ru_stime, rss_kib / 1024


def out(tool):
    d = os.path.join(a.work, f"out-{tool}")
    shutil.rmtree(d, ignore_errors=True)
    return d


results = {}
sizes = [int(s) for s in a.sizes.split()]
hugo_version = subprocess.run(["hugo", "version"], capture_output=True, text=True).stdout.split()[1]
for size in sizes:
    b, h = os.path.join(a.work, f"b{size}"), os.path.join(a.work, f"h{size}")
    subprocess.run([a.gensite, "--tool", "briefing", "--pages", str(size), b], check=True, stdout=subprocess.DEVNULL)
    subprocess.run([a.gensite, "--tool", "hugo", "--pages", str(size), h], check=True, stdout=subprocess.DEVNULL)
    commands = {
        "briefing": lambda: [a.briefing, "build", "--root", b, "--output", out("briefing")],
        "hugo": lambda: ["hugo", "--source", h, "--destination", out("hugo"), "--quiet"],
        "floor": lambda: [a.floor, b, out("floor")],
    }
    tools = list(commands)
    for i in range(a.runs):
        for k in range(len(tools)):
            tool = tools[(i + k) % len(tools)]
            results.setdefault((size, tool), []).append(measure(commands[tool]()))
for _ in range(a.runs):
    results.setdefault(("example", "briefing"), []).append(
        measure([a.briefing, "build", "--root", ".", "--output", out("example")]))


def med(key, i):
    v = results.get(key)
    return statistics.median(r[i] for r in v) if v else None


def ratio(x, y):
    return f"{x / y:.2f}×" if x is not None and y else ""


print(f"Hugo {hugo_version}, {os.cpu_count()} cores, medians of {a.runs} alternating runs, output on tmpfs.\n")
print("| corpus | tool | wall (ms) | CPU (ms) | peak memory (MiB) | wall ÷ Hugo | memory ÷ Hugo | wall ÷ floor |")
print("|---|---|--:|--:|--:|--:|--:|--:|")
for size in sizes + ["example"]:
    label = "example briefing" if size == "example" else f"{size:,} pages"
    for tool in ("briefing", "hugo", "floor"):
        key = (size, tool)
        if key not in results:
            continue
        w, c, m = med(key, 0), med(key, 1), med(key, 2)
        hw, hm, fw = med((size, "hugo"), 0), med((size, "hugo"), 2), med((size, "floor"), 0)
        mine = tool != "hugo"
        print(f"| {label} | {tool} | {w * 1000:.1f} | {c * 1000:.1f} | {m:.1f} | "
              f"{ratio(w, hw) if mine else ''} | {ratio(m, hm) if mine else ''} | "
              f"{ratio(w, fw) if tool == 'briefing' else ''} |")
