"""One function per endpoint, returning validated frames, plus loaders that combine calls.

Each loader checks its arguments before any request, asks the client, builds a typed
frame, validates it once and records its provenance in ``df.attrs["atribu"]``, through
the machinery of ``loaders.engine``. A validated frame is kept in the client's memory for
its cache lifetime, so re-running a cell costs neither parsing nor validation.

With ``client=None`` the loaders use :func:`~atribu_pandas.default_client` (the
client set with ``ap.set_default_client``, else ``ATRIBU_API_KEY``, else the sandbox's
demo data, with a warning).

Every answer's rows are checked where they are read: a row that is not an object is a
:class:`~atribu_pandas.ResponseError` naming the request id; more rows than
``limit`` or an id repeated is a :class:`PayloadWarning`. Answers are stored in the HTTP
cache only once their frame validated (:meth:`~atribu_pandas.Client.keep`).
"""

from __future__ import annotations

import datetime as dt  # noqa: F401  (the examples below use dt)
import math
from collections.abc import Sequence
from typing import Any

import pandas as pd

from atribu_pandas.client.cache import expire_after_for
from atribu_pandas.client.client import ApiResponse, Client
from atribu_pandas.core import params as p
from atribu_pandas.core.config import CAMPAIGNS_PATH, TOP_PERFORMERS_PATH, TREND_PATH
from atribu_pandas.core.vocabulary import LEVELS, MODELS
from atribu_pandas.exceptions import (
    ArgumentError,
    AtribuError,
    EmptyResultWarning,
    LevelMismatchWarning,
    PartialResultWarning,
    TruncatedResultWarning,
    warn_caller,
)
from atribu_pandas.frames.build import build_frame
from atribu_pandas.frames.quality import with_quality
from atribu_pandas.frames.schemas import schema_for
from atribu_pandas.loaders.answer_checks import (
    check_trend_rows,
    warn_empty_window,
    warn_if_unfiltered,
)
from atribu_pandas.loaders.engine import (
    _get_each,
    _get_many,
    _load,
    _rows,
    _validated,
    _warn_payload,
)

__all__ = [
    "MAX_ENTITY_IDS",
    "load_campaign_trend",
    "load_campaigns",
    "load_model_comparison",
    "load_top_performers",
]


# The most entity ids one trend load takes unless the caller raises max_ids: 1,000 ids are
# 100 requests, under two minutes at the API's 60 a minute.
MAX_ENTITY_IDS = 1000


def _warn_if_truncated(rows: int, limit: int, model: str) -> None:
    if rows == limit:
        warn_caller(
            f"/campaigns returned exactly limit={limit} rows under model={model!r}: more "
            f"entities may exist; raise limit (at most {p.CAMPAIGNS_LIMIT[1]}) to see them.",
            TruncatedResultWarning,
        )


def _check_models(models: Any) -> list[str]:
    allowed = "a list of model names (or a comma-separated string) from " + ", ".join(MODELS)
    if isinstance(models, str):
        models = [m.strip() for m in models.split(",")]
    if not isinstance(models, Sequence | pd.Index | pd.Series) or isinstance(models, bytes):
        raise ArgumentError("models", models, allowed)
    return [p.check_model(m) for m in models]


def load_campaigns(
    date_from: Any,
    date_to: Any,
    *,
    model: str = "last_touch",
    level: str | None = None,
    limit: int = 100,
    client: Client | None = None,
    refresh: bool = False,
) -> pd.DataFrame:
    """Load campaign (or ad set, or ad) performance for a window, ranked by outcome value.

    Parameters
    ----------
    date_from, date_to : str, date, datetime or pandas.Timestamp
        The window, both days inclusive, at most 366 days.
    model : str, default "last_touch"
        One of :data:`~atribu_pandas.MODELS`.
    level : {None, "campaign", "ad_set", "ad"}
        None gives the six base columns per campaign; a level adds delivery, efficiency,
        status, objective and budget columns for entities of that level.
    limit : int, default 100
        Rows asked of the API, 1 to 100; the default is the most it gives (every loader
        asks for that, so a frame holds everything unless you ask for fewer). A
        :class:`TruncatedResultWarning` says when exactly ``limit`` came back.
    client : Client, optional
        The connection to use; default :func:`~atribu_pandas.default_client` (your
        ``ATRIBU_API_KEY``, else the sandbox's demo data).
    refresh : bool, default False
        Skip the caches and fetch again.

    Returns
    -------
    pandas.DataFrame
        Validated against ``Campaigns`` or
        ``CampaignDetails``.

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> sb = ap.sandbox.start()
    >>> ads = ap.load_campaigns(
    ...     sb.last_day - dt.timedelta(days=27), sb.last_day, model="time_decay", level="ad",
    ...     limit=100, client=sb.client(),
    ... )
    >>> list(ads.columns[:6])
    ['campaign_id', 'campaign_name', 'spend', 'outcome_count', 'outcome_value', 'roas']
    >>> sb.stop()
    """
    start, end = p.check_date_range(date_from, date_to)
    checked_model = p.check_model(model)
    checked_limit = p.check_limit(limit, p.CAMPAIGNS_LIMIT)
    query: dict[str, str | int | None] = {
        "date_from": start,
        "date_to": end,
        "model": checked_model,
        "limit": checked_limit,
        "level": p.check_level(level, optional=True),
    }
    ttl = expire_after_for("campaigns", end)
    schema = schema_for("CampaignDetails" if level else "Campaigns")

    def fetch(c: Client) -> tuple[pd.DataFrame, list[ApiResponse]]:
        responses = _get_many(c, CAMPAIGNS_PATH, [query], ttl, refresh, "campaigns")
        rows = _rows(responses[0])
        _warn_payload(responses[0], rows, "campaign_id", checked_limit)
        frame = _validated(build_frame(rows, schema), schema, responses)
        _warn_if_truncated(len(frame), checked_limit, checked_model)
        if frame.empty:
            warn_empty_window(responses[0], start, end)
        return frame, responses

    return with_quality(_load(client, CAMPAIGNS_PATH, query, ttl, refresh, fetch), start, end)


def load_model_comparison(
    date_from: Any,
    date_to: Any,
    *,
    models: Sequence[str] | None = None,
    level: str | None = None,
    limit: int = 100,
    client: Client | None = None,
    refresh: bool = False,
) -> pd.DataFrame:
    """Load the same window under several attribution models, side by side (long form).

    One request per model, run concurrently within the rate limit.

    Parameters
    ----------
    date_from, date_to : str, date, datetime or pandas.Timestamp
        The window, both days inclusive.
    models : sequence of str or comma-separated str, optional
        Default all seven of :data:`~atribu_pandas.MODELS`; ``"linear"`` is one.
    level : {None, "campaign", "ad_set", "ad"}
        As in :func:`~atribu_pandas.load_campaigns`: None gives the base columns per
        campaign, a level adds the detail columns for entities of that level.
    limit : int, default 100
        Rows per model (the maximum, so rankings compare the same entities).
    client : Client, optional
        The connection to use; default :func:`~atribu_pandas.default_client` (your
        ``ATRIBU_API_KEY``, else the sandbox's demo data).
    refresh : bool, default False
        Skip the caches and fetch again.

    Returns
    -------
    pandas.DataFrame
        The campaigns columns plus ``model``, an ordered categorical in MODELS order, one
        block of rows per model.

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> sb = ap.sandbox.start()
    >>> both = ap.load_model_comparison(
    ...     sb.last_day - dt.timedelta(days=27), sb.last_day, level="campaign", client=sb.client()
    ... )
    >>> list(both["model"].cat.categories) == list(ap.MODELS)
    True
    >>> sb.stop()
    """
    start, end = p.check_date_range(date_from, date_to)
    chosen = list(MODELS) if models is None else _check_models(models)
    if not chosen:
        raise ArgumentError("models", models, "at least one of " + ", ".join(MODELS))
    chosen = list(dict.fromkeys(chosen))
    lim = p.check_limit(limit, p.CAMPAIGNS_LIMIT)
    lev = p.check_level(level, optional=True)
    queries = [
        {"date_from": start, "date_to": end, "model": m, "limit": lim, "level": lev} for m in chosen
    ]
    ttl = expire_after_for("campaigns", end)
    base = "CampaignDetails" if lev else "Campaigns"
    schema = schema_for(base, with_model=True)
    memo_query = {
        "date_from": start,
        "date_to": end,
        "models": ",".join(chosen),
        "limit": lim,
        "level": lev,
    }

    def fetch(c: Client) -> tuple[pd.DataFrame, list[ApiResponse]]:
        results = _get_each(c, CAMPAIGNS_PATH, queries, ttl, refresh, "models")
        loaded = [
            (m, r) for m, r in zip(chosen, results, strict=True) if isinstance(r, ApiResponse)
        ]
        refused = [
            (m, r) for m, r in zip(chosen, results, strict=True) if isinstance(r, AtribuError)
        ]
        if not loaded:
            raise refused[0][1]
        if refused:
            # One model the service does not offer (split_50_50 is in the docs, maybe not
            # in every account) must not cost the comparison of the others.
            warn_caller(
                "load_model_comparison: "
                + "; ".join(f"model={m!r} failed ({e})" for m, e in refused)
                + ". The frame holds the other "
                + f"{len(loaded)} model{'s' if len(loaded) > 1 else ''}; pass models= to "
                "choose them.",
                PartialResultWarning,
            )
        responses = [r for _, r in loaded]
        for model, response in loaded:
            _warn_payload(response, _rows(response), "campaign_id", lim)
            _warn_if_truncated(len(response.data), lim, model)
        # One frame from every model's rows: built and validated once, and open-set columns
        # get one dtype rather than per-response categories that concat would lose.
        records = [{**row, "model": model} for model, response in loaded for row in response.data]
        frame = _validated(build_frame(records, schema), schema, responses)
        if frame.empty:
            warn_empty_window(responses[0], start, end)
        return frame, responses

    frame = _load(client, CAMPAIGNS_PATH + "#models", memo_query, ttl, refresh, fetch)
    return with_quality(frame, start, end)


def load_campaign_trend(
    entity_ids: Any,
    date_from: Any,
    date_to: Any,
    *,
    level: str | None = None,
    client: Client | None = None,
    refresh: bool = False,
    max_ids: int = MAX_ENTITY_IDS,
) -> pd.DataFrame:
    """Load daily spend, impressions and clicks for campaigns, ad sets or ads.

    The API takes 10 ids per request; more are split into requests of 10, run
    concurrently within the rate limit (with a progress bar), then joined, de-duplicated
    and sorted. A load the rate limit will make slow says how long first
    (:class:`LargeLoadWarning`); more than ``max_ids`` ids are refused.

    Parameters
    ----------
    entity_ids : list, pandas.Series, pandas.Index, str or pandas.DataFrame
        UUIDs of entities of ``level`` (a comma-separated string works too). A column of a
        frame from :func:`load_campaigns` remembers its level (in ``attrs``); the frame
        itself gives its ``campaign_id`` column, and its level.
    date_from, date_to : str, date, datetime or pandas.Timestamp
        The window, both days inclusive, at most 366 days.
    level : {None, "campaign", "ad_set", "ad"}, default None
        The level the ids belong to: ids of another level give no rows. None takes the
        level recorded on ``entity_ids`` (a ``load_campaigns`` frame or column), else
        ``campaign``; a level that contradicts the recorded one is used, with a
        :class:`LevelMismatchWarning` naming both.
    client : Client, optional
        The connection to use; default :func:`~atribu_pandas.default_client` (your
        ``ATRIBU_API_KEY``, else the sandbox's demo data).
    refresh : bool, default False
        Skip the caches and fetch again.
    max_ids : int, default 1000
        The most ids one call takes (:data:`MAX_ENTITY_IDS`); raise it for larger loads.

    Returns
    -------
    pandas.DataFrame
        One row per entity per day with delivery (days without delivery are absent),
        sorted by entity then date; see ``CampaignTrend``.

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> sb = ap.sandbox.start()
    >>> c = sb.client()
    >>> window = (sb.last_day - dt.timedelta(days=27), sb.last_day)
    >>> ads = ap.load_campaigns(*window, level="ad", limit=100, client=c)
    >>> trend = ap.load_campaign_trend(ads["campaign_id"].head(25), *window, level="ad", client=c)
    >>> trend["entity_id"].nunique() <= 25
    True
    >>> sb.stop()
    """
    entity_ids = _ids_from_frame(entity_ids)
    whole = p.whole_number(max_ids)
    if whole is None or whole < 1:
        raise ArgumentError("max_ids", max_ids, "a whole number >= 1")
    max_ids = whole
    ids = p.check_entity_ids(entity_ids)
    if len(ids) > max_ids:
        raise ArgumentError(
            "entity_ids",
            f"<{len(ids):,} ids>",
            f"at most max_ids={max_ids:,} ids ({math.ceil(max_ids / p.MAX_TREND_IDS)} "
            "requests); pass max_ids= a larger number to load more",
        )
    start, end = p.check_date_range(date_from, date_to)
    recorded = _recorded_level(entity_ids)
    lev = p.check_level(level) if level is not None else (recorded or "campaign")
    if recorded is not None and lev != recorded:
        warn_caller(
            f"entity_ids come from a load_campaigns frame at level={recorded!r}, but "
            f"level={lev!r} was asked: ids of another level give no rows. Drop level= to "
            "use the frame's own level.",
            LevelMismatchWarning,
        )
    chunks = [ids[i : i + p.MAX_TREND_IDS] for i in range(0, len(ids), p.MAX_TREND_IDS)]
    queries = [
        {"entity_ids": ",".join(chunk), "date_from": start, "date_to": end, "level": lev}
        for chunk in chunks
    ]
    ttl = expire_after_for("trend", end)
    schema = schema_for("CampaignTrend")
    memo_query = {
        "entity_ids": ",".join(sorted(ids)),
        "date_from": start,
        "date_to": end,
        "level": lev,
    }

    def fetch(c: Client) -> tuple[pd.DataFrame, list[ApiResponse]]:
        responses = _get_many(c, TREND_PATH, queries, ttl, refresh, "trend")
        for query, response in zip(queries, responses, strict=True):
            check_trend_rows(response, query)
        records = [row for r in responses for row in _rows(r)]
        frame = build_frame(records, schema)
        if len(responses) > 1 and len(frame):
            frame = frame.drop_duplicates(["entity_id", "date"]).sort_values(
                ["entity_id", "date"], kind="stable", ignore_index=True
            )
        if not len(frame):
            warn_caller(
                f"[request_id={responses[0].request_id}] /campaigns/trend returned no rows for "
                f"{len(ids)} id(s) at level={lev!r} from {start} to {end}: either none of "
                "them delivered in the window, or they are ids of another level (pass the "
                "level they belong to, or pass a load_campaigns column, which knows it).",
                EmptyResultWarning,
            )
        return _validated(frame, schema, responses), responses

    return _load(client, TREND_PATH, memo_query, ttl, refresh, fetch)


def _recorded_level(entity_ids: Any) -> str | None:
    """The level a ``load_campaigns`` column's ``attrs`` record, or None when unknown."""
    attrs = getattr(entity_ids, "attrs", None)
    info = attrs.get("atribu") if isinstance(attrs, dict) else None
    # load_model_comparison's endpoint is "/api/v1/campaigns#models": the same rows.
    if not isinstance(info, dict) or str(info.get("endpoint")).split("#")[0] != CAMPAIGNS_PATH:
        return None
    level = (info.get("params") or {}).get("level")
    # /campaigns without level answers campaigns.
    return level if level in LEVELS else "campaign"


def _ids_from_frame(entity_ids: Any) -> Any:
    """A ``load_campaigns`` frame's ``campaign_id`` column (its attrs, so its level, kept)."""
    if isinstance(entity_ids, pd.DataFrame):
        if "campaign_id" not in entity_ids.columns:
            raise ArgumentError(
                "entity_ids",
                f"<DataFrame with columns {list(entity_ids.columns)[:8]}>",
                "ids, or a frame from load_campaigns (with a campaign_id column)",
            )
        column = entity_ids["campaign_id"]
        column.attrs = entity_ids.attrs
        return column
    return entity_ids


def load_top_performers(
    *,
    window: str = "28d",
    limit: int = 50,
    min_spend: float | None = None,
    objectives: Any = None,
    truth_grades: Any = None,
    outcome_kinds: Any = None,
    formats: Any = None,
    has_video: bool | None = None,
    client: Client | None = None,
    refresh: bool = False,
) -> pd.DataFrame:
    """Load the profile's top-performing ads, scored against comparable creative.

    Keep the three measures apart: ``composite_score`` (0-100 rule blend),
    ``top_performer_likelihood`` (0-1 probability) and attributed revenue / ``roas`` (cash).

    Parameters
    ----------
    window : {"7d", "14d", "28d", "lifetime"}, default "28d"
        The score's rolling lookback (not a custom date range): the last 7, 14 or 28 days,
        or the ad's lifetime.
    limit : int, default 50
        Ads asked of the API, 1 to 50; the default is the most it gives.
    min_spend : float, optional
        Only ads that spent at least this much in the window.
    objectives, truth_grades, outcome_kinds, formats : list of str or str, optional
        Filters, each a list or a comma-separated string: ``["sales", "leads"]`` and
        ``"sales,leads"`` are the same.
    has_video : bool, optional
        True keeps only ads with a video, False only ads without; None keeps both.
    client : Client, optional
        The connection to use; default :func:`~atribu_pandas.default_client` (your
        ``ATRIBU_API_KEY``, else the sandbox's demo data).
    refresh : bool, default False
        Skip the caches and fetch again.

    Returns
    -------
    pandas.DataFrame
        The 51 fields of ``TopPerformers``.

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> sb = ap.sandbox.start()
    >>> top = ap.load_top_performers(window="28d", limit=20, client=sb.client())
    >>> bool(top["composite_score"].is_monotonic_decreasing)
    True
    >>> sb.stop()
    """
    query: dict[str, str | int | None] = {
        "window": p.check_window(window),
        "limit": p.check_limit(limit, p.TOP_PERFORMERS_LIMIT),
        "min_spend": p.check_min_spend(min_spend),
        "objectives": p.check_filter(objectives, "objectives"),
        "truth_grades": p.check_filter(truth_grades, "truth_grades"),
        "outcome_kinds": p.check_filter(outcome_kinds, "outcome_kinds"),
        "formats": p.check_filter(formats, "formats"),
        "has_video": p.check_bool(has_video, "has_video"),
    }
    ttl = expire_after_for("top_performers", None)
    schema = schema_for("TopPerformers")

    def fetch(c: Client) -> tuple[pd.DataFrame, list[ApiResponse]]:
        responses = _get_many(c, TOP_PERFORMERS_PATH, [query], ttl, refresh, "top performers")
        rows = _rows(responses[0])
        _warn_payload(responses[0], rows, "ad_external_id", int(query["limit"] or 0))
        frame = _validated(build_frame(rows, schema), schema, responses)
        warn_if_unfiltered(frame, query, responses[0])
        if frame.empty:
            filters = {k: v for k, v in query.items() if k not in ("window", "limit") and v}
            warn_caller(
                f"[request_id={responses[0].request_id}] /top-performers returned no ads "
                f"(window={query['window']}"
                + "".join(f", {k}={v}" for k, v in filters.items())
                + "). Atribu says an empty answer usually means the ads are not scored yet "
                "(scores rebuild once a day, and a newly connected Meta account needs one "
                "sync cycle), not that there are no top performers"
                + ("; or the filters left none: try without them." if filters else "."),
                EmptyResultWarning,
            )
        return frame, responses

    return _load(client, TOP_PERFORMERS_PATH, query, ttl, refresh, fetch)
