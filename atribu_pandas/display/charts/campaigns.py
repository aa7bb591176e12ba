"""Charts of ``/campaigns`` and top-performer frames' entities: ROAS, spend against value,
credit by attribution model.

Each function takes the frame, draws on ``ax`` (a new figure when ``ax`` is None), labels
the axes with units and the currency (``df.attrs["currency"]`` or the loader's recorded
currency, USD by default), shows names rather than ids, and returns the Axes. The numbers
come from ``metrics``, so a chart shows the same figures as the tables.
The ads' cohort and shrinkage charts are in :mod:`.ads`; the theme and currency come
from ``display.charts.theme``, the words per level from :mod:`.words`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from atribu_pandas import metrics
from atribu_pandas.core.language import N_
from atribu_pandas.core.language import gettext as _
from atribu_pandas.core.params import check_column, check_count, check_target
from atribu_pandas.display.charts.theme import (
    BAD_COLOR,
    BREAK_EVEN_COLOR,
    GOOD_COLOR,
    SHARE_CMAP,
    _axes,
    _no_data,
    chart_formats,
    chart_text,
    check_axes,
    legend_below,
    locale_of,
    spread_labels,
    target_line,
    thousands,
)
from atribu_pandas.display.charts.ticks import fit_ticks
from atribu_pandas.display.charts.words import (
    DOTS,
    LEVEL_NAMES,
    METRIC_WORDS,
    ROAS_TITLES,
    SCATTER_TITLES,
    level_phrase,
    not_shown,
    roas_unit,
)
from atribu_pandas.frames.provenance import currency_of

__all__ = [
    "model_heatmap",
    "roas_bar",
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
        return "attributed_revenue", "attributed_cash_outcomes", N_("Attributed revenue")
    return "outcome_value", "outcome_count", N_("Outcome value")


def _per_entity(df: pd.DataFrame, method: str) -> tuple[pd.DataFrame, str]:
    id_col, name_col, word = _entity(df)
    value, outcomes, _name = _value_column(df)
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
        label=_("Fewer than {n} outcomes: read with care").format(n=LOW_EVIDENCE_OUTCOMES),
    )


def roas_bar(
    df: pd.DataFrame, *, top: int = 15, target: float | None = None, ax: Axes | None = None
) -> Axes:
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
    target : float, optional
        The client's ROAS target (> 0): a green dash-dotted line, named in the legend
        ("Target 2.50×", in the chart's locale); the axis reaches it.
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
    >>> ax = charts.roas_bar(df, target=2.5)
    >>> [t.get_text() for t in ax.get_legend().get_texts()][-1]
    'Target 2.50×'
    >>> sb.stop()
    """
    top = check_count(top, "top")
    target = check_target(target, "target")
    ax = check_axes(ax)
    table, word = _per_entity(df, "plot.roas_bar")
    # No spend means no ROAS at all, not a ROAS of 0: such entities get no bar.
    undefined = table["roas"].isna()
    table = table[~undefined].nlargest(top, "spend").sort_values("roas")
    cur = currency_of(df)
    formats = chart_formats(df)
    # Wide and low, so a report page holds two charts; the legend goes under the axes.
    ax = _axes(ax, (9.0, max(3.0, 0.3 * len(table) + 2.0)))
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
        ax.set_xlim(0, max(float(np.nanmax(roas)), 1.0, target or 0.0) * 1.15)
    line = ax.axvline(1.0, color=BREAK_EVEN_COLOR, linestyle="--")
    ax.set_title(level_phrase(word, ROAS_TITLES))
    ax.set_xlabel(roas_unit(cur))
    ax.set_ylabel(level_phrase(word, LEVEL_NAMES))
    fit_ticks(ax.xaxis)
    # The bars take one of two colours, so the legend shows both swatches (those drawn),
    # not one "ROAS" entry that would carry whichever colour the first bar has.
    handles: list[Patch | Line2D] = [
        Patch(color=color, label=text)
        for color, text, drawn in (
            (GOOD_COLOR, _("ROAS ≥ 1 (value covers spend)"), bool((roas >= 1).any())),
            (BAD_COLOR, _("ROAS < 1 (value short of spend)"), bool((roas < 1).any())),
        )
        if drawn
    ]
    if few:
        handles.append(_low_evidence_patch())
    handles.append(
        Line2D([], [], color=line.get_color(), linestyle="--", label=_("Break-even (ROAS = 1)"))
    )
    if target is not None:
        handles.append(target_line(ax, target, formats, vertical=True))
    # Under the axes: beside them, the legend squeezes a narrow figure (the explorer's
    # 550 px) and can cover the longest bar's value.
    legend = legend_below(ax, handles, ncol=2)
    if df.empty:
        _no_data(ax)
    left_out = int(undefined.sum())
    if left_out:
        # Under the legend, so the two never overlap.
        ax.annotate(
            not_shown(left_out, word),
            (0.0, 0.0),
            xycoords=legend,
            xytext=(0, -4),
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
        Name the points among the ``label`` with the most spend, the ``label`` with the
        most value and the ``label`` with the most outcomes (the biggest dots): every dot
        the eye goes to (far right, high up, large) has its name.
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
    ax = _axes(ax, (9.0, 4.8))
    spend = table["spend"].to_numpy(dtype="float64", na_value=np.nan)
    val = table[value].to_numpy(dtype="float64", na_value=np.nan)
    count = np.nan_to_num(table[outcomes].to_numpy(dtype="float64", na_value=np.nan))
    # Area proportional to outcomes, scaled so the largest point stays readable.
    peak = float(count.max(initial=0.0))
    sizes = 20 + 380 * count / peak if peak > 0 else np.full(len(count), 40.0)
    if len(table):
        # An empty scatter would still put a marker in the legend.
        ax.scatter(spend, val, s=sizes, alpha=0.6, color=GOOD_COLOR, label=level_phrase(word, DOTS))
    # Axes fitted to the points (from 0), not stretched to reach the break-even line:
    # the line is drawn across whatever the axes show.
    if len(table):
        ax.set_xlim(0, float(np.nanmax(np.append(spend, 1.0))) * 1.1)
        ax.set_ylim(0, float(np.nanmax(np.append(val, 1.0))) * 1.12)
    ax.axline((0, 0), slope=1, color=BREAK_EVEN_COLOR, linestyle="--", label=_("ROAS = 1"))
    right = 0.6 * float(np.nanmax(np.append(spend, 1.0)))
    texts = [
        # Names of points on the right run leftwards, so they stay inside the axes.
        ax.text(
            spend[i],
            val[i],
            chart_text(table["label"].iloc[i]),
            fontsize=8,
            ha="right" if spend[i] > right else "left",
        )
        for i in _named(label, spend, val, count)
    ]
    ax.set_title(level_phrase(word, SCATTER_TITLES).format(value=_(METRIC_WORDS[value])))
    ax.set_xlabel(_("Spend ({currency})").format(currency=cur))
    ax.set_ylabel(_("{value} ({currency})").format(value=_(value_name), currency=cur))
    thousands(ax.xaxis, locale_of(df))
    thousands(ax.yaxis, locale_of(df))
    fit_ticks(ax.xaxis)
    # Under the axes: beside them a long name pushed right would run into it.
    legend_below(ax, ncol=2)
    spread_labels(ax, texts, spend, val)
    if table.empty:
        _no_data(ax)
    return ax


def _named(label: int, spend: Any, value: Any, outcomes: Any) -> list[int]:
    """The rows whose dots get a name: the union of the ``label`` largest by spend, by
    value and by outcomes (dot size), most spend first.

    Examples
    --------
    >>> import numpy as np
    >>> _named(1, np.array([5.0, 1.0, 2.0]), np.array([1.0, 9.0, 2.0]), np.array([0, 0, 7]))
    [0, 2, 1]
    """
    order = np.argsort(-np.nan_to_num(np.asarray(spend, dtype="float64")), kind="stable")
    chosen: set[int] = set()
    for column in (spend, value, outcomes):
        ranked = np.argsort(-np.nan_to_num(np.asarray(column, dtype="float64")), kind="stable")
        chosen.update(ranked[:label].tolist())
    return [int(i) for i in order if int(i) in chosen]


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
    words = _(METRIC_WORDS[metric]) if metric in METRIC_WORDS else metric.replace("_", " ")
    ax.set_title(_("Share of {metric} credit by attribution model").format(metric=words))
    ax.set_xlabel(_("Attribution model"))
    ax.set_ylabel(level_phrase(_entity(df)[2], LEVEL_NAMES))
    if shares.empty:
        # No image, hence no colour bar: an empty heat map has no scale to read.
        ax.set_xticks([])
        ax.set_yticks([])
        _no_data(ax)
        return ax
    image = ax.imshow(shares.to_numpy(dtype="float64"), cmap=SHARE_CMAP, aspect="auto")
    ax.figure.colorbar(image, ax=ax, label=_("Share of credit (%)"))
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
