"""Helpers every metric shares: column checks, safe division, provenance, entity labels.

Ratios are always recomputed from sums of their additive parts, a zero denominator gives
NaN (never ``inf``), and no function modifies its input. Result frames carry a deep copy of
the input's ``attrs``, with ``attrs["atribu"]["derived"]`` naming the function that made
them, so provenance never claims a derived frame is the raw load.
"""

from __future__ import annotations

import copy
from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from atribu_pandas.exceptions import ArgumentError, AtribuError
from atribu_pandas.frames.provenance import currency_of, row_currencies

__all__ = ["ADDITIVE_COLUMNS", "entity_labels", "require_columns", "safe_divide"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.integer[Any]]

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


def _entity_column(df: pd.DataFrame) -> str | None:
    for col in _ID_COLUMNS:
        if col in df.columns:
            return col
    return None


def _derived_attrs(
    df: pd.DataFrame, method: str, *, summed_by: Sequence[Hashable] | None = None
) -> dict[Hashable, Any]:
    """A deep copy of ``df.attrs`` whose provenance says the frame was derived by ``method``.

    Deep, so that editing the result's nested ``attrs["atribu"]`` leaves the input alone.
    ``summed_by`` (the group keys of a sum) says the result adds rows up: rows of
    profiles in different currencies, summed across profiles, give amounts in no currency,
    which ``currency_of`` says with a warning and the
    result's ``attrs["currency"]`` records.
    """
    attrs = copy.deepcopy(df.attrs)
    if isinstance(attrs.get("atribu"), dict):
        attrs["atribu"]["derived"] = method
    if summed_by is not None and "profile" not in summed_by and row_currencies(df) is not None:
        attrs["currency"] = currency_of(df)
    return attrs


def _as_list(by: str | Sequence[str] | None) -> list[str]:
    if by is None:
        return []
    if isinstance(by, str):
        return [by]
    return list(by)


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
        The names known, such as ``{campaign_id: campaign_name}``; None keeps the ids.

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
