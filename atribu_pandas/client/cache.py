"""HTTP caching: one requests-cache SQLite file per API key, and how long answers stay fresh.

Why one file per key: requests-cache leaves ``Authorization`` out of its cache keys (so the
token is never written), which also means two keys would share entries in one file. Each
key therefore gets its own database, named by a hash of the key; the key itself is never
written. The directory is created 0700 and the database 0600 because the defaults are
world-readable and the responses are a client's business data.

Freshness (``expire_after_for``): a window that ended more than 3 days ago is settled and
keeps 24 hours; one touching the last 3 days is still filling in and keeps 15 minutes;
top-performer scores keep until the next 12:00 UTC rebuild. Only 200 responses whose
envelope parses and whose frame validates are stored: the client asks
:class:`ResponseCache` itself rather than letting requests-cache store every answer.
The API's days are the profile's timezone, which the client does not know, so "today" is
the earliest calendar day anywhere (UTC-12): a window is never called settled early.

:class:`FrameMemo` keeps validated frames in memory for the same lifetime, so re-running a
notebook cell pays neither parsing nor validation again.

The cache is never stuck and never in the way: a corrupt, truncated or foreign file is
moved aside (a :class:`CacheWarning` names both paths) and a fresh one made; a folder that
cannot hold the file means no cache, with a warning; a write that fails (a disk full, a
body over SQLite's limit) is rolled back, so it never leaves the database locked.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import requests

from atribu_pandas.core.dates import current_day
from atribu_pandas.exceptions import CacheWarning, warn_caller

if TYPE_CHECKING:
    import pandas as pd
    from requests_cache import CachedResponse, SQLiteCache

__all__ = [
    "RECENT_DAYS",
    "RECENT_EXPIRY",
    "SCORES_REBUILD_HOUR_UTC",
    "SETTLED_EXPIRY",
    "FrameMemo",
    "ResponseCache",
    "cache_path",
    "expire_after_for",
    "key_fingerprint",
    "private_folder",
]

SETTLED_EXPIRY = dt.timedelta(hours=24)
RECENT_EXPIRY = dt.timedelta(minutes=15)
# Windows ending within this many days of today are still being back-filled by Atribu.
RECENT_DAYS = 3
# The westernmost timezone's offset: its "today" is the earliest calendar day on Earth.
SCORES_REBUILD_HOUR_UTC = 12
# Only successful answers are worth keeping; errors must reach the user every time.
CACHEABLE_STATUS = (200,)
# The tables requests-cache makes; a database with any other table is not ours.
_OWN_TABLES = frozenset({"responses", "redirects"})
# Seconds a read or a write waits for a lock another process holds on the cache file (a
# notebook stopped mid-write) before the load goes on without the cache.
LOCK_WAIT_SECONDS = 3.0


class _Locked(Exception):
    """The cache file is locked by another connection beyond LOCK_WAIT_SECONDS."""


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


def private_folder(folder: Path) -> None:
    """Create ``folder`` (and its parents) readable by its owner only, if it is missing.

    Only a folder made here is locked down: an existing one keeps its mode.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp()) / "atribu"
    >>> private_folder(folder)
    >>> oct(folder.stat().st_mode & 0o777)
    '0o700'
    """
    if not folder.exists():
        folder.mkdir(parents=True)
        # mkdir's mode obeys the umask: set it outright.
        os.chmod(folder, 0o700)


def _private_file(path: Path) -> None:
    private_folder(path.parent)
    # An empty file is a valid empty SQLite database; creating it ourselves sets the mode.
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)


def _problem(path: Path) -> str | None:
    """Why the file at ``path`` is not a usable cache of ours, or None when it is."""
    if not path.exists() and not path.is_symlink():
        return None
    if not path.is_file():
        return "it is not a regular file"
    if path.stat().st_size == 0:
        return None  # an empty file is an empty database
    try:
        uri = f"file:{path}?mode=ro"
        with contextlib.closing(sqlite3.connect(uri, uri=True, timeout=LOCK_WAIT_SECONDS)) as con:
            check = con.execute("PRAGMA quick_check").fetchone()
            tables = {row[0] for row in con.execute("SELECT name FROM sqlite_master")}
    except sqlite3.OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            raise _Locked(str(error)) from None  # in use elsewhere, not damaged: keep it
        return f"it is not a readable SQLite database ({error})"
    except sqlite3.Error as error:
        return f"it is not a readable SQLite database ({error})"
    if not check or check[0] != "ok":
        return f"it is damaged ({check[0] if check else 'no answer'})"
    foreign = {t for t in tables if not t.startswith(("sqlite_", "expires_idx"))} - _OWN_TABLES
    if foreign:
        return f"it holds tables that are not the cache's ({', '.join(sorted(foreign))})"
    return None


def _move_aside(path: Path, why: str) -> None:
    aside = path.with_name(f"{path.name}.aside-{int(time.time())}-{os.getpid()}")
    os.replace(path, aside)
    warn_caller(
        f"The cache file {path} was moved aside to {aside} because {why}; a new cache was "
        "started. Delete the old file once you no longer need it.",
        CacheWarning,
    )


class ResponseCache:
    """One key's SQLite file of validated API answers (a requests-cache backend).

    Use :meth:`open`, which gives None (and a :class:`CacheWarning`) when the folder
    cannot hold the cache. Entries are named by requests-cache's keys, which leave the
    ``Authorization`` header out, so the key is never written.

    Examples
    --------
    >>> import tempfile
    >>> cache = ResponseCache.open(Path(tempfile.mkdtemp()), "atb_test_demo")
    >>> cache.count()
    0
    """

    def __init__(self, backend: SQLiteCache, path: Path) -> None:
        self.backend = backend
        self.path = path
        # One write at a time: each holds the file's write lock in a transaction of ours.
        self._write_lock = threading.Lock()

    @classmethod
    def open(cls, cache_dir: Path, api_key: str) -> ResponseCache | None:
        """Open (or create) the cache of ``api_key`` under ``cache_dir``.

        A corrupt or foreign file is moved aside and replaced, with a warning naming it;
        a folder that cannot hold the file gives None, with a warning.

        Examples
        --------
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> ResponseCache.open(folder, "atb_test_demo").path.parent == folder
        True
        """
        from requests_cache import SQLiteCache

        path = cache_path(cache_dir, api_key)
        try:
            why = _problem(path)
            if why is not None:
                _move_aside(path, why)
            _private_file(path)
            # With the default ignored_parameters, which keep Authorization out of the
            # stored request and the cache key: do not override them.
            backend = SQLiteCache(path, busy_timeout=int(LOCK_WAIT_SECONDS * 1000))
        except _Locked as error:
            warn_caller(
                f"The cache file {path} is locked by another process ({error}) and stayed "
                f"locked for {LOCK_WAIT_SECONDS:g} s; going on without the cache for this "
                "client. The file is kept.",
                CacheWarning,
            )
            return None
        except (OSError, sqlite3.Error) as error:
            warn_caller(
                f"The cache folder {cache_dir} cannot hold the cache ({type(error).__name__}: "
                f"{error}); going on without a cache. Pass cache_dir= a writable folder, or "
                "cache=False to silence this.",
                CacheWarning,
            )
            return None
        return cls(backend, path)

    def key_for(self, request: requests.PreparedRequest) -> str:
        """The entry name of ``request`` (its method, URL and query; never its headers)."""
        return str(self.backend.create_key(request))

    def get(self, key: str) -> CachedResponse | None:
        """The fresh entry named ``key``, or None (absent, expired or unreadable)."""
        try:
            hit = self.backend.get_response(key)
        except Exception as error:  # a damaged row or file: a miss, never a failed load
            warn_caller(
                f"The cache file {self.path} could not be read ({type(error).__name__}: "
                f"{error}); asking the server instead.",
                CacheWarning,
            )
            return None
        if hit is None or hit.is_expired or hit.status_code not in CACHEABLE_STATUS:
            return None
        return hit

    def put(self, response: requests.Response, key: str, expire_after: dt.timedelta) -> bool:
        """Store ``response`` (read in full) under ``key`` for ``expire_after``.

        A failed write is rolled back and reported with a :class:`CacheWarning`; it
        returns False and the database stays usable.
        """
        expires = dt.datetime.now(dt.UTC) + expire_after
        with self._write_lock:
            return self._put(response, key, expires)

    def _put(self, response: requests.Response, key: str, expires: dt.datetime) -> bool:
        # requests-cache would wait for the write lock forever and roll back a failed
        # commit (a full disk) in silence: take the lock within busy_timeout ourselves, in
        # a transaction requests-cache writes into, and commit it ourselves.
        responses = self.backend.responses
        try:
            with responses.connection() as connection:
                connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            warn_caller(
                f"An answer could not be stored in the cache file {self.path}: it stayed "
                f"locked by another process for {LOCK_WAIT_SECONDS:g} s ({error}); it was "
                "used but not kept.",
                CacheWarning,
            )
            return False
        responses._active_transaction = True
        # Entries are found by the request's own key: redirect aliases are not needed, and
        # requests-cache would write them through a second connection that waits forever
        # for the write lock this transaction holds.
        history, response.history = response.history, []
        try:
            self.backend.save_response(response, key, expires=expires)
            connection.commit()
            return True
        except Exception as error:
            # requests-cache only rolls back OperationalError: anything else (DataError
            # for a body over SQLite's limit) would leave the write transaction open and
            # every later write, from any client, waiting for it forever.
            self._rollback()
            warn_caller(
                f"An answer could not be stored in the cache file {self.path} "
                f"({type(error).__name__}: {error}); it was used but not kept.",
                CacheWarning,
            )
            return False
        finally:
            response.history = history
            responses._active_transaction = False

    def _rollback(self) -> None:
        responses = self.backend.responses
        connection = getattr(responses, "_connection", None)
        with contextlib.suppress(Exception):
            if connection is not None and connection.in_transaction:
                connection.rollback()

    def count(self) -> int:
        """How many entries the file holds, expired ones included."""
        return int(self.backend.responses.count(expired=True))

    def clear(self) -> None:
        """Delete every entry."""
        self.backend.clear()

    def close(self) -> None:
        """Close the database connection."""
        with contextlib.suppress(Exception):
            self.backend.close()


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
    today = current_day(now)  # ATRIBU_TODAY, when set, pins the day but not the hour
    now = now or dt.datetime.now(dt.UTC)
    if endpoint == "top_performers":
        rebuild = now.replace(hour=SCORES_REBUILD_HOUR_UTC, minute=0, second=0, microsecond=0)
        if rebuild <= now:
            rebuild += dt.timedelta(days=1)
        return rebuild - now
    if date_to is None:
        return RECENT_EXPIRY
    last_day = dt.date.fromisoformat(date_to)
    settled = last_day < today - dt.timedelta(days=RECENT_DAYS)
    return SETTLED_EXPIRY if settled else RECENT_EXPIRY


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
