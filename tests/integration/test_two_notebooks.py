"""Two processes (two notebooks) on one key finish every load: the rate budget holds
across processes (one budget file per key in the shared cache folder), and each client
also follows the server's X-RateLimit-Remaining and retries 429s within its wait budget."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

import atribu_pandas as ap

# The worker both this and the benchmark run: one "notebook" on the key.
WORKER = Path(__file__).resolve().parents[2] / "benchmarks" / "notebook_worker.py"


@pytest.mark.timeout(240)
def test_two_processes_on_one_key_finish_every_load() -> None:
    # 200 loads against a budget of 150 a minute: 50 must wait for the refill (about
    # 20 s), and neither process knows of the other except through the server's answers.
    loads, rate = 100, 150
    with ap.sandbox.start(rate_limit=rate) as sb:
        start = time.monotonic()
        workers = [
            subprocess.Popen(
                [sys.executable, str(WORKER), sb.url, sb.api_key, str(loads), str(rate)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        outputs = [w.communicate(timeout=220) for w in workers]
        elapsed = time.monotonic() - start
        statuses = [r.status for r in sb.requests]
    failed = [int(out.strip().splitlines()[-1]) for out, _ in outputs]
    assert failed == [0, 0], [err[-2000:] for _, err in outputs]
    assert statuses.count(200) == 2 * loads
    # The budget file shared through the cache folder keeps both under the limit: 429s
    # are the exception (the clocks of client and server may differ by a hair), not half.
    assert statuses.count(429) <= 2, statuses.count(429)
    # The refill paces the last 50 loads: at 2.5 a second they take about 20 s.
    assert elapsed >= (2 * loads - rate) / (rate / 60) * 0.8
    print(f"2 x {loads} loads in {elapsed:.1f} s, {statuses.count(429)} answers of 429")
