"""What a failed answer means: HTTP statuses and ``requests`` exceptions as our errors.

:func:`error_from_response` maps a non-2xx response to the matching
:class:`~atribu_pandas.APIError` (code, message and request id from Atribu's
error envelope, ``Retry-After`` as seconds); :func:`error_from_exception` maps a
``requests`` or urllib3 exception to an :class:`~atribu_pandas.AtribuError`.
:func:`parse_retry_after` reads ``Retry-After`` for both this mapping and the retries of
``client.transport``.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import math
import re
import socket
from typing import Any

import orjson
import requests
from urllib3.exceptions import (
    ConnectTimeoutError,
    DecodeError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
)

from atribu_pandas import exceptions as exc
from atribu_pandas.core.redact import printable, scrub

__all__ = [
    "error_from_exception",
    "error_from_response",
    "parse_retry_after",
    "request_id_of",
]

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


def request_id_of(response: requests.Response, body: Any = None) -> str | None:
    """Return the request id of an answer: its error envelope's, else its ``X-Request-Id``.

    Parameters
    ----------
    response : requests.Response
        The answer (its headers are read).
    body : Any, optional
        The parsed body, when it was parsed: an error envelope's ``request_id`` wins.

    Returns
    -------
    str or None
        At most 200 characters, or None when the server sent none.

    Examples
    --------
    >>> r = requests.Response()
    >>> r.headers["X-Request-Id"] = "req_1"
    >>> request_id_of(r)
    'req_1'
    >>> request_id_of(r, {"error": {"request_id": "req_2"}})
    'req_2'
    """
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        rid = body["error"].get("request_id")
        if isinstance(rid, str) and rid:
            return printable(scrub(rid[:200])) or None
    header = response.headers.get("X-Request-Id")
    # Shown in messages and kept in df.attrs: no key and no terminal escape may ride in it.
    return printable(scrub(header[:200])) or None if header else None


def error_from_response(response: requests.Response) -> exc.APIError:
    """Map a non-2xx response to the matching :class:`~atribu_pandas.APIError`.

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
        request_id=request_id_of(response, body),
        url=response.url,
        retry_after=parse_retry_after(response.headers.get("Retry-After")),
    )


def error_from_exception(
    error: BaseException, url: str, request_id: str | None = None
) -> exc.AtribuError:
    """Map a ``requests`` or urllib3 exception to an :class:`~atribu_pandas.AtribuError`.

    Timeouts, including a read timeout that outlasted its retries (which ``requests``
    reports as a ``ConnectionError``), become :class:`~atribu_pandas.AtribuTimeoutError`;
    connection failures become :class:`~atribu_pandas.AtribuConnectionError`; a body
    that cannot be decoded becomes :class:`~atribu_pandas.ResponseError`;
    anything else a :class:`~atribu_pandas.TransportError`.

    Examples
    --------
    >>> e = error_from_exception(requests.ReadTimeout("slow"), "http://127.0.0.1:9/x")
    >>> type(e).__name__
    'AtribuTimeoutError'
    """
    reason = getattr(error.args[0], "reason", None) if error.args else None
    name = type(error).__name__
    where = {"url": url, "request_id": request_id}
    # urllib3 makes a refused connection a subclass of its connect timeout: not a timeout.
    timed_out = isinstance(reason, ReadTimeoutError | ConnectTimeoutError) and not isinstance(
        reason, NewConnectionError
    )
    if isinstance(error, requests.Timeout | ReadTimeoutError | socket.timeout) or timed_out:
        return exc.AtribuTimeoutError(
            f"timed out requesting {url} ({name}: {reason or error})", **where
        )
    if isinstance(error, requests.exceptions.RetryError):
        return exc.AtribuConnectionError(f"retries ran out requesting {url}: {error}", **where)
    if isinstance(error, requests.ConnectionError):
        return exc.AtribuConnectionError(f"could not connect to {url} ({name}: {error})", **where)
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
        return exc.AtribuConnectionError(
            f"the connection broke while reading the answer from {url} ({name}: {error})", **where
        )
    return exc.TransportError(f"request to {url} failed ({name}: {error})", **where)
