"""Run a report template in a kernel and write what it produced.

:func:`render` takes four steps, each refusing to go on when something is wrong:

1. the parameters are checked against the template (:mod:`.templates`), before any kernel;
2. the notebook runs in a kernel on this very interpreter (:mod:`.kernel`), the API key
   reaching it through the environment only (never as a parameter); the parameters are
   injected as a cell tagged ``injected-parameters`` after the ``parameters`` cell, as
   papermill does;
3. :mod:`.export` turns it into one offline HTML file (and, if asked, a PDF and the
   tables as CSV and Excel);
4. the executed notebook and the HTML are searched for the API key before either is
   written.

nbclient, nbconvert and IPython are imported only when used.
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from atribu_pandas.core.language import use_language
from atribu_pandas.exceptions import (
    ArgumentError,
    EmptyReportWarning,
    ReportError,
    warn_caller,
    warn_renamed,
)
from atribu_pandas.reports import export as _export
from atribu_pandas.reports import kernel
from atribu_pandas.reports.export import secrets_in_env
from atribu_pandas.reports.files import write_atomic
from atribu_pandas.reports.messages import translate_markdown
from atribu_pandas.reports.tables import CSV_DIALECTS, write_tables
from atribu_pandas.reports.templates import (
    check_parameters,
    read_template,
    report_locale,
    report_title,
    template_path,
)

if TYPE_CHECKING:
    import nbformat

__all__ = [
    "RenderedReport",
    "ReportPlan",
    "failure_reason",
    "plan_report",
    "render",
    "render_report",
    "report_notebook",
    "write_report",
]

# The metadata key of the output that says the report's window had no data.
EMPTY_MARK = "atribu-empty"


@dataclass
class RenderedReport:
    """The files one :func:`render` wrote, and whether the window was empty.

    Each parameter is also the attribute of the same name. The paths are as given to
    :func:`render` (relative to the working directory by default).

    Parameters
    ----------
    html : pathlib.Path
        The report: one offline HTML file to send as it is.
    notebook : pathlib.Path
        The executed notebook beside it (``<stem>.executed.ipynb``), keys masked.
    pdf : pathlib.Path or None, optional
        The PDF, when asked for (``pdf=True``).
    tables : list of pathlib.Path, optional
        The CSV files and the workbook, when asked for (``tables=``); empty otherwise.
    empty : str or None, optional
        The notice shown when the window had no data (the report is then one page), or
        None.

    Examples
    --------
    What ``render("trends", demo=True)`` returns, with no PDF or tables asked for:

    >>> from pathlib import Path
    >>> done = RenderedReport(Path("reports/trends.html"), Path("reports/trends.executed.ipynb"))
    >>> done.html.name, done.pdf, done.tables, done.empty
    ('trends.html', None, [], None)
    """

    html: Path
    notebook: Path
    pdf: Path | None = None
    tables: list[Path] = field(default_factory=list)
    empty: str | None = None


def _inject(nb: nbformat.NotebookNode, parameters: Mapping[str, Any]) -> None:
    """Add the parameters as a cell after the ``parameters`` cell (papermill's layout)."""
    from nbformat.v4 import new_code_cell

    if not parameters:
        return
    source = "# Parameters\n" + "\n".join(f"{k} = {v!r}" for k, v in parameters.items())
    cell = new_code_cell(source, metadata={"tags": ["injected-parameters"]})
    cell.id = "injected-parameters"
    tagged = [i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])]
    nb.cells.insert(tagged[0] + 1 if tagged else 0, cell)


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


def _title(nb: nbformat.NotebookNode, template: Path, checked: Mapping[str, Any]) -> str:
    title = report_title(template, checked)
    if title:
        return title
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return template.stem


def failure_reason(nb: nbformat.NotebookNode, crash: tuple[int | None, str] | None) -> str | None:
    """Why a run failed (``"Name: text"`` of the failing cell's error, else the crash's),
    or None when it did not."""
    failed = _failed_cell(nb) or crash
    return failed[1] if failed is not None else None


def _failed_cell(nb: nbformat.NotebookNode) -> tuple[int, str] | None:
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                return index, f"{output.get('ename')}: {output.get('evalue')}"
    return None


def _first_line(nb: nbformat.NotebookNode, index: int | None) -> str:
    if index is None or not 0 <= index < len(nb.cells):
        return ""
    lines = [line.strip() for line in nb.cells[index].source.splitlines() if line.strip()]
    line = lines[0] if lines else ""
    return line if len(line) <= 80 else line[:77] + "..."


def _empty_notice(nb: nbformat.NotebookNode) -> str | None:
    """Keep one page when the window had no data: the notice, then only the footer."""
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            notice = output.get("metadata", {}).get(EMPTY_MARK)
            if notice:
                # The sections below have nothing to show; their "how to read" text
                # would explain charts that are not there.
                nb.cells[index + 1 :] = [
                    c
                    for c in nb.cells[index + 1 :]
                    if kernel.FOOTER_TAG in c.metadata.get("tags", [])
                ]
                return str(notice)
    return None


def render(
    name: str | os.PathLike[str],
    *,
    output: str | os.PathLike[str] | None = None,
    parameters: Mapping[str, Any] | None = None,
    demo: bool = False,
    keep_code: bool = False,
    progress: bool = True,
    pdf: bool = False,
    appendix: bool = False,
    tables: str | os.PathLike[str] | None = None,
    csv_dialect: str = "locale",
) -> RenderedReport:
    """Run a report template and write its HTML (and PDF, tables); return every file.

    Parameters
    ----------
    name : str or path-like
        A template name (see :func:`~atribu_pandas.reports.list_templates`) or the path
        of a notebook with a cell tagged ``parameters``.
    output : str or path-like, optional
        The HTML file to write; default ``reports/<name>.html`` under the current
        directory. An ``.ipynb`` name is refused. The executed notebook is written beside
        it as ``<stem>.executed.ipynb``.
    parameters : mapping, optional
        Values for the template's parameters (checked first, before the kernel starts;
        see :func:`~atribu_pandas.reports.check_parameters`).
    demo : bool, default False
        Use the built-in sandbox even when ``ATRIBU_API_KEY`` is set: the kernel gets no key
        and no base URL, and the loaders start the sandbox inside it.
    keep_code : bool, default False
        Show the code cells in the HTML (hidden by default: readers want the answers).
    progress : bool, default True
        Show a progress bar (one step per cell) on stderr while the notebook runs.
    pdf : bool, default False
        Also print the HTML to ``<stem>.pdf`` beside it with headless Chromium.
    appendix : bool, default False
        Print the technical details (parameters, request ids, versions) on the PDF's last
        page; without it the PDF is the client's, and only the HTML keeps them (folded).
    tables : str or path-like, optional
        A folder to write every table of the report into, as CSV files and one Excel
        workbook ``<stem>.xlsx`` (see ``tables``).
    csv_dialect : {"locale", "plain"}, default "locale"
        The CSV files' conventions: the report locale's decimal mark and list separator
        (``;`` and ``,`` for de_DE) with a UTF-8 byte order mark, as Excel opens them; or
        ``"plain"``, RFC 4180 (``,`` and ``.``, no mark), for programs.

    Returns
    -------
    RenderedReport
        ``.html``, ``.notebook`` (the executed notebook), ``.pdf``, ``.tables`` and
        ``.empty`` (the notice of an empty window, or None).

    Raises
    ------
    ReportError
        A refused parameter or output path (nothing runs); a failing cell or a kernel
        that died or timed out (``.cell`` is its index in the executed notebook, which
        has the injected parameters cell, and the message quotes its first line;
        ``.notebook_path`` is the partly executed notebook, kept with any key masked);
        an API key found in an output (then nothing is written); or the export failing.
        A failed run writes no HTML: a report already at ``output`` from an earlier run is
        left as it was. Files are renamed into place only once complete.

    Warns
    -----
    EmptyReportWarning
        The window had no data: the report is one page saying what to try instead.

    Examples
    --------
    >>> done = render("trends", demo=True, progress=False)  # runs a kernel  # doctest: +SKIP
    >>> done.html.name, done.empty  # doctest: +SKIP
    ('trends.html', None)
    """

    plan = plan_report(
        name,
        output=output,
        parameters=parameters,
        keep_code=keep_code,
        pdf=pdf,
        appendix=appendix,
        tables=tables,
        csv_dialect=csv_dialect,
    )
    secrets = secrets_in_env()
    nb, crash = _run(plan, demo=demo, progress=progress)
    return write_report(plan, nb, crash, secrets)


@dataclass(frozen=True)
class ReportPlan:
    """One report to make, checked: the template, its parameters, where its files go."""

    template: Path
    html: Path
    notebook: Path
    parameters: dict[str, Any]
    locale: str
    language: str
    keep_code: bool = False
    pdf: bool = False
    appendix: bool = False
    tables: Path | None = None
    csv_dialect: str = "locale"


def plan_report(
    name: str | os.PathLike[str],
    *,
    output: str | os.PathLike[str] | None = None,
    parameters: Mapping[str, Any] | None = None,
    keep_code: bool = False,
    pdf: bool = False,
    appendix: bool = False,
    tables: str | os.PathLike[str] | None = None,
    csv_dialect: str = "locale",
) -> ReportPlan:
    """Check a report's template, parameters and options before any kernel (see
    :func:`render` for each); raise :class:`ReportError` from an ``ArgumentError``.

    Examples
    --------
    >>> plan_report("trends", parameters={"locale": "de_DE"}).language
    'de'
    """
    path = template_path(name)
    html_path, nb_path = _output_paths(path, output)
    # Checked before the kernel starts: reading the parameters cell costs milliseconds,
    # and a refused parameter must not cost a kernel start.
    checked = check_parameters(path, parameters)
    if csv_dialect not in CSV_DIALECTS:
        raise ReportError(
            f"csv_dialect {csv_dialect!r} is not one of {', '.join(CSV_DIALECTS)}"
        ) from ArgumentError("csv_dialect", csv_dialect, "one of " + ", ".join(CSV_DIALECTS))
    if appendix and not pdf:
        raise ReportError(
            "--appendix puts the technical details in the PDF: add --pdf (the HTML always "
            "has them, folded under the footer)"
        ) from ArgumentError("appendix", True, "used with pdf=True")
    if pdf and _export.find_chromium() is None:
        raise ReportError(
            "--pdf needs Chromium: install it (apt-get install chromium, or `make "
            "browser-deps`), or drop --pdf and print the HTML from a browser"
        ) from ArgumentError("pdf", True, "False when Chromium is not installed")
    locale, language = report_locale(path, checked)
    return ReportPlan(
        path,
        html_path,
        nb_path,
        dict(checked),
        locale,
        language,
        keep_code=keep_code,
        pdf=pdf,
        appendix=appendix,
        tables=Path(tables) if tables is not None else None,
        csv_dialect=csv_dialect,
    )


def report_notebook(plan: ReportPlan) -> nbformat.NotebookNode:
    """The template as it will run: its Markdown in the report's language, the parameters
    injected after its ``parameters`` cell."""
    nb = read_template(plan.template)
    translate_markdown(nb, plan.language)
    _inject(nb, plan.parameters)
    return nb


def write_report(
    plan: ReportPlan,
    nb: nbformat.NotebookNode,
    crash: tuple[int | None, str] | None,
    secrets: list[str],
) -> RenderedReport:
    """Write what a run produced (HTML, executed notebook, PDF, tables), no key in any;
    raise :class:`ReportError` for a failed run, keeping its notebook (keys masked)."""
    import nbformat

    plan.html.parent.mkdir(parents=True, exist_ok=True)
    failed = _failed_cell(nb) or crash
    if failed is not None:
        raise _kept_failure(nb, failed, plan.template, plan.notebook, secrets)
    # The executed notebook keeps what the HTML shows, cleaned the same way.
    _export.clean_outputs(nb)
    nb_text = nbformat.writes(nb)
    empty = _empty_notice(nb)
    with use_language(plan.language):  # the page's title, the charts' alt text
        title = _title(nb, plan.template, plan.parameters)
        page = _export.export_html(nb, title, plan.keep_code, locale=plan.locale)
    # Check both before writing either, so a leak leaves no file behind; each file is
    # renamed into place only once complete, so the file at the output is a whole report.
    _export.check_no_key(nb_text, secrets, "executed notebook")
    _export.check_no_key(page, secrets, "HTML report")
    write_atomic(plan.notebook, nb_text)
    write_atomic(plan.html, page)
    done = RenderedReport(plan.html, plan.notebook, empty=empty)
    if plan.tables is not None:
        done.tables = write_tables(nb, plan.tables, plan.html.stem, plan.csv_dialect)
    if plan.pdf:
        done.pdf = _export.write_pdf(plan.html, appendix=plan.appendix)
    if empty:
        warn_caller(f"{plan.template.stem}: {empty}", EmptyReportWarning)
    return done


def _run(
    plan: ReportPlan, *, demo: bool, progress: bool
) -> tuple[nbformat.NotebookNode, tuple[int | None, str] | None]:
    """Run the template with its parameters in a new kernel; return the notebook as it ran
    and, if execution stopped early, (cell, reason)."""

    with tempfile.TemporaryDirectory(prefix="atribu-report-") as workdir:
        km = warm = None
        try:
            # Ctrl-C is held while this thread starts the kernel and imports (see
            # kernel.signals_held: an interrupted import can hang every other thread's).
            with kernel.signals_held():
                # The kernel imports the heavy libraries (warm_up) while this process
                # reads the notebook and imports nbclient: on two cores that overlap is
                # most of the gap to a bare `jupyter nbconvert --execute`.
                km = kernel.start_kernel(kernel.kernel_env(demo), workdir)
                warm = kernel.warm_up(km)
                nb = report_notebook(plan)
                kernel.import_runner()

            # This process waits on the kernel most of the run: prepare the export
            # meanwhile. A daemon: an interrupted run does not wait for it.
            exporter = threading.Thread(
                target=_export.prepare_export, args=(plan.keep_code,), daemon=True
            )
            exporter.start()
            crash = kernel.execute(nb, km, workdir, progress)
        finally:
            kernel.close_client(warm)
            if km is not None:
                kernel.stop_kernel(km)
        exporter.join()
    return nb, crash


def _kept_failure(
    nb: nbformat.NotebookNode,
    failed: tuple[int | None, str],
    path: Path,
    nb_path: Path,
    secrets: list[str],
) -> ReportError:
    """Keep the partly executed notebook (keys masked) and say which cell failed and how.

    A report already at the output path is left as it was: this run made no new one.
    """
    import nbformat

    index, error = failed
    kept = _export.redact(nbformat.writes(nb), secrets)
    # The masked copy is checked like any output; should a key survive masking
    # (it cannot, short of a bug), nothing is kept.
    _export.check_no_key(kept, secrets, "partly executed notebook")
    write_atomic(nb_path, kept)
    line = _first_line(nb, index)
    where = "the notebook" if index is None else f"cell {index}"
    where += f" ({line!r})" if line else ""
    return ReportError(
        _export.redact(
            f"{path.stem}: {where} failed with {error}; the partly executed notebook "
            f"is kept at {nb_path}",
            secrets,
        ),
        cell=index,
        notebook_path=str(nb_path),
    )


def render_report(name: str | os.PathLike[str], **options: Any) -> Path:
    """The old name of ``render(name, ...).html`` (deprecated: one render path).

    It warns with a ``DeprecationWarning``; use :func:`render` and its ``.html``.

    Parameters
    ----------
    name : str or path-like
        A template name or notebook path, as for :func:`render`.
    **options
        Any keyword argument of :func:`render`.

    Returns
    -------
    pathlib.Path
        The HTML report written.

    Examples
    --------
    >>> render_report("trends", demo=True, progress=False)  # runs a kernel  # doctest: +SKIP
    PosixPath('reports/trends.html')
    """
    warn_renamed("reports.render_report(...)", "reports.render(...).html")
    return render(name, **options).html
