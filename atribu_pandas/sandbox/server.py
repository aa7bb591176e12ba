"""The sandbox's socket side: a threaded HTTP/1.1 server around :class:`SandboxAPI`.

It binds 127.0.0.1 only (never every interface: the sandbox has no real
authentication worth exposing), port 0 by default (the OS picks a free one),
keeps connections alive, and sets ``TCP_NODELAY`` on each connection: without
it ``http.server`` stalls about 40 ms on every small keep-alive response
(DESIGN.md section 4). Logging is off; the API keeps its own request log.
"""

from __future__ import annotations

import contextlib
import socket
import sys
import threading
import time
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, TextIO
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from atribu_pandas.sandbox.api import SandboxAPI

__all__ = ["HOST", "SandboxServer", "serve"]

HOST = "127.0.0.1"
# Bodies of non-GET requests are read and dropped, up to this size, to keep the
# connection usable; anything larger closes it.
_MAX_DISCARD = 1 << 20


class _Handler(BaseHTTPRequestHandler):
    """Hands each request to the server's :class:`SandboxAPI`."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server_version = "atribu-sandbox"
    server: _Server

    def version_string(self) -> str:
        """The ``Server`` header: the sandbox's name, not the Python version."""
        return self.server_version

    def setup(self) -> None:
        """Register the connection so that stopping the server can close it."""
        super().setup()
        self.server.track(self.connection, open_=True)

    def finish(self) -> None:
        """Forget the connection once its handler is done."""
        try:
            super().finish()
        finally:
            self.server.track(self.connection, open_=False)

    def _serve(self) -> None:
        if not self._discard_body():
            return
        parts = urlsplit(self.path)
        headers = dict(self.headers.items())
        response = self.server.api.handle(self.command, parts.path, parts.query, headers)
        if response.delay > 0:
            time.sleep(response.delay)
        try:
            self.send_response(response.status)
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(response.body)
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up (a timeout test against a slow fault): nothing to tell it.
            self.close_connection = True

    def _discard_body(self) -> bool:
        length = self.headers.get("Content-Length")
        if not length:
            return True
        try:
            size = int(length)
        except ValueError:
            size = -1
        if not 0 <= size <= _MAX_DISCARD:
            self.send_error(413)
            self.close_connection = True
            return False
        self.rfile.read(size)
        return True

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _serve

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet: a notebook's output is no place for access logs."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # Let a restarted `atribu-pandas sandbox --port 8787` take the port back at once.
    allow_reuse_address = True

    def __init__(self, port: int, api: SandboxAPI) -> None:
        self.api = api
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__((HOST, port), _Handler)

    def track(self, connection: socket.socket, *, open_: bool) -> None:
        with self._connections_lock:
            if open_:
                self._connections.add(connection)
            else:
                self._connections.discard(connection)

    def close_connections(self) -> None:
        # shutdown() stops accepting, but a keep-alive connection's handler thread would
        # go on answering on it: a stopped sandbox must not answer anything.
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):  # already closed by the peer
                connection.shutdown(socket.SHUT_RDWR)


class SandboxServer:
    """A :class:`SandboxAPI` served over loopback HTTP in a daemon thread.

    Parameters
    ----------
    api : SandboxAPI
        What answers the requests.
    port : int, default 0
        The TCP port on 127.0.0.1; 0 lets the OS choose a free one.

    Examples
    --------
    >>> from atribu_pandas.sandbox.api import SandboxAPI
    >>> from atribu_pandas.sandbox.dataset import build_profiles
    >>> server = SandboxServer(SandboxAPI(build_profiles(seed=0))).start()
    >>> server.url.startswith("http://127.0.0.1:")
    True
    >>> server.stop()
    """

    def __init__(self, api: SandboxAPI, port: int = 0) -> None:
        self.api = api
        self._httpd = _Server(port, api)
        self._thread: threading.Thread | None = None

    @property
    def host(self) -> str:
        """The address bound: always ``127.0.0.1``."""
        return str(self._httpd.server_address[0])

    @property
    def port(self) -> int:
        """The port bound (the OS's choice when 0 was asked)."""
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>``, without a trailing slash."""
        return f"http://{self.host}:{self.port}"

    def start(self) -> SandboxServer:
        """Serve in a daemon thread and return self.

        Examples
        --------
        >>> from atribu_pandas.sandbox.api import SandboxAPI
        >>> from atribu_pandas.sandbox.dataset import build_profiles
        >>> server = SandboxServer(SandboxAPI(build_profiles(seed=0))).start()
        >>> server.stop()
        """
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._httpd.serve_forever,
                kwargs={"poll_interval": 0.1},
                name=f"atribu-sandbox-{self.port}",
                daemon=True,
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket; calling it twice is harmless.

        Examples
        --------
        >>> from atribu_pandas.sandbox.api import SandboxAPI
        >>> from atribu_pandas.sandbox.dataset import build_profiles
        >>> server = SandboxServer(SandboxAPI(build_profiles(seed=0))).start()
        >>> server.stop()
        >>> server.stop()
        """
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join()
            self._thread = None
        self._httpd.close_connections()
        self._httpd.server_close()


def serve(
    port: int = 8787,
    seed: int = 0,
    rate_limit: int = 60,
    *,
    today: date | None = None,
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
    from atribu_pandas.sandbox import start

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
