"""Configuration precedence, the missing-key message, and keys kept out of reprs."""

from __future__ import annotations

from pathlib import Path

import pytest

from atribu_pandas.client.client import Client
from atribu_pandas.core.config import DEFAULT_BASE_URL, resolve_settings
from atribu_pandas.exceptions import ConfigurationError

SECRET = "atb_test_SENTINELsecretKEY1234wxyz"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ATRIBU_API_KEY", "ATRIBU_BASE_URL", "ATRIBU_CACHE_DIR"):
        monkeypatch.delenv(name, raising=False)


def test_no_key_names_the_variable_and_the_sandbox() -> None:
    with pytest.raises(ConfigurationError) as info:
        Client()
    message = str(info.value)
    assert "ATRIBU_API_KEY" in message
    assert "sandbox" in message


def test_blank_key_is_no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ATRIBU_API_KEY", "   ")
    with pytest.raises(ConfigurationError, match="ATRIBU_API_KEY"):
        resolve_settings()


def test_environment_is_used(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ATRIBU_API_KEY", "env_key")
    monkeypatch.setenv("ATRIBU_BASE_URL", "http://127.0.0.1:8787/")
    monkeypatch.setenv("ATRIBU_CACHE_DIR", str(tmp_path))
    s = resolve_settings()
    assert (s.api_key, s.base_url, s.cache_dir) == ("env_key", "http://127.0.0.1:8787", tmp_path)


def test_arguments_win_over_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ATRIBU_API_KEY", "env_key")
    monkeypatch.setenv("ATRIBU_BASE_URL", "http://127.0.0.1:1")
    monkeypatch.setenv("ATRIBU_CACHE_DIR", "/nonexistent")
    s = resolve_settings("arg_key", "http://127.0.0.1:2", tmp_path)
    assert (s.api_key, s.base_url, s.cache_dir) == ("arg_key", "http://127.0.0.1:2", tmp_path)


def test_default_base_url_and_cache_dir() -> None:
    s = resolve_settings("k")
    assert s.base_url == DEFAULT_BASE_URL == "https://www.atribu.app"
    assert s.cache_dir.name == "atribu-pandas"


@pytest.mark.parametrize("url", ["ftp://x", "www.atribu.app", "http://"])
def test_bad_base_url(url: str) -> None:
    with pytest.raises(ConfigurationError, match="base_url"):
        resolve_settings("k", url)


def test_repr_shows_only_the_last_four_characters(tmp_path: Path) -> None:
    client = Client(SECRET, base_url="http://127.0.0.1:9", cache_dir=tmp_path)
    text = repr(client) + str(client) + repr(client._settings)
    assert "wxyz" in repr(client)
    assert SECRET not in text
    assert SECRET[:-4] not in text
    assert "SENTINEL" not in text


def test_client_cannot_be_pickled(tmp_path: Path) -> None:
    import pickle

    client = Client(SECRET, base_url="http://127.0.0.1:9", cache=False)
    with pytest.raises(TypeError, match="secret"):
        pickle.dumps(client)


def test_sandbox_keys_mark_demo_data() -> None:
    assert resolve_settings("atb_test_abc").is_sandbox
    assert not resolve_settings("atb_live_abc").is_sandbox


@pytest.mark.parametrize(
    "key",
    ["atb_live_SECRETabc\ndef", "atb_live_SECRET abc", "atb_live_SECRET\u200babc", "atb_live_Ü"],
    ids=["newline", "space", "zero-width", "non-ascii"],
)
def test_malformed_key_is_refused_without_echoing_it(key: str) -> None:
    with pytest.raises(ConfigurationError) as info:
        Client(key, base_url="http://127.0.0.1:9", cache=False)
    assert "SECRET" not in str(info.value) and "Ü" not in str(info.value)
    assert "API key" in str(info.value)


def test_short_keys_are_fully_masked(tmp_path: Path) -> None:
    client = Client("abcdef", base_url="http://127.0.0.1:9", cache=False)
    assert "abcdef"[-4:] not in repr(client)


def test_a_cache_dir_under_a_user_that_does_not_exist_is_refused_in_words() -> None:
    # "~0" reads as the home of a user named "0", which this machine has no entry for:
    # the argument is refused naming what is allowed, not a bare RuntimeError.
    from atribu_pandas.exceptions import ArgumentError

    with pytest.raises(ArgumentError, match=r"cache_dir=.*~user for a user that exists"):
        Client("atb_test_FAKE-cache-dir-not-a-key", cache_dir="~no-such-user-0")
