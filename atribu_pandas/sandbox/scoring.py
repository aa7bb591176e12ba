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

Empirical-Bayes smoothing (priors fitted by the method of moments on the peer group)
    Rates, *beta-binomial* (k successes of n trials, :func:`beta_binomial_posterior`)::

        m   = sum(k) / sum(n)                                  pooled mean
        v   = sum(n_i * (k_i/n_i - m)^2) / sum(n)              trial-weighted variance
        tau2 = v - m(1-m) * G / sum(n)                         minus binomial noise (G ads, n>0)
        tau2 clipped to [(0.1 min(m, 1-m))^2, min((2m)^2, m(1-m)/2)]
        kappa = m(1-m)/tau2 - 1,  alpha = m kappa,  beta = (1-m) kappa
        posterior mean = (k + alpha) / (n + alpha + beta)

    Counts per exposure, *gamma-Poisson* (c events over e dollars,
    :func:`gamma_poisson_posterior`)::

        m = sum(c)/sum(e);  v = sum(e_i (c_i/e_i - m)^2)/sum(e);  tau2 = v - m G / sum(e)
        tau2 clipped to [(0.1 m)^2, (2 m)^2]
        a = m^2/tau2 (shape),  b = m/tau2 (rate, in dollars)
        posterior mean = (c + a) / (e + b)

    The clip keeps the between-ad coefficient of variation within [0.1, 2], so a prior is
    never worth more than about 100 events, nor less than a quarter of one. A group with no
    successes at all gives every ad the same value. An ad with little data thus sits near its
    peer group's mean: mid-pack, not at the top.

    These fitters do not reuse :func:`atribu_pandas.metrics.shrink`'s prior fit, because that
    one (private, frame-based) serves a different job with different rules: it caps the prior
    strength instead of clipping the between-ad spread, pools completely when the spread is
    within noise, and sends one-ad cohorts to the whole frame, whereas scoring must keep the
    CV clip and its peer-group fallback (cohort, then channel|objective, then profile) above.

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

Percentile
    Mid-rank within the peer group: ``100 * (average_rank - 0.5) / N`` (1 ad: 50; ties share).

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

top_performer_likelihood (0..1), score_source, model_version
    Settled ads (maturity ``mature`` or ``calibrated``) are scored by the sandbox's stand-in
    for Atribu's ranker: ``score_source = "model"``, ``model_version = 3``, likelihood
    ``1 / (1 + exp(-(composite_score - 65) / 6))``. The others fall back to the rules:
    ``score_source = "rules"``, ``model_version = None``, likelihood
    ``1 / (1 + exp(-(composite_score - 70) / 8))``. Each is strictly increasing in the
    composite within its source.

maturity_stage (age = days from ``launched_on`` to ``as_of``, both counted)
    cold: impressions < 1,000 or spend < $10 or age < 3 days;
    else early: impressions < 10,000 or spend < $100 or age < 14;
    else calibrated: impressions >= 100,000 and spend >= $1,000 and age >= 28;
    else mature.

truth_grade (the reference page's rule)
    ``lift`` for an ad in a holdout experiment (its ``lift_study`` flag: experiment-validated);
    else ``attributed`` when the window holds at least one Atribu-attributed outcome of any
    kind (cash or pipeline); else ``predicted`` (proxy signals only). Meta-reported
    conversions never set it.

primary_outcome_kind (the headline outcome, the reference page's rule)
    The objective's own kind when the window holds it: sales -> ``cash`` (payments),
    leads -> ``pipeline``, messaging -> ``messaging`` (conversations started). Otherwise, and
    for traffic and awareness ads, the first the window holds of ``cash``, ``pipeline``,
    ``messaging``, then ``meta`` (only Meta-reported conversions); else ``none`` (no
    attributed outcome yet: rank by composite_score).

Money and rates (sums over the window; NaN stands for null)
    ctr = clicks/impressions*100 (0 with no impressions); cpc = spend/clicks (null with 0
    clicks); roas = cash_value/spend (null with 0 spend); cac = spend/cash outcomes (null with
    0); attributed_outcomes_total = cash + pipeline outcomes; cost_per_conversation =
    spend/conversations (null with 0); first_reply_rate = 100 * first_replies/conversations,
    a percent like ctr (null with 0); avg_engagement_score = impression-weighted mean of the
    daily score (null with no impressions).

reason_codes
    One entry per available layer whose percentile is >= 75 (``strength``) or <= 25
    (``weakness``): ``{layer, polarity, percentile, sample_confidence, code =
    "<layer>_<polarity>", metric_value}`` (percentile to 1 decimal); metric_value is the raw
    ctr (%), cpc,
    cost_per_conversation, cost per pipeline outcome or roas. sample_confidence comes from the
    ad's count of the layer's event (clicks, clicks, conversations, pipeline outcomes, cash
    outcomes): low < 10, medium < 50, high >= 50. Then a ``forecast`` entry when the 7-day
    forecast is above 0, and a ``fatigue`` entry (``code = "fatigue_<tier>"``, metric_value =
    hazard_30d_degradation) when the ad is degraded or its tier is high or critical.

Recent period
    The last ``D = min(window days, 14)`` days up to ``as_of`` (lifetime: 14).

Forecast (next 7 days of attributed outcomes = cash + pipeline)
    ``k`` outcomes in the recent period: ``forecast = 7 k / D``; 80% band from the exact
    Poisson (Garwood) interval: ``low = 7/D * Gamma.ppf(0.10, k)`` (0 when k = 0), ``high = 7/D
    * Gamma.ppf(0.90, k + 1)``. forecast_confidence: low when k < 5, medium when k < 20, else
    high. A paused ad forecasts 0 with band [0, 0] and confidence high.

Fatigue (from the recent CTR trend)
    Over the recent period's delivery days: ``y_d = ln((clicks_d + 0.5)/(impressions_d + 1))``,
    weighted least-squares slope ``s_hat`` of ``y`` on the day number with weights
    ``clicks_d + 0.5`` (inverse variance of a log rate); 0 with fewer than 3 days. Shrunk toward
    0: ``s = s_hat * C/(C + 50)`` with C the period's clicks. ``c30 = 30 s`` (projected 30-day
    log change of the CTR)::

        hazard_30d_degradation = expit((ln 0.8 - c30) / 0.1)     0.5 at a projected 20% drop
        hazard_30d_pause       = 1 if paused, else
                                 expit(-2.5 + 3 hazard_30d_degradation + 2 (50 - composite)/50)
        fatigue_state          = paused | degraded (hazard_30d_degradation >= 0.5) | active
        fatigue_risk_tier      = low < 0.25 <= medium < 0.5 <= high < 0.75 <= critical
                                 (of hazard_30d_degradation)
        expected_lifespan_days = age + remaining, remaining = min(365, ln(0.7)/s) when s < 0
                                 (days until the CTR is 30% lower), else 365; a paused ad:
                                 days from launch to pause.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import special, stats

from atribu_pandas.exceptions import ArgumentError
from atribu_pandas.metrics import safe_divide
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

# The headline kind an objective's ads show when they have it (the reference page's rule).
_OBJECTIVE_OUTCOME = {"sales": "cash", "leads": "pipeline", "messaging": "messaging"}
# Otherwise the first kind the ad has, in this order; "none" when it has none.
_FALLBACK_OUTCOMES = ("cash", "pipeline", "messaging", "meta")

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

# Thresholds, named so the docstring and the code say the same thing.
_CV_MIN, _CV_MAX = 0.1, 2.0
_STRENGTH_PCT, _WEAKNESS_PCT = 75.0, 25.0
_CONFIDENCE_MEDIUM, _CONFIDENCE_HIGH = 10.0, 50.0
_FORECAST_MEDIUM, _FORECAST_HIGH = 5.0, 20.0
_RECENT_DAYS = 14
_LIKELIHOOD_CENTER, _LIKELIHOOD_SCALE = 70.0, 8.0
_MODEL_CENTER, _MODEL_SCALE, MODEL_VERSION = 65.0, 6.0, 3
_MODEL_STAGES = ("mature", "calibrated")
_DEGRADATION_DROP = math.log(0.8)
_LIFESPAN_DROP = math.log(0.7)
_LIFESPAN_CAP = 365.0
_TREND_SHRINK_CLICKS = 50.0
_MATURITY = {
    "cold": (1_000.0, 10.0, 3),
    "early": (10_000.0, 100.0, 14),
    "calibrated": (100_000.0, 1_000.0, 28),
}


# ---------------------------------------------------------------------------- smoothing


def _group_codes(groups: npt.ArrayLike | None, size: int) -> tuple[IntArray, int]:
    if groups is None:
        return np.zeros(size, dtype=np.intp), 1
    arr = np.asarray(groups)
    if arr.dtype.kind in "iu":
        # Already integer codes (the peer groups): no hashing needed.
        uniq, inverse = np.unique(arr, return_inverse=True)
        return inverse.astype(np.intp).reshape(-1), len(uniq)
    codes, uniques = pd.factorize(np.asarray(groups, dtype=object), use_na_sentinel=False)
    return codes.astype(np.intp), len(uniques)


def _gsum(codes: IntArray, weights: npt.ArrayLike, n_groups: int) -> FloatArray:
    """Sum of weights per group code (a typed np.bincount)."""
    return np.asarray(np.bincount(codes, weights=weights, minlength=n_groups), dtype=np.float64)


def _moment_fit(
    events: FloatArray, exposure: FloatArray, codes: IntArray, n_groups: int
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Per ad: the group's pooled mean m, its trial-weighted variance v, and the noise scale G/E."""
    has = exposure > 0
    total_e = _gsum(codes, exposure, n_groups)
    total_c = _gsum(codes, events, n_groups)
    n_ads = _gsum(codes, has.astype(np.float64), n_groups)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_g = np.where(total_e > 0, total_c / total_e, 0.0)
        raw = np.where(has, events / np.where(has, exposure, 1.0), 0.0)
        dev = exposure * (raw - mean_g[codes]) ** 2
        var_g = np.where(total_e > 0, _gsum(codes, dev, n_groups) / total_e, 0)
        inv_g = np.where(total_e > 0, n_ads / total_e, 0.0)
    return mean_g[codes], var_g[codes], inv_g[codes]


def beta_binomial_posterior(
    successes: npt.ArrayLike, trials: npt.ArrayLike, groups: npt.ArrayLike | None = None
) -> FloatArray:
    """Empirical-Bayes posterior mean of each unit's rate under a beta prior fitted per group.

    The prior of each group is fitted by the method of moments on the group's own units
    (pooled mean, trial-weighted variance minus the binomial noise, clipped so the
    between-unit coefficient of variation stays within [0.1, 2]); see the module docstring.

    Parameters
    ----------
    successes : array-like of float
        Successes per unit (clicks, first replies ...), ``0 <= successes <= trials``.
    trials : array-like of float
        Trials per unit (impressions, conversations ...), ``>= 0``.
    groups : array-like, optional
        A group label per unit; each group gets its own prior. ``None``: one group.

    Returns
    -------
    numpy.ndarray
        ``(k + alpha) / (n + alpha + beta)`` per unit; a unit without trials gets the prior
        mean, and every unit of a group without successes (or without failures) gets 0 (or 1).

    Examples
    --------
    >>> clicks = [1000, 1500, 2000, 2500, 3000, 5]
    >>> post = beta_binomial_posterior(clicks, [100_000] * 5 + [50])
    >>> bool(post[5] < post[4])  # 5 of 50 (10%) shrinks below the 3% of 100k trials
    True
    """
    k = np.asarray(successes, dtype=np.float64)
    n = np.asarray(trials, dtype=np.float64)
    codes, n_groups = _group_codes(groups, k.size)
    m, v, inv = _moment_fit(k, n, codes, n_groups)
    pq = m * (1.0 - m)
    low = (_CV_MIN * np.minimum(m, 1.0 - m)) ** 2
    high = np.minimum((_CV_MAX * m) ** 2, pq / 2.0)
    tau2 = np.clip(v - pq * inv, low, high)
    degenerate = pq <= 0
    with np.errstate(divide="ignore", invalid="ignore"):
        kappa = np.where(degenerate, 0.0, pq / np.where(degenerate, 1.0, tau2) - 1.0)
        post = np.where(
            degenerate,
            m,
            (k + m * kappa) / np.where(n + kappa > 0, n + kappa, 1.0),
        )
    return np.asarray(post, dtype=np.float64)


def gamma_poisson_posterior(
    counts: npt.ArrayLike, exposure: npt.ArrayLike, groups: npt.ArrayLike | None = None
) -> FloatArray:
    """Empirical-Bayes posterior mean of each unit's rate per unit exposure, gamma prior per group.

    Counts are Poisson with mean ``rate * exposure``; each group's gamma prior (shape ``a``,
    rate ``b``) is fitted by the method of moments (pooled mean, exposure-weighted variance
    minus the Poisson noise, coefficient of variation clipped to [0.1, 2]).

    Parameters
    ----------
    counts : array-like of float
        Events per unit (clicks, conversations, outcomes ...), ``>= 0``.
    exposure : array-like of float
        Exposure per unit (dollars spent), ``>= 0``.
    groups : array-like, optional
        A group label per unit; each group gets its own prior. ``None``: one group.

    Returns
    -------
    numpy.ndarray
        ``(c + a) / (e + b)`` per unit; a unit without exposure gets the prior mean, and every
        unit of a group without events gets 0.

    Examples
    --------
    >>> post = gamma_poisson_posterior([100, 200, 300, 3], [100.0, 100.0, 100.0, 1.0])
    >>> bool(post[3] < 3.0)  # 3 clicks for $1 shrinks toward the pooled 2 per dollar
    True
    """
    c = np.asarray(counts, dtype=np.float64)
    e = np.asarray(exposure, dtype=np.float64)
    codes, n_groups = _group_codes(groups, c.size)
    m, v, inv = _moment_fit(c, e, codes, n_groups)
    tau2 = np.clip(v - m * inv, (_CV_MIN * m) ** 2, (_CV_MAX * m) ** 2)
    degenerate = m <= 0
    safe_tau2 = np.where(degenerate, 1.0, tau2)
    a = np.where(degenerate, 0.0, m * m / safe_tau2)
    b = np.where(degenerate, 0.0, m / safe_tau2)
    with np.errstate(divide="ignore", invalid="ignore"):
        post = np.where(degenerate | (e + b <= 0), m, (c + a) / np.where(e + b > 0, e + b, 1.0))
    return np.asarray(post, dtype=np.float64)


def percentile_within(values: npt.ArrayLike, groups: npt.ArrayLike | None = None) -> FloatArray:
    """Mid-rank percentile (0..100) of each value within its group; higher value, higher rank.

    ``100 * (average_rank - 0.5) / N``: a group of one gives 50, tied values share a rank.

    Parameters
    ----------
    values : array-like of float
        The values to rank.
    groups : array-like, optional
        A group label per value. ``None``: one group.

    Returns
    -------
    numpy.ndarray
        Percentiles in the open interval (0, 100).

    Examples
    --------
    >>> percentile_within([3.0, 1.0, 2.0, 2.0]).tolist()
    [87.5, 12.5, 50.0, 50.0]
    """
    vals = np.asarray(values, dtype=np.float64)
    codes, n_groups = _group_codes(groups, vals.size)
    size = vals.size
    # Sort by (group, value); a run of equal values in a group shares its average position.
    order = np.lexsort((vals, codes))
    sorted_vals, sorted_codes = vals[order], codes[order]
    new_run = np.ones(size, dtype=bool)
    new_run[1:] = (sorted_vals[1:] != sorted_vals[:-1]) | (sorted_codes[1:] != sorted_codes[:-1])
    run_start = np.flatnonzero(new_run)
    run_end = np.append(run_start[1:], size) - 1
    run_of = np.cumsum(new_run) - 1
    group_start = np.searchsorted(sorted_codes, sorted_codes, side="left")
    ranks = np.empty(size, dtype=np.float64)
    ranks[order] = (run_start + run_end)[run_of] / 2.0 - group_start + 1.0
    sizes = np.bincount(codes, minlength=n_groups).astype(np.float64)[codes]
    return np.asarray(100.0 * (ranks - 0.5) / sizes, dtype=np.float64)


# ---------------------------------------------------------------------------- helpers


def _band(count: FloatArray, medium: float, high: float) -> npt.NDArray[np.object_]:
    return np.where(count >= high, "high", np.where(count >= medium, "medium", "low")).astype(
        object
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


# ---------------------------------------------------------------------------- score_ads


def score_ads(
    ads: pd.DataFrame, daily: pd.DataFrame, *, window: str, as_of: dt.date
) -> pd.DataFrame:
    """Score every ad that delivered in the window, as ``/api/v1/top-performers`` rows.

    The formulas (priors, percentiles, blend weights, thresholds) are in the module
    docstring.

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
        return pd.DataFrame({name: pd.Series(dtype=object) for name in FIELDS})
    # Dense codes 0..N-1 over the scored ads, in the ads frame's order.
    code = np.searchsorted(scored, rows)
    n = scored.size
    sub = ads.iloc[scored].reset_index(drop=True)

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
    engagement = col("engagement_score")
    eng_weighted = _gsum(code, engagement * day_values["impressions"], n)

    spend, impressions, clicks = sums["spend"], sums["impressions"], sums["clicks"]
    cash_n, cash_v = sums["cash_outcomes"], sums["cash_value"]
    pipe_n, pipe_v = sums["pipeline_outcomes"], sums["pipeline_value"]
    convs = sums["conversations_started"]
    # A reply credited to a conversation started before the window could push the rate past 1.
    replies = np.minimum(sums["first_replies"], convs)
    meta_n, meta_v = sums["meta_reported_conversions"], sums["meta_reported_value"]

    # --- cohorts and peer groups
    channel, fmt = _text(sub, "channel"), _text(sub, "creative_format")
    objective, warmth = _text(sub, "objective"), _text(sub, "audience_warmth")
    geo, placement = _text(sub, "geo"), _text(sub, "placement")
    cohort = [
        "|".join("" if p is None else str(p) for p in parts)
        for parts in zip(channel, fmt, objective, warmth, geo, placement, strict=True)
    ]
    cohort_codes, _ = _group_codes(cohort, n)
    cohort_n = np.bincount(cohort_codes)[cohort_codes].astype(np.float64)
    peers = _peer_labels(channel, objective, cohort)
    peer_codes, n_peer = _group_codes(peers, n)

    def available(events: FloatArray) -> npt.NDArray[np.bool_]:
        return np.asarray(_gsum(peer_codes, events, n_peer) > 0)[peer_codes]

    # --- layers: smoothed value -> percentile within the peer group
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
        pct[layer] = np.where(available(events), pct[layer], np.nan)

    weights = np.array(
        [
            [LAYER_WEIGHTS.get(str(o), _DEFAULT_WEIGHTS)[layer] for layer in LAYERS]
            for o in objective
        ]
    )
    pct_matrix = np.column_stack([pct[layer] for layer in LAYERS])
    present = ~np.isnan(pct_matrix)
    w_sum = (weights * present).sum(axis=1)
    composite = np.where(
        w_sum > 0,
        np.nansum(weights * np.nan_to_num(pct_matrix), axis=1) / np.where(w_sum > 0, w_sum, 1),
        50.0,
    )

    # --- money and rates
    ctr = np.where(impressions > 0, 100.0 * clicks / np.where(impressions > 0, impressions, 1), 0)
    cpc = safe_divide(spend, clicks)
    roas = safe_divide(cash_v, spend)
    cac = safe_divide(spend, cash_n)
    cost_per_conv = safe_divide(spend, convs)
    reply_rate = 100.0 * safe_divide(replies, convs)
    cost_per_pipe = safe_divide(spend, pipe_n)
    avg_engagement = safe_divide(eng_weighted, impressions)

    # --- age, status, maturity
    launched = _days(sub["launched_on"], end) + 1 if "launched_on" in sub else np.full(n, np.nan)
    first_day = np.full(n, end, dtype="datetime64[D]")
    np.minimum.at(first_day, code, dates)
    age = np.where(np.isnan(launched), (end - first_day).astype(np.float64) + 1, launched)
    age = np.maximum(age, 0.0)
    paused_ago = _days(sub["paused_on"], end) if "paused_on" in sub else np.full(n, np.nan)
    status = np.array(_text(sub, "status"), dtype=object)
    paused = np.where(np.isnan(paused_ago), status == "paused", paused_ago >= 0).astype(bool)

    def below(stage: str) -> npt.NDArray[np.bool_]:
        imp_t, spend_t, age_t = _MATURITY[stage]
        return np.asarray((impressions < imp_t) | (spend < spend_t) | (age < age_t))

    maturity = np.where(
        below("cold"),
        "cold",
        np.where(below("early"), "early", np.where(below("calibrated"), "mature", "calibrated")),
    ).astype(object)

    by_model = np.isin(maturity, _MODEL_STAGES)
    likelihood = np.where(
        by_model,
        special.expit((composite - _MODEL_CENTER) / _MODEL_SCALE),
        special.expit((composite - _LIKELIHOOD_CENTER) / _LIKELIHOOD_SCALE),
    )
    lift = np.array([v is True for v in _text(sub, "lift_study")], dtype=bool)
    truth = np.where(lift, "lift", np.where(cash_n + pipe_n > 0, "attributed", "predicted")).astype(
        object
    )
    signal = {"cash": cash_n, "pipeline": pipe_n, "messaging": convs, "meta": meta_n}
    outcome_kind = np.array(
        [
            _headline_kind(_OBJECTIVE_OUTCOME.get(str(o)), {k: v[i] for k, v in signal.items()})
            for i, o in enumerate(objective)
        ],
        dtype=object,
    )

    # --- recent period: forecast and fatigue
    recent_days = min(span or _RECENT_DAYS, _RECENT_DAYS)
    recent = dates > end - np.timedelta64(recent_days, "D")
    rc = code[recent]
    k = _gsum(rc, (day_values["cash_outcomes"] + day_values["pipeline_outcomes"])[recent], n)
    scale = 7.0 / recent_days
    forecast = np.where(paused, 0.0, scale * k)
    low_q = stats.gamma.ppf(0.10, np.where(k > 0, k, 1.0))
    forecast_low = np.where(paused | (k <= 0), 0.0, scale * low_q)
    forecast_high = np.where(paused, 0.0, scale * stats.gamma.ppf(0.90, k + 1.0))
    forecast_conf = np.where(paused, "high", _band(k, _FORECAST_MEDIUM, _FORECAST_HIGH)).astype(
        object
    )

    rclicks = day_values["clicks"][recent]
    y = np.log((rclicks + 0.5) / (day_values["impressions"][recent] + 1.0))
    x = (dates[recent] - end).astype(np.float64)
    w = rclicks + 0.5
    sw = _gsum(rc, w, n)
    swx = _gsum(rc, w * x, n)
    swy = _gsum(rc, w * y, n)
    swxx = _gsum(rc, w * x * x, n)
    swxy = _gsum(rc, w * x * y, n)
    n_days = np.bincount(rc, minlength=n)
    denom = sw * swxx - swx * swx
    ok = (n_days >= 3) & (denom > 1e-12)
    slope = np.where(ok, (sw * swxy - swx * swy) / np.where(ok, denom, 1.0), 0.0)
    recent_clicks = _gsum(rc, rclicks, n)
    slope = slope * recent_clicks / (recent_clicks + _TREND_SHRINK_CLICKS)
    c30 = 30.0 * slope
    h_deg = special.expit((_DEGRADATION_DROP - c30) / 0.1)
    h_pause = np.where(
        paused, 1.0, special.expit(-2.5 + 3.0 * h_deg + 2.0 * (50.0 - composite) / 50.0)
    )
    fatigue_state = np.where(paused, "paused", np.where(h_deg >= 0.5, "degraded", "active"))
    tier = np.select(
        [h_deg < 0.25, h_deg < 0.5, h_deg < 0.75], ["low", "medium", "high"], "critical"
    ).astype(object)
    with np.errstate(divide="ignore"):
        remaining = np.where(
            slope < 0, np.minimum(_LIFESPAN_CAP, _LIFESPAN_DROP / slope), _LIFESPAN_CAP
        )
    launch_to_pause = age - np.nan_to_num(paused_ago, nan=0.0)
    lifespan = np.where(paused, np.maximum(launch_to_pause, 0.0), age + remaining)

    # --- reason codes
    confidence = {
        layer: _band(ev, _CONFIDENCE_MEDIUM, _CONFIDENCE_HIGH)
        for layer, ev in (
            ("attention", clicks),
            ("click_intent", clicks),
            ("postclick_messaging", convs),
            ("pipeline", pipe_n),
            ("attributed_revenue", cash_n),
        )
    }
    metric = {
        "attention": ctr,
        "click_intent": cpc,
        "postclick_messaging": cost_per_conv,
        "pipeline": cost_per_pipe,
        "attributed_revenue": roas,
    }
    trend_conf = _band(recent_clicks, _CONFIDENCE_MEDIUM, _CONFIDENCE_HIGH)
    reasons: list[list[dict[str, Any]]] = []
    for i in range(n):
        items: list[dict[str, Any]] = []
        for layer in LAYERS:
            p = pct[layer][i]
            if np.isnan(p) or _WEAKNESS_PCT < p < _STRENGTH_PCT:
                continue
            polarity = "strength" if p >= _STRENGTH_PCT else "weakness"
            items.append(
                {
                    "layer": layer,
                    "polarity": polarity,
                    "percentile": round(float(p), 1),
                    "sample_confidence": str(confidence[layer][i]),
                    "code": f"{layer}_{polarity}",
                    "metric_value": _json_float(metric[layer][i]),
                }
            )
        if forecast[i] > 0:
            items.append(
                {
                    "layer": "forecast",
                    "polarity": "forecast",
                    "percentile": None,
                    "sample_confidence": str(forecast_conf[i]),
                    "code": "forecast_outcomes_7d",
                    "metric_value": _json_float(forecast[i]),
                }
            )
        if fatigue_state[i] == "degraded" or tier[i] in ("high", "critical"):
            items.append(
                {
                    "layer": "fatigue",
                    "polarity": "fatigue",
                    "percentile": None,
                    "sample_confidence": str(trend_conf[i]),
                    "code": f"fatigue_{tier[i]}",
                    "metric_value": _json_float(h_deg[i]),
                }
            )
        reasons.append(items)

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
        "top_performer_likelihood": likelihood,
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
        "forecast_outcomes_7d": forecast,
        "forecast_outcomes_7d_low": forecast_low,
        "forecast_outcomes_7d_high": forecast_high,
        "forecast_confidence": forecast_conf,
        "hazard_30d_pause": h_pause,
        "hazard_30d_degradation": h_deg,
        "fatigue_state": fatigue_state.astype(object),
        "fatigue_risk_tier": tier,
        "expected_lifespan_days": lifespan,
    }
    order = np.lexsort((np.array(columns["ad_external_id"], dtype=object), -spend, -composite))
    frame = pd.DataFrame({name: _take(columns[name], order) for name in FIELDS})
    return frame


def _headline_kind(own: str | None, signal: dict[str, float]) -> str:
    """The objective's own kind when the ad has it, else the first it has, else none."""
    for kind in (own, *_FALLBACK_OUTCOMES):
        if kind is not None and signal[kind] > 0:
            return kind
    return "none"


def _take(values: Any, order: IntArray) -> Any:
    if isinstance(values, np.ndarray) and values.dtype != object:
        return np.asarray(values, dtype=np.float64)[order]
    # Lists and object arrays stay Python objects so None (not NaN) marks a null.
    return pd.Series([values[i] for i in order], dtype=object)


def _json_float(value: float) -> float | None:
    return None if value is None or not np.isfinite(value) else float(value)
