"""Headless Chromium opens a rendered report from file:// with networking off.

The report must show its charts with nothing fetched: the browser gets a dead proxy and
a resolver that finds no host, so anything the page tried to load from the network
would be missing. The screenshot must not be blank and the title must be in the DOM.
Chromium also writes a net log (``--log-net-log``), which must hold no http(s) request
made for the page. This test never skips: without Chromium it fails, pointing at
``make test``.
"""

from __future__ import annotations

import json
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


def page_requests(net_log: Path) -> list[str]:
    """The URLs Chromium's net log shows requested on behalf of a page opened from file://.

    Chromium itself pings its update and sign-in services whatever the flags; those
    requests carry no page's network isolation key. A request a file:// page makes (an
    image, a script, a font) carries ``file://`` as that key.
    """
    log = json.loads(net_log.read_text())
    start = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    return [
        event["params"]["url"]
        for event in log["events"]
        if event["type"] == start
        and "url" in event.get("params", {})
        and str(event["params"].get("network_isolation_key", "")).startswith("file://")
    ]


def remote(urls: list[str]) -> list[str]:
    return [url for url in urls if not url.startswith("file:")]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "campaign_performance.html"
    return reports.render("campaign_performance", output=out, demo=True, progress=False).html


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


def test_the_net_log_shows_no_network_request(report: Path, tmp_path: Path) -> None:
    net_log = tmp_path / "net-log.json"
    done = run_chromium(
        tmp_path / "profile-net", f"--log-net-log={net_log}", "--dump-dom", report.as_uri()
    )
    assert TITLE in done.stdout, done.stderr[-2000:]
    assert remote(page_requests(net_log)) == []


def test_the_net_log_check_sees_a_page_that_loads_remotely(tmp_path: Path) -> None:
    # The control: a page that does load from the network is caught by the same check.
    page = tmp_path / "remote.html"
    page.write_text(
        '<html><body><img src="https://cdn.example.com/a.png">'
        '<script src="http://cdn.example.com/x.js"></script></body></html>'
    )
    net_log = tmp_path / "net-log.json"
    run_chromium(
        tmp_path / "profile-control", f"--log-net-log={net_log}", "--dump-dom", page.as_uri()
    )
    assert sorted(remote(page_requests(net_log))) == [
        "http://cdn.example.com/x.js",
        "https://cdn.example.com/a.png",
    ]


def test_title_and_charts_are_in_the_dom(report: Path, tmp_path: Path) -> None:
    done = run_chromium(tmp_path / "profile-dom", "--dump-dom", report.as_uri())
    dom = done.stdout
    assert f"<title>{TITLE}</title>" in dom, done.stderr[-2000:]
    assert re.search(rf"<h1[^>]*>{TITLE}", dom)
    assert "Demo data." in dom
    assert len(re.findall(r"<img[^>]+src=\"data:image/png;base64,", dom)) >= 3
