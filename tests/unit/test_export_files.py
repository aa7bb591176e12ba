"""The files --tables writes, without a kernel: the About sheet from a notebook built by
hand, the CSV dialects, and the mode every written file gets from the umask."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from atribu_pandas.reports.export import ABOUT_MIME, TABLE_MIME, clean_outputs
from atribu_pandas.reports.files import write_atomic
from atribu_pandas.reports.tables import write_tables

TABLE = {
    "name": "spend",
    "title": "Ausgaben",
    "columns": ["Kampagne", "Ausgaben"],
    "headers": ["Kampagne", "Ausgaben (EUR)"],
    "kinds": ["text", "money"],
    "currency": "EUR",
    "locale": "fr_FR",
    "language": "de",
    "data": [["Été", 1234.5], ["Noël", None]],
}
ABOUT = [["Daten", "DEMO"], ["Währung", "EUR, angenommen"]]


def _notebook(about: bool) -> object:
    outputs = [new_output("display_data", data={TABLE_MIME: json.dumps(TABLE)})]
    if about:
        outputs.append(
            new_output("display_data", data={ABOUT_MIME: json.dumps(ABOUT), "text/plain": ""})
        )
    nb = new_notebook(cells=[new_code_cell("", outputs=outputs)])
    # The export keeps the provenance: it must reach the writer after cleaning.
    clean_outputs(nb)
    return nb


@pytest.fixture
def umask() -> Iterator[None]:
    before = os.umask(0o022)
    yield
    os.umask(before)


def test_the_about_sheet_comes_last_with_the_pairs_as_given(tmp_path: Path) -> None:
    files = write_tables(_notebook(about=True), tmp_path, "r")
    book = openpyxl.load_workbook(files[-1])
    # The sheet's name in the report's language (the catalog's German for "About").
    assert book.sheetnames == ["Ausgaben", "Über den Report"]
    about = book["Über den Report"]
    assert [list(r) for r in about.iter_rows(values_only=True)] == ABOUT
    assert about["A1"].font.bold


def test_no_about_sheet_without_the_output(tmp_path: Path) -> None:
    files = write_tables(_notebook(about=False), tmp_path, "r")
    assert openpyxl.load_workbook(files[-1]).sheetnames == ["Ausgaben"]


def test_french_csv_is_semicolons_decimal_commas_and_a_bom(tmp_path: Path) -> None:
    files = write_tables(_notebook(about=False), tmp_path, "r")
    # Written by hand: what French Excel expects.
    expected = "\ufeffKampagne;Ausgaben (EUR)\r\nÉté;1234,5\r\nNoël;\r\n"
    assert files[0].read_bytes() == expected.encode()


def test_plain_csv_is_rfc_4180(tmp_path: Path) -> None:
    files = write_tables(_notebook(about=False), tmp_path, "r", "plain")
    assert files[0].read_bytes() == "Kampagne,Ausgaben (EUR)\r\nÉté,1234.5\r\nNoël,\r\n".encode()


@pytest.mark.parametrize("mask", [0o022, 0o077, 0o027])
def test_written_files_get_the_mode_open_would_give(tmp_path: Path, mask: int, umask: None) -> None:
    os.umask(mask)
    with (tmp_path / "control").open("w") as handle:
        handle.write("x")
    write_atomic(tmp_path / "page.html", "<p>x</p>")
    files = write_tables(_notebook(about=True), tmp_path / "tables", "r")
    control = (tmp_path / "control").stat().st_mode & 0o777
    assert control == 0o666 & ~mask
    for path in [tmp_path / "page.html", *files]:
        assert path.stat().st_mode & 0o777 == control, path.name
    # Nothing left beside them.
    assert sorted(p.name for p in (tmp_path / "tables").iterdir()) == sorted(f.name for f in files)


def test_writing_leaves_the_umask_as_it_was(tmp_path: Path, umask: None) -> None:
    os.umask(0o027)
    write_atomic(tmp_path / "a.csv", b"x")
    assert os.umask(0o027) == 0o027
