"""The sandbox's ad sets and ads, drawn from a profile's plan with their creative DNA.

:func:`draw_structure` draws, for each campaign of a plan (``plans``),
its ad sets and ads with names a marketer recognises, creative DNA (format, hook, CTA,
angle, offers, video, warmth, geo, placement), a launch day and, for ads that stopped
before the last day, a pause day; budgets sit on the campaign (CBO) or on each ad set.
It also draws what ``sandbox.delivery.simulate_delivery`` needs per
ad: its CPM (by placement and warmth), CTR, fatigue time, conversion quality, frequency
growth and engagement.

Vocabularies follow Atribu's reference page: creative formats from its list
(``ugc_video``, ``talking_head``, ``static``, ``carousel``), audience warmth named as its
example names it (``prospecting``; ``engaged`` and ``retargeting`` for warmer audiences).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from atribu_pandas.core.vocabulary import OBJECTIVES
from atribu_pandas.sandbox.plans import FRESH_TEST_AGE, HISTORY_DAYS, CampaignPlan, ProfilePlan
from atribu_pandas.sandbox.seeds import uuid_from

__all__ = ["WARMTH_LABEL", "Structure", "draw_structure"]

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
WARMTH_LABEL = {"cold": "prospecting", "warm": "engaged", "hot": "retargeting"}
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


@dataclass
class Structure:
    """Entities as rows, plus the per-ad figures the delivery needs (filled by draw_structure)."""

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
    tracking: list[str] = field(default_factory=list)
    # per ad set and campaign
    campaign_of_set: list[int] = field(default_factory=list)
    audience: list[float] = field(default_factory=list)
    overlap: list[float] = field(default_factory=list)
    # per budget unit (a CBO campaign or an ad set)
    unit_weight: list[float] = field(default_factory=list)
    unit_pace: list[float] = field(default_factory=list)
    unit_row: list[int] = field(default_factory=list)


def draw_structure(
    plan: ProfilePlan, rng: np.random.Generator, ids: np.random.Generator
) -> Structure:
    """Draw ad sets and ads from the plan; rows are campaigns, then ad sets, then ads.

    Parameters
    ----------
    plan : ProfilePlan
        What to make.
    rng : numpy.random.Generator
        The structure stream (every draw but the ids).
    ids : numpy.random.Generator
        The entity ids stream.

    Returns
    -------
    Structure

    Examples
    --------
    >>> from atribu_pandas.sandbox.plans import PLANS
    >>> from atribu_pandas.sandbox.seeds import seeded
    >>> st = draw_structure(PLANS["small"], seeded(0, 0, 1), seeded(0, 0, 4))
    >>> [r["level"] for r in st.rows[:5]]
    ['campaign', 'campaign', 'campaign', 'campaign', 'ad_set']
    """
    n = HISTORY_DAYS
    st = Structure()
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
            ad_set = _AdSet(set_index, unit, warmth, geo, s_start, s_end)
            ads.extend(_ads(plan, cp, rng, ids, st, ad_set))
            if cp.fresh_test and s_no == 0 and s_end == n:
                _launch_fresh_test(st, ads)
    st.rows = campaigns + ad_sets + ads
    return st


def _launch_fresh_test(st: Structure, ads: list[dict[str, Any]]) -> None:
    """Make the ad set's newest ad a test launched lately; the one before it keeps running.

    Only launch and end days change, so every draw stays where it was.
    """
    launch = HISTORY_DAYS - FRESH_TEST_AGE
    ads[-1]["launch"] = st.launch[-1] = launch
    ads[-1]["end"] = st.end[-1] = HISTORY_DAYS
    if len(ads) > 1 and st.ad_set_of_ad[-2] == st.ad_set_of_ad[-1]:
        ads[-2]["end"] = st.end[-2] = HISTORY_DAYS


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


@dataclass(frozen=True)
class _AdSet:
    """Where an ad set's ads go: its position, budget unit, audience and lifetime."""

    index: int
    unit: int
    warmth: str
    geo: str
    start: int
    end: int


def _ads(
    plan: ProfilePlan,
    cp: CampaignPlan,
    rng: np.random.Generator,
    ids: np.random.Generator,
    st: Structure,
    ad_set: _AdSet,
) -> list[dict[str, Any]]:
    """Draw one ad set's ads: their rows (returned) and their performance figures (added
    to ``st``, the structure being built), in one fixed order of draws."""
    n = HISTORY_DAYS
    set_index, unit, warmth, geo = ad_set.index, ad_set.unit, ad_set.warmth, ad_set.geo
    s_start, s_end = ad_set.start, ad_set.end
    ads: list[dict[str, Any]] = []
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
                "audience_warmth": WARMTH_LABEL[warmth],
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
        st.tracking.append(cp.tracking)
    return ads
