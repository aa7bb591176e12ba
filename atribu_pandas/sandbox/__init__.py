"""A local Atribu: the Campaigns API over loopback, on coherent synthetic data.

``start()`` builds the profiles (deterministic for a seed and a day), wraps them
in ``SandboxAPI`` and serves it on 127.0.0.1 in
a daemon thread (``sandbox.runtime``). The default key
(``Sandbox.api_key``) is the large profile's, so demos show many campaigns;
``Sandbox.profiles`` lists every key, including the small clinic's and one without
``campaigns:read``. A :class:`Sandbox` also makes clients and workspaces for itself.

The heavy modules (the dataset, attribution, scoring) load on the first
``start()``, not on ``import atribu_pandas``.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Callable
from typing import Any, TextIO

from atribu_pandas.client.client import Client
from atribu_pandas.loaders.workspace import Workspace
from atribu_pandas.sandbox.runtime import Runtime, start_runtime

__all__ = ["Sandbox", "serve", "start"]


class Sandbox(Runtime):
    """A running sandbox: its URL, its keys, a client for it, its test switches.

    Made by :func:`start`; stop it with :meth:`stop` or use it as a context manager.
    What it holds is described in ``Runtime``.

    Parameters
    ----------
    server : SandboxServer
        The server answering on 127.0.0.1, already running.
    datasets : list of ProfileData
        Every profile's generated data.
    seed : int
        The dataset's seed.
    rate_limit : int
        Requests per minute per key.

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> with ap.sandbox.start(seed=0) as sb:
    ...     sb.url.startswith("http://127.0.0.1:")
    True
    """

    def client(self, **kwargs: Any) -> Client:
        """Return an :class:`atribu_pandas.Client` for this sandbox.

        Parameters
        ----------
        **kwargs
            Passed to ``Client``; ``api_key``, ``base_url`` and ``rate_limit``
            default to this sandbox's (pass ``api_key=`` to use another profile), and
            ``cache_dir`` to a temporary folder of this sandbox, removed by :meth:`stop`.

        Returns
        -------
        atribu_pandas.Client
            A client of the default profile (demo data), or of the profile whose
            ``api_key`` was given.

        Examples
        --------
        >>> import atribu_pandas as ap
        >>> with ap.sandbox.start() as sb:
        ...     client = sb.client(cache=False)
        """
        return Client(**(self.client_options() | kwargs))

    def workspace(self, **kwargs: Any) -> Workspace:
        """Return a :class:`~atribu_pandas.Workspace` of this sandbox's profiles.

        Every profile that can read campaigns, labelled by its business name (the key
        without ``campaigns:read`` is left out); ``start(profiles=N)`` makes N of them.

        Parameters
        ----------
        **kwargs
            Passed to ``Workspace`` (``strict=``) and its clients; ``base_url``,
            ``rate_limit`` and ``cache_dir`` default to this sandbox's.

        Returns
        -------
        atribu_pandas.loaders.workspace.Workspace
            One client per profile, as an agency's workspace of real keys would hold.

        Examples
        --------
        >>> import atribu_pandas as ap
        >>> with ap.sandbox.start(profiles=4) as sb:
        ...     len(sb.workspace())
        4
        """
        return Workspace(self.workspace_keys(), **(self.client_options(with_key=False) | kwargs))


def start(
    seed: int = 0,
    port: int = 0,
    rate_limit: int = 60,
    *,
    today: dt.date | None = None,
    clock: Callable[[], float] | None = None,
    profiles: int = 2,
) -> Sandbox:
    """Start a sandbox on 127.0.0.1 in a daemon thread and return it.

    Parameters
    ----------
    seed : int, default 0
        The dataset's seed: the same seed and day give the same data, byte for byte.
    port : int, default 0
        TCP port; 0 lets the OS choose a free one.
    rate_limit : int, default 60
        Requests per minute per key, as Atribu's default.
    today : datetime.date, optional
        The day the data is anchored to (its last day is the day before);
        default the current UTC date.
    clock : callable, optional
        Seconds as a float for the rate limiter (default ``time.monotonic``);
        tests pass a fake one to move time.
    profiles : int, default 2
        Profiles that can read campaigns: the small clinic and the large group, then
        generated ones (an agency's workspace, for scale tests); at most 200.

    Returns
    -------
    Sandbox
        The running sandbox: its ``url``, its keys, and clients and workspaces for it.

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> sb = ap.sandbox.start(seed=0)
    >>> sb.url.startswith("http://127.0.0.1:")
    True
    >>> sb.stop()
    """
    return start_runtime(
        seed, port, rate_limit, today=today, clock=clock, profiles=profiles, kind=Sandbox
    )


def serve(
    port: int = 8787,
    seed: int = 0,
    rate_limit: int = 60,
    *,
    today: dt.date | None = None,
    out: TextIO | None = None,
) -> None:
    """Run the sandbox in the foreground until Ctrl-C (``atribu-pandas sandbox``).

    Prints the URL and, for each profile, its key, name, size and scopes.

    Parameters
    ----------
    port : int, default 8787
        TCP port on 127.0.0.1 (0: any free port).
    seed : int, default 0
        The dataset's seed: the same seed gives the same data.
    rate_limit : int, default 60
        Requests per minute per key.
    today : datetime.date, optional
        The day the data is anchored to (its last day is the day before);
        default the current UTC date.
    out : text stream, optional
        Where to print (default ``sys.stdout``).

    Examples
    --------
    >>> serve(port=8787, seed=0)  # doctest: +SKIP
    Atribu sandbox at http://127.0.0.1:8787 (seed 0, 60 requests/minute per key)
    ...
    """
    stream = out or sys.stdout
    sandbox = start(seed=seed, port=port, rate_limit=rate_limit, today=today)
    try:
        print(
            f"Atribu sandbox at {sandbox.url} (seed {seed}, {rate_limit} requests/minute "
            f"per key, data {sandbox.first_day} .. {sandbox.last_day})",
            file=stream,
        )
        for profile in sandbox.profiles:
            default = "  (default)" if profile.api_key == sandbox.api_key else ""
            print(
                f"  {profile.api_key}  {profile.name}  [{profile.size}; "
                f"scopes: {', '.join(profile.scopes)}]{default}",
                file=stream,
            )
        print(
            f"\nexport ATRIBU_BASE_URL={sandbox.url}\nexport ATRIBU_API_KEY={sandbox.api_key}\n"
            "Press Ctrl-C to stop.",
            file=stream,
            flush=True,
        )
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        print("Sandbox stopped.", file=stream)
    finally:
        sandbox.stop()
