"""The sandbox over loopback HTTP, spoken to with plain ``requests`` as any client would.

Expected figures come from the contract (docs/design.md, "The sandbox contract"; the official
OpenAPI file) and from invariants between endpoints, never from the sandbox's own code.
"""

from __future__ import annotations

import copy
import http.client
import json
import math
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import referencing
import referencing.jsonschema
import requests

import atribu_pandas.sandbox as sandbox
from atribu_pandas.core import params as client_checks
from atribu_pandas.core import vocabulary
from atribu_pandas.exceptions import ArgumentError

CAMPAIGNS = "/api/v1/campaigns"
TREND = "/api/v1/campaigns/trend"
TOP = "/api/v1/top-performers"
BASE_FIELDS = {"campaign_id", "campaign_name", "spend", "outcome_count", "outcome_value", "roas"}
DETAIL_FIELDS = {
    "entity_level",
    "parent_name",
    "impressions",
    "clicks",
    "reach",
    "ctr",
    "avg_cpm",
    "avg_cpc",
    "cac",
    "status",
    "objective",
    "daily_budget",
}
MODELS = [
    "last_touch",
    "first_touch",
    "linear",
    "position_based",
    "time_decay",
    "last_non_direct",
    "split_50_50",
]
# The seed page's own example window.
SEED_FROM, SEED_TO = "2026-03-01", "2026-03-25"
TIMEOUT = 30
JSON_POINTER = "application~1json/schema"


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def sb() -> Iterator[sandbox.Sandbox]:
    # A high limit: this module sends a few hundred requests with the same key.
    with sandbox.start(seed=0, rate_limit=100_000) as running:
        yield running


@pytest.fixture(autouse=True)
def _no_leftover_faults(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if "sb" in request.fixturenames:
        running = request.getfixturevalue("sb")
        left = running.api.pending_faults
        running.clear_faults()
        assert left == 0, f"{left} injected faults were not consumed"


def get(
    sb: sandbox.Sandbox,
    path: str,
    params: dict[str, Any] | None = None,
    key: str | None = "default",
    **kwargs: Any,
) -> requests.Response:
    headers = {}
    if key is not None:
        headers["Authorization"] = f"Bearer {sb.api_key if key == 'default' else key}"
    return requests.get(sb.url + path, params=params, headers=headers, timeout=TIMEOUT, **kwargs)


def window(sb: sandbox.Sandbox, days: int) -> dict[str, str]:
    """The last ``days`` days of data, as query parameters."""
    return {
        "date_from": (sb.last_day - timedelta(days=days - 1)).isoformat(),
        "date_to": sb.last_day.isoformat(),
    }


def profile(sb: sandbox.Sandbox, *, size: str | None = None, readable: bool = True) -> Any:
    for p in sb.profiles:
        if ("campaigns:read" in p.scopes) == readable and size in (None, p.size):
            return p
    raise LookupError(f"no profile size={size} readable={readable}")


def error_of(response: requests.Response) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"code", "message", "status", "request_id"}
    assert error["status"] == response.status_code
    assert error["request_id"] == response.headers["X-Request-Id"]
    return dict(error)


# -- the OpenAPI schemas ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def validators(openapi: dict[str, Any]) -> dict[str, Any]:
    document = openapi
    # The sandbox decides that roas is null when spend is 0 (docs/sandbox.md); the official
    # file types it as a plain number, so that one field is widened here, and only it.
    patched = copy.deepcopy(document)
    campaigns_200 = patched["paths"][CAMPAIGNS]["get"]["responses"]["200"]
    item = campaigns_200["content"]["application/json"]["schema"]["properties"]["data"]["items"]
    assert item["properties"]["roas"] == {"type": "number"}
    item["properties"]["roas"] = {"type": ["number", "null"]}
    resource = referencing.Resource.from_contents(
        patched, default_specification=referencing.jsonschema.DRAFT202012
    )
    registry = referencing.Registry().with_resource("urn:atribu-openapi", resource)

    def validator(path: str) -> Any:
        pointer = path.replace("~", "~0").replace("/", "~1")
        ref = f"urn:atribu-openapi#/paths/{pointer}/get/responses/200/content/{JSON_POINTER}"
        return jsonschema.Draft202012Validator({"$ref": ref}, registry=registry)

    return {path: validator(path) for path in (CAMPAIGNS, TREND, TOP)}


def assert_valid(validators: dict[str, Any], path: str, body: dict[str, Any]) -> None:
    errors = sorted(validators[path].iter_errors(body), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


# -- success envelopes -----------------------------------------------------------------------


def test_campaigns_envelope_headers_and_defaults(sb: sandbox.Sandbox, validators: Any) -> None:
    r = get(sb, CAMPAIGNS, window(sb, 90))
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "application/json"
    assert r.headers["X-Request-Id"]
    assert int(r.headers["X-RateLimit-Limit"]) == 100_000
    assert 0 <= int(r.headers["X-RateLimit-Remaining"]) < 100_000
    body = r.json()
    assert_valid(validators, CAMPAIGNS, body)
    assert body["meta"] == {
        **window(sb, 90),
        "profile_id": profile(sb, size="large").profile_id,
    }
    rows = body["data"]
    # Defaults: limit 10, last_touch, no level (the 6 base fields only).
    assert 1 <= len(rows) <= 10
    assert all(set(row) == BASE_FIELDS for row in rows)
    explicit = get(sb, CAMPAIGNS, {**window(sb, 90), "model": "last_touch", "limit": "10"})
    assert explicit.json() == body


def test_campaigns_rows_ranked_and_metrics_consistent(sb: sandbox.Sandbox) -> None:
    rows = get(sb, CAMPAIGNS, {**window(sb, 60), "level": "ad", "limit": 100}).json()["data"]
    assert len(rows) > 10
    keys = [(-r["outcome_value"], -r["spend"]) for r in rows]
    assert keys == sorted(keys)
    for row in rows:
        assert set(row) == BASE_FIELDS | DETAIL_FIELDS
        assert row["entity_level"] == "ad"
        assert row["spend"] >= 0 and row["outcome_count"] >= 0 and row["outcome_value"] >= 0
        if row["spend"] > 0:
            assert row["roas"] == pytest.approx(row["outcome_value"] / row["spend"], abs=1e-3)
        else:
            assert row["roas"] is None
        if row["outcome_count"] > 0:
            assert row["cac"] == pytest.approx(row["spend"] / row["outcome_count"], abs=0.01)
        else:
            assert row["cac"] is None
        if row["impressions"]:
            assert row["ctr"] == pytest.approx(row["clicks"] / row["impressions"] * 100, abs=1e-3)
            assert row["avg_cpm"] == pytest.approx(
                row["spend"] / row["impressions"] * 1000, rel=1e-3, abs=0.01
            )
        # As the platforms send them: Meta ACTIVE/PAUSED and OUTCOME_*, Google ENABLED/SEARCH.
        assert row["status"] in ("ACTIVE", "PAUSED", "ENABLED")
        assert row["objective"] in (
            "OUTCOME_SALES",
            "OUTCOME_LEADS",
            "OUTCOME_ENGAGEMENT",
            "OUTCOME_TRAFFIC",
            "OUTCOME_AWARENESS",
            "SEARCH",
        )


@pytest.mark.parametrize("level", ["campaign", "ad_set", "ad"])
def test_campaigns_levels_validate(sb: sandbox.Sandbox, validators: Any, level: str) -> None:
    body = get(sb, CAMPAIGNS, {**window(sb, 30), "level": level, "limit": 100}).json()
    assert_valid(validators, CAMPAIGNS, body)
    assert body["data"] and {row["entity_level"] for row in body["data"]} == {level}


@pytest.mark.parametrize("model", MODELS)
def test_every_model_is_served(sb: sandbox.Sandbox, validators: Any, model: str) -> None:
    r = get(sb, CAMPAIGNS, {**window(sb, 30), "model": model, "limit": 100})
    assert r.status_code == 200, r.text
    assert_valid(validators, CAMPAIGNS, r.json())


def test_limit_cuts_the_ranking(sb: sandbox.Sandbox) -> None:
    full = get(sb, CAMPAIGNS, {**window(sb, 30), "level": "ad", "limit": 100}).json()["data"]
    three = get(sb, CAMPAIGNS, {**window(sb, 30), "level": "ad", "limit": 3}).json()["data"]
    assert len(full) > 3
    assert three == full[:3]


def test_trend_envelope_and_default_level(sb: sandbox.Sandbox, validators: Any) -> None:
    campaigns = get(sb, CAMPAIGNS, {**window(sb, 30), "limit": 3}).json()["data"]
    ids = [c["campaign_id"] for c in campaigns]
    r = get(sb, TREND, {**window(sb, 30), "entity_ids": ",".join(ids)})
    assert r.status_code == 200
    body = r.json()
    assert_valid(validators, TREND, body)
    assert body["meta"] == {**window(sb, 30), "profile_id": profile(sb, size="large").profile_id}
    rows = body["data"]
    assert {row["entity_id"] for row in rows} == set(ids)
    # Sorted by entity then date, one row per entity per day, inside the window.
    keys = [(row["entity_id"], row["date"]) for row in rows]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    assert all(window(sb, 30)["date_from"] <= d <= sb.last_day.isoformat() for _, d in keys)
    # The default level is campaign: ad ids are unknown at that level, so no rows.
    ads = get(sb, CAMPAIGNS, {**window(sb, 30), "level": "ad", "limit": 2}).json()["data"]
    ad_ids = ",".join(a["campaign_id"] for a in ads)
    assert get(sb, TREND, {**window(sb, 30), "entity_ids": ad_ids}).json()["data"] == []
    assert get(sb, TREND, {**window(sb, 30), "entity_ids": ad_ids, "level": "ad"}).json()["data"]


def test_trend_unknown_ids_give_no_rows(sb: sandbox.Sandbox) -> None:
    ids = "00000000-0000-4000-8000-000000000000"
    r = get(sb, TREND, {**window(sb, 30), "entity_ids": ids})
    assert r.status_code == 200 and r.json()["data"] == []


@pytest.mark.parametrize("window_name", ["7d", "14d", "28d", "lifetime"])
def test_top_performers_envelope(sb: sandbox.Sandbox, validators: Any, window_name: str) -> None:
    r = get(sb, TOP, {"window": window_name, "limit": 50})
    assert r.status_code == 200
    body = r.json()
    assert_valid(validators, TOP, body)
    # Top-performers' meta holds the profile only.
    assert body["meta"] == {"profile_id": profile(sb, size="large").profile_id}
    rows = body["data"]
    assert 1 <= len(rows) <= 50
    assert all(len(row) == 51 and row["score_window"] == window_name for row in rows)
    scores = [row["composite_score"] for row in rows]
    assert scores == sorted(scores, reverse=True)


def test_top_performers_defaults_and_filters(sb: sandbox.Sandbox) -> None:
    default = get(sb, TOP).json()["data"]
    assert 1 <= len(default) <= 10 and {row["score_window"] for row in default} == {"28d"}
    assert default == get(sb, TOP, {"window": "28d", "limit": 10}).json()["data"]
    rows = get(sb, TOP, {"limit": 50, "min_spend": "50"}).json()["data"]
    assert all(row["spend"] >= 50 for row in rows)
    video = get(sb, TOP, {"limit": 50, "has_video": "true"}).json()["data"]
    assert all(row["video_id"] is not None for row in video)
    static = get(sb, TOP, {"limit": 50, "has_video": "false"}).json()["data"]
    assert all(row["video_id"] is None for row in static)
    images = get(sb, TOP, {"limit": 50, "formats": "static,carousel"}).json()["data"]
    assert images and all(row["creative_format"] in ("static", "carousel") for row in images)
    # A repeated list parameter is joined, as a comma list would be.
    joined = requests.get(
        sb.url + TOP,
        params=[("limit", "50"), ("formats", "static"), ("formats", "carousel")],
        headers={"Authorization": f"Bearer {sb.api_key}"},
        timeout=TIMEOUT,
    )
    assert joined.json()["data"] == images


def test_each_key_sees_its_own_profile(sb: sandbox.Sandbox) -> None:
    small, large = profile(sb, size="small"), profile(sb, size="large")
    assert sb.api_key == large.api_key
    params = {**window(sb, 28), "limit": 100}
    small_body = get(sb, CAMPAIGNS, params, key=small.api_key).json()
    large_body = get(sb, CAMPAIGNS, params, key=large.api_key).json()
    assert small_body["meta"]["profile_id"] == small.profile_id
    assert large_body["meta"]["profile_id"] == large.profile_id
    small_spend = sum(row["spend"] for row in small_body["data"])
    large_spend = sum(row["spend"] for row in large_body["data"])
    # About $500 against about $30k a month: an order of magnitude apart at the least.
    assert 0 < small_spend * 10 < large_spend


def test_profiles_and_keys(sb: sandbox.Sandbox) -> None:
    keys = [p.api_key for p in sb.profiles]
    assert len(set(keys)) == len(keys) >= 3
    assert all(k.startswith("atb_test_") for k in keys)
    assert {p.size for p in sb.profiles} >= {"small", "large"}
    assert any("campaigns:read" not in p.scopes for p in sb.profiles)
    assert sb.first_day < sb.last_day
    assert sb.api_key not in repr(sb)


# -- errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [CAMPAIGNS, TREND, TOP])
@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer atb_live_notarealkey0000"],
)
def test_unauthorized(sb: sandbox.Sandbox, path: str, authorization: str | None) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    r = requests.get(sb.url + path, params=window(sb, 7), headers=headers, timeout=TIMEOUT)
    assert r.status_code == 401
    assert error_of(r)["code"] == "unauthorized"
    assert "atb_live_notarealkey0000" not in r.text


@pytest.mark.parametrize("path", [CAMPAIGNS, TREND, TOP])
def test_insufficient_scope(sb: sandbox.Sandbox, path: str) -> None:
    key = profile(sb, readable=False).api_key
    params = {**window(sb, 7), "entity_ids": "00000000-0000-4000-8000-000000000000"}
    r = get(sb, path, params, key=key)
    assert r.status_code == 403
    assert error_of(r)["code"] == "insufficient_scope"
    assert "campaigns:read" in error_of(r)["message"]


@pytest.mark.parametrize(
    "path", ["/", "/api/v1/campaign", "/api/v1/campaigns/trend/x", "/api/v2/campaigns"]
)
def test_unknown_path(sb: sandbox.Sandbox, path: str) -> None:
    r = get(sb, path, window(sb, 7))
    assert r.status_code == 404
    assert error_of(r)["code"] == "not_found"


def test_other_methods(sb: sandbox.Sandbox) -> None:
    r = requests.post(
        sb.url + CAMPAIGNS,
        params=window(sb, 7),
        headers={"Authorization": f"Bearer {sb.api_key}"},
        data=b'{"x": 1}',
        timeout=TIMEOUT,
    )
    assert r.status_code == 405
    assert r.headers["Allow"] == "GET"
    assert error_of(r)["code"] == "method_not_allowed"


def test_auth_is_checked_before_parameters(sb: sandbox.Sandbox) -> None:
    bad = {"date_from": "nope", "limit": "0"}
    assert get(sb, CAMPAIGNS, bad, key=None).status_code == 401
    assert get(sb, CAMPAIGNS, bad, key=profile(sb, readable=False).api_key).status_code == 403
    assert get(sb, CAMPAIGNS, bad).status_code == 400


GOOD = {"date_from": "2026-03-01", "date_to": "2026-03-25"}
IDS = "00000000-0000-4000-8000-000000000000"
INVALID_PARAMETER_CASES = [
    # (path, params, parameter named, words of what is allowed)
    (CAMPAIGNS, {"date_to": "2026-03-25"}, "date_from", "YYYY-MM-DD"),
    (CAMPAIGNS, {"date_from": "2026-03-01"}, "date_to", "YYYY-MM-DD"),
    (CAMPAIGNS, {**GOOD, "date_from": "2026-3-1"}, "date_from", "YYYY-MM-DD"),
    (CAMPAIGNS, {**GOOD, "date_from": "03/01/2026"}, "date_from", "YYYY-MM-DD"),
    (CAMPAIGNS, {**GOOD, "date_to": "2026-02-30"}, "date_to", "YYYY-MM-DD"),
    (CAMPAIGNS, {**GOOD, "date_to": ""}, "date_to", "YYYY-MM-DD"),
    (CAMPAIGNS, {**GOOD, "model": "markov"}, "model", "position_based"),
    (CAMPAIGNS, {**GOOD, "model": "LAST_TOUCH"}, "model", "last_touch"),
    (CAMPAIGNS, {**GOOD, "level": "adset"}, "level", "ad_set"),
    (CAMPAIGNS, {**GOOD, "level": ""}, "level", "ad_set"),
    (CAMPAIGNS, {**GOOD, "limit": "0"}, "limit", "1 to 100"),
    (CAMPAIGNS, {**GOOD, "limit": "101"}, "limit", "1 to 100"),
    (CAMPAIGNS, {**GOOD, "limit": "-1"}, "limit", "1 to 100"),
    (CAMPAIGNS, {**GOOD, "limit": "1.5"}, "limit", "1 to 100"),
    (CAMPAIGNS, {**GOOD, "limit": "ten"}, "limit", "1 to 100"),
    (CAMPAIGNS, {**GOOD, "limit": ""}, "limit", "1 to 100"),
    (CAMPAIGNS, [*GOOD.items(), ("limit", "5"), ("limit", "6")], "limit", "once"),
    (TREND, GOOD, "entity_ids", "UUID"),
    (TREND, {**GOOD, "entity_ids": ""}, "entity_ids", "UUID"),
    (TREND, {**GOOD, "entity_ids": "not-a-uuid"}, "entity_ids", "UUID"),
    (TREND, {**GOOD, "entity_ids": f"{IDS},"}, "entity_ids", "UUID"),
    (TREND, {**GOOD, "entity_ids": ",".join([IDS] * 11)}, "entity_ids", "1 to 10"),
    (TREND, {**GOOD, "entity_ids": IDS, "level": "ads"}, "level", "ad_set"),
    (TREND, {"date_from": "2026-03-01", "entity_ids": IDS}, "date_to", "YYYY-MM-DD"),
    (TOP, {"window": "30d"}, "window", "lifetime"),
    (TOP, {"window": ""}, "window", "lifetime"),
    (TOP, {"limit": "51"}, "limit", "1 to 50"),
    (TOP, {"limit": "0"}, "limit", "1 to 50"),
    (TOP, {"has_video": "yes"}, "has_video", "true or false"),
    (TOP, {"has_video": "True"}, "has_video", "true or false"),
    (TOP, {"min_spend": "abc"}, "min_spend", ">= 0"),
    (TOP, {"min_spend": "-5"}, "min_spend", ">= 0"),
    (TOP, {"min_spend": "nan"}, "min_spend", ">= 0"),
    (TOP, {"min_spend": "inf"}, "min_spend", ">= 0"),
    (TOP, {"objectives": "sales,bogus"}, "objectives", "messaging"),
    (TOP, {"formats": "ugc_video,"}, "formats", "non-empty"),
    (TOP, {"truth_grades": "Not A Grade!"}, "truth_grades", "predicted, attributed, lift"),
    (TOP, {"truth_grades": "atributed"}, "truth_grades", "did you mean 'attributed'"),
    (TOP, {"outcome_kinds": "purchase,sale"}, "outcome_kinds", "cash, pipeline"),
]


@pytest.mark.parametrize(("path", "params", "name", "allowed"), INVALID_PARAMETER_CASES)
def test_invalid_parameter(
    sb: sandbox.Sandbox, path: str, params: Any, name: str, allowed: str
) -> None:
    r = get(sb, path, params)
    assert r.status_code == 400, r.text
    error = error_of(r)
    assert error["code"] == "invalid_parameter"
    assert name in error["message"] and allowed in error["message"]
    # The API's words: no Python type names leak into an HTTP answer.
    for python in ("datetime", "pandas", "Timestamp", "NoneType", "<class"):
        assert python not in error["message"], error["message"]


def test_every_answer_has_a_request_id_and_authenticated_ones_the_budget(
    sb: sandbox.Sandbox,
) -> None:
    key = {"Authorization": f"Bearer {sb.api_key}"}
    cases = [
        (CAMPAIGNS, {"date_from": "2026-03-01", "date_to": "2026-03-25"}, key, 200),
        ("/api/v1/nope", {}, key, 404),
        (CAMPAIGNS, {"date_from": "nope"}, key, 400),
        (CAMPAIGNS, {}, {}, 401),
        ("/api/v1/nope", {}, {}, 404),
    ]
    for path, params, headers, status in cases:
        r = requests.get(sb.url + path, params=params, headers=headers, timeout=TIMEOUT)
        assert r.status_code == status, (path, r.text)
        assert r.headers["X-Request-Id"].startswith("req_")
        authenticated = bool(headers)
        assert ("X-RateLimit-Remaining" in r.headers) is authenticated, (path, status)
        if authenticated:
            assert int(r.headers["X-RateLimit-Limit"]) == 100_000


@pytest.mark.parametrize("path", [CAMPAIGNS, TREND])
@pytest.mark.parametrize(
    ("date_from", "date_to"),
    [
        ("2026-03-02", "2026-03-01"),  # reversed
        ("2025-01-01", "2026-01-02"),  # 367 days, both ends included
        ("2024-01-01", "2026-01-01"),
    ],
)
def test_invalid_date_range(sb: sandbox.Sandbox, path: str, date_from: str, date_to: str) -> None:
    r = get(sb, path, {"date_from": date_from, "date_to": date_to, "entity_ids": IDS})
    assert r.status_code == 400
    error = error_of(r)
    assert error["code"] == "invalid_date_range"
    assert date_from in error["message"] or "days" in error["message"]


# The same bad value refused by the client (before sending) and by the sandbox, in the
# same words: the two sides share one set of rules.
AGREEMENT_CASES = [
    (CAMPAIGNS, {**GOOD, "model": "markov"}, lambda: client_checks.check_model("markov")),
    (
        CAMPAIGNS,
        {**GOOD, "limit": "101"},
        lambda: client_checks.check_limit(101, client_checks.CAMPAIGNS_LIMIT),
    ),
    (
        CAMPAIGNS,
        {**GOOD, "date_to": "2026-02-30"},
        lambda: client_checks.check_date("2026-02-30", "date_to"),
    ),
    (
        TREND,
        {**GOOD, "entity_ids": "not-a-uuid"},
        lambda: client_checks.check_entity_ids("not-a-uuid"),
    ),
    (TOP, {"min_spend": "-5"}, lambda: client_checks.check_min_spend(-5.0)),
    (
        TOP,
        {"objectives": "sales,conversions"},
        lambda: client_checks.check_filter("sales,conversions", "objectives"),
    ),
    (
        TOP,
        {"outcome_kinds": "sale"},
        lambda: client_checks.check_filter(["sale"], "outcome_kinds"),
    ),
]


@pytest.mark.parametrize(("path", "params", "client_check"), AGREEMENT_CASES)
def test_sandbox_refuses_what_the_client_refuses(
    sb: sandbox.Sandbox, path: str, params: dict[str, str], client_check: Any
) -> None:
    with pytest.raises(ArgumentError) as refused:
        client_check()
    r = get(sb, path, params)
    assert r.status_code == 400
    error = error_of(r)
    assert error["code"] == "invalid_parameter"
    assert error["message"] == str(refused.value)


def test_sandbox_accepts_what_the_client_sends(sb: sandbox.Sandbox) -> None:
    query = {
        "window": client_checks.check_window("lifetime"),
        "limit": str(client_checks.check_limit(50, client_checks.TOP_PERFORMERS_LIMIT)),
        "min_spend": client_checks.check_min_spend(12.5),
        "has_video": client_checks.check_bool(False, "has_video"),
        "objectives": client_checks.check_filter(list(vocabulary.OBJECTIVES), "objectives"),
        "truth_grades": client_checks.check_filter(list(vocabulary.TRUTH_GRADES), "truth_grades"),
        "outcome_kinds": client_checks.check_filter(
            list(vocabulary.OUTCOME_KINDS), "outcome_kinds"
        ),
        "formats": client_checks.check_filter([*vocabulary.FORMAT_EXAMPLES, "gif"], "formats"),
    }
    r = get(sb, TOP, query)
    assert r.status_code == 200, r.text
    rows = r.json()["data"]
    assert rows
    # The filters were applied, not ignored: every row honours them.
    assert all(row["spend"] >= 12.5 and row["video_id"] is None for row in rows)


@pytest.mark.parametrize(
    ("date_from", "date_to"), [("2026-03-02", "2026-03-01"), ("2025-01-01", "2026-01-02")]
)
def test_date_range_refusal_matches_the_client(
    sb: sandbox.Sandbox, date_from: str, date_to: str
) -> None:
    with pytest.raises(ArgumentError) as refused:
        client_checks.check_date_range(date_from, date_to)
    r = get(sb, CAMPAIGNS, {"date_from": date_from, "date_to": date_to})
    error = error_of(r)
    assert (r.status_code, error["code"]) == (400, "invalid_date_range")
    assert error["message"] == str(refused.value)


def test_longest_range_and_single_day_are_allowed(sb: sandbox.Sandbox) -> None:
    # 2025-01-01 .. 2026-01-01 is 366 days with both ends included: the maximum.
    assert get(sb, CAMPAIGNS, {"date_from": "2025-01-01", "date_to": "2026-01-01"}).ok
    day = sb.last_day.isoformat()
    assert get(sb, CAMPAIGNS, {"date_from": day, "date_to": day, "limit": 100}).ok
    assert get(sb, CAMPAIGNS, {**GOOD, "limit": "100"}).ok
    assert get(sb, CAMPAIGNS, {**GOOD, "limit": "1"}).ok
    assert get(sb, TOP, {"limit": "50", "min_spend": "0"}).ok
    assert get(sb, TREND, {**GOOD, "entity_ids": ",".join([IDS] * 10)}).ok


def test_request_ids_are_unique_and_on_every_response(sb: sandbox.Sandbox) -> None:
    responses = [
        get(sb, CAMPAIGNS, window(sb, 7)),
        get(sb, TOP),
        get(sb, CAMPAIGNS, {"limit": "0"}),
        get(sb, "/nope"),
        get(sb, TOP, key=None),
    ]
    ids = [r.headers["X-Request-Id"] for r in responses]
    assert all(ids) and len(set(ids)) == len(ids)


# -- rate limit ------------------------------------------------------------------------------


def test_rate_limit_spends_and_recovers() -> None:
    clock = FakeClock()
    with sandbox.start(seed=0, rate_limit=3, clock=clock) as small:
        small_key = profile(small, size="small").api_key

        def hit(key: str | None = "default") -> requests.Response:
            return get(small, TOP, {"limit": "1"}, key=key)

        remaining = []
        for _ in range(3):
            r = hit()
            assert r.status_code == 200 and r.headers["X-RateLimit-Limit"] == "3"
            remaining.append(r.headers["X-RateLimit-Remaining"])
        assert remaining == ["2", "1", "0"]
        r = hit()
        assert r.status_code == 429
        assert error_of(r)["code"] == "rate_limit_exceeded"
        assert r.headers["X-RateLimit-Remaining"] == "0"
        # 3 tokens per 60 s: one token every 20 s.
        assert r.headers["Retry-After"] == "20"
        # Another key has its own bucket.
        assert hit(small_key).status_code == 200
        clock.now += 15
        r = hit()
        assert r.status_code == 429 and r.headers["Retry-After"] == "5"
        clock.now += 5
        r = hit()
        assert r.status_code == 200 and r.headers["X-RateLimit-Remaining"] == "0"
        # A long pause refills to the capacity, never beyond.
        clock.now += 3600
        assert [hit().status_code for _ in range(4)] == [200, 200, 200, 429]
        # Unauthenticated requests are refused before the limiter and do not spend.
        assert hit(None).status_code == 401


def test_rate_limit_recovers_in_real_time() -> None:
    # 60 per minute: a token a second of real time, so Retry-After is 1 once spent.
    with sandbox.start(seed=0, rate_limit=60) as running, requests.Session() as session:
        session.headers["Authorization"] = f"Bearer {running.api_key}"
        url = running.url + TOP
        statuses = []
        for _ in range(200):
            statuses.append(session.get(url, params={"limit": "1"}, timeout=TIMEOUT))
            if statuses[-1].status_code == 429:
                break
        refused = statuses[-1]
        assert refused.status_code == 429 and len(statuses) >= 61
        assert refused.headers["Retry-After"] == "1"
        time.sleep(1.05)
        assert session.get(url, params={"limit": "1"}, timeout=TIMEOUT).status_code == 200


# -- faults ----------------------------------------------------------------------------------


def test_fault_500_twice_then_ok(sb: sandbox.Sandbox) -> None:
    sb.inject("error", count=2, status=500)
    first, second, third = (get(sb, CAMPAIGNS, window(sb, 7)) for _ in range(3))
    for r in (first, second):
        assert r.status_code == 500
        assert error_of(r)["code"] == "internal_error"
    assert third.status_code == 200 and "data" in third.json()


def test_fault_429_with_and_without_retry_after(sb: sandbox.Sandbox) -> None:
    sb.inject("rate_limit", retry_after=2)
    sb.inject("rate_limit", retry_after=None)
    with_header, without = get(sb, TOP), get(sb, TOP)
    assert with_header.status_code == 429 and with_header.headers["Retry-After"] == "2"
    assert error_of(with_header)["code"] == "rate_limit_exceeded"
    assert without.status_code == 429 and "Retry-After" not in without.headers
    assert get(sb, TOP).status_code == 200


def test_fault_503_with_retry_after(sb: sandbox.Sandbox) -> None:
    sb.inject("error", status=503, retry_after=1)
    r = get(sb, TOP)
    assert r.status_code == 503 and r.headers["Retry-After"] == "1"
    assert error_of(r)["code"] == "service_unavailable"


def test_fault_slow(sb: sandbox.Sandbox) -> None:
    sb.inject("slow", seconds=0.3)
    started = time.perf_counter()
    r = get(sb, TOP)
    assert time.perf_counter() - started >= 0.3
    assert r.status_code == 200 and "data" in r.json()
    sb.inject("slow", seconds=1.0)
    with pytest.raises(requests.exceptions.ReadTimeout):
        requests.get(sb.url + TOP, headers={"Authorization": f"Bearer {sb.api_key}"}, timeout=0.2)


def test_fault_malformed(sb: sandbox.Sandbox) -> None:
    sb.inject("malformed")
    r = get(sb, CAMPAIGNS, window(sb, 7))
    assert r.status_code == 200 and r.headers["X-Request-Id"]
    with pytest.raises(ValueError):
        r.json()
    sb.inject("malformed", variant="missing_data")
    r = get(sb, CAMPAIGNS, window(sb, 7))
    assert r.status_code == 200 and "data" not in r.json()


def test_faults_come_before_auth_and_clear(sb: sandbox.Sandbox) -> None:
    sb.inject("error", count=3, status=502)
    assert get(sb, TOP, key=None).status_code == 502
    assert sb.api.pending_faults == 2
    sb.clear_faults()
    assert get(sb, TOP).status_code == 200


def test_bad_fault_options_are_refused(sb: sandbox.Sandbox) -> None:
    with pytest.raises(ValueError, match="kind"):
        sb.inject("explode")
    with pytest.raises(ValueError, match="seconds"):
        sb.inject("error", seconds=3)
    with pytest.raises(ValueError, match="count"):
        sb.inject("error", count=0)
    assert sb.api.pending_faults == 0


# -- the request log -------------------------------------------------------------------------


def test_request_log_records_without_the_key(sb: sandbox.Sandbox) -> None:
    before = sb.request_count
    r = get(sb, TOP, {"limit": "2", "window": "7d"})
    assert sb.request_count == before + 1
    last = sb.requests[-1]
    assert (last.method, last.path, last.query, last.status) == (
        "GET",
        TOP,
        {"limit": "2", "window": "7d"},
        200,
    )
    assert last.request_id == r.headers["X-Request-Id"]
    assert all(p.api_key not in repr(sb.requests) for p in sb.profiles)


# -- the seed's examples, unchanged but for the URL and key ----------------------------------


def test_seed_curl_example(sb: sandbox.Sandbox) -> None:
    curl = shutil.which("curl")
    if curl is None:
        pytest.skip("curl is not installed")
    query = "date_from=2026-03-01&date_to=2026-03-25&model=last_touch&limit=5"
    url = f"{sb.url}/api/v1/campaigns?{query}"
    out = subprocess.run(
        [curl, "-sS", "-H", f"Authorization: Bearer {sb.api_key}", url],
        capture_output=True,
        check=True,
        timeout=TIMEOUT,
    )
    body = json.loads(out.stdout)
    assert set(body) == {"data", "meta"}
    assert body["meta"]["date_from"] == SEED_FROM and body["meta"]["date_to"] == SEED_TO
    assert len(body["data"]) <= 5
    if sb.first_day <= date(2026, 3, 1) and date(2026, 3, 25) <= sb.last_day:
        assert len(body["data"]) == 5


def test_seed_python_example(sb: sandbox.Sandbox) -> None:
    BASE, KEY = sb.url, sb.api_key  # the docs' own names
    # Verbatim from the seed page (mypy dislikes its mixed-type params dict, requests doesn't).
    res = requests.get(
        f"{BASE}/api/v1/campaigns",
        headers={"Authorization": f"Bearer {KEY}"},
        params={  # type: ignore[arg-type]
            "date_from": "2026-03-01",
            "date_to": "2026-03-25",
            "model": "last_touch",
            "limit": 5,
        },
    )
    data = res.json()["data"]
    assert isinstance(data, list) and len(data) <= 5
    assert all(set(row) == BASE_FIELDS for row in data)
    # And the shorter form docs/sandbox.md shows.
    data = requests.get(
        f"{BASE}/api/v1/campaigns",
        headers={"Authorization": f"Bearer {KEY}"},
        params={"date_from": "2026-03-01", "date_to": "2026-03-25"},
    ).json()["data"]
    assert isinstance(data, list) and len(data) <= 10


# -- coherence between endpoints -------------------------------------------------------------


def trend_totals(
    sb: sandbox.Sandbox, ids: list[str], params: dict[str, str], level: str
) -> dict[str, dict[str, float]]:
    totals: dict[str, dict[str, float]] = {}
    for start in range(0, len(ids), 10):
        chunk = ids[start : start + 10]
        rows = get(sb, TREND, {**params, "entity_ids": ",".join(chunk), "level": level})
        for row in rows.json()["data"]:
            t = totals.setdefault(row["entity_id"], {"spend": 0.0, "impressions": 0, "clicks": 0})
            t["spend"] += row["spend"]
            t["impressions"] += row["impressions"]
            t["clicks"] += row["clicks"]
    return totals


@pytest.mark.parametrize(("level", "days"), [("ad", 14), ("ad_set", 45), ("campaign", 90)])
def test_campaigns_spend_equals_trend_spend(sb: sandbox.Sandbox, level: str, days: int) -> None:
    params = window(sb, days)
    rows = get(sb, CAMPAIGNS, {**params, "level": level, "limit": 100}).json()["data"]
    rows = rows[:30]
    assert rows
    totals = trend_totals(sb, [r["campaign_id"] for r in rows], params, level)
    for row in rows:
        t = totals.get(row["campaign_id"], {"spend": 0.0, "impressions": 0, "clicks": 0})
        # Spend is whole cents each day: the sums agree to float error, well under a cent.
        assert t["spend"] == pytest.approx(row["spend"], abs=0.001)
        assert t["impressions"] == row["impressions"]
        assert t["clicks"] == row["clicks"]


def test_top_performers_spend_equals_trend_spend(sb: sandbox.Sandbox) -> None:
    top = get(sb, TOP, {"window": "28d", "limit": 20}).json()["data"]
    assert top
    # ad_external_id is the platform's id, not Atribu's UUID: find each ad's UUID the way a
    # client can, by its name and its ad set's name in the /campaigns ad rows.
    days = window(sb, 28)
    ads = get(sb, CAMPAIGNS, {**days, "level": "ad", "limit": 100}).json()["data"]
    uuid_of = {(a["campaign_name"], a["parent_name"]): a["campaign_id"] for a in ads}
    assert len(uuid_of) == len(ads)  # names identify an ad within the profile
    ids = [uuid_of[(r["ad_name"], r["ad_set_name"])] for r in top]
    assert not set(ids) & {r["ad_external_id"] for r in top}
    totals = trend_totals(sb, ids, days, "ad")
    for row, entity_id in zip(top, ids, strict=True):
        spend = totals.get(entity_id, {"spend": 0.0})["spend"]
        assert spend == pytest.approx(row["spend"], abs=0.001)


# -- the socket --------------------------------------------------------------------------------


def test_binds_loopback_only(sb: sandbox.Sandbox) -> None:
    assert sb.url.startswith("http://127.0.0.1:")
    port = int(sb.url.rsplit(":", 1)[1])
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("192.0.2.1", 9))  # no packet is sent: this only picks a route
        address = probe.getsockname()[0]
    except OSError:
        address = "127.0.0.1"
    finally:
        probe.close()
    if address.startswith("127.") or address == "0.0.0.0":
        pytest.skip("this machine has no non-loopback address to try")
    with pytest.raises(OSError), socket.create_connection((address, port), timeout=2):
        pass


def test_keep_alive_answers_quickly(sb: sandbox.Sandbox) -> None:
    host, port = sb.url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=TIMEOUT)
    headers = {"Authorization": f"Bearer {sb.api_key}"}
    timings = []
    try:
        for _ in range(15):
            started = time.perf_counter()
            conn.request("GET", "/api/v1/top-performers?limit=1", headers=headers)
            response = conn.getresponse()
            response.read()
            timings.append(time.perf_counter() - started)
            assert response.status == 200 and response.version == 11
            assert response.getheader("Connection") != "close"
    finally:
        conn.close()
    # Without TCP_NODELAY every keep-alive answer stalls about 40 ms (docs/design.md).
    assert statistics.median(timings) < 0.03


def test_stop_is_idempotent_and_frees_the_port() -> None:
    running = sandbox.start(seed=0)
    url = running.url
    running.stop()
    running.stop()
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(url + TOP, timeout=2)


def test_client_points_at_the_sandbox(sb: sandbox.Sandbox) -> None:
    client = sb.client(cache=False)
    try:
        assert client.base_url == sb.url
        assert sb.api_key not in repr(client)
    finally:
        client.close()


def test_retry_after_is_whole_seconds() -> None:
    clock = FakeClock()
    # 7 per minute: a token every 8.57 s, so Retry-After rounds up to 9.
    with sandbox.start(seed=0, rate_limit=7, clock=clock) as running:
        statuses = [get(running, TOP, {"limit": "1"}).status_code for _ in range(7)]
        assert statuses == [200] * 7
        r = get(running, TOP, {"limit": "1"})
        assert r.status_code == 429
        assert r.headers["Retry-After"] == str(math.ceil(60 / 7))


def test_serve_in_the_foreground_prints_url_and_keys_and_stops_on_ctrl_c() -> None:
    # The command a user types: `atribu-pandas sandbox --port N --seed 0`.
    process = subprocess.Popen(
        [sys.executable, "-m", "atribu_pandas.cli", "sandbox", "--port", "0", "--seed", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=Path(__file__).parents[2],
        # A shell's background jobs ignore SIGINT; give the child Python's default handler.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        assert process.stdout is not None
        lines: list[str] = []
        while not lines or not lines[-1].startswith("Press Ctrl-C"):
            line = process.stdout.readline()
            assert line, "".join(lines)
            lines.append(line)
        printed = "".join(lines)
        url = printed.split("export ATRIBU_BASE_URL=")[1].split()[0]
        key = printed.split("export ATRIBU_API_KEY=")[1].split()[0]
        assert url.startswith("http://127.0.0.1:")
        assert printed.count("atb_test_") == 4  # three profiles, then the export line
        assert "Northwind Aesthetics Group" in printed and "analytics:read" in printed
        r = requests.get(
            f"{url}{CAMPAIGNS}",
            headers={"Authorization": f"Bearer {key}"},
            params={"date_from": SEED_FROM, "date_to": SEED_TO},
            timeout=TIMEOUT,
        )
        assert r.status_code == 200 and "data" in r.json()
        process.send_signal(signal.SIGINT)
        rest, _ = process.communicate(timeout=TIMEOUT)
        assert process.returncode == 0 and "Sandbox stopped." in rest
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_a_stopped_sandbox_answers_nothing_even_on_an_open_connection() -> None:
    stopped = sandbox.start(seed=0, rate_limit=1000)
    session = requests.Session()
    headers = {"Authorization": f"Bearer {stopped.api_key}"}
    url = f"{stopped.url}{TOP}"
    assert session.get(url, headers=headers, timeout=TIMEOUT).status_code == 200  # keep-alive
    stopped.stop()
    with pytest.raises(requests.ConnectionError):
        session.get(url, headers=headers, timeout=TIMEOUT)
