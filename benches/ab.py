#!/usr/bin/env python3
"""A/B runs of two or more commands, alternating, with wall time and peak memory.

    python3 benches/ab.py N 'COMMAND A' 'COMMAND B' ['COMMAND C' ...]

Runs the commands in turn N times each (after one warm-up run of each), each
as a child process whose peak resident memory and CPU time (user + system)
are read from wait4(), and prints the median wall time, peak RSS and CPU
time of each and their ratios to the first.
"{out}" in a command is replaced by a fresh output folder under /dev/shm.
"""

import os
import shlex
import shutil
import statistics
import sys
import time


def run(command: str) -> tuple[float, int, float]:
    out = "/dev/shm/briefing-ab-out"
    shutil.rmtree(out, ignore_errors=True)
    argv = shlex.split(command.replace("{out}", out))
    devnull = os.open(os.devnull, os.O_WRONLY)
    start = time.perf_counter()
    pid = os.posix_spawnp(
        argv[0], argv, os.environ,
        file_actions=[(os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)],
    )
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter() - start
    os.close(devnull)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {command}")
    return elapsed * 1000, usage.ru_maxrss, (usage.ru_utime + usage.ru_stime) * 1000


def main() -> None:
    n, commands = int(sys.argv[1]), sys.argv[2:]
    if len(commands) < 2:
        sys.exit(__doc__)
    runs = {c: [] for c in commands}
    for c in commands:
        run(c)
    for _ in range(n):
        for c in commands:
            runs[c].append(run(c))
    medians = {}
    for c in commands:
        ms = statistics.median(t for t, _, _ in runs[c])
        kb = statistics.median(m for _, m, _ in runs[c])
        cpu = statistics.median(u for _, _, u in runs[c])
        medians[c] = (ms, kb, cpu)
        print(f"{ms:9.1f} ms  {kb / 1024:7.1f} MiB  {cpu:9.1f} ms CPU  {c}")
    ta, ma, ca = medians[commands[0]]
    for label, c in zip("BCDEFGH", commands[1:]):
        tb, mb, cb = medians[c]
        print(
            f"{label}/A: time {tb / ta:.3f}x ({tb - ta:+.1f} ms), memory {mb / ma:.3f}x "
            f"({(mb - ma) / 1024:+.1f} MiB), CPU {cb / ca:.3f}x, {n} runs each"
        )


if __name__ == "__main__":
    main()
