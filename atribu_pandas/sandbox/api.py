"""The sandbox's HTTP semantics, as a function from a request to a response.

:class:`SandboxAPI` turns ``(method, path, query, headers)`` into a
:class:`Response` ``(status, headers, body, delay)`` and knows nothing of sockets,
so every rule of the contract (docs/design.md, "The sandbox contract") can be read and
tested here:

1. Every response carries ``X-Request-Id``; an error body repeats it as
   ``error.request_id``.
2. A fault injected with :meth:`SandboxAPI.inject` answers first, before the
   path or the key is looked at (it stands for a proxy or an outage in front of
   the API).
3. An unknown path answers 404 ``not_found``; a known path with a method other
   than ``GET`` answers 405 ``method_not_allowed`` with ``Allow: GET``.
4. A missing or unknown ``Authorization: Bearer <key>`` answers 401
   ``unauthorized``.
5. Each known key has a token bucket (capacity ``rate_limit``, refilled at
   ``rate_limit`` tokens per 60 seconds); every authenticated request takes a
   token and carries ``X-RateLimit-Limit`` and ``X-RateLimit-Remaining``. With
   no token left the answer is 429 ``rate_limit_exceeded`` with ``Retry-After``
   (whole seconds until a token is back).
6. A key without ``campaigns:read`` answers 403 ``insufficient_scope``.
7. Parameters are checked in a fixed order by the client's own checks
   (:mod:`atribu_pandas.params`), so both sides refuse the same values: the query
   strings are first converted where the check wants a number or a boolean, and the
   first :class:`~atribu_pandas.exceptions.ArgumentError` answers 400
   ``invalid_parameter`` with its text (the parameter and what is allowed); a
   reversed range or one over ``params.MAX_RANGE_DAYS`` days answers 400
   ``invalid_date_range``. A missing required parameter answers 400
   ``invalid_parameter`` too. Unknown parameters are ignored; a parameter given
   twice is refused, except the comma-list filters, whose repeats are joined.
8. Success bodies are ``{"data": [...], "meta": {...}}``, serialised with orjson.
"""

from __future__ import annotations

import logging
import math
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import parse_qs

import orjson

from atribu_pandas import params as p
from atribu_pandas.config import CAMPAIGNS_PATH, TOP_PERFORMERS_PATH, TREND_PATH
from atribu_pandas.exceptions import ArgumentError
from atribu_pandas.sandbox.faults import FAULT_KINDS, Fault, fault_answer, make_fault, tamper

if TYPE_CHECKING:
    from atribu_pandas.sandbox.dataset import ProfileData

__all__ = [
    "FAULT_KINDS",
    "REQUIRED_SCOPE",
    "RequestRecord",
    "Response",
    "SandboxAPI",
]

REQUIRED_SCOPE = "campaigns:read"

DEFAULT_LIMIT = 10
REFILL_SECONDS = 60.0
# Requests remembered for Sandbox.requests; older ones drop off, the count keeps going.
REQUEST_LOG_SIZE = 10_000

_log = logging.getLogger(__name__)
_EPSILON = 1e-9
_WIRE_BOOLS = {"true": True, "false": False}
_LIST_PARAMS = frozenset({"entity_ids", *p.FILTERS})
_STATUS_CODES = {
    400: "invalid_parameter",
    401: "unauthorized",
    403: "insufficient_scope",
    404: "not_found",
    405: "method_not_allowed",
    429: "rate_limit_exceeded",
    500: "internal_error",
    502: "bad_gateway",
    503: "service_unavailable",
    504: "gateway_timeout",
}
_JSON = "application/json"


class Response(NamedTuple):
    """What the sandbox answers.

    Attributes
    ----------
    status : int
        HTTP status code.
    headers : dict of str to str
        Response headers (always ``Content-Type`` and ``X-Request-Id``).
    body : bytes
        The body, JSON except for some injected faults.
    delay : float
        Seconds the server waits before answering (an injected ``slow`` fault).
    stall : float
        Seconds of silence between the headers and the body (a ``stall`` fault).
    drip : float
        Seconds between the body's bytes, sent one at a time (a ``drip`` fault).
    """

    status: int
    headers: dict[str, str]
    body: bytes
    delay: float = 0.0
    stall: float = 0.0
    drip: float = 0.0


@dataclass(frozen=True)
class RequestRecord:
    """One request the sandbox received (never its ``Authorization`` header).

    Attributes
    ----------
    method, path : str
        As sent.
    query : dict of str to str
        The query parameters (a repeated parameter's values joined by commas).
    status : int
        The status answered.
    request_id : str
        The ``X-Request-Id`` answered.
    """

    method: str
    path: str
    query: dict[str, str]
    status: int
    request_id: str


class _Refusal(Exception):
    """A request refused with an error envelope."""

    def __init__(
        self,
        status: int,
        message: str,
        code: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code or _STATUS_CODES[status]
        self.message = message
        self.headers = headers or {}


@dataclass
class _Bucket:
    tokens: float
    updated: float


@dataclass
class _State:
    """The mutable part of the API, guarded by one lock."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    buckets: dict[str, _Bucket] = field(default_factory=dict)
    faults: deque[Fault] = field(default_factory=deque)
    log: deque[RequestRecord] = field(default_factory=lambda: deque(maxlen=REQUEST_LOG_SIZE))
    count: int = 0


class SandboxAPI:
    """The Campaigns API over the sandbox's profiles, without the sockets.

    Parameters
    ----------
    profiles : sequence of ProfileData
        The datasets, each reachable with its own profile's ``api_key``.
    rate_limit : int, default 60
        Requests per minute per key (the token bucket's capacity and refill).
    clock : callable, default time.monotonic
        Seconds as a float; injectable so tests can move time.

    Examples
    --------
    >>> from atribu_pandas.sandbox.dataset import build_profiles
    >>> api = SandboxAPI(build_profiles(seed=0))
    >>> key = api.profiles[0].profile.api_key
    >>> r = api.handle("GET", "/api/v1/top-performers", "limit=3",
    ...                {"Authorization": f"Bearer {key}"})
    >>> r.status, len(orjson.loads(r.body)["data"]) <= 3
    (200, True)
    """

    def __init__(
        self,
        profiles: Sequence[ProfileData],
        *,
        rate_limit: int = 60,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if isinstance(rate_limit, bool) or not isinstance(rate_limit, int) or rate_limit < 1:
            raise ValueError(f"rate_limit={rate_limit!r} is not allowed: an integer >= 1")
        self.profiles = tuple(profiles)
        self.rate_limit = rate_limit
        self._clock = clock
        self._by_key = {p.profile.api_key: p for p in self.profiles}
        self._state = _State()

    # -- test switches -------------------------------------------------------------------

    def inject(self, kind: str, count: int = 1, **options: Any) -> None:
        """Make the next ``count`` requests answer a fault instead of the API.

        Faults queue in order: ``inject("error", 2)`` then ``inject("slow")`` makes
        two 500s, then one slow answer, then normal service.

        Parameters
        ----------
        kind : str
            One of :data:`~atribu_pandas.sandbox.faults.FAULT_KINDS`: ``error``,
            ``rate_limit``, ``slow``, ``stall``, ``drip``, ``malformed``, ``gzip_bomb``,
            ``echo_key``, ``tamper``; the table in :mod:`atribu_pandas.sandbox.faults`
            says what each answers and which options it takes.
        count : int, default 1
            How many requests the fault answers.
        **options
            ``status``, ``retry_after``, ``seconds``, ``variant`` or ``size``, by kind.

        Examples
        --------
        >>> from atribu_pandas.sandbox.dataset import build_profiles
        >>> api = SandboxAPI(build_profiles(seed=0))
        >>> api.inject("error", count=2, status=503, retry_after=1)
        >>> api.handle("GET", "/api/v1/campaigns", "", {}).status
        503
        """
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise ValueError(f"count={count!r} is not allowed: an integer >= 1")
        fault = make_fault(kind, options)
        with self._state.lock:
            self._state.faults.extend([fault] * count)

    def clear_faults(self) -> None:
        """Drop every pending fault.

        Examples
        --------
        >>> from atribu_pandas.sandbox.dataset import build_profiles
        >>> api = SandboxAPI(build_profiles(seed=0))
        >>> api.inject("slow", seconds=5)
        >>> api.clear_faults()
        >>> api.pending_faults
        0
        """
        with self._state.lock:
            self._state.faults.clear()

    @property
    def pending_faults(self) -> int:
        """Number of requests that will still answer an injected fault."""
        with self._state.lock:
            return len(self._state.faults)

    @property
    def requests(self) -> list[RequestRecord]:
        """The requests received so far (at most the last 10,000), oldest first."""
        with self._state.lock:
            return list(self._state.log)

    @property
    def request_count(self) -> int:
        """How many requests were received since the API was made."""
        with self._state.lock:
            return self._state.count

    # -- the request cycle ---------------------------------------------------------------

    def handle(
        self,
        method: str,
        path: str,
        query: str | Mapping[str, str | Sequence[str]] = "",
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        """Answer one request.

        Parameters
        ----------
        method : str
            HTTP method (``GET`` is the only one served).
        path : str
            The path, without the query string.
        query : str or mapping
            The raw query string (``a=1&b=2``) or a mapping of parameter to value
            (or to a list of values).
        headers : mapping, optional
            Request headers; names are matched case-insensitively.

        Returns
        -------
        Response

        Examples
        --------
        >>> from atribu_pandas.sandbox.dataset import build_profiles
        >>> api = SandboxAPI(build_profiles(seed=0))
        >>> api.handle("GET", "/api/v1/nope", "", {}).status
        404
        """
        request_id = "req_" + secrets.token_hex(12)
        parsed = _parse_query(query)
        response = self._answer(method.upper(), path, parsed, _lower_keys(headers), request_id)
        record = RequestRecord(method.upper(), path, parsed.params, response.status, request_id)
        with self._state.lock:
            self._state.log.append(record)
            self._state.count += 1
        return response

    def _answer(
        self,
        method: str,
        path: str,
        query: _Query,
        headers: dict[str, str],
        request_id: str,
    ) -> Response:
        base = {"Content-Type": _JSON, "X-Request-Id": request_id}
        with self._state.lock:
            fault = self._state.faults.popleft() if self._state.faults else None
        if fault is None:
            return self._route(method, path, query, headers, request_id, base)
        replaced = fault_answer(fault, request_id, headers.get("authorization", ""), _STATUS_CODES)
        if replaced is not None:
            status, extra, body = replaced
            return Response(status, {**base, **extra}, body)
        response = self._route(method, path, query, headers, request_id, base)
        if fault.kind == "tamper" and response.status == 200:
            response = response._replace(body=tamper(response.body, fault.variant))
        seconds = {fault.kind: fault.seconds}
        return response._replace(
            delay=seconds.get("slow", fault.before),
            stall=seconds.get("stall", 0.0),
            drip=seconds.get("drip", 0.0),
        )

    def _route(
        self,
        method: str,
        path: str,
        query: _Query,
        headers: dict[str, str],
        request_id: str,
        base: dict[str, str],
    ) -> Response:
        rate_headers: dict[str, str] = {}
        try:
            known = self._by_key.get(_bearer(headers))
            if known is not None:
                # Every authenticated answer carries the budget, a 404 or 405 included.
                rate_headers = self._rate_headers(known.profile.api_key)
            route = _ROUTES.get(path)
            if route is None:
                raise _Refusal(404, f"No route for {path!r}: the paths are {', '.join(_ROUTES)}")
            if method != "GET":
                base["Allow"] = "GET"
                raise _Refusal(405, f"Method {method} is not allowed on {path}: use GET")
            data = self._authenticate(headers)
            rate_headers = self._take_token(data.profile.api_key)
            if REQUIRED_SCOPE not in data.profile.scopes:
                raise _Refusal(
                    403, f"This API key lacks the {REQUIRED_SCOPE} scope needed for {path}"
                )
            if query.repeated:
                name = query.repeated[0]
                raise _Refusal(400, f"Parameter {name} was given more than once: send it once")
            body = route(self, data, query.params)
        except _Refusal as refusal:
            return Response(
                refusal.status,
                {**base, **rate_headers, **refusal.headers},
                _error_body(refusal.code, refusal.message, refusal.status, request_id),
            )
        except Exception:
            # A bug in the data layer must still answer with the envelope and a request id,
            # as the real API would, rather than drop the connection.
            _log.exception("sandbox request %s failed", request_id)
            message = "The sandbox failed to answer; see its log for this request id"
            return Response(
                500,
                {**base, **rate_headers},
                _error_body("internal_error", message, 500, request_id),
            )
        return Response(200, {**base, **rate_headers}, body)

    def _authenticate(self, headers: dict[str, str]) -> ProfileData:
        auth = headers.get("authorization")
        if not auth:
            raise _Refusal(401, "Missing Authorization header: send 'Authorization: Bearer <key>'")
        scheme, _, token = auth.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise _Refusal(
                401, "Malformed Authorization header: send 'Authorization: Bearer <key>'"
            )
        data = self._by_key.get(token)
        if data is None:
            # Never echo the key: it may be a real one sent to the wrong place.
            raise _Refusal(401, "Invalid API key")
        return data

    def _rate_headers(self, key: str) -> dict[str, str]:
        """The budget's headers as they stand, without taking a token."""
        now, rate = self._clock(), self.rate_limit / REFILL_SECONDS
        with self._state.lock:
            bucket = self._state.buckets.get(key)
            tokens = float(self.rate_limit)
            if bucket is not None:
                tokens = min(tokens, bucket.tokens + max(0.0, now - bucket.updated) * rate)
        return {
            "X-RateLimit-Limit": str(self.rate_limit),
            "X-RateLimit-Remaining": str(max(0, math.floor(tokens))),
        }

    def _take_token(self, key: str) -> dict[str, str]:
        now = self._clock()
        rate = self.rate_limit / REFILL_SECONDS
        with self._state.lock:
            bucket = self._state.buckets.get(key)
            if bucket is None:
                bucket = self._state.buckets[key] = _Bucket(float(self.rate_limit), now)
            bucket.tokens = min(
                float(self.rate_limit), bucket.tokens + max(0.0, now - bucket.updated) * rate
            )
            bucket.updated = now
            # The tolerance absorbs float error in the refill (20 s at 3/min is 1.0 token).
            granted = bucket.tokens >= 1.0 - _EPSILON
            if granted:
                bucket.tokens = max(0.0, bucket.tokens - 1.0)
            tokens = bucket.tokens
        headers = {
            "X-RateLimit-Limit": str(self.rate_limit),
            "X-RateLimit-Remaining": str(max(0, math.floor(tokens))),
        }
        if not granted:
            wait = max(1, math.ceil((1.0 - tokens) / rate - _EPSILON))
            raise _Refusal(
                429,
                f"Rate limit of {self.rate_limit} requests per minute exceeded: retry in {wait} s",
                headers={**headers, "Retry-After": str(wait)},
            )
        return headers

    # -- the three paths -----------------------------------------------------------------

    def _campaigns(self, data: ProfileData, params: dict[str, str]) -> bytes:
        with _invalid_parameter():
            date_from, date_to = _date_range(params)
            model = p.check_model(params.get("model", "last_touch"))
            level = params.get("level")
            if level is not None:
                level = p.check_level(level)
            limit = _limit(params, p.CAMPAIGNS_LIMIT)
        return self._envelope(
            data.campaigns(date_from, date_to, model, level, limit),
            {
                "date_from": date_from.isoformat(),
                "date_to": date_to.isoformat(),
                "profile_id": data.profile.profile_id,
            },
        )

    def _trend(self, data: ProfileData, params: dict[str, str]) -> bytes:
        with _invalid_parameter():
            date_from, date_to = _date_range(params)
            ids = _entity_ids(params)
            level = p.check_level(params.get("level", "campaign"))
        assert level is not None  # check_level without optional never answers None
        return self._envelope(
            data.trend(ids, date_from, date_to, level),
            {
                "date_from": date_from.isoformat(),
                "date_to": date_to.isoformat(),
                "profile_id": data.profile.profile_id,
            },
        )

    def _top_performers(self, data: ProfileData, params: dict[str, str]) -> bytes:
        with _invalid_parameter():
            window = p.check_window(params.get("window", "28d"))
            limit = _limit(params, p.TOP_PERFORMERS_LIMIT)
            min_spend = _min_spend(params)
            objectives = _str_list(params, "objectives")
            truth_grades = _str_list(params, "truth_grades")
            outcome_kinds = _str_list(params, "outcome_kinds")
            formats = _str_list(params, "formats")
            has_video = _boolean(params, "has_video")
        rows = data.top_performers(
            window, limit, min_spend, objectives, truth_grades, outcome_kinds, formats, has_video
        )
        return self._envelope(rows, {"profile_id": data.profile.profile_id})

    @staticmethod
    def _envelope(rows: list[dict[str, Any]], meta: dict[str, str]) -> bytes:
        # NaN and numpy scalars would be a data-layer slip; orjson turns them into null and
        # plain numbers rather than failing the request.
        return orjson.dumps({"data": rows, "meta": meta}, option=orjson.OPT_SERIALIZE_NUMPY)


_Route = Callable[[SandboxAPI, "ProfileData", dict[str, str]], bytes]
_ROUTES: dict[str, _Route] = {
    CAMPAIGNS_PATH: SandboxAPI._campaigns,
    TREND_PATH: SandboxAPI._trend,
    TOP_PERFORMERS_PATH: SandboxAPI._top_performers,
}


# -- parameters: query strings converted, then params.check_* -----------------------------
# Every check below raises ArgumentError (or a _Refusal for what only HTTP can get wrong:
# a missing parameter); _invalid_parameter turns the ArgumentError into a 400.


@contextmanager
def _invalid_parameter() -> Iterator[None]:
    try:
        yield
    except ArgumentError as error:
        raise _Refusal(400, str(error)) from None


def _required(params: dict[str, str], name: str, allowed: str) -> str:
    value = params.get(name)
    if value is None:
        raise _Refusal(400, f"Missing required parameter {name}: {allowed}")
    return value


def _date_range(params: dict[str, str]) -> tuple[date, date]:
    # Each day alone first: a bad day is invalid_parameter, only a bad pair of good days
    # is invalid_date_range.
    date_from = p.check_date(_required(params, "date_from", "a date YYYY-MM-DD"), "date_from")
    date_to = p.check_date(_required(params, "date_to", "a date YYYY-MM-DD"), "date_to")
    try:
        p.check_date_range(date_from, date_to)
    except ArgumentError as error:
        raise _Refusal(400, str(error), "invalid_date_range") from None
    return date_from, date_to


def _limit(params: dict[str, str], bounds: tuple[int, int]) -> int:
    value = params.get("limit")
    if value is None:
        return DEFAULT_LIMIT
    # Only plain digits are a whole number on the wire ("1.5", "-1", "ten" and "" are not):
    # anything else goes to the check as the string it is, which refuses it.
    return p.check_limit(int(value) if value.isascii() and value.isdigit() else value, bounds)


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


# -- plumbing -----------------------------------------------------------------------------


class _Query(NamedTuple):
    params: dict[str, str]
    repeated: list[str]


def _parse_query(query: str | Mapping[str, str | Sequence[str]]) -> _Query:
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
    return _Query(params, repeated)


def _bearer(headers: dict[str, str]) -> str:
    scheme, _, token = headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _lower_keys(headers: Mapping[str, str] | None) -> dict[str, str]:
    return {k.lower(): v for k, v in (headers or {}).items()}


def _error_body(code: str, message: str, status: int, request_id: str) -> bytes:
    return orjson.dumps(
        {"error": {"code": code, "message": message, "status": status, "request_id": request_id}}
    )
