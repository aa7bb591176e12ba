"""The catalogs: every message a client can read has a translation in every language.

The messages are extracted afresh from the code and the templates (as ``make messages``
does), so a sentence added without a translation, a translation whose named field was
renamed, or a ``.mo`` not rebuilt from its ``.po`` fails here.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from atribu_pandas.core.language import (
    LANGUAGES,
    check_language,
    gettext,
    language_of,
    ngettext,
    use_language,
)
from atribu_pandas.exceptions import ArgumentError
from atribu_pandas.reports.messages import catalog_path, compile_catalog, extract

TRANSLATED = LANGUAGES[1:]
ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "atribu_pandas"


@pytest.fixture(scope="module")
def extracted() -> Catalog:
    return extract()


def _catalog(language: str) -> Catalog:
    with catalog_path(language).open("rb") as handle:
        return read_po(handle, locale=language)


def _forms(value: str | tuple[str, ...] | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _fields(text: str) -> set[str]:
    return set(re.findall(r"\{(\w*)\}", text))


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_has_a_whole_translation(extracted: Catalog, language: str) -> None:
    catalog = _catalog(language)
    missing = []
    for message in extracted:
        if not message.id:
            continue
        found = catalog.get(message.id, context=message.context)
        forms = _forms(found.string) if found is not None else []
        if found is None or found.fuzzy or not forms or not all(f.strip() for f in forms):
            missing.append(_forms(message.id)[0][:80])
        elif isinstance(message.id, (tuple, list)) and len(forms) != catalog.num_plurals:
            missing.append(f"{_forms(message.id)[0][:60]} ({len(forms)} plural forms)")
    assert missing == [], f"{language}: {len(missing)} untranslated, e.g. {missing[:5]}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_fields_and_markdown(extracted: Catalog, language: str) -> None:
    catalog = _catalog(language)
    wrong = []
    for message in extracted:
        found = catalog.get(message.id, context=message.context) if message.id else None
        if found is None or not found.string:
            continue
        english = _forms(message.id)
        fields = set().union(*(_fields(e) for e in english))
        for form in _forms(found.string):
            # A singular may leave out a count its English names ("The campaign..."), but
            # never invent a field the code does not fill.
            if not _fields(form) <= fields or (len(english) == 1 and _fields(form) != fields):
                wrong.append(f"fields: {english[0][:60]!r} -> {form[:60]!r}")
            if form.count("**") != english[0].count("**"):
                wrong.append(f"bold: {english[0][:60]!r}")
            if re.match(r"#*", form).group(0) != re.match(r"#*", english[0]).group(0):
                wrong.append(f"heading: {english[0][:60]!r}")
    assert wrong == [], f"{language}: {wrong[:5]}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_catalogs_hold_what_the_code_says_and_are_compiled(
    extracted: Catalog, language: str
) -> None:
    catalog = _catalog(language)
    ids = {(m.id if isinstance(m.id, str) else m.id[0], m.context) for m in extracted if m.id}
    kept = {(m.id if isinstance(m.id, str) else m.id[0], m.context) for m in catalog if m.id}
    # `make messages` merges the extracted messages in: none stale, none left out.
    assert kept == ids
    assert catalog_path(language, ".mo").read_bytes() == compile_catalog(catalog)


def test_plural_forms_follow_each_languages_rule() -> None:
    one, many = "{count} new in this period: {names}.", "{count} new in this period: {names}."
    for language in TRANSLATED:
        with use_language(language):
            assert ngettext(one, many, 1) != ngettext(one, many, 5) or language == "de"
            assert "{count}" in ngettext(one, many, 5)
    # French and Brazilian Portuguese take the singular for zero; German and Spanish do not.
    rule = {lang: _catalog(lang).plural_expr for lang in TRANSLATED}
    assert "n == 0 || n == 1" in rule["fr"] and "n == 0 || n == 1" in rule["pt_BR"]
    assert rule["de"] == "(n != 1)"


def test_the_language_follows_the_locale_unless_told() -> None:
    assert language_of("de_AT") == "de" and language_of("es_MX") == "es"
    assert language_of("pt_PT") == "pt_BR" and language_of("ja_JP") == "en"
    assert check_language("pt-br") == "pt_BR"
    with pytest.raises(ArgumentError, match="one of en, de, es, fr, pt_BR"):
        check_language("it")


def test_a_words_table_header_reads_in_each_language() -> None:
    # The glossary each translation was written to: the one word every report shows.
    expected = {"en": "Spend", "de": "Ausgaben", "fr": "Dépenses"}
    expected |= {"es": "Inversión", "pt_BR": "Investimento"}
    for language, word in expected.items():
        with use_language(language):
            assert gettext("Spend") == word


def _hidden_marks(path: Path) -> list[str]:
    """``file:line`` of each ``_()``/``gettext()`` call Babel's extractor never sees: inside
    an f-string (on Python 3.11 one token), or inside another mark's arguments."""
    marks = {"_", "gettext", "ngettext", "pgettext", "N_"}

    def is_mark(node: ast.AST) -> bool:
        return (
            isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in marks
        )

    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        # Inside an f-string, or inside another mark's arguments (``_(d.get(k, N_("x")))``):
        # the extractor reads neither.
        inside = (
            [n for n in ast.walk(node) if is_mark(n)]
            if isinstance(node, ast.JoinedStr)
            else [n for a in node.args for n in ast.walk(a) if is_mark(n)]
            if is_mark(node) and isinstance(node, ast.Call)
            else []
        )
        found += [f"{path.name}:{inner.lineno}" for inner in inside]
    return found


def test_no_message_hides_where_the_extractor_cannot_see(tmp_path: Path) -> None:
    sources = [*PACKAGE.rglob("*.py"), *(ROOT / "notebooks").glob("*.py")]
    assert [m for path in sources for m in _hidden_marks(path)] == []
    # The control: one hidden mark is found.
    bad = tmp_path / "bad.py"
    bad.write_text("x = f\"<b>{_('In short.')}</b>\"\ny = _(d.get(k, N_('Period')))\n")
    assert _hidden_marks(bad) == ["bad.py:1", "bad.py:2"]
