"""The HTTP cache and the frame memo against the real sandbox and requests-cache."""

from __future__ import annotations

import datetime as dt
import os
import stat
from pathlib import Path
from typing import Any

import pytest
import requests

import atribu_pandas as ap
from atribu_pandas.client.cache import ResponseCache

Window = tuple[dt.date, dt.date]
pytestmark = pytest.mark.filterwarnings("ignore::atribu_pandas.TruncatedResultWarning")


def _files(directory: Path) -> list[Path]:
    return [p for p in directory.rglob("*") if p.is_file()]


def _secret_fragments(key: str) -> list[bytes]:
    # The whole key, the key without its prefix, and the header value.
    return [key.encode(), key.removeprefix("atb_test_").encode(), f"Bearer {key}".encode()]


def test_second_identical_call_makes_no_request(
    sb: Any, client: ap.Client, old_window: Window
) -> None:
    before = sb.request_count
    first = ap.load_campaigns(*old_window, level="ad", limit=100, client=client)
    assert sb.request_count == before + 1
    second = ap.load_campaigns(*old_window, level="ad", limit=100, client=client)
    assert sb.request_count == before + 1
    assert first.attrs["atribu"]["from_cache"] is False
    assert second.attrs["atribu"]["from_cache"] is True
    # Only the provenance flag differs.
    second.attrs = first.attrs = {}
    import pandas as pd

    pd.testing.assert_frame_equal(first, second)


def test_http_cache_serves_a_new_client_without_a_request(
    sb: Any, cache_dir: Path, old_window: Window
) -> None:
    one = sb.client(cache_dir=cache_dir)
    ap.load_campaigns(*old_window, client=one)
    before = sb.request_count
    two = sb.client(cache_dir=cache_dir)  # a new process would start like this: empty memo
    df = ap.load_campaigns(*old_window, client=two)
    assert sb.request_count == before
    assert df.attrs["atribu"]["from_cache"] is True
    assert two.cache_info()["responses"] == 1


def test_mutating_a_returned_frame_does_not_change_the_cache(
    client: ap.Client, old_window: Window
) -> None:
    df = ap.load_campaigns(*old_window, client=client)
    spend = df["spend"].tolist()
    df["spend"] = -1.0
    again = ap.load_campaigns(*old_window, client=client)
    assert again["spend"].tolist() == spend


def test_two_keys_never_share_an_entry(sb: Any, cache_dir: Path, old_window: Window) -> None:
    small = next(p for p in sb.profiles if p.size == "small" and "campaigns:read" in p.scopes)
    large = sb.client(cache_dir=cache_dir)
    other = sb.client(api_key=small.api_key, cache_dir=cache_dir)
    a = ap.load_campaigns(*old_window, client=large)
    before = sb.request_count
    b = ap.load_campaigns(*old_window, client=other)
    assert sb.request_count == before + 1  # not answered from the large key's entry
    assert b.attrs["atribu"]["from_cache"] is False
    assert a.attrs["atribu"]["meta"]["profile_id"] != b.attrs["atribu"]["meta"]["profile_id"]
    assert large.cache_info()["path"] != other.cache_info()["path"]


def test_the_key_is_written_to_no_file(sb: Any, cache_dir: Path, window: Window) -> None:
    client = sb.client(cache_dir=cache_dir)
    ap.load_campaigns(*window, level="ad", client=client)
    ap.load_top_performers(client=client)
    client.close()
    files = _files(cache_dir)
    assert files
    for path in files:
        data = path.read_bytes()
        for fragment in _secret_fragments(sb.api_key):
            assert fragment not in data, f"{path.name} holds the key"


def test_overriding_ignored_parameters_would_write_the_key(tmp_path: Path, sb: Any) -> None:
    # The pitfall our session avoids, shown with the same check as above so that check is
    # known to find a key when one is there.
    from requests_cache import CachedSession

    session = CachedSession(str(tmp_path / "bad.sqlite"), ignored_parameters=["api_key"])
    session.get(
        sb.url + "/api/v1/top-performers", headers={"Authorization": f"Bearer {sb.api_key}"}
    )
    session.close()
    assert any(sb.api_key.encode() in p.read_bytes() for p in _files(tmp_path))
    ours = ResponseCache.open(tmp_path / "ours", sb.api_key)
    assert ours is not None
    assert "Authorization" in ours.backend._settings.ignored_parameters


def test_cache_files_are_private(client: ap.Client, old_window: Window) -> None:
    ap.load_campaigns(*old_window, client=client)
    path = Path(client.cache_info()["path"])
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700


def test_an_existing_directory_keeps_its_mode(sb: Any, tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    os.chmod(shared, 0o755)
    sb.client(cache_dir=shared).get("/api/v1/top-performers", {})
    assert stat.S_IMODE(os.stat(shared).st_mode) == 0o755
    (db,) = shared.glob("*.sqlite")
    assert stat.S_IMODE(os.stat(db).st_mode) == 0o600


def test_sandbox_clients_cache_in_the_sandbox_not_the_user_cache() -> None:
    with ap.sandbox.start() as own:
        client = own.client()
        ap.load_top_performers(client=client)
        path = Path(client.cache_info()["path"])
        assert path.exists() and path.parent != Path(os.environ["ATRIBU_CACHE_DIR"])
    assert not path.exists()


def test_errors_are_not_cached(sb: Any, client: ap.Client, old_window: Window) -> None:
    sb.inject("error", count=3, status=500)  # first attempt and both retries fail
    with pytest.raises(ap.ServerError):
        ap.load_campaigns(*old_window, client=client)
    before = sb.request_count
    df = ap.load_campaigns(*old_window, client=client)
    assert sb.request_count == before + 1
    assert len(df) > 0
    assert client.cache_info()["responses"] == 1


def test_refresh_goes_to_the_server(sb: Any, client: ap.Client, old_window: Window) -> None:
    ap.load_campaigns(*old_window, client=client)
    before = sb.request_count
    df = ap.load_campaigns(*old_window, client=client, refresh=True)
    assert sb.request_count == before + 1
    assert df.attrs["atribu"]["from_cache"] is False
    ap.load_top_performers(client=client)
    before = sb.request_count
    ap.load_top_performers(client=client, refresh=True)
    assert sb.request_count == before + 1


def test_cache_off_always_asks(sb: Any, old_window: Window) -> None:
    client = sb.client(cache=False)
    before = sb.request_count
    ap.load_campaigns(*old_window, client=client)
    ap.load_campaigns(*old_window, client=client)
    assert sb.request_count == before + 2
    assert client.cache_info() == {
        "enabled": False,
        "path": None,
        "responses": 0,
        "size_bytes": 0,
        "frames_in_memory": 0,
    }


def test_cache_info_and_clear(sb: Any, client: ap.Client, old_window: Window) -> None:
    ap.load_campaigns(*old_window, client=client)
    ap.load_top_performers(client=client)
    info = client.cache_info()
    assert info["enabled"] and info["responses"] == 2 and info["frames_in_memory"] == 2
    assert info["size_bytes"] > 0
    client.clear_cache()
    assert client.cache_info()["responses"] == 0
    assert client.cache_info()["frames_in_memory"] == 0
    before = sb.request_count
    ap.load_campaigns(*old_window, client=client)
    assert sb.request_count == before + 1


def test_expiry_is_set_by_freshness(
    client: ap.Client, sb: Any, window: Window, old_window: Window
) -> None:
    ap.load_campaigns(*old_window, client=client)
    ap.load_campaigns(*window, client=client)
    assert client._cache is not None
    expiries = {}
    for response in client._cache.backend.responses.values():
        date_to = requests.utils.urlparse(response.url).query.split("date_to=")[1][:10]
        expiries[date_to] = response.expires - response.created_at
    second = dt.timedelta(seconds=1)
    assert abs(expiries[old_window[1].isoformat()] - dt.timedelta(hours=24)) < second
    assert abs(expiries[window[1].isoformat()] - dt.timedelta(minutes=15)) < second
