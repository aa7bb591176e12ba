"""Schemas and the drift policy: good payloads pass with the right dtypes; a new enum value or
field loads with a SchemaDriftWarning; real breakage raises SchemaError."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from atribu_pandas.exceptions import AtribuError, SchemaDriftWarning, SchemaError
from atribu_pandas.frames.build import build_frame
from atribu_pandas.frames.policy import conform
from atribu_pandas.frames.schemas import data_dictionary, schema_for

LATER_FIELDS = {
    "forecast_outcomes_7d",
    "forecast_outcomes_7d_low",
    "forecast_outcomes_7d_high",
    "forecast_confidence",
    "hazard_30d_pause",
    "hazard_30d_degradation",
    "fatigue_state",
    "fatigue_risk_tier",
    "expected_lifespan_days",
}


def campaign(**over: Any) -> dict[str, Any]:
    row = {
        "campaign_id": "0b7e6a5c-6f2e-4b8a-9a53-2f1e4c3d2b10",
        "campaign_name": "Spring Sale",
        "spend": 100.0,
        "outcome_count": 2.5,
        "outcome_value": 400.0,
        "roas": 4.0,
    }
    return row | over


def detail(**over: Any) -> dict[str, Any]:
    row = campaign() | {
        "entity_level": "ad",
        "parent_name": "Lookalike 2%",
        "impressions": 10000,
        "clicks": 150,
        "reach": 8000,
        "ctr": 1.5,
        "avg_cpm": 10.0,
        "avg_cpc": 0.6667,
        "cac": 40.0,
        "status": "ACTIVE",
        "objective": "OUTCOME_SALES",
        "daily_budget": None,
    }
    return row | over


def top(**over: Any) -> dict[str, Any]:
    row = {
        "ad_external_id": "ad_1",
        "ad_name": "UGC Reel",
        "campaign_name": "Spring Sale",
        "ad_set_name": "Lookalike",
        "creative_thumbnail_url": None,
        "video_id": "v1",
        "score_window": "28d",
        "composite_score": 81.5,
        "top_performer_likelihood": 0.72,
        "model_version": None,
        "score_source": "rules",
        "maturity_stage": "mature",
        "truth_grade": "attributed",
        "primary_outcome_kind": "cash",
        "cohort_key": "meta|ugc_video|sales|prospecting|US|feed",
        "cohort_objective": "sales",
        "cohort_format": "ugc_video",
        "cohort_audience_warmth": "prospecting",
        "cohort_n_ads": 7,
        "hook_type": "testimonial",
        "creative_format": "ugc_video",
        "cta_type": "shop_now",
        "primary_angle": "price",
        "offers": ["20% off"],
        "spend": 250.0,
        "impressions": 30000,
        "ctr": 1.2,
        "cpc": 0.69,
        "attributed_cash_outcomes": 3.5,
        "attributed_revenue": 900.0,
        "roas": 3.6,
        "cac": 71.43,
        "attributed_outcomes_total": 6.0,
        "attributed_pipeline_outcomes": 2.5,
        "attributed_pipeline_value": 1200.0,
        "meta_reported_conversions": 5.0,
        "meta_reported_conversion_value": 1000.0,
        "cost_per_conversation": None,
        "messaging_conversations_started": 0,
        "first_reply_rate": None,
        "avg_engagement_score": 0.4,
        "reason_codes": [
            {
                "layer": "attention",
                "polarity": "strength",
                "percentile": 90,
                "sample_confidence": "high",
            }
        ],
        "forecast_outcomes_7d": 1.2,
        "forecast_outcomes_7d_low": 0.4,
        "forecast_outcomes_7d_high": 2.5,
        "forecast_confidence": "medium",
        "hazard_30d_pause": 0.1,
        "hazard_30d_degradation": 0.3,
        "fatigue_state": "active",
        "fatigue_risk_tier": "low",
        "expected_lifespan_days": 40.0,
    }
    return row | over


def load(records: list[dict[str, Any]], name: str) -> pd.DataFrame:
    schema = schema_for(name)
    return conform(build_frame(records, schema), schema, request_id="req_t", url="http://t")


def test_campaigns_good_payload_dtypes() -> None:
    df = load(
        [
            campaign(),
            campaign(campaign_id="1c8f7b6d-7a3f-4c9b-8b64-3a2f5d4e3c21", spend=0.0, roas=None),
        ],
        "Campaigns",
    )
    assert isinstance(df["campaign_id"].dtype, pd.StringDtype)
    assert df["spend"].dtype == "float64"
    assert df["outcome_count"].tolist() == [2.5, 2.5]  # fractional counts survive
    assert pd.isna(df.loc[1, "roas"])


def test_details_good_payload_dtypes() -> None:
    df = load([detail()], "CampaignDetails")
    assert str(df["impressions"].dtype) == "Int64"
    assert str(df["reach"].dtype) == "Int64"
    assert isinstance(df["entity_level"].dtype, pd.CategoricalDtype)
    # Open sets: text, whatever the platform sends.
    assert isinstance(df["status"].dtype, pd.StringDtype)
    assert isinstance(df["objective"].dtype, pd.StringDtype)
    assert df["daily_budget"].dtype == "float64" and pd.isna(df.loc[0, "daily_budget"])


def test_trend_dates_are_naive_days_in_ns() -> None:
    rows = [
        {"entity_id": "e", "date": "2026-03-01", "spend": 1.5, "impressions": 10, "clicks": 1},
        {"entity_id": "e", "date": "2026-03-02", "spend": 0, "impressions": 0, "clicks": 0},
    ]
    df = load(rows, "CampaignTrend")
    assert str(df["date"].dtype) == "datetime64[ns]"
    assert df["date"].dt.tz is None
    assert df["spend"].dtype == "float64"


def test_top_performers_all_51_fields_and_types() -> None:
    df = load([top()], "TopPerformers")
    assert len(df.columns) == 51
    assert str(df["cohort_n_ads"].dtype) == "Int64"
    assert isinstance(df.loc[0, "offers"], list)
    assert isinstance(df.loc[0, "reason_codes"], list)
    assert isinstance(df["maturity_stage"].dtype, pd.CategoricalDtype)


def test_top_performers_later_fields_may_be_absent() -> None:
    record = {k: v for k, v in top().items() if k not in LATER_FIELDS}
    assert len(record) == 42  # the fields of the reference page's example
    df = load([record], "TopPerformers")
    assert len(df.columns) == 51  # the optional ones are there, all NA, in their dtype
    assert list(df.columns) == list(schema_for("TopPerformers").columns)
    assert df[sorted(LATER_FIELDS)].isna().all().all()
    assert isinstance(df["fatigue_state"].dtype, pd.CategoricalDtype)
    assert df["hazard_30d_pause"].dtype == "float64"


def test_top_performers_schema_matches_the_official_field_list(openapi: dict[str, Any]) -> None:
    spec = openapi
    item = spec["paths"]["/api/v1/top-performers"]["get"]["responses"]["200"]["content"][
        "application/json"
    ]["schema"]["properties"]["data"]["items"]
    assert set(schema_for("TopPerformers").columns) == set(item["properties"])
    assert len(item["properties"]) == 51
    campaigns = spec["paths"]["/api/v1/campaigns"]["get"]["responses"]["200"]["content"][
        "application/json"
    ]["schema"]["properties"]["data"]["items"]["properties"]
    assert set(schema_for("Campaigns").columns) == set(campaigns)


@pytest.mark.parametrize(
    ("name", "record", "column"),
    [
        ("Campaigns", {k: v for k, v in campaign().items() if k != "spend"}, "spend"),
        ("Campaigns", campaign(spend="12.5"), "spend"),
        ("Campaigns", campaign(spend=True), "spend"),
        ("Campaigns", campaign(campaign_id=None), "campaign_id"),
        ("Campaigns", campaign(campaign_id=123), "campaign_id"),
        ("Campaigns", campaign(campaign_name=5), "campaign_name"),
        ("Campaigns", campaign(campaign_name=[1, 2]), "campaign_name"),
        ("Campaigns", campaign(campaign_name={"x": 1}), "campaign_name"),
        ("CampaignDetails", detail(entity_level=3), "entity_level"),
        ("CampaignDetails", detail(impressions="10"), "impressions"),
        ("TopPerformers", top(truth_grade=None), "truth_grade"),
        ("TopPerformers", {k: v for k, v in top().items() if k != "truth_grade"}, "truth_grade"),
        (
            "CampaignTrend",
            {"entity_id": "e", "date": "03/01/2026", "spend": 1, "impressions": 1, "clicks": 0},
            "date",
        ),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_each_hard_drift_raises_schema_error(
    name: str, record: dict[str, Any], column: str
) -> None:
    # JSON types, required fields, ids and dates stay hard: real breakage, typed, with the
    # request id and the column.
    with pytest.raises(SchemaError) as info:
        load([record], name)
    error = info.value
    assert isinstance(error, AtribuError)
    assert error.request_id == "req_t"
    assert str(error).startswith("[request_id=req_t]")
    assert error.schema == name
    assert column in set(error.failure_cases["column"].astype(str)) | set(
        error.failure_cases["failure_case"].astype(str)
    )
    assert column in str(error)


@pytest.mark.parametrize(
    ("name", "changes", "column", "words"),
    [
        ("Campaigns", {"outcome_value": -50.0, "roas": -0.5}, "outcome_value", "1 value below 0"),
        ("Campaigns", {"spend": -1.0}, "spend", "1 value below 0"),
        ("CampaignDetails", {"ctr": 150.0}, "ctr", "1 value above 100"),
        ("CampaignDetails", {"impressions": 10.5}, "impressions", "1 fractional value"),
        ("TopPerformers", {"composite_score": 100.4}, "composite_score", "1 value above 100"),
        ("TopPerformers", {"top_performer_likelihood": 1.5}, "top_performer_likelihood", "above 1"),
        ("TopPerformers", {"first_reply_rate": 150.0}, "first_reply_rate", "above 100"),
        ("TopPerformers", {"cohort_n_ads": 2.5}, "cohort_n_ads", "1 fractional value"),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_a_value_outside_its_documented_range_loads_with_a_warning(
    name: str, changes: dict[str, Any], column: str, words: str
) -> None:
    # A refund, a Meta CTR over 100 or a fractional count: kept, named with the rule and the
    # row count, and the other row is untouched.
    make = {"Campaigns": campaign, "CampaignDetails": detail, "TopPerformers": top}[name]
    with pytest.warns(SchemaDriftWarning) as caught:
        df = load([make(**changes), make()], name)
    assert len(caught) == 1
    message = str(caught[0].message)
    assert "req_t" in message and column in message and words in message
    for key, value in changes.items():
        assert df.loc[0, key] == value
        default = make()[key]
        assert pd.isna(df.loc[1, key]) if default is None else df.loc[1, key] == default


@pytest.mark.parametrize(
    "field",
    [
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
    ],
)
def test_a_missing_detail_field_is_an_all_na_column_and_one_warning(field: str) -> None:
    # The official schema lists only the six base fields: a Google Search ad with no reach
    # or daily_budget must still load.
    record = {k: v for k, v in detail().items() if k != field}
    with pytest.warns(SchemaDriftWarning) as caught:
        df = load([record, record], "CampaignDetails")
    assert len(caught) == 1 and f"no {field}" in str(caught[0].message)
    assert list(df.columns) == list(schema_for("CampaignDetails").columns)
    assert df[field].isna().all()
    assert df[field].dtype == load([detail()], "CampaignDetails")[field].dtype


def test_a_day_with_a_time_of_day_is_that_calendar_day() -> None:
    row = {
        "entity_id": "e",
        "date": "2026-03-25T23:59:59Z",
        "spend": 1,
        "impressions": 1,
        "clicks": 0,
    }
    df = load([row], "CampaignTrend")
    assert df.loc[0, "date"] == pd.Timestamp("2026-03-25")


@pytest.mark.parametrize(
    ("name", "record", "column", "value"),
    [
        ("CampaignDetails", detail(entity_level="creative"), "entity_level", "creative"),
        ("TopPerformers", top(score_window="30d"), "score_window", "30d"),
        ("TopPerformers", top(maturity_stage="warm"), "maturity_stage", "warm"),
        ("TopPerformers", top(fatigue_risk_tier="extreme"), "fatigue_risk_tier", "extreme"),
        ("TopPerformers", top(truth_grade="audited"), "truth_grade", "audited"),
    ],
)
def test_a_new_enum_value_loads_with_a_warning(
    name: str, record: dict[str, Any], column: str, value: str
) -> None:
    with pytest.warns(SchemaDriftWarning) as caught:
        df = load([record, record], name)
    assert len(caught) == 1
    message = str(caught[0].message)
    assert "req_t" in message and column in message and value in message
    declared = schema_for(name).columns[column].dtype.type
    assert list(df[column].cat.categories) == [*declared.categories, value]
    assert df[column].cat.ordered == declared.ordered
    assert df[column].tolist() == [value, value]


def test_open_sets_take_any_text_silently() -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        df = load([detail(status="IN_PROCESS", objective="PERFORMANCE_MAX")], "CampaignDetails")
        tp = load(
            [top(creative_format="green_screen", cohort_audience_warmth="lapsed")], "TopPerformers"
        )
    assert df.loc[0, "status"] == "IN_PROCESS" and df.loc[0, "objective"] == "PERFORMANCE_MAX"
    assert tp.loc[0, "creative_format"] == "green_screen"


def test_drift_collects_every_failure_lazily() -> None:
    with pytest.raises(SchemaError) as info:
        load([campaign(spend="x", outcome_value=[2.0])], "Campaigns")
    assert {"spend", "outcome_value"} <= set(info.value.failure_cases["column"])


def test_duplicate_trend_days_are_a_drift() -> None:
    row = {"entity_id": "e", "date": "2026-03-01", "spend": 1, "impressions": 1, "clicks": 0}
    with pytest.raises(SchemaError):
        load([row, row], "CampaignTrend")


def test_extra_fields_are_kept_and_named() -> None:
    with pytest.warns(SchemaDriftWarning, match="new_field"):
        df = load([campaign(new_field="x")], "Campaigns")
    assert list(df.columns)[-1] == "new_field" and df.loc[0, "new_field"] == "x"


@pytest.mark.parametrize("name", ["Campaigns", "CampaignDetails", "CampaignTrend", "TopPerformers"])
def test_empty_data_gives_typed_empty_frame(name: str) -> None:
    df = load([], name)
    assert len(df) == 0
    schema = schema_for(name)
    required = list(schema.columns)  # optional columns too: empty and full frames match
    assert list(df.columns) == required
    full = load(
        [
            {
                "Campaigns": campaign(),
                "CampaignDetails": detail(),
                "TopPerformers": top(),
                "CampaignTrend": {
                    "entity_id": "e",
                    "date": "2026-03-01",
                    "spend": 1,
                    "impressions": 1,
                    "clicks": 0,
                },
            }[name]
        ],
        name,
    )
    for column in required:
        fixed = schema.columns[column].dtype.type
        if isinstance(fixed, pd.CategoricalDtype) and fixed.categories is None:
            # An open enum: its categories are whatever values arrived.
            assert isinstance(df[column].dtype, pd.CategoricalDtype), column
        else:
            assert df[column].dtype == full[column].dtype, column


def test_data_dictionary_has_titles_and_descriptions_for_every_column() -> None:
    d = data_dictionary()
    assert set(d["frame"]) == {
        "Campaigns",
        "CampaignDetails",
        "CampaignTrend",
        "TopPerformers",
        "ReasonCodes",
        "AddedColumns",
    }
    assert d["title"].notna().all() and (d["title"].str.len() > 0).all()
    assert d["description"].notna().all() and (d["description"].str.len() > 3).all()


def _pandera_accepts(frame: pd.DataFrame, schema: Any) -> bool:
    import pandera.pandas as pa

    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors:
        return False
    return True


GOOD = [
    ("Campaigns", campaign()),
    ("Campaigns", campaign(roas=None, spend=0.0)),
    ("CampaignDetails", detail()),
    ("CampaignDetails", detail(reach=None, status=None)),
    # Detail fields are optional and nullable (the official schema does not list them).
    ("CampaignDetails", detail(impressions=None)),
    ("CampaignDetails", detail(entity_level=None)),
    ("CampaignDetails", {k: v for k, v in detail().items() if k != "clicks"}),
    ("TopPerformers", top()),
    ("TopPerformers", {k: v for k, v in top().items() if k not in LATER_FIELDS}),
]
BAD = [
    ("Campaigns", campaign(spend=-0.01)),
    ("Campaigns", campaign(spend=True)),
    ("Campaigns", campaign(campaign_name=7)),
    ("CampaignDetails", detail(impressions=-3)),
    ("CampaignDetails", detail(ctr=100.5)),
    ("TopPerformers", top(composite_score=-1.0)),
    ("TopPerformers", top(score_source="ml")),
    ("TopPerformers", top(cohort_n_ads=2.5)),
    ("TopPerformers", top(forecast_confidence="certain")),
    ("TopPerformers", top(hazard_30d_pause=1.01)),
    ("TopPerformers", top(spend=None)),
]


@pytest.mark.parametrize(("name", "record"), GOOD + BAD)
def test_fast_check_agrees_with_pandera(name: str, record: dict[str, Any]) -> None:
    from atribu_pandas.frames.build import conforms

    schema = schema_for(name)
    frame = build_frame([record, record | {}], schema)
    assert conforms(frame, schema) is _pandera_accepts(frame, schema)
    assert ((name, record) in GOOD) is _pandera_accepts(frame, schema)
