"""The logo a report shows: checked before any kernel starts, embedded at the size shown.

A logo is a regular file (never a FIFO or a device, which would block or never end) of at
most :data:`LOGO_MAX_BYTES`, whose bytes are a PNG, JPEG, WebP, GIF or SVG image (the
suffix is not trusted). A picture is shrunk to :data:`LOGO_BOX` and embedded as PNG; an SVG
is embedded with only its drawing elements, without script, event handlers, styles or
links out of the file.
"""

from __future__ import annotations

import base64
import io
import os
import re
import stat
from pathlib import Path
from typing import Any

from atribu_pandas.exceptions import ArgumentError

__all__ = ["LOGO_BOX", "LOGO_MAX_BYTES", "LOGO_MAX_PIXELS", "check_logo", "logo_data_uri"]

LOGO_MAX_BYTES = 2 * 1024 * 1024
# The heading shows a logo at most 240 px wide and 64 px high; twice that stays sharp on
# a high-density screen and in print.
LOGO_BOX = (480, 128)
# A small file can still decode to a huge picture (a PNG of one colour compresses ~1000:1).
LOGO_MAX_PIXELS = 40_000_000
# How much of the file tells its type (an SVG may open with a long comment).
_HEAD = 4096
_ALLOWED = "a PNG, JPEG, WebP, GIF or SVG image file of at most 2 MB"
_SVG_NS = "http://www.w3.org/2000/svg"
_XLINK_NS = "http://www.w3.org/1999/xlink"
# The drawing elements of SVG: no script, foreignObject, style, animation or external use.
_SVG_ELEMENTS = frozenset(
    {
        "svg", "g", "defs", "symbol", "use", "title", "desc", "path", "rect", "circle",
        "ellipse", "line", "polyline", "polygon", "text", "tspan", "linearGradient",
        "radialGradient", "stop", "clipPath", "mask", "pattern",
    }
)  # fmt: skip
# An XML declaration, comments and a DOCTYPE (Illustrator writes all three) may come first.
_SVG_START = re.compile(
    rb"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>\s*)?"
    rb"(?:<!--.*?-->\s*)*<svg[\s>]",
    re.S,
)


def _kind(head: bytes) -> str | None:
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if _SVG_START.match(head.removeprefix(b"\xef\xbb\xbf")):
        return "svg"
    return None


def _size(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size:,} bytes"


def check_logo(value: Any) -> Path:
    """Return the logo's absolute path, or refuse it saying why (before reading it whole).

    Raises
    ------
    ArgumentError
        Not a path, no such file, not a regular file (a FIFO, a device, a folder), over
        :data:`LOGO_MAX_BYTES`, not an image of a known type, or a picture of more than
        :data:`LOGO_MAX_PIXELS` pixels.

    Examples
    --------
    >>> check_logo("/dev/zero")
    Traceback (most recent call last):
    ...
    atribu_pandas.exceptions.ArgumentError: logo='/dev/zero' is not allowed: a PNG, JPEG, \
WebP, GIF or SVG image file of at most 2 MB (this is not a regular file)
    """
    if not isinstance(value, str | os.PathLike):
        raise ArgumentError("logo", value, _ALLOWED)
    path = Path(value).expanduser()
    try:
        # stat, not open: opening a FIFO would wait for a writer.
        info = path.stat()
    except OSError:
        raise ArgumentError("logo", str(value), _ALLOWED + " (no such file)") from None
    if not stat.S_ISREG(info.st_mode):
        raise ArgumentError("logo", str(value), _ALLOWED + " (this is not a regular file)")
    if info.st_size > LOGO_MAX_BYTES:
        raise ArgumentError("logo", str(value), _ALLOWED + f" (this one is {_size(info.st_size)})")
    with path.open("rb") as handle:
        kind = _kind(handle.read(_HEAD))
    if kind is None:
        raise ArgumentError("logo", str(value), _ALLOWED + " (these bytes are none of them)")
    if kind == "svg":
        _clean_svg(path.read_bytes())
    else:
        from PIL import Image

        try:
            with Image.open(path) as picture:
                width, height = picture.size
        except (OSError, ValueError, Image.DecompressionBombError) as err:
            raise ArgumentError("logo", str(value), _ALLOWED + f" ({err})") from None
        if width * height > LOGO_MAX_PIXELS:
            raise ArgumentError(
                "logo", str(value), _ALLOWED + f" ({width}×{height} pixels is too many)"
            )
    return path.resolve()


def _shrunk(data: bytes) -> bytes:
    from PIL import Image

    with Image.open(io.BytesIO(data)) as picture:
        picture.seek(0)
        picture.thumbnail(LOGO_BOX)
        has_alpha = picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info
        out = io.BytesIO()
        picture.convert("RGBA" if has_alpha else "RGB").save(out, format="PNG", optimize=True)
    return out.getvalue()


def _clean_svg(data: bytes) -> bytes:
    import xml.etree.ElementTree as ET

    import defusedxml.ElementTree as SafeET
    from defusedxml import DefusedXmlException

    try:
        # A DOCTYPE naming SVG's DTD is common; entities (expansion, files) are refused.
        root = SafeET.fromstring(data, forbid_entities=True, forbid_external=True)
    except (ET.ParseError, DefusedXmlException) as err:
        raise ArgumentError("logo", "(an SVG file)", f"a well-formed SVG ({err})") from None

    def local(name: str) -> str:
        return name.rpartition("}")[2]

    def clean(element: ET.Element) -> None:
        for child in list(element):
            if not isinstance(child.tag, str) or local(child.tag) not in _SVG_ELEMENTS:
                element.remove(child)
                continue
            clean(child)
        for name, value in list(element.attrib.items()):
            key = local(name).lower()
            linked = key == "href" and not value.startswith("#")
            loads = re.search(r"url\(\s*['\"]?\s*[^#\s'\"]", value) is not None
            if key.startswith("on") or key == "style" or linked or loads:
                del element.attrib[name]

    if local(str(root.tag)) != "svg":
        raise ArgumentError("logo", "(an SVG file)", "an SVG whose root element is <svg>")
    clean(root)
    ET.register_namespace("", _SVG_NS)
    ET.register_namespace("xlink", _XLINK_NS)
    return bytes(ET.tostring(root, encoding="utf-8"))


def logo_data_uri(value: Any) -> str:
    """Return the logo as a ``data:`` URI: a picture shrunk to :data:`LOGO_BOX`, as PNG.

    Examples
    --------
    >>> import tempfile
    >>> svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>x()</script>'
    >>> svg += b'<rect width="4" height="4"/></svg>'
    >>> with tempfile.NamedTemporaryFile(suffix=".svg") as f:
    ...     _ = f.write(svg); f.flush()
    ...     uri = logo_data_uri(f.name)
    >>> base64.b64decode(uri.partition(",")[2])
    b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="4" height="4" /></svg>'
    """
    path = check_logo(value)
    with path.open("rb") as handle:
        data = handle.read(LOGO_MAX_BYTES + 1)
    if len(data) > LOGO_MAX_BYTES:
        raise ArgumentError("logo", str(value), _ALLOWED + " (it grew while being read)")
    if _kind(data[:_HEAD]) == "svg":
        mime, data = "image/svg+xml", _clean_svg(data)
    else:
        mime, data = "image/png", _shrunk(data)
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
