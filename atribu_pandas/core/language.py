"""The words a client reads, in the client's language: gettext catalogs read through Babel.

Every heading, sentence, caption, axis title, legend and table header a report shows is
written in English in the code, marked with ``_()`` (or ``ngettext`` where a count decides
the form), and looked up here in the active language's catalog, compiled from
``core/catalogs/<language>/LC_MESSAGES/atribu_pandas.po``. A message is a whole sentence
with named fields (``_("{name} spent {spend}").format(...)``), never glued fragments, so a
translator can reorder it.

The active language is set for the process by :func:`set_language` (a report's ``setup``
does it from its ``locale`` and ``language`` parameters) and for a block of code by
:func:`use_language`. English is the default and needs no catalog.

Examples
--------
>>> with use_language("de"):
...     gettext("Spend")
'Ausgaben'
>>> gettext("Spend")
'Spend'
"""

from __future__ import annotations

import contextvars
import gettext as _gettext
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

from atribu_pandas.exceptions import ArgumentError

__all__ = [
    "CATALOGS",
    "DOMAIN",
    "LANGUAGES",
    "N_",
    "active_language",
    "check_language",
    "gettext",
    "language_of",
    "ngettext",
    "pgettext",
    "resolve_language",
    "set_language",
    "translations",
    "use_language",
]

#: The languages reports are written in: English (the code's own) and the four catalogs.
LANGUAGES: tuple[str, ...] = ("en", "de", "es", "fr", "pt_BR")
#: Where the catalogs live: ``<language>/LC_MESSAGES/atribu_pandas.po`` and ``.mo``.
CATALOGS = Path(__file__).with_name("catalogs")
DOMAIN = "atribu_pandas"

# The process's language (a report kernel runs one report), and a per-context override
# for use_language: IPython runs each cell in a copy of the context, so a value set only
# in a ContextVar by one cell would be gone in the next.
_PROCESS: list[str] = ["en"]
_OVERRIDE: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "atribu_language", default=None
)


def language_of(locale: str) -> str:
    """The report language that fits a locale: its language if there is a catalog for it,
    Brazilian Portuguese for any Portuguese, else English.

    Examples
    --------
    >>> language_of("de_AT"), language_of("pt_PT"), language_of("es_MX"), language_of("ja_JP")
    ('de', 'pt_BR', 'es', 'en')
    """
    code = str(locale).replace("-", "_").split("_")[0].lower()
    if code == "pt":
        return "pt_BR"
    return code if code in LANGUAGES else "en"


def check_language(value: Any, name: str = "language") -> str:
    """Return one of :data:`LANGUAGES` for ``value`` (``"de"``, ``"de_DE"``, ``"pt-BR"``),
    or refuse it naming the languages there are.

    Examples
    --------
    >>> check_language("pt-BR"), check_language("DE")
    ('pt_BR', 'de')
    >>> check_language("ja")
    Traceback (most recent call last):
    ...
    atribu_pandas.exceptions.ArgumentError: language='ja' is not allowed: one of en, de, es, \
fr, pt_BR (a locale such as de_DE picks its language)
    """
    text = str(value).replace("-", "_").strip()
    code = text.split("_")[0].lower()
    if code == "pt" and text.lower() in {"pt", "pt_br"}:
        return "pt_BR"
    if code in LANGUAGES and code != "pt":
        return code
    raise ArgumentError(
        name,
        value,
        "one of " + ", ".join(LANGUAGES) + " (a locale such as de_DE picks its language)",
    )


def resolve_language(language: Any, locale: str) -> str:
    """A report's language: ``language`` when given (checked), else the locale's.

    Examples
    --------
    >>> resolve_language(None, "de_CH"), resolve_language("en", "de_DE")
    ('de', 'en')
    """
    if language in (None, ""):
        return language_of(locale)
    return check_language(language)


def set_language(language: str) -> str:
    """Make ``language`` the process's language for every message; returns it checked.

    Examples
    --------
    >>> set_language("en")
    'en'
    """
    _PROCESS[0] = check_language(language)
    return _PROCESS[0]


def active_language() -> str:
    """The language messages are looked up in now (``"en"`` unless set).

    Examples
    --------
    >>> active_language()
    'en'
    """
    return _OVERRIDE.get() or _PROCESS[0]


@contextmanager
def use_language(language: str) -> Iterator[str]:
    """Look messages up in ``language`` inside the ``with`` block only.

    Examples
    --------
    >>> with use_language("fr"):
    ...     gettext("Spend")
    'Dépenses'
    """
    token = _OVERRIDE.set(check_language(language))
    try:
        yield _OVERRIDE.get() or "en"
    finally:
        _OVERRIDE.reset(token)


@cache
def translations(language: str) -> _gettext.NullTranslations:
    """The compiled catalog of ``language`` (English: none, the messages are English).

    Examples
    --------
    >>> translations("de").gettext("Spend")
    'Ausgaben'
    """
    if language == "en":
        return _gettext.NullTranslations()
    with (CATALOGS / language / "LC_MESSAGES" / f"{DOMAIN}.mo").open("rb") as handle:
        return _gettext.GNUTranslations(handle)


def gettext(message: str) -> str:
    """``message`` in the active language; imported as ``_`` where client text is written.

    Examples
    --------
    >>> gettext("Spend")
    'Spend'
    """
    return translations(active_language()).gettext(message)


def ngettext(singular: str, plural: str, n: float) -> str:
    """The form of a message a count takes, in the active language's plural rules.

    Examples
    --------
    >>> ngettext("{n} week", "{n} weeks", 1).format(n=1)
    '1 week'
    """
    return translations(active_language()).ngettext(singular, plural, int(n))


def pgettext(context: str, message: str) -> str:
    """``message`` in the active language, told apart from the same English words used
    with another meaning by ``context``.

    Examples
    --------
    >>> pgettext("table header", "Value")
    'Value'
    """
    return translations(active_language()).pgettext(context, message)


def N_(message: str) -> str:
    """Mark a message for the catalogs without translating it yet (a table of labels
    written at import time, translated where it is shown).

    Examples
    --------
    >>> N_("Spend")
    'Spend'
    """
    return message
