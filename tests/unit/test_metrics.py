"""metrics.py: hand-computed expectations on tiny frames, and properties of the math."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atribu_pandas import metrics
from atribu_pandas.exceptions import ArgumentError, AtribuError
from atribu_pandas.frames.build import empty_frame
from atribu_pandas.frames.schemas import schema_for

MODELS = ["last_touch", "first_touch", "linear"]


def campaigns() -> pd.DataFrame:
    """Three campaigns with the loaders' dtypes; figures chosen to divide evenly."""
    return pd.DataFrame(
        {
            "campaign_id": pd.array(["id-a", "id-b", "id-c"], dtype="string"),
            "campaign_name": pd.array(["Spring Sale", "Brand", "Retarget"], dtype="string"),
            "spend": [100.0, 0.0, 30.0],
            "outcome_count": [4.0, 0.0, 0.0],
            "outcome_value": [250.0, 0.0, 60.0],
            "roas": [2.5, np.nan, 2.0],
            "entity_level": pd.Categorical(
                ["campaign"] * 3, categories=["campaign", "ad_set", "ad"]
            ),
            "parent_name": pd.array(["P", "P", "Q"], dtype="string"),
            "impressions": pd.array([2000, 0, 1000], dtype="Int64"),
            "clicks": pd.array([50, 0, 0], dtype="Int64"),
            "reach": pd.array([1600, 0, pd.NA], dtype="Int64"),
            "ctr": [2.5, np.nan, 0.0],
            "avg_cpm": [50.0, np.nan, 30.0],
            "avg_cpc": [2.0, np.nan, np.nan],
            "cac": [25.0, np.nan, np.nan],
            "status": pd.Categorical(["active", "paused", "active"]),
        }
    )


def comparison(values: dict[str, list[float]], names: list[str]) -> pd.DataFrame:
    """A long model-comparison frame: one block of rows per model."""
    ids = [f"id-{n}" for n in names]
    blocks = [
        pd.DataFrame(
            {
                "campaign_id": pd.array(ids, dtype="string"),
                "campaign_name": pd.array(names, dtype="string"),
                "spend": 10.0,
                "outcome_value": vals,
                "model": model,
            }
        )
        for model, vals in values.items()
    ]
    out = pd.concat(blocks, ignore_index=True)
    out["model"] = pd.Categorical(out["model"], categories=list(values), ordered=True)
    return out


def top_performers() -> pd.DataFrame:
    """Four ads in two cohorts (X: ads 1-2, Y: ads 3-4), static and UGC video for sales."""
    return pd.DataFrame(
        {
            "ad_external_id": pd.array(["ad1", "ad2", "ad3", "ad4"], dtype="string"),
            "ad_name": pd.array(["One", "Two", "Three", "Four"], dtype="string"),
            "cohort_key": pd.array(["X", "X", "Y", "Y"], dtype="string"),
            "cohort_format": pd.array(
                ["static", "static", "ugc_video", "ugc_video"], dtype="string"
            ),
            "cohort_objective": pd.array(["sales"] * 4, dtype="string"),
            "composite_score": [80.0, 40.0, 60.0, 70.0],
            "spend": [100.0, 50.0, 10.0, 40.0],
            "impressions": [10000.0, 1000.0, 500.0, 4000.0],
            "ctr": [2.0, 1.0, 4.0, 0.5],
            "cpc": [0.5, 5.0, 0.5, 2.0],
            "attributed_revenue": [300.0, 0.0, 50.0, 30.0],
            "attributed_cash_outcomes": [3.0, 0.0, 1.0, 2.0],
            "roas": [3.0, 0.0, 5.0, 0.75],
            "cac": [100.0 / 3.0, np.nan, 10.0, 20.0],
            "reason_codes": [
                [
                    {
                        "layer": "attention",
                        "polarity": "strength",
                        "percentile": 91.0,
                        "sample_confidence": "high",
                        "code": "hook_strong",
                        "metric_value": 0.4,
                    },
                    {
                        "layer": "click_intent",
                        "polarity": "weakness",
                        "percentile": 12.0,
                        "sample_confidence": "low",
                    },
                ],
                [],
                [
                    {
                        "layer": "fatigue",
                        "polarity": "fatigue",
                        "percentile": None,
                        "sample_confidence": "medium",
                        "code": "frequency_high",
                        "metric_value": 3.1,
                    }
                ],
                [],
            ],
        }
    )


def trend() -> pd.DataFrame:
    """Two entities over 1-10 March 2026 with gaps (days without delivery are absent)."""
    return pd.DataFrame(
        {
            "entity_id": pd.array(["a", "a", "a", "b", "b"], dtype="string"),
            "date": pd.to_datetime(
                ["2026-03-01", "2026-03-03", "2026-03-09", "2026-03-02", "2026-03-10"]
            ),
            "spend": [10.0, 20.0, 30.0, 5.0, 15.0],
            "impressions": pd.array([1000, 2000, 0, 500, 1500], dtype="Int64"),
            "clicks": pd.array([10, 30, 0, 5, 0], dtype="Int64"),
        }
    )


# --- recompute and check ---------------------------------------------------------------


def test_recompute_hand_computed() -> None:
    out = metrics.recompute(campaigns())
    assert out["roas"].tolist()[0] == 2.5 and out["roas"].tolist()[2] == 2.0
    assert out.loc[0, ["cac", "ctr", "avg_cpm", "avg_cpc", "frequency"]].tolist() == [
        25.0,
        2.5,
        50.0,
        2.0,
        1.25,
    ]
    # Zero denominators: NaN, never inf.
    row_b = out.loc[1, ["roas", "cac", "ctr", "avg_cpm", "avg_cpc", "frequency"]]
    assert row_b.isna().all()
    assert np.isnan(out.loc[2, "cac"]) and np.isnan(out.loc[2, "avg_cpc"])
    assert out.loc[2, "ctr"] == 0.0 and out.loc[2, "avg_cpm"] == 30.0
    assert np.isnan(out.loc[2, "frequency"])  # reach unknown
    assert not np.isinf(out.select_dtypes("number").to_numpy(dtype=float, na_value=np.nan)).any()
    assert out["roas"].dtype == "float64"
    assert list(out.columns[:16]) == list(campaigns().columns)  # replaced in place


def test_recompute_top_performers_uses_their_names() -> None:
    out = metrics.recompute(top_performers())
    assert out["roas"].tolist() == [3.0, 0.0, 5.0, 0.75]
    assert out["cac"].tolist()[0] == pytest.approx(100 / 3) and np.isnan(out["cac"][1])
    assert "avg_cpc" not in out.columns and "frequency" not in out.columns


def test_check_flags_disagreements_and_one_sided_nan() -> None:
    df = campaigns()
    assert metrics.check(df).empty
    df.loc[2, "roas"] = 2.05  # 2.5% above 60 / 30
    df.loc[0, "avg_cpc"] = np.nan  # API null where 100 / 50 = 2
    bad = metrics.check(df, rtol=0.01)
    assert bad["column"].tolist() == ["avg_cpc", "roas"]
    assert bad.index.tolist() == [0, 2]
    assert bad["campaign_name"].tolist() == ["Spring Sale", "Retarget"]
    assert bad.loc[2, "recomputed"] == 2.0 and bad.loc[2, "rel_diff"] == pytest.approx(0.025)
    assert metrics.check(df, rtol=0.05)["column"].tolist() == ["avg_cpc"]


def test_check_raises_when_no_ratio_can_be_checked() -> None:
    # A trend frame has parts but no API ratio: "all agree" would be a lie.
    with pytest.raises(AtribuError) as err:
        metrics.check(trend())
    assert str(err.value) == (
        "check needs columns ['ctr', 'clicks', 'impressions'] (missing: ['ctr']); "
        "load them with ap.load_campaigns(..., level='campaign')"
    )
    # Top performers without clicks nor revenue: ctr and cpc need clicks, roas revenue.
    tp = top_performers()[["ad_external_id", "spend", "impressions", "ctr", "cpc"]]
    with pytest.raises(AtribuError) as err:
        metrics.check(tp)
    assert str(err.value) == (
        "check needs columns ['ctr', 'clicks', 'impressions'] (missing: ['clicks']); "
        "load them with ap.load_top_performers"
    )


def test_check_records_checked_and_skipped_ratios() -> None:
    out = metrics.check(top_performers())
    assert out.empty
    assert out.attrs["check"] == {
        "checked": ["roas", "cac"],
        "skipped": {
            "ctr": ["clicks"],
            "cpc": ["clicks"],
            "cost_per_conversation": [
                "cost_per_conversation",
                "messaging_conversations_started",
            ],
        },
    }
    camp = metrics.check(campaigns())
    # frequency is this toolkit's ratio: the API frame never has it.
    assert camp.attrs["check"] == {
        "checked": ["roas", "cac", "ctr", "avg_cpm", "avg_cpc"],
        "skipped": {"frequency": ["frequency"]},
    }


def test_check_on_a_repeated_index() -> None:
    df = campaigns()
    df.loc[2, "roas"] = 2.05
    df.loc[0, "avg_cpc"] = np.nan
    twice = pd.concat([df, df])  # labels 0, 1, 2, 0, 1, 2
    bad = metrics.check(twice)
    assert bad.index.tolist() == [0, 2, 0, 2]
    assert bad["column"].tolist() == ["avg_cpc", "roas", "avg_cpc", "roas"]
    assert bad["campaign_name"].tolist() == ["Spring Sale", "Retarget"] * 2
    assert bad["recomputed"].tolist() == [2.0, 2.0, 2.0, 2.0]  # 100 / 50 and 60 / 30
    assert np.isnan(bad["api"].tolist()[0]) and bad["api"].tolist()[1] == 2.05


# --- rollup --------------------------------------------------------------------------


def test_rollup_by_parent_sums_and_recomputes_and_drops_reach() -> None:
    with pytest.warns(metrics.ReachNotAdditiveWarning, match="unique people"):
        out = metrics.rollup(campaigns(), "parent_name")
    assert out["parent_name"].tolist() == ["P", "Q"]
    assert out["spend"].tolist() == [100.0, 30.0]
    assert out["outcome_value"].tolist() == [250.0, 60.0]
    assert out["roas"].tolist() == [2.5, 2.0]
    assert out["ctr"].tolist() == [2.5, 0.0]
    assert out["impressions"].tolist() == [2000, 1000]
    assert "reach" not in out.columns and "frequency" not in out.columns
    assert "campaign_name" not in out.columns  # not additive


def test_reach_is_said_once_per_frame_not_once_per_rollup() -> None:
    ads = campaigns()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        metrics.rollup(ads, "parent_name")
        metrics.rollup(ads, "status")
        metrics.rollup(ads)
    assert [w.category for w in caught] == [metrics.ReachNotAdditiveWarning]
    # Another frame (a new load) is told again.
    with pytest.warns(metrics.ReachNotAdditiveWarning):
        metrics.rollup(campaigns(), "parent_name")


def test_rollup_keeps_reach_when_each_group_is_one_entity() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = metrics.rollup(campaigns(), ["campaign_id", "campaign_name"])
    assert out["reach"].tolist()[0] == 1600 and out["frequency"].tolist()[0] == 1.25


def test_rollup_total_and_status_categories() -> None:
    with pytest.warns(metrics.ReachNotAdditiveWarning):
        total = metrics.rollup(campaigns())
    assert len(total) == 1
    assert total.loc[0, "roas"] == pytest.approx(310 / 130)
    assert total.loc[0, "cac"] == pytest.approx(130 / 4)
    with pytest.warns(metrics.ReachNotAdditiveWarning):
        by_status = metrics.rollup(campaigns(), "status")
    assert dict(zip(by_status["status"], by_status["spend"], strict=True)) == {
        "active": 130.0,
        "paused": 0.0,
    }


def test_rollup_by_plain_string_status_and_objective() -> None:
    df = campaigns()
    df["status"] = pd.Series(["active", None, "active"], dtype="str")
    df["objective"] = pd.Series(["sales", "sales", "leads"], dtype="str")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # one campaign per group: reach is kept
        out = metrics.rollup(df, ["status", "objective"])
    # Groups: (active, leads) = Retarget, (active, sales) = Spring Sale, (NaN, sales) = Brand.
    assert out["objective"].tolist() == ["leads", "sales", "sales"]
    assert out["status"].tolist()[:2] == ["active", "active"] and pd.isna(out["status"][2])
    assert out["spend"].tolist() == [30.0, 100.0, 0.0]
    assert out["roas"].tolist()[:2] == [2.0, 2.5] and np.isnan(out["roas"][2])
    assert out["reach"].isna().tolist() == [True, False, False]


def test_rollup_by_date_frequency() -> None:
    out = metrics.rollup(trend(), "entity_id", freq="W")
    # Weeks run Monday to Sunday and are labelled by their Monday: a has Sun 1 Mar (week of
    # Mon 23 Feb), Tue 3 Mar (week of 2 Mar), Mon 9 Mar (week of 9 Mar).
    a = out[out["entity_id"] == "a"]
    assert a["date"].dt.strftime("%m-%d").tolist() == ["02-23", "03-02", "03-09"]
    assert a["spend"].tolist() == [10.0, 20.0, 30.0]
    assert a["ctr"].tolist()[:2] == [1.0, 1.5]
    assert np.isnan(a["ctr"].tolist()[2])  # no impressions that week
    total = metrics.rollup(trend(), freq="ME")
    assert total["spend"].tolist() == [80.0]
    assert total["avg_cpc"].tolist() == [pytest.approx(80 / 45)]


def test_rollup_top_performers_implies_clicks() -> None:
    out = metrics.rollup(top_performers(), "cohort_key")
    # X: clicks 200 + 10 on 11,000 impressions; spend 150.
    assert out["clicks"].tolist()[0] == pytest.approx(210.0)
    assert out["ctr"].tolist()[0] == pytest.approx(210 / 11000 * 100)
    assert out["cpc"].tolist()[0] == pytest.approx(150 / 210)
    assert out["roas"].tolist() == [2.0, 1.6]


def test_rollup_warns_when_summing_across_models() -> None:
    cmp = comparison({"last_touch": [1.0, 2.0], "linear": [1.5, 1.5]}, ["A", "B"])
    with pytest.warns(metrics.MixedModelsWarning):
        metrics.rollup(cmp, "campaign_name")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = metrics.rollup(cmp, "model")
    assert out["outcome_value"].tolist() == [3.0, 3.0]


def test_missing_columns_name_the_loader() -> None:
    with pytest.raises(AtribuError) as err:
        metrics.pivot_trend(campaigns())
    assert str(err.value) == (
        "pivot_trend needs columns ['entity_id', 'date', 'spend'] "
        "(missing: ['entity_id', 'date']); load them with ap.load_campaign_trend"
    )
    with pytest.raises(
        AtribuError,
        match=r"missing: \['cohort_format', 'cohort_objective', 'ad_external_id'.*top_performers",
    ):
        metrics.compare_cohorts(campaigns())
    with pytest.raises(AtribuError, match="load_model_comparison"):
        metrics.compare_models(campaigns())
    with pytest.raises(AtribuError, match=r"missing: \['nope'\]"):
        metrics.rollup(campaigns(), "nope")


# --- compare_models --------------------------------------------------------------------


def test_compare_models_tables_hand_computed() -> None:
    cmp = comparison(
        {"last_touch": [100.0, 50.0, 50.0], "first_touch": [20.0, 60.0, 120.0]},
        ["A", "B", "C"],
    )
    res = metrics.compare_models(cmp, top=1)
    assert res.values.index.tolist() == ["A", "B", "C"]  # by baseline, largest first
    assert res.values.columns.tolist() == ["last_touch", "first_touch"]
    assert res.shares["last_touch"].tolist() == [0.5, 0.25, 0.25]
    assert res.shares["first_touch"].tolist() == [0.1, 0.3, 0.6]
    assert res.change["first_touch"].tolist() == [-80.0, 10.0, 70.0]
    assert res.change_pct["first_touch"].tolist() == [-80.0, 20.0, 140.0]
    assert res.ranks["last_touch"].tolist() == [1, 2, 2]
    assert res.ranks["first_touch"].tolist() == [3, 2, 1]
    flips = res.flips.set_index("entity")
    assert flips.loc["C", "flip"] == "enters top 1" and flips.loc["A", "flip"] == "leaves top 1"
    assert flips.loc["C", "baseline_rank"] == 2 and flips.loc["C", "rank"] == 1
    text = res.summary()
    lines = text.splitlines()
    assert lines[1] == "A gets 10% of the credit under first_touch but 50% under last_touch."
    assert "C gets 60% of the credit under first_touch but 25% under last_touch." in text
    assert "Under first_touch, C enters the top 1 (#1, #2 under last_touch)." in text


def test_compare_models_moves_of_three_places() -> None:
    cmp = comparison(
        {
            "last_touch": [50.0, 40.0, 30.0, 20.0, 10.0],
            "linear": [50.0, 40.0, 30.0, 20.0, 100.0],
        },
        ["A", "B", "C", "D", "E"],
    )
    flips = metrics.compare_models(cmp, top=10).flips
    assert flips[["entity", "flip", "places"]].values.tolist() == [["E", "up 4", 4]]
    flips3 = metrics.compare_models(cmp, top=3).flips.set_index("entity")["flip"].to_dict()
    assert flips3 == {"E": "enters top 3", "C": "leaves top 3"}


def test_compare_models_bad_arguments() -> None:
    cmp = comparison({"last_touch": [1.0], "linear": [1.0]}, ["A"])
    with pytest.raises(ArgumentError, match="baseline"):
        metrics.compare_models(cmp, baseline="time_decay")
    with pytest.raises(ArgumentError, match="top"):
        metrics.compare_models(cmp, top=0)
    assert "same share" in metrics.compare_models(cmp).summary()


# --- empty windows -------------------------------------------------------------------------


def _empty_sources() -> list[tuple[str, dict[str, pd.DataFrame]]]:
    """Empty frames with the loaders' dtypes: from the schemas, and the test frames emptied."""
    return [
        (
            "schema",
            {
                "campaigns": empty_frame(schema_for("Campaigns")),
                "trend": empty_frame(schema_for("CampaignTrend")),
                "top": empty_frame(schema_for("TopPerformers")),
                "comparison": empty_frame(schema_for("Campaigns", with_model=True)),
            },
        ),
        (
            "fixture",
            {
                "campaigns": campaigns().iloc[:0],
                "trend": trend().iloc[:0],
                "top": top_performers().iloc[:0],
                "comparison": comparison({"last_touch": [1.0], "linear": [2.0]}, ["A"]).iloc[:0],
            },
        ),
    ]


@pytest.fixture(params=_empty_sources(), ids=lambda item: item[0])
def empties(request: pytest.FixtureRequest) -> dict[str, pd.DataFrame]:
    frames: dict[str, pd.DataFrame] = request.param[1]
    assert all(len(f) == 0 for f in frames.values())
    return {k: f.copy() for k, f in frames.items()}


def test_rollup_and_recompute_of_no_rows(empties: dict[str, pd.DataFrame]) -> None:
    camps = empties["campaigns"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no rows: nothing summed twice, nothing to warn about
        total = metrics.rollup(camps)
    # The sum of nothing: 0 spend and value, and ROAS undefined (0 / 0), not an error.
    assert len(total) == 1
    assert total["spend"].iloc[0] == 0.0 and total["outcome_value"].iloc[0] == 0.0
    assert np.isnan(total["roas"].iloc[0])
    per = metrics.rollup(camps, "campaign_id")
    assert len(per) == 0 and {"campaign_id", "spend", "roas"} <= set(per.columns)
    assert len(metrics.rollup(empties["top"], "cohort_key")) == 0
    again = metrics.recompute(camps)
    assert len(again) == 0 and "roas" in again.columns
    assert len(metrics.recompute(empties["top"])) == 0


def test_pivot_trend_of_no_rows(empties: dict[str, pd.DataFrame]) -> None:
    df = empties["trend"]
    # No rows and no recorded window: no day, no entity.
    for out in (
        metrics.pivot_trend(df),
        metrics.pivot_trend(df, "ctr", freq="W", rolling=2),
        metrics.pivot_trend(df, "cpm", cumulative=True),
    ):
        assert out.shape == (0, 0) and out.index.name == "date"
    # A recorded window without delivery: its complete calendar, still no entity.
    df.attrs["atribu"] = {"params": {"date_from": "2026-02-27", "date_to": "2026-03-12"}}
    daily = metrics.pivot_trend(df, "cpc")
    assert daily.shape == (14, 0)
    assert daily.index[0] == pd.Timestamp("2026-02-27")
    assert daily.index[-1] == pd.Timestamp("2026-03-12")
    # 27 Feb to 12 Mar touches the weeks ending 1, 8 and 15 Mar.
    assert metrics.pivot_trend(df, "spend", freq="W").shape == (3, 0)
    raw, smooth = metrics.pivot_trend_smoothed(df, "ctr", rolling=3)
    assert raw.shape == (14, 0) and smooth is not None and smooth.shape == (14, 0)


def test_compare_models_of_no_rows(empties: dict[str, pd.DataFrame]) -> None:
    result = metrics.compare_models(empties["comparison"], top=5)
    tables = [result.values, result.shares, result.change, result.change_pct, result.ranks]
    assert all(t.shape == (0, 0) for t in tables)
    assert len(result.flips) == 0
    assert result.flips.columns.tolist() == [
        "entity",
        "model",
        "baseline_rank",
        "rank",
        "places",
        "flip",
    ]
    assert "Nothing to compare" in result.summary()
    # A baseline that is no model at all is still a mistake, rows or not.
    with pytest.raises(ArgumentError, match="baseline"):
        metrics.compare_models(empties["comparison"], baseline="lasttouch")


def test_cohorts_and_shrink_of_no_rows(empties: dict[str, pd.DataFrame]) -> None:
    top = empties["top"]
    cohorts = metrics.compare_cohorts(top)
    assert len(cohorts) == 0
    assert cohorts.columns.tolist() == metrics.compare_cohorts(top_performers()).columns.tolist()
    for metric in ("ctr", "roas"):
        est = metrics.shrink(top, metric)
        assert len(est) == 0
        assert est.columns.tolist() == metrics.shrink(top_performers(), metric).columns.tolist()


# --- cohorts, shrinkage, reason codes ------------------------------------------------------


def test_compare_cohorts_hand_computed() -> None:
    # The default cohorts, format x objective, are the same two groups as cohort_key.
    out = metrics.compare_cohorts(top_performers())
    assert out["cohort_format"].tolist() == ["static", "ugc_video"]
    assert out["cohort_objective"].tolist() == ["sales", "sales"]
    by_key = metrics.compare_cohorts(top_performers(), "cohort_key")
    assert by_key["cohort_key"].tolist() == ["X", "Y"]
    assert by_key["spend"].tolist() == out["spend"].tolist()
    assert out["ads"].tolist() == [2, 2]
    assert out["spend"].tolist() == [150.0, 50.0]
    assert out["roas"].tolist() == [2.0, 1.6]
    assert out["cac"].tolist() == [50.0, pytest.approx(50 / 3)]
    assert out["composite_score_median"].tolist() == [60.0, 65.0]
    assert out["composite_score_iqr"].tolist() == [20.0, 5.0]
    assert out["spend_share"].tolist() == [0.75, 0.25]
    assert out["best_ad"].tolist() == ["One", "Four"]
    assert out["best_ad_external_id"].tolist() == ["ad1", "ad4"]


def test_cohorts_by_plain_string_truth_grade_and_outcome_kind() -> None:
    tp = top_performers()
    tp["truth_grade"] = pd.Series(["A", "B", "A", None], dtype="str")
    tp["primary_outcome_kind"] = pd.Series(["cash", "cash", "cash", "lead"], dtype="str")
    out = metrics.compare_cohorts(tp, ["truth_grade", "primary_outcome_kind"])
    # (A, cash): ads 1 and 3, spend 110, revenue 350; (B, cash): ad 2; (NaN, lead): ad 4.
    assert out["truth_grade"].tolist()[:2] == ["A", "B"] and pd.isna(out["truth_grade"][2])
    assert out["spend"].tolist() == [110.0, 50.0, 40.0]
    assert out["roas"].tolist() == [pytest.approx(350 / 110), 0.0, 0.75]
    assert out["ads"].tolist() == [2, 1, 1]
    assert out["best_ad"].tolist() == ["One", "Two", "Four"]
    est = metrics.shrink(tp, "ctr", ["truth_grade"])
    assert est["truth_grade"].isna().tolist() == [False, False, False, True]
    assert est["estimate"].notna().all()


def test_shrink_ctr_beta_binomial_hand_computed() -> None:
    out = metrics.shrink(top_performers(), "ctr")
    x = out[out["cohort_key"] == "X"]
    # Cohort X: 210 clicks / 11,000 impressions; method-of-moments prior strength 3852.45
    # (worked on paper: spread 8.2645e-6 minus binomial noise 3.4048e-6).
    assert x["cohort_mean"].tolist() == [pytest.approx(210 / 110)] * 2
    assert x["raw"].tolist() == [pytest.approx(2.0), pytest.approx(1.0)]
    assert x["estimate"].tolist() == [
        pytest.approx(1.97472, rel=1e-4),
        pytest.approx(1.72174, rel=1e-4),
    ]
    assert x["weight"].tolist()[1] == pytest.approx(0.79392, rel=1e-4)
    assert ((out["low"] < out["estimate"]) & (out["estimate"] < out["high"])).all()
    # The ad with less evidence is pulled harder and is less certain.
    w = x["weight"].tolist()
    widths = (x["high"] - x["low"]).tolist()
    assert w[1] > w[0]
    assert widths[1] > widths[0]


def test_shrink_roas_gamma_poisson_hand_computed() -> None:
    df = pd.DataFrame(
        {
            "ad_external_id": pd.array(["a", "b"], dtype="string"),
            "ad_name": pd.array(["A", "B"], dtype="string"),
            "cohort_key": pd.array(["K", "K"], dtype="string"),
            "spend": [1000.0, 1000.0],
            "attributed_revenue": [3000.0, 500.0],
            "attributed_cash_outcomes": [300.0, 50.0],
        }
    )
    out = metrics.shrink(df, "roas")
    # Pooled ROAS 1.75, order value 10; spread 1.5625 - noise 0.0175 -> prior spend 11.3269.
    assert out["estimate"].tolist() == [pytest.approx(2.986), pytest.approx(0.514)]
    assert out["weight"].tolist() == [pytest.approx(0.0112)] * 2
    assert out["low"].tolist()[0] == pytest.approx(2.7091, rel=1e-4)
    assert out["high"].tolist()[0] == pytest.approx(3.2741, rel=1e-4)


def test_shrink_pools_completely_when_spread_is_noise_and_refuses_other_metrics() -> None:
    out = metrics.shrink(top_performers(), "roas")
    x = out[out["cohort_key"] == "X"]  # 3 orders of $100: spread within noise
    assert x["estimate"].tolist() == [pytest.approx(2.0, rel=1e-5)] * 2
    assert x["weight"].tolist() == [pytest.approx(1.0, rel=1e-5)] * 2
    with pytest.raises(ArgumentError, match="metric"):
        metrics.shrink(top_performers(), "cac")
    with pytest.raises(ArgumentError, match="confidence"):
        metrics.shrink(top_performers(), confidence=1.5)


def test_shrink_level_is_the_old_name_of_confidence() -> None:
    frame = top_performers()
    new = metrics.shrink(frame, "ctr", confidence=0.5)
    with pytest.warns(DeprecationWarning, match=r"shrink\(level=\) is deprecated.*confidence"):
        old = metrics.shrink(frame, "ctr", level=0.5)
    pd.testing.assert_frame_equal(old, new)
    # A narrower interval than the default 90%: the value was used, not ignored.
    wide = metrics.shrink(frame, "ctr")
    assert ((new["high"] - new["low"]) < (wide["high"] - wide["low"])).all()
    with pytest.raises(ArgumentError, match="level"):
        metrics.shrink(frame, confidence=0.8, level=0.5)


def test_explode_reason_codes() -> None:
    out = metrics.explode_reason_codes(top_performers())
    assert out.columns.tolist() == [
        "ad_external_id",
        "ad_name",
        "layer",
        "polarity",
        "percentile",
        "sample_confidence",
        "code",
        "metric_value",
    ]
    assert out["ad_external_id"].tolist() == ["ad1", "ad1", "ad3"]
    assert out["layer"].tolist() == ["attention", "click_intent", "fatigue"]
    assert out["code"].isna().tolist() == [False, True, False]
    assert np.isnan(out["percentile"][2]) and out["metric_value"][0] == 0.4
    text = pd.Series(["a"]).dtype  # pandas' default text dtype, NaN for missing
    assert out.dtypes.to_dict() == {
        "ad_external_id": text,
        "ad_name": text,
        "layer": text,
        "polarity": pd.CategoricalDtype(["strength", "weakness", "forecast", "fatigue"]),
        "percentile": np.dtype("float64"),
        "sample_confidence": pd.CategoricalDtype(["low", "medium", "high"], ordered=True),
        "code": text,
        "metric_value": np.dtype("float64"),
    }
    assert not out["polarity"].cat.ordered
    assert out["sample_confidence"].tolist() == ["high", "low", "medium"]
    assert (out["sample_confidence"] < "high").tolist() == [False, True, True]
    assert out["code"].tolist()[1] is np.nan or np.isnan(out["code"].tolist()[1])
    empty = metrics.explode_reason_codes(top_performers().iloc[[1, 3]])
    assert len(empty) == 0 and empty.columns.tolist() == out.columns.tolist()
    assert empty.dtypes.to_dict() == out.dtypes.to_dict()


# --- pivot_trend --------------------------------------------------------------------------


def test_pivot_trend_daily_complete_calendar() -> None:
    out = metrics.pivot_trend(trend())
    assert out.index.tolist() == list(pd.date_range("2026-03-01", "2026-03-10"))
    assert out.columns.tolist() == ["a", "b"]
    assert out["a"].tolist() == [10.0, 0, 20.0, 0, 0, 0, 0, 0, 30.0, 0]
    assert out["b"].sum() == 20.0


def test_pivot_trend_uses_recorded_window() -> None:
    df = trend()
    df.attrs["atribu"] = {"meta": {"date_from": "2026-02-27", "date_to": "2026-03-12"}}
    out = metrics.pivot_trend(df)
    assert out.index[0] == pd.Timestamp("2026-02-27") and out.index[-1] == pd.Timestamp(
        "2026-03-12"
    )
    assert len(out) == 14


def test_pivot_trend_ratios_from_sums_weekly_and_names() -> None:
    out = metrics.pivot_trend(trend(), "ctr", freq="W", names={"a": "Alpha"})
    assert out.columns.tolist() == ["Alpha", "b"]
    # Weeks from Monday, labelled by it. Week of 2 Mar: a 30 clicks / 2000 impressions
    # (3 Mar only) -> 1.5%, b 5 / 500 -> 1%.
    assert out.loc["2026-03-02"].tolist() == [1.5, 1.0]
    # Week of 23 Feb (Sun 1 Mar): b has no impressions -> NaN; week of 9 Mar: a 0 / 0,
    # b 0 / 1500.
    assert np.isnan(out.loc["2026-02-23", "b"])
    assert np.isnan(out.loc["2026-03-09", "Alpha"]) and out.loc["2026-03-09", "b"] == 0.0
    cpc = metrics.pivot_trend(trend(), "cpc", freq="ME")
    assert cpc["a"].tolist() == [60.0 / 40.0]
    cpm = metrics.pivot_trend(trend(), "cpm", freq="ME")
    assert cpm["b"].tolist() == [20.0 / 2000 * 1000]


def test_pivot_trend_rolling_cumulative_fill_and_names_frame() -> None:
    roll = metrics.pivot_trend(trend(), rolling=3)
    assert np.isnan(roll["a"].iloc[1])
    assert roll["a"].iloc[2] == pytest.approx(10.0)  # (10 + 0 + 20) / 3
    ctr_roll = metrics.pivot_trend(trend(), "ctr", rolling=3)
    assert ctr_roll["a"].iloc[2] == pytest.approx(40 / 3000 * 100)  # ratio of sums
    cum = metrics.pivot_trend(trend(), cumulative=True)
    assert cum["a"].iloc[-1] == 60.0 and cum["a"].iloc[2] == 30.0
    gaps = metrics.pivot_trend(trend(), fill_value=None)
    assert gaps["a"].isna().sum() == 7
    names = pd.DataFrame(
        {
            "campaign_id": pd.array(["a", "b"], dtype="string"),
            "campaign_name": pd.array(["Same", "Same"], dtype="string"),
        }
    )
    assert metrics.pivot_trend(trend(), names=names).columns.tolist() == ["Same (a)", "Same (b)"]
    with pytest.raises(ArgumentError, match="values"):
        metrics.pivot_trend(trend(), "roas")
    with pytest.raises(ArgumentError, match="cumulative"):
        metrics.pivot_trend(trend(), rolling=2, cumulative=True)


def test_pivot_trend_smoothed_pivots_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []
    pivot = pd.DataFrame.pivot_table

    def counting(self: pd.DataFrame, *args: object, **kwargs: object) -> pd.DataFrame:
        calls.append(kwargs.get("values"))
        return pivot(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pd.DataFrame, "pivot_table", counting)
    raw, smooth = metrics.pivot_trend_smoothed(trend(), "ctr", rolling=3, names={"a": "A"})
    assert len(calls) == 1
    assert smooth is not None
    assert raw.columns.tolist() == smooth.columns.tolist() == ["A", "b"]
    # a: 1 Mar 10 / 1000, 3 Mar 30 / 2000; over 1-3 Mar: 40 clicks / 3000 impressions.
    assert raw["A"].tolist()[:3][0] == 1.0 and np.isnan(raw["A"].tolist()[1])
    assert raw["A"].tolist()[2] == 1.5
    assert np.isnan(smooth["A"].tolist()[1])
    assert smooth["A"].tolist()[2] == pytest.approx(40 / 3000 * 100)
    calls.clear()
    spend, roll = metrics.pivot_trend_smoothed(trend(), "spend", rolling=2)
    assert spend["a"].tolist()[:3] == [10.0, 0.0, 20.0]
    assert len(calls) == 1 and roll is not None
    assert roll["a"].tolist()[1:3] == [5.0, 10.0]  # (10 + 0) / 2, (0 + 20) / 2
    assert metrics.pivot_trend_smoothed(trend(), "spend")[1] is None


def test_safe_divide_never_inf() -> None:
    out = metrics.safe_divide(pd.array([1, 0, pd.NA], dtype="Int64"), [0.0, 0.0, 2.0])
    assert np.isnan(out).all()


# --- properties -----------------------------------------------------------------------------

# Money as the API reports it: zero, or at least a cent (no subnormal floats).
money = st.one_of(st.just(0.0), st.floats(min_value=0.01, max_value=1e6))


@st.composite
def ad_rows(draw: st.DrawFn) -> pd.DataFrame:
    n = draw(st.integers(min_value=1, max_value=25))
    return pd.DataFrame(
        {
            "campaign_id": pd.array([f"id{i}" for i in range(n)], dtype="string"),
            "objective": pd.Categorical(
                draw(st.lists(st.sampled_from(["sales", "leads"]), min_size=n, max_size=n))
            ),
            "parent_name": pd.array(
                draw(st.lists(st.sampled_from(["P", "Q", "R"]), min_size=n, max_size=n)),
                dtype="string",
            ),
            "spend": draw(st.lists(money, min_size=n, max_size=n)),
            "outcome_value": draw(st.lists(money, min_size=n, max_size=n)),
            "outcome_count": draw(st.lists(money, min_size=n, max_size=n)),
            "impressions": pd.array(
                draw(st.lists(st.integers(0, 10**6), min_size=n, max_size=n)), dtype="Int64"
            ),
            "clicks": pd.array(
                draw(st.lists(st.integers(0, 10**4), min_size=n, max_size=n)), dtype="Int64"
            ),
        }
    )


PROPS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPS
@given(ad_rows())
def test_rolling_up_twice_equals_once_to_the_coarser_key(df: pd.DataFrame) -> None:
    fine = metrics.rollup(df, ["objective", "parent_name"])
    twice = metrics.rollup(fine, "objective")
    once = metrics.rollup(df, "objective")
    pd.testing.assert_frame_equal(twice, once, check_exact=False, rtol=1e-9, atol=1e-6)


@PROPS
@given(ad_rows())
def test_rollup_roas_is_sum_of_value_over_sum_of_spend(df: pd.DataFrame) -> None:
    out = metrics.rollup(df, "parent_name").set_index("parent_name")
    for key, group in df.groupby("parent_name"):
        spend, value = group["spend"].sum(), group["outcome_value"].sum()
        expected = value / spend if spend else np.nan
        assert out.loc[key, "roas"] == pytest.approx(expected, nan_ok=True)


@PROPS
@given(ad_rows(), st.floats(min_value=1e-3, max_value=1e3))
def test_scaling_spend_and_value_together_keeps_roas(df: pd.DataFrame, factor: float) -> None:
    scaled = df.assign(spend=df["spend"] * factor, outcome_value=df["outcome_value"] * factor)
    for frame_a, frame_b in [
        (metrics.recompute(df), metrics.recompute(scaled)),
        (metrics.rollup(df, "objective"), metrics.rollup(scaled, "objective")),
    ]:
        np.testing.assert_allclose(frame_a["roas"], frame_b["roas"], rtol=1e-9)


@st.composite
def trend_rows(draw: st.DrawFn) -> pd.DataFrame:
    days = pd.date_range("2026-02-20", "2026-03-20")
    cells = draw(
        st.lists(
            st.tuples(st.sampled_from(["e1", "e2", "e3"]), st.integers(0, len(days) - 1)),
            min_size=1,
            max_size=40,
            unique=True,
        )
    )
    n = len(cells)
    return pd.DataFrame(
        {
            "entity_id": pd.array([c[0] for c in cells], dtype="string"),
            "date": days[[c[1] for c in cells]],
            "spend": draw(st.lists(money, min_size=n, max_size=n)),
            "impressions": pd.array(
                draw(st.lists(st.integers(0, 10**5), min_size=n, max_size=n)), dtype="Int64"
            ),
            "clicks": pd.array(
                draw(st.lists(st.integers(0, 10**3), min_size=n, max_size=n)), dtype="Int64"
            ),
        }
    )


@PROPS
@given(trend_rows(), st.sampled_from(["spend", "impressions", "clicks"]))
def test_daily_pivot_summed_by_week_equals_weekly_pivot(df: pd.DataFrame, values: str) -> None:
    daily = metrics.pivot_trend(df, values, freq="D")
    weekly = metrics.pivot_trend(df, values, freq="W")
    pd.testing.assert_frame_equal(
        # Weeks from Monday to Sunday, labelled by their Monday, in pandas' own words.
        daily.resample("W-MON", closed="left", label="left").sum(),
        weekly,
        check_freq=False,
        check_names=False,
        rtol=1e-9,
    )
    assert daily.to_numpy().sum() == pytest.approx(float(df[values].sum()), rel=1e-9)


def test_credit_shares_with_an_entity_missing_under_one_model() -> None:
    cmp = comparison(
        {"last_touch": [60.0, 30.0, 10.0], "first_touch": [10.0, 40.0, 25.0]},
        ["A", "B", "C"],
    )
    # C is outside first_touch's limit: its row is absent, not zero.
    cmp = cmp[~((cmp["model"] == "first_touch") & (cmp["campaign_name"] == "C"))]
    shares = metrics.compare_models(cmp).shares
    assert shares["last_touch"].tolist() == [0.6, 0.3, 0.1]  # of 100
    assert shares["first_touch"].tolist()[:2] == [0.2, 0.8]  # of 50
    assert pd.isna(shares.loc["C", "first_touch"])


@PROPS
@given(
    st.lists(
        st.lists(st.floats(min_value=0.01, max_value=1e5), min_size=3, max_size=3),
        min_size=2,
        max_size=6,
    ),
    st.data(),
)
def test_credit_shares_are_value_over_the_models_total(
    rows: list[list[float]], data: st.DataObject
) -> None:
    names = [f"C{i}" for i in range(len(rows))]
    values = {model: [r[j] for r in rows] for j, model in enumerate(MODELS)}
    long = comparison(values, names)
    gone = data.draw(st.integers(0, len(long) - 1))  # an entity missing under one model
    long = long.drop(index=gone)
    shares = metrics.compare_models(long).shares
    totals: dict[str, float] = {}
    for model, value in zip(long["model"], long["outcome_value"], strict=True):
        totals[model] = totals.get(model, 0.0) + value
    for name, model, value in zip(
        long["campaign_name"], long["model"], long["outcome_value"], strict=True
    ):
        assert shares.loc[name, model] == pytest.approx(value / totals[model], rel=1e-9)
    assert shares.notna().to_numpy().sum() == len(long)


@PROPS
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["X", "Y"]),
            st.integers(min_value=0, max_value=10**6),
            st.floats(min_value=0, max_value=1),
        ),
        min_size=1,
        max_size=30,
    ),
    st.sampled_from(["ctr", "roas"]),
)
def test_shrunk_estimates_lie_between_raw_and_cohort_mean(
    ads: list[tuple[str, int, float]], metric: str
) -> None:
    n = len(ads)
    impressions = np.array([a[1] for a in ads], dtype=float)
    rate = np.array([a[2] for a in ads])
    df = pd.DataFrame(
        {
            "ad_external_id": pd.array([f"ad{i}" for i in range(n)], dtype="string"),
            "cohort_key": pd.array([a[0] for a in ads], dtype="string"),
            "impressions": impressions,
            "ctr": rate * 100,
            "spend": impressions / 100,
            "attributed_revenue": impressions / 100 * rate * 5,
            "attributed_cash_outcomes": np.ceil(impressions * rate / 1000),
        }
    )
    out = metrics.shrink(df, metric).dropna(subset=["raw"])
    lo = np.minimum(out["raw"], out["cohort_mean"])
    hi = np.maximum(out["raw"], out["cohort_mean"])
    tol = 1e-9 * (1 + hi.abs())
    assert ((out["estimate"] >= lo - tol) & (out["estimate"] <= hi + tol)).all()
    assert ((out["weight"] >= 0) & (out["weight"] <= 1)).all()


def test_compare_models_summary_compares_a_ratio_not_its_share() -> None:
    # By hand: A's ROAS is 20 / 10 = 2.00 under last_touch and 30 / 10 = 3.00 under
    # linear; B's is 1.00 under both. A ratio has no share of credit to speak of.
    frame = pd.DataFrame(
        {
            "campaign_id": ["a", "b", "a", "b"],
            "campaign_name": ["A", "B", "A", "B"],
            "model": ["last_touch", "last_touch", "linear", "linear"],
            "spend": [10.0, 5.0, 10.0, 5.0],
            "outcome_value": [20.0, 5.0, 30.0, 5.0],
            "roas": [2.0, 1.0, 3.0, 1.0],
        }
    )
    lines = metrics.compare_models(frame, metric="roas").summary().splitlines()
    assert lines[0] == "ROAS of 2 campaigns under 2 attribution models (baseline: last_touch)."
    assert lines[1] == "A has a ROAS of 3.00 under linear but 2.00 under last_touch."
    assert not any("credit" in line or "Roas" in line for line in lines)
