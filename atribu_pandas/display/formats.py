"""Numbers, money, percentages and dates as a client reads them, through Babel.

The API sends amounts without a currency: a frame carries the one its client stated
(``frames.provenance.currency_of``), a report the one it was given, and
every table, card, axis and sentence formats through one :class:`Formats` for that
currency and locale. Missing values show as an en dash, never ``NaN`` or ``None``.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from typing import Any

from atribu_pandas.core.config import DEFAULT_CURRENCY
from atribu_pandas.exceptions import ArgumentError

__all__ = [
    "DEFAULT_LOCALE",
    "MISSING",
    "Formats",
    "check_locale",
]

DEFAULT_LOCALE = "en_US"
# What a table cell, a card or a sentence shows for a value that does not exist.
MISSING = "–"
# Amounts at least this large show whole units: cents on 27,060 are noise, on 0.85 not.
_WHOLE_UNITS_FROM = 100


def check_locale(value: Any, name: str = "locale") -> str:
    """Return a locale name Babel knows (``en_US``, ``de_DE``, ``es``...), or refuse it.

    Examples
    --------
    >>> check_locale("de-DE")
    'de_DE'
    """
    from babel import Locale, UnknownLocaleError

    try:
        return str(Locale.parse(str(value).replace("-", "_")))
    except (UnknownLocaleError, ValueError, TypeError):
        raise ArgumentError(
            name, value, "a locale such as en_US, en_GB, de_DE, es_MX, fr_FR"
        ) from None


def _missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(math.isnan(float(value)))
    except (TypeError, ValueError):
        # pandas.NA and NaT refuse float(); any other object is a value.
        return str(value) in {"<NA>", "NaT", "nan"}


@dataclass(frozen=True)
class Formats:
    """Formatters for one currency and locale; each returns ``"–"`` for a missing value.

    Parameters
    ----------
    currency : str, default "USD"
        ISO 4217 code.
    locale : str, default "en_US"
        A Babel locale name.

    Examples
    --------
    >>> f = Formats("EUR", "de_DE")
    >>> f.money(27060.4), f.money(0.856), f.number(1234567), f.times(3.1)
    ('27.060\xa0€', '0,86\xa0€', '1.234.567', '3,10×')
    >>> f.percent(12.34), f.money(None)
    ('12,3\xa0%', '–')
    """

    currency: str = DEFAULT_CURRENCY
    locale: str = DEFAULT_LOCALE

    @cached_property
    def _whole_pattern(self) -> str:
        from babel import Locale

        pattern = Locale.parse(self.locale).currency_formats["standard"].pattern
        # The locale's own order and spacing of symbol and number, without the cents.
        return pattern.split(";")[0].replace(".00", "")

    @property
    def symbol(self) -> str:
        """The currency's symbol in this locale: $, € or MX$, for example.

        Examples
        --------
        >>> Formats("EUR", "de_DE").symbol, Formats("MXN").symbol
        ('€', 'MX$')
        """
        from babel.numbers import get_currency_symbol

        return str(get_currency_symbol(self.currency, locale=self.locale))

    def money(self, value: Any, cents: bool | None = None) -> str:
        """An amount: whole units from 100 up, cents below (a CPC of 0.85); ``cents``
        True or False decides for every value alike (one precision for a table column).

        Parameters
        ----------
        value : float or None
            The amount, in this formatter's currency.
        cents : bool, optional
            True shows cents, False whole units, whatever the amount; None (the default)
            decides by the amount.

        Returns
        -------
        str
            The amount with the currency's symbol, placed the locale's way.

        Examples
        --------
        >>> Formats().money(1234.5), Formats().money(0.85), Formats().money(1234.5, cents=True)
        ('$1,235', '$0.85', '$1,234.50')
        """
        if _missing(value):
            return MISSING
        from babel.numbers import format_currency

        amount = float(value)
        if cents is False or (cents is None and abs(amount) >= _WHOLE_UNITS_FROM):
            # Half up, as people round money (Python's round() would give 1234 for 1234.5).
            whole = Decimal(str(amount)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
            return str(
                format_currency(
                    whole,
                    self.currency,
                    format=self._whole_pattern,
                    locale=self.locale,
                    currency_digits=False,
                )
            )
        return str(format_currency(amount, self.currency, locale=self.locale))

    def number(self, value: Any, digits: int = 0) -> str:
        """A count or a plain number with the locale's grouping (``1,234``).

        Parameters
        ----------
        value : float or None
            The number.
        digits : int, default 0
            Decimals shown (rounded).

        Returns
        -------
        str
            The number with the locale's thousands and decimal separators.

        Examples
        --------
        >>> Formats().number(1234567), Formats("EUR", "de_DE").number(1234.5, digits=1)
        ('1,234,567', '1.234,5')
        """
        if _missing(value):
            return MISSING
        from babel.numbers import format_decimal

        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        return str(format_decimal(float(value), format=pattern, locale=self.locale))

    def percent(self, value: Any, digits: int = 1) -> str:
        """A value already in percent (the API's CTR, a share of 0-100).

        Parameters
        ----------
        value : float or None
            The percentage: 12.3 for 12.3% (a fraction of 0 to 1 goes through
            ``by_kind("fraction")``).
        digits : int, default 1
            Decimals shown (rounded).

        Returns
        -------
        str
            The percentage with the locale's sign and spacing.

        Examples
        --------
        >>> Formats().percent(12.345), Formats().percent(12.345, digits=0)
        ('12.3%', '12%')
        >>> Formats("EUR", "de_DE").percent(12.345)
        '12,3\xa0%'
        """
        if _missing(value):
            return MISSING
        from babel import Locale
        from babel.numbers import format_percent

        # The locale's own pattern (de_DE puts a space before %), with our decimals.
        pattern = Locale.parse(self.locale).percent_formats[None].pattern.split(";")[0]
        pattern = pattern.replace("#,##0", "#,##0" + ("." + "0" * digits if digits else ""), 1)
        return str(format_percent(float(value) / 100, format=pattern, locale=self.locale))

    def signed_percent(self, value: Any) -> str:
        """A change in percent with its sign (``+12%``, ``-3%``; ``0%`` when it rounds to 0).

        Parameters
        ----------
        value : float or None
            The change, already in percent (12.4 for a 12.4% rise).

        Returns
        -------
        str
            The change rounded to a whole percent, with ``+`` or ``-``.

        Examples
        --------
        >>> Formats().signed_percent(12.4), Formats().signed_percent(-0.3)
        ('+12%', '0%')
        """
        if _missing(value):
            return MISSING
        text = self.percent(abs(float(value)), digits=0)
        if round(abs(float(value))) == 0:
            return text  # a change that rounds to nothing has no sign: never "-0%"
        return ("+" if float(value) > 0 else "-") + text

    def signed_times(self, value: Any) -> str:
        """A change of a ratio such as ROAS, with its sign: ``+0.35×``.

        Parameters
        ----------
        value : float or None
            The change of the ratio (current minus reference).

        Returns
        -------
        str
            The change with ``+`` or ``-``, two decimals and ``×``.

        Examples
        --------
        >>> Formats().signed_times(0.35), Formats().signed_times(-0.2)
        ('+0.35×', '-0.20×')
        """
        if _missing(value):
            return MISSING
        return ("+" if float(value) >= 0 else "-") + self.times(abs(float(value)))

    def times(self, value: Any) -> str:
        """A ratio such as ROAS: ``3.10×``.

        Parameters
        ----------
        value : float or None
            The ratio (3.1 for a ROAS of 3.1: 3.10 of value per unit spent).

        Returns
        -------
        str
            The ratio with two decimals and ``×``.

        Examples
        --------
        >>> Formats().times(3.1), Formats("EUR", "de_DE").times(3.1)
        ('3.10×', '3,10×')
        """
        if _missing(value):
            return MISSING
        return self.number(value, digits=2) + "×"

    def text(self, value: Any) -> str:
        """Any other value as text.

        Parameters
        ----------
        value : object
            A name, an id or anything else shown as it is.

        Returns
        -------
        str
            ``str(value)``; ``"–"`` for a missing or empty value.

        Examples
        --------
        >>> Formats().text("Spring Sale"), Formats().text(""), Formats().text(None)
        ('Spring Sale', '–', '–')
        """
        return MISSING if _missing(value) or str(value) == "" else str(value)

    def label(self, value: Any) -> str:
        """A value of the API's vocabulary in words, in the active language.

        Parameters
        ----------
        value : str or None
            A code the API sends, such as an objective (``OUTCOME_LEADS``) or a model.

        Returns
        -------
        str
            The code's label; a code without one still reads as words (underscores become
            spaces, an upper-case code reads as a sentence).

        Examples
        --------
        >>> Formats().label("platform_reported"), Formats().label("OUTCOME_LEADS")
        ('platform reported', 'Leads')
        >>> Formats().label("NEW_PLATFORM_CODE")
        'New platform code'
        """
        from atribu_pandas.display.labels import label

        return MISSING if _missing(value) or str(value) == "" else label(value)

    def date(self, value: Any) -> str:
        """A day in the locale's medium form (``Mar 28, 2026``).

        Parameters
        ----------
        value : datetime.date, pandas.Timestamp or str
            The day; a string is read from its first 10 characters (``YYYY-MM-DD``).

        Returns
        -------
        str
            The day, written the locale's way.

        Examples
        --------
        >>> Formats().date("2026-11-05"), Formats("EUR", "de_DE").date("2026-11-05")
        ('Nov 5, 2026', '05.11.2026')
        """
        if _missing(value):
            return MISSING
        from babel.dates import format_date

        day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
        return str(format_date(day, format="medium", locale=self.locale))

    def date_range(self, first: Any, last: Any) -> str:
        """Two days as one span, the locale's way: ``Nov 2 – 29, 2026`` in English.

        German writes the same span ``2.–29. Nov. 2026``.

        Parameters
        ----------
        first, last : datetime.date, pandas.Timestamp or str
            The span's first and last day (a string as ``YYYY-MM-DD``).

        Returns
        -------
        str
            The span, the month and year written once when both days share them.

        Examples
        --------
        >>> Formats("EUR", "de_DE").date_range("2026-11-02", "2026-11-29")
        '2.–29. Nov. 2026'
        """
        from babel.dates import format_interval

        days = [dt.date.fromisoformat(str(v)[:10]) for v in (first, last)]
        return str(format_interval(days[0], days[1], "yMMMd", locale=self.locale))

    def short_day(self, value: Any) -> str:
        """A day as a chart's tick says it: ``Nov 5`` in English.

        German writes ``5. Nov.``.

        Parameters
        ----------
        value : datetime.date, pandas.Timestamp or str
            The day.

        Returns
        -------
        str
            Day and abbreviated month, without the year.

        Examples
        --------
        >>> Formats("EUR", "de_DE").short_day("2026-11-05"), Formats().short_day("2026-11-05")
        ('5. Nov.', 'Nov 5')
        """
        if _missing(value):
            return MISSING
        import pandas as pd
        from babel.dates import format_skeleton

        return str(format_skeleton("MMMd", pd.Timestamp(value).date(), locale=self.locale))

    def tick(self, value: Any) -> str:
        """A figure on a chart's axis: grouped whole from 100 up, up to 3 decimals below
        (a cheap CPC axis), as the tables group them.

        Parameters
        ----------
        value : float or None
            The tick's value.

        Returns
        -------
        str
            The figure, without a currency or unit (the axis label says it).

        Examples
        --------
        >>> Formats("EUR", "de_DE").tick(25000), Formats().tick(25000), Formats().tick(2.5)
        ('25.000', '25,000', '2.5')
        """
        if _missing(value):
            return MISSING
        from babel.numbers import format_decimal

        pattern = "#,##0" if abs(float(value)) >= 100 else "#,##0.###"
        return str(format_decimal(float(value), format=pattern, locale=self.locale))

    def column(self, kind: str, values: Any) -> Any:
        """The formatter for a whole column: as :meth:`by_kind`, with one precision for
        money (cents when any amount is under 100, so $78.68 and $101.00 sit together).

        Parameters
        ----------
        kind : str
            One of the kinds :meth:`by_kind` names.
        values : iterable of float
            The column's values: for ``"money"`` they decide whether cents are shown.

        Returns
        -------
        callable
            A function of one value that returns its text.

        Examples
        --------
        >>> show = Formats().column("money", [78.68, 101.0])
        >>> show(78.68), show(101.0)
        ('$78.68', '$101.00')
        """
        if kind != "money":
            return self.by_kind(kind)
        amounts = [abs(float(v)) for v in values if not _missing(v)]
        cents = any(0 < a < _WHOLE_UNITS_FROM for a in amounts)
        return lambda value: self.money(value, cents=cents)

    def by_kind(self, kind: str) -> Any:
        """The formatter named ``kind``.

        Parameters
        ----------
        kind : str
            One of money, number, percent (values in percent), fraction (0 to 1),
            signed_percent, times, signed_times, score (one decimal), text, label (API
            vocabulary in words), date.

        Returns
        -------
        callable
            A function of one value that returns its text (``"–"`` when it is missing).

        Examples
        --------
        >>> Formats().by_kind("fraction")(0.25)
        '25.0%'
        """
        if kind == "score":
            return lambda value: self.number(value, digits=1)
        if kind == "fraction":
            return lambda value: MISSING if _missing(value) else self.percent(100 * float(value))
        return getattr(self, kind)
