"""The executive summary: a few sentences computed from the data, each traceable below.

Each function returns sentences (figures in Markdown bold) for
:func:`atribu_pandas.reports.show_summary`; every figure is one a table or card further
down the same report shows, computed the same way (ratios from sums). Each sentence is one
catalog message with named fields, in the report's language; a count picks its plural
form, and a level (campaign, ad set, ad) picks its own sentence, since the words around it
agree with it in most languages.
"""

from __future__ import annotations

from atribu_pandas.reports.summary.campaigns import (
    campaign_summary,
    change_kpis,
    period_movers,
    roas_leaders,
    truncated,
    truncation_note,
    week_extremes,
)
from atribu_pandas.reports.summary.clients import client_roas_moves, client_summary
from atribu_pandas.reports.summary.creatives import top_performer_summary
from atribu_pandas.reports.summary.goals import pacing_summary, target_summary
from atribu_pandas.reports.summary.models import model_summary
from atribu_pandas.reports.summary.trends import trend_summary

__all__ = [
    "campaign_summary",
    "change_kpis",
    "client_roas_moves",
    "client_summary",
    "model_summary",
    "pacing_summary",
    "period_movers",
    "roas_leaders",
    "target_summary",
    "top_performer_summary",
    "trend_summary",
    "truncated",
    "truncation_note",
    "week_extremes",
]
