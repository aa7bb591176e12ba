"""Pandera schemas of every frame the loaders return: the checks and the data dictionary.

One ``DataFrameModel`` per frame. Each field carries a title and a description, so
:func:`data_dictionary` (and the docs page built from it) is generated from the same
objects that validate the data.

Dtypes: ids and names are pandas' ``StringDtype`` (pandera pins its NaN-missing variant,
``str`` on pandas 3); money, rates and fractional counts ``float64`` (NaN for null); true
counts ``Int64``; days ``datetime64[ns]``; lists stay Python lists.

A field whose values Atribu documents as a closed set (``core.vocabulary``) is a
categorical with exactly those categories, so frames from different calls concatenate
without losing the dtype. A value outside the set is a drift, handled by the policy of
``frames`` (it loads, with a warning), never a failure. Open sets (``status``,
``objective``, creative formats, cohort warmth, reason-code layers) are strings.
"""

from __future__ import annotations

from functools import cache

import pandas as pd
import pandera.pandas as pa

from atribu_pandas.core.vocabulary import MODELS
from atribu_pandas.frames.schemas.campaigns import CampaignDetails, Campaigns, CampaignTrend
from atribu_pandas.frames.schemas.fields import MONEY
from atribu_pandas.frames.schemas.top_performers import AddedColumns, ReasonCodes, TopPerformers

__all__ = [
    "AddedColumns",
    "CampaignDetails",
    "CampaignTrend",
    "Campaigns",
    "ReasonCodes",
    "TopPerformers",
    "data_dictionary",
    "money_columns",
    "schema_for",
]

_MODELS: dict[str, type[pa.DataFrameModel]] = {
    "Campaigns": Campaigns,
    "CampaignDetails": CampaignDetails,
    "CampaignTrend": CampaignTrend,
    "TopPerformers": TopPerformers,
    "ReasonCodes": ReasonCodes,
    "AddedColumns": AddedColumns,
}


@cache
def schema_for(name: str, *, with_model: bool = False) -> pa.DataFrameSchema:
    """Return the (cached) ``DataFrameSchema`` of a frame.

    Parameters
    ----------
    name : str
        ``Campaigns``, ``CampaignDetails``, ``CampaignTrend``, ``TopPerformers``,
        ``ReasonCodes`` or ``AddedColumns`` (what the loaders add after validation).
    with_model : bool, default False
        Add the ``model`` column of :func:`~atribu_pandas.load_model_comparison`.

    Examples
    --------
    >>> sorted(schema_for("CampaignTrend").columns)
    ['clicks', 'date', 'entity_id', 'impressions', 'spend']
    """
    schema = _MODELS[name].to_schema()
    if with_model:
        schema = schema.add_columns(
            {
                "model": pa.Column(
                    pd.CategoricalDtype(list(MODELS), ordered=True),
                    title="Model",
                    description="Attribution model of the row's figures.",
                )
            }
        )
    return schema


@cache
def money_columns() -> frozenset[str]:
    """The columns of any frame that hold amounts of money (in the profile's currency).

    Read off the schemas' descriptions, so a new money field is converted and labelled
    as soon as its schema says so.

    Examples
    --------
    >>> {"spend", "outcome_value", "cac", "attributed_revenue"} <= money_columns()
    True
    >>> "roas" in money_columns()
    False
    """
    return frozenset(
        column
        for model in _MODELS.values()
        for column, spec in model.to_schema().columns.items()
        if MONEY in (spec.description or "")
    )


def data_dictionary(name: str | None = None) -> pd.DataFrame:
    """Return the data dictionary: one row per column of each frame.

    Parameters
    ----------
    name : str, optional
        One schema's name; default all.

    Returns
    -------
    pandas.DataFrame
        Columns ``frame``, ``column``, ``dtype``, ``required``, ``nullable``, ``checks``,
        ``title``, ``description``.

    Examples
    --------
    >>> d = data_dictionary("TopPerformers")
    >>> len(d)
    51
    """
    rows = []
    for frame in [name] if name else list(_MODELS):
        for column, col in schema_for(frame).columns.items():
            rows.append(
                {
                    "frame": frame,
                    "column": column,
                    "dtype": str(col.dtype),
                    "required": col.required,
                    "nullable": col.nullable,
                    "checks": "; ".join(_describe(check) for check in col.checks),
                    "title": col.title,
                    "description": col.description,
                }
            )
    return pd.DataFrame(rows)


def _describe(check: pa.Check) -> str:
    stats = check.statistics or {}
    if "allowed_values" in stats:
        return "one of " + ", ".join(map(str, stats["allowed_values"]))
    if "min_value" in stats and "max_value" in stats:
        return f"{stats['min_value']} to {stats['max_value']}"
    if "min_value" in stats:
        return f">= {stats['min_value']}"
    if "max_value" in stats:
        return f"<= {stats['max_value']}"
    return str(check.name)
