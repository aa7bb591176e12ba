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
* an optional documented field that is missing becomes an all-NA column of its dtype,
  named by the same warning;
* a value outside a documented range (a refund's negative ``outcome_value``, a Meta CTR
  above 100) is kept, and the warning names the column, the rule and how many rows;
* a fraction in a documented count is kept (the column becomes ``float64``), and named;
* a day written with a time of day (``2026-03-25T23:59:59Z``) is that calendar day;
* a missing required field, or a JSON type change (text, an array or an object where a
  number or text is documented), is a :class:`~atribu_pandas.exceptions.SchemaError`:
  that is real breakage.

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

from atribu_pandas.dates import calendar_day
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


# Counts at or beyond this do not fit int64.
_INT64_LIMIT = 2.0**63


def _ints(values: list[Any], _: Any) -> Any:
    if not _all_types(values, _NUMBER_TYPES):
        return None
    floats = np.array(values, dtype="float64")
    mask = np.isnan(floats)
    filled = np.where(mask, 0.0, floats)
    if not np.array_equal(filled, np.round(filled)) or np.abs(filled).max() >= _INT64_LIMIT:
        return floats  # a fraction, or beyond int64: kept as float64, and conform names it
    # From the Python values, not the floats, so a count above 2**53 stays exact.
    exact = np.array([0 if m else int(v) for v, m in zip(values, mask, strict=True)], "int64")
    return pd.arrays.IntegerArray(exact, mask)


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
        days = [calendar_day(v) for v in values]
        if not all(days):
            return None
        values = days
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
    notes: list[str] = []
    widened: dict[str, dict[str, Any]] = {}
    missing: list[str] = []
    wrong_types: list[tuple[str, str]] = []
    for name, column in schema.columns.items():
        series = columns.get(name)
        if series is None:
            if not column.required:
                columns[name] = _all_missing(_target_dtype(column), len(frame))
                if not (column.metadata or {}).get("absent_ok"):
                    missing.append(name)
            continue
        wrong = _wrong_json_type(series, _target_dtype(column))
        if wrong is not None:
            wrong_types.append((name, wrong))
            continue
        update: dict[str, Any] = {}
        closed = _closed_set(column)
        if closed is not None:
            new = _new_values(series, closed)
            if new:
                dtype = pd.CategoricalDtype([*closed.categories, *new], ordered=closed.ordered)
                documented = ", ".join(map(str, closed.categories))
                notes.append(f"{name} has {new} (documented: {documented})")
                columns[name] = series = series.astype(dtype)
                update = {"dtype": dtype, "checks": [pa.Check.isin(list(dtype.categories))]}
        if isinstance(_target_dtype(column), pd.Int64Dtype) and ptypes.is_float_dtype(series):
            present = series.dropna().to_numpy(dtype="float64")
            fractions = int((present % 1 != 0).sum())
            huge = int((np.abs(present) >= _INT64_LIMIT).sum())
            what = [f"{fractions} fractional value{_s(fractions)}"] if fractions else []
            what += [f"{huge} value{_s(huge)} beyond int64"] if huge else []
            notes.append(
                f"{name} has {' and '.join(what)} (documented as a count; kept as decimals)"
            )
            update["dtype"] = float
        ranges = [c for c in column.checks if c.name in _RANGE_CHECKS]
        if ranges and ptypes.is_numeric_dtype(series):
            kept = [c for c in column.checks if c.name not in _RANGE_CHECKS]
            for check in ranges:
                outside = _outside(series, check)
                if outside:
                    notes.append(
                        f"{name} has {outside} value{_s(outside)} {_RANGE_CHECKS[check.name]} "
                        f"{_bound(check)} (kept)"
                    )
                    update["checks"] = update.get("checks", kept)
        if update:
            widened[name] = update
    if wrong_types:
        raise _type_error(wrong_types, schema, request_id, url)
    added = [name for name in frame.columns if name not in schema.columns]
    order = [name for name in schema.columns if name in columns] + added
    out = pd.DataFrame({name: columns[name] for name in order}, index=frame.index, copy=False)
    out.attrs = frame.attrs
    if missing:
        notes.append("no " + ", ".join(missing) + " (filled with NA)")
    if added:
        notes.append("new fields " + ", ".join(added) + " (kept as columns)")
    if notes:
        warn_caller(
            f"[request_id={request_id}] the API sent what its documentation does not lead to "
            "expect: " + "; ".join(notes) + ". The load worked; please update atribu-pandas "
            "or report this to Atribu.",
            SchemaDriftWarning,
        )
    checked = schema.update_columns(widened) if widened else schema
    return validate_frame(out, checked, request_id=request_id, url=url)


# The range checks the policy keeps soft, and how a warning says which side was crossed.
_RANGE_CHECKS = {"greater_than_or_equal_to": "below", "less_than_or_equal_to": "above"}


def _s(count: int) -> str:
    return "" if count == 1 else "s"


def _bound(check: pa.Check) -> str:
    stats = check.statistics or {}
    value = stats.get("min_value", stats.get("max_value"))
    return f"{value:g}" if isinstance(value, int | float) else str(value)


def _outside(series: pd.Series, check: pa.Check) -> int:
    values = series.dropna().to_numpy(dtype="float64")
    passed = _check_passes(check, values)
    if passed is None or passed:
        return 0
    stats = check.statistics or {}
    if check.name == "greater_than_or_equal_to":
        return int((values < stats["min_value"]).sum())
    return int((values > stats["max_value"]).sum())


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list | tuple):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _wrong_json_type(series: pd.Series, dtype: Any) -> str | None:
    """What a documented text or number column holds instead, or None when it is right."""
    ok: tuple[type, ...]
    if isinstance(dtype, pd.CategoricalDtype | pd.StringDtype):
        if isinstance(series.dtype, pd.CategoricalDtype | pd.StringDtype):
            return None
        expected, ok = "text", (str,)
    elif isinstance(dtype, pd.Int64Dtype) or ptypes.is_float_dtype(dtype):
        if ptypes.is_numeric_dtype(series.dtype) and not ptypes.is_bool_dtype(series.dtype):
            return None
        expected, ok = "a number", (int, float)
    else:
        return None
    for value in series:
        if value is None or (isinstance(value, float) and np.isnan(value)):
            continue
        if type(value) not in ok:
            return f"{_json_type(value)} ({_short(value)}) where {expected} is documented"
    return None


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _type_error(
    wrong: list[tuple[str, str]],
    schema: pa.DataFrameSchema,
    request_id: str | None,
    url: str | None,
) -> SchemaError:
    name = schema.name or "frame"
    cases = pd.DataFrame(
        {
            "schema_context": "Column",
            "column": [column for column, _ in wrong],
            "check": "json_type",
            "check_number": None,
            "failure_case": [what for _, what in wrong],
            "index": None,
        }
    )
    message = f"the response does not match the {name} schema: " + "; ".join(
        f"{column} holds {what}" for column, what in wrong
    )
    return SchemaError(message, schema=name, failure_cases=cases, request_id=request_id, url=url)


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
