"""Data-quality flags on every ``/campaigns``-derived frame: how far to trust each figure.

Three flags, each from Atribu's own documented behaviour:

* ``restating``: the window touches the last 3 days, which Atribu is still back-filling
  (the same rule that keeps such answers only 15 minutes in the cache), so its figures
  can still change;
* ``partial_day``: the window reaches a day that is not over yet (somewhere on Earth: the
  client does not know the profile's timezone, so it never calls a day complete early);
* ``low_evidence``: a row with fewer than :data:`LOW_EVIDENCE_OUTCOMES` attributed
  outcomes, whose ROAS and CAC rest on a handful of conversions.

The window flags live in ``df.attrs["atribu"]["quality"]`` (and, on period frames, as
per-row columns); ``low_evidence`` is a column. Plots hatch the flagged bars and reports
print :func:`footnote` under them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from atribu_pandas.client.cache import RECENT_DAYS
from atribu_pandas.core.dates import current_day
from atribu_pandas.core.language import gettext as _
from atribu_pandas.core.language import ngettext

__all__ = [
    "LOW_EVIDENCE_OUTCOMES",
    "footnote",
    "low_evidence",
    "window_flags",
    "with_quality",
]

# Fewer attributed outcomes than this and one conversion more or less moves ROAS a lot.
LOW_EVIDENCE_OUTCOMES = 5


def _day(value: Any) -> dt.date:
    return pd.Timestamp(value).date()


def window_flags(
    date_from: Any, date_to: Any, *, now: dt.datetime | None = None
) -> dict[str, bool]:
    """Return the window's ``restating`` and ``partial_day`` flags.

    Parameters
    ----------
    date_from, date_to : str, date or Timestamp
        The window, both days inclusive.
    now : datetime, optional
        The current UTC time (for tests).

    Returns
    -------
    dict
        ``restating``: the window ends within the last 3 days (figures can still change);
        ``partial_day``: it reaches a day not yet over everywhere.

    Examples
    --------
    >>> now = dt.datetime(2026, 3, 20, 18, 0, tzinfo=dt.UTC)  # 03-20 at UTC-12 too
    >>> window_flags("2026-03-01", "2026-03-16", now=now)
    {'restating': False, 'partial_day': False}
    >>> window_flags("2026-03-01", "2026-03-17", now=now)
    {'restating': True, 'partial_day': False}
    >>> window_flags("2026-03-14", "2026-03-20", now=now)
    {'restating': True, 'partial_day': True}
    """
    del date_from  # a window's flags depend on its last day only; kept for a clear call
    today = current_day(now)
    last = _day(date_to)
    return {
        "restating": last >= today - dt.timedelta(days=RECENT_DAYS),
        "partial_day": last >= today,
    }


def low_evidence(outcome_count: pd.Series) -> pd.Series:
    """Return a boolean Series: True where fewer than 5 outcomes were attributed.

    A missing count is low evidence too: nothing supports the row's ratios.

    Examples
    --------
    >>> low_evidence(pd.Series([0, 4, 5, None], dtype="Int64")).tolist()
    [True, True, False, True]
    """
    counts = outcome_count.to_numpy(dtype="float64", na_value=np.nan)
    flags = ~(counts >= LOW_EVIDENCE_OUTCOMES)
    return pd.Series(flags, index=outcome_count.index, name="low_evidence", dtype=bool)


def with_quality(
    frame: pd.DataFrame, date_from: Any, date_to: Any, *, now: dt.datetime | None = None
) -> pd.DataFrame:
    """Add the ``low_evidence`` column and ``attrs["atribu"]["quality"]`` to a frame, in place.

    Parameters
    ----------
    frame : pandas.DataFrame
        A ``/campaigns`` frame (``outcome_count`` per row).
    date_from, date_to : str, date or Timestamp
        Its window.
    now : datetime, optional

    Returns
    -------
    pandas.DataFrame
        ``frame`` itself, with ``low_evidence`` (bool) and, in ``attrs["atribu"]``,
        ``quality``: ``restating``, ``partial_day``, ``low_evidence_rows``,
        ``min_outcomes`` and ``note`` (the :func:`footnote`).

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> sb = ap.sandbox.start()
    >>> df = ap.load_campaigns(sb.last_day - dt.timedelta(days=27), sb.last_day,
    ...                        client=sb.client())
    >>> df.attrs["atribu"]["quality"]["restating"]  # the last 3 days are still filling in
    True
    >>> sb.stop()
    """
    if "outcome_count" in frame.columns:
        frame["low_evidence"] = low_evidence(frame["outcome_count"])
    quality: dict[str, Any] = dict(window_flags(date_from, date_to, now=now))
    quality["low_evidence_rows"] = (
        int(frame["low_evidence"].sum()) if "low_evidence" in frame.columns else 0
    )
    quality["min_outcomes"] = LOW_EVIDENCE_OUTCOMES
    quality["note"] = footnote(quality)
    frame.attrs.setdefault("atribu", {})["quality"] = quality
    return frame


def footnote(quality: dict[str, Any] | None) -> str:
    """Return the plain-words footnote for a frame's quality flags ("" when none apply).

    Parameters
    ----------
    quality : dict or None
        ``attrs["atribu"]["quality"]`` of a frame.

    Returns
    -------
    str

    Examples
    --------
    >>> text = footnote({"restating": True, "partial_day": False, "low_evidence_rows": 2})
    >>> text.startswith("Figures for the last 3 days can still change")
    True
    >>> "2 rows rest on fewer than 5 outcomes" in text
    True
    """
    if not quality:
        return ""
    parts = []
    if quality.get("restating"):
        parts.append(
            _(
                "Figures for the last {days} days can still change (Atribu is still filling "
                "them in)."
            ).format(days=RECENT_DAYS)
        )
    if quality.get("partial_day"):
        parts.append(_("The last day is not over yet, so its figures are partial."))
    rows = int(quality.get("low_evidence_rows") or 0)
    if rows:
        parts.append(
            ngettext(
                "{rows} row rests on fewer than {outcomes} outcomes: read its ROAS and cost "
                "per outcome with care.",
                "{rows} rows rest on fewer than {outcomes} outcomes: read their ROAS and cost "
                "per outcome with care.",
                rows,
            ).format(rows=rows, outcomes=LOW_EVIDENCE_OUTCOMES)
        )
    return " ".join(parts)
