"""Shared fixtures: one real sandbox per test process, and clients with private caches.

Also where the JupyterLab tests' screenshots are, said after the run (this conftest is
loaded by pytest-xdist's controller too, which tests/lab's is not).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# A copy of ../shared/atribu-openapi-campaigns.json (Atribu's official OpenAPI text for our
# three paths), kept in the repo so a clone without shared/ still checks against it;
# tests/unit/test_openapi_copy.py fails when the two differ.
OPENAPI_PATH = Path(__file__).parent / "data" / "atribu-openapi-campaigns.json"
# Written by tests/lab (kept after the run, unlike pytest's tmp dirs).
LAB_SCREENSHOTS = Path(__file__).resolve().parents[1] / "test-results" / "lab"


def pytest_terminal_summary(terminalreporter: Any) -> None:
    ran = any(
        getattr(report, "nodeid", "").startswith("tests/lab/")
        for reports in terminalreporter.stats.values()
        for report in reports
    )
    if ran:
        terminalreporter.write_line(f"JupyterLab screenshots: {LAB_SCREENSHOTS}")


@pytest.fixture(autouse=True)
def _english_after_each_test() -> Iterator[None]:
    # A report's setup sets the language for the whole process: a test that starts a German
    # report must not leave the next test (in the same worker) speaking German.
    yield
    from atribu_pandas.core.language import set_language

    set_language("en")


@pytest.fixture(scope="session")
def lab_screenshots() -> Path:
    """Where tests/lab writes its screenshots (said at the end of the run)."""
    return LAB_SCREENSHOTS


@pytest.fixture(scope="session")
def openapi() -> dict[str, Any]:
    """Atribu's official OpenAPI document for the three Campaigns paths."""
    document: dict[str, Any] = json.loads(OPENAPI_PATH.read_text())
    return document


@pytest.fixture(scope="session")
def sandbox() -> Iterator[Any]:
    """A sandbox with a rate limit high enough that only rate-limit tests meet it."""
    import atribu_pandas as ap

    sb = ap.sandbox.start(seed=0, rate_limit=100_000)
    yield sb
    sb.stop()


@pytest.fixture
def sb(sandbox: Any) -> Iterator[Any]:
    """The session sandbox with no pending faults before and after the test."""
    sandbox.clear_faults()
    yield sandbox
    sandbox.clear_faults()


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "cache"


@pytest.fixture
def client(sb: Any, cache_dir: Path) -> Any:
    """A cached client for the sandbox's default key, with fast retries."""
    return sb.client(cache_dir=cache_dir, max_retries=2, backoff_factor=0.01, progress=False)


@pytest.fixture
def window(sb: Any) -> tuple[dt.date, dt.date]:
    """The last 28 complete days of the sandbox's data."""
    return sb.last_day - dt.timedelta(days=27), sb.last_day


@pytest.fixture
def old_window(sb: Any) -> tuple[dt.date, dt.date]:
    """A settled 28-day window that ended 60 days before the last day."""
    end = sb.last_day - dt.timedelta(days=60)
    return end - dt.timedelta(days=27), end
