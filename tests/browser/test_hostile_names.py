"""Nothing in the data can act in a report: every template, hostile names, real Chromium.

A proxy in front of the sandbox (the replay stand-in, forwarding) renames every campaign,
ad set and ad and every creative text so that it starts with a payload (``tests/hostile.py``):
a script, event handlers, ``javascript:`` links, remote loads, spreadsheet formulas. The
workspace's labels, ``--notes``, ``--client-name`` and ``--title`` carry payloads too.
Each template is rendered by the real command with ``--tables``; each HTML is opened in
headless Chromium, and the DOM it built (after the page loaded, its images failed and
any handler had its chance) must show that no payload ran, hold no ``javascript:`` URL, no
event handler and no remote address, and still show the names as they were written. The
workbook and the CSV files are read back: no live formula, names as typed.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hostile import PAYLOADS, RAN, REMOTE_HOST, SCRIPTS, Tags, acting, hostile_names, hostile_text
from replay import running_replay
from test_report_browser import run_chromium

import atribu_pandas as ap
from atribu_pandas.core.dates import last_complete_day
from atribu_pandas.reports.export import ABOUT_MIME, CONTENT_SECURITY_POLICY, TABLE_MIME
from atribu_pandas.reports.templates import template_names

# With the other tests that render every template (tests/notebooks): one worker renders
# five at a time, never ten at once on two cores (a kernel must answer within 60 s).
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("notebooks")]

# Every shipped template.
NAMES = template_names()
CLIENT = f"{SCRIPTS[1]} Glow Clinics"
TITLE = f"</title>{SCRIPTS[0]} March"
SAFE_LINK = "https://atribu.app/docs"
# The analyst's notes may link out (http, https, mailto); an image in them is only a link.
PICTURE = "https://atribu.app/logo.png"
NOTES = (
    f"We paused {SCRIPTS[2]} on **March 9**.\n\n{SCRIPTS[0]}\n\n"
    f"[read more](javascript:{RAN}) [the docs]({SAFE_LINK}) ![our logo]({PICTURE})"
)


@pytest.fixture(scope="module")
def hostile(sandbox: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("hostile")
    readable = [p for p in sandbox.profiles if "campaigns:read" in p.scopes]
    with running_replay() as proxy:
        proxy.upstream = sandbox.url
        proxy.rewrite = hostile_names
        env = dict(os.environ)
        env.update(
            ATRIBU_API_KEY=sandbox.api_key,
            ATRIBU_BASE_URL=proxy.url,
            # A workspace label is the agency's own text: a payload there too.
            ATRIBU_API_KEYS=",".join(f"{SCRIPTS[0]} {p.name}={p.api_key}" for p in readable),
            ATRIBU_CACHE_DIR=str(out / "cache"),
        )
        command = [sys.executable, "-m", "atribu_pandas.cli", "report", "-q"]
        options = ["--tables", str(out / "tables"), "--notes", NOTES]
        options += ["--client-name", CLIENT, "--title", TITLE]
        procs = {
            name: subprocess.Popen(
                [*command, name, "-o", str(out / f"{name}.html"), *options],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for name in NAMES
        }
        failed = {}
        for name, proc in procs.items():
            _, stderr = proc.communicate(timeout=280)
            if proc.returncode:
                failed[name] = stderr[-2000:]
    assert not failed, failed
    doms = {}
    for name in NAMES:
        opened = run_chromium(
            out / "profile",
            # Time for every image to fail and every handler to have run.
            "--virtual-time-budget=5000",
            "--dump-dom",
            (out / f"{name}.html").as_uri(),
        )
        assert "</html>" in opened.stdout, opened.stderr[-2000:]
        doms[name] = opened.stdout
    return {"out": out, "doms": doms}


@pytest.mark.parametrize("name", NAMES)
def test_no_payload_runs_and_nothing_links_out(hostile: dict[str, Any], name: str) -> None:
    dom = hostile["doms"][name]
    tags = Tags(dom).tags
    html_class = next(attrs.get("class") or "" for tag, attrs in tags if tag == "html")
    assert RAN not in html_class
    # The page's own headings and the links the notes asked for, nothing from the data.
    hrefs = {str(attrs["href"]) for tag, attrs in tags if tag == "a" and "href" in attrs}
    assert {h for h in hrefs if not h.startswith("#")} == {SAFE_LINK, PICTURE}
    assert acting(dom) == []
    for tag, attrs in tags:
        for attribute, value in attrs.items():
            assert REMOTE_HOST not in (value or ""), (tag, attribute)
    assert (hostile["out"] / f"{name}.html").read_text().count(CONTENT_SECURITY_POLICY) == 1


@pytest.mark.parametrize("name", NAMES)
def test_the_executed_notebook_holds_what_the_page_shows_and_no_more(
    hostile: dict[str, Any], name: str
) -> None:
    import nbformat

    nb = nbformat.read(hostile["out"] / f"{name}.executed.ipynb", as_version=4)
    assert "widgets" not in nb.metadata
    kinds: set[str] = set()
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            kinds |= set(data)
            assert acting(str(data.get("text/html", ""))) == []
    assert "text/html" in kinds
    assert kinds <= {"text/html", "text/plain", "image/png", TABLE_MIME, ABOUT_MIME}


@pytest.mark.parametrize("name", NAMES)
def test_the_names_read_as_they_were_written(hostile: dict[str, Any], name: str) -> None:
    text = "".join(Tags(hostile["doms"][name]).text)
    assert TITLE in text and CLIENT in text
    # The notes' raw HTML and refused link stay visible as text.
    assert SCRIPTS[0] in text and f"[read more](javascript:{RAN})" in text
    # Names from the data, payload and all (the sandbox's own names behind them).
    shown = [p for p in PAYLOADS if p.strip() in text]
    assert len(shown) >= 3, shown


def test_the_top_campaign_reads_in_full(hostile: dict[str, Any], sandbox: Any) -> None:
    date_to = last_complete_day()
    date_from = date_to - dt.timedelta(days=27)
    frame = ap.load_campaigns(date_from, date_to, client=sandbox.client(), limit=100)
    top = str(frame.nlargest(1, "outcome_value")["campaign_name"].iloc[0])
    text = "".join(Tags(hostile["doms"]["campaign_performance"]).text)
    assert hostile_text(top) in text


def test_the_exports_hold_no_live_formula_and_the_names_as_typed(
    hostile: dict[str, Any],
) -> None:
    from openpyxl import load_workbook

    tables = hostile["out"] / "tables"
    typed: set[str] = set()
    for workbook in sorted(tables.glob("*.xlsx")):
        for sheet in load_workbook(workbook).worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (workbook.name, cell.coordinate, cell.value)
                    if isinstance(cell.value, str):
                        typed.add(cell.value)
    formulas = [p for p in PAYLOADS if p.startswith(("=", "+", "-", "@", "\t"))]
    # A name that starts like a formula is in the workbook exactly as typed.
    assert any(value.startswith(tuple(formulas)) for value in typed)
    starts = ("=", "+", "-", "@", "\t", "\r")
    seen_prefixed = 0
    for path in sorted(tables.glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.reader(handle):
                for cell in row:
                    if cell.startswith(starts):
                        float(cell)  # only a number may start so
                    seen_prefixed += cell.startswith("'") and cell[1:].startswith(starts)
    assert seen_prefixed > 0


def test_the_check_sees_a_payload_that_runs(tmp_path: Path) -> None:
    # The control: the same payloads, unescaped in a page without our policy, do run,
    # and the same reading of the DOM finds them.
    page = tmp_path / "unsafe.html"
    page.write_text(f"<html><body><p>{SCRIPTS[1]}</p><p>{SCRIPTS[4]}</p></body></html>")
    opened = run_chromium(
        tmp_path / "profile", "--virtual-time-budget=5000", "--dump-dom", page.as_uri()
    )
    tags = Tags(opened.stdout).tags
    assert RAN in next(attrs.get("class") or "" for tag, attrs in tags if tag == "html")
    assert acting(opened.stdout) != []
