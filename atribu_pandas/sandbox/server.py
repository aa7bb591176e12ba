"""The sandbox's socket side: a threaded HTTP/1.1 server around :class:`SandboxAPI`.

It binds 127.0.0.1 only (never every interface: the sandbox has no real
authentication worth exposing), port 0 by default (the OS picks a free one),
keeps connections alive, and sets ``TCP_NODELAY`` on each connection: without
it ``http.server`` stalls about 40 ms on every small keep-alive response.
Logging is off; the API keeps its own request log.

Every answer but a thumbnail is JSON, even the ones ``http.server`` makes itself (a bad
request line, an unknown method): they carry the error envelope and a request id. A request with a
body is answered without reading the body, and its connection closed, so a chunked body
is never taken for a second request. A connection idle for ``idle_timeout`` seconds is
closed, so idle clients do not keep a thread each forever.
"""

from __future__ import annotations

import contextlib
import secrets
import socket
import sys
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import orjson

if TYPE_CHECKING:
    from atribu_pandas.sandbox.api import SandboxAPI

__all__ = ["HOST", "SandboxServer"]

HOST = "127.0.0.1"
# Seconds a kept-alive connection may stay silent before the server closes it.
IDLE_TIMEOUT = 15.0
# What http.server's own refusals are called in the error envelope.
_OWN_ERROR_CODES = {
    400: "invalid_parameter",
    405: "method_not_allowed",
    408: "request_timeout",
    413: "payload_too_large",
    414: "uri_too_long",
    431: "headers_too_large",
}


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
        # A read that waits this long raises, and http.server then closes the connection.
        self.connection.settimeout(self.server.idle_timeout)
        self.server.track(self.connection, open_=True)

    def finish(self) -> None:
        """Forget the connection once its handler is done."""
        try:
            super().finish()
        finally:
            self.server.track(self.connection, open_=False)

    def _serve(self) -> None:
        if self._has_body():
            # The body is never read: whatever follows on this connection is not a request.
            self.close_connection = True
            if self.command == "GET":
                self.send_error(
                    400, "A GET request takes no body: send the parameters in the query"
                )
                return
        parts = urlsplit(self.path)
        headers = dict(self.headers.items())
        origin = f"http://{HOST}:{self.server.server_address[1]}"
        response = self.server.api.handle(self.command, parts.path, parts.query, headers, origin)
        if response.delay > 0:
            time.sleep(response.delay)
        try:
            self.send_response(response.status)
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            if self.command != "HEAD":
                self._write_body(response.body, response.stall, response.drip)
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up (a timeout test against a slow fault): nothing to tell it.
            self.close_connection = True

    def _write_body(self, body: bytes, stall: float, drip: float) -> None:
        if stall > 0:
            self.wfile.flush()
            time.sleep(stall)
        if drip <= 0:
            self.wfile.write(body)
            return
        for index in range(len(body)):
            self.wfile.write(body[index : index + 1])
            self.wfile.flush()
            time.sleep(drip)

    def _has_body(self) -> bool:
        length = self.headers.get("Content-Length", "0").strip()
        return length not in ("", "0") or "Transfer-Encoding" in self.headers

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Refuse with the JSON error envelope (``http.server`` would send an HTML page).

        An unknown method (which ``http.server`` answers 501) is 405 with ``Allow: GET``.
        """
        if code == HTTPStatus.NOT_IMPLEMENTED:
            code = HTTPStatus.METHOD_NOT_ALLOWED
            message = f"Method {self.command} is not allowed: use GET"
        status = HTTPStatus(code)
        request_id = "req_" + secrets.token_hex(12)
        error = {
            "code": _OWN_ERROR_CODES.get(code, f"http_{code}"),
            "message": message or explain or status.phrase,
            "status": code,
            "request_id": request_id,
        }
        body = orjson.dumps({"error": error})
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("X-Request-Id", request_id)
            self.send_header("Connection", "close")
            if code == HTTPStatus.METHOD_NOT_ALLOWED:
                self.send_header("Allow", "GET")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _serve

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet: a notebook's output is no place for access logs."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # Let a restarted `atribu-pandas sandbox --port 8787` take the port back at once.
    allow_reuse_address = True

    def __init__(self, port: int, api: SandboxAPI, idle_timeout: float = IDLE_TIMEOUT) -> None:
        self.api = api
        self.idle_timeout = idle_timeout
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__((HOST, port), _Handler)

    def handle_error(self, request: object, client_address: object) -> None:
        """Stay quiet when a client went away (a reset after a timeout test); report bugs."""
        if isinstance(sys.exc_info()[1], OSError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]

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
    idle_timeout : float, default 15
        Seconds a connection may stay silent before the server closes it.

    Examples
    --------
    >>> from atribu_pandas.sandbox.api import SandboxAPI
    >>> from atribu_pandas.sandbox.dataset import build_profiles
    >>> server = SandboxServer(SandboxAPI(build_profiles(seed=0))).start()
    >>> server.url.startswith("http://127.0.0.1:")
    True
    >>> server.stop()
    """

    def __init__(self, api: SandboxAPI, port: int = 0, idle_timeout: float = IDLE_TIMEOUT) -> None:
        self.api = api
        self._httpd = _Server(port, api, idle_timeout)
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
