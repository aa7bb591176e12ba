"""Client configuration: arguments first, then environment variables, then defaults.

``ATRIBU_API_KEY``, ``ATRIBU_BASE_URL``, ``ATRIBU_CACHE_DIR``, ``ATRIBU_PROGRESS``,
``ATRIBU_TODAY`` and (for a workspace) ``ATRIBU_API_KEYS`` are read here and nowhere else in
the client path, so the precedence (an argument always wins) lives in one place. Every option of
:class:`~atribu_pandas.Client` is checked here too, at construction, so a bad value is
refused before any request with an :class:`~atribu_pandas.ArgumentError` naming
it and what is allowed.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from atribu_pandas.core.params import check_count, check_currency, check_flag, check_number
from atribu_pandas.core.redact import holds_secret, register_key
from atribu_pandas.exceptions import ArgumentError, ConfigurationError

__all__ = [
    "CAMPAIGNS_PATH",
    "DEFAULT_BASE_URL",
    "DEFAULT_CURRENCY",
    "DEFAULT_RATE_LIMIT",
    "DEFAULT_TIMEOUT",
    "ENV_API_KEY",
    "ENV_API_KEYS",
    "ENV_BASE_URL",
    "ENV_CACHE_DIR",
    "ENV_CURRENCY",
    "ENV_PROGRESS",
    "ENV_TODAY",
    "MAX_BODY_BYTES",
    "MAX_WAIT_SECONDS",
    "SANDBOX_KEY_PREFIX",
    "TOP_PERFORMERS_PATH",
    "TREND_PATH",
    "ClientOptions",
    "Settings",
    "check_client_options",
    "default_cache_dir",
    "env_settings",
    "has_workspace_keys",
    "parse_api_keys",
    "pinned_today",
    "progress_disabled",
    "resolve_currency",
    "resolve_settings",
    "stated_currency",
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
# The currency a profile reports its amounts in: the API sends amounts without one.
ENV_CURRENCY = "ATRIBU_CURRENCY"
# What a frame with no stated currency is shown in (and every report says it assumed).
DEFAULT_CURRENCY = "USD"
# An agency's keys, one per client profile: "label=key,label=key" (atribu_pandas.Workspace).
ENV_API_KEYS = "ATRIBU_API_KEYS"
ENV_BASE_URL = "ATRIBU_BASE_URL"
ENV_CACHE_DIR = "ATRIBU_CACHE_DIR"
ENV_PROGRESS = "ATRIBU_PROGRESS"
# Pins the current day (YYYY-MM-DD) for the sandbox's data and every "last N complete days"
# default, so a report or a test run is the same whatever the clock says.
ENV_TODAY = "ATRIBU_TODAY"
# The decompressed body of one answer may not exceed this: the largest real answer (100
# ads with every column) is well under 1 MB, and a gzip bomb must not fill the memory.
MAX_BODY_BYTES = 64 * 1024 * 1024
# The longest a request may spend waiting for retries (429 and 5xx) in total, so two
# notebooks sharing one key finish their loads rather than fail after three 429s.
MAX_WAIT_SECONDS = 120.0
# Keys minted by the built-in sandbox; a frame fetched with one is demo data.
SANDBOX_KEY_PREFIX = "atb_test_"

# Keys are printable ASCII without spaces; anything else (a pasted newline or zero-width
# space) would be refused by the HTTP layer with an error that repeats the header.
_KEY_CHARS = re.compile(r"[\x21-\x7e]+")

_NO_KEY_MESSAGE = (
    "No Atribu API key: pass Client(api_key=...) or set the ATRIBU_API_KEY environment "
    "variable (Settings > API Keys in the Atribu dashboard). To try atribu-pandas without a "
    "key, use the built-in sandbox: `sb = atribu_pandas.sandbox.start(); client = sb.client()`, "
    "or call the loaders with no client and no ATRIBU_API_KEY set, which uses the sandbox."
)


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
        (``ATRIBU_API_KEY``, ``ATRIBU_BASE_URL``, ``ATRIBU_CACHE_DIR``). An empty
        environment variable counts as unset; an empty argument is refused.

    Returns
    -------
    Settings

    Raises
    ------
    ArgumentError
        An argument of the wrong type, or an empty ``base_url`` or ``cache_dir``.
    ConfigurationError
        No key anywhere (the message names ``ATRIBU_API_KEY`` and the sandbox), or a
        base URL that is not ``http(s)://host``.

    Examples
    --------
    >>> s = resolve_settings("atb_test_demo", base_url="http://127.0.0.1:8787/")
    >>> s.base_url
    'http://127.0.0.1:8787'
    """
    if api_key is not None and not isinstance(api_key, str):
        # The value itself is not shown: bytes or an object may hold the key.
        raise ArgumentError("api_key", _Hidden(api_key), "a str such as 'atb_live_...', or None")
    key = api_key if api_key is not None else os.environ.get(ENV_API_KEY)
    if key is not None:
        key = key.strip()
        # Registered before anything else is checked, so no later message can show it.
        register_key(key)
    if not key:
        raise ConfigurationError(_NO_KEY_MESSAGE)
    if not _KEY_CHARS.fullmatch(key):
        # The message must not echo the key, even a malformed one.
        raise ConfigurationError(
            "The API key contains a space, a control character or a non-ASCII character "
            "(often a stray newline or invisible character from copy and paste): copy it "
            "again from Settings > API Keys."
        )
    url = _check_base_url(base_url)
    if holds_secret(url):
        # Every request, log line and error names the URL: a key there would travel with it.
        raise ConfigurationError(
            f"base_url={url!r} holds what looks like an API key: the key goes in "
            "Client(api_key=...) or ATRIBU_API_KEY, never in the URL"
        )
    return Settings(api_key=key, base_url=url, cache_dir=_check_cache_dir(cache_dir))


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


class _Hidden:
    """Stands for a refused value that must not be shown (it may hold the key)."""

    def __init__(self, value: object) -> None:
        self.type_name = type(value).__name__

    def __repr__(self) -> str:
        return f"<a {self.type_name}, not shown>"


def _check_base_url(base_url: str | None) -> str:
    allowed = f"an http(s) URL such as {DEFAULT_BASE_URL!r}, or None for the default"
    if base_url is not None and not isinstance(base_url, str):
        raise ArgumentError("base_url", base_url, allowed)
    if base_url is not None and not base_url.strip():
        # An empty string quietly meaning production would send a key where nobody asked.
        raise ArgumentError("base_url", base_url, allowed)
    url = (base_url or os.environ.get(ENV_BASE_URL) or DEFAULT_BASE_URL).strip().rstrip("/")
    parts = urlsplit(url)
    try:
        parts.port  # noqa: B018  (it parses the port and raises on a bad one)
        valid = (
            parts.scheme in ("http", "https")
            and bool(parts.hostname)
            and not parts.username
            and not parts.password
            and not parts.query
            and not parts.fragment
            and _KEY_CHARS.fullmatch(url) is not None
        )
    except ValueError:
        valid = False
    if not valid:
        # The text passes through the scrubber: a key pasted here is masked.
        raise ConfigurationError(f"base_url={url!r} is not allowed: {allowed}")
    return url


def _check_cache_dir(cache_dir: str | os.PathLike[str] | None) -> Path:
    allowed = "a folder path (str or pathlib.Path), or None for the default"
    if cache_dir is not None:
        if isinstance(cache_dir, bool) or not isinstance(cache_dir, str | os.PathLike):
            raise ArgumentError("cache_dir", cache_dir, allowed)
        try:
            text = os.fspath(cache_dir)
        except TypeError:
            raise ArgumentError("cache_dir", cache_dir, allowed) from None
        if not isinstance(text, str) or not text.strip() or "\x00" in text:
            raise ArgumentError("cache_dir", cache_dir, allowed)
        try:
            return Path(text).expanduser()
        except RuntimeError:  # "~name" of a user this machine does not have
            allowed += ", with ~ or ~user for a user that exists"
            raise ArgumentError("cache_dir", cache_dir, allowed) from None
    directory = os.environ.get(ENV_CACHE_DIR)
    return Path(directory).expanduser() if directory else default_cache_dir()


@dataclass(frozen=True)
class ClientOptions:
    """The checked transport options of a client (see :class:`~atribu_pandas.Client`)."""

    cache: bool = True
    timeout: float = DEFAULT_TIMEOUT
    max_retries: int = 3
    backoff_factor: float = 0.5
    rate_limit: int = DEFAULT_RATE_LIMIT
    progress: bool | None = None
    max_body_bytes: int = MAX_BODY_BYTES
    max_wait: float = MAX_WAIT_SECONDS


def _number(name: str, value: Any, low: float, high: float, *, low_open: bool) -> float:
    lower = f"> {low:g}" if low_open else f">= {low:g}"
    allowed = f"a number {lower} and <= {high:g} (seconds)"
    number = float(check_number(value, name, allowed))
    if not math.isfinite(number) or number > high or number < low or (low_open and number == low):
        raise ArgumentError(name, value, allowed)
    return number


def _flag(name: str, value: Any, *, optional: bool = False) -> bool | None:
    if value is None and optional:
        return None
    # "no" or 0 meaning yes (or no) would be a guess.
    return check_flag(value, name)


def check_client_options(**options: Any) -> ClientOptions:
    """Check the transport options of a client; return them as :class:`ClientOptions`.

    Parameters
    ----------
    **options
        ``cache`` (bool), ``timeout`` (seconds, > 0 and <= 600), ``max_retries``
        (0 to 10), ``backoff_factor`` (0 to 60 seconds), ``rate_limit`` (requests per
        minute, 1 to 1,000,000), ``progress`` (bool or None), ``max_body_bytes``
        (1 KiB to 1 GiB) and ``max_wait`` (0 to 3600 seconds).

    Returns
    -------
    ClientOptions

    Raises
    ------
    ArgumentError
        The first option refused, by name, with what is allowed.

    Examples
    --------
    >>> check_client_options(timeout=5).timeout
    5.0
    >>> check_client_options(timeout=0)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    atribu_pandas.exceptions.ArgumentError: timeout=0 is not allowed: a number > 0 and <= 600 ...
    """
    o = ClientOptions(**options)
    return ClientOptions(
        cache=bool(_flag("cache", o.cache)),
        timeout=_number("timeout", o.timeout, 0, 600, low_open=True),
        max_retries=check_count(o.max_retries, "max_retries", minimum=0, maximum=10),
        backoff_factor=_number("backoff_factor", o.backoff_factor, 0, 60, low_open=False),
        rate_limit=check_count(o.rate_limit, "rate_limit", maximum=1_000_000),
        progress=_flag("progress", o.progress, optional=True),
        max_body_bytes=check_count(
            o.max_body_bytes, "max_body_bytes", minimum=1024, maximum=1 << 30
        ),
        max_wait=_number("max_wait", o.max_wait, 0, 3600, low_open=False),
    )


def progress_disabled() -> bool:
    """True when ``ATRIBU_PROGRESS`` is ``0``, ``false`` or ``no`` (bars off everywhere).

    Examples
    --------
    >>> isinstance(progress_disabled(), bool)
    True
    """
    return os.environ.get(ENV_PROGRESS, "").strip().lower() in ("0", "false", "no")


def pinned_today() -> dt.date | None:
    """Return the day ``ATRIBU_TODAY`` pins (``YYYY-MM-DD``), or None when it is unset.

    Raises
    ------
    ConfigurationError
        When the variable is set but is not a date.

    Examples
    --------
    >>> import os
    >>> from unittest import mock
    >>> with mock.patch.dict(os.environ, {"ATRIBU_TODAY": "2026-03-29"}):
    ...     pinned_today()
    datetime.date(2026, 3, 29)
    >>> with mock.patch.dict(os.environ):  # the variable as it was, afterwards
    ...     _ = os.environ.pop("ATRIBU_TODAY", None)
    ...     pinned_today() is None
    True
    """
    text = os.environ.get(ENV_TODAY, "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ConfigurationError(
            f"{ENV_TODAY}={text[:40]!r} is not a date: use YYYY-MM-DD, or unset it to follow "
            "the clock"
        ) from None


def env_settings() -> tuple[str | None, str | None]:
    """Return ``(ATRIBU_API_KEY, ATRIBU_BASE_URL)`` as set, empty values as None.

    The demo fallback (``loaders.defaults``) keys its default client by them.

    Examples
    --------
    >>> len(env_settings())
    2
    """
    key = os.environ.get(ENV_API_KEY, "").strip() or None
    url = os.environ.get(ENV_BASE_URL, "").strip() or None
    return key, url


def stated_currency(currency: Any = None) -> str | None:
    """Return the currency amounts are stated in: ``currency``, else ``ATRIBU_CURRENCY``.

    None when neither says (the frames then carry no currency, and whatever shows them
    assumes USD and says so).

    Parameters
    ----------
    currency : str or None
        An ISO 4217 code (any case); None or ``""`` falls back to ``ATRIBU_CURRENCY``.

    Raises
    ------
    ArgumentError
        A code that is not ISO 4217, naming the argument or the environment variable.

    Examples
    --------
    >>> stated_currency("eur")
    'EUR'
    """
    if currency not in (None, ""):
        return check_currency(currency)
    env = os.environ.get(ENV_CURRENCY, "").strip()
    return check_currency(env, ENV_CURRENCY) if env else None


def resolve_currency(currency: Any = None) -> tuple[str, str]:
    """Return the report's currency and where it came from.

    Parameters
    ----------
    currency : str or None
        An ISO 4217 code; None or ``""`` falls back to ``ATRIBU_CURRENCY``, then USD.

    Returns
    -------
    tuple of str
        ``(code, source)`` where source is ``"parameter"``, ``"ATRIBU_CURRENCY"`` or
        ``"default"``.

    Examples
    --------
    >>> resolve_currency("gbp")
    ('GBP', 'parameter')
    """
    if currency not in (None, ""):
        return check_currency(currency), "parameter"
    stated = stated_currency()
    return (stated, ENV_CURRENCY) if stated else (DEFAULT_CURRENCY, "default")
