"""The dashboard's table and banner as markup, and the docs' EntityPicker example.

How they look in a real JupyterLab at 550 and 1,100 px is tests/lab's job; here, what
the markup says: the level once, the name column sticky and cut at two lines, every
figure formatted; and that the demo banner is the only "demo data" notice explore()
gives, while a plain loader call is still warned.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import atribu_pandas as ap
from atribu_pandas.display import banner
from atribu_pandas.exceptions import DemoDataWarning
from atribu_pandas.loaders import defaults
from atribu_pandas.widgets import explore
from atribu_pandas.widgets.table import table_caption, table_html

DOCS = Path(__file__).resolve().parents[2] / "docs" / "widgets.md"


def headers(markup: str) -> list[str]:
    return re.findall(r"<th(?:\s[^>]*)?>(.*?)</th>", markup)


def ads(levels: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "campaign_name": ["Behind the Scenes Talking Head v1", "FAQ Static v1"][: len(levels)],
            "entity_level": levels,
            "parent_name": ["Retargeting - Form Openers 14d - NYC", "Past Patients"][: len(levels)],
            "spend": [433.0, 1457.0][: len(levels)],
            "ctr": [2.96, None][: len(levels)],
        }
    )


def test_a_level_shared_by_every_row_is_said_once_in_the_caption() -> None:
    markup = table_html(ads(["ad", "ad"]))
    assert headers(markup) == ["Ad", "Ad set", "Spend", "CTR"]
    assert ">ad<" not in markup
    assert table_caption(ads(["ad", "ad"]), "ad") == (
        "Level: ads. 2 rows, highest attributed value first."
    )
    # Several levels in one frame: the column stays, the headers stay general.
    mixed = table_html(ads(["ad", "ad_set"]))
    assert headers(mixed) == ["Name", "Level", "Parent", "Spend", "CTR"]
    assert "Level: campaigns." in table_caption(pd.DataFrame({"spend": [1.0]}), None)


def test_the_name_column_is_sticky_and_names_take_two_lines_at_most() -> None:
    markup = table_html(ads(["ad", "ad"]))
    first_cells = re.findall(r"<tr><t[hd]([^>]*)>", markup)
    assert len(first_cells) == 3 and all("atribu-sticky" in c for c in first_cells)
    assert ".atribu-widget-table .atribu-sticky{position:sticky;left:0" in markup
    assert "thead th{position:sticky;top:0" in markup
    assert "-webkit-line-clamp:2" in markup
    # Names and parents are clamped, figures are not; "–" where there is no value.
    assert markup.count('<div class="atribu-clamp">') == 4
    assert "$433" in markup and "$1,457" in markup and "3.0%" in markup and "–" in markup


def test_the_table_keeps_a_name_as_text() -> None:
    frame = ads(["ad"]).assign(campaign_name=['"><img src=x onerror=alert(1)>'])
    markup = table_html(frame)
    assert "<img" not in markup and "onerror=alert(1)&gt;" in markup


@pytest.fixture
def no_key(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    """No key in the environment and no default client made yet: the demo fallback."""
    monkeypatch.delenv("ATRIBU_API_KEY", raising=False)
    monkeypatch.delenv("ATRIBU_BASE_URL", raising=False)
    monkeypatch.setenv("ATRIBU_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(defaults, "_from_env", {})
    monkeypatch.setattr(defaults, "_demo_unwarned", set())


@pytest.mark.usefixtures("no_key")
def test_explore_on_the_demo_says_so_in_its_banner_only() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        explorer = explore(limit=5)
        explorer.model.value = "linear"
    assert explorer.error is None and explorer.loads == 2
    assert [w.message for w in caught if issubclass(w.category, DemoDataWarning)] == []
    assert explorer.banner.value == banner.demo_banner_html(key_hint=True)
    # A plain loader call after it is still told, once.
    window = explorer.dates.value
    with pytest.warns(DemoDataWarning, match="ATRIBU_API_KEY is not set"):
        ap.load_campaigns(*window)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DemoDataWarning)
        ap.load_campaigns(*window)


@pytest.mark.usefixtures("no_key")
def test_a_plain_loader_call_warns_without_explore() -> None:
    window = ap.widgets.preset_window("last_7_days")
    with pytest.warns(DemoDataWarning, match="ATRIBU_API_KEY is not set"):
        ap.load_campaigns(*window)


def doc_blocks(heading: str, count: int = 1) -> str:
    """The first ``count`` code cells after ``heading`` in docs/widgets.md, joined (without
    their MyST options, such as ``:tags:``)."""
    text = DOCS.read_text()
    cells = re.findall(r"```\{code-cell\} ipython3\n(.*?)```", text[text.index(heading) :], re.S)
    blocks = [re.sub(r"\A(?::[\w-]+:.*\n)+\n?", "", cell) for cell in cells]
    assert len(blocks) >= count, heading
    return "\n".join(blocks[:count])


def test_the_docs_entity_picker_example_runs(sandbox: Any, tmp_path: Any) -> None:
    ap.set_default_client(sandbox.client(cache_dir=tmp_path, progress=False))
    try:
        scope: dict[str, Any] = {"ap": ap}
        exec(doc_blocks("### `DateWindowPicker`"), scope)
        # The picker's cell, then the trend's: no value= anywhere, no click in between.
        exec(doc_blocks("### `EntityPicker`", 2), scope)
    finally:
        ap.set_default_client(None)
    pick, trend = scope["pick"], scope["trend"]
    assert len(pick.value) == 5 and pick.value == tuple(scope["df"]["campaign_id"][:5])
    assert set(trend["entity_id"]) == set(pick.value)
