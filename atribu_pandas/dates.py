"""Report windows: "the last N complete days", shared by the reports and the widgets.

One small module so that the date presets of :mod:`atribu_pandas.widgets` and the report
notebooks agree to the day without the widgets importing the report renderer.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from atribu_pandas import params as _params

__all__ = ["DEFAULT_WINDOW_DAYS", "resolve_window"]

# "The last 28 complete days": four whole weeks ending yesterday, so weekdays balance out.
DEFAULT_WINDOW_DAYS = 28


def resolve_window(
    date_from: Any = None,
    date_to: Any = None,
    *,
    days: int = DEFAULT_WINDOW_DAYS,
    today: dt.date | None = None,
) -> tuple[str, str]:
    """Return the report's window, filling a missing end from the last N complete days.

    This is the one implementation of "the last N complete days ending yesterday": the
    date presets of :mod:`atribu_pandas.widgets` and the report notebooks call it.

    Parameters
    ----------
    date_from, date_to : str, date, datetime, pandas.Timestamp, None or ""
        The window's inclusive ends. ``date_to`` defaults to yesterday (the last complete
        day); ``date_from`` defaults to ``days - 1`` days before ``date_to``.
    days : int, default 28
        Days in the window when ``date_from`` is missing.
    today : datetime.date, optional
        The current day; defaults to :meth:`datetime.date.today`.

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
    today = today or dt.date.today()
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
