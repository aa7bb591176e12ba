"""Write the report notebooks from the cell sources below, so they are reproducible.

Run ``python notebooks/build_notebooks.py`` after editing a cell here; never edit the
``.ipynb`` files by hand. Each report notebook gets: a title, a cell tagged
``parameters`` (what ``atribu-pandas report`` may override), a setup cell, the analysis
with a plain-words explanation under every chart, and a footer cell. The notebooks are
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

# (kind, source) pairs; kind is "md", "code" or "params".
Cells = list[tuple[str, str]]

DATES = """date_from = None  # first day, "YYYY-MM-DD"; None: 27 days before date_to
date_to = None  # last day, "YYYY-MM-DD"; None: yesterday, the last complete day"""

SETUP = """%matplotlib inline
%config InlineBackend.figure_formats = ["png"]
import warnings

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown, display

import atribu_pandas as ap
from atribu_pandas import reports
from atribu_pandas.metrics import ReachNotAdditiveWarning
from atribu_pandas.vocabulary import MODEL_DESCRIPTIONS

# The banner below says when the data is demo data, and the text says how many rows
# were fetched: the loaders' warnings would only repeat it in red. Where a cut list
# changes a total, the report records the warning and says so in words.
warnings.simplefilter("ignore", ap.DemoDataWarning)
warnings.simplefilter("ignore", ap.TruncatedResultWarning)
# The reports never show reach totals, so reach being dropped from a rollup is no news.
warnings.simplefilter("ignore", ReachNotAdditiveWarning)
plt.rcParams.update({"figure.figsize": (9, 4.5), "figure.dpi": 100})


def money(x):
    return "n/a" if pd.isna(x) else f"{x:,.0f}"


def times(x):
    return "n/a" if pd.isna(x) else f"{x:.2f}x\""""

SETUP_WINDOW = (
    SETUP
    + """

date_from, date_to = reports.resolve_window(date_from, date_to)"""
)

EXPLAIN_MODEL = """display(Markdown(
    f"Window: **{date_from} to {date_to}** (both days included). "
    f"Attribution model: **{model}**: {MODEL_DESCRIPTIONS[model]}"
))"""


def _footer(names: list[str]) -> str:
    args = ", ".join(f'"{n}": {n}' for n in names)
    return f"reports.show_footer({{{args}}}, *report_frames)"


# Said once where the data is loaded, then under each section that needs rows.
NO_DELIVERY = (
    'nothing = f"No delivery in this window ({date_from} to {date_to}): nothing was spent '
    'and nothing was attributed, so there is nothing to chart. Pick a later window."'
)


def _unless(condition: str, body: str, message: str = "nothing") -> str:
    """``body`` run only when ``condition`` is false; otherwise ``message`` is shown."""
    indented = "\n".join(f"    {line}" if line else "" for line in body.splitlines())
    return f"if {condition}:\n    display(Markdown({message}))\nelse:\n{indented}"


# Headline numbers against the previous window of the same length (campaign_performance).
VS_PREVIOUS = _unless(
    "campaigns.empty",
    "both = ap.load_period_comparison(date_from, date_to, model=model)\n"
    "report_frames.append(both)\n"
    "change = both.atribu.compare_periods()\n"
    "t = change.totals\n"
    "\n"
    "def moved(metric, fmt):\n"
    '    before, pct = t.at[metric, "reference"], t.at[metric, "change_pct"]\n'
    '    arrow = "n/a" if pd.isna(pct) else f"{pct:+.0f}%"\n'
    '    return f"{arrow} (from {fmt(before)})"\n'
    "\n"
    "reports.show_kpis({\n"
    '    "Spend": moved("spend", money),\n'
    '    "Attributed value": moved("outcome_value", money),\n'
    '    "Outcomes": moved("outcome_count", money),\n'
    '    "ROAS": moved("roas", times),\n'
    '    "Cost per outcome": moved("cac", money),\n'
    "})\n"
    'display(Markdown(change.summary().replace("\\n", "  \\n")))',
)

# Weekly ROAS over the 12 weeks ending on the report's last day (campaign_performance).
WEEKLY_ROAS = (
    "weeks_from = pd.Timestamp(date_to) - pd.Timedelta(weeks=12) + pd.Timedelta(days=1)\n"
    'weeks = ap.load_campaign_periods(weeks_from, date_to, freq="W", model=model)\n'
    "report_frames.append(weeks)\n"
    + _unless(
        "weeks.empty",
        "weeks.atribu.plot.roas_over_time(top=3)\n"
        "plt.show()\n"
        "totals = weeks.atribu.period_totals()\n"
        'full = totals[~totals["is_partial"] & ~totals["restating"]]\n'
        "if len(full):\n"
        '    best = full.loc[full["roas"].idxmax()]\n'
        '    worst = full.loc[full["roas"].idxmin()]\n'
        "    display(Markdown(\n"
        '        f"Over the 12 weeks to {date_to}, the best complete week started '
        "{best['period_start']:%b %d} \"\n"
        "        f\"(ROAS {times(best['roas'])}) and the weakest started "
        "{worst['period_start']:%b %d} ({times(worst['roas'])}).\"\n"
        "    ))",
        'f"No delivery in the 12 weeks to {date_to}."',
    )
)


CAMPAIGN_PERFORMANCE: Cells = [
    (
        "md",
        "# Campaign performance\n\n"
        "Which campaigns spent the budget, what they brought back, and where the money "
        "works hardest, for one date window and one attribution model.",
    ),
    (
        "params",
        DATES + "\n"
        'model = "last_touch"  # attribution model, see atribu_pandas.MODELS\n'
        'level = "ad"  # drill-down level: campaign, ad_set or ad\n'
        "top = 10  # rows in the tables and bars in the charts",
    ),
    ("code", SETUP_WINDOW),
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
        "reports.show_banner(*report_frames)\n" + EXPLAIN_MODEL + "\n" + NO_DELIVERY + "\n"
        "if campaigns.empty:\n"
        '    display(Markdown(f"**{nothing}**"))',
    ),
    ("md", "## Headline numbers"),
    (
        "code",
        _unless(
            "campaigns.empty",
            "total = campaigns.atribu.rollup().iloc[0]  # sums, with ROAS and CAC from the sums\n"
            "reports.show_kpis({\n"
            '    "Spend": money(total["spend"]),\n'
            '    "Attributed value": money(total["outcome_value"]),\n'
            '    "Outcomes": f"{total[\'outcome_count\']:,.0f}",\n'
            '    "ROAS": times(total["roas"]),\n'
            '    "Cost per outcome": money(total["cac"]),\n'
            '    "Campaigns": f"{len(campaigns)}",\n'
            "})\n"
            "if truncated:\n"
            "    display(Markdown(\n"
            '        f"*Note: the API returns at most {len(campaigns)} campaigns at a time and '
            'returned that many, so more campaigns may have run in this window: these totals "\n'
            '        f"cover the {len(campaigns)} with the most attributed value only.*"\n'
            "    ))",
        ),
    ),
    (
        "md",
        "**How to read this.** *Spend* is what the ad platforms charged in the window. "
        "*Attributed value* is the revenue the chosen model credits to these campaigns. "
        "*ROAS* (return on ad spend) is value divided by spend: 3.00x means every 1 spent "
        "brought back 3. *Cost per outcome* is spend divided by outcomes (sales, leads, "
        "booked appointments). Both ratios come from the totals, not from an average of "
        "each campaign's ratio, so a small campaign with a lucky week cannot skew them.",
    ),
    ("md", "### Against the previous period"),
    (
        "code",
        VS_PREVIOUS,
    ),
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
        "columns = {\n"
        '    "campaign_name": "Campaign", "objective": "Objective", "status": "Status",\n'
        '    "spend": "Spend", "outcome_count": "Outcomes", "outcome_value": "Value",\n'
        '    "roas": "ROAS", "cac": "Cost per outcome",\n'
        "}\n"
        + _unless(
            "campaigns.empty",
            "table = campaigns.atribu.recompute().head(top)[list(columns)]"
            ".rename(columns=columns)\n"
            "display(\n"
            '    table.style.hide(axis="index").format(precision=2, thousands=",", '
            'na_rep="n/a")\n'
            '    .background_gradient(subset=["ROAS"], cmap="Greens")\n'
            ")",
        ),
    ),
    (
        "md",
        "The campaigns that brought the most attributed value, largest first. A dark green "
        "ROAS cell marks a campaign that returns the most for each unit spent; "
        "*Cost per outcome* tells you what one sale or lead costs in that campaign. "
        "*n/a* means there was nothing to divide by (no spend, or no outcomes).",
    ),
    ("md", "## Return on ad spend by campaign"),
    (
        "code",
        _unless(
            "campaigns.empty",
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
            "    display(Markdown(text))",
        ),
    ),
    (
        "md",
        "Each bar is one campaign's ROAS. The dashed line marks 1.0, break-even: a bar "
        "that ends to the right of it brings back more than it costs, a bar that stops "
        "short of it loses money on this attribution model. Compare bars, not just the "
        "longest one: a high ROAS on very little spend may not hold when the budget grows.",
    ),
    ("md", "## Spend against value"),
    ("code", _unless("campaigns.empty", "campaigns.atribu.plot.spend_vs_value()\nplt.show()")),
    (
        "md",
        "Each dot is a campaign: further right means more spend, higher means more "
        "attributed value, and a bigger dot means more outcomes. Dots above the dashed "
        "line (ROAS = 1) pay for themselves. The campaigns far to the right decide the "
        "overall result: a dot there that sits below the line is where a budget change "
        "matters most.",
    ),
    ("md", "## Weekly ROAS"),
    (
        "code",
        WEEKLY_ROAS,
    ),
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
        "columns = {\n"
        '    "campaign_name": level.replace("_", " ").capitalize(), "parent_name": "Parent",\n'
        '    "spend": "Spend", "impressions": "Impressions", "clicks": "Clicks",\n'
        '    "ctr": "CTR %", "avg_cpc": "CPC", "avg_cpm": "CPM",\n'
        '    "outcome_count": "Outcomes", "outcome_value": "Value", "roas": "ROAS",\n'
        '    "cac": "Cost per outcome",\n'
        "}\n"
        + _unless(
            "detail.empty",
            "display(Markdown(f\"The {top} best {level.replace('_', ' ')}s by attributed "
            'value."))\n'
            "table = detail.head(top)[list(columns)].rename(columns=columns)\n"
            'display(table.style.hide(axis="index").format(precision=2, thousands=",", '
            'na_rep="n/a"))',
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
        _unless(
            "campaigns.empty",
            "top5 = campaigns.head(5)\n"
            'trend = ap.load_campaign_trend(top5["campaign_id"], date_from, date_to, '
            'level="campaign")\n'
            "report_frames.append(trend)\n"
            'trend.atribu.plot.trend("spend", rolling=7, names=top5)\n'
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
    ("code", _footer(["date_from", "date_to", "model", "level", "top"])),
]

ATTRIBUTION_MODELS: Cells = [
    (
        "md",
        "# Attribution models compared\n\n"
        "The same sales, credited seven ways. Each attribution model splits the credit for "
        "a sale differently among the ads a customer saw before buying; this report shows "
        "which campaigns look good whatever the model, and which depend on the model you "
        "choose.",
    ),
    (
        "params",
        DATES + "\n"
        'model = "last_touch"  # the baseline model the others are compared with\n'
        "top = 10  # campaigns in the tables, and the N of 'enters the top N'",
    ),
    ("code", SETUP_WINDOW),
    (
        "code",
        "comparison = ap.load_model_comparison(date_from, date_to, limit=100)\n"
        "report_frames = [comparison]\n"
        "reports.show_banner(*report_frames)\n"
        + EXPLAIN_MODEL.replace("Attribution model", "Baseline model")
        + "\n"
        + NO_DELIVERY
        + "\n"
        "if comparison.empty:\n"
        "    cmp = None\n"
        '    display(Markdown(f"**{nothing}**"))\n'
        "else:\n"
        '    cmp = comparison.atribu.compare_models(metric="outcome_value", baseline=model, '
        "top=top)",
    ),
    (
        "code",
        'display(Markdown("\\n".join(f"- **{m}**: {d}" for m, d in MODEL_DESCRIPTIONS.items())))',
    ),
    ("md", "## Attributed value under every model"),
    (
        "code",
        _unless(
            "cmp is None", 'display(cmp.values.head(top).style.format("{:,.0f}", na_rep="n/a"))'
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
        _unless(
            "cmp is None",
            "comparison.atribu.plot.model_heatmap(baseline=model, top=top)\nplt.show()",
        ),
    ),
    (
        "md",
        "Each cell is the campaign's share of all the credit that model hands out. Darker "
        "means a bigger share. A row that changes colour from column to column is a "
        "campaign whose importance depends on the model: be careful cutting or scaling it "
        "on one model's numbers alone.",
    ),
    ("md", "## Change against the baseline"),
    (
        "code",
        _unless(
            "cmp is None",
            'display(cmp.change_pct.head(top).style.format("{:+.0f}%", na_rep="n/a")\n'
            '    .background_gradient(cmap="RdBu", vmin=-100, vmax=100))',
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
        "if cmp is None:\n"
        "    display(Markdown(nothing))\n"
        "elif cmp.flips.empty:\n"
        '    display(Markdown(f"No campaign enters or leaves the top {top}, or moves 3 '
        'places or more, when the model changes."))\n'
        "else:\n"
        '    display(cmp.flips.set_index("entity"))',
    ),
    (
        "md",
        "Campaigns that enter or leave the top list, or move at least three places, "
        "when you switch from the baseline to another model. *places* is positive when "
        "the campaign climbs. These are the campaigns whose ranking you should not quote "
        "without saying which model you used.",
    ),
    ("md", "## In plain words"),
    ("code", _unless("cmp is None", "display(Markdown(cmp.summary()))")),
    ("code", _footer(["date_from", "date_to", "model", "top"])),
]

TOP_PERFORMERS: Cells = [
    (
        "md",
        "# Top performing ads\n\n"
        "Atribu scores every ad against ads like it (same channel, format, objective, "
        "audience warmth, geography and placement: its *cohort*). This report shows the "
        "leaders, how the cohorts compare, how much to trust small ads' numbers, why each "
        "ad scored as it did, and how mature the ads are.",
    ),
    (
        "params",
        'window = "28d"  # scoring window: 7d, 14d, 28d or lifetime\n'
        "limit = 50  # ads fetched, 1 to 50\n"
        "top = 15  # ads in the leaderboard\n"
        'cohort_by = "cohort_format"  # cohort column: cohort_format, cohort_objective...',
    ),
    ("code", SETUP),
    (
        "code",
        "ads = ap.load_top_performers(window=window, limit=limit)\n"
        "report_frames = [ads]\n"
        "reports.show_banner(*report_frames)\n"
        'display(Markdown(f"Scoring window: **{window}**; {len(ads)} ads fetched, ranked '
        'by composite score."))\n'
        'nothing = f"No ad was scored in the {window} window, so there is nothing to rank."\n'
        "if ads.empty:\n"
        '    display(Markdown(f"**{nothing}**"))',
    ),
    ("md", "## Leaderboard"),
    (
        "code",
        "columns = {\n"
        '    "ad_name": "Ad", "campaign_name": "Campaign", "composite_score": "Score",\n'
        '    "top_performer_likelihood": "Likelihood", '
        '"attributed_outcomes_total": "Outcomes",\n'
        '    "spend": "Spend", "roas": "ROAS", "truth_grade": "Truth grade",\n'
        '    "maturity_stage": "Maturity",\n'
        "}\n"
        + _unless(
            "ads.empty",
            "board = ads.head(top)[list(columns)].rename(columns=columns)\n"
            'display(board.style.hide(axis="index").format(precision=2, thousands=",", '
            'na_rep="n/a")\n'
            '    .bar(subset=["Score"], color="#9ecae1", vmin=0, vmax=100))',
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
        _unless(
            "ads.empty",
            "cohorts = ads.atribu.compare_cohorts(by=cohort_by)\n"
            'display(cohorts.style.hide(axis="index").format(precision=2, thousands=",", '
            'na_rep="n/a"))\n'
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
        _unless(
            "ads.empty",
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
        "codes = ads.atribu.reason_codes()\n"
        "if ads.empty:\n"
        "    display(Markdown(nothing))\n"
        "elif codes.empty:\n"
        '    display(Markdown("No reason codes in this window."))\n'
        "else:\n"
        '    summary = codes.pivot_table(index="layer", columns="polarity", '
        'values="ad_name",\n'
        '                                aggfunc="count", fill_value=0, observed=True)\n'
        "    display(summary)\n"
        '    display(codes.drop(columns="ad_external_id").head(top).set_index("ad_name"))',
    ),
    (
        "md",
        "Reason codes explain a score, layer by layer of the funnel (attention, click "
        "intent, conversations, revenue), plus forecast and fatigue notes. A *strength* "
        "puts the ad high within its cohort and a *weakness* low (the percentile says how "
        "high), and *sample_confidence* says how much data stands behind it. The first table "
        "counts them per layer; the second lists the codes of the leading ads.",
    ),
    ("md", "## Maturity"),
    (
        "code",
        _unless(
            "ads.empty",
            'maturity = ads.groupby("maturity_stage", observed=True).agg(\n'
            '    ads=("ad_external_id", "count"), spend=("spend", "sum"))\n'
            'ax = maturity["ads"].plot.bar(color="#6baed6", rot=0)\n'
            'ax.set(title="Ads by maturity stage", xlabel="Maturity stage", ylabel="Ads")\n'
            "plt.show()\n"
            'display(maturity.style.format(precision=0, thousands=","))',
        ),
    ),
    (
        "md",
        "How far along each ad is: a new ad has too little spend or too few impressions "
        "for a firm verdict, a mature one has a track record. A leaderboard full of young "
        "ads will change a lot next week; one led by mature ads is more stable.",
    ),
    ("code", _footer(["window", "limit", "top", "cohort_by"])),
]

TRENDS: Cells = [
    (
        "md",
        "# Trends\n\n"
        "How spend and the cost of reaching people moved day by day and week by week for "
        "the leading campaigns (or ad sets, or ads).",
    ),
    (
        "params",
        DATES + "\n"
        'level = "campaign"  # campaign, ad_set or ad\n'
        'model = "last_touch"  # attribution model used to pick the leaders\n'
        "top = 5  # entities followed, 1 to 20 (10 ids per trend request)\n"
        "rolling = 7  # days in the rolling mean",
    ),
    ("code", SETUP_WINDOW),
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
        "reports.show_banner(*report_frames)\n" + NO_DELIVERY + "\n"
        "display(Markdown(\n"
        '    f"**{nothing}**" if trend is None else\n'
        '    f"Window: **{date_from} to {date_to}**. Following the {len(chosen)} '
        "{level.replace('_', ' ')}s \"\n"
        '    f"with the most attributed value under **{model}**."\n'
        "))",
    ),
    ("md", "## Daily spend"),
    (
        "code",
        _unless(
            "trend is None",
            'trend.atribu.plot.trend("spend", rolling=rolling, names=chosen)\nplt.show()',
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
        _unless(
            "trend is None",
            'weekly = trend.atribu.pivot_trend(values="spend", freq="W", names=chosen)\n'
            'weekly.index = weekly.index.strftime("%b %d").rename("Week ending")\n'
            "ax = weekly.plot.bar(stacked=True, rot=0)\n"
            'ax.set(title="Weekly spend", xlabel="Week ending (Sunday)", ylabel="Spend")\n'
            "plt.show()\n"
            'display(weekly.style.format(precision=0, thousands=","))',
        ),
    ),
    (
        "md",
        "The same spend added up by week (weeks end on Sunday; the first and last weeks "
        "may be partial). Stacked bars show how the total shifts between entities from one "
        "week to the next.",
    ),
    ("md", "## Cost and engagement over time"),
    (
        "code",
        _unless(
            "trend is None",
            "fig, axes = plt.subplots(1, 3, figsize=(12, 3.8))\n"
            'for ax, value, title in zip(axes, ["ctr", "cpc", "cpm"], '
            '["CTR (%)", "Cost per click", "Cost per 1,000 impressions"]):\n'
            '    trend.atribu.plot.trend(value, freq="W", names=chosen, ax=ax)\n'
            "    ax.set_title(title)\n"
            "    if ax is not axes[-1] and ax.get_legend() is not None:\n"
            "        ax.get_legend().remove()\n"
            "fig.tight_layout()\n"
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
        _unless(
            "trend is None",
            'weeks = ap.load_campaign_periods(date_from, date_to, freq="W", model=model, '
            "level=level)\n"
            "report_frames.append(weeks)\n"
            'followed = weeks[weeks["campaign_id"].isin(chosen["campaign_id"])]\n'
            "followed.atribu.plot.roas_over_time(top=min(top, 5))\n"
            "plt.show()\n"
            'cac = followed.atribu.pivot_trend("cac")\n'
            'cac.index = cac.index.strftime("%b %d").rename("Week starting")\n'
            'ax = cac.plot(marker="o")\n'
            'ax.set(title="Cost per outcome by week", xlabel="Week starting (Monday)", '
            'ylabel="Spend per outcome")\n'
            'ax.legend(title="", loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)\n'
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
    ("code", _footer(["date_from", "date_to", "level", "model", "top", "rolling"])),
]

AGENCY_OVERVIEW: Cells = [
    (
        "md",
        "# Agency overview\n\n"
        "Every client profile side by side: spend, attributed value, ROAS and cost per "
        "outcome against the previous period, the best ads across all clients, and the "
        "creative ideas that work for more than one of them.",
    ),
    (
        "params",
        DATES + "\n"
        'model = "last_touch"  # attribution model, see atribu_pandas.MODELS\n'
        "top = 10  # ads in the cross-client leaderboard, 1 to 50",
    ),
    (
        "code",
        SETUP_WINDOW + "\n"
        "from atribu_pandas.workspace import default_workspace\n"
        "\n"
        "# Without ATRIBU_API_KEYS: the sandbox's demo profiles, and the banner says so.\n"
        'warnings.simplefilter("ignore", ap.DemoDataWarning)',
    ),
    (
        "code",
        "ws = default_workspace(progress=False)\n"
        "with warnings.catch_warnings(record=True) as caught:\n"
        '    warnings.simplefilter("always", ap.WorkspaceWarning)\n'
        "    both = ws.load_period_comparison(date_from, date_to, model=model)\n"
        "    leaders = ws.top_performers(limit=50)\n"
        "report_frames = [both, leaders]\n"
        "reports.show_banner(*report_frames)\n"
        "display(Markdown(\n"
        '    f"Window: **{date_from} to {date_to}** against the {len(pd.date_range(date_from, '
        'date_to))} days before. "\n'
        '    f"Attribution model: **{model}**: {MODEL_DESCRIPTIONS[model]} "\n'
        '    f"Clients: **{len(ws)}**."\n'
        "))\n"
        'failed = both.attrs["atribu"]["failed"] + leaders.attrs["atribu"]["failed"]\n'
        "if failed:\n"
        '    names = sorted({f["profile"] for f in failed})\n'
        '    display(Markdown(f"**Left out** (their key was refused or did not answer): '
        "{', '.join(names)}.\"))\n" + NO_DELIVERY + "\n"
        "if both.empty:\n"
        '    display(Markdown(f"**{nothing}**"))',
    ),
    ("md", "## Clients at a glance"),
    (
        "code",
        _unless(
            "both.empty",
            'clients = both.atribu.compare_periods_by("profile")\n'
            "columns = {\n"
            '    "profile": "Client", "spend_current": "Spend",\n'
            '    "spend_change_pct": "Spend vs prev. %", "outcome_value_current": "Value",\n'
            '    "outcome_value_change_pct": "Value vs prev. %",\n'
            '    "roas_current": "ROAS", "roas_change": "ROAS vs prev.",\n'
            '    "cac_current": "Cost per outcome", "cac_change_pct": "CAC vs prev. %",\n'
            "}\n"
            "table = clients[list(columns)].rename(columns=columns)\n"
            "display(\n"
            '    table.style.hide(axis="index").format(precision=2, thousands=",", na_rep="n/a")\n'
            '    .format("{:+.0f}%", na_rep="n/a", subset=[c for c in table if c.endswith("%")])\n'
            '    .background_gradient(subset=["ROAS"], cmap="Greens")\n'
            ")\n"
            "# The data-quality footnote: recent days still being filled in, thin evidence.\n"
            'note = both.attrs["atribu"].get("quality", {}).get("note")\n'
            "if note:\n"
            '    display(Markdown(f"*{note}*"))',
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
        _unless(
            "both.empty",
            'chart = clients.set_index("profile")[["roas_reference", "roas_current"]]\n'
            'chart.columns = ["Previous period", "This period"]\n'
            'ax = chart.plot.barh(color=["#c9d6df", "#1d3557"])\n'
            'ax.axvline(1.0, color="0.35", linestyle="--", label="Break-even (ROAS = 1)")\n'
            'ax.set(title="ROAS by client", xlabel="ROAS (value per unit of spend)", ylabel="")\n'
            'ax.legend(loc="lower right")\n'
            "plt.show()\n"
            "for row in clients.itertuples():\n"
            "    if pd.notna(row.roas_change) and abs(row.roas_change) >= 0.25:\n"
            '        verb = "rose" if row.roas_change > 0 else "fell"\n'
            '        display(Markdown(f"ROAS of **{row.profile}** {verb} from '
            '{times(row.roas_reference)} to {times(row.roas_current)}."))',
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
        "columns = {\n"
        '    "workspace_rank": "Rank", "profile": "Client", "ad_name": "Ad",\n'
        '    "composite_score": "Score", "top_performer_likelihood": "Likelihood",\n'
        '    "spend": "Spend", "roas": "ROAS", "maturity_stage": "Maturity",\n'
        "}\n"
        + _unless(
            "leaders.empty",
            "board = leaders.head(top)[list(columns)].rename(columns=columns)\n"
            'display(board.style.hide(axis="index").format(precision=2, thousands=",", '
            'na_rep="n/a")\n'
            '    .bar(subset=["Score"], color="#9ecae1", vmin=0, vmax=100))',
            '"No ad has been scored yet in any client profile."',
        ),
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
        _unless(
            "leaders.empty",
            "patterns = ws.creative_patterns(leaders)\n"
            "columns = {\n"
            '    "trait": "Trait", "value": "Value", "profiles": "Clients", "ads": "Ads",\n'
            '    "composite_score_mean": "Mean score", "roas": "ROAS", "example_ad": "Example",\n'
            '    "profile_names": "Seen at",\n'
            "}\n"
            "if patterns.empty:\n"
            '    display(Markdown("No hook, format, call to action or angle appears among the '
            'top ads of more than one client."))\n'
            "else:\n"
            '    patterns["trait"] = patterns["trait"].str.replace("_", " ")\n'
            "    display(patterns.head(top)[list(columns)].rename(columns=columns)\n"
            '        .style.hide(axis="index").format(precision=2, thousands=",", na_rep="n/a"))',
            '"No ad has been scored yet in any client profile."',
        ),
    ),
    (
        "md",
        "The creative DNA (the hook, the format, the call to action, the angle) of the "
        "50 best ads across clients, counted trait by trait: a row appears when at least "
        "two clients have a top ad with it. *Clients* says in how many profiles it works, "
        "*ROAS* is the pooled return of those ads. These are the ideas worth trying for "
        "the clients that do not use them yet.",
    ),
    ("code", _footer(["date_from", "date_to", "model", "top"])),
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
