"""The parameters of a sandbox request: the query string parsed, converted and checked.

:func:`parse_query` reads the query string; :func:`campaigns_args`, :func:`trend_args`
and :func:`top_performers_args` check one path's parameters in a fixed order with the
client's own checks (``core.params``), after converting the strings where a
check wants a number or a boolean, so both sides refuse the same values. The first
:class:`~atribu_pandas.ArgumentError` becomes a 400 ``invalid_parameter``
``Refusal`` with its text; a reversed or too long date
range is ``invalid_date_range``, and a missing required parameter ``invalid_parameter``.
Unknown parameters are ignored.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from typing import NamedTuple
from urllib.parse import parse_qs

from atribu_pandas.core import params as p
from atribu_pandas.exceptions import ArgumentError
from atribu_pandas.sandbox.refusal import Refusal

__all__ = [
    "DEFAULT_LIMIT",
    "Query",
    "TopPerformersArgs",
    "campaigns_args",
    "parse_query",
    "top_performers_args",
    "trend_args",
]

DEFAULT_LIMIT = 10

_WIRE_BOOLS = {"true": True, "false": False}
_LIST_PARAMS = frozenset({"entity_ids", *p.FILTERS})


class Query(NamedTuple):
    """A request's parameters (repeats joined by commas) and those repeated that may not be."""

    params: dict[str, str]
    repeated: list[str]


def parse_query(query: str | Mapping[str, str | Sequence[str]]) -> Query:
    """Parse a raw query string (or a mapping of parameter to values) into a :class:`Query`.

    The comma-list parameters (``entity_ids`` and the filters) may repeat, their values
    joined; any other repeated parameter is listed in ``repeated`` for the API to refuse.

    Examples
    --------
    >>> parse_query("objectives=sales&objectives=leads&limit=3&limit=4")
    Query(params={'objectives': 'sales,leads', 'limit': '3,4'}, repeated=['limit'])
    """
    pairs: Iterable[tuple[str, str | Sequence[str]]]
    if isinstance(query, str):
        pairs = parse_qs(query.lstrip("?"), keep_blank_values=True).items()
    else:
        pairs = query.items()
    params: dict[str, str] = {}
    repeated: list[str] = []
    for name, raw in pairs:
        values = [raw] if isinstance(raw, str) else [str(v) for v in raw]
        if len(values) > 1 and name not in _LIST_PARAMS:
            # Which of two values to believe would be a guess: refuse (after auth).
            repeated.append(name)
        params[name] = ",".join(values)
    return Query(params, repeated)


class TopPerformersArgs(NamedTuple):
    """The checked parameters of ``/api/v1/top-performers``, in ``top_performers``' order."""

    window: str
    limit: int
    min_spend: float | None
    objectives: list[str] | None
    truth_grades: list[str] | None
    outcome_kinds: list[str] | None
    formats: list[str] | None
    has_video: bool | None


def campaigns_args(params: dict[str, str]) -> tuple[date, date, str, str | None, int]:
    """Check ``/api/v1/campaigns``' parameters: dates, model, level, limit (in that order).

    Raises
    ------
    Refusal
        400 naming the first parameter that is wrong or missing.

    Examples
    --------
    >>> campaigns_args({"date_from": "2025-05-01", "date_to": "2025-05-31", "level": "ad"})
    (datetime.date(2025, 5, 1), datetime.date(2025, 5, 31), 'last_touch', 'ad', 10)
    """
    with _invalid_parameter():
        date_from, date_to = _date_range(params)
        model = p.check_model(params.get("model", "last_touch"))
        level = params.get("level")
        if level is not None:
            level = p.check_level(level)
        limit = _limit(params, p.CAMPAIGNS_LIMIT)
    return date_from, date_to, model, level, limit


def trend_args(params: dict[str, str]) -> tuple[date, date, list[str], str]:
    """Check ``/api/v1/campaigns/trend``' parameters: dates, entity ids, level (in that order).

    Raises
    ------
    Refusal
        400 naming the first parameter that is wrong or missing.

    Examples
    --------
    >>> date_from, date_to, ids, level = trend_args(
    ...     {"date_from": "2025-05-01", "date_to": "2025-05-02",
    ...      "entity_ids": "0b6a1d3e-52f1-4d1c-9a43-2f5c8f0e7a10"}
    ... )
    >>> str(date_to), ids, level
    ('2025-05-02', ['0b6a1d3e-52f1-4d1c-9a43-2f5c8f0e7a10'], 'campaign')
    """
    with _invalid_parameter():
        date_from, date_to = _date_range(params)
        ids = _entity_ids(params)
        level = p.check_level(params.get("level", "campaign"))
    assert level is not None  # check_level without optional never answers None
    return date_from, date_to, ids, level


def top_performers_args(params: dict[str, str]) -> TopPerformersArgs:
    """Check ``/api/v1/top-performers``' parameters, in the order of :class:`TopPerformersArgs`.

    Raises
    ------
    Refusal
        400 naming the first parameter that is wrong.

    Examples
    --------
    >>> args = top_performers_args({"objectives": "sales,leads", "has_video": "true"})
    >>> args.window, args.limit, args.objectives, args.has_video
    ('28d', 10, ['sales', 'leads'], True)
    """
    with _invalid_parameter():
        return TopPerformersArgs(
            window=p.check_window(params.get("window", "28d")),
            limit=_limit(params, p.TOP_PERFORMERS_LIMIT),
            min_spend=_min_spend(params),
            objectives=_str_list(params, "objectives"),
            truth_grades=_str_list(params, "truth_grades"),
            outcome_kinds=_str_list(params, "outcome_kinds"),
            formats=_str_list(params, "formats"),
            has_video=_boolean(params, "has_video"),
        )


# Every check below raises ArgumentError (or a Refusal for what only HTTP can get wrong:
# a missing parameter); _invalid_parameter turns the ArgumentError into a 400.


@contextmanager
def _invalid_parameter() -> Iterator[None]:
    try:
        yield
    except ArgumentError as error:
        raise Refusal(400, str(error)) from None


def _required(params: dict[str, str], name: str, allowed: str) -> str:
    value = params.get(name)
    if value is None:
        raise Refusal(400, f"Missing required parameter {name}: {allowed}")
    return value


def _date_range(params: dict[str, str]) -> tuple[date, date]:
    # Each day alone first: a bad day is invalid_parameter, only a bad pair of good days
    # is invalid_date_range.
    date_from = p.check_date(
        _required(params, "date_from", "a date YYYY-MM-DD"), "date_from", padded=True
    )
    date_to = p.check_date(
        _required(params, "date_to", "a date YYYY-MM-DD"), "date_to", padded=True
    )
    try:
        p.check_date_range(date_from, date_to)
    except ArgumentError as error:
        raise Refusal(400, str(error), "invalid_date_range") from None
    return date_from, date_to


def _limit(params: dict[str, str], bounds: tuple[int, int]) -> int:
    value = params.get("limit")
    if value is None:
        return DEFAULT_LIMIT
    # Only plain digits are a whole number on the wire ("1.5", "-1", "ten" and "" are not):
    # anything else goes to the check as the string it is, which refuses it. Past 18 digits
    # int() would refuse the text itself (5,000 digits): it is out of bounds either way.
    digits = value.isascii() and value.isdigit() and len(value) <= 18
    return p.check_limit(int(value) if digits else value, bounds)


def _entity_ids(params: dict[str, str]) -> list[str]:
    allowed = f"1 to {p.MAX_TREND_IDS} comma-separated UUIDs"
    value = _required(params, "entity_ids", allowed)
    # The client sends at most MAX_TREND_IDS per request (it splits longer lists); the
    # server counts what was sent, repeats included, as the real API does.
    count = len(value.split(","))
    if count > p.MAX_TREND_IDS:
        raise ArgumentError("entity_ids", value, f"{allowed} (got {count})")
    return p.check_entity_ids(value)


def _str_list(params: dict[str, str], name: str) -> list[str] | None:
    joined = p.check_filter(params.get(name), name)
    return None if joined is None else joined.split(",")


def _boolean(params: dict[str, str], name: str) -> bool | None:
    value = params.get(name)
    if value is None:
        return None
    flag = _WIRE_BOOLS.get(value)
    if flag is None:
        # check_bool's words name Python's True/False/None, which the wire spells otherwise.
        raise ArgumentError(name, value, "true or false")
    return flag


def _min_spend(params: dict[str, str]) -> float | None:
    value = params.get("min_spend")
    if value is None:
        return None
    try:
        number: float | str = float(value)
    except ValueError:
        number = value  # not a number: the check refuses it, naming what is allowed
    p.check_min_spend(number)
    return float(number)
