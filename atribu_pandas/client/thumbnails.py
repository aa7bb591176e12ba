"""The ads' thumbnails: fetched once, checked, shrunk and returned as ``data:`` URIs.

The API gives each top performer a ``creative_thumbnail_url`` that may be null, empty or
any string. A report and the ``explore()`` dashboard show the picture, embedded in the
page (the report's Content-Security-Policy is ``img-src data:``: it never loads anything
when opened). :func:`fetch_thumbnails` gets them, and every way a picture can fail gives a
:class:`Thumbnail` with a ``reason``, never an exception:

- only ``http`` and ``https`` addresses are asked for; anything else (``file:``,
  ``data:``, ``ftp:``, a relative path, null) is refused without a request;
- the request carries no key: a session of its own
  (``new_plain_session``) sends no ``Authorization``
  header, not even to the API's own host, and no ``~/.netrc`` entry;
- a redirect is followed (at most :data:`MAX_REDIRECTS`) only to another ``http(s)``
  address; one to ``file:`` or any other scheme is a failure;
- each body is read in steps and refused past ``max_bytes`` (a 50 MB answer is not read
  whole), and the whole batch shares one deadline of ``timeout`` seconds: a server that
  stalls or drips a byte at a time has its socket shut down at the deadline
  (``fetch``), so a batch ends within ``timeout`` plus
  the time to shrink what arrived;
- the bytes must decode as a PNG, JPEG, GIF or WebP picture of at most
  :data:`THUMBNAIL_MAX_PIXELS` (an SVG, an HTML page or a decompression bomb is refused);
  it is shrunk to fit :data:`THUMBNAIL_BOX` and re-encoded (JPEG, or PNG when it has
  transparency), a few kB each.

The pictures are fetched by a few daemon threads (:data:`THUMBNAIL_WORKERS`): a report
never waits on them past the deadline, and a thread still blocked (a name lookup that
hangs) does not keep Python from exiting. Pictures that arrived are remembered for the
process (:data:`MEMO_SIZE` of them), so the dashboard's redraws do not fetch them again.
They are not put in the API's response cache: that cache belongs to one key, and a
thumbnail has nothing to do with a key (a CDN's signed address expires anyway).
"""

from __future__ import annotations

import base64
import io
import queue
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from atribu_pandas.exceptions import AtribuError, AtribuTimeoutError, ResponseError

if TYPE_CHECKING:
    import requests

__all__ = [
    "MAX_REDIRECTS",
    "MEMO_SIZE",
    "REASONS",
    "THUMBNAIL_BOX",
    "THUMBNAIL_MAX_BYTES",
    "THUMBNAIL_MAX_PIXELS",
    "THUMBNAIL_WORKERS",
    "Thumbnail",
    "fetch_thumbnails",
    "shown_address",
]

# The largest picture body accepted: an ad's thumbnail is tens of kB; a few MB is a
# full-size photo, and anything beyond is not a thumbnail.
THUMBNAIL_MAX_BYTES = 4 * 1024 * 1024
# A small file can decode to a huge picture (a PNG of one colour compresses ~1000:1).
THUMBNAIL_MAX_PIXELS = 25_000_000
# Pixels kept: the report and the dashboard show a thumbnail in a 64 px box; twice that
# stays sharp on a high-density screen and in print.
THUMBNAIL_BOX = (128, 128)
# Redirects followed from one address (a CDN redirects once, if at all).
MAX_REDIRECTS = 3
# Threads fetching at once: enough to hide a CDN's latency, few enough to be polite.
THUMBNAIL_WORKERS = 6
# Pictures remembered for the process (about 8 kB each).
MEMO_SIZE = 512
# Why a thumbnail is not shown, by code (the reports say each in words).
REASONS = (
    "no_address",  # null or empty
    "scheme",  # not http(s), or a redirect to another scheme
    "timeout",  # not complete within the deadline
    "too_large",  # a body over max_bytes or a picture over THUMBNAIL_MAX_PIXELS
    "status",  # an answer other than 200 (detail: the status)
    "not_image",  # bytes that are no PNG, JPEG, GIF or WebP picture
    "connection",  # no connection, a reset, a broken answer
    "redirects",  # more than MAX_REDIRECTS redirects
)
_FORMATS = ("PNG", "JPEG", "GIF", "WEBP")
_JPEG_QUALITY = 85

_memo: OrderedDict[str, Thumbnail] = OrderedDict()
_memo_lock = threading.Lock()


@dataclass(frozen=True)
class Thumbnail:
    """One ad's picture, ready to embed, or why there is none.

    Attributes
    ----------
    url : str or None
        The address as the API gave it.
    data_uri : str or None
        ``data:image/jpeg;base64,...`` (or ``image/png``), None when it failed.
    width, height : int
        The embedded picture's pixels (0 when it failed).
    reason : str or None
        One of :data:`REASONS` when it failed, else None.
    detail : str
        More about a failure (the HTTP status), else "".
    """

    url: str | None
    data_uri: str | None = None
    width: int = 0
    height: int = 0
    reason: str | None = None
    detail: str = ""

    @property
    def ok(self) -> bool:
        """Whether there is a picture to show."""
        return self.data_uri is not None


def shown_address(url: Any) -> str:
    """The address without its query string, fragment or user: what may be written down.

    A CDN's address often carries a signature or a token in its query; the appendix and
    the logs name a picture by scheme, host and path only.

    Examples
    --------
    >>> shown_address("https://cdn.example/p/1.jpg?sig=abc&oe=1#x")
    'https://cdn.example/p/1.jpg'
    >>> shown_address("https://user:pw@cdn.example/a.png")
    'https://cdn.example/a.png'
    """
    text = str(url or "").strip()
    try:
        parts = urlsplit(text)
        host = parts.hostname or ""
        host = f"[{host}]" if ":" in host else host
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return text.split("?")[0].split("#")[0][:200]
    return urlunsplit((parts.scheme, host + port, parts.path, "", ""))[:200]


def _is_web(url: str) -> bool:
    try:
        parts = urlsplit(url)
        return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
    except ValueError:
        return False


def _picture(url: str, body: bytes) -> Thumbnail:
    """Check that ``body`` is a raster picture, shrink it, and embed it."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(body), formats=_FORMATS) as picture:
            width, height = picture.size
            if width * height > THUMBNAIL_MAX_PIXELS:
                return Thumbnail(url, reason="too_large")
            picture.seek(0)
            # A JPEG decodes straight at a fraction of its size: much faster for a photo.
            picture.draft("RGB", THUMBNAIL_BOX)
            picture.thumbnail(THUMBNAIL_BOX)
            alpha = picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info
            out = io.BytesIO()
            if alpha:
                picture.convert("RGBA").save(out, format="PNG", optimize=True)
            else:
                picture.convert("RGB").save(out, format="JPEG", quality=_JPEG_QUALITY)
            size = picture.size
    except (UnidentifiedImageError, Image.DecompressionBombError):
        return Thumbnail(url, reason="not_image")
    except (OSError, ValueError, SyntaxError, EOFError):
        # A truncated or corrupt file that announced itself as a picture.
        return Thumbnail(url, reason="not_image")
    mime = "image/png" if alpha else "image/jpeg"
    uri = f"data:{mime};base64,{base64.b64encode(out.getvalue()).decode('ascii')}"
    return Thumbnail(url, uri, size[0], size[1])


def _fetch_one(session: requests.Session, url: str, deadline: float, max_bytes: int) -> Thumbnail:
    import requests

    from atribu_pandas.client.transport import fetch

    address = url
    for _hop in range(MAX_REDIRECTS + 1):
        left = deadline - time.monotonic()
        if left <= 0:
            return Thumbnail(url, reason="timeout")
        try:
            request = session.prepare_request(requests.Request("GET", address))
            response, body = fetch(
                session, request, timeout=left, max_body_bytes=max_bytes, url=address,
                redirects=False,
            )  # fmt: skip
        except AtribuTimeoutError:
            return Thumbnail(url, reason="timeout")
        except ResponseError:
            # The only ResponseError fetch raises itself: a body over the cap.
            return Thumbnail(url, reason="too_large")
        except (AtribuError, requests.RequestException, ValueError):
            return Thumbnail(url, reason="connection")
        if response.is_redirect:
            address = urljoin(address, response.headers.get("Location", ""))
            if not _is_web(address):
                return Thumbnail(url, reason="scheme")
            continue
        if response.status_code != 200:
            return Thumbnail(url, reason="status", detail=str(response.status_code))
        return _picture(url, body)
    return Thumbnail(url, reason="redirects")


def _remembered(url: str) -> Thumbnail | None:
    with _memo_lock:
        found = _memo.get(url)
        if found is not None:
            _memo.move_to_end(url)
        return found


def _remember(thumbnail: Thumbnail) -> None:
    if not thumbnail.ok or thumbnail.url is None:
        return  # a failure may be a passing one: the next render asks again
    with _memo_lock:
        _memo[thumbnail.url] = thumbnail
        while len(_memo) > MEMO_SIZE:
            _memo.popitem(last=False)


def fetch_thumbnails(
    urls: Iterable[Any],
    *,
    timeout: float,
    max_bytes: int = THUMBNAIL_MAX_BYTES,
    workers: int = THUMBNAIL_WORKERS,
) -> list[Thumbnail]:
    """Fetch each address's picture as a ``data:`` URI, within one deadline; never raise.

    Parameters
    ----------
    urls : iterable
        The ``creative_thumbnail_url`` values, in order (None, NA and any string allowed).
    timeout : float
        Seconds the whole batch may take, from now (the reports pass the client's
        ``timeout``).
    max_bytes : int, default :data:`THUMBNAIL_MAX_BYTES`
        The largest body read for one picture.
    workers : int, default :data:`THUMBNAIL_WORKERS`
        Pictures fetched at once.

    Returns
    -------
    list of Thumbnail
        One per address, in order: a picture, or the reason there is none.

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> sb = ap.sandbox.start()
    >>> ads = ap.load_top_performers(client=sb.client(), limit=2)
    >>> pictures = fetch_thumbnails(ads["creative_thumbnail_url"], timeout=10)
    >>> [p.ok for p in pictures], pictures[0].data_uri[:23]
    ([True, True], 'data:image/jpeg;base64,')
    >>> [p.reason for p in fetch_thumbnails([None, "file:///etc/passwd"], timeout=1)]
    ['no_address', 'scheme']
    >>> sb.stop()
    """
    deadline = time.monotonic() + timeout
    addresses = [u.strip() if isinstance(u, str) else None for u in urls]
    results: dict[str, Thumbnail] = {}
    todo: queue.SimpleQueue[str] = queue.SimpleQueue()
    for address in dict.fromkeys(a for a in addresses if a):
        known = _remembered(address)
        if known is not None:
            results[address] = known
        elif not _is_web(address):
            results[address] = Thumbnail(address, reason="scheme")
        else:
            todo.put(address)
    lock = threading.Lock()

    def work() -> None:
        from atribu_pandas.client.transport import new_plain_session

        session = new_plain_session()
        try:
            while time.monotonic() < deadline:
                try:
                    address = todo.get_nowait()
                except queue.Empty:
                    return
                try:
                    found = _fetch_one(session, address, deadline, max_bytes)
                except Exception:  # a bug must cost one picture, never the report
                    found = Thumbnail(address, reason="connection")
                _remember(found)
                with lock:
                    results[address] = found
        finally:
            session.close()

    threads = [
        threading.Thread(target=work, name="atribu-thumbnail", daemon=True)
        for _ in range(min(max(1, workers), todo.qsize()))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        # Past the deadline the sockets are shut down; a little slack lets a picture
        # that arrived in time be shrunk.
        thread.join(max(0.0, deadline - time.monotonic()) + 0.5)
    with lock:
        done = dict(results)
    return [
        Thumbnail(None, reason="no_address")
        if not a
        else done.get(a) or Thumbnail(a, reason="timeout")
        for a in addresses
    ]
