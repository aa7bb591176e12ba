"""The HTTP client: auth, rate limit, retries, caching and error mapping, in one place.

A :class:`Client` owns one ``requests`` session (a per-key requests-cache session unless
``cache=False``) with an adapter whose urllib3 ``Retry`` retries connection errors, 429 and
5xx with exponential backoff and jitter, honouring ``Retry-After``. Every request, first
attempts and retries alike, first takes a token from a per-key bucket shared by all
clients of the process, so concurrent loaders stay within the API's 60 requests a minute.
Cache hits never reach the adapter and cost no token.

Every failure leaves this module as an :class:`~atribu_pandas.exceptions.AtribuError`:
non-2xx statuses through :func:`error_from_response`, ``requests`` exceptions through
:func:`error_from_exception`, bodies that are not the documented envelope as
:class:`~atribu_pandas.exceptions.ResponseError`.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import (
    ConnectTimeoutError,
    MaxRetryError,
    NewConnectionError,
    ReadTimeoutError,
)
from urllib3.util.retry import Retry

from atribu_pandas import exceptions as exc
from atribu_pandas._version import __version__
from atribu_pandas.cache import (
    RECENT_EXPIRY,
    FrameMemo,
    cache_path,
    key_fingerprint,
    open_session,
)
from atribu_pandas.config import (
    DEFAULT_RATE_LIMIT,
    DEFAULT_TIMEOUT,
    Settings,
    mask_key,
    resolve_settings,
)

__all__ = [
    "ApiResponse",
    "Client",
    "TokenBucket",
    "error_from_exception",
    "error_from_response",
]

RETRY_STATUSES = (429, 500, 502, 503, 504)
# A server asking us to wait longer than this is not retried: the error reaches the user at
# once, with its retry_after, instead of a cell that hangs silently.
MAX_RETRY_AFTER_SECONDS = 120
_STATUS_ERRORS: dict[int, type[exc.APIError]] = {
    400: exc.BadRequestError,
    401: exc.AuthenticationError,
    403: exc.PermissionDeniedError,
    404: exc.NotFoundError,
    429: exc.RateLimitError,
}


class TokenBucket:
    """A blocking token bucket: ``capacity`` requests at once, refilled over ``period`` seconds.

    It mirrors the API's limit (60 a minute per key), so a process never provokes a 429
    on its own. The refill clock starts at the first request (as the server's does), and a
    request waits for slightly more than one token (``margin``) so that jitter in network
    delay cannot make it arrive a hair before the server's bucket has refilled.

    Examples
    --------
    >>> bucket = TokenBucket(60)
    >>> bucket.acquire()  # returns at once while tokens remain
    """

    def __init__(self, capacity: int, period: float = 60.0, margin: float = 0.05) -> None:
        self.capacity = capacity
        self.rate = capacity / period
        self.margin = margin
        self._tokens = float(capacity)
        self._stamp: float | None = None
        self._lock = threading.Lock()

    def limit_to(self, capacity: int) -> None:
        """Lower the limit in place (never raise it), for every client holding this bucket."""
        with self._lock:
            if capacity < self.capacity:
                self.rate = self.rate * capacity / self.capacity
                self.capacity = capacity
                self._tokens = min(self._tokens, float(capacity))

    def acquire(self) -> None:
        """Take one token, sleeping until one is available."""
        while True:
            with self._lock:
                now = time.monotonic()
                if self._stamp is not None:
                    elapsed = now - self._stamp
                    self._tokens = min(self.capacity, self._tokens + elapsed * self.rate)
                self._stamp = now
                if self._tokens >= 1 + self.margin:
                    self._tokens -= 1
                    return
                wait = (1 + self.margin - self._tokens) / self.rate
            time.sleep(wait)


_BUCKETS: dict[tuple[str, str], TokenBucket] = {}
_BUCKETS_LOCK = threading.Lock()


def _bucket_for(settings: Settings, rate_limit: int) -> TokenBucket:
    # One budget per key and server, however many Client objects use it; a client asking
    # for a lower limit lowers it for all, since the server counts them together.
    name = (key_fingerprint(settings.api_key), settings.base_url)
    with _BUCKETS_LOCK:
        bucket = _BUCKETS.get(name)
        if bucket is None:
            bucket = _BUCKETS[name] = TokenBucket(rate_limit)
        bucket.limit_to(rate_limit)
        return bucket


class _LimitedRetry(Retry):
    """urllib3 ``Retry`` that takes a rate-limit token before each retry and gives up at once
    when ``Retry-After`` asks for more than :data:`MAX_RETRY_AFTER_SECONDS`."""

    bucket: TokenBucket | None = None

    def new(self, **kw: Any) -> _LimitedRetry:
        retry = super().new(**kw)
        retry.bucket = self.bucket
        return retry

    def increment(self, *args: Any, **kwargs: Any) -> _LimitedRetry:
        response = kwargs.get("response")
        wait = self.get_retry_after(response) if response is not None else None
        if wait is not None and wait > MAX_RETRY_AFTER_SECONDS:
            # With raise_on_status=False urllib3 then returns this response as the answer.
            raise MaxRetryError(kwargs.get("_pool"), str(kwargs.get("url")), None)  # type: ignore[arg-type]
        return super().increment(*args, **kwargs)  # type: ignore[return-value]

    def sleep(self, response: Any = None) -> None:
        super().sleep(response)
        if self.bucket is not None:
            self.bucket.acquire()


class _LimitedAdapter(HTTPAdapter):
    """Adapter that takes a token before each request that really goes out."""

    def __init__(self, bucket: TokenBucket, retry: Retry, pool_size: int) -> None:
        self.bucket = bucket
        super().__init__(max_retries=retry, pool_connections=pool_size, pool_maxsize=pool_size)

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
        self.bucket.acquire()
        return super().send(request, *args, **kwargs)


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


def _request_id(response: requests.Response, body: Any = None) -> str | None:
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        rid = body["error"].get("request_id")
        if isinstance(rid, str) and rid:
            return rid
    return response.headers.get("X-Request-Id")


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def error_from_response(response: requests.Response) -> exc.APIError:
    """Map a non-2xx response to the matching :class:`~atribu_pandas.exceptions.APIError`.

    The error envelope ``{"error": {"code", "message", "status", "request_id"}}`` gives the
    code, message and request id; a body that is not the envelope still gives the status,
    the ``X-Request-Id`` header and the start of the body.

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
        code = str(envelope.get("code") or f"http_{response.status_code}")
        message = str(envelope.get("message") or response.reason or "")
    else:
        code = f"http_{response.status_code}"
        text = response.text[:200].strip()
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
        retry_after=_retry_after(response),
    )


def error_from_exception(error: requests.RequestException, url: str) -> exc.AtribuError:
    """Map any ``requests`` exception to an :class:`~atribu_pandas.exceptions.AtribuError`.

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
    # urllib3 makes a refused connection a subclass of its connect timeout: not a timeout.
    timed_out = isinstance(reason, ReadTimeoutError | ConnectTimeoutError) and not isinstance(
        reason, NewConnectionError
    )
    if isinstance(error, requests.Timeout) or timed_out:
        return exc.TimeoutError(f"timed out requesting {url} ({name}: {reason or error})", url=url)
    if isinstance(error, requests.exceptions.RetryError):
        return exc.ConnectionError(f"retries ran out requesting {url}: {error}", url=url)
    if isinstance(error, requests.ConnectionError):
        return exc.ConnectionError(f"could not connect to {url} ({name}: {error})", url=url)
    if isinstance(error, requests.exceptions.InvalidHeader):
        # Its text repeats the header's value, which for Authorization is the key.
        return exc.TransportError(
            f"a request header to {url} was refused as invalid (check the API key for stray "
            "characters)",
            url=url,
        )
    if isinstance(
        error, requests.exceptions.ContentDecodingError | requests.exceptions.JSONDecodeError
    ):
        return exc.ResponseError(f"could not decode the response from {url}: {error}", url=url)
    return exc.TransportError(f"request to {url} failed ({name}: {error})", url=url)


def _is_interactive() -> bool:
    if os.environ.get("ATRIBU_PROGRESS", "").strip() in ("0", "false", "no"):
        return False
    if sys.stderr is not None and sys.stderr.isatty():
        return True
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None  # type: ignore[attr-defined]
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


class Client:
    """A connection to Atribu's Campaigns API (or the sandbox).

    Parameters
    ----------
    api_key : str, optional
        The key (``atb_live_...``); default ``ATRIBU_API_KEY``. Sent only in the
        ``Authorization`` header; never written to disk, a repr or an error.
    base_url : str, optional
        Default ``ATRIBU_BASE_URL``, else ``https://www.atribu.app``.
    cache : bool, default True
        Cache responses in a SQLite file private to this key (see :mod:`atribu_pandas.cache`).
    cache_dir : str or path, optional
        Default ``ATRIBU_CACHE_DIR``, else the user cache directory.
    timeout : float, default 30
        Seconds allowed to connect and for each read.
    max_retries : int, default 3
        Retries after the first attempt for connection errors, timeouts, 429 and 5xx.
    backoff_factor : float, default 0.5
        Exponential backoff: about ``backoff_factor * 2**(n-1)`` seconds before retry ``n``,
        plus up to ``backoff_factor`` of random jitter; ``Retry-After`` wins when present.
    rate_limit : int, default 60
        Requests per minute this process allows itself for this key.
    progress : bool, optional
        Progress bars on multi-request loads; default only when interactive. Set
        ``ATRIBU_PROGRESS=0`` to turn them off everywhere.

    Raises
    ------
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
    ) -> None:
        self._settings = resolve_settings(api_key, base_url, cache_dir)
        self.timeout = timeout
        self.max_retries = max_retries
        self.rate_limit = rate_limit
        self.progress = _is_interactive() if progress is None else progress
        self.cache_enabled = cache
        self.frames = FrameMemo()
        self._bucket = _bucket_for(self._settings, rate_limit)
        retry = _LimitedRetry(
            total=max_retries,
            connect=max_retries,
            read=max_retries,
            status=max_retries,
            other=0,
            redirect=0,
            status_forcelist=RETRY_STATUSES,
            allowed_methods=frozenset({"GET"}),
            backoff_factor=backoff_factor,
            backoff_jitter=backoff_factor,
            respect_retry_after_header=True,
            # The last response is returned, then mapped to our error with its body.
            raise_on_status=False,
        )
        retry.bucket = self._bucket
        self._session: requests.Session = (
            open_session(self._settings.cache_dir, self._settings.api_key)
            if cache
            else requests.Session()
        )
        adapter = _LimitedAdapter(self._bucket, retry, pool_size=10)
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)
        self._session.headers.update(
            {
                "Authorization": f"Bearer {self._settings.api_key}",
                "User-Agent": f"atribu-pandas/{__version__}",
                "Accept": "application/json",
            }
        )

    @property
    def base_url(self) -> str:
        """The API's base URL."""
        return self._settings.base_url

    @property
    def is_sandbox(self) -> bool:
        """True when the key is a sandbox key: frames from this client are demo data."""
        return self._settings.is_sandbox

    @property
    def key_fingerprint(self) -> str:
        """A hash of the key that names its cache and memo entries (not reversible)."""
        return key_fingerprint(self._settings.api_key)

    def __repr__(self) -> str:
        cache = "off" if not self.cache_enabled else str(self._settings.cache_dir)
        return (
            f"Client(base_url={self.base_url!r}, api_key={mask_key(self._settings.api_key)!r}, "
            f"cache={cache!r})"
        )

    def close(self) -> None:
        """Close the HTTP session and its cache connection."""
        self._session.close()

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

        Returns
        -------
        ApiResponse

        Raises
        ------
        APIError, TransportError, ResponseError
            Every failure, mapped in one place.

        Examples
        --------
        >>> import atribu_pandas as ap
        >>> sb = ap.sandbox.start()
        >>> r = sb.client(cache=False).get("/api/v1/top-performers", {"limit": 3})
        >>> len(r.data)
        3
        >>> sb.stop()
        """
        url = self.base_url + path
        query = {k: str(v) for k, v in params.items() if v is not None}
        kwargs: dict[str, Any] = {"params": query, "timeout": self.timeout}
        if self.cache_enabled:
            kwargs["expire_after"] = expire_after if expire_after is not None else RECENT_EXPIRY
            kwargs["force_refresh"] = refresh
        try:
            response = self._session.get(url, **kwargs)
        except requests.RequestException as error:
            raise error_from_exception(error, url) from None
        if not 200 <= response.status_code < 300:
            raise error_from_response(response)
        return self._parse(response)

    def _parse(self, response: requests.Response) -> ApiResponse:
        rid = _request_id(response)
        try:
            body = orjson.loads(response.content)
        except orjson.JSONDecodeError as error:
            raise exc.ResponseError(
                f"the response is not JSON ({error}); it starts {response.text[:80]!r}",
                request_id=rid,
                url=response.url,
            ) from None
        if not isinstance(body, dict) or not isinstance(body.get("data"), list):
            keys = sorted(body) if isinstance(body, dict) else type(body).__name__
            raise exc.ResponseError(
                f'the response is not the {{"data": [...], "meta": {{...}}}} envelope (got {keys})',
                request_id=rid,
                url=response.url,
            )
        meta = body.get("meta")
        if not isinstance(meta, dict):
            raise exc.ResponseError(
                "the response has no meta object", request_id=rid, url=response.url
            )
        from_cache = bool(getattr(response, "from_cache", False))
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
        if self.cache_enabled:
            path: Path = cache_path(self._settings.cache_dir, self._settings.api_key)
            cache = self._session.cache  # type: ignore[attr-defined]
            info.update(
                path=str(path),
                responses=cache.responses.count(expired=True),
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
        if self.cache_enabled:
            self._session.cache.clear()  # type: ignore[attr-defined]
