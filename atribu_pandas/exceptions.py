"""The one exception tree of atribu-pandas.

Every failure a user can meet is an :class:`AtribuError`::

    AtribuError
    ├── ConfigurationError          no API key, a bad base URL or cache directory
    │   └── MissingExtraError (ImportError)  a feature's optional libraries are not installed
    ├── ArgumentError (ValueError)  a bad argument, refused before any request
    ├── APIError                    the server answered with a non-2xx status
    │   ├── BadRequestError         400 (invalid_parameter, invalid_date_range)
    │   ├── AuthenticationError     401 unauthorized
    │   ├── PermissionDeniedError   403 insufficient_scope
    │   ├── NotFoundError           404 not_found
    │   ├── RateLimitError          429 rate_limit_exceeded (after retries)
    │   └── ServerError             5xx (after retries)
    ├── TransportError              no usable HTTP answer
    │   ├── AtribuTimeoutError      connect or read timeout (also a builtin TimeoutError)
    │   └── AtribuConnectionError   refused, reset, DNS, TLS, too many retries (also a
    │                               builtin ConnectionError)
    ├── ResponseError               a 2xx whose body is not the documented envelope
    ├── SchemaError                 the payload drifted from the schema (pandera failures)
    └── ReportError                 a report template failed to run or export

Every warning is an :class:`AtribuWarning` (a ``UserWarning``): a load or a computation
worked, but something deserves a look. Each is raised through :func:`warn_caller`::

    AtribuWarning
    ├── SchemaDriftWarning      the API sent a value or a field its documentation does not
    │                           list yet
    ├── EmptyResultWarning      an answer came back empty, with what that usually means
    ├── PayloadWarning          an answer looks wrong but loads: too many rows, a repeated
    │                           id, a filter it did not apply, a number beyond float precision
    ├── PartialResultWarning    a load of several requests lost some (a model the service
    │                           refused) and returns the rest
    ├── LargeLoadWarning        a load needs so many requests that the rate limit makes it slow
    ├── TruncatedResultWarning  /campaigns returned exactly ``limit`` rows
    ├── LevelMismatchWarning    trend ids asked for at another level than they were loaded
    ├── DemoDataWarning         no key is set: the loaders use the sandbox's demo data
    ├── CacheWarning            the HTTP cache was set aside, rebuilt or turned off
    ├── WorkspaceWarning        some profiles of a workspace failed; the others loaded
    ├── ReachNotAdditiveWarning a rollup dropped reach, which does not add up
    ├── MixedModelsWarning      a rollup summed rows of different attribution models
    ├── MixedCurrencyWarning    amounts in different currencies shown or added as one
    └── EmptyReportWarning      a report's window had no data: the report is one page

Messages never contain the API key: every message, request id, URL and repr passes
through ``core.redact.scrub``, whatever the server echoed.
"""

from __future__ import annotations

import builtins
import sys
import warnings
import weakref
from typing import TYPE_CHECKING, Any

from atribu_pandas.core.redact import printable, scrub

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "APIError",
    "ArgumentError",
    "AtribuConnectionError",
    "AtribuError",
    "AtribuTimeoutError",
    "AtribuWarning",
    "AuthenticationError",
    "BadRequestError",
    "CacheWarning",
    "ConfigurationError",
    "DemoDataWarning",
    "EmptyReportWarning",
    "EmptyResultWarning",
    "LargeLoadWarning",
    "LevelMismatchWarning",
    "MissingExtraError",
    "MixedCurrencyWarning",
    "MixedModelsWarning",
    "NotFoundError",
    "PartialResultWarning",
    "PayloadWarning",
    "PermissionDeniedError",
    "RateLimitError",
    "ReachNotAdditiveWarning",
    "ReportError",
    "ResponseError",
    "SchemaDriftWarning",
    "SchemaError",
    "ServerError",
    "TransportError",
    "TruncatedResultWarning",
    "WorkspaceWarning",
    "warn_caller",
    "warn_once_per_frame",
    "warn_renamed",
]


class AtribuError(Exception):
    """Base class of every error raised by atribu-pandas.

    Catch it to handle any failure of a load at once; its subclasses say what went wrong.
    Each argument is kept as the attribute of the same name (``error.request_id`` ...).

    Parameters
    ----------
    message : str
        What went wrong, in words; an API key in it is masked.
    request_id : str, optional
        The ``X-Request-Id`` of the response involved, when there was one: quote it to
        Atribu support.
    url : str, optional
        The URL requested (never with the key: it travels in a header).

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> try:
    ...     ap.load_campaigns("2026-11-05", "2026-11-01")
    ... except ap.AtribuError as error:
    ...     print(type(error).__name__, "-", error)
    ArgumentError - date_from='2026-11-05' is not allowed: a day on or before date_to=2026-11-01
    """

    request_id: str | None = None
    url: str | None = None

    def __init__(
        self, message: str, *, request_id: str | None = None, url: str | None = None
    ) -> None:
        # A server's words may carry the key or terminal escapes: neither reaches a screen.
        message = printable(scrub(message))
        super().__init__(message)
        self.message = message
        self.request_id = printable(scrub(request_id)) if request_id is not None else None
        self.url = printable(scrub(url)) if url is not None else None

    def _prefix(self) -> str:
        # The request id leads so a user can quote it to Atribu support at a glance.
        return f"[request_id={self.request_id}] " if self.request_id else ""

    def __str__(self) -> str:
        # Scrubbed again: a key registered after this error was made is masked too.
        return scrub(self._prefix() + self.message)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        # Subclasses take other arguments than Exception's args: rebuild from the state, so
        # an error raised in a ProcessPoolExecutor worker reaches the parent as itself.
        return (_rebuild, (type(self), self.__dict__.copy()))

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and _state(self) == _state(other)

    def __hash__(self) -> int:
        return hash((type(self), str(self)))


def _state(error: AtribuError) -> dict[str, Any]:
    # A pandas frame (failure_cases) has no plain equality: compare it as records.
    return {k: v.to_dict("records") if hasattr(v, "to_dict") else v for k, v in vars(error).items()}


def _rebuild(cls: type[AtribuError], state: dict[str, Any]) -> AtribuError:
    error = cls.__new__(cls)
    Exception.__init__(error, state.get("message", ""))
    error.__dict__.update(state)
    return error


class ConfigurationError(AtribuError):
    """The client cannot be configured (no API key, bad base URL, bad cache directory).

    Raised when a :class:`~atribu_pandas.Client` is made, before any request; the message
    says what to set.

    Parameters
    ----------
    message : str
        What is missing or wrong, and how to set it.
    request_id, url : str, optional
        As for :class:`AtribuError` (there is no response yet, so usually None).

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> try:  # doctest: +ELLIPSIS
    ...     ap.Client(api_key="atb_live_...", base_url="ftp://example.com")
    ... except ap.ConfigurationError as error:
    ...     print(error)
    base_url='ftp://example.com' is not allowed: an http(s) URL such as ...
    """


class MissingExtraError(ConfigurationError, ImportError):
    """A feature's libraries are not installed; the message names the extra to install.

    The widgets, the charts (``df.atribu.plot``) and the reports need the ``notebook``
    extra. The error is an ``ImportError`` too, so ``except ImportError`` catches it.

    Parameters
    ----------
    message : str
        The feature, the missing modules and the ``pip install`` line that adds them.
    request_id, url : str, optional
        As for :class:`AtribuError` (always None: no request is involved).

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> from atribu_pandas.core.extras import require_notebook_extra
    >>> try:  # doctest: +ELLIPSIS
    ...     # the check ap.widgets, ap.reports and df.atribu.plot make on first use
    ...     require_notebook_extra("charts", "a_module_not_installed")
    ... except ap.MissingExtraError as error:
    ...     print(error)
    charts cannot run without a_module_not_installed, which comes with the notebook extra: ...
    """


class ArgumentError(AtribuError, ValueError):
    """An argument was refused before any request was sent.

    Every loader checks its arguments first, so a typo costs no request and no rate limit.
    The error is a ``ValueError`` too. Each argument is kept as the attribute of the same
    name.

    Parameters
    ----------
    argument : str
        The argument's name.
    value : Any
        The value given.
    allowed : str
        What is allowed, in words.

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> try:
    ...     ap.load_campaigns("2026-11-05", "2026-11-01")
    ... except ap.ArgumentError as error:
    ...     print(error.argument, "must be", error.allowed)
    date_from must be a day on or before date_to=2026-11-01
    """

    def __init__(self, argument: str, value: Any, allowed: str) -> None:
        self.argument = argument
        self.value = value
        self.allowed = allowed
        super().__init__(f"{argument}={_short_repr(value)} is not allowed: {allowed}")


def _short_repr(value: Any, limit: int = 120) -> str:
    # A 10,000-item list or a hostile __repr__ must not make (or break) the message.
    try:
        text = repr(value)
    except Exception:
        text = f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[: limit - 1] + "…"


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


class ResponseError(AtribuError):
    """A 2xx response whose body is not the documented ``{"data": [...], "meta": {...}}``.

    A proxy's HTML page, a body without ``data`` or ``meta``, rows that are not objects,
    or an answer for other dates than asked: nothing of it is loaded or cached.

    Parameters
    ----------
    message : str
        What is wrong with the body, with its first characters.
    request_id, url : str, optional
        As for :class:`AtribuError`.

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> with ap.sandbox.start() as sb:  # doctest: +ELLIPSIS
    ...     sb.inject("malformed")  # the next answer is a 200 with an HTML page
    ...     try:
    ...         ap.load_top_performers(client=sb.client())
    ...     except ap.ResponseError as error:
    ...         print(error.message)
    the response is not JSON (...); it starts '<html><body><h1>502 Bad Gateway</h1></body></html>'
    """


class SchemaError(AtribuError):
    """The payload does not match the frame's schema (a drift in the API).

    A required field missing, a type changed or another documented rule broken: the frame
    would be wrong, so nothing is loaded. Report it to Atribu with the request id. Each
    argument is kept as the attribute of the same name.

    Parameters
    ----------
    message : str
        What broke the schema, field by field.
    schema : str
        The schema's name (``Campaigns``, ``TopPerformers`` ...).
    failure_cases : pandas.DataFrame
        Pandera's failure cases: one row per failed check and value.
    request_id, url : str, optional
        As for :class:`AtribuError`.

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> with ap.sandbox.start() as sb:  # doctest: +ELLIPSIS
    ...     sb.inject("tamper", variant="text_spend")  # the next answer sends spend as text
    ...     try:
    ...         ap.load_campaigns("2026-11-01", "2026-11-14", client=sb.client())
    ...     except ap.SchemaError as error:
    ...         print(error.schema, "-", error.message)
    Campaigns - the response does not match the Campaigns schema: spend holds text (...) ...
    """

    def __init__(
        self,
        message: str,
        *,
        schema: str,
        failure_cases: pd.DataFrame,
        request_id: str | None = None,
        url: str | None = None,
    ) -> None:
        super().__init__(message, request_id=request_id, url=url)
        self.schema = schema
        self.failure_cases = failure_cases


class ReportError(AtribuError):
    """A report template failed: a refused parameter, a failing cell or the export.

    A refused parameter is raised before the kernel starts, with the
    :class:`ArgumentError` as its ``__cause__``. Each argument is kept as the attribute of
    the same name.

    Parameters
    ----------
    message : str
        What failed; for a cell, its first line.
    cell : int, optional
        Index of the failing cell, when a cell failed.
    notebook_path : str, optional
        Where the partly executed notebook was kept for inspection.

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> try:  # doctest: +ELLIPSIS
    ...     ap.reports.check_parameters("campaign_performance", {"model": "newest"})
    ... except ap.ReportError as error:
    ...     print(error.__cause__)
    model='newest' is not allowed: one of last_touch, first_touch, linear, ...
    """

    def __init__(
        self, message: str, *, cell: int | None = None, notebook_path: str | None = None
    ) -> None:
        super().__init__(message)
        self.cell = cell
        self.notebook_path = notebook_path


class AtribuWarning(UserWarning):
    """The base of every warning atribu-pandas gives: a load or a computation worked,
    and something about it deserves a look.

    Every one is raised at the user's own line (:func:`warn_caller`), with any key masked.
    ``warnings.simplefilter("ignore", ap.AtribuWarning)`` silences them all.

    Examples
    --------
    Turned into errors, the package's warnings stop a script where they start:

    >>> import warnings
    >>> import atribu_pandas as ap
    >>> with ap.sandbox.start() as sb, warnings.catch_warnings():
    ...     warnings.simplefilter("error", ap.AtribuWarning)
    ...     try:
    ...         ap.load_campaigns("2026-11-01", "2026-11-14", limit=5, client=sb.client())
    ...     except ap.AtribuWarning as warning:
    ...         print(type(warning).__name__)
    TruncatedResultWarning
    """


class SchemaDriftWarning(AtribuWarning):
    """The API sent a value or a field that its documentation does not list (yet).

    The load worked: a new value of a closed set became an extra category, a new field an
    extra column. The message names the fields, the new values and the request id, so the
    drift can be reported to Atribu and the vocabulary brought up to date.

    Examples
    --------
    >>> import warnings
    >>> import atribu_pandas as ap
    >>> with ap.sandbox.start() as sb, warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     sb.inject("tamper", variant="negative_spend")  # the next answer has spend < 0
    ...     df = ap.load_campaigns("2026-11-01", "2026-11-14", client=sb.client())
    >>> [w.category.__name__ for w in caught]
    ['SchemaDriftWarning']
    >>> bool((df["spend"] < 0).any())  # kept as sent
    True
    """


class EmptyResultWarning(AtribuWarning):
    """An answer came back with no rows; the message says what that usually means.

    Examples
    --------
    >>> import warnings
    >>> import atribu_pandas as ap
    >>> with ap.sandbox.start() as sb, warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     df = ap.load_campaigns("2020-01-01", "2020-01-14", client=sb.client())
    >>> len(df), caught[0].category.__name__
    (0, 'EmptyResultWarning')
    >>> print(str(caught[0].message).partition("] ")[2])  # doctest: +ELLIPSIS
    /campaigns returned no rows from 2020-01-01 to 2020-01-14: no campaign spent or earned ...
    """


class LargeLoadWarning(AtribuWarning):
    """A load needs many requests: the rate limit will make it slow (the message says how).

    It comes before the first request, so a script that would rather not wait can make it
    an error and stop there.

    Examples
    --------
    >>> import warnings
    >>> import atribu_pandas as ap
    >>> with ap.sandbox.start() as sb, warnings.catch_warnings():  # doctest: +ELLIPSIS
    ...     warnings.simplefilter("error", ap.LargeLoadWarning)
    ...     ads = ap.load_campaigns("2026-11-01", "2026-11-14", level="ad", client=sb.client())
    ...     try:  # 30 ids are 3 requests of 10, at 2 requests a minute
    ...         ap.load_campaign_trend(ads["campaign_id"].head(30), "2026-11-01",
    ...                                "2026-11-14", client=sb.client(rate_limit=2))
    ...     except ap.LargeLoadWarning as warning:
    ...         print(warning)
    this load needs 3 requests; at 2 requests a minute it will take about 30 s (...)
    """


class PartialResultWarning(AtribuWarning):
    """Some requests of a multi-request load failed; the frame holds the others.

    The message names each part that is missing and its error (with the request id).

    Examples
    --------
    >>> import warnings
    >>> import atribu_pandas as ap
    >>> with ap.sandbox.start() as sb, warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     sb.inject("error", status=400)  # one of the seven models' requests is refused
    ...     both = ap.load_model_comparison("2026-11-01", "2026-11-14", client=sb.client())
    >>> caught[0].category.__name__, both["model"].nunique()
    ('PartialResultWarning', 6)
    """


class PayloadWarning(AtribuWarning):
    """An answer loaded but looks wrong: more rows than ``limit``, an id repeated, rows a
    filter should have left out, or an integer too large to keep exactly.

    Examples
    --------
    >>> import warnings
    >>> import atribu_pandas as ap
    >>> with ap.sandbox.start() as sb, warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     sb.inject("tamper", variant="duplicate_ids")  # the next answer repeats a row
    ...     df = ap.load_campaigns("2026-11-01", "2026-11-14", client=sb.client())
    >>> print(caught[0].message)  # doctest: +ELLIPSIS
    the server sent 1 repeated campaign_id value(s) (request_id=req_...); all rows are kept
    """


class TruncatedResultWarning(AtribuWarning):
    """``/campaigns`` returned exactly ``limit`` rows: more entities may exist.

    Examples
    --------
    >>> import warnings
    >>> import atribu_pandas as ap
    >>> with ap.sandbox.start() as sb, warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     df = ap.load_campaigns("2026-11-01", "2026-11-14", limit=5, client=sb.client())
    >>> len(df), caught[0].category.__name__
    (5, 'TruncatedResultWarning')
    """


class LevelMismatchWarning(AtribuWarning):
    """Trend ids recorded at one level were asked for at another (they give no rows).

    Examples
    --------
    >>> import warnings
    >>> import atribu_pandas as ap
    >>> with ap.sandbox.start() as sb, warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     ads = ap.load_campaigns("2026-11-01", "2026-11-14", level="ad", client=sb.client())
    ...     trend = ap.load_campaign_trend(ads["campaign_id"].head(3), "2026-11-01",
    ...                                    "2026-11-14", level="campaign", client=sb.client())
    >>> [w.category.__name__ for w in caught]
    ['LevelMismatchWarning', 'EmptyResultWarning']
    """


class DemoDataWarning(AtribuWarning):
    """No ``ATRIBU_API_KEY`` was set, so the loaders are using the sandbox's demo data.

    Set the key to load your own profile, or call :func:`~atribu_pandas.use_sandbox` to
    choose the demo on purpose (without the warning).

    Examples
    --------
    >>> import warnings
    >>> import atribu_pandas as ap
    >>> from atribu_pandas.loaders.defaults import forget_clients
    >>> forget_clients()  # start afresh, as a new session does
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     client = ap.default_client()  # what a loader given no client= uses
    >>> caught[0].category.__name__, client.is_sandbox
    ('DemoDataWarning', True)
    """


class CacheWarning(AtribuWarning):
    """The HTTP cache was set aside, rebuilt or turned off; loads go on without it.

    Examples
    --------
    >>> import tempfile
    >>> import warnings
    >>> import atribu_pandas as ap
    >>> with ap.sandbox.start() as sb, tempfile.NamedTemporaryFile() as a_file:
    ...     with warnings.catch_warnings(record=True) as caught:
    ...         warnings.simplefilter("always")
    ...         client = sb.client(cache_dir=a_file.name)  # a file, not a folder
    >>> caught[0].category.__name__, client.cache_enabled
    ('CacheWarning', False)
    """


class WorkspaceWarning(AtribuWarning):
    """Some profiles of a workspace failed; the frame holds the others.

    Examples
    --------
    >>> import warnings
    >>> import atribu_pandas as ap
    >>> with ap.sandbox.start() as sb, warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     keys = {"Clinic": sb.api_key, "Former client": "atb_live_revoked"}
    ...     ws = ap.Workspace(keys, base_url=sb.url, cache=False)
    ...     top = ws.load_top_performers(limit=3)
    >>> caught[0].category.__name__, top["profile"].unique().tolist()
    ('WorkspaceWarning', ['Clinic'])
    >>> top.attrs["atribu"]["failed"][0]["error"]
    'AuthenticationError'
    """


class ReachNotAdditiveWarning(AtribuWarning):
    """``rollup`` dropped ``reach`` (and ``frequency``): reach counts unique people.

    The same person can be reached by several ads, campaigns or days, so the reach of a
    group is not the sum of its rows' reach. It is kept only where each group holds a
    single entity.

    Examples
    --------
    >>> import warnings
    >>> import atribu_pandas as ap
    >>> with ap.sandbox.start() as sb:
    ...     ads = ap.load_campaigns("2026-11-01", "2026-11-14", level="ad", client=sb.client())
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     by_parent = ads.atribu.rollup("parent_name")
    >>> caught[0].category.__name__, "reach" in by_parent.columns
    ('ReachNotAdditiveWarning', False)
    """


class MixedModelsWarning(AtribuWarning):
    """A rollup summed rows of different attribution models.

    Each model credits the same outcomes once, so summing across models counts every
    outcome (and every dollar of spend) once per model. Group by ``model`` as well.

    Examples
    --------
    >>> import warnings
    >>> import atribu_pandas as ap
    >>> with ap.sandbox.start() as sb:
    ...     both = ap.load_model_comparison("2026-11-01", "2026-11-14", client=sb.client())
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     total = both.atribu.rollup()  # every model's rows in one sum
    ...     per_model = both.atribu.rollup("model")  # one sum per model: no warning
    >>> [w.category.__name__ for w in caught], len(per_model)
    (['MixedModelsWarning'], 7)
    """


class MixedCurrencyWarning(AtribuWarning):
    """Amounts in different currencies were added up or shown on one axis.

    A workspace whose profiles report in different currencies joins their rows; summing
    EUR and USD gives a number in neither. Convert first with
    ``df.atribu.in_currency("USD", rates={"EUR": 1.08})``, or keep each profile apart.

    Examples
    --------
    >>> import warnings
    >>> import atribu_pandas as ap
    >>> with ap.sandbox.start() as sb:
    ...     ws = sb.workspace(currencies={"Bright Smile Dental": "EUR"})  # the other is USD
    ...     df = ws.load_campaigns("2026-11-01", "2026-11-14")
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     total = df.atribu.rollup()
    >>> caught[0].category.__name__
    'MixedCurrencyWarning'
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     usd = df.atribu.in_currency("USD", rates={"EUR": 1.08}).atribu.rollup()
    >>> caught, len(usd)  # converted to one currency first: no warning
    ([], 1)
    """


class EmptyReportWarning(AtribuWarning):
    """The report's window had no data: the report is one page saying what to try.

    The report is still written. The :class:`~atribu_pandas.reports.RenderedReport` that
    :func:`~atribu_pandas.reports.render` returns holds the same notice in ``empty``, for
    a script that checks rather than catches.

    Examples
    --------
    >>> import tempfile
    >>> import warnings
    >>> import atribu_pandas as ap
    >>> window = {"date_from": "2020-01-01", "date_to": "2020-01-28"}  # before the demo data
    >>> with tempfile.TemporaryDirectory() as folder, warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter("always", ap.AtribuWarning)
    ...     done = ap.reports.render("trends", demo=True, progress=False, parameters=window,
    ...                              output=f"{folder}/trends.html")
    >>> [x.category.__name__ for x in w if issubclass(x.category, ap.AtribuWarning)]
    ['EmptyReportWarning']
    >>> print(done.empty)  # doctest: +ELLIPSIS
    No delivery from Jan 1...28, 2020. Nothing was spent and nothing was attributed.
    """


def warn_caller(message: str, category: type[Warning]) -> None:
    """Warn at the first frame outside atribu-pandas (the user's own line), key scrubbed.

    Parameters
    ----------
    message : str
    category : type of Warning

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn_caller("careful", EmptyResultWarning)
    >>> caught[0].category.__name__
    'EmptyResultWarning'
    """
    package = __name__.rpartition(".")[0] + "."
    level, frame = 2, sys._getframe(1)  # stacklevel 2 is the caller of this function
    while frame is not None and frame.f_globals.get("__name__", "").startswith(package):
        level, frame = level + 1, frame.f_back  # type: ignore[assignment]
    warnings.warn(printable(scrub(message)), category, stacklevel=level)


# What each frame was already told, by the frame's id (frames are not hashable): a weak
# reference tells a live frame from a new one that reuses a freed id.
_TOLD: dict[int, tuple[weakref.ref[Any], set[tuple[type[Warning], str]]]] = {}


def warn_once_per_frame(frame: Any, message: str, category: type[Warning]) -> None:
    """:func:`warn_caller`, but once per frame and message: three rollups of one ads frame
    say that reach is not additive once, a new load says it again.

    Examples
    --------
    >>> import warnings
    >>> import pandas as pd
    >>> df = pd.DataFrame({"reach": [1]})
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     for _ in range(3):
    ...         warn_once_per_frame(df, "reach dropped", ReachNotAdditiveWarning)
    >>> len(caught)
    1
    """
    entry = _TOLD.get(id(frame))
    if entry is None or entry[0]() is not frame:
        for key in [k for k, (ref, _) in _TOLD.items() if ref() is None]:
            del _TOLD[key]
        entry = (weakref.ref(frame), set())
        _TOLD[id(frame)] = entry
    if (category, message) in entry[1]:
        return
    entry[1].add((category, message))
    warn_caller(message, category)


def warn_renamed(old: str, new: str) -> None:
    """Say at the user's line that ``old`` was renamed ``new`` and works for one more release.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn_renamed("shrink(level=)", "shrink(confidence=)")
    >>> str(caught[0].message)
    'shrink(level=) is deprecated: use shrink(confidence=); the old name goes in the next release'
    """
    warn_caller(
        f"{old} is deprecated: use {new}; the old name goes in the next release",
        DeprecationWarning,
    )


# Deprecated names, answered for one release: they shadowed Python's own TimeoutError and
# ConnectionError in any module that imported them.
_RENAMED = {"TimeoutError": "AtribuTimeoutError", "ConnectionError": "AtribuConnectionError"}


def __getattr__(name: str) -> Any:
    if name in _RENAMED:
        warn_renamed(f"atribu_pandas.{name}", f"atribu_pandas.{_RENAMED[name]}")
        return globals()[_RENAMED[name]]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
