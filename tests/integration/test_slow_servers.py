"""Every wait ends on time: one attempt takes at most ``timeout``, whatever the server does.

A raw-socket server on loopback (not the sandbox, whose faults go through http.server)
misbehaves byte by byte; each case measures the elapsed time, not only the error type.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

import atribu_pandas as ap

TIMEOUT = 1.0
SLACK = 0.5  # thread start, the error's construction; far below one extra drip cycle
HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n"
BODY = b'{"data": [], "meta": {}}'
Behaviour = Callable[[socket.socket, threading.Event], None]


def _drip(conn: socket.socket, stop: threading.Event, data: bytes, every: float) -> None:
    for i in range(len(data)):
        if stop.is_set():
            return
        conn.sendall(data[i : i + 1])
        time.sleep(every)


BEHAVIOURS: dict[str, Behaviour] = {
    # The body, one byte every 0.1 s: each read gets a byte long before its socket timeout.
    "body drip": lambda c, stop: (c.sendall(HEAD), _drip(c, stop, b" " * 100_000, 0.1)),
    # The headers themselves, a byte at a time.
    "header drip": lambda c, stop: _drip(c, stop, HEAD * 100, 0.1),
    # Interim answers forever: http.client skips every 1xx and waits for the next.
    "endless 100 Continue": lambda c, stop: _drip(
        c, stop, b"HTTP/1.1 100 Continue\r\n\r\n" * 10_000, 0.004
    ),
    # Headers, then nothing.
    "stall after the headers": lambda c, stop: (c.sendall(HEAD), stop.wait(30)),
    # No length, Connection: close, and a body that drips: the read ends only at EOF.
    "Connection: close drip": lambda c, stop: (
        c.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n"
        ),
        _drip(c, stop, b" " * 100_000, 0.1),
    ),
    # Nothing at all after accepting.
    "silent": lambda c, stop: stop.wait(30),
}


@contextmanager
def hostile(behaviour: Behaviour) -> Iterator[str]:
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.2)
    stop = threading.Event()

    def handle(conn: socket.socket) -> None:
        try:
            conn.recv(65536)
            behaviour(conn, stop)
        except OSError:
            pass  # the client shut the connection: what the deadline is for
        finally:
            conn.close()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            threading.Thread(target=handle, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(2)
        server.close()


def _client(url: str, retries: int = 0) -> ap.Client:
    return ap.Client(
        api_key="atb_live_slow-server-not-a-key",
        base_url=url,
        cache=False,
        timeout=TIMEOUT,
        max_retries=retries,
        backoff_factor=0.01,
        progress=False,
    )


@pytest.mark.parametrize("name", list(BEHAVIOURS))
def test_one_attempt_ends_within_its_timeout(name: str) -> None:
    with hostile(BEHAVIOURS[name]) as url:
        started = time.monotonic()
        with pytest.raises(ap.AtribuTimeoutError, match=f"within timeout={TIMEOUT:g} s"):
            _client(url).get("/api/v1/top-performers", {"limit": 1})
        elapsed = time.monotonic() - started
    assert TIMEOUT * 0.9 <= elapsed <= TIMEOUT + SLACK, f"{name}: {elapsed:.2f} s"


@pytest.mark.parametrize("name", ["body drip", "header drip"])
def test_each_retry_gets_its_own_timeout(name: str) -> None:
    # Two retries: three attempts of at most TIMEOUT each, plus tiny backoffs.
    with hostile(BEHAVIOURS[name]) as url:
        started = time.monotonic()
        with pytest.raises(ap.TransportError):
            _client(url, retries=2).get("/api/v1/top-performers", {"limit": 1})
        elapsed = time.monotonic() - started
    assert elapsed <= 3 * (TIMEOUT + SLACK), f"{name}: {elapsed:.2f} s"


def test_a_slow_answer_that_finishes_in_time_loads() -> None:
    # The same drip, short enough: the deadline must not cut an answer that makes it.
    head = (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {len(BODY)}\r\n\r\n".encode()
    )
    with hostile(lambda c, stop: _drip(c, stop, head + BODY, 0.005)) as url:
        answer = _client(url).get("/api/v1/top-performers", {"limit": 1})
    assert answer.data == []
