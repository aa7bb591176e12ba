"""The package's own errors: the base of every error, configuration, arguments,
answers that do not parse, schema drift and reports.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from atribu_pandas.core.redact import printable, scrub

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ArgumentError",
    "AtribuError",
    "ConfigurationError",
    "MissingExtraError",
    "ReportError",
    "ResponseError",
    "SchemaError",
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
