"""What every summary module shares: a safe ratio, one sentence per level, a ROAS move."""

from __future__ import annotations

from typing import Any

from atribu_pandas.core.language import gettext as _
from atribu_pandas.display.formats import Formats

__all__: list[str] = []


def _ratio(num: float, den: float) -> float:
    return float(num) / float(den) if den else float("nan")


def _level(level: str, campaign: str, ad_set: str, ad: str) -> str:
    return {"campaign": campaign, "ad_set": ad_set}.get(level, ad)


def _roas_move(name: Any, before: Any, after: Any, moved: float, fmt: Formats) -> str:
    text = (
        _("ROAS of **{name}** rose from {before} to {after}.")
        if moved > 0
        else _("ROAS of **{name}** fell from {before} to {after}.")
    )
    return text.format(name=name, before=fmt.times(before), after=fmt.times(after))
