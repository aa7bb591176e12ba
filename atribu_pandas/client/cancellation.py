"""Stop a load's requests at once when the user interrupts it (Ctrl-C, Jupyter's Interrupt).

The interrupt reaches only the main thread; a multi-request load's requests run in worker
threads, asleep on the rate budget or a retry's backoff, or blocked on a socket. So the
load makes a :class:`Cancellation`, each worker :func:`joins <joined>` it, and on the
interrupt :meth:`Cancellation.cancel` wakes every sleep (:func:`pause` waits on its event)
and shuts down every socket being read (the transport's deadline registers each with
:meth:`Cancellation.add`). The workers then end within milliseconds, and the load
re-raises the ``KeyboardInterrupt``.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator

__all__ = ["Cancellation", "Cancelled", "current", "joined", "pause"]

Shutdown = Callable[[int], None]


class Cancelled(Exception):
    """Raised in a worker whose load was interrupted; the load raises KeyboardInterrupt."""


class Cancellation:
    """One load's stop signal, and the sockets its workers are reading.

    Examples
    --------
    >>> c = Cancellation()
    >>> c.cancel()
    >>> c.is_cancelled
    True
    """

    def __init__(self) -> None:
        self.event = threading.Event()
        self._sockets: set[Shutdown] = set()
        self._children: list[Cancellation] = []
        self._lock = threading.Lock()
        # A load inside another (a workspace's profile, each loading in parallel) stops
        # with it: the enclosing load of this thread cancels this one too.
        parent = current()
        if parent is not None:
            with parent._lock:
                parent._children.append(self)
            if parent.is_cancelled:
                self.event.set()

    @property
    def is_cancelled(self) -> bool:
        return self.event.is_set()

    def cancel(self) -> None:
        """Wake every pause and shut down every socket of the load."""
        self.event.set()
        with self._lock:
            sockets = list(self._sockets)
            children = list(self._children)
        for child in children:
            child.cancel()
        for shutdown in sockets:
            with contextlib.suppress(OSError):
                shutdown(socket.SHUT_RDWR)

    def add(self, shutdown: Shutdown) -> None:
        """Shut this socket down on :meth:`cancel` (at once if already cancelled)."""
        with self._lock:
            self._sockets.add(shutdown)
        if self.event.is_set():  # cancelled while the request was being sent
            with contextlib.suppress(OSError):
                shutdown(socket.SHUT_RDWR)

    def discard(self, shutdown: Shutdown) -> None:
        """Forget a socket whose read is over."""
        with self._lock:
            self._sockets.discard(shutdown)


_current = threading.local()


def current() -> Cancellation | None:
    """The cancellation of the load this thread works for, or None."""
    cancellation: Cancellation | None = getattr(_current, "cancellation", None)
    return cancellation


@contextlib.contextmanager
def joined(cancellation: Cancellation | None) -> Iterator[None]:
    """Run the block (one request of a load) under ``cancellation`` in this thread."""
    previous = getattr(_current, "cancellation", None)
    _current.cancellation = cancellation
    try:
        if cancellation is not None and cancellation.is_cancelled:
            raise Cancelled
        yield
    finally:
        _current.cancellation = previous


def pause(seconds: float) -> None:
    """Sleep ``seconds``, or raise :class:`Cancelled` as soon as this thread's load is.

    Examples
    --------
    >>> pause(0.0)
    """
    cancellation = current()
    if cancellation is None:
        time.sleep(seconds)
    elif cancellation.event.wait(seconds):
        raise Cancelled
