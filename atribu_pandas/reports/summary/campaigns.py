"""The campaign report's sentences: totals, the previous period, best and worst, budgets."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from atribu_pandas.core.language import gettext as _
from atribu_pandas.core.language import ngettext
from atribu_pandas.display.formats import Formats
from atribu_pandas.reports.summary.words import _level, _ratio, _roas_move

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "campaign_summary",
    "change_kpis",
    "period_movers",
    "roas_leaders",
    "truncated",
    "truncation_note",
    "week_extremes",
]


def campaign_summary(
    campaigns: pd.DataFrame,
    fmt: Formats,
    *,
    days: int,
    detail: pd.DataFrame | None = None,
    level: str = "ad",
    previous: pd.DataFrame | None = None,
) -> list[str]:
    """Return 3 to 6 sentences on a campaign window: totals, change, best and worst, pacing, top.

    Parameters
    ----------
    campaigns : pandas.DataFrame
        :func:`~atribu_pandas.load_campaigns` at campaign level (with ``daily_budget``).
    fmt : Formats
        The report's formats.
    days : int
        Days in the window (for the budget: summed daily budgets times days).
    detail : pandas.DataFrame, optional
        The drill-down rows; its first row (most attributed value) is the one named.
    level : str, default "ad"
        The drill-down's level: campaign, ad_set or ad.
    previous : pandas.DataFrame, optional
        ``compare_periods(...).totals`` against the previous window: adds how spend and
        ROAS moved.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"campaign_name": ["A", "B"], "spend": [300.0, 100.0],
    ...                    "outcome_value": [900.0, 50.0], "outcome_count": [9.0, 1.0],
    ...                    "daily_budget": [20.0, None]})
    >>> for s in campaign_summary(df, Formats(), days=10): print(s)
    Across **2** campaigns, **$400** of spend brought back **$950** in attributed value \
(ROAS **2.38×**; outcomes: **10**).
    **A** returned the most per unit spent (**3.00×** on **75.0%** of the spend); \
**B** the least (**0.50×** on **25.0%**).
    Campaigns with a daily budget spent **$300** of the **$200** their budgets allow \
over 10 days (**150.0%**).
    """
    if campaigns.empty:
        return []
    spend, value = float(campaigns["spend"].sum()), float(campaigns["outcome_value"].sum())
    outcomes = float(campaigns["outcome_count"].sum())
    sentences = [
        ngettext(
            "Across **{count}** campaign, **{spend}** of spend brought back **{value}** in "
            "attributed value (ROAS **{roas}**; outcomes: **{outcomes}**).",
            "Across **{count}** campaigns, **{spend}** of spend brought back **{value}** in "
            "attributed value (ROAS **{roas}**; outcomes: **{outcomes}**).",
            len(campaigns),
        ).format(
            count=fmt.number(len(campaigns)),
            spend=fmt.money(spend),
            value=fmt.money(value),
            roas=fmt.times(_ratio(value, spend)),
            outcomes=fmt.number(outcomes),
        )
    ]
    if previous is not None and not previous["reference"].isna().all():
        sentences.append(
            ngettext(
                "Against the previous {days} day, spend moved **{change}** (from {before}) "
                "and ROAS went from **{roas_before}** to **{roas_now}**.",
                "Against the previous {days} days, spend moved **{change}** (from {before}) "
                "and ROAS went from **{roas_before}** to **{roas_now}**.",
                days,
            ).format(
                days=days,
                change=fmt.signed_percent(previous.at["spend", "change_pct"]),
                before=fmt.money(previous.at["spend", "reference"]),
                roas_before=fmt.times(previous.at["roas", "reference"]),
                roas_now=fmt.times(previous.at["roas", "current"]),
            )
        )
    sentences += _best_and_worst(campaigns, fmt, spend)
    sentences += _budget_use(campaigns, fmt, days)
    if detail is not None and len(detail) and "spend" in detail:
        sentences += _top_of_level(detail, fmt, level)
    return sentences


def _best_and_worst(campaigns: pd.DataFrame, fmt: Formats, spend: float) -> list[str]:
    spent = campaigns[campaigns["spend"] > 0]
    if len(spent) < 2 or not spend:
        return []
    roas = spent["outcome_value"] / spent["spend"]
    order = roas.to_numpy().argsort(kind="stable")
    best, worst = spent.iloc[order[-1]], spent.iloc[order[0]]
    return [
        _(
            "**{best}** returned the most per unit spent (**{best_roas}** on **{best_share}** "
            "of the spend); **{worst}** the least (**{worst_roas}** on **{worst_share}**)."
        ).format(
            best=best["campaign_name"],
            best_roas=fmt.times(roas.max()),
            best_share=fmt.percent(100 * best["spend"] / spend),
            worst=worst["campaign_name"],
            worst_roas=fmt.times(roas.min()),
            worst_share=fmt.percent(100 * worst["spend"] / spend),
        )
    ]


def _budget_use(campaigns: pd.DataFrame, fmt: Formats, days: int) -> list[str]:
    if "daily_budget" not in campaigns:
        return []
    budgeted = campaigns[campaigns["daily_budget"].fillna(0) > 0]
    if budgeted.empty:
        return []
    allowed = float(budgeted["daily_budget"].sum()) * days
    used = float(budgeted["spend"].sum())
    return [
        ngettext(
            "Campaigns with a daily budget spent **{used}** of the **{allowed}** their "
            "budgets allow over {days} day (**{share}**).",
            "Campaigns with a daily budget spent **{used}** of the **{allowed}** their "
            "budgets allow over {days} days (**{share}**).",
            days,
        ).format(
            used=fmt.money(used),
            allowed=fmt.money(allowed),
            days=days,
            share=fmt.percent(100 * used / allowed),
        )
    ]


def _top_of_level(detail: pd.DataFrame, fmt: Formats, level: str) -> list[str]:
    top = detail.iloc[0]
    fields = {
        "name": top["campaign_name"],
        "value": fmt.money(top["outcome_value"]),
        "spend": fmt.money(top["spend"]),
        "roas": fmt.times(_ratio(top["outcome_value"], top["spend"])),
    }
    sentences = [
        _level(
            level,
            _(
                "The campaign with the most attributed value was **{name}**: **{value}** "
                "from **{spend}** of spend (ROAS **{roas}**)."
            ),
            _(
                "The ad set with the most attributed value was **{name}**: **{value}** "
                "from **{spend}** of spend (ROAS **{roas}**)."
            ),
            _(
                "The ad with the most attributed value was **{name}**: **{value}** from "
                "**{spend}** of spend (ROAS **{roas}**)."
            ),
        ).format(**fields)
    ]
    if "ctr" in detail and not np.isnan(float(top.get("ctr", np.nan))):
        clicks, shown = detail["clicks"].sum(), detail["impressions"].sum()
        rates = {"ctr": fmt.percent(top["ctr"]), "all": fmt.percent(100 * _ratio(clicks, shown))}
        sentences.append(
            _level(
                level,
                _(
                    "Its click-through rate was **{ctr}**, against **{all}** across the "
                    "campaigns in the drill-down."
                ),
                _(
                    "Its click-through rate was **{ctr}**, against **{all}** across the "
                    "ad sets in the drill-down."
                ),
                _(
                    "Its click-through rate was **{ctr}**, against **{all}** across the ads "
                    "in the drill-down."
                ),
            ).format(**rates)
        )
    return sentences


def change_kpis(totals: pd.DataFrame, fmt: Formats) -> dict[str, str]:
    """Headline cards against the previous window: each metric's change and where it was.

    ``totals`` is ``compare_periods(...).totals``; ROAS and cost per outcome are compared
    as ratios of the totals.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"reference": [100.0, 300.0, 3.0, 3.0, 100 / 3],
    ...                   "change_pct": [10.0, -5.0, 0.0, -13.6, 10.0]},
    ...                  index=["spend", "outcome_value", "outcome_count", "roas", "cac"])
    >>> change_kpis(t, Formats())["Spend"]
    '+10% (from $100)'
    """
    shown = {
        _("Spend"): ("spend", fmt.money),
        _("Attributed value"): ("outcome_value", fmt.money),
        _("Outcomes"): ("outcome_count", fmt.number),
        _("ROAS"): ("roas", fmt.times),
        _("Cost per outcome"): ("cac", fmt.money),
    }
    return {
        label: _("{change} (from {before})").format(
            change=fmt.signed_percent(totals.at[metric, "change_pct"]),
            before=show(totals.at[metric, "reference"]),
        )
        for label, (metric, show) in shown.items()
    }


def period_movers(change: Any, fmt: Formats, name: str = "campaign_name") -> list[str]:
    """Up to three ROAS moves (rows with enough outcomes), then the new and the gone.

    ``change`` is a :class:`~atribu_pandas.metrics.PeriodComparison`.
    """
    table = change.table
    movers = table[(table["status"] == "both") & ~table["low_evidence"]]
    movers = movers.reindex(movers["roas_change"].abs().sort_values(ascending=False).index)
    lines = [
        _roas_move(getattr(row, name), row.roas_reference, row.roas_current, row.roas_change, fmt)
        for row in movers.head(3).itertuples()
        if not np.isnan(row.roas_change) and row.roas_change != 0
    ]
    for status in ("new", "gone"):
        names = table.loc[table["status"] == status, name].tolist()
        if not names:
            continue
        n = len(names)
        sentence = (
            ngettext(
                "{count} new in this period: {names}.", "{count} new in this period: {names}.", n
            )
            if status == "new"
            else ngettext(
                "{count} gone since the previous period: {names}.",
                "{count} gone since the previous period: {names}.",
                n,
            )
        )
        lines.append(sentence.format(count=n, names=", ".join(names[:3])))
    if change.note:
        lines.append(f"*{change.note}*")
    return lines


def roas_leaders(frame: pd.DataFrame, fmt: Formats, name: str = "campaign_name") -> str:
    """Who returned the most per unit of spend, and who earned back less than it cost.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"campaign_name": ["A", "B", "C"], "roas": [2.0, 0.5, 3.0]})
    >>> roas_leaders(df, Formats())
    '**C** returned the most per unit of spend (3.00×). 1 of them earned back less than \
it cost: B.'
    """
    ranked = frame.dropna(subset=["roas"]).sort_values("roas", ascending=False)
    if ranked.empty:
        return ""
    best = ranked.iloc[0]
    text = _("**{name}** returned the most per unit of spend ({roas}).").format(
        name=best[name], roas=fmt.times(best["roas"])
    )
    below = ranked[ranked["roas"] < 1]
    if len(below):
        text += " " + ngettext(
            "{count} of them earned back less than it cost: {names}.",
            "{count} of them earned back less than they cost: {names}.",
            len(below),
        ).format(count=len(below), names=", ".join(below[name]))
    return text


def week_extremes(totals: pd.DataFrame, fmt: Formats, last_day: Any) -> str:
    """The best and the weakest whole, settled week of ``period_totals()``, in a sentence."""
    full = totals[~totals["is_partial"] & ~totals["restating"]].dropna(subset=["roas"])
    if full.empty:
        return ""
    # Stable sorts: of tied weeks, the first one, as idxmax and idxmin would pick.
    best = full.sort_values("roas", ascending=False, kind="stable").iloc[0]
    worst = full.sort_values("roas", kind="stable").iloc[0]
    return _(
        "Over the {weeks} weeks to {day}, the best whole week began on {best_week} (ROAS "
        "{best_roas}) and the weakest on {worst_week} ({worst_roas})."
    ).format(
        weeks=12,
        day=fmt.date(last_day),
        best_week=fmt.date(best["period_start"]),
        best_roas=fmt.times(best["roas"]),
        worst_week=fmt.date(worst["period_start"]),
        worst_roas=fmt.times(worst["roas"]),
    )


def truncation_note(frame: pd.DataFrame, level: str = "campaign") -> str:
    """A note when the API sent as many rows as asked for (more may exist), else "".

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"spend": [1.0, 2.0]})
    >>> frame.attrs["atribu"] = {"params": {"limit": 2}}
    >>> truncation_note(frame)
    '*Note: the API returns at most 2 campaigns at a time and returned that many, so more \
campaigns may have run in this window: these totals cover the 2 with the most attributed \
value only.*'
    """
    if not truncated(frame):
        return ""
    n = len(frame)
    text = _level(
        level,
        _(
            "*Note: the API returns at most {n} campaigns at a time and returned that many, "
            "so more campaigns may have run in this window: these totals cover the {n} with "
            "the most attributed value only.*"
        ),
        _(
            "*Note: the API returns at most {n} ad sets at a time and returned that many, "
            "so more ad sets may have run in this window: these totals cover the {n} with "
            "the most attributed value only.*"
        ),
        _(
            "*Note: the API returns at most {n} ads at a time and returned that many, so "
            "more ads may have run in this window: these totals cover the {n} with the most "
            "attributed value only.*"
        ),
    )
    return text.format(n=n)


def truncated(frame: pd.DataFrame) -> bool:
    """Whether the API sent as many rows as were asked for, so more may exist.

    A report says so under a table or a total made from such a frame: campaigns past the
    limit are missing from it.

    Parameters
    ----------
    frame : pandas.DataFrame
        A frame from a loader; the ``limit`` it was asked with is read from
        ``attrs["atribu"]``.

    Returns
    -------
    bool
        True when the frame has ``limit`` rows or more; False when it has fewer, or
        when no limit was recorded (a frame not from a loader).

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"spend": [1.0, 2.0]})
    >>> frame.attrs["atribu"] = {"params": {"limit": 2}}
    >>> truncated(frame)
    True

    On the sandbox, asking for the top 3 campaigns leaves others out:

    >>> import atribu_pandas as ap
    >>> truncated(ap.load_campaigns("2026-11-02", "2026-11-15", limit=3))
    True
    >>> truncated(ap.load_campaigns("2026-11-02", "2026-11-15"))
    False
    """
    limit = frame.attrs.get("atribu", {}).get("params", {}).get("limit")
    return isinstance(limit, int) and len(frame) >= limit
