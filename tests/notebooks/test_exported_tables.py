"""``--tables`` writes files a client opens as they are.

A hand-built report (figures chosen here, expected values worked out by hand) rendered
twice through the CLI, at once: German locale and conventions under umask 077, and
``--csv-dialect plain`` under umask 022. Then every template's workbook from the
session's renders: a number format of the right family on every figure, the currency in
the money headers, a frozen header, fitted widths, words for codes, and every table the
page shows, in the page's order.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import nbformat
import openpyxl
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from renders import NAMES

from atribu_pandas.reports.export import TABLE_MIME, find_chromium

# In the worker that holds the session's renders (tests/notebooks/conftest.py).
pytestmark = pytest.mark.xdist_group("notebooks")
ROOT = Path(__file__).resolve().parents[2]

# The report's cell: English words on the locale's numbers, figures whose stored forms are
# known.
CELL = r"""
import json
import pandas as pd
from IPython.display import display
from atribu_pandas import reports
from atribu_pandas.reports.export import ABOUT_MIME
fmt = reports.start("Exports", currency=currency, locale=locale, language="en")
frame = pd.DataFrame({
    "campaign_name": ['=HYPERLINK("http://x")', 'Spring; "Sale"'],
    "objective": ["OUTCOME_LEADS", "OUTCOME_SALES"],
    "spend": [1234.5, 0.85],
    "impressions": [120000, 400],
    "ctr": [0.4025, 12.5],
    "roas": [3.9194841656, None],
    "composite_score": [87.25, 40.0],
    "spend_share": [0.25, 0.75],
})
reports.show_kpis(
    {"Spend": (1235.35, "money"), "ROAS": (2.345, "times"), "Note": "shown only"},
    name="headline", title="Headline numbers",
)
reports.show_table(
    frame, "campaign_name objective spend impressions ctr roas composite_score spend_share",
    name="campaigns", title="Top campaigns",
)
reports.export_table(
    pd.DataFrame({"week": pd.to_datetime(["2026-03-02", "2026-03-09"]), "roas": [2.345, 1.0]}),
    {"week": ("Week starting", "date"), "roas": ("ROAS", "times")},
    name="weekly_roas", title="Weekly ROAS",
)
display({ABOUT_MIME: json.dumps([["Data", "DEMO"], ["Währung", "EUR"]]), "text/plain": ""},
        raw=True)
"""
# By hand: CTR 0.4025 % is 0.004025; ROAS rounded as the page shows it (half even on
# the decimal, Babel's way: 3.9194... -> 3.92, 2.345 -> 2.34); codes in words.
CAMPAIGNS = {
    "Campaign": ['=HYPERLINK("http://x")', 'Spring; "Sale"'],
    "Objective": ["Leads", "Sales"],
    "Spend (EUR)": [1234.5, 0.85],
    "Impressions": [120000, 400],
    "CTR": [0.004025, 0.125],
    "ROAS": [3.92, None],
    "Score": [87.25, 40.0],
    "Share of spend": [0.25, 0.75],
}


def _notebook(folder: Path) -> Path:
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "P"}
    params = new_code_cell('currency = "USD"\nlocale = "en_US"', metadata={"tags": ["parameters"]})
    nb.cells = [new_markdown_cell("# Exports"), params, new_code_cell(CELL)]
    path = folder / "exports.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """Both runs at once: ``german`` (umask 077) and ``plain`` (umask 022)."""
    folder = tmp_path_factory.mktemp("exports")
    source = _notebook(folder)
    pdf = ["--pdf"] if find_chromium() else []
    runs = {"german": (0o077, []), "plain": (0o022, ["--csv-dialect", "plain"])}
    procs = {}
    for label, (umask, extra) in runs.items():
        out = folder / label
        cmd = [sys.executable, "-m", "atribu_pandas.cli", "report", str(source), "-q"]
        cmd += ["--currency", "EUR", "--locale", "de_DE", "-o", str(out / "e.html")]
        cmd += ["--tables", str(out / "tables"), *pdf, *extra]
        out.mkdir()
        procs[label] = subprocess.Popen(
            cmd, cwd=ROOT, umask=umask, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
    for proc in procs.values():
        _, stderr = proc.communicate(timeout=200)
        assert proc.returncode == 0, stderr[-2000:]
    yield {label: folder / label for label in runs}


def _sheet_rows(path: Path, sheet: str) -> list[list[Any]]:
    book = openpyxl.load_workbook(path)
    return [list(row) for row in book[sheet].iter_rows(values_only=True)]


def test_german_csv_opens_with_semicolons_and_decimal_commas(exported: dict[str, Path]) -> None:
    tables = exported["german"] / "tables"
    raw = (tables / "e-campaigns.csv").read_bytes()
    # The mark Excel needs to read UTF-8; fields split at ";", decimals with ",".
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.decode("utf-8-sig").splitlines()[1].split(";")[2] == "1234,5"
    csv = pd.read_csv(tables / "e-campaigns.csv", sep=";", decimal=",", encoding="utf-8-sig")
    # The formula guard still holds: the name arrives as text, behind an apostrophe.
    assert csv["Campaign"].tolist() == ["'" + CAMPAIGNS["Campaign"][0], CAMPAIGNS["Campaign"][1]]
    for header, expected in CAMPAIGNS.items():
        if header != "Campaign":
            got = [None if pd.isna(v) else v for v in csv[header].tolist()]
            assert got == expected, header
    # The CSV and the workbook hold the same figures.
    book = _sheet_rows(tables / "e.xlsx", "Top campaigns")
    assert book[0] == list(CAMPAIGNS)
    assert [row[2:] for row in book[1:]] == [
        [None if pd.isna(v) else v for v in row[2:]] for row in csv.itertuples(index=False)
    ]
    weekly = pd.read_csv(tables / "e-weekly_roas.csv", sep=";", decimal=",", encoding="utf-8-sig")
    assert weekly.to_dict("list") == {
        "Week starting": ["2026-03-02", "2026-03-09"],
        "ROAS": [2.34, 1.0],
    }


def test_plain_csv_is_rfc_4180_with_the_same_figures(exported: dict[str, Path]) -> None:
    raw = (exported["plain"] / "tables" / "e-campaigns.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert raw.split(b"\r\n")[1].split(b",")[2] == b"1234.5"
    plain = pd.read_csv(exported["plain"] / "tables" / "e-campaigns.csv")
    german = pd.read_csv(
        exported["german"] / "tables" / "e-campaigns.csv",
        sep=";",
        decimal=",",
        encoding="utf-8-sig",
    )
    pd.testing.assert_frame_equal(plain, german)


def test_the_workbook_formats_every_figure_and_ends_with_about(exported: dict[str, Path]) -> None:
    book = openpyxl.load_workbook(exported["german"] / "tables" / "e.xlsx")
    # Tables in the report's order; the string-only card is not exported; About last.
    assert book.sheetnames == ["Headline numbers", "Top campaigns", "Weekly ROAS", "About"]
    assert _sheet_rows(exported["german"] / "tables" / "e.xlsx", "About") == [
        ["Data", "DEMO"],
        ["Währung", "EUR"],
    ]
    headline = book["Headline numbers"]
    assert [[c.value for c in row] for row in headline.iter_rows()] == [
        ["Metric", "Value"],
        ["Spend (EUR)", 1235.35],
        ["ROAS", 2.34],
    ]
    assert headline["B2"].number_format == '#,##0.00" €"'
    assert headline["B3"].number_format == '0.00"×"'
    campaigns = book["Top campaigns"]
    assert campaigns.freeze_panes == "A2"
    wanted = ['#,##0.00" €"', "#,##0", "0.0%", '0.00"×"', "0.0", "0.0%"]
    for column, number_format in zip("CDEFGH", wanted, strict=True):
        for cell in campaigns[column][1:]:
            if cell.value is not None:
                assert cell.number_format == number_format, cell.coordinate
    # Text stays text, the hostile name included.
    assert campaigns["A2"].data_type == "s"
    assert campaigns.column_dimensions["A"].width >= len(CAMPAIGNS["Campaign"][0])
    weekly = book["Weekly ROAS"]
    assert weekly["A2"].is_date and weekly["A2"].number_format == "yyyy-mm-dd"


def test_every_file_gets_the_mode_of_the_users_umask(exported: dict[str, Path]) -> None:
    expected = {"german": 0o600, "plain": 0o644}
    for label, folder in exported.items():
        files = [
            folder / "e.html",
            folder / "e.executed.ipynb",
            *(folder / "tables").iterdir(),
        ]
        if find_chromium():
            files.append(folder / "e.pdf")
        assert len(files) >= 6
        modes = {f.name: oct(f.stat().st_mode & 0o777) for f in files}
        assert set(modes.values()) == {oct(expected[label])}, (label, modes)


def test_an_exported_only_table_shows_nothing_on_the_page(exported: dict[str, Path]) -> None:
    page = (exported["german"] / "e.html").read_text()
    assert "Weekly ROAS" not in page and "2026-03-09" not in page
    # Two outputs carry data only: each an empty text the stylesheet hides.
    assert page.count("<pre></pre>") == 2
    assert ".jp-OutputArea-child:has(> .jp-RenderedText > pre:empty) { display: none; }" in page


# -- every template's workbook, from the session's renders (en_US, USD) ------------------


class _TableHeaders(HTMLParser):
    """The header row of every table.atribu-table, and the cards' labels, in page order;
    the headers of a column of pictures (``td.atribu-image``, shown, never exported) are
    left out."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[str]]] = []
        self._in: str | None = None
        self._text = ""
        self._column = 0
        self._pictures: dict[int, set[int]] = {}

    @property
    def exported(self) -> list[tuple[str, list[str]]]:
        return [
            (kind, [h for i, h in enumerate(labels) if i not in self._pictures.get(n, set())])
            for n, (kind, labels) in enumerate(self.found)
        ]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "tr":
            self._column = 0
        elif tag == "td" and self.found:
            if "atribu-image" in classes:
                self._pictures.setdefault(len(self.found) - 1, set()).add(self._column)
            self._column += 1
        if tag == "table" and "atribu-table" in classes:
            self.found.append(("table", []))
        elif tag == "div" and "atribu-kpis" in classes:
            self.found.append(("cards", []))
        elif tag == "th" and "col_heading" in classes and self.found:
            self._in, self._text = "th", ""
        elif tag == "div" and "atribu-kpi" in classes:
            self._in, self._text = "kpi", ""
        elif tag == "b" and self._in == "kpi":
            self.found[-1][1].append(self._text.strip())
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "th" and self._in == "th":
            self.found[-1][1].append(" ".join(self._text.split()))
            self._in = None


def _payloads(notebook: Path) -> list[dict[str, Any]]:
    nb = nbformat.read(notebook, as_version=4)
    return [
        json.loads(o["data"][TABLE_MIME])
        for c in nb.cells
        for o in c.get("outputs", [])
        if TABLE_MIME in o.get("data", {})
    ]


# The family of number format each kind must carry (the money one names the currency).
FAMILY = {
    "money": r'^"\$"#,##0\.00$',
    "number": r"^#,##0$",
    "percent": r"%",
    "fraction": r"%",
    "signed_percent": r"^\+0%;-0%",
    "times": r"×",
    "signed_times": r"^\+0\.00\"×\";-",
    "score": r"^0\.0$",
    "date": r"^yyyy-mm-dd$",
}


@pytest.mark.parametrize("name", NAMES)
def test_every_figure_of_a_template_has_its_format(name: str, renders: Any) -> None:
    render = renders[0][name]
    assert render.status == 0, render.stderr[-2000:]
    book = openpyxl.load_workbook(render.html.parent / "tables" / f"{name}.xlsx")
    payloads = _payloads(render.notebook)
    sheets = [book[s] for s in book.sheetnames if s != "About"]
    assert len(sheets) == len(payloads)
    problems = []
    for payload, sheet in zip(payloads, sheets, strict=True):
        assert sheet.freeze_panes == "A2", sheet.title
        headers = [c.value for c in sheet[1]]
        for index, (column, kind) in enumerate(
            zip(payload["columns"], payload["kinds"], strict=True)
        ):
            letter = openpyxl.utils.get_column_letter(index + 1)
            width = sheet.column_dimensions[letter].width
            assert width and width >= min(len(str(headers[index])), 40), (sheet.title, column)
            if kind == "money":
                assert headers[index] == f"{column} (USD)"
            for r, cell in enumerate(sheet[letter][1:]):
                cell_kind = kind if isinstance(kind, str) else kind[r]
                figure = isinstance(cell.value, int | float) and not isinstance(cell.value, bool)
                if figure and not re.search(FAMILY.get(cell_kind, "^$"), cell.number_format):
                    problems.append(f"{sheet.title}!{cell.coordinate}: {cell.number_format}")
                if cell_kind == "label" and isinstance(cell.value, str):
                    # Words, as the page shows them: no API code in capitals and underscores.
                    assert not re.fullmatch(r"[A-Z0-9_]+_[A-Z0-9_]+", cell.value), cell.value
                if cell_kind == "percent" and cell.value is not None:
                    raw = payload["data"][r][index]
                    assert cell.value == pytest.approx(raw / 100), cell.coordinate
    assert not problems, problems[:10]
    assert any("(USD)" in str(c.value) for s in sheets for c in s[1] + s["A"])


@pytest.mark.parametrize("name", NAMES)
def test_the_workbook_holds_every_table_of_the_page_in_order(name: str, renders: Any) -> None:
    render = renders[0][name]
    parser = _TableHeaders()
    parser.feed(render.html.read_text())
    shown = parser.exported
    assert any(kind == "table" for kind, _ in shown)
    if name == "top_performers":
        # The leaderboard's pictures are on the page, and only there.
        assert len(parser.found[0][1]) == len(shown[0][1]) + 1
    book = openpyxl.load_workbook(render.html.parent / "tables" / f"{name}.xlsx")
    sheets = [
        ([str(c.value) for c in book[s][1]], [str(c.value) for c in book[s]["A"][1:]])
        for s in book.sheetnames
    ]

    def plain(header: str) -> str:
        return re.sub(r" \(USD\)$", "", header)

    # Each shown table (by its headers) and exported card row (by its labels) matches
    # the next sheet that holds it: the page's order is the workbook's.
    at, cards = 0, 0
    for kind, labels in shown:
        for position in range(at, len(sheets)):
            headers, first_column = sheets[position]
            if [plain(h) for h in (headers if kind == "table" else first_column)] == labels:
                at, cards = position + 1, cards + (kind == "cards")
                break
        else:
            # Cards given as text only (the change against the previous period) stay out.
            assert kind == "cards", f"{name}: the table {labels} is not in the workbook"
    # campaign_performance exports its headline numbers.
    assert cards >= (name == "campaign_performance")
