"""The trends report's sentences: spend over the window, the mover between whole weeks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from atribu_pandas.core.language import gettext as _
from atribu_pandas.core.language import ngettext
from atribu_pandas.display.formats import Formats
from atribu_pandas.loaders.periods import split_periods
from atribu_pandas.reports.summary.words import _level

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["trend_summary"]


def trend_summary(
    weekly: pd.DataFrame, fmt: Formats, *, level: str, window: tuple[str, str]
) -> list[str]:
    """Return sentences on weekly spend: the total over the window, its whole and cut weeks,
    and the biggest mover between the last two whole weeks (a cut week is never compared).

    Parameters
    ----------
    weekly : pandas.DataFrame
        Weekly spend, one row per ISO week labelled by its Monday (oldest first), one
        column per campaign, ad set or ad.
    level : str
        What the columns are: campaign, ad_set or ad.
    window : (str, str)
        The report's first and last day: a week reaching outside it is partial.

    Examples
    --------
    >>> import pandas as pd
    >>> weekly = pd.DataFrame({"A": [10.0, 100.0, 150.0, 5.0], "B": [8.0, 80.0, 40.0, 9.0]},
    ...                       index=pd.to_datetime(["2026-10-26", "2026-11-02",
    ...                                             "2026-11-09", "2026-11-16"]))
    >>> for s in trend_summary(weekly, Formats(), level="campaign",
    ...                        window=("2026-10-30", "2026-11-17")): print(s)
    The **2** campaigns followed spent **$402** over 19 days.
    The window holds 2 whole weeks, Monday to Sunday.
    Its first and last weeks are cut short.
    From the week of Nov 2 to the week of Nov 9, the last two whole weeks, **A** moved the \
most: **$100** to **$150**.
    """
    if weekly.empty:
        return []
    import pandas as pd

    weeks_of = {pd.Timestamp(x.start): x for x in split_periods(*window, "W")}
    whole = [d in weeks_of and not weeks_of[d].cut for d in weekly.index]
    days = sum((x.date_to - x.date_from).days + 1 for x in weeks_of.values())
    count = weekly.shape[1]
    followed = _level(
        level,
        ngettext(
            "The **{count}** campaign followed spent **{spend}** over {days} days.",
            "The **{count}** campaigns followed spent **{spend}** over {days} days.",
            count,
        ),
        ngettext(
            "The **{count}** ad set followed spent **{spend}** over {days} days.",
            "The **{count}** ad sets followed spent **{spend}** over {days} days.",
            count,
        ),
        ngettext(
            "The **{count}** ad followed spent **{spend}** over {days} days.",
            "The **{count}** ads followed spent **{spend}** over {days} days.",
            count,
        ),
    ).format(count=count, spend=fmt.money(weekly.to_numpy().sum()), days=days)
    weeks = sum(whole)
    sentences = [
        followed,
        ngettext(
            "The window holds {weeks} whole week, Monday to Sunday.",
            "The window holds {weeks} whole weeks, Monday to Sunday.",
            weeks,
        ).format(weeks=weeks),
    ]
    cut_first, cut_last = not whole[0], not whole[-1]
    if cut_first and cut_last and len(weekly) > 1:
        sentences.append(_("Its first and last weeks are cut short."))
    elif cut_first:
        sentences.append(_("Its first week is cut short."))
    elif cut_last:
        sentences.append(_("Its last week is cut short."))
    full = weekly[whole]
    if len(full) >= 2:
        change = (full.iloc[-1] - full.iloc[-2]).abs()
        mover = change.idxmax()
        sentences.append(
            _(
                "From the week of {before} to the week of {after}, the last two whole weeks, "
                "**{name}** moved the most: **{spend_before}** to **{spend_after}**."
            ).format(
                before=fmt.short_day(full.index[-2]),
                after=fmt.short_day(full.index[-1]),
                name=mover,
                spend_before=fmt.money(full[mover].iloc[-2]),
                spend_after=fmt.money(full[mover].iloc[-1]),
            )
        )
    return sentences
