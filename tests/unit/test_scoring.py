"""Unit tests of the sandbox's top-performer scoring, on small hand-made frames."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from atribu_pandas.core.vocabulary import WINDOWS
from atribu_pandas.exceptions import ArgumentError
from atribu_pandas.sandbox.scoring import FIELDS, LAYER_WEIGHTS, score_ads
from atribu_pandas.sandbox.smoothing import (
    beta_binomial_posterior,
    gamma_poisson_posterior,
    percentile_within,
)

AS_OF = dt.date(2025, 3, 31)

_COUNTS = (
    "spend",
    "impressions",
    "clicks",
    "cash_outcomes",
    "cash_value",
    "pipeline_outcomes",
    "pipeline_value",
    "conversations_started",
    "first_replies",
    "meta_reported_conversions",
    "meta_reported_value",
)


def make_ads(n: int, **columns: Any) -> pd.DataFrame:
    """n ads in one cohort (meta|static|sales|prospecting|US|feed) unless a column differs."""
    base: dict[str, Any] = {
        "entity_id": [f"ad-{i}" for i in range(n)],
        "level": "ad",
        "name": [f"Ad {i}" for i in range(n)],
        "ad_name": [f"Ad {i}" for i in range(n)],
        "ad_set_name": "Set A",
        "campaign_name": "Campaign A",
        "status": "active",
        "objective": "sales",
        "channel": "meta",
        "creative_format": "static",
        "hook_type": "question",
        "cta_type": "book_now",
        "primary_angle": "price",
        "offers": [["free consult"] for _ in range(n)],
        "has_video": False,
        "video_id": None,
        "audience_warmth": "prospecting",
        "geo": "US",
        "placement": "feed",
        "creative_thumbnail_url": None,
        "launched_on": AS_OF - dt.timedelta(days=99),
        "paused_on": None,
    }
    base.update(columns)
    return pd.DataFrame(base)


def make_daily(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Daily rows; `days_ago` 0 is AS_OF; missing counts are 0."""
    out = []
    for row in rows:
        full: dict[str, Any] = dict.fromkeys(_COUNTS, 0.0)
        full["engagement_score"] = 0.5
        full.update(row)
        full["date"] = pd.Timestamp(AS_OF - dt.timedelta(days=full.pop("days_ago", 0)))
        out.append(full)
    return pd.DataFrame(out)


def by_id(frame: pd.DataFrame) -> dict[str, pd.Series]:
    return {row["ad_external_id"]: row for _, row in frame.iterrows()}


def layer_code(row: pd.Series, layer: str) -> dict[str, Any] | None:
    found = [c for c in row["reason_codes"] if c["layer"] == layer]
    assert len(found) <= 1
    return found[0] if found else None


# ---------------------------------------------------------------------------- smoothing


def test_beta_binomial_posterior_matches_hand_computation() -> None:
    # 5 ads of 1000 impressions with 10..50 clicks.
    # m = 150/5000 = 0.03; rates .01 .. .05, weighted variance v = 1000*(4e-4+1e-4+0+1e-4+4e-4)
    # / 5000 = 2e-4; binomial noise = 0.03*0.97*5/5000 = 2.91e-5; tau2 = 1.709e-4 (inside the
    # clip [9e-6, 3.6e-3]); kappa = 0.0291/1.709e-4 - 1 = 169.275; alpha = 5.0783;
    # ad 5: 55.0783 / 1169.275 = 0.047105
    post = beta_binomial_posterior([10, 20, 30, 40, 50], [1000] * 5)
    kappa = 0.0291 / 1.709e-4 - 1.0
    alpha, beta = 0.03 * kappa, 0.97 * kappa
    assert post[4] == pytest.approx((50 + alpha) / (1000 + alpha + beta), rel=1e-9)
    assert post[4] == pytest.approx(0.047105, abs=1e-6)
    assert post[0] == pytest.approx((10 + alpha) / (1000 + alpha + beta), rel=1e-9)
    # shrinkage pulls every rate toward 0.03 without crossing it
    raw = np.array([0.01, 0.02, 0.03, 0.04, 0.05])
    assert np.all(np.abs(post - 0.03) <= np.abs(raw - 0.03) + 1e-15)


def test_beta_binomial_clip_when_no_spread() -> None:
    # Identical rates: tau2 would be negative, so it is clipped to (0.1 * 0.02)^2 = 4e-6;
    # kappa = 0.0196/4e-6 - 1 = 4899, alpha = 97.98: every unit (1 of 50 included) stays at 2%.
    post = beta_binomial_posterior([20, 20, 20, 1], [1000, 1000, 1000, 50])
    assert post[3] == pytest.approx((1 + 0.02 * 4899) / (50 + 4899), rel=1e-9)
    assert post[0] == pytest.approx((20 + 0.02 * 4899) / (1000 + 4899), rel=1e-9)
    # a 5-of-50 unit next to the same three: tau2 > 0 now, but it still shrinks below 10%
    spread = beta_binomial_posterior([20, 20, 20, 5], [1000, 1000, 1000, 50])
    assert 0.02 < spread[3] < 0.05


def test_beta_binomial_groups_have_their_own_priors() -> None:
    alone = beta_binomial_posterior([10, 20, 30, 40, 50], [1000] * 5)
    both = beta_binomial_posterior(
        [10, 20, 30, 40, 50, 500, 600], [1000] * 5 + [1000, 1000], ["a"] * 5 + ["b", "b"]
    )
    np.testing.assert_allclose(both[:5], alone, rtol=1e-12)


def test_beta_binomial_group_without_successes_is_zero() -> None:
    np.testing.assert_array_equal(beta_binomial_posterior([0, 0], [100, 0]), [0.0, 0.0])


def test_gamma_poisson_posterior_matches_hand_computation() -> None:
    # clicks 100, 200, 300 for $100 each: m = 2 per dollar; v = 100*(1+0+1)/300 = 2/3;
    # Poisson noise = 2*3/300 = 0.02; tau2 = 0.64667 (inside [0.04, 16]);
    # a = 4/0.64667 = 6.1856, b = 2/0.64667 = 3.0928
    post = gamma_poisson_posterior([100, 200, 300], [100.0, 100.0, 100.0])
    tau2 = 2.0 / 3.0 - 0.02
    a, b = 4.0 / tau2, 2.0 / tau2
    np.testing.assert_allclose(post, [(100 + a) / (100 + b), 2.0, (300 + a) / (100 + b)], rtol=1e-9)
    assert post[0] == pytest.approx(1.0300, abs=1e-4)  # 106.1856 / 103.0928


def test_gamma_poisson_no_exposure_gets_prior_mean() -> None:
    post = gamma_poisson_posterior([100, 200, 300, 0], [100.0, 100.0, 100.0, 0.0])
    assert post[3] == pytest.approx(2.0)


def test_percentile_within_groups_mid_rank() -> None:
    pct = percentile_within([5.0, 1.0, 3.0, 100.0, 0.5], ["a", "a", "a", "b", "b"])
    # group a: ranks 3,1,2 of 3 -> (r - .5)/3; group b: ranks 2,1 of 2
    np.testing.assert_allclose(pct, [250 / 3, 50 / 3, 50.0, 75.0, 25.0])
    assert percentile_within([7.0]).tolist() == [50.0]


# ---------------------------------------------------------------------------- layers


def _attention_cohort(clicks: list[int], impressions: list[int], **ads: Any) -> pd.DataFrame:
    n = len(clicks)
    daily = make_daily(
        [
            {"ad_id": f"ad-{i}", "impressions": imp, "clicks": c, "spend": imp / 100.0}
            for i, (c, imp) in enumerate(zip(clicks, impressions, strict=True))
        ]
    )
    return score_ads(make_ads(n, objective="awareness", **ads), daily, window="7d", as_of=AS_OF)


def test_small_sample_ad_is_not_top_on_attention() -> None:
    # Five ads with 100k impressions at 1%..3% CTR, one with 5 clicks of 50 impressions (10%).
    # Raw CTR would rank it first; smoothed, it stays below the 3% ad.
    out = by_id(_attention_cohort([1000, 1500, 2000, 2500, 3000, 5], [100_000] * 5 + [50]))
    top = layer_code(out["ad-4"], "attention")
    assert top is not None and top["percentile"] == pytest.approx(91.7, abs=0.05)
    small = layer_code(out["ad-5"], "attention")
    assert small is None or small["percentile"] < top["percentile"]


def test_small_sample_ad_at_cohort_rate_lands_mid_pack() -> None:
    # 1 click of 50 impressions: raw 2%, the cohort's middle; smoothed it stays mid-pack
    out = by_id(_attention_cohort([1000, 1500, 2000, 2500, 3000, 1], [100_000] * 5 + [50]))
    assert layer_code(out["ad-5"], "attention") is None  # neither strength nor weakness


def test_percentiles_are_within_cohort() -> None:
    # Two cohorts of 5 (geo US and geo CA); every CA ad has a lower CTR than every US ad,
    # yet the best of each cohort is its cohort's 90th percentile.
    clicks = [1000, 1100, 1200, 1300, 1400, 100, 110, 120, 130, 140]
    geo = ["US"] * 5 + ["CA"] * 5
    out = by_id(_attention_cohort(clicks, [100_000] * 10, geo=geo))
    for best, worst in (("ad-4", "ad-0"), ("ad-9", "ad-5")):
        strong = layer_code(out[best], "attention")
        weak = layer_code(out[worst], "attention")
        assert strong is not None and strong["polarity"] == "strength"
        assert strong["percentile"] == pytest.approx(90.0)
        assert strong["code"] == "attention_strength"
        assert strong["metric_value"] == pytest.approx(out[best]["ctr"])
        assert weak is not None and weak["polarity"] == "weakness"
        assert weak["percentile"] == pytest.approx(10.0)
    # 70th, 50th and 30th percentiles are neither strong nor weak
    for mid in ("ad-1", "ad-2", "ad-3", "ad-6", "ad-7", "ad-8"):
        assert layer_code(out[mid], "attention") is None
    assert out["ad-0"]["cohort_key"] == "meta|static|awareness|prospecting|US|feed"
    assert out["ad-5"]["cohort_n_ads"] == 5


def test_composite_is_the_weighted_blend_of_layer_percentiles() -> None:
    # Traffic ads with only clicks and spend: attention and click_intent are the only layers.
    # CTR ranks 1..5 while clicks per dollar ranks 5..1 (2, 1, .67, .5, .4 per $):
    # attention 10,30,50,70,90 and click_intent 90,70,50,30,10, weights .30/.45 ->
    # ad-0: (.3*10 + .45*90)/.75 = 58, ad-2: 50, ad-4: (.3*90 + .45*10)/.75 = 42.
    clicks = [1000, 1500, 2000, 2500, 3000]
    spend = [500.0, 1500.0, 3000.0, 5000.0, 7500.0]
    daily = make_daily(
        [
            {"ad_id": f"ad-{i}", "impressions": 100_000, "clicks": c, "spend": s}
            for i, (c, s) in enumerate(zip(clicks, spend, strict=True))
        ]
    )
    out = score_ads(make_ads(5, objective="traffic"), daily, window="7d", as_of=AS_OF)
    assert LAYER_WEIGHTS["traffic"]["attention"] == 0.30
    assert LAYER_WEIGHTS["traffic"]["click_intent"] == 0.45
    got = dict(zip(out["ad_external_id"], out["composite_score"], strict=True))
    assert got["ad-0"] == pytest.approx(58.0)
    assert got["ad-1"] == pytest.approx((0.3 * 30 + 0.45 * 70) / 0.75)
    assert got["ad-2"] == pytest.approx(50.0)
    assert got["ad-4"] == pytest.approx(42.0)
    assert list(out["ad_external_id"]) == ["ad-0", "ad-1", "ad-2", "ad-3", "ad-4"]


def _random_profile(seed: int, n_ads: int = 40, n_days: int = 60) -> tuple[pd.DataFrame, Any]:
    rng = np.random.default_rng(seed)
    ads = make_ads(
        n_ads,
        objective=rng.choice(["sales", "leads", "messaging", "traffic", "awareness"], n_ads),
        channel=rng.choice(["meta", "google"], n_ads),
        audience_warmth=rng.choice(["prospecting", "retargeting"], n_ads),
    )
    rows = []
    for i in range(n_ads):
        for d in range(int(rng.integers(1, n_days))):
            imp = int(rng.integers(0, 3000))
            clicks = int(rng.binomial(imp, rng.uniform(0.002, 0.04)))
            convs = int(rng.poisson(clicks * 0.05))
            rows.append(
                {
                    "ad_id": f"ad-{i}",
                    "days_ago": d,
                    "impressions": imp,
                    "clicks": clicks,
                    "spend": imp * rng.uniform(0.0, 0.02),
                    "cash_outcomes": float(rng.poisson(clicks * 0.01)),
                    "cash_value": float(rng.poisson(clicks * 0.01) * 120),
                    "pipeline_outcomes": float(rng.poisson(clicks * 0.02)),
                    "conversations_started": convs,
                    "first_replies": int(rng.binomial(convs, 0.5)),
                    "meta_reported_conversions": float(rng.poisson(clicks * 0.02)),
                }
            )
    return ads, make_daily(rows)


@pytest.mark.parametrize("window", WINDOWS)
def test_composite_bounds_sorting_and_likelihood_monotone(window: str) -> None:
    ads, daily = _random_profile(seed=7)
    out = score_ads(ads, daily, window=window, as_of=AS_OF)
    composite = out["composite_score"].to_numpy()
    likelihood = out["top_performer_likelihood"].to_numpy()
    assert len(out) > 0
    assert np.all((composite >= 0) & (composite <= 100))
    assert np.all((likelihood > 0) & (likelihood < 1))
    assert np.all(np.diff(composite) <= 0)  # sorted by composite desc
    # Within each score source the likelihood is monotone in the composite, strictly when
    # composites differ; settled ads (mature, calibrated) come from the model, version 3.
    source = out["score_source"].to_numpy()
    for name in ("rules", "model"):
        mine = np.flatnonzero(source == name)
        order = mine[np.argsort(composite[mine])]
        assert np.all(np.diff(likelihood[order]) >= 0)
        distinct = np.diff(composite[order]) > 1e-9
        assert np.all(np.diff(likelihood[order])[distinct] > 0)
    settled = out["maturity_stage"].isin(["mature", "calibrated"]).to_numpy()
    assert (source == np.where(settled, "model", "rules")).all()
    assert (out["model_version"].isna().to_numpy() == ~settled).all()
    assert set(out["model_version"].dropna()) <= {3}
    assert set(out["score_window"]) == {window}
    reply = out["first_reply_rate"].dropna()
    assert ((reply >= 0) & (reply <= 100)).all()  # a percent, like ctr
    for col in ("hazard_30d_pause", "hazard_30d_degradation"):
        assert out[col].between(0, 1).all()
    assert (out["forecast_outcomes_7d_low"] <= out["forecast_outcomes_7d"] + 1e-12).all()
    assert (out["forecast_outcomes_7d"] <= out["forecast_outcomes_7d_high"] + 1e-12).all()


def test_likelihood_is_half_at_the_documented_centre() -> None:
    # The documented logistics: rules 1/(1 + exp(-(c - 70)/8)), model 1/(1 + exp(-(c - 65)/6)).
    out = _attention_cohort([1000, 1500, 2000, 2500, 3000], [100_000] * 5)
    rows = zip(
        out["composite_score"], out["top_performer_likelihood"], out["score_source"], strict=True
    )
    for c, p, source in rows:
        centre, scale = (70.0, 8.0) if source == "rules" else (65.0, 6.0)
        assert p == pytest.approx(1.0 / (1.0 + math.exp(-(c - centre) / scale)))


# ---------------------------------------------------------------------------- stages and grades


def test_maturity_thresholds() -> None:
    # (impressions, spend, age in days) -> stage; age counts the launch day and as_of
    cases = [
        (999, 500.0, 60, "cold"),
        (5_000, 9.99, 60, "cold"),
        (5_000, 500.0, 2, "cold"),
        (1_000, 10.0, 3, "early"),
        (9_999, 500.0, 60, "early"),
        (50_000, 99.0, 60, "early"),
        (50_000, 500.0, 13, "early"),
        (10_000, 100.0, 14, "mature"),
        (99_999, 5_000.0, 60, "mature"),
        (200_000, 999.0, 60, "mature"),
        (200_000, 5_000.0, 27, "mature"),
        (100_000, 1_000.0, 28, "calibrated"),
    ]
    n = len(cases)
    ads = make_ads(n, launched_on=[AS_OF - dt.timedelta(days=age - 1) for _, _, age, _ in cases])
    daily = make_daily(
        [
            {"ad_id": f"ad-{i}", "impressions": imp, "spend": spend, "clicks": imp // 100}
            for i, (imp, spend, _, _) in enumerate(cases)
        ]
    )
    out = by_id(score_ads(ads, daily, window="lifetime", as_of=AS_OF))
    for i, (*_, stage) in enumerate(cases):
        assert out[f"ad-{i}"]["maturity_stage"] == stage, cases[i]


def test_truth_grade_and_outcome_kind() -> None:
    # The reference page's rules, worked by hand for each ad.
    specs = [
        ({"cash_outcomes": 1, "pipeline_outcomes": 2, "meta_reported_conversions": 9}, "sales"),
        ({"pipeline_outcomes": 2, "meta_reported_conversions": 90}, "leads"),
        ({"meta_reported_conversions": 5}, "messaging"),
        ({}, "traffic"),
        ({"pipeline_outcomes": 1}, "traffic"),
        ({"conversations_started": 3, "first_replies": 1}, "awareness"),
        ({"pipeline_outcomes": 4, "cash_outcomes": 1}, "leads"),
        ({}, "sales"),  # in a holdout experiment
    ]
    ads = make_ads(
        len(specs),
        objective=[o for _, o in specs],
        lift_study=[False] * (len(specs) - 1) + [True],
    )
    daily = make_daily(
        [
            {"ad_id": f"ad-{i}", "impressions": 1000, "clicks": 10, "spend": 10.0, **extra}
            for i, (extra, _) in enumerate(specs)
        ]
    )
    out = by_id(score_ads(ads, daily, window="7d", as_of=AS_OF))
    grades = [out[f"ad-{i}"]["truth_grade"] for i in range(len(specs))]
    # Any Atribu-attributed outcome (cash or pipeline) grades "attributed"; Meta's own count
    # never does; the holdout experiment's ad is "lift"; the rest "predicted".
    assert grades == [
        "attributed",
        "attributed",
        "predicted",
        "predicted",
        "attributed",
        "predicted",
        "attributed",
        "lift",
    ]
    kinds = [out[f"ad-{i}"]["primary_outcome_kind"] for i in range(len(specs))]
    # sales -> cash, lead-gen -> pipeline, only Meta-reported -> meta, nothing -> none;
    # traffic and awareness take the first they have: cash, pipeline, messaging, meta.
    assert kinds == [
        "cash",
        "pipeline",
        "meta",
        "none",
        "pipeline",
        "messaging",
        "pipeline",
        "none",
    ]


def test_money_fields_and_null_rules() -> None:
    rows = [
        # ad-0: everything present
        {
            "ad_id": "ad-0",
            "impressions": 2000,
            "clicks": 40,
            "spend": 80.0,
            "cash_outcomes": 2,
            "cash_value": 300.0,
            "pipeline_outcomes": 3,
            "pipeline_value": 900.0,
            "conversations_started": 8,
            "first_replies": 6,
            "meta_reported_conversions": 4,
            "meta_reported_value": 500.0,
            "engagement_score": 0.2,
        },
        {
            "ad_id": "ad-0",
            "days_ago": 1,
            "impressions": 6000,
            "clicks": 0,
            "spend": 0.0,
            "engagement_score": 0.6,
        },
        # ad-1: impressions only, no spend, no clicks, no outcomes, no conversations
        {"ad_id": "ad-1", "impressions": 500},
    ]
    out = by_id(score_ads(make_ads(2), make_daily(rows), window="7d", as_of=AS_OF))
    a, b = out["ad-0"], out["ad-1"]
    assert a["spend"] == 80.0 and a["impressions"] == 8000
    assert a["ctr"] == pytest.approx(0.5)  # 40 / 8000 * 100
    assert a["cpc"] == pytest.approx(2.0)
    assert a["roas"] == pytest.approx(3.75)
    assert a["cac"] == pytest.approx(40.0)
    assert a["attributed_cash_outcomes"] == 2 and a["attributed_revenue"] == 300.0
    assert a["attributed_outcomes_total"] == 5
    assert a["attributed_pipeline_outcomes"] == 3 and a["attributed_pipeline_value"] == 900.0
    assert a["meta_reported_conversions"] == 4 and a["meta_reported_conversion_value"] == 500.0
    assert a["cost_per_conversation"] == pytest.approx(10.0)
    assert a["messaging_conversations_started"] == 8
    assert a["first_reply_rate"] == pytest.approx(75.0)  # 6 of 8, in percent
    assert a["avg_engagement_score"] == pytest.approx((0.2 * 2000 + 0.6 * 6000) / 8000)
    assert a["offers"] == ["free consult"]
    assert b["ctr"] == 0.0
    for field in ("cpc", "roas", "cac", "cost_per_conversation", "first_reply_rate"):
        assert pd.isna(b[field]), field
    assert b["truth_grade"] == "predicted"


# ---------------------------------------------------------------------------- windows


def test_window_filtering_ignores_day_eight() -> None:
    ads = make_ads(2)
    rows = [
        {"ad_id": "ad-0", "days_ago": d, "impressions": 1000, "clicks": 10, "spend": 5.0}
        for d in range(7)
    ]
    day8 = {
        "ad_id": "ad-0",
        "days_ago": 7,
        "impressions": 9000,
        "clicks": 900,
        "spend": 400.0,
        "cash_outcomes": 3,
        "cash_value": 999.0,
    }
    other = {"ad_id": "ad-1", "days_ago": 7, "impressions": 1000, "clicks": 10, "spend": 5.0}
    future = {"ad_id": "ad-0", "days_ago": -1, "impressions": 1000, "clicks": 10, "spend": 50.0}
    base = score_ads(ads, make_daily(rows), window="7d", as_of=AS_OF)
    with_day8 = score_ads(ads, make_daily([*rows, day8, other, future]), window="7d", as_of=AS_OF)
    pd.testing.assert_frame_equal(base, with_day8)
    assert list(with_day8["ad_external_id"]) == ["ad-0"]
    assert with_day8.loc[0, "spend"] == 35.0
    assert with_day8.loc[0, "truth_grade"] == "predicted"
    wide = by_id(
        score_ads(ads, make_daily([*rows, day8, other, future]), window="14d", as_of=AS_OF)
    )
    assert wide["ad-0"]["spend"] == 435.0 and wide["ad-0"]["truth_grade"] == "attributed"
    assert "ad-1" in wide
    life = by_id(score_ads(ads, make_daily([*rows, day8, future]), window="lifetime", as_of=AS_OF))
    assert life["ad-0"]["spend"] == 435.0  # the day after as_of is left out


def test_no_delivery_gives_empty_frame_with_all_fields() -> None:
    daily = make_daily([{"ad_id": "ad-0", "days_ago": 30, "impressions": 10, "spend": 1.0}])
    out = score_ads(make_ads(1), daily, window="7d", as_of=AS_OF)
    assert out.empty and tuple(out.columns) == FIELDS


def test_bad_window_is_refused() -> None:
    with pytest.raises(ArgumentError, match="window"):
        score_ads(make_ads(1), make_daily([]), window="30d", as_of=AS_OF)


# ---------------------------------------------------------------------------- schema


def test_fields_match_the_official_schema(openapi: dict[str, Any]) -> None:
    get = openapi["paths"]["/api/v1/top-performers"]["get"]
    item = get["responses"]["200"]["content"]["application/json"]["schema"]["properties"]["data"][
        "items"
    ]
    assert len(FIELDS) == 51
    assert tuple(item["required"]) == FIELDS
    assert set(FIELDS) == set(item["properties"])
    ads, daily = _random_profile(seed=3, n_ads=12, n_days=20)
    out = score_ads(ads, daily, window="28d", as_of=AS_OF)
    assert tuple(out.columns) == FIELDS
    props = item["properties"]
    polarity = set(props["reason_codes"]["items"]["properties"]["polarity"]["enum"])
    for name in ("forecast_confidence", "fatigue_state", "fatigue_risk_tier"):
        allowed = set(props[name]["enum"])
        assert set(out[name]) <= allowed, name
    for codes in out["reason_codes"]:
        for code in codes:
            assert {"layer", "polarity", "percentile", "sample_confidence"} <= set(code)
            assert code["polarity"] in polarity
            assert code["sample_confidence"] in {"low", "medium", "high"}


# ---------------------------------------------------------------------------- reason codes


def test_reason_code_polarity_boundaries_and_confidence() -> None:
    # A profile of two ads ranks them among themselves: percentiles exactly 75 and 25.
    # sample_confidence from clicks: 9 -> low, 10 -> medium, 50 -> high.
    for clicks_low, clicks_high, conf_low, conf_high in (
        (9, 10, "low", "medium"),
        (10, 50, "medium", "high"),
    ):
        daily = make_daily(
            [
                {"ad_id": "ad-0", "impressions": 10_000, "clicks": clicks_low, "spend": 50.0},
                {"ad_id": "ad-1", "impressions": 1_000, "clicks": clicks_high, "spend": 50.0},
            ]
        )
        out = by_id(score_ads(make_ads(2), daily, window="7d", as_of=AS_OF))
        weak = layer_code(out["ad-0"], "attention")
        strong = layer_code(out["ad-1"], "attention")
        assert weak is not None and strong is not None
        assert (weak["polarity"], weak["percentile"]) == ("weakness", 25.0)
        assert (strong["polarity"], strong["percentile"]) == ("strength", 75.0)
        assert weak["sample_confidence"] == conf_low
        assert strong["sample_confidence"] == conf_high
        assert weak["code"] == "attention_weakness"


def test_unavailable_layers_have_no_reason_codes() -> None:
    # No conversations, pipeline or revenue anywhere: only attention and click_intent speak.
    out = _attention_cohort([1000, 1500, 2000, 2500, 3000], [100_000] * 5)
    layers = {c["layer"] for codes in out["reason_codes"] for c in codes}
    assert layers <= {"attention", "click_intent", "fatigue"}


# ---------------------------------------------------------------------------- forecast, fatigue


def test_forecast_and_band() -> None:
    # 6 outcomes over the last 14 days (lifetime window) -> 7 * 6 / 14 = 3 per week;
    # 80% Garwood band: chi2(0.10, 2k)/2 and chi2(0.90, 2k + 2)/2, scaled by 7/14.
    rows = [
        {
            "ad_id": "ad-0",
            "days_ago": d,
            "impressions": 1000,
            "clicks": 10,
            "spend": 5.0,
            "cash_outcomes": 1 if d < 6 else 0,
        }
        for d in range(20)
    ]
    rows += [
        {"ad_id": "ad-1", "days_ago": d, "impressions": 1000, "clicks": 10, "spend": 5.0}
        for d in range(20)
    ]
    ads = make_ads(3, status=["active", "active", "paused"])
    rows += [
        {
            "ad_id": "ad-2",
            "days_ago": d,
            "impressions": 1000,
            "clicks": 10,
            "spend": 5.0,
            "cash_outcomes": 2,
        }
        for d in range(20)
    ]
    out = by_id(score_ads(ads, make_daily(rows), window="lifetime", as_of=AS_OF))
    a = out["ad-0"]
    assert a["forecast_outcomes_7d"] == pytest.approx(3.0)
    assert a["forecast_outcomes_7d_low"] == pytest.approx(stats.chi2.ppf(0.10, 12) / 2 * 0.5)
    assert a["forecast_outcomes_7d_high"] == pytest.approx(stats.chi2.ppf(0.90, 14) / 2 * 0.5)
    assert a["forecast_confidence"] == "medium"  # 6 outcomes: 5 <= k < 20
    forecast_code = layer_code(a, "forecast")
    assert forecast_code is not None and forecast_code["polarity"] == "forecast"
    assert forecast_code["percentile"] is None
    b = out["ad-1"]
    assert b["forecast_outcomes_7d"] == 0 and b["forecast_outcomes_7d_low"] == 0
    assert b["forecast_outcomes_7d_high"] == pytest.approx(stats.chi2.ppf(0.90, 2) / 2 * 0.5)
    assert b["forecast_confidence"] == "low" and layer_code(b, "forecast") is None
    c = out["ad-2"]  # paused: nothing next week
    assert (c["forecast_outcomes_7d"], c["forecast_outcomes_7d_high"]) == (0.0, 0.0)
    assert c["fatigue_state"] == "paused" and c["hazard_30d_pause"] == 1.0


def test_fatigue_from_ctr_trend() -> None:
    # ad-0: flat 2% CTR; ad-1: CTR halves every 7 days (log slope -ln2/7 per day).
    rows = []
    for d in range(14):
        rows.append(
            {"ad_id": "ad-0", "days_ago": d, "impressions": 20_000, "clicks": 400, "spend": 50.0}
        )
        clicks = round(800 * 0.5 ** ((13 - d) / 7))
        rows.append(
            {"ad_id": "ad-1", "days_ago": d, "impressions": 20_000, "clicks": clicks, "spend": 50.0}
        )
    out = by_id(score_ads(make_ads(2), make_daily(rows), window="14d", as_of=AS_OF))
    flat, falling = out["ad-0"], out["ad-1"]
    # flat: c30 = 0 -> expit(ln(0.8)/0.1) = 0.0973
    assert flat["hazard_30d_degradation"] == pytest.approx(1 / (1 + 0.8**-10), abs=1e-3)
    assert (flat["fatigue_state"], flat["fatigue_risk_tier"]) == ("active", "low")
    assert layer_code(flat, "fatigue") is None
    assert flat["expected_lifespan_days"] == pytest.approx(100 + 365)
    assert falling["hazard_30d_degradation"] > 0.99
    assert (falling["fatigue_state"], falling["fatigue_risk_tier"]) == ("degraded", "critical")
    code = layer_code(falling, "fatigue")
    assert code is not None and code["polarity"] == "fatigue"
    assert code["code"] == "fatigue_critical"
    # slope about -ln2/7 (shrunk by C/(C+50), C ~ 5,800 clicks): 30% drop in about 3.6 days
    remaining = falling["expected_lifespan_days"] - 100
    assert remaining == pytest.approx(math.log(0.7) / (-math.log(2) / 7), rel=0.02)
    assert falling["hazard_30d_pause"] > flat["hazard_30d_pause"]


def test_tiny_cohorts_rank_among_their_channel_and_objective() -> None:
    # Two US ads and three CA ads: each cohort is under 5 ads, so all five (meta|sales)
    # are ranked together: the best CTR overall is the 90th percentile, the worst the 10th.
    clicks = [1100, 1400, 1000, 1200, 1300]
    geo = ["US", "US", "CA", "CA", "CA"]
    out = by_id(_attention_cohort(clicks, [100_000] * 5, geo=geo))
    best, worst = layer_code(out["ad-1"], "attention"), layer_code(out["ad-2"], "attention")
    assert best is not None and best["percentile"] == pytest.approx(90.0)
    assert worst is not None and worst["percentile"] == pytest.approx(10.0)
    assert out["ad-0"]["cohort_n_ads"] == 2 and out["ad-2"]["cohort_n_ads"] == 3


def test_docstring_weight_table_matches_layer_weights() -> None:
    from atribu_pandas.sandbox import scoring

    table = {}
    for line in (scoring.__doc__ or "").splitlines():
        parts = line.split()
        if len(parts) == 6 and parts[0] in LAYER_WEIGHTS:
            table[parts[0]] = [float(p) for p in parts[1:]]
    assert set(table) == set(LAYER_WEIGHTS)
    for objective, weights in LAYER_WEIGHTS.items():
        assert list(weights.values()) == table[objective]
        assert sum(weights.values()) == pytest.approx(1.0)


def test_nullable_dtypes_and_timestamps_give_the_same_scores() -> None:
    ads, daily = _random_profile(seed=11, n_ads=10, n_days=20)
    plain = score_ads(ads, daily, window="14d", as_of=AS_OF)
    ads2 = ads.assign(launched_on=pd.to_datetime(ads["launched_on"]))
    daily2 = daily.astype({"clicks": "Int64", "impressions": "Int64", "spend": "Float64"})
    daily2["date"] = daily2["date"].astype("datetime64[us]")
    pd.testing.assert_frame_equal(score_ads(ads2, daily2, window="14d", as_of=AS_OF), plain)
