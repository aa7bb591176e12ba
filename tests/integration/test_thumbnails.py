"""Thumbnails from hostile servers: each gives a placeholder, on time, and never the key.

A threaded ``http.server`` on loopback misbehaves one way per path (it stalls, drips,
answers 50 MB or without end, redirects to ``file://``, sends HTML or SVG, 404s); every
batch is timed, since the promise is a bound on the time a report waits.
"""

from __future__ import annotations

import base64
import contextlib
import io
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PIL import Image

import atribu_pandas as ap
from atribu_pandas.client.thumbnails import THUMBNAIL_BOX, fetch_thumbnails, shown_address

TIMEOUT = 1.5
SLACK = 0.8  # thread start-up, shrinking what arrived in time, the join's own margin


def _png(size: tuple[int, int], mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    colour = {"RGB": (200, 30, 30), "RGBA": (200, 30, 30, 128), "L": 90}[mode]
    Image.new(mode, size, colour).save(out, format="PNG")
    return out.getvalue()


PNG = _png((600, 300))


class _Hostile(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    seen: list[dict[str, str]]

    def log_message(self, format: str, *args: object) -> None:
        pass

    def handle(self) -> None:
        # The client hung up at its deadline: what the tests want of it.
        with contextlib.suppress(OSError):
            super().handle()

    def _send(self, status: int, kind: str, body: bytes, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        self.server.seen.append({"path": self.path, **dict(self.headers.items())})  # type: ignore[attr-defined]
        path = self.path.split("?")[0]
        stop: threading.Event = self.server.stop  # type: ignore[attr-defined]
        if path == "/ok.png":
            self._send(200, "image/png", PNG)
        elif path == "/stall":
            stop.wait(30)  # no headers at all
        elif path == "/stall-body":
            self.send_response(200)
            self.send_header("Content-Length", "5000")
            self.end_headers()
            self.wfile.write(PNG[:100])
            self.wfile.flush()
            stop.wait(30)
        elif path == "/drip":
            self.send_response(200)
            self.send_header("Content-Length", str(len(PNG)))
            self.end_headers()
            for i in range(len(PNG)):
                if stop.is_set():
                    return
                self.wfile.write(PNG[i : i + 1])
                self.wfile.flush()
                time.sleep(0.05)
        elif path in ("/huge", "/endless"):
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            if path == "/huge":
                self.send_header("Content-Length", str(50 * 1024 * 1024))
            else:
                self.send_header("Connection", "close")
            self.end_headers()
            chunk = PNG + b"\0" * (1024 * 1024 - len(PNG))
            try:
                for _ in range(50 if path == "/huge" else 10_000):
                    if stop.is_set():
                        return
                    self.wfile.write(chunk)
            except OSError:
                self.server.abandoned += 1  # type: ignore[attr-defined]
        elif path == "/to-file":
            self._send(302, "text/plain", b"", Location="file:///etc/passwd")
        elif path == "/to-ftp":
            self._send(301, "text/plain", b"", Location="ftp://127.0.0.1/x.png")
        elif path == "/to-ok":
            self._send(302, "text/plain", b"", Location="/ok.png?signed=1")
        elif path == "/loop":
            self._send(302, "text/plain", b"", Location="/loop")
        elif path == "/html":
            self._send(200, "image/png", b"<!doctype html><html><body>Not found</body></html>")
        elif path == "/svg":
            svg = b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="9" height="9"/></svg>'
            self._send(200, "image/svg+xml", svg)
        elif path == "/bomb":
            self._send(200, "image/png", _png((6000, 6000), "L"))
        elif path == "/alpha.png":
            self._send(200, "image/png", _png((64, 64), "RGBA"))
        else:
            self._send(404, "text/plain", b"no")


@pytest.fixture
def hostile() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hostile)
    server.daemon_threads = True
    server.seen = []  # type: ignore[attr-defined]
    server.stop = threading.Event()  # type: ignore[attr-defined]
    server.abandoned = 0  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.stop.set()  # type: ignore[attr-defined]
    server.shutdown()
    server.server_close()


def _url(server: ThreadingHTTPServer, path: str) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}{path}"


def _timed(urls: list[str | None], **kwargs: object) -> tuple[list, float]:
    started = time.monotonic()
    pictures = fetch_thumbnails(urls, timeout=TIMEOUT, **kwargs)  # type: ignore[arg-type]
    return pictures, time.monotonic() - started


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/stall", "timeout"),
        ("/stall-body", "timeout"),
        ("/drip", "timeout"),
        ("/huge", "too_large"),
        ("/endless", "too_large"),
        ("/to-file", "scheme"),
        ("/to-ftp", "scheme"),
        ("/loop", "redirects"),
        ("/html", "not_image"),
        ("/svg", "not_image"),
        ("/bomb", "too_large"),
        ("/missing.png", "status"),
    ],
)
def test_a_hostile_answer_is_a_reason_within_the_timeout(
    hostile: ThreadingHTTPServer, path: str, reason: str
) -> None:
    # The good picture rides along: one bad server costs only its own picture.
    pictures, elapsed = _timed([_url(hostile, path), _url(hostile, "/ok.png")])
    assert elapsed < TIMEOUT + SLACK, elapsed
    assert [p.reason for p in pictures] == [reason, None]
    assert pictures[0].data_uri is None and pictures[1].data_uri is not None
    if reason == "status":
        assert pictures[0].detail == "404"


def test_every_hostile_server_at_once_ends_within_one_timeout(
    hostile: ThreadingHTTPServer,
) -> None:
    # More slow servers than threads: the deadline is the batch's, not each picture's.
    paths = ["/stall", "/drip", "/stall-body", "/huge", "/endless"] * 3 + ["/ok.png"]
    pictures, elapsed = _timed([_url(hostile, p + f"?n={i}") for i, p in enumerate(paths)])
    assert elapsed < TIMEOUT + SLACK, elapsed
    assert len(pictures) == len(paths)
    assert all(p.data_uri is None for p in pictures[:-1])


def test_a_50_mb_answer_is_not_read_whole(hostile: ThreadingHTTPServer) -> None:
    pictures, _elapsed = _timed([_url(hostile, "/huge")], max_bytes=256 * 1024)
    assert pictures[0].reason == "too_large"
    # The client hung up long before the 50th megabyte: the server's write failed.
    deadline = time.monotonic() + 5
    while hostile.abandoned == 0 and time.monotonic() < deadline:  # type: ignore[attr-defined]
        time.sleep(0.05)
    assert hostile.abandoned == 1  # type: ignore[attr-defined]


def test_addresses_that_are_not_http_are_refused_without_a_request(
    hostile: ThreadingHTTPServer,
) -> None:
    urls = [None, "", "  ", "file:///etc/passwd", "data:image/png;base64,AAAA", "/ok.png",
            "javascript:alert(1)", "ftp://127.0.0.1/a.png"]  # fmt: skip
    pictures, elapsed = _timed(urls)  # type: ignore[arg-type]
    assert [p.reason for p in pictures] == ["no_address"] * 3 + ["scheme"] * 5
    assert hostile.seen == [] and elapsed < 0.5  # type: ignore[attr-defined]


def test_a_picture_is_shrunk_and_embedded(hostile: ThreadingHTTPServer) -> None:
    wide, alpha, redirected = fetch_thumbnails(
        [_url(hostile, "/ok.png"), _url(hostile, "/alpha.png"), _url(hostile, "/to-ok")],
        timeout=TIMEOUT,
    )
    # 600 x 300 into a 128 px box keeps its shape: 128 x 64.
    assert (wide.width, wide.height) == (THUMBNAIL_BOX[0], THUMBNAIL_BOX[0] // 2)
    assert wide.data_uri is not None and wide.data_uri.startswith("data:image/jpeg;base64,")
    decoded = Image.open(io.BytesIO(base64.b64decode(wide.data_uri.partition(",")[2])))
    assert decoded.size == (128, 64) and decoded.format == "JPEG"
    # Transparency needs PNG; a small picture is not enlarged.
    assert alpha.data_uri is not None and alpha.data_uri.startswith("data:image/png;base64,")
    assert (alpha.width, alpha.height) == (64, 64)
    assert redirected.ok


def test_the_thumbnail_server_never_sees_the_key(
    hostile: ThreadingHTTPServer, tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = _url(hostile, "")
    key = "atb_live_SENTINEL_fake_thumbnails_0123"
    # The thumbnail host is the API's own host, the key is in the environment and in the
    # loaders' default client, and a ~/.netrc names the host: still no key is sent.
    netrc = tmp_path / "netrc"  # type: ignore[operator]
    netrc.write_text("machine 127.0.0.1 login me password netrcsecret\n")
    monkeypatch.setenv("NETRC", str(netrc))
    monkeypatch.setenv("ATRIBU_API_KEY", key)
    monkeypatch.setenv("ATRIBU_BASE_URL", base)
    client = ap.Client(api_key=key, base_url=base, cache=False)
    ap.set_default_client(client)
    try:
        fetch_thumbnails(
            [base + "/ok.png?a=1", base + "/to-ok", base + "/missing.png"],
            timeout=client.timeout,
        )
    finally:
        ap.set_default_client(None)
        client.close()
    seen = hostile.seen  # type: ignore[attr-defined]
    assert len(seen) == 4  # the redirect's target too
    for request in seen:
        assert "Authorization" not in request and "Cookie" not in request
        assert key not in repr(request) and "netrcsecret" not in repr(request)


def test_the_appendix_address_drops_the_query() -> None:
    assert shown_address("https://scontent.xx.fbcdn.net/v/t45/1.jpg?oh=tok&oe=6") == (
        "https://scontent.xx.fbcdn.net/v/t45/1.jpg"
    )
    assert shown_address("http://[::1]:8080/a.png?x") == "http://[::1]:8080/a.png"
