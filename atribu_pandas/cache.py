"""HTTP caching: one requests-cache SQLite file per API key, and how long answers stay fresh.

Why one file per key: requests-cache leaves ``Authorization`` out of its cache keys (so the
token is never written), which also means two keys would share entries in one file. Each
key therefore gets its own database, named by a hash of the key; the key itself is never
written. The directory is created 0700 and the database 0600 because the defaults are
world-readable and the responses are a client's business data.

Freshness (``expire_after_for``): a window that ended more than 3 days ago is settled and
keeps 24 hours; one touching the last 3 days is still filling in and keeps 15 minutes;
top-performer scores keep until the next 12:00 UTC rebuild. Only 200 responses are cached.
The API's days are the profile's timezone, which the client does not know, so "today" is
the earliest calendar day anywhere (UTC-12): a window is never called settled early.

:class:`FrameMemo` keeps validated frames in memory for the same lifetime, so re-running a
notebook cell pays neither parsing nor validation again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import requests

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "RECENT_DAYS",
    "RECENT_EXPIRY",
    "SCORES_REBUILD_HOUR_UTC",
    "SETTLED_EXPIRY",
    "FrameMemo",
    "cache_path",
    "earliest_today",
    "expire_after_for",
    "key_fingerprint",
    "open_session",
]

SETTLED_EXPIRY = dt.timedelta(hours=24)
RECENT_EXPIRY = dt.timedelta(minutes=15)
# Windows ending within this many days of today are still being back-filled by Atribu.
RECENT_DAYS = 3
# The westernmost timezone's offset: its "today" is the earliest calendar day on Earth.
_WESTMOST_OFFSET = dt.timedelta(hours=12)
SCORES_REBUILD_HOUR_UTC = 12
# Only successful answers are worth keeping; errors must reach the user every time.
CACHEABLE_STATUS = (200,)


def key_fingerprint(api_key: str) -> str:
    """Return a short, irreversible name for a key (the first 16 hex digits of its SHA-256).

    Examples
    --------
    >>> len(key_fingerprint("atb_test_demo"))
    16
    """
    return hashlib.sha256(api_key.encode()).hexdigest()[:16]


def cache_path(cache_dir: Path, api_key: str) -> Path:
    """Return the SQLite file that caches responses for ``api_key`` under ``cache_dir``.

    Examples
    --------
    >>> cache_path(Path("/tmp/c"), "atb_test_demo").suffix
    '.sqlite'
    """
    return cache_dir / f"http-{key_fingerprint(api_key)}.sqlite"


def _private_file(path: Path) -> None:
    if not path.parent.exists():
        path.parent.mkdir(parents=True)
        # Only a directory we created is ours to lock down (mkdir's mode obeys the umask).
        os.chmod(path.parent, 0o700)
    # An empty file is a valid empty SQLite database; creating it ourselves sets the mode.
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)


def open_session(cache_dir: Path, api_key: str) -> requests.Session:
    """Return a ``requests_cache.CachedSession`` private to ``api_key``.

    Parameters
    ----------
    cache_dir : pathlib.Path
        The directory holding one database per key.
    api_key : str
        Only its hash is used, to name the database.

    Returns
    -------
    requests_cache.CachedSession
        With the default ``ignored_parameters`` (which keep ``Authorization`` out of the
        stored request and the cache key: do not override them), 200 responses only, and
        no expiry of its own (each request passes ``expire_after``).

    Examples
    --------
    >>> import tempfile
    >>> session = open_session(Path(tempfile.mkdtemp()), "atb_test_demo")
    >>> type(session).__name__
    'CachedSession'
    """
    from requests_cache import CachedSession, SQLiteCache

    path = cache_path(cache_dir, api_key)
    _private_file(path)
    backend = SQLiteCache(path, busy_timeout=10_000)
    return CachedSession(
        backend=backend,
        allowable_codes=CACHEABLE_STATUS,
        allowable_methods=("GET",),
        # Cache-Control from the server does not decide; our freshness rules do.
        cache_control=False,
        stale_if_error=False,
    )


def expire_after_for(
    endpoint: str, date_to: str | None, *, now: dt.datetime | None = None
) -> dt.timedelta:
    """Return how long a response stays fresh.

    Parameters
    ----------
    endpoint : str
        ``"campaigns"``, ``"trend"`` or ``"top_performers"``.
    date_to : str or None
        The window's last day (``YYYY-MM-DD``); unused for top performers.
    now : datetime, optional
        The current UTC time (for tests).

    Returns
    -------
    datetime.timedelta
        24 h for a settled window, 15 min for a recent one, the time until the next
        12:00 UTC for top performers.

    Examples
    --------
    >>> now = dt.datetime(2026, 3, 20, 9, 0, tzinfo=dt.UTC)
    >>> expire_after_for("campaigns", "2026-03-01", now=now)
    datetime.timedelta(days=1)
    >>> expire_after_for("campaigns", "2026-03-16", now=now)  # still 03-19 at UTC-12
    datetime.timedelta(seconds=900)
    >>> expire_after_for("top_performers", None, now=now)
    datetime.timedelta(seconds=10800)
    """
    now = now or dt.datetime.now(dt.UTC)
    if endpoint == "top_performers":
        rebuild = now.replace(hour=SCORES_REBUILD_HOUR_UTC, minute=0, second=0, microsecond=0)
        if rebuild <= now:
            rebuild += dt.timedelta(days=1)
        return rebuild - now
    if date_to is None:
        return RECENT_EXPIRY
    last_day = dt.date.fromisoformat(date_to)
    settled = last_day < earliest_today(now) - dt.timedelta(days=RECENT_DAYS)
    return SETTLED_EXPIRY if settled else RECENT_EXPIRY


def earliest_today(now: dt.datetime | None = None) -> dt.date:
    """Return the earliest calendar day it is anywhere on Earth (UTC-12) at ``now``.

    The API's days are the profile's timezone, which the client does not know: a day on
    or after this one may not be over yet somewhere, so it is never called complete.

    Examples
    --------
    >>> earliest_today(dt.datetime(2026, 3, 20, 9, 0, tzinfo=dt.UTC))
    datetime.date(2026, 3, 19)
    """
    now = now or dt.datetime.now(dt.UTC)
    return (now - _WESTMOST_OFFSET).date()


@dataclass
class _Entry:
    expires: float
    frame: pd.DataFrame


class FrameMemo:
    """In-memory validated frames, keyed by request, each kept until its HTTP expiry.

    Frames are copied in and out, so a caller mutating its frame cannot change the memo.
    """

    def __init__(self, max_entries: int = 256) -> None:
        self._entries: dict[Any, _Entry] = {}
        self._lock = threading.Lock()
        self._max = max_entries

    def get(self, key: Any) -> pd.DataFrame | None:
        """Return a copy of the frame for ``key``, or None when absent or expired."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry.expires <= time.monotonic():
                del self._entries[key]
                return None
            return entry.frame.copy(deep=True)

    def put(self, key: Any, frame: pd.DataFrame, ttl: dt.timedelta) -> None:
        """Keep a copy of ``frame`` for ``ttl``."""
        with self._lock:
            if len(self._entries) >= self._max:
                self._entries.pop(next(iter(self._entries)))
            self._entries[key] = _Entry(time.monotonic() + ttl.total_seconds(), frame.copy())

    def clear(self) -> None:
        """Forget every frame."""
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
