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
through :func:`atribu_pandas.core.redact.scrub`, whatever the server echoed.
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

    Attributes
    ----------
    request_id : str or None
        The ``X-Request-Id`` of the response involved, when there was one.
    url : str or None
        The URL requested (never with the key: it travels in a header).
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
    """The client cannot be configured (no API key, bad base URL, bad cache directory)."""


class MissingExtraError(ConfigurationError, ImportError):
    """A feature's libraries are not installed; the message names the extra to install."""


class ArgumentError(AtribuError, ValueError):
    """An argument was refused before any request was sent.

    Attributes
    ----------
    argument : str
        The argument's name.
    value : Any
        The value given.
    allowed : str
        What is allowed, in words.
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

    Attributes
    ----------
    status : int
        HTTP status code.
    code : str
        The error envelope's ``code`` (``unauthorized``, ``invalid_parameter`` ...).
    message : str
        The error envelope's message.
    request_id, url
        As on :class:`AtribuError`.
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
    """400: a parameter the server refused (``invalid_parameter``, ``invalid_date_range``)."""


class AuthenticationError(APIError):
    """401: the API key is missing, malformed or revoked."""


class PermissionDeniedError(APIError):
    """403: the API key lacks the ``campaigns:read`` scope."""


class NotFoundError(APIError):
    """404: no such path (or resource)."""


class RateLimitError(APIError):
    """429: the key's 60 requests per minute are spent, and retries did not outlast it."""


class ServerError(APIError):
    """5xx: the server failed, and retries did not help."""


class TransportError(AtribuError):
    """No usable HTTP response arrived."""


class AtribuTimeoutError(TransportError, builtins.TimeoutError):
    """The connection or the read timed out."""


class AtribuConnectionError(TransportError, builtins.ConnectionError):
    """The connection failed (refused, reset, DNS, TLS) or retries ran out without an answer."""


class ResponseError(AtribuError):
    """A 2xx response whose body is not the documented ``{"data": [...], "meta": {...}}``."""


class SchemaError(AtribuError):
    """The payload does not match the frame's schema (a drift in the API).

    Attributes
    ----------
    schema : str
        The schema's name (``Campaigns``, ``TopPerformers`` ...).
    failure_cases : pandas.DataFrame
        Pandera's failure cases: one row per failed check and value.
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

    Attributes
    ----------
    cell : int or None
        Index of the failing cell, when a cell failed.
    notebook_path : str or None
        Where the partly executed notebook was kept for inspection.
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
    """


class SchemaDriftWarning(AtribuWarning):
    """The API sent a value or a field that its documentation does not list (yet).

    The load worked: a new value of a closed set became an extra category, a new field an
    extra column. The message names the fields, the new values and the request id, so the
    drift can be reported to Atribu and the vocabulary brought up to date.
    """


class EmptyResultWarning(AtribuWarning):
    """An answer came back with no rows; the message says what that usually means."""


class LargeLoadWarning(AtribuWarning):
    """A load needs many requests: the rate limit will make it slow (the message says how)."""


class PartialResultWarning(AtribuWarning):
    """Some requests of a multi-request load failed; the frame holds the others.

    The message names each part that is missing and its error (with the request id).
    """


class PayloadWarning(AtribuWarning):
    """An answer loaded but looks wrong: more rows than ``limit``, an id repeated, rows a
    filter should have left out, or an integer too large to keep exactly."""


class TruncatedResultWarning(AtribuWarning):
    """``/campaigns`` returned exactly ``limit`` rows: more entities may exist."""


class LevelMismatchWarning(AtribuWarning):
    """Trend ids recorded at one level were asked for at another (they give no rows)."""


class DemoDataWarning(AtribuWarning):
    """No ``ATRIBU_API_KEY`` was set, so the loaders are using the sandbox's demo data."""


class CacheWarning(AtribuWarning):
    """The HTTP cache was set aside, rebuilt or turned off; loads go on without it."""


class WorkspaceWarning(AtribuWarning):
    """Some profiles of a workspace failed; the frame holds the others."""


class ReachNotAdditiveWarning(AtribuWarning):
    """``rollup`` dropped ``reach`` (and ``frequency``): reach counts unique people.

    The same person can be reached by several ads, campaigns or days, so the reach of a
    group is not the sum of its rows' reach. It is kept only where each group holds a
    single entity.
    """


class MixedModelsWarning(AtribuWarning):
    """A rollup summed rows of different attribution models.

    Each model credits the same outcomes once, so summing across models counts every
    outcome (and every dollar of spend) once per model. Group by ``model`` as well.
    """


class MixedCurrencyWarning(AtribuWarning):
    """Amounts in different currencies were added up or shown on one axis.

    A workspace whose profiles report in different currencies joins their rows; summing
    EUR and USD gives a number in neither. Convert first with
    ``df.atribu.in_currency("USD", rates={"EUR": 1.08})``, or keep each profile apart.
    """


class EmptyReportWarning(AtribuWarning):
    """The report's window had no data: the report is one page saying what to try."""


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
