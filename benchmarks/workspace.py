"""Time ten clients' campaign reports in one batch against one report and a loop of ten.

Three sides, each a fresh process from the command line, kernel starts included, on the
same sandbox data (pinned to one day, ``ATRIBU_TODAY``):

- one: ``atribu-pandas report campaign_performance --demo`` (one client);
- loop: the papermill-style baseline, a script that starts a 10-profile sandbox and calls
  :func:`atribu_pandas.reports.render` once per client, a new kernel each time;
- batch: ``atribu-pandas report campaign_performance --workspace --demo --profiles 10``.

Each side's peak memory is the largest sum of the resident memory of its process and all
its children (the kernels), sampled every 20 ms with psutil. Rounds rotate the order;
round 0 is a discarded warm-up. Printed: the medians, batch / one (target <= 3x), batch /
loop, and the batch's peak memory (target < 1.5 GB). Not asserted in the tests.

Usage: ``.venv/bin/python benchmarks/workspace.py [--repeat 3] [--profiles 10]``
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

__all__ = ["main"]

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "atribu_pandas.cli", "report", "campaign_performance", "-q"]
TODAY = "2026-11-30"
LOOP = """
import datetime as dt, os, sys
from pathlib import Path
import atribu_pandas as ap
from atribu_pandas.reports import render

out, count = Path(sys.argv[1]), int(sys.argv[2])
sb = ap.sandbox.start(profiles=count, today=dt.date.fromisoformat(os.environ["ATRIBU_TODAY"]))
os.environ["ATRIBU_BASE_URL"] = sb.url
for name, key in sb.workspace_keys().items():
    os.environ["ATRIBU_API_KEY"] = key
    render("campaign_performance", output=out / f"{name}.html", progress=False,
           parameters={"client_name": name})
sb.stop()
"""


def _env(cache: Path) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("ATRIBU_API_KEY", "ATRIBU_API_KEYS", "ATRIBU_BASE_URL"):
        env.pop(name, None)
    env["ATRIBU_CACHE_DIR"] = str(cache)
    env["ATRIBU_TODAY"] = TODAY
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def _tree_rss(process: psutil.Process) -> int:
    total = 0
    for member in [process, *process.children(recursive=True)]:
        # A process may end between the listing and the reading.
        with contextlib.suppress(psutil.Error):
            total += member.memory_info().rss
    return total


def _run(cmd: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Seconds and peak memory (bytes, the process tree) of one command."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = [0]
    watched = psutil.Process(proc.pid)

    def watch() -> None:
        while proc.poll() is None:
            try:
                peak[0] = max(peak[0], _tree_rss(watched))
            except psutil.Error:
                return
            time.sleep(0.02)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    _out, err = proc.communicate()
    elapsed = time.perf_counter() - start
    watcher.join()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err.decode()[-3000:]}")
    return elapsed, peak[0]


def main(argv: list[str] | None = None) -> int:
    """Run the comparison and print the seconds, the ratios and the peak memory."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed rounds (default 3)")
    parser.add_argument("--profiles", type=int, default=10, help="clients (default 10)")
    args = parser.parse_args(argv)
    sides = ["one", "loop", "batch"]
    times: dict[str, list[float]] = {side: [] for side in sides}
    peaks: dict[str, list[int]] = {side: [] for side in sides}
    with tempfile.TemporaryDirectory(prefix="atribu-bench-ws-") as tmp:
        out = Path(tmp)
        for run in range(args.repeat + 1):
            commands = {
                "one": [*CLI, "--demo", "-o", str(out / f"one-{run}" / "r.html")],
                "loop": [sys.executable, "-c", LOOP, str(out / f"loop-{run}"), str(args.profiles)],
                "batch": [
                    *CLI,
                    "--workspace",
                    "--demo",
                    "--profiles",
                    str(args.profiles),
                    "-o",
                    str(out / f"batch-{run}"),
                ],
            }
            order = sides[run % len(sides) :] + sides[: run % len(sides)]
            measured = {s: _run(commands[s], _env(out / f"cache-{s}-{run}")) for s in order}
            label = "warm-up (discarded)" if run == 0 else f"round {run}"
            print(
                f"{label}: "
                + ", ".join(
                    f"{s} {measured[s][0]:.2f} s / {measured[s][1] / 2**20:.0f} MB" for s in order
                ),
                flush=True,
            )
            if run:
                for side in sides:
                    times[side].append(measured[side][0])
                    peaks[side].append(measured[side][1])
    one, loop, batch = (statistics.median(times[side]) for side in sides)
    n = args.profiles
    print(f"one report:                   {one:.2f} s (median of {args.repeat})")
    print(f"loop of {n} renders (baseline): {loop:.2f} s")
    print(f"batch of {n} (--workspace):     {batch:.2f} s")
    print(f"ratio batch / one:  {batch / one:.2f}x (target <= 3x)")
    print(f"ratio batch / loop: {batch / loop:.2f}x")
    print(
        f"peak memory, process and kernels: batch {max(peaks['batch']) / 2**20:.0f} MB "
        f"(target < 1536 MB), loop {max(peaks['loop']) / 2**20:.0f} MB, "
        f"one {max(peaks['one']) / 2**20:.0f} MB"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
