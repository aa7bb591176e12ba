"""A report's pacing section: the month's campaigns and their daily spend, then the section.

:func:`load_pacing` is what ``campaign_performance`` calls when it is given a
``monthly_budget``: the month is the one of the report's last day (``date_to``, never the
wall clock), its campaigns come from ``/campaigns`` for the month's first day to
``date_to``, and their daily spend from ``/campaigns/trend`` (from the month's first day,
or 7 days before ``date_to`` when that is earlier, so the recent rate has its week);
:func:`show_pacing` shows the section: a heading, cards, the table (shown when the budget
is per campaign, else exported only) and how the figures are counted.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

from atribu_pandas.core.language import gettext as _
from atribu_pandas.core.language import ngettext
from atribu_pandas.core.params import check_monthly_budget
from atribu_pandas.loaders import load_campaign_trend, load_campaigns
from atribu_pandas.metrics.budget import PACING_WINDOW, resolve_budget_keys
from atribu_pandas.reports.blocks import export_table, show_kpis, show_table
from atribu_pandas.reports.helpers import (
    current,
    show_markdown,
)
from atribu_pandas.reports.summary import truncation_note

__all__ = ["load_pacing", "show_pacing"]


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


def show_pacing(pace: pd.DataFrame, month: pd.DataFrame) -> None:
    """Show the pacing section of :func:`load_pacing`'s frames, and export its table.

    A heading, cards (budget, spent, projected month-end spend and its share of the
    budget), the table per campaign (exported only, for ``--tables``, when one budget
    covers them all), the truncation note and how the figures are counted.

    Parameters
    ----------
    pace : pandas.DataFrame
        The pacing frame, the first of what :func:`load_pacing` returns.
    month : pandas.DataFrame
        The month's campaigns, the second: its truncation note says when the API's 100
        rows may leave campaigns out.

    Examples
    --------
    >>> pace, month = load_pacing("2026-11-15", 30_000)
    >>> round(float(pace["projected_share"].iloc[0]), 2)  # on course for 95% of the budget
    0.95
    >>> show_pacing(pace, month)  # shows HTML in a notebook  # doctest: +SKIP
    """
    fmt = current().formats
    info = pace.attrs["pacing"]
    whole = bool(pace["campaign_id"].isna().all())
    show_markdown("## " + _("Pacing against the monthly budget"))
    budget = float(pace["monthly_budget"].sum())
    cards: dict[str, tuple[Any, str]] = {
        _("Monthly budget"): (budget, "money"),
        _("Spent this month"): (pace["spend_to_date"].sum(), "money"),
        _("Recent daily spend"): (pace["recent_daily"].sum(), "money"),
        _("Projected month-end spend"): (pace["projected_spend"].sum(), "money"),
        _("Projected share of budget"): (pace["projected_spend"].sum() / budget, "fraction"),
    }
    if whole:
        cards[_("Needed per day")] = (pace["needed_daily"].iloc[0], "money")
    show_kpis(cards)
    columns = {
        "campaign_name": (_("Campaign"), "text"),
        "monthly_budget": (_("Monthly budget"), "money"),
        "spend_to_date": (_("Spent this month"), "money"),
        "needed_daily": (_("Needed per day"), "money"),
        "recent_daily": (_("Recent daily spend"), "money"),
        "projected_spend": (_("Projected month-end spend"), "money"),
        "projected_share": (_("Projected share of budget"), "fraction"),
        "days_elapsed": (_("Days gone"), "number"),
        "days_left": (_("Days left"), "number"),
    }
    rows = pace.sort_values("projected_share", ascending=False)
    title = _("Pacing against the monthly budget")
    if whole:
        del columns["campaign_name"]
        export_table(rows, columns, name="pacing", title=title)
    else:
        show_table(rows, columns, name="pacing", title=title)
    show_markdown(truncation_note(month))
    left = int(pace["days_left"].iloc[0])
    text = ngettext(
        "Counted from {first} to {day}, the report's last day: {left} day of the month is "
        "left. *Spent this month* is the platforms' daily spend since {first}; *recent "
        "daily spend* is the average of the {window} days to {day} (a day without delivery "
        "counts as zero); the *projected month-end spend* adds that rate for each day left, "
        "and *needed per day* spreads what is left of the budget over them.",
        "Counted from {first} to {day}, the report's last day: {left} days of the month are "
        "left. *Spent this month* is the platforms' daily spend since {first}; *recent "
        "daily spend* is the average of the {window} days to {day} (a day without delivery "
        "counts as zero); the *projected month-end spend* adds that rate for each day left, "
        "and *needed per day* spreads what is left of the budget over them.",
        left,
    )
    show_markdown(
        text.format(
            first=fmt.date(info["month"]),
            day=fmt.date(info["as_of"]),
            left=left,
            window=info["window"],
        )
    )
