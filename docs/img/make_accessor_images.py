"""Draw the pictures of the df.atribu docs pages from sandbox data.

Run from the repository root: ``.venv/bin/python docs/img/make_accessor_images.py``.
It starts the sandbox (seed 0), loads the last 25 days, and writes one PNG per docs page
into ``docs/img/``: recompute-rollup.png, models.png, cohorts.png, trends.png, plots.png.
"""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd

import atribu_pandas as ap

HERE = Path(__file__).resolve().parent


def save(fig: plt.Figure, name: str) -> None:
    fig.savefig(HERE / name, dpi=110)
    plt.close(fig)
    print("wrote", HERE / name)


def main() -> None:
    warnings.simplefilter("ignore")
    with ap.sandbox.start(seed=0) as sb:
        client = sb.client()
        day_to: dt.date = sb.last_day
        day_from = day_to - dt.timedelta(days=24)
        camps = ap.load_campaigns(day_from, day_to, level="campaign", limit=100, client=client)
        ads = ap.load_campaigns(day_from, day_to, level="ad", limit=100, client=client)
        cmp = ap.load_model_comparison(day_from, day_to, client=client)
        top = ap.load_top_performers(limit=50, client=client)
        ids = camps.sort_values("spend", ascending=False)["campaign_id"].head(4)
        trend = ap.load_campaign_trend(ids, day_from, day_to, client=client)

    # Recompute and roll up: ads rolled up to their parent, ROAS from the sums.
    by_parent = ads.atribu.rollup("parent_name")
    fig, ax = plt.subplots(figsize=(8, 4.5), layout="constrained")
    frame = by_parent.rename(columns={"parent_name": "campaign_name"}).assign(
        campaign_id=by_parent["parent_name"]
    )
    frame.atribu.plot.roas_bar(ax=ax)
    ax.set_title("ROAS by ad set, rolled up from ads (sum of value / sum of spend)")
    save(fig, "recompute-rollup.png")

    fig, ax = plt.subplots(figsize=(10, 5), layout="constrained")
    cmp.atribu.plot.model_heatmap(ax=ax)
    save(fig, "models.png")

    fig, axes = plt.subplots(1, 2, figsize=(13, 6), layout="constrained")
    top.atribu.plot.cohort_box("cohort_objective", ax=axes[0])
    top.atribu.plot.shrinkage("roas", "cohort_objective", top=20, ax=axes[1])
    save(fig, "cohorts.png")

    fig, ax = plt.subplots(figsize=(10, 5), layout="constrained")
    trend.atribu.plot.trend("spend", rolling=7, names=camps, ax=ax)
    save(fig, "trends.png")

    fig, ax = plt.subplots(figsize=(8, 5.5), layout="constrained")
    camps.atribu.plot.spend_vs_value(ax=ax)
    save(fig, "plots.png")

    pd.set_option("display.width", 120)
    print(cmp.atribu.compare_models(top=5).summary())


if __name__ == "__main__":
    main()
