"""The forward-compatibility policy: what an answer may hold and still load, and what not.

:func:`conform` is the one place it is enforced (the user guide states it field by field
in ``docs/api-reference.md``, "Accept liberally, trust strictly"):

* a field with a documented closed set is a categorical; a value outside the set still
  loads, as an extra category, and the load raises one :class:`SchemaDriftWarning` naming
  the field, the new values and the request id. A new enum value never fails a load;
* open sets are strings, and nothing refuses them;
* a field the API adds is kept as a column (dtype inferred) and named by the same warning;
* an optional documented field that is missing becomes an all-NA column of its dtype,
  named by the same warning (unless the page's own example lacks it too);
* a value outside a documented range (a refund's negative ``outcome_value``, a Meta CTR
  above 100) is kept, and the warning names the column, the rule and how many rows;
* a fraction in a documented count is kept (the column becomes ``float64``), and named;
* a missing required field, or a JSON type change (text, an array or an object where a
  number or text is documented), is a :class:`~atribu_pandas.SchemaError`:
  that is real breakage.

A day written with a time of day is already its calendar day in the built frame
(``frames``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandas.api import types as ptypes

from atribu_pandas.exceptions import SchemaDriftWarning, SchemaError, warn_caller
from atribu_pandas.frames.build import INT64_LIMIT, check_passes, target_dtype, validate_frame

__all__ = ["conform"]


def _closed_set(column: pa.Column) -> pd.CategoricalDtype | None:
    dtype = target_dtype(column)
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
    >>> from atribu_pandas.frames.build import build_frame
    >>> from atribu_pandas.frames.schemas import schema_for
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
                columns[name] = _all_missing(target_dtype(column), len(frame))
                if not (column.metadata or {}).get("absent_ok"):
                    missing.append(name)
            continue
        wrong = _wrong_json_type(series, target_dtype(column))
        if wrong is not None:
            wrong_types.append((name, wrong))
            continue
        columns[name], update = _soften(name, column, series, notes)
        if update:
            widened[name] = update
    if wrong_types:
        raise _type_error(wrong_types, schema, request_id, url)
    added = [name for name in frame.columns if name not in schema.columns]
    order = [name for name in schema.columns if name in columns] + added
    out = pd.DataFrame({name: columns[name] for name in order}, index=frame.index, copy=False)
    out.attrs = frame.attrs
    _warn_drift(notes, missing, added, request_id)
    checked = schema.update_columns(widened) if widened else schema
    return validate_frame(out, checked, request_id=request_id, url=url)


def _warn_drift(
    notes: list[str], missing: list[str], added: list[str], request_id: str | None
) -> None:
    """One SchemaDriftWarning for the whole answer, naming everything that surprised."""
    if missing:
        notes = [*notes, "no " + ", ".join(missing) + " (filled with NA)"]
    if added:
        notes = [*notes, "new fields " + ", ".join(added) + " (kept as columns)"]
    if notes:
        warn_caller(
            f"[request_id={request_id}] the API sent what its documentation does not lead to "
            "expect: " + "; ".join(notes) + ". The load worked; please update atribu-pandas "
            "or report this to Atribu.",
            SchemaDriftWarning,
        )


def _soften(
    name: str, column: Any, series: pd.Series, notes: list[str]
) -> tuple[pd.Series, dict[str, Any]]:
    """Keep what a documented column holds beyond its documentation, and say so in ``notes``.

    Returns the column (a closed set widened by its new values) and the schema update
    that lets it validate: a wider category list, float for a count with fractions, range
    checks dropped where values fall outside them.
    """
    update: dict[str, Any] = {}
    closed = _closed_set(column)
    new = _new_values(series, closed) if closed is not None else []
    if closed is not None and new:
        dtype = pd.CategoricalDtype([*closed.categories, *new], ordered=closed.ordered)
        documented = ", ".join(map(str, closed.categories))
        notes.append(f"{name} has {new} (documented: {documented})")
        series = series.astype(dtype)
        update = {"dtype": dtype, "checks": [pa.Check.isin(list(dtype.categories))]}
    if isinstance(target_dtype(column), pd.Int64Dtype) and ptypes.is_float_dtype(series):
        present = series.dropna().to_numpy(dtype="float64")
        fractions = int((present % 1 != 0).sum())
        huge = int((np.abs(present) >= INT64_LIMIT).sum())
        what = [f"{fractions} fractional value{_s(fractions)}"] if fractions else []
        what += [f"{huge} value{_s(huge)} beyond int64"] if huge else []
        notes.append(f"{name} has {' and '.join(what)} (documented as a count; kept as decimals)")
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
    return series, update


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
    passed = check_passes(check, values)
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
