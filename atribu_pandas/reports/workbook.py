"""The report's tables as one Excel workbook a client opens as it is.

One sheet per table, in the report's order: a bold, frozen header row, columns as wide
as what they hold, and every figure stored as a number with the number format the report
shows it in, so a spreadsheet both reads it right and can add it up:

==================  ===============================  =====================================
kind                stored as                        number format
==================  ===============================  =====================================
money               the amount                       the currency in the locale's order:
                                                     ``"$"#,##0.00``, ``#,##0.00" €"``
number              the count                        ``#,##0``
percent, fraction   a fraction (0.004 for 0.4%)      ``0.0%``
signed_percent      a fraction                       ``+0%;-0%;0%``
times               rounded to 2 decimals            ``0.00"×"``
signed_times        rounded to 2 decimals            ``+0.00"×";-0.00"×";0.00"×"``
score               the score                        ``0.0``
date                a date                           ``yyyy-mm-dd``
==================  ===============================  =====================================

The symbol is a quoted literal rather than Excel's ``[$€-407]`` locale tag: Excel and
LibreOffice both read a quoted literal the same way, while the tag's locale part is
Excel's own (LibreOffice maps it, other readers may not). Grouping and decimal marks in
a format are always ``,`` and ``.``; the spreadsheet shows the reader's own.
The workbook ends with an "About" sheet when the report left its provenance
(``ABOUT_MIME``).
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from atribu_pandas.display.formats import Formats

__all__ = ["NUMBER_FORMATS", "Sheet", "money_format", "workbook_bytes"]

#: The number format of each kind of column but money (see :func:`money_format`).
NUMBER_FORMATS: dict[str, str] = {
    "number": "#,##0",
    "percent": "0.0%",
    "fraction": "0.0%",
    "signed_percent": "+0%;-0%;0%",
    "times": '0.00"×"',
    "signed_times": '+0.00"×";-0.00"×";0.00"×"',
    "score": "0.0",
    "date": "yyyy-mm-dd",
}
# Kinds whose stored value is a fraction, shown as the report shows a fraction.
_AS_FRACTION = {"percent": "fraction", "signed_percent": "fraction"}
_MAX_WIDTH = 60
_ABOUT_MAX_WIDTH = 100


@dataclass(frozen=True)
class Sheet:
    """One sheet: its name, header row, rows of stored values and each cell's kind."""

    name: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Any]]
    kinds: Sequence[Sequence[str]]
    formats: Formats


def money_format(currency: str, locale: str) -> str:
    """The Excel number format of an amount in ``currency``, in ``locale``'s order.

    The symbol and its spacing come from the locale's currency pattern (Babel), the
    decimals from the currency (none for JPY).

    Examples
    --------
    >>> money_format("EUR", "de_DE"), money_format("USD", "en_US"), money_format("JPY", "en_US")
    ('#,##0.00" €"', '"$"#,##0.00', '"¥"#,##0')
    """
    from babel import Locale
    from babel.numbers import get_currency_precision, get_currency_symbol

    pattern = Locale.parse(locale).currency_formats["standard"].pattern.split(";")[0]
    digits = get_currency_precision(currency)
    number = "#,##0" + ("." + "0" * digits if digits else "")
    found = re.search(r"[#0,.]+", pattern)
    prefix, suffix = (pattern[: found.start()], pattern[found.end() :]) if found else ("¤", "")
    symbol = str(get_currency_symbol(currency, locale=locale))

    def literal(part: str) -> str:
        # A no-break space is the locale's; a plain one reads the same in every reader.
        text = part.replace("¤", symbol).replace("\xa0", " ").replace('"', "")
        return f'"{text}"' if text else ""

    return literal(prefix) + number + literal(suffix)


def _shown(kind: str, value: Any, formats: Formats) -> str:
    # The text the cell shows, near enough to size its column.
    if value is None:
        return ""
    if kind in _AS_FRACTION:
        return str(formats.by_kind("fraction")(value))
    if kind == "date":
        return "0000-00-00"
    if kind in NUMBER_FORMATS or kind == "money":
        return str(formats.by_kind(kind)(value))
    return str(value)


def _fill(sheet: Any, table: Sheet) -> None:
    from openpyxl.styles import Font

    money = money_format(table.formats.currency, table.formats.locale)
    sheet.append(list(table.headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.data_type = "s"
    widths = [len(str(h)) for h in table.headers]
    for values, kinds in zip(table.rows, table.kinds, strict=True):
        sheet.append(list(values))
        for cell, value, kind in zip(sheet[sheet.max_row], values, kinds, strict=True):
            if isinstance(value, str):
                # openpyxl stores text starting with "=" as a formula: text stays text.
                cell.data_type = "s"
            elif value is not None:
                cell.number_format = (
                    money if kind == "money" else NUMBER_FORMATS.get(kind, "General")
                )
            shown = _shown(kind, value, table.formats)
            longest = max((len(line) for line in shown.splitlines()), default=0)
            widths[cell.column - 1] = max(widths[cell.column - 1], longest)
    _set_widths(sheet, widths, _MAX_WIDTH)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions


def _set_widths(sheet: Any, widths: Sequence[int], most: int) -> None:
    from openpyxl.utils import get_column_letter

    for index, width in enumerate(widths, start=1):
        # Two characters of padding: a bold header or a filter button needs them.
        sheet.column_dimensions[get_column_letter(index)].width = min(width + 3, most)


def _about(sheet: Any, pairs: Sequence[Sequence[Any]]) -> None:
    from openpyxl.styles import Alignment, Font

    for label, value in pairs:
        sheet.append([str(label), str(value)])
        row = sheet[sheet.max_row]
        row[0].font = Font(bold=True)
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
        for cell in row:
            cell.data_type = "s"
    widths = [max((len(str(pair[i])) for pair in pairs), default=0) for i in (0, 1)]
    _set_widths(sheet, widths, _ABOUT_MAX_WIDTH)


def workbook_bytes(
    sheets: Sequence[Sheet], about: Sequence[Sequence[Any]] = (), about_name: str = "About"
) -> bytes:
    """The ``.xlsx`` file of ``sheets`` in order, then ``about`` (label, value) pairs.

    Examples
    --------
    >>> import openpyxl
    >>> sheet = Sheet("ROAS", ["Week", "ROAS"], [["W1", 3.1]], [["text", "times"]], Formats())
    >>> book = openpyxl.load_workbook(io.BytesIO(workbook_bytes([sheet], [["Data", "demo"]])))
    >>> book.sheetnames, book["ROAS"]["B2"].number_format, book["ROAS"].freeze_panes
    (['ROAS', 'About'], '0.00"×"', 'A2')
    """
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    if first is not None:
        book.remove(first)
    for table in sheets:
        _fill(book.create_sheet(table.name), table)
    if about:
        _about(book.create_sheet(about_name), about)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
