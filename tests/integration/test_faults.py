"""Every fault a misbehaving server or network can cause ends typed, with its request id,
in bounded time and memory. Each test drives the real client against a sandbox fault switch.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import time
import traceback
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from days import settled_query

import atribu_pandas as ap
from atribu_pandas import exceptions as exc

Q = settled_query()
TOP = "/api/v1/top-performers"
CAMPAIGNS = "/api/v1/campaigns"


def _client(sb: Any, **kw: Any) -> ap.Client:
    options: dict[str, Any] = {"cache": False, "max_retries": 0, "backoff_factor": 0.01}
    return sb.client(**(options | kw))


def _timed(call: Any) -> tuple[BaseException | None, float]:
    start = time.monotonic()
    try:
        call()
    except Exception as error:
        return error, time.monotonic() - start
    return None, time.monotonic() - start


# -- deadlines -----------------------------------------------------------------------------


def test_a_dripping_body_ends_at_the_deadline(sb: Any) -> None:
    # One byte every 0.2 s: a few KB would take minutes; the deadline is 1 s after headers.
    sb.inject("drip", seconds=0.2)
    error, elapsed = _timed(lambda: _client(sb, timeout=1).get(TOP, {"limit": 5}))
    assert isinstance(error, exc.AtribuTimeoutError)
    assert error.request_id and error.request_id.startswith("req_")
    assert "did not arrive in full within timeout=1 s" in str(error)
    assert elapsed < 2.5


def test_a_stall_after_the_headers_is_a_timeout_not_a_connection_failure(sb: Any) -> None:
    sb.inject("stall", seconds=5)
    error, elapsed = _timed(lambda: _client(sb, timeout=0.5).get(TOP, {"limit": 1}))
    assert isinstance(error, exc.AtribuTimeoutError)
    assert "could not connect" not in str(error)
    assert error.request_id and error.request_id.startswith("req_")
    assert elapsed < 2


def test_a_gzip_bomb_is_refused_within_the_size_cap(sb: Any) -> None:
    # About 1 MB on the wire that inflates to 1 GiB; the cap is 1 MiB.
    sb.inject("gzip_bomb", size=1 << 30)
    client = _client(sb, max_body_bytes=1 << 20)
    tracemalloc.start()
    try:
        error, elapsed = _timed(lambda: client.get(TOP, {"limit": 1}))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert isinstance(error, exc.ResponseError)
    assert "max_body_bytes=1,048,576" in str(error)
    assert error.request_id and error.request_id.startswith("req_")
    assert peak < 32 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB"
    assert elapsed < 5
    assert client.get(TOP, {"limit": 1}).data  # the connection pool is still usable


def test_a_huge_html_page_is_refused_by_the_cap_and_not_cached(sb: Any, cache_dir: Path) -> None:
    sb.inject("malformed", variant="huge_html", size=5_000_000)
    client = sb.client(cache_dir=cache_dir, max_retries=0, max_body_bytes=1 << 20)
    with pytest.raises(exc.ResponseError) as info:
        client.get(CAMPAIGNS, Q)
    assert info.value.request_id
    assert client.cache_info()["responses"] == 0
    before = sb.request_count
    assert client.get(CAMPAIGNS, Q).data
    assert sb.request_count == before + 1


# -- Retry-After ---------------------------------------------------------------------------


def test_fractional_retry_after_is_honoured(sb: Any) -> None:
    sb.inject("rate_limit", retry_after="1.5")
    error, elapsed = _timed(lambda: _client(sb).get(CAMPAIGNS, Q))
    assert error is None
    assert 1.45 <= elapsed < 4


def test_http_date_retry_after_is_honoured(sb: Any) -> None:
    when = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=2)
    sb.inject("rate_limit", retry_after=email.utils.format_datetime(when, usegmt=True))
    error, elapsed = _timed(lambda: _client(sb).get(CAMPAIGNS, Q))
    assert error is None
    # HTTP dates have whole seconds: the wait is between 1 and 2 s.
    assert 0.9 <= elapsed < 4


def test_garbage_retry_after_is_ignored_and_the_status_kept(sb: Any) -> None:
    sb.inject("error", count=3, status=503, retry_after="soon, maybe")
    error, elapsed = _timed(lambda: _client(sb, max_retries=2).get(CAMPAIGNS, Q))
    assert isinstance(error, exc.ServerError)  # not a TransportError blaming the key
    assert error.status == 503 and error.code == "service_unavailable"
    assert error.retry_after is None
    assert error.request_id and error.request_id.startswith("req_")
    assert "key" not in str(error).lower()
    assert elapsed < 2


# -- malformed envelopes and rows ----------------------------------------------------------


@pytest.mark.parametrize("variant", ["not_json", "missing_data", "rows_not_objects"])
def test_a_malformed_answer_is_typed_and_not_cached(sb: Any, cache_dir: Path, variant: str) -> None:
    client = sb.client(cache_dir=cache_dir, max_retries=0)
    sb.inject("malformed", variant=variant)
    with pytest.raises(exc.ResponseError) as info:
        ap.load_campaigns(*Q.values(), client=client)
    assert info.value.request_id and info.value.request_id.startswith("req_")
    assert client.cache_info()["responses"] == 0
    before = sb.request_count
    df = ap.load_campaigns(*Q.values(), client=client)
    assert sb.request_count == before + 1  # asked again, not served the bad answer
    assert len(df) > 0
    assert client.cache_info()["responses"] == 1


def test_an_answer_for_other_dates_is_refused_and_not_cached(sb: Any, cache_dir: Path) -> None:
    client = sb.client(cache_dir=cache_dir, max_retries=0)
    sb.inject("tamper", variant="wrong_dates")
    with pytest.raises(exc.ResponseError, match="does not echo") as info:
        ap.load_campaigns(*Q.values(), client=client)
    assert info.value.request_id
    assert client.cache_info()["responses"] == 0


def test_more_rows_than_limit_warn(sb: Any) -> None:
    sb.inject("tamper", variant="extra_rows")
    with pytest.warns(ap.PayloadWarning, match=r"sent 10 rows for limit=5 \(request_id=req_"):
        df = ap.load_campaigns(*Q.values(), limit=5, client=_client(sb))
    assert len(df) == 10


def test_repeated_ids_warn(sb: Any) -> None:
    sb.inject("tamper", variant="duplicate_ids")
    with pytest.warns(ap.PayloadWarning, match="1 repeated ad_external_id"):
        top = ap.load_top_performers(limit=5, client=_client(sb))
    assert len(top) == 6


# -- the key in messages -------------------------------------------------------------------


def _everything_shown(error: BaseException) -> str:
    return "\n".join(
        [str(error), repr(error), "".join(traceback.format_exception(error)), str(error.args)]
    )


@pytest.mark.parametrize("variant", ["message", "text"])
def test_an_echoed_key_is_masked_everywhere(sb: Any, variant: str) -> None:
    sb.inject("echo_key", variant=variant)
    with pytest.raises(exc.AuthenticationError) as info:
        _client(sb).get(CAMPAIGNS, Q)
    shown = _everything_shown(info.value)
    assert sb.api_key not in shown
    assert sb.api_key.removeprefix("atb_test_") not in shown
    assert "…" + sb.api_key[-4:] in shown  # masked, not dropped: the user sees what happened


def test_an_unregistered_key_shaped_token_is_masked(sb: Any) -> None:
    stranger = "atb_live_" + "5f" * 16
    error = exc.APIError(f"echo {stranger}", status=401, code="x", request_id=f"Bearer {stranger}")
    assert stranger not in _everything_shown(error)
    assert stranger not in (error.request_id or "")


def test_a_key_pasted_into_base_url_is_not_echoed(sb: Any) -> None:
    with pytest.raises(ap.ConfigurationError) as info:
        ap.Client(api_key=sb.api_key, base_url=sb.api_key, cache=False)
    assert sb.api_key not in _everything_shown(info.value)
    secret = "plain-secret-without-shape-123"
    with pytest.raises(ap.ConfigurationError) as info:
        ap.Client(api_key=secret, base_url=f"htp://{secret}", cache=False)
    assert secret not in _everything_shown(info.value)


def test_repr_of_a_half_built_client_works() -> None:
    half = ap.Client.__new__(ap.Client)
    assert repr(half) == "Client(<not configured>)"
    half.close()  # and closing it is harmless
    with pytest.raises(ap.ArgumentError):
        ap.Client(api_key="atb_test_x" * 2, base_url="http://127.0.0.1:9", timeout=-1)


def test_the_deadline_counts_the_headers_and_the_body_together(sb: Any) -> None:
    # 0.7 s before the headers and 0.7 s after them: each alone fits in timeout=1, the two
    # together do not, so the attempt ends at about 1 s, not 1.4 s or 2 s.
    sb.inject("stall", before=0.7, seconds=0.7)
    error, elapsed = _timed(lambda: _client(sb, timeout=1).get(TOP, {"limit": 1}))
    assert isinstance(error, exc.AtribuTimeoutError)
    assert error.request_id and error.request_id.startswith("req_")
    assert 0.95 <= elapsed < 1.3
