"""Charts for ``df.atribu.plot``: every chart, by name, in one place.

Each function takes the frame, draws on ``ax`` (a new figure when ``ax`` is None), labels
the axes with units and the currency (``df.attrs["currency"]`` or the loader's recorded
currency, USD by default), shows names rather than ids, and returns the Axes. The numbers
come from :mod:`atribu_pandas.metrics`, so a chart shows the same figures as the tables.
The entity, model and cohort charts of a ``/campaigns`` or top-performers frame are drawn
here; the theme and currency come from :mod:`atribu_pandas.display.charts.theme`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from atribu_pandas import metrics
from atribu_pandas.core.params import check_column, check_columns, check_count
from atribu_pandas.display.charts.theme import (
    _OUTSIDE,
    BAD_COLOR,
    BREAK_EVEN_COLOR,
    GOOD_COLOR,
    SHARE_CMAP,
    _axes,
    _no_data,
    chart_formats,
    chart_text,
    check_axes,
    locale_of,
    spread_labels,
    thousands,
)
from atribu_pandas.frames.provenance import currency_of
from atribu_pandas.metrics.cohorts import COHORT_GROUPING

__all__ = [
    "cohort_box",
    "model_heatmap",
    "roas_bar",
    "shrinkage",
    "spend_vs_value",
]


def _entity(df: pd.DataFrame) -> tuple[str, str | None, str]:
    """(id column, name column, word for one entity) of a campaigns or top-performers frame."""
    if "ad_external_id" in df.columns:
        return "ad_external_id", "ad_name" if "ad_name" in df.columns else None, "ad"
    word = "campaign"
    if "entity_level" in df.columns and df["entity_level"].nunique() == 1:
        word = str(df["entity_level"].dropna().iloc[0]).replace("_", " ")
    name = "campaign_name" if "campaign_name" in df.columns else None
    return "campaign_id", name, word


def _value_column(df: pd.DataFrame) -> tuple[str, str, str]:
    """(value column, outcomes column, readable value name) of the frame."""
    if "attributed_revenue" in df.columns:
        return "attributed_revenue", "attributed_cash_outcomes", "Attributed revenue"
    return "outcome_value", "outcome_count", "Outcome value"


def _per_entity(df: pd.DataFrame, method: str) -> tuple[pd.DataFrame, str]:
    id_col, name_col, word = _entity(df)
    value, outcomes, _ = _value_column(df)
    loader = "ap.load_top_performers" if id_col == "ad_external_id" else "ap.load_campaigns"
    metrics.require_columns(df, [id_col, "spend", value], method=method, loader=loader)
    keys = [id_col] if name_col is None else [id_col, name_col]
    table = metrics.rollup(df, keys)
    names = dict(zip(table[id_col], table[name_col], strict=True)) if name_col else None
    table = table.assign(label=list(metrics.entity_labels(table[id_col], names)))
    if outcomes not in table.columns:
        table[outcomes] = np.nan
    return table, word


def _hatch_low_evidence(bars: Any, outcomes: pd.Series) -> int:
    """Hatch the bars of entities with fewer than 5 outcomes; return how many."""
    from atribu_pandas.frames.quality import low_evidence

    flags = low_evidence(outcomes).to_numpy()
    for bar, low in zip(bars, flags, strict=True):
        if low:
            bar.set_hatch("///")
            bar.set_edgecolor("0.3")
    return int(flags.sum())


def _low_evidence_patch() -> Patch:
    from atribu_pandas.frames.quality import LOW_EVIDENCE_OUTCOMES

    return Patch(
        facecolor="white",
        edgecolor="0.3",
        hatch="///",
        label=f"Fewer than {LOW_EVIDENCE_OUTCOMES} outcomes: read with care",
    )


def roas_bar(df: pd.DataFrame, *, top: int = 15, ax: Axes | None = None) -> Axes:
    """Draw horizontal bars of ROAS (value / spend) per entity, with the break-even line.

    Bars of entities with fewer than 5 outcomes are hatched (their ROAS rests on a handful
    of conversions). Entities without spend have no ROAS (it is undefined, not 0): they
    get no bar, and a note under the chart counts them ("Not shown: 1 campaign without
    spend (ROAS n/a)").

    Parameters
    ----------
    df : pandas.DataFrame
        A campaigns frame (outcome_value) or a top-performers frame (attributed_revenue).
    top : int, default 15
        Entities with the most spend (among those with spend) to show, sorted by ROAS.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> from atribu_pandas.display import charts
    >>> sb = ap.sandbox.start()
    >>> df = ap.load_campaigns("2026-03-01", "2026-03-25", level="campaign", client=sb.client())
    >>> charts.roas_bar(df).get_xlabel()  # doctest: +SKIP
    'ROAS (USD of value per USD of spend)'
    >>> sb.stop()
    """
    top = check_count(top, "top")
    ax = check_axes(ax)
    table, word = _per_entity(df, "plot.roas_bar")
    # No spend means no ROAS at all, not a ROAS of 0: such entities get no bar.
    undefined = table["roas"].isna()
    table = table[~undefined].nlargest(top, "spend").sort_values("roas")
    cur = currency_of(df)
    formats = chart_formats(df)
    ax = _axes(ax, (8.0, max(3.0, 0.35 * len(table) + 1.5)))
    roas = table["roas"].to_numpy(dtype="float64", na_value=np.nan)
    colors = [GOOD_COLOR if r >= 1 else BAD_COLOR for r in roas]
    # Rows by position, not by label: two names alike once drawn stay two bars.
    rows = range(len(table))
    bars = ax.barh(rows, roas, color=colors)
    ax.set_yticks(rows, [chart_text(label) for label in table["label"]])
    few = _hatch_low_evidence(bars, table[_value_column(df)[1]])
    # Every bar says its value; a ROAS of 0 has no length, so its label and a tick
    # at zero are what show it is there.
    for y, r in enumerate(roas):
        ax.annotate(
            formats.times(r),
            (max(r, 0.0), y),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
            # A value next to the break-even line stays readable over it.
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5, "alpha": 0.85},
        )
        if r == 0:
            ax.plot([0], [y], marker="|", markersize=12, color=BAD_COLOR)
    if len(roas):
        ax.set_xlim(0, max(float(np.nanmax(roas)), 1.0) * 1.15)
    line = ax.axvline(1.0, color=BREAK_EVEN_COLOR, linestyle="--")
    ax.set_title(f"ROAS by {word}")
    ax.set_xlabel(f"ROAS ({cur} of value per {cur} of spend)")
    ax.set_ylabel(word.capitalize())
    # The bars take one of two colours, so the legend shows both swatches (those drawn),
    # not one "ROAS" entry that would carry whichever colour the first bar has.
    handles: list[Patch | Line2D] = [
        Patch(color=color, label=text)
        for color, text, drawn in (
            (GOOD_COLOR, "ROAS >= 1 (value covers spend)", bool((roas >= 1).any())),
            (BAD_COLOR, "ROAS < 1", bool((roas < 1).any())),
        )
        if drawn
    ]
    if few:
        handles.append(_low_evidence_patch())
    handles.append(
        Line2D([], [], color=line.get_color(), linestyle="--", label="Break-even (ROAS = 1)")
    )
    ax.legend(handles=handles, **_OUTSIDE)
    if df.empty:
        _no_data(ax)
    left_out = int(undefined.sum())
    if left_out:
        plural = word if left_out == 1 else f"{word}s"
        ax.annotate(
            f"Not shown: {left_out} {plural} without spend (ROAS n/a)",
            (0.0, 0.0),
            xycoords="axes fraction",
            xytext=(0, -30),
            textcoords="offset points",
            fontsize=8,
            va="top",
        )
    return ax


def spend_vs_value(df: pd.DataFrame, *, label: int = 5, ax: Axes | None = None) -> Axes:
    """Scatter spend against value per entity, sized by outcomes, with the ROAS = 1 line.

    Parameters
    ----------
    df : pandas.DataFrame
        A campaigns frame or a top-performers frame.
    label : int, default 5
        Name this many points with the most spend.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> from atribu_pandas.display import charts
    >>> sb = ap.sandbox.start()
    >>> df = ap.load_campaigns("2026-03-01", "2026-03-25", level="campaign", client=sb.client())
    >>> charts.spend_vs_value(df).get_title()
    'Spend vs outcome value by campaign'
    >>> sb.stop()
    """
    label = check_count(label, "label", minimum=0)
    ax = check_axes(ax)
    table, word = _per_entity(df, "plot.spend_vs_value")
    value, outcomes, value_name = _value_column(df)
    cur = currency_of(df)
    ax = _axes(ax)
    spend = table["spend"].to_numpy(dtype="float64", na_value=np.nan)
    val = table[value].to_numpy(dtype="float64", na_value=np.nan)
    count = np.nan_to_num(table[outcomes].to_numpy(dtype="float64", na_value=np.nan))
    # Area proportional to outcomes, scaled so the largest point stays readable.
    peak = float(count.max(initial=0.0))
    sizes = 20 + 380 * count / peak if peak > 0 else np.full(len(count), 40.0)
    if len(table):
        # An empty scatter would still put a marker in the legend.
        ax.scatter(
            spend, val, s=sizes, alpha=0.6, color=GOOD_COLOR, label=f"{word} (size: outcomes)"
        )
    # Axes fitted to the points (from 0), not stretched to reach the break-even line:
    # the line is drawn across whatever the axes show.
    if len(table):
        ax.set_xlim(0, float(np.nanmax(np.append(spend, 1.0))) * 1.1)
        ax.set_ylim(0, float(np.nanmax(np.append(val, 1.0))) * 1.12)
    ax.axline((0, 0), slope=1, color=BREAK_EVEN_COLOR, linestyle="--", label="ROAS = 1")
    right = 0.6 * float(np.nanmax(np.append(spend, 1.0)))
    texts = [
        # Names of points on the right run leftwards, so they stay inside the axes and
        # clear of the legend beside them.
        ax.text(
            spend[i],
            val[i],
            chart_text(table["label"].iloc[i]),
            fontsize=8,
            ha="right" if spend[i] > right else "left",
        )
        for i in np.argsort(-np.nan_to_num(spend), kind="stable")[:label].tolist()
    ]
    spread_labels(ax, texts, spend, val)
    ax.set_title(f"Spend vs {value_name.lower()} by {word}")
    ax.set_xlabel(f"Spend ({cur})")
    ax.set_ylabel(f"{value_name} ({cur})")
    thousands(ax.xaxis, locale_of(df))
    thousands(ax.yaxis, locale_of(df))
    ax.legend(**_OUTSIDE)
    if table.empty:
        _no_data(ax)
    return ax


def model_heatmap(
    df: pd.DataFrame,
    metric: str = "outcome_value",
    *,
    baseline: str = "last_touch",
    top: int = 15,
    ax: Axes | None = None,
) -> Axes:
    """Draw each model's credit share per entity as a heatmap (entity by model).

    Parameters
    ----------
    df : pandas.DataFrame
        A frame from ``ap.load_model_comparison``.
    metric : str, default "outcome_value"
    baseline : str, default "last_touch"
        Rows are the ``top`` entities under this model, largest first.
    top : int, default 15
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> from atribu_pandas.display import charts
    >>> sb = ap.sandbox.start()
    >>> cmp = ap.load_model_comparison("2026-03-01", "2026-03-25", client=sb.client())
    >>> charts.model_heatmap(cmp).get_xlabel()
    'Attribution model'
    >>> sb.stop()
    """
    metric = check_column(metric, "metric")
    baseline = check_column(baseline, "baseline")
    top = check_count(top, "top")
    ax = check_axes(ax)
    formats = chart_formats(df)
    result = metrics.compare_models(df, metric=metric, baseline=baseline, top=top)
    shares = result.shares.head(top) * 100.0
    ax = _axes(ax, (1.3 * len(shares.columns) + 4.0, 0.4 * len(shares) + 2.0))
    ax.set_title(f"Share of {metric.replace('_', ' ')} credit by attribution model")
    ax.set_xlabel("Attribution model")
    ax.set_ylabel(_entity(df)[2].capitalize())
    if shares.empty:
        # No image, hence no colour bar: an empty heat map has no scale to read.
        ax.set_xticks([])
        ax.set_yticks([])
        _no_data(ax)
        return ax
    image = ax.imshow(shares.to_numpy(dtype="float64"), cmap=SHARE_CMAP, aspect="auto")
    ax.figure.colorbar(image, ax=ax, label="Share of credit (%)")
    # Cells, not a grid: the theme's grid lines would cross the figures.
    ax.grid(False)
    labels = [str(c).replace("_", " ") for c in shares.columns]
    ax.set_xticks(range(len(shares.columns)), labels, rotation=30, ha="right")
    ax.set_yticks(range(len(shares)), [chart_text(i) for i in shares.index])
    limit = np.nanmax(shares.to_numpy(dtype="float64")) if shares.size else 0.0
    for (i, j), share in np.ndenumerate(shares.to_numpy(dtype="float64")):
        if np.isfinite(share):
            # Dark cells (big shares) get white text.
            color = "white" if share > 0.55 * limit else "black"
            text = formats.percent(share, digits=0)
            ax.text(j, i, text, ha="center", va="center", fontsize=9, color=color)
    return ax


def _as_keys(by: str | Sequence[str]) -> list[str]:
    return [by] if isinstance(by, str) else list(by)


def _cohort_label(key: Any) -> str:
    """A cohort's values joined (``ugc_video · sales``); a missing one says so."""
    parts = key if isinstance(key, tuple) else (key,)
    return " · ".join(str(part) if pd.notna(part) else "(none)" for part in parts)


def cohort_box(
    df: pd.DataFrame, by: str | Sequence[str] | None = None, *, ax: Axes | None = None
) -> Axes:
    """Draw a box of composite_score per cohort (ads per cohort in the labels).

    Parameters
    ----------
    df : pandas.DataFrame
        A frame from ``ap.load_top_performers``.
    by : str or list of str, optional
        Default :data:`~atribu_pandas.metrics.cohorts.COHORT_GROUPING` (format x
        objective), as :func:`~atribu_pandas.metrics.compare_cohorts`.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> from atribu_pandas.display import charts
    >>> sb = ap.sandbox.start()
    >>> top = ap.load_top_performers(limit=50, client=sb.client())
    >>> charts.cohort_box(top).get_title()
    'Composite score by cohort'
    >>> sb.stop()
    """
    checked = check_columns(by, "by", optional=True)
    keys = list(COHORT_GROUPING) if checked is None else _as_keys(checked)
    ax = check_axes(ax)
    metrics.require_columns(
        df, [*keys, "composite_score"], method="plot.cohort_box", loader="ap.load_top_performers"
    )
    groups = [
        (_cohort_label(key), group.dropna().to_numpy(dtype="float64"))
        for key, group in df.groupby(keys, observed=True, sort=True, dropna=False)[
            "composite_score"
        ]
    ]
    groups.sort(key=lambda item: float(np.median(item[1])) if len(item[1]) else -np.inf)
    ax = _axes(ax, (8.0, 0.45 * len(groups) + 2.0))
    ax.set_title("Composite score by cohort")
    ax.set_xlabel("Composite score (0-100)")
    ax.set_ylabel("Cohort")
    if not groups:
        # boxplot reads an empty list as one empty box.
        ax.set_yticks([])
        _no_data(ax)
        return ax
    ax.boxplot(
        [values for _, values in groups],
        # Cohort values are the API's codes (ugc_video): shown as words.
        tick_labels=[
            chart_text(f"{str(key).replace('_', ' ')} (n={len(values)})") for key, values in groups
        ],
        orientation="horizontal",
    )
    return ax


def shrinkage(
    df: pd.DataFrame,
    metric: str = "ctr",
    by: str | Sequence[str] = "cohort_key",
    *,
    top: int = 25,
    ax: Axes | None = None,
) -> Axes:
    """Draw each ad's raw figure, its shrunk estimate with the 90% interval, and its cohort mean.

    Parameters
    ----------
    df : pandas.DataFrame
        A frame from ``ap.load_top_performers``.
    metric : {"ctr", "roas"}, default "ctr"
    by : str or list of str, default "cohort_key"
    top : int, default 25
        Ads with the most evidence (impressions for ctr, spend for roas) to show.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> from atribu_pandas.display import charts
    >>> sb = ap.sandbox.start()
    >>> top = ap.load_top_performers(limit=50, client=sb.client())
    >>> len(charts.shrinkage(top, "roas").get_yticklabels()) <= 25
    True
    >>> sb.stop()
    """
    metric = check_column(metric, "metric")
    by = check_columns(by, "by")
    top = check_count(top, "top")
    ax = check_axes(ax)
    est = metrics.shrink(df, metric, by)
    est = est.nlargest(top, "evidence").sort_values("estimate", na_position="first")
    names = (
        dict(zip(est["ad_external_id"], est["ad_name"], strict=True))
        if "ad_name" in est.columns
        else None
    )
    labels = [chart_text(x) for x in metrics.entity_labels(est["ad_external_id"], names)]
    cur = currency_of(df)
    ax = _axes(ax, (8.0, 0.35 * len(est) + 2.0))
    y = np.arange(len(est))
    estimate = est["estimate"].to_numpy(dtype="float64")
    err = np.vstack(
        [estimate - est["low"].to_numpy(dtype="float64"), est["high"].to_numpy() - estimate]
    )
    ax.errorbar(
        estimate,
        y,
        xerr=np.clip(err, 0, None),
        fmt="o",
        color=GOOD_COLOR,
        label="Shrunk estimate (90% interval)",
    )
    ax.scatter(
        est["raw"], y, facecolors="none", edgecolors=BAD_COLOR, label="Raw (the ad's own figure)"
    )
    ax.scatter(est["cohort_mean"], y, marker="|", s=120, color="0.2", label="Cohort mean")
    ax.set_yticks(y, labels)
    unit = "CTR (%)" if metric == "ctr" else f"ROAS ({cur} of revenue per {cur} of spend)"
    ax.set_xlabel(unit)
    ax.set_ylabel("Ad")
    ax.set_title(f"{metric.upper()} per ad, shrunk toward its cohort")
    if est.empty:
        _no_data(ax)  # and no legend: it would name markers that are not there
    else:
        ax.legend(**_OUTSIDE)
    return ax
