"""The top-performers report's sentences: the leader, its strongest layer, maturity."""

from __future__ import annotations

from typing import TYPE_CHECKING

from atribu_pandas.core.language import gettext as _
from atribu_pandas.core.language import ngettext
from atribu_pandas.display.formats import Formats
from atribu_pandas.display.labels import label

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["top_performer_summary"]


def top_performer_summary(ads: pd.DataFrame, codes: pd.DataFrame, fmt: Formats) -> list[str]:
    """Return 2 or 3 sentences on the leaderboard: the leader, why, and the evidence.

    Examples
    --------
    >>> import pandas as pd
    >>> ads = pd.DataFrame({"ad_name": ["Reel"], "composite_score": [91.5],
    ...                     "top_performer_likelihood": [0.8], "spend": [120.0],
    ...                     "roas": [3.0], "maturity_stage": ["early"]})
    >>> codes = pd.DataFrame({"ad_name": ["Reel"], "polarity": ["strength"],
    ...                       "layer": ["attention"], "code": ["attention_strength"],
    ...                       "percentile": [97.0]})
    >>> top_performer_summary(ads, codes, Formats())[1]
    'Its strongest funnel layer: **Attention**, at percentile 97 of its cohort.'
    """
    if ads.empty:
        return []
    lead = ads.iloc[0]
    sentences = [
        ngettext(
            "**{count}** ad was scored; **{name}** leads with a score of **{score}** and a "
            "**{chance}** chance of being a real top performer, on **{spend}** of spend "
            "(ROAS **{roas}**).",
            "**{count}** ads were scored; **{name}** leads with a score of **{score}** and a "
            "**{chance}** chance of being a real top performer, on **{spend}** of spend "
            "(ROAS **{roas}**).",
            len(ads),
        ).format(
            count=len(ads),
            name=lead["ad_name"],
            score=fmt.number(lead["composite_score"], 1),
            chance=fmt.percent(100 * float(lead["top_performer_likelihood"])),
            spend=fmt.money(lead["spend"]),
            roas=fmt.times(lead["roas"]),
        )
    ]
    mine = codes[(codes["ad_name"] == lead["ad_name"]) & (codes["polarity"] == "strength")]
    if len(mine) and "percentile" in mine:
        best = mine.sort_values("percentile", ascending=False).iloc[0]
        sentences.append(
            _(
                "Its strongest funnel layer: **{layer}**, at percentile {percentile} of its cohort."
            ).format(layer=label(best["layer"]), percentile=fmt.number(best["percentile"]))
        )
    if "maturity_stage" in ads:
        young = int(ads["maturity_stage"].astype(str).isin(["cold", "early"]).sum())
        if young:
            sentences.append(
                ngettext(
                    "**{young}** of the {count} ads is still cold or early: its place may "
                    "change as it gathers data.",
                    "**{young}** of the {count} ads are still cold or early: their places "
                    "may change as they gather data.",
                    young,
                ).format(young=young, count=len(ads))
            )
    return sentences
