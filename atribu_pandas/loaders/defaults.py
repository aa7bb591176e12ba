"""Which client the loaders use when they are given none: the one place with a fallback.

In order: the client set with :func:`set_default_client`; else a client for
``ATRIBU_API_KEY`` (one per key and base URL); else the built-in sandbox, started on first
use with a :class:`DemoDataWarning` (:func:`use_sandbox` starts it on purpose, quietly;
a caller that tells the user itself, like the ``explore()`` dashboard's banner, asks for
the client with ``demo_warning=False`` and the next caller that does not is warned).
The sandbox started here is stopped, and its cache folder removed, when the interpreter
exits. This module is the only one on the client path that imports the sandbox, and it
does so only when the fallback is taken.
"""

from __future__ import annotations

import atexit
import datetime as dt
import threading
from typing import TYPE_CHECKING, Any

from atribu_pandas.client.client import Client
from atribu_pandas.core.config import env_settings
from atribu_pandas.exceptions import ArgumentError, DemoDataWarning, warn_caller

if TYPE_CHECKING:
    from atribu_pandas.sandbox.runtime import Runtime

__all__ = [
    "default_client",
    "demo_sandbox",
    "demo_workspace_names",
    "forget_clients",
    "set_default_client",
    "start_demo_workspace",
    "use_sandbox",
]


_lock = threading.RLock()
_chosen: Client | None = None
_from_env: dict[tuple[str | None, str | None], Client] = {}
# Demo clients handed out so far only to callers that said "demo data" themselves: the
# first caller that does not still gets the DemoDataWarning.
_demo_unwarned: set[tuple[str | None, str | None]] = set()
_sandbox: Runtime | None = None


def set_default_client(client: Client | None) -> None:
    """Make ``client`` the one the loaders use when given none (None: back to the default).

    Parameters
    ----------
    client : Client or None
        The client every loader called without ``client=`` uses from now on, in this
        process; None goes back to ``ATRIBU_API_KEY`` (else the sandbox).

    Raises
    ------
    ArgumentError
        ``client`` is neither a :class:`~atribu_pandas.Client` nor None.

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> sb = ap.sandbox.start()
    >>> ap.set_default_client(sb.client())
    >>> ap.default_client().is_sandbox
    True
    >>> ap.set_default_client(None)
    >>> sb.stop()
    """
    if client is not None and not isinstance(client, Client):
        raise ArgumentError("client", client, "an atribu_pandas.Client, or None")
    global _chosen
    with _lock:
        _chosen = client


def forget_clients() -> None:
    """Drop the chosen default client and close the ones made from the environment.

    A reused report kernel does this before its next client: that client's key makes
    its own client, and no connection of the last one stays open.

    Examples
    --------
    >>> forget_clients()
    """
    global _chosen
    with _lock:
        _chosen = None
        for client in _from_env.values():
            client.close()
        _from_env.clear()
        _demo_unwarned.clear()


def use_sandbox(**options: Any) -> Client:
    """Start the built-in sandbox (once per process) and make its client the default.

    Parameters
    ----------
    **options
        Passed to :class:`Client`; the key, URL, rate limit and a cache folder default to
        the sandbox's (:meth:`~atribu_pandas.sandbox.Sandbox.client_options`).

    Returns
    -------
    Client
        A client of the sandbox's default profile (demo data). The sandbox stops and its
        cache folder is removed when the interpreter exits.

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> client = ap.use_sandbox()
    >>> client.is_sandbox
    True
    >>> ap.set_default_client(None)
    """
    client = Client(**(demo_sandbox().client_options() | options))
    set_default_client(client)
    return client


def default_client(*, demo_warning: bool = True) -> Client:
    """Return the client the loaders use when none is given.

    The client set with :func:`set_default_client`, else a client for ``ATRIBU_API_KEY``
    (one per key and base URL per process), else a client of the built-in sandbox, with
    a :class:`DemoDataWarning` saying the figures are demo data.

    Parameters
    ----------
    demo_warning : bool, default True
        False for a caller that shows "demo data" itself (the ``explore()`` dashboard's
        banner): it gets the demo client without the warning, which then goes to the next
        caller asking with True (a plain loader call), once.

    Returns
    -------
    Client
        The same client on every call until :func:`set_default_client` chooses another.

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> ap.default_client() is ap.default_client()
    True
    """
    env = env_settings()
    with _lock:
        if _chosen is not None:
            return _chosen
        client = _from_env.get(env)
        if client is None:
            if env[0] is None:
                client = Client(**demo_sandbox().client_options())
                _demo_unwarned.add(env)
            else:
                client = Client()
            _from_env[env] = client
        if demo_warning and env in _demo_unwarned:
            _demo_unwarned.discard(env)
            warn_caller(
                "ATRIBU_API_KEY is not set: using the built-in sandbox (demo data). "
                "Set ATRIBU_API_KEY to load your own profile, or call "
                "ap.use_sandbox() to choose the demo on purpose.",
                DemoDataWarning,
            )
        return client


def demo_sandbox() -> Runtime:
    """The process's demo sandbox: started on first use, stopped at interpreter exit.

    A ``Runtime``: the server and its keys, from which
    the callers make their own clients (the sandbox package, which makes clients itself,
    is above the loaders).

    The loaders' fallback, :func:`use_sandbox` and the workspace's fallback
    (``loaders.workspace.default_workspace``) all share it.

    Examples
    --------
    >>> demo_sandbox() is demo_sandbox()
    True
    """
    global _sandbox
    with _lock:
        if _sandbox is None:
            from atribu_pandas.sandbox.runtime import start_runtime

            _sandbox = start_runtime()
            atexit.register(_stop_sandbox)
        return _sandbox


def demo_workspace_names(profiles: int) -> list[str]:
    """The client names :func:`start_demo_workspace` will serve, known before its data is
    built (a batch checks every client's report, then builds while its kernels start).

    Examples
    --------
    >>> demo_workspace_names(3)
    ['Bright Smile Dental', 'Northwind Aesthetics Group', 'Harbor Dental']
    """
    from atribu_pandas.sandbox.plans import workspace_names

    return workspace_names(profiles)


def start_demo_workspace(profiles: int, today: dt.date | None = None) -> Runtime:
    """Start a sandbox of ``profiles`` clients for a caller that stops it itself (a batch
    of demo client reports): not the process's demo sandbox, which serves two.

    Examples
    --------
    >>> runtime = start_demo_workspace(3)
    >>> len(runtime.workspace_keys())
    3
    >>> runtime.stop()
    """
    from atribu_pandas.sandbox.runtime import start_runtime

    return start_runtime(profiles=profiles, today=today)


def _stop_sandbox() -> None:
    global _sandbox
    with _lock:
        if _sandbox is not None:
            _sandbox.stop()
            _sandbox = None
        _from_env.clear()
        _demo_unwarned.clear()
