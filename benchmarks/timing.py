"""Timing helpers the benchmark scripts share: a median of repeated calls, one result line."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

__all__ = ["line", "timed"]


def timed(fn: Callable[[], Any], repeats: int = 5) -> float:
    """Median seconds of ``repeats`` calls."""
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def line(name: str, ours: float, base: float, target: float) -> None:
    """Print ours against the baseline timed in the same run, with the ratio and the target."""
    ratio = ours / base
    verdict = "ok" if ratio <= target else "MISSED"
    print(
        f"{name:<58} {ours * 1e3:8.1f} ms vs {base * 1e3:8.1f} ms  "
        f"ratio {ratio:5.2f} (target <= {target}) {verdict}"
    )
