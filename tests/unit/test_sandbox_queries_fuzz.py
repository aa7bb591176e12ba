"""The sandbox answers every malformed query with a 400 envelope, never a 500.

Hypothesis builds query strings from the endpoints' own parameter names and from hostile
values (huge numbers, text, empty, repeated, non-ASCII); each answer must be a 200 or a
400 with the documented error envelope.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atribu_pandas.sandbox.api import SandboxAPI
from atribu_pandas.sandbox.dataset import build_profiles

PARAMETERS = {
    "/api/v1/campaigns": ["date_from", "date_to", "model", "limit", "level"],
    "/api/v1/campaigns/trend": ["date_from", "date_to", "entity_ids", "level"],
    "/api/v1/top-performers": [
        "window",
        "limit",
        "min_spend",
        "objectives",
        "truth_grades",
        "outcome_kinds",
        "formats",
        "has_video",
    ],
}
VALUES = st.one_of(
    st.text(max_size=20),
    st.integers().map(str),
    st.just("9" * 5000),
    st.just("-1"),
    st.just("1e309"),
    st.just("2026-02-30"),
    st.just("0001-01-01"),
    st.floats(allow_nan=True).map(repr),
    st.sampled_from(["2026-03-01", "2026-03-25", "last_touch", "ad", "28d", "true", "nan"]),
)


@pytest.fixture(scope="module")
def api() -> tuple[SandboxAPI, str]:
    datasets = build_profiles(seed=0, today=dt.date(2026, 4, 1))
    return SandboxAPI(datasets, rate_limit=10**9), datasets[1].profile.api_key


@pytest.mark.parametrize("path", list(PARAMETERS))
def test_every_malformed_query_is_a_400_envelope(api: tuple[SandboxAPI, str], path: str) -> None:
    sandbox, key = api
    pairs = st.lists(st.tuples(st.sampled_from(PARAMETERS[path]), VALUES), max_size=6)

    @settings(
        max_examples=150,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(pairs)
    def check(query: list[tuple[str, str]]) -> None:
        answer = sandbox.handle("GET", path, urlencode(query), {"Authorization": f"Bearer {key}"})
        assert answer.status in (200, 400), (answer.status, query, answer.body[:300])
        if answer.status == 400:
            error: dict[str, Any] = json.loads(answer.body)["error"]
            assert error["status"] == 400
            assert error["code"] in ("invalid_parameter", "invalid_date_range")
            assert error["message"] and error["request_id"]

    check()
