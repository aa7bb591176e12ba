"""Refusals of the sandbox's API: the error a request gets, and its JSON envelope.

``sandbox.api.SandboxAPI`` answers a :class:`Refusal` raised while it
handles a request with the refusal's status and headers and the body
:func:`error_body` makes, ``error.code`` defaulting to the status's (:data:`STATUS_CODES`).
"""

from __future__ import annotations

import orjson

__all__ = ["STATUS_CODES", "Refusal", "error_body"]

STATUS_CODES: dict[int, str] = {
    400: "invalid_parameter",
    401: "unauthorized",
    403: "insufficient_scope",
    404: "not_found",
    405: "method_not_allowed",
    429: "rate_limit_exceeded",
    500: "internal_error",
    502: "bad_gateway",
    503: "service_unavailable",
    504: "gateway_timeout",
}


class Refusal(Exception):
    """A request refused with an error envelope.

    Parameters
    ----------
    status : int
        The HTTP status answered.
    message : str
        What was wrong and what is allowed (``error.message``).
    code : str, optional
        ``error.code``; by default the status's code in :data:`STATUS_CODES`.
    headers : dict of str to str, optional
        Headers the refusal adds (``Retry-After``, say).

    Examples
    --------
    >>> Refusal(404, "No route for '/x'").code
    'not_found'
    """

    def __init__(
        self,
        status: int,
        message: str,
        code: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code or STATUS_CODES[status]
        self.message = message
        self.headers = headers or {}


def error_body(code: str, message: str, status: int, request_id: str) -> bytes:
    """The JSON error envelope: ``{"error": {code, message, status, request_id}}``.

    Examples
    --------
    >>> error_body("not_found", "No route", 404, "req_1")
    b'{"error":{"code":"not_found","message":"No route","status":404,"request_id":"req_1"}}'
    """
    return orjson.dumps(
        {"error": {"code": code, "message": message, "status": status, "request_id": request_id}}
    )
