"""How long the bounded waits really take: each slow fault against ``timeout=2``, and the
delay between Ctrl-C and the end of a 105-request load.

Run: ``.venv/bin/python benchmarks/bounds.py``. The baseline of each line is its promise
(the timeout, one second for the interrupt), so the ratio says how close to it we end.
The slow servers are the raw-socket ones of ``tests/integration/test_slow_servers.py``,
rebuilt here so the script stands alone.
"""

from __future__ import annotations

import contextlib
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from timing import line

import atribu_pandas as ap

TIMEOUT = 2.0
HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n"


def _drip(conn: socket.socket, data: bytes, every: float) -> None:
    for i in range(len(data)):
        conn.sendall(data[i : i + 1])
        time.sleep(every)


FAULTS: dict[str, Callable[[socket.socket], object]] = {
    "body drip, a byte every 0.25 s": lambda c: (c.sendall(HEAD), _drip(c, b" " * 10**5, 0.25)),
    "header drip, a byte every 0.25 s": lambda c: _drip(c, HEAD * 100, 0.25),
    "endless 100 Continue": lambda c: _drip(c, b"HTTP/1.1 100 Continue\r\n\r\n" * 10**4, 0.01),
    "stall after the headers": lambda c: (c.sendall(HEAD), time.sleep(60)),
    "Connection: close drip": lambda c: (
        c.sendall(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n"),
        _drip(c, b" " * 10**5, 0.25),
    ),
}


def _serve(behaviour: Callable[[socket.socket], object]) -> str:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)

    def handle(conn: socket.socket) -> None:
        try:
            conn.recv(65536)
            behaviour(conn)
        except OSError:
            pass

    def accept() -> None:
        while True:
            conn, _ = server.accept()
            threading.Thread(target=handle, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    return f"http://127.0.0.1:{server.getsockname()[1]}"


def slow_faults() -> None:
    for name, behaviour in FAULTS.items():
        client = ap.Client(
            api_key="atb_live_benchmark-not-a-key",
            base_url=_serve(behaviour),
            cache=False,
            timeout=TIMEOUT,
            max_retries=0,
            progress=False,
        )
        start = time.perf_counter()
        with contextlib.suppress(ap.AtribuTimeoutError):
            client.get("/api/v1/top-performers", {"limit": 1})
        line(f"one attempt, {name}", time.perf_counter() - start, TIMEOUT, 1.25)


def interrupt() -> None:
    # The test's own load script: the benchmark times the same load the test bounds.
    sys.path.insert(0, str(Path(__file__).parents[1] / "tests" / "integration"))
    from test_interrupts import SCRIPT

    process = subprocess.Popen(
        [sys.executable, "-c", SCRIPT],
        stdout=subprocess.PIPE,
        text=True,
        # A background job ignores SIGINT, and so would the child: restore the default.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert process.stdout is not None and process.stdout.readline().strip() == "loading"
    time.sleep(3)
    start = time.perf_counter()
    process.send_signal(signal.SIGINT)
    process.communicate(timeout=120)
    line("Ctrl-C to process exit, 105-request load", time.perf_counter() - start, 1.0, 1.0)


if __name__ == "__main__":
    slow_faults()
    interrupt()
