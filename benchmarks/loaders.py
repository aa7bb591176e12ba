"""Loader speed against the docs' hand-written snippet, timed in the same run.

Run: ``.venv/bin/python benchmarks/loaders.py``. A sandbox on loopback answers every
request after a realistic 150 ms delay (its ``slow`` switch); the baseline is the
snippet from Atribu's docs, ``requests.get(...).json()["data"]`` then ``pd.DataFrame``.
Both sides run with the rate limit lifted so repetitions do not queue for tokens.
Prints each figure and its ratio against the target; asserts nothing.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import tempfile
import time
from typing import Any

import orjson
import pandas as pd
import requests
from timing import line, timed

import atribu_pandas as ap
from atribu_pandas.frames.build import build_frame
from atribu_pandas.frames.policy import conform
from atribu_pandas.frames.schemas import schema_for

DELAY = 0.15


def main() -> None:
    sb = ap.sandbox.start(rate_limit=1_000_000)
    sb.inject("slow", count=100_000, seconds=DELAY)
    url, key = sb.url, sb.api_key
    headers = {"Authorization": f"Bearer {key}"}
    end = sb.last_day
    start = end - dt.timedelta(days=27)
    window = (start.isoformat(), end.isoformat())

    def snippet(path: str, params: dict[str, Any]) -> pd.DataFrame:
        data = requests.get(f"{url}{path}", headers=headers, params=params).json()["data"]
        return pd.DataFrame(data)

    # Cold: a client that already exists (as in a notebook) asked for a window it has not
    # cached; each repetition shifts the window by a day so both sides always miss.
    shifts = iter(range(1, 1000))
    cold_client = sb.client(cache_dir=tempfile.mkdtemp(), rate_limit=1_000_000)
    ap.load_campaigns(*window, level="ad", limit=100, client=cold_client)  # connect once

    def shifted() -> tuple[str, str]:
        k = next(shifts)
        return (start - dt.timedelta(days=k)).isoformat(), (end - dt.timedelta(days=k)).isoformat()

    def snippet_cold() -> None:
        a, b = shifted()
        snippet("/api/v1/campaigns", {"date_from": a, "date_to": b, "level": "ad", "limit": 100})

    def cold() -> None:
        ap.load_campaigns(*shifted(), level="ad", limit=100, client=cold_client)

    base_one = timed(snippet_cold, repeats=9)
    line("load_campaigns(level='ad', limit=100) cold", timed(cold, repeats=9), base_one, 1.15)

    warm_client = sb.client(cache_dir=tempfile.mkdtemp(), rate_limit=1_000_000)
    ap.load_campaigns(*window, level="ad", limit=100, client=warm_client)
    warm = timed(
        lambda: ap.load_campaigns(*window, level="ad", limit=100, client=warm_client), repeats=50
    )
    line("the same call repeated in the process (cache hit)", warm, base_one, 0.1)

    def sequential_models() -> None:
        for model in ap.MODELS:
            snippet(
                "/api/v1/campaigns",
                {
                    "date_from": window[0],
                    "date_to": window[1],
                    "model": model,
                    "level": "campaign",
                    "limit": 100,
                },
            )

    def models() -> None:
        client = sb.client(cache=False, rate_limit=1_000_000, progress=False)
        ap.load_model_comparison(*window, level="campaign", client=client)

    line("load_model_comparison (7 models)", timed(models), timed(sequential_models), 0.35)

    lifetime = (sb.first_day.isoformat(), sb.last_day.isoformat())
    all_ads = requests.get(
        f"{url}/api/v1/campaigns",
        headers=headers,
        params={
            "date_from": (end - dt.timedelta(days=365)).isoformat(),
            "date_to": window[1],
            "level": "ad",
            "limit": 100,
        },
    ).json()["data"]
    ids = [a["campaign_id"] for a in all_ads][:60]
    print(f"(trend uses {len(ids)} ad ids; lifetime {lifetime[0]}..{lifetime[1]})")

    def sequential_trend() -> None:
        for i in range(0, len(ids), 10):
            snippet(
                "/api/v1/campaigns/trend",
                {
                    "entity_ids": ",".join(ids[i : i + 10]),
                    "date_from": window[0],
                    "date_to": window[1],
                    "level": "ad",
                },
            )

    def trend() -> None:
        client = sb.client(cache=False, rate_limit=1_000_000, progress=False)
        ap.load_campaign_trend(ids, *window, level="ad", client=client)

    line(f"load_campaign_trend ({len(ids)} ids)", timed(trend), timed(sequential_trend), 0.35)
    sb.clear_faults()

    # Fixed cost with no delay: parse, build typed frame, validate, for 100 rows.
    body = requests.get(
        f"{url}/api/v1/campaigns",
        headers=headers,
        params={
            "date_from": (end - dt.timedelta(days=365)).isoformat(),
            "date_to": window[1],
            "level": "ad",
            "limit": 100,
        },
    ).content
    records = orjson.loads(body)["data"]
    while len(records) < 100:  # pad with copies under new ids to exactly 100 rows
        extra = dict(records[len(records) % len(records)])
        extra["campaign_id"] = f"{len(records):08d}-0000-4000-8000-000000000000"
        records.append(extra)
    records = records[:100]
    padded = orjson.dumps({"data": records, "meta": {}})
    schema = schema_for("CampaignDetails")

    def fixed() -> None:
        conform(build_frame(orjson.loads(padded)["data"], schema), schema)

    fixed()
    cost = min(timed(fixed, repeats=1) for _ in range(50))
    plain = min(timed(lambda: pd.DataFrame(orjson.loads(padded)["data"]), 1) for _ in range(50))
    print(
        f"{'parse + types + validation, 100 rows, no delay':<58} {cost * 1e3:8.2f} ms "
        f"(target <= 15 ms; plain json + pd.DataFrame: {plain * 1e3:.2f} ms)"
    )
    top = requests.get(
        f"{url}/api/v1/top-performers", headers=headers, params={"limit": 50, "window": "lifetime"}
    ).content
    top_schema = schema_for("TopPerformers")

    def fixed_top() -> None:
        conform(build_frame(orjson.loads(top)["data"], top_schema), top_schema)

    fixed_top()
    top_cost = min(timed(fixed_top, repeats=1) for _ in range(50))
    print(f"{'  the same for 50 top performers (51 fields)':<58} {top_cost * 1e3:8.2f} ms")
    sb.stop()

    def import_time(code: str) -> float:
        runs = []
        for _ in range(5):
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True)
            runs.append(time.perf_counter() - t0)
        return min(runs)

    base_import = import_time("import pandas, pandera.pandas")
    pandas_import = import_time("import pandas")
    ours_import = import_time("import atribu_pandas")
    line("import atribu_pandas (fresh process)", ours_import, base_import, 0.6)
    # The floor: registering df.atribu needs pandas, so the import can be no cheaper than
    # pandas's own. This ratio is what the package itself adds.
    line("  against import pandas alone", ours_import, pandas_import, 1.1)
    heavy = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, atribu_pandas; print(sorted(m for m in ('matplotlib', 'ipywidgets', "
            "'papermill', 'scipy', 'atribu_pandas.sandbox') if m in sys.modules))",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    print(f"heavy modules loaded by the import: {heavy}")


if __name__ == "__main__":
    main()
