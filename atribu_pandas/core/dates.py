"""Which day it is, which days are complete, and "the last N complete days".

The one meaning of "today" for the whole package: the loaders' ``partial_day`` and
``restating`` flags, the cache's lifetimes, the widgets' presets, the report windows and
the sandbox's data all read :func:`current_day`.

The API's days are those of the profile's reporting time zone, which the API does not
send. So the current day is the earliest calendar day it is anywhere on Earth (UTC-12): a day
before it is over in every time zone, hence complete for any profile, and the last
complete day is the day before :func:`current_day`. ``ATRIBU_TODAY=YYYY-MM-DD`` pins it (a
report re-run as of a past day, a reproducible test).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from atribu_pandas.core import params as _params
from atribu_pandas.core.config import pinned_today

__all__ = [
    "DEFAULT_WINDOW_DAYS",
    "calendar_day",
    "current_day",
    "last_complete_day",
    "resolve_window",
]

# "The last 28 complete days": four whole weeks ending yesterday, so weekdays balance out.
DEFAULT_WINDOW_DAYS = 28
# A day as the API writes it, possibly with a time of day ("2026-03-25T23:59:59Z").
_DAY_AND_TIME = re.compile(
    r"(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
)
# The westmost time zone: its calendar day is the earliest one anywhere.
_WESTMOST_OFFSET = dt.timedelta(hours=12)


def calendar_day(value: Any) -> str | None:
    """Return the ``YYYY-MM-DD`` day a date or date-time string names, or None.

    A time of day, with or without a zone, names the same calendar day: the API's days
    are already the profile's, so nothing is shifted.

    Examples
    --------
    >>> calendar_day("2026-03-25T23:59:59Z"), calendar_day("2026-03-25")
    ('2026-03-25', '2026-03-25')
    >>> calendar_day("25/03/2026") is None
    True
    """
    if not isinstance(value, str):
        return None
    match = _DAY_AND_TIME.fullmatch(value.strip())
    return match.group(1) if match else None


def current_day(now: dt.datetime | None = None) -> dt.date:
    """Return the package's current day: the earliest calendar day anywhere at ``now``.

    Parameters
    ----------
    now : datetime.datetime, optional
        An aware instant. When omitted, ``ATRIBU_TODAY`` is used if set, else the clock.

    Returns
    -------
    datetime.date

    Examples
    --------
    >>> current_day(dt.datetime(2026, 3, 20, 9, 0, tzinfo=dt.UTC))  # still the 19th at UTC-12
    datetime.date(2026, 3, 19)
    >>> current_day(dt.datetime(2026, 3, 20, 13, 0, tzinfo=dt.UTC))
    datetime.date(2026, 3, 20)
    """
    if now is None:
        pinned = pinned_today()
        if pinned is not None:
            return pinned
        now = dt.datetime.now(dt.UTC)
    return (now - _WESTMOST_OFFSET).date()


def last_complete_day(now: dt.datetime | None = None) -> dt.date:
    """Return the last day that is over in every time zone: the day before :func:`current_day`.

    Examples
    --------
    >>> last_complete_day(dt.datetime(2026, 3, 20, 13, 0, tzinfo=dt.UTC))
    datetime.date(2026, 3, 19)
    """
    return current_day(now) - dt.timedelta(days=1)


def resolve_window(
    date_from: Any = None,
    date_to: Any = None,
    *,
    days: int = DEFAULT_WINDOW_DAYS,
    today: dt.date | None = None,
) -> tuple[str, str]:
    """Return the report's window, filling a missing end from the last N complete days.

    This is the one implementation of "the last N complete days": the date presets of
    ``widgets`` and the report notebooks call it.

    Parameters
    ----------
    date_from, date_to : str, date, datetime, pandas.Timestamp, None or ""
        The window's inclusive ends. ``date_to`` defaults to the last complete day (the
        day before :func:`current_day`); ``date_from`` to ``days - 1`` days before ``date_to``.
    days : int, default 28
        Days in the window when ``date_from`` is missing.
    today : datetime.date, optional
        The current day; defaults to :func:`current_day`.

    Returns
    -------
    tuple of str
        ``("YYYY-MM-DD", "YYYY-MM-DD")``.

    Raises
    ------
    ArgumentError
        A bad date, ``date_from`` after ``date_to`` or more than 366 days.

    Examples
    --------
    >>> import datetime as dt
    >>> resolve_window(None, None, today=dt.date(2026, 3, 29))
    ('2026-03-01', '2026-03-28')
    >>> resolve_window("2026-03-10", "", today=dt.date(2026, 3, 29))
    ('2026-03-10', '2026-03-28')
    >>> resolve_window(days=7, today=dt.date(2026, 3, 29))
    ('2026-03-22', '2026-03-28')
    """
    today = today or current_day()
    end = (
        _params.check_date(date_to, "date_to")
        if date_to not in (None, "")
        else today - dt.timedelta(days=1)
    )
    start = (
        _params.check_date(date_from, "date_from")
        if date_from not in (None, "")
        else end - dt.timedelta(days=days - 1)
    )
    return _params.check_date_range(start, end)
