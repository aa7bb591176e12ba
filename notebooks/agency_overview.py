# %% tags=["parameters"]
date_from = None  # first day, "YYYY-MM-DD"; None: 27 days before date_to
date_to = None  # last day, "YYYY-MM-DD"; None: yesterday, the last complete day
model = "last_touch"  # attribution model, see atribu_pandas.MODELS
top = 10  # ads in the cross-client leaderboard, 1 to 50
client_name = ""  # who the report is for, shown at the top
title = "Agency overview"  # the report's heading
currency = None  # ISO 4217 code of the amounts; None: ATRIBU_CURRENCY, else USD
locale = "en_US"  # number and date formats, e.g. en_GB, de_DE, es_MX
language = None  # words: en, de, es, fr or pt_BR; None: the locale's (en for others)
logo = None  # a local image file shown at the top
notes = ""  # your own words at the top (Markdown)

# %%
import warnings

import matplotlib.pyplot as plt

import atribu_pandas as ap
from atribu_pandas import reports
from atribu_pandas.core.language import gettext
from atribu_pandas.display.charts.theme import legend_below
from atribu_pandas.loaders.workspace import default_workspace
from atribu_pandas.reports import summary

# %%
subtitle = gettext(
    "Every client profile side by side: spend, attributed value, ROAS and cost per "
    "outcome against the previous period, the best ads across all clients, and the creative "
    "ideas that work for more than one of them."
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
# Without ATRIBU_API_KEYS: the sandbox's demo profiles, and the banner says so.
ws = default_workspace(progress=False)
warnings.simplefilter("ignore", ap.WorkspaceWarning)  # the clients left out are named below
both = report.keep(ws.load_period_comparison(*report.window, model=model))
leaders = report.keep(ws.top_performers(top=50))
report.banner(key_variable="ATRIBU_API_KEYS")
failed = {f["profile"] for f in both.attrs["atribu"]["failed"] + leaders.attrs["atribu"]["failed"]}
if failed:
    names = ", ".join(sorted(failed))
    text = gettext("**Left out** (their key was refused or did not answer): {names}.")
    reports.show_markdown(text.format(names=names))
report.end_if_empty(both, gettext("Nothing was spent and nothing was attributed."))

# %%
clients = both.atribu.compare_periods_by("profile")
report.show_window(model)
reports.show_markdown(
    gettext("Each figure is compared with the {days} days before. Clients: **{count}**.").format(
        days=report.days, count=len(ws)
    )
)
reports.show_summary(summary.client_summary(clients, fmt))

# %% [markdown]
# ## Clients at a glance

# %%
reports.show_table(
    clients,
    {"profile": None, "spend_current": (gettext("Spend"), "money")}
    | {"spend_change_pct": (gettext("Spend vs prev."), "signed_percent")}
    | {"outcome_value_current": (gettext("Value"), "money")}
    | {"outcome_value_change_pct": (gettext("Value vs prev."), "signed_percent")}
    | {"roas_current": (gettext("ROAS"), "times")}
    | {"roas_change": (gettext("ROAS vs prev."), "signed_times")}
    | {"cac_current": (gettext("Cost per outcome"), "money")}
    | {"cac_change_pct": (gettext("Cost per outcome vs prev."), "signed_percent")},
    name="clients",
    title=gettext("Clients at a glance"),
    style=lambda s: s.background_gradient(subset=[gettext("ROAS")], cmap="Blues"),
)

# %%
# The data-quality footnote: recent days still being filled in, thin evidence.
note = both.attrs["atribu"].get("quality", {}).get("note")
reports.show_markdown(f"*{note}*" if note else "")

# %% [markdown]
# One row per client profile. *Spend*, *Value* (attributed revenue), *ROAS* (value divided by
# spend) and *Cost per outcome* (spend divided by sales, leads or booked appointments) cover this
# window; each *vs prev.* column says how far it moved from the window just before. The ratios
# come from each client's totals, so one lucky campaign cannot skew them.

# %% [markdown]
# ## ROAS by client, this period against the last

# %%
chart = clients.set_index("profile")[["roas_reference", "roas_current"]]
chart.columns = [gettext("Previous period"), gettext("This period")]
ax = chart.plot.barh(color=["#56B4E9", "#0072B2"])
ax.axvline(1.0, color="0.35", linestyle="--", label=gettext("Break-even (ROAS = 1)"))
ax.set(title=gettext("ROAS by client"), ylabel="")
ax.set_xlabel(
    gettext("ROAS ({currency} of value per {currency} of spend)").format(currency=fmt.currency)
)
legend_below(ax, ncol=3)
plt.show()
for sentence in summary.client_roas_moves(clients, fmt):
    reports.show_markdown(sentence)

# %%
reports.export_table(
    clients,
    {"profile": None, "roas_reference": (gettext("Previous period"), "times")}
    | {"roas_current": (gettext("This period"), "times")},
    name="roas_by_client",
    title=gettext("ROAS by client"),
)

# %% [markdown]
# Each client gets two bars: the light one is the previous period's ROAS, the dark one this
# period's. The dashed line is break-even. A client whose dark bar is much shorter than its light
# one is the first to look at this week.

# %% [markdown]
# ## Best ads across all clients

# %%
if leaders.empty:
    reports.show_markdown(gettext("No ad has been scored yet in any client profile."))
else:
    reports.show_table(
        leaders.head(top),
        "workspace_rank profile ad_name composite_score top_performer_likelihood spend roas "
        "maturity_stage",
        name="best_ads",
        title=gettext("Best ads across clients"),
        style=lambda s: s.bar(subset=[gettext("Score")], color="#9ecae1", vmin=0, vmax=100),
    )

# %% [markdown]
# Ads from every client in one ranking by *Score* (0 to 100). The score compares each ad with
# comparable creative (same channel, format, objective, audience), so a small clinic's ad and a
# large group's are ranked on the same footing. *Likelihood* is the estimated chance the ad is a
# real top performer; *Maturity* says how settled the score is (act on mature ones).

# %% [markdown]
# ## Creative ideas that recur

# %%
patterns = None if leaders.empty else ws.creative_patterns(leaders)
if patterns is None or patterns.empty:
    reports.show_markdown(
        gettext(
            "No hook, format, call to action or angle appears among the top ads of more than "
            "one client."
        )
    )
else:
    reports.show_table(
        patterns.head(top),
        "trait value profiles ads composite_score_mean roas example_ad profile_names",
        name="creative_patterns",
        title=gettext("Creative ideas that recur"),
    )

# %% [markdown]
# The creative DNA (the hook, the format, the call to action, the angle) of the 50 best ads across
# clients, counted trait by trait: a row appears when at least two clients have a top ad with it.
# *Clients* says in how many profiles it works, *ROAS* is the pooled return of those ads. These
# are the ideas worth trying for the clients that do not use them yet.

# %% tags=["footer"]
report.footer(
    dict(date_from=report.date_from, date_to=report.date_to, model=model, top=top)
    | dict(currency=currency, locale=locale, language=language, client_name=client_name)
)
