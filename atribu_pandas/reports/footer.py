"""The footer every report ends with: what it was made from, for whoever reads it later.

The currency and why it was assumed, the parameters, the attribution model, the data
window, when the data was fetched, the package's version, and demo or live data.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from atribu_pandas.core import vocabulary
from atribu_pandas.core.config import ENV_CURRENCY
from atribu_pandas.core.version import __version__
from atribu_pandas.display.formats import MISSING
from atribu_pandas.display.markup import escape
from atribu_pandas.reports.helpers import current, display_html, report_info

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["footer_rows", "show_footer"]


def footer_rows(parameters: Mapping[str, Any], frames: Sequence[Any]) -> list[tuple[str, str]]:
    context = current()
    infos = [report_info(frame) for frame in frames]
    metas = [info.get("meta") or {} for info in infos]
    windows = sorted(
        {f"{m['date_from']} to {m['date_to']}" for m in metas if m.get("date_from")}
        # Top performers have no dates, only a scoring window.
        | {
            f"scoring window {i['params']['window']}"
            for i in infos
            if "window" in i.get("params", {})
        }
    )
    fetched = sorted(str(info["fetched_at"]) for info in infos if info.get("fetched_at"))
    cached = any(info.get("from_cache") for info in infos)
    demo = any(info.get("demo") for info in infos)
    code = context.formats.currency
    source = {
        "parameter": "as the report's currency parameter says",
        ENV_CURRENCY: f"from {ENV_CURRENCY}",
        "default": f"the default; set the currency parameter or {ENV_CURRENCY}",
    }[context.currency_source]
    shown = {
        k: v for k, v in parameters.items() if k not in {"notes", "logo", "title", "client_name"}
    }
    rows = [("Prepared for", context.client_name)] if context.client_name else []
    rows += [
        (
            "Currency",
            f"{code}, assumed ({source}): the Atribu API sends amounts without a currency",
        ),
        (
            "Parameters",
            # None is a parameter left to its default (the window, the currency).
            ", ".join(f"{k}={'default' if v is None else repr(v)}" for k, v in shown.items())
            or "none",
        ),
        ("Attribution model", _models_used(parameters, infos)),
        ("Data window", "; ".join(windows) or MISSING),
        (
            "Fetched at",
            (f"{fetched[0]} to {fetched[-1]}" if len(set(fetched)) > 1 else fetched[0])
            + (" (partly from the local cache)" if cached else "")
            if fetched
            else MISSING,
        ),
        ("atribu-pandas", __version__),
        ("Data", "DEMO (built-in sandbox)" if demo else "live (Atribu API)"),
    ]
    return rows


def _models_used(parameters: Mapping[str, Any], infos: Sequence[Mapping[str, Any]]) -> str:
    single = {str(i["params"]["model"]) for i in infos if i.get("params", {}).get("model")}
    # A model comparison records the models it loaded ("last_touch,first_touch,...").
    compared = [
        m
        for i in infos
        for m in str(i.get("params", {}).get("models", "")).split(",")
        if m and m not in single
    ]
    parts = sorted(single)
    if compared:
        chosen = list(dict.fromkeys(compared))
        names = (
            f"all {len(chosen)} models"
            if set(chosen) == set(vocabulary.MODELS)
            else f"models {', '.join(chosen)}"
        )
        baseline = parameters.get("model")
        parts.append(f"{names} (baseline {baseline})" if baseline else names)
    return ", ".join(parts) or str(parameters.get("model", MISSING))


def show_footer(parameters: Mapping[str, Any], *frames: pd.DataFrame) -> None:
    """Display the footer: currency assumed, parameters, model, window, fetch time, version.

    Parameters
    ----------
    parameters : mapping
        The report's parameters as the notebook used them (never the API key).
    *frames : pandas.DataFrame
        The frames the report is made from; their ``attrs["atribu"]`` give the model,
        window, fetch time and whether the data is demo data.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame()
    >>> frame.attrs["atribu"] = {"demo": True, "fetched_at": "2026-03-29T10:00:00Z"}
    >>> show_footer({"model": "linear"}, frame)  # doctest: +SKIP
    """
    rows = "".join(
        f"<tr><th style='text-align:left;padding-right:12px'>{escape(k)}</th>"
        f"<td style='text-align:left'>{escape(v)}</td></tr>"
        for k, v in footer_rows(parameters, frames)
    )
    display_html(
        '<footer class="atribu-report-footer" style="margin-top:24px;border-top:1px solid'
        f' #ccc;padding-top:8px;font-size:0.85em;color:#555"><table>{rows}</table></footer>'
    )
