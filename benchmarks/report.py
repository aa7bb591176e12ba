"""Time ``atribu-pandas report campaign_performance --demo`` against ``jupyter nbconvert``.

Both run the same notebook on the same data (the sandbox the loaders start inside the
kernel when no key is set), end to end from a fresh process, kernel start included:

- ours: ``atribu-pandas report campaign_performance --demo -o ...``
- baseline: ``jupyter nbconvert --execute --to html notebooks/campaign_performance.ipynb``

Runs come in pairs, one of each, and which command goes first alternates from pair to
pair, so neither side always gets the warmer file-system cache or the quieter second.
One warm-up pair runs first and is discarded (cold imports, the first kernel start).
The medians and their ratio are printed. Target: ratio <= 1.0. Not asserted in the tests.

Usage: ``.venv/bin/python benchmarks/report.py [--repeat 5]``
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

__all__ = ["main"]

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "campaign_performance.ipynb"
BIN = Path(sys.executable).parent


def _env(cache: Path) -> dict[str, str]:
    env = dict(os.environ)
    # Both sides: no key (so the sandbox), a fresh cache, the checkout importable.
    env.pop("ATRIBU_API_KEY", None)
    env.pop("ATRIBU_BASE_URL", None)
    env["ATRIBU_CACHE_DIR"] = str(cache)
    env["ATRIBU_PROGRESS"] = "0"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def _ours(out: Path) -> list[str]:
    script = BIN / "atribu-pandas"
    head = [str(script)] if script.exists() else [sys.executable, "-m", "atribu_pandas.cli"]
    return [*head, "report", "campaign_performance", "--demo", "-o", str(out / "ours.html")]


def _baseline(out: Path) -> list[str]:
    jupyter = shutil.which("jupyter", path=str(BIN)) or "jupyter"
    return [
        jupyter,
        "nbconvert",
        "--execute",
        "--to",
        "html",
        "--output-dir",
        str(out),
        "--output",
        "baseline",
        str(NOTEBOOK),
    ]


def _time(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stderr[-3000:]}")
    return elapsed


def main(argv: list[str] | None = None) -> int:
    """Run the comparison and print the seconds and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed pairs (default 5)")
    args = parser.parse_args(argv)
    ours: list[float] = []
    base: list[float] = []
    with tempfile.TemporaryDirectory(prefix="atribu-bench-") as tmp:
        out = Path(tmp)
        # Pair 0 is the warm-up, timed but not counted.
        for run in range(args.repeat + 1):
            pair = {
                "ours": (_ours(out), _env(out / f"cache-ours-{run}")),
                "nbconvert": (_baseline(out), _env(out / f"cache-base-{run}")),
            }
            order = ["ours", "nbconvert"] if run % 2 else ["nbconvert", "ours"]
            seconds = {side: _time(*pair[side]) for side in order}
            label = "warm-up (discarded)" if run == 0 else f"pair {run}"
            print(
                f"{label}: {order[0]} first; ours {seconds['ours']:.2f} s, "
                f"nbconvert {seconds['nbconvert']:.2f} s"
            )
            if run:
                ours.append(seconds["ours"])
                base.append(seconds["nbconvert"])
    ours_s, base_s = statistics.median(ours), statistics.median(base)
    print(f"atribu-pandas report --demo:            {ours_s:.2f} s (median of {args.repeat})")
    print(f"jupyter nbconvert --execute --to html:  {base_s:.2f} s (median of {args.repeat})")
    print(f"ratio (ours / nbconvert): {ours_s / base_s:.2f}x (target <= 1.0x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
