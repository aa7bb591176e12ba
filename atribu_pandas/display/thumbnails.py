"""How an ad's thumbnail is shown: its picture in a fixed box, or a placeholder of that size.

Reports and the ``explore()`` dashboard write a thumbnail only through
:func:`thumbnail_html`: the picture is a ``data:`` URI made by
``client.thumbnails`` (never an address, so nothing loads when the page
opens), and a picture that could not be had is a grey box of the same size that says so,
so the rows stay aligned either way. Its alt text says what it is (*Creative*, in the
report's language), not which ad: the ad's name is the text beside it (the next cell, the
card's caption), which a screen reader reads, and a name from the ad account is never put
in a tag's attributes, where a payload such as ``url(https://…)`` would sit in markup
rather than in text.
"""

from __future__ import annotations

from dataclasses import dataclass

from atribu_pandas.client.thumbnails import Thumbnail
from atribu_pandas.core.language import gettext as _
from atribu_pandas.display.markup import escape

__all__ = ["THUMBNAIL_CSS", "THUMBNAIL_PX", "Picture", "thumbnail_html"]

# The box a thumbnail is shown in, in CSS pixels (the picture holds twice as many).
THUMBNAIL_PX = 64
PRINT_PX = 40
THUMBNAIL_CSS = f"""
  .atribu-thumb {{
    display: inline-flex; align-items: center; justify-content: center;
    width: {THUMBNAIL_PX}px; height: {THUMBNAIL_PX}px; overflow: hidden; border-radius: 4px;
    background: #f0f2f4; vertical-align: middle; break-inside: avoid;
  }}
  /* Its own shape, as large as the box allows (the width and height attributes are
     its size on screen, for a page laid out before the picture is decoded). */
  .atribu-thumb img {{
    width: auto; height: auto; max-width: 100%; max-height: 100%; display: block;
  }}
  .atribu-thumb-none {{
    border: 1px dashed #b8bec5; color: #6a737d; font-size: 10px; line-height: 1.2;
    text-align: center; box-sizing: border-box; padding: 2px;
  }}
  /* On paper a leaderboard must fit the page's width: a smaller box. */
  @media print {{
    .atribu-thumb {{ width: {PRINT_PX}px; height: {PRINT_PX}px; }}
  }}
"""


@dataclass(frozen=True)
class Picture:
    """A table cell's thumbnail: the fetched picture (or why none) and the ad it shows
    (``alt``: the ad's name, what the cell means as text; not written into the HTML)."""

    thumbnail: Thumbnail
    alt: str

    def __str__(self) -> str:
        return self.alt


def thumbnail_html(picture: Picture) -> str:
    """The thumbnail in its box, or the placeholder; everything in it escaped.

    Examples
    --------
    >>> failed = Picture(Thumbnail("https://x.example/a.jpg", reason="timeout"), "<b>Ad</b>")
    >>> thumbnail_html(failed)
    '<span class="atribu-thumb atribu-thumb-none">No image</span>'
    >>> shown = Picture(Thumbnail("u", "data:image/png;base64,AA", 128, 64), '"><b>Ad</b>')
    >>> thumbnail_html(shown).split("alt=")[1]
    '"Creative" width="64" height="32"></span>'
    """
    thumb = picture.thumbnail
    if thumb.data_uri is None:
        # A mark inside an f-string is invisible to the catalogs' extractor.
        word = escape(_("No image"))
        return f'<span class="atribu-thumb atribu-thumb-none">{word}</span>'
    # The column's header, already in the catalogs.
    alt = escape(_("Creative"))
    # Shown at half its pixels (sharp on a high-density screen and in print).
    width, height = max(1, (thumb.width + 1) // 2), max(1, (thumb.height + 1) // 2)
    return (
        f'<span class="atribu-thumb"><img src="{escape(thumb.data_uri)}" '
        f'alt="{alt}" width="{width}" height="{height}"></span>'
    )
