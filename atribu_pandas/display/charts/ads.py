"""Charts of a top-performers frame's ads: composite score per cohort, and shrinkage.

:func:`cohort_box` and :func:`shrinkage` draw from ``metrics`` (cohorts
and the shrunk estimates), in the theme of :mod:`.theme`; ``df.atribu.plot`` and
``display.charts`` reach them here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from atribu_pandas import metrics
from atribu_pandas.core.language import gettext as _
from atribu_pandas.core.params import check_column, check_columns, check_count
from atribu_pandas.display.charts.theme import (
    _OUTSIDE,
    BAD_COLOR,
    GOOD_COLOR,
    _axes,
    _no_data,
    chart_text,
    check_axes,
)
from atribu_pandas.display.charts.ticks import fit_ticks
from atribu_pandas.display.charts.words import roas_unit
from atribu_pandas.frames.provenance import currency_of
from atribu_pandas.metrics.cohorts import COHORT_GROUPING

__all__ = ["cohort_box", "shrinkage"]


def _as_keys(by: str | Sequence[str]) -> list[str]:
    return [by] if isinstance(by, str) else list(by)


def _cohort_label(key: Any) -> str:
    """A cohort's values joined (``ugc_video · sales``); a missing one says so."""
    parts = key if isinstance(key, tuple) else (key,)
    return " · ".join(str(part) if pd.notna(part) else _("(none)") for part in parts)


def cohort_box(
    df: pd.DataFrame, by: str | Sequence[str] | None = None, *, ax: Axes | None = None
) -> Axes:
    """Draw a box of composite_score per cohort (ads per cohort in the labels).

    Parameters
    ----------
    df : pandas.DataFrame
        A frame from ``ap.load_top_performers``.
    by : str or list of str, optional
        Default ``COHORT_GROUPING`` (format x
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
    ax.set_title(_("Composite score by cohort"))
    ax.set_xlabel(_("Composite score (0-100)"))
    ax.set_ylabel(_("Cohort"))
    if not groups:
        # boxplot reads an empty list as one empty box.
        ax.set_yticks([])
        _no_data(ax)
        return ax
    ax.boxplot(
        [values for _key, values in groups],
        # Cohort values are the API's codes (ugc_video): shown as words.
        tick_labels=[
            chart_text(
                _("{cohort} (n={count})").format(
                    cohort=str(key).replace("_", " "), count=len(values)
                )
            )
            for key, values in groups
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
        label=_("Shrunk estimate (90% interval)"),
    )
    ax.scatter(
        est["raw"],
        y,
        facecolors="none",
        edgecolors=BAD_COLOR,
        label=_("Raw (the ad's own figure)"),
    )
    ax.scatter(est["cohort_mean"], y, marker="|", s=120, color="0.2", label=_("Cohort mean"))
    ax.set_yticks(y, labels)
    unit = _("CTR (%)") if metric == "ctr" else roas_unit(cur, "revenue")
    ax.set_xlabel(unit)
    ax.set_ylabel(_("Ad"))
    ax.set_title(_("{metric} per ad, shrunk toward its cohort").format(metric=metric.upper()))
    fit_ticks(ax.xaxis)
    if est.empty:
        _no_data(ax)  # and no legend: it would name markers that are not there
    else:
        ax.legend(**_OUTSIDE)
    return ax
