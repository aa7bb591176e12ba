"""The HTTP client: auth, rate limit, retries, deadlines, caching and error mapping.

A :class:`Client` owns one ``requests`` session with an adapter whose urllib3 ``Retry``
retries connection errors, 429 and 5xx with exponential backoff and jitter, honouring
``Retry-After`` (whole or fractional seconds, or an HTTP date; garbage is ignored). Retries
stop when the next wait would take the request past ``max_wait`` seconds in all: a 429
is retried as long as that budget lasts, other faults at most ``max_retries`` times.

Every request, first attempts and retries alike, first takes a token from the key's
shared budget (:mod:`atribu_pandas.ratelimit`: one per key and server for every process
using the same cache folder, at the highest rate any client asked for) and, for a client
asking for a lower rate, from a bucket of its own (so it slows only itself). The budget
also follows the server's ``X-RateLimit-Remaining``, so callers it cannot see (another
machine on the same key) slow it down too.

Each attempt has ``timeout`` seconds in all to connect, get its headers and read its body
(urllib3's total timeout covers the first two; a watchdog closes the socket when the body
outlasts the rest), and its body may not decompress past ``max_body_bytes``. An answer
is stored in the key's :class:`~atribu_pandas.cache.ResponseCache` only once it parsed,
echoed the request's dates and, for the loaders, validated as a frame
(:meth:`Client.keep`). Cache hits cost no token.

Every failure leaves this module as an :class:`~atribu_pandas.exceptions.AtribuError`
with the request id when the server sent one: non-2xx statuses through
:func:`error_from_response`, ``requests`` exceptions through :func:`error_from_exception`,
bodies that are not the documented envelope as
:class:`~atribu_pandas.exceptions.ResponseError`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import email.utils
import math
import os
import re
import socket
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import orjson
import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import (
    ConnectTimeoutError,
    DecodeError,
    MaxRetryError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
)
from urllib3.util.retry import RequestHistory, Retry
from urllib3.util.timeout import Timeout

from atribu_pandas import exceptions as exc
from atribu_pandas._version import __version__
from atribu_pandas.cache import RECENT_EXPIRY, FrameMemo, ResponseCache, key_fingerprint
from atribu_pandas.config import (
    DEFAULT_RATE_LIMIT,
    DEFAULT_TIMEOUT,
    MAX_BODY_BYTES,
    MAX_WAIT_SECONDS,
    ClientOptions,
    Settings,
    check_client_options,
    mask_key,
    progress_disabled,
    resolve_settings,
)
from atribu_pandas.ratelimit import TokenBucket, shared_budget

__all__ = [
    "ApiResponse",
    "Client",
    "error_from_exception",
    "error_from_response",
    "parse_retry_after",
]

RETRY_STATUSES = (429, 500, 502, 503, 504)
# A 429 is retried while the wait budget lasts; this only stops a server that answers
# "Retry-After: 0" forever.
MAX_RATE_LIMIT_RETRIES = 50
# Bytes read (before decompression) per step of a streamed body: small, so one step of a
# gzip bomb inflates to at most a few MB before the size cap is checked.
_READ_STEP = 16 * 1024
_SECONDS = re.compile(r"\s*(\d+(?:\.\d+)?)\s*")
_STATUS_ERRORS: dict[int, type[exc.APIError]] = {
    400: exc.BadRequestError,
    401: exc.AuthenticationError,
    403: exc.PermissionDeniedError,
    404: exc.NotFoundError,
    429: exc.RateLimitError,
}


def parse_retry_after(value: str | None, *, now: dt.datetime | None = None) -> float | None:
    """Return the seconds a ``Retry-After`` value asks for, or None when it says nothing usable.

    Parameters
    ----------
    value : str or None
        Whole or fractional seconds (``"2"``, ``"1.5"``) or an HTTP date.
    now : datetime, optional
        The current UTC time (for tests).

    Returns
    -------
    float or None
        Seconds (never negative: a date in the past is 0), or None for a missing or
        unreadable value, which the caller treats as no header at all.

    Examples
    --------
    >>> parse_retry_after("1.5")
    1.5
    >>> parse_retry_after("soon") is None
    True
    >>> now = dt.datetime(2026, 3, 1, 12, 0, 0, tzinfo=dt.UTC)
    >>> parse_retry_after("Sun, 01 Mar 2026 12:00:30 GMT", now=now)
    30.0
    """
    if value is None:
        return None
    match = _SECONDS.fullmatch(value)
    if match:
        seconds = float(match.group(1))
        return seconds if math.isfinite(seconds) else None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    now = now or dt.datetime.now(dt.UTC)
    return max(0.0, (when - now).total_seconds())


class _LimitedRetry(Retry):
    """urllib3 ``Retry`` with a total wait budget, tolerant ``Retry-After`` parsing, 429s
    retried for as long as the budget lasts, and rate-limit tokens taken before each retry."""

    buckets: tuple[TokenBucket, ...] = ()
    max_wait: float = MAX_WAIT_SECONDS
    waited: float = 0.0
    rate_limited: int = 0
    planned: float | None = None

    def new(self, **kw: Any) -> _LimitedRetry:
        retry = super().new(**kw)
        retry.buckets = self.buckets
        retry.max_wait = self.max_wait
        retry.waited = self.waited
        retry.rate_limited = self.rate_limited
        return retry

    def parse_retry_after(self, retry_after: str) -> float:
        # urllib3 refuses "1.5" with InvalidHeader, which requests reported as a bad key.
        seconds = parse_retry_after(retry_after)
        return seconds if seconds is not None else -1.0

    def get_retry_after(self, response: Any) -> float | None:
        seconds = super().get_retry_after(response)
        return None if seconds is None or seconds < 0 else seconds

    def increment(
        self,
        method: str | None = None,
        url: str | None = None,
        response: Any = None,
        error: Exception | None = None,
        _pool: Any = None,
        _stacktrace: Any = None,
    ) -> _LimitedRetry:
        retry: _LimitedRetry
        if getattr(response, "status", None) == 429:
            # A 429 spends the wait budget, not the retry count.
            history = (*self.history, RequestHistory(method, url, None, 429, None))
            retry = self.new(history=history)
            retry.rate_limited = self.rate_limited + 1
        else:
            retry = super().increment(  # type: ignore[assignment]
                method, url, response, error, _pool, _stacktrace
            )
        wait = retry.get_retry_after(response) if response is not None else None
        if wait is None:
            wait = retry.get_backoff_time()
        if self.waited + wait > self.max_wait or retry.rate_limited > MAX_RATE_LIMIT_RETRIES:
            # With raise_on_status=False urllib3 then returns this response as the answer;
            # without a response (a connection error) the error reaches the caller.
            raise MaxRetryError(_pool, str(url), error)
        retry.planned = wait
        retry.waited = self.waited + wait
        return retry

    def sleep(self, response: Any = None) -> None:
        if self.planned is not None:
            time.sleep(self.planned)
        else:
            super().sleep(response)
        for bucket in self.buckets:
            bucket.acquire()
        _attempt.started = time.monotonic()


# When the current thread's latest attempt went out: the deadline of its body counts from
# there (retries happen inside urllib3, out of the client's sight).
_attempt = threading.local()


class _LimitedAdapter(HTTPAdapter):
    """Adapter that takes tokens before each request that really goes out, and follows
    the server's ``X-RateLimit-Remaining``."""

    def __init__(self, buckets: tuple[TokenBucket, ...], retry: Retry, pool_size: int) -> None:
        self.buckets = buckets
        super().__init__(max_retries=retry, pool_connections=pool_size, pool_maxsize=pool_size)

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
        for bucket in self.buckets:
            bucket.acquire()
        _attempt.started = time.monotonic()
        response = super().send(request, *args, **kwargs)
        remaining = response.headers.get("X-RateLimit-Remaining", "")
        if remaining.isascii() and remaining.isdigit():
            self.buckets[0].observe(int(remaining))
        return response


@dataclass(frozen=True)
class ApiResponse:
    """A parsed success envelope and where it came from."""

    data: list[dict[str, Any]]
    meta: dict[str, Any]
    url: str
    request_id: str | None
    from_cache: bool
    fetched_at: str
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict, repr=False)
    # The raw answer and its cache entry name, until Client.keep stores it.
    raw: requests.Response | None = field(default=None, repr=False, compare=False)
    cache_key: str | None = field(default=None, repr=False, compare=False)
    expire_after: dt.timedelta | None = field(default=None, repr=False, compare=False)


def _request_id(response: requests.Response, body: Any = None) -> str | None:
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        rid = body["error"].get("request_id")
        if isinstance(rid, str) and rid:
            return rid[:200]
    header = response.headers.get("X-Request-Id")
    return header[:200] if header else None


def error_from_response(response: requests.Response) -> exc.APIError:
    """Map a non-2xx response to the matching :class:`~atribu_pandas.exceptions.APIError`.

    The error envelope ``{"error": {"code", "message", "status", "request_id"}}`` gives the
    code, message and request id; a body that is not the envelope still gives the status,
    the ``X-Request-Id`` header and the start of the body. ``Retry-After`` is kept as
    seconds when it is readable and left out when it is not.

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> sb = ap.sandbox.start()
    >>> r = requests.get(sb.url + "/api/v1/campaigns")
    >>> error_from_response(r).code
    'unauthorized'
    >>> sb.stop()
    """
    try:
        body = orjson.loads(response.content)
    except orjson.JSONDecodeError:
        body = None
    envelope = body.get("error") if isinstance(body, dict) else None
    if isinstance(envelope, dict):
        code = str(envelope.get("code") or f"http_{response.status_code}")[:100]
        message = str(envelope.get("message") or response.reason or "")[:2000]
    else:
        code = f"http_{response.status_code}"
        text = response.content[:200].decode("utf-8", "replace").strip()
        message = f"{response.reason or 'error'}; the body is not Atribu's error envelope: {text!r}"
    status = response.status_code
    cls = _STATUS_ERRORS.get(status)
    if cls is None:
        cls = exc.ServerError if status >= 500 else exc.APIError
    return cls(
        message,
        status=status,
        code=code,
        request_id=_request_id(response, body),
        url=response.url,
        retry_after=parse_retry_after(response.headers.get("Retry-After")),
    )


def error_from_exception(
    error: BaseException, url: str, request_id: str | None = None
) -> exc.AtribuError:
    """Map a ``requests`` or urllib3 exception to an :class:`~atribu_pandas.exceptions.AtribuError`.

    Timeouts, including a read timeout that outlasted its retries (which ``requests``
    reports as a ``ConnectionError``), become :class:`~atribu_pandas.exceptions.TimeoutError`;
    connection failures become :class:`~atribu_pandas.exceptions.ConnectionError`; a body
    that cannot be decoded becomes :class:`~atribu_pandas.exceptions.ResponseError`;
    anything else a :class:`~atribu_pandas.exceptions.TransportError`.

    Examples
    --------
    >>> e = error_from_exception(requests.ReadTimeout("slow"), "http://127.0.0.1:9/x")
    >>> type(e).__name__
    'TimeoutError'
    """
    reason = getattr(error.args[0], "reason", None) if error.args else None
    name = type(error).__name__
    where = {"url": url, "request_id": request_id}
    # urllib3 makes a refused connection a subclass of its connect timeout: not a timeout.
    timed_out = isinstance(reason, ReadTimeoutError | ConnectTimeoutError) and not isinstance(
        reason, NewConnectionError
    )
    if isinstance(error, requests.Timeout | ReadTimeoutError | socket.timeout) or timed_out:
        return exc.TimeoutError(f"timed out requesting {url} ({name}: {reason or error})", **where)
    if isinstance(error, requests.exceptions.RetryError):
        return exc.ConnectionError(f"retries ran out requesting {url}: {error}", **where)
    if isinstance(error, requests.ConnectionError):
        return exc.ConnectionError(f"could not connect to {url} ({name}: {error})", **where)
    if isinstance(error, requests.exceptions.InvalidHeader):
        # Its text repeats the header's value, which for Authorization is the key.
        return exc.TransportError(
            f"a request header to {url} was refused as invalid (check the API key for stray "
            "characters)",
            **where,
        )
    if isinstance(
        error,
        requests.exceptions.ContentDecodingError
        | requests.exceptions.JSONDecodeError
        | DecodeError,
    ):
        return exc.ResponseError(f"could not decode the response from {url}: {error}", **where)
    # requests' exceptions are OSErrors too: only a raw one means a connection that broke.
    if isinstance(error, ProtocolError | OSError) and not isinstance(
        error, requests.RequestException
    ):
        return exc.ConnectionError(
            f"the connection broke while reading the answer from {url} ({name}: {error})", **where
        )
    return exc.TransportError(f"request to {url} failed ({name}: {error})", **where)


def _is_interactive() -> bool:
    if progress_disabled():
        return False
    if sys.stderr is not None and sys.stderr.isatty():
        return True
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None  # type: ignore[attr-defined]
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


def _socket_of(response: requests.Response) -> socket.socket | None:
    connection = getattr(response.raw, "connection", None) or getattr(
        response.raw, "_connection", None
    )
    sock = getattr(connection, "sock", None)
    return sock if isinstance(sock, socket.socket) else None


def _shutdown(sock: socket.socket | None) -> None:
    if sock is not None:
        # Already closed: the read has ended anyway.
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


class Client:
    """A connection to Atribu's Campaigns API (or the sandbox).

    Every argument is checked here, so a bad one is refused before any request.

    Parameters
    ----------
    api_key : str, optional
        The key (``atb_live_...``); default ``ATRIBU_API_KEY``. Sent only in the
        ``Authorization`` header; never written to disk, a repr or an error.
    base_url : str, optional
        Default ``ATRIBU_BASE_URL``, else ``https://www.atribu.app``.
    cache : bool, default True
        Cache validated answers in a SQLite file private to this key (see
        :mod:`atribu_pandas.cache`); an unusable cache folder means no cache, with a
        :class:`~atribu_pandas.cache.CacheWarning`.
    cache_dir : str or path, optional
        Default ``ATRIBU_CACHE_DIR``, else the user cache directory.
    timeout : float, default 30
        Seconds one attempt may take in all: connecting, the headers and the whole body
        (0 < timeout <= 600).
    max_retries : int, default 3
        Retries after the first attempt for connection errors, timeouts and 5xx (0 to 10).
    backoff_factor : float, default 0.5
        Exponential backoff: about ``backoff_factor * 2**(n-1)`` seconds before retry ``n``,
        plus up to ``backoff_factor`` of random jitter; ``Retry-After`` wins when present.
    rate_limit : int, default 60
        Requests per minute this client allows itself. Clients of one key share the
        highest rate any of them asks for; a lower one slows only its own client.
    progress : bool, optional
        Progress bars on multi-request loads; default only when interactive. Set
        ``ATRIBU_PROGRESS=0`` to turn them off everywhere.
    max_body_bytes : int, default 64 MiB
        The largest answer accepted, after decompression.
    max_wait : float, default 120
        Seconds one request may spend waiting between retries in all; 429s are retried
        for as long as it lasts. A ``Retry-After`` beyond it is not waited for.

    Raises
    ------
    ArgumentError
        An argument of the wrong type or out of range, by name.
    ConfigurationError
        No key (the message names ``ATRIBU_API_KEY`` and the sandbox) or a bad base URL.

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> sb = ap.sandbox.start()
    >>> client = ap.Client(api_key=sb.api_key, base_url=sb.url, cache=False)
    >>> client.get("/api/v1/campaigns", {"date_from": "2026-03-01", "date_to": "2026-03-25"}).meta[
    ...     "date_from"
    ... ]
    '2026-03-01'
    >>> sb.stop()
    """

    # Set first, so repr and close work on a client whose __init__ failed half-way.
    _settings: Settings | None = None
    _cache: ResponseCache | None = None
    _session: requests.Session | None = None
    options: ClientOptions = ClientOptions()

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        cache: bool = True,
        cache_dir: str | os.PathLike[str] | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        max_retries: int = 3,
        backoff_factor: float = 0.5,
        rate_limit: int = DEFAULT_RATE_LIMIT,
        progress: bool | None = None,
        max_body_bytes: int = MAX_BODY_BYTES,
        max_wait: float = MAX_WAIT_SECONDS,
    ) -> None:
        self._settings = resolve_settings(api_key, base_url, cache_dir)
        self.options = check_client_options(
            cache=cache,
            timeout=timeout,
            max_retries=max_retries,
            backoff_factor=backoff_factor,
            rate_limit=rate_limit,
            progress=progress,
            max_body_bytes=max_body_bytes,
            max_wait=max_wait,
        )
        o = self.options
        self.progress = _is_interactive() if o.progress is None else o.progress
        self.frames = FrameMemo()
        s = self._settings
        shared = shared_budget(s.api_key, s.base_url, s.cache_dir, o.rate_limit)
        self._buckets: tuple[TokenBucket, ...] = (shared,)
        if o.rate_limit < shared.capacity:
            self._buckets = (shared, TokenBucket(o.rate_limit))
        retry = _LimitedRetry(
            total=o.max_retries,
            connect=o.max_retries,
            read=o.max_retries,
            status=o.max_retries,
            other=0,
            redirect=0,
            status_forcelist=RETRY_STATUSES,
            allowed_methods=frozenset({"GET"}),
            backoff_factor=o.backoff_factor,
            backoff_jitter=o.backoff_factor,
            respect_retry_after_header=True,
            # The last response is returned, then mapped to our error with its body.
            raise_on_status=False,
        )
        retry.buckets = self._buckets
        retry.max_wait = o.max_wait
        self._cache = (
            ResponseCache.open(self._settings.cache_dir, self._settings.api_key)
            if (o.cache)
            else None
        )
        self._session = requests.Session()
        adapter = _LimitedAdapter(self._buckets, retry, pool_size=10)
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)
        self._session.headers.update(
            {
                "Authorization": f"Bearer {self._settings.api_key}",
                "User-Agent": f"atribu-pandas/{__version__}",
                "Accept": "application/json",
                "Accept-Encoding": "gzip, deflate",
            }
        )

    @property
    def base_url(self) -> str:
        """The API's base URL."""
        return self._settings.base_url if self._settings is not None else ""

    @property
    def cache_enabled(self) -> bool:
        """True when answers are cached (asked for, and the cache folder is usable)."""
        return self._cache is not None

    @property
    def timeout(self) -> float:
        """Seconds one attempt may take: connecting, the headers and the whole body."""
        return self.options.timeout

    @property
    def rate_limit(self) -> int:
        """Requests per minute this client allows itself."""
        return self.options.rate_limit

    @property
    def is_sandbox(self) -> bool:
        """True when the key is a sandbox key: frames from this client are demo data."""
        return self._settings is not None and self._settings.is_sandbox

    @property
    def key_fingerprint(self) -> str:
        """A hash of the key that names its cache and memo entries (not reversible)."""
        return key_fingerprint(self._settings.api_key) if self._settings is not None else ""

    def __repr__(self) -> str:
        if self._settings is None:
            return "Client(<not configured>)"
        cache = str(self._cache.path.parent) if self._cache is not None else "off"
        return (
            f"Client(base_url={self.base_url!r}, api_key={mask_key(self._settings.api_key)!r}, "
            f"cache={cache!r})"
        )

    def close(self) -> None:
        """Close the HTTP session and its cache connection."""
        if self._session is not None:
            self._session.close()
        if self._cache is not None:
            self._cache.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __getstate__(self) -> dict[str, Any]:
        # Pickling a client would write the key wherever the pickle goes.
        raise TypeError("Client objects hold a secret key and cannot be pickled")

    def get(
        self,
        path: str,
        params: dict[str, str | int | None],
        *,
        expire_after: dt.timedelta | None = None,
        refresh: bool = False,
        keep: bool = True,
    ) -> ApiResponse:
        """GET ``path`` and return the parsed success envelope.

        Parameters
        ----------
        path : str
            Such as ``"/api/v1/campaigns"``.
        params : dict
            Query parameters; ``None`` values are left out.
        expire_after : datetime.timedelta, optional
            How long the cache keeps this response (default 15 minutes; the loaders pass
            :func:`~atribu_pandas.cache.expire_after_for`).
        refresh : bool, default False
            Skip the cache and overwrite its entry with a fresh response.
        keep : bool, default True
            Store a fresh answer in the cache at once. The loaders pass False and call
            :meth:`keep` once the frame validated, so a drifted answer is never stored.

        Returns
        -------
        ApiResponse

        Raises
        ------
        APIError, TransportError, ResponseError
            Every failure, mapped in one place, with the request id when there is one.

        Examples
        --------
        >>> import atribu_pandas as ap
        >>> sb = ap.sandbox.start()
        >>> r = sb.client(cache=False).get("/api/v1/top-performers", {"limit": 3})
        >>> len(r.data)
        3
        >>> sb.stop()
        """
        assert self._session is not None
        url = self.base_url + path
        query = {k: str(v) for k, v in params.items() if v is not None}
        request = self._session.prepare_request(requests.Request("GET", url, params=query))
        lifetime = expire_after if expire_after is not None else RECENT_EXPIRY
        cache_key = self._cache.key_for(request) if self._cache is not None else None
        if self._cache is not None and cache_key is not None and not refresh:
            hit = self._cache.get(cache_key)
            if hit is not None:
                return self._parse(hit, hit.content, query, from_cache=True)
        response, content = self._fetch(request)
        if not 200 <= response.status_code < 300:
            raise error_from_response(response)
        parsed = self._parse(response, content, query, from_cache=False)
        parsed = dataclasses.replace(
            parsed, raw=response, cache_key=cache_key, expire_after=lifetime
        )
        if keep:
            self.keep([parsed])
        return parsed

    def keep(self, responses: list[ApiResponse]) -> None:
        """Store fresh answers in the cache (the loaders call it once their frame validated).

        Answers that came from the cache, or when the cache is off, are left alone; a
        failed write warns and goes on.

        Examples
        --------
        >>> import atribu_pandas as ap
        >>> sb = ap.sandbox.start()
        >>> c = sb.client()
        >>> r = c.get("/api/v1/top-performers", {"limit": 2}, keep=False)
        >>> c.cache_info()["responses"]
        0
        >>> c.keep([r])
        >>> c.cache_info()["responses"]
        1
        >>> sb.stop()
        """
        if self._cache is None:
            return
        for response in responses:
            if response.raw is None or response.cache_key is None or response.from_cache:
                continue
            self._cache.put(
                response.raw, response.cache_key, response.expire_after or RECENT_EXPIRY
            )

    def _fetch(self, request: requests.PreparedRequest) -> tuple[requests.Response, bytes]:
        """Send ``request`` (with the adapter's retries) and read its body within the
        deadline and the size cap."""
        assert self._session is not None
        url = request.url or self.base_url
        timeout = self.options.timeout
        # urllib3's total bounds connecting and the headers together; the watchdog below
        # bounds the body by the same clock, so one attempt takes at most `timeout`.
        limits = Timeout(total=timeout, connect=timeout, read=timeout)
        try:
            # requests passes a urllib3 Timeout through as it is (its stubs say otherwise).
            response = self._session.send(request, stream=True, timeout=limits)  # type: ignore[arg-type]
        except requests.RequestException as error:
            raise error_from_exception(error, url) from None
        rid = _request_id(response)
        cap = self.options.max_body_bytes
        sock = _socket_of(response)
        expired = threading.Event()

        def _deadline() -> None:
            expired.set()
            _shutdown(sock)

        started = getattr(_attempt, "started", time.monotonic())
        watchdog = threading.Timer(max(0.0, started + timeout - time.monotonic()), _deadline)
        watchdog.daemon = True
        watchdog.start()
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in response.raw.stream(_READ_STEP, decode_content=True):
                size += len(chunk)
                if size > cap:
                    raise exc.ResponseError(
                        f"the answer from {response.url} is larger than max_body_bytes={cap:,} "
                        "bytes once decompressed; it was refused unread. Raise max_body_bytes "
                        "if such answers are expected.",
                        request_id=rid,
                        url=response.url,
                    )
                chunks.append(chunk)
                if expired.is_set():
                    break
        except exc.AtribuError:
            response.close()
            raise
        except Exception as error:
            response.close()
            if expired.is_set():
                raise self._deadline_error(response, rid) from None
            raise error_from_exception(error, response.url, rid) from None
        finally:
            watchdog.cancel()
        if expired.is_set():
            response.close()
            raise self._deadline_error(response, rid)
        content = b"".join(chunks)
        response._content = content
        response._content_consumed = True  # type: ignore[attr-defined]
        return response, content

    def _deadline_error(self, response: requests.Response, rid: str | None) -> exc.TimeoutError:
        return exc.TimeoutError(
            f"timed out reading the answer from {response.url}: it did not arrive in full "
            f"within timeout={self.options.timeout:g} s",
            request_id=rid,
            url=response.url,
        )

    def _parse(
        self,
        response: requests.Response,
        content: bytes,
        query: dict[str, str],
        *,
        from_cache: bool,
    ) -> ApiResponse:
        rid = _request_id(response)
        where = {"request_id": rid, "url": response.url}
        try:
            body = orjson.loads(content)
        except orjson.JSONDecodeError as error:
            start = content[:80].decode("utf-8", "replace")
            raise exc.ResponseError(
                f"the response is not JSON ({error}); it starts {start!r}", **where
            ) from None
        if not isinstance(body, dict) or not isinstance(body.get("data"), list):
            keys = sorted(body)[:10] if isinstance(body, dict) else type(body).__name__
            raise exc.ResponseError(
                f'the response is not the {{"data": [...], "meta": {{...}}}} envelope (got {keys})',
                **where,
            )
        meta = body.get("meta")
        if not isinstance(meta, dict):
            raise exc.ResponseError("the response has no meta object", **where)
        for name in ("date_from", "date_to"):
            # An answer for another window would be cached and shown as this one. A meta
            # without the dates is allowed (the reference page does not promise them).
            if name in query and name in meta and meta[name] != query[name]:
                raise exc.ResponseError(
                    f"the response's meta.{name}={meta.get(name)!r} does not echo the "
                    f"requested {name}={query[name]!r}; it was refused and not cached",
                    **where,
                )
        created = getattr(response, "created_at", None) if from_cache else None
        fetched = created if isinstance(created, dt.datetime) else dt.datetime.now(dt.UTC)
        if fetched.tzinfo is None:
            fetched = fetched.replace(tzinfo=dt.UTC)
        return ApiResponse(
            data=body["data"],
            meta=meta,
            url=response.url,
            request_id=rid,
            from_cache=from_cache,
            fetched_at=fetched.isoformat(timespec="seconds"),
            status=response.status_code,
            headers=dict(response.headers),
        )

    def cache_info(self) -> dict[str, Any]:
        """Describe this key's cache: whether it is on, its file, entries and size.

        Examples
        --------
        >>> import atribu_pandas as ap
        >>> sb = ap.sandbox.start()
        >>> sb.client(cache=False).cache_info()["enabled"]
        False
        >>> sb.stop()
        """
        info: dict[str, Any] = {
            "enabled": self.cache_enabled,
            "path": None,
            "responses": 0,
            "size_bytes": 0,
            "frames_in_memory": len(self.frames),
        }
        if self._cache is not None:
            path = self._cache.path
            info.update(
                path=str(path),
                responses=self._cache.count(),
                size_bytes=path.stat().st_size if path.exists() else 0,
            )
        return info

    def clear_cache(self) -> None:
        """Forget every cached response and in-memory frame for this key.

        Examples
        --------
        >>> import atribu_pandas as ap
        >>> sb = ap.sandbox.start()
        >>> c = sb.client()
        >>> c.clear_cache()
        >>> c.cache_info()["responses"]
        0
        >>> sb.stop()
        """
        self.frames.clear()
        if self._cache is not None:
            self._cache.clear()
