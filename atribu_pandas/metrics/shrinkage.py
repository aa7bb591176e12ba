"""Empirical-Bayes estimates of each ad's CTR or ROAS, shrunk toward its cohort."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from atribu_pandas.exceptions import ArgumentError, warn_renamed
from atribu_pandas.metrics.common import (
    _LOADER_TOP,
    FloatArray,
    IntArray,
    _as_float,
    _as_list,
    _derived_attrs,
    require_columns,
    safe_divide,
)

__all__ = ["SHRINK_METRICS", "shrink"]

SHRINK_METRICS: tuple[str, ...] = ("ctr", "roas")

# An empirical-Bayes prior stronger than this is complete pooling; the cap keeps the
# beta and gamma quantiles finite when the cohort shows no spread beyond noise.
_MAX_PRIOR_STRENGTH = 1e9
_MIN_SHAPE = 1e-12


def _confidence(confidence: Any, level: Any) -> float:
    if level is not None:
        if confidence != 0.9:
            raise ArgumentError("level", level, "left out when confidence is given (its new name)")
        warn_renamed("shrink(level=)", "shrink(confidence=)")
        confidence = level
    allowed = "a probability strictly between 0 and 1"
    if isinstance(confidence, bool) or not isinstance(confidence, int | float | np.number):
        raise ArgumentError("confidence", confidence, allowed)
    if not 0 < float(confidence) < 1:  # also refuses NaN
        raise ArgumentError("confidence", confidence, allowed)
    return float(confidence)


def shrink(
    df: pd.DataFrame,
    metric: str = "ctr",
    by: str | Sequence[str] = "cohort_key",
    *,
    confidence: float = 0.9,
    level: float | None = None,
) -> pd.DataFrame:
    """Empirical-Bayes estimate of each ad's ``metric``, shrunk toward its cohort.

    ``ctr`` uses a beta-binomial model: clicks out of impressions (clicks implied as
    ``ctr * impressions / 100`` when absent), a beta prior per cohort with the cohort's
    pooled CTR as mean and a strength fitted by the method of moments (the spread of the
    ads' CTRs beyond binomial noise). ``roas`` uses a gamma-Poisson model: revenue counted
    in units of the cohort's average order value (revenue / cash outcomes) per dollar of
    spend, a gamma prior with the cohort's pooled ROAS as mean. Either way the estimate is
    ``weight * cohort_mean + (1 - weight) * raw``, so an ad with little evidence (few
    impressions, little spend) lands near its cohort, with a wide interval. A cohort whose
    ads differ no more than noise pools completely; a cohort with a single ad (common in a
    top-50 list, where cohorts are fine-grained) uses the whole frame as its cohort, and
    its ``cohort_mean`` says so.

    Parameters
    ----------
    df : pandas.DataFrame
        A frame from ``ap.load_top_performers``.
    metric : {"ctr", "roas"}, default "ctr"
        The figure estimated per ad.
    by : str or list of str, default "cohort_key"
        The cohort columns: each ad is shrunk toward the pooled figure of the ads that
        share its values.
    confidence : float, default 0.9
        Probability of the credible interval.
    level : float, optional
        The old name of ``confidence`` (deprecated: ``level`` names the hierarchy, campaign,
        ad set or ad, everywhere else).

    Returns
    -------
    pandas.DataFrame
        Indexed like ``df``: ``ad_external_id``, ``ad_name``, the cohort columns,
        ``evidence`` (impressions for ctr, spend for roas), ``raw``, ``estimate``,
        ``low``, ``high`` (the credible interval), ``weight`` (0 = the ad's own figure,
        1 = the cohort mean) and ``cohort_mean`` (the prior mean the ad was shrunk
        toward), all in the metric's units (ctr in %).

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> sb = ap.sandbox.start()
    >>> top = ap.load_top_performers(limit=50, client=sb.client())
    >>> top.atribu.shrink("ctr")[["ad_name", "raw", "estimate", "weight"]]  # doctest: +SKIP
    >>> sb.stop()
    """
    from scipy import stats

    if metric not in SHRINK_METRICS:
        raise ArgumentError("metric", metric, f"one of {list(SHRINK_METRICS)}")
    confidence = _confidence(confidence, level)
    keys = _as_list(by)
    parts = (
        ["impressions", "clicks" if "clicks" in df.columns else "ctr"]
        if metric == "ctr"
        else ["spend", "attributed_revenue", "attributed_cash_outcomes"]
    )
    require_columns(df, [*keys, "ad_external_id", *parts], method="shrink", loader=_LOADER_TOP)
    codes = df.groupby(keys, observed=True, sort=False, dropna=False).ngroup().to_numpy()
    lo_q, hi_q = (1 - confidence) / 2, 1 - (1 - confidence) / 2

    if metric == "ctr":
        n = np.nan_to_num(_as_float(df["impressions"]))
        if "clicks" in df.columns:
            x = np.nan_to_num(_as_float(df["clicks"]))
        else:
            x = np.round(np.nan_to_num(_as_float(df["ctr"])) * n / 100.0)
        x = np.clip(x, 0, n)
        mu, kappa = _fit_prior(x, n, codes, lambda m, _aov: m * (1 - m), offset=1.0)
        a = np.maximum(mu * kappa + x, _MIN_SHAPE)
        b = np.maximum((1 - mu) * kappa + n - x, _MIN_SHAPE)
        low, high = stats.beta.ppf([[lo_q], [hi_q]], a, b) * 100.0
        scale = 100.0
    else:
        n = np.nan_to_num(_as_float(df["spend"]))
        x = np.nan_to_num(_as_float(df["attributed_revenue"]))
        outcomes = np.nan_to_num(_as_float(df["attributed_cash_outcomes"]))
        aov = _group_ratio(x, outcomes, codes)
        aov = np.where(np.isfinite(aov) & (aov > 0), aov, _scalar_ratio(x, outcomes))
        aov = np.where(np.isfinite(aov) & (aov > 0), aov, 1.0)
        mu, kappa = _fit_prior(x, n, codes, lambda m, v: m * v, offset=0.0, aov=aov)
        shape = np.maximum((mu * kappa + x) / aov, _MIN_SHAPE)
        gscale = aov / np.maximum(kappa + n, _MIN_SHAPE)
        low, high = stats.gamma.ppf([[lo_q], [hi_q]], shape, scale=gscale)
        scale = 1.0

    weight = safe_divide(kappa, kappa + n)
    weight[n == 0] = 1.0
    raw = safe_divide(x, n, scale)
    estimate = safe_divide(mu * kappa + x, kappa + n, scale)
    cols: dict[str, Any] = {"ad_external_id": df["ad_external_id"]}
    if "ad_name" in df.columns:
        cols["ad_name"] = df["ad_name"]
    for key in keys:
        cols[key] = df[key]
    cols.update(
        evidence=n,
        raw=raw,
        estimate=estimate,
        low=low,
        high=high,
        weight=weight,
        cohort_mean=mu * scale,
    )
    out = pd.DataFrame(cols, index=df.index)
    out.attrs = _derived_attrs(df, "shrink")
    return out


def _group_sum(values: FloatArray, codes: IntArray) -> FloatArray:
    out = np.bincount(codes, weights=values, minlength=int(codes.max()) + 1)
    return out.astype("float64", copy=False)


def _group_ratio(num: FloatArray, den: FloatArray, codes: IntArray) -> FloatArray:
    if len(codes) == 0:
        return np.zeros(0)
    return safe_divide(_group_sum(num, codes), _group_sum(den, codes))[codes]


def _scalar_ratio(num: FloatArray, den: FloatArray) -> float:
    total = float(den.sum())
    return float(num.sum()) / total if total else np.nan


def _fit_prior(
    x: FloatArray,
    n: FloatArray,
    codes: IntArray,
    noise: Any,
    *,
    offset: float,
    aov: FloatArray | None = None,
) -> tuple[FloatArray, FloatArray]:
    """Per-ad prior mean and strength (pseudo-exposure) by the method of moments.

    With ``p_i = x_i / n_i`` and pooled mean ``mu``, the exposure-weighted variance of
    the ``p_i`` is ``tau2 + k * noise(mu) / sum(n)``: the between-ad variance plus the
    sampling noise of ``k`` ads. The prior strength is ``noise(mu) / tau2 - offset``.
    """
    if len(x) == 0:
        return np.zeros(0), np.zeros(0)
    aov_arr = aov if aov is not None else np.ones_like(x)

    def fit(group: IntArray) -> tuple[FloatArray, FloatArray]:
        size = int(group.max()) + 1
        total_n = _group_sum(n, group)
        mu = safe_divide(_group_sum(x, group), total_n)
        mu = np.nan_to_num(mu)[group]
        has = n > 0
        p = np.where(has, safe_divide(x, n), 0.0)
        spread = safe_divide(_group_sum(n * (p - mu) ** 2, group), total_n)[group]
        k = np.bincount(group, weights=has.astype(float), minlength=size)[group]
        noise_mu = noise(mu, aov_arr)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            tau2 = spread - k * noise_mu / total_n[group]
            kappa = noise_mu / tau2 - offset
        kappa = np.where(tau2 > 0, kappa, _MAX_PRIOR_STRENGTH)
        kappa = np.clip(np.nan_to_num(kappa, nan=_MAX_PRIOR_STRENGTH), 1e-9, _MAX_PRIOR_STRENGTH)
        return mu, np.where(k >= 2, kappa, np.nan)

    mu, kappa = fit(codes)
    # A cohort with fewer than two ads says nothing about spread: its ads use the whole
    # frame as their cohort (mean and strength), rather than shrinking toward themselves.
    alone = np.isnan(kappa)
    if alone.any():
        mu_all, kappa_all = fit(np.zeros_like(codes))
        mu = np.where(alone, mu_all, mu)
        kappa = np.where(alone, np.nan_to_num(kappa_all, nan=_MAX_PRIOR_STRENGTH), kappa)
    return mu, kappa
