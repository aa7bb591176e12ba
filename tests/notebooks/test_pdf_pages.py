"""Every template printed to PDF in two locales reads like a designed document.

Each template's PDF in ``en_US`` and ``de_DE`` comes from the session's renders
(tests/notebooks/conftest.py: the English ones and the German translations). The PDF's
pages must be on the locale's paper (US Letter for the United States, A4 for Germany,
read with pypdf), and each page, rasterised with ``pdftoppm``,
must be at least half full unless it is the last page or ends a section (the next page
opens with a ``##`` heading of the template).

Fill is the fraction of the printable height (the page less its 12 mm margins) covered
by ink rows, counting a white gap shorter than :data:`GAP_MM` between two inked rows as
covered: the space between two lines of text or a table's rows is part of a full page;
the white left under the last block of a page is not.
"""

from __future__ import annotations

import subprocess
import unicodedata
from itertools import pairwise
from pathlib import Path
from typing import Any

import nbformat
import numpy as np
import pytest
from renders import NAMES

# In the worker that holds the session's renders (tests/notebooks/conftest.py).
pytestmark = [pytest.mark.notebook, pytest.mark.browser, pytest.mark.xdist_group("notebooks")]

LOCALES = ["en_US", "de_DE"]
# Points (1/72 inch): US Letter is 8.5 x 11 in, A4 210 x 297 mm.
PAPER = {"en_US": (612, 792), "de_DE": (595, 842)}
DPI = 40
MARGIN_MM = 12
GAP_MM = 10
HALF = 0.5


def fill(page: np.ndarray, dpi: int = DPI) -> float:
    """The fraction of the printable height covered (see the module's note)."""
    margin = round(MARGIN_MM / 25.4 * dpi)
    body = page[margin:-margin, margin:-margin]
    ink = (body < 235).any(axis=1)
    rows = np.flatnonzero(ink)
    gap = round(GAP_MM / 25.4 * dpi)
    covered = ink.copy()
    for above, below in pairwise(rows):
        if below - above <= gap:
            covered[above:below] = True
    return float(covered.mean())


def pages_of(pdf: Path, folder: Path) -> list[np.ndarray]:
    from PIL import Image

    prefix = folder / pdf.stem
    subprocess.run(
        ["pdftoppm", "-r", str(DPI), "-gray", "-png", str(pdf), str(prefix)],
        check=True,
        capture_output=True,
    )
    files = sorted(folder.glob(f"{pdf.stem}-*.png"), key=lambda f: int(f.stem.split("-")[-1]))
    return [np.asarray(Image.open(f).convert("L")) for f in files]


@pytest.fixture(scope="module")
def printed(renders: Any, translated: Any) -> dict[tuple[str, str], Path]:
    """The session's PDFs: the English renders (en_US) and the German ones (de_DE)."""
    if subprocess.run(["which", "pdftoppm"], capture_output=True).returncode:
        pytest.fail("pdftoppm is not installed: run `make browser-deps` (poppler-utils)")
    found = {}
    for name in NAMES:
        english, (german, done) = renders[0][name], translated[name, "de"]
        assert english.status == 0 and done.returncode == 0, (name, done.stderr[-2000:])
        found[name, "en_US"], found[name, "de_DE"] = english.html, german
    return found


def section_openers(notebook: Path) -> set[str]:
    nb = nbformat.read(notebook, as_version=4)
    return {
        line.lstrip("#").strip()
        for cell in nb.cells
        if cell.cell_type == "markdown"
        for line in cell.source.splitlines()
        if line.startswith("## ")
    }


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("name", NAMES)
def test_pages_are_on_the_locales_paper_and_at_least_half_full(
    name: str, locale: str, printed: dict[tuple[str, str], Path], tmp_path: Path
) -> None:
    from pypdf import PdfReader

    html = printed[name, locale]
    pdf = html.with_suffix(".pdf")
    reader = PdfReader(pdf)
    for page in reader.pages:
        size = (float(page.mediabox.width), float(page.mediabox.height))
        assert size == pytest.approx(PAPER[locale], abs=1.5), (name, locale, size)
    texts = [
        [ln.strip() for ln in unicodedata.normalize("NFKC", p.extract_text()).splitlines()]
        for p in reader.pages
    ]
    openers = section_openers(html.with_name(f"{html.stem}.executed.ipynb"))
    fills = [fill(page) for page in pages_of(pdf, tmp_path)]
    assert len(fills) == len(reader.pages)
    thin = [
        (number + 1, round(value, 2))
        for number, value in enumerate(fills[:-1])
        # A page may end short where the next section begins on the next page.
        if value < HALF and not any(ln in openers for ln in texts[number + 1][:2] if ln)
    ]
    assert thin == [], f"{name} ({locale}): pages under half full: {thin}; fill {fills}"


def test_the_fill_measure_sees_a_third_full_page() -> None:
    # The control: a page inked on its top third only measures about a third.
    page = np.full((round(297 / 25.4 * DPI), round(210 / 25.4 * DPI)), 255, dtype=np.uint8)
    margin = round(MARGIN_MM / 25.4 * DPI)
    top = margin + (page.shape[0] - 2 * margin) // 3
    page[margin:top:4, margin + 5 : margin + 60] = 0  # lines of "text", 4 px apart
    assert fill(page) == pytest.approx(1 / 3, abs=0.03)
    assert fill(np.full_like(page, 255)) == 0.0


def test_the_paper_sizes_are_those_of_the_locales_territories() -> None:
    # Read from CLDR's supplemental data by hand, not from the code: Letter in the US and
    # Mexico, A4 in Germany and Brazil.
    from atribu_pandas.reports.printing import paper_size

    assert [paper_size(x) for x in ("en_US", "es_MX", "de_DE", "pt_BR")] == [
        "letter",
        "letter",
        "A4",
        "A4",
    ]
