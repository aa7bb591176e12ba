"""Liberal in what it accepts, strict in what it trusts: the policy of docs/api-reference.md.

Each answer here is one a real service may send (the official OpenAPI allows it, or the
reference page shows it) or one that says two things at once. Served by the replay stand-in,
not the sandbox, so the client, its cache and the loaders meet bytes nobody here generated.
Expected values are read off the payloads themselves.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import pytest
from replay import Replay

import atribu_pandas as ap
from atribu_pandas.core.vocabulary import MODELS

from .test_page_payloads import CAMPAIGNS, ID_1, ID_2, LEVEL_FIELDS, TOP, TREND, page


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def _serve(replay: Replay, path: str, document: Any) -> None:
    replay.serve(path, json.dumps(document).encode())


def _level_page() -> dict[str, Any]:
    document = page("page-campaigns.json")
    document["data"] = [
        {**document["data"][0], "campaign_id": ID_1, "entity_level": "ad", **LEVEL_FIELDS}
    ]
    return document


@pytest.mark.parametrize("field", ["entity_level", *LEVEL_FIELDS])
def test_the_page_payload_without_one_detail_field_loads_with_one_warning(
    replay: Replay, cache: Path, field: str
) -> None:
    document = _level_page()
    del document["data"][0][field]
    _serve(replay, CAMPAIGNS, document)
    with pytest.warns(ap.SchemaDriftWarning) as caught:
        df = ap.load_campaigns("2026-03-01", "2026-03-25", level="ad", client=replay.client(cache))
    drift = [str(w.message) for w in caught if issubclass(w.category, ap.SchemaDriftWarning)]
    assert len(drift) == 1 and f"no {field}" in drift[0] and "req_replay_1" in drift[0]
    assert df[field].isna().all()
    assert df.loc[0, "spend"] == 1800.0 and df.loc[0, "outcome_value"] == 6200.0


@pytest.mark.parametrize(
    ("changes", "column", "rule"),
    [
        ({"outcome_value": -120.0, "roas": -0.07}, "outcome_value", "below 0"),
        ({"ctr": 104.5}, "ctr", "above 100"),
        ({"outcome_count": 44.5}, "outcome_count", None),
        ({"impressions": 240000.5}, "impressions", "fractional"),
    ],
)
def test_values_out_of_range_are_kept_and_named(
    replay: Replay, cache: Path, changes: dict[str, Any], column: str, rule: str | None
) -> None:
    document = _level_page()
    document["data"][0].update(changes)
    _serve(replay, CAMPAIGNS, document)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        df = ap.load_campaigns("2026-03-01", "2026-03-25", level="ad", client=replay.client(cache))
    drift = [str(w.message) for w in caught if issubclass(w.category, ap.SchemaDriftWarning)]
    if rule is None:  # a fractional outcome_count is documented (split-credit models)
        assert drift == []
    else:
        assert len(drift) == 1 and column in drift[0] and rule in drift[0]
    for key, value in changes.items():
        assert df.loc[0, key] == value


def test_top_performers_scores_and_rates_out_of_range_load(replay: Replay, cache: Path) -> None:
    document = page("page-top-performers.json")
    document["data"][0].update(composite_score=100.4, ctr=130.0, cohort_n_ads=17.5)
    _serve(replay, TOP, document)
    with pytest.warns(ap.SchemaDriftWarning) as caught:
        top = ap.load_top_performers(client=replay.client(cache))
    message = " ".join(str(w.message) for w in caught)
    for words in (
        "composite_score has 1 value above 100",
        "ctr has 1 value above 100",
        "cohort_n_ads has 1 fractional value",
    ):
        assert words in message
    assert top.loc[0, "composite_score"] == 100.4 and top.loc[0, "cohort_n_ads"] == 17.5


def test_meta_dates_with_a_time_of_day_are_the_same_days(replay: Replay, cache: Path) -> None:
    document = page("page-campaigns.json")
    document["meta"].update(date_from="2026-03-01T00:00:00Z", date_to="2026-03-25T23:59:59Z")
    _serve(replay, CAMPAIGNS, document)
    df = ap.load_campaigns("2026-03-01", "2026-03-25", client=replay.client(cache))
    assert df["campaign_name"].tolist() == ["Spring Sale - Conversions"]


def test_an_answer_without_request_ids_loads_and_explodes_its_reason_codes(
    replay: Replay, cache: Path
) -> None:
    replay.request_ids = False
    _serve(replay, TOP, page("page-top-performers.json"))
    top = ap.load_top_performers(client=replay.client(cache))
    assert top.attrs["atribu"]["request_ids"] == [None]
    codes = ap.reason_codes(top)
    expected = page("page-top-performers.json")["data"][0]["reason_codes"]
    assert codes["layer"].tolist() == [c["layer"] for c in expected]


def test_a_model_the_service_refuses_costs_only_that_model(replay: Replay, cache: Path) -> None:
    def answer(query: dict[str, str]) -> tuple[int, bytes]:
        if query["model"] == "split_50_50":
            error = {
                "code": "invalid_parameter",
                "message": "unknown model",
                "status": 400,
                "request_id": "req_refused",
            }
            return 400, json.dumps({"error": error}).encode()
        return 200, json.dumps(page("page-campaigns.json")).encode()

    replay.serve(CAMPAIGNS, answer)
    with pytest.warns(ap.PartialResultWarning, match="split_50_50.*req_refused"):
        both = ap.load_model_comparison("2026-03-01", "2026-03-25", client=replay.client(cache))
    assert set(both["model"].astype(str)) == set(MODELS) - {"split_50_50"}
    assert len(both) == len(MODELS) - 1


def test_every_model_refused_raises_the_first_error(replay: Replay, cache: Path) -> None:
    body = json.dumps({"error": {"code": "invalid_parameter", "message": "no", "status": 400}})
    replay.serve(CAMPAIGNS, lambda query: (400, body.encode()))
    with pytest.raises(ap.BadRequestError):
        ap.load_model_comparison(
            "2026-03-01",
            "2026-03-25",
            models=["linear", "first_touch"],
            client=replay.client(cache),
        )


def test_a_filter_the_answer_contradicts_is_named(replay: Replay, cache: Path) -> None:
    # The page's ad is graded "attributed" and headlined "messaging": a server that ignores
    # outcome_kinds (not among the OpenAPI's parameters) sends it for outcome_kinds=cash.
    _serve(replay, TOP, page("page-top-performers.json"))
    with pytest.warns(ap.PayloadWarning, match="primary_outcome_kind outside outcome_kinds=cash"):
        top = ap.load_top_performers(outcome_kinds=["cash"], client=replay.client(cache))
    assert len(top) == 1


@pytest.mark.parametrize("day", ["2020-01-01", "2031-06-30"])
def test_trend_rows_outside_the_window_are_refused(replay: Replay, cache: Path, day: str) -> None:
    document = page("page-campaign-trend.json")
    document["data"][0].update(entity_id=ID_1, date=day)
    _serve(replay, TREND, document)
    with pytest.raises(ap.ResponseError, match=f"dated outside.*{day}") as info:
        ap.load_campaign_trend(
            [ID_1, ID_2], "2026-03-20", "2026-03-25", client=replay.client(cache)
        )
    assert info.value.request_id == "req_replay_1"


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (b'{"data": [], "data": [{"campaign_id": "x"}], "meta": {}}', "repeats the key 'data'"),
        (
            b'{"data": [{"campaign_id": "a", "campaign_id": "b", "campaign_name": "n", "spend": 1,'
            b' "outcome_count": 1, "outcome_value": 1, "roas": 1}], "meta": {}}',
            "repeats the key 'campaign_id'",
        ),
        (b'{"data": [' + b"[" * 1000 + b"]" * 1000 + b'], "meta": {}}', "nests deeper than 32"),
        (b'{"data": [' + b'{"a":' * 40 + b"1" + b"}" * 40 + b'], "meta": {}}', "nests deeper"),
    ],
    ids=["data twice", "field twice", "1000 deep", "40 deep"],
)
def test_bodies_that_say_two_things_or_nest_absurdly_are_refused(
    replay: Replay, cache: Path, body: bytes, words: str
) -> None:
    replay.serve(CAMPAIGNS, body)
    with pytest.raises(ap.ResponseError, match=words) as info:
        ap.load_campaigns("2026-03-01", "2026-03-25", client=replay.client(cache))
    assert info.value.request_id == "req_replay_1"


def test_an_integer_beyond_float_precision_is_named(replay: Replay, cache: Path) -> None:
    document = _level_page()
    document["data"][0]["reach"] = 2**53 + 1
    _serve(replay, CAMPAIGNS, document)
    with pytest.warns(ap.PayloadWarning, match=r"reach holds 1 integer beyond 2\*\*53"):
        ap.load_campaigns("2026-03-01", "2026-03-25", level="ad", client=replay.client(cache))


@pytest.mark.parametrize("name", [5, [1, 2], {"x": 1}])
def test_a_name_that_is_not_text_is_refused(replay: Replay, cache: Path, name: Any) -> None:
    document = page("page-campaigns.json")
    document["data"][0]["campaign_name"] = name
    _serve(replay, CAMPAIGNS, document)
    with pytest.raises(ap.SchemaError, match="campaign_name holds") as info:
        ap.load_campaigns("2026-03-01", "2026-03-25", client=replay.client(cache))
    assert info.value.request_id == "req_replay_1"
