"""The sandbox's ads and their daily delivery, drawn from a fixed plan per profile.

A plan (``PLANS``) names a profile's campaigns (objective,
channel, evergreen or seasonal) and the audience warmth of each ad set.
:func:`simulate_delivery` draws the rest from seeded generators
(``seeded``):

* **Structure** (``structure``). Ad sets and ads with names
  a marketer recognises, creative DNA (format, hook, CTA, angle, offers, video, warmth,
  geo, placement), a launch day and, for ads that stopped before the last day, a pause
  day. An ad set or a campaign is ``active`` while any of its children is. Budgets sit
  on the campaign (CBO) or on each ad set.
* **Spend.** Each budget is shared every day among its live ads by a weight that
  decays with the ad's age (fatigue: older creative wins fewer auctions), times a
  weekly profile (weekends lower), a yearly wave, a pacing factor and lognormal
  noise; 2% of live ad-days have no delivery. Budgets are scaled so the last 91
  days average the plan's monthly spend, then rounded to whole dollars (or $5).
  Spend is whole cents.
* **Impressions, clicks, reach.** Impressions are Poisson on spend / CPM (CPM by
  placement and warmth), clicks binomial on impressions with a CTR that decays
  with age to 55% of its start, daily reach binomial on impressions with a
  frequency that grows with age. So ``clicks <= impressions`` and
  ``reach <= impressions`` hold on every day.
* **Platform figures.** Meta-reported conversions are Poisson on clicks with a
  noisy, inflated rate (never the truth the journeys give), and a daily
  engagement score in 0..1 decays with fatigue.

Vocabularies follow Atribu's reference page (creative formats, audience warmth and
objectives: see ``structure``). The ``/campaigns`` rows carry
status and objective as the ad platforms send them (Meta's ``ACTIVE``/``PAUSED`` and
``OUTCOME_SALES``..., Google's ``ENABLED``/``PAUSED`` and campaign type ``SEARCH``), and
each ad has a platform ad id (digits, as Meta's and Google's are) beside its Atribu UUID.
One campaign per plan runs a holdout (lift) experiment: its ads are graded ``lift``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from atribu_pandas.core.vocabulary import OBJECTIVES
from atribu_pandas.sandbox.creatives import data_address
from atribu_pandas.sandbox.plans import (
    HISTORY_DAYS,
    ProfilePlan,
)
from atribu_pandas.sandbox.seeds import seeded
from atribu_pandas.sandbox.structure import WARMTH_LABEL, Structure, draw_structure

__all__ = [
    "Delivery",
    "simulate_delivery",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

_DAYS_PER_MONTH = 365.25 / 12
_DOW = np.array([1.06, 1.08, 1.05, 1.03, 0.97, 0.90, 0.91])  # Monday first
_OUTAGE = 0.02
# Budgets are scaled so the most recent quarter averages the plan's monthly spend.
_CALIBRATION_DAYS = 91
# The platform's own conversion rate per click, by objective (index of OBJECTIVES), and the
# share of a ticket it reports as value.
_META_RATE = np.array([0.10, 0.025, 0.05, 0.008, 0.005])
_META_VALUE_SHARE = np.array([0.3, 1.0, 0.3, 0.3, 0.3])
# Objectives and statuses as each ad platform sends them in /campaigns rows.
_PLATFORM_OBJECTIVE = {
    "meta": {
        "sales": "OUTCOME_SALES",
        "leads": "OUTCOME_LEADS",
        "messaging": "OUTCOME_ENGAGEMENT",
        "traffic": "OUTCOME_TRAFFIC",
        "awareness": "OUTCOME_AWARENESS",
    },
    "google": dict.fromkeys(OBJECTIVES, "SEARCH"),
}
_PLATFORM_STATUS = {
    "meta": {"active": "ACTIVE", "paused": "PAUSED"},
    "google": {"active": "ENABLED", "paused": "PAUSED"},
}


def _platform_ad_id(entity_id: str, channel: str) -> str:
    """The ad's id in its ad platform: digits, derived from its UUID so no draw moves."""
    number = uuid.UUID(entity_id).int
    if channel == "google":
        return str(100_000_000_000 + number % 900_000_000_000)  # 12 digits
    return "1202" + str(number % 10**14).zfill(14)  # 18 digits, as Meta's ad ids


@dataclass(frozen=True)
class Delivery:
    """One profile's entities and each ad's delivery per day.

    Attributes
    ----------
    entities : pandas.DataFrame
        Campaigns, then ad sets, then ads (the columns of the sandbox contract).
    ad_set_of_ad, campaign_of_set : numpy.ndarray
        Parent positions: an ad's ad set among the ad sets, an ad set's campaign.
    audience : numpy.ndarray
        People in each ad set's audience (for reach over a window).
    overlap : numpy.ndarray
        Each campaign's audience overlap factor between its ad sets (0.85..0.95).
    objective, quality : numpy.ndarray
        Each ad's objective (index into ``OBJECTIVES``) and conversion multiplier.
    pixel : numpy.ndarray
        Whether Atribu's pixel sees each ad's visitors (its campaign's ``tracking`` is
        ``"pixel"``): only those ads start or join journeys.
    spend_cents, impressions, reach, clicks, meta_conversions : numpy.ndarray
        int64 arrays of shape ``(n_ads, HISTORY_DAYS)``.
    meta_value, engagement : numpy.ndarray
        float64 arrays of the same shape.
    """

    entities: pd.DataFrame
    ad_set_of_ad: IntArray
    campaign_of_set: IntArray
    audience: FloatArray
    overlap: FloatArray
    objective: IntArray
    quality: FloatArray
    pixel: npt.NDArray[np.bool_]
    spend_cents: IntArray
    impressions: IntArray
    reach: IntArray
    clicks: IntArray
    meta_conversions: IntArray
    meta_value: FloatArray
    engagement: FloatArray


def simulate_delivery(plan: ProfilePlan, seed: int, profile: int, first_day: dt.date) -> Delivery:
    """Draw a profile's entities and daily delivery from its plan.

    Parameters
    ----------
    plan : ProfilePlan
        What to make (see :data:`PLANS`).
    seed, profile : int
        The seed and the profile's number; streams 1 (structure), 2 (delivery)
        and 4 (entity ids) of :func:`seeded` are used.
    first_day : datetime.date
        Day 0 of the history (weekdays and the yearly wave follow the calendar).

    Returns
    -------
    Delivery

    Examples
    --------
    >>> import datetime as dt
    >>> from atribu_pandas.sandbox.plans import PLANS
    >>> d = simulate_delivery(PLANS["small"], 0, 0, dt.date(2024, 1, 1))
    >>> bool((d.clicks <= d.impressions).all() and (d.reach <= d.impressions).all())
    True
    """
    st = draw_structure(plan, seeded(seed, profile, 1), seeded(seed, profile, 4))
    rng = seeded(seed, profile, 2)
    n = HISTORY_DAYS
    launch, end = np.array(st.launch), np.array(st.end)
    unit = np.array(st.unit, dtype=np.int64)
    day = np.arange(n)
    age = np.maximum(day[None, :] - launch[:, None], 0)
    live = (day[None, :] >= launch[:, None]) & (day[None, :] < end[:, None])
    fresh = np.exp(-age / np.array(st.tau)[:, None])
    shape = live.shape

    # Each budget unit shares its day among its live ads; fatigued ads get less.
    weight = np.where(live, np.array(st.weight)[:, None] * (0.6 + 0.4 * fresh), 0.0)
    unit_total = np.zeros((len(st.unit_weight), n))
    np.add.at(unit_total, unit, weight)
    share = np.divide(weight, unit_total[unit], out=np.zeros(shape), where=weight > 0)
    weekday = (first_day.weekday() + day) % 7
    season = 1 + 0.08 * np.sin(2 * np.pi * (first_day.toordinal() + day) / 365.25)
    base = share * (_DOW[weekday] * season)[None, :] * np.array(st.unit_pace)[unit][:, None]
    base *= rng.lognormal(0, 0.18, shape)
    base[rng.random(shape) < _OUTAGE] = 0.0
    unit_weight = np.array(st.unit_weight)
    raw = (base * unit_weight[unit][:, None]).sum(axis=0)
    factor = plan.monthly_spend / _DAYS_PER_MONTH / raw[-_CALIBRATION_DAYS:].mean()
    step = plan.budget_step
    budget = np.maximum(step, np.round(unit_weight * factor / step) * step)
    spend_cents = np.rint(base * budget[unit][:, None] * 100).astype(np.int64)

    cpm = np.array(st.cpm)[:, None] * rng.lognormal(0, 0.12, shape)
    impressions = rng.poisson(spend_cents / 100 / cpm * 1000).astype(np.int64)
    spend_cents[impressions == 0] = 0
    ctr = np.minimum(np.array(st.ctr)[:, None] * (0.55 + 0.45 * fresh), 0.5)
    ctr = np.minimum(ctr * rng.lognormal(0, 0.15, shape), 0.5)
    clicks = rng.binomial(impressions, ctr).astype(np.int64)
    frequency = 1.03 + np.array(st.frequency)[:, None] * (1 - np.exp(-age / 45))
    reach = np.maximum(rng.binomial(impressions, 1 / frequency), impressions > 0)

    objective = np.array(st.objective, dtype=np.int64)
    quality = np.array(st.quality)
    tracking = np.array(st.tracking, dtype=object)
    # An unmeasured campaign reports no conversions; the rate, not the draw, is zeroed.
    measured = np.where(tracking == "none", 0.0, 1.0)
    meta_rate = (_META_RATE[objective] * quality * measured)[:, None]
    meta_rate = meta_rate * rng.lognormal(0.15, 0.5, shape)
    meta_conversions = rng.poisson(clicks * meta_rate).astype(np.int64)
    meta_value = meta_conversions * plan.ticket * _META_VALUE_SHARE[objective][:, None]
    meta_value = np.round(meta_value * rng.lognormal(0, 0.35, shape), 2)
    engagement = np.array(st.engagement)[:, None] * (0.75 + 0.25 * fresh)
    engagement = np.round(np.clip(engagement + rng.normal(0, 0.04, shape), 0, 1), 4)

    entities = _entities(st, plan, budget, first_day)
    return Delivery(
        entities=entities,
        ad_set_of_ad=np.array(st.ad_set_of_ad, dtype=np.int64),
        campaign_of_set=np.array(st.campaign_of_set, dtype=np.int64),
        audience=np.array(st.audience),
        overlap=np.array(st.overlap),
        objective=objective,
        quality=quality,
        pixel=np.asarray(tracking == "pixel", dtype=bool),
        spend_cents=spend_cents,
        impressions=impressions,
        reach=reach.astype(np.int64),
        clicks=clicks,
        meta_conversions=meta_conversions,
        meta_value=meta_value,
        engagement=engagement,
    )


_ENTITY_COLUMNS = (
    "entity_id",
    "external_id",
    "level",
    "name",
    "parent_id",
    "campaign_id",
    "ad_set_id",
    "status",
    "objective",
    "platform_status",
    "platform_objective",
    "daily_budget",
    "channel",
    "creative_format",
    "hook_type",
    "cta_type",
    "primary_angle",
    "offers",
    "has_video",
    "video_id",
    "audience_warmth",
    "geo",
    "placement",
    "lift_study",
    "creative_thumbnail_url",
    "launched_on",
    "paused_on",
)


def _link_ads(
    ads: list[dict[str, Any]],
    sets: list[dict[str, Any]],
    campaigns: list[dict[str, Any]],
    first_day: dt.date,
) -> dict[int, list[int]]:
    """Give each ad its parents, status and dates; return each parent's [first launch,
    last end] over its ads, by the parent row's id."""
    n = HISTORY_DAYS
    span: dict[int, list[int]] = {}
    for ad in ads:
        s = sets[ad["ad_set"]]
        c = campaigns[s["campaign"]]
        ad.update(
            parent_id=s["entity_id"],
            campaign_id=c["entity_id"],
            ad_set_id=s["entity_id"],
            objective=c["objective"],
            status="active" if ad["end"] == n else "paused",
            creative_thumbnail_url=data_address(ad["entity_id"]),
            launched_on=first_day + dt.timedelta(days=ad["launch"]),
            paused_on=None if ad["end"] == n else first_day + dt.timedelta(days=ad["end"]),
        )
        for key in (id(s), id(c)):
            lo_hi = span.setdefault(key, [n, 0])
            lo_hi[0], lo_hi[1] = min(lo_hi[0], ad["launch"]), max(lo_hi[1], ad["end"])
    return span


def _link_parents(
    sets: list[dict[str, Any]],
    campaigns: list[dict[str, Any]],
    plan: ProfilePlan,
    span: dict[int, list[int]],
    first_day: dt.date,
) -> None:
    """Ad sets and campaigns: ids, channel, warmth, and the status and dates of their ads."""
    n = HISTORY_DAYS
    for s in sets:
        c = campaigns[s["campaign"]]
        s.update(parent_id=c["entity_id"], campaign_id=c["entity_id"], ad_set_id=s["entity_id"])
    for pos, c in enumerate(campaigns):
        c.update(parent_id=None, campaign_id=c["entity_id"], ad_set_id=None)
        c["channel"] = plan.campaigns[pos].channel
    for s in sets:
        s["channel"] = campaigns[s["campaign"]]["channel"]
        s["audience_warmth"] = WARMTH_LABEL[s.pop("warmth")]
    for r in sets + campaigns:
        first, last = span[id(r)]
        r["status"] = "active" if last == n else "paused"
        r["launched_on"] = first_day + dt.timedelta(days=first)
        r["paused_on"] = None if last == n else first_day + dt.timedelta(days=last)


def _entities(
    st: Structure, plan: ProfilePlan, budget: FloatArray, first_day: dt.date
) -> pd.DataFrame:
    """The entities table: statuses and dates roll up from the ads."""
    rows = [dict(r) for r in st.rows]
    sets = [r for r in rows if r["level"] == "ad_set"]
    ads = [r for r in rows if r["level"] == "ad"]
    campaigns = rows[: len(plan.campaigns)]
    span = _link_ads(ads, sets, campaigns, first_day)
    _link_parents(sets, campaigns, plan, span, first_day)
    for u, row in enumerate(st.unit_row):
        rows[row]["daily_budget"] = float(budget[u])
    for r in rows:
        r["platform_status"] = _PLATFORM_STATUS[r["channel"]][r["status"]]
        r["platform_objective"] = _PLATFORM_OBJECTIVE[r["channel"]][r["objective"]]
    for ad in ads:
        ad["external_id"] = _platform_ad_id(ad["entity_id"], ad["channel"])
    frame = pd.DataFrame([{k: r.get(k) for k in _ENTITY_COLUMNS} for r in rows])
    frame["daily_budget"] = frame["daily_budget"].astype("float64")
    frame["has_video"] = frame["has_video"].astype("boolean")
    return frame
