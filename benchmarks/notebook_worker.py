"""One "notebook" of the two-notebooks check: ``loads`` weekly loads on one key.

Run by ``benchmarks/two_notebooks.py`` and ``tests/integration/test_two_notebooks.py`` as
``python benchmarks/notebook_worker.py URL KEY LOADS RATE``; prints the failed loads.
"""

from __future__ import annotations

import datetime as dt
import sys
import warnings

import atribu_pandas as ap


def main(url: str, key: str, loads: int, rate: int) -> int:
    """Run the loads with the cache off; return how many failed (each is told on stderr)."""
    warnings.simplefilter("ignore")
    client = ap.Client(key, base_url=url, cache=False, rate_limit=rate, progress=False)
    failed = 0
    for i in range(loads):
        start = dt.date(2025, 1, 1) + dt.timedelta(days=i)
        try:
            ap.load_campaigns(start, start + dt.timedelta(days=6), client=client)
        except ap.AtribuError as error:
            failed += 1
            print(type(error).__name__, error, file=sys.stderr)
    return failed


if __name__ == "__main__":
    print(main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])))
