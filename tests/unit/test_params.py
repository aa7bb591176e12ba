"""Argument checks: every bad argument is refused before any request, naming what is allowed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
import pytest

from atribu_pandas.core import params as p
from atribu_pandas.core.vocabulary import MODELS, OBJECTIVES
from atribu_pandas.exceptions import ArgumentError

UUID_A = "0b7e6a5c-6f2e-4b8a-9a53-2f1e4c3d2b10"
UUID_B = "1c8f7b6d-7a3f-4c9b-8b64-3a2f5d4e3c21"


@pytest.mark.parametrize(
    "value",
    [
        "2026-03-01",
        dt.date(2026, 3, 1),
        dt.datetime(2026, 3, 1, 23, 59),
        pd.Timestamp("2026-03-01 08:00"),
        " 2026-03-01 ",
    ],
)
def test_dates_in_every_accepted_form(value: object) -> None:
    assert p.check_date(value, "date_from") == dt.date(2026, 3, 1)


@pytest.mark.parametrize(
    "value", ["2026/03/01", "01-03-2026", "2026-02-30", "", 20260301, None, pd.NaT, True]
)
def test_bad_dates_name_the_argument_and_the_forms(value: object) -> None:
    with pytest.raises(ArgumentError) as info:
        p.check_date(value, "date_to")
    assert info.value.argument == "date_to"
    assert "YYYY-MM-DD" in str(info.value)
    assert repr(value) in str(info.value)


def test_range_from_after_to_is_refused() -> None:
    with pytest.raises(ArgumentError, match="on or before date_to=2026-03-01"):
        p.check_date_range("2026-03-02", "2026-03-01")


def test_range_of_366_days_is_allowed_and_367_refused() -> None:
    # 2025-03-01..2026-03-01 is 366 days inclusive (2025 is not a leap year: 365 + 1).
    assert p.check_date_range("2025-03-01", "2026-03-01") == ("2025-03-01", "2026-03-01")
    with pytest.raises(ArgumentError, match=r"at most 366 days.*367 days"):
        p.check_date_range("2025-02-28", "2026-03-01")


def test_single_day_window() -> None:
    assert p.check_date_range("2026-03-01", dt.date(2026, 3, 1)) == ("2026-03-01", "2026-03-01")


@pytest.mark.parametrize("model", MODELS)
def test_every_model_is_accepted(model: str) -> None:
    assert p.check_model(model) == model


def test_seven_models_including_split() -> None:
    assert len(MODELS) == 7 and "split_50_50" in MODELS
    from atribu_pandas.core.vocabulary import MODEL_DESCRIPTIONS

    assert set(MODEL_DESCRIPTIONS) == set(MODELS)


@pytest.mark.parametrize("model", ["Last_Touch", "shapley", "", None, 3])
def test_unknown_model_lists_the_allowed(model: object) -> None:
    with pytest.raises(ArgumentError) as info:
        p.check_model(model)
    message = str(info.value)
    assert message.startswith("model=")
    for name in MODELS:
        assert name in message


def test_levels() -> None:
    assert p.check_level("ad_set") == "ad_set"
    assert p.check_level(None, optional=True) is None
    with pytest.raises(ArgumentError, match="campaign, ad_set, ad"):
        p.check_level(None)
    with pytest.raises(ArgumentError, match="level='adset'"):
        p.check_level("adset", optional=True)


@pytest.mark.parametrize("limit", [1, 50, 100])
def test_campaign_limits_in_range(limit: int) -> None:
    assert p.check_limit(limit, p.CAMPAIGNS_LIMIT) == limit


@pytest.mark.parametrize(
    "limit", [np.int64(10), np.int32(10), 10.0, np.float64(10.0), np.uint8(10)], ids=repr
)
def test_whole_numbers_from_numpy_and_integral_floats_are_limits(limit: object) -> None:
    # What a DataFrame cell or df["x"].max() gives is taken as the whole number it is.
    got = p.check_limit(limit, p.CAMPAIGNS_LIMIT)
    assert got == 10 and type(got) is int


@pytest.mark.parametrize(
    "limit", [0, 101, -1, 10.5, float("nan"), float("inf"), "10", True, np.True_, None]
)
def test_campaign_limits_out_of_range(limit: object) -> None:
    with pytest.raises(ArgumentError, match="a whole number from 1 to 100"):
        p.check_limit(limit, p.CAMPAIGNS_LIMIT)


@pytest.mark.parametrize("value", [np.True_, np.False_, True, False])
def test_numpy_bools_are_bools(value: object) -> None:
    assert p.check_bool(value, "has_video") == ("true" if value else "false")


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2026-11-1", dt.date(2026, 11, 1)),
        ("2026-1-09", dt.date(2026, 1, 9)),
        (" 2026-03-01 ", dt.date(2026, 3, 1)),
    ],
)
def test_unpadded_iso_days_are_days(text: str, day: dt.date) -> None:
    assert p.check_date(text, "date_from") == day


@pytest.mark.parametrize("text", ["2026-11-1", "26-11-01", "2026/11/01", "01-11-2026"])
def test_the_api_side_wants_padded_iso_days(text: str) -> None:
    with pytest.raises(ArgumentError, match="YYYY-MM-DD"):
        p.check_date(text, "date_from", padded=True)


@pytest.mark.parametrize(
    "day", [dt.date(1, 1, 1), "0001-01-02", dt.date(9999, 12, 31), "1969-12-31"]
)
def test_days_near_the_ends_of_the_calendar_are_refused(day: object) -> None:
    with pytest.raises(ArgumentError, match="a day from 1970-01-01 to 9998-12-31"):
        p.check_date(day, "date_to")


def test_top_performer_limit_is_50() -> None:
    assert p.check_limit(50, p.TOP_PERFORMERS_LIMIT) == 50
    with pytest.raises(ArgumentError, match="from 1 to 50"):
        p.check_limit(51, p.TOP_PERFORMERS_LIMIT)


def test_windows() -> None:
    for window in ("7d", "14d", "28d", "lifetime"):
        assert p.check_window(window) == window
    with pytest.raises(ArgumentError, match="7d, 14d, 28d, lifetime"):
        p.check_window("30d")


def test_list_filters_as_list_or_comma_string() -> None:
    assert p.check_str_list(["sales", "leads"], "objectives", OBJECTIVES) == "sales,leads"
    assert p.check_str_list("sales, leads", "objectives", OBJECTIVES) == "sales,leads"
    assert p.check_str_list(pd.Series(["static", "ugc_video"]), "formats") == "static,ugc_video"
    assert p.check_str_list(None, "formats") is None


@pytest.mark.parametrize("value", [["sales", ""], [], 3, ["a,b"], [None]])
def test_bad_list_filters(value: object) -> None:
    with pytest.raises(ArgumentError) as info:
        p.check_str_list(value, "truth_grades")
    assert info.value.argument == "truth_grades"


def test_unknown_objective_is_named() -> None:
    with pytest.raises(ArgumentError, match=r"\['sale'\].*messaging, sales"):
        p.check_str_list(["sale"], "objectives", OBJECTIVES)


def test_min_spend_and_has_video() -> None:
    assert p.check_min_spend(12.5) == "12.5"
    assert p.check_min_spend(0) == "0"
    for bad in (-1, "10", float("nan"), float("inf"), True):
        with pytest.raises(ArgumentError, match="min_spend"):
            p.check_min_spend(bad)
    assert p.check_bool(False, "has_video") == "false"
    with pytest.raises(ArgumentError, match="True, False or None"):
        p.check_bool("yes", "has_video")


@pytest.mark.parametrize(
    "ids",
    [
        [UUID_A, UUID_B],
        pd.Series([UUID_A, UUID_B]),
        pd.Index([UUID_A, UUID_B]),
        f"{UUID_A},{UUID_B}",
        (UUID_A, UUID_B, UUID_A),
        pd.Series([UUID_A.upper(), UUID_B], dtype="string"),
    ],
)
def test_entity_ids_in_every_form(ids: object) -> None:
    assert p.check_entity_ids(ids) == [UUID_A, UUID_B]


@pytest.mark.parametrize("ids", [[], "", ["not-a-uuid"], [UUID_A, 5], 42])
def test_bad_entity_ids(ids: object) -> None:
    with pytest.raises(ArgumentError) as info:
        p.check_entity_ids(ids)
    assert info.value.argument == "entity_ids"


def test_argument_error_is_a_value_error() -> None:
    assert issubclass(ArgumentError, ValueError)


def test_numpy_numbers_are_accepted() -> None:
    import numpy as np

    assert p.check_limit(np.int64(20), p.CAMPAIGNS_LIMIT) == 20
    assert p.check_min_spend(np.float64(12.5)) == "12.5"
    assert p.check_min_spend(np.int32(7)) == "7"


def test_min_spend_keeps_every_digit() -> None:
    assert p.check_min_spend(1234567) == "1234567"
    assert p.check_min_spend(1234567.25) == "1234567.25"
    assert p.check_min_spend(0.1) == "0.1"


def test_filter_sets_are_the_pages() -> None:
    # The reference page's lists, typed out here rather than read from the vocabulary.
    assert p.check_filter("predicted,attributed,lift", "truth_grades") == (
        "predicted,attributed,lift"
    )
    assert p.check_filter(["cash", "pipeline", "messaging", "meta", "none"], "outcome_kinds")
    assert p.check_filter("messaging,sales,leads,traffic,awareness", "objectives")
    with pytest.raises(ArgumentError, match="predicted, attributed, lift"):
        p.check_filter(["cash"], "truth_grades")
    with pytest.raises(ArgumentError, match="cash, pipeline, messaging, meta, none"):
        p.check_filter(["purchase"], "outcome_kinds")


def test_formats_are_an_open_set() -> None:
    # "ugc_video, talking_head, static, carousel, …": any new format passes through.
    assert p.check_filter(["ugc_video", "green_screen"], "formats") == "ugc_video,green_screen"
    with pytest.raises(ArgumentError):
        p.check_filter(["ugc_video", ""], "formats")  # but an empty item is still a mistake


@pytest.mark.parametrize(
    ("call", "guess"),
    [
        (lambda: p.check_filter("atributed", "truth_grades"), "'attributed'"),
        (lambda: p.check_filter(["sales", "lead"], "objectives"), "'leads'"),
        (lambda: p.check_model("time-decay"), "'time_decay'"),
        (lambda: p.check_level("adset"), "'ad_set'"),
        (lambda: p.check_window("28D"), "'28d'"),
    ],
)
def test_typos_get_a_did_you_mean(call: Any, guess: str) -> None:
    with pytest.raises(ArgumentError) as info:
        call()
    assert f"did you mean {guess}" in str(info.value)


def test_far_values_get_no_guess() -> None:
    with pytest.raises(ArgumentError) as info:
        p.check_filter(["revenue"], "outcome_kinds")
    assert "did you mean" not in str(info.value)


def test_date_text_is_answered_in_text_terms() -> None:
    # What a string can be is a string: the message names no Python type (the sandbox sends
    # these words back over HTTP).
    with pytest.raises(ArgumentError) as info:
        p.check_date("03/01/2026", "date_from")
    assert "datetime" not in str(info.value) and "YYYY-MM-DD" in str(info.value)
    with pytest.raises(ArgumentError) as info:
        p.check_date(20260301, "date_from")
    assert "datetime.date" in str(info.value)  # from Python, the types are the answer
