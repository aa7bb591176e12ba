"""What a frame's ``attrs`` say about its amounts: the currency they are in.

The API sends amounts without a currency. A client states one (``Client(currency=...)``
or ``ATRIBU_CURRENCY``) and the loaders record it in ``attrs["atribu"]["currency"]``; a
workspace whose profiles report in different currencies records each profile's in
``attrs["atribu"]["currencies"]``, so each row's currency follows from its ``profile``.
Everything that shows or adds amounts (charts, summaries, widgets, reports, rollups)
asks :func:`currency_of`, so they all agree.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from atribu_pandas.core.config import DEFAULT_CURRENCY
from atribu_pandas.exceptions import MixedCurrencyWarning, warn_once_per_frame

__all__ = ["NO_CURRENCY", "currency_of", "row_currencies"]

# ISO 4217's code for "no currency": what a sum of several currencies is in.
NO_CURRENCY = "XXX"


def _info(df: pd.DataFrame) -> dict[str, Any]:
    info = df.attrs.get("atribu")
    return info if isinstance(info, dict) else {}


def row_currencies(df: pd.DataFrame) -> pd.Series | None:
    """Each row's currency, when a workspace joined profiles of different currencies.

    None when the frame's amounts are all in one currency (or say nothing about it).
    A profile with no stated currency counts as USD, as everywhere else.

    Examples
    --------
    >>> df = pd.DataFrame({"profile": ["A", "B"], "spend": [1.0, 2.0]})
    >>> df.attrs["atribu"] = {"currencies": {"A": "EUR", "B": None}}
    >>> row_currencies(df).tolist()
    ['EUR', 'USD']
    """
    per_profile = _info(df).get("currencies")
    if not isinstance(per_profile, dict) or "profile" not in df.columns:
        return None
    known = {label: code or DEFAULT_CURRENCY for label, code in per_profile.items()}
    return df["profile"].astype(object).map(known).fillna(DEFAULT_CURRENCY)


def currency_of(df: pd.DataFrame) -> str:
    """Return the ISO 4217 code the frame's amounts are in.

    In order: ``df.attrs["currency"]`` (set by a report, by
    :meth:`~atribu_pandas.accessor.AtribuAccessor.in_currency` or by you); the currency of
    the workspace profiles the rows come from; the one the loader recorded
    (``attrs["atribu"]["currency"]``, from the client); else USD. Rows of profiles in
    different currencies give ``"XXX"`` (ISO 4217's "no currency") and a
    :class:`~atribu_pandas.MixedCurrencyWarning`.

    Parameters
    ----------
    df : pandas.DataFrame

    Returns
    -------
    str

    Examples
    --------
    >>> df = pd.DataFrame({"spend": [1.0]})
    >>> currency_of(df)
    'USD'
    >>> df.attrs["atribu"] = {"currency": "EUR"}
    >>> currency_of(df)
    'EUR'
    """
    stamped = df.attrs.get("currency")
    if isinstance(stamped, str):
        return stamped
    per_row = row_currencies(df)
    if per_row is not None:
        codes = sorted(set(per_row))
        if len(codes) > 1:
            warn_once_per_frame(
                df,
                f"these rows hold amounts in {', '.join(codes)}: added up or drawn on one axis "
                "they are in no currency; convert them first with "
                f'df.atribu.in_currency("{codes[0]}", rates={{...}}), or keep each profile apart',
                MixedCurrencyWarning,
            )
            return NO_CURRENCY
        if codes:
            return codes[0]
    info = _info(df)
    if isinstance(info.get("currency"), str):
        return str(info["currency"])
    meta = info.get("meta")
    if isinstance(meta, dict) and isinstance(meta.get("currency"), str):
        return str(meta["currency"])
    return DEFAULT_CURRENCY
