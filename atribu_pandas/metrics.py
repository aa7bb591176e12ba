"""The math behind ``df.atribu``: pure functions from DataFrames to new DataFrames.

Ratios are always recomputed from sums of their additive parts (the ROAS of a total is
``sum(value) / sum(spend)``, never the mean of the ROAS), a zero denominator gives NaN
(never ``inf``), and no function modifies its input. Result frames carry a deep copy of
the input's ``attrs``, with ``attrs["atribu"]["derived"]`` naming the function that made
them, so provenance never claims a derived frame is the raw load. The accessor in
``accessor.py`` is a thin layer over these functions; the sandbox may reuse them too.
"""

from __future__ import annotations

import copy
import warnings
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
import numpy.typing as npt
import pandas as pd

from atribu_pandas.exceptions import ArgumentError, AtribuError
from atribu_pandas.vocabulary import POLARITIES, SAMPLE_CONFIDENCES

__all__ = [
    "ADDITIVE_COLUMNS",
    "CAMPAIGN_RATIOS",
    "REASON_CODE_DTYPES",
    "SHRINK_METRICS",
    "TOP_PERFORMER_RATIOS",
    "TREND_VALUES",
    "MixedModelsWarning",
    "ModelComparison",
    "Ratio",
    "ReachNotAdditiveWarning",
    "check",
    "compare_cohorts",
    "compare_models",
    "entity_labels",
    "explode_reason_codes",
    "pivot_trend",
    "pivot_trend_smoothed",
    "ratios_for",
    "recompute",
    "require_columns",
    "rollup",
    "safe_divide",
    "shrink",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.integer[Any]]


@dataclass(frozen=True)
class Ratio:
    """A ratio the API reports, and how to rebuild it from additive columns.

    Attributes
    ----------
    name : str
        The column the API (or this toolkit, for ``frequency``) calls it.
    numerator, denominator : str
        The additive columns it is made of.
    scale : float
        Multiplier: 100 for a percentage, 1000 for a cost per mille.
    """

    name: str
    numerator: str
    denominator: str
    scale: float = 1.0


# Column names are the API's: campaign frames say avg_cpm/avg_cpc, top-performer frames cpc.
CAMPAIGN_RATIOS: tuple[Ratio, ...] = (
    Ratio("roas", "outcome_value", "spend"),
    Ratio("cac", "spend", "outcome_count"),
    Ratio("ctr", "clicks", "impressions", 100.0),
    Ratio("avg_cpm", "spend", "impressions", 1000.0),
    Ratio("avg_cpc", "spend", "clicks"),
    Ratio("frequency", "impressions", "reach"),
)
TOP_PERFORMER_RATIOS: tuple[Ratio, ...] = (
    Ratio("roas", "attributed_revenue", "spend"),
    Ratio("cac", "spend", "attributed_cash_outcomes"),
    Ratio("ctr", "clicks", "impressions", 100.0),
    Ratio("cpc", "spend", "clicks"),
    Ratio("cost_per_conversation", "spend", "messaging_conversations_started"),
)

# Columns whose sum over rows means something. Reach is handled apart: people overlap.
ADDITIVE_COLUMNS: tuple[str, ...] = (
    "spend",
    "outcome_count",
    "outcome_value",
    "impressions",
    "clicks",
    "attributed_cash_outcomes",
    "attributed_revenue",
    "attributed_outcomes_total",
    "attributed_pipeline_outcomes",
    "attributed_pipeline_value",
    "meta_reported_conversions",
    "meta_reported_conversion_value",
    "messaging_conversations_started",
)

# pivot_trend's values: additive columns, or ratios rebuilt per period from summed parts.
TREND_VALUES: dict[str, Ratio | None] = {
    "spend": None,
    "impressions": None,
    "clicks": None,
    "ctr": Ratio("ctr", "clicks", "impressions", 100.0),
    "cpc": Ratio("cpc", "spend", "clicks"),
    "cpm": Ratio("cpm", "spend", "impressions", 1000.0),
}
SHRINK_METRICS: tuple[str, ...] = ("ctr", "roas")

# Loaders named in error messages, so a user knows where the missing columns come from.
_LOADER_CAMPAIGNS = "ap.load_campaigns"
_LOADER_DETAIL = "ap.load_campaigns(..., level='campaign')"
_LOADER_TREND = "ap.load_campaign_trend"
_LOADER_TOP = "ap.load_top_performers"
_LOADER_MODELS = "ap.load_model_comparison"

_ID_COLUMNS: tuple[str, ...] = ("campaign_id", "entity_id", "ad_external_id")
_NAME_COLUMNS: dict[str, str] = {
    "campaign_id": "campaign_name",
    "entity_id": "entity_name",
    "ad_external_id": "ad_name",
}
# An empirical-Bayes prior stronger than this is complete pooling; the cap keeps the
# beta and gamma quantiles finite when the cohort shows no spread beyond noise.
_MAX_PRIOR_STRENGTH = 1e9
_MIN_SHAPE = 1e-12


class ReachNotAdditiveWarning(UserWarning):
    """``rollup`` dropped ``reach`` (and ``frequency``): reach counts unique people.

    The same person can be reached by several ads, campaigns or days, so the reach of a
    group is not the sum of its rows' reach. It is kept only where each group holds a
    single entity.
    """


class MixedModelsWarning(UserWarning):
    """A rollup summed rows of different attribution models.

    Each model credits the same outcomes once, so summing across models counts every
    outcome (and every dollar of spend) once per model. Group by ``model`` as well.
    """


def require_columns(df: pd.DataFrame, columns: Sequence[str], *, method: str, loader: str) -> None:
    """Raise :class:`AtribuError` unless ``df`` has every column in ``columns``.

    Parameters
    ----------
    df : pandas.DataFrame
        The frame to check.
    columns : sequence of str
        The columns ``method`` needs.
    method : str
        The method's name, for the message.
    loader : str
        The loader that returns frames with those columns, for the message.

    Raises
    ------
    AtribuError
        Naming the needed columns, the missing ones and the loader.

    Examples
    --------
    >>> import pandas as pd
    >>> from atribu_pandas.metrics import require_columns
    >>> require_columns(pd.DataFrame({"date": []}), ["date"], method="pivot_trend",
    ...                 loader="ap.load_campaign_trend")
    """
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise AtribuError(
            f"{method} needs columns {list(columns)} (missing: {missing}); load them with {loader}"
        )


def safe_divide(numerator: Any, denominator: Any, scale: float = 1.0) -> FloatArray:
    """Divide element-wise as float64; a zero or missing denominator gives NaN, never inf.

    Parameters
    ----------
    numerator, denominator : array-like
        Numbers, possibly with ``pd.NA`` (nullable dtypes are read as NaN).
    scale : float, default 1.0
        Multiplier applied to the quotient (100 for a percentage).

    Returns
    -------
    numpy.ndarray
        float64 quotients.

    Examples
    --------
    >>> from atribu_pandas.metrics import safe_divide
    >>> safe_divide([10.0, 5.0, 0.0], [5.0, 0.0, 0.0]).tolist()
    [2.0, nan, nan]
    """
    num = _as_float(numerator)
    den = _as_float(denominator)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        out = num / den
        if scale != 1.0:
            out *= scale
    # Zero denominators, and quotients too large for float64, are no number at all.
    out[~np.isfinite(out)] = np.nan
    return out


def _as_float(values: Any) -> FloatArray:
    if isinstance(values, pd.Series | pd.Index):
        return values.to_numpy(dtype="float64", na_value=np.nan)
    return np.asarray(values, dtype="float64")


def _is_top_performers(df: pd.DataFrame) -> bool:
    return "attributed_revenue" in df.columns or "ad_external_id" in df.columns


def ratios_for(df: pd.DataFrame) -> tuple[Ratio, ...]:
    """Return the ratios that apply to ``df``'s kind of frame.

    Top-performer frames (with ``ad_external_id`` or ``attributed_revenue``) use
    :data:`TOP_PERFORMER_RATIOS`; campaign, model-comparison and trend frames use
    :data:`CAMPAIGN_RATIOS`.

    Parameters
    ----------
    df : pandas.DataFrame
        A frame returned by a loader (or derived from one).

    Returns
    -------
    tuple of Ratio

    Examples
    --------
    >>> import pandas as pd
    >>> from atribu_pandas.metrics import ratios_for
    >>> [r.name for r in ratios_for(pd.DataFrame({"spend": [1.0]}))][:2]
    ['roas', 'cac']
    """
    return TOP_PERFORMER_RATIOS if _is_top_performers(df) else CAMPAIGN_RATIOS


def _entity_column(df: pd.DataFrame) -> str | None:
    for col in _ID_COLUMNS:
        if col in df.columns:
            return col
    return None


def recompute(df: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``df`` with every ratio rebuilt from its additive columns.

    A ratio is (re)computed when both its parts are present: on campaign frames ``roas``
    (outcome_value / spend), ``cac`` (spend / outcome_count), ``ctr`` (clicks /
    impressions * 100, a percentage), ``avg_cpm`` (spend / impressions * 1000),
    ``avg_cpc`` (spend / clicks) and ``frequency`` (impressions / reach, added by this
    toolkit); on top-performer frames ``roas`` (attributed_revenue / spend), ``cac``
    (spend / attributed_cash_outcomes), ``ctr`` and ``cpc`` (when ``clicks`` is present)
    and ``cost_per_conversation``. Existing ratio columns are replaced in place; new ones
    are appended. A zero denominator gives NaN, never inf. Ratios are float64.

    Parameters
    ----------
    df : pandas.DataFrame
        Any frame a loader returns.

    Returns
    -------
    pandas.DataFrame
        A new frame; ``df`` is not modified.

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> sb = ap.sandbox.start()
    >>> df = ap.load_campaigns("2026-03-01", "2026-03-25", level="campaign", client=sb.client())
    >>> df.atribu.recompute()[["campaign_name", "roas", "frequency"]].head(3)  # doctest: +SKIP
    >>> sb.stop()
    """
    out = df.copy()
    for ratio in ratios_for(df):
        if ratio.numerator in df.columns and ratio.denominator in df.columns:
            out[ratio.name] = safe_divide(df[ratio.numerator], df[ratio.denominator], ratio.scale)
    out.attrs = _derived_attrs(df, "recompute")
    return out


def check(df: pd.DataFrame, rtol: float = 0.01, *, atol: float = 0.0) -> pd.DataFrame:
    """Return the rows whose API ratio disagrees with the one recomputed from its parts.

    A ratio is checked when the frame has the ratio column and both its parts; the others
    are skipped, and the result says which (``attrs["check"]``), so an empty result means
    "every checked ratio agrees", never "nothing was checked".

    Parameters
    ----------
    df : pandas.DataFrame
        A frame with ratio columns (``roas``, ``cac``, ``ctr`` ...) and their parts.
    rtol : float, default 0.01
        Relative tolerance: 0.01 accepts a 1% difference (the API rounds).
    atol : float, default 0.0
        Absolute tolerance, added to ``rtol * |recomputed|``.

    Returns
    -------
    pandas.DataFrame
        One row per disagreeing (row, ratio), indexed by ``df``'s index labels (repeated
        labels are fine), with the row's id and name columns, ``column`` (the ratio),
        ``api``, ``recomputed`` and ``rel_diff`` (``(api - recomputed) / |recomputed|``).
        A NaN on one side only is a disagreement; NaN on both sides agrees. Empty when
        every checked ratio agrees. ``attrs["check"]`` holds ``checked`` (the ratios
        compared) and ``skipped`` (ratio -> its missing columns); ``attrs["atribu"]``,
        when ``df`` has one, is a copy marked ``derived="check"``.

    Raises
    ------
    AtribuError
        When no ratio can be checked (e.g. a trend frame, which has no API ratios),
        naming the columns of the nearest checkable ratio and the loader that has them.

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> sb = ap.sandbox.start()
    >>> df = ap.load_campaigns("2026-03-01", "2026-03-25", level="ad", client=sb.client())
    >>> df.atribu.check(rtol=0.01).empty
    True
    >>> sb.stop()
    """
    if rtol < 0 or atol < 0:
        raise ArgumentError("rtol", rtol, "a tolerance >= 0")
    ident = [
        c
        for c in (*_ID_COLUMNS, *_NAME_COLUMNS.values(), "entity_level", "model")
        if c in df.columns
    ]
    present = set(df.columns)
    ratios = ratios_for(df)
    skipped: dict[str, list[str]] = {}
    checked: list[Ratio] = []
    for ratio in ratios:
        needed = list(dict.fromkeys([ratio.name, ratio.numerator, ratio.denominator]))
        missing = [c for c in needed if c not in present]
        if missing:
            skipped[ratio.name] = missing
        else:
            checked.append(ratio)
    if not checked:
        # Name the ratio the frame comes closest to checking (fewest missing columns).
        nearest = min(ratios, key=lambda r: len(skipped[r.name]))
        require_columns(
            df,
            list(dict.fromkeys([nearest.name, nearest.numerator, nearest.denominator])),
            method="check",
            loader=(
                _LOADER_TOP
                if _is_top_performers(df)
                # Only frames loaded with a level carry ctr, cpm, cpc and reach.
                else _LOADER_CAMPAIGNS
                if nearest.name in ("roas", "cac")
                else _LOADER_DETAIL
            ),
        )
    parts: list[pd.DataFrame] = []
    for ratio in checked:
        api = _as_float(df[ratio.name])
        new = safe_divide(df[ratio.numerator], df[ratio.denominator], ratio.scale)
        both_nan = np.isnan(api) & np.isnan(new)
        with np.errstate(invalid="ignore"):
            close = np.abs(api - new) <= atol + rtol * np.abs(new)
        pos = np.flatnonzero(~(both_nan | close))
        if not len(pos):
            continue
        # Positions, not labels: a repeated index label must not pick up other rows.
        rows = df.iloc[pos][ident].copy()
        rows["column"] = ratio.name
        rows["api"] = api[pos]
        rows["recomputed"] = new[pos]
        rows["rel_diff"] = safe_divide(api[pos] - new[pos], np.abs(new[pos]))
        rows["_pos"] = pos
        parts.append(rows)
    if parts:
        # Back in the input's row order, ratios in declaration order within a row.
        out = pd.concat(parts).sort_values("_pos", kind="stable").drop(columns="_pos")
        out["column"] = out["column"].astype("string")
    else:
        out = df.iloc[0:0][ident].copy()
        for col in ("column", "api", "recomputed", "rel_diff"):
            out[col] = pd.Series(dtype="string" if col == "column" else "float64")
    out.attrs = _derived_attrs(df, "check")
    out.attrs["check"] = {"checked": [r.name for r in checked], "skipped": skipped}
    return out


def _derived_attrs(df: pd.DataFrame, method: str) -> dict[Hashable, Any]:
    """A deep copy of ``df.attrs`` whose provenance says the frame was derived by ``method``.

    Deep, so that editing the result's nested ``attrs["atribu"]`` leaves the input alone.
    """
    attrs = copy.deepcopy(df.attrs)
    if isinstance(attrs.get("atribu"), dict):
        attrs["atribu"]["derived"] = method
    return attrs


def _as_list(by: str | Sequence[str] | None) -> list[str]:
    if by is None:
        return []
    if isinstance(by, str):
        return [by]
    return list(by)


def _normalise_freq(freq: str) -> str:
    # pandas 2.2+ spells month-end "ME"; "M" is what users (and the issue) write.
    return {"M": "ME", "Y": "YE", "Q": "QE"}.get(freq, freq)


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
        to the ``date`` column; periods are labelled as :meth:`pandas.DataFrame.resample`
        labels them (``"W"``: the Sunday ending the week).

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
    additive = [c for c in ADDITIVE_COLUMNS if c in df.columns and c not in keys]
    implied_clicks = (
        "clicks" not in df.columns
        and _is_top_performers(df)
        and {"ctr", "impressions"} <= set(df.columns)
    )
    if not additive:
        raise AtribuError(
            f"rollup needs at least one additive column of {list(ADDITIVE_COLUMNS)}; "
            f"load them with {_LOADER_CAMPAIGNS}, {_LOADER_TREND} or {_LOADER_TOP}"
        )
    if "model" in df.columns and "model" not in keys and df["model"].nunique() > 1:
        warnings.warn(
            "rollup summed rows of different attribution models, which counts each outcome "
            "once per model; add 'model' to by=",
            MixedModelsWarning,
            stacklevel=3,
        )
    entity = _entity_column(df)
    with_reach = "reach" in df.columns and "reach" not in keys
    cols = list(dict.fromkeys([*needed, *additive]))
    work = df[cols]
    if implied_clicks:
        work = work.assign(clicks=_as_float(df["ctr"]) * _as_float(df["impressions"]) / 100.0)
        additive.append("clicks")
    if with_reach:
        work = work.assign(reach=df["reach"])
        if entity is not None and entity not in work.columns:
            work = work.assign(**{entity: df[entity]})

    groupers: list[Any] = list(keys)
    if freq is not None:
        groupers.append(pd.Grouper(key="date", freq=_normalise_freq(freq)))
    if groupers:
        grouped = work.groupby(groupers, observed=True, sort=True, dropna=False)
        out = grouped[additive].sum()
    else:
        out = work[additive].sum().to_frame().T
        out = out.astype({c: work[c].dtype for c in additive}, errors="ignore")

    if with_reach:
        reach = _rollup_reach(work, grouped if groupers else None, entity)
        if reach is None:
            warnings.warn(
                "rollup dropped 'reach' (and 'frequency'): reach counts unique people, who "
                "can be reached by several entities or days, so it cannot be summed across "
                "a group holding more than one entity; roll up by the entity id to keep it",
                ReachNotAdditiveWarning,
                stacklevel=3,
            )
        else:
            out["reach"] = reach.to_numpy() if groupers else reach

    for ratio in ratios_for(df):
        if ratio.numerator in out.columns and ratio.denominator in out.columns:
            out[ratio.name] = safe_divide(out[ratio.numerator], out[ratio.denominator], ratio.scale)
    out = out.reset_index() if groupers else out.reset_index(drop=True)
    out.attrs = _derived_attrs(df, "rollup")
    return out


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


def entity_labels(ids: pd.Series | pd.Index, names: Mapping[Any, Any] | None) -> pd.Index:
    """Return readable, unique labels for entity ids.

    Each id becomes its name when ``names`` has one; a name shared by several ids gets
    the first 8 characters of the id appended (``"Spring Sale (3f2a9c1d)"``); ids without
    a name stay as they are.

    Parameters
    ----------
    ids : pandas.Series or pandas.Index
        Entity ids (unique).
    names : mapping of id to name, optional

    Returns
    -------
    pandas.Index
        Labels (dtype object), in the order of ``ids``.

    Examples
    --------
    >>> import pandas as pd
    >>> from atribu_pandas.metrics import entity_labels
    >>> list(entity_labels(pd.Index(["a1", "b2"]), {"a1": "Spring Sale"}))
    ['Spring Sale', 'b2']
    """
    id_list = [str(i) for i in ids]
    if not names:
        return pd.Index(id_list, dtype=object)
    raw = []
    for i in ids:
        name = names.get(i)
        raw.append(str(i) if name is None or pd.isna(name) or name == "" else str(name))
    counts = pd.Series(raw).value_counts()
    labels = [
        f"{label} ({ident[:8]})" if counts[label] > 1 and label != ident else label
        for label, ident in zip(raw, id_list, strict=True)
    ]
    return pd.Index(labels, dtype=object)


def _names_mapping(names: pd.DataFrame | Mapping[Any, Any] | None) -> dict[Any, Any] | None:
    if names is None:
        return None
    if isinstance(names, pd.DataFrame):
        for id_col, name_col in _NAME_COLUMNS.items():
            if {id_col, name_col} <= set(names.columns):
                pairs = names[[id_col, name_col]].drop_duplicates(id_col)
                return dict(zip(pairs[id_col], pairs[name_col], strict=True))
        raise AtribuError(
            "names needs columns ['campaign_id', 'campaign_name'] (or ['ad_external_id', "
            f"'ad_name']); load them with {_LOADER_DETAIL}"
        )
    if isinstance(names, Mapping):
        return dict(names)
    raise ArgumentError("names", names, "a campaigns frame or a mapping of id to name")


@dataclass
class ModelComparison:
    """How attribution models share the credit among entities (from :func:`compare_models`).

    Every table is indexed by ``entity`` (readable names) and has one column per model,
    in the frame's model order; rows are sorted by the baseline model's metric, largest
    first. An entity missing under a model (outside that model's ``limit``) is NaN there.

    Attributes
    ----------
    metric : str
        The compared column (``outcome_value`` by default).
    baseline : str
        The model the changes are measured against.
    top : int
        The N of "top N" in the rank flips.
    values : pandas.DataFrame
        The metric, entity by model.
    shares : pandas.DataFrame
        Each model's credit share (fraction of the model's total over the entities
        present; each column sums to 1).
    change : pandas.DataFrame
        ``values`` minus the baseline column.
    change_pct : pandas.DataFrame
        ``change`` as a percentage of the baseline (NaN where the baseline is 0).
    ranks : pandas.DataFrame
        Rank under each model (1 = largest metric), Int64.
    flips : pandas.DataFrame
        One row per (entity, model) that enters or leaves the top N against the baseline,
        or moves by at least 3 places while in the top N under either model: columns
        ``entity``, ``model``, ``baseline_rank``, ``rank``, ``places`` (positive = climbs)
        and ``flip`` (``"enters top N"``, ``"leaves top N"``, ``"up k"``, ``"down k"``).
    """

    metric: str
    baseline: str
    top: int
    values: pd.DataFrame
    shares: pd.DataFrame
    change: pd.DataFrame
    change_pct: pd.DataFrame
    ranks: pd.DataFrame
    flips: pd.DataFrame = field(repr=False)

    def __repr__(self) -> str:
        models = ", ".join(str(m) for m in self.values.columns)
        return (
            f"ModelComparison(metric={self.metric!r}, baseline={self.baseline!r}, "
            f"entities={len(self.values)}, models=[{models}], flips={len(self.flips)})"
        )

    def summary(self, lines: int = 5) -> str:
        """Return a few plain sentences a marketer can paste into an email.

        Parameters
        ----------
        lines : int, default 5
            At most this many sentences about share differences, and as many about
            rank flips.

        Returns
        -------
        str

        Examples
        --------
        >>> import atribu_pandas as ap
        >>> sb = ap.sandbox.start()
        >>> cmp = ap.load_model_comparison("2026-03-01", "2026-03-25", client=sb.client())
        >>> print(cmp.atribu.compare_models().summary())  # doctest: +SKIP
        >>> sb.stop()
        """
        if self.values.empty:
            return f"No entities to compare for {self.metric} in this window."
        n_models = len(self.values.columns)
        text = [
            f"{_metric_words(self.metric).capitalize()} of {len(self.values)} entities "
            f"under {n_models} attribution models (baseline: {self.baseline})."
        ]
        base = self.shares[self.baseline].to_numpy(dtype="float64", na_value=np.nan)
        found: list[tuple[float, str]] = []
        for model in self.shares.columns:
            if model == self.baseline:
                continue
            share = self.shares[model].to_numpy(dtype="float64", na_value=np.nan)
            with np.errstate(invalid="ignore"):
                differs = np.abs(share - base) >= 0.005
            for i in np.flatnonzero(differs).tolist():
                found.append(
                    (
                        -abs(share[i] - base[i]),
                        f"{self.shares.index[i]} gets {share[i]:.0%} of credit under {model} "
                        f"but {base[i]:.0%} under {self.baseline}.",
                    )
                )
        found.sort(key=lambda item: item[0])
        text.extend(sentence for _, sentence in found[:lines])
        if not found and len(self.shares.columns) > 1:
            text.append(f"Every model gives each entity the same share of {self.metric}.")
        for row in self.flips.head(lines).to_dict("records"):
            was = "unranked" if pd.isna(row["baseline_rank"]) else f"#{row['baseline_rank']}"
            now = "unranked" if pd.isna(row["rank"]) else f"#{row['rank']}"
            text.append(
                f"Under {row['model']}, {row['entity']} {_flip_words(str(row['flip']))} "
                f"({now}, {was} under {self.baseline})."
            )
        return "\n".join(text)


def _metric_words(metric: str) -> str:
    words = {"outcome_value": "credit for outcome value", "outcome_count": "credit for outcomes"}
    return words.get(metric, metric.replace("_", " "))


def _flip_words(flip: str) -> str:
    if flip.startswith(("enters", "leaves")):
        return flip.replace("enters", "enters the").replace("leaves", "leaves the")
    direction, places = flip.split(" ")
    return f"moves {direction} {places} places"


def compare_models(
    df: pd.DataFrame,
    metric: str = "outcome_value",
    baseline: str = "last_touch",
    top: int = 10,
) -> ModelComparison:
    """Compare how attribution models credit each entity (a model-comparison frame).

    Parameters
    ----------
    df : pandas.DataFrame
        A frame from ``ap.load_model_comparison``: ``model``, ``campaign_id``,
        ``campaign_name`` and ``metric``.
    metric : str, default "outcome_value"
        The numeric column compared; credit shares are meaningful for additive ones
        (``outcome_value``, ``outcome_count``).
    baseline : str, default "last_touch"
        A model present in the frame.
    top : int, default 10
        The N of "enters or leaves the top N".

    Returns
    -------
    ModelComparison
        Tables ``values``, ``shares``, ``change``, ``change_pct``, ``ranks``, ``flips``
        and the :meth:`ModelComparison.summary` text.

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> sb = ap.sandbox.start()
    >>> cmp = ap.load_model_comparison("2026-03-01", "2026-03-25", client=sb.client())
    >>> result = cmp.atribu.compare_models(top=5)
    >>> result.shares.sum().round(6).unique().tolist()
    [1.0]
    >>> sb.stop()
    """
    require_columns(
        df, ["model", "campaign_id", metric], method="compare_models", loader=_LOADER_MODELS
    )
    if not pd.api.types.is_numeric_dtype(df[metric]):
        raise ArgumentError("metric", metric, "a numeric column of the frame")
    if isinstance(top, bool) or not isinstance(top, int | np.integer) or top < 1:
        raise ArgumentError("top", top, "an integer >= 1")
    present = list(pd.unique(df["model"].dropna()))
    if not present:
        # A window without rows still has a typed model column: a baseline outside its
        # categories is a typo, not a lack of data.
        known = (
            list(df["model"].cat.categories)
            if isinstance(df["model"].dtype, pd.CategoricalDtype)
            else [baseline]
        )
        if baseline not in known:
            raise ArgumentError("baseline", baseline, f"one of the models {known}")
        return _empty_comparison(metric, baseline, int(top))
    if baseline not in present:
        raise ArgumentError("baseline", baseline, f"one of the frame's models {present}")
    values = (
        df.groupby(["campaign_id", "model"], observed=True, sort=True)[metric]
        .sum(min_count=1)
        .unstack("model")
    )
    model_order = (
        list(df["model"].cat.categories)
        if isinstance(df["model"].dtype, pd.CategoricalDtype)
        else None
    )
    cols = [m for m in (model_order or sorted(present)) if m in values.columns]
    values = values[cols].astype("float64")
    values.columns = pd.Index([str(c) for c in values.columns], name="model")
    values = values.sort_values(baseline, ascending=False, na_position="last", kind="stable")
    names = (
        dict(zip(df["campaign_id"], df["campaign_name"], strict=True))
        if "campaign_name" in df.columns
        else None
    )
    values.index = entity_labels(values.index, names).rename("entity")

    shares = values / values.sum(axis=0)
    change = values.sub(values[baseline], axis=0)
    change_pct = pd.DataFrame(
        {m: safe_divide(change[m], values[baseline], 100.0) for m in values.columns},
        index=values.index,
    )
    change_pct.columns.name = "model"
    ranks = values.rank(ascending=False, method="min").astype("Int64")
    flips = _rank_flips(ranks, baseline, top)
    return ModelComparison(
        metric, baseline, int(top), values, shares, change, change_pct, ranks, flips
    )


_FLIP_DTYPES: dict[str, str] = {
    "entity": "string",
    "model": "string",
    "baseline_rank": "Int64",
    "rank": "Int64",
    "places": "Int64",
    "flip": "string",
}


def _empty_comparison(metric: str, baseline: str, top: int) -> ModelComparison:
    """The comparison of a frame without rows: every table has no entity and no model."""

    def table(dtype: str = "float64") -> pd.DataFrame:
        return pd.DataFrame(
            index=pd.Index([], dtype="string", name="entity"),
            columns=pd.Index([], dtype="string", name="model"),
            dtype=dtype,
        )

    flips = pd.DataFrame({c: pd.Series(dtype=t) for c, t in _FLIP_DTYPES.items()})
    return ModelComparison(
        metric, baseline, top, table(), table(), table(), table(), table("Int64"), flips
    )


def _rank_flips(ranks: pd.DataFrame, baseline: str, top: int) -> pd.DataFrame:
    base = ranks[baseline].to_numpy(dtype="float64", na_value=np.nan)
    in_base = base <= top
    parts: list[pd.DataFrame] = []
    for model in ranks.columns:
        if model == baseline:
            continue
        now = ranks[model].to_numpy(dtype="float64", na_value=np.nan)
        in_now = now <= top
        places = base - now
        enters = in_now & ~in_base
        leaves = in_base & ~in_now
        moves = in_base & in_now & (np.abs(places) >= 3)
        flip = np.select(
            [enters, leaves, moves & (places > 0), moves],
            [f"enters top {top}", f"leaves top {top}", "up ", "down "],
            default="",
        ).astype(object)
        keep = flip != ""
        moved = keep & ~enters & ~leaves
        flip[moved] = flip[moved] + np.abs(places[moved]).astype(int).astype(str)
        parts.append(
            pd.DataFrame(
                {
                    "entity": ranks.index[keep],
                    "model": model,
                    "baseline_rank": base[keep],
                    "rank": now[keep],
                    "places": places[keep],
                    "flip": flip[keep],
                }
            )
        )
    columns = list(_FLIP_DTYPES)
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)
    return out[columns].astype(_FLIP_DTYPES)


def compare_cohorts(df: pd.DataFrame, by: str | Sequence[str] = "cohort_key") -> pd.DataFrame:
    """Summarise top-performer ads per cohort, with ratios pooled from sums.

    Parameters
    ----------
    df : pandas.DataFrame
        A frame from ``ap.load_top_performers``.
    by : str or list of str, default "cohort_key"
        Cohort columns (``cohort_key``, or e.g. ``["cohort_objective", "cohort_format"]``).

    Returns
    -------
    pandas.DataFrame
        One row per cohort (missing keys form their own cohort), sorted by spend, largest
        first: the keys, ``ads``, ``spend``, ``attributed_revenue``,
        ``attributed_cash_outcomes``, pooled ``roas`` and ``cac`` (ratios of the sums),
        ``composite_score_median``, ``composite_score_iqr`` (75th minus 25th percentile),
        ``spend_share`` (fraction of the frame's spend, 0-1), ``best_ad`` and
        ``best_ad_external_id`` (highest composite_score).

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> sb = ap.sandbox.start()
    >>> top = ap.load_top_performers(limit=50, client=sb.client())
    >>> top.atribu.compare_cohorts()[["cohort_key", "ads", "roas"]]  # doctest: +SKIP
    >>> sb.stop()
    """
    keys = _as_list(by)
    need = [
        *keys,
        "ad_external_id",
        "ad_name",
        "spend",
        "attributed_revenue",
        "attributed_cash_outcomes",
        "composite_score",
    ]
    require_columns(df, need, method="compare_cohorts", loader=_LOADER_TOP)
    grouped = df.groupby(keys, observed=True, sort=False, dropna=False)
    score = grouped["composite_score"]
    out = grouped[["spend", "attributed_revenue", "attributed_cash_outcomes"]].sum()
    out.insert(0, "ads", grouped.size().astype("Int64"))
    out["roas"] = safe_divide(out["attributed_revenue"], out["spend"])
    out["cac"] = safe_divide(out["spend"], out["attributed_cash_outcomes"])
    out["composite_score_median"] = score.median()
    out["composite_score_iqr"] = score.quantile(0.75) - score.quantile(0.25)
    out["spend_share"] = safe_divide(out["spend"], np.full(len(out), df["spend"].sum()))
    # By group number, not by key: a missing key (NaN) never matches in a reindex.
    codes = grouped.ngroup().to_numpy()
    by_score = np.lexsort((-_as_float(df["composite_score"]), codes))
    starts = np.ones(len(by_score), dtype=bool)
    starts[1:] = codes[by_score][1:] != codes[by_score][:-1]
    first = by_score[starts]
    out["best_ad"] = pd.array(df["ad_name"].to_numpy()[first], dtype="string")
    out["best_ad_external_id"] = pd.array(df["ad_external_id"].to_numpy()[first], dtype="string")
    out = out.sort_values("spend", ascending=False, kind="stable").reset_index()
    out.attrs = _derived_attrs(df, "compare_cohorts")
    return out


def shrink(
    df: pd.DataFrame,
    metric: str = "ctr",
    by: str | Sequence[str] = "cohort_key",
    *,
    level: float = 0.9,
) -> pd.DataFrame:
    """Empirical-Bayes estimate of each ad's ``metric``, shrunk toward its cohort.

    ``ctr`` uses a beta-binomial model: clicks out of impressions (clicks implied as
    ``ctr * impressions / 100`` when absent), a beta prior per cohort with the cohort's
    pooled CTR as mean and a strength fitted by the method of moments (the spread of the
    ads' CTRs beyond binomial noise). ``roas`` uses a gamma-Poisson model: revenue counted
    in units of the cohort's average order value (revenue / cash outcomes) per dollar of
    spend, a gamma prior with the cohort's pooled ROAS as mean. Either way the estimate is
    ``weight * cohort_mean + (1 - weight) * raw``, so an ad with little evidence (few
    impressions, little spend) lands near its cohort, with a wide interval. A cohort whose
    ads differ no more than noise pools completely; a cohort with a single ad (common in a
    top-50 list, where cohorts are fine-grained) uses the whole frame as its cohort, and
    its ``cohort_mean`` says so.

    Parameters
    ----------
    df : pandas.DataFrame
        A frame from ``ap.load_top_performers``.
    metric : {"ctr", "roas"}, default "ctr"
    by : str or list of str, default "cohort_key"
    level : float, default 0.9
        Probability of the credible interval.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``df``: ``ad_external_id``, ``ad_name``, the cohort columns,
        ``evidence`` (impressions for ctr, spend for roas), ``raw``, ``estimate``,
        ``low``, ``high`` (the credible interval), ``weight`` (0 = the ad's own figure,
        1 = the cohort mean) and ``cohort_mean`` (the prior mean the ad was shrunk
        toward), all in the metric's units (ctr in %).

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> sb = ap.sandbox.start()
    >>> top = ap.load_top_performers(limit=50, client=sb.client())
    >>> top.atribu.shrink("ctr")[["ad_name", "raw", "estimate", "weight"]]  # doctest: +SKIP
    >>> sb.stop()
    """
    from scipy import stats

    if metric not in SHRINK_METRICS:
        raise ArgumentError("metric", metric, f"one of {list(SHRINK_METRICS)}")
    if not 0 < level < 1:
        raise ArgumentError("level", level, "a probability strictly between 0 and 1")
    keys = _as_list(by)
    parts = (
        ["impressions", "clicks" if "clicks" in df.columns else "ctr"]
        if metric == "ctr"
        else ["spend", "attributed_revenue", "attributed_cash_outcomes"]
    )
    require_columns(df, [*keys, "ad_external_id", *parts], method="shrink", loader=_LOADER_TOP)
    codes = df.groupby(keys, observed=True, sort=False, dropna=False).ngroup().to_numpy()
    lo_q, hi_q = (1 - level) / 2, 1 - (1 - level) / 2

    if metric == "ctr":
        n = np.nan_to_num(_as_float(df["impressions"]))
        if "clicks" in df.columns:
            x = np.nan_to_num(_as_float(df["clicks"]))
        else:
            x = np.round(np.nan_to_num(_as_float(df["ctr"])) * n / 100.0)
        x = np.clip(x, 0, n)
        mu, kappa = _fit_prior(x, n, codes, lambda m, _aov: m * (1 - m), offset=1.0)
        a = np.maximum(mu * kappa + x, _MIN_SHAPE)
        b = np.maximum((1 - mu) * kappa + n - x, _MIN_SHAPE)
        low, high = stats.beta.ppf([[lo_q], [hi_q]], a, b) * 100.0
        scale = 100.0
    else:
        n = np.nan_to_num(_as_float(df["spend"]))
        x = np.nan_to_num(_as_float(df["attributed_revenue"]))
        outcomes = np.nan_to_num(_as_float(df["attributed_cash_outcomes"]))
        aov = _group_ratio(x, outcomes, codes)
        aov = np.where(np.isfinite(aov) & (aov > 0), aov, _scalar_ratio(x, outcomes))
        aov = np.where(np.isfinite(aov) & (aov > 0), aov, 1.0)
        mu, kappa = _fit_prior(x, n, codes, lambda m, v: m * v, offset=0.0, aov=aov)
        shape = np.maximum((mu * kappa + x) / aov, _MIN_SHAPE)
        gscale = aov / np.maximum(kappa + n, _MIN_SHAPE)
        low, high = stats.gamma.ppf([[lo_q], [hi_q]], shape, scale=gscale)
        scale = 1.0

    weight = safe_divide(kappa, kappa + n)
    weight[n == 0] = 1.0
    raw = safe_divide(x, n, scale)
    estimate = safe_divide(mu * kappa + x, kappa + n, scale)
    cols: dict[str, Any] = {"ad_external_id": df["ad_external_id"]}
    if "ad_name" in df.columns:
        cols["ad_name"] = df["ad_name"]
    for key in keys:
        cols[key] = df[key]
    cols.update(
        evidence=n,
        raw=raw,
        estimate=estimate,
        low=low,
        high=high,
        weight=weight,
        cohort_mean=mu * scale,
    )
    out = pd.DataFrame(cols, index=df.index)
    out.attrs = _derived_attrs(df, "shrink")
    return out


def _group_sum(values: FloatArray, codes: IntArray) -> FloatArray:
    out = np.bincount(codes, weights=values, minlength=int(codes.max()) + 1)
    return out.astype("float64", copy=False)


def _group_ratio(num: FloatArray, den: FloatArray, codes: IntArray) -> FloatArray:
    if len(codes) == 0:
        return np.zeros(0)
    return safe_divide(_group_sum(num, codes), _group_sum(den, codes))[codes]


def _scalar_ratio(num: FloatArray, den: FloatArray) -> float:
    total = float(den.sum())
    return float(num.sum()) / total if total else np.nan


def _fit_prior(
    x: FloatArray,
    n: FloatArray,
    codes: IntArray,
    noise: Any,
    *,
    offset: float,
    aov: FloatArray | None = None,
) -> tuple[FloatArray, FloatArray]:
    """Per-ad prior mean and strength (pseudo-exposure) by the method of moments.

    With ``p_i = x_i / n_i`` and pooled mean ``mu``, the exposure-weighted variance of
    the ``p_i`` is ``tau2 + k * noise(mu) / sum(n)``: the between-ad variance plus the
    sampling noise of ``k`` ads. The prior strength is ``noise(mu) / tau2 - offset``.
    """
    if len(x) == 0:
        return np.zeros(0), np.zeros(0)
    aov_arr = aov if aov is not None else np.ones_like(x)

    def fit(group: IntArray) -> tuple[FloatArray, FloatArray]:
        size = int(group.max()) + 1
        total_n = _group_sum(n, group)
        mu = safe_divide(_group_sum(x, group), total_n)
        mu = np.nan_to_num(mu)[group]
        has = n > 0
        p = np.where(has, safe_divide(x, n), 0.0)
        spread = safe_divide(_group_sum(n * (p - mu) ** 2, group), total_n)[group]
        k = np.bincount(group, weights=has.astype(float), minlength=size)[group]
        noise_mu = noise(mu, aov_arr)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            tau2 = spread - k * noise_mu / total_n[group]
            kappa = noise_mu / tau2 - offset
        kappa = np.where(tau2 > 0, kappa, _MAX_PRIOR_STRENGTH)
        kappa = np.clip(np.nan_to_num(kappa, nan=_MAX_PRIOR_STRENGTH), 1e-9, _MAX_PRIOR_STRENGTH)
        return mu, np.where(k >= 2, kappa, np.nan)

    mu, kappa = fit(codes)
    # A cohort with fewer than two ads says nothing about spread: its ads use the whole
    # frame as their cohort (mean and strength), rather than shrinking toward themselves.
    alone = np.isnan(kappa)
    if alone.any():
        mu_all, kappa_all = fit(np.zeros_like(codes))
        mu = np.where(alone, mu_all, mu)
        kappa = np.where(alone, np.nan_to_num(kappa_all, nan=_MAX_PRIOR_STRENGTH), kappa)
    return mu, kappa


_REASON_COLUMNS: tuple[str, ...] = (
    "layer",
    "polarity",
    "percentile",
    "sample_confidence",
    "code",
    "metric_value",
)
# pandas' default text dtype (what ``pd.Series(["a"])`` gets): missing text is NaN.
_TEXT = pd.StringDtype(na_value=np.nan)
REASON_CODE_DTYPES: dict[str, Any] = {
    "ad_external_id": _TEXT,
    "ad_name": _TEXT,
    "layer": _TEXT,
    "polarity": pd.CategoricalDtype(list(POLARITIES), ordered=False),
    "percentile": np.dtype("float64"),
    "sample_confidence": pd.CategoricalDtype(list(SAMPLE_CONFIDENCES), ordered=True),
    "code": _TEXT,
    "metric_value": np.dtype("float64"),
}


def explode_reason_codes(top: pd.DataFrame) -> pd.DataFrame:
    """Return the long frame of reason codes: one row per code of each ad.

    Parameters
    ----------
    top : pandas.DataFrame
        A frame from ``ap.load_top_performers`` (``ad_external_id``, ``ad_name``,
        ``reason_codes``: a list of dicts per ad).

    Returns
    -------
    pandas.DataFrame
        The dtypes of :data:`REASON_CODE_DTYPES`: ``ad_external_id``, ``ad_name``,
        ``layer`` and ``code`` in pandas' default text dtype
        (``pd.StringDtype(na_value=np.nan)``; a missing code is NaN), ``polarity``
        (unordered category: strength, weakness, forecast, fatigue), ``percentile``
        (float64), ``sample_confidence`` (ordered category: low < medium < high) and
        ``metric_value`` (float64); in the ads' order then the codes' order, with a fresh
        RangeIndex. Ads without codes give no rows.

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> sb = ap.sandbox.start()
    >>> top = ap.load_top_performers(client=sb.client())
    >>> top.atribu.reason_codes().columns.tolist()[:4]
    ['ad_external_id', 'ad_name', 'layer', 'polarity']
    >>> sb.stop()
    """
    require_columns(
        top,
        ["ad_external_id", "ad_name", "reason_codes"],
        method="reason_codes",
        loader=_LOADER_TOP,
    )
    codes = top["reason_codes"].to_numpy()
    lengths = np.fromiter(
        (len(c) if isinstance(c, list | tuple) else 0 for c in codes),
        dtype=np.int64,
        count=len(codes),
    )
    take = np.repeat(np.arange(len(top)), lengths)
    items = [item for c in codes if isinstance(c, list | tuple) for item in c]
    body = pd.DataFrame.from_records(items, columns=list(_REASON_COLUMNS))
    out = pd.DataFrame(
        {
            "ad_external_id": top["ad_external_id"].to_numpy()[take],
            "ad_name": top["ad_name"].to_numpy()[take],
        }
    )
    # A value the vocabulary does not know yet is kept as an extra category (casting to the
    # fixed categories would silently turn it into NaN); the loader reports the drift.
    dtypes = {
        name: pd.CategoricalDtype(
            [*dtype.categories, *sorted(set(body[name].dropna()) - set(dtype.categories))],
            ordered=dtype.ordered,
        )
        if isinstance(dtype, pd.CategoricalDtype)
        else dtype
        for name, dtype in REASON_CODE_DTYPES.items()
    }
    out = pd.concat([out, body], axis=1).astype(dtypes)
    out.attrs = _derived_attrs(top, "reason_codes")
    return out


def pivot_trend(
    df: pd.DataFrame,
    values: str = "spend",
    freq: str = "D",
    fill_value: float | None = 0,
    rolling: int | None = None,
    cumulative: bool = False,
    names: pd.DataFrame | Mapping[Any, Any] | None = None,
) -> pd.DataFrame:
    """Pivot a trend frame to date by entity over the window's complete calendar.

    Parameters
    ----------
    df : pandas.DataFrame
        A frame from ``ap.load_campaign_trend`` (``entity_id``, ``date``, ``spend``,
        ``impressions``, ``clicks``).
    values : {"spend", "impressions", "clicks", "ctr", "cpc", "cpm"}, default "spend"
        ``ctr`` (%), ``cpc`` and ``cpm`` are computed per period from the summed parts,
        never averaged; a period without impressions (or clicks) is NaN.
    freq : str, default "D"
        ``"D"``, ``"W"`` (weeks ending Sunday, as pandas labels them), ``"M"`` (month
        end) or any pandas frequency.
    fill_value : float or None, default 0
        Value for days without delivery, for additive ``values``; ``None`` keeps NaN.
    rolling : int, optional
        Window in periods: a rolling mean for additive values, a ratio of rolling sums
        for ctr/cpc/cpm (the first ``rolling - 1`` periods are NaN, as in pandas).
    cumulative : bool, default False
        Running totals (running ratio of sums for ctr/cpc/cpm). Not with ``rolling``.
    names : campaigns frame or mapping, optional
        Columns read as names instead of ids (see :func:`entity_labels`).

    Returns
    -------
    pandas.DataFrame
        float64; index ``date`` covering the window (from ``df.attrs`` when the loader
        recorded it, else the data's first to last day), columns ``entity`` in id order.

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> sb = ap.sandbox.start()
    >>> camps = ap.load_campaigns("2026-03-01", "2026-03-25", level="campaign",
    ...                           client=sb.client())
    >>> trend = ap.load_campaign_trend(camps["campaign_id"][:3], "2026-03-01", "2026-03-25",
    ...                                client=sb.client())
    >>> trend.atribu.pivot_trend("ctr", freq="W", names=camps).shape  # 5 weeks ending Sunday
    (5, 3)
    >>> sb.stop()
    """
    if values not in TREND_VALUES:
        raise ArgumentError("values", values, f"one of {list(TREND_VALUES)}")
    _check_rolling(rolling, cumulative)
    mapping = _names_mapping(names)
    num, den, ratio = _trend_sums(df, values, freq, fill_value)
    return _label_trend(_trend_from_sums(num, den, ratio, rolling, cumulative), df, mapping)


def pivot_trend_smoothed(
    df: pd.DataFrame,
    values: str = "spend",
    freq: str = "D",
    rolling: int | None = None,
    names: pd.DataFrame | Mapping[Any, Any] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Return the pivot of a trend frame and its rolling version, from one pivot of the sums.

    The same as ``(pivot_trend(df, values, freq, names=names), pivot_trend(df, values, freq,
    rolling=rolling, names=names))`` (days without delivery count as 0), but the frame is
    pivoted once: the rolling figures come from the raw pivot's sums (a ratio of rolling
    sums for ctr/cpc/cpm).

    Parameters
    ----------
    df : pandas.DataFrame
        A frame from ``ap.load_campaign_trend``.
    values : {"spend", "impressions", "clicks", "ctr", "cpc", "cpm"}, default "spend"
    freq : str, default "D"
    rolling : int, optional
        Window in periods; ``None`` gives no rolling frame.
    names : campaigns frame or mapping, optional

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame or None)
        The raw pivot and the rolling one (``None`` without ``rolling``).

    Examples
    --------
    >>> import pandas as pd
    >>> from atribu_pandas.metrics import pivot_trend_smoothed
    >>> trend = pd.DataFrame({"entity_id": ["a", "a"], "spend": [2.0, 4.0],
    ...                       "date": pd.to_datetime(["2026-03-01", "2026-03-02"])})
    >>> raw, smooth = pivot_trend_smoothed(trend, rolling=2)
    >>> raw["a"].tolist(), smooth["a"].tolist()
    ([2.0, 4.0], [nan, 3.0])
    """
    _check_rolling(rolling, False)
    mapping = _names_mapping(names)
    num, den, ratio = _trend_sums(df, values, freq, 0)
    raw = _label_trend(_trend_from_sums(num, den, ratio, None, False), df, mapping)
    if rolling is None:
        return raw, None
    smooth = _label_trend(_trend_from_sums(num, den, ratio, rolling, False), df, mapping)
    return raw, smooth


def _check_rolling(rolling: Any, cumulative: bool) -> None:
    if rolling is not None and (
        isinstance(rolling, bool) or not isinstance(rolling, int | np.integer) or rolling < 1
    ):
        raise ArgumentError("rolling", rolling, "None or an integer >= 1 (periods)")
    if rolling is not None and cumulative:
        raise ArgumentError("cumulative", cumulative, "False when rolling is set")


def _trend_sums(
    df: pd.DataFrame, values: str, freq: str, fill_value: float | None
) -> tuple[pd.DataFrame, pd.DataFrame | None, Ratio | None]:
    """Per-period sums, date by entity id: (values or numerator, denominator, ratio)."""
    if values not in TREND_VALUES:
        raise ArgumentError("values", values, f"one of {list(TREND_VALUES)}")
    ratio = TREND_VALUES[values]
    parts = [values] if ratio is None else [ratio.numerator, ratio.denominator]
    require_columns(df, ["entity_id", "date", *parts], method="pivot_trend", loader=_LOADER_TREND)
    window = _window(df)
    calendar = (
        pd.date_range(*window, freq="D", name="date")
        if window
        else pd.DatetimeIndex([], name="date")
    )
    offset = _normalise_freq(freq)
    # One pivot for every part. Entity-days without a row are NaN until filled, so
    # fill_value=None can keep them; for a ratio no delivery means zero clicks and
    # impressions, and the ratio comes out NaN, as it should.
    # The parts go in as float64: summing numpy floats is quicker than nullable Int64, and
    # converting a wide pivot afterwards costs one pass per entity column.
    numeric = all(df[p].dtype == np.float64 for p in parts)
    work = (
        df if numeric else df[["date", "entity_id"]].assign(**{p: _as_float(df[p]) for p in parts})
    )
    if not len(work):
        # pivot_table loses the parts of an empty frame: the calendar with no entity.
        table = pd.DataFrame(
            index=calendar, columns=pd.Index([], name="entity_id"), dtype="float64"
        )
        if offset != "D":
            table = table.resample(offset).sum()
        return table, (None if ratio is None else table.copy()), ratio
    table = work.pivot_table(
        index="date", columns="entity_id", values=parts, aggfunc="sum", observed=True
    )
    table = table.astype("float64").reindex(calendar)
    if offset != "D":
        table = table.resample(offset).sum(min_count=1)
    fill = fill_value if ratio is None else 0.0
    if fill is not None:
        table = table.fillna(fill)
    # The columns are (part, entity id): selecting a part leaves a date by entity frame.
    if ratio is None:
        return cast(pd.DataFrame, table[values]), None, None
    num = cast(pd.DataFrame, table[ratio.numerator])
    return num, cast(pd.DataFrame, table[ratio.denominator]), ratio


def _trend_from_sums(
    num: pd.DataFrame,
    den: pd.DataFrame | None,
    ratio: Ratio | None,
    rolling: int | None,
    cumulative: bool,
) -> pd.DataFrame:
    if ratio is None or den is None:
        if rolling is not None:
            return num.rolling(rolling).mean()
        return num.cumsum() if cumulative else num
    if rolling is not None:
        num, den = num.rolling(rolling).sum(), den.rolling(rolling).sum()
    elif cumulative:
        num, den = num.cumsum(), den.cumsum()
    return pd.DataFrame(
        safe_divide(num.to_numpy(), den.to_numpy(), ratio.scale),
        index=num.index,
        columns=num.columns,
    )


def _label_trend(
    out: pd.DataFrame, df: pd.DataFrame, mapping: dict[Any, Any] | None
) -> pd.DataFrame:
    out = out.copy(deep=False)
    out.columns = entity_labels(out.columns, mapping).rename("entity")
    out.index.name = "date"
    out.attrs = _derived_attrs(df, "pivot_trend")
    return out


def _window(df: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The window's first and last day: the loader's recorded window, widened by the data.

    None for a frame without rows or a recorded window (its calendar is empty).
    """
    dates = pd.to_datetime(df["date"])
    lo, hi = dates.min(), dates.max()
    info = df.attrs.get("atribu") if isinstance(df.attrs.get("atribu"), dict) else None
    if info:
        for source in (info.get("meta"), info.get("params")):
            if isinstance(source, dict) and source.get("date_from") and source.get("date_to"):
                lo = (
                    min(pd.Timestamp(source["date_from"]), lo)
                    if pd.notna(lo)
                    else pd.Timestamp(source["date_from"])
                )
                hi = (
                    max(pd.Timestamp(source["date_to"]), hi)
                    if pd.notna(hi)
                    else pd.Timestamp(source["date_to"])
                )
                break
    if pd.isna(lo) or pd.isna(hi):
        return None
    return pd.Timestamp(lo).normalize(), pd.Timestamp(hi).normalize()
