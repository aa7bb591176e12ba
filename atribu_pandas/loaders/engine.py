"""The machinery every loader shares: memo, concurrent GETs, row checks, provenance.

:func:`_load` serves a frame from the client's in-memory memo, or fetches it, records its
provenance in ``df.attrs["atribu"]``, keeps its answers in the HTTP cache (only now that
the frame validated) and memoises it. :func:`_get_many` runs a load's GETs concurrently
within the rate limit; :func:`_rows` and :func:`_warn_payload` check each answer's rows
where they are read; :func:`_validated` conforms and validates a frame once. The public
loaders are in ``loaders`` and ``loaders.periods``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed, wait
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa

from atribu_pandas.client.cancellation import Cancellation, joined
from atribu_pandas.client.client import Client
from atribu_pandas.client.envelope import ApiResponse
from atribu_pandas.exceptions import (
    ArgumentError,
    AtribuError,
    LargeLoadWarning,
    PayloadWarning,
    ResponseError,
    warn_caller,
)
from atribu_pandas.frames.policy import conform
from atribu_pandas.loaders.defaults import default_client

__all__ = [
    "MAX_WORKERS",
]

# Concurrent requests of one multi-request load; the token bucket still caps the rate.
MAX_WORKERS = 8
# A load that will wait this long on the rate limit says so before it starts.
_SLOW_LOAD_SECONDS = 10.0
# How long an interrupted load waits for its woken workers to end.
_CANCEL_GRACE_SECONDS = 0.5


def _check_client(client: Any) -> Client:
    if client is None:
        return default_client()
    if not isinstance(client, Client):
        raise ArgumentError("client", client, "an atribu_pandas.Client, or None for the default")
    return client


def _check_refresh(refresh: Any) -> bool:
    if not isinstance(refresh, bool | np.bool_):
        # "no" would be truthy: a guess either way.
        raise ArgumentError("refresh", refresh, "True or False")
    return bool(refresh)


def _rows(response: ApiResponse) -> list[dict[str, Any]]:
    """The answer's rows, each an object, or a ResponseError naming the request id."""
    for index, row in enumerate(response.data):
        if not isinstance(row, dict):
            raise ResponseError(
                f"row {index} of the answer is {type(row).__name__} {str(row)[:60]!r}, not an "
                "object with the documented fields",
                request_id=response.request_id,
                url=response.url,
            )
    return response.data


def _warn_payload(
    response: ApiResponse, rows: list[dict[str, Any]], id_field: str, limit: int | None
) -> None:
    """Warn when the server sent more rows than asked for, or one id more than once."""
    rid = f" (request_id={response.request_id})" if response.request_id else ""
    if limit is not None and len(rows) > limit:
        warn_caller(
            f"the server sent {len(rows)} rows for limit={limit}{rid}; all are kept",
            PayloadWarning,
        )
    ids = [row.get(id_field) for row in rows if isinstance(row.get(id_field), str)]
    repeated = len(ids) - len(set(ids))
    if repeated:
        warn_caller(
            f"the server sent {repeated} repeated {id_field} value(s){rid}; all rows are kept",
            PayloadWarning,
        )


def _attrs(
    client: Client, endpoint: str, query: dict[str, Any], responses: Sequence[ApiResponse]
) -> dict[str, Any]:
    return {
        "endpoint": endpoint,
        "params": {k: v for k, v in query.items() if v is not None},
        "meta": dict(responses[0].meta) if responses else {},
        "request_ids": [r.request_id for r in responses],
        "fetched_at": min((r.fetched_at for r in responses), default=None),
        "from_cache": all(r.from_cache for r in responses),
        "demo": client.is_sandbox,
        "base_url": client.base_url,
        "currency": client.currency,
    }


def _memo_key(client: Client, endpoint: str, query: dict[str, Any]) -> tuple[Any, ...]:
    items = tuple(sorted((k, str(v)) for k, v in query.items() if v is not None))
    return (client.key_fingerprint, client.base_url, endpoint, items)


def _load(
    client: Client | None,
    endpoint: str,
    query: dict[str, Any],
    ttl: dt.timedelta,
    refresh: bool,
    fetch: Callable[[Client], tuple[pd.DataFrame, list[ApiResponse]]],
) -> pd.DataFrame:
    """Serve from the in-memory memo, or fetch, validate, record provenance and memoise."""
    refresh = _check_refresh(refresh)
    client = _check_client(client)
    key = _memo_key(client, endpoint, query)
    if client.cache_enabled and not refresh:
        frame = client.frames.get(key)
        if frame is not None:
            frame.attrs["atribu"]["from_cache"] = True
            return frame
    frame, responses = fetch(client)
    frame.attrs["atribu"] = _attrs(client, endpoint, query, responses)
    if client.cache_enabled:
        # Only now, with the frame valid, are the answers worth keeping.
        client.keep(responses)
        client.frames.put(key, frame, ttl)
    return frame


def _get_many(
    client: Client,
    path: str,
    queries: list[dict[str, Any]],
    ttl: dt.timedelta | Sequence[dt.timedelta],
    refresh: bool,
    label: str,
    workers: int = MAX_WORKERS,
) -> list[ApiResponse]:
    """Run several GETs concurrently (within the rate limit), results in query order.

    ``ttl`` is one lifetime for all, or one per query (each period keeps its own freshness).
    The first failure is raised.
    """
    results = _get_each(client, path, queries, ttl, refresh, label, workers)
    for result in results:
        if isinstance(result, AtribuError):
            raise result
    return [r for r in results if isinstance(r, ApiResponse)]


def _get_each(
    client: Client,
    path: str,
    queries: list[dict[str, Any]],
    ttl: dt.timedelta | Sequence[dt.timedelta],
    refresh: bool,
    label: str,
    workers: int = MAX_WORKERS,
) -> list[ApiResponse | AtribuError]:
    """Like :func:`_get_many`, but each query's answer or error, in query order.

    An interrupt (Ctrl-C, Jupyter's Interrupt) cancels the queued requests, wakes the
    waiting ones and shuts the sockets being read, waits a moment for the workers to
    end, and re-raises: the load stops within a second and leaves no thread behind.
    """
    ttls = [ttl] * len(queries) if isinstance(ttl, dt.timedelta) else list(ttl)
    if len(queries) > 1:
        _warn_if_slow(client, len(queries))
    cancellation = Cancellation()

    def one(query: dict[str, Any], lifetime: dt.timedelta) -> ApiResponse | AtribuError:
        try:
            with joined(cancellation):
                return client.get(path, query, expire_after=lifetime, refresh=refresh, keep=False)
        except AtribuError as error:
            return error

    if len(queries) == 1:
        return [one(queries[0], ttls[0])]
    pool = ThreadPoolExecutor(max_workers=max(1, min(workers, len(queries))))
    futures = [pool.submit(one, q, t) for q, t in zip(queries, ttls, strict=True)]
    try:
        if client.progress:
            from tqdm.auto import tqdm

            for _ in tqdm(as_completed(futures), total=len(futures), desc=label, leave=False):
                pass
        results = [f.result() for f in futures]
    except BaseException:
        cancellation.cancel()
        pool.shutdown(wait=False, cancel_futures=True)
        # The workers wake at once (their sleeps and sockets were cut): wait for them
        # briefly, so none is left sending after the interrupt.
        # (A future cancelled in the queue never counts as done for wait(): leave it out.)
        wait([f for f in futures if not f.cancelled()], timeout=_CANCEL_GRACE_SECONDS)
        raise
    pool.shutdown(wait=True)
    return results


def _warn_if_slow(client: Client, requests_needed: int) -> None:
    """Say first when the rate limit will make a load slow (every multi-request load)."""
    # The shared budget allows rate_limit requests at once, then one every 60/rate s.
    beyond = requests_needed - client.rate_limit
    seconds = beyond * 60.0 / client.rate_limit if beyond > 0 else 0.0
    if seconds > _SLOW_LOAD_SECONDS:
        warn_caller(
            f"this load needs {requests_needed} requests; at {client.rate_limit} requests a "
            f"minute it will take about {seconds:.0f} s (Ctrl-C or Interrupt stops it)",
            LargeLoadWarning,
        )


def _validated(
    frame: pd.DataFrame, schema: pa.DataFrameSchema, responses: list[ApiResponse]
) -> pd.DataFrame:
    """Conform and validate a load's frame once; a drift names every request id that fed it."""
    ids = ",".join(r.request_id for r in responses if r.request_id) or None
    return conform(frame, schema, request_id=ids, url=responses[0].url)
