"""One meaning per frequency everywhere: "M" and "ME" are the calendar month, "W" the week
from Monday labelled by its Monday, in the accessor's rollups, pivots and trend chart and
in the period loaders alike."""

from __future__ import annotations

import datetime as dt

import matplotlib
import numpy as np
import pandas as pd
import pytest

import atribu_pandas  # noqa: F401  (registers df.atribu)
from atribu_pandas.exceptions import ArgumentError
from atribu_pandas.loaders.periods import split_periods

matplotlib.use("Agg")

MONTHS = ("M", "ME", "1M", "1ME")
WEEKS = ("W", "1W")


def trend() -> pd.DataFrame:
    """Two ads across a month end and a short month: Fri 30 Jan 2026 to Sun 1 Mar 2026."""
    return pd.DataFrame(
        {
            "entity_id": pd.array(["a", "b", "a", "b", "a"], dtype="string"),
            "date": pd.to_datetime(
                ["2026-01-30", "2026-01-31", "2026-02-01", "2026-02-28", "2026-03-01"]
            ),
            "spend": [10.0, 5.0, 20.0, 7.0, 4.0],
            "impressions": pd.array([1000, 500, 2000, 700, 400], dtype="Int64"),
            "clicks": pd.array([10, 5, 30, 7, 2], dtype="Int64"),
        }
    )


# By hand, month by month (labelled by the month's last day):
#   January:  a 10 + b 5 = 15 spend; 15 clicks on 1,500 impressions -> CTR 1.0%
#   February: a 20 + b 7 = 27 spend; 37 clicks on 2,700 impressions -> CTR 1.370...%
#   March:    a 4 spend; 2 clicks on 400 impressions -> CTR 0.5%
MONTH_ENDS = ["2026-01-31", "2026-02-28", "2026-03-31"]


@pytest.mark.parametrize("freq", MONTHS)
def test_rollup_by_month(freq: str) -> None:
    out = trend().atribu.rollup(freq=freq)
    assert out["date"].dt.strftime("%Y-%m-%d").tolist() == MONTH_ENDS
    assert out["spend"].tolist() == [15.0, 27.0, 4.0]
    assert out["ctr"].tolist() == pytest.approx([1.0, 37 / 2700 * 100, 0.5])


@pytest.mark.parametrize("freq", MONTHS)
def test_pivot_trend_by_month(freq: str) -> None:
    out = trend().atribu.pivot_trend("spend", freq=freq)
    assert out.index.strftime("%Y-%m-%d").tolist() == MONTH_ENDS
    assert out["a"].tolist() == [10.0, 20.0, 4.0]
    assert out["b"].tolist() == [5.0, 7.0, 0.0]  # no delivery in March: 0, not missing
    cpc = trend().atribu.pivot_trend("cpc", freq=freq)
    assert cpc["b"].tolist()[:2] == [1.0, 1.0]  # 5 / 5 and 7 / 7
    assert np.isnan(cpc["b"].tolist()[2])  # no clicks in March: no CPC


@pytest.mark.parametrize("freq", MONTHS)
def test_trend_chart_by_month(freq: str) -> None:
    import matplotlib.pyplot as plt

    ax = trend().atribu.plot.trend("spend", freq=freq)
    try:
        lines = {line.get_label(): line for line in ax.get_lines()}
        # The window (30 Jan to 1 Mar) cuts January and March short: their figures are
        # hollow dots, off the solid line, so March's 1 day never reads as a drop.
        assert np.isnan(lines["a"].get_ydata()).tolist() == [True, False, True]
        assert list(lines["a"].get_ydata())[1] == 20.0 and list(lines["b"].get_ydata())[1] == 7.0
        hollow = [line for line in ax.get_lines() if line.get_markerfacecolor() == "white"]
        assert [list(line.get_ydata()) for line in hollow] == [[10.0, 4.0], [5.0, 0.0]]
        days = pd.to_datetime(lines["a"].get_xdata()).strftime("%Y-%m-%d").tolist()
        assert days == MONTH_ENDS
        assert ax.get_title() == "Spend per month"
    finally:
        plt.close(ax.figure)


@pytest.mark.parametrize("freq", ["M", "ME"])
def test_period_loaders_split_the_same_months(freq: str) -> None:
    periods = split_periods("2026-01-30", "2026-03-01", freq)
    assert [(p.start, p.end) for p in periods] == [
        (dt.date(2026, 1, 1), dt.date(2026, 1, 31)),
        (dt.date(2026, 2, 1), dt.date(2026, 2, 28)),
        (dt.date(2026, 3, 1), dt.date(2026, 3, 31)),
    ]
    # The accessor labels a month by its last day: the period loaders' period_end.
    assert [p.end.isoformat() for p in periods] == MONTH_ENDS


# By hand, week by week (Monday to Sunday, labelled by the Monday):
#   week of Mon 26 Jan: a 10 (Fri 30) + b 5 (Sat 31) + a 20 (Sun 1 Feb) = 35
#   weeks of 2, 9 and 16 Feb: nothing
#   week of Mon 23 Feb: b 7 (Sat 28) + a 4 (Sun 1 Mar) = 11
WEEK_MONDAYS = ["2026-01-26", "2026-02-02", "2026-02-09", "2026-02-16", "2026-02-23"]


@pytest.mark.parametrize("freq", WEEKS)
def test_weeks_start_monday_everywhere(freq: str) -> None:
    pivot = trend().atribu.pivot_trend("spend", freq=freq)
    assert pivot.index.strftime("%Y-%m-%d").tolist() == WEEK_MONDAYS
    assert (pivot["a"] + pivot["b"]).tolist() == [35.0, 0.0, 0.0, 0.0, 11.0]
    rolled = trend().atribu.rollup(freq=freq)
    delivered = rolled[rolled["spend"] > 0]
    assert delivered["date"].dt.strftime("%Y-%m-%d").tolist() == ["2026-01-26", "2026-02-23"]
    assert delivered["spend"].tolist() == [35.0, 11.0]
    weeks = split_periods("2026-01-30", "2026-03-01", "W")
    assert [p.start.isoformat() for p in weeks] == WEEK_MONDAYS


@pytest.mark.parametrize("freq", ["m", "month", "0M", "-1M", "MEE"])
def test_a_frequency_that_is_not_one_is_refused(freq: str) -> None:
    with pytest.raises(ArgumentError, match="freq"):
        trend().atribu.rollup(freq=freq)
    with pytest.raises(ArgumentError, match="freq"):
        trend().atribu.pivot_trend(freq=freq)
    with pytest.raises(ArgumentError, match="freq"):
        split_periods("2026-01-30", "2026-03-01", freq)
