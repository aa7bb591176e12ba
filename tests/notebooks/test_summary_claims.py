"""Each report's summary says only what its own tables show.

The sentences are read from the rendered page (as the client reads them) and checked
against the raw rows of the tables the same report exported: the totals add up, the
largest mover is the largest, the best is the best. The sentences and the tables are
computed by different code (the summary functions from the frames, the tables from
``show_table``), so agreeing is not agreeing with oneself.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import nbformat
import pandas as pd
import pytest

from atribu_pandas.reports.export import TABLE_MIME

# In the worker that holds the session's renders (tests/notebooks/conftest.py).
pytestmark = pytest.mark.xdist_group("notebooks")


def _summary(page: Path) -> str:
    text = page.read_text()
    start = text.index('class="atribu-summary"')
    block = text[start : text.index("</div>", start)]
    return html.unescape(re.sub(r"<[^>]+>", "", block))


def _bold(page: Path) -> list[str]:
    text = page.read_text()
    start = text.index('class="atribu-summary"')
    block = text[start : text.index("</div>", start)]
    return [html.unescape(b) for b in re.findall(r"<b>(.*?)</b>", block)][1:]  # "In short."


def _tables(notebook: Path) -> dict[str, pd.DataFrame]:
    nb = nbformat.read(notebook, as_version=4)
    found = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if TABLE_MIME in output.get("data", {}):
                table = json.loads(output["data"][TABLE_MIME])
                found[table["name"]] = pd.DataFrame(table["data"], columns=table["columns"])
    return found


def _amount(text: str) -> float:
    """A figure as the page writes it in en_US: ``$27,020``, ``2.59×``, ``-7%``."""
    return float(re.sub(r"[^\d.\-]", "", text.replace("−", "-")))


def _close(shown: str, value: float, unit: float) -> bool:
    # The page rounds to its unit (whole dollars from 100 up, cents below, 0.01×).
    return abs(_amount(shown) - value) <= unit / 2 + 1e-9


def test_campaign_summary_adds_up_to_its_tables(renders: Any) -> None:
    render = renders[0]["campaign_performance"]
    tables = _tables(render.notebook)
    campaigns = tables["top_campaigns"]
    bold = _bold(render.html)
    count, spend, value, roas, outcomes = bold[:5]
    # Every campaign is in the table (fewer than its 10 rows), so its sums are the totals.
    assert int(count) == len(campaigns) < 10
    assert _close(spend, campaigns["Spend"].sum(), 1)
    assert _close(value, campaigns["Value"].sum(), 1)
    assert _close(roas, campaigns["Value"].sum() / campaigns["Spend"].sum(), 0.01)
    assert _close(outcomes, campaigns["Outcomes"].sum(), 1)
    # The headline cards carry the same totals.
    cards = dict(tables["headline_numbers"].to_numpy().tolist())
    assert _close(spend, cards["Spend (USD)"], 1) and int(cards["Campaigns"]) == int(count)
    # The best and the worst return per unit spent, among campaigns that spent.
    spent = campaigns[campaigns["Spend"] > 0]
    ratio = spent["Value"] / spent["Spend"]
    text = _summary(render.html)
    best = spent.loc[ratio.idxmax(), "Campaign"]
    worst = spent.loc[ratio.idxmin(), "Campaign"]
    assert f"{best} returned the most per unit spent" in text
    assert f"; {worst} the least" in text
    # The previous period: the change in spend is the table's.
    previous = tables["previous_period"].set_index("Metric")
    moved = re.search(r"spend moved ([+\-]?\d+)%", text)
    assert moved is not None
    assert int(moved.group(1)) == round(float(previous.loc["Spend (USD)", "Change"]))


def test_trend_summary_compares_the_last_two_whole_weeks(renders: Any) -> None:
    render = renders[0]["trends"]
    weekly = _tables(render.notebook)["weekly_spend"]
    money = weekly.columns[2:]
    text = _summary(render.html)
    bold = _bold(render.html)
    assert int(bold[0]) == len(money)
    assert _close(bold[1], weekly[money].to_numpy().sum(), 1)
    whole = weekly[weekly["Days in the window"] == 7]
    days = int(weekly["Days in the window"].sum())
    assert f"over {days} days." in text
    assert f"The window holds {len(whole)} whole week" in text
    cut = weekly["Days in the window"] < 7
    assert ("Its first and last weeks are cut short." in text) == bool(cut.iloc[0] and cut.iloc[-1])
    # The mover: the largest change between the last two whole weeks, its two amounts.
    change = (whole[money].iloc[-1] - whole[money].iloc[-2]).abs()
    mover = change.idxmax()
    assert f"{mover} moved the most" in text
    assert _close(bold[-2], whole[mover].iloc[-2], 1)
    assert _close(bold[-1], whole[mover].iloc[-1], 1)


def test_model_summary_states_each_models_total(renders: Any) -> None:
    render = renders[0]["attribution_models"]
    by_model = _tables(render.notebook)["value_by_model"]
    totals = by_model.drop(columns="Campaign").sum()
    text = _summary(render.html)
    bold = _bold(render.html)
    assert _close(bold[0], totals.min(), 1) and f"({totals.idxmin()})" in text
    assert _close(bold[1], totals.max(), 1) and f"({totals.idxmax()})" in text
    assert int(bold[2]) == len(by_model)
    # The row whose credit depends most on the model is named with its range.
    spread = by_model.set_index("Campaign").agg(lambda row: row.max() - row.min(), axis=1)
    assert f"{spread.idxmax()} depends most on the model" in text


def test_top_performer_summary_names_the_leaderboards_first(renders: Any) -> None:
    render = renders[0]["top_performers"]
    board = _tables(render.notebook)["leaderboard"]
    bold = _bold(render.html)
    assert bold[1] == board.loc[0, "Ad"]
    assert _close(bold[2], board.loc[0, "Score"], 0.1)
    assert _close(bold[4], board.loc[0, "Spend"], 1 if board.loc[0, "Spend"] >= 100 else 0.01)


def test_client_summary_adds_up_the_clients_table(renders: Any) -> None:
    render = renders[0]["agency_overview"]
    clients = _tables(render.notebook)["clients"]
    bold = _bold(render.html)
    text = _summary(render.html)
    assert int(bold[0]) == len(clients)
    assert _close(bold[1], clients["Spend"].sum(), 1)
    assert _close(bold[2], clients["Value"].sum(), 1)
    ranked = clients.sort_values("ROAS")
    assert f"{ranked['Client'].iloc[-1]} has the best ROAS" in text
    assert f"; {ranked['Client'].iloc[0]} the weakest" in text
