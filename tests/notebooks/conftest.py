"""Every report rendered once per session through the CLI, shared by the notebook tests.

One execution per template, all five at once (each a ``python -m atribu_pandas.cli report
...`` process with its own kernel), with ``--pdf`` and ``--tables``; the dated templates
once more over a window without delivery; and every template in each translated language
(German with ``--pdf`` too, for the print checks). The tests that read them share the
``notebooks`` xdist group, so each is rendered in one worker only.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from renders import APPENDIX, LOCALES, NAMES, start_report
from replay import FAKE_KEY, running_replay

# The templates with a date window (top_performers has a scoring window only).
DATED = ["campaign_performance", "attribution_models", "trends", "agency_overview"]


@dataclass
class Rendered:
    status: int
    stdout: str
    stderr: str
    html: Path
    notebook: Path
    extra: list[str]


@pytest.fixture(scope="session")
def renders(
    sandbox: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[dict[str, Rendered], str, tuple[str, str]]]:
    out = tmp_path_factory.mktemp("reports")
    key = sandbox.api_key
    date_to = sandbox.last_day - dt.timedelta(days=7)
    window = ((date_to - dt.timedelta(days=13)).isoformat(), date_to.isoformat())
    env = dict(os.environ)
    env.update(
        ATRIBU_API_KEY=key,
        ATRIBU_BASE_URL=sandbox.url,
        ATRIBU_CACHE_DIR=str(out / "cache"),
    )
    extra = {
        # Live mode on the sandbox's key, with every option the CLI maps.
        "campaign_performance": [
            "--model",
            "time_decay",
            "--level",
            "ad_set",
            "--date-from",
            window[0],
            "--date-to",
            window[1],
        ],
        "attribution_models": ["--demo"],
        "top_performers": ["--demo", "--window", "14d"],
        "trends": ["--demo", "--level", "ad_set"],
        "agency_overview": ["--demo"],
    }
    procs = {}
    for name in NAMES:
        target = out / f"{name}.html"
        args = [name, "-o", str(target), "--pdf", "--tables", str(out / "tables")]
        procs[name] = (start_report(args + extra[name], env), target)
    results = {}
    for name, (proc, target) in procs.items():
        stdout, stderr = proc.communicate(timeout=280)
        results[name] = Rendered(
            proc.returncode,
            stdout,
            stderr,
            target,
            target.with_name(f"{name}.executed.ipynb"),
            extra[name],
        )
    yield results, key, window


@pytest.fixture(scope="session")
def empty_renders(
    sandbox: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, subprocess.CompletedProcess[str]]]:
    """The dated reports over two weeks that end a month before the sandbox's first day,
    and top_performers for a profile not scored yet (Atribu answers ``"data": []``)."""
    out = tmp_path_factory.mktemp("empty")
    end = sandbox.first_day - dt.timedelta(days=30)
    window = ["--date-from", (end - dt.timedelta(days=13)).isoformat(), "--date-to", str(end)]
    env = dict(os.environ)
    env.update(
        ATRIBU_API_KEY=sandbox.api_key,
        ATRIBU_BASE_URL=sandbox.url,
        ATRIBU_CACHE_DIR=str(out / "cache"),
    )
    with running_replay() as unscored:
        unscored.serve(
            "/api/v1/top-performers", json.dumps({"data": [], "meta": {"profile_id": "p"}}).encode()
        )
        runs = {name: (window, env) for name in DATED}
        runs["top_performers"] = (
            [],
            env | {"ATRIBU_API_KEY": FAKE_KEY, "ATRIBU_BASE_URL": unscored.url},
        )
        procs = {
            name: start_report([name, "-q", "-o", str(out / f"{name}.html"), *args], run_env)
            for name, (args, run_env) in runs.items()
        }
        results = {}
        for name, proc in procs.items():
            stdout, stderr = proc.communicate(timeout=280)
            results[name] = subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)
    yield results


@pytest.fixture(scope="session")
def translated(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[dict[tuple[str, str], tuple[Path, subprocess.CompletedProcess[str]]]]:
    """Every template on the sandbox in each translated language, two at a time (each a
    kernel of its own, on two cores); German with ``--pdf``, and :data:`APPENDIX` with
    ``--pdf --appendix``."""
    out = tmp_path_factory.mktemp("languages")
    env = dict(os.environ, ATRIBU_CACHE_DIR=str(out / "cache"))
    env.pop("ATRIBU_API_KEY", None)

    def run(job: tuple[str, str]) -> tuple[Path, subprocess.CompletedProcess[str]]:
        name, language = job
        locale, currency = LOCALES[language]
        target = out / f"{name}-{language}.html"
        args = [name, "--demo", "-q", "--locale", locale, "--currency", currency]
        args += ["-o", str(target)]
        args += ["--pdf"] if language == "de" else []
        args += ["--pdf", "--appendix"] if job == APPENDIX else []
        proc = start_report(args, env)
        stdout, stderr = proc.communicate(timeout=280)
        return target, subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)

    jobs = [(name, language) for language in LOCALES for name in NAMES]
    with ThreadPoolExecutor(max_workers=2) as pool:
        yield dict(zip(jobs, pool.map(run, jobs), strict=True))
