"""The one scrubber: every message, repr and warning of the package passes through here.

A server may echo the ``Authorization`` header anywhere (an error message, a text body, a
request id), and a user may paste a key where a URL belongs. So the key is not kept out of
messages by care at each call site but masked on the way out: :func:`scrub` replaces every
key a client of this process was given (registered by :func:`register_key`) and anything
shaped like a key or a bearer token with its masked form.

This module imports nothing from the package, so the exceptions can use it; warnings are
scrubbed by ``exceptions.warn_caller``.
"""

from __future__ import annotations

import logging
import re
import threading

__all__ = [
    "ScrubbingFilter",
    "holds_secret",
    "mask_key",
    "printable",
    "register_key",
    "scrub",
    "scrub_bytes",
]

# Shorter keys are not real ones; showing their last 4 characters would show most of them.
_MIN_MASKED_LENGTH = 12
# Atribu's keys (atb_live_..., atb_test_...), and any bearer token or Authorization value.
_KEY_SHAPE = re.compile(r"atb_[A-Za-z]+_[A-Za-z0-9_\-]{4,}")
_BEARER = re.compile(r"(?i)\b(bearer\s+)(?!…)([^\s\"',;]+)")
# Keys given to clients of this process (in memory only), longest first when replacing.
_KEYS: set[str] = set()
_KEYS_LOCK = threading.Lock()


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


def register_key(api_key: str) -> None:
    """Remember ``api_key`` so that :func:`scrub` masks it wherever it appears.

    Parameters
    ----------
    api_key : str
        A key a client was given. Keys shorter than 12 characters are not registered:
        they are not real keys, and masking every ``"abcd"`` in every message would
        garble unrelated text (a column named ``touched_at``, say).

    Examples
    --------
    >>> register_key("my-own-secret-token")
    >>> scrub("the server said my-own-secret-token is wrong")
    'the server said …oken is wrong'
    """
    if isinstance(api_key, str) and len(api_key) >= _MIN_MASKED_LENGTH:
        with _KEYS_LOCK:
            _KEYS.add(api_key)


def scrub(text: object) -> str:
    """Return ``str(text)`` with every known key and key-shaped token masked.

    Parameters
    ----------
    text : object
        A message, a repr, a URL: anything that is about to be shown.

    Returns
    -------
    str

    Examples
    --------
    >>> scrub("echo: Authorization: Bearer atb_live_FAKE-0123456789abcdef")
    'echo: Authorization: Bearer …cdef'
    >>> scrub("no secrets here")
    'no secrets here'
    """
    out = str(text)
    with _KEYS_LOCK:
        keys = sorted(_KEYS, key=len, reverse=True)
    for key in keys:
        if key in out:
            out = out.replace(key, mask_key(key))
    out = _KEY_SHAPE.sub(lambda m: mask_key(m.group(0)), out)
    return _BEARER.sub(lambda m: m.group(1) + mask_key(m.group(2)), out)


# Terminal escapes and other control characters a server may put in a request id or a
# message; newlines and tabs of our own messages stay.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """Return ``text`` without control characters (newline and tab are kept).

    Examples
    --------
    >>> printable("req_1\x1b[2J\x07")
    'req_1[2J'
    """
    return _CONTROL.sub("", text)


def holds_secret(text: str) -> bool:
    """True when ``text`` holds a registered key, a key-shaped token or a bearer token.

    Examples
    --------
    >>> holds_secret("https://www.atribu.app"), holds_secret("x atb_live_abcd1234")
    (False, True)
    """
    return scrub(text) != text


def scrub_bytes(content: bytes) -> bytes:
    """Return a body with every key masked, as :func:`scrub` masks text.

    Bytes without a secret come back as they are (one fast search per key); a body that
    is not UTF-8 is only searched for the registered keys.

    Examples
    --------
    >>> scrub_bytes(b'{"meta": {"echo": "Bearer atb_live_FAKE-0123456789abcdef"}}')
    b'{"meta": {"echo": "Bearer \xe2\x80\xa6cdef"}}'
    """
    with _KEYS_LOCK:
        keys = [k.encode() for k in _KEYS]
    suspicious = any(k in content for k in keys) or b"atb_" in content or b"earer" in content
    if not suspicious:
        return content
    try:
        return scrub(content.decode("utf-8")).encode("utf-8")
    except UnicodeDecodeError:
        for key in sorted(keys, key=len, reverse=True):
            content = content.replace(key, mask_key(key.decode()).encode())
        return content


class ScrubbingFilter(logging.Filter):
    """A logging filter that masks keys in every record (urllib3 logs URLs at DEBUG).

    Examples
    --------
    >>> url = "/?k=atb_live_Zq9xW8vU7tS6"
    >>> record = logging.LogRecord("x", logging.DEBUG, "", 0, "GET %s", (url,), None)
    >>> ScrubbingFilter().filter(record), record.getMessage()
    (True, 'GET /?k=…7tS6')
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = printable(scrub(message))
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
