"""A client's targets: which rows are on the wrong side of a ROAS or cost target.

Agencies agree targets with each client (a ROAS of at least 2.5x, a cost per outcome of
at most 150); this module says, row by row, which campaigns (or ads) meet them. The
ratios are recomputed from each row's sums, as everywhere in ``metrics``.

Which side is wrong: a ROAS *below* its target, a cost *above* its target. A row is not
judged (its flag is ``<NA>``) when there is nothing to judge: no spend (no ROAS, and no
cost). A row that spent and brought no outcome has no cost per outcome to show (it is
undefined, ``NaN``) but it *does* miss a cost target: whatever the target, its spend
bought nothing, so its flag is ``False``. The same holds for cost per conversation with
no conversation started.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from atribu_pandas.metrics.common import _derived_attrs, require_columns, safe_divide

__all__ = ["TARGET_METRICS", "against_targets", "misses", "target_kind"]

# Each target: (numerator, denominator) candidates in the order frames carry them, and
# whether a higher value is the good side. cpa is the API's cac (spend / outcomes).
TARGET_METRICS: dict[str, tuple[tuple[tuple[str, str], ...], bool]] = {
    "roas": ((("outcome_value", "spend"), ("attributed_revenue", "spend")), True),
    "cpa": ((("spend", "outcome_count"), ("spend", "attributed_cash_outcomes")), False),
    "cost_per_conversation": ((("spend", "messaging_conversations_started"),), False),
}
# Identifying columns carried over to the flags, when the frame has them.
_KEYS = ("profile", "campaign_id", "campaign_name", "ad_external_id", "ad_name", "entity_id")
_LOADERS = {
    "roas": "ap.load_campaigns or ap.load_top_performers",
    "cpa": "ap.load_campaigns or ap.load_top_performers",
    "cost_per_conversation": "ap.load_top_performers (messaging ads)",
}


def target_kind(metric: str) -> str:
    """The display kind of a target's value: ``times`` for ROAS, ``money`` for a cost.

    Parameters
    ----------
    metric : str
        A target's metric, one of :data:`TARGET_METRICS` (``roas``, ``cpa``,
        ``cost_per_conversation``).

    Returns
    -------
    str
        The :class:`~atribu_pandas.reports.Formats` formatter that shows it (see
        :meth:`~atribu_pandas.reports.Formats.by_kind`).

    Examples
    --------
    >>> target_kind("roas"), target_kind("cpa")
    ('times', 'money')
    """
    return "times" if metric == "roas" else "money"


def _parts(df: pd.DataFrame, metric: str) -> tuple[str, str]:
    candidates, _higher = TARGET_METRICS[metric]
    for numerator, denominator in candidates:
        if numerator in df.columns and denominator in df.columns:
            return numerator, denominator
    numerator, denominator = candidates[0]
    require_columns(df, [numerator, denominator], method="against_targets", loader=_LOADERS[metric])
    raise AssertionError("unreachable")  # pragma: no cover


def against_targets(df: pd.DataFrame, targets: Mapping[str, float | None]) -> pd.DataFrame:
    """Return, per row of ``df``, each target's value, the target and whether it is met.

    Parameters
    ----------
    df : pandas.DataFrame
        A campaigns frame (``ap.load_campaigns``) or a top-performers frame; for
        ``cost_per_conversation`` a top-performers frame (only ``/top-performers``
        reports messaging conversations).
    targets : mapping of str to float or None
        ``{"roas": 2.5, "cpa": 150.0, "cost_per_conversation": None}``; None (or an
        absent key) means no target for that metric. Values already checked (> 0).

    Returns
    -------
    pandas.DataFrame
        Same index as ``df``; the identifying columns it has (``campaign_id``,
        ``campaign_name``, ``ad_external_id``, ``ad_name``, ``profile``), then for each
        target given ``<metric>`` (float, recomputed from the row's sums),
        ``<metric>_target`` (float) and ``<metric>_meets`` (nullable boolean: True on
        the right side or on the target itself, False on the wrong side, ``<NA>`` when
        the row has no spend; for ``cost_per_conversation`` also when it started no
        conversation, as an ad that is not a messaging ad does). ``attrs["targets"]``
        holds the targets given.

    Examples
    --------
    >>> import pandas as pd
    >>> rows = pd.DataFrame({"campaign_name": ["A", "B", "C"], "spend": [100.0, 100.0, 0.0],
    ...                      "outcome_value": [300.0, 200.0, 0.0],
    ...                      "outcome_count": [2.0, 0.0, 0.0]})
    >>> flags = against_targets(rows, {"roas": 2.5, "cpa": 60.0})
    >>> flags[["roas", "roas_meets", "cpa", "cpa_meets"]]
       roas  roas_meets   cpa  cpa_meets
    0   3.0        True  50.0       True
    1   2.0       False   NaN      False
    2   NaN        <NA>   NaN       <NA>
    """
    given = {metric: value for metric, value in targets.items() if value is not None}
    out = df[[c for c in _KEYS if c in df.columns]].copy()
    for metric, target in given.items():
        numerator, denominator = _parts(df, metric)
        higher_is_better = TARGET_METRICS[metric][1]
        top = df[numerator].astype("float64")
        bottom = df[denominator].astype("float64")
        value = pd.Series(safe_divide(top, bottom), index=df.index, dtype="float64")
        meets = value >= target if higher_is_better else value <= target
        flags = pd.Series(meets.to_numpy(), index=df.index, dtype="boolean")
        spend = df["spend"].astype("float64")
        # Nothing spent: nothing to judge. Spent with nothing bought: a cost target missed,
        # except a conversation's: an ad that starts none is not a messaging ad (a search
        # or website ad), and its cost per conversation is no goal of it.
        flags[~(spend > 0)] = pd.NA
        if metric == "cost_per_conversation":
            flags[~(bottom > 0)] = pd.NA
        elif not higher_is_better:
            flags[(spend > 0) & ~(bottom > 0)] = False
        out[metric] = value
        out[f"{metric}_target"] = float(target)
        out[f"{metric}_meets"] = flags
    out.attrs = _derived_attrs(df, "against_targets")
    out.attrs["targets"] = {metric: float(value) for metric, value in given.items()}
    return out


def misses(flags: pd.DataFrame, metric: str) -> tuple[int, int]:
    """(rows on the wrong side, rows judged) of one target in :func:`against_targets`'s frame.

    Examples
    --------
    >>> import pandas as pd
    >>> misses(pd.DataFrame({"roas_meets": pd.array([True, False, None], "boolean")}), "roas")
    (1, 2)
    """
    column: Any = flags[f"{metric}_meets"]
    judged = column.dropna()
    return int((~judged.astype(bool)).sum()), len(judged)
