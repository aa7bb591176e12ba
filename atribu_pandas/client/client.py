"""The HTTP client: auth, rate budget and caching.

A :class:`Client` checks its arguments, then sends each GET through a session of
``client.transport``: every attempt, retries included, takes a token from the
key's shared budget (``client.ratelimit``: one per key and server for every
process using the same cache folder, at the highest rate any client asked for) and, for
a client asking for a lower rate, from a bucket of its own (so it slows only itself);
connection errors, 429 and 5xx are retried within ``max_wait`` seconds honouring
``Retry-After``; each attempt, body included, has ``timeout`` seconds and
``max_body_bytes``.

An answer is stored in the key's ``ResponseCache`` only once it
parsed, echoed the request's dates and, for the loaders, validated as a frame
(:meth:`Client.keep`). Cache hits cost no token.

Every failure leaves this module as an :class:`~atribu_pandas.AtribuError`
with the request id when the server sent one: non-2xx statuses through
:func:`error_from_response`, ``requests`` exceptions through :func:`error_from_exception`
(both from ``client.http_errors``, and importable from here), bodies that are
not the documented envelope as :class:`~atribu_pandas.ResponseError` (``client.envelope``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import sys
from typing import Any

import requests

from atribu_pandas.client.cache import RECENT_EXPIRY, FrameMemo, ResponseCache, key_fingerprint
from atribu_pandas.client.envelope import ApiResponse, read_envelope

# The error mapping lives in http_errors; the client is its public path (errors come from
# requests the client makes).
from atribu_pandas.client.http_errors import (
    error_from_response,
)
from atribu_pandas.client.ratelimit import TokenBucket, shared_budget
from atribu_pandas.client.transport import fetch, new_session
from atribu_pandas.core.config import (
    DEFAULT_RATE_LIMIT,
    DEFAULT_TIMEOUT,
    MAX_BODY_BYTES,
    MAX_WAIT_SECONDS,
    ClientOptions,
    Settings,
    check_client_options,
    progress_disabled,
    resolve_settings,
    stated_currency,
)
from atribu_pandas.core.redact import holds_secret, mask_key, scrub, scrub_bytes

__all__ = ["Client"]


def _scrubbed(response: requests.Response, content: bytes) -> bytes:
    """Mask any key a server echoed (in a header or the body) before anything keeps it.

    The cache stores this response, ``df.attrs`` takes its ``meta`` and its request id, a
    pickled frame carries both: so the answer itself is cleaned, not each place it goes.
    """
    for name, value in list(response.headers.items()):
        if holds_secret(value):
            response.headers[name] = scrub(value)
    cleaned = scrub_bytes(content)
    if cleaned is not content:
        response._content = cleaned
    return cleaned


def _is_interactive() -> bool:
    if progress_disabled():
        return False
    if sys.stderr is not None and sys.stderr.isatty():
        return True
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None  # type: ignore[attr-defined]
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


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
        ``client.cache``); an unusable cache folder means no cache, with a
        :class:`~atribu_pandas.CacheWarning`.
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
    currency : str, optional
        The ISO 4217 code of the profile's reporting currency (the API sends amounts
        without one); default ``ATRIBU_CURRENCY``. Every frame this client loads records
        it, and the charts, summaries, widgets and reports show it; with neither, they
        assume USD and the reports say so.

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
    #: The profile's reporting currency (ISO 4217), or None when not stated.
    currency: str | None = None

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
        currency: str | None = None,
    ) -> None:
        self._settings = resolve_settings(api_key, base_url, cache_dir)
        self.currency = stated_currency(currency)
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
        self._cache = (
            ResponseCache.open(self._settings.cache_dir, self._settings.api_key)
            if (o.cache)
            else None
        )
        self._session = new_session(self._settings.api_key, o, self._buckets)

    @property
    def base_url(self) -> str:
        """The API's base URL: every request goes to a path under it.

        Examples
        --------
        >>> import atribu_pandas as ap
        >>> ap.Client(api_key="atb_live_...", cache=False).base_url
        'https://www.atribu.app'
        """
        return self._settings.base_url if self._settings is not None else ""

    @property
    def cache_enabled(self) -> bool:
        """True when answers are cached (asked for, and the cache folder is usable).

        Examples
        --------
        >>> import atribu_pandas as ap
        >>> ap.Client(api_key="atb_live_...", cache=False).cache_enabled
        False
        """
        return self._cache is not None

    @property
    def timeout(self) -> float:
        """Seconds one attempt may take: connecting, the headers and the whole body.

        Examples
        --------
        >>> import atribu_pandas as ap
        >>> ap.Client(api_key="atb_live_...", cache=False, timeout=10).timeout
        10.0
        """
        return self.options.timeout

    @property
    def rate_limit(self) -> int:
        """Requests per minute this client allows itself.

        Examples
        --------
        >>> import atribu_pandas as ap
        >>> ap.Client(api_key="atb_live_...", cache=False, rate_limit=30).rate_limit
        30
        """
        return self.options.rate_limit

    @property
    def is_sandbox(self) -> bool:
        """True when the key is a sandbox key: frames from this client are demo data.

        Examples
        --------
        >>> import atribu_pandas as ap
        >>> with ap.sandbox.start() as sb:
        ...     sb.client().is_sandbox
        True
        >>> ap.Client(api_key="atb_live_...", cache=False).is_sandbox
        False
        """
        return self._settings is not None and self._settings.is_sandbox

    @property
    def key_fingerprint(self) -> str:
        """A hash of the key that names its cache and memo entries (not reversible).

        Two clients of one key share its cache file; the key itself is never written.

        Examples
        --------
        >>> import atribu_pandas as ap
        >>> client = ap.Client(api_key="atb_live_...")
        >>> client.key_fingerprint
        'fcaba507234e327e'
        >>> client.cache_info()["path"].endswith(f"http-{client.key_fingerprint}.sqlite")
        True
        """
        return key_fingerprint(self._settings.api_key) if self._settings is not None else ""

    def __repr__(self) -> str:
        if self._settings is None:
            return "Client(<not configured>)"
        cache = str(self._cache.path.parent) if self._cache is not None else "off"
        return (
            f"Client(base_url={self.base_url!r}, api_key={mask_key(self._settings.api_key)!r}, "
            f"cache={cache!r}, currency={self.currency!r})"
        )

    def close(self) -> None:
        """Close the HTTP session and its cache connection.

        A client used in a ``with`` block is closed at its end.

        Examples
        --------
        >>> import atribu_pandas as ap
        >>> with ap.sandbox.start() as sb:
        ...     client = sb.client()
        ...     top = ap.load_top_performers(limit=3, client=client)
        ...     client.close()
        ...     with sb.client() as other:  # closed when the block ends
        ...         top = ap.load_top_performers(limit=3, client=other)
        """
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
            ``expire_after_for``).
        refresh : bool, default False
            Skip the cache and overwrite its entry with a fresh response.
        keep : bool, default True
            Store a fresh answer in the cache at once. The loaders pass False and call
            :meth:`keep` once the frame validated, so a drifted answer is never stored.

        Returns
        -------
        ApiResponse
            The envelope's ``data`` (a list of rows) and ``meta``, the URL, the request id,
            and whether it came from the cache.

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
                return read_envelope(hit, hit.content, query, from_cache=True)
        response, content = fetch(
            self._session,
            request,
            timeout=self.options.timeout,
            max_body_bytes=self.options.max_body_bytes,
            url=self.base_url,
        )
        content = _scrubbed(response, content)
        if not 200 <= response.status_code < 300:
            raise error_from_response(response)
        parsed = read_envelope(response, content, query, from_cache=False)
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

        Parameters
        ----------
        responses : list of ApiResponse
            Answers of :meth:`get` called with ``keep=False``.

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

    def cache_info(self) -> dict[str, Any]:
        """Describe this key's cache: whether it is on, its file, entries and size.

        Returns
        -------
        dict
            ``enabled`` (bool), ``path`` (the SQLite file, or None when the cache is off),
            ``responses`` (answers stored), ``size_bytes`` (of the file) and
            ``frames_in_memory`` (validated frames this client keeps for re-use).

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
