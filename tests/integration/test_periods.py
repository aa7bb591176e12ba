"""Periods and period comparison against the real sandbox: the figures agree with windows."""

from __future__ import annotations

import datetime as dt
import warnings
from typing import Any

import numpy as np
import pandas as pd
import pytest
import requests

import atribu_pandas as ap
from atribu_pandas.exceptions import ArgumentError

Window = tuple[dt.date, dt.date]


def _campaign_queries(sb: Any, since: int) -> list[dict[str, str]]:
    """The /campaigns queries received since the sandbox's request_count was ``since``."""
    new = sb.request_count - since
    recent = sb.requests[-new:] if new else []
    return [dict(r.query) for r in recent if r.path == "/api/v1/campaigns"]


def _monday_before(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def test_weekly_spend_sums_to_the_windows_spend(sb: Any, client: ap.Client) -> None:
    # 8 whole ISO weeks ending on a Sunday at least a week before the last day.
    end = _monday_before(sb.last_day) - dt.timedelta(days=8)
    start = end - dt.timedelta(days=55)
    assert start.weekday() == 0 and end.weekday() == 6
    before = sb.request_count
    weeks = ap.load_campaign_periods(start, end, client=client)
    queries = _campaign_queries(sb, before)
    # One request per week, each asking exactly Monday..Sunday.
    asked = sorted((q["date_from"], q["date_to"]) for q in queries)
    expected = [
        (
            (start + dt.timedelta(days=7 * i)).isoformat(),
            (start + dt.timedelta(days=7 * i + 6)).isoformat(),
        )
        for i in range(8)
    ]
    assert asked == expected
    assert all(q["limit"] == "100" for q in queries)
    whole = ap.load_campaigns(start, end, limit=100, client=client)
    assert len(whole) < 100  # every campaign fits, so nothing is cut by the limit
    assert weeks["spend"].sum() == pytest.approx(whole["spend"].sum(), abs=0.01)
    # Per campaign too: its weeks add up to its window.
    per_campaign = weeks.groupby("campaign_id")["spend"].sum()
    for row in whole.itertuples():
        assert per_campaign.get(row.campaign_id, 0.0) == pytest.approx(row.spend, abs=0.01)
    assert not weeks["is_partial"].any()
    assert len(weeks.attrs["atribu"]["request_ids"]) == 8
    assert len(set(weeks.attrs["atribu"]["request_ids"])) == 8


def test_cut_periods_are_partial_and_months_are_calendar_months(sb: Any, client: ap.Client) -> None:
    end = sb.last_day - dt.timedelta(days=40)
    start = end - dt.timedelta(days=70)
    months = ap.load_campaign_periods(start, end, freq="M", client=client)
    first = pd.Timestamp(start.replace(day=1))
    assert months["period_start"].min() == first
    assert (months["period_start"].dt.day == 1).all()
    # The first and last months are cut by the window (unless the window starts on the 1st).
    by_period = months.drop_duplicates("period_start").set_index("period_start")["is_partial"]
    assert bool(by_period.iloc[0]) is (start.day != 1)
    month_end = (end + dt.timedelta(days=1)).day == 1
    assert bool(by_period.iloc[-1]) is (not month_end)
    info = months.attrs["atribu"]["periods"]
    assert info[0]["date_from"] == start.isoformat()
    assert info[-1]["date_to"] == end.isoformat()


def test_me_is_the_same_calendar_month_as_m(sb: Any, client: ap.Client) -> None:
    # pandas spells the month "ME", and the accessor's pivots take it: so do the loaders.
    end = sb.last_day - dt.timedelta(days=40)
    start = end - dt.timedelta(days=70)
    months = ap.load_campaign_periods(start, end, freq="M", client=client)
    me = ap.load_campaign_periods(start, end, freq="ME", client=client)
    pd.testing.assert_frame_equal(me, months)
    # Recorded under one name, so the charts call them monthly whichever was asked.
    assert me.attrs["atribu"]["params"]["freq"] == "M"
    assert me.attrs["atribu"]["periods"] == months.attrs["atribu"]["periods"]


def test_again_in_the_process_makes_no_request(sb: Any, client: ap.Client, window: Window) -> None:
    first = ap.load_campaign_periods(*window, client=client)
    before = sb.request_count
    again = ap.load_campaign_periods(*window, client=client)
    assert sb.request_count == before
    assert again.attrs["atribu"]["from_cache"] is True
    pd.testing.assert_frame_equal(first, again)


def test_limit_is_per_period_and_warns_once(sb: Any, client: ap.Client, window: Window) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        weeks = ap.load_campaign_periods(*window, limit=2, client=client)
    truncation = [w for w in caught if issubclass(w.category, ap.TruncatedResultWarning)]
    assert len(truncation) == 1
    assert "periods" in str(truncation[0].message)
    assert weeks.groupby("period_start").size().max() == 2


def test_restating_and_low_evidence_flags(sb: Any, client: ap.Client, window: Window) -> None:
    weeks = ap.load_campaign_periods(*window, client=client)
    last_week = weeks["period_start"].max()
    # The last period touches the sandbox's last day, within the last 3 days.
    assert weeks.loc[weeks["period_start"] == last_week, "restating"].all()
    old = weeks["period_start"] <= pd.Timestamp(sb.last_day - dt.timedelta(days=14))
    assert not weeks.loc[old, "restating"].any()
    assert (weeks["low_evidence"] == (weeks["outcome_count"] < 5)).all()
    quality = weeks.attrs["atribu"]["quality"]
    assert quality["restating"] is True
    assert quality["low_evidence_rows"] == int((weeks["outcome_count"] < 5).sum())


def test_bad_freq_names_the_allowed_values(client: ap.Client, window: Window) -> None:
    with pytest.raises(ArgumentError, match="W \\(ISO weeks"):
        ap.load_campaign_periods(*window, freq="Q", client=client)
    with pytest.raises(ArgumentError, match="previous, year_ago"):
        ap.load_period_comparison(*window, against="last_month", client=client)


def test_period_comparison_windows_and_totals(
    sb: Any, client: ap.Client, old_window: Window
) -> None:
    start, end = old_window
    before = sb.request_count
    both = ap.load_period_comparison(start, end, client=client)
    asked = sorted((q["date_from"], q["date_to"]) for q in _campaign_queries(sb, before))
    ref = (start - dt.timedelta(days=28), start - dt.timedelta(days=1))
    assert asked == sorted(
        [(ref[0].isoformat(), ref[1].isoformat()), (start.isoformat(), end.isoformat())]
    )
    result = both.atribu.compare_periods()
    cur = ap.load_campaigns(start, end, limit=100, client=client)
    old = ap.load_campaigns(*ref, limit=100, client=client)
    t = result.totals
    assert t.at["spend", "current"] == pytest.approx(cur["spend"].sum())
    assert t.at["spend", "reference"] == pytest.approx(old["spend"].sum())
    roas_cur = cur["outcome_value"].sum() / cur["spend"].sum()
    roas_ref = old["outcome_value"].sum() / old["spend"].sum()
    assert t.at["roas", "change"] == pytest.approx(roas_cur - roas_ref)
    assert t.at["cac", "current"] == pytest.approx(cur["spend"].sum() / cur["outcome_count"].sum())
    assert result.current == (start.isoformat(), end.isoformat())
    assert result.against == "previous"
    text = result.summary()
    assert f"ROAS {roas_cur:.2f} against {roas_ref:.2f}" in text
    assert "the previous period" in text


def test_year_ago_reference(client: ap.Client, sb: Any) -> None:
    end = sb.last_day - dt.timedelta(days=10)
    start = end - dt.timedelta(days=6)
    both = ap.load_period_comparison(start, end, against="year_ago", client=client)
    info = both.attrs["atribu"]["comparison"]
    assert info["reference"] == (
        start.replace(year=start.year - 1).isoformat(),
        end.replace(year=end.year - 1).isoformat(),
    )


def test_pivot_trend_and_rollup_accept_period_frames(client: ap.Client, window: Window) -> None:
    weeks = ap.load_campaign_periods(*window, client=client)
    roas = weeks.atribu.pivot_trend("roas")
    assert roas.index.name == "period_start"
    row = weeks[weeks["spend"] > 0].iloc[0]
    label = row["campaign_name"]
    if label in roas.columns:  # names shared by two campaigns get an id suffix
        assert roas.at[row["period_start"], label] == pytest.approx(
            row["outcome_value"] / row["spend"]
        )
    totals = weeks.atribu.rollup("period_start")
    assert list(totals.columns[:4]) == ["period_start", "period_end", "is_partial", "restating"]
    by_hand = weeks.groupby("period_start")[["outcome_value", "spend"]].sum()
    np.testing.assert_allclose(
        totals["roas"].to_numpy(), (by_hand["outcome_value"] / by_hand["spend"]).to_numpy()
    )
    pd.testing.assert_series_equal(
        weeks.atribu.period_totals()["spend"], totals["spend"], check_names=False
    )


def test_each_period_keeps_its_own_freshness(sb: Any, client: ap.Client) -> None:
    # Four weeks ending on the sandbox's last day: the first two end at least 8 days
    # before it (settled whatever the hour), the last one touches the last 3 days.
    end = sb.last_day
    start = end - dt.timedelta(days=end.weekday()) - dt.timedelta(days=21)
    weeks = ap.load_campaign_periods(start, end, client=client)
    cache = client._cache.backend  # type: ignore[union-attr]
    lifetimes = {}
    for response in cache.responses.values():
        date_to = requests.utils.urlparse(response.url).query.split("date_to=")[1][:10]
        lifetimes[date_to] = response.expires - response.created_at
    second = dt.timedelta(seconds=1)
    ends = [x["date_to"] for x in weeks.attrs["atribu"]["periods"]]
    assert len(ends) == 4 and ends[-1] == end.isoformat()
    for settled in ends[:2]:
        assert abs(lifetimes[settled] - dt.timedelta(hours=24)) < second
    assert abs(lifetimes[ends[-1]] - dt.timedelta(minutes=15)) < second
