"""The loads behind a report's pacing section: the month's campaigns and their daily spend.

:func:`load_pacing` is what ``campaign_performance`` calls when it is given a
``monthly_budget``: the month is the one of the report's last day (``date_to``, never the
wall clock), its campaigns come from ``/campaigns`` for the month's first day to
``date_to``, and their daily spend from ``/campaigns/trend`` (from the month's first day,
or 7 days before ``date_to`` when that is earlier, so the recent rate has its week).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

from atribu_pandas.core.params import check_monthly_budget
from atribu_pandas.loaders import load_campaign_trend, load_campaigns
from atribu_pandas.metrics.pacing import PACING_WINDOW, resolve_budget_keys

__all__ = ["load_pacing"]


def load_pacing(
    date_to: Any,
    monthly_budget: float | Mapping[str, float],
    *,
    model: str = "last_touch",
    keep: Callable[[pd.DataFrame], pd.DataFrame] = lambda frame: frame,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Load the month to ``date_to`` and pace it: ``(pacing frame, the month's campaigns)``.

    Parameters
    ----------
    date_to : date-like
        The report's last day.
    monthly_budget : float or mapping of str to float
        One amount for all the campaigns with spend in the month, or one per campaign
        keyed by campaign id or by name (a name must be one campaign's, among the month's
        campaigns with spend or value).
    model : str, default "last_touch"
        The model of the month's campaigns load (spend is the same under every model).
    keep : callable, optional
        The report's ``keep`` (the appendix lists every load).

    Returns
    -------
    tuple of pandas.DataFrame
        :func:`atribu_pandas.metrics.pacing`'s frame, and the month's campaigns (its
        truncation note tells when the API's 100 rows may leave campaigns out).

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> with ap.sandbox.start() as sb:
    ...     ap.set_default_client(sb.client())
    ...     pace, month = load_pacing("2026-03-20", 30_000)
    ...     ap.set_default_client(None)
    >>> round(float(pace["spend_to_date"].iloc[0]), 2) == round(float(month["spend"].sum()), 2)
    True
    """
    budget = check_monthly_budget(monthly_budget)
    day = pd.Timestamp(date_to).normalize()
    month = day.replace(day=1)
    start = min(month, day - pd.Timedelta(days=PACING_WINDOW - 1))
    campaigns = keep(load_campaigns(month.date(), day.date(), model=model, level="campaign"))
    names = dict(zip(campaigns["campaign_id"], campaigns["campaign_name"], strict=True))
    if isinstance(budget, Mapping):
        ids = list(resolve_budget_keys(budget, names))
    else:
        ids = campaigns.loc[campaigns["spend"] > 0, "campaign_id"].tolist()
    if ids:
        trend = keep(load_campaign_trend(ids, start.date(), day.date(), level="campaign"))
    else:
        trend = pd.DataFrame({"entity_id": [], "date": pd.to_datetime([]), "spend": []})
        trend.attrs["atribu"] = {
            "params": {"date_from": start.date().isoformat(), "date_to": day.date().isoformat()}
        }
    return trend.atribu.pacing(budget, as_of=day, names=names), campaigns
