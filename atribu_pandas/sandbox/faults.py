"""The sandbox's fault switches: what a misbehaving network or server can answer.

:meth:`SandboxAPI.inject <atribu_pandas.sandbox.api.SandboxAPI.inject>` queues faults made
here. A fault either replaces the answer (``error``, ``rate_limit``, ``malformed``,
``gzip_bomb``, ``echo_key``) or changes how the real answer is delivered or what it says
(``slow``, ``stall``, ``drip``, ``tamper``). Each is a fault a test drives the client
through, to check that it ends in a typed error with the request id, in bounded time and
memory.

=========== ==================================================================== ===========
kind        what is answered                                                     options
=========== ==================================================================== ===========
error       an error envelope with ``status`` (500), ``Retry-After`` if given    status,
                                                                                 retry_after
rate_limit  429 ``rate_limit_exceeded``, ``Retry-After: 1`` (None: no header)    retry_after
slow        the real answer after ``seconds`` (1.0)                              seconds
stall       ``before`` (0) seconds of silence, the real answer's headers, then   seconds,
            ``seconds`` (1.0) of silence before its body                         before
drip        the real answer, one byte every ``seconds`` (1.0)                    seconds
malformed   a 200 that is not the envelope: ``not_json`` (an HTML page),         variant,
            ``missing_data``, ``rows_not_objects``, ``huge_html`` (``size``      size
            bytes of HTML, default 50 MB)
gzip_bomb   a 200 ``Content-Encoding: gzip`` whose body inflates to ``size``     size
            bytes (default 1 GiB) from about a thousandth of that
echo_key    an error (``status`` 401) echoing the ``Authorization`` header in    status,
            its message and request id; ``variant="text"``: in a text body       variant
tamper      the real answer, changed: ``extra_rows`` (every row twice, the       variant
            copies with new ids), ``duplicate_ids`` (the first row repeated),
            ``wrong_dates`` (``meta`` dates a day off), ``negative_spend``
            (every ``spend`` below 0: out of range, loads with a warning),
            ``text_spend`` (every ``spend`` as text: a type change the schema refuses)
=========== ==================================================================== ===========

``retry_after`` may be a whole number of seconds or any string, sent as it is
(``"1.5"``, an HTTP date, ``"soon"``).
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import orjson

from atribu_pandas.sandbox.refusal import error_body

__all__ = ["FAULT_KINDS", "Fault", "fault_answer", "gzip_bomb", "make_fault", "tamper"]

FAULT_KINDS = (
    "error",
    "rate_limit",
    "slow",
    "stall",
    "drip",
    "malformed",
    "gzip_bomb",
    "echo_key",
    "tamper",
)
# Faults that change how (or what of) the real answer is sent, rather than replace it.
DELIVERY_KINDS = frozenset({"slow", "stall", "drip", "tamper"})
_MALFORMED = ("not_json", "missing_data", "rows_not_objects", "huge_html")
_ECHO = ("message", "text")
_OPTIONS = {
    "error": {"status", "retry_after"},
    "rate_limit": {"retry_after"},
    "slow": {"seconds"},
    "stall": {"seconds", "before"},
    "drip": {"seconds"},
    "malformed": {"variant", "size"},
    "gzip_bomb": {"size"},
    "echo_key": {"status", "variant"},
    "tamper": {"variant"},
}
_DEFAULT_VARIANT = {"malformed": "not_json", "echo_key": "message", "tamper": "extra_rows"}
# Each gzip member inflates to this much; the bomb repeats one member.
_BOMB_MEMBER = 16 * 1024 * 1024


@dataclass(frozen=True)
class Fault:
    """One queued fault (see the table above)."""

    kind: str
    status: int = 500
    retry_after: int | str | None = None
    seconds: float = 0.0
    before: float = 0.0
    variant: str = ""
    size: int = 0


def make_fault(kind: str, options: dict[str, Any]) -> Fault:
    """Check a fault's options and return it.

    Raises
    ------
    ValueError
        An unknown kind or option, or a value out of range.

    Examples
    --------
    >>> make_fault("drip", {"seconds": 0.5}).seconds
    0.5
    """
    if kind not in FAULT_KINDS:
        raise ValueError(f"kind={kind!r} is not allowed: one of {', '.join(FAULT_KINDS)}")
    unknown = set(options) - _OPTIONS[kind]
    if unknown:
        raise ValueError(
            f"{kind!r} faults take {', '.join(sorted(_OPTIONS[kind]))}, "
            f"not {', '.join(sorted(unknown))}"
        )
    fault = Fault(kind, variant=options.get("variant", _DEFAULT_VARIANT.get(kind, "")))
    if kind in _VARIANTS and fault.variant not in _VARIANTS[kind]:
        allowed = ", ".join(repr(v) for v in _VARIANTS[kind])
        raise ValueError(f"variant={fault.variant!r} is not allowed: one of {allowed}")
    if kind in ("error", "echo_key"):
        fault = _with_status(fault, options)
    if kind in ("error", "rate_limit"):
        fault = _with_retry_after(fault, options)
    if kind in ("slow", "stall", "drip"):
        fault = _with_timing(fault, options)
    if kind in ("malformed", "gzip_bomb"):
        fault = _with_size(fault, options)
    return fault


def _with_status(fault: Fault, options: dict[str, Any]) -> Fault:
    status = int(options.get("status", 500 if fault.kind == "error" else 401))
    if not 400 <= status <= 599:
        raise ValueError(f"status={status!r} is not allowed: 400..599")
    return replace(fault, status=status)


def _with_retry_after(fault: Fault, options: dict[str, Any]) -> Fault:
    retry_after = options.get("retry_after", 1 if fault.kind == "rate_limit" else None)
    number = retry_after is not None and not isinstance(retry_after, str)
    if number and (
        isinstance(retry_after, bool) or not isinstance(retry_after, int) or retry_after < 0
    ):
        raise ValueError(f"retry_after={retry_after!r} is not allowed: an integer >= 0 or a string")
    status = 429 if fault.kind == "rate_limit" else fault.status
    return replace(fault, status=status, retry_after=retry_after)


def _with_timing(fault: Fault, options: dict[str, Any]) -> Fault:
    seconds = float(options.get("seconds", 1.0))
    if not 0 <= seconds <= 3600:
        raise ValueError(f"seconds={seconds!r} is not allowed: a number from 0 to 3600")
    before = float(options.get("before", 0.0))
    if not 0 <= before <= 3600:
        raise ValueError(f"before={before!r} is not allowed: a number from 0 to 3600")
    return replace(fault, seconds=seconds, before=before)


def _with_size(fault: Fault, options: dict[str, Any]) -> Fault:
    default = 50_000_000 if fault.kind == "malformed" else 1 << 30
    size = int(options.get("size", default))
    if not 1 <= size <= 1 << 34:
        raise ValueError(f"size={size!r} is not allowed: 1 to 2**34 bytes")
    return replace(fault, size=size)


def fault_answer(
    fault: Fault, request_id: str, authorization: str, codes: Mapping[int, str]
) -> tuple[int, dict[str, str], bytes] | None:
    """The ``(status, headers, body)`` a replacing fault answers; None for delivery faults.

    ``headers`` are added to the usual ``Content-Type`` and ``X-Request-Id``; ``codes``
    names each status's error code.

    Examples
    --------
    >>> fault = make_fault("rate_limit", {})
    >>> status, headers, body = fault_answer(fault, "req_1", "", {429: "rate_limit_exceeded"})
    >>> status, headers["Retry-After"]
    (429, '1')
    """
    if fault.kind in DELIVERY_KINDS:
        return None
    if fault.kind == "malformed":
        return _malformed(fault)
    if fault.kind == "gzip_bomb":
        return 200, {"Content-Encoding": "gzip"}, gzip_bomb(fault.size)
    if fault.kind == "echo_key":
        # A careless proxy repeating the request's header back: the client must mask it.
        if fault.variant == "text":
            text = f"Bad request. Received headers: Authorization: {authorization}\n"
            return fault.status, {"Content-Type": "text/plain"}, text.encode()
        message = f"Could not authorize '{authorization}'"
        body = error_body("unauthorized", message, fault.status, authorization)
        return fault.status, {"X-Request-Id": authorization}, body
    headers: dict[str, str] = {}
    if fault.retry_after is not None:
        headers["Retry-After"] = str(fault.retry_after)
    code = codes.get(fault.status, "internal_error")
    message = f"Injected fault: the sandbox answers {fault.status} {code}"
    return fault.status, headers, error_body(code, message, fault.status, request_id)


def tamper(body: bytes, variant: str) -> bytes:
    """Change a real success body as ``variant`` says (see the table above).

    Examples
    --------
    >>> body = orjson.dumps({"data": [{"campaign_id": "a"}], "meta": {}})
    >>> len(orjson.loads(tamper(body, "duplicate_ids"))["data"])
    2
    """
    envelope = orjson.loads(body)
    _TAMPERING[variant](envelope)
    return orjson.dumps(envelope)


def _extra_rows(envelope: dict[str, Any]) -> None:
    rows = envelope["data"]
    envelope["data"] = rows + [{**row, **_new_ids(row)} for row in rows]


def _duplicate_ids(envelope: dict[str, Any]) -> None:
    if envelope["data"]:
        envelope["data"] = [envelope["data"][0], *envelope["data"]]


def _negative_spend(envelope: dict[str, Any]) -> None:
    for row in envelope["data"]:
        if isinstance(row.get("spend"), int | float):
            row["spend"] = -1.0 - row["spend"]


def _text_spend(envelope: dict[str, Any]) -> None:
    for row in envelope["data"]:
        row["spend"] = str(row.get("spend"))


def _wrong_dates(envelope: dict[str, Any]) -> None:
    for name in ("date_from", "date_to"):
        if name in envelope["meta"]:
            day = dt.date.fromisoformat(envelope["meta"][name]) - dt.timedelta(days=1)
            envelope["meta"][name] = day.isoformat()


_TAMPERING: dict[str, Callable[[dict[str, Any]], None]] = {
    "extra_rows": _extra_rows,
    "duplicate_ids": _duplicate_ids,
    "negative_spend": _negative_spend,
    "text_spend": _text_spend,
    "wrong_dates": _wrong_dates,
}


# The variants each kind takes (tamper's are its table above).
_VARIANTS = {"malformed": _MALFORMED, "echo_key": _ECHO, "tamper": tuple(_TAMPERING)}


@functools.lru_cache(maxsize=4)
def gzip_bomb(size: int) -> bytes:
    """A gzip body that inflates to ``size`` bytes of spaces (valid JSON whitespace).

    Built from repeated gzip members, so making a 1 GiB bomb takes a fraction of a second
    and about 1 MB.

    Examples
    --------
    >>> import gzip
    >>> len(gzip.decompress(gzip_bomb(100_000)))
    100000
    """
    member_size = min(size, _BOMB_MEMBER)
    member = _gzip(b" " * member_size)
    whole, rest = divmod(size, member_size)
    return member * whole + (_gzip(b" " * rest) if rest else b"")


def _gzip(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    return compressor.compress(data) + compressor.flush()


def _malformed(fault: Fault) -> tuple[int, dict[str, str], bytes]:
    if fault.variant == "missing_data":
        return 200, {}, orjson.dumps({"meta": {}, "result": []})
    if fault.variant == "rows_not_objects":
        return 200, {}, orjson.dumps({"data": [1, None, [2, 3], "x"], "meta": {}})
    page = b"<html><body><h1>502 Bad Gateway</h1></body></html>"
    if fault.variant == "huge_html":
        page = b"<html><body>" + b"<p>Loading</p>" * (fault.size // 14 + 1) + b"</body></html>"
    return 200, {"Content-Type": "text/html"}, page


def _new_ids(row: dict[str, Any]) -> dict[str, str]:
    return {
        name: str(uuid.uuid4())
        for name in ("campaign_id", "entity_id", "ad_external_id")
        if name in row
    }
