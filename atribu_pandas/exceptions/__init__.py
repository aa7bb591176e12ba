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

from typing import Any

from atribu_pandas.exceptions.api import (
    APIError,
    AtribuConnectionError,
    AtribuTimeoutError,
    AuthenticationError,
    BadRequestError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    TransportError,
)
from atribu_pandas.exceptions.errors import (
    ArgumentError,
    AtribuError,
    ConfigurationError,
    MissingExtraError,
    ReportError,
    ResponseError,
    SchemaError,
)
from atribu_pandas.exceptions.warnings import (
    AtribuWarning,
    CacheWarning,
    DemoDataWarning,
    EmptyReportWarning,
    EmptyResultWarning,
    LargeLoadWarning,
    LevelMismatchWarning,
    MixedCurrencyWarning,
    MixedModelsWarning,
    PartialResultWarning,
    PayloadWarning,
    ReachNotAdditiveWarning,
    SchemaDriftWarning,
    TruncatedResultWarning,
    WorkspaceWarning,
    warn_caller,
    warn_once_per_frame,
    warn_renamed,
)

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

# Each is documented, pickled and shown in tracebacks under the package's own path, where
# users import it from: ``atribu_pandas.exceptions.ArgumentError``.
for _name in __all__:
    _public = globals()[_name]
    if isinstance(_public, type):
        _public.__module__ = __name__
del _name, _public

# Deprecated names, answered for one release: they shadowed Python's own TimeoutError and
# ConnectionError in any module that imported them.
_RENAMED = {"TimeoutError": "AtribuTimeoutError", "ConnectionError": "AtribuConnectionError"}


def __getattr__(name: str) -> Any:
    if name in _RENAMED:
        warn_renamed(f"atribu_pandas.{name}", f"atribu_pandas.{_RENAMED[name]}")
        return globals()[_RENAMED[name]]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
