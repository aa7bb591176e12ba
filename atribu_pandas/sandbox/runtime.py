"""A running sandbox without its client side: the server, its data, its keys, its switches.

:func:`start_runtime` builds the profiles (deterministic for a seed and a day), wraps them
in ``SandboxAPI`` and serves it on 127.0.0.1 in a daemon
thread. It knows nothing of :class:`~atribu_pandas.Client` or
:class:`~atribu_pandas.Workspace`: :meth:`Runtime.client_options` and
:meth:`Runtime.workspace_keys` say how to reach it, and whoever makes clients (the
:class:`~atribu_pandas.sandbox.Sandbox` of the package, the loaders' demo fallback in
``loaders.defaults``) makes them from those. So the client path can start a sandbox
without the sandbox reaching back into the client path.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import weakref
from collections.abc import Callable
from functools import lru_cache
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

from atribu_pandas.core.dates import current_day
from atribu_pandas.core.params import check_count

if TYPE_CHECKING:
    from atribu_pandas.sandbox.api import RequestRecord, SandboxAPI
    from atribu_pandas.sandbox.queries import Profile, ProfileData
    from atribu_pandas.sandbox.server import SandboxServer

__all__ = ["REQUIRED_SCOPE", "Runtime", "start_runtime"]

# The scope a key needs to read /campaigns and the other two endpoints.
REQUIRED_SCOPE = "campaigns:read"
_R = TypeVar("_R", bound="Runtime")


class Runtime:
    """A running sandbox: its URL, its keys, how to reach it, its test switches.

    Made by :func:`start_runtime` (through :func:`atribu_pandas.sandbox.start`, which
    gives the :class:`~atribu_pandas.sandbox.Sandbox` that also makes clients); stop it
    with :meth:`stop` or use it as a context manager.

    Attributes
    ----------
    url : str
        ``http://127.0.0.1:<port>`` (no trailing slash).
    api_key : str
        The default key: the large profile's, with ``campaigns:read``.
    profiles : list of Profile
        Every profile: ``profile_id``, ``name``, ``api_key``, ``scopes``, ``size``
        (``"small"`` or ``"large"``), ``currency``, ``timezone``.
    rate_limit : int
        Requests per minute per key.
    seed : int
        The dataset's seed.
    first_day, last_day : datetime.date
        The first and last day with data (the last is the day before ``today``).

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> with ap.sandbox.start(seed=0) as sb:
    ...     sb.url.startswith("http://127.0.0.1:")
    True
    """

    def __init__(
        self, server: SandboxServer, datasets: list[ProfileData], seed: int, rate_limit: int
    ) -> None:
        self._server = server
        self._datasets = datasets
        self.seed = seed
        self.rate_limit = rate_limit
        self.url = server.url
        self.profiles: list[Profile] = [d.profile for d in datasets]
        self.api_key = _default_profile(datasets).profile.api_key
        self.first_day: dt.date = datasets[0].first_day
        self.last_day: dt.date = datasets[0].last_day
        # Demo data is re-anchored every day under the same keys, so caching it in the
        # user's cache would serve yesterday's figures: each sandbox caches in its own
        # temporary folder, removed by stop().
        self._cache_dir = tempfile.mkdtemp(prefix="atribu-sandbox-cache-")
        # A sandbox nobody stopped still leaves no folder behind at interpreter exit.
        self._cleanup = weakref.finalize(self, shutil.rmtree, self._cache_dir, ignore_errors=True)

    @property
    def api(self) -> SandboxAPI:
        """The ``SandboxAPI`` answering the requests.

        Tests read its state through it, such as the faults still queued.

        Examples
        --------
        >>> import atribu_pandas as ap
        >>> with ap.sandbox.start() as sb:
        ...     sb.inject("error", count=2, status=500)
        ...     sb.api.pending_faults  # requests that will still answer the fault
        2
        """
        return self._server.api

    @property
    def requests(self) -> list[RequestRecord]:
        """The requests received so far, oldest first (method, path, query, status,
        request_id; never the ``Authorization`` header).

        Examples
        --------
        >>> import requests
        >>> import atribu_pandas as ap
        >>> with ap.sandbox.start() as sb:
        ...     _ = requests.get(sb.url + "/api/v1/top-performers")
        ...     [(r.path, r.status) for r in sb.requests]
        [('/api/v1/top-performers', 401)]
        """
        return self._server.api.requests

    @property
    def request_count(self) -> int:
        """How many requests this sandbox received (not bounded like :attr:`requests`).

        Examples
        --------
        >>> import atribu_pandas as ap
        >>> with ap.sandbox.start() as sb:
        ...     client = sb.client()
        ...     first = ap.load_top_performers(limit=5, client=client)
        ...     again = ap.load_top_performers(limit=5, client=client)  # from the cache
        ...     sb.request_count
        1
        """
        return self._server.api.request_count

    def client_options(self, *, with_key: bool = True) -> dict[str, Any]:
        """Return what a client of this sandbox needs: its default key (unless
        ``with_key=False``, for a workspace, whose keys are :meth:`workspace_keys`), URL,
        rate limit and a temporary cache folder of this sandbox (removed by :meth:`stop`).

        Parameters
        ----------
        with_key : bool, default True
            Include the default profile's ``api_key``.

        Returns
        -------
        dict
            Keyword arguments of :class:`~atribu_pandas.Client`: ``api_key`` (unless
            ``with_key=False``), ``base_url``, ``rate_limit`` and ``cache_dir``.

        Examples
        --------
        >>> import atribu_pandas as ap
        >>> with ap.sandbox.start() as sb:
        ...     sorted(sb.client_options())
        ['api_key', 'base_url', 'cache_dir', 'rate_limit']
        """
        options = {
            "base_url": self.url,
            "rate_limit": self.rate_limit,
            "cache_dir": self._cache_dir,
        }
        return {"api_key": self.api_key, **options} if with_key else options

    def workspace_keys(self) -> dict[str, str]:
        """Return every profile that can read campaigns: business name to key.

        Returns
        -------
        dict of str to str
            The ``keys`` of a :class:`~atribu_pandas.Workspace`, in the sandbox's order
            (the key without ``campaigns:read`` is left out).

        Examples
        --------
        >>> import atribu_pandas as ap
        >>> with ap.sandbox.start(profiles=3) as sb:
        ...     len(sb.workspace_keys())
        3
        """
        return {p.name: p.api_key for p in self.profiles if REQUIRED_SCOPE in p.scopes}

    def inject(self, kind: str, count: int = 1, **options: Any) -> None:
        """Make the next ``count`` requests answer a fault (see ``SandboxAPI.inject``).

        Parameters
        ----------
        kind : str
            ``error``, ``rate_limit``, ``slow``, ``stall``, ``drip``, ``malformed``,
            ``gzip_bomb``, ``echo_key`` or ``tamper``: see the table in
            ``sandbox.faults``.
        count : int, default 1
            How many requests answer the fault.
        **options
            The kind's options (``status``, ``retry_after``, ``seconds``, ``variant``,
            ``size``).

        Examples
        --------
        >>> import atribu_pandas as ap
        >>> with ap.sandbox.start() as sb:
        ...     sb.inject("error", count=2, status=500)
        ...     sb.clear_faults()
        """
        self._server.api.inject(kind, count, **options)

    def clear_faults(self) -> None:
        """Drop every pending fault.

        Examples
        --------
        >>> import atribu_pandas as ap
        >>> with ap.sandbox.start() as sb:
        ...     sb.clear_faults()
        """
        self._server.api.clear_faults()

    def stop(self) -> None:
        """Stop serving; calling it twice is harmless.

        Examples
        --------
        >>> import atribu_pandas as ap
        >>> sb = ap.sandbox.start()
        >>> sb.stop()
        """
        self._server.stop()
        self._cleanup()

    def __enter__(self: _R) -> _R:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        # Keys stay out of the repr, like everywhere else in the package.
        return (
            f"<Sandbox {self.url} seed={self.seed} profiles={len(self.profiles)} "
            f"rate_limit={self.rate_limit}>"
        )


def start_runtime(
    seed: int = 0,
    port: int = 0,
    rate_limit: int = 60,
    *,
    today: dt.date | None = None,
    clock: Callable[[], float] | None = None,
    profiles: int = 2,
    kind: type[_R] = Runtime,  # type: ignore[assignment]
) -> _R:
    """Start a sandbox on 127.0.0.1 in a daemon thread and return it (as ``kind``).

    Parameters
    ----------
    seed, port, rate_limit, today, clock, profiles
        As :func:`atribu_pandas.sandbox.start` describes them.
    kind : type, default Runtime
        The class to return (a subclass of :class:`Runtime`).

    Returns
    -------
    Runtime

    Examples
    --------
    >>> runtime = start_runtime(seed=0)
    >>> runtime.url.startswith("http://127.0.0.1:"), hasattr(runtime, "client")
    (True, False)
    >>> runtime.stop()
    """
    import time

    from atribu_pandas.sandbox.api import SandboxAPI
    from atribu_pandas.sandbox.server import SandboxServer

    profiles = check_count(profiles, "profiles", minimum=2, maximum=200)
    anchor = today or current_day()
    datasets = _datasets(seed, anchor)
    if profiles > 2:
        datasets = [*datasets, *_more_datasets(seed, anchor, profiles - 2)]
    api = SandboxAPI(datasets, rate_limit=rate_limit, clock=clock or time.monotonic)
    server = SandboxServer(api, port).start()
    return kind(server, datasets, seed, rate_limit)


@lru_cache(maxsize=4)
def _datasets(seed: int, today: dt.date) -> list[ProfileData]:
    # Building takes a second or two; every sandbox of a process shares one build.
    from atribu_pandas.sandbox.dataset import build_profiles

    return build_profiles(seed=seed, today=today)


@lru_cache(maxsize=4)
def _more_datasets(seed: int, today: dt.date, count: int) -> list[ProfileData]:
    from atribu_pandas.sandbox.dataset import build_more_profiles

    return build_more_profiles(seed, today, count)


def _default_profile(datasets: list[ProfileData]) -> ProfileData:
    readable = [d for d in datasets if REQUIRED_SCOPE in d.profile.scopes]
    large = [d for d in readable if d.profile.size == "large"]
    return (large or readable or datasets)[0]
