"""Sum the additive columns by groups and/or a date frequency, then rebuild the ratios."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from atribu_pandas.core.params import calendar_bins
from atribu_pandas.exceptions import (
    AtribuError,
    MixedModelsWarning,
    ReachNotAdditiveWarning,
    warn_once_per_frame,
)
from atribu_pandas.metrics.common import (
    _LOADER_CAMPAIGNS,
    _LOADER_TOP,
    _LOADER_TREND,
    ADDITIVE_COLUMNS,
    _as_float,
    _as_list,
    _derived_attrs,
    _entity_column,
    _is_top_performers,
    require_columns,
    safe_divide,
)
from atribu_pandas.metrics.ratios import ratios_for

__all__ = ["campaign_names", "rollup"]


def rollup(
    df: pd.DataFrame, by: str | Sequence[str] | None = None, freq: str | None = None
) -> pd.DataFrame:
    """Sum the additive columns by ``by`` and/or a date frequency, then rebuild the ratios.

    Parameters
    ----------
    df : pandas.DataFrame
        A campaigns, model-comparison, trend or top-performer frame.
    by : str or list of str, optional
        Grouping columns (``parent_name``, ``status``, ``objective``, ``model``,
        ``cohort_key`` ...). ``None`` with ``freq=None`` gives a one-row total.
    freq : str, optional
        A pandas frequency (``"D"``, ``"W"``, ``"M"`` (month end, as ``"ME"``) ...) applied
        to the ``date`` column; ``"W"`` is a week from Monday, labelled by its Monday (see
        ``core.params.calendar_bins``), other periods as
        :meth:`pandas.DataFrame.resample` labels them.

    Returns
    -------
    pandas.DataFrame
        One row per group, sorted by the keys, with the keys as columns (rows with a
        missing key form their own group), the summed additive columns and the ratios of
        :func:`recompute` rebuilt from the sums. Other columns are dropped. On
        top-performer frames without ``clicks``, clicks are implied as
        ``ctr * impressions / 100`` so that ``ctr`` and ``cpc`` roll up correctly.
        ``reach`` is kept only where each group holds one entity (one id and one reach
        value, e.g. the same campaign under several models); otherwise it is dropped with
        a :class:`ReachNotAdditiveWarning`.

    Warns
    -----
    ReachNotAdditiveWarning
        When ``reach`` cannot be kept.
    MixedModelsWarning
        When a model-comparison frame is summed across models (``model`` not in ``by``).

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> sb = ap.sandbox.start()
    >>> df = ap.load_campaigns("2026-03-01", "2026-03-25", level="ad", limit=100,
    ...                        client=sb.client())
    >>> df.atribu.rollup("objective")[["objective", "spend", "roas"]]  # doctest: +SKIP
    >>> sb.stop()
    """
    keys = _as_list(by)
    needed = list(keys) + (["date"] if freq is not None else [])
    loader = _LOADER_TREND if freq is not None else _LOADER_CAMPAIGNS
    require_columns(df, needed, method="rollup", loader=loader)
    additive = _additive_columns(df, keys)
    if "model" in df.columns and "model" not in keys and df["model"].nunique() > 1:
        warn_once_per_frame(
            df,
            "rollup summed rows of different attribution models, which counts each outcome "
            "once per model; add 'model' to by=",
            MixedModelsWarning,
        )
    entity = _entity_column(df)
    with_reach = "reach" in df.columns and "reach" not in keys
    work = _work_frame(df, [*needed, *additive], additive, entity if with_reach else False)
    groupers: list[Any] = list(keys)
    if freq is not None:
        groupers.append(pd.Grouper(key="date", **calendar_bins(freq)))
    grouped = work.groupby(groupers, observed=True, sort=True, dropna=False) if groupers else None
    if grouped is not None:
        out = grouped[additive].sum()
    else:
        out = work[additive].sum().to_frame().T
        out = out.astype({c: work[c].dtype for c in additive}, errors="ignore")
    if with_reach:
        _keep_reach(df, out, work, grouped, entity)
    for ratio in ratios_for(df):
        if ratio.numerator in out.columns and ratio.denominator in out.columns:
            out[ratio.name] = safe_divide(out[ratio.numerator], out[ratio.denominator], ratio.scale)
    out = out.reset_index() if groupers else out.reset_index(drop=True)
    if "period_start" in keys:
        out = _with_period_flags(out, df, keys)
    out.attrs = _derived_attrs(df, "rollup", summed_by=keys)
    return out


def _additive_columns(df: pd.DataFrame, keys: list[str]) -> list[str]:
    """The columns that add up, ``clicks`` last when a top-performer frame implies it."""
    additive = [c for c in ADDITIVE_COLUMNS if c in df.columns and c not in keys]
    if not additive:
        raise AtribuError(
            f"rollup needs at least one additive column of {list(ADDITIVE_COLUMNS)}; "
            f"load them with {_LOADER_CAMPAIGNS}, {_LOADER_TREND} or {_LOADER_TOP}"
        )
    implied_clicks = (
        "clicks" not in df.columns
        and _is_top_performers(df)
        and {"ctr", "impressions"} <= set(df.columns)
    )
    return [*additive, "clicks"] if implied_clicks else additive


def _work_frame(
    df: pd.DataFrame, columns: list[str], additive: list[str], reach_entity: str | bool | None
) -> pd.DataFrame:
    """The columns the sums need: implied clicks computed, reach (and its entity) kept
    unless ``reach_entity`` is False."""
    work = df[[c for c in dict.fromkeys(columns) if c in df.columns]]
    if "clicks" in additive and "clicks" not in df.columns:
        work = work.assign(clicks=_as_float(df["ctr"]) * _as_float(df["impressions"]) / 100.0)
    if reach_entity is not False:
        work = work.assign(reach=df["reach"])
        if isinstance(reach_entity, str) and reach_entity not in work.columns:
            work = work.assign(**{reach_entity: df[reach_entity]})
    return work


def _keep_reach(
    df: pd.DataFrame, out: pd.DataFrame, work: pd.DataFrame, grouped: Any, entity: str | None
) -> None:
    reach = _rollup_reach(work, grouped, entity)
    if reach is None:
        # Once per frame: the second rollup of the same ads would only repeat it.
        warn_once_per_frame(
            df,
            "rollup dropped 'reach' (and 'frequency'): reach counts unique people, who "
            "can be reached by several entities or days, so it cannot be summed across "
            "a group holding more than one entity; roll up by the entity id to keep it",
            ReachNotAdditiveWarning,
        )
    else:
        out["reach"] = reach.to_numpy() if grouped is not None else reach


def _rollup_reach(work: pd.DataFrame, grouped: Any, entity: str | None) -> Any:
    """Return the per-group reach when each group holds one entity, else None."""
    if grouped is None:
        if not len(work):
            return 0  # no rows reach nobody; nothing is counted twice
        one_entity = entity is not None and work[entity].nunique(dropna=False) <= 1
        single = len(work) <= 1 or (one_entity and work["reach"].nunique(dropna=False) <= 1)
        return work["reach"].iloc[:1].to_numpy()[0] if single and len(work) else None
    if entity is None:
        return grouped["reach"].first() if (grouped.size() <= 1).all() else None
    same = (grouped[entity].nunique(dropna=False) <= 1) & (
        grouped["reach"].nunique(dropna=False) <= 1
    )
    return grouped["reach"].first() if bool(same.all()) else None


_PERIOD_FLAGS = ("period_end", "is_partial", "restating")


def _with_period_flags(out: pd.DataFrame, df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """A period frame rolled up by ``period_start`` keeps each period's end and flags."""
    flags = [c for c in _PERIOD_FLAGS if c in df.columns and c not in keys]
    if not flags:
        return out
    per_period = df.drop_duplicates("period_start").set_index("period_start")[flags]
    at = list(out.columns).index("period_start") + 1
    for offset, col in enumerate(flags):
        out.insert(at + offset, col, out["period_start"].map(per_period[col]).to_numpy())
    return out


def campaign_names(ads: pd.DataFrame, ad_sets: pd.DataFrame) -> pd.Series:
    """The campaign each ad runs in, from the ad-set rows of the same window.

    The API names an ad's parent (its ad set) but not the campaign above it; an ad-set row
    names its campaign. So an ad's campaign is its ad set's ``parent_name``, where that ad
    set's name is found once among ``ad_sets`` (the API gives no parent ids): a name shared
    by ad sets of two campaigns, or an ad set outside ``ad_sets``, gives NaN.

    Parameters
    ----------
    ads : pandas.DataFrame
        ``load_campaigns(level="ad")``: ``parent_name`` is each ad's ad set.
    ad_sets : pandas.DataFrame
        ``load_campaigns(level="ad_set")`` for the same window.

    Returns
    -------
    pandas.Series
        Aligned with ``ads``.

    Examples
    --------
    >>> ads = pd.DataFrame({"campaign_name": ["Reel", "Story", "Static"],
    ...                     "parent_name": ["NYC", "Boston", "LA"]})
    >>> ad_sets = pd.DataFrame({"campaign_name": ["NYC", "Boston", "Boston"],
    ...                         "parent_name": ["Spring", "Brand", "Sale"]})
    >>> campaign_names(ads, ad_sets).tolist()
    ['Spring', nan, nan]
    """
    require_columns(ads, ["parent_name"], method="campaign_names", loader="load_campaigns")
    require_columns(
        ad_sets, ["campaign_name", "parent_name"], method="campaign_names", loader="load_campaigns"
    )
    parents = ad_sets.groupby("campaign_name", observed=True)["parent_name"]
    # An ad-set name under two campaigns names neither.
    single = parents.nunique() == 1
    campaigns = parents.first()[single]
    return ads["parent_name"].map(campaigns).rename("campaign")
