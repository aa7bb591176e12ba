"""How a report prints: the paper its locale uses, and the print stylesheet.

- :func:`paper_size` is the paper of a locale's territory, from CLDR's ``paperSize``
  data (US Letter in the territories it lists, A4 everywhere else);
- :data:`PRINT_CSS` lays the page out so it reads like a designed document: every chart
  kept with its caption and capped below half the page's height, so two share a page
  and a page never ends two-thirds empty because the next chart did not fit; number
  columns as narrow as their figures, so the names get the room.
"""

from __future__ import annotations

from atribu_pandas.display.formats import DEFAULT_LOCALE

__all__ = ["LETTER_TERRITORIES", "PRINT_CSS", "paper_size"]

#: The territories whose everyday paper is US Letter: CLDR's supplemental data,
#: ``<paperSize type="US-Letter" territories="BZ CA CL CO CR GT MX NI PA PH PR SV US VE"/>``
#: (``<paperSize type="A4" territories="001"/>`` for the rest of the world). Babel reads
#: CLDR but does not carry this table, hence the copy.
LETTER_TERRITORIES = frozenset(
    {"BZ", "CA", "CL", "CO", "CR", "GT", "MX", "NI", "PA", "PH", "PR", "SV", "US", "VE"}
)

# The print layout. `@page` takes its size from the template's resources (see
# export.export_html), the rest is fixed.
PRINT_CSS = """
  @media print {
    @page { size: PAPER; margin: 12mm; }
    body.jp-Notebook { max-width: none; padding: 0; }
    /* Chromium keeps a heading with what follows only between plain blocks: the lab
       template sets Markdown in a table cell, whose break-after never reaches the cell
       (its stylesheet comes after this one: the body prefix outranks it). */
    body.jp-Notebook .jp-InputArea, body.jp-Notebook .jp-MarkdownOutput { display: block; }
    /* Nothing scrolls on paper: a box that would scroll on screen shows its scrollbar. */
    body.jp-Notebook .jp-OutputArea-output, body.jp-Notebook .jp-RenderedHTMLCommon {
      overflow: visible;
    }
    h1, h2, h3 { break-after: avoid; page-break-after: avoid; }
    /* A heading is its own cell: keep that cell with the next one. */
    .jp-MarkdownCell:has(h2:last-child), .jp-MarkdownCell:has(h3:last-child) {
      break-after: avoid; page-break-after: avoid;
    }
    /* JupyterLab keeps each output whole on a page (and sets it as a table, which
       Chromium does not fragment well): a long table or text then leaves the page
       before it mostly empty. Outputs break like text; what must stay whole says so. */
    body.jp-Notebook .jp-OutputArea-child { display: block; break-inside: auto; }
    tr, img, .atribu-kpis, .atribu-summary, .atribu-empty { break-inside: avoid; }
    p, li { orphans: 3; widows: 3; }
    /* A chart is at most 75 mm high (under a third of Letter's printable height), so a
       heading, a chart and its caption take under half a page: when one does not fit at
       the bottom of a page, that page is already more than half full, and two chart
       sections share a page. Its width follows its aspect, centred; its text stays at
       about 6 pt or more. */
    body.jp-Notebook .jp-OutputArea-output img {
      max-height: 75mm; width: auto; max-width: 100%; margin: 0 auto; display: block;
    }
    /* A chart and what follows it (its caption: the Markdown cell after it, or a
       sentence the same cell prints) stay together. */
    .jp-OutputArea-child:has(img), .jp-CodeCell:has(img) {
      break-after: avoid; page-break-after: avoid;
    }
    .jp-CodeCell:has(img) + .jp-MarkdownCell { break-before: avoid; page-break-before: avoid; }
    .jp-RenderedHTMLCommon table.atribu-table { font-size: 7.5pt; }
    /* Figures and dates as narrow as they are written (a 1% width shrinks a column to its
       content), so the auto layout gives the rest of the width to names and labels. A
       header may wrap between its words ("Cost per / outcome"). */
    .jp-RenderedHTMLCommon table.atribu-table td.atribu-num,
    .jp-RenderedHTMLCommon table.atribu-table td.atribu-date {
      white-space: nowrap; width: 1%;
    }
    .jp-RenderedHTMLCommon table.atribu-table th { white-space: normal; }
    .jp-RenderedHTMLCommon table.atribu-table th,
    .jp-RenderedHTMLCommon table.atribu-table td { padding: 3px 4px; }
    .atribu-demo-banner, .atribu-table td {
      -webkit-print-color-adjust: exact; print-color-adjust: exact;
    }
  }
"""


def paper_size(locale: str | None) -> str:
    """The CSS ``@page`` size a report in ``locale`` prints on: ``letter`` or ``A4``.

    A locale without a territory (``es``, ``en``) takes the territory CLDR's likely
    subtags give its language (``es`` is Spain's, ``en`` the United States').

    Examples
    --------
    >>> paper_size("en_US"), paper_size("es_MX"), paper_size("fr_CA"), paper_size("en")
    ('letter', 'letter', 'letter', 'letter')
    >>> paper_size("de_DE"), paper_size("en_GB"), paper_size("pt_BR"), paper_size("es")
    ('A4', 'A4', 'A4', 'A4')
    """
    from babel import Locale, UnknownLocaleError
    from babel.core import get_global

    try:
        parsed = Locale.parse(str(locale or DEFAULT_LOCALE).replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return "A4"
    territory = parsed.territory
    if territory is None:
        likely = get_global("likely_subtags").get(parsed.language)
        territory = Locale.parse(likely).territory if likely else None
    return "letter" if territory in LETTER_TERRITORIES else "A4"
