# %% tags=["parameters"]
date_from = None  # first day, "YYYY-MM-DD"; None: 27 days before date_to
date_to = None  # last day, "YYYY-MM-DD"; None: yesterday, the last complete day
model = "last_touch"  # attribution model, see atribu_pandas.MODELS
level = "ad"  # drill-down level: campaign, ad_set or ad
top = 10  # rows in the tables and bars in the charts
client_name = ""  # who the report is for, shown at the top
title = "Campaign performance"  # the report's heading
currency = None  # ISO 4217 code of the amounts; None: ATRIBU_CURRENCY, else USD
locale = "en_US"  # number and date formats, e.g. en_GB, de_DE, es_MX
logo = None  # a local image file shown at the top
notes = ""  # your own words at the top (Markdown)

# %%
# %matplotlib inline
# %config InlineBackend.figure_formats = ["png"]
import warnings

import matplotlib.pyplot as plt
import pandas as pd

import atribu_pandas as ap
from atribu_pandas import reports
from atribu_pandas.core.vocabulary import MODEL_DESCRIPTIONS
from atribu_pandas.display.charts.theme import use_theme
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
date_from, date_to = reports.resolve_window(date_from, date_to)
days = (pd.Timestamp(date_to) - pd.Timestamp(date_from)).days + 1
fmt = reports.start(
    title,
    client_name=client_name,
    currency=currency,
    locale=locale,
    logo=logo,
    notes=notes,
    subtitle=(
        "Which campaigns spent the budget, what they brought back, and where the money works "
        "hardest, for one date window and one attribution model."
    ),
)
money, times, number, percent = fmt.money, fmt.times, fmt.number, fmt.percent
MODEL_LABELS = {m: m.replace("_", " ").capitalize() for m in ap.MODELS}

# %%
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always", ap.TruncatedResultWarning)
    campaigns = ap.load_campaigns(date_from, date_to, model=model, level="campaign", limit=100)
# Exactly 100 rows came back: more campaigns may exist, and the totals leave them out.
truncated = any(issubclass(w.category, ap.TruncatedResultWarning) for w in caught)
detail = ap.load_campaigns(date_from, date_to, model=model, level=level, limit=100)
report_frames = [campaigns, detail]
reports.show_banner(*report_frames)
if campaigns.empty:
    reports.show_empty(
        f"No delivery in this window ({fmt.date(date_from)} to {fmt.date(date_to)}): nothing "
        "was spent and nothing was attributed.",
        reports.empty_window_advice(date_from, date_to, *report_frames),
    )
else:
    reports.show_markdown(
        f"Window: **{fmt.date(date_from)} to {fmt.date(date_to)}** ({days} days, both included). "
        f"Attribution model: **{model}**: {MODEL_DESCRIPTIONS[model]}"
    )
    both = ap.load_period_comparison(date_from, date_to, model=model)
    report_frames.append(both)
    change = both.atribu.compare_periods()
    reports.show_summary(
        summary.campaign_summary(
            campaigns, fmt, days=days, detail=detail, level=level, previous=change.totals
        )
    )

# %% [markdown]
# ## Headline numbers

# %%
if not campaigns.empty:
    total = campaigns.atribu.rollup().iloc[0]  # sums, with ROAS and CAC from the sums
    reports.show_kpis(
        {
            "Spend": money(total["spend"]),
            "Attributed value": money(total["outcome_value"]),
            "Outcomes": number(total["outcome_count"]),
            "ROAS": times(total["roas"]),
            "Cost per outcome": money(total["cac"]),
            "Campaigns": number(len(campaigns)),
        }
    )
    if truncated:
        reports.show_markdown(
            f"*Note: the API returns at most {len(campaigns)} campaigns at a time and returned "
            f"that many, so more campaigns may have run in this window: these totals "
            f"cover the {len(campaigns)} with the most attributed value only.*"
        )
    reports.show_markdown(
        "**How to read this.** *Spend* is what the ad platforms charged in the "
        "window. *Attributed value* is the revenue the chosen model credits to these "
        f"campaigns. *ROAS* (return on ad spend) is value divided by spend: {times(3)} "
        f"means every {money(1)} spent brought back {money(3)}. *Cost per outcome* is "
        "spend divided "
        "by outcomes (sales, leads, booked appointments). Both ratios come from the "
        "totals, not from an average of each campaign's ratio, so a small campaign "
        "with a lucky week cannot skew them."
    )

# %% [markdown]
# ### Against the previous period

# %%
if not campaigns.empty:
    t = change.totals

    def moved(metric, show):
        before, pct = t.at[metric, "reference"], t.at[metric, "change_pct"]
        return f"{fmt.signed_percent(pct)} (from {show(before)})"

    reports.show_kpis(
        {
            "Spend": moved("spend", money),
            "Attributed value": moved("outcome_value", money),
            "Outcomes": moved("outcome_count", number),
            "ROAS": moved("roas", times),
            "Cost per outcome": moved("cac", money),
        }
    )
    movers = change.table[(change.table["status"] == "both") & ~change.table["low_evidence"]]
    movers = movers.reindex(movers["roas_change"].abs().sort_values(ascending=False).index)
    lines = [
        f"ROAS of **{row.campaign_name}** {'rose' if row.roas_change > 0 else 'fell'} "
        f"from {times(row.roas_reference)} to {times(row.roas_current)}."
        for row in movers.head(3).itertuples()
        if pd.notna(row.roas_change) and row.roas_change != 0
    ]
    for status, verb in (("new", "new in this period"), ("gone", "gone since the last")):
        names = change.table.loc[change.table["status"] == status, "campaign_name"].tolist()
        if names:
            lines.append(f"{len(names)} {verb}: {', '.join(names[:3])}.")
    if change.note:
        lines.append(f"*{change.note}*")
    reports.show_markdown("  \n".join(lines))

# %% [markdown]
# The same headline numbers for the window just before this one (as many days, ending the day
# before it starts), and how far each moved. ROAS and cost per outcome are compared as ratios of
# the totals. Campaigns *new* here were absent from the earlier window (or outside its top 100),
# and *gone* ones the other way round.

# %% [markdown]
# ## Top campaigns

# %%
if not campaigns.empty:
    reports.show_table(
        campaigns.atribu.recompute().head(top),
        {
            "campaign_name": ("Campaign", "text"),
            "objective": ("Objective", "label"),
            "status": ("Status", "label"),
            "spend": ("Spend", "money"),
            "outcome_count": ("Outcomes", "number"),
            "outcome_value": ("Value", "money"),
            "roas": ("ROAS", "times"),
            "cac": ("Cost per outcome", "money"),
        },
        name="top_campaigns",
        title="Top campaigns",
        style=lambda s: s.background_gradient(subset=["ROAS"], cmap="Blues"),
    )

# %% [markdown]
# The campaigns that brought the most attributed value, largest first. A darker blue ROAS cell
# marks a campaign that returns more for each unit spent; *Cost per outcome* tells you what one
# sale or lead costs in that campaign. A dash means there was nothing to divide by (no spend, or
# no outcomes).

# %% [markdown]
# ## Return on ad spend by campaign

# %%
if not campaigns.empty:
    campaigns.atribu.plot.roas_bar(top=top)
    plt.show()
    ranked = campaigns.head(top).dropna(subset=["roas"]).sort_values("roas", ascending=False)
    if len(ranked):
        best = ranked.iloc[0]
        below = ranked[ranked["roas"] < 1]
        text = (
            f"**{best['campaign_name']}** returned the most per unit of spend "
            f"({times(best['roas'])})."
        )
        if len(below):
            names = ", ".join(below["campaign_name"])
            text += f" {len(below)} of them earned back less than they cost: {names}."
        reports.show_markdown(text)

# %% [markdown]
# Each bar is one campaign's ROAS, its value written at its end. The dashed line marks 1.0,
# break-even: a bar that ends to the right of it brings back more than it costs, a bar that stops
# short of it loses money on this attribution model (a ROAS of 0 shows as a mark at zero). Compare
# bars, not just the longest one: a high ROAS on very little spend may not hold when the budget
# grows.

# %% [markdown]
# ## Spend against value

# %%
if not campaigns.empty:
    campaigns.atribu.plot.spend_vs_value()
    plt.show()

# %% [markdown]
# Each dot is a campaign: further right means more spend, higher means more attributed value, and
# a bigger dot means more outcomes. Dots above the dashed line (ROAS = 1) pay for themselves. The
# campaigns far to the right decide the overall result: a dot there that sits below the line is
# where a budget change matters most.

# %% [markdown]
# ## Weekly ROAS

# %%
if not campaigns.empty:
    weeks_from = pd.Timestamp(date_to) - pd.Timedelta(weeks=12) + pd.Timedelta(days=1)
    weeks = ap.load_campaign_periods(weeks_from, date_to, freq="W", model=model)
    weeks.attrs.update(currency=fmt.currency, locale=fmt.locale)  # as the tables say them
    report_frames.append(weeks)
    if not weeks.empty:
        weeks.atribu.plot.roas_over_time(top=3)
        plt.show()
        totals = weeks.atribu.period_totals()
        full = totals[~totals["is_partial"] & ~totals["restating"]]
        if len(full):
            best = full.loc[full["roas"].idxmax()]
            worst = full.loc[full["roas"].idxmin()]
            reports.show_markdown(
                f"Over the 12 weeks to {fmt.date(date_to)}, the best complete week started "
                f"{fmt.date(best['period_start'])} (ROAS {times(best['roas'])}) and the "
                f"weakest started {fmt.date(worst['period_start'])} "
                f"({times(worst['roas'])})."
            )

# %% [markdown]
# Spend per ISO week (Monday to Sunday) as bars, and the return on that spend as the dark line
# (thin lines: the three campaigns with the most spend). Each week's ROAS is that week's value
# divided by that week's spend, from one request per week. Hatched bars and hollow dots mark weeks
# the window cuts, or the last few days, which Atribu is still filling in: expect them to move.

# %% [markdown]
# ## Drill-down

# %%
if not detail.empty:
    reports.show_table(
        detail.head(top),
        {
            "campaign_name": (level.replace("_", " ").capitalize(), "text"),
            "parent_name": ("Parent", "text"),
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
        },
        name="drill_down",
        title="Drill-down",
        caption=f"The {top} best {level.replace('_', ' ')}s by attributed value.",
    )

# %% [markdown]
# The same money, one level down, so you can see which ad sets or ads carry each campaign.
# *Parent* is the campaign (or ad set) above. *CTR* is the share of people who saw the ad and
# clicked; *CPC* the cost of one click; *CPM* the cost of a thousand impressions. A high CTR with
# a poor ROAS usually points at the landing page or the offer, not the ad.

# %% [markdown]
# ## Daily spend of the top 5 campaigns

# %%
if not campaigns.empty:
    top5 = campaigns.head(5)
    # Six days before the window too, so the 7-day average starts on its first day.
    lead_in = (pd.Timestamp(date_from) - pd.Timedelta(days=6)).strftime("%Y-%m-%d")
    trend = ap.load_campaign_trend(top5["campaign_id"], lead_in, date_to, level="campaign")
    trend.attrs.update(currency=fmt.currency, locale=fmt.locale)  # as the tables
    ax = trend.atribu.plot.trend("spend", rolling=7, names=top5)
    ax.set_xlim(left=pd.Timestamp(date_from))
    plt.show()

# %% [markdown]
# Daily spend of the five campaigns with the most attributed value; the bold line is the 7-day
# average, which smooths out weekday swings. A line that drops to zero means the campaign stopped
# delivering (paused, or out of budget); a steady climb means the platform is spending more of the
# budget.

# %% tags=["footer"]
reports.show_footer(
    {
        "date_from": date_from,
        "date_to": date_to,
        "model": model,
        "level": level,
        "top": top,
        "currency": currency,
        "locale": locale,
        "client_name": client_name,
    },
    *report_frames,
)
