"""The API's own arguments: days and windows, models, levels, limits and filters.

Each check either returns the value as the API wants it in the query string or raises
:class:`~atribu_pandas.ArgumentError` naming the argument, the value given
and what is allowed. The sandbox reuses these checks so both sides agree on the rules.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
import re
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from atribu_pandas.core.params.values import whole_number
from atribu_pandas.core.vocabulary import (
    LEVELS,
    MODELS,
    OBJECTIVES,
    OUTCOME_KINDS,
    TRUTH_GRADES,
    WINDOWS,
    closest,
)
from atribu_pandas.exceptions import ArgumentError

__all__ = [
    "CAMPAIGNS_LIMIT",
    "FILTERS",
    "MAX_RANGE_DAYS",
    "MAX_ROLLING",
    "MAX_TREND_IDS",
    "TOP_PERFORMERS_LIMIT",
    "check_bool",
    "check_date",
    "check_date_range",
    "check_entity_ids",
    "check_filter",
    "check_level",
    "check_limit",
    "check_min_spend",
    "check_model",
    "check_str_list",
    "check_window",
]

MAX_RANGE_DAYS = 366
# The longest rolling window, in periods: 27 years of days; a longer one is a slip.
MAX_ROLLING = 10_000
MAX_TREND_IDS = 10
CAMPAIGNS_LIMIT = (1, 100)
TOP_PERFORMERS_LIMIT = (1, 50)

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# "2026-11-1" is unambiguous too; only the sandbox, speaking for the API, wants the padding.
_LOOSE_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DATE_TEXT = "a date as 'YYYY-MM-DD'"
_DATE_ALLOWED = _DATE_TEXT + ", datetime.date, datetime.datetime or pandas.Timestamp"
# Days outside these cannot hold ad data, and arithmetic near year 1 or 9999 overflows.
_FIRST_DAY, _LAST_DAY = dt.date(1970, 1, 1), dt.date(9998, 12, 31)


def check_date(value: Any, argument: str, *, padded: bool = False) -> dt.date:
    """Return ``value`` as a calendar day.

    Parameters
    ----------
    value : str, datetime.date, datetime.datetime or pandas.Timestamp
        A string must be ``YYYY-MM-DD`` (``YYYY-M-D`` too, unless ``padded``); a datetime
        keeps only its calendar day. Days before 1970 or after 9998 are refused.
    argument : str
        The argument's name, for the error message.
    padded : bool, default False
        Require the zero-padded form, as the API's own query string does.

    Returns
    -------
    datetime.date

    Raises
    ------
    ArgumentError
        Anything else, including ``NaT`` and impossible days such as ``2026-02-30``.

    Examples
    --------
    >>> check_date("2026-03-01", "date_from")
    datetime.date(2026, 3, 1)
    >>> check_date("2026-3-1", "date_from")
    datetime.date(2026, 3, 1)
    """
    # pandas.Timestamp subclasses datetime, which subclasses date: one branch serves all,
    # but NaT is also a datetime subclass and must be refused, not turned into a day.
    if isinstance(value, dt.datetime):
        if value != value:  # NaT compares unequal to itself
            raise ArgumentError(argument, value, _DATE_ALLOWED)
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, str):
        text = value.strip()
        loose = _LOOSE_DAY.match(text)
        if not (_ISO_DAY.match(text) if padded else loose) or loose is None:
            raise ArgumentError(argument, value, _DATE_TEXT)
        try:
            day = dt.date(*(int(part) for part in loose.groups()))
        except ValueError:
            # Text gets an answer in text's terms: the sandbox answers with these words too.
            raise ArgumentError(argument, value, "a real calendar day as 'YYYY-MM-DD'") from None
    else:
        raise ArgumentError(argument, value, _DATE_ALLOWED)
    if not _FIRST_DAY <= day <= _LAST_DAY:
        raise ArgumentError(
            argument,
            value,
            f"a day from {_FIRST_DAY.isoformat()} to {_LAST_DAY.isoformat()}",
        )
    return day


def check_date_range(date_from: Any, date_to: Any) -> tuple[str, str]:
    """Check a window and return it as ``("YYYY-MM-DD", "YYYY-MM-DD")``.

    Both ends are inclusive; the window holds at most 366 days.

    Raises
    ------
    ArgumentError
        A bad date, ``date_from`` after ``date_to``, or more than 366 days.

    Examples
    --------
    >>> check_date_range("2026-03-01", "2026-03-25")
    ('2026-03-01', '2026-03-25')
    """
    start = check_date(date_from, "date_from")
    end = check_date(date_to, "date_to")
    if start > end:
        raise ArgumentError(
            "date_from", start.isoformat(), f"a day on or before date_to={end.isoformat()}"
        )
    days = (end - start).days + 1
    if days > MAX_RANGE_DAYS:
        raise ArgumentError(
            "date_to",
            end.isoformat(),
            f"at most {MAX_RANGE_DAYS} days from date_from={start.isoformat()} "
            f"(this window has {days} days)",
        )
    return start.isoformat(), end.isoformat()


def _one_of(value: Any, allowed: Sequence[str], *, also: str = "") -> str:
    """'one of a, b, c', with a 'did you mean' when ``value`` looks like a typo of one."""
    words = "one of " + ", ".join(allowed) + also
    guess = closest(value, allowed)
    return f"{words} (did you mean {guess!r}?)" if guess is not None else words


def _check_choice(value: Any, argument: str, allowed: Sequence[str]) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise ArgumentError(argument, value, _one_of(value, allowed))
    return value


def check_model(model: Any) -> str:
    """Check an attribution model name.

    Examples
    --------
    >>> check_model("time_decay")
    'time_decay'
    """
    return _check_choice(model, "model", MODELS)


def check_level(level: Any, *, optional: bool = False) -> str | None:
    """Check an entity level (``campaign``, ``ad_set``, ``ad``); ``None`` only if optional.

    Examples
    --------
    >>> check_level("ad")
    'ad'
    >>> check_level(None, optional=True) is None
    True
    """
    if level is None and optional:
        return None
    if not isinstance(level, str) or level not in LEVELS:
        also = " or None" if optional else ""
        raise ArgumentError("level", level, _one_of(level, LEVELS, also=also))
    return level


def check_window(window: Any) -> str:
    """Check a top-performers scoring window.

    Examples
    --------
    >>> check_window("28d")
    '28d'
    """
    return _check_choice(window, "window", WINDOWS)


def check_limit(limit: Any, bounds: tuple[int, int], argument: str = "limit") -> int:
    """Check an integer limit within inclusive ``bounds``.

    Examples
    --------
    >>> check_limit(100, CAMPAIGNS_LIMIT), check_limit(5.0, CAMPAIGNS_LIMIT)
    (100, 5)
    """
    low, high = bounds
    number = whole_number(limit)
    if number is None or not low <= number <= high:
        raise ArgumentError(argument, limit, f"a whole number from {low} to {high}")
    return number


def check_min_spend(min_spend: Any) -> str | None:
    """Check a minimum spend (a number >= 0, or None) and format it for the query.

    Examples
    --------
    >>> check_min_spend(25)
    '25'
    >>> check_min_spend(1234567.5)
    '1234567.5'
    """
    if min_spend is None:
        return None
    ok = isinstance(min_spend, numbers.Real) and not isinstance(min_spend, bool | np.bool_)
    if not ok or not math.isfinite(min_spend) or min_spend < 0:
        raise ArgumentError("min_spend", min_spend, "a finite number >= 0, or None")
    if isinstance(min_spend, numbers.Integral):
        return str(int(min_spend))
    # repr keeps every digit and never switches to scientific notation below 1e16.
    return repr(float(min_spend))


def check_bool(value: Any, argument: str) -> str | None:
    """Check an optional boolean filter and format it as ``true``/``false``.

    Examples
    --------
    >>> import numpy as np
    >>> check_bool(True, "has_video"), check_bool(np.False_, "has_video")
    ('true', 'false')
    """
    if value is None:
        return None
    # numpy's bool (what a DataFrame cell gives) is not a Python bool subclass.
    if not isinstance(value, bool | np.bool_):
        raise ArgumentError(argument, value, "True, False or None")
    return "true" if value else "false"


def _split(value: Any, argument: str, what: str) -> list[str]:
    if isinstance(value, str):
        items: Iterable[Any] = value.split(",")
    elif isinstance(value, Iterable) and not isinstance(value, bytes | dict):
        items = value
    else:
        raise ArgumentError(argument, value, f"a list of {what} or a comma-separated string")
    out: list[str] = []
    for item in items:
        if not isinstance(item, str) or not item.strip() or "," in item:
            raise ArgumentError(
                argument, value, f"a list of non-empty {what} or a comma-separated string"
            )
        out.append(item.strip())
    return out


# The top-performers list filters and their sets: None marks an open set, passed through.
FILTERS: dict[str, tuple[str, ...] | None] = {
    "objectives": OBJECTIVES,
    "truth_grades": TRUTH_GRADES,
    "outcome_kinds": OUTCOME_KINDS,
    "formats": None,  # the page: "ugc_video, talking_head, static, carousel, …"
}


def check_str_list(value: Any, argument: str, allowed: Sequence[str] | None = None) -> str | None:
    """Check a list filter (list, tuple, Series or comma string) and join it with commas.

    Parameters
    ----------
    value : list of str, str or None
        ``["sales", "leads"]`` and ``"sales,leads"`` are the same filter.
    argument : str
        The argument's name, for the error message.
    allowed : sequence of str, optional
        A closed set: every item must be one of these. None: any non-empty string.

    Raises
    ------
    ArgumentError
        An empty list, a non-string item, or an item outside ``allowed`` (with a "did you
        mean" when it looks like a typo of an allowed one).

    Examples
    --------
    >>> check_str_list(["sales", "leads"], "objectives", OBJECTIVES)
    'sales,leads'
    >>> check_str_list("ugc_video,static", "formats")
    'ugc_video,static'
    """
    if value is None:
        return None
    items = _split(value, argument, "strings")
    if not items:
        raise ArgumentError(argument, value, "at least one item, or None for no filter")
    if allowed is not None:
        unknown = [item for item in items if item not in allowed]
        if unknown:
            words = "items among " + ", ".join(allowed)
            guesses = {u: closest(u, allowed) for u in unknown}
            hints = [f"{g!r} for {u!r}" for u, g in guesses.items() if g is not None]
            if len(unknown) == 1 and hints:
                hints = [repr(guesses[unknown[0]])]
            if hints:
                words += " (did you mean " + ", ".join(hints) + "?)"
            raise ArgumentError(argument, unknown, words)
    return ",".join(dict.fromkeys(items))


def check_filter(value: Any, argument: str) -> str | None:
    """Check one of the top-performers list filters against its set (see :data:`FILTERS`).

    ``objectives``, ``truth_grades`` and ``outcome_kinds`` are closed sets; ``formats`` is
    open, so any non-empty string passes.

    Examples
    --------
    >>> check_filter(["attributed", "lift"], "truth_grades")
    'attributed,lift'
    >>> check_filter("ugc_video", "formats")
    'ugc_video'
    >>> try:
    ...     check_filter("atributed", "truth_grades")
    ... except ArgumentError as e:
    ...     print(e.allowed)
    items among predicted, attributed, lift (did you mean 'attributed'?)
    """
    return check_str_list(value, argument, FILTERS[argument])


def check_entity_ids(entity_ids: Any) -> list[str]:
    """Check entity ids and return them as lowercase UUID strings, first occurrence kept.

    Parameters
    ----------
    entity_ids : list, tuple, pandas.Series, pandas.Index or str
        UUID strings; a string may hold several, separated by commas.

    Raises
    ------
    ArgumentError
        No ids, or an id that is not a UUID.

    Examples
    --------
    >>> check_entity_ids("0b7e6a5c-6f2e-4b8a-9a53-2f1e4c3d2b10")
    ['0b7e6a5c-6f2e-4b8a-9a53-2f1e4c3d2b10']
    """
    items = _split(entity_ids, "entity_ids", "UUID strings")
    if not items:
        raise ArgumentError("entity_ids", entity_ids, "at least one UUID string")
    out: list[str] = []
    for item in items:
        try:
            out.append(str(uuid.UUID(item)))
        except ValueError:
            raise ArgumentError(
                "entity_ids", item, "UUID strings such as '0b7e6a5c-6f2e-4b8a-9a53-2f1e4c3d2b10'"
            ) from None
    return list(dict.fromkeys(out))
