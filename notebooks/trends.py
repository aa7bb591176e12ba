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
        "How spend and the cost of reaching people moved day by day and week by week for the "
        "leading campaigns (or ad sets, or ads)."
    ),
)
money, times, number, percent = fmt.money, fmt.times, fmt.number, fmt.percent
MODEL_LABELS = {m: m.replace("_", " ").capitalize() for m in ap.MODELS}

# %%
entities = ap.load_campaigns(date_from, date_to, model=model, level=level, limit=100)
# More than 10 ids are split by the loader into requests of 10.
chosen = entities.head(top)
report_frames = [entities]
# The trend endpoint needs at least one id: without delivery there is no trend.
trend = None
if len(chosen):
    trend = ap.load_campaign_trend(chosen["campaign_id"], date_from, date_to, level=level)
    report_frames.append(trend)
reports.show_banner(*report_frames)
if trend is None:
    reports.show_empty(
        f"No delivery in this window ({fmt.date(date_from)} to {fmt.date(date_to)}): nothing "
        "was spent and nothing was attributed.",
        reports.empty_window_advice(date_from, date_to, *report_frames),
    )
else:
    weekly = trend.atribu.pivot_trend(values="spend", freq="W", names=chosen)
    reports.show_markdown(
        f"Window: **{fmt.date(date_from)} to {fmt.date(date_to)}** ({days} days, both included). "
        f"Following the {len(chosen)} {level.replace('_', ' ')}s "
        f"with the most attributed value under **{model}**."
    )
    reports.show_summary(summary.trend_summary(weekly, fmt, level=level))

# %% [markdown]
# ## Daily spend

# %%
if trend is not None:
    # rolling - 1 days before the window too, so the average starts on its first day.
    lead_in = (pd.Timestamp(date_from) - pd.Timedelta(days=rolling - 1)).strftime("%Y-%m-%d")
    longer = ap.load_campaign_trend(chosen["campaign_id"], lead_in, date_to, level=level)
    longer.attrs.update(currency=fmt.currency, locale=fmt.locale)
    ax = longer.atribu.plot.trend("spend", rolling=rolling, names=chosen)
    ax.set_xlim(left=pd.Timestamp(date_from))
    plt.show()

# %% [markdown]
# Spend per day, one line per entity; the bold line is the rolling average over the last days,
# which smooths out weekday swings. Days without delivery count as zero spend, so a line that
# drops to the floor means the entity stopped delivering.

# %% [markdown]
# ## Weekly spend

# %%
if trend is not None:
    labels = [fmt.short_day(day) for day in weekly.index]
    ax = weekly.set_axis(labels).plot.bar(stacked=True, rot=0)
    ax.set(title="Weekly spend", xlabel="Week starting (Monday)", ylabel=f"Spend ({fmt.currency})")
    thousands(ax.yaxis, fmt.locale)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
    plt.show()
    table = weekly.reset_index(names="week")
    reports.show_table(
        table,
        {"week": ("Week starting", "date")}
        | {name: (str(name), "money") for name in weekly.columns},
        name="weekly_spend",
        title="Weekly spend",
    )

# %% [markdown]
# The same spend added up by week (weeks run Monday to Sunday and are labelled by their Monday;
# the first and last weeks may be partial). Stacked bars show how the total shifts between
# entities from one week to the next.

# %% [markdown]
# ## Cost and engagement over time

# %%
if trend is not None:
    fig, axes = plt.subplots(1, 3, figsize=(12, 4), layout="constrained")
    for ax, value, heading in zip(
        axes,
        ["ctr", "cpc", "cpm"],
        ["CTR (%)", "Cost per click", "Cost per 1,000 impressions"],
        strict=True,
    ):
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
if trend is not None:
    weeks = ap.load_campaign_periods(date_from, date_to, freq="W", model=model, level=level)
    weeks.attrs.update(currency=fmt.currency, locale=fmt.locale)
    report_frames.append(weeks)
    followed = weeks[weeks["campaign_id"].isin(chosen["campaign_id"])]
    followed.atribu.plot.roas_over_time(top=min(top, 5))
    plt.show()
    cac = followed.atribu.pivot_trend("cac")
    cac.index = pd.Index([fmt.short_day(d) for d in cac.index], name="Week starting")
    ax = cac.plot(marker="o")
    ax.set(
        title="Cost per outcome by week",
        xlabel="Week starting (Monday)",
        ylabel=f"Spend per outcome ({fmt.currency})",
    )
    ax.legend(title="", loc="upper left", bbox_to_anchor=(1.01, 1.0))
    plt.show()

# %% [markdown]
# The return on spend and the cost of one outcome, week by week (ISO weeks, Monday to Sunday), for
# the entities followed above. Both are ratios of each week's totals, from one request per week,
# so they answer "how did ROAS move?" directly. A gap in a line is a week where the entity had no
# outcome (no cost per outcome to show) or was outside that week's top 100. Hatched bars mark
# weeks that are cut by the window or still being filled in.

# %% tags=["footer"]
reports.show_footer(
    {
        "date_from": date_from,
        "date_to": date_to,
        "level": level,
        "model": model,
        "top": top,
        "rolling": rolling,
        "currency": currency,
        "locale": locale,
        "client_name": client_name,
    },
    *report_frames,
)
