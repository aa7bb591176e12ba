"""Tests of the sandbox's attribution models against hand-computed credits and invariants."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from atribu_pandas.core.vocabulary import MODELS
from atribu_pandas.exceptions import ArgumentError
from atribu_pandas.sandbox.attribution import attribute, attribute_all

CONVERTED = pd.Timestamp("2025-06-30 12:00")


def journey(
    ages_days: list[float],
    direct: list[bool] | None = None,
    conversion_id: str = "c1",
) -> pd.DataFrame:
    """One conversion's touches, in the order given, `age` days before the conversion."""
    return pd.DataFrame(
        {
            "conversion_id": [conversion_id] * len(ages_days),
            "touched_at": [CONVERTED - pd.Timedelta(days=a) for a in ages_days],
            "converted_at": [CONVERTED] * len(ages_days),
            "is_direct": direct if direct is not None else [False] * len(ages_days),
        }
    )


def shares(frame: pd.DataFrame, model: str, **kwargs: float) -> list[float]:
    return attribute(frame, model, **kwargs).tolist()


# --- hand-computed credits ------------------------------------------------------------


@pytest.mark.parametrize("model", MODELS)
def test_one_touch_gets_everything(model: str) -> None:
    assert shares(journey([3.0], [True]), model) == [1.0]


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        ("last_touch", [0.0, 1.0]),
        ("first_touch", [1.0, 0.0]),
        ("linear", [0.5, 0.5]),
        ("position_based", [0.5, 0.5]),
        ("split_50_50", [0.5, 0.5]),
        # weights 2^(-7/7) = 1/2 and 2^0 = 1, normalised by 3/2
        ("time_decay", [1 / 3, 2 / 3]),
        ("last_non_direct", [0.0, 1.0]),
    ],
)
def test_two_touches(model: str, expected: list[float]) -> None:
    assert shares(journey([7.0, 0.0]), model) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        ("last_touch", [0, 0, 0, 0, 1]),
        ("first_touch", [1, 0, 0, 0, 0]),
        ("linear", [0.2] * 5),
        # 40 / 40 to the ends, 20% split three ways in the middle
        ("position_based", [0.4, 0.2 / 3, 0.2 / 3, 0.2 / 3, 0.4]),
        ("split_50_50", [0.5, 0, 0, 0, 0.5]),
        # ages 28, 21, 14, 7, 0 days: weights 1/16, 1/8, 1/4, 1/2, 1, summing to 31/16
        ("time_decay", [1 / 31, 2 / 31, 4 / 31, 8 / 31, 16 / 31]),
        # is_direct F, T, F, T, T: the last non-direct touch is the third
        ("last_non_direct", [0, 0, 1, 0, 0]),
    ],
)
def test_five_touches(model: str, expected: list[float]) -> None:
    frame = journey([28.0, 21.0, 14.0, 7.0, 0.0], [False, True, False, True, True])
    assert shares(frame, model) == pytest.approx(expected, abs=1e-12)


def test_position_based_three_touches() -> None:
    assert shares(journey([2.0, 1.0, 0.0]), "position_based") == pytest.approx([0.4, 0.2, 0.4])


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        ("last_non_direct", [0, 0, 1]),
        ("last_touch", [0, 0, 1]),
        ("first_touch", [1, 0, 0]),
        ("linear", [1 / 3, 1 / 3, 1 / 3]),
    ],
)
def test_all_direct_journey(model: str, expected: list[float]) -> None:
    frame = journey([5.0, 3.0, 1.0], [True, True, True])
    assert shares(frame, model) == pytest.approx(expected)


def test_last_non_direct_skips_a_direct_last_touch() -> None:
    frame = journey([5.0, 3.0, 1.0], [False, False, True])
    assert shares(frame, "last_non_direct") == [0.0, 1.0, 0.0]
    assert shares(frame, "last_touch") == [0.0, 0.0, 1.0]


def test_last_non_direct_with_one_non_direct_first() -> None:
    frame = journey([5.0, 3.0, 1.0, 0.5], [False, True, True, True])
    assert shares(frame, "last_non_direct") == [1.0, 0.0, 0.0, 0.0]


def test_time_decay_fractional_age() -> None:
    # 3.5 days is half a half-life: weights 2^(-1/2) and 1,
    # so the shares are 1/(1+sqrt 2) and sqrt 2/(1+sqrt 2).
    got = shares(journey([3.5, 0.0]), "time_decay")
    root2 = math.sqrt(2.0)
    assert got == pytest.approx([1 / (1 + root2), root2 / (1 + root2)], abs=1e-12)


def test_time_decay_half_life_argument() -> None:
    # With a 14-day half-life a 14-day-old touch weighs 1/2 against 1.
    got = shares(journey([14.0, 0.0]), "time_decay", half_life_days=14.0)
    assert got == pytest.approx([1 / 3, 2 / 3], abs=1e-12)


def test_time_decay_measures_age_to_conversion_not_to_last_touch() -> None:
    # Ages 10 and 3 days (7 apart): weights 2^(-10/7) and 2^(-3/7) are in ratio 1:2.
    assert shares(journey([10.0, 3.0]), "time_decay") == pytest.approx([1 / 3, 2 / 3])


def test_time_decay_very_old_journey_does_not_underflow() -> None:
    # 2^(-4000/7) underflows to 0.0 in float64; the shares are still the ratio 1 : 2^(1/7).
    got = shares(journey([4001.0, 4000.0]), "time_decay")
    r = 2 ** (1 / 7)
    assert got == pytest.approx([1 / (1 + r), r / (1 + r)], abs=1e-12)


def test_time_decay_hours_precision() -> None:
    # Six hours is 0.25 day: weight 2^(-0.25/7) against 1.
    frame = journey([0.25, 0.0])
    w = 2 ** (-0.25 / 7)
    assert shares(frame, "time_decay") == pytest.approx([w / (1 + w), 1 / (1 + w)], abs=1e-12)


# --- ordering -----------------------------------------------------------------------------


def test_ties_in_touched_at_keep_row_order() -> None:
    # Rows 0 and 1 share a timestamp; row 2 is earlier but listed last.
    frame = journey([1.0, 1.0, 4.0], [False, False, False])
    assert shares(frame, "first_touch") == [0.0, 0.0, 1.0]
    assert shares(frame, "last_touch") == [0.0, 1.0, 0.0]
    # In time order the journey is row 2, row 0, row 1: row 0 is the middle.
    assert shares(frame, "position_based") == pytest.approx([0.2, 0.4, 0.4])
    # Ties weigh the same under time_decay: ages 1, 1, 4 days.
    w1, w4 = 2 ** (-1 / 7), 2 ** (-4 / 7)
    total = 2 * w1 + w4
    assert shares(frame, "time_decay") == pytest.approx([w1 / total, w1 / total, w4 / total])


def test_all_touches_tied() -> None:
    frame = journey([2.0, 2.0, 2.0], [False, False, True])
    assert shares(frame, "first_touch") == [1.0, 0.0, 0.0]
    assert shares(frame, "last_touch") == [0.0, 0.0, 1.0]
    assert shares(frame, "last_non_direct") == [0.0, 1.0, 0.0]
    assert shares(frame, "time_decay") == pytest.approx([1 / 3] * 3)


def test_shuffled_rows_of_several_conversions_keep_their_index() -> None:
    a = journey([3.0, 2.0, 1.0], [False, False, True], conversion_id="a")
    b = journey([9.0, 0.0], [True, False], conversion_id="b")
    c = journey([5.0], [True], conversion_id="c")
    frame = pd.concat([a, b, c], ignore_index=True)
    frame.index = pd.Index(["a0", "a1", "a2", "b0", "b1", "c0"])
    shuffled = frame.loc[["b1", "a2", "c0", "a0", "b0", "a1"]]

    got = attribute(shuffled, "last_touch")
    assert list(got.index) == ["b1", "a2", "c0", "a0", "b0", "a1"]
    assert got.to_dict() == {"b1": 1.0, "a2": 1.0, "c0": 1.0, "a0": 0.0, "b0": 0.0, "a1": 0.0}

    got = attribute(shuffled, "first_touch")
    assert got.to_dict() == {"b1": 0.0, "a2": 0.0, "c0": 1.0, "a0": 1.0, "b0": 1.0, "a1": 0.0}

    got = attribute(shuffled, "last_non_direct")
    assert got.to_dict() == {"b1": 1.0, "a2": 0.0, "c0": 1.0, "a0": 0.0, "b0": 0.0, "a1": 1.0}

    got = attribute(shuffled, "position_based")
    assert got.to_dict() == pytest.approx(
        {"b1": 0.5, "a2": 0.4, "c0": 1.0, "a0": 0.4, "b0": 0.5, "a1": 0.2}
    )


def test_integer_ids_sorted_and_unsorted_agree() -> None:
    # Many conversions, the later touch of each listed first, ids sorted then reversed.
    n = 70_000
    ids = np.repeat(np.arange(n), 2)
    base = pd.Timestamp("2025-01-01")
    later = np.tile([1, 0], n)  # the first row of each pair is the later touch
    frame = pd.DataFrame(
        {
            "conversion_id": ids,
            "touched_at": base + pd.to_timedelta(later, unit="h"),
            "converted_at": base + pd.Timedelta(days=1),
            "is_direct": False,
        }
    )
    expected = later.astype(float)
    assert np.array_equal(attribute(frame, "last_touch").to_numpy(), expected)
    reversed_frame = frame.iloc[::-1]
    assert np.array_equal(attribute(reversed_frame, "last_touch").to_numpy(), expected[::-1])


@pytest.mark.parametrize(
    ("tick", "span"),
    [
        (pd.Timedelta(seconds=1), pd.Timedelta(days=30)),
        (pd.Timedelta(milliseconds=1), pd.Timedelta(days=30)),
        (pd.Timedelta(microseconds=1), pd.Timedelta(days=30)),
        (pd.Timedelta(nanoseconds=1), pd.Timedelta(days=30)),
        # Over 500 years at nanosecond precision (wider than int64 differences allow).
        (pd.Timedelta(nanoseconds=1), pd.Timestamp("2200-01-01") - pd.Timestamp("1700-01-01")),
    ],
)
def test_time_order_at_any_precision(tick: pd.Timedelta, span: pd.Timedelta) -> None:
    rng = np.random.default_rng(7)
    n = 400
    offsets = rng.integers(0, 6, n)  # few distinct ticks: many ties
    offsets[0] = 0
    base = pd.Timestamp("1700-01-01") if span > pd.Timedelta(days=365 * 200) else CONVERTED
    times = base + offsets * tick
    times[1] = base + span  # stretch the range
    frame = pd.DataFrame({"conversion_id": rng.integers(0, 40, n), "touched_at": pd.Series(times)})
    got = attribute_all(frame, ["first_touch", "last_touch"])
    # The first and last touch of each conversion in (time, row position) order.
    keyed = frame.assign(position=np.arange(n)).sort_values(["touched_at", "position"])
    firsts = set(keyed.groupby("conversion_id")["position"].first())
    lasts = set(keyed.groupby("conversion_id")["position"].last())
    assert set(np.flatnonzero(got["first_touch"].to_numpy() == 1.0)) == firsts
    assert set(np.flatnonzero(got["last_touch"].to_numpy() == 1.0)) == lasts


def test_tz_aware_timestamps() -> None:
    frame = journey([7.0, 0.0])
    frame["touched_at"] = frame["touched_at"].dt.tz_localize("America/New_York")
    frame["converted_at"] = frame["converted_at"].dt.tz_localize("America/New_York")
    assert shares(frame, "time_decay") == pytest.approx([1 / 3, 2 / 3])
    assert shares(frame, "last_touch") == [0.0, 1.0]


def test_result_type_and_empty_input() -> None:
    got = attribute(journey([1.0, 0.0]), "linear")
    assert got.dtype == np.float64
    assert got.name == "linear"
    empty = attribute(journey([]).astype({"touched_at": "datetime64[ns]"}), "linear")
    assert empty.dtype == np.float64
    assert len(empty) == 0


# --- invariants over random journeys -------------------------------------------------------


def reference_shares(ages: list[float], direct: list[bool], model: str) -> list[float]:
    """Straight from the definitions, for one journey already in time order."""
    n = len(ages)
    if model == "last_touch":
        return [float(i == n - 1) for i in range(n)]
    if model == "first_touch":
        return [float(i == 0) for i in range(n)]
    if model == "linear":
        return [1 / n] * n
    if model == "split_50_50":
        return [0.5 * (i == 0) + 0.5 * (i == n - 1) for i in range(n)]
    if model == "position_based":
        if n <= 2:
            return [1 / n] * n
        return [0.4 if i in (0, n - 1) else 0.2 / (n - 2) for i in range(n)]
    if model == "time_decay":
        weights = [2.0 ** (-(a - min(ages)) / 7) for a in ages]
        return [w / sum(weights) for w in weights]
    winner = max((i for i in range(n) if not direct[i]), default=n - 1)
    return [float(i == winner) for i in range(n)]


touch = st.tuples(st.integers(0, 20), st.booleans())  # (age in hours, is_direct)
journeys = st.lists(st.lists(touch, min_size=1, max_size=7), min_size=1, max_size=8)


# Each kind of id takes its own path to conversion codes: hashing, dense integers, or
# sparse integers (hashed too).
ID_KINDS = {
    "str": lambda j: f"conv{j}",
    "dense_int": lambda j: j,
    "sparse_int": lambda j: j * 10**12 - 5,
}


@settings(max_examples=60, deadline=None)
@given(journeys=journeys, id_kind=st.sampled_from(sorted(ID_KINDS)), data=st.data())
def test_random_journeys_match_definitions_and_sum_to_one(
    journeys: list[list[tuple[int, bool]]], id_kind: str, data: st.DataObject
) -> None:
    make_id = ID_KINDS[id_kind]
    rows = [
        (make_id(j), hours, is_direct)
        for j, touches in enumerate(journeys)
        for hours, is_direct in touches
    ]
    frame = pd.DataFrame(rows, columns=["conversion_id", "age_hours", "is_direct"])
    frame["converted_at"] = CONVERTED
    frame["touched_at"] = CONVERTED - pd.to_timedelta(frame["age_hours"], unit="h")
    order = data.draw(st.permutations(range(len(frame))))
    shuffled = frame.iloc[order]
    # Each journey in time order, ties in the order the rows are given (position in `shuffled`).
    in_time = [
        group.sort_values(["touched_at", "position"])
        for _, group in shuffled.assign(position=range(len(shuffled))).groupby("conversion_id")
    ]

    for model in MODELS:
        got = attribute(shuffled, model)
        assert got.index.equals(shuffled.index)
        assert ((got >= 0) & (got <= 1)).all()
        sums = got.groupby(shuffled["conversion_id"]).sum()
        assert np.allclose(sums.to_numpy(), 1.0, rtol=0, atol=1e-12)
        for group in in_time:
            ages = (group["age_hours"] / 24).tolist()
            expected = reference_shares(ages, group["is_direct"].tolist(), model)
            assert got.loc[group.index].tolist() == pytest.approx(expected, abs=1e-12)


def test_attribute_all_equals_one_model_at_a_time() -> None:
    a = journey([3.0, 2.0, 1.0], [False, False, True], conversion_id="a")
    b = journey([9.0, 0.0], [True, False], conversion_id="b")
    frame = pd.concat([b, a], ignore_index=True).iloc[[4, 0, 2, 1, 3]]
    table = attribute_all(frame)
    assert list(table.columns) == list(MODELS)
    assert table.index.equals(frame.index)
    for model in MODELS:
        assert table[model].tolist() == attribute(frame, model).tolist()
    subset = attribute_all(frame, ["linear", "first_touch"])
    assert list(subset.columns) == ["linear", "first_touch"]


def test_attribute_all_refuses_a_bare_string_and_unknown_models() -> None:
    with pytest.raises(ArgumentError) as info:
        attribute_all(journey([1.0]), "linear")
    assert info.value.argument == "models"
    with pytest.raises(ArgumentError) as info:
        attribute_all(journey([1.0]), ["linear", "markov"])
    assert info.value.value == "markov"


def test_attribute_all_names_columns_missing_for_any_model() -> None:
    frame = journey([1.0]).drop(columns=["is_direct"])
    with pytest.raises(ArgumentError, match="is_direct"):
        attribute_all(frame, ["linear", "last_non_direct"])


# --- argument checks -------------------------------------------------------------------------


def test_unknown_model_names_the_allowed_ones() -> None:
    with pytest.raises(ArgumentError) as info:
        attribute(journey([1.0]), "data_driven")
    assert info.value.argument == "model"
    for model in MODELS:
        assert model in str(info.value)
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    ("model", "dropped"),
    [
        ("linear", "conversion_id"),
        ("first_touch", "touched_at"),
        ("time_decay", "converted_at"),
        ("last_non_direct", "is_direct"),
    ],
)
def test_missing_column_is_named(model: str, dropped: str) -> None:
    frame = journey([1.0, 0.0]).drop(columns=[dropped])
    with pytest.raises(ArgumentError) as info:
        attribute(frame, model)
    assert dropped in str(info.value)
    assert "conversion_id, touched_at" in info.value.allowed


def test_columns_a_model_does_not_read_are_optional() -> None:
    frame = journey([1.0, 0.0])[["conversion_id", "touched_at"]]
    assert shares(frame, "last_touch") == [0.0, 1.0]


@pytest.mark.parametrize("half_life", [0.0, -1.0, math.inf, math.nan, True])
def test_bad_half_life(half_life: float) -> None:
    with pytest.raises(ArgumentError) as info:
        attribute(journey([1.0]), "time_decay", half_life_days=half_life)
    assert info.value.argument == "half_life_days"


def test_not_a_frame() -> None:
    with pytest.raises(ArgumentError) as info:
        attribute([{"conversion_id": 1}], "linear")  # type: ignore[arg-type]
    assert info.value.argument == "touchpoints"


def test_touched_at_must_be_datetime() -> None:
    frame = journey([1.0]).assign(touched_at="2025-01-01")
    with pytest.raises(ArgumentError, match="touched_at"):
        attribute(frame, "linear")


def test_missing_values_are_refused() -> None:
    frame = journey([1.0, 0.0])
    with pytest.raises(ArgumentError, match="conversion_id"):
        attribute(frame.assign(conversion_id=pd.Series(["c1", None], dtype="string")), "linear")
    with pytest.raises(ArgumentError, match="touched_at"):
        attribute(frame.assign(touched_at=pd.Series([CONVERTED, pd.NaT])), "linear")
    with pytest.raises(ArgumentError, match="is_direct"):
        attribute(
            frame.assign(is_direct=pd.array([True, None], dtype="boolean")), "last_non_direct"
        )


def test_is_direct_must_be_boolean() -> None:
    with pytest.raises(ArgumentError, match="is_direct"):
        attribute(journey([1.0, 0.0]).assign(is_direct=["no", "yes"]), "last_non_direct")
