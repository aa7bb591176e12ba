"""Pacing: whether spend is on course to land on the month's budget.

From the daily spend of a trend frame (``ap.load_campaign_trend``) and a monthly budget,
for the month of one day (``as_of``: a report's last day, never the wall clock):

- ``spend_to_date``: spend from the month's first day to ``as_of``, both included;
- ``days_elapsed`` (the month's days up to ``as_of``, included) and ``days_left`` (after it);
- ``needed_daily``: what is left of the budget divided by the days left (0 when the budget
  is spent already; NaN on the month's last day, when no day is left);
- ``recent_daily``: the mean daily spend over the ``window`` days ending on ``as_of``
  (default 7: the last complete week, so weekdays and weekends weigh as they do), a day
  without a trend row counting as 0 (the API leaves out days without delivery);
- ``projected_spend`` = ``spend_to_date`` + ``recent_daily`` x ``days_left``, and
  ``projected_share`` = ``projected_spend`` / ``monthly_budget`` (1.12 = 112%).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from atribu_pandas.exceptions import ArgumentError
from atribu_pandas.metrics.common import _derived_attrs, require_columns

__all__ = ["PACING_WINDOW", "pacing", "resolve_budget_keys"]

# Days of the recent rate: one week, so a weekday-heavy account is not over-projected.
PACING_WINDOW = 7


def _window_of(df: pd.DataFrame) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    params = (df.attrs.get("atribu") or {}).get("params") or {}
    first, last = params.get("date_from"), params.get("date_to")
    return (
        pd.Timestamp(first) if first else None,
        pd.Timestamp(last) if last else None,
    )


def resolve_budget_keys(
    budget: Mapping[str, float], names: Mapping[str, Any] | None
) -> dict[str, float]:
    """Campaign id to amount: each key is an id, or else a campaign name of ``names``.

    ``names`` maps id to name. A key that is both an id and a name is taken as the id; a
    name two campaigns share, or a key that is neither, is refused, naming the key.

    Examples
    --------
    >>> resolve_budget_keys({"Spring": 100.0, "c2": 50.0}, {"c1": "Spring", "c2": "Brand"})
    {'c1': 100.0, 'c2': 50.0}
    """
    names = dict(names or {})
    by_name: dict[str, list[str]] = {}
    for entity, name in names.items():
        by_name.setdefault(str(name), []).append(str(entity))
    resolved: dict[str, float] = {}
    for key, amount in budget.items():
        ids = [key] if key in names else by_name.get(key, [])
        if len(ids) != 1:
            allowed = (
                "a campaign id, or a name only one campaign has"
                if ids
                else "the id or name of a campaign with spend in the month"
            )
            raise ArgumentError(f"monthly_budget[{key!r}]", key, allowed)
        if ids[0] in resolved:
            raise ArgumentError(
                f"monthly_budget[{key!r}]", key, "one amount per campaign (given twice)"
            )
        resolved[ids[0]] = float(amount)
    return resolved


def pacing(
    df: pd.DataFrame,
    monthly_budget: float | Mapping[str, float],
    *,
    as_of: Any = None,
    window: int = PACING_WINDOW,
    names: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """Month-to-date spend, the pace the budget needs and where the recent rate lands.

    Parameters
    ----------
    df : pandas.DataFrame
        A trend frame (``entity_id``, ``date``, ``spend``) covering the month's first day
        (or the ``window`` days before ``as_of``, if earlier) to ``as_of``.
    monthly_budget : float or mapping of str to float
        One amount for all the frame's entities together (one row out), or an amount per
        campaign, keyed by id or by name (``names``): one row per campaign. Checked (> 0).
    as_of : date-like, optional
        The last day counted; default the frame's ``date_to`` (its load's last day).
    window : int, default 7
        Days of the recent daily rate, ending on ``as_of``.
    names : mapping of id to name, optional
        Names shown, and how a budget keyed by name finds its campaign.

    Returns
    -------
    pandas.DataFrame
        ``campaign_id`` and ``campaign_name`` (``<NA>`` on the whole-budget row),
        ``monthly_budget``, ``spend_to_date``, ``days_elapsed``, ``days_left``,
        ``needed_daily``, ``recent_daily``, ``projected_spend``, ``projected_share``;
        ``attrs["pacing"]``: ``month`` (first day), ``as_of`` and ``window``.

    Examples
    --------
    >>> import pandas as pd
    >>> days = pd.date_range("2026-11-01", "2026-11-20")
    >>> trend = pd.DataFrame({"entity_id": "c1", "date": days, "spend": 100.0})
    >>> row = pacing(trend, 4000, as_of="2026-11-20").iloc[0]
    >>> [float(row[c]) for c in ("spend_to_date", "days_left", "needed_daily", "projected_share")]
    [2000.0, 10.0, 200.0, 0.75]
    """
    require_columns(
        df, ["entity_id", "date", "spend"], method="pacing", loader="ap.load_campaign_trend"
    )
    first_loaded, last_loaded = _window_of(df)
    dates = pd.to_datetime(df["date"])
    if as_of is None:
        as_of = last_loaded if last_loaded is not None else dates.max()
    if as_of is None or pd.isna(as_of):
        raise ArgumentError("as_of", as_of, "the last day to count (the frame has no rows)")
    day = pd.Timestamp(as_of).normalize()
    month = day.replace(day=1)
    recent_start = day - pd.Timedelta(days=window - 1)
    needs = min(month, recent_start)
    if first_loaded is not None and first_loaded > needs:
        raise ArgumentError(
            "df",
            f"a trend from {first_loaded.date()}",
            f"a trend from {needs.date()} (the month's first day, or {window} days before "
            f"{day.date()}) to {day.date()}",
        )
    daily = df.assign(date=dates).groupby(["entity_id", "date"], sort=False)["spend"].sum()
    ids = list(dict.fromkeys(str(e) for e in df["entity_id"]))
    if isinstance(monthly_budget, Mapping):
        budgets = resolve_budget_keys(monthly_budget, names or dict.fromkeys(ids, ""))
        groups: list[tuple[Any, list[str], float]] = [
            (entity, [entity], amount) for entity, amount in budgets.items()
        ]
    else:
        groups = [(pd.NA, ids, float(monthly_budget))]
    days_in_month = month.days_in_month
    elapsed = int(day.day)
    left = days_in_month - elapsed
    rows = []
    for entity, members, budget in groups:
        picked = daily[daily.index.get_level_values(0).isin(members)]
        when = picked.index.get_level_values(1)
        to_date = float(picked[(when >= month) & (when <= day)].sum())
        recent = float(picked[(when >= recent_start) & (when <= day)].sum()) / window
        projected = to_date + recent * left
        rows.append(
            {
                "campaign_id": entity,
                "campaign_name": (names or {}).get(entity, pd.NA) if entity is not pd.NA else pd.NA,
                "monthly_budget": budget,
                "spend_to_date": to_date,
                "days_elapsed": elapsed,
                "days_left": left,
                "needed_daily": max(budget - to_date, 0.0) / left if left else np.nan,
                "recent_daily": recent,
                "projected_spend": projected,
                "projected_share": projected / budget,
            }
        )
    out = pd.DataFrame(rows)
    out["campaign_id"] = out["campaign_id"].astype("string")
    out["campaign_name"] = out["campaign_name"].astype("string")
    out.attrs = _derived_attrs(df, "pacing")
    out.attrs["pacing"] = {
        "month": month.date().isoformat(),
        "as_of": day.date().isoformat(),
        "window": window,
    }
    return out
