"""The blocks a report shows its figures in: headline cards, the summary, tables.

Each formats its figures with the report's :class:`~atribu_pandas.reports.Formats` (set
by ``start``) and, where it is named, carries its rows to ``--tables`` too.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from atribu_pandas.core.language import gettext as _
from atribu_pandas.display.formats import MISSING
from atribu_pandas.display.markup import escape
from atribu_pandas.display.thumbnails import thumbnail_html
from atribu_pandas.reports.export import TABLE_MIME
from atribu_pandas.reports.helpers import current, display_html
from atribu_pandas.reports.marks import target_marks
from atribu_pandas.reports.payload import cards_payload, headed, resolve_columns, table_payload
from atribu_pandas.reports.style import TABLE_BOX, block

if TYPE_CHECKING:
    import pandas as pd
    from pandas.io.formats.style import Styler

__all__ = ["export_table", "show_kpis", "show_summary", "show_table"]

# Column kinds whose cells are right-aligned figures.
_NUMERIC_KINDS = frozenset(
    {"money", "number", "percent", "fraction", "signed_percent", "times", "signed_times", "score"}
)


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
