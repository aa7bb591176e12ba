"""The executive summary: a few sentences computed from the data, each traceable below.

Each function returns sentences (figures in Markdown bold) for
:func:`atribu_pandas.reports.show_summary`; every figure is one a table or card further
down the same report shows, computed the same way (ratios from sums).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from atribu_pandas.display.formats import Formats

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "campaign_summary",
    "change_kpis",
    "client_roas_moves",
    "client_summary",
    "period_movers",
    "roas_leaders",
    "top_performer_summary",
    "trend_summary",
    "truncated",
    "truncation_note",
    "week_extremes",
]


def _ratio(num: float, den: float) -> float:
    return float(num) / float(den) if den else float("nan")


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
        The drill-down rows; its first row (most attributed value) is the top entity.
    level : str, default "ad"
        The drill-down's level, in words.
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
(ROAS **2.38×**) and **10** outcomes.
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
        f"Across **{len(campaigns)}** campaigns, **{fmt.money(spend)}** of spend brought back "
        f"**{fmt.money(value)}** in attributed value (ROAS **{fmt.times(_ratio(value, spend))}**)"
        f" and **{fmt.number(outcomes)}** outcomes."
    ]
    if previous is not None and not previous["reference"].isna().all():
        sentences.append(
            f"Against the previous {days} days, spend moved "
            f"**{fmt.signed_percent(previous.at['spend', 'change_pct'])}** (from "
            f"{fmt.money(previous.at['spend', 'reference'])}) and ROAS went from "
            f"**{fmt.times(previous.at['roas', 'reference'])}** to "
            f"**{fmt.times(previous.at['roas', 'current'])}**."
        )
    spent = campaigns[campaigns["spend"] > 0]
    if len(spent) >= 2 and spend:
        roas = spent["outcome_value"] / spent["spend"]
        order = roas.to_numpy().argsort(kind="stable")
        best, worst = spent.iloc[order[-1]], spent.iloc[order[0]]
        sentences.append(
            f"**{best['campaign_name']}** returned the most per unit spent "
            f"(**{fmt.times(roas.max())}** on **{fmt.percent(100 * best['spend'] / spend)}** "
            f"of the spend); **{worst['campaign_name']}** the least "
            f"(**{fmt.times(roas.min())}** on **{fmt.percent(100 * worst['spend'] / spend)}**)."
        )
    if "daily_budget" in campaigns:
        budgeted = campaigns[campaigns["daily_budget"].fillna(0) > 0]
        if len(budgeted):
            allowed = float(budgeted["daily_budget"].sum()) * days
            used = float(budgeted["spend"].sum())
            sentences.append(
                f"Campaigns with a daily budget spent **{fmt.money(used)}** of the "
                f"**{fmt.money(allowed)}** their budgets allow over {days} days "
                f"(**{fmt.percent(100 * used / allowed)}**)."
            )
    if detail is not None and len(detail) and "spend" in detail:
        top = detail.iloc[0]
        why = f"ROAS **{fmt.times(_ratio(top['outcome_value'], top['spend']))}**"
        if "ctr" in detail and not np.isnan(float(top.get("ctr", np.nan))):
            clicks, shown = detail["clicks"].sum(), detail["impressions"].sum()
            why += (
                f", a click-through rate of **{fmt.percent(top['ctr'])}** against "
                f"**{fmt.percent(100 * _ratio(clicks, shown))}** across all "
                f"{level.replace('_', ' ')}s"
            )
        sentences.append(
            f"The {level.replace('_', ' ')} with the most attributed value was "
            f"**{top['campaign_name']}**: **{fmt.money(top['outcome_value'])}** from "
            f"**{fmt.money(top['spend'])}** of spend ({why})."
        )
    return sentences


def client_summary(clients: pd.DataFrame, fmt: Formats) -> list[str]:
    """Return 2 or 3 sentences on an agency's clients: totals, best and weakest ROAS.

    Parameters
    ----------
    clients : pandas.DataFrame
        ``compare_periods_by("profile")``: ``profile``, ``spend_current``,
        ``outcome_value_current``, ``roas_current``, ``roas_reference``.

    Examples
    --------
    >>> import pandas as pd
    >>> clients = pd.DataFrame({"profile": ["A", "B"], "spend_current": [100.0, 300.0],
    ...                         "outcome_value_current": [400.0, 300.0],
    ...                         "roas_current": [4.0, 1.0], "roas_reference": [3.0, None]})
    >>> for s in client_summary(clients, Formats()): print(s)
    **2** clients spent **$400** and brought back **$700** (ROAS **1.75×**).
    **A** has the best ROAS, **4.00×** (3.00× in the previous period); **B** the weakest, \
**1.00×** (– in the previous period).
    """
    if clients.empty:
        return []
    spend = float(clients["spend_current"].sum())
    value = float(clients["outcome_value_current"].sum())
    sentences = [
        f"**{len(clients)}** clients spent **{fmt.money(spend)}** and brought back "
        f"**{fmt.money(value)}** (ROAS **{fmt.times(_ratio(value, spend))}**)."
    ]
    ranked = clients.dropna(subset=["roas_current"]).sort_values("roas_current")
    if len(ranked) >= 2:
        best, worst = ranked.iloc[-1], ranked.iloc[0]
        sentences.append(
            f"**{best['profile']}** has the best ROAS, **{fmt.times(best['roas_current'])}** "
            f"({fmt.times(best['roas_reference'])} in the previous period); "
            f"**{worst['profile']}** the weakest, **{fmt.times(worst['roas_current'])}** "
            f"({fmt.times(worst['roas_reference'])} in the previous period)."
        )
    return sentences


def top_performer_summary(ads: pd.DataFrame, codes: pd.DataFrame, fmt: Formats) -> list[str]:
    """Return 2 or 3 sentences on the leaderboard: the leader, why, and the evidence.

    Examples
    --------
    >>> import pandas as pd
    >>> ads = pd.DataFrame({"ad_name": ["Reel"], "composite_score": [91.5],
    ...                     "top_performer_likelihood": [0.8], "spend": [120.0],
    ...                     "roas": [3.0], "maturity_stage": ["early"]})
    >>> codes = pd.DataFrame({"ad_name": ["Reel"], "polarity": ["strength"],
    ...                       "layer": ["attention"], "code": ["hook_rate_high"],
    ...                       "percentile": [97.0]})
    >>> top_performer_summary(ads, codes, Formats())[1]
    'Its strongest reason: **hook rate high** (attention, 97th percentile of its cohort).'
    """
    if ads.empty:
        return []
    lead = ads.iloc[0]
    sentences = [
        f"**{len(ads)}** ads were scored; **{lead['ad_name']}** leads with a score of "
        f"**{fmt.number(lead['composite_score'], 1)}** and a "
        f"**{fmt.percent(100 * float(lead['top_performer_likelihood']))}** chance of being a "
        f"real top performer, on **{fmt.money(lead['spend'])}** of spend (ROAS "
        f"**{fmt.times(lead['roas'])}**)."
    ]
    mine = codes[(codes["ad_name"] == lead["ad_name"]) & (codes["polarity"] == "strength")]
    if len(mine) and "percentile" in mine:
        best = mine.sort_values("percentile", ascending=False).iloc[0]
        sentences.append(
            f"Its strongest reason: **{str(best['code']).replace('_', ' ')}** "
            f"({best['layer']}, {fmt.number(best['percentile'])}th percentile of its cohort)."
        )
    if "maturity_stage" in ads:
        young = int(ads["maturity_stage"].astype(str).isin(["cold", "early"]).sum())
        if young:
            sentences.append(
                f"**{young}** of the {len(ads)} ads are still cold or early: their places "
                "may change as they gather data."
            )
    return sentences


def trend_summary(weekly: pd.DataFrame, fmt: Formats, *, level: str) -> list[str]:
    """Return 2 sentences on weekly spend: the total and the biggest mover of the last week.

    Parameters
    ----------
    weekly : pandas.DataFrame
        Weekly spend, one row per week (oldest first), one column per entity.

    Examples
    --------
    >>> import pandas as pd
    >>> weekly = pd.DataFrame({"A": [100.0, 150.0], "B": [80.0, 40.0]})
    >>> for s in trend_summary(weekly, Formats(), level="campaign"): print(s)
    The **2** campaigns followed spent **$370** over **2** weeks.
    From the week before to the last week, **A** moved the most: **$100** to **$150**.
    """
    if weekly.empty:
        return []
    noun = level.replace("_", " ") + "s"
    sentences = [
        f"The **{weekly.shape[1]}** {noun} followed spent "
        f"**{fmt.money(weekly.to_numpy().sum())}** over **{len(weekly)}** weeks."
    ]
    if len(weekly) >= 2:
        change = (weekly.iloc[-1] - weekly.iloc[-2]).abs()
        mover = change.idxmax()
        sentences.append(
            f"From the week before to the last week, **{mover}** moved the most: "
            f"**{fmt.money(weekly[mover].iloc[-2])}** to **{fmt.money(weekly[mover].iloc[-1])}**."
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
        "Spend": ("spend", fmt.money),
        "Attributed value": ("outcome_value", fmt.money),
        "Outcomes": ("outcome_count", fmt.number),
        "ROAS": ("roas", fmt.times),
        "Cost per outcome": ("cac", fmt.money),
    }
    return {
        label: f"{fmt.signed_percent(totals.at[metric, 'change_pct'])} "
        f"(from {show(totals.at[metric, 'reference'])})"
        for label, (metric, show) in shown.items()
    }


def period_movers(change: Any, fmt: Formats, name: str = "campaign_name") -> list[str]:
    """Up to three ROAS moves (entities with enough outcomes), then the new and the gone.

    ``change`` is a :class:`~atribu_pandas.metrics.PeriodComparison`.
    """
    table = change.table
    movers = table[(table["status"] == "both") & ~table["low_evidence"]]
    movers = movers.reindex(movers["roas_change"].abs().sort_values(ascending=False).index)
    lines = [
        f"ROAS of **{getattr(row, name)}** {'rose' if row.roas_change > 0 else 'fell'} "
        f"from {fmt.times(row.roas_reference)} to {fmt.times(row.roas_current)}."
        for row in movers.head(3).itertuples()
        if not np.isnan(row.roas_change) and row.roas_change != 0
    ]
    for status, verb in (("new", "new in this period"), ("gone", "gone since the last")):
        names = table.loc[table["status"] == status, name].tolist()
        if names:
            lines.append(f"{len(names)} {verb}: {', '.join(names[:3])}.")
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
they cost: B.'
    """
    ranked = frame.dropna(subset=["roas"]).sort_values("roas", ascending=False)
    if ranked.empty:
        return ""
    best = ranked.iloc[0]
    text = f"**{best[name]}** returned the most per unit of spend ({fmt.times(best['roas'])})."
    below = ranked[ranked["roas"] < 1]
    if len(below):
        names = ", ".join(below[name])
        text += f" {len(below)} of them earned back less than they cost: {names}."
    return text


def week_extremes(totals: pd.DataFrame, fmt: Formats, last_day: Any) -> str:
    """The best and the weakest complete, settled week of ``period_totals()``, in a sentence."""
    full = totals[~totals["is_partial"] & ~totals["restating"]].dropna(subset=["roas"])
    if full.empty:
        return ""
    # Stable sorts: of tied weeks, the first one, as idxmax and idxmin would pick.
    best = full.sort_values("roas", ascending=False, kind="stable").iloc[0]
    worst = full.sort_values("roas", kind="stable").iloc[0]
    return (
        f"Over the 12 weeks to {fmt.date(last_day)}, the best complete week started "
        f"{fmt.date(best['period_start'])} (ROAS {fmt.times(best['roas'])}) and the "
        f"weakest started {fmt.date(worst['period_start'])} ({fmt.times(worst['roas'])})."
    )


def truncation_note(frame: pd.DataFrame, what: str) -> str:
    """A note when the API sent as many rows as asked for (more may exist), else "".

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"spend": [1.0, 2.0]})
    >>> frame.attrs["atribu"] = {"params": {"limit": 2}}
    >>> truncation_note(frame, "campaigns")
    '*Note: the API returns at most 2 campaigns at a time and returned that many, so more \
campaigns may have run in this window: these totals cover the 2 with the most attributed \
value only.*'
    """
    if not truncated(frame):
        return ""
    n = len(frame)
    return (
        f"*Note: the API returns at most {n} {what} at a time and returned that many, so more "
        f"{what} may have run in this window: these totals cover the {n} with the most "
        "attributed value only.*"
    )


def client_roas_moves(clients: pd.DataFrame, fmt: Formats, at_least: float = 0.25) -> list[str]:
    """One sentence per client whose ROAS moved by ``at_least`` or more against the last period.

    ``clients`` is ``compare_periods_by("profile")``.

    Examples
    --------
    >>> import pandas as pd
    >>> clients = pd.DataFrame({"profile": ["A", "B"], "roas_reference": [2.0, 3.0],
    ...                         "roas_current": [3.0, 3.1], "roas_change": [1.0, 0.1]})
    >>> client_roas_moves(clients, Formats())
    ['ROAS of **A** rose from 2.00× to 3.00×.']
    """
    moves = []
    for profile, before, after, change in zip(
        clients["profile"],
        clients["roas_reference"],
        clients["roas_current"],
        clients["roas_change"].astype(float),
        strict=True,
    ):
        if not np.isnan(change) and abs(change) >= at_least:
            verb = "rose" if change > 0 else "fell"
            moves.append(
                f"ROAS of **{profile}** {verb} from {fmt.times(before)} to {fmt.times(after)}."
            )
    return moves


def truncated(frame: pd.DataFrame) -> bool:
    """Whether the API sent as many rows as were asked for, so more may exist.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"spend": [1.0, 2.0]})
    >>> frame.attrs["atribu"] = {"params": {"limit": 2}}
    >>> truncated(frame)
    True
    """
    limit = frame.attrs.get("atribu", {}).get("params", {}).get("limit")
    return isinstance(limit, int) and len(frame) >= limit
