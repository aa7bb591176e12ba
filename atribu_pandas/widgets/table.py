"""The ``explore()`` dashboard's table: the frame's main columns, read in any width.

The table scrolls sideways and down inside its own box (the dashboard's ``table`` widget),
never the notebook's output area. The name column and the header stay in view while it
scrolls (``position: sticky``); names and parents take at most two lines, and the whole
text while the pointer is on their row. A level shared by every row is said once, in the caption
(:func:`table_caption`), and its column left out.
"""

from __future__ import annotations

import pandas as pd

from atribu_pandas.display.columns import COLUMNS, header
from atribu_pandas.display.formats import DEFAULT_LOCALE, Formats
from atribu_pandas.display.markup import escape, sanitize
from atribu_pandas.frames.provenance import currency_of

__all__ = ["table_caption", "table_html"]

# The columns shown, in order; headers and formats from the one registry.
_SHOWN = (
    "campaign_name",
    "entity_level",
    "parent_name",
    "spend",
    "outcome_count",
    "outcome_value",
    "roas",
    "impressions",
    "clicks",
    "ctr",
    "cac",
)
# The name and parent headers say what the rows are, once the level is known.
_NAME_HEADERS = {"campaign": "Campaign", "ad_set": "Ad set", "ad": "Ad"}
_PARENT_HEADERS = {"ad_set": "Campaign", "ad": "Ad set"}
_LEVEL_WORDS = {None: "campaigns", "campaign": "campaigns", "ad_set": "ad sets", "ad": "ads"}
# Text columns: wrapped, at most two lines, the whole text while hovered.
_TEXT = frozenset({"campaign_name", "parent_name"})
# Sticky cells need a background, or the figures scrolling under them show through;
# JupyterLab's theme colours where there are some, white elsewhere (exports).
_STYLE = """
.atribu-widget-table{border-collapse:separate;border-spacing:0;line-height:1.35;
  font-size:var(--jp-widgets-font-size,13px);color:var(--jp-content-font-color1,#222)}
.atribu-widget-table th,.atribu-widget-table td{white-space:nowrap;text-align:right;padding:3px 8px;
  vertical-align:top;border-bottom:1px solid var(--jp-border-color2,#e0e0e0);
  background:var(--jp-layout-color1,#fff)}
.atribu-widget-table thead th{position:sticky;top:0;z-index:2;font-weight:600;
  border-bottom:1px solid var(--jp-border-color1,#bdbdbd)}
.atribu-widget-table .atribu-text{text-align:left;white-space:normal;min-width:7em;max-width:13em}
.atribu-widget-table .atribu-sticky{position:sticky;left:0;z-index:1;
  border-right:1px solid var(--jp-border-color2,#e0e0e0)}
.atribu-widget-table thead .atribu-sticky{z-index:3}
.atribu-widget-table .atribu-clamp{display:-webkit-box;-webkit-box-orient:vertical;
  -webkit-line-clamp:2;line-clamp:2;overflow:hidden;overflow-wrap:anywhere}
.atribu-widget-table tr:hover .atribu-clamp{-webkit-line-clamp:unset;line-clamp:none}
"""


def _single_level(frame: pd.DataFrame) -> str | None:
    """The one level of every row, or None (no level column, or several levels)."""
    if "entity_level" not in frame.columns:
        return None
    levels = frame["entity_level"].dropna().astype(str).unique()
    return str(levels[0]) if len(levels) == 1 else None


def table_caption(frame: pd.DataFrame, level: str | None) -> str:
    """One line above the table: what the rows are, how many, in which order.

    Parameters
    ----------
    frame : pandas.DataFrame
        The rows the table shows.
    level : str or None
        The level asked of the loader (None: campaigns without delivery).

    Returns
    -------
    str
        Plain text (escape it for HTML).

    Examples
    --------
    >>> import pandas as pd
    >>> table_caption(pd.DataFrame({"entity_level": ["ad", "ad"]}), "ad")
    'Level: ads. 2 rows, highest attributed value first.'
    """
    shown = _single_level(frame) or level
    rows = f"{len(frame)} row" + ("" if len(frame) == 1 else "s")
    return f"Level: {_LEVEL_WORDS.get(shown, shown)}. {rows}, highest attributed value first."


def table_html(frame: pd.DataFrame) -> str:
    """The frame's main columns as sanitized HTML: plain headers, formatted figures, "–".

    Parameters
    ----------
    frame : pandas.DataFrame
        A frame from ``ap.load_campaigns`` (any level).

    Returns
    -------
    str
        A ``<style>`` and a ``<table class="atribu-widget-table">``; every value escaped, the
        whole sanitized (the names are the advertiser's).

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"campaign_name": ["<b>Spring</b>"], "spend": [1234.5]})
    >>> html = table_html(frame)
    >>> "&lt;b&gt;Spring&lt;/b&gt;" in html, "$1,235" in html
    (True, True)
    """
    # In the frame's own currency (its profile's, or the one it was stamped with).
    fmt = Formats(currency_of(frame), DEFAULT_LOCALE)
    level = _single_level(frame)
    columns = [
        (column, header(column), COLUMNS[column][1])
        for column in _SHOWN
        if column in frame.columns and not (column == "entity_level" and level is not None)
    ]
    headers = {
        "campaign_name": _NAME_HEADERS.get(level or "", "Name"),
        "parent_name": _PARENT_HEADERS.get(level or "", "Parent"),
    }
    head = "".join(
        _cell("th", headers.get(column, title), column, first=i == 0)
        for i, (column, title, _) in enumerate(columns)
    )
    formatters = [(column, fmt.by_kind(kind)) for column, _, kind in columns]
    body = "".join(
        "<tr>"
        + "".join(
            _cell("td", formatter(value), column, first=i == 0)
            for i, ((column, formatter), value) in enumerate(zip(formatters, row, strict=True))
        )
        + "</tr>"
        for row in frame[[column for column, _, _ in columns]].itertuples(index=False)
    )
    return sanitize(
        f"<style>{_STYLE}</style>"
        f'<table class="atribu-widget-table"><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )


def _cell(tag: str, text: str, column: str, *, first: bool) -> str:
    classes = ["atribu-text"] if column in _TEXT else []
    if first:
        classes.append("atribu-sticky")
    attribute = f' class="{" ".join(classes)}"' if classes else ""
    shown = escape(text)
    if column in _TEXT and tag == "td":
        # Two lines at most; the whole name while the pointer is on its row. Not a title
        # attribute: the name stays text, never part of a tag's attributes.
        shown = f'<div class="atribu-clamp">{shown}</div>'
    return f"<{tag}{attribute}>{shown}</{tag}>"
