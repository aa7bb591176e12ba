"""The sandbox's ad thumbnails: a small picture per ad, the same for the same ad every time.

The sandbox's data names each ad's thumbnail ``https://thumbnails.example.com/ads/<id>.jpg``
(:data:`DATA_HOST`), an address nobody serves. When a top-performers answer goes out over
HTTP, :func:`served_addresses` points those addresses at the serving sandbox itself
(``http://127.0.0.1:<port>/thumbnails/ads/<id>.jpg``), built from the address the request
reached, so the demo and the tests show real pictures, over loopback. Called without a
server (``SandboxAPI.handle`` on its own), the answer keeps the data's addresses.

:func:`thumbnail_answer` serves them, as a CDN would: no key needed, no rate limit, no
injected fault (those stand for the API). A request that carries an ``Authorization``
header is refused with 400: a picture never needs the key, and a client that sends it to
a picture's host is caught by the tests. Each picture is a JPEG of
:data:`PICTURE_SIZE` pixels whose colours and pattern follow from the ad's id.
"""

from __future__ import annotations

import hashlib
import io
import re
from functools import lru_cache

__all__ = [
    "DATA_HOST",
    "PICTURE_SIZE",
    "THUMBNAILS_PATH",
    "data_address",
    "served_addresses",
    "thumbnail_answer",
    "thumbnail_jpeg",
]

# Where the data says the thumbnails are (reserved for examples: never resolves).
DATA_HOST = "https://thumbnails.example.com"
# Where the serving sandbox answers for them.
THUMBNAILS_PATH = "/thumbnails"
# Wider than shown, so a client's shrinking is exercised.
PICTURE_SIZE = (240, 240)
_PATH = re.compile(r"/thumbnails/ads/([0-9a-fA-F-]{1,64})\.jpg")


def data_address(entity_id: str) -> str:
    """The thumbnail address the data gives an ad.

    Examples
    --------
    >>> data_address("a1")
    'https://thumbnails.example.com/ads/a1.jpg'
    """
    return f"{DATA_HOST}/ads/{entity_id}.jpg"


def served_addresses(body: bytes, origin: str) -> bytes:
    """An answer's thumbnail addresses pointed at the sandbox serving it at ``origin``.

    Examples
    --------
    >>> served_addresses(b'{"u": "https://thumbnails.example.com/ads/a1.jpg"}',
    ...                  "http://127.0.0.1:8787")
    b'{"u": "http://127.0.0.1:8787/thumbnails/ads/a1.jpg"}'
    """
    old = f'"{DATA_HOST}/'.encode()
    return body.replace(old, f'"{origin}{THUMBNAILS_PATH}/'.encode())


@lru_cache(maxsize=256)
def thumbnail_jpeg(entity_id: str) -> bytes:
    """The picture of one ad: the same bytes for the same id.

    Examples
    --------
    >>> thumbnail_jpeg("a1")[:3], thumbnail_jpeg("a1") == thumbnail_jpeg("a1")
    (b'\\xff\\xd8\\xff', True)
    """
    from PIL import Image, ImageDraw

    seed = hashlib.sha256(entity_id.encode()).digest()
    hue, shade, shape = seed[0], seed[1], seed[2] % 3
    width, height = PICTURE_SIZE
    picture = Image.new("HSV", PICTURE_SIZE, (hue, 110, 150 + shade % 70))
    draw = ImageDraw.Draw(picture)
    accent = ((hue + 128) % 256, 150, 235)
    # A product in the middle (a round, a box or a bottle), a caption band below.
    box = (width * 0.25, height * 0.18, width * 0.75, height * 0.68)
    if shape == 0:
        draw.ellipse(box, fill=accent)
    elif shape == 1:
        draw.rounded_rectangle(box, radius=18, fill=accent)
    else:
        draw.rounded_rectangle((width * 0.38, height * 0.12, width * 0.62, height * 0.70),
                               radius=12, fill=accent)  # fmt: skip
    draw.rectangle((0, height * 0.78, width, height), fill=(hue, 60, 60))
    draw.rectangle((width * 0.08, height * 0.85, width * (0.3 + seed[3] / 512), height * 0.9),
                   fill=(0, 0, 240))  # fmt: skip
    out = io.BytesIO()
    picture.convert("RGB").save(out, format="JPEG", quality=85)
    return out.getvalue()


def thumbnail_answer(path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    """The answer to ``GET /thumbnails/ads/<id>.jpg``: the picture, 404, or 400 with a key.

    Parameters
    ----------
    path : str
        The request's path.
    headers : dict of str to str
        The request's headers, names in lower case.

    Returns
    -------
    tuple of (int, dict, bytes)
        Status, headers, body.

    Examples
    --------
    >>> status, head, body = thumbnail_answer("/thumbnails/ads/a1.jpg", {})
    >>> status, head["Content-Type"]
    (200, 'image/jpeg')
    >>> thumbnail_answer("/thumbnails/ads/a1.jpg", {"authorization": "Bearer x"})[0]
    400
    """
    text = {"Content-Type": "text/plain; charset=utf-8"}
    if "authorization" in headers:
        return 400, text, b"A thumbnail needs no Authorization header: never send the key here"
    match = _PATH.fullmatch(path)
    if match is None:
        return 404, text, b"No such thumbnail"
    return 200, {"Content-Type": "image/jpeg"}, thumbnail_jpeg(match.group(1).lower())
