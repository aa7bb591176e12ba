"""A client's currency reaches every frame, chart, summary and widget; mixing one warns.

The API sends amounts without a currency: ``Client(currency=)`` or ``ATRIBU_CURRENCY``
states it, the loaders record it, and everything that shows amounts reads it from the
frame. A workspace of clients in different currencies keeps each row's; adding them up
warns, and ``df.atribu.in_currency`` converts at the caller's rates.
"""

from __future__ import annotations

import warnings
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
import pytest

import atribu_pandas as ap
from atribu_pandas.frames.provenance import currency_of

Window = tuple[Any, Any]


@pytest.fixture
def eur_client(sb: Any, cache_dir: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("ATRIBU_CURRENCY", "eur")
    return sb.client(cache_dir=cache_dir)


def test_a_client_states_its_currency_and_refuses_a_wrong_one(sb: Any) -> None:
    client = sb.client(currency="mxn", cache=False)
    assert client.currency == "MXN"
    assert "currency='MXN'" in repr(client)
    with pytest.raises(ap.ArgumentError, match=r"EURO.*ISO 4217"):
        sb.client(currency="EURO", cache=False)


def test_atribu_currency_refused_names_the_variable(sb: Any, monkeypatch: Any) -> None:
    monkeypatch.setenv("ATRIBU_CURRENCY", "dollars")
    with pytest.raises(ap.ArgumentError, match="ATRIBU_CURRENCY"):
        sb.client(cache=False)


def test_no_stated_currency_is_none_and_shown_as_usd(sb: Any, monkeypatch: Any) -> None:
    monkeypatch.delenv("ATRIBU_CURRENCY", raising=False)
    client = sb.client(cache=False)
    camps = ap.load_campaigns(sb.last_day, sb.last_day, client=client)
    assert client.currency is None
    assert camps.attrs["atribu"]["currency"] is None
    assert currency_of(camps) == "USD"


def test_atribu_currency_eur_reaches_every_chart_summary_and_widget(
    eur_client: Any, window: Window, sb: Any
) -> None:
    camps = ap.load_campaigns(*window, level="campaign", client=eur_client)
    ads = ap.load_campaigns(*window, level="ad", client=eur_client)
    top = ap.load_top_performers(window="28d", client=eur_client)
    trend = ap.load_campaign_trend(camps["campaign_id"].head(3), *window, client=eur_client)
    weeks = ap.load_campaign_periods(*window, freq="W", client=eur_client)
    both = ap.load_period_comparison(*window, client=eur_client)
    for frame in (camps, ads, top, trend, weeks, both):
        assert frame.attrs["atribu"]["currency"] == "EUR"
    axes = [
        camps.atribu.plot.roas_bar(),
        ads.atribu.plot.spend_vs_value(),
        top.atribu.plot.shrinkage("roas"),
        trend.atribu.plot.trend("spend", names=camps),
        weeks.atribu.plot.roas_over_time(),
    ]
    labels = [f"{ax.get_xlabel()} {ax.get_ylabel()} {ax.get_title()}" for ax in axes]
    plt.close("all")
    money_labels = [label for label in labels if "EUR" in label]
    # Every chart that labels money says EUR, and none says USD or $.
    assert len(money_labels) >= 4, labels
    assert not [label for label in labels if "USD" in label or "$" in label], labels
    summary = both.atribu.compare_periods().summary()
    assert "EUR" in summary and "USD" not in summary
    from atribu_pandas.widgets.table import table_html

    table = table_html(camps)
    assert "€" in table and "$" not in table


def test_a_workspace_keeps_each_clients_currency_and_warns_when_adding_them(
    sb: Any, cache_dir: Any, window: Window, monkeypatch: Any
) -> None:
    monkeypatch.delenv("ATRIBU_CURRENCY", raising=False)
    ws = sb.workspace(cache_dir=cache_dir, progress=False)
    first, second = ws.profiles
    ws = sb.workspace(cache_dir=cache_dir, progress=False, currencies={first: "EUR"})
    df = ws.load_campaigns(*window, level="campaign")
    assert df.attrs["atribu"]["currencies"] == {first: "EUR", second: None}
    # By profile, each row group is in one currency: no warning, each its own.
    with warnings.catch_warnings():
        warnings.simplefilter("error", ap.MixedCurrencyWarning)
        by_profile = df.atribu.rollup("profile")
        per = df[df["profile"] == first]
        assert currency_of(per) == "EUR"
    assert len(by_profile) == 2
    # Across profiles the sum is in no currency, and says so.
    with pytest.warns(ap.MixedCurrencyWarning, match="EUR, USD.*in_currency"):
        total = df.atribu.rollup()
    assert total.attrs["currency"] == "XXX"
    # Converted first: a sum in one currency, checked by hand from the two profiles' sums.
    usd = df.atribu.in_currency("USD", rates={"EUR": 1.25})
    with warnings.catch_warnings():
        warnings.simplefilter("error", ap.MixedCurrencyWarning)
        converted = usd.atribu.rollup()
    eur_spend = float(df.loc[df["profile"] == first, "spend"].sum())
    usd_spend = float(df.loc[df["profile"] == second, "spend"].sum())
    assert float(converted["spend"].iloc[0]) == pytest.approx(eur_spend * 1.25 + usd_spend)
    assert currency_of(converted) == "USD"
    # ROAS of each row is the same in any currency.
    pd.testing.assert_series_equal(usd["roas"], df["roas"])


def test_in_currency_names_a_missing_rate_and_refuses_bad_ones(
    sb: Any, cache_dir: Any, window: Window
) -> None:
    camps = ap.load_campaigns(*window, client=sb.client(cache_dir=cache_dir, currency="GBP"))
    with pytest.raises(ap.ArgumentError, match=r"\['GBP'\] missing"):
        camps.atribu.in_currency("USD", rates={"EUR": 1.1})
    with pytest.raises(ap.ArgumentError, match="positive number"):
        camps.atribu.in_currency("USD", rates={"GBP": -1})
    with pytest.raises(ap.ArgumentError, match="ISO 4217"):
        camps.atribu.in_currency("POUNDS", rates={"GBP": 1.3})
    same = camps.atribu.in_currency("GBP", rates={})
    pd.testing.assert_series_equal(same["spend"], camps["spend"])


def test_workspace_currencies_must_name_its_profiles(sb: Any, cache_dir: Any) -> None:
    with pytest.raises(ap.ArgumentError, match="currencies"):
        sb.workspace(cache_dir=cache_dir, currencies={"Nobody": "EUR"})
