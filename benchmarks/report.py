"""Time ``atribu-pandas report campaign_performance --demo`` against ``jupyter nbconvert``.

Both run the same notebook on the same data (the sandbox the loaders start inside the
kernel when no key is set), end to end from a fresh process, kernel start included:

- ours: ``atribu-pandas report campaign_performance --demo -o ...``
- ours with ``--pdf``: the same, and the PDF printed by headless Chromium
- ours in German: ``--locale de_DE --currency EUR`` (every word from the catalogs, the
  Markdown cells swapped for their translations before the kernel runs)
- baseline: ``jupyter nbconvert --execute --to html`` on the same template as a notebook

Runs come in rounds, one of each, and the order rotates from round to round, so no side
always gets the warmer file-system cache or the quieter second. One warm-up round runs
first and is discarded (cold imports, the first kernel start). The medians, the ratio
ours / nbconvert, the seconds ``--pdf`` adds and the ratio German / English are printed.
Targets: ratio <= 0.8, ``--pdf`` adds <= 2 s, a translated report <= 1.05x the English
one. Not asserted in the tests.

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


def _ours(out: Path, name: str, *extra: str) -> list[str]:
    script = BIN / "atribu-pandas"
    head = [str(script)] if script.exists() else [sys.executable, "-m", "atribu_pandas.cli"]
    target = str(out / f"{name}.html")
    return [*head, "report", "campaign_performance", "--demo", "-q", "-o", target, *extra]


def _notebook(out: Path) -> Path:
    """The template as the notebook nbconvert runs (jupytext reads the percent file)."""
    import nbformat

    from atribu_pandas.reports.templates import read_template, template_path

    path = out / "campaign_performance.ipynb"
    nbformat.write(read_template(template_path("campaign_performance")), path)
    return path


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
        str(out / "campaign_performance.ipynb"),
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
    parser.add_argument("--repeat", type=int, default=5, help="timed rounds (default 5)")
    args = parser.parse_args(argv)
    sides = ["ours", "ours --pdf", "ours de_DE", "nbconvert"]
    times: dict[str, list[float]] = {side: [] for side in sides}
    german = ("--locale", "de_DE", "--currency", "EUR")
    with tempfile.TemporaryDirectory(prefix="atribu-bench-") as tmp:
        out = Path(tmp)
        _notebook(out)
        # Round 0 is the warm-up, timed but not counted.
        for run in range(args.repeat + 1):
            commands = {
                "ours": (_ours(out, "ours"), _env(out / f"cache-ours-{run}")),
                "ours --pdf": (_ours(out, "ours-pdf", "--pdf"), _env(out / f"cache-pdf-{run}")),
                "ours de_DE": (_ours(out, "ours-de", *german), _env(out / f"cache-de-{run}")),
                "nbconvert": (_baseline(out), _env(out / f"cache-base-{run}")),
            }
            order = sides[run % len(sides) :] + sides[: run % len(sides)]
            seconds = {side: _time(*commands[side]) for side in order}
            label = "warm-up (discarded)" if run == 0 else f"round {run}"
            print(f"{label}: " + ", ".join(f"{s} {seconds[s]:.2f} s" for s in order))
            if run:
                for side in sides:
                    times[side].append(seconds[side])
    ours_s, pdf_s, de_s, base_s = (statistics.median(times[side]) for side in sides)
    print(f"atribu-pandas report --demo:            {ours_s:.2f} s (median of {args.repeat})")
    print(f"atribu-pandas report --demo --pdf:      {pdf_s:.2f} s (median of {args.repeat})")
    print(f"atribu-pandas report --demo, German:    {de_s:.2f} s (median of {args.repeat})")
    print(f"jupyter nbconvert --execute --to html:  {base_s:.2f} s (median of {args.repeat})")
    print(f"ratio (ours / nbconvert): {ours_s / base_s:.2f}x (target <= 0.8x)")
    print(f"--pdf adds: {pdf_s - ours_s:.2f} s (target <= 2 s)")
    print(f"ratio (German / English): {de_s / ours_s:.3f}x (target <= 1.05x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
