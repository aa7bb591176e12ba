# %% tags=["parameters"]
date_from = None  # first day, "YYYY-MM-DD"; None: 27 days before date_to
date_to = None  # last day, "YYYY-MM-DD"; None: yesterday, the last complete day
model = "last_touch"  # attribution model, see atribu_pandas.MODELS
top = 10  # ads in the cross-client leaderboard, 1 to 50
client_name = ""  # who the report is for, shown at the top
title = "Agency overview"  # the report's heading
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
        "Every client profile side by side: spend, attributed value, ROAS and cost per "
        "outcome against the previous period, the best ads across all clients, and the "
        "creative ideas that work for more than one of them."
    ),
)
money, times, number, percent = fmt.money, fmt.times, fmt.number, fmt.percent
MODEL_LABELS = {m: m.replace("_", " ").capitalize() for m in ap.MODELS}
from atribu_pandas.loaders.workspace import default_workspace

# %%
# Without ATRIBU_API_KEYS: the sandbox's demo profiles, and the banner says so.
ws = default_workspace(progress=False)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always", ap.WorkspaceWarning)
    both = ws.load_period_comparison(date_from, date_to, model=model)
    leaders = ws.top_performers(top=50)
report_frames = [both, leaders]
reports.show_banner(*report_frames, key_variable="ATRIBU_API_KEYS")
failed = both.attrs["atribu"]["failed"] + leaders.attrs["atribu"]["failed"]
if failed:
    names = sorted({f["profile"] for f in failed})
    reports.show_markdown(
        f"**Left out** (their key was refused or did not answer): {', '.join(names)}."
    )
clients = None
if both.empty:
    reports.show_empty(
        f"No delivery in this window ({fmt.date(date_from)} to {fmt.date(date_to)}): nothing "
        "was spent and nothing was attributed.",
        reports.empty_window_advice(date_from, date_to, *report_frames),
    )
else:
    clients = both.atribu.compare_periods_by("profile")
    reports.show_markdown(
        f"Window: **{fmt.date(date_from)} to {fmt.date(date_to)}** against the {days} "
        f"days before. Attribution model: **{model}**: {MODEL_DESCRIPTIONS[model]} "
        f"Clients: **{len(ws)}**."
    )
    reports.show_summary(summary.client_summary(clients, fmt))

# %% [markdown]
# ## Clients at a glance

# %%
if clients is not None:
    reports.show_table(
        clients,
        {
            "profile": ("Client", "text"),
            "spend_current": ("Spend", "money"),
            "spend_change_pct": ("Spend vs prev.", "signed_percent"),
            "outcome_value_current": ("Value", "money"),
            "outcome_value_change_pct": ("Value vs prev.", "signed_percent"),
            "roas_current": ("ROAS", "times"),
            "roas_change": ("ROAS vs prev.", "signed_times"),
            "cac_current": ("Cost per outcome", "money"),
            "cac_change_pct": ("CAC vs prev.", "signed_percent"),
        },
        name="clients",
        title="Clients at a glance",
        style=lambda s: s.background_gradient(subset=["ROAS"], cmap="Blues"),
    )
    # The data-quality footnote: recent days still being filled in, thin evidence.
    note = both.attrs["atribu"].get("quality", {}).get("note")
    if note:
        reports.show_markdown(f"*{note}*")

# %% [markdown]
# One row per client profile. *Spend*, *Value* (attributed revenue), *ROAS* (value divided by
# spend) and *Cost per outcome* (spend divided by sales, leads or booked appointments) cover this
# window; each *vs prev.* column says how far it moved from the window just before. The ratios
# come from each client's totals, so one lucky campaign cannot skew them.

# %% [markdown]
# ## ROAS by client, this period against the last

# %%
if clients is not None:
    chart = clients.set_index("profile")[["roas_reference", "roas_current"]]
    chart.columns = ["Previous period", "This period"]
    ax = chart.plot.barh(color=["#56B4E9", "#0072B2"])
    ax.axvline(1.0, color="0.35", linestyle="--", label="Break-even (ROAS = 1)")
    ax.set(
        title="ROAS by client",
        xlabel=f"ROAS ({fmt.currency} of value per {fmt.currency} of spend)",
        ylabel="",
    )
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
    plt.show()
    for row in clients.itertuples():
        if pd.notna(row.roas_change) and abs(row.roas_change) >= 0.25:
            verb = "rose" if row.roas_change > 0 else "fell"
            reports.show_markdown(
                f"ROAS of **{row.profile}** {verb} from {times(row.roas_reference)} to "
                f"{times(row.roas_current)}."
            )

# %% [markdown]
# Each client gets two bars: the light one is the previous period's ROAS, the dark one this
# period's. The dashed line is break-even. A client whose dark bar is much shorter than its light
# one is the first to look at this week.

# %% [markdown]
# ## Best ads across all clients

# %%
if leaders.empty:
    reports.show_markdown("No ad has been scored yet in any client profile.")
else:
    reports.show_table(
        leaders.head(top),
        {
            "workspace_rank": ("Rank", "number"),
            "profile": ("Client", "text"),
            "ad_name": ("Ad", "text"),
            "composite_score": ("Score", "score"),
            "top_performer_likelihood": ("Likelihood", "fraction"),
            "spend": ("Spend", "money"),
            "roas": ("ROAS", "times"),
            "maturity_stage": ("Maturity", "label"),
        },
        name="best_ads",
        title="Best ads across clients",
        style=lambda s: s.bar(subset=["Score"], color="#9ecae1", vmin=0, vmax=100),
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
        "No hook, format, call to action or angle appears among the top ads of more than one "
        "client."
    )
else:
    reports.show_table(
        patterns.head(top),
        {
            "trait": ("Trait", "label"),
            "value": ("Value", "label"),
            "profiles": ("Clients", "number"),
            "ads": ("Ads", "number"),
            "composite_score_mean": ("Mean score", "score"),
            "roas": ("ROAS", "times"),
            "example_ad": ("Example", "text"),
            "profile_names": ("Seen at", "text"),
        },
        name="creative_patterns",
        title="Creative ideas that recur",
    )

# %% [markdown]
# The creative DNA (the hook, the format, the call to action, the angle) of the 50 best ads across
# clients, counted trait by trait: a row appears when at least two clients have a top ad with it.
# *Clients* says in how many profiles it works, *ROAS* is the pooled return of those ads. These
# are the ideas worth trying for the clients that do not use them yet.

# %% tags=["footer"]
reports.show_footer(
    {
        "date_from": date_from,
        "date_to": date_to,
        "model": model,
        "top": top,
        "currency": currency,
        "locale": locale,
        "client_name": client_name,
    },
    *report_frames,
)
