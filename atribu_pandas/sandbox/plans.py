"""The fixed plans the sandbox's profiles are drawn from: scale, money, names, campaigns.

A plan (:data:`PLANS`) names a profile's campaigns (objective, channel, evergreen
or seasonal) and the audience warmth of each ad set;
``sandbox.delivery.simulate_delivery`` draws the rest. Objectives are
the cohort objectives of Atribu's reference page. One campaign per plan runs a holdout
(lift) experiment: its ads are graded ``lift``.

Two more roles make every documented grade, headline kind and maturity stage appear in
the large profile on any day, as they would in a large real account:

- ``tracking`` says what measures a campaign's outcomes. ``"pixel"`` (most): Atribu's
  pixel sees the visitors, so journeys and attributed outcomes follow. ``"platform"``:
  the ad keeps people on the platform (Meta instant-form leads), so only the platform's
  own conversions are known and its ads' headline kind is ``meta``. ``"none"``: nothing
  is measured (video views), so its ads are ``predicted`` with headline kind ``none``.
- ``fresh_test``: the campaign's first live ad set has a new ad under test, launched two
  days before the last day, so some ad is always ``cold``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

__all__ = [
    "FRESH_TEST_AGE",
    "HISTORY_DAYS",
    "LARGE_PLAN",
    "PLANS",
    "SMALL_PLAN",
    "TRACKING",
    "CampaignPlan",
    "ProfilePlan",
    "more_plans",
    "workspace_names",
]

# Days of history every profile holds, ending the day before ``today``.
HISTORY_DAYS = 400
# What may measure a campaign's outcomes (CampaignPlan.tracking).
TRACKING: tuple[str, ...] = ("pixel", "platform", "none")
# Days a fresh test ad has run on the last day, both counted: under the 3 days of ``early``.
FRESH_TEST_AGE = 2


@dataclass(frozen=True)
class CampaignPlan:
    """One campaign of a plan: its ad sets are given by their audience warmth."""

    name: str
    objective: str
    channel: str
    evergreen: bool
    warmths: tuple[str, ...]  # one per ad set
    lift_study: bool = False  # a holdout experiment measures its ads' incremental effect
    tracking: str = "pixel"  # "pixel", "platform" or "none": see the module docstring
    fresh_test: bool = False  # a new ad launched two days before the last day


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
        _C(
            "Brand Awareness - Video Views",
            "awareness",
            "meta",
            True,
            ("cold", "cold"),
            tracking="none",
        ),
        _C("Lip Filler Launch", "leads", "meta", False, ("cold", "warm", "hot")),
        _C(
            "CoolSculpting Consults - Lookalikes",
            "leads",
            "meta",
            True,
            ("cold", "cold", "warm"),
            tracking="platform",
        ),
        _C(
            "DM to Book - Instagram",
            "messaging",
            "meta",
            True,
            ("cold", "warm", "hot"),
            fresh_test=True,
        ),
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


PLANS: dict[str, ProfilePlan] = {"small": SMALL_PLAN, "large": LARGE_PLAN}


# Names of the extra profiles of a large sandbox workspace (start(profiles=N)).
_TOWNS = ("Harbor", "Summit", "Lakeside", "Riverside", "Oakwood", "Cedar", "Bayview", "Hillcrest")
_TRADES = ("Dental", "Aesthetics", "Physio", "Med Spa", "Vision", "Dermatology")


def more_plans(count: int) -> list[ProfilePlan]:
    """The plans of a workspace's extra profiles: a small clinic's, every third a large
    group's, each under a name of its own.

    Examples
    --------
    >>> [plan.size for plan in more_plans(3)]
    ['small', 'small', 'large']
    """
    plans = []
    for i in range(count):
        size = "large" if i % 3 == 2 else "small"
        name = f"{_TOWNS[i % len(_TOWNS)]} {_TRADES[i % len(_TRADES)]}"
        if i >= len(_TOWNS):
            name += f" {i // len(_TOWNS) + 1}"
        if size == "large":
            name += " Group"
        plans.append(replace(PLANS[size], name=name))
    return plans


def workspace_names(profiles: int) -> list[str]:
    """The business names of a ``profiles``-client sandbox workspace, in order, without
    building its data (names depend on neither seed nor day).

    Examples
    --------
    >>> workspace_names(4)
    ['Bright Smile Dental', 'Northwind Aesthetics Group', 'Harbor Dental', 'Summit Aesthetics']
    """
    plans = [PLANS["small"], PLANS["large"], *more_plans(max(0, profiles - 2))]
    return [plan.name for plan in plans[:profiles]]
