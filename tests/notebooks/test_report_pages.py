"""Every report, as a reader gets it, checked in headless Chromium: screen, print and PDF.

For each template on demo data (and the dated ones on a window without delivery), the
HTML rendered by the session fixtures of ``conftest.py`` is opened offline at 1280 px and
in print layout (its ``@media print`` rules applied at the printable width of A4): no
horizontal overflow of the page, an output or a table, no ``NaN``/``None`` text, the
currency shown, every image with alt text. A script added to a copy of the page measures
in the browser and writes what it found into the DOM, which ``--dump-dom`` prints.
The PDF written by ``--pdf`` must exist with all its text inside the page and the last
column of every table in it; ``--tables`` must have written every table.
"""

from __future__ import annotations

import json
import re
import subprocess
import unicodedata
from pathlib import Path
from typing import Any

import nbformat
import pandas as pd
import pytest
from renders import NAMES

from atribu_pandas.reports.export import CONTENT_SECURITY_POLICY, TABLE_MIME, find_chromium

pytestmark = [pytest.mark.notebook, pytest.mark.browser, pytest.mark.xdist_group("notebooks")]

DATED = ["campaign_performance", "attribution_models", "trends", "agency_overview"]
# A4 less the print stylesheet's 12 mm margins, in CSS pixels (96 per inch).
PRINT_WIDTH = round((210 - 2 * 12) / 25.4 * 96)
MEASURE = """<script>
(function () {
  const root = document.documentElement;
  const bad = [];
  if (root.scrollWidth > root.clientWidth) bad.push(["page", root.scrollWidth, root.clientWidth]);
  document.querySelectorAll(".jp-OutputArea-output, .jp-RenderedHTMLCommon").forEach((e) => {
    if (e.scrollWidth > e.clientWidth + 1) bad.push(["output", e.scrollWidth, e.clientWidth]);
  });
  document.querySelectorAll("table").forEach((t, i) => {
    const right = t.getBoundingClientRect().right;
    if (t.scrollWidth > t.clientWidth + 1 || right > root.clientWidth + 1)
      bad.push(["table " + i, t.scrollWidth, t.clientWidth, right]);
  });
  const found = {
    overflow: bad,
    alts: Array.from(document.images, (img) => img.getAttribute("alt") || ""),
    text: document.body.innerText,
    width: root.clientWidth,
  };
  const out = document.createElement("pre");
  out.id = "atribu-checks";
  out.textContent = JSON.stringify(found);
  document.body.appendChild(out);
})();
</script>"""


def chromium(profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    browser = find_chromium()
    if browser is None:
        pytest.fail("Chromium is not installed: run `make test` (it installs it with apt)")
    offline = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        "--proxy-server=127.0.0.1:9",
        "--host-resolver-rules=MAP * ~NOTFOUND",
    ]
    return subprocess.run(
        [browser, *offline, *args], capture_output=True, text=True, timeout=120, check=False
    )


def measure(page: Path, tmp_path: Path, *, printed: bool) -> dict[str, Any]:
    """Open a copy of ``page`` with the measuring script; return what it found."""
    text = page.read_text()
    if printed:
        # The print layout: the page's print rules applied, at the printable width.
        text = text.replace("@media print", "@media all")
    copy = tmp_path / f"{page.stem}-{'print' if printed else 'screen'}.html"
    # A report runs no script (its policy says so): the copy lets the measuring one run.
    text = text.replace(
        CONTENT_SECURITY_POLICY,
        CONTENT_SECURITY_POLICY.replace("script-src 'none'", "script-src 'unsafe-inline'"),
    )
    copy.write_text(text.replace("</body>", MEASURE + "</body>"))
    width = PRINT_WIDTH if printed else 1280
    done = chromium(
        tmp_path / "profile", f"--window-size={width},1000", "--dump-dom", copy.as_uri()
    )
    found = re.search(r'<pre id="atribu-checks">(.*?)</pre>', done.stdout, re.S)
    assert found, done.stderr[-2000:]
    import html

    result: dict[str, Any] = json.loads(html.unescape(found.group(1)))
    return result


def pages(renders: Any, empty_renders: Any) -> dict[str, Path]:
    found = {f"{name} (demo data)": renders[0][name].html for name in NAMES}
    for name in DATED:
        done = empty_renders[name]
        found[f"{name} (empty window)"] = Path(done.stdout.strip().splitlines()[-1])
    done = empty_renders["top_performers"]
    found["top_performers (empty: not scored yet)"] = Path(done.stdout.strip().splitlines()[-1])
    return found


@pytest.mark.parametrize("printed", [False, True], ids=["screen-1280px", "print-layout"])
def test_pages_fit_show_no_nan_name_the_currency_and_describe_images(
    printed: bool, renders: Any, empty_renders: Any, tmp_path: Path
) -> None:
    problems = []
    for label, page in pages(renders, empty_renders).items():
        assert page.read_text().count(CONTENT_SECURITY_POLICY) == 1, label
        found = measure(page, tmp_path, printed=printed)
        assert found["width"] == (PRINT_WIDTH if printed else 1280)
        if found["overflow"]:
            problems.append(f"{label}: wider than the page: {found['overflow'][:3]}")
        words = set(re.findall(r"\w+", found["text"]))
        if words & {"NaN", "nan", "None", "NaT"}:
            problems.append(f"{label}: shows {words & {'NaN', 'nan', 'None', 'NaT'}}")
        # Amounts carry the symbol; an empty page has none, its footer names the code.
        if "empty" in label:
            assert "currency: US Dollar (USD)" in found["text"], label
        elif "$" not in found["text"]:
            problems.append(f"{label}: no currency symbol")
        if not all(alt.strip() and "No description" not in alt for alt in found["alts"]):
            problems.append(f"{label}: an image without alt text: {found['alts']}")
    assert not problems, "\n".join(problems)


def _tables(notebook: Path, shown: bool = False) -> list[dict[str, Any]]:
    # shown: only the tables the page shows (not those exported only, for --tables).
    nb = nbformat.read(notebook, as_version=4)
    return [
        json.loads(o["data"][TABLE_MIME])
        for c in nb.cells
        for o in c.get("outputs", [])
        if TABLE_MIME in o.get("data", {}) and (not shown or "text/html" in o["data"])
    ]


@pytest.mark.parametrize("name", NAMES)
def test_the_clients_pdf_leaves_the_technical_details_out(name: str, renders: Any) -> None:
    from pypdf import PdfReader

    render = renders[0][name]
    text = " ".join(p.extract_text() for p in PdfReader(render.html.with_suffix(".pdf")).pages)
    # The footer's line is printed; the appendix (parameters, request ids) is not.
    assert "currency: US Dollar (USD)" in " ".join(text.split())
    assert "Technical details" not in text and "req_" not in text


@pytest.mark.parametrize("name", NAMES)
def test_the_pdf_holds_every_table_whole(name: str, renders: Any) -> None:
    from pypdf import PdfReader

    render = renders[0][name]
    pdf = render.html.with_suffix(".pdf")
    assert pdf.is_file(), render.stderr[-2000:]
    reader = PdfReader(pdf)
    assert len(reader.pages) >= 1
    texts: list[str] = []
    outside: list[str] = []
    for page in reader.pages:
        width = float(page.mediabox.width)

        def visit(
            text: str, cm: list[float], tm: list[float], *_: Any, width: float = width
        ) -> None:
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            if text.strip() and not 0 <= x < width:
                outside.append(text)

        texts.append(page.extract_text(visitor_text=visit))
    # Nothing is cut at the right edge: every piece of text starts on the page.
    assert outside == []
    # No page ends on a section heading: the print stylesheet keeps it with what follows.
    nb = nbformat.read(render.notebook, as_version=4)
    headings = {
        line.lstrip("#").strip()
        for cell in nb.cells
        if cell.cell_type == "markdown"
        for line in cell.source.splitlines()
        if line.startswith("## ")
    }
    assert headings
    last_lines = [
        [ln.strip() for ln in unicodedata.normalize("NFKC", text).splitlines() if ln.strip()][-1:]
        for text in texts[:-1]
    ]
    assert not [lines for lines in last_lines if lines and lines[0] in headings]
    # NFKC: the PDF's fonts set "fi" as one ligature glyph.
    words = " ".join(unicodedata.normalize("NFKC", " ".join(texts)).split())
    tables = _tables(render.notebook, shown=True)
    assert tables
    for table in tables:
        last = " ".join(str(table["columns"][-1]).split())
        assert last in words, f"{table['name']}: last column {last!r} not in the PDF"


@pytest.mark.parametrize("name", NAMES)
def test_every_table_is_exported_as_csv_and_in_the_workbook(name: str, renders: Any) -> None:
    render = renders[0][name]
    folder = render.html.parent / "tables"
    tables = _tables(render.notebook)
    book = pd.read_excel(folder / f"{name}.xlsx", sheet_name=None)
    # Every table in order, then the report's provenance.
    assert list(book)[-1] == "About"
    assert len(book) == len(tables) + 1
    for table, sheet in zip(tables, list(book.values())[:-1], strict=True):
        csv = pd.read_csv(folder / f"{name}-{table['name']}.csv")
        assert list(csv.columns) == table["headers"] == list(sheet.columns)
        assert len(csv) == len(table["data"]) == len(sheet)


def test_the_measure_sees_overflow_nan_and_missing_alt(tmp_path: Path) -> None:
    # The control: a page with each fault is caught by the very same measuring script.
    page = tmp_path / "bad.html"
    cells = "".join(f"<td>column_number_{i}_with_a_long_unbreakable_name</td>" for i in range(30))
    page.write_text(
        f"<html><body><table><tr>{cells}</tr></table><p>Spend NaN</p>"
        '<img src="data:image/png;base64,AAAA"></body></html>'
    )
    found = measure(page, tmp_path, printed=False)
    assert [kind for kind, *_ in found["overflow"]][:2] == ["page", "table 0"]
    assert "NaN" in found["text"].split()
    assert found["alts"] == [""]
