"""Two notebooks on one key: 2 processes x 100 loads against the API's 60 requests a minute.

Run: ``.venv/bin/python benchmarks/two_notebooks.py``. A sandbox at the real limit (60 a
minute per key) serves two worker processes that each run 100 ``load_campaigns`` calls
with the cache off. Prints the failed loads, the answers of 429, and the elapsed time
against the floor the limit imposes in the same run ((200 - 60) requests at one a
second); asserts nothing.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import atribu_pandas as ap

# The worker both this and the test run: one "notebook" on the key.
WORKER = Path(__file__).with_name("notebook_worker.py")

LOADS = 100
RATE = 60


def main() -> None:
    with ap.sandbox.start(rate_limit=RATE) as sb:
        start = time.monotonic()
        workers = [
            subprocess.Popen(
                [sys.executable, str(WORKER), sb.url, sb.api_key, str(LOADS), str(RATE)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        outputs = [w.communicate() for w in workers]
        elapsed = time.monotonic() - start
        statuses = [r.status for r in sb.requests]
    failed = sum(int(out.strip().splitlines()[-1]) for out, _ in outputs)
    floor = (2 * LOADS - RATE) * 60 / RATE
    print(f"loads: {2 * LOADS}, failed: {failed}, answers of 429: {statuses.count(429)}")
    ratio = elapsed / floor
    print(f"elapsed {elapsed:.1f} s; floor set by the limit {floor:.0f} s; ratio {ratio:.2f}")


if __name__ == "__main__":
    main()
