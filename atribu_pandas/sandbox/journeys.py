"""Visitor journeys of the sandbox: touches, the outcomes they end in, and their credit.

``sandbox.dataset`` makes the ads and their daily delivery; this
module turns that delivery into people who convert, so outcomes grow with clicks
and a model's credit always lands on an ad that delivered on the day it was touched.

How a journey is made (all draws from one seeded generator, all vectorised):

1. **Anchors.** On every ad-day, ``Poisson(clicks * rate)`` visitors start a journey
   with an ``ad_click`` on that ad and ``Poisson(impressions / 1000 * view_rate)``
   with an ``ad_view``; ``rate`` depends on the campaign's objective and on the ad's
   conversion quality. On every day ``Poisson(organic_rate)`` journeys start with
   no ad at all.
2. **First outcome.** Its kind follows the objective (messaging ads mostly start
   conversations, lead ads leads, sales ads cash payments) and it happens after a
   lag (minutes for a conversation, days for a payment).
3. **Other touches.** ``Poisson(0.7)`` more paid touches on ads picked in
   proportion to their impressions on the chosen day (so the ad did deliver that
   day), and ``Poisson(0.9)`` non-paid ones (``direct``, ``organic_search``,
   ``email``, ``referral``), up to 28 days before the first outcome.
4. **Follow-ups.** A conversation gets a first reply (65%) and sometimes a cash
   payment (12%); a lead an appointment (50%), an appointment a ``closed_won``
   with a projected value (45%), and a ``closed_won`` a cash payment (80%).
   Outcomes after the last day are dropped (they have not happened yet).

Each outcome is a conversion whose touchpoints are all its journey's touches, and
``sandbox.attribution.attribute`` shares it among them once per
model. Only ad touches credit ads; credit is summed per ad and per conversion day.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from atribu_pandas.core.vocabulary import MODELS
from atribu_pandas.sandbox.attribution import attribute_all

__all__ = [
    "CASH_KIND",
    "EVENT_KINDS",
    "NON_PAID_KINDS",
    "PIPELINE_KINDS",
    "TOUCH_KINDS",
    "Journeys",
    "simulate_journeys",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

# The events a journey ends in (the conversions' outcome_kind column). A different vocabulary
# from the API's outcome kinds (vocabulary.OUTCOME_KINDS: cash, pipeline, ...).
EVENT_KINDS: tuple[str, ...] = (
    "cash_payment",
    "lead",
    "appointment",
    "closed_won",
    "conversation_started",
    "first_reply",
)
CASH_KIND = "cash_payment"
PIPELINE_KINDS: tuple[str, ...] = ("lead", "appointment", "closed_won")
TOUCH_KINDS: tuple[str, ...] = (
    "ad_click",
    "ad_view",
    "direct",
    "organic_search",
    "email",
    "referral",
)
NON_PAID_KINDS: tuple[str, ...] = TOUCH_KINDS[2:]

_DAY = 86_400
_CASH, _LEAD, _APPT, _WON, _CONV, _REPLY = range(6)
_CLICK, _VIEW, _DIRECT = 0, 1, 2
# Journeys started per click, by objective (index of OBJECTIVES).
_CLICK_RATE = np.array([0.10, 0.022, 0.05, 0.008, 0.005])
_VIEW_RATE_PER_1000 = np.array([0.004, 0.006, 0.006, 0.002, 0.004])
# First-outcome mix (cash, lead, conversation) by objective.
_FIRST_MIX = np.array(
    [
        [0.05, 0.10, 0.85],
        [0.85, 0.10, 0.05],
        [0.10, 0.85, 0.05],
        [0.40, 0.40, 0.20],
        [0.40, 0.40, 0.20],
    ]
)
_ORGANIC_MIX = np.array([0.45, 0.35, 0.20])
# Mean lag from the anchor touch to the first outcome, in seconds, by first kind.
_FIRST_LAG = np.zeros(len(EVENT_KINDS))
_FIRST_LAG[[_CASH, _LEAD, _CONV]] = [2.0 * _DAY, 0.5 * _DAY, 1_200.0]
_NON_PAID_MIX = np.array([0.40, 0.30, 0.15, 0.15])
_LOOKBACK_DAYS = 28
_EXTRA_PAID_MEAN = 0.7
_NON_PAID_MEAN = 0.9
_ORGANIC_SHARE = 0.3  # organic-only journeys per day, as a share of paid ones


@dataclass(frozen=True)
class Journeys:
    """The outcomes of one profile and each model's credit to its ads.

    Attributes
    ----------
    conversions : pandas.DataFrame
        One row per outcome: ``conversion_id`` (int), ``journey_id`` (int),
        ``outcome_kind``, ``converted_at`` (datetime64[ns]), ``value`` (cash
        payments' amount, else 0) and ``projected_value`` (``closed_won`` only).
    touchpoints : pandas.DataFrame
        One row per touch of each conversion: ``conversion_id``, ``touched_at``,
        ``converted_at``, ``is_direct``, ``touch_kind``, ``ad_index`` (-1 when
        not an ad), ``outcome_kind``, and one ``credit_<model>`` column per model.
    cash_count, cash_value : dict of str to numpy.ndarray
        Per model, arrays of shape ``(n_ads, n_days)``: the summed credit of
        cash payments and credit times value, by ad and conversion day.
    last_touch : dict of str to numpy.ndarray
        Last-touch credit by ad and conversion day for ``pipeline_outcomes``,
        ``pipeline_value``, ``conversations_started`` and ``first_replies``.
    """

    conversions: pd.DataFrame
    touchpoints: pd.DataFrame
    cash_count: dict[str, FloatArray]
    cash_value: dict[str, FloatArray]
    last_touch: dict[str, FloatArray]


def simulate_journeys(
    rng: np.random.Generator,
    impressions: IntArray,
    clicks: IntArray,
    objective: IntArray,
    quality: FloatArray,
    ticket: float,
    start: np.datetime64,
    pixel: npt.NDArray[np.bool_] | None = None,
) -> Journeys:
    """Make the journeys of one profile from its ads' daily delivery.

    Parameters
    ----------
    rng : numpy.random.Generator
        The profile's journey stream (the only source of randomness).
    impressions, clicks : numpy.ndarray
        Integer arrays of shape ``(n_ads, n_days)``: each ad's delivery per day.
    objective : numpy.ndarray
        Each ad's campaign objective, as an index into :data:`OBJECTIVES`.
    quality : numpy.ndarray
        Each ad's conversion-rate multiplier (1 is average).
    ticket : float
        The profile's mean cash payment.
    start : numpy.datetime64
        Midnight of the first day (day 0 of the arrays).
    pixel : numpy.ndarray of bool, optional
        Whether Atribu's pixel sees each ad's visitors (default: every ad). An ad it
        does not see starts no journey and is never an extra touch; the draws are the
        same either way (only their rates are zeroed), so other ads keep their data.

    Returns
    -------
    Journeys
        Conversions, touchpoints with every model's credit, and credit arrays.

    Examples
    --------
    >>> import numpy as np
    >>> imps = np.full((1, 30), 2_000)
    >>> clicks = np.full((1, 30), 40)
    >>> j = simulate_journeys(
    ...     np.random.default_rng(0), imps, clicks, np.array([1]), np.array([1.0]),
    ...     150.0, np.datetime64("2025-01-01"),
    ... )
    >>> bool(j.cash_count["linear"].sum() <= (j.conversions.outcome_kind == "cash_payment").sum())
    True
    """
    n_ads, n_days = impressions.shape
    seen = np.ones(n_ads) if pixel is None else np.asarray(pixel, dtype=np.float64)
    # The draws below come in one fixed order (the data depends on it, byte for byte):
    # anchors, organic journeys, touches, outcomes, money.
    anchors = _anchors(rng, impressions, clicks, objective, quality, seen)
    org_first, org_first_time = _organic(rng, anchors.day.size, n_days)
    first_kind = np.concatenate([anchors.first_kind, org_first])
    first_time = np.concatenate([anchors.first_time, org_first_time])
    t_journey, t_time, t_kind, t_ad = _touches(
        rng, anchors, first_time, impressions * seen[:, None].astype(np.int64)
    )

    # 2 and 4. outcomes: the first one, then the follow-ups stage by stage.
    journey = np.arange(first_kind.size)
    ev_journey, ev_kind, ev_time = _outcomes(rng, journey, first_kind, first_time)
    keep = ev_time < n_days * _DAY
    ev_journey, ev_kind, ev_time = ev_journey[keep], ev_kind[keep], ev_time[keep]
    value = np.where(ev_kind == _CASH, _money(rng, ticket, 0.55, ev_kind.size), 0.0)
    projected = np.where(ev_kind == _WON, _money(rng, 2.5 * ticket, 0.6, ev_kind.size), 0.0)

    # Each outcome's touchpoints: all of its journey's touches (they precede its first outcome).
    bounds = np.searchsorted(t_journey, np.arange(journey.size + 1))
    counts = (bounds[1:] - bounds[:-1])[ev_journey]
    row_conv = np.repeat(np.arange(ev_kind.size), counts)
    offset = np.arange(row_conv.size) - np.repeat(np.cumsum(counts) - counts, counts)
    row_touch = bounds[:-1][ev_journey][row_conv] + offset

    touched_at = start + t_time[row_touch].astype("timedelta64[s]")
    converted_at = start + ev_time[row_conv].astype("timedelta64[s]")
    touchpoints = pd.DataFrame(
        {
            "conversion_id": row_conv,
            "touched_at": touched_at.astype("datetime64[ns]"),
            "converted_at": converted_at.astype("datetime64[ns]"),
            "is_direct": t_kind[row_touch] == _DIRECT,
            "touch_kind": pd.Categorical.from_codes(t_kind[row_touch], pd.Index(TOUCH_KINDS)),
            "ad_index": t_ad[row_touch],
            "outcome_kind": pd.Categorical.from_codes(ev_kind[row_conv], pd.Index(EVENT_KINDS)),
        }
    )
    conversions = pd.DataFrame(
        {
            "conversion_id": np.arange(ev_kind.size),
            "journey_id": ev_journey,
            "outcome_kind": pd.Categorical.from_codes(ev_kind, pd.Index(EVENT_KINDS)),
            "converted_at": (start + ev_time.astype("timedelta64[s]")).astype("datetime64[ns]"),
            "value": value,
            "projected_value": projected,
        }
    )
    cell = t_ad[row_touch] * n_days + ev_time[row_conv] // _DAY
    cash_count, cash_value, last_touch = _credit(
        touchpoints, cell, t_ad[row_touch] >= 0, ev_kind[row_conv], (n_ads, n_days),
        value[row_conv], projected[row_conv],
    )  # fmt: skip
    return Journeys(conversions, touchpoints, cash_count, cash_value, last_touch)


@dataclass(frozen=True)
class _Anchors:
    """The ad-days that caused the paid journeys, and each journey's first outcome."""

    kind: IntArray
    ad: IntArray
    day: IntArray
    time: IntArray
    first_kind: IntArray
    first_time: IntArray


def _anchors(
    rng: np.random.Generator,
    impressions: IntArray,
    clicks: IntArray,
    objective: IntArray,
    quality: FloatArray,
    seen: FloatArray,
) -> _Anchors:
    """1. anchors: one journey per draw, on the ad-day that caused it."""
    n_days = impressions.shape[1]
    lam_click = clicks * (_CLICK_RATE[objective] * quality * seen)[:, None]
    lam_view = impressions / 1000.0 * (_VIEW_RATE_PER_1000[objective] * quality * seen)[:, None]
    n_click = rng.poisson(lam_click).ravel()
    n_view = rng.poisson(lam_view).ravel()
    cells = np.concatenate(
        [np.repeat(np.arange(n_click.size), n_click), np.repeat(np.arange(n_view.size), n_view)]
    )
    kind = np.concatenate([np.full(n_click.sum(), _CLICK), np.full(n_view.sum(), _VIEW)]).astype(
        np.int64
    )
    ad = cells // n_days
    day = cells % n_days
    time = day * _DAY + rng.integers(0, _DAY, day.size)
    first_kind = _first_kind(rng, _FIRST_MIX[objective[ad]])
    # Views convert later than clicks: a day's extra lag on average.
    view_lag = np.where(kind == _VIEW, rng.exponential(_DAY, day.size), 0.0)
    first_time = time + _lag(rng, first_kind) + view_lag.astype(np.int64)
    return _Anchors(kind, ad, day, time, first_kind, first_time)


def _organic(rng: np.random.Generator, n_paid: int, n_days: int) -> tuple[IntArray, IntArray]:
    """Journeys with no ad touch at all: their first outcome's kind and time."""
    per_day = _ORGANIC_SHARE * n_paid / n_days
    org_day = np.repeat(np.arange(n_days), rng.poisson(per_day, n_days))
    org_first = _first_kind(rng, np.broadcast_to(_ORGANIC_MIX, (org_day.size, 3)))
    org_first_time = org_day * _DAY + rng.integers(0, _DAY, org_day.size)
    return org_first, org_first_time


def _touches(
    rng: np.random.Generator, anchors: _Anchors, first_time: IntArray, visible: IntArray
) -> tuple[IntArray, IntArray, IntArray, IntArray]:
    """3. touches: anchors, extra paid touches and non-paid touches, before the first
    outcome; journey, time, kind and ad (-1: not an ad) of each, grouped by journey."""
    n_paid = anchors.day.size
    n_journeys = first_time.size
    journey = np.arange(n_journeys)
    extra = np.repeat(journey, rng.poisson(_EXTRA_PAID_MEAN, n_journeys))
    extra_time, extra_ad, extra_ok = _paid_touches(rng, visible, first_time[extra])
    extra_kind = np.where(rng.random(extra.size) < 0.5, _CLICK, _VIEW)
    n_non_paid = rng.poisson(_NON_PAID_MEAN, n_journeys)
    n_non_paid[n_paid:] += 1  # an organic journey needs at least one touch
    other = np.repeat(journey, n_non_paid)
    other_age = np.minimum(rng.exponential(6 * _DAY, other.size), _LOOKBACK_DAYS * _DAY)
    other_time = np.maximum(first_time[other] - other_age.astype(np.int64), 0)
    other_kind = _DIRECT + rng.choice(len(_NON_PAID_MIX), other.size, p=_NON_PAID_MIX)

    t_journey = np.concatenate([np.arange(n_paid), extra[extra_ok], other])
    t_time = np.concatenate([anchors.time, extra_time[extra_ok], other_time])
    t_kind = np.concatenate([anchors.kind, extra_kind[extra_ok], other_kind])
    t_ad = np.concatenate([anchors.ad, extra_ad[extra_ok], np.full(other.size, -1)])
    order = np.argsort(t_journey, kind="stable")
    return t_journey[order], t_time[order], t_kind[order], t_ad[order]


def _credit(
    touchpoints: pd.DataFrame,
    cell: IntArray,
    paid: npt.NDArray[np.bool_],
    kind: IntArray,
    shape: tuple[int, int],
    value: FloatArray,
    projected: FloatArray,
) -> tuple[dict[str, FloatArray], dict[str, FloatArray], dict[str, FloatArray]]:
    """Credit: every model once, summed per ad and conversion day over ad touches; adds
    each model's ``credit_<model>`` column to ``touchpoints``."""
    size = shape[0] * shape[1]
    cash = paid & (kind == _CASH)
    cash_count: dict[str, FloatArray] = {}
    cash_value: dict[str, FloatArray] = {}
    last_touch: dict[str, FloatArray] = {}
    # attribute_all places each touch in its journey once for all seven models.
    credits = attribute_all(touchpoints, MODELS)
    for model in MODELS:
        share = credits[model].to_numpy()
        touchpoints[f"credit_{model}"] = share
        cash_count[model] = _sum(cell[cash], share[cash], size, shape)
        cash_value[model] = _sum(cell[cash], (share * value)[cash], size, shape)
        if model == "last_touch":
            pipe = paid & (kind >= _LEAD) & (kind <= _WON)
            conv = paid & (kind == _CONV)
            reply = paid & (kind == _REPLY)
            last_touch = {
                "pipeline_outcomes": _sum(cell[pipe], share[pipe], size, shape),
                "pipeline_value": _sum(cell[pipe], (share * projected)[pipe], size, shape),
                "conversations_started": _sum(cell[conv], share[conv], size, shape),
                "first_replies": _sum(cell[reply], share[reply], size, shape),
            }
    return cash_count, cash_value, last_touch


def _sum(cell: IntArray, weight: FloatArray, size: int, shape: tuple[int, int]) -> FloatArray:
    total = np.bincount(cell, weights=weight, minlength=size).astype(np.float64)
    return total.reshape(shape)


def _first_kind(rng: np.random.Generator, mix: FloatArray) -> IntArray:
    """Draw cash, lead or conversation per row from the row's probabilities."""
    u = rng.random((mix.shape[0], 1))
    pick = (u > np.cumsum(mix, axis=1)[:, :-1]).sum(axis=1)
    return np.array([_CASH, _LEAD, _CONV], dtype=np.int64)[pick]


def _lag(rng: np.random.Generator, kind: IntArray) -> IntArray:
    return rng.exponential(_FIRST_LAG[kind]).astype(np.int64)


def _money(rng: np.random.Generator, mean: float, sigma: float, n: int) -> FloatArray:
    # A lognormal with the given mean, rounded to cents.
    draws = rng.lognormal(np.log(mean) - sigma**2 / 2, sigma, n)
    return np.round(draws, 2)


def _paid_touches(
    rng: np.random.Generator, impressions: IntArray, before: IntArray
) -> tuple[IntArray, IntArray, npt.NDArray[np.bool_]]:
    """Ad touches before each time, on an ad picked by its impressions that day.

    Returns the touch times, the ads and whether a touch exists (no ad delivered
    on the day drawn, or the day falls before day 0: no touch).
    """
    n_ads, n_days = impressions.shape
    age = np.minimum(rng.exponential(5 * _DAY, before.size), _LOOKBACK_DAYS * _DAY)
    at = before - age.astype(np.int64)
    day = at // _DAY
    ok = day >= 0
    day = np.clip(day, 0, n_days - 1)
    # Cells ordered day-major; a day's ads occupy [day * n_ads, (day + 1) * n_ads).
    weight = impressions.T.ravel().astype(np.float64)
    cum = np.cumsum(weight)
    day_end = cum[(np.arange(n_days) + 1) * n_ads - 1]
    day_start = np.concatenate([[0.0], day_end[:-1]])
    total = (day_end - day_start)[day]
    ok &= total > 0
    target = day_start[day] + rng.random(before.size) * total
    cellpos = np.minimum(np.searchsorted(cum, target, side="right"), cum.size - 1)
    ad = cellpos % n_ads
    # Any time of that day, but never after the outcome it leads to.
    time = np.minimum(day * _DAY + rng.integers(0, _DAY, before.size), before)
    return time, ad, ok


def _outcomes(
    rng: np.random.Generator, journey: IntArray, kind: IntArray, time: IntArray
) -> tuple[IntArray, IntArray, IntArray]:
    """The first outcomes plus their follow-ups, concatenated stage by stage."""
    parts_j, parts_k, parts_t = [journey], [kind], [time]

    def follow(src: npt.NDArray[np.bool_], p: float, new: int, mean_lag: float) -> None:
        jj = np.concatenate(parts_j)[src]
        tt = np.concatenate(parts_t)[src]
        hit = rng.random(jj.size) < p
        lag = (rng.exponential(mean_lag, jj.size) + 60).astype(np.int64)
        parts_j.append(jj[hit])
        parts_k.append(np.full(int(hit.sum()), new, dtype=np.int64))
        parts_t.append(tt[hit] + lag[hit])

    def is_kind(k: int) -> npt.NDArray[np.bool_]:
        return np.concatenate(parts_k) == k

    follow(is_kind(_CONV), 0.65, _REPLY, 2 * 3_600.0)
    follow(is_kind(_CONV), 0.12, _CASH, 4 * _DAY)
    follow(is_kind(_LEAD), 0.50, _APPT, 4 * _DAY)
    follow(is_kind(_APPT), 0.45, _WON, 1 * _DAY)
    follow(is_kind(_WON), 0.80, _CASH, 2 * _DAY)
    return np.concatenate(parts_j), np.concatenate(parts_k), np.concatenate(parts_t)
