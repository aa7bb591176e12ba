"""The API's value sets, in one place, each with where Atribu documents it.

Two sources, in order of authority (both copied into ``docs/api-reference.md``):

* the **reference page**: Atribu's public API reference for the Campaigns endpoints;
* the **OpenAPI text**: Atribu's official OpenAPI 3.1 file for the same three paths.

A set is *closed* when a source lists its values: loaders type the field as a categorical
with exactly those categories, and filter arguments refuse other values before any request.
A set is *open* when the sources write "etc." or "…", or say nothing: the field stays a
string and nothing refuses a new value. The tuples named ``*_EXAMPLES`` are open sets: the
values the page shows, offered by widgets and served by the sandbox, never used to refuse.

How a value outside a closed set is handled when it arrives is the forward-compatibility
policy of ``frames``: it loads, and a ``SchemaDriftWarning`` names it.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

__all__ = [
    "FATIGUE_RISK_TIERS",
    "FATIGUE_STATES",
    "FORECAST_CONFIDENCES",
    "FORMAT_EXAMPLES",
    "LEVELS",
    "MATURITY_STAGES",
    "MODELS",
    "MODEL_DESCRIPTIONS",
    "OBJECTIVES",
    "OUTCOME_KINDS",
    "POLARITIES",
    "SAMPLE_CONFIDENCES",
    "SCORE_SOURCES",
    "STATUS_EXAMPLES",
    "TRUTH_GRADES",
    "WINDOWS",
    "closest",
]

# --- /api/v1/campaigns and /campaigns/trend ---------------------------------------------

# Page, Top Campaigns, `model`: "Default last_touch. Options: first_touch, linear,
# position_based, time_decay, last_non_direct". split_50_50 (50/50 first and last touch) is
# named in Atribu's attribution docs and accepted by the API; it comes last.
MODELS: tuple[str, ...] = (
    "last_touch",
    "first_touch",
    "linear",
    "position_based",
    "time_decay",
    "last_non_direct",
    "split_50_50",
)
MODEL_DESCRIPTIONS: dict[str, str] = {
    "last_touch": "All credit to the last touch before the conversion.",
    "first_touch": "All credit to the first touch of the journey.",
    "linear": "Credit split equally across every touch.",
    "position_based": "40% first, 40% last, 20% shared by the touches in between.",
    "time_decay": "More credit to recent touches: weight halves every 7 days before the sale.",
    "last_non_direct": "All credit to the last touch that was not a direct visit.",
    "split_50_50": "Half the credit to the first touch, half to the last.",
}
# Page, `level`: "Hierarchy level: campaign, ad_set, or ad." (also `entity_level`).
LEVELS: tuple[str, ...] = ("campaign", "ad_set", "ad")
# Page, `status`: "Entity status (ACTIVE, PAUSED, etc.)": open. `objective` ("Campaign
# objective") is the ad platform's own (Meta's OUTCOME_SALES, a Google campaign type...):
# open, with no examples on the page.
STATUS_EXAMPLES: tuple[str, ...] = ("ACTIVE", "PAUSED")

# --- /api/v1/top-performers ---------------------------------------------------------------

# Page, `window`: "7d, 14d, 28d (default), or lifetime"; also `score_window`.
WINDOWS: tuple[str, ...] = ("7d", "14d", "28d", "lifetime")
# Page, `objectives`: "cohort objectives to keep (messaging, sales, leads, traffic,
# awareness)"; also `cohort_objective`.
OBJECTIVES: tuple[str, ...] = ("messaging", "sales", "leads", "traffic", "awareness")
# Page, `truth_grades` and `truth_grade`: "predicted (proxy signals only) · attributed (>=1
# Atribu-attributed outcome of any kind) · lift (experiment-validated)".
TRUTH_GRADES: tuple[str, ...] = ("predicted", "attributed", "lift")
# Page, `outcome_kinds` and `primary_outcome_kind`: "cash · pipeline · messaging · meta
# (Meta's own attribution) · none".
OUTCOME_KINDS: tuple[str, ...] = ("cash", "pipeline", "messaging", "meta", "none")
# Page, `maturity_stage`: "cold · early · mature · calibrated", least to most settled.
MATURITY_STAGES: tuple[str, ...] = ("cold", "early", "mature", "calibrated")
# Page, `score_source`: "model (the ML ranker produced the likelihood) or rules".
SCORE_SOURCES: tuple[str, ...] = ("model", "rules")
# Page, `formats`: "ugc_video, talking_head, static, carousel, …": open.
FORMAT_EXAMPLES: tuple[str, ...] = ("ugc_video", "talking_head", "static", "carousel")
# Page, `reason_codes`: "polarity: strength|weakness"; the OpenAPI text's enum adds
# forecast and fatigue (notes on an ad's forecast and creative fatigue). A reason code's
# `layer` is open (the page shows attention, postclick_messaging, attributed_revenue).
POLARITIES: tuple[str, ...] = ("strength", "weakness", "forecast", "fatigue")
# Page, `reason_codes`: "sample_confidence: low|medium|high", least to most data.
SAMPLE_CONFIDENCES: tuple[str, ...] = ("low", "medium", "high")
# OpenAPI text only (the page's example predates these fields): their enums.
FORECAST_CONFIDENCES: tuple[str, ...] = ("low", "medium", "high")
FATIGUE_STATES: tuple[str, ...] = ("active", "paused", "degraded")
FATIGUE_RISK_TIERS: tuple[str, ...] = ("low", "medium", "high", "critical")


def closest(value: object, allowed: Sequence[str]) -> str | None:
    """Return the allowed value a mistyped ``value`` most likely meant, or None.

    Parameters
    ----------
    value : object
        What was given; only strings can have a close match.
    allowed : sequence of str
        The closed set.

    Returns
    -------
    str or None
        The closest member when it is close enough to be a typo (case is ignored).

    Examples
    --------
    >>> closest("atributed", TRUTH_GRADES)
    'attributed'
    >>> closest("Last_Touch", MODELS)
    'last_touch'
    >>> closest("revenue", OUTCOME_KINDS) is None
    True
    """
    if not isinstance(value, str) or not value.strip():
        return None
    folded = {a.lower(): a for a in allowed}
    key = value.strip().lower()
    if key in folded:
        return folded[key]
    match = difflib.get_close_matches(key, list(folded), n=1, cutoff=0.7)
    return folded[match[0]] if match else None
