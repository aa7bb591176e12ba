"""The trend chart: a trend frame's daily (or weekly, monthly) figures per entity.

:func:`trend` draws ``ap.load_campaign_trend`` frames over the window's complete calendar,
one line or one panel per entity, optionally with a rolling mean; the figures come from
:func:`atribu_pandas.metrics.pivot_trend_smoothed`. It is also importable from
:mod:`atribu_pandas.display.charts.campaigns`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from atribu_pandas import metrics
from atribu_pandas.core.params import MAX_ROLLING, check_column, check_count, check_flag, check_freq
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
from atribu_pandas.exceptions import ArgumentError
from atribu_pandas.frames.provenance import currency_of

__all__ = ["trend"]

_TREND_LABELS: dict[str, str] = {
    "spend": "Spend ({cur})",
    "impressions": "Impressions",
    "clicks": "Clicks",
    "ctr": "CTR (%)",
    "cpc": "CPC ({cur} per click)",
    "cpm": "CPM ({cur} per 1,000 impressions)",
}
_PERIODS: dict[str, str] = {"D": "day", "W": "week", "M": "month", "ME": "month", "MS": "month"}


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
    ylabel = _TREND_LABELS[values].format(cur=currency_of(df))
    period = _period_word(freq)
    title = f"{ylabel.split(' (')[0]} per {period}"
    if rolling:
        title += f", {rolling}-{period} rolling mean"
    if small_multiples:
        return _small_multiples(df, raw, smooth, title, ylabel)
    ax = _axes(ax, (9.0, 5.0))
    _draw_lines(ax, raw, smooth)
    ax.set_title(title)
    ax.set_xlabel("Date")
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
    df: pd.DataFrame, raw: pd.DataFrame, smooth: pd.DataFrame | None, title: str, ylabel: str
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
        _draw_lines(panel, raw[[entity]], None if smooth is None else smooth[[entity]])
        panel.set_title(chart_text(entity), fontsize=9)
        panel.tick_params(axis="x", labelrotation=30, labelsize=7)
    # Without entities the one panel stays, to carry the note.
    for panel in panels[max(len(entities), 1 if empty else 0) :]:
        panel.set_visible(False)
    if empty:
        _no_data(panels[0])
    fig.suptitle(title)
    fig.supxlabel("Date")
    fig.supylabel(ylabel)
    for panel in panels:
        thousands(panel.yaxis, locale_of(df))
    return grid


def _date_ticks(ax: Axes, index: pd.Index, period: str, locale: str | None) -> None:
    """Days in the report's language; one tick per period drawn when periods are longer
    than a day (a week's bucket, a month's), not matplotlib's days."""
    if period != "day" and len(index):
        ticks = index[:: max(1, len(index) // 12)]
        ax.set_xticks(ticks, [day_label(t, locale) for t in ticks])
    elif isinstance(index, pd.DatetimeIndex):
        from matplotlib.dates import num2date
        from matplotlib.ticker import FuncFormatter

        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: day_label(num2date(x), locale)))


def _draw_lines(ax: Axes, raw: pd.DataFrame, smooth: pd.DataFrame | None) -> None:
    for i, entity in enumerate(raw.columns):
        color = f"C{i % 10}"
        if smooth is None:
            ax.plot(raw.index, raw[entity], color=color, label=chart_text(entity))
        else:
            ax.plot(raw.index, raw[entity], color=color, alpha=0.25, linewidth=1)
            ax.plot(smooth.index, smooth[entity], color=color, label=chart_text(entity))
