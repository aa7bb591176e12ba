"""The sandbox's profiles: the keys, and the data each one reads, built from a seed.

:func:`build_profiles` makes, from a seed and a ``today``, three keys on two
profiles: a small dental clinic (about $500 a month), a large aesthetics group
(about $30k a month) and a second key on the clinic's data without
``campaigns:read``. Each profile holds 400 days of history ending yesterday.
``delivery`` draws the ads and their daily delivery,
``journeys`` the visitors who convert and every
model's credit; every draw comes from ``numpy.random.default_rng([seed, profile,
stream])``, so the same seed and ``today`` give the same bytes on any machine.

Each profile's data is a ``ProfileData``, which
answers the API's queries (its module says what they serve and the choices made where the
API docs are silent).
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from atribu_pandas.core.dates import current_day
from atribu_pandas.exceptions import ArgumentError
from atribu_pandas.sandbox.delivery import simulate_delivery
from atribu_pandas.sandbox.journeys import simulate_journeys
from atribu_pandas.sandbox.plans import HISTORY_DAYS, PLANS, ProfilePlan, more_plans
from atribu_pandas.sandbox.queries import Profile, ProfileData
from atribu_pandas.sandbox.seeds import seeded, uuid_from

__all__ = ["build_more_profiles", "build_profiles"]


def build_profiles(seed: int = 0, today: dt.date | None = None) -> list[ProfileData]:
    """Build the sandbox's profiles: same ``seed`` and ``today``, same data.

    Parameters
    ----------
    seed : int, default 0
        A non-negative integer; every random draw derives from it.
    today : datetime.date, optional
        The day the data ends before (its last day is ``today - 1``); the
        current UTC date by default.

    Returns
    -------
    list of ProfileData
        ``[small clinic, large group, small clinic's key without
        campaigns:read]``; the third shares the first's data and ``profile_id``
        and differs in ``api_key`` and ``scopes``.

    Raises
    ------
    atribu_pandas.exceptions.ArgumentError
        A negative or non-integer seed.

    Examples
    --------
    >>> import datetime as dt
    >>> small, large, no_scope = build_profiles(seed=0, today=dt.date(2025, 6, 1))
    >>> small.profile.size, large.profile.size, no_scope.profile.scopes
    ('small', 'large', ('analytics:read',))
    >>> str(small.first_day), str(small.last_day)
    ('2024-04-27', '2025-05-31')
    """
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ArgumentError("seed", seed, "a non-negative integer")
    if today is None:
        today = current_day()
    small = _build(int(seed), 0, PLANS["small"], today)
    large = _build(int(seed), 1, PLANS["large"], today)
    keys = seeded(int(seed), 0, 9)
    no_scope = small.with_profile(
        Profile(
            profile_id=small.profile.profile_id,
            name=small.profile.name,
            api_key="atb_test_" + keys.bytes(16).hex(),
            scopes=("analytics:read",),
            size=small.profile.size,
            currency="USD",
            timezone=small.profile.timezone,
        )
    )
    return [small, large, no_scope]


def _build(seed: int, number: int, plan: ProfilePlan, today: dt.date) -> ProfileData:
    first_day = today - dt.timedelta(days=HISTORY_DAYS)
    ids = seeded(seed, number, 0)
    profile = Profile(
        profile_id=uuid_from(ids),
        name=plan.name,
        api_key="atb_test_" + ids.bytes(16).hex(),
        scopes=("campaigns:read",),
        size=plan.size,
        currency="USD",
        timezone=plan.timezone,
    )
    delivery = simulate_delivery(plan, seed, number, first_day)
    journeys = simulate_journeys(
        seeded(seed, number, 3),
        delivery.impressions,
        delivery.clicks,
        delivery.objective,
        delivery.quality,
        plan.ticket,
        np.datetime64(first_day, "s"),
        pixel=delivery.pixel,
    )
    return ProfileData(profile, first_day, delivery, journeys)


def build_more_profiles(seed: int, today: dt.date, count: int) -> list[ProfileData]:
    """Build ``count`` extra profiles for a workspace, after the two of :func:`build_profiles`.

    Each has its own key, ``profile_id``, name and data (a small clinic's plan, every
    third a large group's), deterministic for ``seed`` and ``today``.

    Examples
    --------
    >>> import datetime as dt
    >>> more = build_more_profiles(0, dt.date(2025, 6, 1), 3)
    >>> [d.profile.name for d in more]
    ['Harbor Dental', 'Summit Aesthetics', 'Lakeside Physio Group']
    """
    return [_build(int(seed), 2 + i, plan, today) for i, plan in enumerate(more_plans(count))]
