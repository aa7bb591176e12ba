"""How one request travels: rate-limit tokens, bounded retries, a deadline and a size cap.

:func:`new_session` makes the ``requests`` session a :class:`~atribu_pandas.Client`
sends through: its adapter's urllib3 ``Retry`` retries connection errors, 429 and 5xx with
exponential backoff and jitter, honouring ``Retry-After`` (read by
``parse_retry_after``), and stops when the next wait would
take the request past ``max_wait`` seconds in all. Every attempt, retries included, first
takes a token from each of the client's buckets (``client.ratelimit``), and the
shared budget follows the server's ``X-RateLimit-Remaining``.

:func:`fetch` sends a request and reads its body within the attempt's ``timeout`` and
``max_body_bytes`` once decompressed. Its failures are
:class:`~atribu_pandas.AtribuError` already.

The deadline: a socket timeout bounds each wait for a byte, not the attempt, so a server
that drips one byte a second (in the headers or the body), or sends ``100 Continue``
forever, would hold a read for as long as it likes. So the session's connections arm a
timer when they start reading an answer; at ``timeout`` seconds after the attempt went out
it shuts the socket down, which ends any blocked read at once, and the attempt fails as a
:class:`~atribu_pandas.AtribuTimeoutError`.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from requests.auth import AuthBase
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import MaxRetryError
from urllib3.util.retry import RequestHistory, Retry
from urllib3.util.timeout import Timeout

from atribu_pandas import exceptions as exc
from atribu_pandas.client.cancellation import Cancelled, pause
from atribu_pandas.client.cancellation import current as current_cancellation
from atribu_pandas.client.http_errors import error_from_exception, parse_retry_after, request_id_of
from atribu_pandas.client.ratelimit import TokenBucket
from atribu_pandas.core.config import MAX_WAIT_SECONDS, ClientOptions
from atribu_pandas.core.redact import ScrubbingFilter
from atribu_pandas.core.version import __version__

__all__ = [
    "MAX_RATE_LIMIT_RETRIES",
    "RETRY_STATUSES",
    "fetch",
    "new_plain_session",
    "new_session",
]

RETRY_STATUSES = (429, 500, 502, 503, 504)
# A 429 is retried while the wait budget lasts; this only stops a server that answers
# "Retry-After: 0" forever.
MAX_RATE_LIMIT_RETRIES = 50
# Bytes read (before decompression) per step of a streamed body: small, so one step of a
# gzip bomb inflates to at most a few MB before the size cap is checked.
_READ_STEP = 16 * 1024


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
        # Interruptible: a cancelled load's worker stops waiting at once.
        pause(self.planned if self.planned is not None else self.get_backoff_time())
        for bucket in self.buckets:
            bucket.acquire()
        _attempt.started = time.monotonic()


# The current thread's attempt: when it went out (``started``; retries happen inside
# urllib3, out of the client's sight), its ``timeout``, the armed ``timer`` and whether it
# ``expired``.
_attempt = threading.local()


def _arm(shutdown: Any) -> None:
    """Shut the answer's socket down when the current attempt's time is up, or when its
    load is cancelled."""
    timeout = getattr(_attempt, "timeout", None)
    if timeout is None or shutdown is None:
        return
    _disarm()
    cancellation = current_cancellation()
    if cancellation is not None:
        cancellation.add(shutdown)
        _attempt.watched = (cancellation, shutdown)
    expired = threading.Event()

    def fire() -> None:
        expired.set()
        # Already closed: the read has ended anyway.
        with contextlib.suppress(OSError):
            shutdown(socket.SHUT_RDWR)

    left = max(0.0, getattr(_attempt, "started", time.monotonic()) + timeout - time.monotonic())
    timer = threading.Timer(left, fire)
    timer.daemon = True
    timer.start()
    _attempt.timer, _attempt.expired = timer, expired


def _disarm() -> None:
    timer = getattr(_attempt, "timer", None)
    if timer is not None:
        timer.cancel()
        _attempt.timer = None
    watched = getattr(_attempt, "watched", None)
    if watched is not None:
        watched[0].discard(watched[1])
        _attempt.watched = None


def _expired() -> bool:
    expired = getattr(_attempt, "expired", None)
    return bool(expired is not None and expired.is_set())


class _DeadlineConnection(HTTPConnection):
    def getresponse(self) -> Any:  # type: ignore[override]
        # Taken before urllib3 hands the socket to the response (and may drop its own
        # reference for a Connection: close answer).
        _arm(getattr(self.sock, "shutdown", None))
        return super().getresponse()


class _DeadlineHTTPSConnection(HTTPSConnection):
    def getresponse(self) -> Any:  # type: ignore[override]
        _arm(getattr(self.sock, "shutdown", None))
        return super().getresponse()


class _DeadlinePool(HTTPConnectionPool):
    ConnectionCls = _DeadlineConnection


class _DeadlineHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _DeadlineHTTPSConnection


_DEADLINE_POOLS = {"http": _DeadlinePool, "https": _DeadlineHTTPSPool}


class _LimitedAdapter(HTTPAdapter):
    """Adapter that takes tokens before each request that really goes out, and follows
    the server's ``X-RateLimit-Remaining``."""

    def __init__(self, buckets: tuple[TokenBucket, ...], retry: Retry, pool_size: int) -> None:
        self.buckets = buckets
        super().__init__(max_retries=retry, pool_connections=pool_size, pool_maxsize=pool_size)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _DEADLINE_POOLS  # type: ignore[assignment]

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        manager.pool_classes_by_scheme = _DEADLINE_POOLS
        return manager

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
        for bucket in self.buckets:
            bucket.acquire()
        _attempt.started = time.monotonic()
        response = super().send(request, *args, **kwargs)
        remaining = response.headers.get("X-RateLimit-Remaining", "")
        if self.buckets and remaining.isascii() and remaining.isdigit():
            self.buckets[0].observe(int(remaining))
        return response


def new_session(
    api_key: str, options: ClientOptions, buckets: tuple[TokenBucket, ...]
) -> requests.Session:
    """Return a session that sends ``api_key`` and retries within ``options``' bounds.

    Parameters
    ----------
    api_key : str
        Sent only in the ``Authorization`` header.
    options : ClientOptions
        The checked options: ``max_retries``, ``backoff_factor`` and ``max_wait`` are used.
    buckets : tuple of TokenBucket
        Each gives a token before every attempt; the first follows the server's
        ``X-RateLimit-Remaining``.

    Returns
    -------
    requests.Session

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> from atribu_pandas.core.config import ClientOptions
    >>> sb = ap.sandbox.start()
    >>> session = new_session(sb.api_key, ClientOptions(), (TokenBucket(60),))
    >>> session.get(sb.url + "/api/v1/top-performers", params={"limit": 1}).status_code
    200
    >>> session.close()
    >>> sb.stop()
    """
    o = options
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
    retry.buckets = buckets
    retry.max_wait = o.max_wait
    session = requests.Session()
    adapter = _LimitedAdapter(buckets, retry, pool_size=10)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers.update(
        {
            "Authorization": f"Bearer {api_key}",
            "User-Agent": f"atribu-pandas/{__version__}",
            "Accept": "application/json",
            "Accept-Encoding": "gzip, deflate",
        }
    )
    return session


class _NoAuth(AuthBase):
    """Sends no credentials: not the key, not a ``~/.netrc`` entry, not a URL's user."""

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers.pop("Authorization", None)
        return request


def new_plain_session(pool_size: int = 4) -> requests.Session:
    """Return a session for pictures outside the API: no key, no retries, no redirects.

    It sends no ``Authorization`` header (nor a ``~/.netrc`` entry), takes no rate-limit
    token, retries nothing and follows no redirect itself (the caller decides where a
    redirect may lead); :func:`fetch` bounds each request with its deadline and size cap.

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> sb = ap.sandbox.start()
    >>> session = new_plain_session()
    >>> url = sb.url + "/api/v1/top-performers"
    >>> request = session.prepare_request(requests.Request("GET", url))
    >>> "Authorization" in request.headers
    False
    >>> session.close()
    >>> sb.stop()
    """
    session = requests.Session()
    adapter = _LimitedAdapter((), Retry(total=0, redirect=0, raise_on_status=False), pool_size)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.auth = _NoAuth()
    session.headers.update({"User-Agent": f"atribu-pandas/{__version__}", "Accept": "image/*"})
    return session


def fetch(
    session: requests.Session,
    request: requests.PreparedRequest,
    *,
    timeout: float,
    max_body_bytes: int,
    url: str,
    redirects: bool = True,
) -> tuple[requests.Response, bytes]:
    """Send ``request`` (with the adapter's retries) and read its body within the
    deadline and the size cap.

    Parameters
    ----------
    session : requests.Session
        From :func:`new_session`.
    request : requests.PreparedRequest
        The request to send.
    timeout : float
        Seconds one attempt may take: connecting, the headers and the whole body.
    max_body_bytes : int
        The largest body accepted, after decompression.
    url : str
        Named in errors when the request has no URL of its own.
    redirects : bool, default True
        Follow redirects (False: a 3xx is the answer, for a caller that checks where it
        leads).

    Returns
    -------
    tuple of (requests.Response, bytes)
        The answer, whatever its status, and its whole body.

    Raises
    ------
    AtribuTimeoutError, AtribuConnectionError, ResponseError, TransportError
        Mapped by ``error_from_exception``, or a body
        too large or too slow.

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> from atribu_pandas.core.config import ClientOptions
    >>> sb = ap.sandbox.start()
    >>> session = new_session(sb.api_key, ClientOptions(), (TokenBucket(60),))
    >>> url = sb.url + "/api/v1/top-performers"
    >>> request = session.prepare_request(requests.Request("GET", url, params={"limit": 1}))
    >>> response, content = fetch(session, request, timeout=30, max_body_bytes=2**20, url=url)
    >>> response.status_code, content[:9]
    (200, b'{"data":[')
    >>> session.close()
    >>> sb.stop()
    """
    url = request.url or url
    limits = Timeout(total=timeout, connect=timeout, read=timeout)
    _attempt.timeout = timeout
    _attempt.started = time.monotonic()
    _attempt.expired = None  # an earlier request's deadline says nothing about this one
    try:
        return _read(session, request, limits, timeout, max_body_bytes, url, redirects)
    finally:
        _disarm()
        _attempt.timeout = None


def _read(
    session: requests.Session,
    request: requests.PreparedRequest,
    limits: Timeout,
    timeout: float,
    cap: int,
    url: str,
    redirects: bool = True,
) -> tuple[requests.Response, bytes]:
    try:
        # requests passes a urllib3 Timeout through as it is (its stubs say otherwise).
        response = session.send(
            request,
            stream=True,
            timeout=limits,  # type: ignore[arg-type]
            allow_redirects=redirects,
        )
    except requests.RequestException as error:
        _raise_if_cancelled()
        if _expired():
            raise exc.AtribuTimeoutError(
                f"timed out waiting for the answer from {url}: no complete headers within "
                f"timeout={timeout:g} s",
                url=url,
            ) from None
        raise error_from_exception(error, url) from None
    rid = request_id_of(response)
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
            if _expired():
                break
    except exc.AtribuError:
        response.close()
        raise
    except Exception as error:
        response.close()
        _raise_if_cancelled()
        if _expired():
            raise _deadline_error(response, rid, timeout) from None
        raise error_from_exception(error, response.url, rid) from None
    if _expired():
        response.close()
        raise _deadline_error(response, rid, timeout)
    content = b"".join(chunks)
    response._content = content
    response._content_consumed = True  # type: ignore[attr-defined]
    return response, content


def _raise_if_cancelled() -> None:
    cancellation = current_cancellation()
    if cancellation is not None and cancellation.is_cancelled:
        raise Cancelled


def _deadline_error(
    response: requests.Response, rid: str | None, timeout: float
) -> exc.AtribuTimeoutError:
    return exc.AtribuTimeoutError(
        f"timed out reading the answer from {response.url}: it did not arrive in full "
        f"within timeout={timeout:g} s",
        request_id=rid,
        url=response.url,
    )


def _scrub_library_logs() -> None:
    # urllib3 logs every URL at DEBUG (a redirect's Location too) and requests-cache its
    # keys: a key a server put in a URL must not reach a user's log file.
    import logging

    import requests_cache  # noqa: F401  (its loggers exist once it is imported)

    for name in list(logging.root.manager.loggerDict):
        if name.split(".")[0] in ("urllib3", "requests_cache", "requests"):
            logger = logging.getLogger(name)
            if not any(isinstance(f, ScrubbingFilter) for f in logger.filters):
                logger.addFilter(ScrubbingFilter())


_scrub_library_logs()
