# %% tags=["parameters"]
date_from = None  # first day, "YYYY-MM-DD"; None: 27 days before date_to
date_to = None  # last day, "YYYY-MM-DD"; None: yesterday, the last complete day
level = "campaign"  # campaign, ad_set or ad
model = "last_touch"  # attribution model used to pick the leaders
top = 5  # entities followed, 1 to 20 (10 ids per trend request)
rolling = 7  # days in the rolling mean
client_name = ""  # who the report is for, shown at the top
title = "Trends"  # the report's heading
currency = None  # ISO 4217 code of the amounts; None: ATRIBU_CURRENCY, else USD
locale = "en_US"  # number and date formats, e.g. en_GB, de_DE, es_MX
language = None  # words: en, de, es, fr or pt_BR; None: the locale's (en for others)
logo = None  # a local image file shown at the top
notes = ""  # your own words at the top (Markdown)
target_roas = None  # the client's ROAS target, e.g. 2.5: a line on the weekly ROAS chart

# %%
import matplotlib.pyplot as plt
import pandas as pd

import atribu_pandas as ap
from atribu_pandas import reports
from atribu_pandas.core.language import gettext, ngettext
from atribu_pandas.display.charts.theme import legend_below, thousands
from atribu_pandas.display.charts.ticks import set_ticks
from atribu_pandas.display.labels import model_name
from atribu_pandas.loaders.periods import split_periods
from atribu_pandas.reports import summary

# %%
subtitle = gettext(
    "How spend and the cost of reaching people moved day by day and week by week for "
    "the leading campaigns (or ad sets, or ads)."
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
entities = report.keep(ap.load_campaigns(*report.window, model=model, level=level))
report.banner()
report.end_if_empty(entities, gettext("Nothing was spent and nothing was attributed."))
chosen = entities.head(top)  # more than 10 ids: the loader splits them into requests of 10
trend = report.keep(ap.load_campaign_trend(chosen["campaign_id"], *report.window, level=level))
weekly = trend.atribu.pivot_trend(values="spend", freq="W", names=chosen)
report.show_window()

# %%
n = len(chosen)
following = {
    "campaign": ngettext("Following the campaign", "Following the {n} campaigns", n),
    "ad_set": ngettext("Following the ad set", "Following the {n} ad sets", n),
    "ad": ngettext("Following the ad", "Following the {n} ads", n),
}[level]
reports.show_markdown(
    gettext("{following} with the most attributed value under the **{model}** model.").format(
        following=following.format(n=n), model=model_name(model)
    )
)
reports.show_summary(summary.trend_summary(weekly, fmt, level=level, window=report.window))

# %% [markdown]
# ## Daily spend

# %%
# rolling - 1 days before the window too, so the average starts on its first day.
lead_in = pd.Timestamp(report.date_from) - pd.Timedelta(days=rolling - 1)
longer = ap.load_campaign_trend(chosen["campaign_id"], lead_in, report.date_to, level=level)
ax = report.keep(longer).atribu.plot.trend("spend", rolling=rolling, names=chosen)
ax.set_xlim(left=pd.Timestamp(report.date_from))
plt.show()

# %% [markdown]
# Spend per day, one line per campaign (or ad set, or ad); the bold line is the rolling average
# over the last days, which smooths out weekday swings. Days without delivery count as zero spend,
# so a line that drops to the floor means it stopped delivering.

# %% [markdown]
# ## Weekly spend

# %%
# Days of each week inside the window: a week the window cuts shows hatched, not as a drop.
weeks_of = {pd.Timestamp(x.start): x for x in split_periods(*report.window, "W")}
inside = [(weeks_of[d].date_to - weeks_of[d].date_from).days + 1 for d in weekly.index]
ax = weekly.set_axis([fmt.short_day(day) for day in weekly.index]).plot.bar(stacked=True, rot=0)
ax.set(title=gettext("Weekly spend"), xlabel=gettext("Week starting (Monday)"))
ax.set_ylabel(gettext("Spend ({currency})").format(currency=fmt.currency))
thousands(ax.yaxis, fmt.locale)
legend_below(ax, ncol=2)  # before the hatching: a legend swatch is each column's plain colour
for bars in ax.containers:
    for bar, days in zip(bars, inside, strict=True):
        bar.set(hatch="//" if days < 7 else None, alpha=0.45 if days < 7 else 1.0)
plt.show()

# %%
reports.show_table(
    weekly.reset_index(names="week").assign(days=inside),
    {"week": (gettext("Week beginning"), "date"), "days": (gettext("Days in the window"), "number")}
    | {name: (str(name), "money") for name in weekly.columns},
    name="weekly_spend",
    title=gettext("Weekly spend"),
)

# %% [markdown]
# The same spend added up by week (weeks run Monday to Sunday and are labelled by their Monday;
# the first and last weeks may be partial). Stacked bars show how the total shifts between
# campaigns (or ad sets, or ads) from one week to the next. Hatched, paler bars are weeks the
# window cuts: they hold fewer than 7 days (see *Days in the window*), so a short bar there is not
# a drop.

# %% [markdown]
# ## Cost and engagement over time

# %%
fig, axes = plt.subplots(1, 3, figsize=(12, 4), layout="constrained")
headings = {
    "ctr": gettext("Click-through rate (%)"),
    "cpc": gettext("Cost per click"),
    "cpm": gettext("Cost per 1,000 impressions"),
}
for ax, (value, heading) in zip(axes, headings.items(), strict=True):
    trend.atribu.plot.trend(value, freq="W", names=chosen, ax=ax)
    ax.set_title(heading)
    if ax.get_legend() is not None:
        ax.get_legend().remove()
handles, names = axes[0].get_legend_handles_labels()
fig.legend(handles, names, loc="outside lower center", ncols=min(len(names), 3))
plt.show()

# %% [markdown]
# Weekly click-through rate, cost per click and cost per thousand impressions, each computed from
# the week's totals (not an average of daily rates). A rising CPM means reaching people got more
# expensive (competition, a narrow audience); a falling CTR on a steady CPM usually means the
# creative is wearing out.

# %% [markdown]
# ## ROAS and cost per outcome over time

# %%
weeks = report.keep(ap.load_campaign_periods(*report.window, freq="W", model=model, level=level))
followed = weeks[weeks["campaign_id"].isin(chosen["campaign_id"])]
followed.atribu.plot.roas_over_time(top=min(top, 5), target=target_roas)
plt.show()

# %%
cac = followed.atribu.pivot_trend("cac")
reports.export_table(
    cac.reset_index(names="week"),
    {"week": (gettext("Week beginning"), "date")}
    | {name: (str(name), "money") for name in cac.columns},
    name="weekly_cost_per_outcome",
    title=gettext("Cost per outcome by week"),
)
ax = cac.plot(marker="o")
set_ticks(ax.xaxis, cac.index, [fmt.short_day(d) for d in cac.index])
ax.set(title=gettext("Cost per outcome by week"), xlabel=gettext("Week starting (Monday)"))
ax.set_ylabel(gettext("Spend per outcome ({currency})").format(currency=fmt.currency))
legend_below(ax, ncol=2)
plt.show()

# %% [markdown]
# The return on spend and the cost of one outcome, week by week (ISO weeks, Monday to Sunday), for
# the campaigns (or ad sets, or ads) followed above. Both are ratios of each week's totals, from
# one request per week, so they answer "how did ROAS move?" directly. A gap in a line is a week
# where it had no outcome (no cost per outcome to show) or was outside that week's top 100.
# Hatched bars mark weeks that are cut by the window or still being filled in.

# %% tags=["footer"]
report.footer(
    dict(date_from=report.date_from, date_to=report.date_to, level=level, model=model)
    | dict(top=top, rolling=rolling, currency=currency, locale=locale, language=language)
    | dict(client_name=client_name, target_roas=target_roas)
)
