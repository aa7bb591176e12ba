"""Chart text never collides, in every report language: measured with matplotlib's renderer.

Each chart is drawn on sandbox data (long campaign names) stamped with a locale whose
dates and numbers are long ("14. Sept.", "14 de set."), at a report's width and at the
explorer's 550 px; then every x tick label, title, axis title, annotation and point name
is measured with its window extent after the draw: no two x tick labels overlap, and no
text overlaps the legend.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.figure import Figure

import atribu_pandas as ap
import atribu_pandas.accessor  # registers df.atribu
from atribu_pandas.display.charts.theme import use_theme

LOCALES = ["en_US", "de_DE", "es_ES", "fr_FR", "pt_BR"]
# A report's figure width, and the explorer's 550 px (at 100 dpi).
WIDTHS = {"report": 9.0, "explorer": 5.5}


@pytest.fixture(autouse=True)
def close_figures() -> Iterator[None]:
    use_theme()
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def frames(sandbox: Any) -> dict[str, pd.DataFrame]:
    client = sandbox.client(progress=False)
    last = sandbox.last_day
    first = last - dt.timedelta(days=90)
    camps = ap.load_campaigns(first, last, level="campaign", client=client)
    ids = camps["campaign_id"][:5]
    # A window that starts mid-week: the first and last weeks are partial.
    return {
        "campaigns": camps,
        "trend": ap.load_campaign_trend(ids, first + dt.timedelta(days=2), last, client=client),
        "weeks": ap.load_campaign_periods(
            last - dt.timedelta(days=83), last, freq="W", client=client
        ),
        "both": ap.load_period_comparison(last - dt.timedelta(days=27), last, client=client),
        "names": camps,
    }


CHARTS: dict[str, tuple[str, Callable[[pd.DataFrame, Any, dict[str, Any]], Any]]] = {
    "roas_bar": ("campaigns", lambda df, ax, f: df.atribu.plot.roas_bar(top=10, ax=ax)),
    "spend_vs_value": ("campaigns", lambda df, ax, f: df.atribu.plot.spend_vs_value(ax=ax)),
    "trend_daily": (
        "trend",
        lambda df, ax, f: df.atribu.plot.trend("spend", rolling=7, names=f["names"], ax=ax),
    ),
    "trend_weekly": (
        "trend",
        lambda df, ax, f: df.atribu.plot.trend("cpm", freq="W", names=f["names"], ax=ax),
    ),
    "roas_over_time": ("weeks", lambda df, ax, f: df.atribu.plot.roas_over_time(ax=ax)),
    # A client's target adds a line and its legend entry ("Target 2,50×"): still clear.
    "roas_bar_target": (
        "campaigns",
        lambda df, ax, f: df.atribu.plot.roas_bar(top=10, target=2.5, ax=ax),
    ),
    "roas_over_time_target": (
        "weeks",
        lambda df, ax, f: df.atribu.plot.roas_over_time(target=2.5, ax=ax),
    ),
    "period_change": ("both", lambda df, ax, f: df.atribu.plot.period_change("roas", ax=ax)),
}


def draw(chart: str, locale: str, width: float, frames: dict[str, Any]) -> tuple[Figure, Any]:
    source, plot = CHARTS[chart]
    df = frames[source].copy()
    df.attrs["locale"] = locale
    fig = plt.figure(figsize=(width, 4.5), layout="constrained")
    ax = plot(df, fig.add_subplot(), frames)
    fig.canvas.draw()
    return fig, ax


def boxes(texts: list[Any], renderer: Any) -> list[tuple[str, Any]]:
    return [
        (t.get_text(), t.get_window_extent(renderer))
        for t in texts
        if t.get_visible() and t.get_text().strip()
    ]


def overlapping(found: list[tuple[str, Any]]) -> list[tuple[str, str]]:
    return [
        (a, b)
        for i, (a, box_a) in enumerate(found)
        for b, box_b in found[i + 1 :]
        if box_a.overlaps(box_b)
    ]


@pytest.mark.parametrize("width", list(WIDTHS), ids=list(WIDTHS))
@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("chart", list(CHARTS))
def test_tick_labels_and_legend_never_collide(
    chart: str, locale: str, width: str, frames: dict[str, Any]
) -> None:
    fig, ax = draw(chart, locale, WIDTHS[width], frames)
    renderer = fig.canvas.get_renderer()
    ticks = boxes(list(ax.get_xticklabels()), renderer)
    assert len(ticks) >= 2, f"{chart}: too few x ticks left: {ticks}"
    assert overlapping(ticks) == [], f"{chart} in {locale}: tick labels collide"
    legends = [a.get_legend() for a in fig.axes if a.get_legend()] + list(fig.legends)
    texts = [t for a in fig.axes for t in a.texts] + [a.title for a in fig.axes]
    texts += [t for a in fig.axes for t in a.get_xticklabels()]
    texts += [a.xaxis.label for a in fig.axes] + [a.yaxis.label for a in fig.axes]
    for legend in legends:
        frame = legend.get_window_extent(renderer)
        hits = [text for text, box in boxes(texts, renderer) if box.overlaps(frame)]
        assert hits == [], f"{chart} in {locale}: text under the legend: {hits}"


@pytest.mark.parametrize(
    ("locale", "label"), [("en_US", "Target 2.50×"), ("de_DE", "Target 2,50×")]
)
@pytest.mark.parametrize("chart", ["roas_bar_target", "roas_over_time_target"])
def test_the_target_line_is_named_in_the_legend_in_the_charts_locale(
    chart: str, locale: str, label: str, frames: dict[str, Any]
) -> None:
    fig, ax = draw(chart, locale, WIDTHS["report"], frames)
    legend = ax.get_legend()
    assert label in [t.get_text() for t in legend.get_texts()]
    # The line itself is drawn at the target on the ROAS axis.
    lines = [line for a in fig.axes for line in a.lines if line.get_linestyle() == "-."]
    assert lines, "no dash-dotted target line drawn"
    assert {float(v) for line in lines for v in line.get_xdata()} | {
        float(v) for line in lines for v in line.get_ydata()
    } >= {2.5}


@pytest.mark.parametrize("locale", ["en_US", "de_DE"])
def test_scatter_names_never_overlap_and_the_rule_names_every_big_dot(
    locale: str, frames: dict[str, Any]
) -> None:
    fig, ax = draw("spend_vs_value", locale, WIDTHS["report"], frames)
    renderer = fig.canvas.get_renderer()
    names = boxes([t for t in ax.texts if t.get_text() != "No data in this window"], renderer)
    assert overlapping(names) == []
    table = frames["campaigns"].atribu.rollup("campaign_id")
    named = {text for text, _ in names}
    # The five with most spend, most value and most outcomes each have their name.
    for column in ("spend", "outcome_value", "outcome_count"):
        ids = table.nlargest(5, column)["campaign_id"]
        wanted = frames["campaigns"].set_index("campaign_id").loc[ids, "campaign_name"]
        assert set(wanted) <= named, column


def test_the_measure_sees_colliding_ticks() -> None:
    # The control: crowded long labels on a narrow axis do overlap when nothing thins them.
    fig = plt.figure(figsize=(3, 2))
    ax = fig.add_subplot()
    ax.set_xticks(range(12), [f"{d}. September" for d in range(12)])
    fig.canvas.draw()
    assert overlapping(boxes(list(ax.get_xticklabels()), fig.canvas.get_renderer()))


def test_a_year_of_dates_on_a_twinned_axis_keeps_its_months() -> None:
    # A year of weekly bars, then a line on a twin axis (as roas_over_time draws): the
    # date ticks must name months, not the year on every tick.
    from atribu_pandas.display.charts.ticks import fit_ticks

    weeks = pd.date_range("2025-12-01", "2026-11-23", freq="7D")
    fig, ax = plt.subplots(figsize=(10, 5))
    ax.bar(weeks, range(len(weeks)), width=5)
    fit_ticks(ax.xaxis)
    ax.twinx().plot(weeks, range(len(weeks)))
    fig.canvas.draw()
    labels = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert len(labels) >= 4
    assert len(set(labels)) == len(labels), labels
