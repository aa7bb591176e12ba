"""Targets and pacing on tiny frames whose answers are worked out by hand in the comments."""

from __future__ import annotations

import pandas as pd
import pytest

import atribu_pandas.accessor  # noqa: F401  (registers df.atribu)
from atribu_pandas.exceptions import ArgumentError, ReportError
from atribu_pandas.reports.templates import check_parameters


def campaigns() -> pd.DataFrame:
    # ROAS by hand: A 600/200 = 3.0, B 250/100 = 2.5 (on the target), C 90/60 = 1.5,
    # D no spend. Cost per outcome: A 200/4 = 50, B 100/1 = 100, C 60/0 (spent, nothing).
    return pd.DataFrame(
        {
            "campaign_id": ["a", "b", "c", "d"],
            "campaign_name": ["A", "B", "C", "D"],
            "spend": [200.0, 100.0, 60.0, 0.0],
            "outcome_value": [600.0, 250.0, 90.0, 0.0],
            "outcome_count": [4.0, 1.0, 0.0, 0.0],
        },
        index=[10, 11, 12, 13],
    )


def test_roas_below_the_target_misses_and_on_the_target_meets() -> None:
    flags = campaigns().atribu.against_targets(roas=2.5)
    assert flags.index.tolist() == [10, 11, 12, 13]
    assert flags["roas"].tolist()[:3] == [3.0, 2.5, 1.5]
    assert flags["roas_meets"].tolist() == [True, True, False, pd.NA]
    assert flags["roas_target"].eq(2.5).all()
    assert str(flags["roas_meets"].dtype) == "boolean"


def test_a_cost_above_the_target_misses_and_spend_without_outcomes_misses_too() -> None:
    flags = campaigns().atribu.against_targets(cpa=80)
    # A 50 <= 80 meets; B 100 > 80 misses; C spent 60 for nothing: misses; D: not judged.
    assert flags["cpa_meets"].tolist() == [True, False, False, pd.NA]
    assert pd.isna(flags["cpa"].iloc[2])
    assert flags.attrs["targets"] == {"cpa": 80.0}


def test_cost_per_conversation_reads_the_top_performers_columns() -> None:
    ads = pd.DataFrame(
        {
            "ad_external_id": ["x", "y", "search ad"],
            "spend": [40.0, 30.0, 50.0],
            "messaging_conversations_started": pd.array([100, 20, 0], dtype="Int64"),
        }
    )
    # 40/100 = 0.40 <= 0.5 meets; 30/20 = 1.50 misses; an ad that started no conversation
    # is not a messaging ad: not judged (a cost per outcome would be missed).
    flags = ads.atribu.against_targets(cost_per_conversation=0.5)
    assert flags["cost_per_conversation"].tolist()[:2] == [0.4, 1.5]
    assert flags["cost_per_conversation_meets"].tolist() == [True, False, pd.NA]


@pytest.mark.parametrize("bad", [-1, 0, "2.5", float("nan"), float("inf"), True])
def test_a_target_that_is_not_a_positive_number_is_refused(bad: object) -> None:
    with pytest.raises(ArgumentError, match="roas"):
        campaigns().atribu.against_targets(roas=bad)  # type: ignore[arg-type]


def test_no_target_at_all_is_refused() -> None:
    with pytest.raises(ArgumentError, match="at least one"):
        campaigns().atribu.against_targets()


def trend(first: str, last: str, spend: float, entity: str = "c1") -> pd.DataFrame:
    days = pd.date_range(first, last)
    frame = pd.DataFrame({"entity_id": entity, "date": days, "spend": spend})
    frame.attrs["atribu"] = {"params": {"date_from": first, "date_to": last}}
    return frame


def test_pacing_one_budget_by_hand() -> None:
    # November: 30 days. To the 20th: 10 days at 50, then 10 days at 150.
    df = pd.concat(
        [trend("2026-11-01", "2026-11-10", 50.0), trend("2026-11-11", "2026-11-20", 150.0)]
    )
    df.attrs["atribu"] = {"params": {"date_from": "2026-11-01", "date_to": "2026-11-20"}}
    row = df.atribu.pacing(4000).iloc[0]
    # Spent: 500 + 1500 = 2000; 20 days gone, 10 left; last 7 days all at 150.
    assert row["spend_to_date"] == 2000.0
    assert (row["days_elapsed"], row["days_left"]) == (20, 10)
    assert row["recent_daily"] == 150.0
    # Needed: (4000 - 2000) / 10 = 200 a day; projected 2000 + 150 * 10 = 3500, 87.5%.
    assert row["needed_daily"] == 200.0
    assert row["projected_spend"] == 3500.0
    assert row["projected_share"] == pytest.approx(0.875)
    assert pd.isna(row["campaign_id"])


def test_pacing_counts_a_day_without_delivery_as_zero_and_reaches_back_a_week() -> None:
    # As of Dec 3: the window reaches Nov 27. Rows on Nov 27 and Dec 2 only (10 and 60).
    df = pd.DataFrame(
        {
            "entity_id": ["c1", "c1"],
            "date": pd.to_datetime(["2026-11-27", "2026-12-02"]),
            "spend": [10.0, 60.0],
        }
    )
    df.attrs["atribu"] = {"params": {"date_from": "2026-11-27", "date_to": "2026-12-03"}}
    row = df.atribu.pacing(1000).iloc[0]
    # December to date: 60 (Dec 1 and 3 absent: 0); rate (10 + 60) / 7 = 10; 28 days left.
    assert row["spend_to_date"] == 60.0
    assert row["recent_daily"] == 10.0
    assert row["projected_spend"] == 60.0 + 10.0 * 28


def test_pacing_per_campaign_keys_by_id_or_name() -> None:
    df = pd.concat(
        [
            trend("2026-11-01", "2026-11-10", 10.0, "c1"),
            trend("2026-11-01", "2026-11-10", 30.0, "c2"),
        ]
    )
    df.attrs["atribu"] = {"params": {"date_from": "2026-11-01", "date_to": "2026-11-10"}}
    names = {"c1": "Brand", "c2": "Sale"}
    pace = df.atribu.pacing({"Brand": 300.0, "c2": 600.0}, names=names)
    assert pace["campaign_id"].tolist() == ["c1", "c2"]
    assert pace["campaign_name"].tolist() == ["Brand", "Sale"]
    # c1: 100 spent, 10 a day, 20 left: 300 projected, 100%. c2: 300 + 30 * 20 = 900, 150%.
    assert pace["projected_spend"].tolist() == [300.0, 900.0]
    assert pace["projected_share"].tolist() == [1.0, 1.5]


def test_pacing_refuses_a_trend_that_starts_after_the_month_begins() -> None:
    with pytest.raises(ArgumentError, match="2026-11-01"):
        trend("2026-11-05", "2026-11-20", 1.0).atribu.pacing(100)


def test_pacing_refuses_an_unknown_campaign_name() -> None:
    with pytest.raises(ArgumentError, match="Nope"):
        trend("2026-11-01", "2026-11-20", 1.0).atribu.pacing({"Nope": 5.0}, names={"c1": "A"})


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("target_roas", -2.5),
        ("target_roas", "high"),
        ("target_cpa", 0),
        ("monthly_budget", -1),
        ("monthly_budget", {"Brand": "lots"}),
        ("monthly_budget", {}),
    ],
)
def test_the_template_refuses_a_bad_goal_before_any_request(name: str, value: object) -> None:
    with pytest.raises(ReportError, match=name):
        check_parameters("campaign_performance", {name: value})


def test_the_template_takes_good_goals() -> None:
    given = {"target_roas": 2.5, "target_cpa": 150, "monthly_budget": {"Brand": 1000}}
    assert check_parameters("campaign_performance", given) == {
        "target_roas": 2.5,
        "target_cpa": 150.0,
        "monthly_budget": {"Brand": 1000.0},
    }
