"""The agency overview's sentences: every client's totals, and whose ROAS moved."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from atribu_pandas.core.language import gettext as _
from atribu_pandas.core.language import ngettext
from atribu_pandas.display.formats import Formats
from atribu_pandas.reports.summary.words import _ratio, _roas_move

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["client_roas_moves", "client_summary"]


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
        ngettext(
            "**{count}** client spent **{spend}** and brought back **{value}** (ROAS **{roas}**).",
            "**{count}** clients spent **{spend}** and brought back **{value}** (ROAS **{roas}**).",
            len(clients),
        ).format(
            count=len(clients),
            spend=fmt.money(spend),
            value=fmt.money(value),
            roas=fmt.times(_ratio(value, spend)),
        )
    ]
    ranked = clients.dropna(subset=["roas_current"]).sort_values("roas_current")
    if len(ranked) >= 2:
        best, worst = ranked.iloc[-1], ranked.iloc[0]
        sentences.append(
            _(
                "**{best}** has the best ROAS, **{best_roas}** ({best_before} in the previous "
                "period); **{worst}** the weakest, **{worst_roas}** ({worst_before} in the "
                "previous period)."
            ).format(
                best=best["profile"],
                best_roas=fmt.times(best["roas_current"]),
                best_before=fmt.times(best["roas_reference"]),
                worst=worst["profile"],
                worst_roas=fmt.times(worst["roas_current"]),
                worst_before=fmt.times(worst["roas_reference"]),
            )
        )
    return sentences


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
    return [
        _roas_move(profile, before, after, change, fmt)
        for profile, before, after, change in zip(
            clients["profile"],
            clients["roas_reference"],
            clients["roas_current"],
            clients["roas_change"].astype(float),
            strict=True,
        )
        if not np.isnan(change) and abs(change) >= at_least
    ]
