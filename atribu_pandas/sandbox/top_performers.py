"""The table ``/api/v1/top-performers`` reads: one window's scored ads, JSON-ready.

:func:`score_window` scores a profile's ads with
``sandbox.scoring.score_ads`` as of the profile's last day and keeps
the rows as JSON-ready dicts (numpy scalars as Python numbers, NaN as None, dates as
ISO strings) beside the columns the query's filters read.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from atribu_pandas.sandbox.scoring import score_ads

__all__ = ["ScoredAds", "score_window"]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class ScoredAds:
    """One window's scored ads as JSON-ready rows, with the columns filters read."""

    records: list[dict[str, Any]]
    spend: FloatArray
    objective: npt.NDArray[np.object_]
    truth_grade: npt.NDArray[np.object_]
    outcome_kind: npt.NDArray[np.object_]
    creative_format: npt.NDArray[np.object_]
    has_video: BoolArray


def score_window(
    entities: pd.DataFrame, daily: pd.DataFrame, window: str, as_of: dt.date
) -> ScoredAds:
    """Score a profile's ads over one window, best first, as JSON-ready rows.

    Parameters
    ----------
    entities : pandas.DataFrame
        The profile's campaigns, ad sets and ads (``ProfileData.entities``).
    daily : pandas.DataFrame
        One row per ad per day with delivery (``ProfileData.daily``).
    window : {"7d", "14d", "28d", "lifetime"}
        The rolling lookback ending on ``as_of``.
    as_of : datetime.date
        The window's last day.

    Returns
    -------
    ScoredAds
        The 51 official fields per ad (by ``composite_score`` descending) and, in the
        same order, each ad's spend, objective, truth grade, outcome kind, format and
        whether it has a video.

    Examples
    --------
    >>> import datetime as dt
    >>> from atribu_pandas.sandbox.dataset import build_profiles
    >>> small = build_profiles(0, dt.date(2025, 6, 1))[0]
    >>> scored = score_window(small.entities, small.daily, "28d", small.last_day)
    >>> len(scored.records) == len(scored.spend), len(scored.records[0])
    (True, 51)
    """
    e = entities
    names = dict(zip(e["entity_id"], e["name"], strict=True))
    ads = e[e["level"] == "ad"].reset_index(drop=True)
    ads["ad_name"] = ads["name"]
    ads["ad_set_name"] = ads["ad_set_id"].map(names)
    ads["campaign_name"] = ads["campaign_id"].map(names)
    frame = score_ads(ads, daily, window=window, as_of=as_of)
    position = {external: n for n, external in enumerate(ads["external_id"])}
    rows = [position[a] for a in frame["ad_external_id"]]
    return ScoredAds(
        records=[_plain(r) for r in frame.to_dict("records")],
        spend=frame["spend"].to_numpy(dtype=np.float64),
        objective=ads["objective"].to_numpy(dtype=object)[rows],
        truth_grade=frame["truth_grade"].to_numpy(dtype=object),
        outcome_kind=frame["primary_outcome_kind"].to_numpy(dtype=object),
        creative_format=ads["creative_format"].to_numpy(dtype=object)[rows],
        has_video=ads["has_video"].to_numpy(dtype=bool)[rows],
    )


def _plain(value: Any) -> Any:
    """A JSON-ready copy: numpy scalars to Python, NaN and NA to None, dates to ISO strings."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | np.ndarray):
        return [_plain(v) for v in value]
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
