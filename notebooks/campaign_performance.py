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
language = None  # words: en, de, es, fr or pt_BR; None: the locale's (en for others)
logo = None  # a local image file shown at the top
notes = ""  # your own words at the top (Markdown)
target_roas = None  # the client's ROAS target, e.g. 2.5: a line on the ROAS charts, table marks
target_cpa = None  # the client's highest cost per outcome (report currency): marks in the tables
monthly_budget = None  # month budget: an amount or {campaign id or name: amount}; adds pacing

# %%
import matplotlib.pyplot as plt
import pandas as pd

import atribu_pandas as ap
from atribu_pandas import reports
from atribu_pandas.core.language import gettext, ngettext
from atribu_pandas.display.columns import COLUMNS, header
from atribu_pandas.display.labels import label
from atribu_pandas.reports import summary

# %%
subtitle = gettext(
    "Which campaigns spent the budget, what they brought back, and where the money works "
    "hardest, for one date window and one attribution model."
)

# %%
report = reports.setup(
    title,
    subtitle=subtitle,
    date_from=date_from,
    date_to=date_to,
    client_name=client_name,
    currency=currency,
    locale=locale,
    language=language,
    logo=logo,
    notes=notes,
)
fmt = report.formats

# %%
campaigns = report.keep(ap.load_campaigns(*report.window, model=model, level="campaign"))
detail = report.keep(ap.load_campaigns(*report.window, model=model, level=level))
report.banner()
report.end_if_empty(campaigns, gettext("Nothing was spent and nothing was attributed."))
report.show_window(model)

# %%
both = report.keep(ap.load_period_comparison(*report.window, model=model))
change = both.atribu.compare_periods()
targeted = target_roas is not None or target_cpa is not None
flags = campaigns.atribu.against_targets(roas=target_roas, cpa=target_cpa) if targeted else None
pace = month = None
if monthly_budget is not None:
    pace, month = reports.load_pacing(report.date_to, monthly_budget, model=model, keep=report.keep)
reports.show_summary(
    summary.campaign_summary(
        campaigns, fmt, days=report.days, detail=detail, level=level, previous=change.totals
    )
    + (summary.target_summary(flags, fmt) if flags is not None else [])
    + (summary.pacing_summary(pace, fmt) if pace is not None else [])
)

# %% [markdown]
# ## Headline numbers

# %%
total = campaigns.atribu.rollup().iloc[0]  # sums, with ROAS and CAC from the sums
reports.show_kpis(
    {
        gettext("Spend"): (total["spend"], "money"),
        gettext("Attributed value"): (total["outcome_value"], "money"),
        gettext("Outcomes"): (total["outcome_count"], "number"),
        gettext("ROAS"): (total["roas"], "times"),
        gettext("Cost per outcome"): (total["cac"], "money"),
        gettext("Campaigns"): (len(campaigns), "number"),
    },
    name="headline_numbers",
    title=gettext("Headline numbers"),
    columns=["spend", "outcome_value", "outcome_count", "roas", "cac", None],
)
reports.show_markdown(summary.truncation_note(campaigns))

# %%
reports.show_markdown(
    gettext(
        "**How to read this.** *Spend* is what the ad platforms charged in the window. "
        "*Attributed value* is the revenue the chosen model credits to these campaigns. "
        "*ROAS* (return on ad spend) is value divided by spend: {three} means every {one} "
        "spent brought back {three_money}. *Cost per outcome* is spend divided by outcomes "
        "(sales, leads, booked appointments). Both ratios come from the totals, not from an "
        "average of each campaign's ratio, so a small campaign with a lucky week cannot skew "
        "them."
    ).format(three=fmt.times(3), one=fmt.money(1), three_money=fmt.money(3))
)

# %% [markdown]
# ### Against the previous period

# %%
reports.show_kpis(summary.change_kpis(change.totals, fmt))
reports.show_markdown("  \n".join(summary.period_movers(change, fmt)))

# %%
reports.export_table(
    change.totals.reset_index().assign(metric=lambda t: t["metric"].map(header)),
    {"metric": (gettext("Metric"), "text")}
    | {
        side: (title, [COLUMNS[m][1] for m in change.totals.index])
        for side, title in [
            ("current", gettext("This period")),
            ("reference", gettext("Previous period")),
        ]
    }
    | {"change_pct": (gettext("Change"), "signed_percent")},
    name="previous_period",
    title=gettext("Against the previous period"),
)

# %% [markdown]
# The same headline numbers for the window just before this one (as many days, ending the day
# before it starts), and how far each moved. ROAS and cost per outcome are compared as ratios of
# the totals. Campaigns *new* here were absent from the earlier window (or outside its top 100),
# and *gone* ones the other way round.

# %% [markdown]
# ## Top campaigns

# %%
reports.show_table(
    campaigns.atribu.recompute().head(top),
    "campaign_name objective status spend outcome_count outcome_value roas cac",
    name="top_campaigns",
    title=gettext("Top campaigns"),
    style=lambda s: s.background_gradient(subset=[gettext("ROAS")], cmap="Blues"),
    targets=flags,
)

# %% [markdown]
# The campaigns that brought the most attributed value, largest first. A darker blue ROAS cell
# marks a campaign that returns more for each unit spent; *Cost per outcome* tells you what one
# sale or lead costs in that campaign. A dash means there was nothing to divide by (no spend, or
# no outcomes).

# %% [markdown]
# ## Return on ad spend by campaign

# %%
campaigns.atribu.plot.roas_bar(top=top, target=target_roas)
plt.show()
reports.show_markdown(summary.roas_leaders(campaigns.head(top), fmt))
if target_roas is not None:
    reports.show_markdown(
        gettext(
            "The green dash-dotted line is the client's ROAS target, {target}: a bar that stops "
            "short of it returns less than the client asked for."
        ).format(target=fmt.times(target_roas))
    )

# %% [markdown]
# Each bar is one campaign's ROAS, its value written at its end. The dashed line marks 1.0,
# break-even: a bar that ends to the right of it brings back more than it costs, a bar that stops
# short of it loses money on this attribution model (a ROAS of 0 shows as a mark at zero). Compare
# bars, not just the longest one: a high ROAS on very little spend may not hold when the budget
# grows.

# %% [markdown]
# ## Spend against value

# %%
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
twelve_weeks = (pd.Timestamp(report.date_to) - pd.Timedelta(weeks=12, days=-1), report.date_to)
weeks = report.keep(ap.load_campaign_periods(*twelve_weeks, freq="W", model=model))
weeks.atribu.plot.roas_over_time(top=3, target=target_roas)
plt.show()
reports.show_markdown(summary.week_extremes(weeks.atribu.period_totals(), fmt, report.date_to))
reports.export_table(
    weeks.atribu.period_totals(),
    {"period_start": (gettext("Week beginning"), "date"), "spend": None, "outcome_value": None}
    | {"roas": None},
    name="weekly_roas",
    title=gettext("Weekly ROAS"),
)

# %% [markdown]
# Spend per ISO week (Monday to Sunday) as bars, and the return on that spend as the dark line
# (thin lines: the three campaigns with the most spend). Each week's ROAS is that week's value
# divided by that week's spend, from one request per week. Hatched bars and hollow dots mark weeks
# the window cuts, or the last few days, which Atribu is still filling in: expect them to move.

# %% [markdown]
# ## Drill-down

# %%
rows = detail.head(top).copy()
columns = "campaign_name parent_name spend clicks ctr avg_cpc outcome_count outcome_value roas cac"
if level == "ad":  # the API names an ad's ad set; its ad set's row names the campaign
    ad_sets = report.keep(ap.load_campaigns(*report.window, model=model, level="ad_set"))
    rows.insert(1, "campaign", ap.metrics.campaign_names(rows, ad_sets))
    columns = columns.replace("parent_name", "campaign parent_name")
elif level == "campaign":
    columns = columns.replace("parent_name ", "")
parent = {"ad": "ad_set", "ad_set": "campaign"}.get(level, "campaign")
headers = {"campaign_name": label(level), "parent_name": label(parent)}

# %%
n = len(rows)
caption = {
    "campaign": ngettext(
        "The campaign with the most value.", "The {n} campaigns with the most value.", n
    ),
    "ad_set": ngettext(
        "The ad set with the most value.", "The {n} ad sets with the most value.", n
    ),
    "ad": ngettext("The ad with the most value.", "The {n} ads with the most value.", n),
}[level]

# %%
reports.show_table(
    rows,
    columns,
    headers=headers,
    name="drill_down",
    title=gettext("Drill-down"),
    caption=caption.format(n=n),
    targets=rows.atribu.against_targets(roas=target_roas, cpa=target_cpa) if targeted else None,
)

# %% [markdown]
# The same money, one level down, so you can see which ad sets or ads carry each campaign: beside
# each ad, its campaign and its ad set; beside each ad set, its campaign. *CTR* is the share of
# people who saw the ad and clicked; *CPC* the cost of one click. A high CTR with a poor ROAS
# usually points at the landing page or the offer, not the ad.

# %% [markdown]
# ## Daily spend of the top 5 campaigns

# %%
top5 = campaigns.head(5)
# Six days before the window too, so the 7-day average starts on its first day.
lead_in = (pd.Timestamp(report.date_from) - pd.Timedelta(days=6)).strftime("%Y-%m-%d")
trend = ap.load_campaign_trend(top5["campaign_id"], lead_in, report.date_to, level="campaign")
ax = report.keep(trend).atribu.plot.trend("spend", rolling=7, names=top5)
ax.set_xlim(left=pd.Timestamp(report.date_from))
plt.show()
daily = trend.atribu.pivot_trend("spend", names=top5).loc[report.date_from :]
reports.export_table(
    daily.reset_index(names="day"),
    {"day": (gettext("Day"), "date")} | {name: (str(name), "money") for name in daily.columns},
    name="daily_spend",
    title=gettext("Daily spend of the top 5 campaigns"),
)

# %% [markdown]
# Daily spend of the five campaigns with the most attributed value; the bold line is the 7-day
# average, which smooths out weekday swings. A line that drops to zero means the campaign stopped
# delivering (paused, or out of budget); a steady climb means the platform is spending more of the
# budget.

# %%
# Only with a monthly budget: without one, the platforms' daily budgets are the plan.
if pace is not None:
    reports.show_pacing(pace, month)

# %% tags=["footer"]
report.footer(
    dict(date_from=report.date_from, date_to=report.date_to, model=model, level=level, top=top)
    | dict(currency=currency, locale=locale, language=language, client_name=client_name)
    | dict(target_roas=target_roas, target_cpa=target_cpa, monthly_budget=monthly_budget)
)
