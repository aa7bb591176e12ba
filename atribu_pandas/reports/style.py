"""How a report's building blocks look: one stylesheet, in JupyterLab and in the export.

Each block (heading, cards, summary, tables, empty-window page) displays :data:`BLOCK_STYLE`
with itself, so a template run in JupyterLab looks like the report it exports; the export
takes it out of every output and sets :data:`BLOCK_CSS` once in the page's head.
Every block is wrapped in ``mathjax_ignore`` (MathJax's own class for "leave this alone"),
so "every $1.00 spent brought back $3.00" is never typeset as math.
"""

from __future__ import annotations

from atribu_pandas.display.thumbnails import THUMBNAIL_CSS

__all__ = [
    "APPENDIX_TAG",
    "BLOCK_CSS",
    "BLOCK_STYLE",
    "PRINTED_APPENDIX_TAG",
    "TABLE_BOX",
    "block",
    "unblock",
]

# The footer's technical details: folded on screen, left out of the printout, unless a
# PDF is asked for with them (--appendix), which prints a copy carrying the second tag.
APPENDIX_TAG = '<details class="atribu-appendix">'
PRINTED_APPENDIX_TAG = '<details class="atribu-appendix atribu-appendix-printed" open>'

BLOCK_CSS = """
  .atribu-header h1 { margin-bottom: 0.2em; }
  .atribu-header .atribu-client { font-size: 1.2em; color: #333; }
  .atribu-header img.atribu-logo { max-height: 64px; max-width: 240px; float: right; }
  .atribu-kpis { display: flex; flex-wrap: wrap; gap: 12px; margin: 8px 0; }
  .atribu-kpi { border: 1px solid #d0d7de; border-radius: 6px; padding: 8px 14px; }
  .atribu-kpi b { display: block; font-size: 1.5em; }
  .atribu-summary { border-left: 4px solid #0072b2; padding: 4px 14px; margin: 12px 0; }
  .atribu-empty { border: 2px solid #0072b2; border-radius: 6px; padding: 12px 18px; }
  .atribu-table-box { overflow-x: auto; max-width: 100%; }
  .atribu-index a { color: #0b5cad; text-decoration: underline; }
  .jp-RenderedHTMLCommon table.atribu-table {
    table-layout: auto; width: 100%; margin: 0 0 1em 0; font-size: 0.85em;
  }
  .jp-RenderedHTMLCommon table.atribu-table th,
  .jp-RenderedHTMLCommon table.atribu-table td {
    white-space: normal; overflow-wrap: break-word; padding: 4px 6px; text-align: left;
    vertical-align: top; border-bottom: 1px solid #e1e4e8;
  }
  .jp-RenderedHTMLCommon table.atribu-table td.atribu-date { white-space: nowrap; }
  .jp-RenderedHTMLCommon table.atribu-table caption {
    caption-side: top; text-align: left; padding: 4px 0; color: inherit;
  }
  .jp-RenderedHTMLCommon table.atribu-table td.atribu-num,
  .jp-RenderedHTMLCommon table.atribu-table th.atribu-num {
    text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums;
    overflow-wrap: normal;
  }
  .atribu-report-footer {
    margin-top: 24px; border-top: 1px solid #ccc; padding-top: 8px; font-size: 0.85em;
    color: #555;
  }
  .atribu-report-footer p { margin: 0 0 6px 0; }
  .atribu-appendix summary { cursor: pointer; }
  .atribu-appendix th {
    text-align: left; padding-right: 12px; vertical-align: top; white-space: nowrap;
  }
  .atribu-appendix td { text-align: left; overflow-wrap: anywhere; }
  /* The appendix is for whoever checks the report, not for the client's printout. */
  @media print {
    .atribu-appendix { display: none; }
    .atribu-appendix.atribu-appendix-printed { display: block; break-before: page; }
    .atribu-appendix-printed summary { list-style: none; font-weight: bold; }
  }
"""
BLOCK_CSS += (
    THUMBNAIL_CSS
    + """
  .jp-RenderedHTMLCommon table.atribu-table td.atribu-image { width: 1%; padding-right: 8px; }
  /* A row with a picture: its text beside the picture's middle, not its top edge. */
  .jp-RenderedHTMLCommon table.atribu-table tr:has(td.atribu-image) td { vertical-align: middle; }
"""
)
BLOCK_STYLE = f"<style>{BLOCK_CSS}</style>"
_OPEN = '<div class="mathjax_ignore">'
# A table wider than a narrow notebook scrolls in this box rather than the page.
TABLE_BOX = '<div class="atribu-table-box">'


def block(html: str) -> str:
    """A building block's HTML with its stylesheet, out of MathJax's reach.

    Examples
    --------
    >>> html = block("<p>$1 in, $3 out</p>")
    >>> html.startswith(BLOCK_STYLE), html.endswith('"mathjax_ignore"><p>$1 in, $3 out</p></div>')
    (True, True)
    """
    return f"{BLOCK_STYLE}{_OPEN}{html}</div>"


def unblock(html: str) -> str:
    """A block's HTML as the export shows it: the page has the stylesheet once, runs no
    MathJax and is as wide as the report, so the wrappers :func:`block` and the table box
    add are taken off again.

    Examples
    --------
    >>> unblock(block(f"{TABLE_BOX}<table></table></div>"))
    '<table></table>'
    >>> unblock("<p>not a block</p>")
    '<p>not a block</p>'
    """
    prefix = f"{BLOCK_STYLE}{_OPEN}"
    if not (html.startswith(prefix) and html.endswith("</div>")):
        return html
    inner = html[len(prefix) : -len("</div>")]
    if inner.startswith(TABLE_BOX) and inner.endswith("</div>"):
        inner = inner[len(TABLE_BOX) : -len("</div>")]
    return inner
