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
7. Parameters (``query``) are checked in a fixed order by
   the client's own checks (``core.params``), so both sides refuse the
   same values: the query strings are first converted where the check wants a number
   or a boolean, and the first :class:`~atribu_pandas.ArgumentError`
   answers 400 ``invalid_parameter`` with its text (the parameter and what is
   allowed); a reversed range or one over ``params.MAX_RANGE_DAYS`` days answers 400
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
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

import orjson

from atribu_pandas.core.config import CAMPAIGNS_PATH, TOP_PERFORMERS_PATH, TREND_PATH
from atribu_pandas.sandbox.creatives import THUMBNAILS_PATH, served_addresses, thumbnail_answer
from atribu_pandas.sandbox.faults import Fault, fault_answer, make_fault, tamper
from atribu_pandas.sandbox.query import (
    Query,
    campaigns_args,
    parse_query,
    top_performers_args,
    trend_args,
)
from atribu_pandas.sandbox.refusal import STATUS_CODES, Refusal, error_body

if TYPE_CHECKING:
    from atribu_pandas.sandbox.queries import ProfileData

__all__ = [
    "REQUIRED_SCOPE",
    "RequestRecord",
    "Response",
    "SandboxAPI",
]

REQUIRED_SCOPE = "campaigns:read"

REFILL_SECONDS = 60.0
# Requests remembered for Sandbox.requests; older ones drop off, the count keeps going.
REQUEST_LOG_SIZE = 10_000

_log = logging.getLogger(__name__)
_EPSILON = 1e-9
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
            One of ``FAULT_KINDS``: ``error``,
            ``rate_limit``, ``slow``, ``stall``, ``drip``, ``malformed``, ``gzip_bomb``,
            ``echo_key``, ``tamper``; the table in ``sandbox.faults``
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
        origin: str | None = None,
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
        origin : str, optional
            ``http://host:port`` the request reached (the server passes it): thumbnails
            are served there (``creatives``), outside the API's
            keys, budget, faults and request log.

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
        if origin is not None and path.startswith(THUMBNAILS_PATH + "/"):
            return Response(*thumbnail_answer(path, _lower_keys(headers)))
        request_id = "req_" + secrets.token_hex(12)
        parsed = parse_query(query)
        response = self._answer(method.upper(), path, parsed, _lower_keys(headers), request_id)
        if origin is not None and path == TOP_PERFORMERS_PATH and response.status == 200:
            response = response._replace(body=served_addresses(response.body, origin))
        record = RequestRecord(method.upper(), path, parsed.params, response.status, request_id)
        with self._state.lock:
            self._state.log.append(record)
            self._state.count += 1
        return response

    def _answer(
        self,
        method: str,
        path: str,
        query: Query,
        headers: dict[str, str],
        request_id: str,
    ) -> Response:
        base = {"Content-Type": _JSON, "X-Request-Id": request_id}
        with self._state.lock:
            fault = self._state.faults.popleft() if self._state.faults else None
        if fault is None:
            return self._route(method, path, query, headers, request_id, base)
        replaced = fault_answer(fault, request_id, headers.get("authorization", ""), STATUS_CODES)
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
        query: Query,
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
                raise Refusal(404, f"No route for {path!r}: the paths are {', '.join(_ROUTES)}")
            if method != "GET":
                base["Allow"] = "GET"
                raise Refusal(405, f"Method {method} is not allowed on {path}: use GET")
            data = self._authenticate(headers)
            rate_headers = self._take_token(data.profile.api_key)
            if REQUIRED_SCOPE not in data.profile.scopes:
                raise Refusal(
                    403, f"This API key lacks the {REQUIRED_SCOPE} scope needed for {path}"
                )
            if query.repeated:
                name = query.repeated[0]
                raise Refusal(400, f"Parameter {name} was given more than once: send it once")
            body = route(self, data, query.params)
        except Refusal as refusal:
            return Response(
                refusal.status,
                {**base, **rate_headers, **refusal.headers},
                error_body(refusal.code, refusal.message, refusal.status, request_id),
            )
        except Exception:
            # A bug in the data layer must still answer with the envelope and a request id,
            # as the real API would, rather than drop the connection.
            _log.exception("sandbox request %s failed", request_id)
            message = "The sandbox failed to answer; see its log for this request id"
            return Response(
                500,
                {**base, **rate_headers},
                error_body("internal_error", message, 500, request_id),
            )
        return Response(200, {**base, **rate_headers}, body)

    def _authenticate(self, headers: dict[str, str]) -> ProfileData:
        auth = headers.get("authorization")
        if not auth:
            raise Refusal(401, "Missing Authorization header: send 'Authorization: Bearer <key>'")
        scheme, _, token = auth.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise Refusal(401, "Malformed Authorization header: send 'Authorization: Bearer <key>'")
        data = self._by_key.get(token)
        if data is None:
            # Never echo the key: it may be a real one sent to the wrong place.
            raise Refusal(401, "Invalid API key")
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
            raise Refusal(
                429,
                f"Rate limit of {self.rate_limit} requests per minute exceeded: retry in {wait} s",
                headers={**headers, "Retry-After": str(wait)},
            )
        return headers

    # -- the three paths -----------------------------------------------------------------

    def _campaigns(self, data: ProfileData, params: dict[str, str]) -> bytes:
        date_from, date_to, model, level, limit = campaigns_args(params)
        return self._envelope(
            data.campaigns(date_from, date_to, model, level, limit),
            {
                "date_from": date_from.isoformat(),
                "date_to": date_to.isoformat(),
                "profile_id": data.profile.profile_id,
            },
        )

    def _trend(self, data: ProfileData, params: dict[str, str]) -> bytes:
        date_from, date_to, ids, level = trend_args(params)
        return self._envelope(
            data.trend(ids, date_from, date_to, level),
            {
                "date_from": date_from.isoformat(),
                "date_to": date_to.isoformat(),
                "profile_id": data.profile.profile_id,
            },
        )

    def _top_performers(self, data: ProfileData, params: dict[str, str]) -> bytes:
        rows = data.top_performers(*top_performers_args(params))
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


# -- plumbing -----------------------------------------------------------------------------


def _bearer(headers: dict[str, str]) -> str:
    scheme, _, token = headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _lower_keys(headers: Mapping[str, str] | None) -> dict[str, str]:
    return {k.lower(): v for k, v in (headers or {}).items()}
