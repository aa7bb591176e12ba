"""The commands check every option before any work (one line, exit 2), and the sandbox
server refuses what is not a GET without a body, in JSON, and drops idle connections."""

from __future__ import annotations

import socket
import time
from pathlib import Path
from typing import Any

import orjson
import pytest

from atribu_pandas import cli


def _refused(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    start = time.monotonic()
    with pytest.raises(SystemExit) as info:
        cli.main(argv)
    # Refused before any work: no kernel, no dataset, no socket.
    assert time.monotonic() - start < 2
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1, err
    return err


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["sandbox", "--port", "99999"], "0 to 65535"),
        (["sandbox", "--port", "http"], "not a whole number"),
        (["sandbox", "--rate-limit", "0"], ">= 1"),
        (["sandbox", "--seed", "-1"], ">= 0"),
        (["report", "trends", "--demo", "-o", ""], "needs a file name"),
        (["report", "trends", "--demo", "-p", "x"], "NAME=VALUE"),
        (["report", "trends", "--demo", "-p", "x=" + "[" * 20_000], "at most 10,000"),
        (["nonsense"], "invalid choice"),
    ],
)
def test_a_bad_option_is_one_line_and_status_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], says: str
) -> None:
    assert says in _refused(capsys, argv)


def test_report_output_that_is_a_folder_or_under_a_file_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert "is a folder" in _refused(capsys, ["report", "trends", "--demo", "-o", str(tmp_path)])
    blocker = tmp_path / "file"
    blocker.write_text("x")
    err = _refused(capsys, ["report", "trends", "--demo", "-o", str(blocker / "r.html")])
    assert "is a file, not a folder" in err


def test_a_port_in_use_is_one_line_and_status_2(
    capsys: pytest.CaptureFixture[str], sb: Any
) -> None:
    port = int(sb.url.rsplit(":", 1)[1])
    assert cli.main(["sandbox", "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "pick another --port" in err


def test_a_long_literal_parameter_does_not_crash_the_parser() -> None:
    from atribu_pandas.reports.cli import _literal

    deep = "[" * 5000 + "]" * 5000
    assert _literal(deep) == deep  # too deep for Python's parser: kept as text
    assert _literal("[1, 2]") == [1, 2]


# -- the sandbox server ---------------------------------------------------------------------


def _raw(sb: Any, data: bytes, wait: float = 0.5) -> bytes:
    host, port = sb.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as conn:
        conn.sendall(data)
        time.sleep(wait)
        chunks = []
        conn.settimeout(1)
        try:
            while chunk := conn.recv(65536):
                chunks.append(chunk)
        except TimeoutError:
            pass
    return b"".join(chunks)


def _envelope(raw: bytes) -> dict[str, Any]:
    head, _, body = raw.partition(b"\r\n\r\n")
    error: dict[str, Any] = orjson.loads(body)["error"]
    assert b"Content-Type: application/json" in head
    return error


def test_a_chunked_body_is_never_run_as_a_second_request(sb: Any) -> None:
    smuggled = b"GET /api/v1/top-performers HTTP/1.1\r\nHost: x\r\n\r\n"
    body = f"{len(smuggled):x}\r\n".encode() + smuggled + b"\r\n0\r\n\r\n"
    before = sb.request_count
    raw = _raw(
        sb,
        b"POST /api/v1/campaigns HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + body,
    )
    assert raw.count(b"HTTP/1.1 ") == 1  # one answer: the body was not parsed as a request
    assert raw.startswith(b"HTTP/1.1 405")
    assert _envelope(raw)["code"] == "method_not_allowed"
    assert sb.request_count == before + 1


def test_a_get_with_a_body_is_refused_in_json(sb: Any) -> None:
    raw = _raw(sb, b"GET /api/v1/campaigns HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc")
    assert raw.startswith(b"HTTP/1.1 400")
    error = _envelope(raw)
    assert error["code"] == "invalid_parameter" and error["request_id"].startswith("req_")


@pytest.mark.parametrize("method", ["TRACE", "BREW", "CONNECT"])
def test_unknown_methods_get_the_json_envelope(sb: Any, method: str) -> None:
    raw = _raw(sb, f"{method} /api/v1/campaigns HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    assert raw.startswith(b"HTTP/1.1 405")
    assert b"Allow: GET" in raw
    error = _envelope(raw)
    assert error["code"] == "method_not_allowed" and error["status"] == 405


def test_a_bad_request_line_gets_the_json_envelope(sb: Any) -> None:
    raw = _raw(sb, b"GET /api/v1/campaigns HTTP/1.1\r\nHost: x\r\n" + b"X: y\r\n" * 200 + b"\r\n")
    assert raw.startswith(b"HTTP/1.1 431")  # too many headers
    assert _envelope(raw)["code"] == "headers_too_large"


def test_idle_connections_are_closed() -> None:
    from atribu_pandas.sandbox.api import SandboxAPI
    from atribu_pandas.sandbox.dataset import build_profiles
    from atribu_pandas.sandbox.server import SandboxServer

    server = SandboxServer(SandboxAPI(build_profiles(seed=0)), idle_timeout=0.5).start()
    try:
        with socket.create_connection((server.host, server.port), timeout=5) as conn:
            start = time.monotonic()
            assert conn.recv(1) == b""  # the server hung up on the silent connection
            assert 0.4 <= time.monotonic() - start < 3
    finally:
        server.stop()


def test_a_client_that_hangs_up_leaves_no_traceback(capfd: pytest.CaptureFixture[str]) -> None:
    import atribu_pandas as ap

    with ap.sandbox.start() as own:
        client = own.client(cache=False, max_retries=0, max_body_bytes=1 << 20)
        own.inject("gzip_bomb", size=1 << 28)
        with pytest.raises(ap.ResponseError):
            client.get("/api/v1/top-performers", {"limit": 1})  # the client closes mid-body
        client.close()
        time.sleep(0.3)  # the server's thread notices the reset
    assert "Traceback" not in capfd.readouterr().err


def test_a_disk_error_while_writing_is_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # The write itself failing (disk full) is simulated at the report function: the
    # command's answer to it is what is under test.
    from atribu_pandas import reports

    def full_disk(args: Any) -> int:
        raise OSError(28, "No space left on device", str(tmp_path / "r.html"))

    monkeypatch.setattr(reports, "run_report", full_disk)
    assert cli.main(["report", "trends", "--demo", "-o", str(tmp_path / "r.html")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "No space left on device" in err


def test_a_logo_that_is_huge_a_fifo_or_a_device_is_refused_within_a_second(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import os

    huge = tmp_path / "huge.png"
    with huge.open("wb") as handle:
        handle.write(b"\x89PNG\r\n\x1a\n")
        handle.truncate(100 * 1024 * 1024)
    fifo = tmp_path / "fifo.png"
    os.mkfifo(fifo)
    output = tmp_path / "r.html"
    for logo, says in [
        (huge, "this one is 100.0 MB"),
        (fifo, "not a regular file"),
        (Path("/dev/zero"), "not a regular file"),
    ]:
        start = time.monotonic()
        status = cli.main(["report", "trends", "--demo", "--logo", str(logo), "-o", str(output)])
        # Nothing was read (a FIFO would wait for a writer, /dev/zero never ends) and no
        # kernel started. The whole command, Python's start included, took 0.4 s here.
        assert time.monotonic() - start < 1.0
        err = capsys.readouterr().err
        assert status == 2 and len(err.strip().splitlines()) == 1, err
        assert says in err and "at most 2 MB" in err
        assert not output.exists()


@pytest.mark.parametrize(
    ("option", "value", "says"),
    [
        ("--notes", "x" * 5_001, "5,001 characters"),
        ("--client-name", "x" * 121, "at most 120 characters"),
        ("--client-name", "Glow\nClinics", "one line of text"),
        ("--title", "t" * 151, "at most 150 characters"),
    ],
)
def test_text_options_over_their_length_are_one_line_and_status_2(
    capsys: pytest.CaptureFixture[str], option: str, value: str, says: str
) -> None:
    start = time.monotonic()
    status = cli.main(["report", "trends", "--demo", option, value])
    err = capsys.readouterr().err
    assert status == 2 and len(err.strip().splitlines()) == 1, err
    assert says in err and time.monotonic() - start < 2.0
    # A refused value is described, never echoed whole.
    assert len(err) < 400
