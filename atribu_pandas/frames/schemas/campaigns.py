"""The schemas of ``/api/v1/campaigns`` (with and without ``level``) and its trend."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from atribu_pandas.core.vocabulary import (
    LEVELS,
)
from atribu_pandas.frames.schemas.fields import MONEY, detail, field

__all__ = ["CampaignDetails", "CampaignTrend", "Campaigns"]


class Campaigns(pa.DataFrameModel):
    """``/api/v1/campaigns`` without ``level``: one row per campaign, ranked by value."""

    campaign_id: Series[pd.StringDtype] = field(
        "Campaign id", "UUID of the entity; with `level`, the entity at that level."
    )
    campaign_name: Series[pd.StringDtype] = field(
        "Campaign name", "Name as set in the ad platform.", nullable=True
    )
    spend: Series[float] = field("Spend", "Ad spend in the window. " + MONEY, ge=0)
    outcome_count: Series[float] = field(
        "Outcomes",
        "Attributed outcomes (cash payments) under the model; fractional under split-credit "
        "models (linear, position_based, time_decay, split_50_50).",
        ge=0,
    )
    outcome_value: Series[float] = field(
        "Outcome value", "Attributed revenue under the model. " + MONEY, ge=0
    )
    roas: Series[float] = field(
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

    entity_level: Series[pd.CategoricalDtype] = detail(
        "Level", "campaign, ad_set or ad.", isin=list(LEVELS)
    )
    parent_name: Series[pd.StringDtype] = detail(
        "Parent",
        "Name of the entity one level up (an ad's ad set, an ad set's campaign).",
    )
    impressions: Series[pd.Int64Dtype] = detail("Impressions", "Times the ads were shown.", ge=0)
    clicks: Series[pd.Int64Dtype] = detail("Clicks", "Link clicks.", ge=0)
    reach: Series[pd.Int64Dtype] = detail(
        "Reach", "People reached; not additive across entities or days.", ge=0
    )
    ctr: Series[float] = detail(
        "CTR",
        "Click-through rate in percent: clicks / impressions * 100.",
        ge=0,
        le=100,
    )
    avg_cpm: Series[float] = detail(
        "CPM",
        "Cost per thousand impressions: spend / impressions * 1000. " + MONEY,
        ge=0,
    )
    avg_cpc: Series[float] = detail("CPC", "Cost per click: spend / clicks. " + MONEY, ge=0)
    cac: Series[float] = detail(
        "CAC",
        "Cost per acquisition: spend / outcome_count; NaN when there are no outcomes. " + MONEY,
        ge=0,
    )
    status: Series[pd.StringDtype] = detail(
        "Status",
        "Entity status as the ad platform sends it (ACTIVE, PAUSED, etc.; an open set).",
    )
    objective: Series[pd.StringDtype] = detail(
        "Objective",
        "Campaign objective as the ad platform sends it (Meta's OUTCOME_SALES, a Google "
        "campaign type, ...; an open set).",
    )
    daily_budget: Series[float] = detail(
        "Daily budget", "Daily budget where set at this level. " + MONEY, ge=0
    )


class CampaignTrend(pa.DataFrameModel):
    """``/api/v1/campaigns/trend``: one row per entity per day with delivery."""

    entity_id: Series[pd.StringDtype] = field("Entity id", "UUID of the campaign, ad set or ad.")
    date: Series[pa.DateTime] = field(
        "Day", "Calendar day in the profile's reporting timezone (naive)."
    )
    spend: Series[float] = field("Spend", "Spend that day. " + MONEY, ge=0)
    impressions: Series[pd.Int64Dtype] = field("Impressions", "Impressions that day.", ge=0)
    clicks: Series[pd.Int64Dtype] = field("Clicks", "Clicks that day.", ge=0)

    class Config:
        strict = False
        unique = ("entity_id", "date")
