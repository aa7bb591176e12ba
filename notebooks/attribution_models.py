# %% tags=["parameters"]
date_from = None  # first day, "YYYY-MM-DD"; None: 27 days before date_to
date_to = None  # last day, "YYYY-MM-DD"; None: yesterday, the last complete day
model = "last_touch"  # the baseline model the others are compared with
top = 10  # campaigns in the tables, and the N of 'enters the top N'
client_name = ""  # who the report is for, shown at the top
title = "Attribution models compared"  # the report's heading
currency = None  # ISO 4217 code of the amounts; None: ATRIBU_CURRENCY, else USD
locale = "en_US"  # number and date formats, e.g. en_GB, de_DE, es_MX
language = None  # words: en, de, es, fr or pt_BR; None: the locale's (en for others)
logo = None  # a local image file shown at the top
notes = ""  # your own words at the top (Markdown)

# %%
import matplotlib.pyplot as plt

import atribu_pandas as ap
from atribu_pandas import reports
from atribu_pandas.core.language import gettext
from atribu_pandas.display.labels import model_description, model_name
from atribu_pandas.reports import summary

# %%
subtitle = gettext(
    "The same sales, credited seven ways. Each attribution model splits the credit for "
    "a sale differently among the ads a customer saw before buying; this report shows which "
    "campaigns look good whatever the model, and which depend on the model you choose."
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

# %%
comparison = report.keep(ap.load_model_comparison(*report.window))
report.banner()
report.end_if_empty(comparison, gettext("Nothing was spent and nothing was attributed."))
cmp = comparison.atribu.compare_models(metric="outcome_value", baseline=model, top=top)
report.show_window()
reports.show_markdown(
    gettext("Baseline model: **{model}**. {credits}").format(
        model=model_name(model), credits=model_description(model)
    )
)
reports.show_summary(summary.model_summary(cmp, report.formats))

# %%
# Each model's total credit for the same campaigns: how much the model choice moves the total.
totals = cmp.values.sum()
reports.show_kpis({model_name(m): report.formats.money(totals[m]) for m in cmp.values.columns})
reports.show_markdown(
    "\n".join(f"- **{model_name(m)}**: {model_description(m)}" for m in ap.MODELS)
)

# %% [markdown]
# ## Attributed value under every model

# %%
reports.show_table(
    cmp.values.head(top).reset_index(),
    {"entity": (gettext("Campaign"), "text")}
    | {m: (model_name(m), "money") for m in cmp.values.columns},
    name="value_by_model",
    title=gettext("Attributed value by model"),
)

# %% [markdown]
# One row per campaign, one column per model: the revenue each model credits to the campaign. The
# rows are ordered by the baseline model. Read across a row: if the figures are close, the
# campaign's value does not depend on how you count; if they differ a lot, the campaign mostly
# starts journeys (higher under first touch) or closes them (higher under last touch).

# %% [markdown]
# ## Share of credit

# %%
comparison.atribu.plot.model_heatmap(baseline=model, top=top)
plt.show()
reports.export_table(
    cmp.shares.head(top).reset_index(),
    {"entity": (gettext("Campaign"), "text")}
    | {m: (model_name(m), "fraction") for m in cmp.shares.columns},
    name="share_of_credit",
    title=gettext("Share of credit"),
)

# %% [markdown]
# Each cell is the campaign's share of all the credit that model hands out, written in the cell.
# Darker blue means a bigger share. A row that changes colour from column to column is a campaign
# whose importance depends on the model: be careful cutting or scaling it on one model's numbers
# alone.

# %% [markdown]
# ## Change against the baseline

# %%
labels = [model_name(m) for m in cmp.change_pct.columns]
reports.show_table(
    cmp.change_pct.head(top).reset_index(),
    {"entity": (gettext("Campaign"), "text")}
    | {m: (model_name(m), "signed_percent") for m in cmp.change_pct.columns},
    name="change_vs_baseline",
    title=gettext("Change against the baseline"),
    style=lambda s: s.background_gradient(cmap="RdBu", vmin=-100, vmax=100, subset=labels),
)

# %% [markdown]
# How much more (blue) or less (red) value each model gives a campaign than the baseline model
# does, in percent. The baseline column is always 0%.

# %% [markdown]
# ## Rank flips

# %%
none = gettext(
    "No campaign enters or leaves the top {top}, or moves 3 places or more, when the model changes."
)
if cmp.flips.empty:
    reports.show_markdown(none.format(top=top))
else:
    reports.show_table(
        cmp.flips.assign(model=cmp.flips["model"].map(model_name)),
        {"entity": (gettext("Campaign"), "text"), "model": (gettext("Model"), "text")}
        | {"baseline_rank": (gettext("Rank under the baseline"), "number")}
        | {"rank": (gettext("Rank under this model"), "number"), "places": None},
        name="rank_flips",
        title=gettext("Rank flips"),
    )

# %% [markdown]
# Campaigns that enter or leave the top list, or move at least three places, when you switch from
# the baseline to another model. *Places gained* is positive when the campaign climbs. These are
# the campaigns whose ranking you should not quote without saying which model you used.

# %% tags=["footer"]
report.footer(
    dict(date_from=report.date_from, date_to=report.date_to, model=model, top=top)
    | dict(currency=currency, locale=locale, language=language, client_name=client_name)
)
