"""Turn API records into typed frames, apply the forward-compatibility policy, validate.

Each column is built once, straight from the records, in the dtype its schema declares
(numbers to float64 or Int64, text to pandas' string dtype or a categorical,
``YYYY-MM-DD`` to ``datetime64[ns]``) when every value has the JSON type that dtype
expects. A column whose values do not is kept as it came, so validation reports it:
a drift is never hidden by a cast (``"12.5"`` is not silently a number, an unknown
enum value never silently NaN).

The forward-compatibility policy (:func:`conform`, the one place it is enforced; the user
guide states it in ``docs/api-reference.md``):

* a field with a documented closed set is a categorical; a value outside the set still
  loads, as an extra category, and the load raises one :class:`SchemaDriftWarning` naming
  the field, the new values and the request id. A new enum value never fails a load;
* open sets are strings, and nothing refuses them;
* a field the API adds is kept as a column (dtype inferred) and named by the same warning;
* an optional documented field that is missing becomes an all-NA column of its dtype;
* a missing required field, or a type change (text where a number is documented), is a
  :class:`~atribu_pandas.exceptions.SchemaError`: that is real breakage.

Validation checks every constraint of the pandera schema (presence, dtype, nulls,
ranges, enums, uniqueness) with vectorised numpy/pandas operations; when one fails, or
when the schema holds a check this module does not know, pandera itself validates
lazily and its failure cases go into :class:`~atribu_pandas.exceptions.SchemaError`.
Pandera's own pass costs 30-120 ms per call on a 100-row frame; the vectorised pass,
a few milliseconds. The two must agree; the tests hold them to it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandas.api import types as ptypes

from atribu_pandas.exceptions import SchemaDriftWarning, SchemaError, warn_caller

__all__ = [
    "SchemaDriftWarning",
    "build_frame",
    "conform",
    "conforms",
    "empty_frame",
    "validate_frame",
]

_NONE = type(None)
_NUMBER_TYPES = (int, float, _NONE)
_TEXT_TYPES = (str, _NONE)
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _target_dtype(column: pa.Column) -> Any:
    return column.dtype.type


def _all_types(values: list[Any], allowed: tuple[type, ...]) -> bool:
    # type() rather than isinstance(): bool is an int subclass and must not pass as a number.
    return all(type(v) in allowed for v in values)


def _floats(values: list[Any], _: Any) -> Any:
    if not _all_types(values, _NUMBER_TYPES):
        return None
    return np.array(values, dtype="float64")


def _ints(values: list[Any], _: Any) -> Any:
    if not _all_types(values, _NUMBER_TYPES):
        return None
    floats = np.array(values, dtype="float64")
    mask = np.isnan(floats)
    filled = np.where(mask, 0.0, floats)
    if not np.array_equal(filled, np.round(filled)):
        return None  # a fraction in a count: leave it for validation to report
    return pd.arrays.IntegerArray(filled.astype("int64"), mask)


def _strings(values: list[Any], dtype: Any) -> Any:
    if not _all_types(values, _TEXT_TYPES):
        return None
    return pd.array(values, dtype=dtype)


def _categories(values: list[Any], dtype: Any) -> Any:
    if not _all_types(values, _TEXT_TYPES):
        return None
    if dtype.categories is None:
        return pd.Categorical(values)
    allowed = set(dtype.categories)
    if not all(v is None or v in allowed for v in values):
        return None  # casting would turn the unknown value into NaN and hide it
    return pd.Categorical(values, dtype=dtype)


def _days(values: list[Any], _: Any) -> Any:
    if not all(type(v) is str and _DAY.fullmatch(v) for v in values):
        return None
    return pd.to_datetime(values, format="%Y-%m-%d").values.astype("datetime64[ns]")


def _converter(dtype: Any) -> Callable[[list[Any], Any], Any] | None:
    if isinstance(dtype, pd.CategoricalDtype):
        return _categories
    if isinstance(dtype, pd.StringDtype):
        return _strings
    if isinstance(dtype, pd.Int64Dtype):
        return _ints
    if ptypes.is_datetime64_dtype(dtype):
        return _days
    if ptypes.is_float_dtype(dtype):
        return _floats
    return None


def _as_column(values: list[Any]) -> Any:
    """Keep values as they came: inferred scalars, or an object array of lists and dicts."""
    if not any(isinstance(v, list | dict) for v in values):
        return pd.Series(values)
    column = np.empty(len(values), dtype=object)
    for i, v in enumerate(values):
        column[i] = v  # one by one: numpy would turn a list of equal-length lists into 2-D
    return column


def empty_frame(schema: pa.DataFrameSchema) -> pd.DataFrame:
    """Return a frame with no rows and every column of ``schema`` in its dtype.

    Optional columns are included too, so an empty answer has the same columns as a full
    one.

    Examples
    --------
    >>> from atribu_pandas.schemas import schema_for
    >>> empty_frame(schema_for("CampaignTrend")).dtypes["date"]
    dtype('<M8[ns]')
    """
    return pd.DataFrame(
        {name: pd.Series(dtype=_target_dtype(column)) for name, column in schema.columns.items()}
    )


def build_frame(records: Sequence[dict[str, Any]], schema: pa.DataFrameSchema) -> pd.DataFrame:
    """Build a frame from API records with the dtypes ``schema`` declares.

    Parameters
    ----------
    records : sequence of dict
        The ``data`` array of a response.
    schema : pandera.DataFrameSchema
        The frame's schema (see :func:`~atribu_pandas.schemas.schema_for`).

    Returns
    -------
    pandas.DataFrame
        Columns in the schema's order, then any extra field the API added.

    Examples
    --------
    >>> from atribu_pandas.schemas import schema_for
    >>> df = build_frame(
    ...     [{"entity_id": "a", "date": "2026-03-01", "spend": 1, "impressions": 10, "clicks": 1}],
    ...     schema_for("CampaignTrend"),
    ... )
    >>> str(df["impressions"].dtype)
    'Int64'
    """
    if not records:
        return empty_frame(schema)
    fields = dict.fromkeys(key for record in records for key in record)
    names = [name for name in schema.columns if name in fields]
    names += [name for name in fields if name not in schema.columns]
    columns: dict[str, Any] = {}
    for name in names:
        values = [record.get(name) for record in records]
        column = schema.columns.get(name)
        converted = None
        if column is not None:
            dtype = _target_dtype(column)
            convert = _converter(dtype)
            if convert is not None:
                try:
                    converted = convert(values, dtype)
                except (TypeError, ValueError, OverflowError):
                    converted = None
        columns[name] = converted if converted is not None else _as_column(values)
    return pd.DataFrame(columns, copy=False)


@cache
def _engine_dtype(dtype: Any) -> Any:
    from pandera.engines import pandas_engine

    return pandas_engine.Engine.dtype(dtype)


def _check_passes(check: pa.Check, values: np.ndarray) -> bool | None:
    """Evaluate a known pandera check on non-null values; None when the check is unknown."""
    stats = check.statistics or {}
    name = check.name
    if name == "greater_than_or_equal_to":
        return bool((values >= stats["min_value"]).all())
    if name == "less_than_or_equal_to":
        return bool((values <= stats["max_value"]).all())
    if name == "isin":
        return set(values.tolist()) <= set(stats["allowed_values"])
    return None


def _unique_rows(frame: pd.DataFrame, subset: list[str]) -> bool:
    # Mixed-radix codes of the factorised columns: one int64 per row, then a set size.
    key = np.zeros(len(frame), dtype="int64")
    for name in subset:
        codes, uniques = pd.factorize(frame[name], use_na_sentinel=False)
        key = key * (len(uniques) + 1) + codes
    return len(np.unique(key)) == len(key)


def conforms(frame: pd.DataFrame, schema: pa.DataFrameSchema) -> bool | None:
    """Check ``frame`` against every constraint of ``schema``, vectorised.

    Returns
    -------
    bool or None
        True when every constraint holds, False when one fails, None when the schema
        holds a constraint this function does not evaluate (pandera must decide).

    Examples
    --------
    >>> from atribu_pandas.schemas import schema_for
    >>> conforms(pd.DataFrame({"entity_id": ["a"]}), schema_for("CampaignTrend"))
    False
    """
    if schema.checks or schema.strict or schema.ordered or schema.coerce:
        return None
    present = dict(frame.items())
    for name, column in schema.columns.items():
        if column.regex or column.coerce:
            return None
        series = present.get(name)
        if series is None:
            if column.required:
                return False
            continue
        if not column.dtype.check(_engine_dtype(series.dtype)):
            return False
        array = series.array
        missing = np.asarray(array.isna())
        if not column.nullable and missing.any():
            return False
        if not column.checks and not column.unique:
            continue
        values = np.asarray(array[~missing]) if missing.any() else np.asarray(array)
        if column.unique and len(np.unique(values)) != len(values):
            return False
        for check in column.checks:
            passed = _check_passes(check, values)
            if passed is None:
                return None
            if not passed:
                return False
    return not schema.unique or len(frame) < 2 or _unique_rows(frame, list(schema.unique))


def _closed_set(column: pa.Column) -> pd.CategoricalDtype | None:
    dtype = _target_dtype(column)
    if isinstance(dtype, pd.CategoricalDtype) and dtype.categories is not None:
        return dtype
    return None


def _new_values(series: pd.Series, closed: pd.CategoricalDtype) -> list[str] | None:
    """Values of ``series`` outside the closed set; None when it is not text (a type change)."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        values = set(series.cat.categories)
    else:
        present = series.dropna().tolist()
        if not all(isinstance(v, str) for v in present):
            return None
        values = set(present)
    return sorted(values - set(closed.categories))


def _all_missing(dtype: Any, length: int) -> pd.Series:
    if isinstance(dtype, pd.CategoricalDtype | pd.StringDtype | pd.Int64Dtype):
        return pd.Series(pd.array([None] * length, dtype=dtype))
    if dtype is object or getattr(dtype, "kind", "") == "O":
        return pd.Series([None] * length, dtype=object)
    return pd.Series(np.full(length, np.nan), dtype=dtype)


def conform(
    frame: pd.DataFrame,
    schema: pa.DataFrameSchema,
    *,
    request_id: str | None = None,
    url: str | None = None,
) -> pd.DataFrame:
    """Apply the forward-compatibility policy to a built frame, then validate it.

    Parameters
    ----------
    frame : pandas.DataFrame
        From :func:`build_frame` (or a frame derived the same way).
    schema : pandera.DataFrameSchema
        The documented schema.
    request_id, url : str, optional
        Named by the drift warning and carried by a :class:`SchemaError`.

    Returns
    -------
    pandas.DataFrame
        Documented columns in the schema's order (missing optional ones all-NA), then any
        field the API added; closed sets as categoricals, widened by any new value.

    Warns
    -----
    SchemaDriftWarning
        Once per call, when a closed set holds a new value or the API added a field.

    Raises
    ------
    SchemaError
        A missing required field, a type change, or any other broken constraint.

    Examples
    --------
    >>> import warnings
    >>> from atribu_pandas.schemas import schema_for
    >>> rows = [{"entity_id": "a", "date": "2026-03-20", "spend": 1.5, "impressions": 10,
    ...          "clicks": 1, "video_views": 4}]
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     df = conform(build_frame(rows, schema_for("CampaignTrend")),
    ...                  schema_for("CampaignTrend"), request_id="req_1")
    >>> df.columns[-1], caught[0].category.__name__
    ('video_views', 'SchemaDriftWarning')
    """
    columns = dict(frame.items())
    drift: dict[str, list[str]] = {}
    documented: dict[str, list[Any]] = {}
    widened: dict[str, dict[str, Any]] = {}
    for name, column in schema.columns.items():
        series = columns.get(name)
        if series is None:
            if not column.required:
                columns[name] = _all_missing(_target_dtype(column), len(frame))
            continue
        closed = _closed_set(column)
        if closed is None:
            continue
        new = _new_values(series, closed)
        if new:
            dtype = pd.CategoricalDtype([*closed.categories, *new], ordered=closed.ordered)
            drift[name] = new
            documented[name] = list(closed.categories)
            columns[name] = series.astype(dtype)
            widened[name] = {"dtype": dtype, "checks": [pa.Check.isin(list(dtype.categories))]}
    added = [name for name in frame.columns if name not in schema.columns]
    order = [name for name in schema.columns if name in columns] + added
    out = pd.DataFrame({name: columns[name] for name in order}, index=frame.index, copy=False)
    out.attrs = frame.attrs
    if drift or added:
        parts = [
            f"{name} has {values} (documented: {', '.join(map(str, documented[name]))})"
            for name, values in drift.items()
        ]
        if added:
            parts.append("new fields " + ", ".join(added) + " (kept as columns)")
        warn_caller(
            f"[request_id={request_id}] the API sent what its documentation does not list yet: "
            + "; ".join(parts)
            + ". The load worked; please update atribu-pandas or report this to Atribu.",
            SchemaDriftWarning,
        )
    checked = schema.update_columns(widened) if widened else schema
    return validate_frame(out, checked, request_id=request_id, url=url)


def validate_frame(
    frame: pd.DataFrame,
    schema: pa.DataFrameSchema,
    *,
    request_id: str | None = None,
    url: str | None = None,
) -> pd.DataFrame:
    """Validate ``frame`` and raise our :class:`~atribu_pandas.exceptions.SchemaError`.

    Parameters
    ----------
    frame : pandas.DataFrame
    schema : pandera.DataFrameSchema
    request_id, url : str, optional
        Carried by the error so a drift can be reported to Atribu.

    Raises
    ------
    SchemaError
        With pandera's lazy ``failure_cases`` and a message naming the failing columns.

    Examples
    --------
    >>> from atribu_pandas.schemas import schema_for
    >>> bad = pd.DataFrame({"entity_id": ["a"], "spend": [-1.0]})
    >>> try:
    ...     validate_frame(bad, schema_for("CampaignTrend"))
    ... except SchemaError as e:
    ...     print(e.schema)
    CampaignTrend
    """
    if conforms(frame, schema):
        return frame
    try:
        return schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
        summary = []
        for (column, check), group in cases.groupby(["column", "check"], dropna=False, sort=False):
            values = group["failure_case"].head(3).tolist()
            summary.append(f"{column}: {check} (e.g. {values})")
        name = schema.name or "frame"
        message = (
            f"the response does not match the {name} schema ({len(cases)} failures): "
            + "; ".join(summary[:8])
        )
        raise SchemaError(
            message, schema=name, failure_cases=cases, request_id=request_id, url=url
        ) from None
