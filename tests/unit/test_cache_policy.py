"""Freshness rules, cache file naming and the in-memory frame memo."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pandas as pd
import pytest

from atribu_pandas.client.cache import (
    FrameMemo,
    cache_path,
    expire_after_for,
    key_fingerprint,
)
from atribu_pandas.client.ratelimit import TokenBucket

NOW = dt.datetime(2026, 3, 20, 9, 30, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("date_to", "expected"),
    [
        # At 09:30 UTC on 03-20 it is still 03-19 at UTC-12, the earliest "today" anywhere.
        ("2026-03-15", dt.timedelta(hours=24)),  # 4 days before 03-19: settled everywhere
        ("2026-03-16", dt.timedelta(minutes=15)),  # 3 days before 03-19: still recent there
        ("2026-03-17", dt.timedelta(minutes=15)),
        ("2026-03-20", dt.timedelta(minutes=15)),
        ("2025-12-31", dt.timedelta(hours=24)),
    ],
)
def test_window_freshness(date_to: str, expected: dt.timedelta) -> None:
    assert expire_after_for("campaigns", date_to, now=NOW) == expected
    assert expire_after_for("trend", date_to, now=NOW) == expected


def test_top_performers_keep_until_next_noon_utc() -> None:
    # 09:30 -> 12:00 the same day: 2 h 30 min.
    assert expire_after_for("top_performers", None, now=NOW) == dt.timedelta(hours=2, minutes=30)
    # 12:00 exactly: the rebuild just happened, keep for a whole day.
    noon = NOW.replace(hour=12, minute=0)
    assert expire_after_for("top_performers", None, now=noon) == dt.timedelta(hours=24)
    # 18:15 -> next day's 12:00: 17 h 45 min.
    evening = NOW.replace(hour=18, minute=15)
    assert expire_after_for("top_performers", None, now=evening) == dt.timedelta(
        hours=17, minutes=45
    )


def test_cache_file_is_named_by_a_hash_not_the_key(tmp_path: Path) -> None:
    key = "atb_live_NOT_A_REAL_secret_KEY"
    path = cache_path(tmp_path, key)
    assert key not in str(path) and "secret" not in str(path)
    assert key_fingerprint(key) in path.name
    assert cache_path(tmp_path, key + "2") != path


def test_memo_returns_copies_and_expires() -> None:
    memo = FrameMemo()
    frame = pd.DataFrame({"a": [1.0, 2.0]})
    memo.put("k", frame, dt.timedelta(seconds=0.2))
    got = memo.get("k")
    assert got is not None and got["a"].tolist() == [1.0, 2.0]
    got.loc[0, "a"] = 99.0  # a caller's edits never reach the memo
    frame.loc[1, "a"] = 42.0  # nor do edits to the frame that was put
    again = memo.get("k")
    assert again is not None and again["a"].tolist() == [1.0, 2.0]
    time.sleep(0.25)
    assert memo.get("k") is None
    assert len(memo) == 0


def test_memo_is_bounded() -> None:
    memo = FrameMemo(max_entries=2)
    for key in "abc":
        memo.put(key, pd.DataFrame({"x": [1]}), dt.timedelta(minutes=1))
    assert len(memo) == 2 and memo.get("a") is None and memo.get("c") is not None


def test_token_bucket_allows_a_burst_then_paces() -> None:
    bucket = TokenBucket(5, period=1.0, margin=0.0)  # 5 at once, then one every 0.2 s
    start = time.monotonic()
    for _ in range(5):
        bucket.acquire()
    burst = time.monotonic() - start
    for _ in range(3):
        bucket.acquire()
    paced = time.monotonic() - start
    assert burst < 0.1
    assert 0.5 <= paced < 1.0  # three more tokens at 0.2 s each


def test_token_bucket_margin_keeps_a_little_slack() -> None:
    bucket = TokenBucket(2, period=1.0, margin=0.25)
    start = time.monotonic()
    bucket.acquire()  # 2.0 -> 1.0 tokens
    bucket.acquire()  # needs 1.25: waits 0.125 s at 2 tokens a second
    assert 0.1 <= time.monotonic() - start < 0.5


def test_a_bucket_of_one_request_a_period_serves_and_then_paces() -> None:
    # rate_limit=1: the margin cannot fit in a bucket that holds one token at most, and
    # asking for it left the first request waiting for ever.
    bucket = TokenBucket(1, period=0.4)
    start = time.monotonic()
    bucket.acquire()
    first = time.monotonic() - start
    bucket.acquire()  # the bucket refills one token over the 0.4 s period
    second = time.monotonic() - start
    assert first < 0.1
    assert 0.35 <= second < 0.8


def test_late_in_the_utc_day_every_timezone_has_moved_on() -> None:
    late = dt.datetime(2026, 3, 20, 23, 0, tzinfo=dt.UTC)  # 03-20 11:00 at UTC-12
    assert expire_after_for("campaigns", "2026-03-16", now=late) == dt.timedelta(hours=24)
    assert expire_after_for("campaigns", "2026-03-17", now=late) == dt.timedelta(minutes=15)


def test_two_budgets_on_one_file_share_their_tokens(tmp_path: Path) -> None:
    # Two processes are two SharedBudget objects on one file: tokens one takes are gone
    # for the other.
    from atribu_pandas.client.ratelimit import SharedBudget

    a = SharedBudget(600, tmp_path / "budget.bin")  # 600 a minute: one every 0.1 s
    b = SharedBudget(600, tmp_path / "budget.bin")
    for _ in range(3):
        a.acquire()
    assert 596.9 < b.tokens() < 597.5  # b sees a's three (plus a hair of refill)
    b.observe(0)  # the server says none are left: both wait
    start = time.monotonic()
    a.acquire()
    assert time.monotonic() - start >= 0.09  # 1.05 tokens at 10 a second


def test_a_budget_without_a_folder_is_kept_in_the_process(tmp_path: Path) -> None:
    from atribu_pandas.client.ratelimit import shared_budget

    blocker = tmp_path / "file"
    blocker.write_text("x")
    budget = shared_budget("atb_test_no_folder_key", "http://h", blocker / "cache", 60)
    assert budget.path is None
    budget.acquire()
    assert 58 < budget.tokens() < 59.1


@pytest.mark.parametrize(
    ("tokens", "ahead"), [(-1e9, 0.0), (30.0, 3600.0), (float("nan"), 0.0)], ids=repr
)
def test_a_damaged_or_future_budget_file_is_repaired_and_waits_briefly(
    tmp_path: Path, tokens: float, ahead: float
) -> None:
    # A state no client writes (a crash, a shared folder, another machine's clock an hour
    # ahead) must not make every load of the key wait for hours.
    import struct

    from atribu_pandas.client.cache import CacheWarning
    from atribu_pandas.client.ratelimit import SharedBudget

    path = tmp_path / "budget.bin"
    path.write_bytes(struct.pack("<dd", tokens, time.time() + ahead))
    budget = SharedBudget(60, path)  # one token a second
    start = time.monotonic()
    with pytest.warns(CacheWarning, match="was reset") as caught:
        budget.acquire()
        budget.acquire()
    elapsed = time.monotonic() - start
    assert len(caught) == 1  # said once, not on every request
    assert elapsed < 2 * 1.05 + 0.5  # an empty budget refills at its own rate
    state = struct.unpack("<dd", path.read_bytes())
    assert 0 <= state[0] <= 60 and state[1] <= time.time()
