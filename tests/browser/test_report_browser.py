"""Headless Chromium opens a rendered report from file:// with networking off.

The report must show its charts with nothing fetched: the browser gets a dead proxy and
a resolver that finds no host, so anything the page tried to load from the network
would be missing. The screenshot must not be blank and the title must be in the DOM.
This test never skips: without Chromium it fails, pointing at ``make test``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import matplotlib.image as mpimg
import numpy as np
import pytest

from atribu_pandas import reports

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

TITLE = "Campaign performance"


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    pytest.fail(
        "Chromium is not installed: run `make test`, which installs it with apt "
        "(apt-get install -y chromium), then run the tests again."
    )


def run_chromium(profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    offline = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        # Networking off: every request goes to a dead proxy, and no host name resolves.
        "--proxy-server=127.0.0.1:9",
        "--host-resolver-rules=MAP * ~NOTFOUND",
    ]
    return subprocess.run(
        [chromium(), *offline, *args], capture_output=True, text=True, timeout=120, check=False
    )


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "campaign_performance.html"
    return reports.render_report("campaign_performance", output=out, demo=True, progress=False)


def test_report_opens_offline_with_its_charts(report: Path, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    done = run_chromium(
        tmp_path / "profile-shot",
        "--window-size=1200,2400",
        f"--screenshot={shot}",
        report.as_uri(),
    )
    assert shot.is_file(), done.stderr[-2000:]
    pixels = mpimg.imread(shot)
    assert pixels.shape[:2] == (2400, 1200)
    # A blank page is one colour; a report has text, tables and charts.
    assert float(np.std(pixels[..., :3])) > 0.05
    # The charts' colours are there: many pixels that are neither white, grey nor black.
    rgb = pixels[..., :3]
    coloured = (rgb.max(axis=2) - rgb.min(axis=2)) > 0.2
    assert coloured.mean() > 0.01


def test_title_and_charts_are_in_the_dom(report: Path, tmp_path: Path) -> None:
    done = run_chromium(tmp_path / "profile-dom", "--dump-dom", report.as_uri())
    dom = done.stdout
    assert f"<title>{TITLE}</title>" in dom, done.stderr[-2000:]
    assert re.search(rf"<h1[^>]*>{TITLE}", dom)
    assert "Demo data." in dom
    assert len(re.findall(r"<img[^>]+src=\"data:image/png;base64,", dom)) >= 3
