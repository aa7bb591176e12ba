"""Date presets of the pickers: "last 28 complete days", "month to date" and the like.

Kept apart from the widgets so a script can turn a preset into dates with
:func:`preset_window` without building any control.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from atribu_pandas.core.dates import current_day, resolve_window
from atribu_pandas.exceptions import ArgumentError

__all__ = ["PRESETS", "preset_window"]

# Preset name -> label shown in the dropdown. "Complete days" end yesterday: today is
# still filling up, and a window that includes it under-reports the last day.
PRESETS: dict[str, str] = {
    "last_7_days": "Last 7 complete days",
    "last_14_days": "Last 14 complete days",
    "last_28_days": "Last 28 complete days",
    "last_90_days": "Last 90 complete days",
    "month_to_date": "Month to date",
    "last_month": "Last month",
    "quarter_to_date": "Quarter to date",
    "custom": "Custom range",
}
_LAST_DAYS = {"last_7_days": 7, "last_14_days": 14, "last_28_days": 28, "last_90_days": 90}


def preset_window(preset: str, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """Return the ``(date_from, date_to)`` of a date preset, both ends inclusive.

    Parameters
    ----------
    preset : str
        One of :data:`PRESETS` except ``"custom"``. ``last_N_days`` are the N complete days
        ending yesterday; ``month_to_date`` and ``quarter_to_date`` run from the start of
        the month (quarter) holding yesterday to yesterday, so on the 1st they cover the
        whole previous month; ``last_month`` is the calendar month before today's.
    today : datetime.date, optional
        The day to count from; defaults to ``ATRIBU_TODAY`` if set, else the earliest
        calendar day anywhere on Earth.

    Returns
    -------
    tuple of datetime.date
        ``(date_from, date_to)``, ready for the loaders: ``ap.load_campaigns(*window)``.

    Raises
    ------
    ArgumentError
        An unknown preset, or ``"custom"`` (it has no fixed window).

    Examples
    --------
    >>> preset_window("last_7_days", today=dt.date(2026, 3, 15))
    (datetime.date(2026, 3, 8), datetime.date(2026, 3, 14))
    >>> preset_window("last_month", today=dt.date(2026, 3, 15))
    (datetime.date(2026, 2, 1), datetime.date(2026, 2, 28))
    """
    allowed = [name for name in PRESETS if name != "custom"]
    if not isinstance(preset, str):
        raise ArgumentError("preset", preset, "one of " + ", ".join(allowed))
    today = _check_today(today) or current_day()
    yesterday = today - dt.timedelta(days=1)
    if preset in _LAST_DAYS:
        # The reports' own default window, so a preset and a report agree to the day.
        first, last = resolve_window(days=_LAST_DAYS[preset], today=today)
        return dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    if preset == "month_to_date":
        return yesterday.replace(day=1), yesterday
    if preset == "last_month":
        end = today.replace(day=1) - dt.timedelta(days=1)
        return end.replace(day=1), end
    if preset == "quarter_to_date":
        first_month = 3 * ((yesterday.month - 1) // 3) + 1
        return dt.date(yesterday.year, first_month, 1), yesterday
    raise ArgumentError("preset", preset, "one of " + ", ".join(allowed))


def _check_today(today: Any) -> dt.date | None:
    if today is not None and not isinstance(today, dt.date):
        raise ArgumentError("today", today, "a datetime.date, or None for the current day")
    if isinstance(today, dt.date) and not dt.date(1, 1, 2) <= today <= dt.date(9999, 11, 30):
        raise ArgumentError("today", today, "a day with a month before and after it")
    return today.date() if isinstance(today, dt.datetime) else today
