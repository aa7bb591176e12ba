"""Period frames (``ap.load_campaign_periods``): pivots and totals per period.

Period-over-period change is ``metrics.comparison``.

A period frame has one row per entity per period. An entity absent from a period was
outside that period's top ``limit`` (or did not run): it is missing there, never zero, so
pivots keep NaN for it. Every ratio is rebuilt from the period's (or window's) sums.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

import numpy as np
import pandas as pd

from atribu_pandas.core.params import MAX_ROLLING, check_count
from atribu_pandas.exceptions import ArgumentError
from atribu_pandas.metrics.common import (
    _derived_attrs,
    _names_mapping,
    entity_labels,
    require_columns,
    safe_divide,
)
from atribu_pandas.metrics.ratios import Ratio

__all__ = [
    "PERIOD_VALUES",
    "is_period_frame",
    "period_totals",
    "pivot_periods",
]

_LOADER_PERIODS = "ap.load_campaign_periods"
_FLAGS = ("period_end", "is_partial", "restating")

# pivot_periods' values: additive columns, or ratios rebuilt per period from summed parts.
PERIOD_VALUES: dict[str, Ratio | None] = {
    "spend": None,
    "outcome_value": None,
    "outcome_count": None,
    "impressions": None,
    "clicks": None,
    "roas": Ratio("roas", "outcome_value", "spend"),
    "cac": Ratio("cac", "spend", "outcome_count"),
    "ctr": Ratio("ctr", "clicks", "impressions", 100.0),
    "cpc": Ratio("cpc", "spend", "clicks"),
    "cpm": Ratio("cpm", "spend", "impressions", 1000.0),
}


def is_period_frame(df: pd.DataFrame) -> bool:
    """Whether ``df`` is a period frame (has ``period_start`` and no daily ``date``).

    Examples
    --------
    >>> is_period_frame(pd.DataFrame({"period_start": [], "spend": []}))
    True
    """
    return "period_start" in df.columns and "date" not in df.columns


def _period_index(df: pd.DataFrame) -> pd.DatetimeIndex:
    """Every period of the load (periods without rows too), from attrs or the data."""
    info = df.attrs.get("atribu") if isinstance(df.attrs.get("atribu"), dict) else None
    starts = set(pd.to_datetime(df["period_start"]).dropna())
    if info and isinstance(info.get("periods"), list):
        starts |= {pd.Timestamp(x["period_start"]) for x in info["periods"]}
    return pd.DatetimeIndex(sorted(starts), name="period_start")


def pivot_periods(
    df: pd.DataFrame,
    values: str = "roas",
    names: pd.DataFrame | Mapping[Any, Any] | None = None,
    rolling: int | None = None,
) -> pd.DataFrame:
    """Pivot a period frame to period by entity; ratios from each period's sums.

    Parameters
    ----------
    df : pandas.DataFrame
        A frame from ``ap.load_campaign_periods``.
    values : str, default "roas"
        One of :data:`PERIOD_VALUES`: ``spend``, ``outcome_value``, ``outcome_count``,
        ``impressions``, ``clicks`` (summed), or ``roas``, ``cac``, ``ctr`` (%), ``cpc``,
        ``cpm`` (ratios of the sums).
    names : campaigns frame or mapping, optional
        Read columns as names instead of ids; default the frame's own names.
    rolling : int, optional
        A ratio of rolling sums (a rolling mean for additive values) over this many
        periods; absent entity-periods count as 0 there.

    Returns
    -------
    pandas.DataFrame
        float64, index ``period_start`` (every period of the load), columns ``entity``.
        An entity absent from a period (outside its top ``limit``) is NaN, not 0.

    Examples
    --------
    >>> frame = pd.DataFrame({
    ...     "period_start": pd.to_datetime(["2026-03-02", "2026-03-02", "2026-03-09"]),
    ...     "campaign_id": ["a", "b", "a"], "spend": [10.0, 5.0, 20.0],
    ...     "outcome_value": [30.0, 0.0, 20.0], "outcome_count": [3, 0, 1]})
    >>> roas = pivot_periods(frame, "roas")
    >>> roas["a"].tolist(), roas["b"].tolist()  # b is absent in the second week: NaN
    ([3.0, 1.0], [0.0, nan])
    """
    if values not in PERIOD_VALUES:
        raise ArgumentError("values", values, f"one of {list(PERIOD_VALUES)}")
    rolling = check_count(rolling, "rolling", maximum=MAX_ROLLING, optional=True)
    ratio = PERIOD_VALUES[values]
    parts = [values] if ratio is None else [ratio.numerator, ratio.denominator]
    require_columns(
        df, ["period_start", "campaign_id", *parts], method="pivot_trend", loader=_LOADER_PERIODS
    )
    work = df[["period_start", "campaign_id"]].assign(
        **{c: df[c].to_numpy(dtype="float64", na_value=np.nan) for c in parts}
    )
    table = work.pivot_table(
        index="period_start", columns="campaign_id", values=parts, aggfunc="sum", observed=True
    )
    table = table.reindex(_period_index(df))
    if ratio is None:
        out = table[values] if len(table.columns) else pd.DataFrame(index=table.index)
        if rolling is not None:
            out = out.fillna(0.0).rolling(rolling).mean()
    else:
        num = table[ratio.numerator] if len(table.columns) else pd.DataFrame(index=table.index)
        den = table[ratio.denominator] if len(table.columns) else pd.DataFrame(index=table.index)
        if rolling is not None:
            num = num.fillna(0.0).rolling(rolling).sum()
            den = den.fillna(0.0).rolling(rolling).sum()
        out = pd.DataFrame(
            safe_divide(num.to_numpy(), den.to_numpy(), ratio.scale),
            index=num.index,
            columns=num.columns,
        )
    mapping = _names_mapping(names if names is not None else _own_names(df))
    out = cast(pd.DataFrame, out).astype("float64")
    out.columns = entity_labels(pd.Index(out.columns), mapping).rename("entity")
    out.index.name = "period_start"
    out.attrs = _derived_attrs(df, "pivot_periods")
    return out


def _own_names(df: pd.DataFrame) -> pd.DataFrame | None:
    return df if "campaign_name" in df.columns else None


def period_totals(df: pd.DataFrame) -> pd.DataFrame:
    """Return one row per period: the period's flags, sums and ratios of the sums.

    Parameters
    ----------
    df : pandas.DataFrame
        A frame from ``ap.load_campaign_periods``.

    Returns
    -------
    pandas.DataFrame
        ``period_start``, ``period_end``, ``is_partial``, ``restating`` (when the frame
        has them), ``entities`` (rows in the period), the summed additive columns,
        ``roas`` and ``cac``, and ``low_evidence`` (fewer than 5 outcomes in the
        period). Periods without rows are kept, with zero sums and NaN ratios.

    Examples
    --------
    >>> frame = pd.DataFrame({
    ...     "period_start": pd.to_datetime(["2026-03-02", "2026-03-02", "2026-03-09"]),
    ...     "campaign_id": ["a", "b", "a"], "spend": [10.0, 5.0, 20.0],
    ...     "outcome_value": [30.0, 0.0, 20.0], "outcome_count": [3, 0, 1]})
    >>> period_totals(frame)[["period_start", "spend", "roas", "low_evidence"]]
      period_start  spend  roas  low_evidence
    0   2026-03-02   15.0   2.0          True
    1   2026-03-09   20.0   1.0          True
    """
    from atribu_pandas.frames.quality import low_evidence

    require_columns(
        df,
        ["period_start", "spend", "outcome_value"],
        method="period_totals",
        loader=_LOADER_PERIODS,
    )
    sums = [
        c
        for c in ("spend", "outcome_value", "outcome_count", "impressions", "clicks")
        if c in df.columns
    ]
    work = df[["period_start", *sums]].assign(
        **{c: df[c].to_numpy(dtype="float64", na_value=np.nan) for c in sums}
    )
    grouped = work.groupby("period_start", sort=True)
    out = grouped[sums].sum()
    out.insert(0, "entities", grouped.size())
    index = _period_index(df)
    out = out.reindex(index).fillna(0.0)
    out["entities"] = out["entities"].astype("int64")
    out["roas"] = safe_divide(out["outcome_value"], out["spend"])
    if "outcome_count" in out.columns:
        out["cac"] = safe_divide(out["spend"], out["outcome_count"])
        out["low_evidence"] = low_evidence(out["outcome_count"]).to_numpy()
    flags = _period_flags(df, index)
    out = pd.concat([flags, out], axis=1).reset_index()
    out.attrs = _derived_attrs(df, "period_totals", summed_by=[])
    return out


def _period_flags(df: pd.DataFrame, index: pd.DatetimeIndex) -> pd.DataFrame:
    """period_end, is_partial and restating per period, from the rows or attrs."""
    present = [c for c in _FLAGS if c in df.columns]
    flags = df.drop_duplicates("period_start").set_index("period_start")[present]
    flags = flags.reindex(index)
    info = df.attrs.get("atribu") if isinstance(df.attrs.get("atribu"), dict) else None
    periods = info.get("periods") if info else None
    if isinstance(periods, list) and "period_end" in flags.columns:
        # Periods without rows: their bounds come from the load's record of them.
        ends = {pd.Timestamp(x["period_start"]): pd.Timestamp(x["period_end"]) for x in periods}
        missing = flags["period_end"].isna()
        flags.loc[missing, "period_end"] = [ends.get(s) for s in flags.index[missing]]
    for col in ("is_partial", "restating"):
        if col in flags.columns:
            flags[col] = flags[col].fillna(False).astype(bool)
    return flags
