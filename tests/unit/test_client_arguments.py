"""Every Client setting and loader argument the hardening review found unchecked is
refused at construction (before any request) with an ArgumentError naming it."""

from __future__ import annotations

import math
import subprocess
import sys
from typing import Any

import pytest

import atribu_pandas as ap

KEY = "atb_test_" + "0" * 32
URL = "http://127.0.0.1:9"  # nothing listens: any request would fail loudly


@pytest.mark.parametrize(
    ("argument", "value"),
    [
        ("api_key", 123),
        ("api_key", b"atb_live_FAKE-0123456789abcdef"),
        ("base_url", 8080),
        ("base_url", ""),
        ("cache_dir", 5),
        ("cache_dir", ""),
        ("timeout", 0),
        ("timeout", -1),
        ("timeout", math.nan),
        ("timeout", math.inf),
        ("timeout", "30"),
        ("max_retries", None),
        ("max_retries", -1),
        ("max_retries", 2.5),
        ("cache", "no"),
        ("progress", "yes"),
        ("rate_limit", 0),
        ("rate_limit", 0.5),
        ("rate_limit", True),
        ("backoff_factor", -0.1),
        ("max_wait", math.inf),
        ("max_body_bytes", 10),
    ],
)
def test_a_bad_setting_is_refused_at_construction(argument: str, value: Any) -> None:
    options: dict[str, Any] = {"api_key": KEY, "base_url": URL, "cache": False}
    options[argument] = value
    with pytest.raises(ap.ArgumentError) as info:
        ap.Client(**options)
    assert info.value.argument == argument
    assert "is not allowed" in str(info.value)
    if argument == "api_key":
        assert "0123456789abcdef" not in str(info.value)  # the value is not shown


def test_a_lower_rate_never_blocks_another_client_of_the_key() -> None:
    fast = ap.Client(KEY, base_url=URL, cache=False, rate_limit=600)
    slow = ap.Client(KEY, base_url=URL, cache=False, rate_limit=1)
    assert fast._buckets == (slow._buckets[0],)  # the shared budget, at 600 a minute
    assert slow._buckets[1].capacity == 1  # the slow client's own bucket


@pytest.mark.parametrize(
    ("call", "argument"),
    [
        (lambda: ap.load_campaigns("2026-01-01", "2026-01-02", client="x"), "client"),
        (lambda: ap.load_campaigns("2026-01-01", "2026-01-02", refresh="no"), "refresh"),
        (lambda: ap.reason_codes(None), "top"),  # type: ignore[arg-type]
        (lambda: ap.load_model_comparison("2026-01-01", "2026-01-02", models=7), "models"),
        (
            lambda: ap.load_campaign_trend(
                [f"00000000-0000-4000-8000-{i:012d}" for i in range(10_000)],
                "2026-01-01",
                "2026-01-02",
            ),
            "entity_ids",
        ),
    ],
)
def test_a_bad_loader_argument_is_refused(call: Any, argument: str) -> None:
    with pytest.raises(ap.ArgumentError) as info:
        call()
    assert info.value.argument == argument


def test_one_model_name_is_one_model() -> None:
    from atribu_pandas.loaders.endpoints import _check_models

    assert _check_models("last_touch") == ["last_touch"]
    assert _check_models("linear, time_decay") == ["linear", "time_decay"]


def test_the_demo_sandbox_stops_and_leaves_no_folder_at_exit(tmp_path: Any) -> None:
    script = (
        "import warnings, atribu_pandas as ap\n"
        "warnings.simplefilter('ignore')\n"
        "top = ap.load_top_performers(limit=1)\n"
        "print(ap.default_client().cache_info()['path'])\n"
    )
    env = {"PATH": "/usr/bin:/bin", "ATRIBU_CACHE_DIR": str(tmp_path), "HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    from pathlib import Path

    cache_file = Path(done.stdout.strip().splitlines()[-1])
    assert cache_file.name.endswith(".sqlite")
    assert not cache_file.parent.exists()  # the sandbox's temporary folder is gone
