"""Campaign figures period by period, and a window against the one before (or a year ago).

``/campaigns`` answers one total per window and ``/campaigns/trend`` has no outcomes, so
ROAS over time needs one ``/campaigns`` request per period. :func:`load_campaign_periods`
makes them concurrently (within the key's rate limit), each cached by its own freshness
(a settled week keeps 24 hours, a week touching the last 3 days 15 minutes), and returns
one long frame. :func:`load_period_comparison` is the same with two windows: the one asked
for and its reference.

``limit`` applies per period: an entity outside a period's top ``limit`` (by outcome
value) is absent from that period, not zero. The default is the API's maximum, 100.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from atribu_pandas.client.cache import expire_after_for
from atribu_pandas.client.client import ApiResponse, Client
from atribu_pandas.core import params as p
from atribu_pandas.core.config import CAMPAIGNS_PATH
from atribu_pandas.core.dates import current_day
from atribu_pandas.exceptions import ArgumentError, TruncatedResultWarning, warn_caller
from atribu_pandas.frames.build import build_frame
from atribu_pandas.frames.quality import window_flags, with_quality
from atribu_pandas.frames.schemas import schema_for
from atribu_pandas.loaders.engine import _get_many, _load, _validated

__all__ = [
    "AGAINST",
    "FREQUENCIES",
    "MAX_PERIODS",
    "Period",
    "load_campaign_periods",
    "load_period_comparison",
    "split_periods",
]

FREQUENCIES: tuple[str, ...] = ("D", "W", "M")
# pandas 2.2 spells the calendar month "ME", which the accessor's pivots and rollups accept
# too: the same months here, recorded under the one name.
_FREQUENCY_ALIASES = {"ME": "M"}
AGAINST: tuple[str, ...] = ("previous", "year_ago")
# More periods than this is a mistake (a decade of days); the requests would take an hour.
MAX_PERIODS = 400
# Periods are many small requests: more in flight than a plain multi-request load.
PERIOD_WORKERS = 16
PERIOD_COLUMNS: tuple[str, ...] = ("period_start", "period_end", "is_partial", "restating")


@dataclass(frozen=True)
class Period:
    """One period: its calendar bounds and the part of the window that falls in it.

    Attributes
    ----------
    start, end : datetime.date
        The whole calendar period (a Monday to a Sunday for ``"W"``).
    date_from, date_to : datetime.date
        The days requested: the period cut to the window.
    """

    start: dt.date
    end: dt.date
    date_from: dt.date
    date_to: dt.date

    @property
    def cut(self) -> bool:
        """Whether the window leaves out some of the period's days."""
        return (self.date_from, self.date_to) != (self.start, self.end)


def _period_of(day: dt.date, freq: str) -> tuple[dt.date, dt.date]:
    if freq == "D":
        return day, day
    if freq == "W":  # ISO weeks: Monday to Sunday
        start = day - dt.timedelta(days=day.weekday())
        return start, start + dt.timedelta(days=6)
    start = day.replace(day=1)
    following = (start + dt.timedelta(days=32)).replace(day=1)
    return start, following - dt.timedelta(days=1)


def _check_freq(freq: Any) -> str:
    if isinstance(freq, str):
        freq = _FREQUENCY_ALIASES.get(freq, freq)
    if not isinstance(freq, str) or freq not in FREQUENCIES:
        raise ArgumentError(
            "freq",
            freq,
            "one of D (days), W (ISO weeks, Monday start), M or ME (calendar months)",
        )
    return freq


def split_periods(date_from: Any, date_to: Any, freq: str = "W") -> list[Period]:
    """Split a window into calendar periods, cutting the first and last to the window.

    Parameters
    ----------
    date_from, date_to : str, date, datetime or pandas.Timestamp
        The window, both days inclusive (any length up to :data:`MAX_PERIODS` periods).
    freq : {"D", "W", "M", "ME"}, default "W"
        Days, ISO weeks (Monday to Sunday) or calendar months (``"M"`` and ``"ME"`` alike).

    Returns
    -------
    list of Period

    Raises
    ------
    ArgumentError
        A bad date or frequency, an inverted window, or more than 400 periods.

    Examples
    --------
    >>> for x in split_periods("2026-03-04", "2026-03-16", "W"):
    ...     print(x.start, x.end, "asks", x.date_from, x.date_to, "cut" if x.cut else "whole")
    2026-03-02 2026-03-08 asks 2026-03-04 2026-03-08 cut
    2026-03-09 2026-03-15 asks 2026-03-09 2026-03-15 whole
    2026-03-16 2026-03-22 asks 2026-03-16 2026-03-16 cut
    """
    start = p.check_date(date_from, "date_from")
    end = p.check_date(date_to, "date_to")
    if start > end:
        raise ArgumentError(
            "date_from", start.isoformat(), f"a day on or before date_to={end.isoformat()}"
        )
    freq = _check_freq(freq)
    periods: list[Period] = []
    day = start
    while day <= end:
        first, last = _period_of(day, freq)
        periods.append(Period(first, last, max(first, start), min(last, end)))
        if len(periods) > MAX_PERIODS:
            raise ArgumentError(
                "date_to",
                end.isoformat(),
                f"a window of at most {MAX_PERIODS} periods of freq={freq!r} "
                "(use a coarser freq or a shorter window)",
            )
        day = last + dt.timedelta(days=1)
    return periods


def load_campaign_periods(
    date_from: Any,
    date_to: Any,
    freq: str = "W",
    *,
    model: str = "last_touch",
    level: str | None = None,
    limit: int = 100,
    client: Client | None = None,
    refresh: bool = False,
) -> pd.DataFrame:
    """Load campaign (or ad set, or ad) performance period by period: ROAS over time.

    One ``/campaigns`` request per period, run concurrently within the key's rate limit
    (with a progress bar in notebooks), each cached by its own freshness.

    Parameters
    ----------
    date_from, date_to : str, date, datetime or pandas.Timestamp
        The window, both days inclusive; it may span several years.
    freq : {"D", "W", "M", "ME"}, default "W"
        Days, ISO weeks (Monday start) or calendar months (``"M"`` and ``"ME"`` alike).
    model : str, default "last_touch"
        One of :data:`~atribu_pandas.MODELS`.
    level : {None, "campaign", "ad_set", "ad"}
        As in :func:`~atribu_pandas.load_campaigns`.
    limit : int, default 100
        Rows **per period** (1 to 100): an entity outside a period's top ``limit`` by
        outcome value is absent from that period, not zero. One
        :class:`~atribu_pandas.TruncatedResultWarning` names the periods that returned
        exactly ``limit`` rows.
    client : Client, optional
        The connection to use; default :func:`~atribu_pandas.default_client` (your
        ``ATRIBU_API_KEY``, else the sandbox's demo data).
    refresh : bool, default False
        Skip the caches and fetch again.

    Returns
    -------
    pandas.DataFrame
        One row per entity per period: ``period_start`` and ``period_end`` (the whole
        calendar period, datetime64), ``is_partial`` (the window cuts the period, or it
        reaches a day not over yet), ``restating`` (the period touches the last 3 days),
        every campaign column, and ``low_evidence``. ``attrs["atribu"]`` holds every
        request id, ``periods`` (each period's requested days) and ``quality``.

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> sb = ap.sandbox.start()
    >>> weeks = ap.load_campaign_periods(sb.last_day - dt.timedelta(days=55), sb.last_day,
    ...                                  freq="W", client=sb.client())
    >>> weeks["period_start"].dt.day_of_week.unique().tolist()  # every week starts on Monday
    [0]
    >>> total = ap.load_campaigns(sb.last_day - dt.timedelta(days=55), sb.last_day,
    ...                           limit=100, client=sb.client())
    >>> bool(round(weeks["spend"].sum(), 2) == round(total["spend"].sum(), 2))
    True
    >>> sb.stop()
    """
    freq = _check_freq(freq)
    periods = split_periods(date_from, date_to, freq)
    return _load_windows(
        periods,
        {"freq": freq},
        model=model,
        level=level,
        limit=limit,
        client=client,
        refresh=refresh,
        label="periods",
    )


def _reference_window(start: dt.date, end: dt.date, against: str) -> tuple[dt.date, dt.date]:
    if against == "previous":
        length = end - start + dt.timedelta(days=1)
        return start - length, end - length

    def year_before(day: dt.date) -> dt.date:
        try:
            return day.replace(year=day.year - 1)
        except ValueError:  # 29 February: the year before has the 28th
            return day.replace(year=day.year - 1, day=28)

    return year_before(start), year_before(end)


def load_period_comparison(
    date_from: Any,
    date_to: Any,
    against: str = "previous",
    *,
    model: str = "last_touch",
    level: str | None = None,
    limit: int = 100,
    client: Client | None = None,
    refresh: bool = False,
) -> pd.DataFrame:
    """Load a window and its reference window, ready for ``df.atribu.compare_periods()``.

    Parameters
    ----------
    date_from, date_to : str, date, datetime or pandas.Timestamp
        The current window, both days inclusive, at most 366 days.
    against : {"previous", "year_ago"}, default "previous"
        ``"previous"``: the same number of days just before; ``"year_ago"``: the same
        dates a year earlier (29 February becomes the 28th).
    model : str, default "last_touch"
        One of :data:`~atribu_pandas.MODELS`.
    level : {None, "campaign", "ad_set", "ad"}
        As in :func:`~atribu_pandas.load_campaigns`.
    limit : int, default 100
        Rows asked for each window (1 to 100).
    client : Client, optional
        The connection to use; default :func:`~atribu_pandas.default_client` (your
        ``ATRIBU_API_KEY``, else the sandbox's demo data).
    refresh : bool, default False
        Skip the caches and fetch again.

    Returns
    -------
    pandas.DataFrame
        A period frame with two periods, the reference first: ``period_start`` and
        ``period_end`` are each window's bounds. ``attrs["atribu"]["comparison"]`` names
        both windows and ``against``.

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> sb = ap.sandbox.start()
    >>> both = ap.load_period_comparison(sb.last_day - dt.timedelta(days=27), sb.last_day,
    ...                                  client=sb.client())
    >>> [str(d.date()) for d in both["period_start"].unique()] == [
    ...     str(sb.last_day - dt.timedelta(days=55)), str(sb.last_day - dt.timedelta(days=27))]
    True
    >>> "against the previous period" in both.atribu.compare_periods().summary()
    True
    >>> sb.stop()
    """
    start_s, end_s = p.check_date_range(date_from, date_to)
    if not isinstance(against, str) or against not in AGAINST:
        raise ArgumentError("against", against, "one of " + ", ".join(AGAINST))
    start, end = dt.date.fromisoformat(start_s), dt.date.fromisoformat(end_s)
    ref_start, ref_end = _reference_window(start, end, against)
    periods = [
        Period(ref_start, ref_end, ref_start, ref_end),
        Period(start, end, start, end),
    ]
    frame = _load_windows(
        periods,
        {"against": against},
        model=model,
        level=level,
        limit=limit,
        client=client,
        refresh=refresh,
        label="windows",
    )
    frame.attrs["atribu"]["comparison"] = {
        "against": against,
        "current": (start_s, end_s),
        "reference": (ref_start.isoformat(), ref_end.isoformat()),
    }
    return frame


def _load_windows(
    periods: list[Period],
    extra: dict[str, Any],
    *,
    model: str,
    level: str | None,
    limit: int,
    client: Client | None,
    refresh: bool,
    label: str,
) -> pd.DataFrame:
    """One /campaigns request per period, joined in a long frame with period columns."""
    checked_model = p.check_model(model)
    lim = p.check_limit(limit, p.CAMPAIGNS_LIMIT)
    lev = p.check_level(level, optional=True)
    queries: list[dict[str, Any]] = [
        {
            "date_from": x.date_from.isoformat(),
            "date_to": x.date_to.isoformat(),
            "model": checked_model,
            "limit": lim,
            "level": lev,
        }
        for x in periods
    ]
    ttls = [expire_after_for("campaigns", q["date_to"]) for q in queries]
    schema = schema_for("CampaignDetails" if lev else "Campaigns")
    first, last = periods[0].date_from.isoformat(), periods[-1].date_to.isoformat()
    memo_query = {
        "date_from": first,
        "date_to": last,
        "windows": ",".join(f"{x.start}:{x.date_from}:{x.date_to}" for x in periods),
        "model": checked_model,
        "limit": lim,
        "level": lev,
    }

    def fetch(c: Client) -> tuple[pd.DataFrame, list[ApiResponse]]:
        responses = _get_many(c, CAMPAIGNS_PATH, queries, ttls, refresh, label, PERIOD_WORKERS)
        full = [str(x.start) for x, r in zip(periods, responses, strict=True) if len(r.data) == lim]
        if full:
            warn_caller(
                f"/campaigns returned exactly limit={lim} rows for {len(full)} of "
                f"{len(periods)} periods (first: {full[0]}): entities outside a period's top "
                f"{lim} are absent there; raise limit (at most {p.CAMPAIGNS_LIMIT[1]}) to "
                "see more.",
                TruncatedResultWarning,
            )
        records = [row for r in responses for row in r.data]
        body = _validated(build_frame(records, schema), schema, responses)
        counts = np.array([len(r.data) for r in responses])
        take = np.repeat(np.arange(len(periods)), counts)
        columns = {
            "period_start": pd.to_datetime([x.start for x in periods]).to_numpy()[take],
            "period_end": pd.to_datetime([x.end for x in periods]).to_numpy()[take],
        }
        head = pd.DataFrame(columns, index=body.index)
        return pd.concat([head, body], axis=1), responses

    frame = _load(client, CAMPAIGNS_PATH + "#periods", memo_query, min(ttls), refresh, fetch)
    info = frame.attrs["atribu"]
    info["params"] = {**extra, **{k: v for k, v in memo_query.items() if k != "windows"}}
    info["params"] = {k: v for k, v in info["params"].items() if v is not None}
    info["meta"] = {**info.get("meta", {}), "date_from": first, "date_to": last}
    info["periods"] = [
        {
            "period_start": x.start.isoformat(),
            "period_end": x.end.isoformat(),
            "date_from": x.date_from.isoformat(),
            "date_to": x.date_to.isoformat(),
        }
        for x in periods
    ]
    _flag_periods(frame, periods)
    return with_quality(frame, first, last)


def _flag_periods(frame: pd.DataFrame, periods: list[Period]) -> None:
    """Per-row ``is_partial`` and ``restating`` from each row's period (now, not cached)."""
    today = current_day()
    cut = {pd.Timestamp(x.start): x.cut or x.date_to >= today for x in periods}
    restating = {
        pd.Timestamp(x.start): window_flags(x.date_from, x.date_to)["restating"] for x in periods
    }
    starts = frame["period_start"]
    at = list(frame.columns).index("period_end") + 1
    for name, table in (("is_partial", cut), ("restating", restating)):
        values = starts.map(table).astype(bool) if len(frame) else pd.Series(dtype=bool)
        if name in frame.columns:
            frame[name] = values.to_numpy()
        else:
            frame.insert(at, name, values.to_numpy())
        at += 1
