"""Period splitting, quality flags and period comparison on hand-computed tiny inputs."""

from __future__ import annotations

import datetime as dt

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest

from atribu_pandas import metrics
from atribu_pandas.display.charts import periods as period_plots
from atribu_pandas.exceptions import ArgumentError
from atribu_pandas.frames.quality import footnote, window_flags
from atribu_pandas.loaders.periods import split_periods


def test_weeks_are_iso_weeks_cut_to_the_window() -> None:
    periods = split_periods("2026-03-04", "2026-03-16", "W")  # a Wednesday to a Monday
    assert [(p.start, p.end, p.date_from, p.date_to, p.cut) for p in periods] == [
        (dt.date(2026, 3, 2), dt.date(2026, 3, 8), dt.date(2026, 3, 4), dt.date(2026, 3, 8), True),
        (
            dt.date(2026, 3, 9),
            dt.date(2026, 3, 15),
            dt.date(2026, 3, 9),
            dt.date(2026, 3, 15),
            False,
        ),
        (
            dt.date(2026, 3, 16),
            dt.date(2026, 3, 22),
            dt.date(2026, 3, 16),
            dt.date(2026, 3, 16),
            True,
        ),
    ]


def test_months_know_february_and_a_year_is_52_or_53_weeks() -> None:
    months = split_periods("2028-01-15", "2028-03-31", "M")
    assert [(p.start.isoformat(), p.end.isoformat()) for p in months] == [
        ("2028-01-01", "2028-01-31"),
        ("2028-02-01", "2028-02-29"),  # 2028 is a leap year
        ("2028-03-01", "2028-03-31"),
    ]
    assert len(split_periods("2025-12-01", "2026-11-29", "W")) == 52
    assert len(split_periods("2026-03-01", "2026-03-03", "D")) == 3


def test_too_many_periods_and_inverted_windows_are_refused() -> None:
    with pytest.raises(ArgumentError, match="at most 400 periods"):
        split_periods("2020-01-01", "2026-01-01", "D")
    with pytest.raises(ArgumentError, match="on or before"):
        split_periods("2026-03-05", "2026-03-01", "W")


def test_window_flags_follow_the_three_day_rule() -> None:
    now = dt.datetime(2026, 3, 20, 6, 0, tzinfo=dt.UTC)  # still 03-19 at UTC-12
    # "Today" somewhere is 03-19: the last 3 days are 03-16..03-18, and 03-19 is not over.
    assert window_flags("2026-03-01", "2026-03-15", now=now) == {
        "restating": False,
        "partial_day": False,
    }
    assert window_flags("2026-03-01", "2026-03-16", now=now)["restating"] is True
    assert window_flags("2026-03-01", "2026-03-18", now=now)["partial_day"] is False
    assert window_flags("2026-03-01", "2026-03-19", now=now)["partial_day"] is True
    assert footnote({"restating": False, "partial_day": False, "low_evidence_rows": 0}) == ""
    assert "1 row rests on fewer than 5" in footnote({"low_evidence_rows": 1})


def _frame() -> pd.DataFrame:
    # Week 1: a, b. Week 2: a, c (b gone, c new).
    return pd.DataFrame(
        {
            "period_start": pd.to_datetime(["2026-03-02"] * 2 + ["2026-03-09"] * 2),
            "period_end": pd.to_datetime(["2026-03-08"] * 2 + ["2026-03-15"] * 2),
            "is_partial": [False, False, True, True],
            "restating": [False, False, True, True],
            "campaign_id": ["a", "b", "a", "c"],
            "campaign_name": ["Alpha", "Beta", "Alpha", "Gamma"],
            "spend": [100.0, 50.0, 200.0, 40.0],
            "outcome_value": [300.0, 25.0, 400.0, 0.0],
            "outcome_count": [10, 1, 8, 0],
        }
    )


def test_compare_periods_by_hand() -> None:
    result = metrics.compare_periods(_frame())
    table = result.table.set_index("campaign_name")
    assert table.loc["Alpha", "status"] == "both"
    assert table.loc["Beta", "status"] == "gone"
    assert table.loc["Gamma", "status"] == "new"
    assert result.new == ["Gamma"] and result.gone == ["Beta"]
    # Alpha: ROAS 3.0 -> 2.0; CAC 10 -> 25; spend +100%.
    assert table.loc["Alpha", "roas_change"] == pytest.approx(-1.0)
    assert table.loc["Alpha", "cac_current"] == pytest.approx(25.0)
    assert table.loc["Alpha", "spend_change_pct"] == pytest.approx(100.0)
    # An absent side is unknown, not zero.
    assert np.isnan(table.loc["Gamma", "spend_reference"])
    assert np.isnan(table.loc["Gamma", "spend_change"])
    # Totals from sums: reference 325/150, current 400/240.
    t = result.totals
    assert t.at["roas", "reference"] == pytest.approx(325 / 150)
    assert t.at["roas", "current"] == pytest.approx(400 / 240)
    assert t.at["cac", "current"] == pytest.approx(240 / 8)
    assert t.at["outcome_count", "change"] == pytest.approx(-3)
    assert t.at["spend", "change_pct"] == pytest.approx(60.0)
    assert table.loc["Beta", "low_evidence"] and not table.loc["Alpha", "low_evidence"]
    text = result.summary()
    assert "Spend USD 240 (+60% from USD 150)" in text  # the API sends no currency: USD
    assert "ROAS 1.67 against 2.17" in text
    assert "1 new in this period: Gamma." in text
    assert "ROAS of Alpha fell from 3.00 to 2.00." in text
    # A report stamps its currency on the frame; the sentences then say it.
    euros = _frame()
    euros.attrs["currency"] = "EUR"
    # CAC from sums: 240 / 8 now, 150 / 11 before.
    assert "CAC EUR 30.00 against EUR 13.64" in metrics.compare_periods(euros).summary()


def test_compare_periods_names_the_bad_period() -> None:
    with pytest.raises(ArgumentError, match="one of the frame's period starts"):
        metrics.compare_periods(_frame(), current="2026-04-06")
    one = _frame()[lambda d: d["period_start"] == "2026-03-02"]
    with pytest.raises(ArgumentError, match="at least two periods"):
        metrics.compare_periods(one)


def test_period_totals_and_pivot_keep_absence_as_nan() -> None:
    totals = metrics.period_totals(_frame())
    assert totals["spend"].tolist() == [150.0, 240.0]
    assert totals["entities"].tolist() == [2, 2]
    assert totals["is_partial"].tolist() == [False, True]
    spend = metrics.pivot_trend(_frame(), "spend")
    assert np.isnan(spend.loc["2026-03-09", "Beta"])
    cac = metrics.pivot_trend(_frame(), "cac")
    assert cac.loc["2026-03-02", "Alpha"] == pytest.approx(10.0)
    assert np.isnan(cac.loc["2026-03-09", "Gamma"])  # no outcomes: CAC undefined, not inf
    rolled = metrics.pivot_trend(_frame(), "roas", rolling=2)
    assert rolled.loc["2026-03-09", "Alpha"] == pytest.approx(700 / 300)


def test_roas_over_time_hatches_the_flagged_periods() -> None:
    ax = period_plots.roas_over_time(_frame(), top=0)
    hatched = [bar.get_hatch() for bar in ax.patches]
    assert hatched == [None, period_plots.HATCH]
    right = next(a for a in ax.figure.axes if a is not ax)
    total_line = right.get_lines()[0]
    np.testing.assert_allclose(total_line.get_ydata(), [325 / 150, 400 / 240])


def test_period_change_draws_entities_in_both_periods() -> None:
    ax = period_plots.period_change(_frame(), "roas")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["Alpha"]  # Beta (gone) and Gamma (new) have no change to draw
    assert ax.patches[0].get_width() == pytest.approx(-1.0)
