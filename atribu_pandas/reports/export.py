"""Export an executed report: self-contained HTML, a PDF beside it, its tables, no key.

- :func:`export_html` turns the notebook into one HTML file (charts as embedded PNG, a
  screen and print stylesheet of our own, no script, style sheet or font from the
  network) and refuses a page that would still load something remote, found by
  :func:`remote_resources` with an HTML parser.
- :func:`write_pdf` prints that file with headless Chromium (already needed for the
  browser tests; WeasyPrint would add a second layout engine and ignores nothing we
  use, but Chromium is the engine the reader's browser prints with).
- :func:`write_tables` writes every table the report showed (see
  :func:`atribu_pandas.reports.show_table`) as CSV and as one Excel workbook.
- :func:`check_no_key` and :func:`redact` keep the API key out of every file.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any

from atribu_pandas.core.config import ENV_API_KEY, ENV_API_KEYS
from atribu_pandas.core.language import gettext as _
from atribu_pandas.display.formats import DEFAULT_LOCALE
from atribu_pandas.exceptions import ReportError
from atribu_pandas.reports.files import write_atomic
from atribu_pandas.reports.printing import PRINT_CSS, paper_size
from atribu_pandas.reports.style import APPENDIX_TAG, BLOCK_CSS, PRINTED_APPENDIX_TAG, unblock

if TYPE_CHECKING:
    import nbformat

__all__ = [
    "ABOUT_MIME",
    "CONTENT_SECURITY_POLICY",
    "KEY_PATTERN",
    "TABLE_MIME",
    "add_alt_text",
    "check_no_key",
    "clean_outputs",
    "export_html",
    "find_chromium",
    "prepare_export",
    "redact",
    "remote_resources",
    "secrets_in_env",
    "write_pdf",
]

# Anything shaped like an Atribu key, live or sandbox: refused in any output even when the
# key in use is not known here (e.g. a sandbox the kernel started itself).
KEY_PATTERN = re.compile(r"atb_(?:live|test)_[A-Za-z0-9]{8,}")
# The raw rows of each table a report shows travel in the executed notebook under this
# type: the HTML ignores it, --tables reads it.
TABLE_MIME = "application/vnd.atribu.table+json"
# What the report was made from, as [label, value] pairs in the report's language: the
# footer leaves it for --tables, whose workbook ends with it as an "About" sheet.
ABOUT_MIME = "application/vnd.atribu.about+json"
# Where a URL inside CSS loads something: url(...) and @import "...".
_CSS_URL = re.compile(r"url\(\s*[\"']?\s*([^\"')\s]+)|@import\s+[\"']\s*([^\"']+)", re.I)
_REMOTE_URL = re.compile(r"\s*(?:(?:https?|ftp|wss?):)?//", re.I)
# Attributes that make the browser fetch their URL when the page opens (a plain <a href>
# is a link the reader may click, not a load, and stays).
_LOADING_ATTRS = frozenset({"src", "poster", "data", "background", "action", "formaction"})
_LIST_ATTRS = frozenset({"srcset", "imagesrcset"})
_LINK_TAGS = frozenset({"a", "area"})

# The lab template without the CDN scripts (require.js, MathJax, mermaid, widget manager),
# with our screen and print stylesheet.
_OFFLINE_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js -%}
<meta http-equiv="Content-Security-Policy" content="CSP">
{%- endblock html_head_js -%}
{% block jupyter_widgets %}{% endblock jupyter_widgets %}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{% block data_png scoped %}
<div class="jp-RenderedImage jp-OutputArea-output {{ extra_class }}">
<img src="data:image/png;base64,{{ output.data['image/png'] | escape_html }}"
 alt="{{ ((output | get_metadata('alt', 'image/png')) or 'Chart') | escape_html }}">
</div>
{%- endblock data_png %}
{% block extra_css %}
<style type="text/css">
CSS
</style>
{% endblock extra_css %}
"""
_CSS = """
  body.jp-Notebook { max-width: 1100px; margin: 0 auto; padding: 0 16px; }
  .jp-Cell-inputWrapper .jp-InputPrompt, .jp-OutputPrompt { display: none; }
  .jp-OutputArea-output, .jp-RenderedHTMLCommon { overflow-x: visible; max-width: 100%; }
  .jp-RenderedHTMLCommon img, .jp-OutputArea-output img { max-width: 100%; height: auto; }
  /* An output that only carries data for --tables (export_table) takes no room. */
  .jp-OutputArea-child:has(> .jp-RenderedText > pre:empty) { display: none; }
"""
# The paper comes from the report's locale, a resource of each export (export_html).
_PAPER = "{{ resources.get('atribu_paper', 'A4') }}"
_TEMPLATE_FILE = "atribu_offline.html.j2"
# The page runs no script and loads nothing: styles and pictures are inline, in the page.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "font-src data:; base-uri 'none'; form-action 'none'"
)
# What an output of a report may carry (see clean_outputs).
_KEPT_MIMES = frozenset(
    {"text/html", "text/plain", "image/png", "image/jpeg", TABLE_MIME, ABOUT_MIME}
)


class _LoadFinder(HTMLParser):
    """Collects (start tag, URL) for every remote load; CSS text gives (None, URL)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str | None, str]] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        text = self.get_starttag_text()
        for name, value in attrs:
            if value is None:
                continue
            if name in _LOADING_ATTRS or (name in ("href", "xlink:href") and tag not in _LINK_TAGS):
                urls = [value]
            elif name in _LIST_ATTRS:
                urls = [part.split()[0] for part in value.split(",") if part.strip()]
            elif name == "style":
                urls = _css_urls(value)
            else:
                continue
            self.found.extend((text, url) for url in urls if _REMOTE_URL.match(url))
        self._in_style = self._in_style or tag == "style"

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.found.extend((None, url) for url in _css_urls(data) if _REMOTE_URL.match(url))


def _css_urls(css: str) -> list[str]:
    return [a or b for a, b in _CSS_URL.findall(css)]


def remote_resources(page: str) -> list[str]:
    """Return the URLs a browser would fetch from the network when ``page`` opens.

    Parsed as HTML: any ``src``, ``srcset`` candidate, ``poster``, ``<object data>``,
    an ``href`` on anything but a link (``<link>``, SVG ``<image>``/``<use>``), and CSS
    ``url()``/``@import`` in ``<style>`` or a ``style`` attribute. A plain ``<a href>``
    and embedded ``data:`` URIs are not loads.

    Use it to check that a report (or any page you send a client) opens offline and tells
    no third party that it was opened.

    Parameters
    ----------
    page : str
        The HTML text of the page.

    Returns
    -------
    list of str
        Each address the page would load, in the order found; empty for a page that
        loads nothing.

    Examples
    --------
    >>> remote_resources('<img srcset="a.png 1x, https://cdn.example.com/b.png 2x">')
    ['https://cdn.example.com/b.png']
    >>> remote_resources('<a href="https://www.atribu.app">Atribu</a>')
    []
    """
    finder = _LoadFinder()
    finder.feed(page)
    finder.close()
    return [url for _, url in finder.found]


def _drop_remote(page: str) -> str:
    # Whatever a future nbconvert template adds, a report must open offline: drop the
    # tags that would load, then refuse the page if anything (CSS) still would.
    finder = _LoadFinder()
    finder.feed(page)
    finder.close()
    for tag, _where in finder.found:
        if tag:
            page = page.replace(tag, "")
    left = remote_resources(page)
    if left:
        raise ReportError(f"the exported HTML still loads from the network: {left[0]}")
    return page


def clean_outputs(nb: nbformat.NotebookNode) -> None:
    """Keep in each output only what a report shows, and nothing in it that could act.

    HTML goes through ``display.markup.sanitize``; Markdown is rendered by
    ``display.markup.render_markdown`` (raw HTML as text, no link); JavaScript,
    SVG, LaTeX, PDF and widget views and state are dropped (the widget state would also
    make nbconvert embed a widget manager from a CDN). Pictures (PNG, JPEG), plain text
    and the tables' raw rows (:data:`TABLE_MIME`, :data:`ABOUT_MIME`) stay as they are.

    Examples
    --------
    >>> from nbformat.v4 import new_code_cell, new_notebook, new_output
    >>> out = new_output("display_data", {"text/markdown": "<b>x</b>",
    ...                                   "application/javascript": "alert(1)"})
    >>> nb = new_notebook(cells=[new_code_cell("", outputs=[out])])
    >>> clean_outputs(nb)
    >>> dict(nb.cells[0].outputs[0].data)
    {'text/html': '<p>&lt;b&gt;x&lt;/b&gt;</p>\\n'}
    """
    from atribu_pandas.display.markup import render_markdown, sanitize

    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data")
            if not data:
                continue
            markdown = data.get("text/markdown")
            for mime in [m for m in data if m not in _KEPT_MIMES]:
                del data[mime]
            if "text/html" in data:
                # The page sets the blocks' stylesheet once, in its head.
                html = unblock(_text(data["text/html"]))
                data["text/html"] = sanitize(html)
            elif isinstance(markdown, str | list):
                data["text/html"] = render_markdown(_text(markdown))


def _text(value: str | list[str]) -> str:
    # nbformat may keep multi-line text as a list of lines.
    return value if isinstance(value, str) else "".join(value)


def add_alt_text(nb: nbformat.NotebookNode) -> None:
    """Give every chart without alt text one naming the section it illustrates.

    Examples
    --------
    >>> from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
    >>> chart = new_output("display_data", {"image/png": "AAAA"})
    >>> nb = new_notebook(cells=[new_markdown_cell("## ROAS by campaign"),
    ...                          new_code_cell("plot()", outputs=[chart])])
    >>> add_alt_text(nb)
    >>> nb.cells[1].outputs[0].metadata["image/png"]["alt"]
    'Chart: ROAS by campaign'
    """
    heading = ""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            lines = [ln for ln in cell.source.splitlines() if ln.startswith("#")]
            heading = lines[-1].lstrip("#").strip() if lines else heading
            continue
        for output in cell.get("outputs", []):
            if "image/png" in output.get("data", {}):
                meta = output.setdefault("metadata", {}).setdefault("image/png", {})
                alt = _("Chart: {heading}").format(heading=heading) if heading else _("Chart")
                meta.setdefault("alt", alt)


# One exporter per keep_code, built once: nbconvert's import and the first compile of
# its templates take about a second, which prepare_export overlaps with the kernel's run.
_EXPORTERS: dict[bool, Any] = {}
_EXPORTERS_LOCK = threading.Lock()


def _exporter(keep_code: bool) -> Any:
    with _EXPORTERS_LOCK:
        if keep_code not in _EXPORTERS:
            import jinja2
            from nbconvert import HTMLExporter

            # The blocks' rules first: the print rules below must win over them.
            css = BLOCK_CSS + _CSS + PRINT_CSS.replace("PAPER", _PAPER)
            template = _OFFLINE_TEMPLATE.replace("CSS", css).replace(
                '"CSP"', f'"{CONTENT_SECURITY_POLICY}"'
            )
            _EXPORTERS[keep_code] = HTMLExporter(
                template_name="lab",
                template_file=_TEMPLATE_FILE,
                extra_loaders=[jinja2.DictLoader({_TEMPLATE_FILE: template})],
                exclude_input=not keep_code,
                exclude_input_prompt=True,
                exclude_output_prompt=True,
                embed_images=True,
            )
        return _EXPORTERS[keep_code]


def prepare_export(keep_code: bool = False) -> None:
    """Import nbconvert and compile the page's template, so a later export is quick.

    :func:`~atribu_pandas.reports.render` calls it in a thread while the kernel runs.

    Examples
    --------
    >>> prepare_export()
    """
    from nbformat.v4 import new_notebook

    _exporter(keep_code).from_notebook_node(new_notebook())


def export_html(
    nb: nbformat.NotebookNode,
    title: str,
    keep_code: bool = False,
    *,
    locale: str = DEFAULT_LOCALE,
) -> str:
    """Return the executed notebook as one offline HTML page titled ``title``.

    It prints on the paper of the report's ``locale`` (:func:`.printing.paper_size`: US
    Letter in the Americas' Letter countries, A4 elsewhere).

    Examples
    --------
    >>> from nbformat.v4 import new_markdown_cell, new_notebook
    >>> page = export_html(new_notebook(cells=[new_markdown_cell("# Hi")]), "Hi")
    >>> "<title>Hi</title>" in page, remote_resources(page), "size: letter;" in page
    (True, [], True)
    """
    clean_outputs(nb)
    add_alt_text(nb)
    resources = {"metadata": {"name": title}, "atribu_paper": paper_size(locale)}
    body, _ = _exporter(keep_code).from_notebook_node(nb, resources=resources)
    return _drop_remote(str(body))


def check_no_key(text: str, secrets: Iterable[str], what: str) -> None:
    """Refuse ``text`` holding a key: the one leak check of every output.

    Examples
    --------
    >>> check_no_key("nothing here", ["sk-123456"], "HTML report")
    """
    if any(s and s in text for s in secrets) or KEY_PATTERN.search(text):
        raise ReportError(
            f"the {what} contains an API key; nothing was written. Do not print the key "
            "or the client's settings in a template."
        )


def redact(text: str, secrets: Iterable[str]) -> str:
    """Replace every key in ``text`` by its masked form (``…`` and its last 4 characters).

    Examples
    --------
    >>> redact("key sk-sentinel-1234", ["sk-sentinel-1234"])
    'key …1234'
    """
    from atribu_pandas.core.redact import mask_key

    for secret in secrets:
        if secret:
            text = text.replace(secret, mask_key(secret))
    return KEY_PATTERN.sub(lambda match: mask_key(match.group(0)), text)


def find_chromium() -> str | None:
    """Return the Chromium (or Chrome) executable on ``PATH``, or None.

    Examples
    --------
    >>> find_chromium() is None or "chrom" in find_chromium()
    True
    """
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def write_pdf(html_path: Path, pdf_path: Path | None = None, *, appendix: bool = False) -> Path:
    """Print an HTML report to PDF with headless Chromium, offline; return the PDF's path.

    The page is printed with its print stylesheet (Letter or A4 as its locale says,
    headings kept with what follows, charts with their captions, tables fitted to the
    page), without the browser's date and URL headers. The technical details stay out of
    the printout unless ``appendix``: then they are the PDF's last page, open.

    Raises
    ------
    ReportError
        Chromium is not installed, or it wrote no PDF.

    Examples
    --------
    >>> write_pdf(Path("reports/campaign_performance.html"))  # doctest: +SKIP
    PosixPath('reports/campaign_performance.pdf')
    """
    browser = find_chromium()
    if browser is None:
        raise ReportError(
            "--pdf needs Chromium: install it (apt-get install chromium, or `make "
            "browser-deps`), or drop --pdf and print the HTML from a browser"
        )
    pdf_path = pdf_path or html_path.with_suffix(".pdf")
    # Printed beside the target and renamed over it once complete, like the HTML.
    printing = pdf_path.with_name(f".{pdf_path.name}.printing")
    printing.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="atribu-pdf-") as profile:
        page = html_path
        if appendix:
            # A copy whose appendix is open and printed; the HTML itself keeps it folded.
            page = Path(profile) / html_path.name
            page.write_text(
                html_path.read_text(encoding="utf-8").replace(APPENDIX_TAG, PRINTED_APPENDIX_TAG),
                encoding="utf-8",
            )
        done = subprocess.run(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                f"--user-data-dir={profile}",
                # The report is self-contained: nothing may be fetched while printing.
                "--proxy-server=127.0.0.1:9",
                "--no-pdf-header-footer",
                f"--print-to-pdf={printing.resolve()}",
                page.resolve().as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    if not printing.is_file() or printing.stat().st_size == 0:
        printing.unlink(missing_ok=True)
        raise ReportError(f"Chromium wrote no PDF at {pdf_path}: {done.stderr[-500:]}")
    # Copied, not renamed: the PDF gets the same mode as the HTML, whatever Chromium asks.
    try:
        write_atomic(pdf_path, printing.read_bytes())
    finally:
        printing.unlink(missing_ok=True)
    return pdf_path


def secrets_in_env() -> list[str]:
    """The keys this process's environment holds: none may reach a report's file."""
    # Even with demo=True (the kernel gets no key) the caller's key must not leak.
    key = os.environ.get(ENV_API_KEY, "")
    # A workspace's keys ("label=key,label=key") must not leak either.
    keys = [e.partition("=")[2].strip() for e in os.environ.get(ENV_API_KEYS, "").split(",")]
    return [k for k in [key, *keys] if k]
