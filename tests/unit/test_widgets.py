"""The pickers and the explore() dashboard, driven from Python as a user would drive them.

Controls are found by the description a user reads next to them, so the tests exercise
the widget tree that Jupyter displays. Expected dates are counted by hand on a calendar.
"""

from __future__ import annotations

import datetime as dt
import html
import subprocess
import sys
from pathlib import Path
from typing import Any

import ipywidgets
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from atribu_pandas.core import dates, params, vocabulary
from atribu_pandas.display import banner
from atribu_pandas.exceptions import APIError, ArgumentError
from atribu_pandas.widgets import (
    DateWindowPicker,
    EntityPicker,
    Explorer,
    LevelPicker,
    ModelPicker,
    TopPerformerFilters,
    explore,
    preset_window,
    summarize,
)
from atribu_pandas.widgets.gallery import GALLERY_SIZE

D = dt.date
TODAY = D(2026, 3, 15)


def control(widget: Any, description: str) -> Any:
    """The displayed control labelled ``description`` inside ``widget``."""
    stack = [widget]
    while stack:
        node = stack.pop()
        if getattr(node, "description", None) == description:
            return node
        stack.extend(getattr(node, "children", ()))
    raise LookupError(description)


def boxes(picker: EntityPicker) -> dict[str, Any]:
    """The tick boxes of an EntityPicker by the label a user reads beside them."""
    found: dict[str, Any] = {}
    for row in picker.widget.children[1].children:
        box, name = row.children
        assert isinstance(box, ipywidgets.Checkbox) and box.tooltip in html.unescape(name.value)
        found[box.tooltip] = box
    return found


def ticked(picker: EntityPicker) -> list[str]:
    return [label for label, box in boxes(picker).items() if box.value]


def recorder(picker: Any) -> list[Any]:
    """Observe ``picker`` and return the list its new values land in."""
    seen: list[Any] = []
    picker.observe(lambda change: seen.append(change["new"]))
    return seen


# -- presets ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("preset", "today", "expected"),
    [
        ("last_7_days", TODAY, (D(2026, 3, 8), D(2026, 3, 14))),
        ("last_14_days", TODAY, (D(2026, 3, 1), D(2026, 3, 14))),
        ("last_28_days", TODAY, (D(2026, 2, 15), D(2026, 3, 14))),
        # Dec 15..31 (17) + Jan (31) + Feb (28) + Mar 1..14 (14) = 90 days.
        ("last_90_days", TODAY, (D(2025, 12, 15), D(2026, 3, 14))),
        ("month_to_date", TODAY, (D(2026, 3, 1), D(2026, 3, 14))),
        ("last_month", TODAY, (D(2026, 2, 1), D(2026, 2, 28))),
        ("quarter_to_date", TODAY, (D(2026, 1, 1), D(2026, 3, 14))),
        # On the 1st, yesterday belongs to the previous month (and quarter).
        ("month_to_date", D(2026, 3, 1), (D(2026, 2, 1), D(2026, 2, 28))),
        ("quarter_to_date", D(2026, 4, 1), (D(2026, 1, 1), D(2026, 3, 31))),
        ("last_month", D(2026, 1, 1), (D(2025, 12, 1), D(2025, 12, 31))),
        ("last_month", D(2024, 3, 10), (D(2024, 2, 1), D(2024, 2, 29))),
        ("quarter_to_date", D(2026, 11, 20), (D(2026, 10, 1), D(2026, 11, 19))),
    ],
)
def test_preset_windows_by_hand(preset: str, today: dt.date, expected: tuple[D, D]) -> None:
    assert preset_window(preset, today) == expected


@given(st.dates(min_value=D(2000, 1, 2), max_value=D(2100, 1, 1)))
def test_presets_end_yesterday_at_most_and_fit_the_api(today: dt.date) -> None:
    for name, days in (("last_7_days", 7), ("last_14_days", 14), ("last_28_days", 28)):
        start, end = preset_window(name, today)
        assert end == today - dt.timedelta(days=1)
        assert (end - start).days + 1 == days
    for name in ("month_to_date", "last_month", "quarter_to_date", "last_90_days"):
        start, end = preset_window(name, today)
        assert start <= end < today
        assert (end - start).days + 1 <= 366
    start, end = preset_window("last_month", today)
    assert start.day == 1 and (end + dt.timedelta(days=1)).day == 1 and end.month == start.month


def test_custom_and_unknown_presets_have_no_window() -> None:
    for name in ("custom", "yesterday"):
        with pytest.raises(ArgumentError) as info:
            preset_window(name, TODAY)
        assert info.value.argument == "preset"


# -- DateWindowPicker ---------------------------------------------------------------------


def test_date_picker_preset_drives_value_dates_and_callback() -> None:
    picker = DateWindowPicker("last_7_days", today=TODAY)
    assert picker.value == (D(2026, 3, 8), D(2026, 3, 14))
    assert (control(picker.widget, "From").value, control(picker.widget, "To").value) == (
        D(2026, 3, 8),
        D(2026, 3, 14),
    )
    seen = recorder(picker)
    control(picker.widget, "Dates").value = "quarter_to_date"
    assert seen == [(D(2026, 1, 1), D(2026, 3, 14))]  # one notification, not one per date
    assert picker.value == (D(2026, 1, 1), D(2026, 3, 14))
    assert control(picker.widget, "From").value == D(2026, 1, 1)
    assert picker.summary == "Selected: 2026-01-01 to 2026-03-14"
    assert isinstance(picker.value[0], dt.date)


def test_editing_a_date_switches_to_custom_range() -> None:
    picker = DateWindowPicker("last_28_days", today=TODAY)
    seen = recorder(picker)
    control(picker.widget, "From").value = D(2026, 3, 1)
    assert picker.preset == "custom"
    assert control(picker.widget, "Dates").value == "custom"
    assert picker.value == (D(2026, 3, 1), D(2026, 3, 14))
    assert seen == [(D(2026, 3, 1), D(2026, 3, 14))]


def test_from_after_to_is_refused_with_a_reason_and_the_value_kept() -> None:
    picker = DateWindowPicker("last_7_days", today=TODAY)
    seen = recorder(picker)
    control(picker.widget, "From").value = D(2026, 3, 20)
    assert picker.value == (D(2026, 3, 8), D(2026, 3, 14))
    assert seen == []
    assert "2026-03-20 is after the end date 2026-03-14" in picker.message.value
    assert picker.message in picker.widget.children  # the reason is shown in the widget
    assert "refused" in picker.summary
    # Fixing the range applies it and clears the reason.
    control(picker.widget, "To").value = D(2026, 3, 25)
    assert picker.value == (D(2026, 3, 20), D(2026, 3, 25))
    assert picker.message.value == "" and picker.reason is None


def test_367_days_are_refused_366_accepted() -> None:
    picker = DateWindowPicker("last_7_days", today=TODAY)
    to = control(picker.widget, "To")
    frm = control(picker.widget, "From")
    to.value = D(2026, 3, 14)
    # 2025-03-14..2026-03-14: 365 days of the year from 03-14 plus the last day = 366.
    frm.value = D(2025, 3, 14)
    assert picker.value == (D(2025, 3, 14), D(2026, 3, 14))
    frm.value = D(2025, 3, 13)
    assert picker.value == (D(2025, 3, 14), D(2026, 3, 14))
    assert "367 days" in picker.message.value and "366" in picker.message.value


def test_a_refused_date_is_replaced_in_the_controls_by_the_next_preset() -> None:
    picker = DateWindowPicker("last_7_days", today=TODAY)
    control(picker.widget, "From").value = D(2026, 3, 30)
    control(picker.widget, "Dates").value = "last_7_days"
    assert control(picker.widget, "From").value == D(2026, 3, 8)
    assert picker.reason is None


def test_date_value_set_from_python() -> None:
    picker = DateWindowPicker("last_7_days", today=TODAY)
    seen = recorder(picker)
    picker.value = ("2026-02-01", pd.Timestamp("2026-02-10"))
    assert picker.value == (D(2026, 2, 1), D(2026, 2, 10))
    assert picker.preset == "custom"
    assert control(picker.widget, "To").value == D(2026, 2, 10)
    assert seen == [(D(2026, 2, 1), D(2026, 2, 10))]
    with pytest.raises(ArgumentError):
        picker.value = ("2026-02-10", "2026-02-01")
    with pytest.raises(ArgumentError):
        picker.value = "2026-02-01"
    assert picker.value == (D(2026, 2, 1), D(2026, 2, 10))


def test_date_picker_constructor_checks() -> None:
    assert DateWindowPicker(value=("2026-01-05", "2026-01-06")).preset == "custom"
    with pytest.raises(ArgumentError):
        DateWindowPicker("fortnight")
    with pytest.raises(ArgumentError):
        DateWindowPicker(value=("2025-01-01", "2026-01-02"))  # 367 days


def test_text_plain_repr_is_the_summary_and_the_widget_view_is_kept() -> None:
    picker = DateWindowPicker("month_to_date", today=TODAY)
    bundle = picker._repr_mimebundle_()
    assert bundle["text/plain"] == "Selected: 2026-03-01 to 2026-03-14" == repr(picker)
    view = bundle["application/vnd.jupyter.widget-view+json"]
    assert view["model_id"] == picker.widget.model_id


# -- ModelPicker, LevelPicker -------------------------------------------------------------


def test_model_picker_offers_every_model_with_a_description() -> None:
    picker = ModelPicker()
    dropdown = control(picker.widget, "Model")
    assert [value for _, value in dropdown.options] == list(vocabulary.MODELS)
    assert len(vocabulary.MODELS) == 7
    for label, value in dropdown.options:
        assert label.startswith(value + ": ") and len(label) > len(value) + 10
    seen = recorder(picker)
    dropdown.value = "time_decay"
    assert picker.value == "time_decay" and seen == ["time_decay"]
    assert "7 days" in picker.description
    picker.value = "split_50_50"
    assert dropdown.value == "split_50_50"
    with pytest.raises(ArgumentError):
        picker.value = "u_shaped"
    assert picker.value == "split_50_50"


def test_level_picker_none_and_levels() -> None:
    picker = LevelPicker()
    assert picker.value is None and picker.summary == "Selected: campaigns only"
    buttons = control(picker.widget, "Level")
    seen = recorder(picker)
    labels = dict(buttons.options)
    buttons.value = labels["Ad sets"]
    buttons.value = labels["Campaigns"]
    assert seen == ["ad_set", None]
    picker.value = "ad"
    assert buttons.value == "ad" and picker.summary == "Selected: level ad"
    strict = LevelPicker(allow_none=False)
    assert strict.value == "campaign"
    with pytest.raises(ArgumentError):
        strict.value = None
    with pytest.raises(ArgumentError):
        picker.value = "adset"


def test_summarize_joins_pickers() -> None:
    dates = DateWindowPicker(value=(D(2026, 3, 1), D(2026, 3, 28)))
    text = summarize(dates, ModelPicker("time_decay"))
    assert text == "Selected: 2026-03-01 to 2026-03-28, time_decay"


# -- EntityPicker -------------------------------------------------------------------------


@pytest.fixture
def campaigns() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "campaign_id": pd.array(["id-1aaaaaa", "id-2bbbbbb", "id-3cccccc"], dtype="string"),
            "campaign_name": pd.array(["Spring Sale", "Brand", "Spring Sale"], dtype="string"),
            "spend": [10.0, 20.0, 30.0],
        }
    )


def test_entity_picker_shows_names_returns_ids(campaigns: pd.DataFrame) -> None:
    picker = EntityPicker(campaigns, value=())
    # Same name twice: each label carries the start of its id.
    assert list(boxes(picker)) == ["Spring Sale (id-1aaaa)", "Brand", "Spring Sale (id-3cccc)"]
    seen = recorder(picker)
    boxes(picker)["Brand"].value = True
    boxes(picker)["Spring Sale (id-3cccc)"].value = True
    assert picker.value == ("id-2bbbbbb", "id-3cccccc")
    assert picker.names == ("Brand", "Spring Sale")
    assert seen == [("id-2bbbbbb",), ("id-2bbbbbb", "id-3cccccc")]
    assert picker.summary == "Selected: 2 selected (Brand, Spring Sale)"


def test_entity_picker_starts_with_the_top_rows(campaigns: pd.DataFrame) -> None:
    many = pd.DataFrame(
        {"campaign_id": [f"id-{i}" for i in range(8)], "campaign_name": list("ABCDEFGH")}
    )
    picker = EntityPicker(many)
    assert picker.value == ("id-0", "id-1", "id-2", "id-3", "id-4")
    assert ticked(picker) == ["A", "B", "C", "D", "E"]
    assert EntityPicker(many, max_selected=3).value == ("id-0", "id-1", "id-2")
    assert EntityPicker(campaigns).value == ("id-1aaaaaa", "id-2bbbbbb", "id-3cccccc")
    assert EntityPicker(many.iloc[:0]).value == ()


def test_entity_picker_shows_names_whole_and_as_text(campaigns: pd.DataFrame) -> None:
    long_name = "Spring " * 30 + "<b>$50 off, save $20</b>"
    picker = EntityPicker(campaigns.assign(campaign_name=["Brand", long_name, "x"]))
    name = picker.widget.children[1].children[1].children[1]
    # The whole name, escaped; no cut, no ellipsis. The box's tooltip says it too.
    escaped = html.escape(long_name)
    assert name.value.count(escaped) == 1 and "<b>" not in name.value
    assert long_name in boxes(picker)
    assert "ellipsis" not in name.value and "nowrap" not in name.value
    # An HTML widget: JupyterLab typesets a Checkbox's description (dollars) with MathJax.
    assert isinstance(name, ipywidgets.HTML) and not isinstance(name, ipywidgets.HTMLMath)
    assert all(box.description == "" for box in boxes(picker).values())


def test_entity_picker_refuses_too_many_and_unknown_ids(campaigns: pd.DataFrame) -> None:
    picker = EntityPicker(campaigns, value=["id-1aaaaaa"], max_selected=2)
    boxes(picker)["Brand"].value = True
    boxes(picker)["Spring Sale (id-3cccc)"].value = True
    assert picker.value == ("id-1aaaaaa", "id-2bbbbbb")
    assert "at most 2" in picker.message.value
    # The refused box is unticked at once: the boxes show the value in use.
    assert ticked(picker) == ["Spring Sale (id-1aaaa)", "Brand"]
    with pytest.raises(ArgumentError):
        picker.value = ["not-there"]
    with pytest.raises(ArgumentError):
        EntityPicker(campaigns.drop(columns="campaign_name"))


def test_entity_picker_offers_each_id_once(campaigns: pd.DataFrame) -> None:
    twice = pd.concat([campaigns, campaigns.iloc[[0]].assign(campaign_name="Renamed")])
    picker = EntityPicker(twice)
    assert picker.value == ("id-1aaaaaa", "id-2bbbbbb", "id-3cccccc")
    picker.value = ["id-1aaaaaa"]
    assert picker.names == ("Spring Sale",)  # the first row's name


def test_a_choice_is_copied_to_the_controls_once(
    campaigns: pd.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    picker = ModelPicker()
    shown: list[Any] = []
    monkeypatch.setattr(picker, "_show_value", shown.append)
    control(picker.widget, "Model").value = "linear"
    assert shown == ["linear"]
    entities = EntityPicker(campaigns, value=["id-1aaaaaa", "id-2bbbbbb"])
    copied: list[Any] = []
    monkeypatch.setattr(entities, "_show_value", copied.append)
    entities.update(campaigns.iloc[1:])  # the value changes: one copy
    assert copied == [("id-2bbbbbb",)]
    entities.update(campaigns)  # the value stays: still one copy, to restore the control
    assert copied == [("id-2bbbbbb",), ("id-2bbbbbb",)]


def test_level_picker_refuses_like_the_loaders() -> None:
    for allow_none in (True, False):
        with pytest.raises(ArgumentError) as mine:
            LevelPicker(allow_none=allow_none).value = "account"
        with pytest.raises(ArgumentError) as loaders:
            params.check_level("account", optional=allow_none)
        assert str(mine.value) == str(loaders.value)


def test_last_n_days_presets_are_the_reports_window() -> None:
    for days in (7, 14, 28, 90):
        start, end = dates.resolve_window(days=days, today=TODAY)
        assert preset_window(f"last_{days}_days", TODAY) == (
            D.fromisoformat(start),
            D.fromisoformat(end),
        )


def test_entity_picker_update_keeps_ids_still_offered(campaigns: pd.DataFrame) -> None:
    picker = EntityPicker(campaigns, value=["id-1aaaaaa", "id-2bbbbbb"])
    old = list(boxes(picker).values())
    picker.update(campaigns.iloc[1:])
    assert picker.value == ("id-2bbbbbb",)
    assert list(boxes(picker)) == ["Brand", "Spring Sale"]
    assert ticked(picker) == ["Brand"]
    # The old boxes are closed: no comm left open per update in a long session.
    assert all(box.comm is None for box in old)
    # Ticking a new box still reaches the value.
    boxes(picker)["Spring Sale"].value = True
    assert picker.value == ("id-2bbbbbb", "id-3cccccc")


# -- TopPerformerFilters ------------------------------------------------------------------


def test_filters_default_to_no_filter() -> None:
    filters = TopPerformerFilters()
    assert filters.value == {
        "window": "28d",
        "min_spend": None,
        "truth_grades": None,
        "outcome_kinds": None,
        "formats": None,
        "has_video": None,
    }
    assert filters.summary == "Selected: window 28d"


def test_filters_controls_produce_loader_arguments() -> None:
    filters = TopPerformerFilters()
    seen = recorder(filters)
    control(filters.widget, "Window").value = "7d"
    control(filters.widget, "Grades").value = ("attributed", "lift")
    control(filters.widget, "Outcomes").value = ("cash",)
    control(filters.widget, "Formats").value = ("talking_head", "ugc_video")
    control(filters.widget, "Min spend").value = 250.0
    control(filters.widget, "Video").value = dict(
        (label, value) for label, value in control(filters.widget, "Video").options
    )["Static"]
    expected = {
        "window": "7d",
        "min_spend": 250.0,
        "truth_grades": ["attributed", "lift"],
        "outcome_kinds": ["cash"],
        "formats": ["talking_head", "ugc_video"],
        "has_video": False,
    }
    assert filters.value == expected
    assert len(seen) == 6 and seen[-1] == expected
    assert filters.summary == (
        "Selected: window 7d, truth grades attributed/lift, outcome kinds cash, "
        "formats talking_head/ugc_video, min spend 250, static only"
    )
    # Unselecting everything and a zero minimum go back to "no filter".
    control(filters.widget, "Formats").value = ()
    control(filters.widget, "Min spend").value = 0.0
    assert filters.value["formats"] is None and filters.value["min_spend"] is None


def test_filters_value_set_from_python() -> None:
    filters = TopPerformerFilters({"window": "14d", "has_video": True, "min_spend": 5})
    assert control(filters.widget, "Window").value == "14d"
    assert control(filters.widget, "Min spend").value == 5.0
    filters.value = {"formats": "static,ugc_video"}
    assert filters.value["window"] == "28d"  # a complete filter: left-out keys reset
    assert filters.value["formats"] == ["static", "ugc_video"]
    assert control(filters.widget, "Formats").value == ("static", "ugc_video")
    assert control(filters.widget, "Video").value == "none"
    for bad in (
        {"window": "30d"},
        {"formats": ["gif"]},  # formats are open, but the widget offers only its choices
        {"min_spend": -1},
        {"has_video": 1},
        {"limit": 5},
    ):
        with pytest.raises(ArgumentError):
            filters.value = bad
    assert filters.value["formats"] == ["static", "ugc_video"]
    # Offering a format the page does not list is one argument away.
    wider = TopPerformerFilters({"formats": ["gif"]}, formats=["static", "gif"])
    assert wider.value["formats"] == ["gif"]


def test_filter_choices_cover_what_the_sandbox_serves(sandbox: Any, tmp_path: Any) -> None:
    from atribu_pandas.core.vocabulary import FORMAT_EXAMPLES as FORMATS
    from atribu_pandas.core.vocabulary import OUTCOME_KINDS, TRUTH_GRADES
    from atribu_pandas.loaders.endpoints import load_top_performers

    filters = TopPerformerFilters()
    assert control(filters.widget, "Grades").options == TRUTH_GRADES
    assert control(filters.widget, "Outcomes").options == OUTCOME_KINDS
    assert control(filters.widget, "Formats").options == FORMATS
    top = load_top_performers(
        window="lifetime", limit=50, client=sandbox.client(cache_dir=tmp_path)
    )
    assert len(top) > 0
    assert set(top["truth_grade"].dropna().astype(str)) <= set(TRUTH_GRADES)
    assert set(top["primary_outcome_kind"].dropna().astype(str)) <= set(OUTCOME_KINDS)
    assert set(top["creative_format"].dropna().astype(str)) <= set(FORMATS)
    # The filters' own output is accepted by the loader and the sandbox.
    filters = TopPerformerFilters({"truth_grades": list(TRUTH_GRADES), "formats": ["ugc_video"]})
    load_top_performers(**filters.value, client=sandbox.client(cache_dir=tmp_path))


# -- Explorer -----------------------------------------------------------------------------


def test_explorer_load_arguments_follow_the_pickers() -> None:
    explorer = Explorer(today=TODAY, model="linear", level="ad", limit=20)
    assert explorer.load_arguments() == {
        "date_from": D(2026, 2, 15),
        "date_to": D(2026, 3, 14),
        "model": "linear",
        "level": "ad",
        "limit": 20,
        "client": None,
    }
    assert explorer.summary == "Selected: 2026-02-15 to 2026-03-14, linear, level ad"
    assert explorer._repr_mimebundle_()["text/plain"] == explorer.summary


def test_explore_reloads_with_the_picked_model(sandbox: Any, tmp_path: Any) -> None:
    explorer = explore(sandbox.client(cache_dir=tmp_path))
    assert explorer.error is None and explorer.frame is not None and len(explorer.frame) > 0
    first_name = str(explorer.frame["campaign_name"].iloc[0])
    assert html.escape(first_name, quote=False) in explorer.table.value
    assert bytes(explorer.roas_chart.value).startswith(b"\x89PNG")
    assert bytes(explorer.value_chart.value).startswith(b"\x89PNG")
    before = sandbox.request_count

    control(explorer.widget, "Model").value = "time_decay"
    assert explorer.loads == 2
    last = sandbox.requests[-1]
    assert last.path == "/api/v1/campaigns" and last.query["model"] == "time_decay"
    assert sandbox.request_count == before + 1
    assert "time_decay" in explorer.summary and "Showing" in explorer.summary

    # Back to the first model: a redraw, answered from the cache.
    control(explorer.widget, "Model").value = "last_touch"
    assert explorer.loads == 3 and explorer.error is None
    assert sandbox.request_count == before + 1

    control(explorer.widget, "Level").value = "ad"
    campaigns = [r for r in sandbox.requests if r.path == "/api/v1/campaigns"]
    assert campaigns[-1].query["level"] == "ad"
    # With ads, the top ads come too (after them), each with its embedded picture.
    assert sandbox.requests[-1].path == "/api/v1/top-performers"
    assert explorer.top_ads.value.count('src="data:image/jpeg;base64,') == GALLERY_SIZE
    ads = explorer.frame
    assert ads is not None and set(ads["entity_level"].astype(str)) == {"ad"}
    # The level is said once, above the table; the headers name the rows.
    assert f"Level: ads. {len(ads)} rows" in explorer.caption.value
    assert "<th>Level</th>" not in explorer.table.value and ">Ad set</th>" in explorer.table.value

    # The loaded ads feed an EntityPicker: it returns their ids for the trend loader.
    picker = EntityPicker(ads, value=())
    for box in list(boxes(picker).values())[:2]:
        box.value = True
    assert picker.value == tuple(ads["campaign_id"].iloc[:2])
    assert picker.names == tuple(ads["campaign_name"].iloc[:2])


def test_explore_shows_an_api_error_as_a_message(sb: Any, tmp_path: Any) -> None:
    explorer = explore(sb.client(cache_dir=tmp_path, max_retries=0), model="linear")
    assert explorer.error is None
    sb.inject("error", status=500, count=10)
    try:
        control(explorer.widget, "Model").value = "position_based"  # no exception escapes
    finally:
        sb.clear_faults()
    assert isinstance(explorer.error, APIError) and explorer.error.status == 500
    assert explorer.frame is None and explorer.table.value == ""
    assert "Could not load the campaigns" in explorer.status.value
    assert "500" in explorer.status.value and "Error:" in explorer.summary
    # The next change loads again and clears the message.
    control(explorer.widget, "Model").value = "first_touch"
    assert explorer.error is None and explorer.frame is not None
    assert "Could not load" not in explorer.status.value


def test_explore_shows_a_window_without_delivery_as_a_sentence(sb: Any, tmp_path: Any) -> None:
    explorer = explore(sb.client(cache_dir=tmp_path))
    # The sandbox has 400 days of data ending on its last day: a window a year and a
    # half earlier has no delivery at all.
    end = sb.last_day - dt.timedelta(days=500)
    explorer.dates.value = (end - dt.timedelta(days=6), end)  # no exception escapes
    assert explorer.error is None and explorer.frame is not None and explorer.frame.empty
    assert "No delivery in this window" in explorer.status.value
    assert "Loading" not in explorer.status.value
    assert "No delivery in this window" in explorer.summary
    assert explorer.table.value == "" and bytes(explorer.roas_chart.value) == b""


def test_explore_shows_a_drawing_failure_and_clears_loading(
    sb: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from atribu_pandas import widgets

    explorer = explore(sb.client(cache_dir=tmp_path))
    assert explorer.error is None

    def broken(frame: pd.DataFrame) -> tuple[bytes, bytes]:
        raise ValueError("cannot place the labels")

    monkeypatch.setattr(widgets.explorer, "_charts_png", broken)
    control(explorer.widget, "Model").value = "linear"  # no exception escapes
    assert isinstance(explorer.error, ValueError)
    status = html.unescape(explorer.status.value)
    assert "Could not draw: ValueError: cannot place the labels" in status
    assert "Loading" not in status and explorer.frame is None


def test_explore_banner_wording(sb: Any, tmp_path: Any) -> None:
    # An explicit sandbox client: demo data, without claiming that no key is set.
    explorer = explore(sb.client(cache_dir=tmp_path))
    assert explorer.banner.value == banner.demo_banner_html(key_hint=False)
    assert "built-in sandbox" in explorer.banner.value
    assert "ATRIBU_API_KEY" not in explorer.banner.value


def test_explore_widget_is_a_box() -> None:
    assert isinstance(Explorer().widget, ipywidgets.VBox)


# -- packaging ----------------------------------------------------------------------------


def test_import_atribu_pandas_does_not_load_ipywidgets() -> None:
    code = (
        "import sys, atribu_pandas as ap; assert 'ipywidgets' not in sys.modules; "
        "ap.widgets.ModelPicker; assert 'ipywidgets' in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_explore_notebook_is_stored_without_outputs() -> None:
    import nbformat

    path = Path(__file__).parents[2] / "notebooks" / "explore.ipynb"
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code and all(cell.outputs == [] and cell.execution_count is None for cell in code)
    assert any("ap.widgets.explore()" in cell.source for cell in code)
    assert notebook.cells[0].cell_type == "markdown"


def test_the_rows_control_reloads_with_its_limit_and_the_table_reads_well(
    sandbox: Any, tmp_path: Any
) -> None:
    explorer = explore(sandbox.client(cache_dir=tmp_path), limit=3)
    assert explorer.frame is not None and len(explorer.frame) == 3
    control(explorer.widget, "Rows").value = 5
    assert explorer.limit == 5 and sandbox.requests[-1].query["limit"] == "5"
    assert explorer.frame is not None and len(explorer.frame) == 5
    table = explorer.table.value
    # Human headers and formatted figures, not column names and raw floats.
    assert "<th>Value</th>" in table and "<th>ROAS</th>" in table
    assert "outcome_value" not in table and "×" in table
    spend = float(explorer.frame["spend"].iloc[0])
    assert f"${spend:,.0f}" in table if spend >= 100 else f"${spend:,.2f}" in table
    # The layout fits a narrow area: everything may wrap, nothing has a fixed width.
    assert explorer.widget.layout.max_width == "100%"
    assert control(explorer.widget, "Level").style.button_width == "auto"


def test_explore_shows_hostile_names_as_text(sandbox: Any, tmp_path: Any) -> None:
    from hostile import Tags, acting, hostile_names
    from replay import running_replay

    import atribu_pandas as ap

    with running_replay() as proxy:
        proxy.upstream, proxy.rewrite = sandbox.url, hostile_names
        client = ap.Client(
            api_key=sandbox.api_key, base_url=proxy.url, cache_dir=tmp_path, progress=False
        )
        explorer = explore(client, level="ad", limit=50)
    assert explorer.error is None and explorer.frame is not None
    table = explorer.table.value
    assert acting(table) == []
    # Every name the frame holds reads in the table as the API sent it (HTML shows runs of
    # white space, a tab included, as one space).
    text = " ".join("".join(Tags(table).text).split())
    # At ad level the entity's name is in campaign_name, its ad set's in parent_name.
    names = [str(n) for c in ("campaign_name", "parent_name") for n in explorer.frame[c]]
    assert any(n.startswith("<") for n in names)
    assert all(" ".join(n.split()) in text for n in names)
