"""How a report ends: one line for the client, and an appendix for whoever checks it later.

The client's line says which window, attribution model and currency the figures use and
on which day they were fetched, in the report's language and date format. The appendix
(collapsed in the HTML, the workbook's "About" sheet, the PDF's last page only when asked
for) keeps the provenance: the currency and why it was assumed, the parameters, the data
windows, fetch times, request ids, cache state and versions.
"""

from __future__ import annotations

import datetime as dt
import json
import platform
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from atribu_pandas.core.config import ENV_CURRENCY
from atribu_pandas.core.language import active_language, ngettext
from atribu_pandas.core.language import gettext as _
from atribu_pandas.core.version import __version__
from atribu_pandas.display.formats import MISSING
from atribu_pandas.display.labels import model_name
from atribu_pandas.display.markup import escape
from atribu_pandas.reports.export import ABOUT_MIME
from atribu_pandas.reports.helpers import current, report_info
from atribu_pandas.reports.style import APPENDIX_TAG, block

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["appendix_rows", "footer_line", "show_footer"]

# Parameters the appendix leaves out: the client's own words, shown at the top already.
_UNSHOWN = frozenset({"notes", "logo", "title", "client_name"})


def _models(parameters: Mapping[str, Any], infos: Sequence[Mapping[str, Any]]) -> list[str]:
    """The models the figures use: the one loaded, or every one a comparison loaded."""
    used = [str(i["params"]["model"]) for i in infos if i.get("params", {}).get("model")]
    # A model comparison records the models it loaded ("last_touch,first_touch,...").
    used += [m for i in infos for m in str(i.get("params", {}).get("models", "")).split(",")]
    found = list(dict.fromkeys(m for m in used if m))
    if not found and parameters.get("model"):
        found = [str(parameters["model"])]
    return found


def _fetched_day(infos: Sequence[Mapping[str, Any]]) -> dt.date | None:
    stamps = [str(i["fetched_at"]) for i in infos if i.get("fetched_at")]
    if not stamps:
        return None
    # The reader's day: the last fetch, in this machine's time zone.
    return dt.datetime.fromisoformat(max(stamps)).astimezone().date()


def footer_line(
    parameters: Mapping[str, Any],
    frames: Sequence[Any],
    window: tuple[str, str] | None = None,
) -> str:
    """The footer's one sentence: window, attribution model, currency, day fetched.

    Examples
    --------
    >>> import pandas as pd
    >>> from atribu_pandas.reports.helpers import start
    >>> _ = start("Weekly", currency="USD", show=False)  # the report it ends
    >>> frame = pd.DataFrame()
    >>> frame.attrs["atribu"] = {"params": {"model": "linear"},
    ...                          "fetched_at": "2026-11-30T12:00:00+00:00"}
    >>> print(footer_line({}, [frame], ("2026-11-02", "2026-11-29")))
    Figures for Nov 2 – 29, 2026 (attribution model: Linear), currency: US Dollar (USD); \
fetched on Nov 30, 2026.
    """
    from babel.numbers import get_currency_name

    fmt = current().formats
    infos = [report_info(frame) for frame in frames]
    models = _models(parameters, infos)
    scoring = parameters.get("window") if window is None else None
    if window is not None:
        span = _("Figures for {window}").format(window=fmt.date_range(*window))
    else:
        span = _("Scores over the {window} scoring window").format(window=scoring or MISSING)
    if len(models) == 1:
        credit = _("attribution model: {model}").format(model=model_name(models[0]))
    elif models:
        credit = ngettext(
            "{count} attribution model compared",
            "{count} attribution models compared",
            len(models),
        ).format(count=len(models))
    else:
        credit = ""
    money = _("currency: {currency_name} ({currency})").format(
        # The name in the report's words (a locale's numbers may come with other words).
        currency_name=get_currency_name(fmt.currency, locale=active_language()),
        currency=fmt.currency,
    )
    day = _fetched_day(infos)
    fetched = _("fetched on {day}").format(day=fmt.date(day)) if day else ""
    demo = _("demo data from the built-in sandbox") if any(i.get("demo") for i in infos) else ""
    line = _("{span} ({credit}), {money}").format(span=span, credit=credit, money=money)
    if not credit:
        line = _("{span}, {money}").format(span=span, money=money)
    tail = "; ".join(p for p in (fetched, demo) if p)
    return (_("{figures}; {source}.") if tail else _("{figures}.")).format(
        figures=line, source=tail
    )


def appendix_rows(
    parameters: Mapping[str, Any],
    frames: Sequence[Any],
    extra: Sequence[tuple[str, str]] = (),
) -> list[tuple[str, str]]:
    """The appendix: what the report was made from, one ``(label, value)`` row each, then
    the report's ``extra`` rows (the thumbnails' line).

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame()
    >>> frame.attrs["atribu"] = {"demo": True, "request_ids": ["req_1"], "from_cache": True}
    >>> dict(appendix_rows({"model": None}, [frame]))["Parameters"]
    'model = default'
    """
    context = current()
    infos = [report_info(frame) for frame in frames]
    code = context.formats.currency
    source = {
        "parameter": _("{currency}, as the report's currency parameter says"),
        ENV_CURRENCY: _("{currency}, from {variable}"),
        "default": _(
            "{currency}, assumed: the Atribu API sends amounts without a currency; set the "
            "report's currency parameter or {variable}"
        ),
    }[context.currency_source].format(currency=code, variable=ENV_CURRENCY)
    shown = {k: v for k, v in parameters.items() if k not in _UNSHOWN}
    windows = sorted(
        {
            f"{m['date_from']} – {m['date_to']}"
            for i in infos
            if (m := i.get("meta") or {})
            if m.get("date_from")
        }
        # Top performers have no dates, only a scoring window.
        | {
            _("scoring window {window}").format(window=i["params"]["window"])
            for i in infos
            if "window" in i.get("params", {})
        }
    )
    fetched = sorted(str(i["fetched_at"]) for i in infos if i.get("fetched_at"))
    requests = [r for i in infos for r in i.get("request_ids") or []]
    cached = sum(bool(i.get("from_cache")) for i in infos)
    default = _("default")
    rows = [(_("Prepared for"), context.client_name)] if context.client_name else []
    rows += [
        (_("Currency"), source),
        (
            _("Parameters"),
            # None is a parameter left to its default (the window, the currency).
            ", ".join(f"{k} = {default if v is None else v}" for k, v in shown.items()) or MISSING,
        ),
        (_("Attribution models"), ", ".join(_models(parameters, infos)) or MISSING),
        (_("Data windows"), "; ".join(windows) or MISSING),
        (_("Fetched at (UTC)"), f"{fetched[0]} – {fetched[-1]}" if fetched else MISSING),
        (_("Request ids"), ", ".join(requests) or MISSING),
        (
            _("Local cache"),
            _("{cached} of {loads} loads answered from the local cache").format(
                cached=cached, loads=len(infos)
            ),
        ),
        (
            _("Versions"),
            f"atribu-pandas {__version__}, pandas {_pandas_version()}, "
            f"Python {platform.python_version()}",
        ),
        (
            _("Data"),
            _("demo data (built-in sandbox)")
            if any(i.get("demo") for i in infos)
            else _("live (Atribu API)"),
        ),
    ]
    return rows + list(extra)


def _pandas_version() -> str:
    import pandas as pd

    return str(pd.__version__)


def show_footer(
    parameters: Mapping[str, Any],
    *frames: pd.DataFrame,
    window: tuple[str, str] | None = None,
    extra: Sequence[tuple[str, str]] = (),
) -> None:
    """Display the footer line and the collapsed appendix (and hand the appendix to the
    workbook's About sheet).

    Parameters
    ----------
    parameters : mapping
        The report's parameters as the notebook used them (never the API key).
    *frames : pandas.DataFrame
        The frames the report is made from; their ``attrs["atribu"]`` give the model,
        windows, fetch times, request ids and whether the data is demo data.
    window : (str, str), optional
        The report's date window; without it (top performers) the ``window`` parameter
        is the scoring window.
    extra : sequence of (str, str), optional
        Rows the appendix adds after its own.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame()
    >>> frame.attrs["atribu"] = {"demo": True, "fetched_at": "2026-03-29T10:00:00Z"}
    >>> show_footer({"model": "linear"}, frame)  # doctest: +SKIP
    """
    from IPython.display import display

    rows = appendix_rows(parameters, frames, extra)
    line = footer_line(parameters, frames, window)
    table = "".join(
        f"<tr><th>{escape(label)}</th><td>{escape(value)}</td></tr>" for label, value in rows
    )
    details = escape(_("Technical details"))
    html = (
        '<footer class="atribu-report-footer">'
        f"<p>{escape(line)}</p>"
        f"{APPENDIX_TAG}<summary>{details}</summary>"
        f"<table>{table}</table></details></footer>"
    )
    display(
        {
            "text/html": block(html),
            "text/plain": line,
            ABOUT_MIME: json.dumps([list(row) for row in rows]),
        },
        raw=True,
    )
