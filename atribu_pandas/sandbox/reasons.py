"""Reason codes of the sandbox's top-performer rows: why an ad ranks where it does.

``sandbox.scoring.score_ads`` lists, per ad, the layers that stand out
of its peer group and the forecast and fatigue signals, with :func:`reason_codes`.

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
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from atribu_pandas.sandbox.outlook import Fatigue, Forecast, _band

__all__ = ["reason_codes"]

FloatArray = npt.NDArray[np.float64]

# Thresholds, named so the docstring and the code say the same thing.
_STRENGTH_PCT, _WEAKNESS_PCT = 75.0, 25.0
_CONFIDENCE_MEDIUM, _CONFIDENCE_HIGH = 10.0, 50.0


def reason_codes(
    percentiles: Mapping[str, FloatArray],
    events: Mapping[str, FloatArray],
    metrics: Mapping[str, FloatArray],
    forecast: Forecast,
    recent_clicks: FloatArray,
    fatigue: Fatigue,
) -> list[list[dict[str, Any]]]:
    """The ``reason_codes`` of each ad: its strong and weak layers, forecast and fatigue.

    Parameters
    ----------
    percentiles : mapping of str to numpy.ndarray
        Per layer, in the order the entries are listed, each ad's percentile within its peer
        group (NaN where the layer is not available).
    events : mapping of str to numpy.ndarray
        Per layer, each ad's count of the layer's event (it sets ``sample_confidence``).
    metrics : mapping of str to numpy.ndarray
        Per layer, each ad's raw metric (``metric_value``; NaN becomes None).
    forecast : Forecast
        The 7-day forecast (an entry when it is above 0).
    recent_clicks : numpy.ndarray
        Each ad's clicks in the recent period (the fatigue entry's confidence).
    fatigue : Fatigue
        The fatigue fields (an entry when degraded or the tier is high or critical).

    Returns
    -------
    list of list of dict
        One list per ad, in the order of the arrays.

    Examples
    --------
    >>> from atribu_pandas.sandbox.outlook import fatigue, forecast_outcomes
    >>> no = np.array([False])
    >>> fc = forecast_outcomes(np.array([0.0]), 14, no)
    >>> fat = fatigue(np.array([0.0]), np.array([80.0]), no, np.array([30.0]), np.array([np.nan]))
    >>> codes = reason_codes({"attention": np.array([90.0])}, {"attention": np.array([12.0])},
    ...                      {"attention": np.array([2.5])}, fc, np.array([12.0]), fat)
    >>> [(r["code"], r["sample_confidence"], r["metric_value"]) for r in codes[0]]
    [('attention_strength', 'medium', 2.5)]
    """
    confidence = {
        layer: _band(ev, _CONFIDENCE_MEDIUM, _CONFIDENCE_HIGH) for layer, ev in events.items()
    }
    trend_conf = _band(recent_clicks, _CONFIDENCE_MEDIUM, _CONFIDENCE_HIGH)
    outcomes, forecast_conf = forecast.outcomes_7d, forecast.confidence
    state, tier = fatigue.fatigue_state, fatigue.fatigue_risk_tier
    h_deg = fatigue.hazard_30d_degradation
    reasons: list[list[dict[str, Any]]] = []
    for i in range(len(outcomes)):
        items: list[dict[str, Any]] = []
        for layer, pct in percentiles.items():
            p = pct[i]
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
                    "metric_value": _json_float(metrics[layer][i]),
                }
            )
        if outcomes[i] > 0:
            items.append(
                {
                    "layer": "forecast",
                    "polarity": "forecast",
                    "percentile": None,
                    "sample_confidence": str(forecast_conf[i]),
                    "code": "forecast_outcomes_7d",
                    "metric_value": _json_float(outcomes[i]),
                }
            )
        if state[i] == "degraded" or tier[i] in ("high", "critical"):
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
    return reasons


def _json_float(value: float) -> float | None:
    return None if value is None or not np.isfinite(value) else float(value)
