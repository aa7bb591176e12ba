"""Every report notebook runs top to bottom on the sandbox with a real kernel, via the CLI.

One execution per notebook, all five at once in one session fixture (each is a
``python -m atribu_pandas.cli report ...`` process with its own kernel). Four run with
``--demo``; ``campaign_performance`` runs in live mode with the sandbox's key as
``ATRIBU_API_KEY``, and that key is the sentinel: its text must appear in no output file
(it is also in the parent's environment for the four demo runs).
"""

from __future__ import annotations

import base64
import html
import io
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import matplotlib.image as mpimg
import nbformat
import pytest
from renders import NAMES

from atribu_pandas import reports
from atribu_pandas.core.version import __version__
from atribu_pandas.reports import kernel
from atribu_pandas.reports.templates import read_template

# What the session fixtures of conftest.py hand out (a conftest is not importable).
Rendered = Any

pytestmark = [pytest.mark.notebook, pytest.mark.xdist_group("notebooks")]

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
# Charts each report draws (counted by hand from the notebooks' plotting cells).
CHARTS = {
    # + the weekly ROAS chart
    "campaign_performance": 4,
    "attribution_models": 1,
    "top_performers": 3,
    # + ROAS over time and cost per outcome by week
    "trends": 5,
    # ROAS by client
    "agency_overview": 1,
}
TITLES = {
    "campaign_performance": "Campaign performance",
    "attribution_models": "Attribution models compared",
    "top_performers": "Top performing ads",
    "trends": "Trends",
    "agency_overview": "Agency overview",
}
NO_DELIVERY = "No delivery from"
CLI = [sys.executable, "-m", "atribu_pandas.cli"]
PNG = re.compile(r"<img[^>]*src=\"data:image/png;base64,([A-Za-z0-9+/=\s]+)\"")


@pytest.fixture(params=NAMES)
def render(
    request: pytest.FixtureRequest, renders: tuple[dict[str, Rendered], str, tuple[str, str]]
) -> Rendered:
    result = renders[0][request.param]
    assert result.status == 0, result.stderr[-3000:]
    return result


def test_the_cli_prints_the_report_path(render: Rendered) -> None:
    assert render.stdout.strip().splitlines()[-1] == str(render.html)
    assert render.html.is_file() and render.notebook.is_file()
    # The progress line (one step per cell) went to stderr.
    assert "Executing" in render.stderr and "cell/s" in render.stderr


def test_every_cell_ran_without_errors_or_warnings(render: Rendered) -> None:
    nb = nbformat.read(render.notebook, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.execution_count is not None for c in code)
    outputs = [o for c in code for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    # A client report shows no red warning boxes.
    assert not [o.text for o in outputs if o.get("name") == "stderr"]


def test_html_embeds_its_charts_and_loads_nothing_remote(render: Rendered) -> None:
    page = render.html.read_text()
    name = render.html.stem
    images = PNG.findall(page)
    assert len(images) == CHARTS[name]
    for data in images:
        pixels = mpimg.imread(io.BytesIO(base64.b64decode(data)), format="png")
        assert pixels.shape[0] > 100 and pixels.shape[1] > 100
        assert pixels.std() > 0.01  # not a blank canvas
    assert reports.remote_resources(page) == []
    assert "<script src" not in page
    assert f"<title>{TITLES[name]}</title>" in page
    # Code hidden, answers shown.
    assert "ap.load_" not in page and "import atribu_pandas" not in page
    assert "Traceback" not in page


def test_banner_and_footer(
    render: Rendered, renders: tuple[dict[str, Rendered], str, tuple[str, str]]
) -> None:
    page = render.html.read_text()
    # The sandbox's data is demo data, whichever way the kernel reached it. Each run either
    # chose --demo or has a key set: none is told to set one.
    assert page.count('class="atribu-demo-banner"') == 1
    assert "Set ATRIBU_API_KEY" not in page
    assert "Currency" in html.unescape(page) and "USD, assumed" in html.unescape(page)
    footer = html.unescape(page[page.index('class="atribu-report-footer"') :])
    # One line for the client, the provenance in a collapsed appendix below it.
    line = footer[footer.index("<p>") + 3 : footer.index("</p>")]
    assert "currency: US Dollar (USD)" in line and "demo data from the built-in sandbox" in line
    assert "<details" in footer and "<details open" not in footer
    assert __version__ in footer and "demo data (built-in sandbox)" in footer
    assert "Fetched at (UTC)" in footer and "req_" in footer
    name = render.html.stem
    if name == "campaign_performance":
        date_from, date_to = renders[2]
        # The window the API answered for (its meta), the model and level given.
        assert f"{date_from} – {date_to}" in footer
        assert "attribution model: Time decay" in line and "level = ad_set" in footer
    if name == "attribution_models":
        assert "7 attribution models compared" in line and "model = last_touch" in footer
    if name == "top_performers":
        assert line.startswith("Scores over the 14d scoring window")
    if name == "trends":
        assert "level = ad_set" in footer
    if name == "agency_overview":
        assert "scoring window 28d" in footer
        # Both profiles of the sandbox, each with a ROAS against the previous period.
        assert "Bright Smile Dental" in page and "Northwind Aesthetics Group" in page
        assert "Clients at a glance" in page and "ROAS vs prev." in page


def test_the_key_is_in_no_output_file(
    renders: tuple[dict[str, Rendered], str, tuple[str, str]],
) -> None:
    results, key, _ = renders
    assert key.startswith("atb_")
    for result in results.values():
        assert result.status == 0, result.stderr[-3000:]
        for path in result.html.parent.glob(f"{result.html.stem}.*"):
            assert key.encode() not in path.read_bytes(), path
        assert key not in result.stdout + result.stderr


@pytest.mark.parametrize(
    "name", ["campaign_performance", "attribution_models", "trends", "agency_overview"]
)
def test_a_window_without_delivery_renders_one_page(
    name: str, empty_renders: dict[str, subprocess.CompletedProcess[str]]
) -> None:
    done = empty_renders[name]
    assert done.returncode == 0, done.stderr[-3000:]
    # The command line notes it on stderr.
    assert "note:" in done.stderr and NO_DELIVERY in done.stderr
    page = html.unescape(Path(done.stdout.strip().splitlines()[-1]).read_text())
    # Said once, with what to try instead; no section headings or "how to read" text.
    assert page.count(NO_DELIVERY) == 1
    assert "What to try instead" in page
    # It already runs on demo data: the advice fits that, and does not suggest --demo.
    assert "--demo" not in page.split("What to try instead")[1].split("</ul>")[0]
    assert "The demo data holds the 400 days before the last complete day" in page
    assert "How to read" not in page and "<h2" not in page
    # No chart is drawn from no rows, no cell failed and no red warning box shows.
    assert not PNG.findall(page)
    assert "Traceback" not in page and 'class="atribu-report-footer"' in page
    assert 'data-mime-type="application/vnd.jupyter.stderr"' not in page


def test_an_unscored_profile_renders_one_page(
    empty_renders: dict[str, subprocess.CompletedProcess[str]],
) -> None:
    # Atribu's top-performers answer for a profile whose ads are not scored yet: no rows.
    done = empty_renders["top_performers"]
    assert done.returncode == 0, done.stderr[-3000:]
    assert "note:" in done.stderr
    page = html.unescape(Path(done.stdout.strip().splitlines()[-1]).read_text())
    assert page.count("No ad was scored in the 28d scoring window") == 1
    assert "What to try instead" in page and "--window" in page
    assert "How to read" not in page and "<h2" not in page
    assert not PNG.findall(page)
    assert "Traceback" not in page and 'class="atribu-report-footer"' in page
    # Live data (not the sandbox): no demo banner.
    assert "Demo data" not in page


def test_explore_notebook_runs_headless_and_records_the_choice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nbclient import NotebookClient

    # On the sandbox the kernel starts itself: no key, no URL, a private cache.
    monkeypatch.delenv("ATRIBU_API_KEY", raising=False)
    env = kernel.kernel_env(demo=True) | {"ATRIBU_CACHE_DIR": str(tmp_path / "cache")}
    # The kernel the reports use: this interpreter, whatever kernelspecs are installed.
    km = kernel.start_kernel(env, str(tmp_path))
    nb = nbformat.read(NOTEBOOKS / "explore.ipynb", as_version=4)
    try:
        NotebookClient(nb, km=km, kernel_name=kernel.KERNEL_NAME).execute()
    finally:
        kernel.stop_kernel(km)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    texts = [o.data["text/plain"] for o in outputs if "text/plain" in o.get("data", {})]
    # The dashboard's summary is what a headless run keeps: the choice and what it showed.
    assert len(texts) == 1, texts
    assert re.fullmatch(
        r"Selected: \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d, last_touch, campaigns only\. "
        r"Showing \d+ rows \(demo data\)\.",
        texts[0],
    ), texts[0]


@pytest.mark.parametrize("name", NAMES)
def test_each_template_is_a_percent_file_with_one_parameters_cell(name: str) -> None:
    path = NOTEBOOKS / f"{name}.py"
    nb = read_template(path)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and nb.cells[0] is tagged[0]
    assert sum("footer" in c.metadata.get("tags", []) for c in nb.cells) == 1
    # Kept as text a person edits: no outputs, no stored notebook beside it.
    assert not (NOTEBOOKS / f"{name}.ipynb").exists()
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")


@pytest.mark.parametrize("name", NAMES)
def test_every_template_cell_is_short_enough_to_read(name: str) -> None:
    # Load, compute, show: the bookkeeping lives in ap.reports, not in the cells.
    nb = read_template(NOTEBOOKS / f"{name}.py")
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    long = {i: len(s.splitlines()) for i, s in enumerate(code) if len(s.splitlines()) > 15}
    assert long == {}
    # The frame an empty window ends the report on is never checked again below.
    ended_on = re.findall(r"end_if_empty\(\s*(\w+)", "\n".join(code))
    assert ended_on, "the template never ends on an empty window"
    guards = [s for s in code for n in ended_on if re.search(rf"if (not )?{n}\.empty", s)]
    assert guards == []


def test_the_dashboard_notebook_is_stored_clean() -> None:
    stored = nbformat.read(NOTEBOOKS / "explore.ipynb", as_version=4)
    assert all(
        c.get("outputs", []) == [] and c.get("execution_count") is None for c in stored.cells
    )
    assert not [c for c in stored.cells if "parameters" in c.metadata.get("tags", [])]
