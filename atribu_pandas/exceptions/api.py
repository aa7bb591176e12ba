"""The errors of a request: the API answered with an error status, or gave no usable
answer at all.
"""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING

from atribu_pandas.core.redact import scrub

if TYPE_CHECKING:
    pass

from atribu_pandas.exceptions.errors import AtribuError

__all__ = [
    "APIError",
    "AtribuConnectionError",
    "AtribuTimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ServerError",
    "TransportError",
]


class APIError(AtribuError):
    """The API answered with a non-2xx status.

    Its subclass names the status (:class:`AuthenticationError` for a 401 ...); catch
    this one for all of them. Each argument is kept as the attribute of the same name.

    Parameters
    ----------
    message : str
        The error envelope's message.
    status : int
        The HTTP status code.
    code : str
        The error envelope's ``code`` (``unauthorized``, ``invalid_parameter`` ...).
    request_id : str, optional
        The response's ``X-Request-Id``: quote it to Atribu support.
    url : str, optional
        The URL requested (never with the key).
    retry_after : float, optional
        Seconds the server asked to wait (its ``Retry-After``), when it said.

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> with ap.sandbox.start() as sb:
    ...     client = sb.client(api_key="atb_live_revoked")  # a key the server does not know
    ...     try:
    ...         ap.load_top_performers(client=client)
    ...     except ap.APIError as error:
    ...         print(type(error).__name__, error.status, error.code)
    AuthenticationError 401 unauthorized
    """

    def __init__(
        self,
        message: str,
        *,
        status: int,
        code: str,
        request_id: str | None = None,
        url: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, request_id=request_id, url=url)
        self.status = status
        self.code = scrub(code)
        self.retry_after = retry_after

    def __str__(self) -> str:
        where = f" ({self.url})" if self.url else ""
        return scrub(f"{self._prefix()}{self.status} {self.code}: {self.message}{where}")


class BadRequestError(APIError):
    """400: a parameter the server refused (``invalid_parameter``, ``invalid_date_range``).

    The loaders check their arguments first (an :class:`ArgumentError`), so this one comes
    from a direct :meth:`Client.get <atribu_pandas.Client.get>` or from a rule the server
    has and the package does not know yet.

    Parameters
    ----------
    message : str
        The server's explanation.
    status : int
        The HTTP status code (400).
    code : str
        The error envelope's ``code``.
    request_id, url : str, optional
        As for :class:`APIError`.
    retry_after : float, optional
        As for :class:`APIError` (not sent with a 400).

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> with ap.sandbox.start() as sb:
    ...     window = {"date_from": "2026-11-05", "date_to": "2026-11-01"}
    ...     try:
    ...         sb.client().get("/api/v1/campaigns", window)
    ...     except ap.BadRequestError as error:
    ...         print(error.status, error.code)
    400 invalid_date_range
    """


class AuthenticationError(APIError):
    """401: the API key is missing, malformed or revoked.

    Check ``ATRIBU_API_KEY`` (or the key given to :class:`~atribu_pandas.Client`) against
    Settings > API Keys in the Atribu dashboard.

    Parameters
    ----------
    message : str
        The server's explanation.
    status : int
        The HTTP status code (401).
    code : str
        The error envelope's ``code`` (``unauthorized``).
    request_id, url : str, optional
        As for :class:`APIError`.
    retry_after : float, optional
        As for :class:`APIError` (not sent with a 401).

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> with ap.sandbox.start() as sb:
    ...     try:
    ...         ap.load_top_performers(client=sb.client(api_key="atb_live_revoked"))
    ...     except ap.AuthenticationError as error:
    ...         print(error.message)
    Invalid API key
    """


class PermissionDeniedError(APIError):
    """403: the API key lacks the ``campaigns:read`` scope.

    Make a key with that scope in the Atribu dashboard; the key itself is valid.

    Parameters
    ----------
    message : str
        The server's explanation, naming the scope.
    status : int
        The HTTP status code (403).
    code : str
        The error envelope's ``code`` (``insufficient_scope``).
    request_id, url : str, optional
        As for :class:`APIError`.
    retry_after : float, optional
        As for :class:`APIError` (not sent with a 403).

    Examples
    --------
    The sandbox has one key without the scope:

    >>> import atribu_pandas as ap
    >>> with ap.sandbox.start() as sb:
    ...     key = next(p.api_key for p in sb.profiles if "campaigns:read" not in p.scopes)
    ...     try:
    ...         ap.load_top_performers(client=sb.client(api_key=key))
    ...     except ap.PermissionDeniedError as error:
    ...         print(error.status, error.code)
    403 insufficient_scope
    """


class NotFoundError(APIError):
    """404: no such path (or resource).

    The loaders ask only for the documented paths, so this one comes from a direct
    :meth:`Client.get <atribu_pandas.Client.get>` or a wrong ``base_url``.

    Parameters
    ----------
    message : str
        The server's explanation.
    status : int
        The HTTP status code (404).
    code : str
        The error envelope's ``code`` (``not_found``).
    request_id, url : str, optional
        As for :class:`APIError`.
    retry_after : float, optional
        As for :class:`APIError` (not sent with a 404).

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> with ap.sandbox.start() as sb:
    ...     try:
    ...         sb.client().get("/api/v1/nothing-here", {})
    ...     except ap.NotFoundError as error:
    ...         print(error.status, error.code)
    404 not_found
    """


class RateLimitError(APIError):
    """429: the key's 60 requests per minute are spent, and retries did not outlast it.

    The client waits and retries a 429 for up to ``max_wait`` seconds (see
    :class:`~atribu_pandas.Client`); this error means that time ran out. Wait
    ``retry_after`` seconds, or load less at once.

    Parameters
    ----------
    message : str
        The server's explanation.
    status : int
        The HTTP status code (429).
    code : str
        The error envelope's ``code`` (``rate_limit_exceeded``).
    request_id, url : str, optional
        As for :class:`APIError`.
    retry_after : float, optional
        Seconds the server asked to wait (its ``Retry-After``), when it said.

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> with ap.sandbox.start() as sb:
    ...     sb.inject("rate_limit")  # the sandbox answers the next request with a 429
    ...     try:  # max_wait=0: no time to wait for a retry
    ...         ap.load_top_performers(client=sb.client(max_wait=0))
    ...     except ap.RateLimitError as error:
    ...         print(error.status, error.retry_after)
    429 1.0
    """


class ServerError(APIError):
    """5xx: the server failed, and retries did not help.

    The client retries a 5xx ``max_retries`` times first (see
    :class:`~atribu_pandas.Client`); try again later, and quote the request id to Atribu
    support if it lasts.

    Parameters
    ----------
    message : str
        The server's explanation.
    status : int
        The HTTP status code (500 to 599).
    code : str
        The error envelope's ``code`` (``internal_error`` ...).
    request_id, url : str, optional
        As for :class:`APIError`.
    retry_after : float, optional
        Seconds the server asked to wait (its ``Retry-After``), when it said.

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> with ap.sandbox.start() as sb:
    ...     sb.inject("error", status=503)  # the sandbox fails the next request
    ...     try:  # max_retries=0: fail at once rather than retry
    ...         ap.load_top_performers(client=sb.client(max_retries=0))
    ...     except ap.ServerError as error:
    ...         print(error.status, error.code)
    503 service_unavailable
    """


class TransportError(AtribuError):
    """No usable HTTP response arrived.

    Its subclasses say why: :class:`AtribuTimeoutError` (too slow) or
    :class:`AtribuConnectionError` (no connection). Both are retried ``max_retries`` times
    first (see :class:`~atribu_pandas.Client`).

    Parameters
    ----------
    message : str
        What failed, with the URL and the underlying error.
    request_id, url : str, optional
        As for :class:`AtribuError` (a request id only when headers arrived).

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> with ap.sandbox.start() as sb:
    ...     client = sb.client(max_retries=0)
    >>> try:  # the sandbox has stopped: nothing answers at its address
    ...     ap.load_top_performers(client=client)
    ... except ap.TransportError as error:
    ...     print(type(error).__name__)
    AtribuConnectionError
    """


class AtribuTimeoutError(TransportError, builtins.TimeoutError):
    """The connection or the read timed out.

    Each attempt has ``timeout`` seconds in all (see :class:`~atribu_pandas.Client`). The
    error is Python's own ``TimeoutError`` too, so ``except TimeoutError`` catches it.

    Parameters
    ----------
    message : str
        What timed out, with the URL and the timeout.
    request_id, url : str, optional
        As for :class:`AtribuError`.

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> with ap.sandbox.start() as sb:
    ...     sb.inject("slow", seconds=0.5)  # the next answer takes half a second
    ...     client = sb.client(timeout=0.1, max_retries=0)
    ...     try:
    ...         ap.load_top_performers(client=client)
    ...     except TimeoutError as error:
    ...         print(type(error).__name__)
    AtribuTimeoutError
    """


class AtribuConnectionError(TransportError, builtins.ConnectionError):
    """The connection failed (refused, reset, DNS, TLS) or retries ran out without an answer.

    The error is Python's own ``ConnectionError`` too, so ``except ConnectionError``
    catches it.

    Parameters
    ----------
    message : str
        What failed, with the URL and the underlying error.
    request_id, url : str, optional
        As for :class:`AtribuError`.

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> with ap.sandbox.start() as sb:
    ...     client = sb.client(max_retries=0)
    >>> try:  # the sandbox has stopped: its port refuses connections
    ...     ap.load_top_performers(client=client)
    ... except ConnectionError as error:
    ...     print(type(error).__name__, "could not connect" in str(error))
    AtribuConnectionError True
    """
