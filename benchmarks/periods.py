"""Period and workspace loads against hand-written loops, timed in the same run.

Run: ``.venv/bin/python benchmarks/periods.py``. A sandbox on loopback answers every
request after a realistic 150 ms delay (its ``slow`` switch). Baselines:

* 52 weekly periods: the docs' snippet (``requests.get(...).json()["data"]`` then
  ``pd.DataFrame``) in a sequential loop over the same 52 weeks;
* a workspace of 20 profiles: one profile's ``load_campaigns``.

The repeated cold runs lift the rate limit (so repetitions do not queue for tokens); one
extra cold run keeps Atribu's 60 requests per minute, to show 52 weeks fit in one
minute's budget. Prints each figure and its ratio against the target; asserts nothing.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time

import pandas as pd
import requests
from timing import line, timed

import atribu_pandas as ap

DELAY = 0.15
WEEKS = 52
PROFILES = 20
UNLIMITED = 1_000_000


def weeks_ending(sunday: dt.date) -> tuple[dt.date, dt.date]:
    return sunday - dt.timedelta(days=7 * WEEKS - 1), sunday


def periods_benchmark() -> None:
    sb = ap.sandbox.start(rate_limit=UNLIMITED)
    sb.inject("slow", count=100_000, seconds=DELAY)
    headers = {"Authorization": f"Bearer {sb.api_key}"}
    last_sunday = sb.last_day - dt.timedelta(days=(sb.last_day.weekday() + 1) % 7)
    shifts = iter(range(1, 100))

    def window() -> tuple[dt.date, dt.date]:
        # A week earlier each time, so neither side ever meets a cached answer.
        return weeks_ending(last_sunday - dt.timedelta(days=7 * next(shifts)))

    def snippet_loop() -> None:
        start, _ = window()
        frames = []
        for week in range(WEEKS):
            first = start + dt.timedelta(days=7 * week)
            params = {
                "date_from": first.isoformat(),
                "date_to": (first + dt.timedelta(days=6)).isoformat(),
                "model": "last_touch",
                "limit": 100,
            }
            data = requests.get(
                f"{sb.url}/api/v1/campaigns", headers=headers, params=params, timeout=30
            ).json()["data"]
            frames.append(pd.DataFrame(data).assign(week=first))
        pd.concat(frames)

    def fresh_client() -> ap.Client:
        # Its own empty cache: weeks overlap between shifted windows, and a shared cache
        # would answer 51 of the 52 from the previous run.
        return sb.client(cache_dir=tempfile.mkdtemp(), rate_limit=UNLIMITED, progress=False)

    def ours() -> None:
        ap.load_campaign_periods(*window(), freq="W", client=fresh_client())

    base = timed(snippet_loop, repeats=2)
    line(f"load_campaign_periods, {WEEKS} weeks, cold", timed(ours, repeats=3), base, 0.2)

    weeks = weeks_ending(last_sunday)
    client = fresh_client()
    ap.load_campaign_periods(*weeks, freq="W", client=client)
    again = timed(lambda: ap.load_campaign_periods(*weeks, freq="W", client=client), 20)
    verdict = "ok" if again <= 0.02 else "MISSED"
    print(
        f"{'  again in the process (memo)':<58} {again * 1e3:8.2f} ms (target <= 20 ms) {verdict}"
    )
    sb.stop()

    # Atribu's own budget: 60 requests a minute per key, on both sides of the wire.
    limited = ap.sandbox.start(seed=1)
    limited.inject("slow", count=100_000, seconds=DELAY)
    fresh = limited.client(cache_dir=tempfile.mkdtemp(), progress=False)
    start = time.perf_counter()
    ap.load_campaign_periods(
        *weeks_ending(limited.last_day - dt.timedelta(days=limited.last_day.weekday() + 1)),
        client=fresh,
    )
    once = time.perf_counter() - start
    line("  the same at 60 requests/minute (first use of the key)", once, base, 0.2)
    limited.stop()


def workspace_benchmark() -> None:
    sb = ap.sandbox.start(rate_limit=UNLIMITED, profiles=PROFILES)
    sb.inject("slow", count=100_000, seconds=DELAY)
    shifts = iter(range(1, 100))

    def window() -> tuple[dt.date, dt.date]:
        end = sb.last_day - dt.timedelta(days=next(shifts))
        return end - dt.timedelta(days=27), end

    cache = tempfile.mkdtemp()
    ws = sb.workspace(cache_dir=cache, rate_limit=UNLIMITED, progress=False)
    one = ws.client(ws.profiles[0])
    ws.load_campaigns(*window(), limit=100)  # connect every client once

    def single() -> None:
        ap.load_campaigns(*window(), limit=100, client=one)

    def every() -> None:
        ws.load_campaigns(*window(), limit=100)

    base = timed(single, repeats=7)
    line(f"Workspace.load_campaigns, {PROFILES} profiles, cold", timed(every, 7), base, 1.5)
    sb.stop()


def main() -> None:
    periods_benchmark()
    workspace_benchmark()


if __name__ == "__main__":
    main()
