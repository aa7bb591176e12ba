"""The key never reaches a file, a frame's attrs, a pickle, a log or a message, whatever a
server echoes back. Served by the replay stand-in with ``echo`` on: it puts the request's
``Authorization`` header in a response header and in ``meta``."""

from __future__ import annotations

import json
import logging
import pickle
from pathlib import Path

import pytest
from replay import FAKE_KEY, Replay

import atribu_pandas as ap

from .test_page_payloads import TOP, page


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def test_an_echoed_key_is_in_no_file_attrs_or_pickle(replay: Replay, cache: Path) -> None:
    document = page("page-top-performers.json")
    document["meta"]["debug"] = {"authorization": "{AUTH}", "note": "seen: {AUTH}"}
    replay.serve(TOP, json.dumps(document).encode())
    replay.echo = True
    client = replay.client(cache)
    top = ap.load_top_performers(client=client)
    assert FAKE_KEY not in json.dumps(top.attrs)
    assert top.attrs["atribu"]["meta"]["debug"]["note"].startswith("seen: Bearer …")
    assert FAKE_KEY.encode() not in pickle.dumps(top)
    client.close()
    files = [f for f in cache.rglob("*") if f.is_file()]
    assert files
    for file in files:
        assert FAKE_KEY.encode() not in file.read_bytes(), file
    # And the cached answer, read back, is the cleaned one.
    again = replay.client(cache)
    cached = again.get(TOP, {"window": "28d", "limit": 50})
    assert cached.from_cache and FAKE_KEY not in json.dumps(cached.meta)
    assert FAKE_KEY not in " ".join(cached.headers.values())


def test_a_url_carrying_the_key_stays_out_of_the_logs(
    replay: Replay, cache: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # urllib3 logs every request line at DEBUG, a redirect's Location too: a key a server
    # put in a URL would land in the user's log file.
    replay.serve(TOP, json.dumps(page("page-top-performers.json")).encode())
    caplog.set_level(logging.DEBUG)
    client = replay.client(cache)
    client.get(TOP, {"window": "28d", "limit": 10, "token": FAKE_KEY})
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "top-performers" in logged  # urllib3 did log the request line
    assert FAKE_KEY not in logged


def test_a_key_pasted_into_base_url_is_refused_masked() -> None:
    with pytest.raises(ap.ConfigurationError) as info:
        ap.Client(api_key=FAKE_KEY, base_url=f"https://www.atribu.app/{FAKE_KEY}", cache=False)
    error = info.value
    for text in (str(error), repr(error), error.message):
        assert FAKE_KEY not in text
    assert "holds what looks like an API key" in str(error)


def test_terminal_escapes_in_a_request_id_never_reach_a_message(
    replay: Replay, cache: Path
) -> None:
    replay.request_id = "req_7\x1b]0;pwned\x07\x1b[2J"
    replay.serve(TOP, b'{"data": "not a list", "meta": {}}')
    with pytest.raises(ap.ResponseError) as info:
        ap.load_top_performers(client=replay.client(cache))
    text = str(info.value)
    assert "\x1b" not in text and "\x07" not in text
    assert info.value.request_id == "req_7]0;pwned[2J"
