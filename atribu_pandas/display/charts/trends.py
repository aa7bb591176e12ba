"""The trend chart: a trend frame's daily (or weekly, monthly) figures per entity.

:func:`trend` draws ``ap.load_campaign_trend`` frames over the window's complete calendar,
one line or one panel per entity, optionally with a rolling mean; the figures come from
:func:`atribu_pandas.metrics.pivot_trend_smoothed`. It is also importable from
``display.charts.campaigns``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from atribu_pandas import metrics
from atribu_pandas.core.language import N_
from atribu_pandas.core.language import gettext as _
from atribu_pandas.core.params import (
    MAX_ROLLING,
    calendar_bins,
    check_column,
    check_count,
    check_flag,
    check_freq,
)
from atribu_pandas.display.charts.theme import (
    _OUTSIDE,
    _axes,
    _no_data,
    chart_text,
    check_axes,
    day_label,
    locale_of,
    thousands,
)
from atribu_pandas.display.charts.ticks import fit_ticks, set_ticks
from atribu_pandas.exceptions import ArgumentError
from atribu_pandas.frames.provenance import currency_of

__all__ = ["trend"]

_TREND_LABELS: dict[str, str] = {
    "spend": N_("Spend ({currency})"),
    "impressions": N_("Impressions"),
    "clicks": N_("Clicks"),
    "ctr": N_("CTR (%)"),
    "cpc": N_("CPC ({currency} per click)"),
    "cpm": N_("CPM ({currency} per 1,000 impressions)"),
}
_TREND_NAMES: dict[str, str] = {
    "spend": N_("Spend"),
    "impressions": N_("Impressions"),
    "clicks": N_("Clicks"),
    "ctr": N_("CTR"),
    "cpc": N_("CPC"),
    "cpm": N_("CPM"),
}
_PERIODS: dict[str, str] = {"D": "day", "W": "week", "M": "month", "ME": "month", "MS": "month"}
# A title per period, whole; with a rolling mean, its length in periods.
_TITLES = {
    "day": N_("{metric} per day"),
    "week": N_("{metric} per week"),
    "month": N_("{metric} per month"),
}
_ROLLING_TITLES = {
    "day": N_("{metric} per day, {n}-day rolling mean"),
    "week": N_("{metric} per week, {n}-week rolling mean"),
    "month": N_("{metric} per month, {n}-month rolling mean"),
}
_X_LABELS = {"day": N_("Date"), "week": N_("Week starting (Monday)"), "month": N_("Month")}


def _period_word(freq: str) -> str:
    """The period a title names: a multiple of one ("1W", "1ME") is the period itself."""
    single = freq[1:] if len(freq) > 1 and freq[0] == "1" and not freq[1].isdigit() else freq
    return _PERIODS.get(single, freq)


def trend(
    df: pd.DataFrame,
    values: str = "spend",
    *,
    freq: str = "D",
    rolling: int | None = None,
    names: pd.DataFrame | Mapping[Any, Any] | None = None,
    small_multiples: bool = False,
    ax: Axes | None = None,
) -> Any:
    """Draw a trend frame's ``values`` per entity over the window's complete calendar.

    Parameters
    ----------
    df : pandas.DataFrame
        A frame from ``ap.load_campaign_trend``.
    values : {"spend", "impressions", "clicks", "ctr", "cpc", "cpm"}, default "spend"
    freq : str, default "D"
    rolling : int, optional
        Also draw the rolling mean over this many periods (ratio of rolling sums for
        ctr/cpc/cpm) as solid lines, the raw figures faint behind them.
    names : campaigns frame or mapping, optional
        Legend and panel titles read as names.
    small_multiples : bool, default False
        One panel per entity on a new figure, sharing the axes; returns the Axes array.
    ax : matplotlib.axes.Axes, optional
        Not allowed with ``small_multiples``.

    Returns
    -------
    matplotlib.axes.Axes, or numpy.ndarray of Axes with ``small_multiples``

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> from atribu_pandas.display import charts
    >>> sb = ap.sandbox.start()
    >>> camps = ap.load_campaigns("2026-03-01", "2026-03-25", level="campaign",
    ...                           client=sb.client())
    >>> trend = ap.load_campaign_trend(camps["campaign_id"][:3], "2026-03-01", "2026-03-25",
    ...                                client=sb.client())
    >>> charts.trend(trend, "ctr", names=camps).get_ylabel()
    'CTR (%)'
    >>> sb.stop()
    """
    values = check_column(values, "values")
    freq = check_freq(freq, "freq")
    rolling = check_count(rolling, "rolling", maximum=MAX_ROLLING, optional=True)
    small_multiples = check_flag(small_multiples, "small_multiples")
    ax = check_axes(ax)
    if small_multiples and ax is not None:
        raise ArgumentError("ax", ax, "None when small_multiples=True (a new figure is made)")
    # One pivot: the rolling lines come from the raw pivot's sums.
    raw, smooth = metrics.pivot_trend_smoothed(
        df, values, freq=freq, rolling=rolling or None, names=names
    )
    ylabel = _(_TREND_LABELS[values]).format(currency=currency_of(df))
    period = _period_word(freq)
    metric = _(_TREND_NAMES[values])
    if rolling:
        table = _ROLLING_TITLES.get(period, N_("{metric} per {period}, rolling mean of {n}"))
    else:
        table = _TITLES.get(period, N_("{metric} per {period}"))
    title = _(table).format(metric=metric, period=period, n=rolling)
    partial = _partial_periods(df, raw.index, freq) if period != "day" else None
    if small_multiples:
        return _small_multiples(df, raw, smooth, title, ylabel, partial)
    ax = _axes(ax, (9.0, 4.5))
    _draw_lines(ax, raw, smooth, partial)
    ax.set_title(title)
    fallback = N_("Period")  # marked apart: the extractor does not look inside a call
    ax.set_xlabel(_(_X_LABELS.get(period, fallback)))
    ax.set_ylabel(ylabel)
    thousands(ax.yaxis, locale_of(df))
    entities = list(raw.columns)
    if entities and (len(entities) > 1 or rolling):
        ax.legend(**_OUTSIDE)
    _date_ticks(ax, raw.index, period, locale_of(df))
    ax.tick_params(axis="x", labelrotation=30)
    if not entities or raw.empty:
        _no_data(ax)
    return ax


def _small_multiples(
    df: pd.DataFrame,
    raw: pd.DataFrame,
    smooth: pd.DataFrame | None,
    title: str,
    ylabel: str,
    partial: Any = None,
) -> Any:
    """One panel per entity on a new figure, sharing the axes; the array of panels."""
    entities = list(raw.columns)
    empty = not entities or raw.empty
    ncols = min(3, max(1, len(entities)))
    nrows = int(np.ceil(len(entities) / ncols)) or 1
    fig, grid = plt.subplots(
        nrows,
        ncols,
        figsize=(4.0 * ncols, 2.6 * nrows),
        sharex=True,
        sharey=True,
        squeeze=False,
        layout="constrained",
    )
    panels = grid.ravel()
    for panel, entity in zip(panels, entities, strict=False):
        _draw_lines(panel, raw[[entity]], None if smooth is None else smooth[[entity]], partial)
        panel.set_title(chart_text(entity), fontsize=9)
        panel.tick_params(axis="x", labelrotation=30, labelsize=7)
    # Without entities the one panel stays, to carry the note.
    for panel in panels[max(len(entities), 1 if empty else 0) :]:
        panel.set_visible(False)
    if empty:
        _no_data(panels[0])
    fig.suptitle(title)
    fig.supxlabel(_("Date"))
    fig.supylabel(ylabel)
    for panel in panels:
        thousands(panel.yaxis, locale_of(df))
    return grid


def _date_ticks(ax: Axes, index: pd.Index, period: str, locale: str | None) -> None:
    """Days in the report's language; one tick per period drawn when periods are longer
    than a day (a week's bucket, a month's), not matplotlib's days."""
    if period != "day" and len(index):
        # A tick per period, thinned at draw time until no two labels touch.
        set_ticks(ax.xaxis, index, [day_label(t, locale) for t in index])
    elif isinstance(index, pd.DatetimeIndex):
        from matplotlib.dates import num2date
        from matplotlib.ticker import FuncFormatter

        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: day_label(num2date(x), locale)))
        fit_ticks(ax.xaxis)


def _partial_periods(df: pd.DataFrame, index: pd.Index, freq: str) -> Any:
    """Which periods of ``index`` the window cuts short (a week begun before its first
    day or ending after its last): a boolean array, or None when the window is unknown."""
    if not isinstance(index, pd.DatetimeIndex) or not len(index) or "date" not in df.columns:
        return None
    days = pd.to_datetime(df["date"])
    first, last = days.min(), days.max()
    info = df.attrs.get("atribu")
    params = info.get("params") if isinstance(info, dict) else None
    if isinstance(params, dict) and params.get("date_from") and params.get("date_to"):
        first, last = pd.Timestamp(params["date_from"]), pd.Timestamp(params["date_to"])
    if pd.isna(first) or pd.isna(last):
        return None
    bins = calendar_bins(freq)
    rule = {"rule": bins.pop("freq"), **bins}

    def days_per_period(start: pd.Timestamp, end: pd.Timestamp) -> pd.Series:
        calendar = pd.Series(1, index=pd.date_range(start, end, freq="D"))
        return calendar.resample(**rule).sum()

    inside = days_per_period(first, last)
    # The same bins over a calendar wide enough that every period in the window is whole.
    whole = days_per_period(first - pd.Timedelta(days=400), last + pd.Timedelta(days=400))
    short = inside.reindex(index).fillna(0) < whole.reindex(index).fillna(0)
    return short.to_numpy(dtype=bool)


def _draw_lines(
    ax: Axes, raw: pd.DataFrame, smooth: pd.DataFrame | None, partial: Any = None
) -> None:
    """One line per entity; a period the window cuts short is a hollow dot joined by a
    dotted line, never a solid drop (it holds only some of its days)."""
    cut = partial is not None and bool(np.any(partial))
    for i, entity in enumerate(raw.columns):
        color = f"C{i % 10}"
        shown = raw if smooth is None else smooth
        if smooth is not None:
            ax.plot(raw.index, raw[entity], color=color, alpha=0.25, linewidth=1)
        values = shown[entity].to_numpy(dtype="float64")
        if not cut:
            ax.plot(shown.index, values, color=color, label=chart_text(entity))
            continue
        whole = np.where(partial, np.nan, values)
        ax.plot(shown.index, whole, color=color, marker="o", ms=3, label=chart_text(entity))
        # The dotted part: every partial period and its neighbours.
        near = partial.copy()
        near[1:] |= partial[:-1]
        near[:-1] |= partial[1:]
        ax.plot(shown.index, np.where(near, values, np.nan), color=color, ls=":", lw=1.2)
        ax.plot(
            shown.index[partial],
            values[partial],
            ls="none",
            marker="o",
            ms=6,
            mfc="white",
            mec=color,
            # Named once: the legend says what a hollow dot is, not once per entity.
            label=_("Partial period (cut by the window)") if i == 0 else None,
        )
