"""The sandbox's ads and their daily delivery, drawn from a fixed plan per profile.

A plan (:data:`PLANS`) names a profile's campaigns (objective, channel, evergreen
or seasonal) and the audience warmth of each ad set. :func:`simulate_delivery`
draws the rest from seeded generators:

* **Structure.** Ad sets and ads with names a marketer recognises, creative DNA
  (format, hook, CTA, angle, offers, video, warmth, geo, placement), a launch day
  and, for ads that stopped before the last day, a pause day. An ad set or a
  campaign is ``active`` while any of its children is. Budgets sit on the campaign
  (CBO) or on each ad set.
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

Vocabularies follow Atribu's reference page: creative formats from its list
(``ugc_video``, ``talking_head``, ``static``, ``carousel``), audience warmth named as its
example names it (``prospecting``; ``engaged`` and ``retargeting`` for warmer audiences),
objectives as the cohort objectives it lists. The ``/campaigns`` rows carry status and
objective as the ad platforms send them (Meta's ``ACTIVE``/``PAUSED`` and
``OUTCOME_SALES``..., Google's ``ENABLED``/``PAUSED`` and campaign type ``SEARCH``), and
each ad has a platform ad id (digits, as Meta's and Google's are) beside its Atribu UUID.
One campaign per plan runs a holdout (lift) experiment: its ads are graded ``lift``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from atribu_pandas.sandbox.journeys import OBJECTIVES

__all__ = [
    "HISTORY_DAYS",
    "PLANS",
    "CampaignPlan",
    "Delivery",
    "ProfilePlan",
    "seeded",
    "simulate_delivery",
    "uuid_from",
]

HISTORY_DAYS = 400

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

_DAYS_PER_MONTH = 365.25 / 12
_DOW = np.array([1.06, 1.08, 1.05, 1.03, 0.97, 0.90, 0.91])  # Monday first
_OUTAGE = 0.02
# Budgets are scaled so the most recent quarter averages the plan's monthly spend.
_CALIBRATION_DAYS = 91
_THUMBNAILS = "https://thumbnails.example.com/ads/{}.jpg"
# The platform's own conversion rate per click, by objective (index of OBJECTIVES), and the
# share of a ticket it reports as value.
_META_RATE = np.array([0.10, 0.025, 0.05, 0.008, 0.005])
_META_VALUE_SHARE = np.array([0.3, 1.0, 0.3, 0.3, 0.3])


def uuid_from(rng: np.random.Generator) -> str:
    """A version-4 UUID string from 16 bytes of ``rng``.

    Examples
    --------
    >>> import numpy as np
    >>> len(uuid_from(np.random.default_rng(0)))
    36
    """
    return str(uuid.UUID(bytes=rng.bytes(16), version=4))


def _platform_ad_id(entity_id: str, channel: str) -> str:
    """The ad's id in its ad platform: digits, derived from its UUID so no draw moves."""
    number = uuid.UUID(entity_id).int
    if channel == "google":
        return str(100_000_000_000 + number % 900_000_000_000)  # 12 digits
    return "1202" + str(number % 10**14).zfill(14)  # 18 digits, as Meta's ad ids


def seeded(seed: int, profile: int, stream: int) -> np.random.Generator:
    """The generator of one profile's stream (structure, delivery, journeys ...).

    Examples
    --------
    >>> bool(seeded(0, 1, 2).integers(10) == seeded(0, 1, 2).integers(10))
    True
    """
    return np.random.default_rng([seed, profile, stream])


@dataclass(frozen=True)
class CampaignPlan:
    """One campaign of a plan: its ad sets are given by their audience warmth."""

    name: str
    objective: str
    channel: str
    evergreen: bool
    warmths: tuple[str, ...]  # one per ad set
    lift_study: bool = False  # a holdout experiment measures its ads' incremental effect


@dataclass(frozen=True)
class ProfilePlan:
    """What a profile's data is made from (scale, money, names)."""

    name: str
    size: str
    timezone: str
    monthly_spend: float
    ticket: float
    budget_step: float
    audience: float  # people in a cold audience, order of magnitude
    cpm_scale: float
    geos: tuple[str, ...]
    offers: tuple[str, ...]
    ads_per_set: tuple[int, int]
    cbo_share: float
    campaigns: tuple[CampaignPlan, ...]


_C = CampaignPlan
SMALL_PLAN = ProfilePlan(
    name="Bright Smile Dental",
    size="small",
    timezone="America/Chicago",
    monthly_spend=500.0,
    ticket=280.0,
    budget_step=1.0,
    audience=90_000.0,
    cpm_scale=0.9,
    geos=("Austin",),
    offers=("$99 whitening", "free consultation", "new patient special", "0% financing"),
    ads_per_set=(2, 3),
    cbo_share=0.0,
    campaigns=(
        _C("Spring Whitening Sale", "sales", "meta", False, ("cold", "hot")),
        _C(
            "New Patient Special - $99 Exam & Cleaning",
            "leads",
            "meta",
            True,
            ("cold", "warm"),
            lift_study=True,
        ),
        _C("WhatsApp Booking - Local", "messaging", "meta", True, ("warm",)),
        _C("Google Search - Emergency Dentist", "traffic", "google", True, ("cold",)),
    ),
)
LARGE_PLAN = ProfilePlan(
    name="Northwind Aesthetics Group",
    size="large",
    timezone="America/New_York",
    monthly_spend=30_000.0,
    ticket=380.0,
    budget_step=5.0,
    audience=900_000.0,
    cpm_scale=1.2,
    geos=("NYC", "Boston", "Philadelphia"),
    offers=(
        "20% off first treatment",
        "free consultation",
        "membership pricing",
        "0% financing",
        "gift card with package",
    ),
    ads_per_set=(2, 4),
    cbo_share=0.35,
    campaigns=(
        _C(
            "Invisalign Consult - Always On", "leads", "meta", True, ("cold", "cold", "warm", "hot")
        ),
        _C("Botox Summer Promo", "sales", "meta", False, ("cold", "warm", "hot")),
        _C("Laser Hair Removal - Retargeting", "sales", "meta", True, ("warm", "hot", "hot")),
        _C("Brand Awareness - Video Views", "awareness", "meta", True, ("cold", "cold")),
        _C("Lip Filler Launch", "leads", "meta", False, ("cold", "warm", "hot")),
        _C("CoolSculpting Consults - Lookalikes", "leads", "meta", True, ("cold", "cold", "warm")),
        _C("DM to Book - Instagram", "messaging", "meta", True, ("cold", "warm", "hot")),
        _C("Skincare Blog Traffic", "traffic", "meta", False, ("cold", "warm")),
        _C(
            "Glow Club Membership Sales",
            "sales",
            "meta",
            True,
            ("warm", "hot", "hot"),
            lift_study=True,
        ),
        _C("Google Search - Brand + Treatments", "sales", "google", True, ("warm", "cold", "cold")),
        _C("Google Search - Competitor Terms", "leads", "google", False, ("cold", "cold")),
    ),
)

_AUDIENCES: dict[tuple[str, str], tuple[str, ...]] = {
    ("meta", "cold"): (
        "Broad - Advantage+",
        "Interest - Beauty & Wellness",
        "Lookalike 2% - Purchasers",
        "Women 25-54",
        "Lookalike 1% - Leads",
    ),
    ("meta", "warm"): ("Engaged IG + FB 90d", "Video Viewers 50% 30d", "Lookalike 1% - Patients"),
    ("meta", "hot"): (
        "Retargeting - Site Visitors 30d",
        "Retargeting - Form Openers 14d",
        "Past Patients - Reactivation",
    ),
    ("google", "cold"): ("Phrase - Treatments", "Broad - Near Me", "Exact - Competitors"),
    ("google", "warm"): ("Exact - Brand", "RLSA - Site Visitors"),
    ("google", "hot"): ("RLSA - Past Patients",),
}
_CONCEPTS: tuple[tuple[str, str], ...] = (
    ("UGC Testimonial", "testimonial"),
    ("Before/After", "before_after"),
    ("Dr. Intro", "authority"),
    ("Myth Buster", "question"),
    ("Price Reveal", "offer"),
    ("Patient Story", "testimonial"),
    ("Offer Countdown", "urgency"),
    ("FAQ", "question"),
    ("Results in 60s", "before_after"),
    ("Behind the Scenes", "curiosity"),
    ("Founder Story", "authority"),
    ("Pain Point", "problem_agitate"),
)
_SEARCH_CONCEPTS: tuple[tuple[str, str], ...] = (
    ("RSA - Brand Headline", "authority"),
    ("RSA - Price Led", "offer"),
    ("RSA - Reviews", "testimonial"),
    ("RSA - Same-Day Booking", "urgency"),
)
# The reference page's formats; the order matters (it indexes _FORMAT_MIX).
_FORMATS = ("static", "talking_head", "carousel", "ugc_video")
_VIDEO_FORMATS = ("talking_head", "ugc_video")
_FORMAT_LABEL = {
    "static": "Static",
    "talking_head": "Talking Head",
    "carousel": "Carousel",
    "ugc_video": "UGC",
}
# Internal warmth (it sets CPM, CTR and audience size) and the name the API shows.
_WARMTH_LABEL = {"cold": "prospecting", "warm": "engaged", "hot": "retargeting"}
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
_FORMAT_MIX = {"awareness": (0.10, 0.45, 0.0, 0.45), "other": (0.30, 0.20, 0.20, 0.30)}
_ANGLES = ("price", "results", "convenience", "trust", "pain_free", "urgency", "social_proof")
_CTAS = {
    "messaging": ("send_message", "whatsapp_message"),
    "sales": ("book_now", "shop_now", "get_offer"),
    "leads": ("sign_up", "book_now", "learn_more"),
    "traffic": ("learn_more",),
    "awareness": ("learn_more", "watch_more"),
}
_CPM = {"feed": 11.0, "stories": 8.0, "reels": 7.0, "search": 45.0}
_CTR = {
    "static": 0.009,
    "talking_head": 0.008,
    "carousel": 0.011,
    "ugc_video": 0.007,
    "search": 0.05,
}
_WARMTH_CPM = {"cold": 1.0, "warm": 1.5, "hot": 2.2}
_WARMTH_CTR = {"cold": 1.0, "warm": 1.3, "hot": 1.7}
_WARMTH_AUDIENCE = {"cold": 1.0, "warm": 0.08, "hot": 0.02}
_OBJECTIVE_BUDGET = {"messaging": 1.0, "sales": 1.2, "leads": 1.1, "traffic": 0.6, "awareness": 0.6}


PLANS: dict[str, ProfilePlan] = {"small": SMALL_PLAN, "large": LARGE_PLAN}


@dataclass
class _Structure:
    """Entities as columns, plus the per-ad figures the delivery needs."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    # per ad
    ad_set_of_ad: list[int] = field(default_factory=list)
    launch: list[int] = field(default_factory=list)
    end: list[int] = field(default_factory=list)
    unit: list[int] = field(default_factory=list)
    weight: list[float] = field(default_factory=list)
    cpm: list[float] = field(default_factory=list)
    ctr: list[float] = field(default_factory=list)
    tau: list[float] = field(default_factory=list)
    quality: list[float] = field(default_factory=list)
    frequency: list[float] = field(default_factory=list)
    engagement: list[float] = field(default_factory=list)
    objective: list[int] = field(default_factory=list)
    # per ad set and campaign
    campaign_of_set: list[int] = field(default_factory=list)
    audience: list[float] = field(default_factory=list)
    overlap: list[float] = field(default_factory=list)
    # per budget unit (a CBO campaign or an ad set)
    unit_weight: list[float] = field(default_factory=list)
    unit_pace: list[float] = field(default_factory=list)
    unit_row: list[int] = field(default_factory=list)


def _structure(plan: ProfilePlan, rng: np.random.Generator, ids: np.random.Generator) -> _Structure:
    """Draw ad sets and ads from the plan; rows are campaigns, then ad sets, then ads."""
    n = HISTORY_DAYS
    st = _Structure()
    campaigns: list[dict[str, Any]] = []
    ad_sets: list[dict[str, Any]] = []
    ads: list[dict[str, Any]] = []
    used: set[str] = set()  # ad set names, unique within the profile
    for c_no, cp in enumerate(plan.campaigns):
        if cp.evergreen:
            c_start, c_end = int(rng.integers(0, 30)), n
        else:
            c_start = int(rng.integers(0, n - 40))
            c_end = min(n, c_start + int(rng.integers(45, 150)))
        cbo = bool(rng.random() < plan.cbo_share)
        campaigns.append(
            dict(entity_id=uuid_from(ids), level="campaign", name=cp.name, objective=cp.objective)
        )
        st.overlap.append(float(rng.uniform(0.85, 0.95)))
        c_unit = -1
        if cbo:
            c_unit = len(st.unit_weight)
            st.unit_weight.append(0.0)
            st.unit_pace.append(float(rng.uniform(0.85, 0.98)))
            st.unit_row.append(c_no)
        offset = {w: int(rng.integers(0, 8)) for w in ("cold", "warm", "hot")}
        for s_no, warmth in enumerate(cp.warmths):
            geo = plan.geos[(c_no + s_no) % len(plan.geos)]
            name = _ad_set_name(_AUDIENCES[(cp.channel, warmth)], offset[warmth], geo, used)
            offset[warmth] += 1
            used.add(name)
            s_start = c_start + (0 if s_no == 0 else int(rng.integers(0, (c_end - c_start) // 3)))
            s_end = c_end
            if c_end == n and s_no > 0 and rng.random() < 0.25:
                s_end = min(n, s_start + int(rng.integers(30, 150)))
            set_index = len(ad_sets)
            st.campaign_of_set.append(c_no)
            st.audience.append(
                plan.audience * _WARMTH_AUDIENCE[warmth] * float(rng.uniform(0.5, 1.5))
            )
            weight = float(rng.lognormal(0, 0.35)) * _OBJECTIVE_BUDGET[cp.objective]
            if cp.channel == "google":
                weight *= 1.2
            if cbo:
                unit = c_unit
                st.unit_weight[c_unit] += weight
            else:
                unit = len(st.unit_weight)
                st.unit_weight.append(weight)
                st.unit_pace.append(float(rng.uniform(0.85, 0.98)))
                st.unit_row.append(len(plan.campaigns) + set_index)
            ad_sets.append(
                dict(
                    entity_id=uuid_from(ids),
                    level="ad_set",
                    name=name,
                    campaign=c_no,
                    warmth=warmth,
                    geo=geo,
                    objective=cp.objective,
                )
            )
            _ads(plan, cp, rng, ids, st, ads, set_index, unit, warmth, geo, s_start, s_end)
    st.rows = campaigns + ad_sets + ads
    return st


def _ad_set_name(pool: tuple[str, ...], start: int, geo: str, used: set[str]) -> str:
    """The first audience of the pool from ``start`` whose name is still free in the profile."""
    for step in range(len(pool)):
        name = f"{pool[(start + step) % len(pool)]} - {geo}"
        if name not in used:
            return name
    copy = 2
    while f"{pool[start % len(pool)]} - {geo} {copy}" in used:
        copy += 1
    return f"{pool[start % len(pool)]} - {geo} {copy}"


def _ads(
    plan: ProfilePlan,
    cp: CampaignPlan,
    rng: np.random.Generator,
    ids: np.random.Generator,
    st: _Structure,
    ads: list[dict[str, Any]],
    set_index: int,
    unit: int,
    warmth: str,
    geo: str,
    s_start: int,
    s_end: int,
) -> None:
    """Draw one ad set's ads: creative DNA, lifecycle and performance figures."""
    n = HISTORY_DAYS
    count = int(rng.integers(plan.ads_per_set[0], plan.ads_per_set[1] + 1))
    span = max(1, int((s_end - s_start) * 0.7))
    launches = np.sort(np.concatenate([[s_start], s_start + rng.integers(0, span, count - 1)]))
    launches = np.minimum(launches, s_end - 7)
    search = cp.channel == "google"
    concepts = _SEARCH_CONCEPTS if search else _CONCEPTS
    picks = rng.permutation(len(concepts))
    for k in range(count):
        launch = int(launches[k])
        end = min(s_end, launch + int(rng.integers(25, 160)))
        if s_end == n and k == count - 1:
            end = n  # a live ad set keeps its newest ad running
        concept, hook = concepts[int(picks[k % len(picks)])]
        if search:
            fmt, placement = "static", "search"
        else:
            mix = _FORMAT_MIX["awareness" if cp.objective == "awareness" else "other"]
            fmt = _FORMATS[int(rng.choice(4, p=mix))]
            if fmt == "ugc_video":
                placement = "reels"
            elif fmt == "talking_head":
                placement = "feed" if rng.random() < 0.6 else "stories"
            else:
                placement = "feed" if rng.random() < 0.7 else "stories"
        version = int(rng.integers(1, 5))
        name = f"{concept} v{version}" if search else f"{concept} {_FORMAT_LABEL[fmt]} v{version}"
        n_offers = int(rng.integers(0, 3))
        offers = [plan.offers[i] for i in rng.choice(len(plan.offers), n_offers, replace=False)]
        has_video = fmt in _VIDEO_FORMATS
        video_id = str(int(rng.integers(10**15, 10**16))) if has_video else None
        ctas = _CTAS[cp.objective]
        ads.append(
            {
                "entity_id": uuid_from(ids),
                "level": "ad",
                "name": name,
                "ad_set": set_index,
                "channel": cp.channel,
                "creative_format": fmt,
                "hook_type": hook,
                "cta_type": ctas[int(rng.integers(0, len(ctas)))],
                "primary_angle": _ANGLES[int(rng.integers(0, len(_ANGLES)))],
                "offers": offers,
                "has_video": has_video,
                "video_id": video_id,
                "audience_warmth": _WARMTH_LABEL[warmth],
                "geo": geo,
                "placement": placement,
                "lift_study": cp.lift_study,
                "launch": launch,
                "end": end,
            }
        )
        st.ad_set_of_ad.append(set_index)
        st.launch.append(launch)
        st.end.append(end)
        st.unit.append(unit)
        st.weight.append(float(rng.lognormal(0, 0.5)))
        st.cpm.append(
            _CPM[placement] * _WARMTH_CPM[warmth] * plan.cpm_scale * float(rng.lognormal(0, 0.2))
        )
        st.ctr.append(
            _CTR["search" if search else fmt] * _WARMTH_CTR[warmth] * float(rng.lognormal(0, 0.3))
        )
        st.tau.append(float(rng.uniform(200, 400) if search else rng.uniform(20, 90)))
        st.quality.append(float(rng.lognormal(-0.1, 0.45)))
        st.frequency.append(float(rng.uniform(0.2, 0.6)) * (1.5 if warmth == "hot" else 1.0))
        st.engagement.append(float(rng.beta(5, 5) if has_video else rng.beta(3, 6)))
        st.objective.append(OBJECTIVES.index(cp.objective))


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
    >>> d = simulate_delivery(PLANS["small"], 0, 0, dt.date(2024, 1, 1))
    >>> bool((d.clicks <= d.impressions).all() and (d.reach <= d.impressions).all())
    True
    """
    st = _structure(plan, seeded(seed, profile, 1), seeded(seed, profile, 4))
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
    meta_rate = (_META_RATE[objective] * quality)[:, None] * rng.lognormal(0.15, 0.5, shape)
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


def _entities(
    st: _Structure, plan: ProfilePlan, budget: FloatArray, first_day: dt.date
) -> pd.DataFrame:
    """The entities table: statuses and dates roll up from the ads."""
    n = HISTORY_DAYS
    rows = [dict(r) for r in st.rows]
    n_campaigns = len(plan.campaigns)
    sets = [r for r in rows if r["level"] == "ad_set"]
    ads = [r for r in rows if r["level"] == "ad"]
    campaigns = rows[:n_campaigns]

    def day(i: int) -> dt.date:
        return first_day + dt.timedelta(days=i)

    span: dict[int, list[int]] = {}  # row position -> [first launch, last end]
    for ad in ads:
        s = sets[ad["ad_set"]]
        c = campaigns[s["campaign"]]
        ad.update(
            parent_id=s["entity_id"],
            campaign_id=c["entity_id"],
            ad_set_id=s["entity_id"],
            objective=c["objective"],
            status="active" if ad["end"] == n else "paused",
            creative_thumbnail_url=_THUMBNAILS.format(ad["entity_id"]),
            launched_on=day(ad["launch"]),
            paused_on=None if ad["end"] == n else day(ad["end"]),
        )
        for key in (id(s), id(c)):
            lo_hi = span.setdefault(key, [n, 0])
            lo_hi[0], lo_hi[1] = min(lo_hi[0], ad["launch"]), max(lo_hi[1], ad["end"])
    for s in sets:
        c = campaigns[s["campaign"]]
        s.update(parent_id=c["entity_id"], campaign_id=c["entity_id"], ad_set_id=s["entity_id"])
        s["channel"] = c.get("channel")
    for c in campaigns:
        c.update(parent_id=None, campaign_id=c["entity_id"], ad_set_id=None)
    for pos, c in enumerate(campaigns):
        c["channel"] = plan.campaigns[pos].channel
    for s in sets:
        s["channel"] = campaigns[s["campaign"]]["channel"]
        s["audience_warmth"] = _WARMTH_LABEL[s.pop("warmth")]
    for r in sets + campaigns:
        first, last = span[id(r)]
        r["status"] = "active" if last == n else "paused"
        r["launched_on"] = day(first)
        r["paused_on"] = None if last == n else day(last)
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
