"""The schemas of ``/api/v1/top-performers``, its reason codes in long form, and the
columns the package adds to a loader's frame."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from atribu_pandas.core.vocabulary import (
    FATIGUE_RISK_TIERS,
    FATIGUE_STATES,
    FORECAST_CONFIDENCES,
    MATURITY_STAGES,
    OBJECTIVES,
    OUTCOME_KINDS,
    POLARITIES,
    SAMPLE_CONFIDENCES,
    SCORE_SOURCES,
    TRUTH_GRADES,
    WINDOWS,
)
from atribu_pandas.frames.schemas.fields import MONEY, field, optional

__all__ = ["AddedColumns", "ReasonCodes", "TopPerformers"]


class TopPerformers(pa.DataFrameModel):
    """``/api/v1/top-performers``: the 51 fields of Atribu's official schema, one row per ad.

    Three measures are distinct and must not be merged: ``composite_score`` (a rule blend),
    ``top_performer_likelihood`` (a probability) and attributed revenue / ROAS (cash).
    """

    ad_external_id: Series[pd.StringDtype] = field("Ad id", "The ad's id in the ad platform.")
    ad_name: Series[pd.StringDtype] = field("Ad", "Ad name.", nullable=True)
    campaign_name: Series[pd.StringDtype] = field("Campaign", "Campaign name.", nullable=True)
    ad_set_name: Series[pd.StringDtype] = field("Ad set", "Ad set name.", nullable=True)
    creative_thumbnail_url: Series[pd.StringDtype] = field(
        "Thumbnail", "URL of the creative's thumbnail.", nullable=True
    )
    video_id: Series[pd.StringDtype] = field(
        "Video id", "The creative's video, if any.", nullable=True
    )
    score_window: Series[pd.CategoricalDtype] = field(
        "Window", "Rolling lookback of the score: 7d, 14d, 28d or lifetime.", isin=list(WINDOWS)
    )
    composite_score: Series[float] = field(
        "Composite score",
        "0-100, a transparent blend of within-cohort layer percentiles.",
        ge=0,
        le=100,
        nullable=True,
    )
    top_performer_likelihood: Series[float] = field(
        "Likelihood",
        "0-1 probability of being a top performer: a likelihood, not a guarantee.",
        ge=0,
        le=1,
        nullable=True,
    )
    model_version: Series[float] = field(
        "Model version", "Version of the ML ranker when score_source is 'model'.", nullable=True
    )
    score_source: Series[pd.CategoricalDtype] = field(
        "Score source",
        "model (the ML ranker produced the likelihood) or rules (it fell back to the "
        "composite score).",
        isin=list(SCORE_SOURCES),
    )
    maturity_stage: Series[pd.CategoricalDtype] = field(
        "Maturity",
        "How settled the score is: cold < early < mature < calibrated (ordered); act on "
        "mature and calibrated, treat cold as provisional.",
        isin=list(MATURITY_STAGES),
        ordered=True,
    )
    truth_grade: Series[pd.CategoricalDtype] = field(
        "Truth grade",
        "predicted (proxy signals only), attributed (at least one Atribu-attributed outcome "
        "of any kind, cash or pipeline) or lift (experiment-validated). Meta-reported "
        "conversions never set it.",
        isin=list(TRUTH_GRADES),
    )
    primary_outcome_kind: Series[pd.CategoricalDtype] = field(
        "Outcome kind",
        "The headline outcome to show: cash, pipeline, messaging (conversations started), "
        "meta (Meta's own attribution) or none (no attributed outcome yet: use "
        "composite_score).",
        isin=list(OUTCOME_KINDS),
    )
    cohort_key: Series[pd.StringDtype] = field(
        "Cohort",
        "channel|format|objective|warmth|geo|placement: the ads it is compared with.",
        nullable=True,
    )
    cohort_objective: Series[pd.CategoricalDtype] = field(
        "Cohort objective",
        "The cohort's objective: messaging, sales, leads, traffic or awareness.",
        nullable=True,
        isin=list(OBJECTIVES),
    )
    cohort_format: Series[pd.StringDtype] = field(
        "Cohort format",
        "The cohort's creative format (ugc_video, talking_head, static, carousel, ...).",
        nullable=True,
    )
    cohort_audience_warmth: Series[pd.StringDtype] = field(
        "Cohort warmth", "The cohort's audience warmth (prospecting, ...).", nullable=True
    )
    cohort_n_ads: Series[pd.Int64Dtype] = field("Cohort size", "Ads in the cohort.", ge=0)
    hook_type: Series[pd.StringDtype] = field("Hook", "Creative hook type.", nullable=True)
    creative_format: Series[pd.StringDtype] = field(
        "Format", "Creative format (ugc_video, talking_head, static, carousel, ...).", nullable=True
    )
    cta_type: Series[pd.StringDtype] = field("CTA", "Call-to-action type.", nullable=True)
    primary_angle: Series[pd.StringDtype] = field("Angle", "Primary message angle.", nullable=True)
    offers: Series[object] = field("Offers", "Offers in the creative (a list of strings).")
    spend: Series[float] = field("Spend", "Spend in the window. " + MONEY, ge=0)
    impressions: Series[pd.Int64Dtype] = field("Impressions", "Impressions in the window.", ge=0)
    ctr: Series[float] = field("CTR", "Click-through rate in percent.", ge=0, le=100)
    cpc: Series[float] = field("CPC", "Cost per click. " + MONEY, ge=0, nullable=True)
    attributed_cash_outcomes: Series[float] = field(
        "Cash outcomes", "Attributed cash payments (credit, may be fractional).", ge=0
    )
    attributed_revenue: Series[float] = field(
        "Attributed revenue", "Cash revenue attributed to the ad. " + MONEY, ge=0
    )
    roas: Series[float] = field("ROAS", "attributed_revenue / spend.", ge=0, nullable=True)
    cac: Series[float] = field(
        "CAC", "spend / attributed_cash_outcomes. " + MONEY, ge=0, nullable=True
    )
    attributed_outcomes_total: Series[float] = field(
        "All outcomes", "Attributed outcomes of every kind.", ge=0
    )
    attributed_pipeline_outcomes: Series[float] = field(
        "Pipeline outcomes", "Attributed leads, appointments and deals.", ge=0
    )
    attributed_pipeline_value: Series[float] = field(
        "Pipeline value", "Projected value of attributed pipeline. " + MONEY, ge=0
    )
    meta_reported_conversions: Series[float] = field(
        "Meta conversions", "Conversions Meta reports (not used for truth_grade).", ge=0
    )
    meta_reported_conversion_value: Series[float] = field(
        "Meta value", "Conversion value Meta reports. " + MONEY, ge=0
    )
    cost_per_conversation: Series[float] = field(
        "Cost per conversation", "spend / conversations started. " + MONEY, ge=0, nullable=True
    )
    messaging_conversations_started: Series[pd.Int64Dtype] = field(
        "Conversations", "Messaging conversations started.", ge=0
    )
    first_reply_rate: Series[float] = field(
        "First reply rate",
        "Percent (0-100) of started conversations that got a first reply.",
        ge=0,
        le=100,
        nullable=True,
    )
    avg_engagement_score: Series[float] = field(
        "Engagement", "Average engagement score of the ad's conversations.", ge=0, nullable=True
    )
    reason_codes: Series[object] = field(
        "Reason codes",
        "List of {layer, polarity, percentile, sample_confidence, code, "
        "metric_value}; see reason_codes for the long form.",
    )
    forecast_outcomes_7d: Series[float] = optional(
        "Forecast 7d", "Outcomes expected next 7 days.", ge=0
    )
    forecast_outcomes_7d_low: Series[float] = optional("Forecast low", "Low end of the band.", ge=0)
    forecast_outcomes_7d_high: Series[float] = optional(
        "Forecast high", "High end of the band.", ge=0
    )
    forecast_confidence: Series[pd.CategoricalDtype] = optional(
        "Forecast confidence", "low, medium or high.", isin=list(FORECAST_CONFIDENCES)
    )
    hazard_30d_pause: Series[float] = optional(
        "Pause hazard", "Probability (0-1) the ad is paused within 30 days.", ge=0, le=1
    )
    hazard_30d_degradation: Series[float] = optional(
        "Degradation hazard", "Probability (0-1) performance degrades within 30 days.", ge=0, le=1
    )
    fatigue_state: Series[pd.CategoricalDtype] = optional(
        "Fatigue state", "active, paused or degraded.", isin=list(FATIGUE_STATES)
    )
    fatigue_risk_tier: Series[pd.CategoricalDtype] = optional(
        "Fatigue risk", "low, medium, high or critical.", isin=list(FATIGUE_RISK_TIERS)
    )
    expected_lifespan_days: Series[float] = optional(
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

    low_evidence: Series[bool] = field(
        "Low evidence",
        "True when the row rests on fewer than 5 attributed outcomes (or none): its ROAS and "
        "cost per outcome are hatched in charts and footnoted in reports. Campaign frames.",
    )
    period_start: Series[pa.DateTime] = field(
        "Period start",
        "First day of the whole calendar period (a Monday for weeks, the 1st for months). "
        "Period frames.",
    )
    period_end: Series[pa.DateTime] = field(
        "Period end", "Last day of the whole calendar period (a Sunday for weeks). Period frames."
    )
    is_partial: Series[bool] = field(
        "Partial period",
        "True when the window covers only part of the period (its first or last). Period frames.",
    )
    restating: Series[bool] = field(
        "Restating",
        "True when the period touches the last 3 days, whose figures Atribu is still filling "
        "in. Period frames.",
    )
    profile: Series[pd.CategoricalDtype] = field(
        "Profile", "Your label for the client profile (the workspace's key). Workspace frames."
    )
    profile_id: Series[pd.StringDtype] = field(
        "Profile id",
        "The profile's id, from the answer's meta (missing when it sent none). Workspace frames.",
        nullable=True,
    )

    class Config:
        strict = False


class ReasonCodes(pa.DataFrameModel):
    """Reason codes in long form: one row per code per ad (from ``reason_codes``)."""

    ad_external_id: Series[pd.StringDtype] = field("Ad id", "The ad the code explains.")
    ad_name: Series[pd.StringDtype] = field("Ad", "Ad name.", nullable=True)
    layer: Series[pd.StringDtype] = field(
        "Layer", "Funnel layer (attention, click_intent, postclick_messaging, ...)."
    )
    polarity: Series[pd.CategoricalDtype] = field(
        "Polarity",
        "strength or weakness (the page); forecast or fatigue (the OpenAPI text).",
        isin=list(POLARITIES),
    )
    percentile: Series[float] = field(
        "Percentile", "Within-cohort percentile of the layer (0-100).", ge=0, le=100, nullable=True
    )
    sample_confidence: Series[pd.CategoricalDtype] = field(
        "Confidence",
        "How much data backs the percentile: low < medium < high (ordered).",
        isin=list(SAMPLE_CONFIDENCES),
        ordered=True,
    )
    code: Series[pd.StringDtype] = field(
        "Code", "Machine-readable reason (absent from the page's example).", nullable=True
    )
    metric_value: Series[float] = field(
        "Value", "The layer's metric value (absent from the page's example).", nullable=True
    )

    class Config:
        strict = False
