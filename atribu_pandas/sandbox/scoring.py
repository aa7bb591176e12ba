"""Top-performer scores of the sandbox: one row per ad and window, the 51 official fields.

:func:`score_ads` turns an ad's daily delivery into the fields of ``/api/v1/top-performers``.
Everything below is computed from the days of the window only (``7d``/``14d``/``28d``: the
last 7/14/28 days ending at ``as_of`` inclusive; ``lifetime``: every day up to ``as_of``),
except the ad's age (from ``launched_on``) and whether it is paused (``paused_on <= as_of``;
without ``paused_on``, ``status == "paused"``).

Peer group
    ``cohort_key = channel|creative_format|objective|audience_warmth|geo|placement``;
    ``cohort_n_ads`` counts the ads of the cohort with delivery in the window. Priors and
    percentiles are taken over the ad's *peer group*: its cohort when the cohort holds at least
    ``MIN_PEERS = 5`` scored ads, else its ``channel|objective`` group when that holds at least
    5, else the whole profile (so a tiny cohort pools with the profile instead of ranking 1 of 1).

Empirical-Bayes smoothing and percentiles
    Each layer's rate is smoothed toward its peer group's prior and ranked within the peer
    group by :mod:`atribu_pandas.sandbox.smoothing` (its docstring has the formulas).

Funnel layers (each a within-peer-group percentile of a smoothed value, higher is better)
    ========================  ===============================================================
    attention                 CTR, beta-binomial: clicks of impressions
    click_intent              clicks per dollar (1/CPC), gamma-Poisson: clicks over spend
    postclick_messaging       mean of the percentiles of conversations per dollar
                              (gamma-Poisson: conversations_started over spend) and of the
                              first reply rate (beta-binomial: first_replies of conversations)
    pipeline                  pipeline outcomes per dollar, gamma-Poisson
    attributed_revenue        ROAS, gamma-Poisson on revenue counted in units of the peer
                              group's average order value (AOV = sum(cash_value)/sum(cash
                              outcomes)), i.e. (revenue + b m)/(spend + b)
    ========================  ===============================================================

    A layer is *available* for a peer group when the group's total of the layer's event
    (clicks, clicks, conversations, pipeline outcomes, revenue) is above 0; otherwise its
    percentile is null and its weight is spread over the others.

composite_score (0..100)
    ``sum(w_l * pct_l) / sum(w_l)`` over the available layers (50 when none is), with the
    objective's weights (:data:`LAYER_WEIGHTS`; each row sums to 1)::

        objective   attention  click_intent  postclick_messaging  pipeline  attributed_revenue
        sales          0.10        0.15            0.05             0.20          0.50
        leads          0.10        0.15            0.10             0.45          0.20
        messaging      0.10        0.15            0.45             0.10          0.20
        traffic        0.30        0.45            0.05             0.10          0.10
        awareness      0.60        0.20            0.05             0.05          0.10
        (other)        0.20        0.20            0.20             0.20          0.20

top_performer_likelihood, score_source, model_version, maturity_stage, truth_grade,
primary_outcome_kind
    How settled, how proven and what kind of outcome each ad is:
    :mod:`atribu_pandas.sandbox.grades` (its docstring has the rules).

Money and rates (sums over the window; NaN stands for null)
    ctr = clicks/impressions*100 (0 with no impressions); cpc = spend/clicks (null with 0
    clicks); roas = cash_value/spend (null with 0 spend); cac = spend/cash outcomes (null with
    0); attributed_outcomes_total = cash + pipeline outcomes; cost_per_conversation =
    spend/conversations (null with 0); first_reply_rate = 100 * first_replies/conversations,
    a percent like ctr (null with 0); avg_engagement_score = impression-weighted mean of the
    daily score (null with no impressions).

reason_codes
    Each layer's strength or weakness, then the forecast and fatigue entries:
    :mod:`atribu_pandas.sandbox.reasons` (its docstring has the rules).

Recent period, forecast and fatigue
    forecast_outcomes_7d (and its band and confidence), the hazards, fatigue_state,
    fatigue_risk_tier and expected_lifespan_days come from the last ``min(window days, 14)``
    days: :mod:`atribu_pandas.sandbox.outlook` (its docstring has the formulas).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from atribu_pandas.exceptions import ArgumentError
from atribu_pandas.metrics import safe_divide
from atribu_pandas.sandbox.grades import (
    MODEL_VERSION,
    likelihood,
    maturity_stage,
    primary_outcome_kind,
    truth_grade,
)
from atribu_pandas.sandbox.outlook import ctr_slope, fatigue, forecast_outcomes, recent_days
from atribu_pandas.sandbox.reasons import reason_codes
from atribu_pandas.sandbox.smoothing import (
    _group_codes,
    _gsum,
    beta_binomial_posterior,
    gamma_poisson_posterior,
    percentile_within,
)
from atribu_pandas.vocabulary import OUTCOME_KINDS, WINDOWS

__all__ = [
    "FIELDS",
    "LAYERS",
    "LAYER_WEIGHTS",
    "MIN_PEERS",
    "MODEL_VERSION",
    "OUTCOME_KINDS",
    "WINDOWS",
    "beta_binomial_posterior",
    "gamma_poisson_posterior",
    "percentile_within",
    "score_ads",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]

_WINDOW_DAYS: dict[str, int | None] = {"7d": 7, "14d": 14, "28d": 28, "lifetime": None}

LAYERS: tuple[str, ...] = (
    "attention",
    "click_intent",
    "postclick_messaging",
    "pipeline",
    "attributed_revenue",
)

LAYER_WEIGHTS: Mapping[str, Mapping[str, float]] = {
    "sales": dict(zip(LAYERS, (0.10, 0.15, 0.05, 0.20, 0.50), strict=True)),
    "leads": dict(zip(LAYERS, (0.10, 0.15, 0.10, 0.45, 0.20), strict=True)),
    "messaging": dict(zip(LAYERS, (0.10, 0.15, 0.45, 0.10, 0.20), strict=True)),
    "traffic": dict(zip(LAYERS, (0.30, 0.45, 0.05, 0.10, 0.10), strict=True)),
    "awareness": dict(zip(LAYERS, (0.60, 0.20, 0.05, 0.05, 0.10), strict=True)),
}
_DEFAULT_WEIGHTS: Mapping[str, float] = dict.fromkeys(LAYERS, 0.2)


MIN_PEERS = 5

# The 51 fields of the official top-performers row, in the schema's order.
FIELDS: tuple[str, ...] = (
    "ad_external_id",
    "ad_name",
    "campaign_name",
    "ad_set_name",
    "creative_thumbnail_url",
    "video_id",
    "score_window",
    "composite_score",
    "top_performer_likelihood",
    "model_version",
    "score_source",
    "maturity_stage",
    "truth_grade",
    "primary_outcome_kind",
    "cohort_key",
    "cohort_objective",
    "cohort_format",
    "cohort_audience_warmth",
    "cohort_n_ads",
    "hook_type",
    "creative_format",
    "cta_type",
    "primary_angle",
    "offers",
    "spend",
    "impressions",
    "ctr",
    "cpc",
    "attributed_cash_outcomes",
    "attributed_revenue",
    "roas",
    "cac",
    "attributed_outcomes_total",
    "attributed_pipeline_outcomes",
    "attributed_pipeline_value",
    "meta_reported_conversions",
    "meta_reported_conversion_value",
    "cost_per_conversation",
    "messaging_conversations_started",
    "first_reply_rate",
    "avg_engagement_score",
    "reason_codes",
    "forecast_outcomes_7d",
    "forecast_outcomes_7d_low",
    "forecast_outcomes_7d_high",
    "forecast_confidence",
    "hazard_30d_pause",
    "hazard_30d_degradation",
    "fatigue_state",
    "fatigue_risk_tier",
    "expected_lifespan_days",
)

_SUM_COLUMNS = (
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


def _text(ads: pd.DataFrame, column: str, fallback: str | None = None) -> list[Any]:
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


def _days(values: pd.Series, as_of: np.datetime64) -> FloatArray:
    """Whole days from each date to as_of (NaN where missing)."""
    # A few hundred date objects: a list comprehension beats pd.to_datetime's machinery.
    stamps = np.array(
        [np.datetime64("NaT", "D") if _missing(v) else np.datetime64(v, "D") for v in values],
        dtype="datetime64[D]",
    )
    out = (as_of - stamps).astype(np.float64)
    out[np.isnat(stamps)] = np.nan
    return out


def _peer_labels(channel: list[Any], objective: list[Any], cohort: list[str]) -> list[str]:
    cohort_codes, _ = _group_codes(cohort, len(cohort))
    coarse = [f"{c}|{o}" for c, o in zip(channel, objective, strict=True)]
    coarse_codes, _ = _group_codes(coarse, len(coarse))
    n_cohort = np.bincount(cohort_codes)[cohort_codes]
    n_coarse = np.bincount(coarse_codes)[coarse_codes]
    return [
        "cohort:" + key
        if nc >= MIN_PEERS
        else ("channel_objective:" + co if nk >= MIN_PEERS else "*")
        for key, co, nc, nk in zip(cohort, coarse, n_cohort, n_coarse, strict=True)
    ]


def score_ads(
    ads: pd.DataFrame, daily: pd.DataFrame, *, window: str, as_of: dt.date
) -> pd.DataFrame:
    """Score every ad that delivered in the window, as ``/api/v1/top-performers`` rows.

    The formulas (priors, percentiles, blend weights, thresholds) are in the module
    docstring and the docstrings of the modules it points to.

    Parameters
    ----------
    ads : pandas.DataFrame
        One row per ad: ``entity_id``, ``ad_name``, ``ad_set_name``, ``campaign_name``,
        ``status``, ``objective``, ``channel``, ``creative_format``, ``hook_type``,
        ``cta_type``, ``primary_angle``, ``offers``, ``video_id``, ``audience_warmth``,
        ``geo``, ``placement``, ``creative_thumbnail_url``, ``launched_on``, ``paused_on``.
    daily : pandas.DataFrame
        One row per ad per day with delivery: ``ad_id``, ``date`` and the sums ``spend``,
        ``impressions``, ``clicks``, ``cash_outcomes``, ``cash_value``, ``pipeline_outcomes``,
        ``pipeline_value``, ``conversations_started``, ``first_replies``,
        ``meta_reported_conversions``, ``meta_reported_value``, plus ``engagement_score``.
        Days outside the window are ignored.
    window : {"7d", "14d", "28d", "lifetime"}
        The last 7/14/28 days ending at ``as_of`` inclusive, or every day up to ``as_of``.
    as_of : datetime.date
        The window's last day.

    Returns
    -------
    pandas.DataFrame
        Exactly the 51 columns of :data:`FIELDS`, one row per ad with delivery in the window,
        sorted by ``composite_score`` descending (ties: spend descending, then id). Numeric
        columns are float64 with NaN for null; ``model_version`` is None; ``offers`` and
        ``reason_codes`` hold Python lists.

    Raises
    ------
    ArgumentError
        If ``window`` is not one of :data:`WINDOWS`.

    Examples
    --------
    >>> import datetime as dt
    >>> import pandas as pd
    >>> ads = pd.DataFrame({"entity_id": ["a1"], "objective": ["sales"], "channel": ["meta"],
    ...     "creative_format": ["static"], "audience_warmth": ["prospecting"], "geo": ["US"],
    ...     "placement": ["feed"], "status": ["active"], "launched_on": [dt.date(2024, 1, 1)]})
    >>> daily = pd.DataFrame({"ad_id": ["a1"], "date": pd.to_datetime(["2024-03-01"]),
    ...     "spend": [20.0], "impressions": [2000], "clicks": [40], "cash_outcomes": [1],
    ...     "cash_value": [120.0]})
    >>> row = score_ads(ads, daily, window="7d", as_of=dt.date(2024, 3, 1)).iloc[0]
    >>> row["truth_grade"], float(row["roas"]), float(row["ctr"])
    ('attributed', 6.0, 2.0)
    """
    if window not in _WINDOW_DAYS:
        raise ArgumentError("window", window, "one of " + ", ".join(WINDOWS))
    end = np.datetime64(as_of, "D")
    span = _WINDOW_DAYS[window]
    w = _window_of(ads, daily, end, span)
    if w is None:
        return pd.DataFrame({name: pd.Series(dtype=object) for name in FIELDS})
    n, sub, sums = w.n, w.sub, w.sums
    spend, impressions, clicks = sums["spend"], sums["impressions"], sums["clicks"]
    cash_n, cash_v = sums["cash_outcomes"], sums["cash_value"]
    pipe_n, pipe_v = sums["pipeline_outcomes"], sums["pipeline_value"]
    convs = sums["conversations_started"]
    meta_n, meta_v = sums["meta_reported_conversions"], sums["meta_reported_value"]
    channel, fmt = _text(sub, "channel"), _text(sub, "creative_format")
    objective, warmth = _text(sub, "objective"), _text(sub, "audience_warmth")
    cohort = [
        "|".join("" if p is None else str(p) for p in parts)
        for parts in zip(
            channel, fmt, objective, warmth, _text(sub, "geo"), _text(sub, "placement"), strict=True
        )
    ]
    cohort_codes, _ = _group_codes(cohort, n)
    cohort_n = np.bincount(cohort_codes)[cohort_codes].astype(np.float64)
    pct = _layer_percentiles(sums, _group_codes(_peer_labels(channel, objective, cohort), n))
    composite = _composite(pct, objective)
    rates = _rates(sums, w.eng_weighted)
    age, paused_ago, paused = _lifecycle(sub, w, end)
    maturity = maturity_stage(impressions, spend, age)
    likely, by_model = likelihood(composite, maturity)
    lift = np.array([v is True for v in _text(sub, "lift_study")], dtype=bool)
    truth = truth_grade(lift, cash_n + pipe_n)
    signal = {"cash": cash_n, "pipeline": pipe_n, "messaging": convs, "meta": meta_n}
    outcome_kind = primary_outcome_kind(objective, signal)
    forecast, fatigued, recent_clicks = _outlook(w, end, span, composite, paused, age, paused_ago)
    layer_counts = {
        "attention": clicks,
        "click_intent": clicks,
        "postclick_messaging": convs,
        "pipeline": pipe_n,
        "attributed_revenue": cash_n,
    }
    metric = {
        "attention": rates["ctr"],
        "click_intent": rates["cpc"],
        "postclick_messaging": rates["cost_per_conv"],
        "pipeline": rates["cost_per_pipe"],
        "attributed_revenue": rates["roas"],
    }
    reasons = reason_codes(
        {layer: pct[layer] for layer in LAYERS},
        layer_counts,
        metric,
        forecast,
        recent_clicks,
        fatigued,
    )
    ctr, cpc, roas, cac = rates["ctr"], rates["cpc"], rates["roas"], rates["cac"]
    cost_per_conv, reply_rate = rates["cost_per_conv"], rates["reply_rate"]
    avg_engagement = rates["avg_engagement"]
    offers = [
        list(v) if isinstance(v, list | tuple | np.ndarray) else [] for v in _text(sub, "offers")
    ]
    columns: dict[str, Any] = {
        "ad_external_id": [str(v) for v in _text(sub, "external_id", fallback="entity_id")],
        "ad_name": _text(sub, "ad_name", fallback="name"),
        "campaign_name": _text(sub, "campaign_name"),
        "ad_set_name": _text(sub, "ad_set_name"),
        "creative_thumbnail_url": _text(sub, "creative_thumbnail_url"),
        "video_id": _text(sub, "video_id"),
        "score_window": [window] * n,
        "composite_score": composite,
        "top_performer_likelihood": likely,
        "model_version": [MODEL_VERSION if m else None for m in by_model],
        "score_source": np.where(by_model, "model", "rules").astype(object),
        "maturity_stage": maturity,
        "truth_grade": truth,
        "primary_outcome_kind": outcome_kind,
        "cohort_key": cohort,
        "cohort_objective": objective,
        "cohort_format": fmt,
        "cohort_audience_warmth": warmth,
        "cohort_n_ads": cohort_n,
        "hook_type": _text(sub, "hook_type"),
        "creative_format": fmt,
        "cta_type": _text(sub, "cta_type"),
        "primary_angle": _text(sub, "primary_angle"),
        "offers": offers,
        "spend": spend,
        "impressions": impressions,
        "ctr": ctr,
        "cpc": cpc,
        "attributed_cash_outcomes": cash_n,
        "attributed_revenue": cash_v,
        "roas": roas,
        "cac": cac,
        "attributed_outcomes_total": cash_n + pipe_n,
        "attributed_pipeline_outcomes": pipe_n,
        "attributed_pipeline_value": pipe_v,
        "meta_reported_conversions": meta_n,
        "meta_reported_conversion_value": meta_v,
        "cost_per_conversation": cost_per_conv,
        "messaging_conversations_started": convs,
        "first_reply_rate": reply_rate,
        "avg_engagement_score": avg_engagement,
        "reason_codes": reasons,
        "forecast_outcomes_7d": forecast.outcomes_7d,
        "forecast_outcomes_7d_low": forecast.low,
        "forecast_outcomes_7d_high": forecast.high,
        "forecast_confidence": forecast.confidence,
        "hazard_30d_pause": fatigued.hazard_30d_pause,
        "hazard_30d_degradation": fatigued.hazard_30d_degradation,
        "fatigue_state": fatigued.fatigue_state,
        "fatigue_risk_tier": fatigued.fatigue_risk_tier,
        "expected_lifespan_days": fatigued.expected_lifespan_days,
    }
    order = np.lexsort((np.array(columns["ad_external_id"], dtype=object), -spend, -composite))
    frame = pd.DataFrame({name: _take(columns[name], order) for name in FIELDS})
    return frame


@dataclass(frozen=True)
class _Window:
    """The window's delivery of the ads that delivered in it."""

    n: int
    sub: pd.DataFrame
    code: IntArray
    dates: npt.NDArray[np.datetime64]
    day_values: dict[str, FloatArray]
    sums: dict[str, FloatArray]
    eng_weighted: FloatArray


def _window_of(
    ads: pd.DataFrame, daily: pd.DataFrame, end: np.datetime64, span: int | None
) -> _Window | None:
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

    day_values = {name: col(name) for name in _SUM_COLUMNS}
    sums = {name: _gsum(code, vals, n) for name, vals in day_values.items()}
    # A reply credited to a conversation started before the window could push the rate past 1.
    sums["first_replies"] = np.minimum(sums["first_replies"], sums["conversations_started"])
    eng_weighted = _gsum(code, col("engagement_score") * day_values["impressions"], n)
    sub = ads.iloc[scored].reset_index(drop=True)
    return _Window(n, sub, code, dates, day_values, sums, eng_weighted)


def _layer_percentiles(
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


def _composite(pct: dict[str, FloatArray], objective: list[Any]) -> FloatArray:
    """The objective-weighted mean of the layers present (50 when none is)."""
    weights = np.array(
        [
            [LAYER_WEIGHTS.get(str(o), _DEFAULT_WEIGHTS)[layer] for layer in LAYERS]
            for o in objective
        ]
    )
    pct_matrix = np.column_stack([pct[layer] for layer in LAYERS])
    present = ~np.isnan(pct_matrix)
    w_sum = (weights * present).sum(axis=1)
    return np.asarray(
        np.where(
            w_sum > 0,
            np.nansum(weights * np.nan_to_num(pct_matrix), axis=1) / np.where(w_sum > 0, w_sum, 1),
            50.0,
        )
    )


def _rates(sums: dict[str, FloatArray], eng_weighted: FloatArray) -> dict[str, FloatArray]:
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


def _lifecycle(
    sub: pd.DataFrame, w: _Window, end: np.datetime64
) -> tuple[FloatArray, FloatArray, npt.NDArray[np.bool_]]:
    """Each ad's age in days, days since it was paused, and whether it is paused."""
    n = w.n
    launched = _days(sub["launched_on"], end) + 1 if "launched_on" in sub else np.full(n, np.nan)
    first_day = np.full(n, end, dtype="datetime64[D]")
    np.minimum.at(first_day, w.code, w.dates)
    age = np.where(np.isnan(launched), (end - first_day).astype(np.float64) + 1, launched)
    age = np.maximum(age, 0.0)
    paused_ago = _days(sub["paused_on"], end) if "paused_on" in sub else np.full(n, np.nan)
    status = np.array(_text(sub, "status"), dtype=object)
    paused = np.where(np.isnan(paused_ago), status == "paused", paused_ago >= 0).astype(bool)
    return age, paused_ago, paused


def _outlook(
    w: _Window,
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


def _take(values: Any, order: IntArray) -> Any:
    if isinstance(values, np.ndarray) and values.dtype != object:
        return np.asarray(values, dtype=np.float64)[order]
    # Lists and object arrays stay Python objects so None (not NaN) marks a null.
    return pd.Series([values[i] for i in order], dtype=object)
