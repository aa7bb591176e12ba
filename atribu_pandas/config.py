"""Client configuration: arguments first, then environment variables, then defaults.

``ATRIBU_API_KEY``, ``ATRIBU_BASE_URL``, ``ATRIBU_CACHE_DIR`` and (for a workspace)
``ATRIBU_API_KEYS`` are read here and nowhere else, so the precedence (an argument always
wins) lives in one place.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from atribu_pandas.exceptions import ConfigurationError

__all__ = [
    "CAMPAIGNS_PATH",
    "DEFAULT_BASE_URL",
    "DEFAULT_RATE_LIMIT",
    "DEFAULT_TIMEOUT",
    "ENV_API_KEY",
    "ENV_API_KEYS",
    "ENV_BASE_URL",
    "ENV_CACHE_DIR",
    "SANDBOX_KEY_PREFIX",
    "TOP_PERFORMERS_PATH",
    "TREND_PATH",
    "Settings",
    "default_cache_dir",
    "has_workspace_keys",
    "mask_key",
    "parse_api_keys",
    "resolve_settings",
    "workspace_keys",
]

DEFAULT_BASE_URL = "https://www.atribu.app"
CAMPAIGNS_PATH = "/api/v1/campaigns"
TREND_PATH = "/api/v1/campaigns/trend"
TOP_PERFORMERS_PATH = "/api/v1/top-performers"
# Seconds for connect and for each read: the API answers in well under a second, so a
# minute-long hang is a fault worth reporting, not a wait worth extending.
DEFAULT_TIMEOUT = 30.0
# Atribu's documented limit: 60 requests per minute per key.
DEFAULT_RATE_LIMIT = 60
ENV_API_KEY = "ATRIBU_API_KEY"
# An agency's keys, one per client profile: "label=key,label=key" (atribu_pandas.Workspace).
ENV_API_KEYS = "ATRIBU_API_KEYS"
ENV_BASE_URL = "ATRIBU_BASE_URL"
ENV_CACHE_DIR = "ATRIBU_CACHE_DIR"
# Keys minted by the built-in sandbox; a frame fetched with one is demo data.
SANDBOX_KEY_PREFIX = "atb_test_"

# Keys are printable ASCII without spaces; anything else (a pasted newline or zero-width
# space) would be refused by the HTTP layer with an error that repeats the header.
_KEY_CHARS = re.compile(r"[\x21-\x7e]+")
# Shorter keys are not real ones; showing their last 4 characters would show most of them.
_MIN_MASKED_LENGTH = 12

_NO_KEY_MESSAGE = (
    "No Atribu API key: pass Client(api_key=...) or set the ATRIBU_API_KEY environment "
    "variable (Settings > API Keys in the Atribu dashboard). To try atribu-pandas without a "
    "key, use the built-in sandbox: `sb = atribu_pandas.sandbox.start(); client = sb.client()`, "
    "or call the loaders with no client and no ATRIBU_API_KEY set, which uses the sandbox."
)


def mask_key(api_key: str) -> str:
    """Return the key with all but its last 4 characters hidden.

    Parameters
    ----------
    api_key : str
        The secret key.

    Returns
    -------
    str
        ``"…" + last 4 characters``, safe to show in a repr or a log; just ``"…"`` for a
        key shorter than 12 characters, where 4 characters would be most of it.

    Examples
    --------
    >>> mask_key("atb_test_0123456789abcdef")
    '…cdef'
    >>> mask_key("abc")
    '…'
    """
    return "…" + api_key[-4:] if len(api_key) >= _MIN_MASKED_LENGTH else "…"


def default_cache_dir() -> Path:
    """Return the per-user cache directory of atribu-pandas (from platformdirs).

    Examples
    --------
    >>> default_cache_dir().name
    'atribu-pandas'
    """
    from platformdirs import user_cache_path

    return user_cache_path("atribu-pandas", appauthor=False)


@dataclass(frozen=True)
class Settings:
    """The resolved configuration of a client. ``repr`` never shows the key."""

    api_key: str = field(repr=False)
    base_url: str
    cache_dir: Path

    @property
    def is_sandbox(self) -> bool:
        """True when the key is one the built-in sandbox minted (demo data)."""
        return self.api_key.startswith(SANDBOX_KEY_PREFIX)


def resolve_settings(
    api_key: str | None = None,
    base_url: str | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
) -> Settings:
    """Combine arguments and environment variables into :class:`Settings`.

    Parameters
    ----------
    api_key, base_url, cache_dir
        Explicit values; each, when given, wins over its environment variable
        (``ATRIBU_API_KEY``, ``ATRIBU_BASE_URL``, ``ATRIBU_CACHE_DIR``).

    Returns
    -------
    Settings

    Raises
    ------
    ConfigurationError
        No key anywhere (the message names ``ATRIBU_API_KEY`` and the sandbox), or a
        base URL that is not ``http(s)://host``.

    Examples
    --------
    >>> s = resolve_settings("atb_test_demo", base_url="http://127.0.0.1:8787/")
    >>> s.base_url
    'http://127.0.0.1:8787'
    """
    key = api_key if api_key is not None else os.environ.get(ENV_API_KEY)
    if key is not None:
        key = key.strip()
    if not key:
        raise ConfigurationError(_NO_KEY_MESSAGE)
    if not _KEY_CHARS.fullmatch(key):
        # The message must not echo the key, even a malformed one.
        raise ConfigurationError(
            "The API key contains a space, a control character or a non-ASCII character "
            "(often a stray newline or invisible character from copy and paste): copy it "
            "again from Settings > API Keys."
        )
    url = (base_url or os.environ.get(ENV_BASE_URL) or DEFAULT_BASE_URL).rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigurationError(
            f"base_url={url!r} is not allowed: give an http(s) URL such as {DEFAULT_BASE_URL!r}"
        )
    directory = cache_dir if cache_dir is not None else os.environ.get(ENV_CACHE_DIR)
    return Settings(
        api_key=key,
        base_url=url,
        cache_dir=Path(directory).expanduser() if directory else default_cache_dir(),
    )


def parse_api_keys(text: str) -> dict[str, str]:
    """Parse ``ATRIBU_API_KEYS``: ``label=key,label=key`` (labels may contain spaces).

    Parameters
    ----------
    text : str

    Returns
    -------
    dict of label to key

    Raises
    ------
    ConfigurationError
        An entry without ``=``, an empty label or key, or a repeated label (named; the
        keys are never shown).

    Examples
    --------
    >>> list(parse_api_keys("Clinic A=atb_test_a1, Group B=atb_test_b2"))
    ['Clinic A', 'Group B']
    """
    keys: dict[str, str] = {}
    for number, entry in enumerate(text.split(","), start=1):
        if not entry.strip():
            continue
        label, sep, key = entry.partition("=")
        label, key = label.strip(), key.strip()
        if not sep or not label or not key:
            raise ConfigurationError(
                f"{ENV_API_KEYS} entry {number} is not 'label=key' (expected "
                "'Clinic A=atb_live_...,Group B=atb_live_...')"
            )
        if label in keys:
            raise ConfigurationError(f"{ENV_API_KEYS} names the profile {label!r} twice")
        keys[label] = key
    if not keys:
        raise ConfigurationError(f"{ENV_API_KEYS} holds no 'label=key' entry")
    return keys


def has_workspace_keys() -> bool:
    """Whether ``ATRIBU_API_KEYS`` is set (to anything non-empty).

    Examples
    --------
    >>> isinstance(has_workspace_keys(), bool)
    True
    """
    return bool(os.environ.get(ENV_API_KEYS))


def workspace_keys() -> dict[str, str]:
    """Return the workspace keys of ``ATRIBU_API_KEYS`` (see :func:`parse_api_keys`).

    Raises
    ------
    ConfigurationError
        When the variable is unset or malformed.

    Examples
    --------
    >>> workspace_keys()  # doctest: +SKIP
    """
    text = os.environ.get(ENV_API_KEYS)
    if not text:
        raise ConfigurationError(
            f"No workspace keys: pass Workspace({{'Clinic A': key_a, ...}}) or set "
            f"{ENV_API_KEYS}='Clinic A=atb_live_...,Group B=atb_live_...'"
        )
    return parse_api_keys(text)
