"""What a report table carries for ``--tables``: the ``TABLE_MIME`` payload.

:func:`~atribu_pandas.reports.show_table`, :func:`~atribu_pandas.reports.export_table`
and a named :func:`~atribu_pandas.reports.show_kpis` leave, beside what the page shows,
the table's raw values with what the writer (:mod:`.tables`, :mod:`.workbook`) needs to
store and format them: each column's kind, the headers to export (a money column's
naming its currency), and the report's currency, locale and language. Built in the
kernel, where the report's language is the active one.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from atribu_pandas.core.language import active_language
from atribu_pandas.core.language import gettext as _
from atribu_pandas.display.columns import COLUMNS, header

if TYPE_CHECKING:
    import pandas as pd

    from atribu_pandas.display.formats import Formats

__all__ = ["cards_payload", "export_header", "headed", "resolve_columns", "table_payload"]


def resolve_columns(
    columns: Mapping[str, tuple[str, Any] | None] | Sequence[str] | str,
    headers: Mapping[str, str] | None = None,
) -> dict[str, tuple[str, Any]]:
    """Column to ``(header, kind)``: a mapping as given (None: the registry's); names (a
    list, or one string of names) take theirs from the registry, ``headers`` overriding
    the header. Registry headers are in the active language.

    Examples
    --------
    >>> resolve_columns("spend roas", {"roas": "Return"})
    {'spend': ('Spend', 'money'), 'roas': ('Return', 'times')}
    >>> resolve_columns({"spend": None, "x": ("Mine", "number")})
    {'spend': ('Spend', 'money'), 'x': ('Mine', 'number')}
    """
    if isinstance(columns, str):
        columns = columns.split()
    if not isinstance(columns, Mapping):
        columns = dict.fromkeys(columns)
    return {
        c: spec or ((headers or {}).get(c, header(c)), COLUMNS[c][1]) for c, spec in columns.items()
    }


def headed(
    frame: pd.DataFrame,
    columns: Mapping[str, tuple[str, Any] | None] | Sequence[str] | str,
    headers: Mapping[str, str] | None = None,
) -> tuple[pd.DataFrame, dict[Any, Any]]:
    """The columns of a table in order under their shown headers, and each header's kind.

    Examples
    --------
    >>> import pandas as pd
    >>> table, kinds = headed(pd.DataFrame({"roas": [2.0], "spend": [1.0]}), "spend roas")
    >>> list(table.columns), kinds
    (['Spend', 'ROAS'], {'Spend': 'money', 'ROAS': 'times'})
    """
    resolved = resolve_columns(columns, headers)
    table = frame[list(resolved)].reset_index(drop=True)
    table.columns = [shown for shown, _kind in resolved.values()]
    return table, dict(zip(table.columns, (kind for _h, kind in resolved.values()), strict=True))


def cards_payload(
    figures: Mapping[str, tuple[Any, str]],
    formats: Formats,
    *,
    name: str,
    title: str,
    columns: Sequence[str | None] = (),
) -> str:
    """The payload of headline cards: a two-column table (metric, value), one kind a row;
    ``columns`` (each card's registry column, or None) travel as ``"keys"``.

    Examples
    --------
    >>> from atribu_pandas.display.formats import Formats
    >>> json.loads(cards_payload({"Spend": (10.0, "money")}, Formats(), name="h", title=""))[
    ...     "data"]
    [['Spend (USD)', 10.0]]
    """
    import pandas as pd

    metric, value = _("Metric"), _("Value")
    rows = pd.DataFrame({metric: list(figures), value: [v for v, _kind in figures.values()]})
    kinds = {metric: "text", value: [kind for _value, kind in figures.values()]}
    payload = json.loads(table_payload(rows, kinds, formats, name=name, title=title))
    if any(columns):
        payload["keys"] = list(columns)
    return json.dumps(payload)


def export_header(text: str, currency: str) -> str:
    """A money header naming its currency, in the active language.

    A figure pasted elsewhere loses its cell's format: the header keeps the currency.

    Examples
    --------
    >>> export_header("Spend", "EUR")
    'Spend (EUR)'
    """
    return _("{header} ({currency})").format(header=text, currency=currency)


def table_payload(
    table: pd.DataFrame,
    kinds: Mapping[Any, str | Sequence[str]],
    formats: Formats,
    *,
    name: str,
    title: str,
) -> str:
    """The ``TABLE_MIME`` payload of ``table`` (its columns already the shown headers).

    ``kinds`` maps each header to its kind, or to one kind per row for a table of one
    metric a row; there each money row's first cell names the currency instead.

    Examples
    --------
    >>> import pandas as pd
    >>> from atribu_pandas.display.formats import Formats
    >>> rows = pd.DataFrame({"Metric": ["Spend", "ROAS"], "Value": [10.0, 2.5]})
    >>> payload = json.loads(table_payload(rows, {"Metric": "text", "Value": ["money", "times"]},
    ...                                    Formats("EUR", "de_DE"), name="kpis", title=""))
    >>> payload["title"], payload["data"], payload["kinds"][1]
    ('Kpis', [['Spend (EUR)', 10.0], ['ROAS', 2.5]], ['money', 'times'])
    """
    raw = table.astype(object).where(table.notna(), None)
    columns = [str(c) for c in table.columns]
    data = json.loads(raw.to_json(orient="values", date_format="iso"))
    by_row = [kind for kind in kinds.values() if not isinstance(kind, str)]
    for r, row in enumerate(data):
        # One metric a row: the row's label is its header.
        if any(kind[r] == "money" for kind in by_row) and isinstance(row[0], str):
            row[0] = export_header(row[0], formats.currency)
    return json.dumps(
        {
            "name": name,
            "title": title or name.replace("_", " ").capitalize(),
            "columns": columns,
            "headers": [
                export_header(c, formats.currency) if kinds[c] == "money" else c for c in columns
            ],
            "kinds": [kinds[c] if isinstance(kinds[c], str) else list(kinds[c]) for c in columns],
            "currency": formats.currency,
            "locale": formats.locale,
            "language": active_language(),
            "data": data,
        }
    )
