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
model's shares; :func:`attribute_all` gives several and places the touches in their
journeys once.

How it stays fast (no Python loop over conversions, and no sort): a touch's place
in its journey is its (touched_at, row position) pair, so the first and the last
touch of every journey are group-wise extremes (``np.minimum.at`` and
``np.maximum.at`` over the conversion codes), a journey's length is a
``np.bincount``, and time_decay's sums are a weighted ``np.bincount``. Every step is
linear in the number of touches, whatever order the rows come in.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

from atribu_pandas.core.vocabulary import MODELS
from atribu_pandas.exceptions import ArgumentError

__all__ = ["attribute", "attribute_all"]


# position_based with a middle: the first and the last touch each get the end share, and the
# middle touches split the rest (written out, since 1 - 2 * 0.4 is not 0.2 in floating point).
_POSITION_END_SHARE = 0.4
_POSITION_MIDDLE_SHARE = 0.2
_NS_PER_DAY = 86_400 * 10**9
# Packing (time, row) into an int64 rank: its bits, and the time units tried, coarsest first.
_RANK_BITS = 63
_TIME_UNITS_NS = (10**9, 10**6, 10**3)
_MAX_UNIT_BITS = 29  # 10**9 < 2**30

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
    """Shares of several models at once, placing each touch in its journey only once.

    Same as ``pd.concat([attribute(touchpoints, m) for m in models], axis=1)``,
    but finding each touch's journey, position and journey length (most of the
    work) is shared by the models.

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
    """Where each touch stands in its journey, found without sorting.

    A touch's rank is its (touched_at, row position) pair. Group-wise extremes of that
    pair (``np.minimum.at`` / ``np.maximum.at`` on the conversion codes) tell the first
    and the last touch of every journey, and ``np.bincount`` its length: that is all
    the positional models need, in time linear in the number of touches.
    """

    def __init__(self, touchpoints: pd.DataFrame) -> None:
        self.touchpoints = touchpoints
        self.n = len(touchpoints)
        if self.n == 0:
            return
        self.codes, self.n_codes = _conversion_codes(touchpoints["conversion_id"])
        self.touched = _datetime_ns(touchpoints["touched_at"], "touched_at")
        self.rows = np.arange(self.n, dtype=np.int64)
        self.size = np.bincount(self.codes, minlength=self.n_codes)[self.codes]
        rank = _packed_rank(self.touched)
        if rank is None:
            self.is_first = self._pick(None, latest=False)
            self.is_last = self._pick(None, latest=True)
        else:
            # One int64 per touch orders (time, row): one reduction each way is enough.
            earliest = np.full(self.n_codes, np.iinfo(np.int64).max, dtype=np.int64)
            np.minimum.at(earliest, self.codes, rank)
            latest = np.full(self.n_codes, -1, dtype=np.int64)
            np.maximum.at(latest, self.codes, rank)
            self.is_first = rank == earliest[self.codes]
            self.is_last = rank == latest[self.codes]

    def _pick(self, mask: npt.NDArray[np.bool_] | None, *, latest: bool) -> npt.NDArray[np.bool_]:
        """Flag each journey's earliest (or latest) touch among the rows in ``mask``."""
        codes, times, rows = self.codes, self.touched, self.rows
        if mask is not None:
            codes, times, rows = codes[mask], times[mask], rows[mask]
        reduce = np.maximum if latest else np.minimum
        bounds = np.iinfo(np.int64)
        best_time = np.full(self.n_codes, bounds.min if latest else bounds.max, dtype=np.int64)
        reduce.at(best_time, codes, times)
        # Among the touches at the extreme time, the row position breaks the tie.
        tied = times == best_time[codes]
        codes, rows = codes[tied], rows[tied]
        best_row = np.full(self.n_codes, -1 if latest else self.n, dtype=np.int64)
        reduce.at(best_row, codes, rows)
        picked = np.zeros(self.n, dtype=bool)
        picked[rows[rows == best_row[codes]]] = True
        return picked

    def shares(self, model: str, half_life_days: float) -> _Floats:
        """The model's shares in the frame's row order."""
        if self.n == 0:
            return np.empty(0, dtype=np.float64)
        if model == "time_decay":
            return self._time_decay(half_life_days)
        if model == "last_non_direct":
            return self._last_non_direct()
        return _positional(model, self.is_first, self.is_last, self.size)

    def _time_decay(self, half_life_days: float) -> _Floats:
        """Normalised ``2 ** (-age / half_life)`` weights within each journey."""
        converted = _datetime_ns(self.touchpoints["converted_at"], "converted_at")
        age_days = (converted - self.touched) / _NS_PER_DAY
        # Measure ages from the journey's youngest touch: the normalised shares are the same,
        # and the largest weight is then 1, so old journeys never underflow to 0 / 0.
        youngest = np.full(self.n_codes, np.inf)
        np.minimum.at(youngest, self.codes, age_days)
        weights = np.exp2(-(age_days - youngest[self.codes]) / half_life_days)
        totals = np.bincount(self.codes, weights=weights, minlength=self.n_codes)
        shares: _Floats = weights / totals[self.codes]
        return shares

    def _last_non_direct(self) -> _Floats:
        """1 for the last non-direct touch of each journey (else its last touch)."""
        column = self.touchpoints["is_direct"]
        if not pd.api.types.is_bool_dtype(column.dtype) or column.isna().any():
            raise ArgumentError(
                "touchpoints['is_direct']",
                str(column.dtype),
                "a bool column without missing values",
            )
        non_direct = ~column.to_numpy(dtype=bool)
        winner = self._pick(non_direct, latest=True)
        has_non_direct = np.bincount(self.codes[non_direct], minlength=self.n_codes) > 0
        winner |= self.is_last & ~has_non_direct[self.codes]
        return winner.astype(np.float64)


def _packed_rank(times: _Ints) -> _Ints | None:
    """``(time << row_bits) | row`` as one int64 per touch, or None when it does not fit.

    Its order is the (touched_at, row position) order, and it is unique. Time is counted
    from the earliest touch in the coarsest unit that divides every touch time (seconds,
    milliseconds, microseconds or nanoseconds), which leaves room for the row number.
    """
    n = len(times)
    row_bits = max(1, (n - 1).bit_length())
    first, last = int(times.min()), int(times.max())
    span_bits = (last - first).bit_length()
    if span_bits >= _RANK_BITS or span_bits - _MAX_UNIT_BITS + row_bits > _RANK_BITS:
        return None  # the differences would overflow, or no unit could make them fit
    since_first = times - first
    for unit in _TIME_UNITS_NS:
        if not np.any(since_first % unit):
            since_first //= unit
            break
    if int(since_first.max()).bit_length() + row_bits > _RANK_BITS:
        return None
    since_first <<= row_bits
    since_first |= np.arange(n, dtype=np.int64)
    return since_first


def _positional(
    model: str,
    is_first: npt.NDArray[np.bool_],
    is_last: npt.NDArray[np.bool_],
    size: _Ints,
) -> _Floats:
    """Shares that depend only on a touch's position and its journey's length."""
    first = is_first.astype(np.float64)
    last = is_last.astype(np.float64)
    if model == "first_touch":
        return first
    if model == "last_touch":
        return last
    if model == "linear":
        linear: _Floats = 1.0 / size
        return linear
    if model == "split_50_50":
        # A one-touch journey is both first and last, so it gets 0.5 + 0.5.
        return 0.5 * first + 0.5 * last
    # position_based
    with np.errstate(divide="ignore", invalid="ignore"):
        middle = _POSITION_MIDDLE_SHARE / (size - 2)
    shares = np.where(is_first | is_last, _POSITION_END_SHARE, middle)
    shares[size == 1] = 1.0
    shares[size == 2] = 0.5
    return shares


def _conversion_codes(column: pd.Series) -> tuple[_Ints, int]:
    """A code in 0 .. size-1 per conversion, and that size (some codes may be unused)."""
    if pd.api.types.is_integer_dtype(column.dtype) and isinstance(column.dtype, np.dtype):
        values = column.to_numpy().astype(np.int64, copy=False)
        low, high = int(values.min()), int(values.max())
        if high - low < 2 * len(values):
            # Dense integer ids (0..N, say) are codes already, after a shift: no hashing.
            return values - low, high - low + 1
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
