"""The documentation site as a reader meets it: built pages opened in headless Chromium.

``make test`` builds the site (``docs/_build/html``) before the suite runs; these tests
serve it on loopback and open the front page, a guide page and an API page at 1280 px:
every picture loads, the guide's code cells show their outputs and no error, nothing is
wider than the window, and the search page finds ``load_campaigns``. Each page's
screenshot is kept in ``test-results/`` to be looked at. Another test checks that every
public name (``docs/public_api.py``) has its API page.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from lab.labsession import running_chromium, wait_for
from public_api import public_names

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "docs" / "_build" / "html"
SHOTS = ROOT / "test-results"
WIDTH = 1280

# What a page holds, measured in the page: pictures that did not load, cells, cells with
# an output, error tracebacks shown, and how much wider than the window the page is.
MEASURE = """
const images = [...document.querySelectorAll('img')];
const cells = [...document.querySelectorAll('div.cell')];
return {
  images: images.length,
  broken: images.filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src),
  cells: cells.length,
  with_output: cells.filter(c => c.querySelector('.cell_output')).length,
  figures: document.querySelectorAll('.cell_output img').length,
  tables: document.querySelectorAll('.cell_output table').length,
  tracebacks: document.querySelectorAll('.cell_output .traceback, .output.traceback').length,
  overflow: document.documentElement.scrollWidth - window.innerWidth,
  cut: [...document.querySelectorAll('h1, h2, h3, p, li')]
    .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent.slice(0, 60)),
  title: document.title,
};
"""


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    """The built site, served on a loopback port (search needs http, not file://)."""
    if not (SITE / "index.html").exists():
        pytest.fail(f"The site is not built: run `make docs` (make test builds it first): {SITE}")

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=SITE))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with running_chromium(tmp_path_factory.mktemp("chromium")) as driver:
        driver.set_window_size(WIDTH, 1000)
        yield driver


def _open(browser: Any, url: str, shot: str) -> dict[str, Any]:
    browser.get(url)
    wait_for(
        lambda: browser.execute_script("return document.readyState") == "complete",
        30,
        f"{url} to load",
    )
    # Lazy images load once scrolled to: scroll through, then measure.
    browser.execute_script("window.scrollTo(0, document.body.scrollHeight)")
    browser.execute_script("window.scrollTo(0, 0)")
    measured: dict[str, Any] = wait_for(
        lambda: (m := browser.execute_script(MEASURE)) and not m["broken"] and m,
        20,
        f"every picture of {url} to load",
        seen=lambda: browser.execute_script(MEASURE),
    )
    SHOTS.mkdir(exist_ok=True)
    height = browser.execute_script("return document.body.scrollHeight")
    browser.set_window_size(WIDTH, min(int(height), 6000))
    browser.save_screenshot(str(SHOTS / f"docs-{shot}.png"))
    browser.set_window_size(WIDTH, 1000)
    return measured


def test_the_front_page_opens_whole(site: str, browser: Any) -> None:
    page = _open(browser, f"{site}/index.html", "index")
    assert "atribu-pandas" in page["title"]
    assert page["overflow"] <= 0, f"the front page is {page['overflow']} px wider than {WIDTH}"
    assert page["cut"] == [], page["cut"]
    links = browser.execute_script(
        "return [...document.querySelectorAll('nav a')].map(a => a.textContent.trim())"
    )
    for section in ("Getting started", "User guide", "Gallery", "API reference"):
        assert section in links, f"{section!r} is not in the navigation: {links}"


def test_a_guide_page_shows_every_cell_output(site: str, browser: Any) -> None:
    page = _open(browser, f"{site}/recompute-and-rollup.html", "guide")
    assert page["cells"] >= 3, page
    # Each cell of this page ends in a frame, a chart or a print: each shows an output.
    assert page["with_output"] == page["cells"], page
    assert page["figures"] >= 1 and page["tables"] >= 1, page
    assert page["tracebacks"] == 0, page
    assert page["overflow"] <= 0, f"the page is {page['overflow']} px wider than {WIDTH}"
    assert page["cut"] == [], page["cut"]


def test_an_api_page_shows_its_parameters_and_example(site: str, browser: Any) -> None:
    page = _open(browser, f"{site}/api/generated/atribu_pandas.load_campaigns.html", "api")
    text = browser.find_element("css selector", "main").text
    for part in ("Parameters", "Returns", "Examples", "date_from"):
        assert part in text, f"{part!r} is not on the API page"
    assert page["overflow"] <= 0, f"the page is {page['overflow']} px wider than {WIDTH}"
    assert page["cut"] == [], page["cut"]


def test_search_finds_load_campaigns(site: str, browser: Any) -> None:
    browser.get(f"{site}/search.html?q=load_campaigns")

    def found() -> list[str]:
        hrefs: list[str] = browser.execute_script(
            "return [...document.querySelectorAll('#search-results a')].map(a => a.href)"
        )
        return [h for h in hrefs if "atribu_pandas.load_campaigns.html" in h]

    assert wait_for(found, 30, "the search results to list load_campaigns' page")


def test_every_public_name_has_its_api_page() -> None:
    if not (SITE / "index.html").exists():
        pytest.fail(f"The site is not built: run `make docs` (make test builds it first): {SITE}")
    missing = [
        n.path
        for n in public_names()
        if not (SITE / "api" / "generated" / f"{n.path}.html").exists()
    ]
    assert missing == [], f"{len(missing)} public names have no API page: {missing[:10]}"
