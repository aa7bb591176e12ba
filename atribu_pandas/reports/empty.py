"""The one page a report shows when its window has no data, and what to try instead.

:meth:`atribu_pandas.reports.Report.end_if_empty` shows it and stops the notebook; the
export keeps it and the footer only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from atribu_pandas.core.dates import last_complete_day
from atribu_pandas.core.language import gettext as _
from atribu_pandas.core.params import check_date_range
from atribu_pandas.display.markup import escape
from atribu_pandas.reports.helpers import current, display_html, report_info
from atribu_pandas.reports.run import EMPTY_MARK

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["empty_window_advice", "show_empty"]


def empty_window_advice(date_from: Any, date_to: Any, *frames: pd.DataFrame) -> list[str]:
    """What to try when a report's window had no delivery, fitting why it may have had none.

    A window that reaches past the last complete day cannot hold those days yet; one on
    demo data cannot be helped by ``--demo``; otherwise an earlier-than-history window is
    the likely cause. The last complete day is ``core.dates.last_complete_day``.

    Parameters
    ----------
    date_from, date_to : str or datetime.date
        The report's window, both days included.
    *frames : pandas.DataFrame
        The frames the report loaded; when any came from the sandbox, the advice is about
        the demo data's days instead of the client's accounts.

    Returns
    -------
    list of str
        The suggestions, one sentence each, in the report's language (for
        :func:`~atribu_pandas.reports.show_empty`).

    Examples
    --------
    >>> import datetime as dt
    >>> from atribu_pandas.core.dates import last_complete_day
    >>> future = last_complete_day() + dt.timedelta(days=30)
    >>> empty_window_advice(future, future + dt.timedelta(days=6))[0].startswith("This window")
    True

    On the sandbox, the advice points at the days the demo data holds:

    >>> import atribu_pandas as ap
    >>> camps = ap.load_campaigns("2024-01-01", "2024-01-28")
    >>> for line in empty_window_advice("2024-01-01", "2024-01-28", camps):
    ...     print(line)
    Pick a later or longer window (--date-from, --date-to); by default a report covers the last \
28 complete days.
    The demo data holds the 400 days before the last complete day: pick a window inside them.
    """
    start, end = check_date_range(date_from, date_to)
    last = last_complete_day()
    shown = current().formats.date(last)
    demo = any(bool(report_info(frame).get("demo")) for frame in frames)
    tries: list[str] = []
    if start > last.isoformat():
        tries.append(
            _(
                "This window starts after the last complete day ({day}): no data can exist "
                "for it yet. Pick a window that ends on or before that day."
            ).format(day=shown)
        )
    elif end > last.isoformat():
        tries.append(
            _(
                "This window reaches past the last complete day ({day}): those days are not "
                "over everywhere yet. End it on or before that day."
            ).format(day=shown)
        )
    else:
        tries.append(
            _(
                "Pick a later or longer window (--date-from, --date-to); by default a report "
                "covers the last 28 complete days."
            )
        )
    if demo:
        tries.append(
            _(
                "The demo data holds the 400 days before the last complete day: pick a "
                "window inside them."
            )
        )
    else:
        tries.append(
            _("Check in Atribu that the client's ad accounts are connected and have synced.")
        )
        tries.append(_("Run the report with --demo to see what it shows on demo data."))
    return tries


def show_empty(what: str, tries: Sequence[str]) -> None:
    """Display the one page a report shows when its window has no data.

    Everything below it, except the footer, is left out of the exported report, and the
    command line says so on stderr.

    Parameters
    ----------
    what : str
        What was empty, in plain words.
    tries : sequence of str
        What to try instead, one suggestion each.

    Examples
    --------
    >>> show_empty("No delivery.", ["Pick a later window."])  # doctest: +SKIP
    """
    items = "".join(f"<li>{escape(t)}</li>" for t in tries)
    instead = escape(_("What to try instead:"))
    display_html(
        f'<div class="atribu-empty"><p><b>{escape(what)}</b></p>'
        f"<p>{instead}</p><ul>{items}</ul></div>",
        metadata={EMPTY_MARK: what},
    )
