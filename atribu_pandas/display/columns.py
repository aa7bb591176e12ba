"""How each column a frame can hold is titled and written, in reports and widgets alike.

One registry: ``spend`` is "Spend", written as money, in a report's table, in the
explorer's table and in the exported workbook. A table that needs another header (the
name column of an ads table is "Ad") says so where it is drawn.
"""

from __future__ import annotations

__all__ = ["COLUMNS"]

#: Column to ``(header, kind)``; kind is one of
#: :meth:`atribu_pandas.display.formats.Formats.by_kind`'s.
COLUMNS: dict[str, tuple[str, str]] = {
    "campaign_name": ("Campaign", "text"),
    "entity_level": ("Level", "label"),
    "parent_name": ("Parent", "text"),
    "objective": ("Objective", "label"),
    "status": ("Status", "label"),
    "spend": ("Spend", "money"),
    "impressions": ("Impressions", "number"),
    "clicks": ("Clicks", "number"),
    "ctr": ("CTR", "percent"),
    "avg_cpc": ("CPC", "money"),
    "avg_cpm": ("CPM", "money"),
    "outcome_count": ("Outcomes", "number"),
    "outcome_value": ("Value", "money"),
    "roas": ("ROAS", "times"),
    "cac": ("Cost per outcome", "money"),
    # Top performers, their cohorts and reason codes.
    "ad_name": ("Ad", "text"),
    "composite_score": ("Score", "score"),
    "top_performer_likelihood": ("Likelihood", "fraction"),
    "attributed_outcomes_total": ("Outcomes", "number"),
    "attributed_revenue": ("Revenue", "money"),
    "truth_grade": ("Truth grade", "label"),
    "maturity_stage": ("Maturity", "label"),
    "ads": ("Ads", "number"),
    "spend_share": ("Share of spend", "fraction"),
    "composite_score_median": ("Median score", "score"),
    "best_ad": ("Best ad", "text"),
    "layer": ("Layer", "label"),
    "polarity": ("Strength or weakness", "label"),
    "code": ("Code", "label"),
    "percentile": ("Percentile in cohort", "number"),
    "sample_confidence": ("Confidence", "label"),
    # A workspace: its clients, its ranking, the creative traits that recur.
    "profile": ("Client", "text"),
    "workspace_rank": ("Rank", "number"),
    "trait": ("Trait", "label"),
    "value": ("Value", "label"),
    "profiles": ("Clients", "number"),
    "composite_score_mean": ("Mean score", "score"),
    "example_ad": ("Example", "text"),
    "profile_names": ("Seen at", "text"),
}
