"""Charts of period frames: ROAS over time, and the change of each entity between periods.

Both draw from ``metrics.periods``, so a chart shows the table's
figures. Figures that may still move are hatched (partial or restating periods, entities
with fewer than 5 outcomes), and a footnote under the chart says why.
"""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from atribu_pandas import metrics
from atribu_pandas.core.language import N_, ngettext
from atribu_pandas.core.language import gettext as _
from atribu_pandas.core.params import check_column, check_count, check_target
from atribu_pandas.display.charts.theme import (
    BAD_COLOR,
    BREAK_EVEN_COLOR,
    GOOD_COLOR,
    chart_formats,
    chart_text,
    check_axes,
    day_label,
    legend_below,
    locale_of,
    target_line,
    thousands,
)
from atribu_pandas.display.charts.ticks import fit_ticks, set_ticks
from atribu_pandas.exceptions import ArgumentError
from atribu_pandas.frames.provenance import currency_of
from atribu_pandas.frames.quality import LOW_EVIDENCE_OUTCOMES

__all__ = ["HATCH", "period_change", "roas_over_time"]

HATCH = "///"
SPEND_COLOR = "#c9d6df"
ROAS_COLOR = "#1d3557"
_ENTITY_COLORS = ("#e9c46a", "#2a9d8f", "#f4a261", "#8d99ae", "#b5838d")
# Metrics where a fall is good news (colour of the diverging bars).
_LOWER_IS_BETTER = ("cac",)
# Each metric's axis title and chart title, whole.
_CHANGE_LABELS = {
    "roas": N_("Change in ROAS (current minus reference)"),
    "cac": N_("Change in CAC (current minus reference)"),
    "spend": N_("Change in spend (current minus reference)"),
    "outcome_value": N_("Change in outcome value (current minus reference)"),
    "outcome_count": N_("Change in outcomes (current minus reference)"),
}
_CHANGE_TITLES = {
    "roas": N_("ROAS: {current_from} to {current_to} against {reference_from} to {reference_to}"),
    "cac": N_("CAC: {current_from} to {current_to} against {reference_from} to {reference_to}"),
    "spend": N_("Spend: {current_from} to {current_to} against {reference_from} to {reference_to}"),
    "outcome_value": N_(
        "Outcome value: {current_from} to {current_to} against {reference_from} to {reference_to}"
    ),
    "outcome_count": N_(
        "Outcomes: {current_from} to {current_to} against {reference_from} to {reference_to}"
    ),
}


def _footnote(ax: Axes, text: str, below: float = 34, under: Any = None) -> None:
    """A note under the axes, or under ``under`` (the legend) when given."""
    if text:
        ax.annotate(
            text,
            (0.0, 0.0),
            xycoords="axes fraction" if under is None else under,
            xytext=(0, -below if under is None else -4),
            textcoords="offset points",
            fontsize=8,
            va="top",
            wrap=True,
        )


def roas_over_time(
    df: pd.DataFrame, *, top: int = 3, target: float | None = None, ax: Axes | None = None
) -> Axes:
    """Draw ROAS lines over spend bars, one bar per period; partial periods hatched.

    Parameters
    ----------
    df : pandas.DataFrame
        A frame from ``ap.load_campaign_periods``.
    top : int, default 3
        Also draw the ROAS of this many entities with the most spend (0 for the total only).
    target : float, optional
        The client's ROAS target (> 0): a green dash-dotted line on the ROAS axis, named
        in the legend ("Target 2.50×"); the axis reaches it.
    ax : matplotlib.axes.Axes, optional
        Draws the spend bars here and the ROAS on a twin axis.

    Returns
    -------
    matplotlib.axes.Axes
        The spend axes; the ROAS lines are on its twin (right-hand) axis.

    Examples
    --------
    >>> import datetime as dt
    >>> import atribu_pandas as ap
    >>> sb = ap.sandbox.start()
    >>> weeks = ap.load_campaign_periods(sb.last_day - dt.timedelta(days=83), sb.last_day,
    ...                                  client=sb.client())
    >>> weeks.atribu.plot.roas_over_time().get_title()
    'ROAS over time (weekly)'
    >>> sb.stop()
    """
    top = check_count(top, "top", minimum=0)
    target = check_target(target, "target")
    ax = check_axes(ax)
    totals = metrics.period_totals(df)
    cur = currency_of(df)
    if ax is None:
        _figure, ax = plt.subplots(figsize=(10.0, 5.0), layout="constrained")
    centers, flagged = _spend_bars(ax, df, totals)
    freq = (df.attrs.get("atribu") or {}).get("params", {}).get("freq")
    titles = {
        "D": N_("ROAS over time (daily)"),
        "W": N_("ROAS over time (weekly)"),
        "M": N_("ROAS over time (monthly)"),
    }
    # Babel's extractor does not look inside a call's arguments: the fallback is marked apart.
    fallback = N_("ROAS over time (per period)")
    ax.set_title(_(titles.get(str(freq), fallback)))
    right = ax.twinx()
    handles = _roas_lines(right, df, totals, centers, flagged, top)
    right.set_ylabel(_("ROAS ({currency} of value per {currency} of spend)").format(currency=cur))
    right.set_ylim(bottom=0)
    if target is not None:
        handles.append(target_line(right, target, chart_formats(df), vertical=False))
        right.set_ylim(top=max(right.get_ylim()[1], target * 1.1))
    # Below the chart and its x labels: over it, the legend would hide a year of bars.
    wide = ax.get_figure(root=True).get_figwidth() >= 8  # type: ignore[union-attr]
    legend = legend_below(ax, handles, ncol=3 if wide else 2, frameon=False)
    notes = []
    if flagged.any():
        count = int(flagged.sum())
        notes.append(
            ngettext(
                "Hatched: {n} period cut by the window, not over yet, or within the last "
                "3 days (figures can still change).",
                "Hatched: {n} periods cut by the window, not over yet, or within the last "
                "3 days (figures can still change).",
                count,
            ).format(n=count)
        )
    if len(df):
        notes.append(
            _(
                "Each period counts the rows the API returned for it (up to the load's limit); "
                "ROAS = value / spend."
            )
        )
    _footnote(ax, " ".join(notes), under=legend)
    if not len(df):
        ax.text(0.5, 0.5, _("No data in this window"), transform=ax.transAxes, ha="center")
    return ax


def _spend_bars(ax: Axes, df: pd.DataFrame, totals: pd.DataFrame) -> tuple[Any, Any]:
    """One spend bar per period, hatched when partial or restating; return the bars'
    centres and which are hatched."""
    starts = pd.to_datetime(totals["period_start"])
    ends = pd.to_datetime(totals.get("period_end", totals["period_start"]))
    days = ((ends - starts).dt.days + 1).to_numpy(dtype="float64")
    centers = starts + pd.to_timedelta(days / 2, unit="D")
    flagged = np.zeros(len(totals), dtype=bool)
    for col in ("is_partial", "restating"):
        if col in totals.columns:
            flagged |= totals[col].to_numpy(dtype=bool)
    bars = ax.bar(
        centers, totals["spend"], width=days * 0.85, color=SPEND_COLOR, edgecolor="0.55", lw=0.5
    )
    for bar, hatch in zip(bars, flagged, strict=True):
        if hatch:
            bar.set_hatch(HATCH)
    ax.set_ylabel(_("Spend ({currency})").format(currency=currency_of(df)))
    thousands(ax.yaxis, locale_of(df))
    ax.set_xlabel(_("Period start"))
    if 0 < len(starts) <= 16:
        # Few periods: a tick at each period's start, so a bar reads as its period
        # (thinned when the labels would touch: "14. Sept." is longer than "Sep 14").
        set_ticks(ax.xaxis, starts.to_numpy(), [day_label(s, locale_of(df)) for s in starts])
    else:
        fit_ticks(ax.xaxis)
    return centers, flagged


def _roas_lines(
    right: Axes, df: pd.DataFrame, totals: pd.DataFrame, centers: Any, flagged: Any, top: int
) -> list[Any]:
    """The total's ROAS line (hollow markers where flagged), the top entities' lines and
    break-even, on the twin axis; return the legend's handles."""
    cur = currency_of(df)
    right.plot(centers, totals["roas"], color=ROAS_COLOR, lw=2.2, marker="o", ms=4, zorder=3)
    if flagged.any():
        # Hollow markers where the period's figures are incomplete or still moving.
        right.plot(
            centers[flagged],
            totals["roas"][flagged],
            ls="none",
            marker="o",
            ms=7,
            mfc="white",
            mec=ROAS_COLOR,
            zorder=4,
        )
    handles: list[Any] = [
        Patch(
            facecolor=SPEND_COLOR,
            edgecolor="0.55",
            label=_("Spend ({currency})").format(currency=cur),
        ),
        Line2D([], [], color=ROAS_COLOR, lw=2.2, marker="o", label=_("ROAS, total")),
    ]
    if top and len(df):
        spend = df.groupby("campaign_id", sort=False)["spend"].sum().nlargest(top)
        roas = metrics.pivot_periods(df[df["campaign_id"].isin(spend.index)], "roas")
        labels = metrics.entity_labels(spend.index, _names(df))
        for color, label in zip(_ENTITY_COLORS, labels, strict=False):
            if label in roas.columns:
                right.plot(centers, roas[label].to_numpy(), color=color, lw=1.2, alpha=0.85)
                handles.append(
                    Line2D(
                        [],
                        [],
                        color=color,
                        lw=1.2,
                        label=_("ROAS, {name}").format(name=chart_text(label)),
                    )
                )
    right.axhline(1.0, color=BREAK_EVEN_COLOR, ls="--", lw=1)
    handles.append(
        Line2D([], [], color=BREAK_EVEN_COLOR, ls="--", label=_("Break-even (ROAS = 1)"))
    )
    if flagged.any():
        handles.append(
            Patch(facecolor="white", edgecolor="0.4", hatch=HATCH, label=_("Partial or restating"))
        )
    return handles


def _names(df: pd.DataFrame) -> dict[Any, Any] | None:
    if "campaign_name" not in df.columns:
        return None
    return dict(zip(df["campaign_id"], df["campaign_name"], strict=True))


def period_change(
    data: pd.DataFrame | metrics.PeriodComparison,
    metric: str = "roas",
    *,
    top: int = 15,
    ax: Axes | None = None,
) -> Axes:
    """Draw a diverging bar of each entity's change between two periods.

    Parameters
    ----------
    data : pandas.DataFrame or PeriodComparison
        A frame from ``ap.load_period_comparison`` (or a period frame: its last two
        periods), or the result of ``compare_periods``.
    metric : {"spend", "outcome_value", "outcome_count", "roas", "cac"}, default "roas"
    top : int, default 15
        Entities with the largest absolute change to show.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import datetime as dt
    >>> import atribu_pandas as ap
    >>> sb = ap.sandbox.start()
    >>> both = ap.load_period_comparison(sb.last_day - dt.timedelta(days=27), sb.last_day,
    ...                                  client=sb.client())
    >>> both.atribu.plot.period_change("roas").get_xlabel()
    'Change in ROAS (current minus reference)'
    >>> sb.stop()
    """
    metric = check_column(metric, "metric")
    top = check_count(top, "top")
    ax = check_axes(ax)
    if metric not in metrics.comparison.COMPARED_METRICS:
        raise ArgumentError("metric", metric, f"one of {list(metrics.comparison.COMPARED_METRICS)}")
    result = data if isinstance(data, metrics.PeriodComparison) else metrics.compare_periods(data)
    table = result.table
    change = table[f"{metric}_change"]
    shown = table[change.notna()]
    shown = shown.reindex(shown[f"{metric}_change"].abs().nlargest(top).index)
    shown = shown.sort_values(f"{metric}_change")
    if ax is None:
        _figure, ax = plt.subplots(
            figsize=(9.0, max(3.0, 0.38 * len(shown) + 1.8)), layout="constrained"
        )
    values = shown[f"{metric}_change"].to_numpy(dtype="float64")
    good = values < 0 if metric in _LOWER_IS_BETTER else values > 0
    labels = [chart_text(x) for x in metrics.entity_labels(shown["campaign_id"], _names(shown))]
    # Rows by position, not by label: two names alike once drawn stay two bars.
    rows = range(len(labels))
    bars = ax.barh(rows, values, color=[GOOD_COLOR if g else BAD_COLOR for g in good])
    ax.set_yticks(rows, labels)
    for bar, low in zip(bars, shown["low_evidence"].to_numpy(dtype=bool), strict=True):
        if low:
            bar.set_hatch(HATCH)
            bar.set_edgecolor("0.3")
    ax.axvline(0.0, color=BREAK_EVEN_COLOR, lw=1)
    fit_ticks(ax.xaxis)
    ax.set_xlabel(_(_CHANGE_LABELS[metric]))
    ax.set_title(
        _(_CHANGE_TITLES[metric]).format(
            current_from=result.current[0],
            current_to=result.current[1],
            reference_from=result.reference[0],
            reference_to=result.reference[1],
        )
    )
    handles = [
        Patch(color=GOOD_COLOR, label=_("Better")),
        Patch(color=BAD_COLOR, label=_("Worse")),
    ]
    if shown["low_evidence"].any():
        handles.append(
            Patch(
                facecolor="white",
                edgecolor="0.3",
                hatch=HATCH,
                label=_("Fewer than {n} outcomes").format(n=LOW_EVIDENCE_OUTCOMES),
            )
        )
    ax.legend(handles=handles, loc="lower right", fontsize=8)
    notes = []
    if result.new or result.gone:
        notes.append(
            _(
                "Not shown: {new} new and {gone} gone (absent from one period, or outside "
                "the rows the API returned for it)."
            ).format(new=len(result.new), gone=len(result.gone))
        )
    if result.note:
        notes.append(result.note)
    _footnote(ax, " ".join(notes))
    if shown.empty:
        ax.text(0.5, 0.5, _("Nothing is in both periods"), transform=ax.transAxes, ha="center")
    return ax
