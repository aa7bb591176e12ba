"""Turn API records into typed frames and validate them against their schema.

The records become a DataFrame, each column is converted to the dtype its schema
declares where that conversion is lossless (numbers to float64 or Int64, text to
``string`` or ``category``, ``YYYY-MM-DD`` to ``datetime64[ns]``), and the whole frame is
validated once, lazily. A value that cannot be converted is left as it came so that
validation reports it: a drift is never hidden by a cast.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any

import pandas as pd
import pandera.pandas as pa
from pandas.api import types as ptypes

from atribu_pandas.exceptions import SchemaError

__all__ = ["build_frame", "empty_frame", "validate_frame"]


def _target_dtype(column: pa.Column) -> Any:
    return column.dtype.type


def _convert(series: pd.Series, target: Any) -> pd.Series:
    if isinstance(target, pd.CategoricalDtype):
        if not (ptypes.is_string_dtype(series) or ptypes.is_object_dtype(series)):
            return series
        fixed = target.categories is not None
        # Casting an unknown value to fixed categories would turn it into NaN: keep it.
        if fixed and not series.dropna().isin(target.categories).all():
            return series
        return series.astype(target if fixed else "category")
    if isinstance(target, pd.StringDtype):
        if ptypes.is_string_dtype(series) and not ptypes.is_object_dtype(series):
            return series.astype(target)
        if ptypes.is_object_dtype(series) and series.map(_is_text_or_null).all():
            return series.astype(target)
        return series
    if isinstance(target, pd.Int64Dtype):
        if ptypes.is_numeric_dtype(series) and not ptypes.is_bool_dtype(series):
            return series.astype(target)  # raises on fractions: validation then reports
        return series
    if target == "float64" or target is float:
        if ptypes.is_numeric_dtype(series) and not ptypes.is_bool_dtype(series):
            return series.astype("float64")
        if ptypes.is_object_dtype(series) and series.isna().all():
            return series.astype("float64")
        return series
    if ptypes.is_datetime64_dtype(target):
        if ptypes.is_string_dtype(series):
            return pd.to_datetime(series, format="%Y-%m-%d").astype("datetime64[ns]")
        return series
    return series


def _is_text_or_null(value: Any) -> bool:
    return value is None or isinstance(value, str)


def empty_frame(schema: pa.DataFrameSchema) -> pd.DataFrame:
    """Return a frame with no rows and every required column of ``schema`` in its dtype.

    Examples
    --------
    >>> from atribu_pandas.schemas import schema_for
    >>> empty_frame(schema_for("CampaignTrend")).dtypes["date"]
    dtype('<M8[ns]')
    """
    return pd.DataFrame(
        {
            name: pd.Series(dtype=_target_dtype(column))
            for name, column in schema.columns.items()
            if column.required
        }
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
    frame = pd.DataFrame.from_records(records)
    known = [name for name in schema.columns if name in frame.columns]
    extra = [name for name in frame.columns if name not in schema.columns]
    frame = frame[known + extra]
    for name in known:
        # A failed conversion leaves the column as it came: validation names it and its values.
        with contextlib.suppress(TypeError, ValueError):
            frame[name] = _convert(frame[name], _target_dtype(schema.columns[name]))
    return frame


def validate_frame(
    frame: pd.DataFrame,
    schema: pa.DataFrameSchema,
    *,
    request_id: str | None = None,
    url: str | None = None,
) -> pd.DataFrame:
    """Validate ``frame`` lazily and raise our :class:`~atribu_pandas.exceptions.SchemaError`.

    Parameters
    ----------
    frame : pandas.DataFrame
    schema : pandera.DataFrameSchema
    request_id, url : str, optional
        Carried by the error so a drift can be reported to Atribu.

    Raises
    ------
    SchemaError
        With pandera's ``failure_cases`` and a message naming the failing columns.

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
