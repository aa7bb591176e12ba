"""The client against the real sandbox over loopback: auth, errors, retries, timeouts."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from days import settled_query

import atribu_pandas as ap
from atribu_pandas import exceptions as exc

Q = settled_query()


def _fresh(sb: Any, **kw: Any) -> ap.Client:
    options: dict[str, Any] = {"cache": False, "max_retries": 2, "backoff_factor": 0.01}
    return sb.client(**(options | kw))


def test_headers_sent(sb: Any) -> None:
    response = _fresh(sb).get("/api/v1/campaigns", Q)
    assert response.request_id and response.request_id == response.headers["X-Request-Id"]
    assert response.meta["date_from"] == Q["date_from"]
    assert sb.requests[-1].path == "/api/v1/campaigns"


def test_user_agent_names_the_package(sb: Any) -> None:
    client = _fresh(sb)
    assert client._session.headers["User-Agent"] == f"atribu-pandas/{ap.__version__}"


def test_bad_key_is_401(sb: Any) -> None:
    with pytest.raises(exc.AuthenticationError) as info:
        _fresh(sb, api_key="atb_test_not_a_real_key_0000").get("/api/v1/campaigns", Q)
    error = info.value
    assert error.status == 401 and error.code == "unauthorized"
    assert error.request_id and str(error).startswith(f"[request_id={error.request_id}]")
    assert "atb_test_not_a_real_key_0000" not in str(error)


def test_key_without_scope_is_403(sb: Any) -> None:
    no_scope = next(p for p in sb.profiles if "campaigns:read" not in p.scopes)
    with pytest.raises(exc.PermissionDeniedError) as info:
        ap.load_campaigns(*Q.values(), client=_fresh(sb, api_key=no_scope.api_key))
    assert info.value.code == "insufficient_scope"
    assert no_scope.api_key not in str(info.value)


def test_unknown_path_is_404(sb: Any) -> None:
    with pytest.raises(exc.NotFoundError) as info:
        _fresh(sb).get("/api/v1/campaignz", Q)
    assert info.value.code == "not_found"


def test_500_then_success_is_retried(sb: Any) -> None:
    before = sb.request_count
    sb.inject("error", count=2, status=500)
    response = _fresh(sb).get("/api/v1/campaigns", Q)
    assert response.data
    assert sb.request_count - before == 3


def test_500_that_outlasts_the_retries_raises_server_error(sb: Any) -> None:
    before = sb.request_count
    sb.inject("error", count=3, status=500)
    with pytest.raises(exc.ServerError) as info:
        _fresh(sb).get("/api/v1/campaigns", Q)
    assert info.value.status == 500 and info.value.code == "internal_error"
    assert sb.request_count - before == 3  # first attempt + 2 retries, bounded


def test_429_honours_retry_after(sb: Any) -> None:
    sb.inject("rate_limit", count=1, retry_after=1)
    start = time.monotonic()
    response = _fresh(sb, backoff_factor=0.0).get("/api/v1/campaigns", Q)
    elapsed = time.monotonic() - start
    assert response.data
    assert elapsed >= 0.95  # waited the server's Retry-After, not the tiny backoff


def test_429_without_retry_after_backs_off_and_succeeds(sb: Any) -> None:
    before = sb.request_count
    sb.inject("rate_limit", count=1, retry_after=None)
    assert _fresh(sb).get("/api/v1/campaigns", Q).data
    assert sb.request_count - before == 2


def test_429_that_outlasts_the_wait_budget_raises_rate_limit_error(sb: Any) -> None:
    # 429s are retried while the wait budget lasts (not by count): 1 s waited, the next
    # 1 s would pass max_wait=1.5, so the third 429 reaches the caller.
    before = sb.request_count
    sb.inject("rate_limit", count=3, retry_after=1)
    start = time.monotonic()
    with pytest.raises(exc.RateLimitError) as info:
        _fresh(sb, max_retries=0, max_wait=1.5).get("/api/v1/campaigns", Q)
    assert 0.95 <= time.monotonic() - start < 3
    assert info.value.retry_after == 1.0
    assert info.value.code == "rate_limit_exceeded"
    assert info.value.request_id
    assert sb.request_count - before == 2


def test_retry_after_beyond_the_cap_is_not_waited_for(sb: Any) -> None:
    before = sb.request_count
    sb.inject("rate_limit", count=1, retry_after=600)
    start = time.monotonic()
    with pytest.raises(exc.RateLimitError) as info:
        _fresh(sb).get("/api/v1/campaigns", Q)
    assert time.monotonic() - start < 5
    assert info.value.retry_after == 600.0
    assert sb.request_count - before == 1


def test_clients_of_one_key_share_one_budget_and_a_lower_rate_slows_only_its_client() -> None:
    with ap.sandbox.start() as own:  # its own URL: a bucket no other test has touched
        a = own.client(cache=False, rate_limit=50)
        b = own.client(cache=False, rate_limit=40)
        shared = a._buckets[0]
        assert b._buckets[0] is shared and shared.capacity == 50
        # b's lower rate is its own second bucket; a is not slowed by it.
        assert len(a._buckets) == 1
        assert len(b._buckets) == 2 and b._buckets[1].capacity == 40
        assert b._buckets[1].rate == pytest.approx(40 / 60)


def test_direct_get_is_cached_for_fifteen_minutes(sb: Any, cache_dir: Any) -> None:
    import datetime as dt

    client = sb.client(cache_dir=cache_dir)
    client.get("/api/v1/campaigns", Q)
    assert client._cache is not None
    (response,) = list(client._cache.backend.responses.values())
    assert abs((response.expires - response.created_at) - dt.timedelta(minutes=15)) < dt.timedelta(
        seconds=1
    )


def test_timeout(sb: Any) -> None:
    sb.inject("slow", count=1, seconds=1.5)
    with pytest.raises(exc.AtribuTimeoutError) as info:
        _fresh(sb, timeout=0.3, max_retries=0).get("/api/v1/campaigns", Q)
    assert "timed out" in str(info.value)
    assert isinstance(info.value, TimeoutError)


def test_slow_answer_then_retry_succeeds(sb: Any) -> None:
    sb.inject("slow", count=1, seconds=1.0)
    assert _fresh(sb, timeout=0.3, max_retries=1).get("/api/v1/campaigns", Q).data


def test_connection_refused(tmp_path: Path) -> None:
    client = ap.Client(
        "atb_test_x", base_url="http://127.0.0.1:9", cache=False, max_retries=1, backoff_factor=0.01
    )
    with pytest.raises(exc.AtribuConnectionError, match=r"127\.0\.0\.1:9"):
        client.get("/api/v1/campaigns", Q)


@pytest.mark.parametrize("variant", ["not_json", "missing_data"])
def test_malformed_body_is_a_response_error(sb: Any, variant: str) -> None:
    sb.inject("malformed", count=1, variant=variant)
    with pytest.raises(exc.ResponseError) as info:
        ap.load_campaigns(*Q.values(), client=_fresh(sb))
    assert info.value.request_id


def test_concurrent_requests_stay_within_the_rate_limit() -> None:
    # Sandbox and client both at 30 requests a minute: 34 concurrent requests must wait for
    # tokens (the 4 beyond the burst at one every 2 s) instead of meeting a single 429.
    from concurrent.futures import ThreadPoolExecutor

    with ap.sandbox.start(rate_limit=30) as small:
        client = small.client(cache=False, max_retries=0)
        queries = [{"date_from": "2026-01-01", "date_to": f"2026-02-{d:02d}"} for d in range(1, 29)]
        queries += [{"date_from": "2026-01-02", "date_to": f"2026-02-{d:02d}"} for d in range(1, 7)]
        start = time.monotonic()
        with ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(lambda q: client.get("/api/v1/campaigns", q), queries))
        elapsed = time.monotonic() - start
        statuses = [r.status for r in small.requests]
    assert len(results) == 34
    assert statuses.count(200) == 34
    assert 429 not in statuses
    assert elapsed >= 4 * 2 - 0.5
