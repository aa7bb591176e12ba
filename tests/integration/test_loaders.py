"""Loaders against the real sandbox: frames, provenance, splitting and combining requests."""

from __future__ import annotations

import datetime as dt
import warnings
from typing import Any

import pandas as pd
import pytest

import atribu_pandas as ap
from atribu_pandas.exceptions import ArgumentError

Window = tuple[dt.date, dt.date]


def test_campaigns_base_columns_ranked_by_value(client: ap.Client, window: Window) -> None:
    df = ap.load_campaigns(*window, limit=100, client=client)
    assert list(df.columns) == [
        "campaign_id",
        "campaign_name",
        "spend",
        "outcome_count",
        "outcome_value",
        "roas",
        "low_evidence",  # the data-quality flag: fewer than 5 outcomes
    ]
    assert df["low_evidence"].tolist() == (df["outcome_count"] < 5).tolist()
    assert df["outcome_value"].is_monotonic_decreasing
    with_spend = df[df["spend"] > 0]
    expected = with_spend["outcome_value"] / with_spend["spend"]
    pd.testing.assert_series_equal(with_spend["roas"], expected, rtol=1e-3, check_names=False)


def test_level_ad_details_and_attrs(sb: Any, client: ap.Client, window: Window) -> None:
    ads = ap.load_campaigns(*window, model="time_decay", level="ad", limit=100, client=client)
    assert set(ads["entity_level"].unique()) == {"ad"}
    assert str(ads["impressions"].dtype) == "Int64"
    attrs = ads.attrs["atribu"]
    assert attrs["endpoint"] == "/api/v1/campaigns"
    assert attrs["params"] == {
        "date_from": window[0].isoformat(),
        "date_to": window[1].isoformat(),
        "model": "time_decay",
        "limit": 100,
        "level": "ad",
    }
    assert attrs["meta"]["profile_id"] and attrs["meta"]["date_from"] == window[0].isoformat()
    assert attrs["request_ids"] == [sb.requests[-1].request_id]
    assert attrs["from_cache"] is False and attrs["demo"] is True
    dt.datetime.fromisoformat(attrs["fetched_at"])
    assert sb.api_key not in repr(attrs)


def test_parent_spend_is_the_sum_of_its_childrens(client: ap.Client, window: Window) -> None:
    sets = ap.load_campaigns(*window, level="ad_set", limit=100, client=client)
    ads = ap.load_campaigns(*window, level="ad", limit=100, client=client)
    assert len(ads) < 100, "the invariant needs every ad of the window"
    by_parent = ads.groupby("parent_name", observed=True)[["spend", "clicks"]].sum()
    joined = sets.set_index("campaign_name")[["spend", "clicks"]].join(by_parent.add_suffix("_ads"))
    joined = joined.fillna(0)
    # The sandbox sums integer cents: a parent equals its children up to float noise.
    assert (joined["spend"] - joined["spend_ads"]).abs().max() < 1e-6
    assert (joined["clicks"] == joined["clicks_ads"]).all()


def test_truncation_warning(client: ap.Client, window: Window) -> None:
    with pytest.warns(ap.TruncatedResultWarning, match="limit=2"):
        df = ap.load_campaigns(*window, level="ad", limit=2, client=client)
    assert len(df) == 2


def test_no_warning_when_fewer_rows_than_limit(client: ap.Client, window: Window) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", ap.TruncatedResultWarning)
        ap.load_campaigns(*window, limit=100, client=client)


def test_empty_window_gives_typed_empty_frame(sb: Any, client: ap.Client) -> None:
    # Before the sandbox's first day nothing delivered.
    day = sb.first_day - dt.timedelta(days=30)
    df = ap.load_campaigns(day, day, level="ad", client=client)
    assert df.empty
    assert str(df["impressions"].dtype) == "Int64"
    with pytest.warns(ap.EmptyResultWarning, match="no rows"):
        trend = ap.load_campaign_trend(
            ["0b7e6a5c-6f2e-4b8a-9a53-2f1e4c3d2b10"], day, day, client=client
        )
    assert trend.empty and str(trend["date"].dtype) == "datetime64[ns]"


def test_trend_takes_the_level_a_loaded_column_records(client: ap.Client, window: Window) -> None:
    # Ad ids sent as campaign ids give no rows: a load_campaigns column knows its level.
    ads = ap.load_campaigns(*window, level="ad", limit=100, client=client)
    ids = ads["campaign_id"].head(5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no mismatch, no empty answer
        trend = ap.load_campaign_trend(ids, *window, client=client)
    assert trend.attrs["atribu"]["params"]["level"] == "ad"
    assert set(trend["entity_id"]) == set(ids)
    # The same ids with a contradicting level: used as asked, with a warning naming both.
    with (
        pytest.warns(ap.LevelMismatchWarning, match="level='ad'.*level='campaign'"),
        pytest.warns(ap.EmptyResultWarning, match="another level"),
    ):
        wrong = ap.load_campaign_trend(ids, *window, level="campaign", client=client)
    assert wrong.empty
    # Campaigns loaded without level are campaigns.
    campaigns = ap.load_campaigns(*window, client=client)
    by_campaign = ap.load_campaign_trend(campaigns["campaign_id"].head(3), *window, client=client)
    assert by_campaign.attrs["atribu"]["params"]["level"] == "campaign"
    assert set(by_campaign["entity_id"]) == set(campaigns["campaign_id"].head(3))
    # A plain list has no record: campaign, the API's default.
    plain = ap.load_campaign_trend(list(campaigns["campaign_id"].head(2)), *window, client=client)
    assert plain.attrs["atribu"]["params"]["level"] == "campaign" and len(plain) > 0


def test_sandbox_top_performers_speak_the_pages_vocabulary(sb: Any, client: ap.Client) -> None:
    from atribu_pandas.core import vocabulary as v

    with warnings.catch_warnings():
        warnings.simplefilter("error", ap.SchemaDriftWarning)
        top = ap.load_top_performers(window="lifetime", limit=50, client=client)
    assert set(top["truth_grade"].astype(str)) <= set(v.TRUTH_GRADES)
    assert set(top["primary_outcome_kind"].astype(str)) <= set(v.OUTCOME_KINDS)
    assert set(top["creative_format"].astype(str)) <= set(v.FORMAT_EXAMPLES)
    assert top["ad_external_id"].str.fullmatch(r"\d{12,18}").all()
    assert (top["first_reply_rate"].dropna() > 1).any()  # a percent, not a share
    model = top["score_source"] == "model"
    assert model.any() and (~model).any()
    assert (top.loc[model, "model_version"] == 3).all()
    assert top.loc[~model, "model_version"].isna().all()
    assert set(top.loc[model, "maturity_stage"].astype(str)) <= {"mature", "calibrated"}


def test_every_documented_filter_value_is_answered(sb: Any) -> None:
    from atribu_pandas.core import vocabulary as v

    seen: dict[str, set[str]] = {"truth_grades": set(), "outcome_kinds": set()}
    for profile in [p for p in sb.profiles if "campaigns:read" in p.scopes]:
        client = sb.client(api_key=profile.api_key, cache=False)
        everything = ap.load_top_performers(window="28d", limit=50, client=client)
        for argument, column, values in [
            ("truth_grades", "truth_grade", v.TRUTH_GRADES),
            ("outcome_kinds", "primary_outcome_kind", v.OUTCOME_KINDS),
            ("objectives", "cohort_objective", v.OBJECTIVES),
        ]:
            for value in values:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", ap.EmptyResultWarning)
                    got = ap.load_top_performers(
                        window="28d", limit=50, client=client, **{argument: [value]}
                    )
                assert set(got[column].astype(str)) <= {value}
                # The filter keeps the matching ads of the unfiltered answer.
                expected = everything.loc[everything[column] == value, "ad_external_id"]
                assert set(expected) <= set(got["ad_external_id"]) or len(got) == 50
                if argument in seen and len(got):
                    seen[argument].add(value)
    # Between them, the sandbox's profiles answer every documented grade and kind.
    assert seen["truth_grades"] == set(v.TRUTH_GRADES)
    assert seen["outcome_kinds"] == set(v.OUTCOME_KINDS)


def test_trend_over_ten_ids_is_split_sorted_and_complete(
    sb: Any, client: ap.Client, window: Window
) -> None:
    ads = ap.load_campaigns(*window, level="ad", limit=100, client=client)
    ids = list(ads["campaign_id"].head(25))
    assert len(ids) == 25
    before = sb.request_count
    trend = ap.load_campaign_trend(pd.Series(ids + ids[:3]), *window, level="ad", client=client)
    assert sb.request_count - before == 3  # 25 unique ids: 10 + 10 + 5
    assert set(trend["entity_id"]) <= set(ids)
    keys = list(zip(trend["entity_id"], trend["date"], strict=True))
    assert keys == sorted(keys) and len(keys) == len(set(keys))
    # The split load equals one request per id, concatenated.
    singles = pd.concat(
        [ap.load_campaign_trend([i], *window, level="ad", client=client) for i in ids[:4]]
    )
    part = trend[trend["entity_id"].isin(ids[:4])].reset_index(drop=True)
    pd.testing.assert_frame_equal(
        part,
        singles.sort_values(["entity_id", "date"]).reset_index(drop=True),
        check_categorical=False,
    )
    # And its spend adds up to the ads' spend in /campaigns (one cent of rounding per day).
    spend = trend.groupby("entity_id")["spend"].sum()
    expected = ads.set_index("campaign_id")["spend"].reindex(spend.index)
    assert ((spend - expected).abs() < 1e-6).all()


def test_model_comparison_is_each_model_side_by_side(
    sb: Any, client: ap.Client, window: Window
) -> None:
    before = sb.request_count
    both = ap.load_model_comparison(*window, level="campaign", client=client)
    assert sb.request_count - before == 7
    assert list(both["model"].cat.categories) == list(ap.MODELS)
    assert both["model"].cat.ordered
    assert list(both["model"].unique()) == list(ap.MODELS)
    for model in ("first_touch", "split_50_50"):
        single = ap.load_campaigns(*window, model=model, level="campaign", limit=100, client=client)
        block = both[both["model"] == model].drop(columns="model").reset_index(drop=True)
        pd.testing.assert_frame_equal(block, single, check_categorical=False)
    # Spend does not depend on the model.
    spend = both.groupby("model", observed=True)["spend"].sum()
    assert spend.max() - spend.min() < 0.01


@pytest.mark.parametrize("size", ["small", "large"])
def test_model_comparison_at_ad_level_with_a_cut(sb: Any, size: str, window: Window) -> None:
    # Each model ranks (and so cuts) different ads: the frames must still join and validate.
    profile = next(p for p in sb.profiles if p.size == size and "campaigns:read" in p.scopes)
    client = sb.client(api_key=profile.api_key, cache=False)
    cut = 5
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ap.TruncatedResultWarning)
        if size == "large":
            # The smallest cut at which the models rank different ads, found from the full
            # ranking, so the test exercises differing cuts whatever day the data ends.
            full = ap.load_model_comparison(*window, level="ad", limit=100, client=client)
            ranked = {m: list(g["campaign_id"]) for m, g in full.groupby("model", observed=True)}
            cut = next(
                k for k in range(3, 40) if len({frozenset(r[:k]) for r in ranked.values()}) > 1
            )
        both = ap.load_model_comparison(*window, level="ad", limit=cut, client=client)
    assert (both.groupby("model", observed=True).size() <= cut).all()
    # The platform's objective is an open set: text, whatever the platform sends.
    assert pd.api.types.is_string_dtype(both["objective"])
    assert set(both["objective"].dropna()) <= {
        "OUTCOME_SALES",
        "OUTCOME_LEADS",
        "OUTCOME_ENGAGEMENT",
        "OUTCOME_TRAFFIC",
        "OUTCOME_AWARENESS",
        "SEARCH",
    }
    ids = both.groupby("model", observed=True)["campaign_id"].apply(frozenset)
    if size == "large":
        assert ids.nunique() > 1, f"the models should disagree on the top {cut} ads"


def test_model_subset(client: ap.Client, window: Window) -> None:
    df = ap.load_model_comparison(*window, models=["linear", "last_touch"], client=client)
    assert list(df["model"].unique()) == ["linear", "last_touch"]
    with pytest.raises(ArgumentError, match="model"):
        ap.load_model_comparison(*window, models=["linear", "markov"], client=client)


def test_top_performers_and_reason_codes(client: ap.Client) -> None:
    top = ap.load_top_performers(window="28d", limit=20, client=client)
    assert 0 < len(top) <= 20
    assert len(top.columns) == 51
    assert top["composite_score"].is_monotonic_decreasing
    assert (top["score_window"] == "28d").all()
    codes = ap.reason_codes(top)
    assert len(codes) == sum(len(r) for r in top["reason_codes"])
    assert set(codes["ad_external_id"]) <= set(top["ad_external_id"])
    assert codes.attrs["atribu"]["endpoint"] == "/api/v1/top-performers"
    pd.testing.assert_frame_equal(top.atribu.reason_codes(), codes)
    # The old name loads nothing either: it says so and gives the same frame.
    with pytest.warns(DeprecationWarning, match=r"ap\.load_reason_codes\(top\) is deprecated"):
        pd.testing.assert_frame_equal(ap.load_reason_codes(top), codes)


def test_top_performer_filters_reach_the_server(sb: Any, client: ap.Client) -> None:
    top = ap.load_top_performers(
        window="lifetime",
        limit=50,
        truth_grades="attributed",
        has_video=False,
        min_spend=10,
        client=client,
    )
    assert sb.requests[-1].query == {
        "window": "lifetime",
        "limit": "50",
        "min_spend": "10",
        "truth_grades": "attributed",
        "has_video": "false",
    }
    assert (top["truth_grade"] == "attributed").all()
    assert (top["spend"] >= 10).all()
    assert top["video_id"].isna().all()


@pytest.mark.parametrize(
    ("call", "argument"),
    [
        (lambda c: ap.load_campaigns("2026-03-02", "2026-03-01", client=c), "date_from"),
        (lambda c: ap.load_campaigns("2024-01-01", "2026-03-01", client=c), "date_to"),
        (lambda c: ap.load_campaigns("2026/03/01", "2026-03-02", client=c), "date_from"),
        (lambda c: ap.load_campaigns("2026-03-01", "2026-03-02", model="x", client=c), "model"),
        (lambda c: ap.load_campaigns("2026-03-01", "2026-03-02", level="x", client=c), "level"),
        (lambda c: ap.load_campaigns("2026-03-01", "2026-03-02", limit=101, client=c), "limit"),
        (
            lambda c: ap.load_campaign_trend(["x"], "2026-03-01", "2026-03-02", client=c),
            "entity_ids",
        ),
        (lambda c: ap.load_top_performers(window="30d", client=c), "window"),
        (lambda c: ap.load_top_performers(limit=51, client=c), "limit"),
        (lambda c: ap.load_top_performers(objectives=["sale"], client=c), "objectives"),
        (lambda c: ap.load_top_performers(has_video="yes", client=c), "has_video"),
        (lambda c: ap.load_top_performers(truth_grades=["cash"], client=c), "truth_grades"),
        (lambda c: ap.load_top_performers(formats=["ugc_video", ""], client=c), "formats"),
        (lambda c: ap.load_top_performers(truth_grades="atributed", client=c), "truth_grades"),
    ],
)
def test_bad_arguments_fail_before_any_request(
    sb: Any, client: ap.Client, call: Any, argument: str
) -> None:
    before = sb.request_count
    with pytest.raises(ArgumentError) as info:
        call(client)
    assert info.value.argument == argument
    assert sb.request_count == before


def test_default_client_uses_the_sandbox_without_a_key(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any, window: Window
) -> None:
    from atribu_pandas.loaders import defaults as demo

    monkeypatch.delenv("ATRIBU_API_KEY", raising=False)
    monkeypatch.delenv("ATRIBU_BASE_URL", raising=False)
    monkeypatch.setenv("ATRIBU_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(demo, "_from_env", {})
    with pytest.warns(ap.DemoDataWarning, match="ATRIBU_API_KEY"):
        df = ap.load_campaigns(*window)
    assert df.attrs["atribu"]["demo"] is True
    assert ap.default_client() is ap.default_client()


def test_default_client_uses_the_environment_key(
    monkeypatch: pytest.MonkeyPatch, sb: Any, tmp_path: Any, window: Window
) -> None:
    from atribu_pandas.loaders import defaults as demo

    small = next(p for p in sb.profiles if p.size == "small" and "campaigns:read" in p.scopes)
    monkeypatch.setenv("ATRIBU_API_KEY", small.api_key)
    monkeypatch.setenv("ATRIBU_BASE_URL", sb.url)
    monkeypatch.setenv("ATRIBU_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(demo, "_from_env", {})
    df = ap.load_campaigns(*window)
    assert df.attrs["atribu"]["meta"]["profile_id"] == small.profile_id


def test_a_window_in_the_future_says_why_it_is_empty(sb: Any, client: ap.Client) -> None:
    start = sb.last_day + dt.timedelta(days=30)
    with pytest.warns(ap.EmptyResultWarning, match="starts after the last complete day") as w:
        df = ap.load_campaigns(start, start + dt.timedelta(days=6), client=client)
    assert df.empty and sb.last_day.isoformat() in str(w[0].message)


def test_a_window_before_the_history_says_why_it_is_empty(sb: Any, client: ap.Client) -> None:
    end = sb.first_day - dt.timedelta(days=10)
    with pytest.warns(ap.EmptyResultWarning, match="before the account's history"):
        both = ap.load_model_comparison(
            end - dt.timedelta(days=6), end, models=["linear"], client=client
        )
    assert both.empty


def test_one_meaning_of_the_last_complete_day(sb: Any, client: ap.Client) -> None:
    # The default report window ends on the day the loaders call complete, which is the
    # sandbox's last day: no report sentence can say "the last day is not over yet".
    from atribu_pandas.core.dates import last_complete_day, resolve_window
    from atribu_pandas.frames.quality import window_flags

    start, end = resolve_window()
    assert end == last_complete_day().isoformat() == sb.last_day.isoformat()
    assert window_flags(start, end) == {"restating": True, "partial_day": False}
    df = ap.load_campaigns(start, end, client=client)
    assert df.attrs["atribu"]["quality"]["partial_day"] is False


def test_every_column_a_loader_adds_is_declared_in_the_schemas(
    sb: Any, client: ap.Client, window: tuple[Any, Any]
) -> None:
    from atribu_pandas.frames.schemas import schema_for

    added_schema = schema_for("AddedColumns")
    frames = {
        "Campaigns": ap.load_campaigns(*window, client=client),
        "CampaignDetails": ap.load_campaigns(*window, level="ad", client=client),
        "periods": ap.load_campaign_periods(*window, client=client),
        "workspace": sb.workspace().load_campaigns(*window),
        "workspace top": sb.workspace().load_top_performers(),
    }
    api = {
        "periods": "CampaignDetails",
        "workspace": "Campaigns",
        "workspace top": "TopPerformers",
    }
    seen: set[str] = set()
    for name, frame in frames.items():
        declared = schema_for(api.get(name, name)).columns
        added = [c for c in frame.columns if c not in declared]
        # What the data dictionary lists, with the dtype it lists.
        assert set(added) <= set(added_schema.columns), (name, added)
        added_schema.select_columns(added).validate(frame[added])
        seen |= set(added)
    # And nothing is declared that no loader adds.
    assert seen == set(added_schema.columns)


def test_every_loader_asks_for_the_most_rows_by_default(client: ap.Client, window: Window) -> None:
    # One default for `limit`: the most each endpoint gives (100 and 50), not the API's 10.
    ads = ap.load_campaigns(*window, level="ad", client=client)
    assert len(ads) > 10
    assert ads["campaign_id"].tolist() == (
        ap.load_campaigns(*window, level="ad", limit=100, client=client)["campaign_id"].tolist()
    )
    top = ap.load_top_performers(window="lifetime", client=client)
    assert len(top) > 10
    assert len(top) == len(ap.load_top_performers(window="lifetime", limit=50, client=client))
