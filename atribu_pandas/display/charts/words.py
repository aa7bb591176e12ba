"""The words of the entity charts, whole phrases per level, for the catalogs.

A title such as "ROAS by ad set" is one message per level (``campaign``, ``ad set``,
``ad``), not "ROAS by " glued to a level's name: a translator declines the noun with
its sentence. The tables hold the English marked with ``N_``; :func:`level_phrase`
looks the phrase up in the active language.
"""

from __future__ import annotations

from atribu_pandas.core.language import N_, ngettext
from atribu_pandas.core.language import gettext as _

__all__ = [
    "DOTS",
    "LEVEL_NAMES",
    "METRIC_WORDS",
    "ROAS_TITLES",
    "SCATTER_TITLES",
    "level_phrase",
    "not_shown",
    "roas_unit",
]

# Whole phrases for each level an entity can be (a translator declines the noun with its
# sentence); "entity" for a level the API may add later.
LEVEL_NAMES = {
    "campaign": N_("Campaign"),
    "ad set": N_("Ad set"),
    "ad": N_("Ad"),
    "entity": N_("Entity"),
}
ROAS_TITLES = {
    "campaign": N_("ROAS by campaign"),
    "ad set": N_("ROAS by ad set"),
    "ad": N_("ROAS by ad"),
    "entity": N_("ROAS by entity"),
}
SCATTER_TITLES = {
    "campaign": N_("Spend vs {value} by campaign"),
    "ad set": N_("Spend vs {value} by ad set"),
    "ad": N_("Spend vs {value} by ad"),
    "entity": N_("Spend vs {value} by entity"),
}
DOTS = {
    "campaign": N_("Campaigns (dot size: outcomes)"),
    "ad set": N_("Ad sets (dot size: outcomes)"),
    "ad": N_("Ads (dot size: outcomes)"),
    "entity": N_("Entities (dot size: outcomes)"),
}
# What the model heat map shares out, in words.
METRIC_WORDS = {
    "outcome_value": N_("outcome value"),
    "outcome_count": N_("outcomes"),
    "attributed_revenue": N_("attributed revenue"),
    "spend": N_("spend"),
}


def level_phrase(word: str, phrases: dict[str, str]) -> str:
    """The phrase of ``phrases`` for an entity word (``campaign``, ``ad set``, ``ad``),
    in the active language; an unknown level reads as "entity".

    Examples
    --------
    >>> level_phrase("ad set", ROAS_TITLES), level_phrase("placement", LEVEL_NAMES)
    ('ROAS by ad set', 'Entity')
    """
    return _(phrases.get(word, phrases["entity"]))


def not_shown(count: int, word: str) -> str:
    """The note under ROAS bars counting entities without spend, per level.

    Examples
    --------
    >>> not_shown(1, "campaign"), not_shown(2, "ad")
    ('Not shown: 1 campaign without spend (ROAS n/a)', 'Not shown: 2 ads without spend (ROAS n/a)')
    """
    if word == "ad":
        text = ngettext(
            "Not shown: {n} ad without spend (ROAS n/a)",
            "Not shown: {n} ads without spend (ROAS n/a)",
            count,
        )
    elif word == "ad set":
        text = ngettext(
            "Not shown: {n} ad set without spend (ROAS n/a)",
            "Not shown: {n} ad sets without spend (ROAS n/a)",
            count,
        )
    elif word == "campaign":
        text = ngettext(
            "Not shown: {n} campaign without spend (ROAS n/a)",
            "Not shown: {n} campaigns without spend (ROAS n/a)",
            count,
        )
    else:
        text = ngettext(
            "Not shown: {n} entity without spend (ROAS n/a)",
            "Not shown: {n} entities without spend (ROAS n/a)",
            count,
        )
    return text.format(n=count)


def roas_unit(cur: str, value: str = "value") -> str:
    """The axis title of a ROAS: ``ROAS (USD of value per USD of spend)``.

    Examples
    --------
    >>> roas_unit("EUR", "revenue")
    'ROAS (EUR of revenue per EUR of spend)'
    """
    if value == "revenue":
        return _("ROAS ({currency} of revenue per {currency} of spend)").format(currency=cur)
    return _("ROAS ({currency} of value per {currency} of spend)").format(currency=cur)
