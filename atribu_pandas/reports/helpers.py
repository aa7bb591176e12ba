"""The helpers every report notebook calls, so all reports look and read the same.

A report's setup cell calls :func:`start` with its presentation parameters (title, client,
currency, locale, logo, notes): it shows the heading and returns the :class:`Formats`
every later number goes through. Then :func:`show_banner` (demo data, and the report's
currency stamped on the frames so the charts' axes say it too), :func:`show_summary`,
:func:`show_kpis`, :func:`show_table`, :func:`export_table`; the empty window's page is
``reports.empty`` and the footer is
``reports.footer``.

IPython is imported only when something is displayed.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from atribu_pandas.core.config import resolve_currency
from atribu_pandas.core.language import gettext as _
from atribu_pandas.core.language import resolve_language, set_language
from atribu_pandas.display.banner import demo_banner_html
from atribu_pandas.display.formats import (
    DEFAULT_LOCALE,
    MISSING,
    Formats,
    check_locale,
)
from atribu_pandas.display.markup import escape, render_markdown
from atribu_pandas.display.thumbnails import thumbnail_html
from atribu_pandas.reports.export import TABLE_MIME
from atribu_pandas.reports.kernel import ENV_DEMO_CHOSEN
from atribu_pandas.reports.logo import logo_data_uri
from atribu_pandas.reports.marks import target_marks
from atribu_pandas.reports.payload import cards_payload, headed, resolve_columns, table_payload
from atribu_pandas.reports.style import TABLE_BOX, block

if TYPE_CHECKING:
    import pandas as pd
    from pandas.io.formats.style import Styler

__all__ = [
    "ReportContext",
    "current",
    "display_html",
    "export_table",
    "forget_report",
    "report_info",
    "show_banner",
    "show_kpis",
    "show_markdown",
    "show_summary",
    "show_table",
    "stamp_formats",
    "start",
]

# Column kinds whose cells are right-aligned figures.
_NUMERIC_KINDS = frozenset(
    {"money", "number", "percent", "fraction", "signed_percent", "times", "signed_times", "score"}
)


@dataclass(frozen=True)
class ReportContext:
    """Who and what the report is about, as :func:`start` was told."""

    title: str
    client_name: str
    formats: Formats
    currency_source: str


_CURRENT: list[ReportContext] = []


def current() -> ReportContext:
    """Return the context of the running report (a default one before :func:`start`).

    Examples
    --------
    >>> current().formats.currency in {"USD", "EUR", "GBP"} or True
    True
    """
    if _CURRENT:
        return _CURRENT[-1]
    code, source = resolve_currency(None)
    return ReportContext("", "", Formats(code, DEFAULT_LOCALE), source)


def forget_report() -> None:
    """Forget the running report's context (a reused kernel's next client starts bare).

    Examples
    --------
    >>> forget_report()
    >>> current().client_name
    ''
    """
    _CURRENT.clear()


def display_html(text: str, **kwargs: Any) -> None:
    """Display HTML the helpers built; every value in it must already be escaped.

    Examples
    --------
    >>> from atribu_pandas.display.markup import escape
    >>> display_html(f"<p>{escape('<b>Brand</b>')}</p>")  # doctest: +SKIP
    """
    from IPython.display import HTML, display

    display(HTML(block(text)), **kwargs)


def show_markdown(source: str, *, links: bool = False) -> None:
    """Display Markdown in which a name from the data stays text, whatever it holds.

    The one way a report shows Markdown: rendered here by
    ``display.markup.render_markdown`` (raw HTML shown as text, no image),
    so a campaign called ``<script>…`` reads as that, in JupyterLab and in the export.

    Parameters
    ----------
    source : str
        Markdown; figures and names may be interpolated into it as they are.
    links : bool, default False
        Make ``[text](url)`` links (``http``, ``https``, ``mailto`` only): for the
        analyst's own notes, never for sentences made from data.

    Examples
    --------
    >>> show_markdown("ROAS of **<b>Brand</b>** rose.")  # doctest: +SKIP
    """
    if not source.strip():
        return  # a sentence helper with nothing to say (no weeks, nothing truncated)
    from IPython.display import display

    html = block(render_markdown(source, links=links))
    display({"text/html": html, "text/plain": source}, raw=True)


def _logo_html(logo: str) -> str:
    return f'<img class="atribu-logo" src="{logo_data_uri(logo)}" alt="Logo">'


def start(
    title: str,
    *,
    client_name: str = "",
    currency: str | None = None,
    locale: str = DEFAULT_LOCALE,
    language: str | None = None,
    logo: str | None = None,
    notes: str = "",
    subtitle: str = "",
    show: bool = True,
) -> Formats:
    """Begin a report: show its heading and return the formats for its numbers.

    Parameters
    ----------
    title : str
        The report's heading (also the HTML page's title).
    client_name : str, optional
        Who the report is for, shown under the title and in the footer.
    currency : str, optional
        ISO 4217 code; default ``ATRIBU_CURRENCY``, else USD (the API sends none).
    locale : str, default "en_US"
        Number and date formats (Babel locale name).
    language : str, optional
        The words: one of ``en``, ``de``, ``es``, ``fr``, ``pt_BR``; default the locale's
        language (English for a locale with no catalog). Set for the whole process, so
        every later message, chart and table header is in it.
    logo : str, optional
        A local image file (PNG, JPEG, WebP, GIF or SVG, at most 2 MB), embedded in the
        page, shrunk to the size the heading shows (see ``reports.logo``).
    notes : str, optional
        The analyst's own words, Markdown, shown at the top: raw HTML shows as text and
        only ``http``, ``https`` and ``mailto`` links are made.
    subtitle : str, optional
        What the report answers, one or two sentences under the heading.
    show : bool, default True
        Display the heading (False: only set the formats).

    Returns
    -------
    Formats
        ``money``, ``number``, ``percent``, ``times``... for this currency and locale.

    Examples
    --------
    >>> fmt = start("Weekly", currency="EUR", locale="de_DE", language="en", show=False)
    >>> fmt.money(1234.5), current().title
    ('1.235\xa0€', 'Weekly')
    """
    code, source = resolve_currency(currency)
    formats = Formats(code, check_locale(locale))
    # The process's language (core.language.active_language): every later message.
    set_language(resolve_language(language, formats.locale))
    # A template's default title and subtitle are English, marked for the catalogs (and
    # marked before this call set the language): they are translated here. An analyst's
    # own title has no translation and stays as written.
    title, subtitle = _(title), _(subtitle) if subtitle else ""
    _CURRENT[:] = [ReportContext(title, client_name, formats, source)]
    if show:
        logo_html = _logo_html(logo) if logo else ""
        client = (
            '<div class="atribu-client">'
            + escape(_("Prepared for {client}")).format(client=f"<b>{escape(client_name)}</b>")
            + "</div>"
            if client_name
            else ""
        )
        lead = f"<p>{escape(subtitle)}</p>" if subtitle else ""
        display_html(
            f'<header class="atribu-header">{logo_html}<h1>{escape(title)}</h1>'
            f"{client}{lead}</header>"
        )
        if notes.strip():
            show_markdown(_("**Analyst's notes.** {notes}").format(notes=notes.strip()), links=True)
    return formats


def report_info(frame: Any) -> dict[str, Any]:
    """Return what a loader recorded on a frame (``attrs["atribu"]``), or an empty dict.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame()
    >>> frame.attrs["atribu"] = {"demo": True}
    >>> report_info(frame), report_info(pd.DataFrame())
    ({'demo': True}, {})
    """
    info = getattr(frame, "attrs", {}).get("atribu", {})
    return info if isinstance(info, dict) else {}


def show_banner(*frames: pd.DataFrame, key_variable: str = "ATRIBU_API_KEY") -> bool:
    """Show the "demo data" banner when any frame came from the sandbox.

    Also stamps the report's currency and locale on each frame (``attrs["currency"]``,
    ``attrs["locale"]``), so the charts drawn from them label their axes in the same
    currency as the tables and write dates in the report's language.

    Parameters
    ----------
    *frames : pandas.DataFrame
        Frames returned by the loaders (their ``attrs["atribu"]["demo"]`` is read).
    key_variable : str, default "ATRIBU_API_KEY"
        The variable the banner's hint names, and whose being set silences the hint
        (``ATRIBU_API_KEYS`` for a workspace report).

    Returns
    -------
    bool
        Whether the data is demo data (the banner was shown).

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame()
    >>> frame.attrs["atribu"] = {"demo": False}
    >>> show_banner(frame), frame.attrs["currency"] == current().formats.currency
    (False, True)
    """
    for frame in frames:
        stamp_formats(frame)
    demo = any(bool(report_info(frame).get("demo")) for frame in frames)
    if demo:
        # Hint at the key only when it is not set and the sandbox was not chosen (--demo).
        chosen = os.environ.get(ENV_DEMO_CHOSEN) or os.environ.get(key_variable)
        display_html(demo_banner_html(key_hint=not chosen, key_variable=key_variable))
    return demo


def stamp_formats(frame: pd.DataFrame) -> pd.DataFrame:
    """Put the report's currency and locale on a frame, so the charts drawn from it name
    the same currency as the tables and write dates the same way; returns the frame.

    Examples
    --------
    >>> import pandas as pd
    >>> stamp_formats(pd.DataFrame()).attrs["locale"] == current().formats.locale
    True
    """
    formats = current().formats
    frame.attrs["currency"] = formats.currency
    frame.attrs["locale"] = formats.locale
    return frame


def show_kpis(
    kpis: Mapping[str, str | tuple[Any, str]],
    *,
    name: str = "",
    title: str = "",
    columns: Sequence[str | None] = (),
) -> None:
    """Display headline figures as a row of cards (and, named, export them as a table).

    Parameters
    ----------
    kpis : mapping of str to str or (value, kind)
        Label to card, in display order: ``(value, kind)`` is formatted with the report's
        :class:`Formats` (kinds as in :func:`show_table`); a string is shown as it is.
    name : str, optional
        Export the ``(value, kind)`` cards for ``--tables`` as a table (metric, value).
    title : str, optional
        The exported table's title in the workbook.
    columns : sequence of str or None, optional
        The column of ``COLUMNS`` each card shows
        (None for a card outside it), in the cards' order: a batch of client reports reads
        them, whatever the report's language, for its index (see
        ``batch``).

    Examples
    --------
    >>> show_kpis({"Spend": (12345.0, "money"), "ROAS": (3.1, "times")},
    ...           name="headline", title="Headline numbers", columns=["spend", "roas"])
    ... # doctest: +SKIP
    """
    fmt = current().formats
    shown = {
        label: card if isinstance(card, str) else fmt.by_kind(card[1])(card[0])
        for label, card in kpis.items()
    }
    cards = "".join(
        f'<div class="atribu-kpi">{escape(label)}<b>{escape(value)}</b></div>'
        for label, value in shown.items()
    )
    html = f'<div class="atribu-kpis">{cards}</div>'
    figures = {label: card for label, card in kpis.items() if not isinstance(card, str)}
    if not name or not figures:
        display_html(html)
        return
    from IPython.display import display

    keys = dict(zip(kpis, columns, strict=False))
    payload = cards_payload(
        figures, fmt, name=name, title=title, columns=[keys.get(label) for label in figures]
    )
    display({"text/html": block(html), TABLE_MIME: payload}, raw=True)


def show_summary(sentences: Sequence[str]) -> None:
    """Display the executive summary: a few sentences, Markdown, in a box.

    Nothing is shown for no sentences, so a summary with nothing to say leaves no box.

    Parameters
    ----------
    sentences : sequence of str
        The sentences, in order, usually written from the data. Only ``**bold**`` is
        read as Markdown, for the figures; anything else, markup included, shows as text.

    Examples
    --------
    >>> show_summary(["Spend was **$1,000**."])  # shows HTML in a notebook  # doctest: +SKIP
    """
    if sentences:
        text = " ".join(escape(sentence) for sentence in sentences)
        # The sentences mark figures with Markdown bold; nothing else is interpreted.
        text = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", text)
        heading = escape(_("In short."))
        display_html(f'<div class="atribu-summary"><p><b>{heading}</b> {text}</p></div>')


def show_table(
    frame: pd.DataFrame,
    columns: Mapping[str, tuple[str, str] | None] | Sequence[str] | str,
    *,
    name: str,
    title: str = "",
    caption: str = "",
    headers: Mapping[str, str] | None = None,
    style: Callable[[Styler], Styler] | None = None,
    targets: pd.DataFrame | None = None,
) -> None:
    """Display a table a client reads: human headers, formats per locale, "–" for missing.

    The raw values travel with it (under human headers) for ``--tables``.

    Parameters
    ----------
    frame : pandas.DataFrame
        The rows; its index is not shown (reset it first if it carries data).
    columns : str, sequence of str, or mapping
        Column names in display order (a list, or one string of names separated by
        spaces, as ``namedtuple`` takes them), each written as
        ``display.columns.COLUMNS`` says
        (``spend`` as money under "Spend"); or a mapping of column to ``(header, kind)``
        (None: the registry's), kind one of :meth:`Formats.by_kind`'s (``money``,
        ``number``, ``percent``, ``fraction``, ``times``, ``score``, ``text``, ``label``
        for API vocabulary, ``date``...).
    name : str
        A file-friendly name for the exported table (``top_campaigns``).
    title : str, optional
        The table's title in the workbook.
    caption : str, optional
        A sentence above the table, part of it (a page break never parts them).
    headers : mapping of str to str, optional
        Headers to use instead of the registry's (``{"campaign_name": "Ad"}``).
    style : callable, optional
        Applied to the Styler (e.g. a colour gradient on one column, by its header).
    targets : pandas.DataFrame, optional
        ``frame.atribu.against_targets(...)``: cells on the wrong side of a target are
        marked (symbol and colour), the caption says what the marks mean, and the export
        gains a "Meets ... target" column per target; see :mod:`.marks`.

    Examples
    --------
    >>> import pandas as pd
    >>> show_table(pd.DataFrame({"spend": [1.0]}), ["spend"], name="t")  # doctest: +SKIP
    """
    fmt = current().formats
    table, kinds = headed(frame, columns, headers)
    shown = {column: spec[0] for column, spec in resolve_columns(columns, headers).items()}
    marks = target_marks(frame, shown, targets, fmt)
    classes = {kind: "atribu-num" for kind in _NUMERIC_KINDS} | {"date": "atribu-date"}
    classes["image"] = "atribu-image"
    # Every cell is text once formatted: a name holding markup shows it, runs nothing. A
    # picture is the one cell written as markup, by thumbnail_html, which escapes its own.
    formatters: dict[Any, Callable[[Any], str]] = {
        col: thumbnail_html if kind == "image" else _as_text(fmt.column(kind, table[col]))
        for col, kind in kinds.items()
    }
    styler = (
        table.style.hide(axis="index")
        .format(formatters, na_rep=MISSING)  # type: ignore[arg-type]
        .format_index(escape="html", axis=1)
        .set_table_attributes('class="atribu-table"')
        .set_td_classes(table.apply(lambda col: [classes.get(kinds[col.name], "")] * len(col)))
    )
    heading_styles: list[Any] = [
        {"selector": f"th.col_heading.col{i}", "props": "text-align: right;"}
        for i, col in enumerate(table.columns)
        if kinds[col] in _NUMERIC_KINDS
    ]
    styler = styler.set_table_styles(heading_styles, overwrite=False)
    caption = " ".join(text for text in (caption, marks.note) if text)
    if caption:
        styler = styler.set_caption(escape(caption))
    if style is not None:
        styler = style(styler)
    # After the caller's style, so a mark's colour is not covered by a gradient.
    styler = marks.style(styler, formatters)
    exported = table.assign(**marks.exported)
    kinds_out = kinds | dict.fromkeys(marks.exported, "text")
    from IPython.display import display

    display(
        # A table wider than a narrow notebook scrolls in its own box, not the page.
        {
            "text/html": block(f"{TABLE_BOX}{styler.to_html()}</div>"),
            # A picture has no place in a CSV or a workbook: its column is not exported.
            TABLE_MIME: table_payload(
                exported.drop(columns=[c for c, k in kinds.items() if k == "image"]),
                {c: k for c, k in kinds_out.items() if k != "image"},
                fmt,
                name=name,
                title=title,
            ),
        },
        raw=True,
    )


def export_table(
    frame: pd.DataFrame,
    columns: Mapping[str, tuple[str, str | Sequence[str]]] | Sequence[str] | str,
    *,
    name: str,
    title: str = "",
    headers: Mapping[str, str] | None = None,
) -> None:
    """Export a table for ``--tables`` without showing it: the figures behind a chart.

    The table goes into the report's CSV files and workbook (``--tables``) and is not
    seen in the notebook or the HTML.

    Parameters
    ----------
    frame : pandas.DataFrame
        The rows; its index is not exported (reset it first if it carries data).
    columns : str, sequence of str, or mapping
        As for :func:`show_table`; in a mapping, a column holding one metric per row may
        take one kind per row (a list of kinds), and each money row's first cell then
        names the currency.
    name : str
        A file-friendly name for the exported table (``weekly_roas``).
    title : str, optional
        The table's title in the workbook; default made from ``name``.
    headers : mapping of str to str, optional
        Headers to use instead of the registry's.

    Examples
    --------
    The call's output carries the table to ``--tables``; a notebook shows nothing for it:

    >>> import pandas as pd
    >>> weekly = pd.DataFrame({"roas": [2.5, 3.1]})
    >>> export_table(weekly, ["roas"], name="weekly_roas")  # notebook only  # doctest: +SKIP
    """
    from IPython.display import display

    table, kinds = headed(frame, columns, headers)

    payload = table_payload(table, kinds, current().formats, name=name, title=title)
    # An empty text keeps the output plain for every frontend: a renderer-less output
    # would make nbconvert warn and JupyterLab say it cannot show it.
    display({"text/plain": "", TABLE_MIME: payload}, raw=True)


def _as_text(formatter: Callable[[Any], str]) -> Callable[[Any], str]:
    return lambda value: escape(formatter(value))
