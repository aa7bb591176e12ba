# %% tags=["parameters"]
window = "28d"  # scoring window: 7d, 14d, 28d or lifetime
limit = 50  # ads fetched, 1 to 50
top = 15  # ads in the leaderboard
cohort_by = "cohort_format"  # cohort column: cohort_format, cohort_objective...
thumbnails = True  # show each leader's picture, fetched when the report runs (False: none)
target_roas = None  # the client's ROAS target, e.g. 2.5: leaders below it marked
target_cost_per_conversation = None  # highest cost per conversation started: marked above
client_name = ""  # who the report is for, shown at the top
title = "Top performing ads"  # the report's heading
currency = None  # ISO 4217 code of the amounts; None: ATRIBU_CURRENCY, else USD
locale = "en_US"  # number and date formats, e.g. en_GB, de_DE, es_MX
language = None  # words: en, de, es, fr or pt_BR; None: the locale's (en for others)
logo = None  # a local image file shown at the top
notes = ""  # your own words at the top (Markdown)

# %%
import matplotlib.pyplot as plt

import atribu_pandas as ap
from atribu_pandas import reports
from atribu_pandas.core.language import N_, gettext, ngettext
from atribu_pandas.display.labels import label
from atribu_pandas.reports import summary

# Marked here, translated where shown (gettext), once the report has set its language.
POLARITY_HEADERS = {"strength": N_("Strengths"), "weakness": N_("Weaknesses")}
POLARITY_HEADERS |= {"forecast": N_("Forecast notes"), "fatigue": N_("Fatigue notes")}
COHORT_HEADERS = {"cohort_key": N_("Cohort"), "cohort_objective": N_("Objective")}
COHORT_HEADERS |= {"cohort_format": N_("Format"), "creative_format": N_("Format")}
COHORT_HEADERS |= {"cohort_audience_warmth": N_("Audience warmth")}

# %%
subtitle = gettext(
    "Atribu scores every ad against ads like it (same channel, format, objective, "
    "audience warmth, geography and placement: its cohort). This report shows the leaders, how "
    "the cohorts compare, how much to trust small ads' numbers, why each ad scored as it did, "
    "and how mature the ads are."
)

# %%
report = reports.setup(
    title,
    subtitle=subtitle,
    client_name=client_name,
    currency=currency,
    locale=locale,
    language=language,
    logo=logo,
    notes=notes,
)

# %%
ads = report.keep(ap.load_top_performers(window=window, limit=limit))
report.banner()
report.end_if_empty(
    ads,
    gettext("No ad was scored in the {window} scoring window, so there is nothing to rank.").format(
        window=window
    ),
    advice=[
        gettext("Try a longer scoring window: --window 28d or --window lifetime."),
        gettext("Check in Atribu that the ad accounts are connected and the ads have delivered."),
        gettext("Run the report with --demo to see what it shows on demo data."),
    ],
)

# %%
codes = ads.atribu.reason_codes()
reports.show_markdown(
    ngettext(
        "Scoring window: **{window}**; {n} ad fetched, ranked by composite score.",
        "Scoring window: **{window}**; {n} ads fetched, ranked by composite score.",
        len(ads),
    ).format(window=window, n=len(ads))
)
reports.show_summary(summary.top_performer_summary(ads, codes, report.formats))

# %% [markdown]
# ## Leaderboard

# %%
leaders = report.with_thumbnails(ads.head(top)) if thumbnails else ads.head(top)
goals = {"roas": target_roas, "cost_per_conversation": target_cost_per_conversation}
reports.show_table(
    leaders,
    ("creative_thumbnail " if thumbnails else "")
    + "ad_name campaign_name composite_score top_performer_likelihood attributed_outcomes_total "
    "spend roas"
    + (" cost_per_conversation" if target_cost_per_conversation is not None else "")
    + " truth_grade maturity_stage",
    name="leaderboard",
    title=gettext("Leaderboard"),
    style=lambda s: s.bar(subset=[gettext("Score")], color="#9ecae1", vmin=0, vmax=100),
    targets=leaders.atribu.against_targets(**goals) if any(goals.values()) else None,
)

# %% [markdown]
# Three different measures, kept apart on purpose. *Score* (0 to 100) ranks the ad within its
# cohort on attention, clicks, conversations and revenue. *Likelihood* is the estimated chance
# that the ad is a real top performer. *Outcomes* are the sales, leads and conversations
# attributed to it. A high score with few outcomes is a promising ad that has not proven itself
# yet; *Truth grade* says how directly those outcomes were observed.

# %% [markdown]
# ## Cohorts

# %%
reports.show_table(
    ads.atribu.compare_cohorts(by=cohort_by),
    {cohort_by: (gettext(COHORT_HEADERS[cohort_by]), "label")}
    | dict.fromkeys(["ads", "spend", "spend_share", "attributed_revenue", "roas", "cac"])
    | dict.fromkeys(["composite_score_median", "best_ad"]),
    name="cohorts",
    title=gettext("Cohorts"),
)
ads.atribu.plot.cohort_box(by=cohort_by)
plt.show()

# %% [markdown]
# One row (and one box) per cohort: how many ads it has, what they spent, and the return of the
# cohort as a whole (from summed spend and revenue). In the chart, each box spans the middle half
# of the cohort's scores and the line inside is the median: a tall box means the cohort mixes
# winners and losers, a high box means ads of that kind tend to do well.

# %% [markdown]
# ## How much to trust each ad's click-through rate

# %%
ads.atribu.plot.shrinkage("ctr", by=cohort_by, top=top)
plt.show()

# %% [markdown]
# An ad with a few hundred impressions can show a spectacular click-through rate by luck. Each row
# compares the ad's raw CTR with an estimate pulled toward its cohort's average, with a 90% range:
# the fewer impressions, the stronger the pull and the wider the range. Trust the ads whose range
# is narrow; give the others more time before moving budget.

# %% [markdown]
# ## Why each ad scored as it did

# %%
if codes.empty:
    reports.show_markdown(gettext("No reason codes in this window."))
else:
    by_layer = dict(index="layer", columns="polarity", values="ad_name", observed=True)
    counts = codes.pivot_table(**by_layer, aggfunc="count", fill_value=0)
    counts = counts.reset_index().rename_axis(columns=None)
    reports.show_table(
        counts,
        {"layer": (gettext("Funnel layer"), "label")}
        | {p: (gettext(POLARITY_HEADERS.get(p, label(p))), "number") for p in counts.columns[1:]},
        name="reason_counts",
        title=gettext("Reason codes per layer"),
    )

# %%
if not codes.empty:
    reports.show_table(
        codes.head(top),
        "ad_name layer polarity percentile sample_confidence",
        name="reason_codes",
        title=gettext("Reason codes of the leaders"),
    )

# %% [markdown]
# Reason codes explain a score, layer by layer of the funnel (attention, click intent,
# conversations, revenue), plus forecast and fatigue notes. A *strength* puts the ad high within
# its cohort and a *weakness* low (the percentile says how high), and *Confidence* says how much
# data stands behind it. The first table counts them per layer; the second lists the codes of the
# leading ads.

# %% [markdown]
# ## Maturity

# %%
by_stage = ads.groupby("maturity_stage", observed=True)
maturity = by_stage.agg(ads=("ad_external_id", "count"), spend=("spend", "sum")).reset_index()
stages = maturity.assign(maturity_stage=maturity["maturity_stage"].map(label))
ax = stages.plot.bar(x="maturity_stage", y="ads", rot=0, legend=False)
ax.set(title=gettext("Ads by maturity stage"), xlabel=gettext("Maturity stage"))
ax.set_ylabel(gettext("Ads"))
plt.show()

# %%
reports.show_table(
    maturity,
    "maturity_stage ads spend",
    headers={"maturity_stage": gettext("Maturity stage")},
    name="maturity",
    title=gettext("Maturity"),
)

# %% [markdown]
# How far along each ad is: a new ad has too little spend or too few impressions for a firm
# verdict, a mature one has a track record. A leaderboard full of young ads will change a lot next
# week; one led by mature ads is more stable.

# %% tags=["footer"]
report.footer(
    dict(window=window, limit=limit, top=top, cohort_by=cohort_by, thumbnails=thumbnails)
    | dict(currency=currency, locale=locale, language=language, client_name=client_name)
    | dict(target_roas=target_roas, target_cost_per_conversation=target_cost_per_conversation),
    dated=False,
)
