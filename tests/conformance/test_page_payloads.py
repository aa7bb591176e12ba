"""Atribu's own example responses load as they stand, and a later API loads with a warning.

``tests/data/page-*.json`` are the three example responses of Atribu's API reference page,
copied byte for byte (``docs/api-reference.md`` says where they come from). Every expected
value below is read off the page, not off our code. Variants are built from the page's row
by changing only what the test is about.
"""

from __future__ import annotations

import copy
import json
import warnings
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pandas as pd
import pytest
from replay import Replay, page_bytes

import atribu_pandas as ap
from atribu_pandas.core import vocabulary as v

CAMPAIGNS = "/api/v1/campaigns"
TREND = "/api/v1/campaigns/trend"
TOP = "/api/v1/top-performers"
ID_1 = "0b7e6a5c-6f2e-4b8a-9a53-2f1e4c3d2b10"
ID_2 = "5f0c2a51-08d4-4a53-9d0e-3b1f6a7c9e21"

# The page's "Additional fields when level is set", with values in the page's own terms
# (status "ACTIVE, PAUSED, etc."; objective the platform's, such as Meta's OUTCOME_SALES).
LEVEL_FIELDS: dict[str, Any] = {
    "parent_name": "Spring Sale",
    "impressions": 240000,
    "clicks": 3100,
    "reach": 98000,
    "ctr": 1.29,
    "avg_cpm": 7.5,
    "avg_cpc": 0.58,
    "cac": 40.0,
    "status": "ACTIVE",
    "objective": "OUTCOME_SALES",
    "daily_budget": 75.0,
}


def page(name: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(page_bytes(name))
    return document


def serve_json(replay: Replay, path: str, document: dict[str, Any]) -> None:
    replay.serve(path, json.dumps(document).encode())


def drift_warnings(caught: list[warnings.WarningMessage]) -> list[str]:
    return [str(w.message) for w in caught if issubclass(w.category, ap.SchemaDriftWarning)]


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


# -- the page's examples, as they stand ----------------------------------------------------


def test_the_fixtures_are_the_page_examples_byte_for_byte() -> None:
    # The page shows these three bodies; a stray reformat would no longer be "as it stands".
    assert page_bytes("page-campaigns.json").startswith(b'{\n  "data": [\n    {\n')
    assert b'"creative_thumbnail_url": "https://\xe2\x80\xa6"' in page_bytes(
        "page-top-performers.json"
    )
    assert b'{ "entity_id": "uuid1", "date": "2026-03-20"' in page_bytes("page-campaign-trend.json")


def test_page_campaigns_example_loads(replay: Replay, cache: Path) -> None:
    replay.serve(CAMPAIGNS, page_bytes("page-campaigns.json"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        df = ap.load_campaigns(
            "2026-03-01", "2026-03-25", model="last_touch", limit=5, client=replay.client(cache)
        )
    assert drift_warnings(caught) == []
    # The page's six fields, and the data-quality flag: 45 outcomes are enough evidence.
    assert df.shape == (1, 7)
    assert df["low_evidence"].tolist() == [False]
    row = df.iloc[0]
    assert row["campaign_id"] == "uuid"  # ids are opaque strings
    assert row["campaign_name"] == "Spring Sale - Conversions"
    assert (row["spend"], row["outcome_count"], row["outcome_value"], row["roas"]) == (
        1800.0,
        45.0,
        6200.0,
        3.44,
    )
    assert df.attrs["atribu"]["meta"] == {
        "date_from": "2026-03-01",
        "date_to": "2026-03-25",
        "profile_id": "uuid",
    }
    assert df.attrs["atribu"]["request_ids"] == ["req_replay_1"]
    query = parse_qs(urlsplit(replay.seen[0]).query)
    assert query == {
        "date_from": ["2026-03-01"],
        "date_to": ["2026-03-25"],
        "model": ["last_touch"],
        "limit": ["5"],
    }


@pytest.mark.parametrize(
    ("level", "status", "objective"),
    [
        ("campaign", "ACTIVE", "OUTCOME_SALES"),
        ("ad_set", "PAUSED", "OUTCOME_LEADS"),
        ("ad", "WITH_ISSUES", "PERFORMANCE_MAX"),  # open sets: anything the platform sends
    ],
)
def test_page_campaigns_row_with_level_fields_loads(
    replay: Replay, cache: Path, level: str, status: str, objective: str
) -> None:
    body = page("page-campaigns.json")
    body["data"][0].update(LEVEL_FIELDS, entity_level=level, status=status, objective=objective)
    serve_json(replay, CAMPAIGNS, body)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        df = ap.load_campaigns("2026-03-01", "2026-03-25", level=level, client=replay.client(cache))
    assert drift_warnings(caught) == []
    row = df.iloc[0]
    assert (row["status"], row["objective"], row["entity_level"]) == (status, objective, level)
    assert isinstance(df["entity_level"].dtype, pd.CategoricalDtype)
    assert list(df["entity_level"].cat.categories) == list(v.LEVELS)
    assert not isinstance(df["objective"].dtype, pd.CategoricalDtype)
    assert not isinstance(df["status"].dtype, pd.CategoricalDtype)
    assert str(df["impressions"].dtype) == "Int64" and row["impressions"] == 240000
    assert row["ctr"] == 1.29 and row["daily_budget"] == 75.0
    assert parse_qs(urlsplit(replay.seen[0]).query)["level"] == [level]


def test_page_campaigns_meta_may_omit_dates(replay: Replay, cache: Path) -> None:
    body = page("page-campaigns.json")
    body["meta"] = {"profile_id": "uuid"}
    serve_json(replay, CAMPAIGNS, body)
    df = ap.load_campaigns("2026-03-01", "2026-03-25", client=replay.client(cache))
    assert len(df) == 1 and df.attrs["atribu"]["meta"] == {"profile_id": "uuid"}


def test_page_trend_example_loads(replay: Replay, cache: Path) -> None:
    replay.serve(TREND, page_bytes("page-campaign-trend.json"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        df = ap.load_campaign_trend(
            [ID_1, ID_2], "2026-03-20", "2026-03-25", level="campaign", client=replay.client(cache)
        )
    assert drift_warnings(caught) == []
    assert df["entity_id"].tolist() == ["uuid1", "uuid1", "uuid2"]
    assert df["date"].dt.strftime("%Y-%m-%d").tolist() == ["2026-03-20", "2026-03-21", "2026-03-20"]
    assert df["spend"].tolist() == [120.0, 135.0, 95.0]
    assert df["impressions"].tolist() == [15000, 16200, 11800]
    assert df["clicks"].tolist() == [340, 380, 275]
    assert str(df["date"].dtype) == "datetime64[ns]"
    query = parse_qs(urlsplit(replay.seen[0]).query)
    assert query["entity_ids"] == [f"{ID_1},{ID_2}"] and query["level"] == ["campaign"]


def test_page_top_performers_example_loads(replay: Replay, cache: Path) -> None:
    replay.serve(TOP, page_bytes("page-top-performers.json"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        top = ap.load_top_performers(
            window="28d", limit=5, truth_grades="attributed", client=replay.client(cache)
        )
    assert drift_warnings(caught) == []
    assert len(top) == 1
    row = top.iloc[0]
    assert row["ad_external_id"] == "120210000000000123"
    assert row["primary_outcome_kind"] == "messaging"
    assert row["truth_grade"] == "attributed"
    assert row["maturity_stage"] == "mature" and row["score_source"] == "model"
    assert row["first_reply_rate"] == 41.2  # a percent, like ctr
    assert row["composite_score"] == 78.0 and row["top_performer_likelihood"] == 0.81
    assert row["model_version"] == 3.0
    assert row["cohort_key"] == "meta|ugc_video|messaging|prospecting|geo_any|advantage"
    assert row["cohort_objective"] == "messaging" and row["cohort_audience_warmth"] == "prospecting"
    assert row["offers"] == ["free consultation"]
    assert pd.isna(row["avg_engagement_score"])
    assert row["messaging_conversations_started"] == 412
    # Every closed set is a categorical with exactly the page's values.
    for column, values in [
        ("truth_grade", v.TRUTH_GRADES),
        ("primary_outcome_kind", v.OUTCOME_KINDS),
        ("maturity_stage", v.MATURITY_STAGES),
        ("score_source", v.SCORE_SOURCES),
        ("cohort_objective", v.OBJECTIVES),
        ("score_window", v.WINDOWS),
    ]:
        assert list(top[column].cat.categories) == list(values), column
    # The page's example has 42 fields; the 9 forecast and fatigue fields of the OpenAPI text
    # are optional and arrive as all-NA columns of their declared dtype.
    assert top.shape[1] == 51
    assert top["forecast_outcomes_7d"].dtype == np.float64
    assert top["forecast_outcomes_7d"].isna().all()
    assert list(top["fatigue_risk_tier"].cat.categories) == list(v.FATIGUE_RISK_TIERS)
    assert top["fatigue_risk_tier"].isna().all()
    assert parse_qs(urlsplit(replay.seen[0]).query) == {
        "window": ["28d"],
        "limit": ["5"],
        "truth_grades": ["attributed"],
    }


def test_page_reason_codes_explode(replay: Replay, cache: Path) -> None:
    replay.serve(TOP, page_bytes("page-top-performers.json"))
    top = ap.load_top_performers(client=replay.client(cache))
    codes = ap.reason_codes(top)
    assert codes["layer"].tolist() == ["attention", "postclick_messaging", "attributed_revenue"]
    assert codes["percentile"].tolist() == [88.0, 91.0, 74.0]
    assert codes["polarity"].astype(str).tolist() == ["strength"] * 3
    assert codes["sample_confidence"].astype(str).tolist() == ["high", "high", "medium"]
    # The page's items have no code or metric_value: missing, not an error.
    assert codes["code"].isna().all() and codes["metric_value"].isna().all()


def test_every_documented_grade_and_kind_loads(replay: Replay, cache: Path) -> None:
    body = page("page-top-performers.json")
    base = body["data"][0]
    rows = []
    for i, (grade, kind) in enumerate((g, k) for g in v.TRUTH_GRADES for k in v.OUTCOME_KINDS):
        row = copy.deepcopy(base)
        row.update(ad_external_id=str(120210000000000000 + i), truth_grade=grade)
        row["primary_outcome_kind"] = kind
        rows.append(row)
    for stage, source in zip(v.MATURITY_STAGES, ("rules", "rules", "model", "model"), strict=True):
        row = copy.deepcopy(base)
        row.update(ad_external_id=f"9{stage}", maturity_stage=stage, score_source=source)
        rows.append(row)
    body["data"] = rows
    serve_json(replay, TOP, body)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        top = ap.load_top_performers(limit=50, client=replay.client(cache))
    assert drift_warnings(caught) == []
    assert len(top) == 19
    grades, kinds = top["truth_grade"].astype(str), top["primary_outcome_kind"].astype(str)
    pairs = set(zip(grades, kinds, strict=True))
    assert {(g, k) for g in v.TRUTH_GRADES for k in v.OUTCOME_KINDS} <= pairs
    assert set(top["maturity_stage"].astype(str)) == set(v.MATURITY_STAGES)
    assert top["maturity_stage"].cat.ordered  # cold < early < mature < calibrated


def test_every_documented_filter_value_is_sent(replay: Replay, cache: Path) -> None:
    replay.serve(TOP, page_bytes("page-top-performers.json"))
    formats = [*v.FORMAT_EXAMPLES, "green_screen"]  # formats are open: a new one is sent too
    ap.load_top_performers(
        objectives=list(v.OBJECTIVES),
        truth_grades=list(v.TRUTH_GRADES),
        outcome_kinds=list(v.OUTCOME_KINDS),
        formats=formats,
        has_video=True,
        min_spend=100,
        client=replay.client(cache),
    )
    query = parse_qs(urlsplit(replay.seen[0]).query)
    assert query["objectives"] == ["messaging,sales,leads,traffic,awareness"]
    assert query["truth_grades"] == ["predicted,attributed,lift"]
    assert query["outcome_kinds"] == ["cash,pipeline,messaging,meta,none"]
    assert query["formats"] == [",".join(formats)]
    assert query["has_video"] == ["true"] and query["min_spend"] == ["100"]


@pytest.mark.parametrize(
    ("argument", "typo", "meant"),
    [
        ("truth_grades", "atributed", "attributed"),
        ("outcome_kinds", "piepline", "pipeline"),
        ("objectives", "messages", "messaging"),
    ],
)
def test_closed_filters_refuse_before_any_request(
    replay: Replay, cache: Path, argument: str, typo: str, meant: str
) -> None:
    replay.serve(TOP, page_bytes("page-top-performers.json"))
    with pytest.raises(ap.ArgumentError) as info:
        ap.load_top_performers(**{argument: [typo]}, client=replay.client(cache))
    assert info.value.argument == argument
    assert f"did you mean {meant!r}" in str(info.value)
    assert replay.seen == []


# -- a later API: new values and fields load, with one warning -------------------------------


def test_later_api_top_performers_loads_and_warns_once(replay: Replay, cache: Path) -> None:
    body = page("page-top-performers.json")
    row = body["data"][0]
    row.update(truth_grade="incrementality_tested", primary_outcome_kind="calls")
    row["creative_hook_strength"] = 0.72  # a field the page does not list
    body["data"].append({**copy.deepcopy(row), "ad_external_id": "2", "truth_grade": "lift"})
    serve_json(replay, TOP, body)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        top = ap.load_top_performers(client=replay.client(cache))
    messages = drift_warnings(caught)
    assert len(messages) == 1
    message = messages[0]
    for needle in (
        "req_replay_1",
        "truth_grade",
        "incrementality_tested",
        "primary_outcome_kind",
        "calls",
        "creative_hook_strength",
    ):
        assert needle in message, needle
    assert caught[0].filename == __file__  # the warning points at the user's own line
    assert top["truth_grade"].astype(str).tolist() == ["incrementality_tested", "lift"]
    assert list(top["truth_grade"].cat.categories) == [*v.TRUTH_GRADES, "incrementality_tested"]
    assert top["primary_outcome_kind"].astype(str).tolist() == ["calls", "calls"]
    assert top["creative_hook_strength"].tolist() == [0.72, 0.72]
    assert top.columns[-1] == "creative_hook_strength"


def test_later_api_campaigns_new_level_and_field(replay: Replay, cache: Path) -> None:
    body = page("page-campaigns.json")
    body["data"][0].update(LEVEL_FIELDS, entity_level="asset_group", currency="EUR")
    serve_json(replay, CAMPAIGNS, body)
    with pytest.warns(ap.SchemaDriftWarning, match="entity_level has \\['asset_group'\\]"):
        df = ap.load_campaigns("2026-03-01", "2026-03-25", level="ad", client=replay.client(cache))
    assert df.loc[0, "entity_level"] == "asset_group" and df.loc[0, "currency"] == "EUR"


def test_later_api_reason_code_polarity(replay: Replay, cache: Path) -> None:
    body = page("page-top-performers.json")
    body["data"][0]["reason_codes"].append(
        {
            "layer": "audience_overlap",
            "polarity": "neutral",
            "percentile": 50,
            "sample_confidence": "low",
        }
    )
    serve_json(replay, TOP, body)
    top = ap.load_top_performers(client=replay.client(cache))
    with pytest.warns(ap.SchemaDriftWarning, match="polarity has \\['neutral'\\]"):
        codes = ap.reason_codes(top)
    assert codes["polarity"].astype(str).tolist()[-1] == "neutral"
    assert codes["layer"].tolist()[-1] == "audience_overlap"  # layers are open


# -- real breakage is still an error -------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "column"),
    [
        (lambda row: row.pop("spend"), "spend"),  # a documented required field went missing
        (lambda row: row.update(composite_score="78"), "composite_score"),  # text for a number
        (lambda row: row.update(truth_grade=3), "truth_grade"),  # a number for an enum's text
    ],
)
def test_missing_field_or_type_change_is_schema_error(
    replay: Replay, cache: Path, change: Any, column: str
) -> None:
    body = page("page-top-performers.json")
    change(body["data"][0])
    serve_json(replay, TOP, body)
    with pytest.raises(ap.SchemaError) as info:
        ap.load_top_performers(client=replay.client(cache))
    assert info.value.request_id == "req_replay_1"
    assert column in set(info.value.failure_cases["column"].astype(str)) | {
        str(c) for c in info.value.failure_cases["failure_case"]
    }


# -- empty answers say what they usually mean ------------------------------------------------


def test_empty_top_performers_says_not_scored_yet(replay: Replay, cache: Path) -> None:
    serve_json(replay, TOP, {"data": [], "meta": {"profile_id": "uuid"}})
    with pytest.warns(ap.EmptyResultWarning, match="not scored yet"):
        top = ap.load_top_performers(client=replay.client(cache))
    assert top.empty and top.shape[1] == 51


def test_empty_trend_names_the_level(replay: Replay, cache: Path) -> None:
    serve_json(replay, TREND, {"data": [], "meta": {"profile_id": "uuid"}})
    with pytest.warns(ap.EmptyResultWarning, match="level='ad_set'"):
        df = ap.load_campaign_trend(
            [ID_1], "2026-03-20", "2026-03-25", level="ad_set", client=replay.client(cache)
        )
    assert df.empty and list(df.columns) == ["entity_id", "date", "spend", "impressions", "clicks"]


# -- the sandbox passes the same bar ---------------------------------------------------------


@pytest.mark.parametrize("level", [None, "campaign", "ad_set", "ad"])
def test_the_sandbox_answers_in_the_pages_terms(sb: Any, tmp_path: Path, level: str | None) -> None:
    client = sb.client(cache_dir=tmp_path, progress=False)
    end = sb.last_day
    with warnings.catch_warnings():
        warnings.simplefilter("error", ap.SchemaDriftWarning)
        df = ap.load_campaigns(end.replace(day=1), end, level=level, limit=100, client=client)
        top = ap.load_top_performers(window="lifetime", limit=50, client=client)
        codes = ap.reason_codes(top)
    assert len(df) and len(top) and len(codes)
    if level is not None:
        # Status and objective as Meta and Google send them, never our own words.
        assert set(df["status"]) <= {"ACTIVE", "PAUSED", "ENABLED"}
        assert all(o.startswith("OUTCOME_") or o == "SEARCH" for o in df["objective"])
        assert set(df["entity_level"].astype(str)) == {level}
    assert set(top["creative_format"]) <= set(v.FORMAT_EXAMPLES)
    assert set(top["cohort_audience_warmth"]) <= {"prospecting", "engaged", "retargeting"}
    # The platform's ad id, as the page's example shows one: digits, not a UUID.
    assert top["ad_external_id"].str.fullmatch(r"\d+").all()
    for column, values in [
        ("truth_grade", v.TRUTH_GRADES),
        ("primary_outcome_kind", v.OUTCOME_KINDS),
        ("maturity_stage", v.MATURITY_STAGES),
        ("score_source", v.SCORE_SOURCES),
        ("cohort_objective", v.OBJECTIVES),
    ]:
        assert set(top[column].astype(str)) <= set(values), column
    assert set(codes["polarity"].astype(str)) <= set(v.POLARITIES)
