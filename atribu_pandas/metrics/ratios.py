"""Ratios the API reports, rebuilt from their additive parts: ``recompute`` and ``check``."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from atribu_pandas.exceptions import ArgumentError
from atribu_pandas.metrics.common import (
    _ID_COLUMNS,
    _LOADER_CAMPAIGNS,
    _LOADER_DETAIL,
    _LOADER_TOP,
    _NAME_COLUMNS,
    _as_float,
    _derived_attrs,
    _is_top_performers,
    require_columns,
    safe_divide,
)

__all__ = [
    "CAMPAIGN_RATIOS",
    "TOP_PERFORMER_RATIOS",
    "Ratio",
    "check",
    "ratios_for",
    "recompute",
]


@dataclass(frozen=True)
class Ratio:
    """A ratio the API reports, and how to rebuild it from additive columns.

    :data:`CAMPAIGN_RATIOS` and :data:`TOP_PERFORMER_RATIOS` list the ones
    :func:`~atribu_pandas.metrics.recompute` and :func:`~atribu_pandas.metrics.check` use;
    each parameter is an attribute of the same name.

    Parameters
    ----------
    name : str
        The column the API (or this toolkit, for ``frequency``) calls it.
    numerator, denominator : str
        The additive columns it is made of.
    scale : float, default 1.0
        Multiplier: 100 for a percentage, 1000 for a cost per mille.

    Examples
    --------
    >>> import pandas as pd
    >>> from atribu_pandas.metrics import CAMPAIGN_RATIOS, Ratio, safe_divide
    >>> ctr = CAMPAIGN_RATIOS[2]
    >>> ctr
    Ratio(name='ctr', numerator='clicks', denominator='impressions', scale=100.0)
    >>> rows = pd.DataFrame({"clicks": [30, 0], "impressions": [1500, 0]})
    >>> safe_divide(rows[ctr.numerator], rows[ctr.denominator], ctr.scale).tolist()
    [2.0, nan]
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
        :data:`TOP_PERFORMER_RATIOS` or :data:`CAMPAIGN_RATIOS`.

    Examples
    --------
    >>> import pandas as pd
    >>> from atribu_pandas.metrics import ratios_for
    >>> [r.name for r in ratios_for(pd.DataFrame({"spend": [1.0]}))][:2]
    ['roas', 'cac']
    """
    return TOP_PERFORMER_RATIOS if _is_top_performers(df) else CAMPAIGN_RATIOS


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
