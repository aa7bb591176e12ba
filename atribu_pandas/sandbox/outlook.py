"""Forecast and fatigue of the sandbox's scored ads, from their recent delivery.

``sandbox.scoring.score_ads`` fills each top-performer row's forecast
fields with :func:`forecast_outcomes` and its fatigue fields with :func:`ctr_slope` and
:func:`fatigue`; the composite score and the ad's age come from there.

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

import math
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
from scipy import special, stats

from atribu_pandas.sandbox.smoothing import _gsum

__all__ = [
    "RECENT_DAYS",
    "Fatigue",
    "Forecast",
    "ctr_slope",
    "fatigue",
    "forecast_outcomes",
    "recent_days",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]
ObjectArray = npt.NDArray[np.object_]

RECENT_DAYS = 14

# Thresholds, named so the docstring and the code say the same thing.
_FORECAST_MEDIUM, _FORECAST_HIGH = 5.0, 20.0
_DEGRADATION_DROP = math.log(0.8)
_LIFESPAN_DROP = math.log(0.7)
_LIFESPAN_CAP = 365.0
_TREND_SHRINK_CLICKS = 50.0


class Forecast(NamedTuple):
    """The next 7 days' attributed outcomes per ad, with the 80% band and its confidence."""

    outcomes_7d: FloatArray
    low: FloatArray
    high: FloatArray
    confidence: ObjectArray


class Fatigue(NamedTuple):
    """The fatigue fields per ad, named as in the top-performers row."""

    hazard_30d_degradation: FloatArray
    hazard_30d_pause: FloatArray
    fatigue_state: ObjectArray
    fatigue_risk_tier: ObjectArray
    expected_lifespan_days: FloatArray


def recent_days(window_days: int | None) -> int:
    """Days of the recent period: ``min(window days, 14)``, 14 for ``lifetime`` (None).

    Examples
    --------
    >>> recent_days(7), recent_days(28), recent_days(None)
    (7, 14, 14)
    """
    return min(window_days or RECENT_DAYS, RECENT_DAYS)


def forecast_outcomes(outcomes: FloatArray, days: int, paused: BoolArray) -> Forecast:
    """Forecast each ad's next 7 days of outcomes from its ``k`` outcomes of the last ``days``.

    Parameters
    ----------
    outcomes : numpy.ndarray
        Attributed outcomes (cash + pipeline) per ad in the recent period.
    days : int
        The recent period's length ``D`` (:func:`recent_days`).
    paused : numpy.ndarray of bool
        Whether each ad is paused (it forecasts 0, band [0, 0], confidence high).

    Returns
    -------
    Forecast
        ``7 k / D``, the Garwood 80% band and the confidence band of ``k``.

    Examples
    --------
    >>> f = forecast_outcomes(np.array([0.0, 28.0]), 14, np.array([False, False]))
    >>> f.outcomes_7d.tolist(), f.low.tolist()[0], f.confidence.tolist()
    ([0.0, 14.0], 0.0, ['low', 'high'])
    """
    k = outcomes
    scale = 7.0 / days
    forecast = np.where(paused, 0.0, scale * k)
    low_q = stats.gamma.ppf(0.10, np.where(k > 0, k, 1.0))
    forecast_low = np.where(paused | (k <= 0), 0.0, scale * low_q)
    forecast_high = np.where(paused, 0.0, scale * stats.gamma.ppf(0.90, k + 1.0))
    forecast_conf = np.where(paused, "high", _band(k, _FORECAST_MEDIUM, _FORECAST_HIGH)).astype(
        object
    )
    return Forecast(forecast, forecast_low, forecast_high, forecast_conf)


def ctr_slope(
    codes: IntArray, clicks: FloatArray, impressions: FloatArray, day: FloatArray, n: int
) -> tuple[FloatArray, FloatArray]:
    """Each ad's shrunk daily slope of its log CTR over the recent days, and its clicks.

    Parameters
    ----------
    codes : numpy.ndarray of int
        The ad (0..n-1) of each recent delivery day.
    clicks, impressions : numpy.ndarray
        That day's clicks and impressions.
    day : numpy.ndarray
        That day's number (any origin: days before ``as_of`` as negative numbers, say).
    n : int
        The number of ads.

    Returns
    -------
    tuple of numpy.ndarray
        The slope ``s`` per ad (0 with fewer than 3 days) and the ad's clicks ``C``.

    Examples
    --------
    >>> slope, clicks = ctr_slope(np.zeros(3, dtype=np.intp), np.array([99.5, 49.5, 24.5]),
    ...                           np.array([9999.0, 9999.0, 9999.0]), np.array([0.0, 1, 2]), 1)
    >>> bool(slope[0] < 0), clicks.tolist()
    (True, [173.5])
    """
    rc, rclicks, x = codes, clicks, day
    y = np.log((rclicks + 0.5) / (impressions + 1.0))
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
    return slope, recent_clicks


def fatigue(
    slope: FloatArray,
    composite: FloatArray,
    paused: BoolArray,
    age: FloatArray,
    paused_ago: FloatArray,
) -> Fatigue:
    """The fatigue fields of each ad from its CTR slope (see the module docstring).

    Parameters
    ----------
    slope : numpy.ndarray
        The shrunk slope ``s`` of :func:`ctr_slope`.
    composite : numpy.ndarray
        The composite score (0..100).
    paused : numpy.ndarray of bool
        Whether each ad is paused.
    age : numpy.ndarray
        Days from launch to ``as_of``, both counted.
    paused_ago : numpy.ndarray
        Days from the pause to ``as_of`` (NaN without a pause day).

    Returns
    -------
    Fatigue

    Examples
    --------
    >>> f = fatigue(np.array([0.0, -0.02]), np.array([50.0, 50.0]), np.array([False, False]),
    ...             np.array([30.0, 30.0]), np.array([np.nan, np.nan]))
    >>> f.fatigue_state.tolist(), f.fatigue_risk_tier.tolist()
    (['active', 'degraded'], ['low', 'critical'])
    """
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
    return Fatigue(h_deg, h_pause, fatigue_state.astype(object), tier, lifespan)


def _band(count: FloatArray, medium: float, high: float) -> ObjectArray:
    """``low`` below ``medium``, ``medium`` below ``high``, else ``high`` (a sample's size)."""
    return np.where(count >= high, "high", np.where(count >= medium, "medium", "low")).astype(
        object
    )
