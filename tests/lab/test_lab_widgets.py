"""The widgets in a real JupyterLab 4, in headless Chromium, at the widths users have.

``notebooks/explore.ipynb`` is opened in a 1000 px window with the file browser open
(the notebook's output area is then about 550 px wide), every cell is run, and the
dashboard must come up; picking another attribution model must redraw the table with
the figures the sandbox gives for that model (computed here, in this process, from the
same synthetic data); picking "Ads" must give the ads, and the top ads with their
pictures. Then, with the output area at
550 px and at 1,100 px, nothing may scroll sideways but the table, inside its own box,
with its name column in view; every control must be whole; no text may be typeset by
MathJax. A second notebook, written by the test, shows every picker and the filters the
same way, and three made-up outputs (too wide, cut by a box hiding overflow, dollar
amounts MathJax typesets) show that each check catches what it is for.

Screenshots of each state are written to ``test-results/lab/`` (the run ends by saying
so; the folder holds only the last run's).
"""

from __future__ import annotations

import html.parser
import subprocess
import sys
from pathlib import Path
from typing import Any

import nbformat
import psutil
import pytest
from labsession import Lab, still_running, wait_for

from atribu_pandas import reports
from atribu_pandas.core.vocabulary import MODEL_DESCRIPTIONS
from atribu_pandas.reports.templates import read_template, template_path
from atribu_pandas.widgets import explore
from atribu_pandas.widgets.gallery import GALLERY_SIZE

# With the other Chromium tests, one at a time on one worker (two cores).
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

LAYOUT_JS = (Path(__file__).parent / "layout.js").read_text()
# The output area's widths to check: JupyterLab's main area with the file browser open
# in a 1000 px window, and a wide screen.
WIDTHS = (550, 1100)
# Generous bounds for a shared two-core machine; every wait ends as soon as it can.
KERNEL_SECONDS = 120
RUN_SECONDS = 180
REDRAW_SECONDS = 60
# explore.ipynb: markdown, the explore() cell, markdown.
EXPLORE_CELL = 1


class Page:
    """The JupyterLab page, measured through layout.js."""

    def __init__(self, driver: Any, lab: Lab, screenshots: Path) -> None:
        self.driver, self.lab, self.screenshots = driver, lab, screenshots

    def js(self, code: str, *args: Any) -> Any:
        return self.driver.execute_script(code, *args)

    def lab_js(self, call: str, *args: Any) -> Any:
        # layout.js is installed again after a page load; checking is cheaper than asking.
        if not self.js("return Boolean(window.atribuLab)"):
            self.js(LAYOUT_JS)
        return self.js(f"return window.atribuLab.{call}", *args)

    def open(self, name: str) -> None:
        self.driver.get(f"{self.lab.url}/lab/tree/{name}?token={self.lab.token}")
        self.wait_notebook(name)

    def open_another(self, name: str) -> None:
        self.js(f"window.jupyterapp.commands.execute('docmanager:open', {{path: '{name}'}})")
        self.wait_notebook(name)

    def wait_notebook(self, name: str) -> None:
        def shown() -> bool:
            return bool(
                self.js(
                    "const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
                    "return Boolean(w && w.context && w.context.path === arguments[0]"
                    " && w.content && w.content.widgets.length);",
                    name,
                )
            )

        wait_for(shown, KERNEL_SECONDS, f"JupyterLab to show {name}")
        wait_for(lambda: self.lab_js("kernelIdle()"), KERNEL_SECONDS, "the kernel to start")

    def run_all(self) -> None:
        self.js("window.jupyterapp.commands.execute('notebook:run-all-cells')")
        wait_for(lambda: self.lab_js("ranAll()"), RUN_SECONDS, "every cell to run")

    def file_browser_open(self) -> bool:
        return bool(
            self.js("const f = document.getElementById('filebrowser'); return f && f.offsetWidth")
        )

    def set_output_width(self, width: int, cell: int) -> None:
        """Resize the window until the cell's output area is ``width`` px wide."""

        def there() -> bool:
            # Each try corrects by what is still missing (a scrollbar may come or go).
            missing = width - self.lab_js("outputWidth(arguments[0])", cell)
            if missing:
                size = self.driver.get_window_size()
                self.driver.set_window_size(size["width"] + missing, size["height"])
            return missing == 0

        wait_for(
            there,
            REDRAW_SECONDS,
            f"the output area to be {width} px wide",
            seen=lambda: self.lab_js("outputWidth(arguments[0])", cell),
        )

    def screenshot(self, name: str, cell: int) -> Path:
        self.lab_js("cell(arguments[0]).scrollIntoView({block: 'start'})", cell)
        self.screenshots.mkdir(parents=True, exist_ok=True)
        path = self.screenshots / f"{name}.png"
        assert self.driver.save_screenshot(str(path)), path
        print(f"screenshot: {path}")
        return path


@pytest.fixture(scope="module")
def page(lab: Lab, browser: Any, lab_screenshots: Path) -> Page:
    # Only this run's pictures in the folder.
    for old in lab_screenshots.glob("*.png"):
        old.unlink()
    # 1000 px wide with the file browser open; tall enough that the whole dashboard is in
    # view for the screenshots.
    browser.set_window_size(1000, 2200)
    return Page(browser, lab, lab_screenshots)


class _Cells(html.parser.HTMLParser):
    """The text of each cell of an HTML table, row by row, white space collapsed."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def table_rows(markup: str) -> list[list[str]]:
    # The <style> text is no cell's: only what is inside <td> and <th> counts.
    parser = _Cells()
    parser.feed(markup)
    return parser.rows


@pytest.fixture(scope="module")
def expected(sandbox: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The tables the kernel's dashboard must show, drawn here from the same data.

    The kernel's demo sandbox and this one share the seed (0) and the pinned day
    (ATRIBU_TODAY), so they serve the same figures.
    """
    client = sandbox.client(cache_dir=tmp_path_factory.mktemp("cache"), progress=False)
    explorer = explore(client)
    tables = {}
    for model, level in (("last_touch", None), ("first_touch", None), ("first_touch", "ad")):
        explorer.model.value, explorer.level.value = model, level
        assert explorer.error is None, explorer.error
        tables[model, level] = table_rows(explorer.table.value)
    # The check below can only tell the models apart if their tables differ.
    assert tables["last_touch", None] != tables["first_touch", None]
    return tables


@pytest.fixture(scope="module")
def explore_page(page: Page) -> Page:
    page.open("explore.ipynb")
    assert page.file_browser_open()
    page.run_all()
    wait_for(
        lambda: "Showing" in page.lab_js("text(arguments[0])", EXPLORE_CELL),
        REDRAW_SECONDS,
        "the dashboard to show its first load",
    )
    return page


def model_select(page: Page) -> Any:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    cell = page.js("return window.atribuLab.cell(arguments[0])", EXPLORE_CELL)
    for box in cell.find_elements(By.CSS_SELECTOR, ".widget-dropdown"):
        if box.find_element(By.CSS_SELECTOR, ".widget-label").text == "Model":
            return Select(box.find_element(By.TAG_NAME, "select"))
    raise LookupError("no Model dropdown")


def click_level(page: Page, label: str) -> None:
    from selenium.webdriver.common.by import By

    cell = page.js("return window.atribuLab.cell(arguments[0])", EXPLORE_CELL)
    cell.find_element(By.XPATH, f".//button[normalize-space()='{label}']").click()


def wait_table(page: Page, rows: list[list[str]], what: str) -> None:
    wait_for(
        lambda: (
            page.lab_js("table(arguments[0])", EXPLORE_CELL) == rows and page.lab_js("kernelIdle()")
        ),
        REDRAW_SECONDS,
        what,
        seen=lambda: page.lab_js("table(arguments[0])", EXPLORE_CELL),
    )


def test_explore_redraws_for_the_picked_model(explore_page: Page, expected: dict[str, Any]) -> None:
    page = explore_page
    wait_table(page, expected["last_touch", None], "the last-touch table")
    page.screenshot("explore-first-load-1000px-window", EXPLORE_CELL)
    select = model_select(page)
    select.select_by_value(f"first_touch: {MODEL_DESCRIPTIONS['first_touch']}")
    wait_table(page, expected["first_touch", None], "the table to redraw for first_touch")
    click_level(page, "Ads")
    wait_table(page, expected["first_touch", "ad"], "the table to redraw with the ads")
    text = page.lab_js("text(arguments[0])", EXPLORE_CELL)
    assert "first_touch, level ad" in text and "Level: ads." in text


def test_explore_shows_the_banner_and_no_demo_warning(explore_page: Page) -> None:
    text = explore_page.lab_js("text(arguments[0])", EXPLORE_CELL)
    assert "Demo data." in text
    assert "DemoDataWarning" not in text
    stderr = explore_page.js(
        "return window.atribuLab.cell(arguments[0]).querySelectorAll("
        "'[data-mime-type=\"application/vnd.jupyter.stderr\"]').length",
        EXPLORE_CELL,
    )
    assert stderr == 0


@pytest.mark.parametrize("width", WIDTHS)
def test_explore_fits_the_output_area(explore_page: Page, width: int) -> None:
    page = explore_page
    click_level(page, "Ads")
    wait_for(
        lambda: "Level: ads." in page.lab_js("text(arguments[0])", EXPLORE_CELL),
        REDRAW_SECONDS,
        "the ads",
    )
    page.set_output_width(width, EXPLORE_CELL)
    wait_for(lambda: page.lab_js("imagesReady(arguments[0])", EXPLORE_CELL), 30, "the charts")
    # The top ads show their pictures, embedded, drawn, each with its ad's name beside it.
    thumbs = page.js(
        "return [...window.atribuLab.cell(arguments[0]).querySelectorAll("
        "'.atribu-gallery img')].map(i => [i.getAttribute('src').slice(0, 23), "
        "i.closest('figure').querySelector('figcaption').innerText.trim(), "
        "i.complete && i.naturalWidth])",
        EXPLORE_CELL,
    )
    assert len(thumbs) == GALLERY_SIZE, thumbs
    assert all(src == "data:image/jpeg;base64," and alt and drawn for src, alt, drawn in thumbs)
    page.screenshot(f"explore-ads-{width}px", EXPLORE_CELL)
    assert page.lab_js("layoutProblems(arguments[0])", EXPLORE_CELL) == []
    assert page.lab_js("mathjax(arguments[0])", EXPLORE_CELL) == []

    rows = page.lab_js("table(arguments[0])", EXPLORE_CELL)
    # The level is said once, in the caption, not on every row.
    assert "Level" not in rows[0] and rows[0][:2] == ["Ad", "Ad set"]
    scroll = page.lab_js("tableScroll(arguments[0])", EXPLORE_CELL)
    assert scroll["overflowX"] in ("auto", "scroll")
    if width == WIDTHS[0]:
        # At 550 px the ads' eleven columns do not fit: the table scrolls, not the area.
        assert scroll["scrolls"] and scroll["scrolledBy"] > 0
    # The name column stays at the box's left edge, and the last column comes into view.
    assert abs(scroll["nameLeftAfter"] - scroll["nameLeftBefore"]) <= 1, scroll
    assert scroll["lastRightAfter"] <= scroll["boxInnerWidth"] + 1, scroll

    def names_fit() -> bool:
        names = page.lab_js("nameLines(arguments[0])", EXPLORE_CELL)
        return bool(names) and max(n["lines"] for n in names) <= 2.05

    # A name under the pointer shows whole (see whole_on_hover): the last click or the
    # resize may have left the pointer over the table, so move it off first. A busy
    # machine may also measure mid-reflow after the resize: wait for the table to settle.
    pointer_off_the_table(page)
    wait_for(
        names_fit,
        REDRAW_SECONDS,
        "every name on at most two lines",
        seen=lambda: page.lab_js("nameLines(arguments[0])", EXPLORE_CELL),
    )
    if width == WIDTHS[0]:
        whole_on_hover(page)


def pointer_off_the_table(page: Page) -> None:
    """Rest the pointer on JupyterLab's menu bar, away from every output."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    menu = page.driver.find_element(By.ID, "jp-top-panel")
    ActionChains(page.driver).move_to_element(menu).perform()


def whole_on_hover(page: Page) -> None:
    """A name cut short to two lines shows whole while the pointer is on it."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    name = page.lab_js("markClamped(arguments[0])", EXPLORE_CELL)
    assert name, "no name is cut short at 550 px: the hover check would prove nothing"
    cut = "const e = document.getElementById('atribu-lab-clamped');"
    cut += "return e.scrollHeight > e.clientHeight + 1;"
    element = page.driver.find_element(By.ID, "atribu-lab-clamped")
    ActionChains(page.driver).move_to_element(element).perform()
    wait_for(lambda: not page.js(cut), 10, f"{name!r} to show whole on hover")
    # Off the table (onto JupyterLab's menu bar): the name is cut short again.
    pointer_off_the_table(page)
    wait_for(lambda: page.js(cut), 10, f"{name!r} to be cut short again")


# -- every picker, in a notebook written here ----------------------------------------------

# The notebook of every picker: cell name -> source. The pickers must fit; the last
# three are made up, each for one check to catch.
PICKER_CELLS = {
    "setup": (
        "import atribu_pandas as ap\nimport ipywidgets\nimport pandas as pd\n\n"
        'ads = ap.load_campaigns(*ap.widgets.preset_window("last_28_days"), level="ad")'
    ),
    "dates": "ap.widgets.DateWindowPicker()",
    "model": 'ap.widgets.ModelPicker("time_decay")',
    "level": 'ap.widgets.LevelPicker("ad")',
    "ads": "ap.widgets.EntityPicker(ads)",
    # Names a MathJax typesetter would read as formulas, and one very long.
    "dollar names": (
        "ap.widgets.EntityPicker(pd.DataFrame({\n"
        '    "campaign_id": ["a", "b"],\n'
        '    "campaign_name": ["Botox $50 off, save $20 today", "Spring " * 30],\n'
        "}))"
    ),
    "filters": "ap.widgets.TopPerformerFilters()",
    "wide": 'ipywidgets.Button(description="made up", layout=ipywidgets.Layout(width="3000px"))',
    # Inside the output, but cut by its box, which shows no scrollbar for it.
    "cut": (
        "ipywidgets.VBox(\n"
        '    [ipywidgets.Dropdown(options=["made up"], layout=ipywidgets.Layout(width="400px"))],\n'
        '    layout=ipywidgets.Layout(width="200px", overflow="hidden"),\n'
        ")"
    ),
    "math": 'from IPython.display import HTML\nHTML("<p>Spend $1,200 and value $3,400</p>")',
}
CELL = {name: index for index, name in enumerate(PICKER_CELLS)}
PICKERS = ["dates", "model", "level", "ads", "dollar names", "filters"]


@pytest.fixture(scope="module")
def pickers_page(explore_page: Page) -> Page:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in PICKER_CELLS.values()]
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    nbformat.write(notebook, explore_page.lab.root / "pickers.ipynb")
    explore_page.open_another("pickers.ipynb")
    explore_page.run_all()
    return explore_page


@pytest.mark.parametrize("width", WIDTHS)
def test_every_picker_fits_the_output_area(pickers_page: Page, width: int) -> None:
    page = pickers_page
    page.set_output_width(width, CELL[PICKERS[0]])
    page.screenshot(f"pickers-{width}px", CELL[PICKERS[0]])
    for name in PICKERS:
        assert page.lab_js("layoutProblems(arguments[0])", CELL[name]) == [], name
        assert page.lab_js("mathjax(arguments[0])", CELL[name]) == [], name


def test_entity_picker_shows_whole_names_and_starts_with_the_top_five(
    pickers_page: Page,
) -> None:
    ads = pickers_page.lab_js("entities(arguments[0])", CELL["ads"])
    assert len(ads) > 5 and [a["checked"] for a in ads[:6]] == [True] * 5 + [False]
    assert not any(a["cut"] or a["squeezed"] for a in ads), ads
    assert all(a["title"] == a["text"] for a in ads)
    made_up = pickers_page.lab_js("entities(arguments[0])", CELL["dollar names"])
    assert [a["text"] for a in made_up] == ["Botox $50 off, save $20 today", ("Spring " * 30)]
    assert not any(a["cut"] or a["squeezed"] for a in made_up), made_up


def test_a_plain_loader_call_still_warns_about_demo_data(pickers_page: Page) -> None:
    assert "DemoDataWarning" in pickers_page.lab_js("text(arguments[0])", CELL["setup"])


def test_the_checks_catch_made_up_problems(pickers_page: Page) -> None:
    page = pickers_page
    page.screenshot("made-up-problems", CELL["wide"])
    wide = page.lab_js("layoutProblems(arguments[0])", CELL["wide"])
    assert any("scrolls sideways" in p for p in wide), wide
    cut = page.lab_js("layoutProblems(arguments[0])", CELL["cut"])
    assert any("cut sideways" in p for p in cut), cut
    wait_for(lambda: page.lab_js("mathjax(arguments[0])", CELL["math"]), 30, "MathJax")
    assert page.lab_js("layoutProblems(arguments[0])", CELL["math"]) == []


def test_the_process_check_sees_a_process_left_running() -> None:
    # The control of the fixtures' last check: a process still running is named.
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    process = psutil.Process(child.pid)
    try:
        assert len(still_running([process], timeout=0.5)) == 1
    finally:
        child.kill()
        child.wait(timeout=10)
    assert still_running([process], timeout=5) == []


# -- a report template, as an analyst opens a copy of one ----------------------------------

REPORT = "campaign_performance"
# What a client reads in a report, by block: headline cards, the summary, the tables
# (not the footer, whose fetch time differs by the second).
BLOCKS_JS = """
const root = arguments[0] ? window.jupyterapp.shell.currentWidget.node : document.body;
return Array.from(root.querySelectorAll('.atribu-kpi, .atribu-summary, table.atribu-table'))
  .map((el) => el.textContent.replace(/\\s+/g, ' ').trim());
"""
CARD_STYLE_JS = """
const card = window.jupyterapp.shell.currentWidget.node.querySelector('.atribu-kpi');
if (!card) return null;
const style = getComputedStyle(card);
return {border: style.borderTopWidth, radius: style.borderTopLeftRadius,
        row: getComputedStyle(card.parentElement).display};
"""


@pytest.fixture(scope="module")
def report_page(pickers_page: Page) -> Page:
    # The docs' way to make your own report: the template as a notebook, beside your work.
    notebook = read_template(template_path(REPORT))
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    nbformat.write(notebook, pickers_page.lab.root / f"{REPORT}.ipynb")
    pickers_page.open_another(f"{REPORT}.ipynb")
    pickers_page.run_all()
    return pickers_page


def test_a_report_template_in_lab_looks_like_the_report(report_page: Page, tmp_path: Path) -> None:
    page = report_page
    cells = page.js("return window.jupyterapp.shell.currentWidget.content.widgets.length")
    page.screenshot("report-in-lab-1000px-window", 1)
    for index in range(cells):
        assert page.lab_js("layoutProblems(arguments[0])", index) == [], index
        assert page.lab_js("mathjax(arguments[0])", index) == [], index
    # The cards are cards, as in the export: bordered, rounded, side by side.
    style = page.js(CARD_STYLE_JS)
    assert style == {"border": "1px", "radius": "6px", "row": "flex"}, style
    # The same blocks, word for word, as the exported report of the same template.
    in_lab = page.js(BLOCKS_JS, True)
    exported = reports.render(REPORT, output=tmp_path / "r.html", demo=True, progress=False)
    page.driver.get(exported.html.as_uri())
    try:
        assert len(in_lab) > 10 and page.js(BLOCKS_JS, False) == in_lab
    finally:
        page.driver.back()
