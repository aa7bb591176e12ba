"""One profile's tables and the queries the sandbox's API answers on them.

:class:`ProfileData` holds a profile's entities, daily delivery and journeys (made by
``sandbox.dataset.build_profiles``) and answers ``/campaigns``,
``/campaigns/trend`` and ``/top-performers``.

What the queries serve, and the choices made where the API docs are silent:

* Window sums come from per-ad cumulative sums over days: a query costs
  ``O(number of ads)``. Spend is summed in integer cents, so ``/campaigns`` spend
  equals the sum of the trend's daily spend for the same entity and days.
* ``/campaigns`` outcomes are **cash payments**: ``outcome_count`` is the summed
  credit of the cash payments converted in the window (by conversion day),
  ``outcome_value`` their credit times amount. An ad's count is rounded to 4
  decimals and its value to cents; an ad set's figures are the sums of its ads'
  rounded figures and a campaign's the sums of its ad sets', so a parent equals
  the sum of its children. Ratios are recomputed from the sums.
* **Reach** is not additive. An ad's reach over a window is
  ``A * (1 - exp(-S / A))`` (rounded down), with ``S`` the sum of its daily reach
  and ``A`` its ad set's audience size; an ad set's is the same formula on the
  sum of its ads' daily reach (they share one audience); a campaign's is
  ``kappa`` (a fixed overlap factor per campaign, 0.85 to 0.95) times the sum of
  its ad sets' reach, and at least its largest ad set's. So reach never exceeds
  the sum of daily reach, which never exceeds impressions.
* ``parent_name``: an ad's ad set name, an ad set's campaign name, ``None`` for a
  campaign. ``daily_budget`` is ``None`` where the budget sits elsewhere (ads,
  ad sets of a CBO campaign, campaigns without CBO).
* ``daily`` holds one row per ad per day with delivery; its outcome columns are
  last-touch credit by conversion day, so credit converted on a day the ad did
  not deliver (after a pause, say) is in ``/campaigns`` but not in ``daily``.
* ``top_performers`` scores each window once, lazily, with
  ``sandbox.scoring.score_ads`` as of the last day (through
  ``sandbox.top_performers.score_window``), then filters.
"""

from __future__ import annotations

import copy
import datetime as dt
import threading
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from atribu_pandas.core.vocabulary import LEVELS, MODELS
from atribu_pandas.exceptions import ArgumentError
from atribu_pandas.sandbox.delivery import Delivery
from atribu_pandas.sandbox.journeys import Journeys
from atribu_pandas.sandbox.plans import HISTORY_DAYS
from atribu_pandas.sandbox.tables import (
    Level,
    cumulative,
    make_daily,
    make_levels,
    rollup,
    rounded,
    saturated,
)
from atribu_pandas.sandbox.top_performers import ScoredAds, score_window

__all__ = ["Profile", "ProfileData"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Profile:
    """One API key and the profile it reads.

    Attributes
    ----------
    profile_id : str
        A UUID derived from the seed.
    name : str
        The business, e.g. ``"Bright Smile Dental"``.
    api_key : str
        ``"atb_test_"`` and 32 hex digits derived from the seed.
    scopes : tuple of str
        ``("campaigns:read",)``, or ``("analytics:read",)`` for the key without it.
    size : str
        ``"small"`` or ``"large"``.
    currency : str
        ``"USD"``.
    timezone : str
        The reporting timezone whose calendar days the data uses.

    Examples
    --------
    >>> import datetime as dt
    >>> from atribu_pandas.sandbox.dataset import build_profiles
    >>> small = build_profiles(0, dt.date(2025, 6, 1))[0]
    >>> small.profile.name, small.profile.api_key.startswith("atb_test_")
    ('Bright Smile Dental', True)
    """

    profile_id: str
    name: str
    api_key: str
    scopes: tuple[str, ...]
    size: str
    currency: str
    timezone: str


class ProfileData:
    """One key's view of a profile: its entities, daily delivery and queries.

    Attributes
    ----------
    profile : Profile
        The key and the profile it reads.
    first_day, last_day : datetime.date
        The history's first and last day (``today - 400`` and ``today - 1``).
    entities : pandas.DataFrame
        One row per campaign, ad set and ad (the contract's columns).
    daily : pandas.DataFrame
        One row per ad per day with delivery, sorted by ``ad_id`` then ``date``.
    journeys : Journeys
        Conversions, touchpoints with every model's credit, credit arrays.
    pixel : numpy.ndarray of bool
        Per ad (in the order of the ad rows of ``entities``): whether Atribu's pixel sees
        its visitors; the others start no journey (``CampaignPlan.tracking``).

    Examples
    --------
    >>> import datetime as dt
    >>> from atribu_pandas.sandbox.dataset import build_profiles
    >>> large = build_profiles(0, dt.date(2025, 6, 1))[1]
    >>> sorted(large.entities["level"].unique())
    ['ad', 'ad_set', 'campaign']
    >>> bool((large.daily["reach"] <= large.daily["impressions"]).all())
    True
    """

    def __init__(
        self, profile: Profile, first_day: dt.date, delivery: Delivery, journeys: Journeys
    ) -> None:
        self.profile = profile
        self.first_day = first_day
        self.last_day = first_day + dt.timedelta(days=HISTORY_DAYS - 1)
        self.entities = delivery.entities
        self.journeys = journeys
        self.pixel = delivery.pixel
        self._n_days = HISTORY_DAYS
        self._dates = [(first_day + dt.timedelta(days=i)).isoformat() for i in range(HISTORY_DAYS)]
        self._set_of_ad = delivery.ad_set_of_ad
        self._campaign_of_set = delivery.campaign_of_set
        self._audience = delivery.audience
        self._overlap = delivery.overlap
        self._levels = make_levels(delivery)
        self.daily = make_daily(self._levels["ad"], delivery, journeys, first_day)
        self._cum_spend = cumulative(delivery.spend_cents)
        self._cum_impressions = cumulative(delivery.impressions)
        self._cum_clicks = cumulative(delivery.clicks)
        self._cum_reach = cumulative(delivery.reach)
        self._cum_count = {m: cumulative(journeys.cash_count[m]) for m in MODELS}
        self._cum_value = {m: cumulative(journeys.cash_value[m]) for m in MODELS}
        # Shared by with_profile() copies: the scores of each window, computed on first use.
        self._scores: dict[str, ScoredAds] = {}
        self._scores_lock = threading.Lock()

    def with_profile(self, profile: Profile) -> ProfileData:
        """The same data read through another key.

        Parameters
        ----------
        profile : Profile
            The other key's profile.

        Returns
        -------
        ProfileData
            A shallow copy sharing every table, array and cached score.

        Examples
        --------
        >>> import datetime as dt
        >>> from atribu_pandas.sandbox.dataset import build_profiles
        >>> small = build_profiles(0, dt.date(2025, 6, 1))[0]
        >>> import dataclasses
        >>> other = small.with_profile(dataclasses.replace(small.profile, scopes=()))
        >>> other.daily is small.daily
        True
        """
        twin = copy.copy(self)
        twin.profile = profile
        return twin

    def _span(self, date_from: dt.date, date_to: dt.date) -> tuple[int, int]:
        """Day positions ``[i0, i1)`` of a window, clipped to the history."""
        i0 = min(max((date_from - self.first_day).days, 0), self._n_days)
        i1 = min(max((date_to - self.first_day).days + 1, 0), self._n_days)
        return i0, max(i0, i1)

    # -- queries --------------------------------------------------------------------------

    def campaigns(
        self, date_from: dt.date, date_to: dt.date, model: str, level: str | None, limit: int
    ) -> list[dict[str, Any]]:
        """Rows of ``/api/v1/campaigns``: entities ranked by attributed cash value.

        Parameters
        ----------
        date_from, date_to : datetime.date
            The window, both ends included (days outside the history hold nothing).
        model : str
            An attribution model, one of ``vocabulary.MODELS``.
        level : {"campaign", "ad_set", "ad"} or None
            None: campaigns with the six base fields; a level: that level's
            entities with every field.
        limit : int
            The number of rows kept after ranking.

        Returns
        -------
        list of dict
            JSON-ready rows, by ``outcome_value`` descending, then spend
            descending, then id; entities with neither spend nor credit in the
            window are left out.

        Examples
        --------
        >>> import datetime as dt
        >>> from atribu_pandas.sandbox.dataset import build_profiles
        >>> small = build_profiles(0, dt.date(2025, 6, 1))[0]
        >>> rows = small.campaigns(dt.date(2025, 5, 1), dt.date(2025, 5, 31), "linear", "ad", 3)
        >>> len(rows), rows[0]["entity_level"]
        (3, 'ad')
        >>> rows[0]["outcome_value"] >= rows[1]["outcome_value"]
        True
        """
        if model not in MODELS:
            raise ArgumentError("model", model, "one of " + ", ".join(MODELS))
        name = "campaign" if level is None else level
        if name not in LEVELS:
            raise ArgumentError("level", level, "one of " + ", ".join(LEVELS))
        i0, i1 = self._span(date_from, date_to)

        def window(cum: npt.NDArray[Any]) -> npt.NDArray[Any]:
            return cum[:, i1] - cum[:, i0]

        spend = window(self._cum_spend)
        imps = window(self._cum_impressions)
        clicks = window(self._cum_clicks)
        reach_sum = window(self._cum_reach)
        count = rounded(window(self._cum_count[model]), 4)
        value = rounded(window(self._cum_value[model]), 2)
        reach = saturated(reach_sum, self._audience[self._set_of_ad])
        if name != "ad":
            g, size = self._set_of_ad, len(self._campaign_of_set)
            spend, imps, clicks, reach_sum = (
                rollup(x, g, size) for x in (spend, imps, clicks, reach_sum)
            )
            count = rounded(rollup(count, g, size), 4)
            value = rounded(rollup(value, g, size), 2)
            reach = saturated(reach_sum, self._audience)
        if name == "campaign":
            g, size = self._campaign_of_set, len(self._overlap)
            spend, imps, clicks = (rollup(x, g, size) for x in (spend, imps, clicks))
            count = rounded(rollup(count, g, size), 4)
            value = rounded(rollup(value, g, size), 2)
            largest = np.zeros(size, dtype=np.int64)
            np.maximum.at(largest, g, reach)
            overlapped = np.floor(self._overlap * rollup(reach, g, size)).astype(np.int64)
            reach = np.maximum(largest, overlapped)

        lv = self._levels[name]
        shown = np.flatnonzero((spend > 0) | (count > 0) | (value > 0))
        order = np.lexsort((lv.rank[shown], -spend[shown], -value[shown]))
        top = shown[order][: max(int(limit), 0)]
        return [
            self._campaign_row(lv, name, level is not None, int(k), *figures)
            for k, *figures in zip(
                top.tolist(),
                spend[top].tolist(),
                count[top].tolist(),
                value[top].tolist(),
                imps[top].tolist(),
                clicks[top].tolist(),
                reach[top].tolist(),
                strict=True,
            )
        ]

    @staticmethod
    def _campaign_row(
        lv: Level,
        level: str,
        full: bool,
        k: int,
        cents: int,
        count: float,
        value: float,
        imps: int,
        clicks: int,
        reach: int,
    ) -> dict[str, Any]:
        spend = cents / 100
        row: dict[str, Any] = {
            "campaign_id": lv.ids[k],
            "campaign_name": lv.names[k],
            "spend": spend,
            "outcome_count": count,
            "outcome_value": value,
            "roas": round(value / spend, 4) if cents else None,
        }
        if not full:
            return row
        row.update(
            entity_level=level,
            parent_name=lv.parent_names[k],
            impressions=imps,
            clicks=clicks,
            reach=reach,
            ctr=round(clicks / imps * 100, 4) if imps else None,
            avg_cpm=round(spend / imps * 1000, 2) if imps else None,
            avg_cpc=round(spend / clicks, 2) if clicks else None,
            cac=round(spend / count, 2) if count else None,
            status=lv.statuses[k],
            objective=lv.objectives[k],
            daily_budget=lv.budgets[k],
        )
        return row

    def trend(
        self, entity_ids: list[str], date_from: dt.date, date_to: dt.date, level: str
    ) -> list[dict[str, Any]]:
        """Rows of ``/api/v1/campaigns/trend``: daily delivery of some entities.

        Parameters
        ----------
        entity_ids : list of str
            Ids of entities of ``level``; unknown ids (or ids of another level)
            give no rows.
        date_from, date_to : datetime.date
            The window, both ends included.
        level : {"campaign", "ad_set", "ad"}
            The level the ids belong to.

        Returns
        -------
        list of dict
            ``entity_id, date, spend, impressions, clicks``, one row per entity
            per day with delivery, sorted by entity id then date.

        Examples
        --------
        >>> import datetime as dt
        >>> from atribu_pandas.sandbox.dataset import build_profiles
        >>> small = build_profiles(0, dt.date(2025, 6, 1))[0]
        >>> ad = small.daily["ad_id"].iloc[-1]
        >>> rows = small.trend([ad], dt.date(2025, 5, 25), dt.date(2025, 5, 31), "ad")
        >>> sorted(rows[0])
        ['clicks', 'date', 'entity_id', 'impressions', 'spend']
        """
        if level not in LEVELS:
            raise ArgumentError("level", level, "one of " + ", ".join(LEVELS))
        lv = self._levels[level]
        i0, i1 = self._span(date_from, date_to)
        found = sorted({lv.index[e] for e in entity_ids if e in lv.index}, key=lv.ids.__getitem__)
        rows: list[dict[str, Any]] = []
        for k in found:
            days = np.flatnonzero(lv.spend_cents[k, i0:i1] > 0) + i0
            entity = lv.ids[k]
            for d, cents, imps, clicks in zip(
                days.tolist(),
                lv.spend_cents[k, days].tolist(),
                lv.impressions[k, days].tolist(),
                lv.clicks[k, days].tolist(),
                strict=True,
            ):
                rows.append(
                    {
                        "entity_id": entity,
                        "date": self._dates[d],
                        "spend": cents / 100,
                        "impressions": imps,
                        "clicks": clicks,
                    }
                )
        return rows

    def top_performers(
        self,
        window: str,
        limit: int,
        min_spend: float | None,
        objectives: list[str] | None,
        truth_grades: list[str] | None,
        outcome_kinds: list[str] | None,
        formats: list[str] | None,
        has_video: bool | None,
    ) -> list[dict[str, Any]]:
        """Rows of ``/api/v1/top-performers``: scored ads, filtered, best first.

        Parameters
        ----------
        window : {"7d", "14d", "28d", "lifetime"}
            The rolling lookback ending on the last day.
        limit : int
            Rows kept after filtering.
        min_spend : float or None
            Keep ads whose window spend is at least this.
        objectives, truth_grades, outcome_kinds, formats : list of str or None
            Keep ads whose objective, ``truth_grade``, ``primary_outcome_kind`` or
            ``creative_format`` is one of these (None: no filter).
        has_video : bool or None
            Keep video (or static) creatives only.

        Returns
        -------
        list of dict
            The 51 official fields per ad, JSON-ready, by ``composite_score``
            descending.

        Examples
        --------
        >>> import datetime as dt
        >>> from atribu_pandas.sandbox.dataset import build_profiles
        >>> large = build_profiles(0, dt.date(2025, 6, 1))[1]
        >>> rows = large.top_performers("28d", 5, None, ["sales"], None, None, None, None)
        >>> len(rows) <= 5, len(rows[0])
        (True, 51)
        """
        scores = self._scored(window)
        keep = np.ones(len(scores.records), dtype=bool)
        if min_spend is not None:
            keep &= scores.spend >= min_spend
        for allowed, values in (
            (objectives, scores.objective),
            (truth_grades, scores.truth_grade),
            (outcome_kinds, scores.outcome_kind),
            (formats, scores.creative_format),
        ):
            if allowed is not None:
                keep &= np.isin(values, np.array(allowed, dtype=object))
        if has_video is not None:
            keep &= scores.has_video == has_video
        picked = np.flatnonzero(keep)[: max(int(limit), 0)]
        return [dict(scores.records[i]) for i in picked.tolist()]

    def _scored(self, window: str) -> ScoredAds:
        with self._scores_lock:
            cached = self._scores.get(window)
            if cached is None:
                cached = self._scores[window] = self._score(window)
        return cached

    def _score(self, window: str) -> ScoredAds:
        return score_window(self.entities, self.daily, window, self.last_day)
