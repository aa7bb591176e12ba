"""Pandera schemas of every frame the loaders return: the checks and the data dictionary.

One ``DataFrameModel`` per frame. Each field carries a title and a description, so
:func:`data_dictionary` (and the docs page built from it) is generated from the same
objects that validate the data.

Dtypes: ids and names are pandas' ``StringDtype`` (pandera pins its NaN-missing variant,
``str`` on pandas 3); money, rates and fractional counts ``float64`` (NaN for null); true
counts ``Int64``; days ``datetime64[ns]``; lists stay Python lists.

A field whose values Atribu documents as a closed set (:mod:`atribu_pandas.vocabulary`) is a
categorical with exactly those categories, so frames from different calls concatenate
without losing the dtype. A value outside the set is a drift, handled by the policy of
:mod:`atribu_pandas.frames` (it loads, with a warning), never a failure. Open sets (``status``,
``objective``, creative formats, cohort warmth, reason-code layers) are strings.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from atribu_pandas.vocabulary import (
    FATIGUE_RISK_TIERS,
    FATIGUE_STATES,
    FORECAST_CONFIDENCES,
    LEVELS,
    MATURITY_STAGES,
    MODELS,
    OBJECTIVES,
    OUTCOME_KINDS,
    POLARITIES,
    SAMPLE_CONFIDENCES,
    SCORE_SOURCES,
    TRUTH_GRADES,
    WINDOWS,
)

__all__ = [
    "AddedColumns",
    "CampaignDetails",
    "CampaignTrend",
    "Campaigns",
    "ReasonCodes",
    "TopPerformers",
    "data_dictionary",
    "schema_for",
]

_MONEY = "In the profile's reporting currency."


def _f(title: str, description: str, *, ordered: bool = False, **checks: Any) -> Any:
    if "isin" in checks:
        # A fixed enum: fixed categories, so frames from different calls share a dtype.
        checks["dtype_kwargs"] = {"categories": list(checks["isin"]), "ordered": ordered}
    return pa.Field(title=title, description=description, **checks)


def _detail(title: str, description: str, **checks: Any) -> Any:
    return _f(title, description, nullable=True, required=False, **checks)


class Campaigns(pa.DataFrameModel):
    """``/api/v1/campaigns`` without ``level``: one row per campaign, ranked by value."""

    campaign_id: Series[pd.StringDtype] = _f(
        "Campaign id", "UUID of the entity; with `level`, the entity at that level."
    )
    campaign_name: Series[pd.StringDtype] = _f(
        "Campaign name", "Name as set in the ad platform.", nullable=True
    )
    spend: Series[float] = _f("Spend", "Ad spend in the window. " + _MONEY, ge=0)
    outcome_count: Series[float] = _f(
        "Outcomes",
        "Attributed outcomes (cash payments) under the model; fractional under split-credit "
        "models (linear, position_based, time_decay, split_50_50).",
        ge=0,
    )
    outcome_value: Series[float] = _f(
        "Outcome value", "Attributed revenue under the model. " + _MONEY, ge=0
    )
    roas: Series[float] = _f(
        "ROAS",
        "Return on ad spend: outcome_value / spend; NaN when spend is 0.",
        ge=0,
        nullable=True,
    )

    class Config:
        strict = False
        ordered = False


class CampaignDetails(Campaigns):
    """``/api/v1/campaigns`` with ``level``: delivery and efficiency columns per entity.

    The reference page shows these twelve fields; the official OpenAPI lists only the six
    base fields. So each is optional and nullable: a row type that lacks one (a Google
    Search ad has no ``reach``) loads, with the column all-NA and a drift warning.
    """

    entity_level: Series[pd.CategoricalDtype] = _detail(
        "Level", "campaign, ad_set or ad.", isin=list(LEVELS)
    )
    parent_name: Series[pd.StringDtype] = _detail(
        "Parent",
        "Name of the entity one level up (an ad's ad set, an ad set's campaign).",
    )
    impressions: Series[pd.Int64Dtype] = _detail("Impressions", "Times the ads were shown.", ge=0)
    clicks: Series[pd.Int64Dtype] = _detail("Clicks", "Link clicks.", ge=0)
    reach: Series[pd.Int64Dtype] = _detail(
        "Reach", "People reached; not additive across entities or days.", ge=0
    )
    ctr: Series[float] = _detail(
        "CTR",
        "Click-through rate in percent: clicks / impressions * 100.",
        ge=0,
        le=100,
    )
    avg_cpm: Series[float] = _detail(
        "CPM",
        "Cost per thousand impressions: spend / impressions * 1000. " + _MONEY,
        ge=0,
    )
    avg_cpc: Series[float] = _detail("CPC", "Cost per click: spend / clicks. " + _MONEY, ge=0)
    cac: Series[float] = _detail(
        "CAC",
        "Cost per acquisition: spend / outcome_count; NaN when there are no outcomes. " + _MONEY,
        ge=0,
    )
    status: Series[pd.StringDtype] = _detail(
        "Status",
        "Entity status as the ad platform sends it (ACTIVE, PAUSED, etc.; an open set).",
    )
    objective: Series[pd.StringDtype] = _detail(
        "Objective",
        "Campaign objective as the ad platform sends it (Meta's OUTCOME_SALES, a Google "
        "campaign type, ...; an open set).",
    )
    daily_budget: Series[float] = _detail(
        "Daily budget", "Daily budget where set at this level. " + _MONEY, ge=0
    )


class CampaignTrend(pa.DataFrameModel):
    """``/api/v1/campaigns/trend``: one row per entity per day with delivery."""

    entity_id: Series[pd.StringDtype] = _f("Entity id", "UUID of the campaign, ad set or ad.")
    date: Series[pa.DateTime] = _f(
        "Day", "Calendar day in the profile's reporting timezone (naive)."
    )
    spend: Series[float] = _f("Spend", "Spend that day. " + _MONEY, ge=0)
    impressions: Series[pd.Int64Dtype] = _f("Impressions", "Impressions that day.", ge=0)
    clicks: Series[pd.Int64Dtype] = _f("Clicks", "Clicks that day.", ge=0)

    class Config:
        strict = False
        unique = ("entity_id", "date")


# Marks a field the reference page's example does not show (the forecast and fatigue
# fields came later, in the official schema): its absence is expected, not a drift.
ABSENT_OK = {"absent_ok": True}


def _opt(title: str, description: str, **checks: Any) -> Any:
    return _f(title, description, nullable=True, required=False, metadata=ABSENT_OK, **checks)


class TopPerformers(pa.DataFrameModel):
    """``/api/v1/top-performers``: the 51 fields of Atribu's official schema, one row per ad.

    Three measures are distinct and must not be merged: ``composite_score`` (a rule blend),
    ``top_performer_likelihood`` (a probability) and attributed revenue / ROAS (cash).
    """

    ad_external_id: Series[pd.StringDtype] = _f("Ad id", "The ad's id in the ad platform.")
    ad_name: Series[pd.StringDtype] = _f("Ad", "Ad name.", nullable=True)
    campaign_name: Series[pd.StringDtype] = _f("Campaign", "Campaign name.", nullable=True)
    ad_set_name: Series[pd.StringDtype] = _f("Ad set", "Ad set name.", nullable=True)
    creative_thumbnail_url: Series[pd.StringDtype] = _f(
        "Thumbnail", "URL of the creative's thumbnail.", nullable=True
    )
    video_id: Series[pd.StringDtype] = _f(
        "Video id", "The creative's video, if any.", nullable=True
    )
    score_window: Series[pd.CategoricalDtype] = _f(
        "Window", "Rolling lookback of the score: 7d, 14d, 28d or lifetime.", isin=list(WINDOWS)
    )
    composite_score: Series[float] = _f(
        "Composite score",
        "0-100, a transparent blend of within-cohort layer percentiles.",
        ge=0,
        le=100,
        nullable=True,
    )
    top_performer_likelihood: Series[float] = _f(
        "Likelihood",
        "0-1 probability of being a top performer: a likelihood, not a guarantee.",
        ge=0,
        le=1,
        nullable=True,
    )
    model_version: Series[float] = _f(
        "Model version", "Version of the ML ranker when score_source is 'model'.", nullable=True
    )
    score_source: Series[pd.CategoricalDtype] = _f(
        "Score source",
        "model (the ML ranker produced the likelihood) or rules (it fell back to the "
        "composite score).",
        isin=list(SCORE_SOURCES),
    )
    maturity_stage: Series[pd.CategoricalDtype] = _f(
        "Maturity",
        "How settled the score is: cold < early < mature < calibrated (ordered); act on "
        "mature and calibrated, treat cold as provisional.",
        isin=list(MATURITY_STAGES),
        ordered=True,
    )
    truth_grade: Series[pd.CategoricalDtype] = _f(
        "Truth grade",
        "predicted (proxy signals only), attributed (at least one Atribu-attributed outcome "
        "of any kind, cash or pipeline) or lift (experiment-validated). Meta-reported "
        "conversions never set it.",
        isin=list(TRUTH_GRADES),
    )
    primary_outcome_kind: Series[pd.CategoricalDtype] = _f(
        "Outcome kind",
        "The headline outcome to show: cash, pipeline, messaging (conversations started), "
        "meta (Meta's own attribution) or none (no attributed outcome yet: use "
        "composite_score).",
        isin=list(OUTCOME_KINDS),
    )
    cohort_key: Series[pd.StringDtype] = _f(
        "Cohort",
        "channel|format|objective|warmth|geo|placement: the ads it is compared with.",
        nullable=True,
    )
    cohort_objective: Series[pd.CategoricalDtype] = _f(
        "Cohort objective",
        "The cohort's objective: messaging, sales, leads, traffic or awareness.",
        nullable=True,
        isin=list(OBJECTIVES),
    )
    cohort_format: Series[pd.StringDtype] = _f(
        "Cohort format",
        "The cohort's creative format (ugc_video, talking_head, static, carousel, ...).",
        nullable=True,
    )
    cohort_audience_warmth: Series[pd.StringDtype] = _f(
        "Cohort warmth", "The cohort's audience warmth (prospecting, ...).", nullable=True
    )
    cohort_n_ads: Series[pd.Int64Dtype] = _f("Cohort size", "Ads in the cohort.", ge=0)
    hook_type: Series[pd.StringDtype] = _f("Hook", "Creative hook type.", nullable=True)
    creative_format: Series[pd.StringDtype] = _f(
        "Format", "Creative format (ugc_video, talking_head, static, carousel, ...).", nullable=True
    )
    cta_type: Series[pd.StringDtype] = _f("CTA", "Call-to-action type.", nullable=True)
    primary_angle: Series[pd.StringDtype] = _f("Angle", "Primary message angle.", nullable=True)
    offers: Series[object] = _f("Offers", "Offers in the creative (a list of strings).")
    spend: Series[float] = _f("Spend", "Spend in the window. " + _MONEY, ge=0)
    impressions: Series[pd.Int64Dtype] = _f("Impressions", "Impressions in the window.", ge=0)
    ctr: Series[float] = _f("CTR", "Click-through rate in percent.", ge=0, le=100)
    cpc: Series[float] = _f("CPC", "Cost per click. " + _MONEY, ge=0, nullable=True)
    attributed_cash_outcomes: Series[float] = _f(
        "Cash outcomes", "Attributed cash payments (credit, may be fractional).", ge=0
    )
    attributed_revenue: Series[float] = _f(
        "Attributed revenue", "Cash revenue attributed to the ad. " + _MONEY, ge=0
    )
    roas: Series[float] = _f("ROAS", "attributed_revenue / spend.", ge=0, nullable=True)
    cac: Series[float] = _f(
        "CAC", "spend / attributed_cash_outcomes. " + _MONEY, ge=0, nullable=True
    )
    attributed_outcomes_total: Series[float] = _f(
        "All outcomes", "Attributed outcomes of every kind.", ge=0
    )
    attributed_pipeline_outcomes: Series[float] = _f(
        "Pipeline outcomes", "Attributed leads, appointments and deals.", ge=0
    )
    attributed_pipeline_value: Series[float] = _f(
        "Pipeline value", "Projected value of attributed pipeline. " + _MONEY, ge=0
    )
    meta_reported_conversions: Series[float] = _f(
        "Meta conversions", "Conversions Meta reports (not used for truth_grade).", ge=0
    )
    meta_reported_conversion_value: Series[float] = _f(
        "Meta value", "Conversion value Meta reports. " + _MONEY, ge=0
    )
    cost_per_conversation: Series[float] = _f(
        "Cost per conversation", "spend / conversations started. " + _MONEY, ge=0, nullable=True
    )
    messaging_conversations_started: Series[pd.Int64Dtype] = _f(
        "Conversations", "Messaging conversations started.", ge=0
    )
    first_reply_rate: Series[float] = _f(
        "First reply rate",
        "Percent (0-100) of started conversations that got a first reply.",
        ge=0,
        le=100,
        nullable=True,
    )
    avg_engagement_score: Series[float] = _f(
        "Engagement", "Average engagement score of the ad's conversations.", ge=0, nullable=True
    )
    reason_codes: Series[object] = _f(
        "Reason codes",
        "List of {layer, polarity, percentile, sample_confidence, code, "
        "metric_value}; see reason_codes for the long form.",
    )
    forecast_outcomes_7d: Series[float] = _opt(
        "Forecast 7d", "Outcomes expected next 7 days.", ge=0
    )
    forecast_outcomes_7d_low: Series[float] = _opt("Forecast low", "Low end of the band.", ge=0)
    forecast_outcomes_7d_high: Series[float] = _opt("Forecast high", "High end of the band.", ge=0)
    forecast_confidence: Series[pd.CategoricalDtype] = _opt(
        "Forecast confidence", "low, medium or high.", isin=list(FORECAST_CONFIDENCES)
    )
    hazard_30d_pause: Series[float] = _opt(
        "Pause hazard", "Probability (0-1) the ad is paused within 30 days.", ge=0, le=1
    )
    hazard_30d_degradation: Series[float] = _opt(
        "Degradation hazard", "Probability (0-1) performance degrades within 30 days.", ge=0, le=1
    )
    fatigue_state: Series[pd.CategoricalDtype] = _opt(
        "Fatigue state", "active, paused or degraded.", isin=list(FATIGUE_STATES)
    )
    fatigue_risk_tier: Series[pd.CategoricalDtype] = _opt(
        "Fatigue risk", "low, medium, high or critical.", isin=list(FATIGUE_RISK_TIERS)
    )
    expected_lifespan_days: Series[float] = _opt(
        "Lifespan", "Expected remaining useful days of the creative.", ge=0
    )

    class Config:
        strict = False


class AddedColumns(pa.DataFrameModel):
    """The columns atribu-pandas adds to a loader's frame after validating the API's answer.

    Not from the API: each says where it comes from. A frame holds those of its loader
    (``low_evidence`` on every campaign frame, the period columns on
    ``load_campaign_periods`` and ``load_period_comparison``, ``profile`` and ``profile_id``
    on a workspace's frames).
    """

    low_evidence: Series[bool] = _f(
        "Low evidence",
        "True when the row rests on fewer than 5 attributed outcomes (or none): its ROAS and "
        "cost per outcome are hatched in charts and footnoted in reports. Campaign frames.",
    )
    period_start: Series[pa.DateTime] = _f(
        "Period start",
        "First day of the whole calendar period (a Monday for weeks, the 1st for months). "
        "Period frames.",
    )
    period_end: Series[pa.DateTime] = _f(
        "Period end", "Last day of the whole calendar period (a Sunday for weeks). Period frames."
    )
    is_partial: Series[bool] = _f(
        "Partial period",
        "True when the window covers only part of the period (its first or last). Period frames.",
    )
    restating: Series[bool] = _f(
        "Restating",
        "True when the period touches the last 3 days, whose figures Atribu is still filling "
        "in. Period frames.",
    )
    profile: Series[pd.CategoricalDtype] = _f(
        "Profile", "Your label for the client profile (the workspace's key). Workspace frames."
    )
    profile_id: Series[pd.StringDtype] = _f(
        "Profile id",
        "The profile's id, from the answer's meta (missing when it sent none). Workspace frames.",
        nullable=True,
    )

    class Config:
        strict = False


class ReasonCodes(pa.DataFrameModel):
    """Reason codes in long form: one row per code per ad (from ``reason_codes``)."""

    ad_external_id: Series[pd.StringDtype] = _f("Ad id", "The ad the code explains.")
    ad_name: Series[pd.StringDtype] = _f("Ad", "Ad name.", nullable=True)
    layer: Series[pd.StringDtype] = _f(
        "Layer", "Funnel layer (attention, click_intent, postclick_messaging, ...)."
    )
    polarity: Series[pd.CategoricalDtype] = _f(
        "Polarity",
        "strength or weakness (the page); forecast or fatigue (the OpenAPI text).",
        isin=list(POLARITIES),
    )
    percentile: Series[float] = _f(
        "Percentile", "Within-cohort percentile of the layer (0-100).", ge=0, le=100, nullable=True
    )
    sample_confidence: Series[pd.CategoricalDtype] = _f(
        "Confidence",
        "How much data backs the percentile: low < medium < high (ordered).",
        isin=list(SAMPLE_CONFIDENCES),
        ordered=True,
    )
    code: Series[pd.StringDtype] = _f(
        "Code", "Machine-readable reason (absent from the page's example).", nullable=True
    )
    metric_value: Series[float] = _f(
        "Value", "The layer's metric value (absent from the page's example).", nullable=True
    )

    class Config:
        strict = False


_MODELS: dict[str, type[pa.DataFrameModel]] = {
    "Campaigns": Campaigns,
    "CampaignDetails": CampaignDetails,
    "CampaignTrend": CampaignTrend,
    "TopPerformers": TopPerformers,
    "ReasonCodes": ReasonCodes,
    "AddedColumns": AddedColumns,
}


@cache
def schema_for(name: str, *, with_model: bool = False) -> pa.DataFrameSchema:
    """Return the (cached) ``DataFrameSchema`` of a frame.

    Parameters
    ----------
    name : str
        ``Campaigns``, ``CampaignDetails``, ``CampaignTrend``, ``TopPerformers``,
        ``ReasonCodes`` or ``AddedColumns`` (what the loaders add after validation).
    with_model : bool, default False
        Add the ``model`` column of :func:`~atribu_pandas.load_model_comparison`.

    Examples
    --------
    >>> sorted(schema_for("CampaignTrend").columns)
    ['clicks', 'date', 'entity_id', 'impressions', 'spend']
    """
    schema = _MODELS[name].to_schema()
    if with_model:
        schema = schema.add_columns(
            {
                "model": pa.Column(
                    pd.CategoricalDtype(list(MODELS), ordered=True),
                    title="Model",
                    description="Attribution model of the row's figures.",
                )
            }
        )
    return schema


def data_dictionary(name: str | None = None) -> pd.DataFrame:
    """Return the data dictionary: one row per column of each frame.

    Parameters
    ----------
    name : str, optional
        One schema's name; default all.

    Returns
    -------
    pandas.DataFrame
        Columns ``frame``, ``column``, ``dtype``, ``required``, ``nullable``, ``checks``,
        ``title``, ``description``.

    Examples
    --------
    >>> d = data_dictionary("TopPerformers")
    >>> len(d)
    51
    """
    rows = []
    for frame in [name] if name else list(_MODELS):
        for column, col in schema_for(frame).columns.items():
            rows.append(
                {
                    "frame": frame,
                    "column": column,
                    "dtype": str(col.dtype),
                    "required": col.required,
                    "nullable": col.nullable,
                    "checks": "; ".join(_describe(check) for check in col.checks),
                    "title": col.title,
                    "description": col.description,
                }
            )
    return pd.DataFrame(rows)


def _describe(check: pa.Check) -> str:
    stats = check.statistics or {}
    if "allowed_values" in stats:
        return "one of " + ", ".join(map(str, stats["allowed_values"]))
    if "min_value" in stats and "max_value" in stats:
        return f"{stats['min_value']} to {stats['max_value']}"
    if "min_value" in stats:
        return f">= {stats['min_value']}"
    if "max_value" in stats:
        return f"<= {stats['max_value']}"
    return str(check.name)
