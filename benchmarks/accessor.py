"""Time df.atribu against the hand-written pandas it replaces, on 1,000,000 ad-day rows.

Run ``.venv/bin/python benchmarks/accessor.py``. Each case prints the best of several runs
for the accessor and for a baseline timed in the same run, and their ratio. Targets (from
the accessor issue): rollup <= 1.2x ``groupby().sum()`` plus divisions, pivot_trend(freq="W")
<= 1.5x ``pivot_table`` plus ``resample``, shrink on 10,000 ads < 0.5 s.
"""

from __future__ import annotations

import argparse
import time
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

import atribu_pandas.accessor  # noqa: F401  (registers df.atribu)


def best_of(func: Callable[[], Any], repeat: int) -> float:
    """Best wall time of ``repeat`` calls, in seconds (the least disturbed by other load)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def ad_days(rows: int, ads: int, seed: int = 0) -> pd.DataFrame:
    """A trend-shaped frame (loaders' dtypes) of ``rows`` ad-days over ``ads`` ads."""
    rng = np.random.default_rng(seed)
    days = rows // ads
    ids = np.array([f"ad-{i:05d}" for i in range(ads)])
    impressions = rng.integers(0, 20_000, rows)
    return pd.DataFrame(
        {
            "entity_id": pd.array(np.repeat(ids, days), dtype="string"),
            "campaign": pd.array(np.repeat([i[:7] for i in ids], days), dtype="string"),
            "date": np.tile(pd.date_range("2025-06-01", periods=days).to_numpy(), ads),
            "spend": rng.gamma(2.0, 20.0, rows).round(2),
            "impressions": pd.array(impressions, dtype="Int64"),
            "clicks": pd.array(rng.binomial(impressions, 0.012), dtype="Int64"),
        }
    )


def hand_rollup(df: pd.DataFrame, keys: list[Any]) -> pd.DataFrame:
    out = df.groupby(keys)[["spend", "impressions", "clicks"]].sum()
    imp = out["impressions"].astype("float64")
    clicks = out["clicks"].astype("float64")
    out["ctr"] = (clicks / imp * 100).replace([np.inf, -np.inf], np.nan)
    out["avg_cpm"] = (out["spend"] / imp * 1000).replace([np.inf, -np.inf], np.nan)
    out["avg_cpc"] = (out["spend"] / clicks).replace([np.inf, -np.inf], np.nan)
    return out.reset_index()


def hand_weekly_pivot(df: pd.DataFrame) -> pd.DataFrame:
    table = df.pivot_table(index="date", columns="entity_id", values="spend", aggfunc="sum")
    return table.resample("W").sum()


def top_performers(ads: int, cohorts: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    impressions = rng.integers(100, 200_000, ads).astype("float64")
    ctr = rng.beta(2, 150, ads) * 100
    spend = (impressions / 1000 * rng.uniform(5, 15, ads)).round(2)
    outcomes = rng.poisson(spend / 80).astype("float64")
    return pd.DataFrame(
        {
            "ad_external_id": pd.array([f"ad-{i}" for i in range(ads)], dtype="string"),
            "ad_name": pd.array([f"Ad {i}" for i in range(ads)], dtype="string"),
            "cohort_key": pd.array(rng.integers(0, cohorts, ads).astype(str), dtype="string"),
            "impressions": impressions,
            "ctr": ctr,
            "spend": spend,
            "attributed_cash_outcomes": outcomes,
            "attributed_revenue": outcomes * rng.uniform(50, 250, ads),
        }
    )


def report(name: str, ours: float, base: float | None, target: str) -> None:
    if base is None:
        print(f"{name:<44} {ours * 1000:9.1f} ms {'':>24}  target {target}")
    else:
        print(
            f"{name:<44} {ours * 1000:9.1f} ms vs {base * 1000:9.1f} ms = "
            f"{ours / base:5.2f}x  target {target}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    df = ad_days(args.rows, ads=2_000)
    print(f"{len(df):,} ad-day rows, {df['entity_id'].nunique():,} ads, pandas {pd.__version__}")

    # Warm both paths once so imports and caches do not count.
    df.atribu.rollup("campaign")
    hand_rollup(df, ["campaign"])

    for label, keys, ours_call in [
        ("rollup(by='campaign')", ["campaign"], lambda: df.atribu.rollup("campaign")),
        (
            "rollup(by='entity_id', freq='W')",
            ["entity_id", pd.Grouper(key="date", freq="W")],
            lambda: df.atribu.rollup("entity_id", freq="W"),
        ),
    ]:
        ours = best_of(ours_call, args.repeat)
        base = best_of(lambda keys=keys: hand_rollup(df, keys), args.repeat)
        report(label, ours, base, "<= 1.2x")

    ours = best_of(lambda: df.atribu.pivot_trend("spend", freq="W"), args.repeat)
    base = best_of(lambda: hand_weekly_pivot(df), args.repeat)
    report("pivot_trend(freq='W')", ours, base, "<= 1.5x")

    top = top_performers(10_000, cohorts=300)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        top.atribu.shrink("ctr")
    for metric in ("ctr", "roas"):
        ours = best_of(lambda metric=metric: top.atribu.shrink(metric), args.repeat)
        report(f"shrink({metric!r}) on 10,000 ads", ours, None, "< 500 ms")


if __name__ == "__main__":
    main()
