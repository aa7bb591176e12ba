"""The message catalogs: what a report can say, gathered from the code and the templates.

Two kinds of messages reach a client. Code marks its words with ``_()``, ``ngettext``,
``pgettext`` or ``N_`` (see ``core.language``); Babel's own Python
extractor finds them. A template's Markdown cells are messages whole, one per cell
(headings included): :func:`translate_markdown` swaps each for its translation before
the kernel runs, so a template reads as plain English prose and renders in any language.

``make messages`` (:func:`main`) gathers them into
``atribu_pandas.pot``, merges that into each language's ``.po`` (new messages empty,
vanished ones dropped) and compiles the ``.mo`` files the package reads. The tests refuse a
catalog with a message untranslated, a field renamed, or a ``.mo`` older than its ``.po``.
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from atribu_pandas.core.language import CATALOGS, DOMAIN, LANGUAGES, translations

if TYPE_CHECKING:
    import nbformat
    from babel.messages.catalog import Catalog

__all__ = [
    "MARKDOWN_CONTEXT",
    "catalog_path",
    "compile_catalog",
    "extract",
    "main",
    "translate_markdown",
    "update_catalogs",
]

#: The gettext context of a template's Markdown cells, apart from the code's messages.
MARKDOWN_CONTEXT = "report text"
_PACKAGE = Path(__file__).resolve().parents[1]
# Only what a client reads is marked, but the whole package is searched: a mark anywhere
# is found. The sandbox never speaks to a client.
_SKIPPED = ("sandbox/", "core/catalogs/")
# A fixed header: the catalogs change only when their messages do.
_HEADER: dict[str, Any] = {
    "project": "atribu-pandas",
    "domain": DOMAIN,
    "copyright_holder": "atribu-pandas developers",
    "creation_date": datetime.datetime(2026, 12, 6, tzinfo=datetime.UTC),
    "revision_date": datetime.datetime(2026, 12, 6, tzinfo=datetime.UTC),
    "fuzzy": False,
}


def catalog_path(language: str, suffix: str = ".po") -> Path:
    """The ``.po`` (or ``.mo``) file of a language.

    Examples
    --------
    >>> catalog_path("de").parts[-3:]
    ('de', 'LC_MESSAGES', 'atribu_pandas.po')
    """
    return CATALOGS / language / "LC_MESSAGES" / f"{DOMAIN}{suffix}"


def _code_messages() -> Iterator[tuple[str, int, Any, list[str], str | None]]:
    from babel.messages.extract import extract_from_file

    from atribu_pandas.reports.templates import template_names, template_path

    sources = sorted(_PACKAGE.rglob("*.py"))
    sources += [template_path(name) for name in template_names()]
    for path in sources:
        name = path.relative_to(path.parents[1]).as_posix()
        if any(part in path.relative_to(_PACKAGE.parent).as_posix() for part in _SKIPPED):
            continue
        for lineno, message, comments, context in extract_from_file(
            "python", path, comment_tags=("Translators:",)
        ):
            yield name, lineno, message, comments, context


def _markdown_messages() -> Iterator[tuple[str, str]]:
    from atribu_pandas.reports.templates import read_template, template_names, template_path

    for name in template_names():
        for cell in read_template(template_path(name)).cells:
            if cell.cell_type == "markdown" and cell.source.strip():
                yield name, cell.source.strip()


def extract() -> Catalog:
    """Every message the package and its templates mark, as one Babel catalog.

    Examples
    --------
    >>> catalog = extract()
    >>> catalog.get("Spend") is not None
    True
    >>> catalog.get("## Headline numbers", context=MARKDOWN_CONTEXT).auto_comments[0][:17]
    'A Markdown cell o'
    """
    from babel.messages.catalog import Catalog

    catalog = Catalog(**_HEADER)
    for name, lineno, message, comments, context in _code_messages():
        catalog.add(message, locations=[(name, lineno)], auto_comments=comments, context=context)
    from atribu_pandas.reports.templates import inspect_template, template_names, template_path

    for name in template_names():
        # The default title is a parameter: the analyst may replace it, else it is ours.
        title = inspect_template(template_path(name)).get("title", {}).get("value")
        if isinstance(title, str) and title:
            catalog.add(title, locations=[(f"notebooks/{name}.py", 0)])
    for name, text in _markdown_messages():
        catalog.add(
            text,
            locations=[(f"notebooks/{name}.py", 0)],
            auto_comments=["A Markdown cell of the report; keep its # and ** marks."],
            context=MARKDOWN_CONTEXT,
        )
    for message in catalog:
        # Babel flags any "%" followed by a letter ("90% range") as printf-style; the
        # messages use named {fields}, which gettext tools check as python-brace-format.
        message.flags.discard("python-format")
        text = " ".join(message.id) if isinstance(message.id, tuple | list) else message.id
        if message.id and re.search(r"\{\w+\}", text):
            message.flags.add("python-brace-format")
    return catalog


def compile_catalog(catalog: Catalog) -> bytes:
    """The ``.mo`` bytes of a catalog (fuzzy and empty entries left out, as msgfmt does).

    Examples
    --------
    >>> from babel.messages.catalog import Catalog
    >>> compile_catalog(Catalog(locale="de"))[:4]
    b'\\xde\\x12\\x04\\x95'
    """
    from babel.messages.mofile import write_mo

    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


def update_catalogs() -> list[Path]:
    """Merge the extracted messages into every language's ``.po`` and compile its ``.mo``.

    Returns
    -------
    list of pathlib.Path
        The files written: the template, then each language's ``.po`` and ``.mo``.
    """
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    template = extract()
    written = [CATALOGS / f"{DOMAIN}.pot"]
    with written[0].open("wb") as handle:
        write_po(handle, template, width=100, include_lineno=False)
    for language in LANGUAGES[1:]:
        po = catalog_path(language)
        po.parent.mkdir(parents=True, exist_ok=True)
        if po.exists():
            with po.open("rb") as handle:
                catalog = read_po(handle, locale=language)
        else:
            catalog = Catalog(locale=language, **_HEADER)
        catalog.update(template, no_fuzzy_matching=True, update_header_comment=True)
        for message in catalog:
            # The template's flags (python-brace-format), never Babel's printf guess.
            extracted = template.get(message.id, context=message.context)
            message.flags = set(extracted.flags) if extracted is not None else set()
        catalog.fuzzy = False
        catalog.creation_date = catalog.revision_date = _HEADER["creation_date"]
        with po.open("wb") as handle:
            write_po(handle, catalog, width=100, include_lineno=False, ignore_obsolete=True)
        mo = catalog_path(language, ".mo")
        mo.write_bytes(compile_catalog(catalog))
        written += [po, mo]
    translations.cache_clear()
    return written


def translate_markdown(nb: nbformat.NotebookNode, language: str) -> None:
    """Replace each Markdown cell of a template with its translation, in place.

    Examples
    --------
    >>> from nbformat.v4 import new_markdown_cell, new_notebook
    >>> nb = new_notebook(cells=[new_markdown_cell("## Headline numbers")])
    >>> translate_markdown(nb, "de")
    >>> nb.cells[0].source
    '## Kennzahlen'
    """
    catalog = translations(language)
    for cell in nb.cells:
        if cell.cell_type == "markdown" and cell.source.strip():
            cell.source = catalog.pgettext(MARKDOWN_CONTEXT, cell.source.strip())


def main() -> int:
    """``make messages``: update and compile every catalog, printing the files written."""
    for path in update_catalogs():
        print(path.relative_to(_PACKAGE.parent))
    return 0
