"""The official OpenAPI as a test oracle: every answer its response schemas allow loads.

Answers are generated from the 200 response schemas of ``tests/data/atribu-openapi-
campaigns.json`` (Atribu's official OpenAPI text, copied into the repo) by hypothesis,
through :func:`from_schema` below (the subset of JSON Schema the file uses: types, nullable
type lists, properties, required, items, enum, const, bounds; hypothesis-jsonschema does
not run on current hypothesis), served byte for byte by the replay stand-in, and loaded
through the real client. The generated answers are constrained only where the reference page
promises more than the OpenAPI types, and each constraint is named in ``_PROMISES``:

- ``meta.date_from``/``meta.date_to`` echo the request (the page's examples do);
- trend rows are dated inside the requested window, one row per entity and day;
- ``reason_codes`` items are objects with the page's four keys (plus two optional ones);
- numbers are ones a float64 holds (the OpenAPI's ``number``; JSON has no infinity).

Objects get no properties beyond the schema's, so each case stays small; extra fields
are covered by the drift tests. Vocabularies are left as free strings on purpose: a value
outside the page's lists must load with a warning. Warnings are allowed; a refusal fails.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import warnings
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st
from replay import running_replay

import atribu_pandas as ap

START, END = dt.date(2026, 3, 20), dt.date(2026, 3, 25)
IDS = ["0b7e6a5c-6f2e-4b8a-9a53-2f1e4c3d2b10", "5f0c2a51-08d4-4a53-9d0e-3b1f6a7c9e21"]
WINDOW_DAYS = [(START + dt.timedelta(days=i)).isoformat() for i in range((END - START).days + 1)]
CASES = 200  # per endpoint; derandomised, so CI sees the same cases every run
_FLOAT_RANGE = {"minimum": -1e300, "maximum": 1e300}
_REASON = {
    "type": "object",
    "properties": {
        "layer": {"type": "string"},
        "polarity": {"type": "string"},
        "percentile": {"type": ["number", "null"], **_FLOAT_RANGE},
        "sample_confidence": {"type": "string"},
        "code": {"type": "string"},
        "metric_value": {"type": ["number", "null"], **_FLOAT_RANGE},
    },
    "required": ["layer", "polarity", "percentile", "sample_confidence"],
    "additionalProperties": False,
}


def from_schema(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    """A strategy for the JSON values ``schema`` allows (the subset the OpenAPI file uses).

    Optional properties are present or absent at random; objects take no others.
    """
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kinds = schema.get("type", ["string", "number", "null", "boolean"])
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return st.one_of(*(_of_type(kind, schema) for kind in kinds))


def _of_type(kind: str, schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    low, high = schema.get("minimum"), schema.get("maximum")
    if kind == "null":
        return st.none()
    if kind == "boolean":
        return st.booleans()
    if kind == "string":
        return st.text(max_size=schema.get("maxLength", 30))
    if kind == "integer":
        return st.integers(
            min_value=None if low is None else int(low),
            max_value=None if high is None else int(high),
        )
    if kind == "number":
        floats = st.floats(min_value=low, max_value=high, allow_nan=False, allow_infinity=False)
        ints = st.integers(
            min_value=None if low is None else int(low),
            max_value=None if high is None else int(high),
        )
        return st.one_of(ints, floats)
    if kind == "array":
        items = from_schema(schema.get("items", {}))
        return st.lists(
            items, min_size=schema.get("minItems", 0), max_size=schema.get("maxItems", 6)
        )
    if kind == "object":
        properties = schema.get("properties", {})
        required = set(schema.get("required", []))
        fixed = {k: from_schema(v) for k, v in properties.items() if k in required}
        optional = {k: from_schema(v) for k, v in properties.items() if k not in required}
        return st.fixed_dictionaries(fixed, optional=optional)
    raise ValueError(f"the oracle does not know JSON Schema type {kind!r}")


def _closed(node: Any) -> Any:
    """A copy where numbers fit a float64 and objects take only their own properties."""
    if isinstance(node, dict):
        out = {k: _closed(v) for k, v in node.items()}
        kinds = out.get("type")
        kinds = kinds if isinstance(kinds, list) else [kinds]
        if "number" in kinds or "integer" in kinds:
            out.update(_FLOAT_RANGE)
        if "object" in kinds and "properties" in out:
            out["additionalProperties"] = False
        return out
    if isinstance(node, list):
        return [_closed(v) for v in node]
    return node


def _answer_schema(openapi: dict[str, Any], path: str) -> dict[str, Any]:
    get = openapi["paths"][path]["get"]
    schema = copy.deepcopy(get["responses"]["200"]["content"]["application/json"]["schema"])
    meta = copy.deepcopy(openapi["components"]["schemas"]["Meta"])
    if path != "/api/v1/top-performers":
        # _PROMISES: the dates, when sent, echo the request.
        meta["properties"]["date_from"] = {"const": START.isoformat()}
        meta["properties"]["date_to"] = {"const": END.isoformat()}
    schema["properties"]["meta"] = meta
    items = schema["properties"]["data"]["items"]
    schema["properties"]["data"]["maxItems"] = 12
    if path == "/api/v1/campaigns/trend":
        items["properties"]["date"] = {"enum": WINDOW_DAYS}  # _PROMISES: inside the window
    if path == "/api/v1/top-performers":
        items["properties"]["reason_codes"] = {"type": "array", "items": _REASON, "maxItems": 4}
        items["properties"]["offers"] = {"type": "array", "items": {"type": "string"}}
    return _closed(schema)


def _one_row_per_entity_day(answer: dict[str, Any]) -> dict[str, Any]:
    # _PROMISES: "one per entity per day" (the reference page).
    seen: set[tuple[Any, Any]] = set()
    rows = []
    for row in answer["data"]:
        key = (row["entity_id"], row["date"])
        if key not in seen:
            seen.add(key)
            rows.append(row)
    return {**answer, "data": rows}


_PROMISES = (
    "meta dates echo",
    "trend days inside the window",
    "one row per entity-day",
    "reason_codes items as on the page",
    "numbers a float64 holds",
)


def _client(url: str) -> ap.Client:
    # No cache (each case is new), no retries, and no rate limit: hundreds of answers.
    return ap.Client(
        api_key="atb_live_oracle-not-a-key",
        base_url=url,
        cache=False,
        max_retries=0,
        progress=False,
        rate_limit=100_000,
    )


Loader = Callable[[ap.Client], Any]
LOADERS: dict[str, Loader] = {
    "/api/v1/campaigns": lambda c: ap.load_campaigns(START, END, client=c),
    "/api/v1/campaigns/trend": lambda c: ap.load_campaign_trend(IDS, START, END, client=c),
    "/api/v1/top-performers": lambda c: ap.reason_codes(ap.load_top_performers(client=c)),
}
RESULTS: dict[str, list[int]] = {path: [0, 0] for path in LOADERS}  # [cases, loaded]


@pytest.mark.parametrize("path", list(LOADERS))
def test_every_answer_the_official_schema_allows_loads(openapi: dict[str, Any], path: str) -> None:
    strategy = from_schema(_answer_schema(openapi, path))
    if path == "/api/v1/campaigns/trend":
        strategy = strategy.map(_one_row_per_entity_day)
    failures: list[str] = []
    with running_replay() as replay:
        client = _client(replay.url)

        @settings(
            max_examples=CASES,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(strategy)
        def load(answer: dict[str, Any]) -> None:
            replay.serve(path, json.dumps(answer).encode())
            RESULTS[path][0] += 1
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try:
                    LOADERS[path](client)
                except ap.AtribuError as error:
                    failures.append(f"{error} <- {json.dumps(answer)[:300]}")
                    return
            RESULTS[path][1] += 1

        load()
    cases, loaded = RESULTS[path]
    print(f"\n{path}: {loaded} of {cases} generated answers loaded")
    assert cases >= CASES // 2
    assert failures == []


def test_the_oracle_can_fail(openapi: dict[str, Any]) -> None:
    # Without the page's promise that trend days fall in the window (the OpenAPI says only
    # "string"), the same generator soon finds an answer the loader refuses, with its rule:
    # the oracle is not vacuous.
    schema = _answer_schema(openapi, "/api/v1/campaigns/trend")
    schema["properties"]["data"]["items"]["properties"]["date"] = {"type": "string"}
    schema["properties"]["data"]["minItems"] = 1
    refusals: list[str] = []
    with running_replay() as replay:
        client = _client(replay.url)

        def refused(answer: dict[str, Any]) -> bool:
            replay.serve("/api/v1/campaigns/trend", json.dumps(answer).encode())
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try:
                    LOADERS["/api/v1/campaigns/trend"](client)
                except ap.AtribuError as error:
                    refusals.append(str(error))
                    return True
            return False

        quick = settings(derandomize=True, database=None, phases=[Phase.generate])  # no shrinking
        find(from_schema(schema), refused, settings=quick)
    assert refusals and "date" in refusals[-1]
