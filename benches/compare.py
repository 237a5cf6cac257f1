"""Runs the side-by-side benchmark for compare.sh and prints the report.

Each run is a separate process; wall time comes from a monotonic clock and
CPU time (user + system) from wait4's rusage, both with microsecond
resolution, and peak memory (max RSS) from GNU time. Runs of briefing, Hugo and the floor alternate, with
the starting tool rotated, and the report gives medians and ratios.
"""
import argparse, glob, os, shlex, shutil, statistics, subprocess, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reload_time import reload_times  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("--runs", type=int, default=5)
ap.add_argument("--sizes", default="10 1000 10000")
ap.add_argument("--work", required=True)
ap.add_argument("--briefing", required=True)
ap.add_argument("--gensite", required=True, help="the corpus generator: a command, split like a shell")
ap.add_argument("--floor", required=True)
ap.add_argument("--results", help="a briefing site whose content/data.toml receives the results")
ap.add_argument("--serve-size", type=int, default=10000,
                help="corpus size of the serve rows (save to reload); 0 leaves them out")
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


def settle(parent):
    """Waits until the old output a rebuild retired has been removed (by the
    process briefing leaves behind for that), so that it does not slow the
    next run down."""
    deadline = time.time() + 10
    while time.time() < deadline and any(".briefing-trash-" in n for n in os.listdir(parent)):
        time.sleep(0.02)


def out(tool):
    d = os.path.join(a.work, f"out-{tool}")
    shutil.rmtree(d, ignore_errors=True)
    return d


results = {}
sizes = [int(s) for s in a.sizes.split()]
hugo_version = subprocess.run(["hugo", "version"], capture_output=True, text=True).stdout.split()[1]
for size in sizes:
    b, h = os.path.join(a.work, f"b{size}"), os.path.join(a.work, f"h{size}")
    gen = shlex.split(a.gensite)
    subprocess.run([*gen, "--tool", "briefing", "--pages", str(size), b], check=True, stdout=subprocess.DEVNULL)
    subprocess.run([*gen, "--tool", "hugo", "--pages", str(size), h], check=True, stdout=subprocess.DEVNULL)
    # "rebuild": briefing building over its own previous output, which it
    # swaps out and removes after the build, off the critical path.
    rebuilt = os.path.join(a.work, f"rebuild-{size}", "public")
    # Hugo writes no PDF: the site alone is compared (`--no-pdf`).
    subprocess.run([a.briefing, "build", "--no-pdf", "--root", b, "--output", rebuilt], check=True,
                   stderr=subprocess.DEVNULL)
    commands = {
        "briefing": lambda: [a.briefing, "build", "--no-pdf", "--root", b, "--output", out("briefing")],
        "rebuild": lambda: [a.briefing, "build", "--no-pdf", "--root", b, "--output", rebuilt],
        "hugo": lambda: ["hugo", "--source", h, "--destination", out("hugo"), "--quiet"],
        "floor": lambda: [a.floor, b, out("floor")],
    }
    tools = list(commands)
    for i in range(a.runs):
        for k in range(len(tools)):
            tool = tools[(i + k) % len(tools)]
            results.setdefault((size, tool), []).append(measure(commands[tool]()))
            settle(os.path.dirname(rebuilt))
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
    for tool in ("briefing", "rebuild", "hugo", "floor"):
        key = (size, tool)
        if key not in results:
            continue
        w, c, m = med(key, 0), med(key, 1), med(key, 2)
        hw, hm, fw = med((size, "hugo"), 0), med((size, "hugo"), 2), med((size, "floor"), 0)
        mine = tool != "hugo"
        print(f"| {label} | {tool} | {w * 1000:.1f} | {c * 1000:.1f} | {m:.1f} | "
              f"{ratio(w, hw) if mine else ''} | {ratio(m, hm) if mine else ''} | "
              f"{ratio(w, fw) if tool in ('briefing', 'rebuild') else ''} |")
print("\n\"rebuild\" is briefing building over its own previous output (swapped out, then removed; from 200")
print("files up by a process of its own, after the build); rebuild ÷ fresh build, wall time:")
for size in sizes:
    print(f"- {size:,} pages: {ratio(med((size, 'rebuild'), 0), med((size, 'briefing'), 0))}")


def serve_corpus(size):
    """The corpus of `size` pages with a data file of 20 figures, shown on
    4 of its pages, as a briefing's are: a copy, since the runs edit it."""
    src, dst = os.path.join(a.work, f"b{size}"), os.path.join(a.work, f"serve{size}")
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(src, dst)
    lines = ['[sources.s]', 'title = "Statistics"', 'publisher = "Office"', 'date = 2024-01-01', '']
    for i in range(20):
        lines += [f'[figures.f{i}]', f'label = "Figure {i}"', f'value = {10 + i}', 'unit = "t"',
                  'period = "2023"', 'source = "s"', '']
    with open(os.path.join(dst, "content", "data.toml"), "w") as f:
        f.write("\n".join(lines))
    pages = sorted(p for p in glob.glob(os.path.join(dst, "content", "*", "*.md"))
                   if not p.endswith("_index.md"))
    for k, page in enumerate(pages[:3]):
        with open(page, "a") as f:
            f.write(f'\nThe figure is {{{{ fig(id="f{k}") }}}}.\n')
    with open(pages[3], "a") as f:
        f.write("\n" + " ".join(f'{{{{ fig(id="f{i}") }}}}' for i in range(3, 20)) + "\n")
    return dst, pages


def serve_rows(size):
    """Save to reload under `briefing serve`: a page's text, a value in the
    data file, the base template."""
    root, pages = serve_corpus(size)
    url = "/" + os.path.relpath(pages[0], os.path.join(root, "content"))[:-3] + "/"
    cases = [("a page's text", pages[0]),
             ("a figure's value in content/data.toml", os.path.join(root, "content", "data.toml")),
             ("templates/base.html", os.path.join(root, "templates", "base.html"))]
    print(f"\n`briefing serve` at {size:,} pages, from a save to the reloaded page's last byte "
          f"(medians of {max(a.runs, 5)} saves; the server waits 50 ms for more saves first):\n")
    print("| edited | save → reload (ms) | rebuilt (server's line, last save) |")
    print("|---|--:|---|")
    for what, path in cases:
        lines = []
        times = reload_times(a.briefing, root, path, url, max(a.runs, 5), report=lines.append)
        print(f"| {what} | {statistics.median(times):.0f} | {lines[-1].split('; ', 1)[-1]} |")


if a.serve_size and a.serve_size in sizes:
    serve_rows(a.serve_size)


def write_results(site):
    """The results as a briefing's data file, for `briefing chart`: of the
    10,000-page corpus when it was run (the README's charts), else the largest."""
    size = 10000 if 10000 in sizes else max(sizes)
    today = time.strftime("%Y-%m-%d")
    month = time.strftime("%B %Y")
    hugo = hugo_version.lstrip("v").split("+")[0]
    names = {"briefing": "briefing", "hugo": f"Hugo {hugo}", "floor": "floor"}
    lines = [
        "# Written by benches/compare.py; edits are overwritten by the next run.",
        "",
        "[units.ms]",
        'dimension = "quantity"',
        'singular = "millisecond"',
        'plural = "milliseconds"',
        'short = "ms"',
        "",
        "[units.MiB]",
        'dimension = "quantity"',
        'singular = "mebibyte"',
        'plural = "mebibytes"',
        'short = "MiB"',
        "",
        "[sources.compare]",
        f'title = "bash benches/compare.sh --runs {a.runs} --sizes \\"{a.sizes}\\""',
        'author = "briefing\'s benchmark"',
        f'publisher = "{os.cpu_count()} cores, output on tmpfs, medians of {a.runs} alternating runs"',
        f"date = {today}",
        "",
    ]
    ids = {}
    for tool in ("hugo", "briefing", "floor"):
        for what, i, unit, scale in (("wall", 0, "ms", 1000), ("memory", 2, "MiB", 1)):
            v = med((size, tool), i)
            if v is None:
                continue
            fid = f"{tool}_{what}"
            ids.setdefault(what, []).append((fid, names[tool]))
            label = "Wall time" if what == "wall" else "Peak memory"
            lines += [
                f"[figures.{fid}]",
                f'label = "{label} of {names[tool]}, {size:,} pages"',
                f"value = {v * scale:.1f}",
                f'unit = "{unit}"',
                f'period = "{month}"',
                'source = "compare"',
                "",
            ]
    titles = {"wall": f"Wall time to build {size:,} pages (lower is better)",
              "memory": f"Peak memory building {size:,} pages (lower is better)"}
    for what, figs in ids.items():
        lines += [
            f"[charts.{what}]",
            'kind = "hbar"',
            f'title = "{titles[what]}"',
            "figures = [" + ", ".join(f'"{f}"' for f, _ in figs) + "]",
            "labels = [" + ", ".join(f'"{n}"' for _, n in figs) + "]",
            "",
        ]
    rows = []
    for tool in ("hugo", "briefing", "floor"):
        if f"{tool}_wall" in dict(ids.get("wall", [])):
            mem = f'{{ fig = "{tool}_memory" }}' if f"{tool}_memory" in dict(ids.get("memory", [])) else '""'
            rows.append(f'  ["{names[tool]}", {{ fig = "{tool}_wall" }}, {mem}],')
    lines += [
        "[tables.results]",
        f'caption = "Building {size:,} generated pages"',
        'columns = [{ label = "Tool" }, { label = "Wall time", unit = "ms" }, { label = "Peak memory", unit = "MiB" }]',
        "rows = [",
        *rows,
        "]",
    ]
    os.makedirs(os.path.join(site, "content"), exist_ok=True)
    with open(os.path.join(site, "content", "data.toml"), "w") as f:
        f.write("\n".join(lines) + "\n")


if a.results:
    write_results(a.results)
