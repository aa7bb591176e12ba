"""Rate budgets: one per key and server, shared by every client in every process.

The API allows 60 requests a minute per key, counted on the server for all callers
together. So the budget lives where every caller can see it: :class:`SharedBudget` keeps
its tokens in a small file beside the cache (``<cache_dir>/ratelimit/``), changed
only under a file lock (filelock), so two notebooks on one key take turns instead of
spending each other's tokens and meeting 429s. When that folder cannot be used, the
budget is kept in the process, and the server's ``X-RateLimit-Remaining`` and the
client's 429 retries within its wait budget still see the loads through.

A client asking for a lower rate than its key's budget also gets a :class:`TokenBucket`
of its own, so it slows only itself; no value can lower or block the shared budget.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import os
import struct
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from atribu_pandas.client.cache import key_fingerprint, private_folder
from atribu_pandas.client.cancellation import pause
from atribu_pandas.exceptions import CacheWarning, warn_caller

__all__ = ["SharedBudget", "TokenBucket", "shared_budget"]

# A request waits for slightly more than one token, so that jitter in network delay cannot
# make it arrive a hair before the server's bucket has refilled.
MARGIN = 0.05
# Seconds to wait for the budget file's lock before going on without it (a process that
# died holding it leaves no lock behind: the OS drops it with the process).
_LOCK_TIMEOUT = 10.0
# A stamp this far ahead of the clock is taken as damage, not as another machine's skew.
_CLOCK_SKEW = 5.0
# The state file: tokens left and the wall-clock time they were counted, two doubles.
_STATE = struct.Struct("<dd")


class TokenBucket:
    """A blocking token bucket: ``capacity`` requests at once, refilled over ``period`` seconds.

    The refill clock starts at the first request (as the server's does).

    Examples
    --------
    >>> bucket = TokenBucket(60)
    >>> bucket.acquire()  # returns at once while tokens remain
    """

    def __init__(self, capacity: int, period: float = 60.0, margin: float = MARGIN) -> None:
        self.capacity = capacity
        self.rate = capacity / period
        self.margin = margin
        self._tokens = float(capacity)
        self._stamp: float | None = None
        self._lock = threading.Lock()

    def raise_to(self, capacity: int) -> None:
        """Raise the limit in place (never lower it) for every holder of this bucket."""
        with self._lock:
            if capacity > self.capacity:
                self.rate = self.rate * capacity / self.capacity
                self.capacity = capacity

    def observe(self, remaining: int) -> None:
        """Follow the server's count of requests left: never believe we have more."""
        with self._lock:
            self._tokens = min(self._tokens, float(max(0, remaining)))

    def acquire(self) -> None:
        """Take one token, sleeping until one is available."""
        while True:
            with self._lock:
                wait = self._take(time.monotonic())
            if wait <= 0:
                return
            pause(wait)

    def _take(self, now: float) -> float:
        if self._stamp is not None:
            self._tokens = min(self.capacity, self._tokens + (now - self._stamp) * self.rate)
        self._stamp = now
        # The margin keeps a request clear of the server's own count; a bucket that never
        # holds more than one token (rate_limit=1) can keep no margin, or it would wait
        # for ever.
        need = min(1 + self.margin, self.capacity)
        if self._tokens >= need:
            self._tokens -= 1
            return 0.0
        return (need - self._tokens) / self.rate


class SharedBudget(TokenBucket):
    """A :class:`TokenBucket` whose tokens live in a file, for every process on the key.

    Parameters
    ----------
    capacity : int
        Requests per minute.
    path : pathlib.Path or None
        The state file; None keeps the budget in this process only.

    Examples
    --------
    >>> import tempfile
    >>> budget = SharedBudget(60, Path(tempfile.mkdtemp()) / "budget.bin")
    >>> budget.acquire()
    >>> round(budget.tokens())
    59
    """

    def __init__(self, capacity: int, path: Path | None) -> None:
        super().__init__(capacity)
        self.path = path
        self._state_fd: int | None = None
        self._file_lock: Any = None
        self._repaired = False
        if path is not None:
            from filelock import FileLock

            self._file_lock = FileLock(str(path) + ".lock", timeout=_LOCK_TIMEOUT)

    def tokens(self) -> float:
        """The tokens left now (for tests and the curious)."""
        with self._shared() as state:
            return float(state["tokens"])

    def observe(self, remaining: int) -> None:
        """Follow the server's count of requests left: never believe we have more."""
        with self._shared() as state:
            state["tokens"] = min(float(state["tokens"]), float(max(0, remaining)))

    def acquire(self) -> None:
        """Take one token from the shared file, sleeping until one is available."""
        while True:
            with self._shared() as state:
                self._tokens, self._stamp = float(state["tokens"]), float(state["stamp"])
                wait = self._take(time.time())
                state["tokens"], state["stamp"] = self._tokens, self._stamp
            if wait <= 0:
                return
            pause(wait)

    @contextlib.contextmanager
    def _shared(self) -> Iterator[dict[str, float]]:
        """The state ``{"tokens", "stamp"}``, read and written back under both locks."""
        with self._lock:
            locked = self._lock_file()
            try:
                if locked:
                    state = self._read()
                else:
                    stamp = self._stamp if self._stamp is not None else time.time()
                    state = {"tokens": self._tokens, "stamp": stamp}
                yield state
                if locked:
                    self._write(state)
                else:
                    self._tokens, self._stamp = state["tokens"], state["stamp"]
            finally:
                if locked:
                    self._file_lock.release()

    def _lock_file(self) -> bool:
        if self._file_lock is None:
            return False
        try:
            self._file_lock.acquire()
        except Exception:
            # A lock nobody releases, or a folder gone read-only: this process's own
            # budget from now on, rather than a load that waits forever.
            self._file_lock = None
            return False
        return True

    def _read(self) -> dict[str, float]:
        data = os.pread(self._fd(), _STATE.size, 0) if self._fd() >= 0 else b""
        now = time.time()
        if len(data) != _STATE.size:
            # No state yet, or one cut short: a full budget, as the server starts with.
            return {"tokens": float(self.capacity), "stamp": now}
        tokens, stamp = _STATE.unpack(data)
        fine = math.isfinite(tokens) and math.isfinite(stamp)
        if fine and tokens >= 0 and stamp <= now + _CLOCK_SKEW:
            return {"tokens": min(tokens, float(self.capacity)), "stamp": stamp}
        # Tokens below zero or a stamp from the future (a shared folder, a clock ahead)
        # would make every load wait for hours: start again from an empty budget, which
        # refills within the minute, and say so once.
        if not self._repaired:
            self._repaired = True
            warn_caller(
                f"The rate budget file {self.path} held a state no client writes "
                f"(tokens={tokens:g}, stamped {stamp - now:+.0f} s from now); it was reset, "
                "and the next requests wait at most a minute for the budget to refill.",
                CacheWarning,
            )
        return {"tokens": 0.0, "stamp": now}

    def _write(self, state: dict[str, float]) -> None:
        if self._fd() >= 0:
            with contextlib.suppress(OSError):
                os.pwrite(self._fd(), _STATE.pack(state["tokens"], state["stamp"]), 0)

    def _fd(self) -> int:
        # Kept open: opening the file for every request costs more than the request.
        if self._state_fd is None and self.path is not None:
            try:
                self._state_fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            except OSError:
                self._state_fd = -1
        return self._state_fd if self._state_fd is not None else -1


_BUDGETS: dict[tuple[str, str], SharedBudget] = {}
_BUDGETS_LOCK = threading.Lock()


def shared_budget(api_key: str, base_url: str, cache_dir: Path, rate_limit: int) -> SharedBudget:
    """Return the budget of ``api_key`` on ``base_url`` (one object per process).

    Its capacity is the highest rate any client of the process asked for; its tokens are
    in ``<cache_dir>/ratelimit/`` when that folder can be made, shared with every process
    using the same folder (by default, the user's cache folder).

    Examples
    --------
    >>> import tempfile
    >>> a = shared_budget("atb_test_demo_key", "http://x", Path(tempfile.mkdtemp()), 60)
    >>> a.capacity
    60
    """
    fingerprint = key_fingerprint(api_key)
    name = (fingerprint, base_url)
    with _BUDGETS_LOCK:
        budget = _BUDGETS.get(name)
        if budget is None:
            budget = _BUDGETS[name] = SharedBudget(
                rate_limit, _budget_path(cache_dir, fingerprint, base_url)
            )
        budget.raise_to(rate_limit)
        return budget


def _budget_path(cache_dir: Path, fingerprint: str, base_url: str) -> Path | None:
    folder = cache_dir / "ratelimit"
    try:
        # The cache folder may not exist yet: made here, it is private as the cache makes it.
        private_folder(cache_dir)
        folder.mkdir(exist_ok=True)
    except OSError:
        return None
    if not os.access(folder, os.W_OK):
        return None
    server = hashlib.sha256(base_url.encode()).hexdigest()[:12]
    return folder / f"{fingerprint}-{server}.bin"
