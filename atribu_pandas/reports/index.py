"""The index of a batch of client reports: one headline row per client, each linked.

An offline page (nothing loads, no script) with the reports' stylesheet, checked for keys
like a report, in the batch's language and locale; each client's amounts in that client's
currency. The figures are the
report's own headline cards (``show_kpis(..., columns=...)``), read from its executed
notebook, so the index says what the report says.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from atribu_pandas.core.dates import current_day, resolve_window
from atribu_pandas.core.language import gettext as _
from atribu_pandas.core.language import ngettext, use_language
from atribu_pandas.display.columns import header
from atribu_pandas.display.formats import MISSING, Formats
from atribu_pandas.display.markup import escape
from atribu_pandas.reports import export as _export
from atribu_pandas.reports.files import write_atomic
from atribu_pandas.reports.style import BLOCK_CSS
from atribu_pandas.reports.tables import report_tables
from atribu_pandas.reports.templates import inspect_template, report_locale, report_title

if TYPE_CHECKING:
    import nbformat

__all__ = ["INDEX_COLUMNS", "IndexRow", "headline_of", "write_index"]

# Not a notebook's export: a page of our own, so its links to the reports beside it stay
# (a report's outputs are sanitised, and lose relative links: a report travels alone).
_PAGE = """<!DOCTYPE html>
<html lang="{language}">
<head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{policy}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{css}</style></head>
<body><main class="jp-RenderedHTMLCommon">
{body}
</main></body></html>
"""
_CSS = """
  body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", sans-serif;
         color: #1f2328; max-width: 1100px; margin: 0 auto; padding: 16px; line-height: 1.5; }
  h1 { font-weight: 500; }
  .jp-RenderedHTMLCommon table.atribu-table { border-collapse: collapse; font-size: 0.95em; }
  .jp-RenderedHTMLCommon table.atribu-table tbody tr:nth-child(odd) { background: #f5f5f5; }
"""

# The headline columns the index shows, in order, where a report's cards have them.
INDEX_COLUMNS = ("spend", "outcome_value", "roas", "cac", "outcome_count")


@dataclass
class IndexRow:
    """One client in the index: its name, its report's file, and how the report went."""

    client: str
    href: str
    error: str | None = None
    empty: str | None = None
    headline: Mapping[str, tuple[Any, str]] = field(default_factory=dict)
    currency: str | None = None


def _status(row: IndexRow) -> str:
    if row.error is not None:
        return _("Failed: its page says why")
    if row.empty:
        return _("No data in the window")
    return _("Ready")


def _table(rows: list[IndexRow], locale: str) -> str:
    shown = [c for c in INDEX_COLUMNS if any(c in r.headline for r in rows)]
    # The value column says what the report's card says: the value the model credits.
    named = {"outcome_value": _("Attributed value")}
    heads = [_("Client"), *(named.get(c) or header(c) for c in shown), _("Status")]
    numeric = [False, *([True] * len(shown)), False]
    head = "".join(
        f'<th class="atribu-num">{escape(h)}</th>' if n else f"<th>{escape(h)}</th>"
        for h, n in zip(heads, numeric, strict=True)
    )
    body = []
    for row in rows:
        fmt = Formats(row.currency or "USD", locale)
        cells = [f'<td><a href="{escape(quote(row.href))}">{escape(row.client)}</a></td>']
        for column in shown:
            value, kind = row.headline.get(column, (None, "text"))
            text = fmt.by_kind(kind)(value) if value is not None else MISSING
            cells.append(f'<td class="atribu-num">{escape(text)}</td>')
        cells.append(f"<td>{escape(_status(row))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        '<div class="atribu-table-box atribu-index"><table class="atribu-table">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def write_index(
    path: Path, rows: list[IndexRow], *, template: Path, parameters: Mapping[str, Any]
) -> Path:
    """Write the index page of a batch at ``path``; return it.

    Parameters
    ----------
    path : Path
        The file (``index.html`` in the batch's folder).
    rows : list of IndexRow
        The clients, in order.
    template : Path
        The template every client's report ran (its title and window heads the page).
    parameters : mapping
        The batch's own parameters: ``locale`` and ``language`` set the page's, and the
        window is the one the reports resolve from ``date_from`` and ``date_to``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from atribu_pandas.reports.templates import template_path
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "index.html"
    >>> rows = [IndexRow("A Ltd", "a-ltd.html", headline={"spend": (1200.0, "money")})]
    >>> write_index(out, rows, template=template_path("trends"), parameters={}).name
    'index.html'
    """
    locale, language = report_locale(template, parameters)
    declared = inspect_template(template)
    given = {k: info["value"] for k, info in declared.items()} | dict(parameters)
    with use_language(language):
        title = report_title(template, parameters)
        failed = sum(1 for r in rows if r.error is not None)
        lines = [
            f"<h1>{escape(title)}</h1>",
            "<p>"
            + escape(
                ngettext("One client's report.", "{n} clients' reports.", len(rows)).format(
                    n=len(rows)
                )
            ),
        ]
        if failed:
            lines[-1] += " " + escape(
                ngettext(
                    "{n} could not be made: its page says why.",
                    "{n} could not be made: each one's page says why.",
                    failed,
                ).format(n=failed)
            )
        fmt = Formats("USD", locale)
        if "date_from" in declared or "date_to" in declared:
            first, last = resolve_window(given.get("date_from"), given.get("date_to"))
            lines.append(
                "<p>" + escape(_("Figures for {window}").format(window=fmt.date_range(first, last)))
            )
        lines.append("<p>" + escape(_("Made on {date}.").format(date=fmt.date(current_day()))))
        # Built here from escaped values only: not sanitised like a notebook's output,
        # which would drop the links to the reports beside it (relative addresses).
        html = "\n".join(lines) + _table(rows, locale)
        page = _PAGE.format(
            language=escape(language.replace("_", "-")),
            policy=_export.CONTENT_SECURITY_POLICY,
            title=escape(title),
            css=BLOCK_CSS + _CSS,
            body=html,
        )
    _export.check_no_key(page, [], "index")
    write_atomic(path, page)
    return path


def headline_of(nb: nbformat.NotebookNode) -> tuple[dict[str, tuple[Any, str]], str | None]:
    """A report's headline cards by registry column (value, kind), and its currency;
    nothing when it shows none.

    Examples
    --------
    >>> from nbformat.v4 import new_notebook
    >>> headline_of(new_notebook())
    ({}, None)
    """
    for table in report_tables(nb):
        keys = table.get("keys")
        if table.get("name") == "headline_numbers" and keys:
            kinds = table["kinds"][1]
            rows = zip(keys, table["data"], kinds, strict=False)
            return {key: (row[1], kind) for key, row, kind in rows if key}, table.get("currency")
    return {}, None
