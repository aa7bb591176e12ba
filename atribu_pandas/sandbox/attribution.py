"""Attribution models: each touch's share of the conversion its journey ended in.

The sandbox computes every model's credit once per touch and aggregates it by
conversion date when a request asks for a window. A journey is the set of
touches that share a ``conversion_id``, ordered by ``touched_at`` (ties keep the
rows' order). For a journey of ``n`` touches at positions ``i = 0 .. n-1``:

==================  ==========================================================
model               share of touch ``i``
==================  ==========================================================
``last_touch``      ``1`` if ``i = n-1`` else ``0``
``first_touch``     ``1`` if ``i = 0`` else ``0``
``linear``          ``1 / n``
``position_based``  ``n = 1``: ``1``; ``n = 2``: ``1/2`` each; ``n >= 3``: ``0.4``
                    to the first and to the last, ``0.2 / (n-2)`` to each other
``time_decay``      ``w_i / sum_j w_j`` with ``w_i = 2 ** (-age_i / h)``, where
                    ``age_i`` is ``converted_at - touched_at`` in days and ``h``
                    the half-life in days (7 by default)
``last_non_direct`` ``1`` for the last touch with ``is_direct`` false, or for
                    the last touch when every touch is direct; ``0`` otherwise
``split_50_50``     ``1/2`` to the first and ``1/2`` to the last (``1`` when
                    ``n = 1``)
==================  ==========================================================

Every model gives shares that sum to 1 per conversion. :func:`attribute` gives one
model's shares; :func:`attribute_all` gives several and sorts the journeys once.

How it stays fast (no Python loop over conversions): the rows are ordered by
conversion, then time, then row position with stable, mostly linear-time numpy
sorts (none at all when the rows already come grouped and in time order); journey
boundaries then give each touch its position and journey length, and every model
is a few array operations on those, with ``np.add.reduceat`` and friends for the
per-journey sums.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

from atribu_pandas.exceptions import ArgumentError

__all__ = ["MODELS", "attribute", "attribute_all"]

MODELS: tuple[str, ...] = (
    "last_touch",
    "first_touch",
    "linear",
    "position_based",
    "time_decay",
    "last_non_direct",
    "split_50_50",
)

# position_based with a middle: the first and the last touch each get the end share, and the
# middle touches split the rest (written out, since 1 - 2 * 0.4 is not 0.2 in floating point).
_POSITION_END_SHARE = 0.4
_POSITION_MIDDLE_SHARE = 0.2
_NS_PER_DAY = 86_400 * 10**9
_RADIX_BITS = 16
_PACKED_BITS = 63
_TIME_UNITS_NS = (10**9, 10**6, 10**3)  # whole seconds, milliseconds, microseconds
_RADIX_MASK = (1 << _RADIX_BITS) - 1

# Columns every model reads, and the extra ones a model needs.
_BASE_COLUMNS: tuple[str, ...] = ("conversion_id", "touched_at")
_EXTRA_COLUMNS: dict[str, tuple[str, ...]] = {
    "time_decay": ("converted_at",),
    "last_non_direct": ("is_direct",),
}

_Floats = npt.NDArray[np.float64]
_Ints = npt.NDArray[np.int64]


def attribute(touchpoints: pd.DataFrame, model: str, *, half_life_days: float = 7.0) -> pd.Series:
    """Share of its conversion that each touch earns under an attribution model.

    Parameters
    ----------
    touchpoints : pandas.DataFrame
        One row per touch, in any order, with columns ``conversion_id`` (any
        hashable, no missing values) and ``touched_at`` (datetime64, naive or
        tz-aware, no missing values); ``time_decay`` also reads ``converted_at``
        (datetime64) and ``last_non_direct`` reads ``is_direct`` (bool). Other
        columns are ignored.
    model : str
        One of :data:`MODELS`: ``last_touch``, ``first_touch``, ``linear``,
        ``position_based``, ``time_decay``, ``last_non_direct``, ``split_50_50``.
        The module docstring gives each formula.
    half_life_days : float, default 7.0
        Half-life of ``time_decay``'s weights, in days (ignored by other models).

    Returns
    -------
    pandas.Series
        float64 shares named after the model, on ``touchpoints.index`` and in its
        row order; they sum to 1 over each conversion's touches.

    Raises
    ------
    atribu_pandas.exceptions.ArgumentError
        An unknown model, a non-positive half-life, a missing column, a column
        of the wrong type or with missing values.

    Examples
    --------
    >>> import pandas as pd
    >>> from atribu_pandas.sandbox.attribution import attribute
    >>> journey = pd.DataFrame(
    ...     {
    ...         "conversion_id": ["c1", "c1", "c1"],
    ...         "touched_at": pd.to_datetime(["2025-03-01", "2025-03-08", "2025-03-15"]),
    ...         "converted_at": pd.to_datetime(["2025-03-15"] * 3),
    ...         "is_direct": [False, False, True],
    ...     }
    ... )
    >>> attribute(journey, "position_based").tolist()
    [0.4, 0.2, 0.4]
    >>> attribute(journey, "last_non_direct").tolist()
    [0.0, 1.0, 0.0]
    >>> attribute(journey, "time_decay").round(4).tolist()  # weights 1/4, 1/2, 1
    [0.1429, 0.2857, 0.5714]
    """
    _check_arguments(touchpoints, (model,), half_life_days)
    shares = _Journeys(touchpoints).shares(model, float(half_life_days))
    return pd.Series(shares, index=touchpoints.index, name=model)


def attribute_all(
    touchpoints: pd.DataFrame,
    models: Sequence[str] = MODELS,
    *,
    half_life_days: float = 7.0,
) -> pd.DataFrame:
    """Shares of several models at once, ordering the journeys only once.

    Same as ``pd.concat([attribute(touchpoints, m) for m in models], axis=1)``,
    but the sort into journeys (most of the work) is shared by the models.

    Parameters
    ----------
    touchpoints : pandas.DataFrame
        As for :func:`attribute`; the columns the listed models read.
    models : sequence of str, default MODELS
        Models from :data:`MODELS`, one column each, in this order.
    half_life_days : float, default 7.0
        Half-life of ``time_decay``'s weights, in days.

    Returns
    -------
    pandas.DataFrame
        One float64 column per model, on ``touchpoints.index``.

    Raises
    ------
    atribu_pandas.exceptions.ArgumentError
        As for :func:`attribute`, for any of the models.

    Examples
    --------
    >>> import pandas as pd
    >>> from atribu_pandas.sandbox.attribution import attribute_all
    >>> journey = pd.DataFrame(
    ...     {
    ...         "conversion_id": [7, 7],
    ...         "touched_at": pd.to_datetime(["2025-03-01", "2025-03-08"]),
    ...     }
    ... )
    >>> attribute_all(journey, ["first_touch", "last_touch", "linear"])
       first_touch  last_touch  linear
    0          1.0         0.0     0.5
    1          0.0         1.0     0.5
    """
    if isinstance(models, str):
        raise ArgumentError("models", models, "a sequence of model names, such as MODELS")
    models = tuple(models)
    _check_arguments(touchpoints, models, half_life_days)
    journeys = _Journeys(touchpoints)
    columns = {model: journeys.shares(model, float(half_life_days)) for model in models}
    return pd.DataFrame(columns, index=touchpoints.index, columns=list(models))


class _Journeys:
    """A frame's touches ordered into journeys once, for any number of models."""

    def __init__(self, touchpoints: pd.DataFrame) -> None:
        self.touchpoints = touchpoints
        self.n = len(touchpoints)
        if self.n == 0:
            return
        codes, n_conversions = _conversion_codes(touchpoints["conversion_id"])
        self.touched = _datetime_ns(touchpoints["touched_at"], "touched_at")
        self.order = _journey_order(codes, n_conversions, self.touched)
        self.groups = _Groups(codes[self.order])

    def shares(self, model: str, half_life_days: float) -> _Floats:
        """The model's shares in the frame's row order."""
        if self.n == 0:
            return np.empty(0, dtype=np.float64)
        order, groups = self.order, self.groups
        if model == "time_decay":
            converted = _datetime_ns(self.touchpoints["converted_at"], "converted_at")
            age_days = (converted[order] - self.touched[order]) / _NS_PER_DAY
            in_journey_order = _time_decay(age_days, groups, half_life_days)
        elif model == "last_non_direct":
            in_journey_order = _last_non_direct(self.touchpoints, order, groups)
        else:
            in_journey_order = _positional(model, groups)
        shares = np.empty(self.n, dtype=np.float64)
        shares[order] = in_journey_order
        return shares


class _Groups:
    """Journey boundaries of touches sorted by conversion then time."""

    def __init__(self, sorted_codes: _Ints) -> None:
        n = len(sorted_codes)
        is_start = np.empty(n, dtype=bool)
        is_start[0] = True
        np.not_equal(sorted_codes[1:], sorted_codes[:-1], out=is_start[1:])
        self.starts: _Ints = np.flatnonzero(is_start)
        self.sizes: _Ints = np.diff(np.append(self.starts, n))
        self.lasts: _Ints = self.starts + self.sizes - 1
        # Each touch's journey number (0..G-1) and journey length, per sorted row.
        self.group: _Ints = np.cumsum(is_start) - 1
        self.size: _Ints = self.sizes[self.group]
        self.is_start = is_start
        self.is_last = np.zeros(n, dtype=bool)
        self.is_last[self.lasts] = True


def _positional(model: str, g: _Groups) -> _Floats:
    """Shares that depend only on a touch's position and its journey's length."""
    first = g.is_start.astype(np.float64)
    last = g.is_last.astype(np.float64)
    if model == "first_touch":
        return first
    if model == "last_touch":
        return last
    if model == "linear":
        return 1.0 / g.size
    if model == "split_50_50":
        # A one-touch journey is both first and last, so it gets 0.5 + 0.5.
        return 0.5 * first + 0.5 * last
    # position_based
    size = g.size
    ends = first + last
    with np.errstate(divide="ignore", invalid="ignore"):
        middle = _POSITION_MIDDLE_SHARE / (size - 2)
    shares = np.where(ends > 0, _POSITION_END_SHARE, middle)
    shares[size == 1] = 1.0
    shares[size == 2] = 0.5
    return shares


def _time_decay(age_days: _Floats, g: _Groups, half_life_days: float) -> _Floats:
    """Normalised ``2 ** (-age / half_life)`` weights within each journey."""
    # Measure ages from the journey's youngest touch: the normalised shares are the same,
    # and the largest weight is then 1, so old journeys never underflow to 0 / 0.
    youngest = np.minimum.reduceat(age_days, g.starts)[g.group]
    weights = np.exp2(-(age_days - youngest) / half_life_days)
    totals = np.add.reduceat(weights, g.starts)[g.group]
    shares: _Floats = weights / totals
    return shares


def _last_non_direct(touchpoints: pd.DataFrame, order: _Ints, g: _Groups) -> _Floats:
    """1 for the last non-direct touch of each journey (else its last touch)."""
    column = touchpoints["is_direct"]
    if not pd.api.types.is_bool_dtype(column.dtype) or column.isna().any():
        raise ArgumentError(
            "touchpoints['is_direct']",
            str(column.dtype),
            "a bool column without missing values",
        )
    is_direct = column.to_numpy(dtype=bool)[order]
    positions = np.arange(len(order), dtype=np.int64)
    candidates = np.where(is_direct, -1, positions)
    winner = np.maximum.reduceat(candidates, g.starts)
    winner = np.where(winner < 0, g.lasts, winner)
    shares = np.zeros(len(order), dtype=np.float64)
    shares[winner] = 1.0
    return shares


def _journey_order(codes: _Ints, n_conversions: int, times: _Ints) -> _Ints:
    """Row positions sorted by conversion, then touched_at, ties in row order."""
    n = len(codes)
    step = np.diff(codes)
    same = step == 0
    # Generated and exported journeys usually arrive grouped (one run of rows per
    # conversion) and in time order; checking that is far cheaper than sorting.
    if n - np.count_nonzero(same) == n_conversions and np.all(np.diff(times)[same] >= 0):
        return np.arange(n, dtype=np.int64)
    # A least-significant-key-first sort: stable by time, then stable by conversion code 16
    # bits at a time, since numpy's stable sort of uint16 is a radix sort. This is about
    # twice as fast as np.lexsort.
    order = _time_order(times)
    keys = codes[order]
    top = int(codes.max())
    shift = 0
    while True:
        digit = ((keys >> shift) & _RADIX_MASK).astype(np.uint16)
        step_order = np.argsort(digit, kind="stable")
        order = order[step_order]
        shift += _RADIX_BITS
        if top >> shift == 0:
            return order
        keys = keys[step_order]


def _time_order(times: _Ints) -> _Ints:
    """Row positions in time order, ties in row order."""
    n = len(times)
    positions = np.arange(n, dtype=np.int64)
    if np.all(times[1:] >= times[:-1]):
        return positions  # a log written in time order
    first, last = int(times.min()), int(times.max())
    row_bits = max(1, (n - 1).bit_length())
    if (last - first).bit_length() >= _PACKED_BITS:  # over 146 years: the difference overflows
        return np.argsort(times, kind="stable").astype(np.int64, copy=False)
    since_first = times - first
    for unit in _TIME_UNITS_NS:
        if not np.any(since_first % unit):
            since_first //= unit  # coarser ticks leave more bits for the row number below
            break
    if int(since_first.max()).bit_length() + row_bits <= _PACKED_BITS:
        # Sorting values is faster than argsort: pack (time, row) into one int64, sort,
        # and read the rows back. The row number makes the keys unique, hence stable.
        packed = np.sort((since_first << row_bits) | positions)
        result: _Ints = packed & ((1 << row_bits) - 1)
        return result
    return np.argsort(times, kind="stable").astype(np.int64, copy=False)


def _conversion_codes(column: pd.Series) -> tuple[_Ints, int]:
    """A non-negative integer per conversion, and the number of conversions."""
    if pd.api.types.is_integer_dtype(column.dtype) and isinstance(column.dtype, np.dtype):
        values = column.to_numpy().astype(np.int64, copy=False)
        step = np.diff(values)
        if np.all(step >= 0):
            # Sorted integer ids: numbering the runs is cheaper than hashing.
            codes = np.zeros(len(values), dtype=np.int64)
            np.cumsum(step != 0, out=codes[1:])
            return codes, int(codes[-1]) + 1
        low, high = int(values.min()), int(values.max())
        if high - low < 2 * len(values):
            # Dense integer ids (0..N, say) are codes already, after a shift.
            codes = values - low
            return codes, int(np.count_nonzero(np.bincount(codes)))
    factorized, uniques = pd.factorize(column, sort=False, use_na_sentinel=True)
    if factorized.min() < 0:
        raise ArgumentError(
            "touchpoints['conversion_id']",
            "missing values",
            "a conversion_id on every row",
        )
    return factorized.astype(np.int64, copy=False), len(uniques)


def _datetime_ns(column: pd.Series, name: str) -> _Ints:
    """Nanoseconds since the epoch (UTC for tz-aware columns) as int64."""
    if not pd.api.types.is_datetime64_any_dtype(column.dtype):
        raise ArgumentError(f"touchpoints[{name!r}]", str(column.dtype), "a datetime64 column")
    if column.isna().any():
        raise ArgumentError(f"touchpoints[{name!r}]", "missing values", "a timestamp on every row")
    if isinstance(column.dtype, pd.DatetimeTZDtype):
        column = column.dt.tz_convert("UTC").dt.tz_localize(None)
    values: _Ints = column.to_numpy(dtype="datetime64[ns]").view(np.int64)
    return values


def _check_arguments(touchpoints: object, models: tuple[str, ...], half_life_days: float) -> None:
    """Refuse a bad model, half-life or frame before doing any work."""
    for model in models:
        if model not in MODELS:
            raise ArgumentError("model", model, "one of " + ", ".join(MODELS))
    if (
        isinstance(half_life_days, bool)
        or not isinstance(half_life_days, numbers.Real)
        or not math.isfinite(float(half_life_days))
        or half_life_days <= 0
    ):
        raise ArgumentError("half_life_days", half_life_days, "a finite number of days > 0")
    if not isinstance(touchpoints, pd.DataFrame):
        raise ArgumentError("touchpoints", type(touchpoints).__name__, "a pandas DataFrame")
    needed = list(_BASE_COLUMNS)
    for model in models:
        needed += [c for c in _EXTRA_COLUMNS.get(model, ()) if c not in needed]
    missing = [c for c in needed if c not in touchpoints.columns]
    if missing:
        which = f"model {models[0]!r}" if len(models) == 1 else "these models"
        raise ArgumentError(
            "touchpoints",
            f"a frame without {', '.join(missing)}",
            f"a frame with columns {', '.join(needed)} for {which}",
        )
