"""What scoring reads of each ad over a window: its sums, peer percentiles, rates, age
and recent outlook. ``sandbox.scoring.score_ads`` combines them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from atribu_pandas.metrics import safe_divide
from atribu_pandas.sandbox.outlook import ctr_slope, fatigue, forecast_outcomes, recent_days
from atribu_pandas.sandbox.smoothing import (
    _gsum,
    beta_binomial_posterior,
    gamma_poisson_posterior,
    percentile_within,
)

__all__ = [
    "SUM_COLUMNS",
    "Window",
    "column_values",
    "days_before",
    "layer_percentiles",
    "lifecycle",
    "outlook",
    "rates",
    "window_of",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

SUM_COLUMNS = (
    "spend",
    "impressions",
    "clicks",
    "cash_outcomes",
    "cash_value",
    "pipeline_outcomes",
    "pipeline_value",
    "conversations_started",
    "first_replies",
    "meta_reported_conversions",
    "meta_reported_value",
)


def column_values(ads: pd.DataFrame, column: str, fallback: str | None = None) -> list[Any]:
    """A column as Python objects with None for missing (or the fallback column, or all None)."""
    if column not in ads.columns:
        if fallback is not None and fallback in ads.columns:
            column = fallback
        else:
            return [None] * len(ads)
    return [None if _missing(v) else v for v in ads[column].tolist()]


def _missing(value: Any) -> bool:
    # Lists (offers) are values, so pd.isna (which maps over them) is not used here.
    return (
        value is None
        or value is pd.NA
        or value is pd.NaT
        or (isinstance(value, float) and math.isnan(value))
    )


def days_before(values: pd.Series, as_of: np.datetime64) -> FloatArray:
    """Whole days from each date to as_of (NaN where missing)."""
    # A few hundred date objects: a list comprehension beats pd.to_datetime's machinery.
    stamps = np.array(
        [np.datetime64("NaT", "D") if _missing(v) else np.datetime64(v, "D") for v in values],
        dtype="datetime64[D]",
    )
    out = (as_of - stamps).astype(np.float64)
    out[np.isnat(stamps)] = np.nan
    return out


@dataclass(frozen=True)
class Window:
    """The window's delivery of the ads that delivered in it."""

    n: int
    sub: pd.DataFrame
    code: IntArray
    dates: npt.NDArray[np.datetime64]
    day_values: dict[str, FloatArray]
    sums: dict[str, FloatArray]
    eng_weighted: FloatArray


def window_of(
    ads: pd.DataFrame, daily: pd.DataFrame, end: np.datetime64, span: int | None
) -> Window | None:
    """Each scored ad's sums over the window (None when no ad delivered in it)."""
    date_col = daily["date"]
    if not pd.api.types.is_datetime64_dtype(date_col):
        date_col = pd.to_datetime(date_col)
    dates = date_col.to_numpy().astype("datetime64[D]")
    keep = dates <= end
    if span is not None:
        keep &= dates > end - np.timedelta64(span, "D")
    # Match ids only on the window's rows: hashing every day's id is the costly step.
    ad_index = pd.Index(ads["entity_id"].astype(object))
    rows = ad_index.get_indexer(daily["ad_id"].to_numpy(dtype=object)[keep])
    keep[np.flatnonzero(keep)[rows < 0]] = False
    rows, dates = rows[rows >= 0], dates[keep]
    scored = np.unique(rows)
    if scored.size == 0:
        return None
    # Dense codes 0..N-1 over the scored ads, in the ads frame's order.
    code = np.searchsorted(scored, rows)
    n = scored.size
    window_rows = np.flatnonzero(keep)

    def col(name: str) -> FloatArray:
        if name not in daily.columns:
            return np.zeros(window_rows.size, dtype=np.float64)
        series = daily[name]
        if isinstance(series.dtype, np.dtype) and series.dtype.kind in "fiub":
            values = series.to_numpy()[window_rows].astype(np.float64)
        else:  # nullable extension dtypes (Int64, Float64): pd.NA becomes NaN first
            values = series.to_numpy(dtype=np.float64, na_value=np.nan)[window_rows]
        return np.nan_to_num(values)

    day_values = {name: col(name) for name in SUM_COLUMNS}
    sums = {name: _gsum(code, vals, n) for name, vals in day_values.items()}
    # A reply credited to a conversation started before the window could push the rate past 1.
    sums["first_replies"] = np.minimum(sums["first_replies"], sums["conversations_started"])
    eng_weighted = _gsum(code, col("engagement_score") * day_values["impressions"], n)
    sub = ads.iloc[scored].reset_index(drop=True)
    return Window(n, sub, code, dates, day_values, sums, eng_weighted)


def layer_percentiles(
    sums: dict[str, FloatArray], peers: tuple[IntArray, int]
) -> dict[str, FloatArray]:
    """Each layer's smoothed value as a percentile within the ad's peer group (NaN where
    the peer group has no event of the layer)."""
    peer_codes, n_peer = peers
    spend, impressions, clicks = sums["spend"], sums["impressions"], sums["clicks"]
    cash_n, cash_v = sums["cash_outcomes"], sums["cash_value"]
    pipe_n, convs = sums["pipeline_outcomes"], sums["conversations_started"]
    replies = sums["first_replies"]
    aov = safe_divide(
        _gsum(peer_codes, cash_v, n_peer),
        _gsum(peer_codes, cash_n, n_peer),
    )[peer_codes]
    revenue_units = np.where(np.isfinite(aov) & (aov > 0), cash_v / np.where(aov > 0, aov, 1), 0)
    smoothed = {
        "attention": beta_binomial_posterior(clicks, impressions, peer_codes),
        "click_intent": gamma_poisson_posterior(clicks, spend, peer_codes),
        "pipeline": gamma_poisson_posterior(pipe_n, spend, peer_codes),
        "attributed_revenue": gamma_poisson_posterior(revenue_units, spend, peer_codes),
    }
    pct = {layer: percentile_within(val, peer_codes) for layer, val in smoothed.items()}
    pct["postclick_messaging"] = 0.5 * (
        percentile_within(gamma_poisson_posterior(convs, spend, peer_codes), peer_codes)
        + percentile_within(beta_binomial_posterior(replies, convs, peer_codes), peer_codes)
    )
    layer_events = {
        "attention": clicks,
        "click_intent": clicks,
        "postclick_messaging": convs,
        "pipeline": pipe_n,
        "attributed_revenue": cash_v,
    }
    for layer, events in layer_events.items():
        available = np.asarray(_gsum(peer_codes, events, n_peer) > 0)[peer_codes]
        pct[layer] = np.where(available, pct[layer], np.nan)
    return pct


def rates(sums: dict[str, FloatArray], eng_weighted: FloatArray) -> dict[str, FloatArray]:
    """Money and rates from the window's sums."""
    spend, impressions, clicks = sums["spend"], sums["impressions"], sums["clicks"]
    convs = sums["conversations_started"]
    return {
        "ctr": np.where(
            impressions > 0, 100.0 * clicks / np.where(impressions > 0, impressions, 1), 0
        ),
        "cpc": safe_divide(spend, clicks),
        "roas": safe_divide(sums["cash_value"], spend),
        "cac": safe_divide(spend, sums["cash_outcomes"]),
        "cost_per_conv": safe_divide(spend, convs),
        "reply_rate": 100.0 * safe_divide(sums["first_replies"], convs),
        "cost_per_pipe": safe_divide(spend, sums["pipeline_outcomes"]),
        "avg_engagement": safe_divide(eng_weighted, impressions),
    }


def lifecycle(
    sub: pd.DataFrame, w: Window, end: np.datetime64
) -> tuple[FloatArray, FloatArray, npt.NDArray[np.bool_]]:
    """Each ad's age in days, days since it was paused, and whether it is paused."""
    n = w.n
    launched = (
        days_before(sub["launched_on"], end) + 1 if "launched_on" in sub else np.full(n, np.nan)
    )
    first_day = np.full(n, end, dtype="datetime64[D]")
    np.minimum.at(first_day, w.code, w.dates)
    age = np.where(np.isnan(launched), (end - first_day).astype(np.float64) + 1, launched)
    age = np.maximum(age, 0.0)
    paused_ago = days_before(sub["paused_on"], end) if "paused_on" in sub else np.full(n, np.nan)
    status = np.array(column_values(sub, "status"), dtype=object)
    paused = np.where(np.isnan(paused_ago), status == "paused", paused_ago >= 0).astype(bool)
    return age, paused_ago, paused


def outlook(
    w: Window,
    end: np.datetime64,
    span: int | None,
    composite: FloatArray,
    paused: npt.NDArray[np.bool_],
    age: FloatArray,
    paused_ago: FloatArray,
) -> tuple[Any, Any, FloatArray]:
    """The recent period: the forecast, the fatigue outlook and the recent clicks."""
    days = recent_days(span)
    recent = w.dates > end - np.timedelta64(days, "D")
    rc = w.code[recent]
    values = w.day_values
    k = _gsum(rc, (values["cash_outcomes"] + values["pipeline_outcomes"])[recent], w.n)
    forecast = forecast_outcomes(k, days, paused)
    slope, recent_clicks = ctr_slope(
        rc,
        values["clicks"][recent],
        values["impressions"][recent],
        (w.dates[recent] - end).astype(np.float64),
        w.n,
    )
    return forecast, fatigue(slope, composite, paused, age, paused_ago), recent_clicks
