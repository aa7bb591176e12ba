"""df.atribu.plot: each chart renders on Agg with its title, labelled axes and series."""

from __future__ import annotations

from collections.abc import Iterator

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PathCollection
from test_metrics import campaigns, comparison, top_performers, trend

import atribu_pandas.accessor  # noqa: F401
from atribu_pandas import plotting
from atribu_pandas.exceptions import ArgumentError


@pytest.fixture(autouse=True)
def close_figures() -> Iterator[None]:
    yield
    plt.close("all")


def render(ax: plt.Axes) -> None:
    ax.figure.canvas.draw()


def test_roas_bar() -> None:
    df = campaigns()
    ax = df.atribu.plot.roas_bar()
    render(ax)
    assert ax.get_title() == "ROAS by campaign"
    assert ax.get_xlabel() == "ROAS (USD of value per USD of spend)"
    # Brand has no spend: its ROAS is undefined, so no bar (a zero bar would read "loses all").
    assert len(ax.patches) == 2
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Retarget", "Spring Sale"]
    widths = [round(p.get_width(), 6) for p in ax.patches]
    assert widths == [2.0, 2.5]  # 60 / 30, 250 / 100
    assert ax.lines[0].get_xdata()[0] == 1.0  # break-even
    assert [t.get_text() for t in ax.texts] == ["Not shown: 1 campaign without spend (ROAS n/a)"]
    every = campaigns().assign(spend=[100.0, 20.0, 30.0])
    ax2 = every.atribu.plot.roas_bar()
    assert len(ax2.patches) == 3 and len(ax2.texts) == 0


def test_currency_from_attrs_and_given_axes() -> None:
    df = campaigns()
    df.attrs["atribu"] = {"meta": {"currency": "MXN"}}
    _, ax = plt.subplots()
    out = df.atribu.plot.spend_vs_value(ax=ax)
    render(out)
    assert out is ax
    assert ax.get_xlabel() == "Spend (MXN)" and ax.get_ylabel() == "Outcome value (MXN)"
    assert ax.get_title() == "Spend vs outcome value by campaign"
    scatters = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert len(scatters) == 1 and len(scatters[0].get_offsets()) == 3
    assert ax.lines[0].get_label() == "ROAS = 1"
    assert {t.get_text() for t in ax.texts} >= {"Spring Sale", "Retarget"}


def test_spend_vs_value_on_top_performers() -> None:
    ax = top_performers().atribu.plot.spend_vs_value()
    render(ax)
    assert ax.get_title() == "Spend vs attributed revenue by ad"
    assert ax.get_ylabel() == "Attributed revenue (USD)"


def test_trend_lines_rolling_and_small_multiples() -> None:
    ax = trend().atribu.plot.trend("spend", names={"a": "Alpha", "b": "Beta"})
    render(ax)
    assert ax.get_title() == "Spend per day"
    assert ax.get_ylabel() == "Spend (USD)" and ax.get_xlabel() == "Date"
    assert [line.get_label() for line in ax.lines] == ["Alpha", "Beta"]
    assert len(ax.lines[0].get_xdata()) == 10  # the complete calendar
    ax2 = trend().atribu.plot.trend("ctr", freq="W", rolling=2)
    render(ax2)
    assert ax2.get_ylabel() == "CTR (%)"
    assert ax2.get_title() == "CTR per week, 2-week rolling mean"
    assert len(ax2.lines) == 4  # raw (faint) and rolling per entity
    grid = trend().atribu.plot.trend("cpm", small_multiples=True)
    render(grid[0, 0])
    visible = [a for a in grid.ravel() if a.get_visible()]
    assert [a.get_title() for a in visible] == ["a", "b"]
    assert grid[0, 0].figure.get_suptitle() == "CPM per day"
    with pytest.raises(ArgumentError, match="small_multiples"):
        trend().atribu.plot.trend(small_multiples=True, ax=ax)


def test_trend_pivots_once_and_rolls_from_the_sums(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []
    pivot = pd.DataFrame.pivot_table

    def counting(self: pd.DataFrame, *args: object, **kwargs: object) -> pd.DataFrame:
        calls.append(kwargs.get("values"))
        return pivot(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pd.DataFrame, "pivot_table", counting)
    ax = trend().atribu.plot.trend("ctr", rolling=3)
    assert calls == [["clicks", "impressions"]]
    # Solid line of a: 3-day ratio of sums; on 3 Mar (10 + 0 + 30) / (1000 + 0 + 2000).
    solid = ax.lines[1].get_ydata()
    assert np.isnan(solid[1]) and solid[2] == pytest.approx(40 / 3000 * 100)


def test_model_heatmap() -> None:
    cmp = comparison(
        {"last_touch": [100.0, 50.0, 50.0], "first_touch": [20.0, 60.0, 120.0]},
        ["A", "B", "C"],
    )
    ax = cmp.atribu.plot.model_heatmap()
    render(ax)
    assert ax.get_title() == "Share of outcome value credit by attribution model"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["last_touch", "first_touch"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["A", "B", "C"]
    image = ax.get_images()[0].get_array()
    np.testing.assert_allclose(image[:, 1], [10.0, 30.0, 60.0])
    assert "60%" in {t.get_text() for t in ax.texts}
    assert ax.figure.axes[1].get_ylabel() == "Share of credit (%)"  # colorbar
    assert ax.get_ylabel() == "Campaign"
    ad_sets = cmp.assign(
        entity_level=pd.Categorical(["ad_set"] * len(cmp), categories=["campaign", "ad_set", "ad"])
    )
    assert ad_sets.atribu.plot.model_heatmap().get_ylabel() == "Ad set"
    ads = cmp.assign(entity_level=pd.Series(["ad"] * len(cmp), dtype="str"))
    assert ads.atribu.plot.model_heatmap().get_ylabel() == "Ad"


def test_cohort_box() -> None:
    ax = top_performers().atribu.plot.cohort_box()
    render(ax)
    assert ax.get_title() == "Composite score by cohort"
    assert ax.get_xlabel() == "Composite score (0-100)"
    # Sorted by median: X (60) below Y (65).
    assert [t.get_text() for t in ax.get_yticklabels()] == ["X (n=2)", "Y (n=2)"]


def test_shrinkage() -> None:
    ax = top_performers().atribu.plot.shrinkage("roas", top=3)
    render(ax)
    assert ax.get_title() == "ROAS per ad, shrunk toward its cohort"
    assert ax.get_xlabel() == "ROAS (USD of revenue per USD of spend)"
    assert len(ax.get_yticklabels()) == 3
    labels = ax.get_legend_handles_labels()[1]
    assert labels == ["Raw (the ad's own figure)", "Cohort mean", "Shrunk estimate (90% interval)"]
    ax2 = top_performers().atribu.plot.shrinkage()
    assert ax2.get_xlabel() == "CTR (%)"


def test_currency_default() -> None:
    assert plotting.currency_of(pd.DataFrame()) == "USD"
