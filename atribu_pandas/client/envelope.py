"""The success envelope: an answer's body read as ``{"data": [...], "meta": {...}}``,
checked against the request it answers, as an :class:`ApiResponse`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import requests

from atribu_pandas import exceptions as exc
from atribu_pandas.client.http_errors import request_id_of
from atribu_pandas.client.payload import decode
from atribu_pandas.core.dates import calendar_day

__all__ = ["ApiResponse", "read_envelope"]


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
    # The raw answer and its cache entry name, until Client.keep stores it.
    raw: requests.Response | None = field(default=None, repr=False, compare=False)
    cache_key: str | None = field(default=None, repr=False, compare=False)
    expire_after: dt.timedelta | None = field(default=None, repr=False, compare=False)


def read_envelope(
    response: requests.Response,
    content: bytes,
    query: dict[str, str],
    *,
    from_cache: bool,
) -> ApiResponse:
    """Read an answer's body as the documented ``{"data": [...], "meta": {...}}``, its
    dates echoing the request's, or raise :class:`~atribu_pandas.ResponseError`.

    Examples
    --------
    >>> import requests
    >>> answer = requests.Response()
    >>> answer.status_code, answer.url = 200, "http://127.0.0.1/api/v1/campaigns"
    >>> body = b'{"data": [], "meta": {"date_from": "2026-11-01"}}'
    >>> read_envelope(answer, body, {"date_from": "2026-11-01"}, from_cache=False).meta
    {'date_from': '2026-11-01'}
    """
    rid = request_id_of(response)
    where = {"request_id": rid, "url": response.url}
    body, notes = decode(content, **where)
    if not isinstance(body, dict) or not isinstance(body.get("data"), list):
        keys = sorted(body)[:10] if isinstance(body, dict) else type(body).__name__
        raise exc.ResponseError(
            f'the response is not the {{"data": [...], "meta": {{...}}}} envelope (got {keys})',
            **where,
        )
    meta = body.get("meta")
    if not isinstance(meta, dict):
        raise exc.ResponseError("the response has no meta object", **where)
    for name in ("date_from", "date_to"):
        # An answer for another window would be cached and shown as this one. A meta
        # without the dates is allowed (the official schema requires only profile_id),
        # and a date with a time of day names the same calendar day.
        if name in query and name in meta and calendar_day(meta[name]) != query[name]:
            raise exc.ResponseError(
                f"the response's meta.{name}={meta.get(name)!r} does not echo the "
                f"requested {name}={query[name]!r}; it was refused and not cached",
                **where,
            )
    if notes and not from_cache:
        exc.warn_caller(
            f"[request_id={rid}] " + "; ".join(notes) + ": kept, but a float64 column "
            "rounds them to the nearest value it can hold",
            exc.PayloadWarning,
        )
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
