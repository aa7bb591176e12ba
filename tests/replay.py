"""A stand-in for atribu.app that replays stored payloads over loopback, byte for byte.

The real service cannot be reached from tests, so its documented answers are replayed by a
plain HTTP server: the client, its retry adapter and the cache all run for real, and no part
of the sandbox is involved. Used by the conformance tests and by the report checks (an
unscored profile's empty top-performers answer).
"""

from __future__ import annotations

import http.server
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

DATA = Path(__file__).parent / "data"
# Not a real key: hyphens, and Atribu's live prefix so the client treats it as live data.
FAKE_KEY = "atb_live_conformance-not-a-key"


# An answer chosen per request: the query (one value per name) gives (status, body).
Responder = Callable[[dict[str, str]], tuple[int, bytes]]


@dataclass
class Replay:
    """Answers each path with stored bytes (or a responder's); records the requests it saw.

    ``request_ids=False`` leaves out ``X-Request-Id``, which the official OpenAPI does not
    declare; ``request_id`` sends this one instead of a counter. ``echo`` puts the request's
    ``Authorization`` header back: in an ``X-Echo`` header and wherever a body holds
    ``{AUTH}``, as a careless proxy or debug mode might. ``upstream`` makes it a proxy:
    a path with no stored body is asked of that server (with the request's
    ``Authorization``), and its answer passes through ``rewrite`` on the way back.
    """

    url: str = ""
    bodies: dict[str, bytes | Responder] = field(default_factory=dict)
    seen: list[str] = field(default_factory=list)
    count: int = 0
    request_ids: bool = True
    request_id: str | None = None
    echo: bool = False
    upstream: str | None = None
    rewrite: Callable[[bytes], bytes] | None = None

    def serve(self, path: str, body: bytes | Responder) -> None:
        self.bodies[path] = body

    def client(self, cache_dir: Path) -> Any:
        import atribu_pandas as ap

        return ap.Client(
            api_key=FAKE_KEY, base_url=self.url, cache_dir=cache_dir, max_retries=0, progress=False
        )


def page_bytes(name: str) -> bytes:
    """A stored payload exactly as its file holds it."""
    return (DATA / name).read_bytes()


def _forward(state: Replay, target: str, authorization: str | None) -> tuple[int, bytes]:
    request = urllib.request.Request(
        f"{state.upstream}{target}", headers={"Authorization": authorization or ""}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            status, body = answer.status, answer.read()
    except urllib.error.HTTPError as err:
        status, body = err.code, err.read()
    if state.rewrite is not None and status == 200:
        body = state.rewrite(body)
    return status, body


@contextmanager
def running_replay() -> Iterator[Replay]:
    """A replay server on 127.0.0.1 (a free port) for the duration of the block."""
    state = Replay()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # else each small keep-alive answer waits ~40 ms

        def do_GET(self) -> None:
            path = urlsplit(self.path).path
            state.seen.append(self.path)
            state.count += 1
            stored = state.bodies.get(path)
            if stored is None and state.upstream:
                status, body = _forward(state, self.path, self.headers.get("Authorization"))
            elif callable(stored):
                query = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
                status, body = stored(query)
            elif stored is not None:
                status, body = 200, stored
            else:
                status = 404
                body = b'{"error": {"code": "not_found", "message": "no payload", "status": 404}}'
            authorization = self.headers.get("Authorization", "")
            if state.echo:
                body = body.replace(b"{AUTH}", authorization.encode())
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            if state.echo:
                self.send_header("X-Echo", authorization)
            if state.request_ids:
                self.send_header("X-Request-Id", state.request_id or f"req_replay_{state.count}")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
