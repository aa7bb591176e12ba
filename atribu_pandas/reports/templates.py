"""Report templates: where they live, their ``parameters`` cell, and the checks of each value.

A report is a notebook in ``notebooks/`` with a cell tagged ``parameters``. Its top-level
``name = value`` lines are the parameters; each given value is checked here, before any
kernel starts, with the checks of ``core.params`` (and Babel's for the
currency and the locale), so a bad value is refused naming what is allowed.
"""

from __future__ import annotations

import ast
import copy
import functools
import json
import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from atribu_pandas.core import params as _params
from atribu_pandas.core.config import resolve_currency
from atribu_pandas.core.dates import resolve_window
from atribu_pandas.core.language import check_language, gettext, resolve_language
from atribu_pandas.core.params import check_currency
from atribu_pandas.display.formats import DEFAULT_LOCALE, check_locale
from atribu_pandas.exceptions import ArgumentError, ReportError
from atribu_pandas.reports.logo import check_logo

__all__ = [
    "COHORT_COLUMNS",
    "ROLLING_DAYS",
    "TEXT_LIMITS",
    "TREND_TOP_LIMIT",
    "check_parameters",
    "inspect_template",
    "list_templates",
    "read_template",
    "report_locale",
    "report_title",
    "template_names",
    "template_path",
]

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
# The longest text each parameter takes, in characters: a heading on one or two lines,
# a client's name, a page of notes; any other text parameter (-p) gets the last.
TEXT_LIMITS: dict[str, int] = {"title": 150, "client_name": 120, "notes": 5_000, "other": 1_000}
# Notebooks in the template folder that are not reports (the interactive dashboard).
_NOT_REPORTS = frozenset({"explore"})


def _template_dir() -> Path:
    here = Path(__file__).resolve().parents[1]
    # Installed wheel: notebooks ship inside the package; a source checkout keeps them
    # beside it (editable installs point at the checkout).
    for candidate in (here / "notebooks", here.parent / "notebooks"):
        if candidate.is_dir():
            return candidate
    raise ReportError(f"the report templates are missing (looked in {here / 'notebooks'})")


def template_names() -> list[str]:
    """Return the names of the shipped report templates, sorted.

    Examples
    --------
    >>> "trends" in template_names()
    True
    """
    return sorted(p.stem for p in _template_dir().glob("*.py") if p.stem not in _NOT_REPORTS)


def template_path(name: str | os.PathLike[str]) -> Path:
    """Return the source of a template name, or check a path to a notebook.

    The shipped templates are notebooks kept as Python files in jupytext's percent
    format (``# %%`` starts a cell); a copy of one, or any ``.ipynb``, runs as well.

    Parameters
    ----------
    name : str or path-like
        A template name (see :func:`list_templates`) or the path of a ``.py`` (percent
        format) or ``.ipynb`` notebook with a cell tagged ``parameters``.

    Returns
    -------
    pathlib.Path
        The shipped template's ``.py`` file, or the given notebook's path (it exists).

    Raises
    ------
    ReportError
        No such template, naming the templates there are.

    Examples
    --------
    >>> template_path("campaign_performance").name
    'campaign_performance.py'
    """
    text = os.fspath(name)
    if text.endswith((".ipynb", ".py")):
        path = Path(text)
        if not path.is_file():
            raise ReportError(f"no notebook at {path}") from ArgumentError(
                "name", text, "an existing .ipynb or .py file, or a template name"
            )
        return path
    if text in template_names():
        return _template_dir() / f"{text}.py"
    allowed = ", ".join(template_names())
    # A refusal (exit 2): nothing ran.
    raise ReportError(
        f"no report template named {text!r}: choose one of {allowed}"
    ) from ArgumentError("name", text, f"a template: {allowed}, or a .py or .ipynb path")


def read_template(path: Path) -> Any:
    """The template as an nbformat notebook: a ``.py`` through jupytext, else nbformat.

    Examples
    --------
    >>> nb = read_template(template_path("trends"))
    >>> nb.cells[0].metadata["tags"]
    ['parameters']
    """
    try:
        stat = path.stat()
        # A batch reads one template per client: parsed once, a fresh copy each time.
        return copy.deepcopy(_parsed_template(path.resolve(), stat.st_mtime_ns, stat.st_size))
    except (OSError, ValueError) as err:
        raise ReportError(f"{path} is not a readable notebook: {err}") from err


@functools.lru_cache(maxsize=8)
def _parsed_template(path: Path, mtime_ns: int, size: int) -> Any:
    """The template at ``path`` as it was at ``mtime_ns`` and ``size`` (the cache's key:
    an edited template is read again)."""
    if path.suffix == ".py":
        import jupytext

        return jupytext.read(path, fmt="py:percent")
    import nbformat

    return nbformat.read(path, as_version=4)


# A percent-format cell marker with the parameters tag: `# %% tags=["parameters"]`.
_PERCENT_PARAMETERS = re.compile(r'^# %%.*tags=\[[^\]]*"parameters"[^\]]*\].*$', re.M)
_PERCENT_CELL = re.compile(r"^# %%", re.M)


def _parameters_cell(path: Path) -> str:
    # Read directly (plain text or JSON), not through jupytext or nbformat: this runs
    # before the kernel starts, and reading one cell must not cost a notebook library.
    if path.suffix == ".py":
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, ValueError) as err:
            raise ReportError(f"{path} is not a readable notebook: {err}") from err
        start = _PERCENT_PARAMETERS.search(text)
        if start is None:
            raise ReportError(
                f"{path.name} has no cell tagged 'parameters' "
                '(# %% tags=["parameters"]): it is not a template'
            )
        end = _PERCENT_CELL.search(text, start.end())
        return text[start.end() : end.start() if end else len(text)].strip("\n")
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


def inspect_template(path: Path) -> dict[str, dict[str, Any]]:
    """Return the parameters cell's names, with ``default`` (source), ``value`` and ``help``.

    Only top-level ``name = value`` lines count, as with papermill's ``inspect_notebook``;
    ``help`` is the comment that ends the line. Read as plain JSON: no kernel, no
    notebook library.

    Examples
    --------
    >>> info = inspect_template(template_path("trends"))
    >>> info["rolling"]["value"], info["rolling"]["help"]
    (7, 'days in the rolling mean')
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
        name: {p: info["value"] for p, info in inspect_template(template_path(name)).items()}
        for name in template_names()
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


def _check_text(name: str, *, one_line: bool = True) -> Callable[[Any], Any]:
    limit = TEXT_LIMITS.get(name, TEXT_LIMITS["other"])
    allowed = f"{'one line of ' if one_line else ''}text of at most {limit:,} characters"

    def check(value: Any) -> str:
        if not isinstance(value, str):
            raise ArgumentError(name, value, allowed)
        if len(value) > limit:
            raise ArgumentError(name, f"({len(value):,} characters)", allowed)
        if one_line and any(c in value for c in "\r\n"):
            raise ArgumentError(name, value, allowed)
        return value

    return check


def _check_optional_currency(value: Any) -> str | None:
    return None if value in (None, "") else check_currency(value)


def _check_logo(value: Any) -> str | None:
    # The kernel runs in a scratch folder: give it the absolute path.
    return None if value in (None, "") else str(check_logo(value))


# Checks by parameter name, for any template that declares the name.
_CHECKS: dict[str, Callable[[Any], Any]] = {
    # Who and what the report is about (every shipped template declares these).
    "client_name": _check_text("client_name"),
    "title": _check_text("title"),
    "notes": _check_text("notes", one_line=False),
    "currency": _check_optional_currency,
    "locale": check_locale,
    "language": lambda value: None if value in (None, "") else check_language(value),
    "logo": _check_logo,
    "date_from": _check_day("date_from"),
    "date_to": _check_day("date_to"),
    "model": _params.check_model,
    "level": _params.check_level,
    "window": _params.check_window,
    # A client's goals (campaign_performance, trends): refused before any request.
    "target_roas": lambda value: _params.check_target(value, "target_roas"),
    "target_cpa": lambda value: _params.check_target(value, "target_cpa"),
    "target_cost_per_conversation": lambda value: _params.check_target(
        value, "target_cost_per_conversation"
    ),
    "monthly_budget": _params.check_monthly_budget,
}
# What each shipped template does with its own parameters.
_TEMPLATE_CHECKS: dict[str, dict[str, Callable[[Any], Any]]] = {
    "campaign_performance": {"top": _check_top(_params.CAMPAIGNS_LIMIT)},
    "attribution_models": {"top": _check_top(_params.CAMPAIGNS_LIMIT)},
    "top_performers": {
        "top": _check_top(_params.TOP_PERFORMERS_LIMIT),
        "limit": lambda value: _params.check_limit(value, _params.TOP_PERFORMERS_LIMIT),
        "cohort_by": _check_cohort,
        "thumbnails": lambda value: _params.check_flag(value, "thumbnails"),
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
    if isinstance(value, str):
        return _check_text(name, one_line=False)(value)
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
        :class:`~atribu_pandas.ArgumentError` is the ``__cause__``.

    Examples
    --------
    >>> check_parameters("campaign_performance", {"model": "linear"})
    {'model': 'linear'}
    """
    path = template_path(name)
    declared = inspect_template(path)
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
        if "currency" in declared and not checked.get("currency"):
            # The kernel falls back to ATRIBU_CURRENCY: a bad one is refused here, not there.
            resolve_currency(declared["currency"]["value"])
    except ArgumentError as err:
        raise ReportError(f"{path.stem}: {err}") from err
    return checked


def report_title(name: str | os.PathLike[str], parameters: Mapping[str, Any]) -> str:
    """A report's title in the active language: ``title`` as given, else the template's
    (a template's own title has a translation; an analyst's is kept as given); "" when
    neither says.

    Examples
    --------
    >>> report_title("trends", {})
    'Trends'
    """
    declared = inspect_template(template_path(name))
    title = parameters.get("title") or declared.get("title", {}).get("value")
    return gettext(title) if isinstance(title, str) and title else ""


def report_locale(template: Path, checked: Mapping[str, Any]) -> tuple[str, str]:
    """The locale a report runs with (its paper, its numbers) and the language it is
    written in: the parameters as given, else as the template declares them; the language
    parameter, else the locale's.

    Examples
    --------
    >>> report_locale(template_path("trends"), {"locale": "pt_BR"})
    ('pt_BR', 'pt_BR')
    >>> report_locale(template_path("trends"), {"locale": "de_CH", "language": "fr"})
    ('de_CH', 'fr')
    """
    declared = inspect_template(template)
    given = {k: info["value"] for k, info in declared.items()} | dict(checked)
    locale = str(given.get("locale") or DEFAULT_LOCALE)
    return locale, resolve_language(given.get("language"), locale)
