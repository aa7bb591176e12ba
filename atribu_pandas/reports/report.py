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
    """The window had no data: the empty-window page is shown and the report stops here.

    Raised by :meth:`Report.end_if_empty`. In a notebook it stops the run with no
    traceback (the page says why); :func:`~atribu_pandas.reports.render` then runs only the
    cell tagged ``footer`` and warns with :class:`~atribu_pandas.EmptyReportWarning`. Its
    message is the page's sentence.

    Examples
    --------
    The sandbox has no delivery in 2024, so a report on January 2024 ends at once:

    >>> import atribu_pandas as ap
    >>> report = setup("Weekly", date_from="2024-01-01", date_to="2024-01-28", show=False)
    >>> camps = report.keep(ap.load_campaigns(*report.window))
    >>> report.end_if_empty(camps, "Nothing was spent.")
    Traceback (most recent call last):
    ...
    atribu_pandas.reports.report.ReportEnded: No delivery from Jan 1 – 28, 2024. Nothing was spent.
    """

    def _render_traceback_(self) -> list[str]:
        # IPython's hook: the page above says everything, so no traceback is shown.
        return []


@dataclass
class Report:
    """The report being written: its window, its formats and the frames it showed.

    A template makes one with :func:`setup` rather than by hand; each parameter is also
    the attribute of the same name.

    Parameters
    ----------
    date_from, date_to : str
        The window, ``YYYY-MM-DD``, both days included.
    formats : Formats
        Money, numbers, ratios and dates in the report's currency and locale.
    frames : list of pandas.DataFrame, optional
        What :meth:`keep` was given: the banner, the footer and the empty-window advice
        read them. Empty at first.
    appendix : list of (str, str), optional
        Rows the footer's appendix adds after its own (:meth:`with_thumbnails`'s). Empty
        at first.

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> report = setup("Weekly", date_from="2026-11-02", date_to="2026-11-15", show=False)
    >>> report.formats
    Formats(currency='USD', locale='en_US')
    >>> camps = report.keep(ap.load_campaigns(*report.window))
    >>> len(report.frames), report.formats.money(camps["spend"].sum())
    (1, '$13,283')
    """

    date_from: str
    date_to: str
    formats: Formats
    frames: list[pd.DataFrame] = field(default_factory=list)
    #: Rows the report adds to the footer's appendix (the thumbnails' line).
    appendix: list[tuple[str, str]] = field(default_factory=list)

    @property
    def window(self) -> tuple[str, str]:
        """``(date_from, date_to)``, to pass on: ``ap.load_campaigns(*report.window)``.

        Examples
        --------
        >>> import atribu_pandas as ap
        >>> report = setup("Weekly", date_from="2026-11-02", date_to="2026-11-15", show=False)
        >>> report.window
        ('2026-11-02', '2026-11-15')
        >>> camps = ap.load_campaigns(*report.window)
        """
        return self.date_from, self.date_to

    @property
    def days(self) -> int:
        """Days in the window, both ends included.

        Examples
        --------
        >>> setup("Weekly", date_from="2026-11-02", date_to="2026-11-15", show=False).days
        14
        """
        return (pd.Timestamp(self.date_to) - pd.Timestamp(self.date_from)).days + 1

    def keep(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Record a frame the report is about, and :meth:`stamp` it.

        The banner, the footer's data windows and the empty-window advice read the frames
        kept: keep every load the report's figures come from.

        Parameters
        ----------
        frame : pandas.DataFrame
            A frame from a loader.

        Returns
        -------
        pandas.DataFrame
            The same frame, stamped, so a load can be kept where it is made.

        Examples
        --------
        >>> import atribu_pandas as ap
        >>> report = setup("Weekly", date_from="2026-11-02", date_to="2026-11-15", show=False)
        >>> camps = report.keep(ap.load_campaigns(*report.window))
        >>> report.frames[0] is camps, camps.attrs["currency"]
        (True, 'USD')
        """
        self.frames.append(self.stamp(frame))
        return frame

    def stamp(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Put the report's currency and locale on a frame, so its charts say what the
        tables say.

        For a frame that is drawn but not reported on (a lead-in trend); a frame given to
        :meth:`keep` is stamped already.

        Parameters
        ----------
        frame : pandas.DataFrame
            Any frame; its ``attrs["currency"]`` and ``attrs["locale"]`` are set.

        Returns
        -------
        pandas.DataFrame
            The same frame (changed in place).

        Examples
        --------
        >>> import pandas as pd
        >>> report = setup("Weekly", date_from="2026-11-02", date_to="2026-11-15", show=False)
        >>> report.stamp(pd.DataFrame({"spend": [120.0]})).attrs
        {'currency': 'USD', 'locale': 'en_US'}
        """
        return stamp_formats(frame)

    def with_thumbnails(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Return ``frame`` with the ads' pictures in a ``creative_thumbnail`` column.

        The pictures are fetched now and embedded, so the report opens offline. The
        footer's appendix gets one line saying how many were shown, or which could not be
        and why (see ``reports.thumbnails``).

        Parameters
        ----------
        frame : pandas.DataFrame
            Top performers (``ap.load_top_performers``): their ``creative_thumbnail_url``
            and ``ad_name`` are read.

        Returns
        -------
        pandas.DataFrame
            A copy with the ``creative_thumbnail`` column, for ``show_table`` (kind
            ``image``).

        Examples
        --------
        >>> import atribu_pandas as ap
        >>> report = setup("Top ads", show=False)
        >>> ads = report.with_thumbnails(ap.load_top_performers(limit=3))
        >>> "creative_thumbnail" in ads
        True
        >>> report.appendix
        [('Thumbnails', 'All 3 thumbnails shown, fetched when the report ran.')]
        """
        from atribu_pandas.reports.thumbnails import add_thumbnails, thumbnail_row

        shown, pictures = add_thumbnails(frame)
        row = thumbnail_row(pictures)
        if row is not None:
            self.appendix.append(row)
        return shown

    def banner(self, key_variable: str = "ATRIBU_API_KEY") -> bool:
        """Show the demo-data banner when any kept frame came from the sandbox.

        Call it after the loads are kept, so a report made on demo data says so at the top.

        Parameters
        ----------
        key_variable : str, default "ATRIBU_API_KEY"
            The variable the banner tells the reader to set for their own data
            (``ATRIBU_API_KEYS`` for a workspace report).

        Returns
        -------
        bool
            Whether the data is demo data (the banner was shown).

        Examples
        --------
        Outside a notebook the banner prints as an HTML object:

        >>> import atribu_pandas as ap
        >>> report = setup("Weekly", date_from="2026-11-02", date_to="2026-11-15", show=False)
        >>> camps = report.keep(ap.load_campaigns(*report.window))  # no key: the sandbox
        >>> report.banner()
        <IPython.core.display.HTML object>
        True
        """
        return show_banner(*self.frames, key_variable=key_variable)

    def end_if_empty(
        self, frame: pd.DataFrame, what: str, *, advice: Sequence[str] | None = None
    ) -> None:
        """When ``frame`` has no rows, show the empty-window page and end the report.

        Parameters
        ----------
        frame : pandas.DataFrame
            The frame the rest of the report is made from (usually the first load).
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

        Examples
        --------
        A window with rows goes on; the sandbox has no delivery in 2024:

        >>> import atribu_pandas as ap
        >>> report = setup("Weekly", date_from="2026-11-02", date_to="2026-11-15", show=False)
        >>> report.end_if_empty(ap.load_campaigns(*report.window), "No ads ran.")
        >>> report = setup("Weekly", date_from="2024-01-01", date_to="2024-01-28", show=False)
        >>> report.end_if_empty(ap.load_campaigns(*report.window), "No ads ran.")
        Traceback (most recent call last):
        ...
        atribu_pandas.reports.report.ReportEnded: No delivery from Jan 1 – 28, 2024. No ads ran.
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
        """Say the window (and the attribution model, with what it credits).

        Shows one line of Markdown, e.g. "Window: **Nov 2 – 15, 2026** (14 days, both ends
        included). Attribution model: **Linear**. Credit split equally across every touch."

        Parameters
        ----------
        model : str, optional
            The attribution model the figures use (one of ``ap.MODELS``); left out, only
            the window is said.

        Examples
        --------
        >>> report = setup("Weekly", date_from="2026-11-02", date_to="2026-11-15", show=False)
        >>> report.show_window("linear")  # shows Markdown in a notebook  # doctest: +SKIP
        """
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
        """Show the footer: the client's line and the technical appendix.

        The line says the window, the model, the currency and the day the data was
        fetched; the appendix lists what the kept frames were made from, then this
        report's own rows (see :func:`~atribu_pandas.reports.show_footer`).

        Parameters
        ----------
        parameters : mapping
            The report's parameters as the notebook used them (never the API key).
        dated : bool, default True
            False for a report whose figures have no dates (a scoring window): the line
            then names the ``window`` parameter instead of the report's dates.

        Examples
        --------
        >>> report = setup("Weekly", date_from="2026-11-02", date_to="2026-11-15", show=False)
        >>> report.footer({"model": "linear"})  # shows HTML in a notebook  # doctest: +SKIP
        """
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

    The heading's parameters (``client_name`` to ``notes``) are those of
    :func:`~atribu_pandas.reports.start`, which says more about each.

    Parameters
    ----------
    title, subtitle : str
        The heading, and what the report answers in a sentence or two.
    date_from, date_to : str, date or None
        The window; None gives the last 28 complete days (see ``resolve_window``).
    client_name : str, optional
        Who the report is for, shown under the title and in the footer.
    currency : str, optional
        ISO 4217 code of the amounts; default ``ATRIBU_CURRENCY``, else USD.
    locale : str, default "en_US"
        Number and date formats (a Babel locale name, e.g. ``de_DE``).
    language : str, optional
        The report's words (``en``, ``de``, ``es``, ``fr``, ``pt_BR``); default the
        locale's language.
    logo : str, optional
        A local image file shown at the top, embedded in the page.
    notes : str, optional
        The analyst's own words, Markdown, shown at the top.
    show : bool, default True
        Display the heading.

    Returns
    -------
    Report
        The window, the formats, and the frames the report will keep.

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
