"""The HTTP cache is never stuck and never wrong: bad files are set aside, unusable folders
mean no cache, and a failed write leaves nothing locked."""

from __future__ import annotations

import sqlite3
import warnings
from pathlib import Path
from typing import Any

import pytest
from days import settled_query

import atribu_pandas as ap
from atribu_pandas.client.cache import cache_path

pytestmark = pytest.mark.filterwarnings("ignore::atribu_pandas.TruncatedResultWarning")
Q = settled_query()


def _load(client: ap.Client) -> Any:
    return ap.load_campaigns(*Q.values(), client=client)


def _filled_cache(sb: Any, cache_dir: Path) -> Path:
    client = sb.client(cache_dir=cache_dir)
    _load(client)
    client.close()
    return cache_path(cache_dir, sb.api_key)


def _corrupt(path: Path) -> None:
    path.write_bytes(b"this is not a database at all" * 100)


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _foreign(path: Path) -> None:
    path.unlink()
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE users (name TEXT)")
        con.execute("INSERT INTO users VALUES ('someone')")
    con.close()


def _folder(path: Path) -> None:
    path.unlink()
    path.mkdir()
    (path / "keep.txt").write_text("mine")


@pytest.mark.parametrize("damage", [_corrupt, _truncate, _foreign, _folder])
def test_a_bad_cache_file_is_moved_aside_with_a_warning(
    sb: Any, cache_dir: Path, damage: Any
) -> None:
    path = _filled_cache(sb, cache_dir)
    damage(path)
    with pytest.warns(ap.CacheWarning, match="moved aside") as seen:
        client = sb.client(cache_dir=cache_dir)
    message = str(seen[0].message)
    assert str(path) in message
    (aside,) = cache_dir.glob(path.name + ".aside-*")
    assert str(aside) in message
    assert client.cache_enabled
    before = sb.request_count
    assert len(_load(client)) > 0
    assert sb.request_count == before + 1
    assert client.cache_info()["responses"] == 1  # a fresh cache, in use


def test_an_unusable_cache_folder_means_no_cache_with_a_warning(sb: Any, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.warns(ap.CacheWarning, match="going on without a cache") as seen:
        client = sb.client(cache_dir=blocker / "cache")
    assert str(blocker / "cache") in str(seen[0].message)
    assert not client.cache_enabled
    assert len(_load(client)) > 0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        quiet = sb.client(cache=False)  # asking for no cache warns of nothing
    assert not quiet.cache_enabled


@pytest.mark.timeout(60)
def test_a_failed_write_leaves_no_lock_behind(sb: Any, cache_dir: Path) -> None:
    # SQLite refuses a value over its length limit with DataError, the error requests-cache
    # did not roll back (a 1 GiB body hits the default limit the same way).
    client = sb.client(cache_dir=cache_dir, max_retries=0)
    assert client._cache is not None
    with client._cache.backend.responses.connection() as con:
        con.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, 500)
    with pytest.warns(ap.CacheWarning, match="could not be stored"):
        df = _load(client)
    assert len(df) > 0  # used, not kept
    assert client.cache_info()["responses"] == 0
    with client._cache.backend.responses.connection() as con:
        con.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, 1_000_000_000)
    # Neither this client nor a new one (another notebook) waits on a leftover lock.
    client.get("/api/v1/campaigns", settled_query(shift=1))
    other = sb.client(cache_dir=cache_dir)
    other.get("/api/v1/campaigns", settled_query(shift=2))
    assert other.cache_info()["responses"] == 2


def test_an_answer_whose_frame_fails_validation_is_not_cached(sb: Any, cache_dir: Path) -> None:
    client = sb.client(cache_dir=cache_dir, max_retries=0)
    sb.inject("tamper", variant="text_spend")
    with pytest.raises(ap.SchemaError) as info:
        _load(client)
    assert info.value.request_id
    assert client.cache_info()["responses"] == 0
    before = sb.request_count
    assert (_load(client)["spend"] >= 0).all()
    assert sb.request_count == before + 1
    assert client.cache_info()["responses"] == 1


def _hold_write_lock(path: Path) -> Any:
    """Another process holding the file's write lock, as a notebook stopped mid-write."""
    import subprocess
    import sys

    code = (
        "import sqlite3, sys, time\n"
        f"con = sqlite3.connect({str(path)!r}, isolation_level=None)\n"
        "con.execute('BEGIN EXCLUSIVE')\n"
        "print('locked', flush=True)\n"
        "sys.stdin.read()\n"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    return holder


@pytest.mark.timeout(60)
def test_a_lock_held_elsewhere_costs_a_few_seconds_not_the_load(sb: Any, cache_dir: Path) -> None:
    import time

    from atribu_pandas.client.cache import LOCK_WAIT_SECONDS

    client = sb.client(cache_dir=cache_dir, max_retries=0)
    path = cache_path(cache_dir, sb.api_key)
    client.cache_info()  # the file exists before the other process locks it
    holder = _hold_write_lock(path)
    try:
        start = time.monotonic()
        with pytest.warns(ap.CacheWarning) as caught:
            df = _load(client)
        elapsed = time.monotonic() - start
        # A read that waits for the lock, then a write that does: each at most the wait.
        assert elapsed <= 2 * LOCK_WAIT_SECONDS + 2, elapsed
        assert len(df) > 0
        messages = " ".join(str(w.message) for w in caught)
        assert "locked by another process" in messages
        # Opening a new client on the locked file goes on without the cache; the file is
        # kept, not moved aside as if it were damaged.
        start = time.monotonic()
        with pytest.warns(ap.CacheWarning, match="locked by another process.*The file is kept"):
            other = sb.client(cache_dir=cache_dir, max_retries=0)
            other.cache_info()
        assert time.monotonic() - start <= LOCK_WAIT_SECONDS + 2
        assert list(cache_dir.glob("*.aside-*")) == []
    finally:
        holder.kill()
        holder.wait()
    # Once the other process is gone, the cache works again.
    fresh = sb.client(cache_dir=cache_dir, max_retries=0)
    _load(fresh)
    assert fresh.cache_info()["responses"] == 1


def test_a_full_disk_is_said_not_swallowed(sb: Any, cache_dir: Path) -> None:
    # SQLite's page limit makes the database "full" the way a full disk does
    # (SQLITE_FULL); requests-cache rolled that back without a word.
    client = sb.client(cache_dir=cache_dir, max_retries=0)
    assert client._cache is not None
    with client._cache.backend.responses.connection() as con:
        pages = con.execute("PRAGMA page_count").fetchone()[0]
        con.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.warns(ap.CacheWarning, match="could not be stored.*full"):
        # 100 ads: an answer larger than the free room of the file's existing pages.
        df = ap.load_campaigns(*Q.values(), level="ad", limit=100, client=client)
    assert len(df) > 0
    assert client.cache_info()["responses"] == 0
