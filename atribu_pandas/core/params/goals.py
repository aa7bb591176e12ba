"""Check a client's goals: ROAS and cost targets, and a monthly budget.

One home for these checks, shared by ``df.atribu.against_targets`` and ``.pacing``, the
charts' ``target=`` and the report templates' ``target_*`` and ``monthly_budget``
parameters, so a goal is refused the same way wherever it is given.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from atribu_pandas.core.params.values import check_number
from atribu_pandas.exceptions import ArgumentError

__all__ = ["check_monthly_budget", "check_target"]

_POSITIVE = "a finite number > 0, such as 2.5"


def _positive(value: Any, argument: str, allowed: str) -> float:
    number = check_number(value, argument, allowed)
    if not math.isfinite(number) or number <= 0:
        raise ArgumentError(argument, value, allowed)
    return float(number)


def check_target(value: Any, argument: str) -> float | None:
    """Return a target as a float > 0, or None when none is set.

    A target of 0 or below would flag nothing (ROAS) or everything (a cost), so it is
    refused as the mistake it is.

    Examples
    --------
    >>> check_target(2.5, "target_roas"), check_target(None, "target_cpa")
    (2.5, None)
    >>> check_target(-1, "target_roas")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    atribu_pandas.exceptions.ArgumentError: target_roas=-1 is not allowed: a finite number > 0...
    """
    if value is None:
        return None
    return _positive(value, argument, _POSITIVE + " (or None for no target)")


def check_monthly_budget(value: Any, argument: str = "monthly_budget") -> Any:
    """Return a monthly budget: None, one amount > 0, or a mapping of campaign to amount.

    The mapping's keys are campaign ids or campaign names (text); each amount is > 0.

    Examples
    --------
    >>> check_monthly_budget(40000)
    40000.0
    >>> check_monthly_budget({"Spring sale": 1000})
    {'Spring sale': 1000.0}
    """
    allowed = (
        "a finite amount > 0 for the whole client, a mapping of campaign id or name to "
        "such an amount, or None"
    )
    if value is None:
        return None
    if isinstance(value, Mapping):
        if not value:
            raise ArgumentError(argument, value, allowed)
        checked: dict[str, float] = {}
        for key, amount in value.items():
            if not isinstance(key, str) or not key.strip():
                raise ArgumentError(argument, value, allowed + " (keys: ids or names as text)")
            checked[key] = _positive(amount, f"{argument}[{key!r}]", "a finite amount > 0")
        return checked
    return _positive(value, argument, allowed)
