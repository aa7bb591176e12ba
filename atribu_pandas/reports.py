"""Render the report notebooks to self-contained HTML, and the helpers the notebooks share.

A report is a notebook in ``notebooks/`` with a cell tagged ``parameters``. Rendering
one takes four steps, each refusing to go on when something is wrong:

1. the parameters are checked against the template's ``parameters`` cell (an unknown name
   or a bad value is refused, naming what is allowed) with the checks of
   :mod:`atribu_pandas.params`;
2. papermill runs the notebook in a kernel on this very interpreter, started by us so the
   API key reaches it through the environment only (never as a parameter);
3. nbconvert's ``HTMLExporter`` turns it into one HTML file with the charts as embedded PNG
   images and no script, style sheet or font fetched from the network;
4. the executed notebook and the HTML are searched for the API key (and anything shaped
   like an Atribu key) before either is written.

The notebooks themselves call :func:`resolve_window`, :func:`show_banner`,
:func:`show_kpis` and :func:`show_footer`, so every report computes its default window,
shows the demo banner and writes its footer the same way.

papermill, nbconvert and IPython are imported only when used: importing this module is cheap.
"""

from __future__ import annotations

import argparse
import ast
import datetime as dt
import html
import json
import os
import re
import site
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from atribu_pandas import params as _params
from atribu_pandas._version import __version__
from atribu_pandas.exceptions import ArgumentError, ReportError

if TYPE_CHECKING:
    import nbformat
    import pandas as pd

__all__ = [
    "COHORT_COLUMNS",
    "DEFAULT_WINDOW_DAYS",
    "KERNEL_NAME",
    "PAPERMILL_INTERNALS",
    "REMOTE_LOAD",
    "ROLLING_DAYS",
    "TREND_TOP_LIMIT",
    "ReportError",
    "add_report_arguments",
    "check_parameters",
    "demo_banner_html",
    "list_templates",
    "render_report",
    "resolve_window",
    "run_report",
    "run_templates",
    "show_banner",
    "show_footer",
    "show_kpis",
    "template_path",
]

# "The last 28 complete days": four whole weeks ending yesterday, so weekdays balance out.
DEFAULT_WINDOW_DAYS = 28
KERNEL_NAME = "python3"
# The trends report's `top`: the loader asks 10 ids per request, so 20 entities are two
# requests, and more lines than that cannot be told apart in one chart's legend.
TREND_TOP_LIMIT = (1, 20)
# The trends report's rolling mean: from no smoothing (1 day) to a quarter.
ROLLING_DAYS = (1, 90)
# The top-performer columns a cohort comparison can group by (top_performers' `cohort_by`).
COHORT_COLUMNS: tuple[str, ...] = (
    "cohort_key",
    "cohort_objective",
    "cohort_format",
    "cohort_audience_warmth",
    "creative_format",
)
# Notebooks in the template folder that are not reports (the interactive dashboard).
_NOT_REPORTS = frozenset({"explore"})
# Anything shaped like an Atribu key, live or sandbox: refused in any output even when the
# key in use is not known here (e.g. a sandbox the kernel started itself).
_KEY_PATTERN = re.compile(r"atb_(?:live|test)_[A-Za-z0-9]{8,}")
_ENV_KEY = "ATRIBU_API_KEY"
_ENV_BASE_URL = "ATRIBU_BASE_URL"
_ENV_KEYS = "ATRIBU_API_KEYS"
# A script, style sheet, font or image the browser would fetch when the file is opened.
_REMOTE_TAG = re.compile(
    r"<(script|link|img|iframe|source|video|audio|track|object|embed|image|use)\b[^>]*"
    r"\b(?:src|href|xlink:href|srcset|poster|data)\s*=\s*[\"']?(?:[^\"'>]*,\s*)?"
    r"(?:https?:)?//[^>]*>(?:\s*</\1>)?",
    re.IGNORECASE,
)
_REMOTE_CSS = re.compile(
    r"@import\s+(?:url\(\s*[\"']?|[\"'])(?:https?:)?//[^;\n]*;?", re.IGNORECASE
)
# What would still load something remote when the file is opened: any src or srcset
# (a srcset's later candidates too), a poster, an <object data>, a <link href>, an SVG
# <image>/<use>/<feImage> href or xlink:href, a CSS url() or @import. A plain <a href> is
# a link the reader may click, not a load, and stays. Tests import this very pattern.
REMOTE_LOAD = re.compile(
    r"(?:"
    r"\b(?:src|poster|data)\s*=\s*[\"']?\s*"
    r"|\bsrcset\s*=\s*[\"']?(?:[^\"'>]*,\s*)?"
    r"|<(?:link|image|use|feImage)\b[^>]*\b(?:xlink:)?href\s*=\s*[\"']?\s*"
    r"|url\(\s*[\"']?\s*"
    r"|@import\s+[\"']\s*"
    r")(?:(?:https?|ftp|wss?):)?//",
    re.IGNORECASE,
)

# The lab template without the CDN scripts (require.js, MathJax, mermaid, widget manager):
# the reports need none of them and a file opened offline must not try to fetch them.
_OFFLINE_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{% block jupyter_widgets %}{% endblock jupyter_widgets %}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{% block extra_css %}
<style type="text/css">
  body.jp-Notebook { max-width: 1100px; margin: 0 auto; padding: 0 16px; }
  .jp-Cell-inputWrapper .jp-InputPrompt, .jp-OutputPrompt { display: none; }
  .atribu-kpis { display: flex; flex-wrap: wrap; gap: 12px; margin: 8px 0; }
  .atribu-kpi { border: 1px solid #d0d7de; border-radius: 6px; padding: 8px 14px; }
  .atribu-kpi b { display: block; font-size: 1.5em; }
</style>
{% endblock extra_css %}
"""
_TEMPLATE_FILE = "atribu_offline.html.j2"


# --------------------------------------------------------------------------------------
# Helpers the notebooks call
# --------------------------------------------------------------------------------------


def resolve_window(
    date_from: Any = None,
    date_to: Any = None,
    *,
    days: int = DEFAULT_WINDOW_DAYS,
    today: dt.date | None = None,
) -> tuple[str, str]:
    """Return the report's window, filling a missing end from the last N complete days.

    This is the one implementation of "the last N complete days ending yesterday": the
    date presets of :mod:`atribu_pandas.widgets` call it too.

    Parameters
    ----------
    date_from, date_to : str, date, datetime, pandas.Timestamp, None or ""
        The window's inclusive ends. ``date_to`` defaults to yesterday (the last complete
        day); ``date_from`` defaults to ``days - 1`` days before ``date_to``.
    days : int, default 28
        Days in the window when ``date_from`` is missing.
    today : datetime.date, optional
        The current day; defaults to :meth:`datetime.date.today`.

    Returns
    -------
    tuple of str
        ``("YYYY-MM-DD", "YYYY-MM-DD")``.

    Raises
    ------
    ArgumentError
        A bad date, ``date_from`` after ``date_to`` or more than 366 days.

    Examples
    --------
    >>> import datetime as dt
    >>> resolve_window(None, None, today=dt.date(2026, 3, 29))
    ('2026-03-01', '2026-03-28')
    >>> resolve_window("2026-03-10", "", today=dt.date(2026, 3, 29))
    ('2026-03-10', '2026-03-28')
    >>> resolve_window(days=7, today=dt.date(2026, 3, 29))
    ('2026-03-22', '2026-03-28')
    """
    today = today or dt.date.today()
    end = (
        _params.check_date(date_to, "date_to")
        if date_to not in (None, "")
        else today - dt.timedelta(days=1)
    )
    start = (
        _params.check_date(date_from, "date_from")
        if date_from not in (None, "")
        else end - dt.timedelta(days=days - 1)
    )
    return _params.check_date_range(start, end)


def _attrs(frame: Any) -> dict[str, Any]:
    info = getattr(frame, "attrs", {}).get("atribu", {})
    return info if isinstance(info, dict) else {}


def demo_banner_html(*, key_hint: bool = True) -> str:
    """Return the "demo data" banner as HTML: the one wording reports and widgets show.

    Parameters
    ----------
    key_hint : bool, default True
        Add "Set ATRIBU_API_KEY to see your own data." (leave it out when the caller
        chose the sandbox on purpose, e.g. passed a sandbox client).

    Returns
    -------
    str
        A ``<div class="atribu-demo-banner">``.

    Examples
    --------
    >>> "Demo data." in demo_banner_html()
    True
    >>> "ATRIBU_API_KEY" in demo_banner_html(key_hint=False)
    False
    """
    hint = " Set ATRIBU_API_KEY to see your own data." if key_hint else ""
    return (
        '<div class="atribu-demo-banner" style="background:#fff4ce;color:#3d2e00;'
        "border:2px solid #c99a00;border-radius:6px;padding:10px 14px;"
        'margin:8px 0;font-size:1.1em"><b>Demo data.</b> These figures are demo data from '
        "the built-in sandbox, a made-up advertiser, not from your Atribu account."
        f"{hint}</div>"
    )


def show_banner(*frames: pd.DataFrame) -> bool:
    """Display a "demo data" banner when any frame came from the sandbox.

    Parameters
    ----------
    *frames : pandas.DataFrame
        Frames returned by the loaders (their ``attrs["atribu"]["demo"]`` is read).

    Returns
    -------
    bool
        Whether the data is demo data (the banner was shown).

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame()
    >>> frame.attrs["atribu"] = {"demo": False}
    >>> show_banner(frame)
    False
    """
    demo = any(bool(_attrs(frame).get("demo")) for frame in frames)
    if demo:
        from IPython.display import HTML, display

        display(HTML(demo_banner_html()))
    return demo


def show_kpis(kpis: Mapping[str, str]) -> None:
    """Display headline figures as a row of cards.

    Parameters
    ----------
    kpis : mapping of str to str
        Label to formatted value, in display order.

    Examples
    --------
    >>> show_kpis({"Spend": "12,345", "ROAS": "3.1x"})  # doctest: +SKIP
    """
    from IPython.display import HTML, display

    cards = "".join(
        f'<div class="atribu-kpi">{html.escape(label)}<b>{html.escape(value)}</b></div>'
        for label, value in kpis.items()
    )
    display(HTML(f'<div class="atribu-kpis">{cards}</div>'))


def _footer_rows(parameters: Mapping[str, Any], frames: Sequence[Any]) -> list[tuple[str, str]]:
    infos = [_attrs(frame) for frame in frames]
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
    rows = [
        ("Parameters", ", ".join(f"{k}={v!r}" for k, v in parameters.items()) or "none"),
        ("Attribution model", _models_used(parameters, infos)),
        ("Data window", "; ".join(windows) or "n/a"),
        (
            "Fetched at",
            (f"{fetched[0]} to {fetched[-1]}" if len(set(fetched)) > 1 else fetched[0])
            + (" (partly from the local cache)" if cached else "")
            if fetched
            else "n/a",
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
            if set(chosen) == set(_params.MODELS)
            else f"models {', '.join(chosen)}"
        )
        baseline = parameters.get("model")
        parts.append(f"{names} (baseline {baseline})" if baseline else names)
    return ", ".join(parts) or str(parameters.get("model", "n/a"))


def show_footer(parameters: Mapping[str, Any], *frames: pd.DataFrame) -> None:
    """Display the report's footer: parameters, model, data window, fetch time, version, demo.

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
    from IPython.display import HTML, display

    rows = "".join(
        f"<tr><th style='text-align:left;padding-right:12px'>{html.escape(k)}</th>"
        f"<td style='text-align:left'>{html.escape(v)}</td></tr>"
        for k, v in _footer_rows(parameters, frames)
    )
    display(
        HTML(
            '<footer class="atribu-report-footer" style="margin-top:24px;border-top:1px solid'
            f' #ccc;padding-top:8px;font-size:0.85em;color:#555"><table>{rows}</table></footer>'
        )
    )


# --------------------------------------------------------------------------------------
# Templates and their parameters
# --------------------------------------------------------------------------------------


def _template_dir() -> Path:
    here = Path(__file__).resolve().parent
    # Installed wheel: notebooks ship inside the package; a source checkout keeps them
    # beside it (editable installs point at the checkout).
    for candidate in (here / "notebooks", here.parent / "notebooks"):
        if candidate.is_dir():
            return candidate
    raise ReportError(f"the report templates are missing (looked in {here / 'notebooks'})")


def _template_names() -> list[str]:
    return sorted(p.stem for p in _template_dir().glob("*.ipynb") if p.stem not in _NOT_REPORTS)


def template_path(name: str | os.PathLike[str]) -> Path:
    """Return the notebook of a template name, or check a path to a notebook.

    Parameters
    ----------
    name : str or path-like
        A template name (see :func:`list_templates`) or the path of any ``.ipynb``
        with a cell tagged ``parameters``.

    Raises
    ------
    ReportError
        No such template, naming the templates there are.

    Examples
    --------
    >>> template_path("campaign_performance").name
    'campaign_performance.ipynb'
    """
    text = os.fspath(name)
    if text.endswith(".ipynb"):
        path = Path(text)
        if not path.is_file():
            raise ReportError(f"no notebook at {path}")
        return path
    if text in _template_names():
        return _template_dir() / f"{text}.ipynb"
    raise ReportError(
        f"no report template named {text!r}: choose one of {', '.join(_template_names())}"
    )


def _parameters_cell(path: Path) -> str:
    # Plain JSON, not nbformat or papermill: this runs before the kernel starts, and
    # reading one cell must not cost the import of a notebook library.
    try:
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError, AttributeError) as err:
        raise ReportError(f"{path} is not a readable notebook: {err}") from err
    for cell in cells:
        if cell.get("cell_type") == "code" and "parameters" in cell.get("metadata", {}).get(
            "tags", []
        ):
            source = cell.get("source", "")
            return "".join(source) if isinstance(source, list) else str(source)
    raise ReportError(f"{path.name} has no cell tagged 'parameters': it is not a template")


def _inspect(path: Path) -> dict[str, dict[str, Any]]:
    """The parameters cell's names, with ``default`` (source text), ``value`` and ``help``.

    Only top-level ``name = value`` lines count, as with papermill's ``inspect_notebook``;
    ``help`` is the comment that ends the line.
    """
    source = _parameters_cell(path)
    try:
        tree = ast.parse(source)
    except SyntaxError as err:
        raise ReportError(f"{path.name}: the parameters cell is not valid Python: {err}") from err
    lines = source.splitlines()
    found: dict[str, dict[str, Any]] = {}
    for node in tree.body:
        target = node.targets[0] if isinstance(node, ast.Assign) else getattr(node, "target", None)
        value = getattr(node, "value", None)
        if not isinstance(target, ast.Name) or value is None:
            continue
        default = ast.get_source_segment(source, value) or ""
        rest = lines[node.end_lineno - 1][node.end_col_offset :].strip()  # type: ignore[operator]
        try:
            parsed = ast.literal_eval(value)
        except ValueError:
            parsed = default
        found[target.id] = {
            "name": target.id,
            "default": default,
            "value": parsed,
            "help": rest[1:].strip() if rest.startswith("#") else "",
        }
    return found


def list_templates() -> dict[str, dict[str, Any]]:
    """List the report templates and their parameters with defaults.

    The parameters are read from each template's ``parameters`` cell (its top-level
    ``name = value`` lines, as papermill's ``inspect_notebook`` reads them); a default of
    ``None`` for a date means "the last 28 complete days".

    Returns
    -------
    dict
        Template name to ``{parameter: default}``, in the cell's order.

    Examples
    --------
    >>> templates = list_templates()
    >>> templates["campaign_performance"]["model"]
    'last_touch'
    """
    return {
        name: {p: info["value"] for p, info in _inspect(template_path(name)).items()}
        for name in _template_names()
    }


def _check_top(bounds: tuple[int, int]) -> Callable[[Any], Any]:
    return lambda value: _params.check_limit(value, bounds, "top")


def _check_cohort(value: Any) -> str:
    if not isinstance(value, str) or value not in COHORT_COLUMNS:
        raise ArgumentError("cohort_by", value, "one of " + ", ".join(COHORT_COLUMNS))
    return value


def _check_day(name: str) -> Callable[[Any], Any]:
    return lambda value: (
        value if value in (None, "") else _params.check_date(value, name).isoformat()
    )


# Checks by parameter name, for any template that declares the name.
_CHECKS: dict[str, Callable[[Any], Any]] = {
    "date_from": _check_day("date_from"),
    "date_to": _check_day("date_to"),
    "model": _params.check_model,
    "level": _params.check_level,
    "window": _params.check_window,
}
# What each shipped template does with its own parameters.
_TEMPLATE_CHECKS: dict[str, dict[str, Callable[[Any], Any]]] = {
    "campaign_performance": {"top": _check_top(_params.CAMPAIGNS_LIMIT)},
    "attribution_models": {"top": _check_top(_params.CAMPAIGNS_LIMIT)},
    "top_performers": {
        "top": _check_top(_params.TOP_PERFORMERS_LIMIT),
        "limit": lambda value: _params.check_limit(value, _params.TOP_PERFORMERS_LIMIT),
        "cohort_by": _check_cohort,
    },
    "agency_overview": {"top": _check_top(_params.TOP_PERFORMERS_LIMIT)},
    "trends": {
        "top": _check_top(TREND_TOP_LIMIT),
        "rolling": lambda value: _params.check_limit(value, ROLLING_DAYS, "rolling"),
    },
}


def _checks_for(path: Path) -> dict[str, Callable[[Any], Any]]:
    shipped = path.resolve().parent == _template_dir().resolve()
    return _CHECKS | (_TEMPLATE_CHECKS.get(path.stem, {}) if shipped else {})


def _check_value(
    name: str, value: Any, default: Any, checks: Mapping[str, Callable[[Any], Any]]
) -> Any:
    if name in checks:
        return checks[name](value)
    # Another parameter of the template: keep the default's type.
    if default is not None and not isinstance(value, type(default)):
        raise ArgumentError(name, value, f"a {type(default).__name__} like the default {default!r}")
    return value


def check_parameters(
    name: str | os.PathLike[str], parameters: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Check parameters against a template's ``parameters`` cell and normalise them.

    Parameters
    ----------
    name : str or path-like
        A template name or a notebook path.
    parameters : mapping, optional
        Values to override; names must be among the template's parameters.

    Returns
    -------
    dict
        The given parameters, normalised (dates as ``YYYY-MM-DD``).

    Raises
    ------
    ReportError
        An unknown name or a bad value; the message names what is allowed and the
        :class:`~atribu_pandas.exceptions.ArgumentError` is the ``__cause__``.

    Examples
    --------
    >>> check_parameters("campaign_performance", {"model": "linear"})
    {'model': 'linear'}
    """
    path = template_path(name)
    declared = _inspect(path)
    checks = _checks_for(path)
    checked: dict[str, Any] = {}
    try:
        for key, value in (parameters or {}).items():
            if key not in declared:
                raise ArgumentError(
                    key, value, f"a parameter of {path.stem}: one of {', '.join(declared)}"
                )
            checked[key] = _check_value(key, value, declared[key]["value"], checks)
        if "date_from" in declared or "date_to" in declared:
            # The notebook fills a missing end itself; check the window it will use.
            merged = {k: info["value"] for k, info in declared.items()} | checked
            resolve_window(merged.get("date_from"), merged.get("date_to"))
    except ArgumentError as err:
        raise ReportError(f"{path.stem}: {err}") from err
    return checked


# --------------------------------------------------------------------------------------
# Running and exporting
# --------------------------------------------------------------------------------------


def _kernel_env(demo: bool) -> dict[str, str]:
    env = dict(os.environ)
    if demo:
        # No key and no URL: the loaders in the kernel start the sandbox themselves.
        env.pop(_ENV_KEY, None)
        env.pop(_ENV_BASE_URL, None)
        env.pop(_ENV_KEYS, None)  # nor a workspace's keys (agency_overview)
    # A tqdm bar in the kernel would be a widget, and widgets pull in CDN JavaScript.
    env["TQDM_DISABLE"] = "1"
    env["ATRIBU_PROGRESS"] = "0"
    env["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    # Silences debugpy's "frozen modules" note on every kernel start.
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    # The kernel must import the very atribu_pandas running here (a source checkout is
    # not on the kernel's path when its working directory is elsewhere).
    package_root = str(Path(__file__).resolve().parent.parent)
    if package_root not in {str(Path(p).resolve()) for p in site.getsitepackages()}:
        paths = [package_root, *filter(None, env.get("PYTHONPATH", "").split(os.pathsep))]
        env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
    return env


def _start_kernel(env: Mapping[str, str], cwd: str) -> Any:
    """Start a kernel on this interpreter (``sys.executable``), whatever kernelspecs exist.

    A ``python3`` kernelspec elsewhere on the machine (``~/.local/share/jupyter``) could
    point at another Python without atribu-pandas; ipykernel's own spec always runs the
    interpreter we are running in, i.e. the venv's.
    """
    from ipykernel.kernelspec import RESOURCES, get_kernel_dict
    from jupyter_client import AsyncKernelManager
    from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
    from jupyter_core.utils import run_sync

    class _ThisPython(KernelSpecManager):  # type: ignore[misc]
        def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
            return KernelSpec(resource_dir=RESOURCES, **get_kernel_dict())

    km = AsyncKernelManager(kernel_name=KERNEL_NAME, kernel_spec_manager=_ThisPython())
    # The kernel's own stderr carries only ipykernel's start-up notes: what the cells
    # print reaches the notebook through the kernel protocol, not through these streams.
    run_sync(km.start_kernel)(
        env=dict(env), cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return km


# Imported by every report; importing them in the kernel early binds no name.
_WARM_UP = "; ".join(
    f"__import__({module!r})"
    for module in ("pandas", "matplotlib.pyplot", "atribu_pandas", "atribu_pandas.plotting")
)


def _warm_up(km: Any) -> Any:
    """Queue the heavy imports in the kernel without waiting for them."""
    import zmq
    from jupyter_client import BlockingKernelClient

    # A blocking client with its own zmq context: it must not share the asyncio context
    # and loop of the client papermill creates next.
    kc = BlockingKernelClient(context=zmq.Context())
    kc.load_connection_info(km.get_connection_info())
    kc.start_channels(iopub=False, stdin=False, hb=False, control=False)
    # silent: no output, no execution count; stop_on_error=False: a failing import must
    # not abort the notebook's first cell queued behind it (the cell then fails itself).
    kc.execute(_WARM_UP, silent=True, store_history=False, stop_on_error=False)
    return kc


def _stop_kernel(km: Any) -> None:
    from jupyter_core.utils import run_sync

    if km.has_kernel:
        run_sync(km.shutdown_kernel)(now=True)


def _secrets() -> list[str]:
    # Even with demo=True (the kernel gets no key) the caller's key must not leak.
    key = os.environ.get(_ENV_KEY, "")
    # A workspace's keys ("label=key,label=key") must not leak either.
    keys = [e.partition("=")[2].strip() for e in os.environ.get(_ENV_KEYS, "").split(",")]
    return [k for k in [key, *keys] if k]


def _check_no_key(text: str, secrets: Iterable[str], what: str) -> None:
    """The one leak check of every output: refuse ``text`` holding a key."""
    if any(s and s in text for s in secrets) or _KEY_PATTERN.search(text):
        raise ReportError(
            f"the {what} contains an API key; nothing was written. Do not print the key "
            "or the client's settings in a template."
        )


def _redact(text: str, secrets: Iterable[str]) -> str:
    """Replace every key in ``text`` by its masked form (``…`` and its last 4 characters)."""
    from atribu_pandas.config import mask_key

    for secret in secrets:
        if secret:
            text = text.replace(secret, mask_key(secret))
    return _KEY_PATTERN.sub(lambda match: mask_key(match.group(0)), text)


def _output_paths(template: Path, output: str | os.PathLike[str] | None) -> tuple[Path, Path]:
    """The HTML file and the executed notebook beside it (``<stem>.executed.ipynb``)."""
    html_path = Path(output) if output is not None else Path("reports") / f"{template.stem}.html"
    nb_path = html_path.with_name(f"{html_path.stem}.executed.ipynb")
    # Refused like a bad parameter (the CLI exits with 2): nothing has run yet.
    if html_path.suffix.lower() == ".ipynb":
        raise ReportError(
            f"the output {html_path} ends in .ipynb, but the report is HTML: give an .html "
            f"file (e.g. {html_path.with_suffix('.html')}); the executed notebook is written "
            "beside it"
        ) from ArgumentError("output", str(html_path), "an .html file")
    if nb_path.resolve() == template.resolve():
        raise ReportError(
            f"the executed notebook {nb_path} would overwrite the template {template}: "
            "choose another output"
        ) from ArgumentError(
            "output", str(html_path), "a path whose .executed.ipynb is not the template"
        )
    return html_path, nb_path


def _notebook_title(nb: nbformat.NotebookNode, fallback: str) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return fallback


def _strip_widgets(nb: nbformat.NotebookNode) -> None:
    # Widget state would make nbconvert embed a widget manager from a CDN.
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data")
            if data:
                data.pop("application/vnd.jupyter.widget-view+json", None)
                data.pop("application/vnd.jupyter.widget-state+json", None)


def _export_html(nb: nbformat.NotebookNode, title: str, keep_code: bool) -> str:
    import jinja2
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="lab",
        template_file=_TEMPLATE_FILE,
        extra_loaders=[jinja2.DictLoader({_TEMPLATE_FILE: _OFFLINE_TEMPLATE})],
        exclude_input=not keep_code,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    # Whatever a future nbconvert template adds, a report must open offline.
    body = _REMOTE_TAG.sub("", body)
    body = _REMOTE_CSS.sub("", body)
    if REMOTE_LOAD.search(body):
        raise ReportError("the exported HTML still loads a resource from the network")
    return str(body)


def _failed_cell(nb: nbformat.NotebookNode) -> tuple[int, str] | None:
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                return index, f"{output.get('ename')}: {output.get('evalue')}"
        if cell.get("metadata", {}).get("papermill", {}).get("exception"):
            return index, "the cell did not finish"
    return None


def _interrupted_cell(nb: nbformat.NotebookNode) -> int | None:
    """The cell that was running when execution stopped with an exception."""
    # papermill stamps start_time on each cell it starts (and only those); its clean-up
    # then marks every cell "completed", so the status no longer says which one ran last.
    started = [
        index
        for index, cell in enumerate(nb.cells)
        if cell.get("metadata", {}).get("papermill", {}).get("start_time")
    ]
    if started:
        return started[-1]
    executed = [i for i, c in enumerate(nb.cells) if c.get("execution_count") is not None]
    after = executed[-1] + 1 if executed else 0
    return next(
        (
            i
            for i, c in enumerate(nb.cells)
            if i >= after and c.cell_type == "code" and not c.get("outputs")
        ),
        None,
    )


def _first_line(nb: nbformat.NotebookNode, index: int | None) -> str:
    if index is None or not 0 <= index < len(nb.cells):
        return ""
    lines = [line.strip() for line in nb.cells[index].source.splitlines() if line.strip()]
    line = lines[0] if lines else ""
    return line if len(line) <= 80 else line[:77] + "..."


def render_report(
    name: str | os.PathLike[str],
    *,
    output: str | os.PathLike[str] | None = None,
    parameters: Mapping[str, Any] | None = None,
    demo: bool = False,
    keep_code: bool = False,
    progress: bool = True,
) -> Path:
    """Run a report template and export it to a self-contained HTML file.

    Parameters
    ----------
    name : str or path-like
        A template name (see :func:`list_templates`) or the path of a notebook with a
        cell tagged ``parameters``.
    output : str or path-like, optional
        The HTML file to write; default ``reports/<name>.html`` under the current
        directory. An ``.ipynb`` name is refused. The executed notebook is written beside
        it as ``<stem>.executed.ipynb``.
    parameters : mapping, optional
        Values for the template's parameters (checked first, before the kernel starts;
        see :func:`check_parameters`).
    demo : bool, default False
        Use the built-in sandbox even when ``ATRIBU_API_KEY`` is set: the kernel gets no key
        and no base URL, and the loaders start the sandbox inside it.
    keep_code : bool, default False
        Show the code cells in the HTML (hidden by default: readers want the answers).
    progress : bool, default True
        Show a progress bar (one step per cell) on stderr while the notebook runs.

    Returns
    -------
    pathlib.Path
        The HTML file.

    Raises
    ------
    ReportError
        A refused parameter or output path (nothing runs); a failing cell or a kernel
        that died or timed out (``.cell`` is its index in the executed notebook, which
        has papermill's injected parameters cell, and the message quotes its first line;
        ``.notebook_path`` is the partly executed notebook, kept with any key masked);
        an API key found in an output (then nothing is written); or the export failing.
        After a failure that ran the notebook, no HTML is left at ``output`` (an HTML
        file from an earlier run there is removed).

    Examples
    --------
    >>> path = render_report("campaign_performance", demo=True, progress=False)  # doctest: +SKIP
    >>> path.name  # doctest: +SKIP
    'campaign_performance.html'
    """
    path = template_path(name)
    html_path, nb_path = _output_paths(path, output)
    # Checked before the kernel starts: reading the parameters cell costs milliseconds,
    # and a refused parameter must not cost a kernel start.
    checked = check_parameters(path, parameters)
    secrets = _secrets()

    with tempfile.TemporaryDirectory(prefix="atribu-report-") as workdir:
        # The kernel imports the heavy libraries (_warm_up) while this process imports
        # papermill: on two cores that overlap is most of the gap to a bare
        # `jupyter nbconvert --execute`.
        km = _start_kernel(_kernel_env(demo), workdir)
        warm = _warm_up(km)
        try:
            nb, crash = _execute(path, checked, km, progress)
        finally:
            warm.stop_channels()
            warm.context.destroy(linger=0)
            _stop_kernel(km)

    import nbformat

    html_path.parent.mkdir(parents=True, exist_ok=True)
    failed = crash or _failed_cell(nb)
    if failed is not None:
        # A report already at the output path is left as it was: this run made no new one.
        index, error = failed
        kept = _redact(nbformat.writes(nb), secrets)
        # The masked copy is checked like any output; should a key survive masking
        # (it cannot, short of a bug), nothing is kept.
        _check_no_key(kept, secrets, "partly executed notebook")
        _write_atomic(nb_path, kept)
        line = _first_line(nb, index)
        where = "the notebook" if index is None else f"cell {index}"
        where += f" ({line!r})" if line else ""
        raise ReportError(
            _redact(
                f"{path.stem}: {where} failed with {error}; the partly executed notebook "
                f"is kept at {nb_path}",
                secrets,
            ),
            cell=index,
            notebook_path=str(nb_path),
        )
    _strip_widgets(nb)
    page = _export_html(nb, _notebook_title(nb, path.stem), keep_code)
    nb_text = nbformat.writes(nb)
    # Check both before writing either, so a leak leaves no file behind.
    _check_no_key(nb_text, secrets, "executed notebook")
    _check_no_key(page, secrets, "HTML report")
    _write_atomic(nb_path, nb_text)
    _write_atomic(html_path, page)
    return html_path


def _write_atomic(path: Path, text: str) -> None:
    """Write to a temporary file beside ``path``, renamed over it only once complete."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# The papermill functions _execute calls: internals, not its documented API (which writes
# the notebook to disk after every cell, before we could check it for the key). A test
# imports each, so an upgrade that moves one fails loudly.
PAPERMILL_INTERNALS: tuple[tuple[str, str], ...] = (
    ("papermill.engines", "papermill_engines"),
    ("papermill.execute", "prepare_notebook_metadata"),
    ("papermill.execute", "remove_error_markers"),
    ("papermill.iorw", "load_notebook_node"),
    ("papermill.parameterize", "parameterize_notebook"),
)


def _execute(
    path: Path, parameters: Mapping[str, Any], km: Any, progress: bool
) -> tuple[nbformat.NotebookNode, tuple[int | None, str] | None]:
    """Run the notebook; return it and, if execution stopped early, (cell, reason)."""
    from nbclient.exceptions import CellControlSignal, DeadKernelError
    from papermill.engines import papermill_engines
    from papermill.exceptions import PapermillException
    from papermill.execute import prepare_notebook_metadata, remove_error_markers
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    nb = load_notebook_node(str(path))
    if parameters:
        nb = parameterize_notebook(nb, dict(parameters), kernel_name=KERNEL_NAME)
    nb = prepare_notebook_metadata(nb, str(path), "", False)
    nb = remove_error_markers(nb)
    try:
        # nbclient runs the cells of this very object, so `nb` keeps what ran even when
        # execution stops with an exception.
        papermill_engines.execute_notebook_with_engine(
            None,
            nb,
            input_path=str(path),
            output_path=None,
            kernel_name=KERNEL_NAME,
            progress_bar=progress,
            log_output=False,
            start_timeout=60,
            km=km,
        )
    except DeadKernelError as err:
        reason = f"DeadKernelError: the kernel died ({err or 'no reply'}); the cell may have "
        return nb, (_interrupted_cell(nb), reason + "exited Python or run out of memory")
    # A cell timeout (CellTimeoutError), a lost kernel connection, papermill refusing the
    # notebook: all stop the run; the notebook so far is still worth keeping.
    except (CellControlSignal, PapermillException, RuntimeError, TimeoutError, OSError) as err:
        return nb, (_interrupted_cell(nb), f"{type(err).__name__}: {err}")
    return nb, None


# --------------------------------------------------------------------------------------
# Command line (wired by atribu_pandas.cli)
# --------------------------------------------------------------------------------------


def add_report_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``report`` command's arguments to a parser.

    Examples
    --------
    >>> import argparse
    >>> parser = argparse.ArgumentParser()
    >>> add_report_arguments(parser)
    >>> parser.parse_args(["campaign_performance", "--demo"]).demo
    True
    """
    parser.add_argument("name", help="a template (see `atribu-pandas templates`) or a .ipynb")
    parser.add_argument("--date-from", help="first day, YYYY-MM-DD (default: 28 days back)")
    parser.add_argument("--date-to", help="last day, YYYY-MM-DD (default: yesterday)")
    parser.add_argument("--model", help="attribution model: " + ", ".join(_params.MODELS))
    parser.add_argument("--level", help="entity level: " + ", ".join(_params.LEVELS))
    parser.add_argument("--window", help="scoring window: " + ", ".join(_params.WINDOWS))
    parser.add_argument(
        "-p",
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="any other template parameter (a Python literal, else a string); repeatable",
    )
    parser.add_argument("-o", "--output", help="HTML file (default: reports/NAME.html)")
    parser.add_argument("--demo", action="store_true", help="use the built-in sandbox")
    parser.add_argument("--keep-code", action="store_true", help="show the code in the HTML")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar")


def _literal(text: str) -> Any:
    try:
        return ast.literal_eval(text)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        # Not a literal Python can read (or too deeply nested to): the text as it is.
        return text


def run_report(args: argparse.Namespace) -> int:
    """Run the ``report`` command from parsed arguments; print the HTML path.

    Returns
    -------
    int
        0 on success, 2 for a refused parameter, 1 for any other report failure.

    Examples
    --------
    >>> import argparse
    >>> parser = argparse.ArgumentParser()
    >>> add_report_arguments(parser)
    >>> run_report(parser.parse_args(["campaign_performance", "--demo"]))  # doctest: +SKIP
    0
    """
    parameters: dict[str, Any] = {}
    for option in ("date_from", "date_to", "model", "level", "window"):
        value = getattr(args, option, None)
        if value is not None:
            parameters[option] = value
    for item in args.param:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            print(f"error: -p expects NAME=VALUE, got {item!r}", file=sys.stderr)
            return 2
        parameters[key.strip()] = _literal(value.strip())
    try:
        path = render_report(
            args.name,
            output=args.output,
            parameters=parameters,
            demo=args.demo,
            keep_code=args.keep_code,
            progress=not args.quiet,
        )
    except ReportError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2 if isinstance(err.__cause__, ArgumentError) else 1
    print(path)
    return 0


def run_templates(args: argparse.Namespace | None = None) -> int:
    """Print every template with its parameters, defaults and help.

    Examples
    --------
    >>> run_templates()  # doctest: +SKIP
    0
    """
    for name in _template_names():
        print(name)
        for param, info in _inspect(template_path(name)).items():
            help_text = f"  # {info['help']}" if info.get("help") else ""
            print(f"    {param} = {info['default']}{help_text}")
    return 0
