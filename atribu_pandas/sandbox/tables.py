"""A profile's tables, built once from its delivery and journeys.

:func:`make_levels` gives each level (ad, ad set, campaign) its entities and daily sums,
a parent's sums being its children's; :func:`make_daily` the one-row-per-ad-day table;
:func:`cumulative` turns a day matrix into sums any window reads in one subtraction.
``ProfileData`` answers the API from them.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from atribu_pandas.core.vocabulary import LEVELS
from atribu_pandas.sandbox.delivery import Delivery
from atribu_pandas.sandbox.journeys import Journeys

__all__ = ["Level", "cumulative", "make_daily", "make_levels", "rollup", "rounded", "saturated"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Level:
    """One level's entities, in the order of the entities table, and daily sums."""

    ids: list[str]
    index: dict[str, int]
    rank: IntArray  # position of each id in sorted order (ties in ranking)
    names: list[str]
    parent_names: list[str | None]
    statuses: list[str]
    objectives: list[str]
    budgets: list[float | None]
    spend_cents: IntArray  # (n, days)
    impressions: IntArray
    clicks: IntArray


def cumulative(matrix: npt.NDArray[Any]) -> npt.NDArray[Any]:
    # A leading zero column: the sum over days [i0, i1) is cum[:, i1] - cum[:, i0].
    zero = np.zeros((matrix.shape[0], 1), dtype=matrix.dtype)
    return np.concatenate([zero, np.cumsum(matrix, axis=1)], axis=1)


def rollup(values: npt.NDArray[Any], group: IntArray, size: int) -> npt.NDArray[Any]:
    """Sum rows (or values) by parent; integers stay exact integers."""
    if values.ndim == 2:
        out = np.zeros((size, values.shape[1]), dtype=values.dtype)
        np.add.at(out, group, values)
        return out
    total = np.bincount(group, weights=values, minlength=size)
    return np.rint(total).astype(np.int64) if values.dtype.kind == "i" else total


def rounded(values: FloatArray, decimals: int) -> FloatArray:
    return np.round(values, decimals) + 0.0  # + 0.0 turns -0.0 into 0.0


def saturated(reach_sum: IntArray, audience: FloatArray) -> IntArray:
    """Unique people reached: an audience of ``A`` seen ``S`` times reaches A(1 - e^(-S/A))."""
    return np.floor(-audience * np.expm1(-reach_sum / audience)).astype(np.int64)


def make_levels(d: Delivery) -> dict[str, Level]:
    """Each level's entities and daily sums; a parent's sums are its children's."""
    e = d.entities
    levels: dict[str, Level] = {}
    names = dict(zip(e["entity_id"], e["name"], strict=True))
    spend, imps, clicks = d.spend_cents, d.impressions, d.clicks
    n_sets, n_campaigns = len(d.campaign_of_set), len(d.overlap)
    set_spend = rollup(spend, d.ad_set_of_ad, n_sets)
    set_imps = rollup(imps, d.ad_set_of_ad, n_sets)
    set_clicks = rollup(clicks, d.ad_set_of_ad, n_sets)
    matrices = {
        "ad": (spend, imps, clicks),
        "ad_set": (set_spend, set_imps, set_clicks),
        "campaign": tuple(
            rollup(m, d.campaign_of_set, n_campaigns) for m in (set_spend, set_imps, set_clicks)
        ),
    }
    for level in LEVELS:
        rows = e[e["level"] == level]
        ids = rows["entity_id"].tolist()
        order = np.argsort(np.array(ids, dtype=object), kind="stable")
        rank = np.empty(len(ids), dtype=np.int64)
        rank[order] = np.arange(len(ids))
        budgets = [None if math.isnan(b) else float(b) for b in rows["daily_budget"]]
        parents = [None if pd.isna(p) else names[p] for p in rows["parent_id"]]
        s, i, c = matrices[level]
        levels[level] = Level(
            ids=ids,
            index={k: n for n, k in enumerate(ids)},
            rank=rank,
            names=rows["name"].tolist(),
            parent_names=parents,
            # /campaigns shows them as the ad platform sends them (ACTIVE, OUTCOME_SALES).
            statuses=rows["platform_status"].tolist(),
            objectives=rows["platform_objective"].tolist(),
            budgets=budgets,
            spend_cents=s,
            impressions=i,
            clicks=c,
        )
    return levels


def make_daily(ads: Level, d: Delivery, credit: Journeys, first_day: dt.date) -> pd.DataFrame:
    """One row per ad per day with delivery, with last-touch credit by conversion day."""
    ad, day = np.nonzero(d.spend_cents > 0)
    order = np.lexsort((day, ads.rank[ad]))
    ad, day = ad[order], day[order]
    last = credit.last_touch
    return pd.DataFrame(
        {
            "ad_id": np.array(ads.ids, dtype=object)[ad],
            "date": (np.datetime64(first_day, "D") + day).astype("datetime64[ns]"),
            "spend": d.spend_cents[ad, day] / 100,
            "impressions": d.impressions[ad, day],
            "reach": d.reach[ad, day],
            "clicks": d.clicks[ad, day],
            "cash_outcomes": credit.cash_count["last_touch"][ad, day],
            "cash_value": rounded(credit.cash_value["last_touch"][ad, day], 2),
            "pipeline_outcomes": last["pipeline_outcomes"][ad, day],
            "pipeline_value": rounded(last["pipeline_value"][ad, day], 2),
            "conversations_started": last["conversations_started"][ad, day],
            "first_replies": last["first_replies"][ad, day],
            "meta_reported_conversions": d.meta_conversions[ad, day],
            "meta_reported_value": d.meta_value[ad, day],
            "engagement_score": d.engagement[ad, day],
        }
    )
