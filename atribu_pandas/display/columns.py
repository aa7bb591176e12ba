"""How each column a frame can hold is titled and written, in reports and widgets alike.

One registry: ``spend`` is "Spend", written as money, in a report's table, in the
explorer's table and in the exported workbook. A table that needs another header (the
name column of an ads table is "Ad") says so where it is drawn.
"""

from __future__ import annotations

from atribu_pandas.core.language import N_, gettext

__all__ = ["COLUMNS", "header"]

#: Column to ``(header, kind)``: the header in English, marked for the catalogs and
#: translated where it is shown (``gettext(COLUMNS[c][0])``); kind is one of
#: :meth:`atribu_pandas.reports.Formats.by_kind`'s.
COLUMNS: dict[str, tuple[str, str]] = {
    "campaign_name": (N_("Campaign"), "text"),
    # The campaign above an ad (metrics.campaign_names), beside its ad set.
    "campaign": (N_("Campaign"), "text"),
    "entity_level": (N_("Level"), "label"),
    "parent_name": (N_("Parent"), "text"),
    "objective": (N_("Objective"), "label"),
    "status": (N_("Status"), "label"),
    "spend": (N_("Spend"), "money"),
    "impressions": (N_("Impressions"), "number"),
    "clicks": (N_("Clicks"), "number"),
    "ctr": (N_("CTR"), "percent"),
    "avg_cpc": (N_("CPC"), "money"),
    "avg_cpm": (N_("CPM"), "money"),
    "outcome_count": (N_("Outcomes"), "number"),
    "outcome_value": (N_("Value"), "money"),
    "roas": (N_("ROAS"), "times"),
    "cac": (N_("Cost per outcome"), "money"),
    "cost_per_conversation": (N_("Cost per conversation"), "money"),
    # Top performers, their cohorts and reason codes.
    "ad_name": (N_("Ad"), "text"),
    # Added by the reports (atribu_pandas.reports.thumbnails): the ad's picture, shown only.
    "creative_thumbnail": (N_("Creative"), "image"),
    "composite_score": (N_("Score"), "score"),
    "top_performer_likelihood": (N_("Likelihood"), "fraction"),
    "attributed_outcomes_total": (N_("Outcomes"), "number"),
    "attributed_revenue": (N_("Revenue"), "money"),
    "truth_grade": (N_("Truth grade"), "label"),
    "maturity_stage": (N_("Maturity"), "label"),
    "ads": (N_("Ads"), "number"),
    "spend_share": (N_("Share of spend"), "fraction"),
    "composite_score_median": (N_("Median score"), "score"),
    "best_ad": (N_("Best ad"), "text"),
    "layer": (N_("Layer"), "label"),
    "polarity": (N_("Strength or weakness"), "label"),
    "code": (N_("Code"), "label"),
    "percentile": (N_("Percentile in cohort"), "number"),
    "sample_confidence": (N_("Confidence"), "label"),
    # A workspace: its clients, its ranking, the creative traits that recur.
    "profile": (N_("Client"), "text"),
    "workspace_rank": (N_("Rank"), "number"),
    # A model comparison's rank flips.
    "places": (N_("Places gained"), "number"),
    "trait": (N_("Trait"), "label"),
    "value": (N_("Value"), "label"),
    "profiles": (N_("Clients"), "number"),
    "composite_score_mean": (N_("Mean score"), "score"),
    "example_ad": (N_("Example"), "text"),
    "profile_names": (N_("Seen at"), "text"),
}


def header(column: str) -> str:
    """The header of ``column`` in the active language.

    Examples
    --------
    >>> from atribu_pandas.core.language import use_language
    >>> with use_language("de"):
    ...     header("spend")
    'Ausgaben'
    """
    return gettext(COLUMNS[column][0])
