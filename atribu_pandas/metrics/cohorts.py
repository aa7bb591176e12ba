"""Top-performer ads summarised per cohort, ratios pooled from sums: ``compare_cohorts``."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from atribu_pandas.metrics.common import (
    _LOADER_TOP,
    _as_float,
    _as_list,
    _derived_attrs,
    require_columns,
    safe_divide,
)

__all__ = ["COHORT_GROUPING", "compare_cohorts"]

# Cohorts of several ads each: Atribu's own cohort_key is nearly one per ad (44 cohorts
# for 50 ads in the sandbox), format x objective gives groups worth comparing (15 for 50).
COHORT_GROUPING: tuple[str, ...] = ("cohort_format", "cohort_objective")


def compare_cohorts(df: pd.DataFrame, by: str | Sequence[str] | None = None) -> pd.DataFrame:
    """Summarise top-performer ads per cohort, with ratios pooled from sums.

    Parameters
    ----------
    df : pandas.DataFrame
        A frame from ``ap.load_top_performers``.
    by : str or list of str, optional
        Cohort columns; default :data:`COHORT_GROUPING`, format x objective
        (``cohort_format``, ``cohort_objective``), which groups several ads per cohort.
        ``"cohort_key"`` is Atribu's own, finer cohort (nearly one per ad).

    Returns
    -------
    pandas.DataFrame
        One row per cohort (missing keys form their own cohort), sorted by spend, largest
        first: the keys, ``ads``, ``spend``, ``attributed_revenue``,
        ``attributed_cash_outcomes``, pooled ``roas`` and ``cac`` (ratios of the sums),
        ``composite_score_median``, ``composite_score_iqr`` (75th minus 25th percentile),
        ``spend_share`` (fraction of the frame's spend, 0-1), ``best_ad`` and
        ``best_ad_external_id`` (highest composite_score).

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> sb = ap.sandbox.start()
    >>> top = ap.load_top_performers(limit=50, client=sb.client())
    >>> top.atribu.compare_cohorts()[["cohort_key", "ads", "roas"]]  # doctest: +SKIP
    >>> sb.stop()
    """
    keys = _as_list(COHORT_GROUPING if by is None else by)
    need = [
        *keys,
        "ad_external_id",
        "ad_name",
        "spend",
        "attributed_revenue",
        "attributed_cash_outcomes",
        "composite_score",
    ]
    require_columns(df, need, method="compare_cohorts", loader=_LOADER_TOP)
    grouped = df.groupby(keys, observed=True, sort=False, dropna=False)
    score = grouped["composite_score"]
    out = grouped[["spend", "attributed_revenue", "attributed_cash_outcomes"]].sum()
    out.insert(0, "ads", grouped.size().astype("Int64"))
    out["roas"] = safe_divide(out["attributed_revenue"], out["spend"])
    out["cac"] = safe_divide(out["spend"], out["attributed_cash_outcomes"])
    out["composite_score_median"] = score.median()
    out["composite_score_iqr"] = score.quantile(0.75) - score.quantile(0.25)
    out["spend_share"] = safe_divide(out["spend"], np.full(len(out), df["spend"].sum()))
    # By group number, not by key: a missing key (NaN) never matches in a reindex.
    codes = grouped.ngroup().to_numpy()
    by_score = np.lexsort((-_as_float(df["composite_score"]), codes))
    starts = np.ones(len(by_score), dtype=bool)
    starts[1:] = codes[by_score][1:] != codes[by_score][:-1]
    first = by_score[starts]
    out["best_ad"] = pd.array(df["ad_name"].to_numpy()[first], dtype="string")
    out["best_ad_external_id"] = pd.array(df["ad_external_id"].to_numpy()[first], dtype="string")
    out = out.sort_values("spend", ascending=False, kind="stable").reset_index()
    out.attrs = _derived_attrs(df, "compare_cohorts", summed_by=keys)
    return out
