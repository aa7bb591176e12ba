"""One report in a notebook: its window, its formats, the frames it shows, and its end.

A template's cells read like an analyst's notebook because the bookkeeping lives here:

>>> report = setup("Weekly", subtitle="What happened.", show=False)  # doctest: +SKIP
>>> camps = report.keep(ap.load_campaigns(*report.window))  # doctest: +SKIP
>>> report.banner()  # doctest: +SKIP
>>> report.end_if_empty(camps, "nothing was spent")  # doctest: +SKIP

:meth:`Report.end_if_empty` shows the one page an empty window gets and stops the
notebook with :class:`ReportEnded`, which shows no traceback; ``render`` then runs only
the cell tagged ``footer``. So no cell below needs an ``if not frame.empty`` guard.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from atribu_pandas.core.language import gettext as _
from atribu_pandas.core.language import ngettext
from atribu_pandas.display.formats import DEFAULT_LOCALE, Formats
from atribu_pandas.display.labels import model_description, model_name
from atribu_pandas.exceptions import (
    DemoDataWarning,
    EmptyResultWarning,
    ReachNotAdditiveWarning,
    TruncatedResultWarning,
)
from atribu_pandas.reports.empty import empty_window_advice, show_empty
from atribu_pandas.reports.footer import show_footer
from atribu_pandas.reports.helpers import (
    show_banner,
    show_markdown,
    stamp_formats,
    start,
)

__all__ = ["Report", "ReportEnded", "setup"]


class ReportEnded(Exception):
    """The window had no data: the empty-window page is shown and the report stops here."""

    def _render_traceback_(self) -> list[str]:
        # IPython's hook: the page above says everything, so no traceback is shown.
        return []


@dataclass
class Report:
    """The report being written: its window, its formats and the frames it showed.

    Attributes
    ----------
    date_from, date_to : str
        The window, ``YYYY-MM-DD``, both days included.
    formats : Formats
        Money, numbers, ratios and dates in the report's currency and locale.
    frames : list of pandas.DataFrame
        What :meth:`keep` was given: the banner, the footer and the empty-window advice
        read them.
    appendix : list of (str, str)
        Rows the footer's appendix adds after its own (:meth:`with_thumbnails`'s).
    """

    date_from: str
    date_to: str
    formats: Formats
    frames: list[pd.DataFrame] = field(default_factory=list)
    #: Rows the report adds to the footer's appendix (the thumbnails' line).
    appendix: list[tuple[str, str]] = field(default_factory=list)

    @property
    def window(self) -> tuple[str, str]:
        """``(date_from, date_to)``, to pass on: ``ap.load_campaigns(*report.window)``."""
        return self.date_from, self.date_to

    @property
    def days(self) -> int:
        """Days in the window, both ends included."""
        return (pd.Timestamp(self.date_to) - pd.Timestamp(self.date_from)).days + 1

    def keep(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Record a frame the report is about (the banner, the footer's data window and
        the empty-window advice read it) and :meth:`stamp` it; returns the frame."""
        self.frames.append(self.stamp(frame))
        return frame

    def stamp(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Put the report's currency and locale on a frame, so its charts say what the
        tables say (a lead-in trend drawn but not reported on); returns the frame."""
        return stamp_formats(frame)

    def with_thumbnails(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Return ``frame`` with the ads' pictures in a ``creative_thumbnail`` column, and
        note in the appendix how many could not be shown and why (see
        :mod:`atribu_pandas.reports.thumbnails`)."""
        from atribu_pandas.reports.thumbnails import add_thumbnails, thumbnail_row

        shown, pictures = add_thumbnails(frame)
        row = thumbnail_row(pictures)
        if row is not None:
            self.appendix.append(row)
        return shown

    def banner(self, key_variable: str = "ATRIBU_API_KEY") -> bool:
        """Show the demo-data banner when any kept frame came from the sandbox."""
        return show_banner(*self.frames, key_variable=key_variable)

    def end_if_empty(
        self, frame: pd.DataFrame, what: str, *, advice: Sequence[str] | None = None
    ) -> None:
        """When ``frame`` has no rows, show the empty-window page and end the report.

        Parameters
        ----------
        frame : pandas.DataFrame
        what : str
            What the empty window means, a whole sentence in the report's language
            (``_("Nothing was spent and nothing was attributed.")``); the window's dates
            are said before it, unless ``advice`` is given (then it is the whole message).
        advice : sequence of str, optional
            What to try instead; default the advice that fits the date window.

        Raises
        ------
        ReportEnded
            The notebook stops here; a rendered report keeps this page and the footer.
        """
        if not frame.empty:
            return
        if advice is None:
            advice = empty_window_advice(self.date_from, self.date_to, *self.frames)
            what = _("No delivery from {window}. {what}").format(
                window=self.formats.date_range(self.date_from, self.date_to), what=what
            )
        show_empty(what, advice)
        raise ReportEnded(what)

    def show_window(self, model: str | None = None) -> None:
        """Say the window (and the attribution model, with what it credits)."""
        text = ngettext(
            "Window: **{window}** ({days} day, both ends included).",
            "Window: **{window}** ({days} days, both ends included).",
            self.days,
        ).format(window=self.formats.date_range(self.date_from, self.date_to), days=self.days)
        if model:
            text += " " + _("Attribution model: **{model}**. {credits}").format(
                model=model_name(model), credits=model_description(model)
            )
        show_markdown(text)

    def footer(self, parameters: Mapping[str, Any], *, dated: bool = True) -> None:
        """Show the footer: the client's line and the appendix (see ``show_footer``);
        ``dated=False`` for a report whose figures have no dates (a scoring window)."""
        window = self.window if dated else None
        show_footer(parameters, *self.frames, window=window, extra=self.appendix)


def setup(
    title: str,
    *,
    subtitle: str = "",
    date_from: Any = None,
    date_to: Any = None,
    client_name: str = "",
    currency: str | None = None,
    locale: str = DEFAULT_LOCALE,
    language: str | None = None,
    logo: str | None = None,
    notes: str = "",
    show: bool = True,
) -> Report:
    """Begin a report in a notebook: charts inline as PNG, the theme, the window, the heading.

    The loaders' demo, truncation, empty-window and reach warnings are silenced here:
    the banner, the report's own sentences and the empty-window page say the same in
    words, and a red box above them would only repeat it.

    Parameters
    ----------
    title, subtitle : str
        The heading, and what the report answers in a sentence or two.
    date_from, date_to : str, date or None
        The window; None gives the last 28 complete days (see ``resolve_window``).
    client_name, currency, locale, language, logo, notes
        As for :func:`~atribu_pandas.reports.start`.
    show : bool, default True
        Display the heading.

    Returns
    -------
    Report

    Examples
    --------
    >>> report = setup("Weekly", date_from="2026-03-02", date_to="2026-03-29", show=False)
    >>> report.window, report.days
    (('2026-03-02', '2026-03-29'), 28)
    """
    from atribu_pandas.core.dates import resolve_window
    from atribu_pandas.display.charts.theme import use_theme

    _inline_png()
    for category in (
        DemoDataWarning,
        TruncatedResultWarning,
        EmptyResultWarning,
        ReachNotAdditiveWarning,
    ):
        warnings.simplefilter("ignore", category)
    use_theme()
    first, last = resolve_window(date_from, date_to)
    formats = start(
        title,
        client_name=client_name,
        currency=currency,
        locale=locale,
        language=language,
        logo=logo,
        notes=notes,
        subtitle=subtitle,
        show=show,
    )
    return Report(first, last, formats)


def _inline_png() -> None:
    """Charts inline, as PNG (the export keeps pictures, not scripts)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None and hasattr(shell, "run_line_magic"):
        shell.run_line_magic("matplotlib", "inline")
        shell.run_line_magic("config", 'InlineBackend.figure_formats = ["png"]')
