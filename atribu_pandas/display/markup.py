"""Text from the API or from a person is text, never markup: the one way to HTML.

A campaign is named by whoever runs the ad account, and a report is a file an agency
emails to its client, so every value the reports and the widgets write into HTML goes
through this module:

- :func:`escape`: a value as HTML text (``<script>`` reads as ``<script>``, runs nothing);
- :func:`render_markdown`: Markdown to HTML with raw HTML shown as text; links only where
  asked for (the analyst's notes), and then only ``http``, ``https`` and ``mailto``
  (and a heading of the page itself, ``#...``);
- :func:`sanitize`: an HTML fragment cut down to the tags and attributes the reports
  write (nh3, an allow-list), which every output of a report meets at export, so markup
  that reached an output any other way cannot act either.

Examples
--------
>>> escape('<img src=x onerror="alert(1)">')
'&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
"""

from __future__ import annotations

import html
import re
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

__all__ = ["LINK_SCHEMES", "escape", "render_markdown", "sanitize"]

# The only places a link in a report may lead.
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
# Images only as embedded data (charts, the logo): a report never fetches anything.
_IMAGE_DATA = re.compile(r"data:image/(?:png|jpeg|gif|webp|svg\+xml);base64,[A-Za-z0-9+/=\s]*\Z")
_SCHEME = re.compile(r"\s*([A-Za-z][A-Za-z0-9+.-]*):")
# What the reports' helpers, pandas' Styler and the Markdown renderer write.
_TAGS = frozenset(
    {
        "a", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "details",
        "div", "dl", "dt", "em", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5",
        "h6", "header", "hr", "i", "img", "li", "ol", "p", "pre", "section", "small",
        "span", "strong", "style", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th",
        "thead", "tr", "u", "ul",
    }
)  # fmt: skip
_ATTRIBUTES = {
    "*": {"class", "id", "style", "title", "lang", "dir"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "table": {"border"},
    "style": {"type"},
    "ol": {"start"},
    "details": {"open"},
}


def escape(value: Any) -> str:
    """Return ``value`` as HTML text: markup characters escaped, quotes too.

    Examples
    --------
    >>> escape("Q4 <b>Brand</b> & 'Co'")
    'Q4 &lt;b&gt;Brand&lt;/b&gt; &amp; &#x27;Co&#x27;'
    """
    return html.escape(str(value), quote=True)


def _safe_link(url: str) -> bool:
    # A report is a file sent by email: a relative link would point into the reader's own
    # disk. Only the page's own headings (#...) and the allowed schemes are links.
    if url.startswith("#"):
        return True
    scheme = _SCHEME.match(url)
    return scheme is not None and scheme.group(1).lower() in LINK_SCHEMES


@cache
def _renderer(links: bool) -> MarkdownIt:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    if links:
        md.validateLink = _safe_link  # type: ignore[method-assign]
        # An image would be fetched when the page opens.
        md.disable("image")
    else:
        md.disable(["link", "image", "autolink"])
    return md


def render_markdown(source: str, *, links: bool = False) -> str:
    """Return Markdown as HTML in which nothing from ``source`` is markup but Markdown's.

    Raw HTML in ``source`` is shown as text. Images never load. Links are made only with
    ``links=True`` and only to ``http``, ``https`` and ``mailto`` addresses; a
    ``javascript:`` link stays visible text.

    Parameters
    ----------
    source : str
        Markdown (CommonMark with tables).
    links : bool, default False
        Turn ``[text](url)`` into links (the analyst's notes); report sentences made from
        data keep them as text, since a campaign's name could hold one.

    Returns
    -------
    str
        The HTML.

    Examples
    --------
    >>> render_markdown("**ROAS** of <b>Brand</b>")
    '<p><strong>ROAS</strong> of &lt;b&gt;Brand&lt;/b&gt;</p>\\n'
    >>> render_markdown("[a](https://atribu.app) [b](javascript:f())", links=True)
    '<p><a href="https://atribu.app" rel="noopener noreferrer">a</a> [b](javascript:f())</p>\\n'
    """
    page = str(_renderer(links).render(source))
    # markdown-it keeps a refused link as a link to nowhere (href=""): the sanitiser drops
    # that href, and marks the links it keeps as opening no window back into this page.
    return sanitize(page) if links else page


def _keep(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        return value if _IMAGE_DATA.match(value) else None
    if attribute == "href":
        return value if _safe_link(value) else None
    if attribute == "style" and re.search(r"url\(|@import|expression\(", value, re.I):
        return None
    return value


def sanitize(fragment: str) -> str:
    """Return an HTML fragment with only the tags and attributes reports write.

    Scripts and their text, event handlers, frames, forms and SVG are removed; links keep
    only ``http``, ``https`` and ``mailto`` addresses; images only embedded ``data:``
    pictures; style attributes nothing that loads.

    Examples
    --------
    >>> sanitize('<p onclick="x()">Hi<script>alert(1)</script></p>')
    '<p>Hi</p>'
    >>> sanitize('<a href="javascript:alert(1)">x</a><img src="https://cdn.example/t.png">')
    '<a rel="noopener noreferrer">x</a><img>'
    """
    import nh3

    return str(
        nh3.clean(
            fragment,
            tags=set(_TAGS),
            clean_content_tags={"script", "iframe", "object", "noscript", "template", "svg"},
            attributes={tag: set(names) for tag, names in _ATTRIBUTES.items()},
            attribute_filter=_keep,
            url_schemes=set(LINK_SCHEMES) | {"data"},
            strip_comments=True,
        )
    )
