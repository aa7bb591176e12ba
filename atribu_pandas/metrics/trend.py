"""Trend frames pivoted to date by entity, ratios rebuilt per period from summed parts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

import numpy as np
import pandas as pd

from atribu_pandas.core.params import MAX_ROLLING, calendar_bins, check_count
from atribu_pandas.exceptions import ArgumentError
from atribu_pandas.metrics.common import (
    _LOADER_TREND,
    _as_float,
    _derived_attrs,
    _names_mapping,
    entity_labels,
    require_columns,
    safe_divide,
)
from atribu_pandas.metrics.ratios import Ratio

__all__ = ["TREND_VALUES", "pivot_trend", "pivot_trend_smoothed"]

# pivot_trend's values: additive columns, or ratios rebuilt per period from summed parts.
TREND_VALUES: dict[str, Ratio | None] = {
    "spend": None,
    "impressions": None,
    "clicks": None,
    "ctr": Ratio("ctr", "clicks", "impressions", 100.0),
    "cpc": Ratio("cpc", "spend", "clicks"),
    "cpm": Ratio("cpm", "spend", "impressions", 1000.0),
}


def pivot_trend(
    df: pd.DataFrame,
    values: str = "spend",
    freq: str = "D",
    fill_value: float | None = 0,
    rolling: int | None = None,
    cumulative: bool = False,
    names: pd.DataFrame | Mapping[Any, Any] | None = None,
) -> pd.DataFrame:
    """Pivot a trend frame to date by entity over the window's complete calendar.

    Parameters
    ----------
    df : pandas.DataFrame
        A frame from ``ap.load_campaign_trend`` (``entity_id``, ``date``, ``spend``,
        ``impressions``, ``clicks``), or a period frame (see Notes).
    values : {"spend", "impressions", "clicks", "ctr", "cpc", "cpm"}, default "spend"
        ``ctr`` (%), ``cpc`` and ``cpm`` are computed per period from the summed parts,
        never averaged; a period without impressions (or clicks) is NaN.
    freq : str, default "D"
        ``"D"``, ``"W"`` (weeks from Monday to Sunday, labelled by their Monday), ``"M"``
        (calendar months, labelled by their last day) or any pandas frequency.
    fill_value : float or None, default 0
        Value for days without delivery, for additive ``values``; ``None`` keeps NaN.
    rolling : int, optional
        Window in periods: a rolling mean for additive values, a ratio of rolling sums
        for ctr/cpc/cpm (the first ``rolling - 1`` periods are NaN, as in pandas).
    cumulative : bool, default False
        Running totals (running ratio of sums for ctr/cpc/cpm). Not with ``rolling``.
    names : campaigns frame or mapping, optional
        Columns read as names instead of ids (see :func:`entity_labels`).

    Returns
    -------
    pandas.DataFrame
        float64; index ``date`` covering the window (from ``df.attrs`` when the loader
        recorded it, else the data's first to last day), columns ``entity`` in id order.

    Notes
    -----
    A period frame (``ap.load_campaign_periods``) is pivoted by
    :func:`~atribu_pandas.metrics.pivot_periods` instead: ``values`` may then also
    be ``roas``, ``cac``, ``outcome_value`` or ``outcome_count``, ``freq`` and
    ``fill_value`` do not apply (the periods are the load's; an entity absent from a
    period stays NaN, not 0), ``cumulative`` is refused and the index is ``period_start``.

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> sb = ap.sandbox.start()
    >>> camps = ap.load_campaigns("2026-03-01", "2026-03-25", level="campaign",
    ...                           client=sb.client())
    >>> trend = ap.load_campaign_trend(camps["campaign_id"][:3], "2026-03-01", "2026-03-25",
    ...                                client=sb.client())
    >>> weekly = trend.atribu.pivot_trend("ctr", freq="W", names=camps)
    >>> weekly.shape  # 5 weeks from Monday, the first one (Feb 23) holding only March 1
    (5, 3)
    >>> str(weekly.index[0].date())
    '2026-02-23'
    >>> sb.stop()
    """
    if "period_start" in df.columns and "date" not in df.columns:
        # A period frame (ap.load_campaign_periods): already one row per entity per period.
        from atribu_pandas.metrics.periods import pivot_periods

        if cumulative:
            raise ArgumentError("cumulative", cumulative, "False for a period frame")
        return pivot_periods(df, values, names, rolling)
    if values not in TREND_VALUES:
        raise ArgumentError("values", values, f"one of {list(TREND_VALUES)}")
    rolling = _check_rolling(rolling, cumulative)
    mapping = _names_mapping(names)
    num, den, ratio = _trend_sums(df, values, freq, fill_value)
    return _label_trend(_trend_from_sums(num, den, ratio, rolling, cumulative), df, mapping)


def pivot_trend_smoothed(
    df: pd.DataFrame,
    values: str = "spend",
    freq: str = "D",
    rolling: int | None = None,
    names: pd.DataFrame | Mapping[Any, Any] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Return the pivot of a trend frame and its rolling version, from one pivot of the sums.

    The same as ``(pivot_trend(df, values, freq, names=names), pivot_trend(df, values, freq,
    rolling=rolling, names=names))`` (days without delivery count as 0), but the frame is
    pivoted once: the rolling figures come from the raw pivot's sums (a ratio of rolling
    sums for ctr/cpc/cpm).

    Parameters
    ----------
    df : pandas.DataFrame
        A frame from ``ap.load_campaign_trend``.
    values : {"spend", "impressions", "clicks", "ctr", "cpc", "cpm"}, default "spend"
        As in :func:`pivot_trend`.
    freq : str, default "D"
        As in :func:`pivot_trend`: ``"D"``, ``"W"``, ``"M"`` or any pandas frequency.
    rolling : int, optional
        Window in periods; ``None`` gives no rolling frame.
    names : campaigns frame or mapping, optional
        Columns read as names instead of ids (see :func:`entity_labels`).

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame or None)
        The raw pivot and the rolling one (``None`` without ``rolling``).

    Examples
    --------
    >>> import pandas as pd
    >>> from atribu_pandas.metrics import pivot_trend_smoothed
    >>> trend = pd.DataFrame({"entity_id": ["a", "a"], "spend": [2.0, 4.0],
    ...                       "date": pd.to_datetime(["2026-03-01", "2026-03-02"])})
    >>> raw, smooth = pivot_trend_smoothed(trend, rolling=2)
    >>> raw["a"].tolist(), smooth["a"].tolist()
    ([2.0, 4.0], [nan, 3.0])
    """
    rolling = _check_rolling(rolling, False)
    mapping = _names_mapping(names)
    num, den, ratio = _trend_sums(df, values, freq, 0)
    raw = _label_trend(_trend_from_sums(num, den, ratio, None, False), df, mapping)
    if rolling is None:
        return raw, None
    smooth = _label_trend(_trend_from_sums(num, den, ratio, rolling, False), df, mapping)
    return raw, smooth


def _check_rolling(rolling: Any, cumulative: bool) -> int | None:
    rolling = check_count(rolling, "rolling", maximum=MAX_ROLLING, optional=True)
    if rolling is not None and cumulative:
        raise ArgumentError("cumulative", cumulative, "False when rolling is set")
    return rolling


def _trend_sums(
    df: pd.DataFrame, values: str, freq: str, fill_value: float | None
) -> tuple[pd.DataFrame, pd.DataFrame | None, Ratio | None]:
    """Per-period sums, date by entity id: (values or numerator, denominator, ratio)."""
    if values not in TREND_VALUES:
        raise ArgumentError("values", values, f"one of {list(TREND_VALUES)}")
    ratio = TREND_VALUES[values]
    parts = [values] if ratio is None else [ratio.numerator, ratio.denominator]
    require_columns(df, ["entity_id", "date", *parts], method="pivot_trend", loader=_LOADER_TREND)
    window = _window(df)
    calendar = (
        pd.date_range(*window, freq="D", name="date")
        if window
        else pd.DatetimeIndex([], name="date")
    )
    bins = calendar_bins(freq)
    resampled = {"rule": bins.pop("freq"), **bins}
    # One pivot for every part. Entity-days without a row are NaN until filled, so
    # fill_value=None can keep them; for a ratio no delivery means zero clicks and
    # impressions, and the ratio comes out NaN, as it should.
    # The parts go in as float64: summing numpy floats is quicker than nullable Int64, and
    # converting a wide pivot afterwards costs one pass per entity column.
    numeric = all(df[p].dtype == np.float64 for p in parts)
    work = (
        df if numeric else df[["date", "entity_id"]].assign(**{p: _as_float(df[p]) for p in parts})
    )
    if not len(work):
        # pivot_table loses the parts of an empty frame: the calendar with no entity.
        table = pd.DataFrame(
            index=calendar, columns=pd.Index([], name="entity_id"), dtype="float64"
        )
        if freq != "D":
            table = table.resample(**resampled).sum()
        return table, (None if ratio is None else table.copy()), ratio
    table = work.pivot_table(
        index="date", columns="entity_id", values=parts, aggfunc="sum", observed=True
    )
    table = table.astype("float64").reindex(calendar)
    if freq != "D":
        table = table.resample(**resampled).sum(min_count=1)
    fill = fill_value if ratio is None else 0.0
    if fill is not None:
        table = table.fillna(fill)
    # The columns are (part, entity id): selecting a part leaves a date by entity frame.
    if ratio is None:
        return cast(pd.DataFrame, table[values]), None, None
    num = cast(pd.DataFrame, table[ratio.numerator])
    return num, cast(pd.DataFrame, table[ratio.denominator]), ratio


def _trend_from_sums(
    num: pd.DataFrame,
    den: pd.DataFrame | None,
    ratio: Ratio | None,
    rolling: int | None,
    cumulative: bool,
) -> pd.DataFrame:
    if ratio is None or den is None:
        if rolling is not None:
            return num.rolling(rolling).mean()
        return num.cumsum() if cumulative else num
    if rolling is not None:
        num, den = num.rolling(rolling).sum(), den.rolling(rolling).sum()
    elif cumulative:
        num, den = num.cumsum(), den.cumsum()
    return pd.DataFrame(
        safe_divide(num.to_numpy(), den.to_numpy(), ratio.scale),
        index=num.index,
        columns=num.columns,
    )


def _label_trend(
    out: pd.DataFrame, df: pd.DataFrame, mapping: dict[Any, Any] | None
) -> pd.DataFrame:
    out = out.copy(deep=False)
    out.columns = entity_labels(out.columns, mapping).rename("entity")
    out.index.name = "date"
    out.attrs = _derived_attrs(df, "pivot_trend")
    return out


def _window(df: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The window's first and last day: the loader's recorded window, widened by the data.

    None for a frame without rows or a recorded window (its calendar is empty).
    """
    dates = pd.to_datetime(df["date"])
    lo, hi = dates.min(), dates.max()
    info = df.attrs.get("atribu") if isinstance(df.attrs.get("atribu"), dict) else None
    if info:
        for source in (info.get("meta"), info.get("params")):
            if isinstance(source, dict) and source.get("date_from") and source.get("date_to"):
                lo = (
                    min(pd.Timestamp(source["date_from"]), lo)
                    if pd.notna(lo)
                    else pd.Timestamp(source["date_from"])
                )
                hi = (
                    max(pd.Timestamp(source["date_to"]), hi)
                    if pd.notna(hi)
                    else pd.Timestamp(source["date_to"])
                )
                break
    if pd.isna(lo) or pd.isna(hi):
        return None
    return pd.Timestamp(lo).normalize(), pd.Timestamp(hi).normalize()
