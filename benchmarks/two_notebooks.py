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

import atribu_pandas as ap

LOADS = 100
RATE = 60
WORKER = """
import datetime as dt, sys, warnings
import atribu_pandas as ap
warnings.simplefilter("ignore")
url, key, loads, rate = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
client = ap.Client(key, base_url=url, cache=False, rate_limit=rate, progress=False)
failed = 0
for i in range(loads):
    start = dt.date(2025, 1, 1) + dt.timedelta(days=i)
    try:
        ap.load_campaigns(start, start + dt.timedelta(days=6), client=client)
    except ap.AtribuError as error:
        failed += 1
        print(type(error).__name__, error, file=sys.stderr)
print(failed)
"""


def main() -> None:
    with ap.sandbox.start(rate_limit=RATE) as sb:
        start = time.monotonic()
        workers = [
            subprocess.Popen(
                [sys.executable, "-c", WORKER, sb.url, sb.api_key, str(LOADS), str(RATE)],
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
