"""Grades of the sandbox's scored ads: maturity, likelihood, truth grade, headline outcome.

``sandbox.scoring.score_ads`` labels each top-performer row with these,
from the ad's sums over the window, its age and its composite score.

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
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import special

__all__ = [
    "MODEL_VERSION",
    "likelihood",
    "maturity_stage",
    "primary_outcome_kind",
    "truth_grade",
]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
ObjectArray = npt.NDArray[np.object_]

# Thresholds, named so the docstring and the code say the same thing.
_LIKELIHOOD_CENTER, _LIKELIHOOD_SCALE = 70.0, 8.0
_MODEL_CENTER, _MODEL_SCALE, MODEL_VERSION = 65.0, 6.0, 3
_MODEL_STAGES = ("mature", "calibrated")
_MATURITY = {
    "cold": (1_000.0, 10.0, 3),
    "early": (10_000.0, 100.0, 14),
    "calibrated": (100_000.0, 1_000.0, 28),
}
# The headline kind an objective's ads show when they have it (the reference page's rule).
_OBJECTIVE_OUTCOME = {"sales": "cash", "leads": "pipeline", "messaging": "messaging"}
# Otherwise the first kind the ad has, in this order; "none" when it has none.
_FALLBACK_OUTCOMES = ("cash", "pipeline", "messaging", "meta")


def maturity_stage(impressions: FloatArray, spend: FloatArray, age: FloatArray) -> ObjectArray:
    """Each ad's ``maturity_stage`` from its window's impressions and spend and its age.

    Examples
    --------
    >>> maturity_stage(np.array([500.0, 200_000.0]), np.array([50.0, 2_000.0]),
    ...                np.array([30.0, 30.0])).tolist()
    ['cold', 'calibrated']
    """

    def below(stage: str) -> npt.NDArray[np.bool_]:
        imp_t, spend_t, age_t = _MATURITY[stage]
        return np.asarray((impressions < imp_t) | (spend < spend_t) | (age < age_t))

    return np.where(
        below("cold"),
        "cold",
        np.where(below("early"), "early", np.where(below("calibrated"), "mature", "calibrated")),
    ).astype(object)


def likelihood(composite: FloatArray, maturity: ObjectArray) -> tuple[FloatArray, BoolArray]:
    """Each ad's ``top_performer_likelihood``, and whether the model (not the rules) gave it.

    Examples
    --------
    >>> p, by_model = likelihood(np.array([65.0, 70.0]), np.array(["mature", "cold"]))
    >>> p.tolist(), by_model.tolist()
    ([0.5, 0.5], [True, False])
    """
    by_model = np.isin(maturity, _MODEL_STAGES)
    value = np.where(
        by_model,
        special.expit((composite - _MODEL_CENTER) / _MODEL_SCALE),
        special.expit((composite - _LIKELIHOOD_CENTER) / _LIKELIHOOD_SCALE),
    )
    return value, by_model


def truth_grade(lift: BoolArray, attributed: FloatArray) -> ObjectArray:
    """Each ad's ``truth_grade`` from its lift-study flag and attributed outcomes (cash + pipeline).

    Examples
    --------
    >>> truth_grade(np.array([True, False, False]), np.array([0.0, 2.0, 0.0])).tolist()
    ['lift', 'attributed', 'predicted']
    """
    return np.where(lift, "lift", np.where(attributed > 0, "attributed", "predicted")).astype(
        object
    )


def primary_outcome_kind(
    objectives: Sequence[Any], signal: Mapping[str, FloatArray]
) -> ObjectArray:
    """Each ad's ``primary_outcome_kind``: its objective's own kind if it has it, else the first.

    Parameters
    ----------
    objectives : sequence
        Each ad's objective.
    signal : mapping of str to numpy.ndarray
        ``cash``, ``pipeline``, ``messaging`` and ``meta``: each ad's count of that kind.

    Returns
    -------
    numpy.ndarray of str

    Examples
    --------
    >>> signal = {"cash": np.array([1.0, 1.0]), "pipeline": np.array([2.0, 0.0]),
    ...           "messaging": np.array([0.0, 0.0]), "meta": np.array([0.0, 0.0])}
    >>> primary_outcome_kind(["leads", "traffic"], signal).tolist()
    ['pipeline', 'cash']
    """
    return np.array(
        [
            _headline_kind(_OBJECTIVE_OUTCOME.get(str(o)), {k: v[i] for k, v in signal.items()})
            for i, o in enumerate(objectives)
        ],
        dtype=object,
    )


def _headline_kind(own: str | None, signal: dict[str, float]) -> str:
    """The objective's own kind when the ad has it, else the first it has, else none."""
    for kind in (own, *_FALLBACK_OUTCOMES):
        if kind is not None and signal[kind] > 0:
            return kind
    return "none"
