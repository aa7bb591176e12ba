"""Coherence of the sandbox's synthetic profiles and of the queries that serve them.

Every expected figure is recomputed here from another table (``daily``, the
touchpoints, the entities) or is an invariant of the contract; none is copied from
the code under test. Profiles are built once per module with a fixed ``today``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
import pytest

from atribu_pandas.core.vocabulary import LEVELS, MODELS
from atribu_pandas.exceptions import ArgumentError
from atribu_pandas.sandbox.dataset import build_profiles
from atribu_pandas.sandbox.queries import ProfileData

TODAY = dt.date(2025, 6, 1)
LAST = TODAY - dt.timedelta(days=1)
MONTH = (LAST - dt.timedelta(days=29), LAST)
EVERYTHING = (TODAY - dt.timedelta(days=400), LAST)
NO_LIMIT = 10_000
PARENT = {"ad": "ad_set", "ad_set": "campaign"}


@pytest.fixture(scope="module")
def built() -> list[ProfileData]:
    return build_profiles(seed=0, today=TODAY)


@pytest.fixture(scope="module", params=["small", "large"])
def data(request: pytest.FixtureRequest, built: list[ProfileData]) -> ProfileData:
    return built[0] if request.param == "small" else built[1]


def _rows(data: ProfileData, level: str, model: str = "last_touch", window: Any = MONTH) -> Any:
    return data.campaigns(window[0], window[1], model, level, NO_LIMIT)


def _by_id(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["campaign_id"]: r for r in rows}


def _in_window(daily: pd.DataFrame, first: dt.date, last: dt.date) -> pd.DataFrame:
    dates = daily["date"]
    return daily[(dates >= pd.Timestamp(first)) & (dates <= pd.Timestamp(last))]


# -- determinism and keys -------------------------------------------------------------------


def test_same_seed_gives_identical_data(built: list[ProfileData]) -> None:
    again = build_profiles(seed=0, today=TODAY)
    for one, two in zip(built, again, strict=True):
        assert one.profile == two.profile
        pd.testing.assert_frame_equal(one.entities, two.entities, check_exact=True)
        pd.testing.assert_frame_equal(one.daily, two.daily, check_exact=True)
        pd.testing.assert_frame_equal(
            one.journeys.touchpoints, two.journeys.touchpoints, check_exact=True
        )
        assert json.dumps(_rows(one, "ad", "time_decay")) == json.dumps(
            _rows(two, "ad", "time_decay")
        )


def test_another_seed_gives_other_data(built: list[ProfileData]) -> None:
    other = build_profiles(seed=1, today=TODAY)
    for one, two in zip(built[:2], other[:2], strict=True):
        assert one.profile.api_key != two.profile.api_key
        assert one.profile.profile_id != two.profile.profile_id
        assert one.daily["spend"].sum() != two.daily["spend"].sum()


def test_keys_profiles_and_the_key_without_scope(built: list[ProfileData]) -> None:
    small, large, no_scope = built
    keys = [p.profile.api_key for p in built]
    assert len(set(keys)) == 3
    assert all(re.fullmatch(r"atb_test_[0-9a-f]{32}", k) for k in keys)
    for p in (small, large):
        assert p.profile.scopes == ("campaigns:read",)
        assert uuid.UUID(p.profile.profile_id).version == 4
        assert p.profile.currency == "USD"
    assert (small.profile.size, large.profile.size) == ("small", "large")
    assert "campaigns:read" not in no_scope.profile.scopes
    assert no_scope.profile.profile_id == small.profile.profile_id
    assert no_scope.daily is small.daily


def test_negative_seed_is_refused() -> None:
    with pytest.raises(ArgumentError):
        build_profiles(seed=-1, today=TODAY)


def test_history_is_400_days_ending_yesterday(data: ProfileData) -> None:
    assert data.last_day == LAST
    assert data.first_day == TODAY - dt.timedelta(days=400)
    assert data.daily["date"].min() >= pd.Timestamp(data.first_day)
    assert data.daily["date"].max() == pd.Timestamp(LAST)


# -- scale and structure --------------------------------------------------------------------


@pytest.mark.parametrize(("size", "target"), [("small", 500.0), ("large", 30_000.0)])
def test_monthly_spend_is_near_the_target(
    built: list[ProfileData], size: str, target: float
) -> None:
    # Budgets are scaled on the last 91 days, then rounded to $1 (small) or $5 (large): on the
    # clinic's $2-$8 budgets that rounding alone moves spend by up to about 20%. A single month
    # also swings with launches and pauses, hence the wider band for the last 30 days.
    data = built[0] if size == "small" else built[1]
    quarter = _in_window(data.daily, LAST - dt.timedelta(days=90), LAST)["spend"].sum()
    month = _in_window(data.daily, *MONTH)["spend"].sum()
    assert 0.75 * target <= quarter / 91 * 365.25 / 12 <= 1.3 * target
    assert 0.5 * target <= month <= 2.0 * target


def test_entity_counts(built: list[ProfileData]) -> None:
    small, large = built[0].entities, built[1].entities
    small_counts = small["level"].value_counts()
    large_counts = large["level"].value_counts()
    assert 2 <= small_counts["campaign"] <= 6 and small_counts["ad"] <= 25
    assert 8 <= large_counts["campaign"] <= 12
    assert 25 <= large_counts["ad_set"] <= 40
    assert 60 <= large_counts["ad"] <= 120


def test_entities_link_up_and_statuses_roll_up(data: ProfileData) -> None:
    e = data.entities.set_index("entity_id")
    assert e.index.is_unique
    ads, sets, campaigns = (e[e["level"] == lv] for lv in ("ad", "ad_set", "campaign"))
    assert campaigns["parent_id"].isna().all() and campaigns["ad_set_id"].isna().all()
    assert (sets["parent_id"] == sets["campaign_id"]).all()
    assert (ads["parent_id"] == ads["ad_set_id"]).all()
    assert (ads["campaign_id"] == sets.loc[ads["ad_set_id"], "campaign_id"].to_numpy()).all()
    assert set(e["objective"]) <= {"messaging", "sales", "leads", "traffic", "awareness"}
    any_active = (ads["status"] == "active").groupby(ads["ad_set_id"]).any()
    assert ((sets["status"] == "active") == any_active.reindex(sets.index)).all()
    set_active = (sets["status"] == "active").groupby(sets["campaign_id"]).any()
    assert ((campaigns["status"] == "active") == set_active.reindex(campaigns.index)).all()
    # A budget sits either on the campaign or on each of its ad sets, never on ads.
    assert ads["daily_budget"].isna().all()
    for cid, row in campaigns.iterrows():
        own = not np.isnan(row["daily_budget"])
        children = sets.loc[sets["campaign_id"] == cid, "daily_budget"]
        assert children.isna().all() if own else children.notna().all()


def test_creative_dna_of_ads(data: ProfileData) -> None:
    ads = data.entities[data.entities["level"] == "ad"]
    # The reference page's formats, and its way of naming audience warmth.
    assert set(ads["creative_format"]) <= {"ugc_video", "talking_head", "static", "carousel"}
    assert set(ads["placement"]) <= {"feed", "stories", "reels", "search"}
    assert set(ads["audience_warmth"]) <= {"prospecting", "engaged", "retargeting"}
    assert set(ads["channel"]) <= {"meta", "google"}
    video = ads["creative_format"].isin(["ugc_video", "talking_head"])
    assert (ads["has_video"].astype(bool) == video).all()
    assert (ads["video_id"].notna() == video).all()
    assert ads[["hook_type", "cta_type", "primary_angle", "geo"]].notna().all().all()
    assert all(isinstance(o, list) for o in ads["offers"])
    assert ads["creative_thumbnail_url"].str.startswith("https://").all()
    paused = ads["status"] == "paused"
    assert ads.loc[paused, "paused_on"].notna().all()
    assert ads.loc[~paused, "paused_on"].isna().all()
    # Platform ad ids: digits (18 for Meta, 12 for Google), unique, never the UUID.
    external = ads["external_id"]
    assert external.str.fullmatch(r"\d+").all() and external.is_unique
    lengths = external.str.len().where(ads["channel"] == "meta", -external.str.len())
    assert set(lengths) <= {18, -12}
    assert not set(external) & set(ads["entity_id"])
    # /campaigns shows status and objective as the platform sends them.
    meta, google = ads[ads["channel"] == "meta"], ads[ads["channel"] == "google"]
    assert set(meta["platform_status"]) <= {"ACTIVE", "PAUSED"}
    assert set(google["platform_status"]) <= {"ENABLED", "PAUSED"}
    assert (ads["platform_status"] == "PAUSED").equals(paused)
    assert meta["platform_objective"].str.startswith("OUTCOME_").all()
    assert (google["platform_objective"] == "SEARCH").all()


# -- daily delivery --------------------------------------------------------------------------


def test_daily_rows_are_coherent(data: ProfileData) -> None:
    d = data.daily
    for column in ("impressions", "reach", "clicks", "meta_reported_conversions"):
        assert d[column].dtype.kind == "i"
    assert (d["spend"] > 0).all()
    assert np.allclose(d["spend"] * 100, np.round(d["spend"] * 100), atol=1e-6)
    assert (d["reach"] <= d["impressions"]).all() and (d["reach"] >= 1).all()
    assert (d["clicks"] <= d["impressions"]).all()
    assert d["engagement_score"].between(0, 1).all()
    keys = list(zip(d["ad_id"], d["date"], strict=True))
    assert keys == sorted(keys) and len(set(keys)) == len(keys)


def test_delivery_only_between_launch_and_pause(data: ProfileData) -> None:
    ads = data.entities[data.entities["level"] == "ad"].set_index("entity_id")
    d = data.daily
    launched = pd.to_datetime(ads.loc[d["ad_id"], "launched_on"]).to_numpy()
    paused = pd.to_datetime(ads.loc[d["ad_id"], "paused_on"]).to_numpy()
    dates = d["date"].to_numpy()
    assert (dates >= launched).all()
    stopped = ~pd.isna(paused)
    assert (dates[stopped] < paused[stopped]).all()
    # Ads start and stop on different days, and every active ad delivered last week.
    assert ads["launched_on"].nunique() > 1
    recent = set(_in_window(d, LAST - dt.timedelta(days=6), LAST)["ad_id"])
    assert set(ads.index[ads["status"] == "active"]) <= recent


def test_weekends_spend_less_and_creative_fatigues(built: list[ProfileData]) -> None:
    large = built[1]
    d = large.daily
    per_day = d.groupby("date")["spend"].sum()
    weekday = per_day.index.day_of_week
    assert per_day[weekday <= 3].mean() > 1.05 * per_day[weekday >= 5].mean()
    # CTR pooled over the meta ads' first two weeks against their days 60 and later.
    ads = large.entities[large.entities["level"] == "ad"].set_index("entity_id")
    meta = d[d["ad_id"].map(ads["channel"]) == "meta"]
    age = (meta["date"] - pd.to_datetime(meta["ad_id"].map(ads["launched_on"]))).dt.days
    young, old = meta[age < 14], meta[age >= 60]
    ctr_young = young["clicks"].sum() / young["impressions"].sum()
    ctr_old = old["clicks"].sum() / old["impressions"].sum()
    assert ctr_old < 0.9 * ctr_young


# -- journeys and credit ---------------------------------------------------------------------


def test_credit_per_conversion_sums_to_one_under_every_model(data: ProfileData) -> None:
    tp = data.journeys.touchpoints
    assert set(tp["touch_kind"]) == {
        "ad_click",
        "ad_view",
        "direct",
        "organic_search",
        "email",
        "referral",
    }
    for model in MODELS:
        totals = tp.groupby("conversion_id")[f"credit_{model}"].sum()
        assert len(totals) == len(data.journeys.conversions)
        assert np.allclose(totals, 1.0)


def test_touches_precede_outcomes_and_paid_touches_hit_delivery_days(data: ProfileData) -> None:
    tp = data.journeys.touchpoints
    assert (tp["touched_at"] <= tp["converted_at"]).all()
    assert (tp["converted_at"] < pd.Timestamp(TODAY)).all()
    paid = tp[tp["ad_index"] >= 0]
    assert paid["touch_kind"].isin(["ad_click", "ad_view"]).all()
    ad_ids = np.array(data.entities.loc[data.entities["level"] == "ad", "entity_id"])
    touched = set(zip(ad_ids[paid["ad_index"]], paid["touched_at"].dt.normalize(), strict=True))
    delivered = set(zip(data.daily["ad_id"], data.daily["date"], strict=True))
    assert touched <= delivered


def test_cash_credit_is_conserved_between_ads_and_other_touches(data: ProfileData) -> None:
    tp = data.journeys.touchpoints
    cash = data.journeys.conversions["outcome_kind"] == "cash_payment"
    n_cash = int(cash.sum())
    value = data.journeys.conversions["value"]
    cash_tp = tp[tp["outcome_kind"] == "cash_payment"]
    other = cash_tp[cash_tp["ad_index"] < 0]
    other_value = value.to_numpy()[other["conversion_id"]]
    n_ads = int((data.entities["level"] == "ad").sum())
    for model in MODELS:
        rows = _rows(data, "ad", model, EVERYTHING)
        ads_count = sum(r["outcome_count"] for r in rows)
        ads_value = sum(r["outcome_value"] for r in rows)
        assert ads_count + other[f"credit_{model}"].sum() == pytest.approx(n_cash, abs=n_ads * 5e-5)
        total_value = value[cash].sum()
        assert ads_value + (other[f"credit_{model}"] * other_value).sum() == pytest.approx(
            total_value, abs=n_ads * 0.005
        )


def test_last_touch_outcomes_match_a_recount_from_touchpoints(data: ProfileData) -> None:
    # The last touch by time (ties: the later row) of each cash payment, recounted with pandas.
    tp = data.journeys.touchpoints
    cash = tp[tp["outcome_kind"] == "cash_payment"].reset_index(names="row")
    last = cash.sort_values(["conversion_id", "touched_at", "row"]).groupby("conversion_id").tail(1)
    last = last[last["ad_index"] >= 0]
    ad_ids = np.array(data.entities.loc[data.entities["level"] == "ad", "entity_id"])
    counted = pd.Series(ad_ids[last["ad_index"]]).value_counts()
    rows = _by_id(_rows(data, "ad", "last_touch", EVERYTHING))
    got = pd.Series({k: r["outcome_count"] for k, r in rows.items() if r["outcome_count"]})
    pd.testing.assert_series_equal(
        got.sort_index(), counted.sort_index().astype(float), check_names=False
    )


def test_meta_reported_conversions_are_a_separate_count(data: ProfileData) -> None:
    d = data.daily
    assert d["meta_reported_conversions"].sum() > 0
    truth = d["cash_outcomes"] + d["pipeline_outcomes"] + d["conversations_started"]
    assert not np.array_equal(d["meta_reported_conversions"].to_numpy(), truth.to_numpy())


def test_roas_is_plausible_over_the_year(data: ProfileData) -> None:
    year = (LAST - dt.timedelta(days=364), LAST)
    rows = data.campaigns(year[0], year[1], "linear", None, NO_LIMIT)
    spend = sum(r["spend"] for r in rows)
    value = sum(r["outcome_value"] for r in rows)
    assert 0.5 <= value / spend <= 6


# -- /campaigns ------------------------------------------------------------------------------


@pytest.mark.parametrize("model", MODELS)
def test_parents_are_sums_of_children(data: ProfileData, model: str) -> None:
    e = data.entities.set_index("entity_id")
    for child, parent in PARENT.items():
        children = _rows(data, child, model)
        parents = _by_id(_rows(data, parent, model))
        sums: dict[str, dict[str, float]] = {}
        for r in children:
            into = sums.setdefault(e.loc[r["campaign_id"], "parent_id"], {})
            for field in ("spend", "clicks", "impressions", "outcome_count", "outcome_value"):
                into[field] = into.get(field, 0) + r[field]
        assert set(sums) == set(parents)
        for pid, expected in sums.items():
            for field, total in expected.items():
                assert parents[pid][field] == pytest.approx(total, abs=1e-6), (pid, field)


def test_base_rows_are_the_campaign_level_figures(data: ProfileData) -> None:
    base = data.campaigns(MONTH[0], MONTH[1], "linear", None, NO_LIMIT)
    full = data.campaigns(MONTH[0], MONTH[1], "linear", "campaign", NO_LIMIT)
    fields = ["campaign_id", "campaign_name", "spend", "outcome_count", "outcome_value", "roas"]
    assert all(list(r) == fields for r in base)
    assert base == [{k: r[k] for k in fields} for r in full]


def test_ad_spend_equals_the_daily_table(data: ProfileData) -> None:
    expected = _in_window(data.daily, *MONTH).groupby("ad_id")["spend"].sum().round(2)
    got = {k: r["spend"] for k, r in _by_id(_rows(data, "ad")).items() if r["spend"] > 0}
    assert got == expected.to_dict()


def test_campaigns_spend_equals_trend_spend(data: ProfileData) -> None:
    window = (LAST - dt.timedelta(days=44), LAST - dt.timedelta(days=3))
    for level in LEVELS:
        rows = _rows(data, level, window=window)
        ids = [r["campaign_id"] for r in rows]
        trend: list[dict[str, Any]] = []
        for start in range(0, len(ids), 10):
            trend += data.trend(ids[start : start + 10], window[0], window[1], level)
        frame = pd.DataFrame(trend)
        sums = frame.groupby("entity_id")[["spend", "impressions", "clicks"]].sum()
        for r in rows:
            if r["spend"] == 0:
                assert r["campaign_id"] not in sums.index
                continue
            assert round(sums.loc[r["campaign_id"], "spend"], 2) == r["spend"]
            assert sums.loc[r["campaign_id"], "impressions"] == r["impressions"]
            assert sums.loc[r["campaign_id"], "clicks"] == r["clicks"]


def test_reach_is_bounded(data: ProfileData) -> None:
    e = data.entities.set_index("entity_id")
    for child, parent in PARENT.items():
        children = _rows(data, child)
        parents = _by_id(_rows(data, parent))
        for r in children + list(parents.values()):
            assert 0 <= r["reach"] <= r["impressions"]
        grouped: dict[str, list[int]] = {}
        for r in children:
            grouped.setdefault(e.loc[r["campaign_id"], "parent_id"], []).append(r["reach"])
        for pid, reaches in grouped.items():
            assert max(reaches) <= parents[pid]["reach"] <= sum(reaches)
    # An ad's reach over the month is at most the sum of its days' reach.
    daily_reach = _in_window(data.daily, *MONTH).groupby("ad_id")["reach"].sum()
    for r in _rows(data, "ad"):
        assert r["reach"] <= daily_reach.get(r["campaign_id"], 0)


def test_ranking_limit_and_membership(data: ProfileData) -> None:
    for level in LEVELS:
        rows = data.campaigns(MONTH[0], MONTH[1], "position_based", level, NO_LIMIT)
        keys = [(-r["outcome_value"], -r["spend"], r["campaign_id"]) for r in rows]
        assert keys == sorted(keys)
        assert data.campaigns(MONTH[0], MONTH[1], "position_based", level, 3) == rows[:3]
        assert all(r["spend"] > 0 or r["outcome_count"] > 0 for r in rows)
        assert all(r["entity_level"] == level for r in rows)
    spent = set(_in_window(data.daily, *MONTH)["ad_id"])
    assert spent <= {r["campaign_id"] for r in _rows(data, "ad")}


def test_nulls_and_ratios_follow_the_formulas(data: ProfileData) -> None:
    for level in LEVELS:
        for r in _rows(data, level, "split_50_50"):
            assert (r["roas"] is None) == (r["spend"] == 0)
            assert (r["cac"] is None) == (r["outcome_count"] == 0)
            assert (r["ctr"] is None) == (r["impressions"] == 0)
            assert (r["avg_cpc"] is None) == (r["clicks"] == 0)
            if r["spend"]:
                assert r["roas"] == round(r["outcome_value"] / r["spend"], 4)
            if r["impressions"]:
                assert r["ctr"] == round(r["clicks"] / r["impressions"] * 100, 4)
                assert r["avg_cpm"] == round(r["spend"] / r["impressions"] * 1000, 2)
            assert r["spend"] == round(r["spend"], 2)
            assert r["outcome_value"] == round(r["outcome_value"], 2)
            assert r["parent_name"] is None if level == "campaign" else r["parent_name"]


def test_credit_after_a_pause_has_null_roas(built: list[ProfileData]) -> None:
    # Payments keep arriving after an ad stops: such a row has credit, no spend, null roas.
    large = built[1]
    ads = large.entities[(large.entities["level"] == "ad") & large.entities["paused_on"].notna()]
    found = 0
    for paused_on in ads["paused_on"]:
        window = (paused_on, min(paused_on + dt.timedelta(days=20), LAST))
        for r in large.campaigns(window[0], window[1], "last_touch", "ad", NO_LIMIT):
            if r["spend"] == 0:
                assert r["outcome_count"] > 0 and r["roas"] is None
                found += 1
    assert found > 0


def test_windows_outside_history_and_unknown_ids_give_nothing(data: ProfileData) -> None:
    before = (dt.date(2020, 1, 1), dt.date(2020, 12, 31))
    assert data.campaigns(before[0], before[1], "linear", "ad", 10) == []
    assert data.trend(["not-an-id"], MONTH[0], MONTH[1], "campaign") == []
    ad = data.daily["ad_id"].iloc[0]
    assert data.trend([ad], MONTH[0], MONTH[1], "campaign") == []  # an ad id at campaign level


def test_trend_rows_are_sorted_delivery_days(data: ProfileData) -> None:
    campaigns = data.entities.loc[data.entities["level"] == "campaign", "entity_id"].tolist()
    rows = data.trend(campaigns[::-1] + campaigns[:1], MONTH[0], MONTH[1], "campaign")
    keys = [(r["entity_id"], r["date"]) for r in rows]
    assert keys == sorted(set(keys))
    assert all(r["spend"] > 0 and MONTH[0].isoformat() <= r["date"] <= LAST.isoformat()
               for r in rows)  # fmt: skip


def test_bad_model_or_level_is_refused(data: ProfileData) -> None:
    with pytest.raises(ArgumentError):
        data.campaigns(MONTH[0], MONTH[1], "u_shaped", None, 10)
    with pytest.raises(ArgumentError):
        data.trend([], MONTH[0], MONTH[1], "creative")


# -- /top-performers -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def top(built: list[ProfileData]) -> Iterator[list[dict[str, Any]]]:
    yield built[1].top_performers("28d", 50, None, None, None, None, None, None)


def test_top_performers_spend_equals_the_daily_sum(
    built: list[ProfileData], top: list[dict[str, Any]]
) -> None:
    window = _in_window(built[1].daily, LAST - dt.timedelta(days=27), LAST)
    expected = window.groupby("ad_id")["spend"].sum()
    ads = built[1].entities[built[1].entities["level"] == "ad"]
    uuid_of = dict(zip(ads["external_id"], ads["entity_id"], strict=True))
    assert top
    for r in top:
        assert r["spend"] == pytest.approx(expected[uuid_of[r["ad_external_id"]]], abs=0.005)


def test_top_performers_rows_are_ranked_json_and_complete(top: list[dict[str, Any]]) -> None:
    assert all(len(r) == 51 for r in top)
    scores = [r["composite_score"] for r in top]
    assert scores == sorted(scores, reverse=True)
    json.dumps(top, allow_nan=False)


def test_top_performers_filters_and_limit(built: list[ProfileData]) -> None:
    large = built[1]
    ads = large.entities[large.entities["level"] == "ad"].set_index("external_id")
    everything = large.top_performers("lifetime", NO_LIMIT, None, None, None, None, None, None)
    assert len(large.top_performers("lifetime", 4, None, None, None, None, None, None)) == 4
    rows = large.top_performers(
        "lifetime", NO_LIMIT, 100.0, ["sales", "leads"], None, None, None, None
    )
    assert rows and all(r["spend"] >= 100 for r in rows)
    assert all(ads.loc[r["ad_external_id"], "objective"] in ("sales", "leads") for r in rows)
    assert rows == [
        r
        for r in everything
        if r["spend"] >= 100 and ads.loc[r["ad_external_id"], "objective"] in ("sales", "leads")
    ]
    videos = large.top_performers("lifetime", 50, None, None, None, None, None, True)
    assert videos and all(r["video_id"] is not None for r in videos)
    reels = large.top_performers("lifetime", 50, None, None, None, None, ["ugc_video"], None)
    assert reels and all(r["creative_format"] == "ugc_video" for r in reels)
    assert large.top_performers("lifetime", 50, None, None, None, None, ["gif"], None) == []
    grade = everything[0]["truth_grade"]
    graded = large.top_performers("lifetime", 50, None, None, [grade], None, None, None)
    assert graded and all(r["truth_grade"] == grade for r in graded)
    kind = everything[0]["primary_outcome_kind"]
    kinds = large.top_performers("lifetime", 50, None, None, None, [kind], None, None)
    assert kinds and all(r["primary_outcome_kind"] == kind for r in kinds)


def test_outcomes_grow_with_clicks(built: list[ProfileData]) -> None:
    # Ads with more clicks start more journeys: rank correlation of clicks and ad-click touches,
    # over the ads whose visitors Atribu's pixel sees (the others start none).
    large = built[1]
    ad_ids = np.array(large.entities.loc[large.entities["level"] == "ad", "entity_id"])
    tp = large.journeys.touchpoints
    first = tp[tp["touch_kind"] == "ad_click"].drop_duplicates(["conversion_id", "ad_index"])
    touches = pd.Series(ad_ids[first["ad_index"]]).value_counts()
    clicks = large.daily.groupby("ad_id")["clicks"].sum()
    joined = pd.concat([clicks, touches.rename("touches")], axis=1).fillna(0)
    unseen = ad_ids[~large.pixel]
    assert len(unseen) and (joined.loc[unseen, "touches"] == 0).all()
    joined = joined.drop(unseen)
    assert joined["clicks"].corr(joined["touches"], method="spearman") > 0.6


# Thirty anchor days spread over two years: every weekday, every month, both year ends.
ANCHORS = [dt.date(2025, 1, 1) + dt.timedelta(days=25 * i) for i in range(30)]
# A calibrated ad needs 100,000 impressions and $1,000 of spend inside the window: no ad
# reaches that in seven days, so the 7d window guarantees every stage but that one.
_STAGES_BY_WINDOW = {
    "7d": {"cold", "early", "mature"},
    "14d": {"cold", "early", "mature", "calibrated"},
    "28d": {"cold", "early", "mature", "calibrated"},
    "lifetime": {"cold", "early", "mature", "calibrated"},
}


@pytest.mark.parametrize("today", ANCHORS, ids=str)
def test_every_documented_value_appears_on_any_day(today: dt.date) -> None:
    # The large profile holds every grade, headline kind and score source of the reference
    # page in every window, so a filter test never depends on the day it runs.
    from atribu_pandas.core import vocabulary as v

    large = build_profiles(seed=0, today=today)[1]
    for window in v.WINDOWS:
        rows = large.top_performers(window, NO_LIMIT, None, None, None, None, None, None)
        keys = ("truth_grade", "primary_outcome_kind", "score_source", "maturity_stage")
        seen = {k: {r[k] for r in rows} for k in (*keys, "cohort_objective")}
        assert seen["truth_grade"] == set(v.TRUTH_GRADES), window
        assert seen["primary_outcome_kind"] == set(v.OUTCOME_KINDS), window
        assert seen["score_source"] == set(v.SCORE_SOURCES), window
        assert seen["maturity_stage"] >= _STAGES_BY_WINDOW[window], window
        assert seen["cohort_objective"] == set(v.OBJECTIVES), window
