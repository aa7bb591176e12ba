"""The one rule for each kind of value an argument takes, whatever function takes it.

Numbers, counts, flags, column names, frequencies and currency codes: Python's and
numpy's scalars alike (what a DataFrame cell holds), never a bool for a number or a string
for a count.
"""

from __future__ import annotations

import math
import numbers
import re
from typing import Any, Literal, overload

import numpy as np

from atribu_pandas.exceptions import ArgumentError

__all__ = [
    "calendar_bins",
    "check_column",
    "check_columns",
    "check_count",
    "check_currency",
    "check_flag",
    "check_freq",
    "check_nonnegative",
    "check_number",
    "whole_number",
]

# "W" and "M" as the package means them, with an optional multiple: see calendar_bins.
_WEEKS = re.compile(r"(\d*)W")
_PERIOD_ENDS = re.compile(r"(\d*)([MQY])E?")


def whole_number(value: Any) -> int | None:
    """Return ``value`` as an int when it is a whole number, else None.

    The one integer rule of the package: Python and numpy integers, and floats with no
    fraction (``5.0``, what a DataFrame cell often holds); never a bool (``True`` is a
    slip, not 1), a string or a fraction.

    Examples
    --------
    >>> import numpy as np
    >>> whole_number(np.int64(5)), whole_number(5.0), whole_number(5.5), whole_number(True)
    (5, 5, None, None)
    """
    if isinstance(value, bool | np.bool_):
        return None
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real) and math.isfinite(value) and float(value).is_integer():
        return int(float(value))
    return None


def check_number(value: Any, argument: str, allowed: str, *, optional: bool = False) -> Any:
    """Return a real number (Python's or numpy's) as a Python int or float; None if optional.

    Never a bool or a string; the bounds are the caller's, named in ``allowed``.

    Examples
    --------
    >>> import numpy as np
    >>> check_number(np.float64(0.5), "rtol", "a number"), check_number(np.int64(3), "x", "")
    (0.5, 3)
    """
    if value is None and optional:
        return None
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        raise ArgumentError(argument, value, allowed)
    return int(value) if isinstance(value, numbers.Integral) else float(value)


def check_nonnegative(value: Any, argument: str, allowed: str) -> float:
    """Return a finite real number >= 0 as a float (a tolerance, a share).

    Examples
    --------
    >>> check_nonnegative(0.01, "rtol", "a finite number >= 0")
    0.01
    """
    number = check_number(value, argument, allowed)
    if not math.isfinite(number) or number < 0:
        raise ArgumentError(argument, value, allowed)
    return float(number)


@overload
def check_count(
    value: Any,
    argument: str,
    *,
    minimum: int = 1,
    maximum: int | None = None,
    optional: Literal[False] = False,
) -> int: ...
@overload
def check_count(
    value: Any,
    argument: str,
    *,
    minimum: int = 1,
    maximum: int | None = None,
    optional: bool = False,
) -> int | None: ...
def check_count(
    value: Any,
    argument: str,
    *,
    minimum: int = 1,
    maximum: int | None = None,
    optional: bool = False,
) -> int | None:
    """Return a whole number from ``minimum`` to ``maximum`` (see :func:`whole_number`),
    or None when optional.

    Examples
    --------
    >>> import numpy as np
    >>> check_count(np.int64(5), "top"), check_count(None, "rolling", optional=True)
    (5, None)
    """
    if value is None and optional:
        return None
    number = whole_number(value)
    if number is None or number < minimum or (maximum is not None and number > maximum):
        allowed = (
            f"a whole number >= {minimum}"
            if maximum is None
            else (f"a whole number from {minimum:,} to {maximum:,}")
        )
        raise ArgumentError(argument, value, allowed + (" or None" * optional))
    return number


def check_flag(value: Any, argument: str) -> bool:
    """Return ``True`` or ``False`` (numpy's bool too); nothing else stands for one.

    Examples
    --------
    >>> import numpy as np
    >>> check_flag(np.True_, "small_multiples")
    True
    """
    if not isinstance(value, bool | np.bool_):
        raise ArgumentError(argument, value, "True or False")
    return bool(value)


@overload
def check_column(value: Any, argument: str, *, optional: Literal[False] = False) -> str: ...
@overload
def check_column(value: Any, argument: str, *, optional: bool = False) -> str | None: ...
def check_column(value: Any, argument: str, *, optional: bool = False) -> str | None:
    """Return a column name (the frame then says whether it has it), or None when optional.

    Examples
    --------
    >>> check_column("roas", "metric")
    'roas'
    """
    if (value is None and optional) or isinstance(value, str):
        return value
    raise ArgumentError(argument, value, "a column name (str)" + (" or None" if optional else ""))


def check_columns(value: Any, argument: str, *, optional: bool = False) -> Any:
    """Return a column name or a non-empty list of them, as given; None when optional.

    Examples
    --------
    >>> check_columns(["cohort_format", "creative_format"], "by")
    ['cohort_format', 'creative_format']
    """
    if value is None and optional:
        return None
    names = [value] if isinstance(value, str) else value
    allowed = "a column name or a list of them" + (", or None" if optional else "")
    if not isinstance(names, list | tuple) or not names:
        raise ArgumentError(argument, value, allowed)
    if not all(isinstance(name, str) for name in names):
        raise ArgumentError(argument, value, allowed)
    return value


def calendar_bins(freq: str) -> dict[str, Any]:
    """Return the pandas arguments (``freq``, ``closed``, ``label``) of a frequency's bins.

    One week convention in the whole package: ``"W"`` is a week from Monday to Sunday,
    labelled by its Monday (as ISO weeks, and as the period loaders' ``period_start``),
    not pandas' default of weeks labelled by their Sunday. ``"M"`` and ``"ME"`` are both the
    calendar month, labelled by its last day (as ``period_end``), and ``"Q"``/``"QE"``,
    ``"Y"``/``"YE"`` the calendar quarter and year: pandas 2.2 renamed the period ends and
    pandas 3 refuses the old names, which the period loaders and the user guide use. A
    multiple keeps the meaning (``"2W"``, ``"2M"``). Any other frequency, an anchored week
    such as ``"W-WED"`` included, is pandas'.

    Examples
    --------
    >>> calendar_bins("W")
    {'freq': 'W-MON', 'closed': 'left', 'label': 'left'}
    >>> calendar_bins("M"), calendar_bins("ME"), calendar_bins("2M")
    ({'freq': 'ME'}, {'freq': 'ME'}, {'freq': '2ME'})
    """
    week = _WEEKS.fullmatch(freq)
    if week:
        return {"freq": f"{week[1]}W-MON", "closed": "left", "label": "left"}
    end = _PERIOD_ENDS.fullmatch(freq)
    return {"freq": f"{end[1]}{end[2]}E" if end else freq}


@overload
def check_freq(value: Any, argument: str, *, optional: Literal[False] = False) -> str: ...
@overload
def check_freq(value: Any, argument: str, *, optional: bool = False) -> str | None: ...
def check_freq(value: Any, argument: str, *, optional: bool = False) -> str | None:
    """Return a pandas frequency that moves forward (``"D"``, ``"W"``, ``"M"``, ``"MS"``...);
    see :func:`calendar_bins` for what ``"W"`` and ``"M"`` mean here.

    Examples
    --------
    >>> check_freq("W", "freq")
    'W'
    """
    if value is None and optional:
        return None
    allowed = "a pandas frequency such as 'D', 'W' or 'MS'" + (" or None" if optional else "")
    if not isinstance(value, str):
        raise ArgumentError(argument, value, allowed)
    import pandas as pd

    try:
        offset = pd.tseries.frequencies.to_offset(calendar_bins(value)["freq"])
    except (ValueError, TypeError):
        raise ArgumentError(argument, value, allowed) from None
    if offset is None or offset.n < 1:  # "0D" would never move on to the next period
        raise ArgumentError(argument, value, allowed)
    return value


def check_currency(value: Any, name: str = "currency") -> str:
    """Return an ISO 4217 currency code in upper case, or refuse it.

    Examples
    --------
    >>> check_currency("eur")
    'EUR'
    >>> check_currency("EURO")
    Traceback (most recent call last):
    ...
    atribu_pandas.exceptions.ArgumentError: currency='EURO' is not allowed: an ISO 4217 \
code such as USD, EUR, GBP, MXN
    """
    from babel.numbers import is_currency

    code = value.strip().upper() if isinstance(value, str) else value
    if not isinstance(code, str) or not is_currency(code):
        raise ArgumentError(name, value, "an ISO 4217 code such as USD, EUR, GBP, MXN")
    return code
