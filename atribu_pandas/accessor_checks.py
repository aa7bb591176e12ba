"""Type checks for the arguments of ``df.atribu`` and ``df.atribu.plot``.

A list where a name belongs, or a frame where a number belongs, is an
:class:`~atribu_pandas.exceptions.ArgumentError` naming the argument and what is allowed,
not a pandas error from deep inside. The values themselves (which columns, which models)
are checked by :mod:`atribu_pandas.metrics` and :mod:`atribu_pandas.plotting`. The
helpers are private to the two accessor modules, so nothing is exported.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from atribu_pandas.exceptions import ArgumentError

__all__: list[str] = []


def _name(argument: str, value: Any, *, optional: bool = False) -> Any:
    if (value is None and optional) or isinstance(value, str):
        return value
    raise ArgumentError(argument, value, "a column name (str)" + (" or None" if optional else ""))


def _names(argument: str, value: Any, *, optional: bool = False) -> Any:
    """A column name or a list of them (metrics then says which columns the frame lacks)."""
    if value is None and optional:
        return None
    names = [value] if isinstance(value, str) else value
    allowed = "a column name or a list of them" + (", or None" if optional else "")
    if not isinstance(names, list | tuple) or not names:
        raise ArgumentError(argument, value, allowed)
    if not all(isinstance(name, str) for name in names):
        raise ArgumentError(argument, value, allowed)
    return value


def _number(argument: str, value: Any, allowed: str, *, optional: bool = False) -> Any:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ArgumentError(argument, value, allowed)
    return value


def _finite(argument: str, value: Any, allowed: str) -> float:
    number = _number(argument, value, allowed)
    if not math.isfinite(number) or number < 0:
        raise ArgumentError(argument, value, allowed)
    return float(number)


def _count(argument: str, value: Any, *, optional: bool = False) -> Any:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ArgumentError(argument, value, "a whole number >= 1" + (" or None" * optional))
    return value


def _axes(value: Any) -> Any:
    if value is not None:
        from matplotlib.axes import Axes

        if not isinstance(value, Axes):
            raise ArgumentError("ax", value, "a matplotlib Axes, or None for a new figure")
    return value


def _flag(argument: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ArgumentError(argument, value, "True or False")
    return value


def _freq(argument: str, value: Any, *, optional: bool = False) -> Any:
    if value is None and optional:
        return None
    allowed = "a pandas frequency such as 'D', 'W' or 'MS'" + (" or None" if optional else "")
    if not isinstance(value, str):
        raise ArgumentError(argument, value, allowed)
    try:
        offset = pd.tseries.frequencies.to_offset(value)
    except (ValueError, TypeError):
        raise ArgumentError(argument, value, allowed) from None
    if offset is None or offset.n < 1:  # "0D" would never move on to the next period
        raise ArgumentError(argument, value, allowed)
    return value
