"""The sentences on a client's goals: campaigns against the targets, spend against the budget.

The counts are those of :func:`atribu_pandas.metrics.against_targets` (rows with spend are
judged; a row without spend is not counted) and the figures those of
:func:`atribu_pandas.metrics.pacing`, as the report's tables show them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from atribu_pandas.core.language import ngettext
from atribu_pandas.display.formats import Formats
from atribu_pandas.metrics.targets import misses

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["pacing_summary", "target_summary"]


def target_summary(flags: pd.DataFrame, fmt: Formats) -> list[str]:
    """One sentence per target of a campaigns frame's flags: how many campaigns miss it.

    Parameters
    ----------
    flags : pandas.DataFrame
        ``campaigns.atribu.against_targets(...)`` (one row per campaign).
    fmt : Formats
        The report's formats.

    Examples
    --------
    >>> import pandas as pd
    >>> from atribu_pandas.metrics import against_targets
    >>> rows = pd.DataFrame({"spend": [10.0, 10.0, 10.0, 0.0],
    ...                      "outcome_value": [30.0, 10.0, 20.0, 0.0],
    ...                      "outcome_count": [1.0, 1.0, 0.0, 0.0]})
    >>> target_summary(against_targets(rows, {"roas": 2.5, "cpa": 20.0}), Formats())
    ["**2 of 3** campaigns are under the client's ROAS target of **2.50×**.", \
"**1 of 3** campaigns costs more per outcome than the client's target of **$20.00**."]
    """
    sentences = []
    targets = flags.attrs.get("targets") or {}
    if "roas" in targets:
        missed, judged = misses(flags, "roas")
        target = fmt.times(targets["roas"])
        if judged and missed:
            text = ngettext(
                "**{missed} of {n}** campaigns is under the client's ROAS target of **{target}**.",
                "**{missed} of {n}** campaigns are under the client's ROAS target of **{target}**.",
                missed,
            )
            sentences.append(text.format(missed=missed, n=judged, target=target))
        elif judged:
            text = ngettext(
                "The campaign with spend meets the client's ROAS target of **{target}**.",
                "All {n} campaigns with spend meet the client's ROAS target of **{target}**.",
                judged,
            )
            sentences.append(text.format(n=judged, target=target))
    if "cpa" in targets:
        missed, judged = misses(flags, "cpa")
        target = fmt.money(targets["cpa"])
        if judged and missed:
            text = ngettext(
                "**{missed} of {n}** campaigns costs more per outcome than the client's "
                "target of **{target}**.",
                "**{missed} of {n}** campaigns cost more per outcome than the client's "
                "target of **{target}**.",
                missed,
            )
            sentences.append(text.format(missed=missed, n=judged, target=target))
        elif judged:
            text = ngettext(
                "The campaign with spend keeps its cost per outcome within the client's "
                "target of **{target}**.",
                "All {n} campaigns with spend keep their cost per outcome within the "
                "client's target of **{target}**.",
                judged,
            )
            sentences.append(text.format(n=judged, target=target))
    return sentences


def pacing_summary(pace: pd.DataFrame, fmt: Formats) -> list[str]:
    """Where spend is heading against the monthly budget, from a ``pacing`` frame.

    One budget: the projected share of it, what was spent and the recent rate, and the
    daily spend that lands on it. A budget per campaign: the projected share of their sum,
    and how many campaigns are on pace to spend more than theirs.

    Examples
    --------
    >>> import pandas as pd
    >>> from atribu_pandas.metrics import pacing
    >>> days = pd.date_range("2026-11-01", "2026-11-20")
    >>> trend = pd.DataFrame({"entity_id": "c1", "date": days, "spend": 100.0})
    >>> first, second = pacing_summary(pacing(trend, 2500, as_of="2026-11-20"), Formats())
    >>> first[:72]
    "On pace to spend **120.0%** of the month's budget of **$2,500**: **$2,00"
    >>> second
    'Landing on the budget takes **$50.00** a day for the 10 days left.'
    """
    info = pace.attrs.get("pacing") or {}
    budget = float(pace["monthly_budget"].sum())
    spent = float(pace["spend_to_date"].sum())
    rate = float(pace["recent_daily"].sum())
    projected = float(pace["projected_spend"].sum())
    window = int(info.get("window", 7))
    left = int(pace["days_left"].iloc[0])
    text = ngettext(
        "On pace to spend **{share}** of the month's budget of **{budget}**: **{spent}** spent "
        "by {day}, and **{rate}** a day over the last day.",
        "On pace to spend **{share}** of the month's budget of **{budget}**: **{spent}** spent "
        "by {day}, and **{rate}** a day over the last {window} days.",
        window,
    )
    sentences = [
        text.format(
            share=fmt.percent(100 * projected / budget),
            budget=fmt.money(budget),
            spent=fmt.money(spent),
            day=fmt.date(info.get("as_of")),
            rate=fmt.money(rate),
            window=window,
        )
    ]
    if pace["campaign_id"].notna().any():
        over = int((pace["projected_share"] > 1).sum())
        text = ngettext(
            "**{over} of {n}** campaigns with a monthly budget is on pace to spend more than "
            "its budget.",
            "**{over} of {n}** campaigns with a monthly budget are on pace to spend more than "
            "their budgets.",
            over,
        )
        sentences.append(text.format(over=over, n=len(pace)))
    elif left:
        needed = float(pace["needed_daily"].iloc[0])
        text = ngettext(
            "Landing on the budget takes **{needed}** a day for the last day of the month.",
            "Landing on the budget takes **{needed}** a day for the {left} days left.",
            left,
        )
        sentences.append(text.format(needed=fmt.money(needed), left=left))
    return sentences
