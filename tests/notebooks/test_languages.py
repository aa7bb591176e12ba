"""Every template renders in every language, and no English heading is left in the others.

Each template runs through the CLI on the sandbox in German, Spanish, French and
Brazilian Portuguese (the language following ``--locale``). The page is read as text, as
a client reads it, and searched for the English of every heading, table title, card and
fixed phrase the reports write, each one the catalog translates differently.
"""

from __future__ import annotations

import functools
import html
import re
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from renders import APPENDIX, LOCALES, NAMES

from atribu_pandas.core.language import use_language
from atribu_pandas.reports.messages import MARKDOWN_CONTEXT, catalog_path, extract

# Phrases every report writes outside its Markdown cells (code strings, marked with _()).
FIXED = [
    "In short.",
    "Prepared for",
    "Technical details",
    "How to read this.",
    "Demo data.",
    "Window:",
    "Attribution model:",
    "What to try instead:",
    "Headline numbers",
    "Cost per outcome",
    "Attributed value",
    "Share of spend",
    "Request ids",
    "Local cache",
]

# In the worker that holds the session's renders (tests/notebooks/conftest.py).
pytestmark = [pytest.mark.notebook, pytest.mark.xdist_group("notebooks")]


@functools.cache
def _english_phrases(language: str) -> list[str]:
    """The English of each heading and fixed phrase that this language's catalog words
    differently (a word both languages share, "ROAS", "Trends", is not a leftover)."""
    with catalog_path(language).open("rb") as handle:
        catalog = read_po(handle, locale=language)
    extracted = extract()
    headings = [
        line.lstrip("#").strip()
        for message in extracted
        if message.context == MARKDOWN_CONTEXT and isinstance(message.id, str)
        for line in message.id.splitlines()
        if line.startswith("#")
    ]
    phrases = []
    translated_text = " ".join(
        s for m in catalog for s in ([m.string] if isinstance(m.string, str) else m.string)
    )
    for phrase in dict.fromkeys([*headings, *FIXED]):
        with use_language(language):
            from atribu_pandas.core.language import gettext

            own = gettext(phrase)
        if phrase not in translated_text and own != phrase:
            phrases.append(phrase)
    return phrases


def _page_text(path: Path) -> str:
    page = path.read_text()
    body = page[page.index("<body") :]
    body = re.sub(r"<style.*?</style>", " ", body, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


@pytest.mark.parametrize("language", list(LOCALES))
@pytest.mark.parametrize("name", NAMES)
def test_every_template_renders_in_every_language(
    translated: dict[tuple[str, str], tuple[Path, subprocess.CompletedProcess[str]]],
    name: str,
    language: str,
) -> None:
    target, done = translated[name, language]
    assert done.returncode == 0, done.stderr[-3000:]
    text = _page_text(target)
    assert "Traceback" not in text
    english = _english_phrases(language)
    assert len(english) > 20  # the list is real: headings, cards, the footer's words
    left = [phrase for phrase in english if re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text)]
    assert left == [], f"{name} in {language} still says {left}"
    # Amounts in the report's currency, in the locale's way.
    assert ("€" in text) if LOCALES[language][1] == "EUR" else ("R$" in text)


def test_the_english_list_would_catch_an_english_report(tmp_path: Path) -> None:
    # The control: an English page holds many of the phrases the test looks for.
    page = tmp_path / "en.html"
    page.write_text(
        "<html><body><h2>Headline numbers</h2><p><b>In short.</b> Spend rose.</p>"
        "<details><summary>Technical details</summary></details></body></html>"
    )
    text = _page_text(page)
    found = [p for p in _english_phrases("de") if re.search(rf"(?<!\w){re.escape(p)}(?!\w)", text)]
    assert set(found) == {"Headline numbers", "In short.", "Technical details"}


def test_the_appendix_is_the_pdfs_last_page_when_asked_for(
    translated: dict[tuple[str, str], tuple[Path, subprocess.CompletedProcess[str]]],
) -> None:
    from pypdf import PdfReader

    target, done = translated[APPENDIX]
    assert done.returncode == 0, done.stderr[-3000:]
    pages = PdfReader(target.with_suffix(".pdf")).pages
    last = pages[-1].extract_text()
    # The appendix in the report's words (Brazilian Portuguese), on a page of its own.
    assert "Detalhes técnicos" in last and "req_" in last
    assert not any("req_" in page.extract_text() for page in pages[:-1])
    # The HTML keeps it folded.
    assert '<details class="atribu-appendix">' in target.read_text()
