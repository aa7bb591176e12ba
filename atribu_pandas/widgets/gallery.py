"""The ``explore()`` dashboard's top ads: each ad's picture, name and score, in cards.

Shown under the table when the dashboard lists ads. :func:`top_ads_html` loads the
profile's top performers (:data:`GALLERY_SIZE` of them, over the default 28-day scoring
window, which the date picker does not change: scores have no dates) and their pictures
with ``fetch_thumbnails``, within the client's
``timeout`` and without its key. A picture that could not be had is the same placeholder
as in the reports; a load that fails is one line saying so, and the table above stays.
"""

from __future__ import annotations

from typing import Any

from atribu_pandas.client.thumbnails import fetch_thumbnails
from atribu_pandas.display.formats import DEFAULT_LOCALE, Formats
from atribu_pandas.display.markup import escape, sanitize
from atribu_pandas.display.thumbnails import THUMBNAIL_CSS, Picture, thumbnail_html
from atribu_pandas.exceptions import AtribuError

__all__ = ["GALLERY_SIZE", "top_ads_html"]

# Cards shown: one or two rows of a notebook's width.
GALLERY_SIZE = 8
_STYLE = (
    THUMBNAIL_CSS
    + """
.atribu-gallery{display:flex;flex-wrap:wrap;gap:8px;max-width:100%;margin:6px 0}
.atribu-gallery figure{margin:0;width:9.5em;display:flex;gap:6px;align-items:flex-start;
  font-size:var(--jp-widgets-font-size,13px);color:var(--jp-content-font-color1,#222)}
.atribu-gallery figcaption{min-width:0;line-height:1.3}
.atribu-gallery .atribu-clamp{display:-webkit-box;-webkit-box-orient:vertical;
  -webkit-line-clamp:3;line-clamp:3;overflow:hidden;overflow-wrap:anywhere}
.atribu-gallery small{color:var(--jp-content-font-color2,#555)}
"""
)


def top_ads_html(client: Any) -> str:
    """The top ads as sanitized HTML cards, or one escaped line saying why there are none.

    Parameters
    ----------
    client : atribu_pandas.Client
        Loads the top performers; its ``timeout`` bounds the pictures (its key is never
        sent with them).

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> sb = ap.sandbox.start()
    >>> html = top_ads_html(sb.client())
    >>> html.count('<img src="data:image/jpeg;base64,')
    8
    >>> sb.stop()
    """
    from atribu_pandas.loaders.endpoints import load_top_performers

    try:
        ads = load_top_performers(client=client, limit=GALLERY_SIZE)
    except AtribuError as err:
        return f'<p style="color: #b00020">{escape(f"Could not load the top ads: {err}")}</p>'
    if ads.empty:
        return ""
    fmt = Formats("USD", DEFAULT_LOCALE)
    pictures = fetch_thumbnails(ads["creative_thumbnail_url"], timeout=client.timeout)
    cards = []
    for picture, name, score in zip(pictures, ads["ad_name"], ads["composite_score"], strict=True):
        shown = "" if name is None or name != name else str(name)
        cards.append(
            f"<figure>{thumbnail_html(Picture(picture, shown))}<figcaption>"
            f'<div class="atribu-clamp">{escape(shown)}</div>'
            f"<small>Score {escape(fmt.number(score, digits=1))}</small></figcaption></figure>"
        )
    heading = "Top ads by score (28-day scoring window)"
    return sanitize(
        f"<style>{_STYLE}</style><p><b>{escape(heading)}</b></p>"
        f'<div class="atribu-gallery">{"".join(cards)}</div>'
    )
