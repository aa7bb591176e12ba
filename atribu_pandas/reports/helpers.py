"""The helpers every report notebook calls, so all reports look and read the same.

A report's setup cell calls :func:`start` with its presentation parameters (title, client,
currency, locale, logo, notes): it shows the heading and returns the :class:`Formats`
every later number goes through. Then :func:`show_banner` (demo data, and the report's
currency stamped on the frames so the charts' axes say it too); the figures come in the
blocks of ``reports.blocks``, the empty window's page from ``reports.empty`` and the
footer from ``reports.footer``.

IPython is imported only when something is displayed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from atribu_pandas.core.config import resolve_currency
from atribu_pandas.core.language import gettext as _
from atribu_pandas.core.language import resolve_language, set_language
from atribu_pandas.display.banner import demo_banner_html
from atribu_pandas.display.formats import (
    DEFAULT_LOCALE,
    Formats,
    check_locale,
)
from atribu_pandas.display.markup import escape, render_markdown
from atribu_pandas.reports.kernel import ENV_DEMO_CHOSEN
from atribu_pandas.reports.logo import logo_data_uri
from atribu_pandas.reports.style import block

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ReportContext",
    "current",
    "display_html",
    "forget_report",
    "report_info",
    "show_banner",
    "show_markdown",
    "stamp_formats",
    "start",
]


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
