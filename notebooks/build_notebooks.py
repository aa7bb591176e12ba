"""Write the report notebooks from the cell sources below, so they are reproducible.

Run ``python notebooks/build_notebooks.py`` after editing a cell here; never edit the
``.ipynb`` files by hand. Each report notebook gets: a cell tagged ``parameters`` (what
``atribu-pandas report`` may override, including who and what the report is about), a
setup cell that shows the heading, the executive summary, the analysis with a
plain-words explanation under every chart, and a footer cell tagged ``footer``. The notebooks are
written without outputs or execution counts, and with stable cell ids, so rebuilding an
unchanged script gives byte-identical files.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

__all__ = ["NOTEBOOKS", "build", "main"]

HERE = Path(__file__).resolve().parent

# (kind, source) pairs; kind is "md", "code", "params" or "footer".
Cells = list[tuple[str, str]]

DATES = """date_from = None  # first day, "YYYY-MM-DD"; None: 27 days before date_to
date_to = None  # last day, "YYYY-MM-DD"; None: yesterday, the last complete day"""


def _present(title: str) -> str:
    """Who and what the report is about: the same six parameters in every report."""
    return (
        'client_name = ""  # who the report is for, shown at the top\n'
        f'title = "{title}"  # the report\'s heading\n'
        "currency = None  # ISO 4217 code of the amounts; None: ATRIBU_CURRENCY, else USD\n"
        'locale = "en_US"  # number and date formats, e.g. en_GB, de_DE, es_MX\n'
        "logo = None  # a local image file shown at the top\n"
        'notes = ""  # your own words at the top (Markdown)'
    )


def _setup(subtitle: str, window: bool = True) -> str:
    """Imports, the charts' theme, the heading, and the formats every number goes through."""
    return (
        """%matplotlib inline
%config InlineBackend.figure_formats = ["png"]
import warnings

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display

import atribu_pandas as ap
from atribu_pandas import reports
from atribu_pandas.core.vocabulary import MODEL_DESCRIPTIONS
from atribu_pandas.display.charts.theme import thousands, use_theme
from atribu_pandas.metrics import ReachNotAdditiveWarning
from atribu_pandas.reports import summary

# The banner below says when the data is demo data, and the text says how many rows
# were fetched: the loaders' warnings would only repeat it in red. Where a cut list
# changes a total, the report records the warning and says so in words.
warnings.simplefilter("ignore", ap.DemoDataWarning)
warnings.simplefilter("ignore", ap.TruncatedResultWarning)
# An empty window gets one page that says so and what to try: no red box repeating it.
warnings.simplefilter("ignore", ap.EmptyResultWarning)
# The reports never show reach totals, so reach being dropped from a rollup is no news.
warnings.simplefilter("ignore", ReachNotAdditiveWarning)
use_theme()
"""
        + (
            "date_from, date_to = reports.resolve_window(date_from, date_to)\n"
            "days = (pd.Timestamp(date_to) - pd.Timestamp(date_from)).days + 1\n"
            if window
            else ""
        )
        + "fmt = reports.start(\n"
        "    title, client_name=client_name, currency=currency, locale=locale, logo=logo,\n"
        f"    notes=notes, subtitle={subtitle!r},\n"
        ")\n"
        "money, times, number, percent = fmt.money, fmt.times, fmt.number, fmt.percent\n"
        'MODEL_LABELS = {m: m.replace("_", " ").capitalize() for m in ap.MODELS}'
    )


WINDOW_TEXT = (
    'f"Window: **{fmt.date(date_from)} to {fmt.date(date_to)}** ({days} days, both included). "'
)
EXPLAIN_MODEL = (
    "reports.show_markdown(\n    "
    + WINDOW_TEXT
    + '\n    f"Attribution model: **{model}**: {MODEL_DESCRIPTIONS[model]}"\n)'
)
# One page instead of the report when the window had no delivery (the export keeps this
# notice and the footer only).
EMPTY_WINDOW = """reports.show_empty(
    f"No delivery in this window ({fmt.date(date_from)} to {fmt.date(date_to)}): nothing "
    "was spent and nothing was attributed.",
    reports.empty_window_advice(date_from, date_to, *report_frames),
)"""


def _footer(names: list[str]) -> str:
    args = ", ".join(f'"{n}": {n}' for n in names)
    return f"reports.show_footer({{{args}}}, *report_frames)"


def _when(condition: str, body: str) -> str:
    """``body`` run only when ``condition`` holds (an empty window shows nothing here)."""
    indented = "\n".join(f"    {line}" if line else "" for line in body.splitlines())
    return f"if {condition}:\n{indented}"


def _columns(pairs: str) -> str:
    return "{\n" + pairs + "}"


# Headline numbers against the previous window of the same length (campaign_performance);
# `change` is loaded with the campaigns, for the summary too.
VS_PREVIOUS = _when(
    "not campaigns.empty",
    "t = change.totals\n"
    "\n"
    "def moved(metric, show):\n"
    '    before, pct = t.at[metric, "reference"], t.at[metric, "change_pct"]\n'
    '    return f"{fmt.signed_percent(pct)} (from {show(before)})"\n'
    "\n"
    "reports.show_kpis({\n"
    '    "Spend": moved("spend", money),\n'
    '    "Attributed value": moved("outcome_value", money),\n'
    '    "Outcomes": moved("outcome_count", number),\n'
    '    "ROAS": moved("roas", times),\n'
    '    "Cost per outcome": moved("cac", money),\n'
    "})\n"
    "movers = change.table[(change.table['status'] == 'both') & ~change.table['low_evidence']]\n"
    'movers = movers.reindex(movers["roas_change"].abs().sort_values(ascending=False).index)\n'
    "lines = [\n"
    "    f\"ROAS of **{row.campaign_name}** {'rose' if row.roas_change > 0 else 'fell'} \"\n"
    '    f"from {times(row.roas_reference)} to {times(row.roas_current)}."\n'
    "    for row in movers.head(3).itertuples()\n"
    "    if pd.notna(row.roas_change) and row.roas_change != 0\n"
    "]\n"
    'for status, verb in (("new", "new in this period"), ("gone", "gone since the last")):\n'
    '    names = change.table.loc[change.table["status"] == status, "campaign_name"].tolist()\n'
    "    if names:\n"
    "        lines.append(f\"{len(names)} {verb}: {', '.join(names[:3])}.\")\n"
    "if change.note:\n"
    '    lines.append(f"*{change.note}*")\n'
    'reports.show_markdown("  \\n".join(lines))',
)

# Weekly ROAS over the 12 weeks ending on the report's last day (campaign_performance).
WEEKLY_ROAS = _when(
    "not campaigns.empty",
    "weeks_from = pd.Timestamp(date_to) - pd.Timedelta(weeks=12) + pd.Timedelta(days=1)\n"
    'weeks = ap.load_campaign_periods(weeks_from, date_to, freq="W", model=model)\n'
    "weeks.attrs.update(currency=fmt.currency, locale=fmt.locale)  # as the tables say them\n"
    "report_frames.append(weeks)\n"
    "if not weeks.empty:\n"
    "    weeks.atribu.plot.roas_over_time(top=3)\n"
    "    plt.show()\n"
    "    totals = weeks.atribu.period_totals()\n"
    '    full = totals[~totals["is_partial"] & ~totals["restating"]]\n'
    "    if len(full):\n"
    '        best = full.loc[full["roas"].idxmax()]\n'
    '        worst = full.loc[full["roas"].idxmin()]\n'
    "        reports.show_markdown(\n"
    '            f"Over the 12 weeks to {fmt.date(date_to)}, the best complete week started "\n'
    "            f\"{fmt.date(best['period_start'])} (ROAS {times(best['roas'])}) and the \"\n"
    "            f\"weakest started {fmt.date(worst['period_start'])} \"\n"
    "            f\"({times(worst['roas'])}).\"\n"
    "        )",
)


# (kind, source) pairs; "footer" is a code cell the export keeps on an empty page.
CAMPAIGN_PERFORMANCE: Cells = [
    (
        "params",
        DATES + "\n"
        'model = "last_touch"  # attribution model, see atribu_pandas.MODELS\n'
        'level = "ad"  # drill-down level: campaign, ad_set or ad\n'
        "top = 10  # rows in the tables and bars in the charts\n"
        + _present("Campaign performance"),
    ),
    (
        "code",
        _setup(
            "Which campaigns spent the budget, what they brought back, and where the money "
            "works hardest, for one date window and one attribution model."
        ),
    ),
    (
        "code",
        "with warnings.catch_warnings(record=True) as caught:\n"
        '    warnings.simplefilter("always", ap.TruncatedResultWarning)\n'
        "    campaigns = ap.load_campaigns(\n"
        '        date_from, date_to, model=model, level="campaign", limit=100\n'
        "    )\n"
        "# Exactly 100 rows came back: more campaigns may exist, and the totals leave them out.\n"
        "truncated = any(issubclass(w.category, ap.TruncatedResultWarning) for w in caught)\n"
        "detail = ap.load_campaigns(date_from, date_to, model=model, level=level, limit=100)\n"
        "report_frames = [campaigns, detail]\n"
        "reports.show_banner(*report_frames)\n"
        "if campaigns.empty:\n"
        + "\n".join("    " + line for line in EMPTY_WINDOW.splitlines())
        + "\nelse:\n"
        + "\n".join("    " + line for line in EXPLAIN_MODEL.splitlines())
        + "\n    both = ap.load_period_comparison(date_from, date_to, model=model)\n"
        "    report_frames.append(both)\n"
        "    change = both.atribu.compare_periods()\n"
        "    reports.show_summary(summary.campaign_summary(\n"
        "        campaigns, fmt, days=days, detail=detail, level=level, previous=change.totals\n"
        "    ))",
    ),
    ("md", "## Headline numbers"),
    (
        "code",
        _when(
            "not campaigns.empty",
            "total = campaigns.atribu.rollup().iloc[0]  # sums, with ROAS and CAC from the sums\n"
            "reports.show_kpis({\n"
            '    "Spend": money(total["spend"]),\n'
            '    "Attributed value": money(total["outcome_value"]),\n'
            '    "Outcomes": number(total["outcome_count"]),\n'
            '    "ROAS": times(total["roas"]),\n'
            '    "Cost per outcome": money(total["cac"]),\n'
            '    "Campaigns": number(len(campaigns)),\n'
            "})\n"
            "if truncated:\n"
            "    reports.show_markdown(\n"
            '        f"*Note: the API returns at most {len(campaigns)} campaigns at a time and '
            'returned that many, so more campaigns may have run in this window: these totals "\n'
            '        f"cover the {len(campaigns)} with the most attributed value only.*"\n'
            "    )\n"
            "reports.show_markdown(\n"
            '    "**How to read this.** *Spend* is what the ad platforms charged in the "\n'
            '    "window. *Attributed value* is the revenue the chosen model credits to these "\n'
            '    f"campaigns. *ROAS* (return on ad spend) is value divided by spend: {times(3)} "\n'
            '    f"means every {money(1)} spent brought back {money(3)}. *Cost per outcome* is "\n'
            '    "spend divided "\n'
            '    "by outcomes (sales, leads, booked appointments). Both ratios come from the "\n'
            '    "totals, not from an average of each campaign\'s ratio, so a small campaign "\n'
            '    "with a lucky week cannot skew them."\n'
            ")",
        ),
    ),
    ("md", "### Against the previous period"),
    ("code", VS_PREVIOUS),
    (
        "md",
        "The same headline numbers for the window just before this one (as many days, "
        "ending the day before it starts), and how far each moved. ROAS and cost per "
        "outcome are compared as ratios of the totals. Campaigns *new* here were absent "
        "from the earlier window (or outside its top 100), and *gone* ones the other way "
        "round.",
    ),
    ("md", "## Top campaigns"),
    (
        "code",
        _when(
            "not campaigns.empty",
            "reports.show_table(\n"
            "    campaigns.atribu.recompute().head(top),\n"
            "    {\n"
            '        "campaign_name": ("Campaign", "text"), "objective": ("Objective", "label"),\n'
            '        "status": ("Status", "label"), "spend": ("Spend", "money"),\n'
            '        "outcome_count": ("Outcomes", "number"),\n'
            '        "outcome_value": ("Value", "money"),\n'
            '        "roas": ("ROAS", "times"), "cac": ("Cost per outcome", "money"),\n'
            "    },\n"
            '    name="top_campaigns", title="Top campaigns",\n'
            '    style=lambda s: s.background_gradient(subset=["ROAS"], cmap="Blues"),\n'
            ")",
        ),
    ),
    (
        "md",
        "The campaigns that brought the most attributed value, largest first. A darker blue "
        "ROAS cell marks a campaign that returns more for each unit spent; "
        "*Cost per outcome* tells you what one sale or lead costs in that campaign. "
        "A dash means there was nothing to divide by (no spend, or no outcomes).",
    ),
    ("md", "## Return on ad spend by campaign"),
    (
        "code",
        _when(
            "not campaigns.empty",
            "campaigns.atribu.plot.roas_bar(top=top)\n"
            "plt.show()\n"
            'ranked = campaigns.head(top).dropna(subset=["roas"]).sort_values("roas", '
            "ascending=False)\n"
            "if len(ranked):\n"
            "    best = ranked.iloc[0]\n"
            '    below = ranked[ranked["roas"] < 1]\n'
            "    text = f\"**{best['campaign_name']}** returned the most per unit of spend "
            "({times(best['roas'])}).\"\n"
            "    if len(below):\n"
            '        names = ", ".join(below["campaign_name"])\n'
            '        text += f" {len(below)} of them earned back less than they cost: {names}."\n'
            "    reports.show_markdown(text)",
        ),
    ),
    (
        "md",
        "Each bar is one campaign's ROAS, its value written at its end. The dashed line "
        "marks 1.0, break-even: a bar that ends to the right of it brings back more than it "
        "costs, a bar that stops short of it loses money on this attribution model (a ROAS "
        "of 0 shows as a mark at zero). Compare bars, not just the longest one: a high ROAS "
        "on very little spend may not hold when the budget grows.",
    ),
    ("md", "## Spend against value"),
    (
        "code",
        _when("not campaigns.empty", "campaigns.atribu.plot.spend_vs_value()\nplt.show()"),
    ),
    (
        "md",
        "Each dot is a campaign: further right means more spend, higher means more "
        "attributed value, and a bigger dot means more outcomes. Dots above the dashed "
        "line (ROAS = 1) pay for themselves. The campaigns far to the right decide the "
        "overall result: a dot there that sits below the line is where a budget change "
        "matters most.",
    ),
    ("md", "## Weekly ROAS"),
    ("code", WEEKLY_ROAS),
    (
        "md",
        "Spend per ISO week (Monday to Sunday) as bars, and the return on that spend as "
        "the dark line (thin lines: the three campaigns with the most spend). Each week's "
        "ROAS is that week's value divided by that week's spend, from one request per "
        "week. Hatched bars and hollow dots mark weeks the window cuts, or the last few "
        "days, which Atribu is still filling in: expect them to move.",
    ),
    ("md", "## Drill-down"),
    (
        "code",
        _when(
            "not detail.empty",
            "reports.show_table(\n"
            "    detail.head(top),\n"
            "    {\n"
            '        "campaign_name": (level.replace("_", " ").capitalize(), "text"),\n'
            '        "parent_name": ("Parent", "text"), "spend": ("Spend", "money"),\n'
            '        "impressions": ("Impressions", "number"), "clicks": ("Clicks", "number"),\n'
            '        "ctr": ("CTR", "percent"), "avg_cpc": ("CPC", "money"),\n'
            '        "avg_cpm": ("CPM", "money"), "outcome_count": ("Outcomes", "number"),\n'
            '        "outcome_value": ("Value", "money"), "roas": ("ROAS", "times"),\n'
            '        "cac": ("Cost per outcome", "money"),\n'
            "    },\n"
            '    name="drill_down", title="Drill-down",\n'
            "    caption=f\"The {top} best {level.replace('_', ' ')}s by attributed value.\",\n"
            ")",
        ),
    ),
    (
        "md",
        "The same money, one level down, so you can see which ad sets or ads carry each "
        "campaign. *Parent* is the campaign (or ad set) above. *CTR* is the share of "
        "people who saw the ad and clicked; *CPC* the cost of one click; *CPM* the cost of "
        "a thousand impressions. A high CTR with a poor ROAS usually points at the landing "
        "page or the offer, not the ad.",
    ),
    ("md", "## Daily spend of the top 5 campaigns"),
    (
        "code",
        # The trend endpoint needs at least one id: no campaign, no trend section.
        _when(
            "not campaigns.empty",
            "top5 = campaigns.head(5)\n"
            "# Six days before the window too, so the 7-day average starts on its first day.\n"
            'lead_in = (pd.Timestamp(date_from) - pd.Timedelta(days=6)).strftime("%Y-%m-%d")\n'
            'trend = ap.load_campaign_trend(top5["campaign_id"], lead_in, date_to, '
            'level="campaign")\n'
            "trend.attrs.update(currency=fmt.currency, locale=fmt.locale)  # as the tables\n"
            'ax = trend.atribu.plot.trend("spend", rolling=7, names=top5)\n'
            "ax.set_xlim(left=pd.Timestamp(date_from))\n"
            "plt.show()",
        ),
    ),
    (
        "md",
        "Daily spend of the five campaigns with the most attributed value; the bold line "
        "is the 7-day average, which smooths out weekday swings. A line that drops to "
        "zero means the campaign stopped delivering (paused, or out of budget); a steady "
        "climb means the platform is spending more of the budget.",
    ),
    (
        "footer",
        _footer(
            ["date_from", "date_to", "model", "level", "top", "currency", "locale", "client_name"]
        ),
    ),
]

ATTRIBUTION_MODELS: Cells = [
    (
        "params",
        DATES + "\n"
        'model = "last_touch"  # the baseline model the others are compared with\n'
        "top = 10  # campaigns in the tables, and the N of 'enters the top N'\n"
        + _present("Attribution models compared"),
    ),
    (
        "code",
        _setup(
            "The same sales, credited seven ways. Each attribution model splits the credit "
            "for a sale differently among the ads a customer saw before buying; this report "
            "shows which campaigns look good whatever the model, and which depend on the "
            "model you choose."
        ),
    ),
    (
        "code",
        "comparison = ap.load_model_comparison(date_from, date_to, limit=100)\n"
        "report_frames = [comparison]\n"
        "reports.show_banner(*report_frames)\n"
        "cmp = None\n"
        "if comparison.empty:\n"
        + "\n".join("    " + line for line in EMPTY_WINDOW.splitlines())
        + "\nelse:\n"
        '    cmp = comparison.atribu.compare_models(metric="outcome_value", baseline=model, '
        "top=top)\n"
        + "\n".join(
            "    " + line
            for line in EXPLAIN_MODEL.replace("Attribution model", "Baseline model").splitlines()
        )
        + "\n    # The comparison's own plain-words lines: the total, then the biggest shifts.\n"
        '    reports.show_summary(cmp.summary().replace("_", " ").splitlines()[:3])\n'
        '    reports.show_markdown("\\n".join(f"- **{MODEL_LABELS[m]}**: {d}" '
        "for m, d in MODEL_DESCRIPTIONS.items()))",
    ),
    ("md", "## Attributed value under every model"),
    (
        "code",
        _when(
            "cmp is not None",
            "values = cmp.values.head(top).reset_index()\n"
            "reports.show_table(\n"
            '    values, {"entity": ("Campaign", "text")}\n'
            '    | {m: (MODEL_LABELS[m], "money") for m in cmp.values.columns},\n'
            '    name="value_by_model", title="Attributed value by model",\n'
            ")",
        ),
    ),
    (
        "md",
        "One row per campaign, one column per model: the revenue each model credits to "
        "the campaign. The rows are ordered by the baseline model. Read across a row: if "
        "the figures are close, the campaign's value does not depend on how you count; if "
        "they differ a lot, the campaign mostly starts journeys (higher under first touch) "
        "or closes them (higher under last touch).",
    ),
    ("md", "## Share of credit"),
    (
        "code",
        _when(
            "cmp is not None",
            "comparison.atribu.plot.model_heatmap(baseline=model, top=top)\nplt.show()",
        ),
    ),
    (
        "md",
        "Each cell is the campaign's share of all the credit that model hands out, written "
        "in the cell. Darker blue means a bigger share. A row that changes colour from "
        "column to column is a campaign whose importance depends on the model: be careful "
        "cutting or scaling it on one model's numbers alone.",
    ),
    ("md", "## Change against the baseline"),
    (
        "code",
        _when(
            "cmp is not None",
            "change = cmp.change_pct.head(top).reset_index()\n"
            "labels = [MODEL_LABELS[m] for m in cmp.change_pct.columns]\n"
            "reports.show_table(\n"
            '    change, {"entity": ("Campaign", "text")}\n'
            '    | {m: (MODEL_LABELS[m], "signed_percent") for m in cmp.change_pct.columns},\n'
            '    name="change_vs_baseline", title="Change against the baseline",\n'
            "    style=lambda s: s.background_gradient(\n"
            '        cmap="RdBu", vmin=-100, vmax=100, subset=labels\n'
            "    ),\n"
            ")",
        ),
    ),
    (
        "md",
        "How much more (blue) or less (red) value each model gives a campaign than the "
        "baseline model does, in percent. The baseline column is always 0%.",
    ),
    ("md", "## Rank flips"),
    (
        "code",
        "if cmp is not None and cmp.flips.empty:\n"
        '    reports.show_markdown(f"No campaign enters or leaves the top {top}, or moves 3 '
        'places or more, when the model changes.")\n'
        "elif cmp is not None:\n"
        "    flips = cmp.flips.assign(model=cmp.flips['model'].map(MODEL_LABELS))\n"
        "    reports.show_table(\n"
        "        flips,\n"
        "        {\n"
        '            "entity": ("Campaign", "text"), "model": ("Model", "text"),\n'
        '            "baseline_rank": ("Rank under the baseline", "number"),\n'
        '            "rank": ("Rank under this model", "number"),\n'
        '            "places": ("Places gained", "number"), "flip": ("What changes", "text"),\n'
        "        },\n"
        '        name="rank_flips", title="Rank flips",\n'
        "    )",
    ),
    (
        "md",
        "Campaigns that enter or leave the top list, or move at least three places, "
        "when you switch from the baseline to another model. *Places gained* is positive "
        "when the campaign climbs. These are the campaigns whose ranking you should not "
        "quote without saying which model you used.",
    ),
    (
        "footer",
        _footer(["date_from", "date_to", "model", "top", "currency", "locale", "client_name"]),
    ),
]

TOP_PERFORMERS: Cells = [
    (
        "params",
        'window = "28d"  # scoring window: 7d, 14d, 28d or lifetime\n'
        "limit = 50  # ads fetched, 1 to 50\n"
        "top = 15  # ads in the leaderboard\n"
        'cohort_by = "cohort_format"  # cohort column: cohort_format, cohort_objective...\n'
        + _present("Top performing ads"),
    ),
    (
        "code",
        _setup(
            "Atribu scores every ad against ads like it (same channel, format, objective, "
            "audience warmth, geography and placement: its cohort). This report shows the "
            "leaders, how the cohorts compare, how much to trust small ads' numbers, why "
            "each ad scored as it did, and how mature the ads are.",
            window=False,
        ),
    ),
    (
        "code",
        "ads = ap.load_top_performers(window=window, limit=limit)\n"
        "codes = ads.atribu.reason_codes()\n"
        "report_frames = [ads]\n"
        "reports.show_banner(*report_frames)\n"
        'COHORT = cohort_by.replace("cohort_", "").replace("_", " ").capitalize()\n'
        "if ads.empty:\n"
        "    reports.show_empty(\n"
        '        f"No ad was scored in the {window} scoring window, so there is nothing to '
        'rank.",\n'
        "        [\n"
        '            "Try a longer scoring window: --window 28d or --window lifetime.",\n'
        '            "Check in Atribu that the ad accounts are connected and the ads have '
        'delivered.",\n'
        '            "Run the report with --demo to see what it shows on demo data.",\n'
        "        ],\n"
        "    )\n"
        "else:\n"
        '    reports.show_markdown(f"Scoring window: **{window}**; {len(ads)} ads fetched, ranked '
        'by composite score.")\n'
        "    reports.show_summary(summary.top_performer_summary(ads, codes, fmt))",
    ),
    ("md", "## Leaderboard"),
    (
        "code",
        _when(
            "not ads.empty",
            "reports.show_table(\n"
            "    ads.head(top),\n"
            "    {\n"
            '        "ad_name": ("Ad", "text"), "campaign_name": ("Campaign", "text"),\n'
            '        "composite_score": ("Score", "score"),\n'
            '        "top_performer_likelihood": ("Likelihood", "fraction"),\n'
            '        "attributed_outcomes_total": ("Outcomes", "number"),\n'
            '        "spend": ("Spend", "money"), "roas": ("ROAS", "times"),\n'
            '        "truth_grade": ("Truth grade", "label"), '
            '"maturity_stage": ("Maturity", "label"),\n'
            "    },\n"
            '    name="leaderboard", title="Leaderboard",\n'
            '    style=lambda s: s.bar(subset=["Score"], color="#9ecae1", vmin=0, vmax=100),\n'
            ")",
        ),
    ),
    (
        "md",
        "Three different measures, kept apart on purpose. *Score* (0 to 100) ranks the ad "
        "within its cohort on attention, clicks, conversations and revenue. *Likelihood* "
        "is the estimated chance that the ad is a real top performer. *Outcomes* are the "
        "sales, leads and conversations attributed to it. A high score with few outcomes "
        "is a promising ad that has not proven itself yet; *Truth grade* says how directly "
        "those outcomes were observed.",
    ),
    ("md", "## Cohorts"),
    (
        "code",
        _when(
            "not ads.empty",
            "reports.show_table(\n"
            "    ads.atribu.compare_cohorts(by=cohort_by),\n"
            "    {\n"
            '        cohort_by: (COHORT, "label"), "ads": ("Ads", "number"),\n'
            '        "spend": ("Spend", "money"), "spend_share": ("Share of spend", "fraction"),\n'
            '        "attributed_revenue": ("Revenue", "money"), "roas": ("ROAS", "times"),\n'
            '        "cac": ("Cost per outcome", "money"),\n'
            '        "composite_score_median": ("Median score", "score"),\n'
            '        "best_ad": ("Best ad", "text"),\n'
            "    },\n"
            '    name="cohorts", title="Cohorts",\n'
            ")\n"
            "ads.atribu.plot.cohort_box(by=cohort_by)\n"
            "plt.show()",
        ),
    ),
    (
        "md",
        "One row (and one box) per cohort: how many ads it has, what they spent, and the "
        "return of the cohort as a whole (from summed spend and revenue). In the chart, "
        "each box spans the middle half of the cohort's scores and the line inside is the "
        "median: a tall box means the cohort mixes winners and losers, a high box means "
        "ads of that kind tend to do well.",
    ),
    ("md", "## How much to trust each ad's click-through rate"),
    (
        "code",
        _when(
            "not ads.empty",
            'ads.atribu.plot.shrinkage("ctr", by=cohort_by, top=top)\nplt.show()',
        ),
    ),
    (
        "md",
        "An ad with a few hundred impressions can show a spectacular click-through rate "
        "by luck. Each row compares the ad's raw CTR with an estimate pulled toward its "
        "cohort's average, with a 90% range: the fewer impressions, the stronger the pull "
        "and the wider the range. Trust the ads whose range is narrow; give the others more "
        "time before moving budget.",
    ),
    ("md", "## Why each ad scored as it did"),
    (
        "code",
        "if not ads.empty and codes.empty:\n"
        '    reports.show_markdown("No reason codes in this window.")\n'
        "elif not ads.empty:\n"
        '    counts = codes.pivot_table(index="layer", columns="polarity", values="ad_name",\n'
        '                               aggfunc="count", fill_value=0, observed=True)\n'
        "    counts = counts.reset_index().rename_axis(columns=None)\n"
        "    POLARITY_HEADERS = {\n"
        '        "strength": "Strengths", "weakness": "Weaknesses",\n'
        '        "forecast": "Forecast notes", "fatigue": "Fatigue notes",\n'
        "    }\n"
        "    reports.show_table(\n"
        '        counts, {"layer": ("Layer", "label")}\n'
        '        | {p: (POLARITY_HEADERS.get(str(p), str(p).capitalize()), "number")\n'
        "           for p in counts.columns[1:]},\n"
        '        name="reason_counts", title="Reason codes per layer",\n'
        "    )\n"
        "    reports.show_table(\n"
        "        codes.head(top),\n"
        "        {\n"
        '            "ad_name": ("Ad", "text"), "layer": ("Layer", "label"),\n'
        '            "polarity": ("Strength or weakness", "label"), "code": ("Code", "label"),\n'
        '            "percentile": ("Percentile in cohort", "number"),\n'
        '            "sample_confidence": ("Confidence", "label"),\n'
        "        },\n"
        '        name="reason_codes", title="Reason codes of the leaders",\n'
        "    )",
    ),
    (
        "md",
        "Reason codes explain a score, layer by layer of the funnel (attention, click "
        "intent, conversations, revenue), plus forecast and fatigue notes. A *strength* "
        "puts the ad high within its cohort and a *weakness* low (the percentile says how "
        "high), and *Confidence* says how much data stands behind it. The first table "
        "counts them per layer; the second lists the codes of the leading ads.",
    ),
    ("md", "## Maturity"),
    (
        "code",
        _when(
            "not ads.empty",
            'maturity = ads.groupby("maturity_stage", observed=True).agg(\n'
            '    ads=("ad_external_id", "count"), spend=("spend", "sum")).reset_index()\n'
            'ax = maturity.plot.bar(x="maturity_stage", y="ads", rot=0, legend=False)\n'
            'ax.set(title="Ads by maturity stage", xlabel="Maturity stage", ylabel="Ads")\n'
            "plt.show()\n"
            "reports.show_table(\n"
            "    maturity,\n"
            '    {"maturity_stage": ("Maturity stage", "label"), "ads": ("Ads", "number"),\n'
            '     "spend": ("Spend", "money")},\n'
            '    name="maturity", title="Maturity",\n'
            ")",
        ),
    ),
    (
        "md",
        "How far along each ad is: a new ad has too little spend or too few impressions "
        "for a firm verdict, a mature one has a track record. A leaderboard full of young "
        "ads will change a lot next week; one led by mature ads is more stable.",
    ),
    (
        "footer",
        _footer(["window", "limit", "top", "cohort_by", "currency", "locale", "client_name"]),
    ),
]

TRENDS: Cells = [
    (
        "params",
        DATES + "\n"
        'level = "campaign"  # campaign, ad_set or ad\n'
        'model = "last_touch"  # attribution model used to pick the leaders\n'
        "top = 5  # entities followed, 1 to 20 (10 ids per trend request)\n"
        "rolling = 7  # days in the rolling mean\n" + _present("Trends"),
    ),
    (
        "code",
        _setup(
            "How spend and the cost of reaching people moved day by day and week by week "
            "for the leading campaigns (or ad sets, or ads)."
        ),
    ),
    (
        "code",
        "entities = ap.load_campaigns(date_from, date_to, model=model, level=level, limit=100)\n"
        "# More than 10 ids are split by the loader into requests of 10.\n"
        "chosen = entities.head(top)\n"
        "report_frames = [entities]\n"
        "# The trend endpoint needs at least one id: without delivery there is no trend.\n"
        "trend = None\n"
        "if len(chosen):\n"
        '    trend = ap.load_campaign_trend(chosen["campaign_id"], date_from, date_to, '
        "level=level)\n"
        "    report_frames.append(trend)\n"
        "reports.show_banner(*report_frames)\n"
        "if trend is None:\n"
        + "\n".join("    " + line for line in EMPTY_WINDOW.splitlines())
        + "\nelse:\n"
        '    weekly = trend.atribu.pivot_trend(values="spend", freq="W", names=chosen)\n'
        "    reports.show_markdown(\n"
        "        " + WINDOW_TEXT + "\n"
        "        f\"Following the {len(chosen)} {level.replace('_', ' ')}s \"\n"
        '        f"with the most attributed value under **{model}**."\n'
        "    )\n"
        "    reports.show_summary(summary.trend_summary(weekly, fmt, level=level))",
    ),
    ("md", "## Daily spend"),
    (
        "code",
        _when(
            "trend is not None",
            "# rolling - 1 days before the window too, so the average starts on its first day.\n"
            "lead_in = (pd.Timestamp(date_from) - pd.Timedelta(days=rolling - 1))"
            '.strftime("%Y-%m-%d")\n'
            'longer = ap.load_campaign_trend(chosen["campaign_id"], lead_in, date_to, '
            "level=level)\n"
            "longer.attrs.update(currency=fmt.currency, locale=fmt.locale)\n"
            'ax = longer.atribu.plot.trend("spend", rolling=rolling, names=chosen)\n'
            "ax.set_xlim(left=pd.Timestamp(date_from))\n"
            "plt.show()",
        ),
    ),
    (
        "md",
        "Spend per day, one line per entity; the bold line is the rolling average over "
        "the last days, which smooths out weekday swings. Days without delivery count as "
        "zero spend, so a line that drops to the floor means the entity stopped "
        "delivering.",
    ),
    ("md", "## Weekly spend"),
    (
        "code",
        _when(
            "trend is not None",
            "labels = [fmt.short_day(day) for day in weekly.index]\n"
            "ax = weekly.set_axis(labels).plot.bar(stacked=True, rot=0)\n"
            'ax.set(title="Weekly spend", xlabel="Week starting (Monday)", '
            'ylabel=f"Spend ({fmt.currency})")\n'
            "thousands(ax.yaxis, fmt.locale)\n"
            'ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))\n'
            "plt.show()\n"
            'table = weekly.reset_index(names="week")\n'
            "reports.show_table(\n"
            '    table, {"week": ("Week starting", "date")}\n'
            '    | {name: (str(name), "money") for name in weekly.columns},\n'
            '    name="weekly_spend", title="Weekly spend",\n'
            ")",
        ),
    ),
    (
        "md",
        "The same spend added up by week (weeks run Monday to Sunday and are labelled by "
        "their Monday; the first and last weeks may be partial). Stacked bars show how the "
        "total shifts between entities from one week to the next.",
    ),
    ("md", "## Cost and engagement over time"),
    (
        "code",
        _when(
            "trend is not None",
            'fig, axes = plt.subplots(1, 3, figsize=(12, 4), layout="constrained")\n'
            'for ax, value, heading in zip(axes, ["ctr", "cpc", "cpm"], '
            '["CTR (%)", "Cost per click", "Cost per 1,000 impressions"]):\n'
            '    trend.atribu.plot.trend(value, freq="W", names=chosen, ax=ax)\n'
            "    ax.set_title(heading)\n"
            "    if ax.get_legend() is not None:\n"
            "        ax.get_legend().remove()\n"
            "handles, names = axes[0].get_legend_handles_labels()\n"
            'fig.legend(handles, names, loc="outside lower center", ncols=min(len(names), 3))\n'
            "plt.show()",
        ),
    ),
    (
        "md",
        "Weekly click-through rate, cost per click and cost per thousand impressions, each "
        "computed from the week's totals (not an average of daily rates). A rising CPM "
        "means reaching people got more expensive (competition, a narrow audience); a "
        "falling CTR on a steady CPM usually means the creative is wearing out.",
    ),
    ("md", "## ROAS and cost per outcome over time"),
    (
        "code",
        _when(
            "trend is not None",
            'weeks = ap.load_campaign_periods(date_from, date_to, freq="W", model=model, '
            "level=level)\n"
            "weeks.attrs.update(currency=fmt.currency, locale=fmt.locale)\n"
            "report_frames.append(weeks)\n"
            'followed = weeks[weeks["campaign_id"].isin(chosen["campaign_id"])]\n'
            "followed.atribu.plot.roas_over_time(top=min(top, 5))\n"
            "plt.show()\n"
            'cac = followed.atribu.pivot_trend("cac")\n'
            "cac.index = pd.Index([fmt.short_day(d) for d in cac.index], "
            'name="Week starting")\n'
            'ax = cac.plot(marker="o")\n'
            'ax.set(title="Cost per outcome by week", xlabel="Week starting (Monday)", '
            'ylabel=f"Spend per outcome ({fmt.currency})")\n'
            'ax.legend(title="", loc="upper left", bbox_to_anchor=(1.01, 1.0))\n'
            "plt.show()",
        ),
    ),
    (
        "md",
        "The return on spend and the cost of one outcome, week by week (ISO weeks, "
        "Monday to Sunday), for the entities followed above. Both are ratios of each "
        'week\'s totals, from one request per week, so they answer "how did ROAS move?" '
        "directly. A gap in a line is a week where the entity had no outcome (no cost per "
        "outcome to show) or was outside that week's top 100. Hatched bars mark weeks that "
        "are cut by the window or still being filled in.",
    ),
    (
        "footer",
        _footer(
            [
                "date_from",
                "date_to",
                "level",
                "model",
                "top",
                "rolling",
                "currency",
                "locale",
                "client_name",
            ]
        ),
    ),
]

AGENCY_OVERVIEW: Cells = [
    (
        "params",
        DATES + "\n"
        'model = "last_touch"  # attribution model, see atribu_pandas.MODELS\n'
        "top = 10  # ads in the cross-client leaderboard, 1 to 50\n" + _present("Agency overview"),
    ),
    (
        "code",
        _setup(
            "Every client profile side by side: spend, attributed value, ROAS and cost per "
            "outcome against the previous period, the best ads across all clients, and the "
            "creative ideas that work for more than one of them."
        )
        + "\nfrom atribu_pandas.loaders.workspace import default_workspace",
    ),
    (
        "code",
        "# Without ATRIBU_API_KEYS: the sandbox's demo profiles, and the banner says so.\n"
        "ws = default_workspace(progress=False)\n"
        "with warnings.catch_warnings(record=True) as caught:\n"
        '    warnings.simplefilter("always", ap.WorkspaceWarning)\n'
        "    both = ws.load_period_comparison(date_from, date_to, model=model)\n"
        "    leaders = ws.top_performers(top=50)\n"
        "report_frames = [both, leaders]\n"
        'reports.show_banner(*report_frames, key_variable="ATRIBU_API_KEYS")\n'
        'failed = both.attrs["atribu"]["failed"] + leaders.attrs["atribu"]["failed"]\n'
        "if failed:\n"
        '    names = sorted({f["profile"] for f in failed})\n'
        '    reports.show_markdown(f"**Left out** (their key was refused or did not answer): '
        "{', '.join(names)}.\")\n"
        "clients = None\n"
        "if both.empty:\n"
        + "\n".join("    " + line for line in EMPTY_WINDOW.splitlines())
        + "\nelse:\n"
        '    clients = both.atribu.compare_periods_by("profile")\n'
        "    reports.show_markdown(\n"
        '        f"Window: **{fmt.date(date_from)} to {fmt.date(date_to)}** against the {days} "\n'
        '        f"days before. Attribution model: **{model}**: {MODEL_DESCRIPTIONS[model]} "\n'
        '        f"Clients: **{len(ws)}**."\n'
        "    )\n"
        "    reports.show_summary(summary.client_summary(clients, fmt))",
    ),
    ("md", "## Clients at a glance"),
    (
        "code",
        _when(
            "clients is not None",
            "reports.show_table(\n"
            "    clients,\n"
            "    {\n"
            '        "profile": ("Client", "text"), "spend_current": ("Spend", "money"),\n'
            '        "spend_change_pct": ("Spend vs prev.", "signed_percent"),\n'
            '        "outcome_value_current": ("Value", "money"),\n'
            '        "outcome_value_change_pct": ("Value vs prev.", "signed_percent"),\n'
            '        "roas_current": ("ROAS", "times"),\n'
            '        "roas_change": ("ROAS vs prev.", "signed_times"),\n'
            '        "cac_current": ("Cost per outcome", "money"),\n'
            '        "cac_change_pct": ("CAC vs prev.", "signed_percent"),\n'
            "    },\n"
            '    name="clients", title="Clients at a glance",\n'
            '    style=lambda s: s.background_gradient(subset=["ROAS"], cmap="Blues"),\n'
            ")\n"
            "# The data-quality footnote: recent days still being filled in, thin evidence.\n"
            'note = both.attrs["atribu"].get("quality", {}).get("note")\n'
            "if note:\n"
            '    reports.show_markdown(f"*{note}*")',
        ),
    ),
    (
        "md",
        "One row per client profile. *Spend*, *Value* (attributed revenue), *ROAS* "
        "(value divided by spend) and *Cost per outcome* (spend divided by sales, leads or "
        "booked appointments) cover this window; each *vs prev.* column says how far it "
        "moved from the window just before. The ratios come from each client's totals, so "
        "one lucky campaign cannot skew them.",
    ),
    ("md", "## ROAS by client, this period against the last"),
    (
        "code",
        _when(
            "clients is not None",
            'chart = clients.set_index("profile")[["roas_reference", "roas_current"]]\n'
            'chart.columns = ["Previous period", "This period"]\n'
            'ax = chart.plot.barh(color=["#56B4E9", "#0072B2"])\n'
            'ax.axvline(1.0, color="0.35", linestyle="--", label="Break-even (ROAS = 1)")\n'
            'ax.set(title="ROAS by client", xlabel=f"ROAS ({fmt.currency} of value per '
            '{fmt.currency} of spend)", ylabel="")\n'
            'ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))\n'
            "plt.show()\n"
            "for row in clients.itertuples():\n"
            "    if pd.notna(row.roas_change) and abs(row.roas_change) >= 0.25:\n"
            '        verb = "rose" if row.roas_change > 0 else "fell"\n'
            '        reports.show_markdown(f"ROAS of **{row.profile}** {verb} from '
            '{times(row.roas_reference)} to {times(row.roas_current)}.")',
        ),
    ),
    (
        "md",
        "Each client gets two bars: the light one is the previous period's ROAS, the dark "
        "one this period's. The dashed line is break-even. A client whose dark bar is "
        "much shorter than its light one is the first to look at this week.",
    ),
    ("md", "## Best ads across all clients"),
    (
        "code",
        "if leaders.empty:\n"
        '    reports.show_markdown("No ad has been scored yet in any client profile.")\n'
        "else:\n"
        "    reports.show_table(\n"
        "        leaders.head(top),\n"
        "        {\n"
        '            "workspace_rank": ("Rank", "number"), "profile": ("Client", "text"),\n'
        '            "ad_name": ("Ad", "text"), "composite_score": ("Score", "score"),\n'
        '            "top_performer_likelihood": ("Likelihood", "fraction"),\n'
        '            "spend": ("Spend", "money"), "roas": ("ROAS", "times"),\n'
        '            "maturity_stage": ("Maturity", "label"),\n'
        "        },\n"
        '        name="best_ads", title="Best ads across clients",\n'
        '        style=lambda s: s.bar(subset=["Score"], color="#9ecae1", vmin=0, vmax=100),\n'
        "    )",
    ),
    (
        "md",
        "Ads from every client in one ranking by *Score* (0 to 100). The score compares "
        "each ad with comparable creative (same channel, format, objective, audience), so "
        "a small clinic's ad and a large group's are ranked on the same footing. "
        "*Likelihood* is the estimated chance the ad is a real top performer; *Maturity* "
        "says how settled the score is (act on mature ones).",
    ),
    ("md", "## Creative ideas that recur"),
    (
        "code",
        "patterns = None if leaders.empty else ws.creative_patterns(leaders)\n"
        "if patterns is None or patterns.empty:\n"
        '    reports.show_markdown("No hook, format, call to action or angle appears among the '
        'top ads of more than one client.")\n'
        "else:\n"
        "    reports.show_table(\n"
        "        patterns.head(top),\n"
        "        {\n"
        '            "trait": ("Trait", "label"), "value": ("Value", "label"),\n'
        '            "profiles": ("Clients", "number"), "ads": ("Ads", "number"),\n'
        '            "composite_score_mean": ("Mean score", "score"), "roas": ("ROAS", "times"),\n'
        '            "example_ad": ("Example", "text"), "profile_names": ("Seen at", "text"),\n'
        "        },\n"
        '        name="creative_patterns", title="Creative ideas that recur",\n'
        "    )",
    ),
    (
        "md",
        "The creative DNA (the hook, the format, the call to action, the angle) of the "
        "50 best ads across clients, counted trait by trait: a row appears when at least "
        "two clients have a top ad with it. *Clients* says in how many profiles it works, "
        "*ROAS* is the pooled return of those ads. These are the ideas worth trying for "
        "the clients that do not use them yet.",
    ),
    (
        "footer",
        _footer(["date_from", "date_to", "model", "top", "currency", "locale", "client_name"]),
    ),
]

# The interactive dashboard: no parameters cell (it is not a report), the pickers instead.
EXPLORE: Cells = [
    (
        "md",
        "# Explore your campaigns\n\n"
        "Pick a **date window**, an **attribution model** and a **level**, and the table and "
        "the two\ncharts below redraw with the matching figures from Atribu.\n\n"
        "- **Dates**: a preset such as *Last 28 complete days* (complete days end yesterday, "
        "because\n  today is still filling up), or your own range with *From* and *To*. A "
        "window can be at most\n  366 days; a range the API would refuse is not applied, and "
        "the reason is shown in red.\n"
        "- **Model**: how credit for each sale or lead is shared between the ads a customer "
        "saw.\n  *last_touch* gives it all to the last ad; *linear* splits it equally; the "
        "dropdown says\n  in one line what each model does. Comparing models shows which "
        "campaigns depend on it.\n"
        "- **Level**: campaigns, or the same figures with delivery (impressions, clicks, CTR, "
        "CAC)\n  for campaigns, ad sets or ads.\n\n"
        "**How to read the charts.** *Return on ad spend* (ROAS) is attributed value divided "
        "by\nspend: a bar past the dashed line at 1 earned more than it cost. In *Spend "
        "against value*\neach dot is a campaign; dots above the dashed diagonal returned more "
        "than they spent.\n\n"
        "No API key? The dashboard then runs on Atribu's built-in **demo data** (a sandbox "
        "with\nmade-up clinics) and says so. Set `ATRIBU_API_KEY` in your environment before "
        "starting\nJupyter to see your own account. Repeating a choice is fast: answers are "
        "cached.",
    ),
    ("code", "import atribu_pandas as ap\n\nap.widgets.explore()"),
    (
        "md",
        "## Without the dashboard\n\n"
        "Every choice is also plain Python, for a script or a scheduled report:\n\n"
        "```python\n"
        'dates = ap.widgets.DateWindowPicker("last_28_days")\n'
        'df = ap.load_campaigns(*dates.value, model="time_decay", level="campaign")\n'
        "```",
    ),
]

NOTEBOOKS: dict[str, Cells] = {
    "campaign_performance": CAMPAIGN_PERFORMANCE,
    "attribution_models": ATTRIBUTION_MODELS,
    "top_performers": TOP_PERFORMERS,
    "trends": TRENDS,
    "agency_overview": AGENCY_OVERVIEW,
    "explore": EXPLORE,
}


def build(name: str, cells: Cells) -> nbformat.NotebookNode:
    """Return the notebook ``name`` made of ``cells``, without outputs."""
    nb = new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    for index, (kind, source) in enumerate(cells):
        if kind == "md":
            cell = new_markdown_cell(source)
        else:
            cell = new_code_cell(source)
            if kind == "params":
                cell.metadata["tags"] = ["parameters"]
            if kind == "footer":
                # Kept by the export when an empty window leaves one page.
                cell.metadata["tags"] = ["footer"]
        # Stable ids keep rebuilt files identical (nbformat would draw random ones).
        cell.id = f"{name[:20]}-{index:02d}"
        nb.cells.append(cell)
    nbformat.validate(nb)
    return nb


def main(argv: list[str] | None = None) -> int:
    """Write every notebook (or those named in ``argv``) beside this script."""
    names = argv or list(NOTEBOOKS)
    for name in names:
        path = HERE / f"{name}.ipynb"
        nbformat.write(build(name, NOTEBOOKS[name]), path)
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
