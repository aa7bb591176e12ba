"""Amounts in one currency: convert a frame's money columns at rates the caller gives.

The API sends amounts in each profile's reporting currency and no exchange rates, so a
workspace of clients in EUR and USD cannot be added up as it comes. :func:`convert_currency`
multiplies every money column (those the schemas describe as money) by the rate of its
row's currency; ratios such as ROAS are the same in any currency and stay as they are.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from atribu_pandas.core.params import check_currency, check_number
from atribu_pandas.exceptions import ArgumentError
from atribu_pandas.frames.provenance import currency_of, row_currencies
from atribu_pandas.frames.schemas import money_columns

__all__ = ["convert_currency"]


def _check_rates(rates: Any) -> dict[str, float]:
    allowed = 'a mapping of ISO 4217 code to a positive rate, e.g. {"EUR": 1.08}'
    if not isinstance(rates, Mapping):
        raise ArgumentError("rates", rates, allowed)
    checked = {}
    for code, rate in rates.items():
        number = float(check_number(rate, f"rates[{code!r}]", "a positive number"))
        if not math.isfinite(number) or number <= 0:
            raise ArgumentError(f"rates[{code!r}]", rate, "a positive number")
        checked[check_currency(code, "rates")] = number
    return checked


def convert_currency(df: pd.DataFrame, to: str, rates: Mapping[str, float]) -> pd.DataFrame:
    """Return ``df`` with every amount in ``to``, each row at its own currency's rate.

    Parameters
    ----------
    df : pandas.DataFrame
        A loader's frame, or a workspace's whose profiles report in different currencies.
    to : str
        The ISO 4217 code to show every amount in.
    rates : mapping of str to float
        Units of ``to`` for one unit of each other currency in the frame:
        ``{"EUR": 1.08}`` turns 100 EUR into 108 of ``to``. Rows already in ``to`` are
        kept as they are.

    Returns
    -------
    pandas.DataFrame
        A copy with the money columns (spend, value, CAC, CPC, CPM, budgets, revenue...)
        converted and ``attrs["currency"]`` set to ``to``; ratios and counts unchanged.

    Raises
    ------
    ArgumentError
        A code that is not ISO 4217, a rate that is not a positive number, or a currency
        in the frame with no rate (named).

    Examples
    --------
    >>> df = pd.DataFrame({"profile": ["A", "B"], "spend": [100.0, 50.0], "roas": [2.0, 3.0]})
    >>> df.attrs["atribu"] = {"currencies": {"A": "EUR", "B": "USD"}}
    >>> out = convert_currency(df, "USD", {"EUR": 1.08})
    >>> out["spend"].tolist(), out["roas"].tolist(), out.attrs["currency"]
    ([108.0, 50.0], [2.0, 3.0], 'USD')
    """
    target = check_currency(to, "to")
    checked = _check_rates(rates)
    checked[target] = 1.0
    per_row = row_currencies(df)
    codes = per_row if per_row is not None else pd.Series(currency_of(df), index=df.index)
    missing = sorted(set(codes) - set(checked))
    if missing:
        raise ArgumentError(
            "rates", sorted(checked), f"a rate for every currency in the frame: {missing} missing"
        )
    factor = codes.map(checked).astype(float).to_numpy()
    out = df.copy()
    for column in sorted(money_columns() & set(df.columns)):
        out[column] = df[column].astype(float) * factor
    out.attrs = copy.deepcopy(df.attrs)
    out.attrs["currency"] = target
    return out
