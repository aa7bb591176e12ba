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
    group by ``sandbox.smoothing`` (its docstring has the formulas).

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
    ``sandbox.grades`` (its docstring has the rules).

Money and rates (sums over the window; NaN stands for null)
    ctr = clicks/impressions*100 (0 with no impressions); cpc = spend/clicks (null with 0
    clicks); roas = cash_value/spend (null with 0 spend); cac = spend/cash outcomes (null with
    0); attributed_outcomes_total = cash + pipeline outcomes; cost_per_conversation =
    spend/conversations (null with 0); first_reply_rate = 100 * first_replies/conversations,
    a percent like ctr (null with 0); avg_engagement_score = impression-weighted mean of the
    daily score (null with no impressions).

reason_codes
    Each layer's strength or weakness, then the forecast and fatigue entries:
    ``sandbox.reasons`` (its docstring has the rules).

Recent period, forecast and fatigue
    forecast_outcomes_7d (and its band and confidence), the hazards, fatigue_state,
    fatigue_risk_tier and expected_lifespan_days come from the last ``min(window days, 14)``
    days: ``sandbox.outlook`` (its docstring has the formulas).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from atribu_pandas.core.vocabulary import WINDOWS
from atribu_pandas.exceptions import ArgumentError
from atribu_pandas.sandbox.grades import (
    MODEL_VERSION,
    likelihood,
    maturity_stage,
    primary_outcome_kind,
    truth_grade,
)
from atribu_pandas.sandbox.reasons import reason_codes
from atribu_pandas.sandbox.signals import (
    column_values,
    layer_percentiles,
    lifecycle,
    outlook,
    rates,
    window_of,
)
from atribu_pandas.sandbox.smoothing import (
    _group_codes,
)

__all__ = [
    "FIELDS",
    "LAYERS",
    "LAYER_WEIGHTS",
    "MIN_PEERS",
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
    w = window_of(ads, daily, end, span)
    if w is None:
        return pd.DataFrame({name: pd.Series(dtype=object) for name in FIELDS})
    n, sub, sums = w.n, w.sub, w.sums
    spend, impressions, clicks = sums["spend"], sums["impressions"], sums["clicks"]
    cash_n, cash_v = sums["cash_outcomes"], sums["cash_value"]
    pipe_n, pipe_v = sums["pipeline_outcomes"], sums["pipeline_value"]
    convs = sums["conversations_started"]
    meta_n, meta_v = sums["meta_reported_conversions"], sums["meta_reported_value"]
    channel, fmt = column_values(sub, "channel"), column_values(sub, "creative_format")
    objective, warmth = column_values(sub, "objective"), column_values(sub, "audience_warmth")
    cohort = [
        "|".join("" if p is None else str(p) for p in parts)
        for parts in zip(
            channel,
            fmt,
            objective,
            warmth,
            column_values(sub, "geo"),
            column_values(sub, "placement"),
            strict=True,
        )
    ]
    cohort_codes, _ = _group_codes(cohort, n)
    cohort_n = np.bincount(cohort_codes)[cohort_codes].astype(np.float64)
    pct = layer_percentiles(sums, _group_codes(_peer_labels(channel, objective, cohort), n))
    composite = _composite(pct, objective)
    money = rates(sums, w.eng_weighted)
    age, paused_ago, paused = lifecycle(sub, w, end)
    maturity = maturity_stage(impressions, spend, age)
    likely, by_model = likelihood(composite, maturity)
    lift = np.array([v is True for v in column_values(sub, "lift_study")], dtype=bool)
    truth = truth_grade(lift, cash_n + pipe_n)
    signal = {"cash": cash_n, "pipeline": pipe_n, "messaging": convs, "meta": meta_n}
    outcome_kind = primary_outcome_kind(objective, signal)
    forecast, fatigued, recent_clicks = outlook(w, end, span, composite, paused, age, paused_ago)
    layer_counts = {
        "attention": clicks,
        "click_intent": clicks,
        "postclick_messaging": convs,
        "pipeline": pipe_n,
        "attributed_revenue": cash_n,
    }
    metric = {
        "attention": money["ctr"],
        "click_intent": money["cpc"],
        "postclick_messaging": money["cost_per_conv"],
        "pipeline": money["cost_per_pipe"],
        "attributed_revenue": money["roas"],
    }
    reasons = reason_codes(
        {layer: pct[layer] for layer in LAYERS},
        layer_counts,
        metric,
        forecast,
        recent_clicks,
        fatigued,
    )
    ctr, cpc, roas, cac = money["ctr"], money["cpc"], money["roas"], money["cac"]
    cost_per_conv, reply_rate = money["cost_per_conv"], money["reply_rate"]
    avg_engagement = money["avg_engagement"]
    offers = [
        list(v) if isinstance(v, list | tuple | np.ndarray) else []
        for v in column_values(sub, "offers")
    ]
    columns: dict[str, Any] = {
        "ad_external_id": [str(v) for v in column_values(sub, "external_id", fallback="entity_id")],
        "ad_name": column_values(sub, "ad_name", fallback="name"),
        "campaign_name": column_values(sub, "campaign_name"),
        "ad_set_name": column_values(sub, "ad_set_name"),
        "creative_thumbnail_url": column_values(sub, "creative_thumbnail_url"),
        "video_id": column_values(sub, "video_id"),
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
        "hook_type": column_values(sub, "hook_type"),
        "creative_format": fmt,
        "cta_type": column_values(sub, "cta_type"),
        "primary_angle": column_values(sub, "primary_angle"),
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


def _take(values: Any, order: IntArray) -> Any:
    if isinstance(values, np.ndarray) and values.dtype != object:
        return np.asarray(values, dtype=np.float64)[order]
    # Lists and object arrays stay Python objects so None (not NaN) marks a null.
    return pd.Series([values[i] for i in order], dtype=object)
