"""df.atribu.plot: each chart renders on Agg with its title, labelled axes and series."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import LineCollection, PathCollection
from test_metrics import campaigns, comparison, top_performers, trend

import atribu_pandas as ap
import atribu_pandas.accessor  # registers df.atribu
from atribu_pandas.display import charts
from atribu_pandas.exceptions import ArgumentError
from atribu_pandas.frames.build import empty_frame
from atribu_pandas.frames.schemas import schema_for

NOTE = "No data in this window"


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
    # Each bar says its value as the tables write a ROAS; the note counts the campaign left out.
    assert [t.get_text() for t in ax.texts] == [
        "2.00×",
        "2.50×",
        "Not shown: 1 campaign without spend (ROAS n/a)",
    ]
    every = campaigns().assign(spend=[100.0, 20.0, 30.0])
    ax2 = every.atribu.plot.roas_bar()
    assert len(ax2.patches) == 3 and not [t for t in ax2.texts if "Not shown" in t.get_text()]
    # The legend sits under the axes and their x labels, never over the bars.
    render(ax2)
    renderer = ax2.figure.canvas.get_renderer()
    legend = ax2.get_legend().get_window_extent(renderer)
    assert legend.y1 <= ax2.xaxis.get_tightbbox(renderer).y0


def test_a_roas_of_zero_is_visible() -> None:
    # Spring Sale spent 100 and brought back nothing: ROAS 0, a bar of no length.
    df = campaigns().assign(outcome_value=[0.0, 60.0, 40.0], spend=[100.0, 30.0, 10.0])
    ax = df.atribu.plot.roas_bar()
    render(ax)
    zero = [t for t in ax.texts if t.get_text() == "0.00×"]
    assert len(zero) == 1
    # A mark at zero on the zero bar's row, in the "ROAS < 1" colour.
    marks = [line for line in ax.lines if list(line.get_xdata()) == [0]]
    assert len(marks) == 1 and marks[0].get_marker() == "|"


def _legend_swatches(ax: plt.Axes) -> dict[str, tuple[float, ...]]:
    legend = ax.get_legend()
    assert legend is not None
    return {
        text.get_text(): tuple(handle.get_facecolor())
        for handle, text in zip(legend.legend_handles, legend.get_texts(), strict=True)
        # Colour swatches only: the hatched "fewer than 5 outcomes" key is not a colour.
        if isinstance(handle, matplotlib.patches.Rectangle) and not handle.get_hatch()
    }


def test_roas_bar_legend_swatches_are_the_bar_colours() -> None:
    # Both bars pay back (ROAS 2.5 and 2.0): one swatch, in the bars' colour.
    ax = campaigns().atribu.plot.roas_bar()
    render(ax)
    bar_colours = {tuple(p.get_facecolor()) for p in ax.patches}
    assert len(bar_colours) == 1
    swatches = _legend_swatches(ax)
    assert set(swatches.values()) == bar_colours
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[-1] == "Break-even (ROAS = 1)"
    # Brand now spends 20 for no value (ROAS 0): a second colour, and a second swatch.
    ax2 = campaigns().assign(spend=[100.0, 20.0, 30.0]).atribu.plot.roas_bar()
    render(ax2)
    by_label = dict(
        zip(
            [t.get_text() for t in ax2.get_yticklabels()],
            [tuple(p.get_facecolor()) for p in ax2.patches],
            strict=True,
        )
    )
    swatches2 = _legend_swatches(ax2)
    assert set(swatches2.values()) == set(by_label.values()) and len(swatches2) == 2
    below = [label for label in swatches2 if "< 1" in label]
    assert len(below) == 1 and swatches2[below[0]] == by_label["Brand"]
    assert swatches2[below[0]] != by_label["Spring Sale"]


# --- empty windows --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sandbox_empties(sandbox: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Frames the loaders return for a day before the sandbox's first day (no rows)."""
    cache: Path = tmp_path_factory.mktemp("empty-cache")
    client = sandbox.client(cache_dir=cache, progress=False)
    day = sandbox.first_day - dt.timedelta(days=30)
    last = sandbox.last_day
    ids = ap.load_campaigns(last - dt.timedelta(days=27), last, level="campaign", client=client)
    frames = {
        "campaigns": ap.load_campaigns(day, day, level="campaign", client=client),
        "trend": ap.load_campaign_trend(ids["campaign_id"][:3], day, day, client=client),
        "top": ap.load_top_performers(min_spend=1e12, client=client),
        "comparison": ap.load_model_comparison(day, day, client=client),
    }
    assert len(ids) > 0 and all(len(f) == 0 for f in frames.values())
    return frames


def _hand_empties() -> dict[str, pd.DataFrame]:
    """Empty frames with the loaders' dtypes, made without a sandbox."""
    return {
        "campaigns": empty_frame(schema_for("Campaigns")),
        "trend": empty_frame(schema_for("CampaignTrend")),
        "top": empty_frame(schema_for("TopPerformers")),
        "comparison": empty_frame(schema_for("Campaigns", with_model=True)),
    }


def _fixture_empties() -> dict[str, pd.DataFrame]:
    """The test frames of test_metrics with every row dropped."""
    return {
        "campaigns": campaigns().iloc[:0],
        "trend": trend().iloc[:0],
        "top": top_performers().iloc[:0],
        "comparison": comparison({"last_touch": [1.0], "first_touch": [2.0]}, ["A"]).iloc[:0],
    }


# (frame, call, title, x label, y label)
EMPTY_CHARTS: list[tuple[str, Callable[[pd.DataFrame], Any], str, str, str]] = [
    (
        "campaigns",
        lambda df: df.atribu.plot.roas_bar(),
        "ROAS by campaign",
        "ROAS (USD of value per USD of spend)",
        "Campaign",
    ),
    (
        "top",
        lambda df: df.atribu.plot.roas_bar(),
        "ROAS by ad",
        "ROAS (USD of value per USD of spend)",
        "Ad",
    ),
    (
        "campaigns",
        lambda df: df.atribu.plot.spend_vs_value(),
        "Spend vs outcome value by campaign",
        "Spend (USD)",
        "Outcome value (USD)",
    ),
    (
        "top",
        lambda df: df.atribu.plot.spend_vs_value(),
        "Spend vs attributed revenue by ad",
        "Spend (USD)",
        "Attributed revenue (USD)",
    ),
    ("trend", lambda df: df.atribu.plot.trend(), "Spend per day", "Date", "Spend (USD)"),
    (
        "trend",
        lambda df: df.atribu.plot.trend("ctr", freq="W", rolling=2),
        "CTR per week, 2-week rolling mean",
        "Week starting (Monday)",
        "CTR (%)",
    ),
    (
        "comparison",
        lambda df: df.atribu.plot.model_heatmap(),
        "Share of outcome value credit by attribution model",
        "Attribution model",
        "Campaign",
    ),
    (
        "top",
        lambda df: df.atribu.plot.cohort_box(),
        "Composite score by cohort",
        "Composite score (0-100)",
        "Cohort",
    ),
    (
        "top",
        lambda df: df.atribu.plot.shrinkage(),
        "CTR per ad, shrunk toward its cohort",
        "CTR (%)",
        "Ad",
    ),
    (
        "top",
        lambda df: df.atribu.plot.shrinkage("roas"),
        "ROAS per ad, shrunk toward its cohort",
        "ROAS (USD of revenue per USD of spend)",
        "Ad",
    ),
]
CHART_IDS = [
    f"{kind}-{title.split()[0].lower()}-{i}"
    for i, (kind, _, title, _, _) in enumerate(EMPTY_CHARTS)
]


def assert_empty_chart(ax: Any, title: str, xlabel: str, ylabel: str) -> None:
    render(ax)
    assert isinstance(ax, plt.Axes)
    assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == (title, xlabel, ylabel)
    notes = [t for t in ax.texts if t.get_text() == NOTE]
    assert len(notes) == 1
    note = notes[0]
    # Centred in the Axes, whatever the data limits.
    assert note.get_transform() == ax.transAxes
    assert note.get_position() == (0.5, 0.5)
    assert (note.get_horizontalalignment(), note.get_verticalalignment()) == ("center", "center")
    # Nothing drawn from data: no bar, no image, no point, no data line.
    assert not ax.patches and not ax.get_images()
    for c in ax.collections:
        if isinstance(c, PathCollection):
            assert len(c.get_offsets()) == 0
        if isinstance(c, LineCollection):
            assert len(c.get_segments()) == 0
    assert all(len(line.get_xdata()) == 0 or line.get_linestyle() == "--" for line in ax.lines)


@pytest.mark.parametrize(("kind", "draw", "title", "xlabel", "ylabel"), EMPTY_CHARTS, ids=CHART_IDS)
def test_empty_sandbox_window_draws_a_labelled_empty_chart(
    sandbox_empties: dict[str, Any],
    kind: str,
    draw: Callable[[pd.DataFrame], Any],
    title: str,
    xlabel: str,
    ylabel: str,
) -> None:
    assert_empty_chart(draw(sandbox_empties[kind]), title, xlabel, ylabel)


@pytest.mark.parametrize("source", [_hand_empties, _fixture_empties], ids=["schema", "fixture"])
@pytest.mark.parametrize(("kind", "draw", "title", "xlabel", "ylabel"), EMPTY_CHARTS, ids=CHART_IDS)
def test_empty_hand_made_frame_draws_a_labelled_empty_chart(
    source: Callable[[], dict[str, pd.DataFrame]],
    kind: str,
    draw: Callable[[pd.DataFrame], Any],
    title: str,
    xlabel: str,
    ylabel: str,
) -> None:
    frame = source()[kind]
    assert len(frame) == 0
    assert_empty_chart(draw(frame), title, xlabel, ylabel)


def test_empty_charts_on_given_axes_and_small_multiples(sandbox_empties: dict[str, Any]) -> None:
    _, ax = plt.subplots()
    assert sandbox_empties["campaigns"].atribu.plot.spend_vs_value(ax=ax) is ax
    # The legend names only what is drawn: the break-even line, no marker of absent points.
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["ROAS = 1"]
    assert sandbox_empties["top"].atribu.plot.shrinkage().get_legend() is None
    bars = sandbox_empties["campaigns"].atribu.plot.roas_bar()
    assert [t.get_text() for t in bars.get_legend().get_texts()] == ["Break-even (ROAS = 1)"]
    grid = sandbox_empties["trend"].atribu.plot.trend("cpm", small_multiples=True)
    render(grid[0, 0])
    visible = [a for a in grid.ravel() if a.get_visible()]
    assert len(visible) == 1 and [t.get_text() for t in visible[0].texts] == [NOTE]
    assert grid[0, 0].figure.get_suptitle() == "CPM per day"


def test_charts_with_data_have_no_empty_note() -> None:
    drawn = [
        campaigns().atribu.plot.roas_bar(),
        campaigns().atribu.plot.spend_vs_value(),
        trend().atribu.plot.trend(),
        comparison({"last_touch": [1.0], "first_touch": [2.0]}, ["A"]).atribu.plot.model_heatmap(),
        top_performers().atribu.plot.cohort_box(),
        top_performers().atribu.plot.shrinkage(),
    ]
    for ax in drawn:
        assert NOTE not in {t.get_text() for t in ax.texts}


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
    # Raw (faint) and rolling per entity; the 10 days cut both weeks short, so each line
    # is dotted with hollow dots (never a solid drop), and the legend says what they are.
    labels = [line.get_label() for line in ax2.lines if not line.get_label().startswith("_")]
    assert labels == ["a", "Partial period (cut by the window)", "b"]
    hollow = [line for line in ax2.lines if line.get_markerfacecolor() == "white"]
    assert len(hollow) == 2 and all(len(line.get_xdata()) == 2 for line in hollow)
    grid = trend().atribu.plot.trend("cpm", small_multiples=True)
    render(grid[0, 0])
    visible = [a for a in grid.ravel() if a.get_visible()]
    assert [a.get_title() for a in visible] == ["a", "b"]
    assert grid[0, 0].figure.get_suptitle() == "CPM per day"
    with pytest.raises(ArgumentError, match="small_multiples"):
        trend().atribu.plot.trend(small_multiples=True, ax=ax)


def test_axis_dates_follow_the_reports_locale() -> None:
    # A report stamps its locale on the frames: a German report's axis says "3. März".
    german = trend()
    german.attrs["locale"] = "de_DE"
    ax = german.atribu.plot.trend("spend")
    render(ax)
    labels = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert labels and all("März" in label for label in labels), labels
    # Without a stamp: matplotlib's English month names, as before.
    english = trend().atribu.plot.trend("spend")
    render(english)
    assert all("Mar" in t.get_text() for t in english.get_xticklabels() if t.get_text())


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
    assert [t.get_text() for t in ax.get_xticklabels()] == ["last touch", "first touch"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["A", "B", "C"]
    image = ax.get_images()[0].get_array()
    np.testing.assert_allclose(image[:, 1], [10.0, 30.0, 60.0])
    assert "60%" in {t.get_text() for t in ax.texts}
    # The caption says "darker blue means a bigger share": so the colour map does.
    mapped = ax.get_images()[0]
    dark, light = mapped.to_rgba(np.array([60.0]))[0], mapped.to_rgba(np.array([10.0]))[0]
    assert sum(dark[:3]) < sum(light[:3]) and dark[2] >= max(dark[:2])
    assert not any(line.get_visible() for line in ax.get_xgridlines())
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
    # Format x objective by default, sorted by median: static (60) below UGC video (65).
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["static · sales (n=2)", "ugc video · sales (n=2)"]
    ax = top_performers().atribu.plot.cohort_box("cohort_key")
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
    assert charts.currency_of(pd.DataFrame()) == "USD"


def test_roas_bar_hatches_entities_with_fewer_than_5_outcomes() -> None:
    # The fixture's campaigns have 4, 0 and 0 outcomes: every drawn bar is low evidence.
    ax = campaigns().atribu.plot.roas_bar()
    assert all(bar.get_hatch() == "///" for bar in ax.patches)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any("Fewer than 5 outcomes" in label for label in labels)
    many = campaigns().assign(outcome_count=[5.0, 50.0, 9.0]).atribu.plot.roas_bar()
    assert not any(bar.get_hatch() for bar in many.patches)


def test_the_plotting_functions_check_their_own_arguments() -> None:
    from atribu_pandas.display.charts import periods as period_plots

    frame = campaigns()
    # Called directly, as in the accessor: a clear refusal, never a bare TypeError.
    for call, argument in [
        (lambda: charts.roas_bar(frame, top="5"), "top"),
        (lambda: charts.roas_bar(frame, ax="left"), "ax"),
        (lambda: charts.spend_vs_value(frame, label=-1), "label"),
        (lambda: charts.cohort_box(top_performers(), by=5), "by"),
        (lambda: charts.shrinkage(top_performers(), top=0), "top"),
        (lambda: charts.trend(trend(), rolling=2.5), "rolling"),
        (lambda: charts.trend(trend(), small_multiples="yes"), "small_multiples"),
        (lambda: period_plots.roas_over_time(frame, top=True), "top"),
    ]:
        with pytest.raises(ArgumentError, match=rf"^{argument}="):
            call()


def test_numpy_integers_are_counts_everywhere() -> None:
    frame = campaigns()
    # One integer rule: what a DataFrame cell holds (numpy's int64, 3.0) is a count.
    with_spend = int((frame["spend"] > 0).sum())
    assert with_spend == 2
    for top in (np.int64(1), 1.0, 1):
        assert len(charts.roas_bar(frame, top=top).patches) == 1
        assert len(frame.atribu.plot.roas_bar(top=top).patches) == 1


def test_a_german_chart_writes_its_figures_as_the_german_tables_do() -> None:
    df = campaigns()
    df.attrs["locale"] = "de_DE"
    ax = df.atribu.plot.roas_bar()
    render(ax)
    # 60 / 30 and 250 / 100, with a decimal comma: the table's "2,00×", never "2.00x".
    assert [t.get_text() for t in ax.texts][:2] == ["2,00×", "2,50×"]
