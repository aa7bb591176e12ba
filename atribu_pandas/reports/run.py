"""Run a report template in a kernel and write what it produced.

:func:`render_report` takes four steps, each refusing to go on when something is wrong:

1. the parameters are checked against the template (:mod:`.templates`), before any kernel;
2. nbclient's public :class:`~nbclient.NotebookClient` runs the notebook in a kernel on
   this very interpreter, started by us so the API key reaches it through the
   environment only (never as a parameter); the parameters are injected as a cell
   tagged ``injected-parameters`` after the ``parameters`` cell, as papermill does;
3. :mod:`.export` turns it into one offline HTML file (and, if asked, a PDF and the
   tables as CSV and Excel);
4. the executed notebook and the HTML are searched for the API key before either is
   written.

nbclient, nbconvert and IPython are imported only when used.
"""

from __future__ import annotations

import atexit
import os
import site
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from atribu_pandas.config import ENV_API_KEY, ENV_API_KEYS, ENV_BASE_URL
from atribu_pandas.exceptions import (
    ArgumentError,
    EmptyReportWarning,
    ReportError,
    warn_caller,
    warn_renamed,
)
from atribu_pandas.reports import export as _export
from atribu_pandas.reports.tables import write_tables
from atribu_pandas.reports.templates import check_parameters, inspect_template, template_path

if TYPE_CHECKING:
    import nbformat

__all__ = [
    "KERNEL_NAME",
    "RenderedReport",
    "render",
    "render_report",
]

KERNEL_NAME = "python3"
# A cell that runs longer than this is stopped and reported (a stuck request, a loop).
CELL_TIMEOUT_S = 600
# Tells the kernel the sandbox was chosen on purpose (--demo): no "set your key" hint.
ENV_DEMO_CHOSEN = "ATRIBU_DEMO_CHOSEN"
# The metadata key of the output that says the report's window had no data.
EMPTY_MARK = "atribu-empty"
FOOTER_TAG = "footer"


@dataclass
class RenderedReport:
    """The files one :func:`render` wrote, and whether the window was empty."""

    html: Path
    notebook: Path
    pdf: Path | None = None
    tables: list[Path] = field(default_factory=list)
    empty: str | None = None


def kernel_env(demo: bool) -> dict[str, str]:
    """Return the environment a report kernel starts with.

    Examples
    --------
    >>> env = kernel_env(demo=True)
    >>> "ATRIBU_API_KEY" in env, env["ATRIBU_DEMO_CHOSEN"]
    (False, '1')
    """
    env = dict(os.environ)
    env.pop(ENV_DEMO_CHOSEN, None)
    if demo:
        # No key and no URL: the loaders in the kernel start the sandbox themselves.
        env.pop(ENV_API_KEY, None)
        env.pop(ENV_BASE_URL, None)
        env.pop(ENV_API_KEYS, None)  # nor a workspace's keys (agency_overview)
        env[ENV_DEMO_CHOSEN] = "1"
    # A tqdm bar in the kernel would be a widget, and widgets pull in CDN JavaScript.
    env["TQDM_DISABLE"] = "1"
    env["ATRIBU_PROGRESS"] = "0"
    env["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    # Silences debugpy's "frozen modules" note on every kernel start.
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    # The kernel must import the very atribu_pandas running here (a source checkout is
    # not on the kernel's path when its working directory is elsewhere).
    package_root = str(Path(__file__).resolve().parents[2])
    if package_root not in {str(Path(p).resolve()) for p in site.getsitepackages()}:
        paths = [package_root, *filter(None, env.get("PYTHONPATH", "").split(os.pathsep))]
        env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
    return env


def start_kernel(env: Mapping[str, str], cwd: str) -> Any:
    """Start a kernel on this interpreter (``sys.executable``), whatever kernelspecs exist.

    A ``python3`` kernelspec elsewhere on the machine (``~/.local/share/jupyter``) could
    point at another Python without atribu-pandas; ipykernel's own spec always runs the
    interpreter we are running in, i.e. the venv's.

    Examples
    --------
    >>> km = start_kernel(kernel_env(demo=True), ".")  # doctest: +SKIP
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


def stop_kernel(km: Any) -> None:
    """Stop a kernel from :func:`start_kernel` at once (no-op when it is gone).

    Examples
    --------
    >>> stop_kernel(None)
    """
    from jupyter_core.utils import run_sync

    if km is not None and km.has_kernel:
        run_sync(km.shutdown_kernel)(now=True)


# Imported by every report; importing them in the kernel early binds no name.
_WARM_UP = "; ".join(
    f"__import__({module!r})"
    for module in (
        "pandas",
        "matplotlib.pyplot",
        "atribu_pandas",
        "atribu_pandas.plotting",
        "atribu_pandas.reports.helpers",
    )
)


def _warm_up(km: Any) -> Any:
    """Queue the heavy imports in the kernel without waiting for them."""
    import zmq
    from jupyter_client import BlockingKernelClient

    # A blocking client with its own zmq context: it must not share the asyncio context
    # and loop of the client nbclient creates next.
    kc = BlockingKernelClient(context=zmq.Context())
    kc.load_connection_info(km.get_connection_info())
    kc.start_channels(iopub=False, stdin=False, hb=False, control=False)
    # silent: no output, no execution count; stop_on_error=False: a failing import must
    # not abort the notebook's first cell queued behind it (the cell then fails itself).
    kc.execute(_WARM_UP, silent=True, store_history=False, stop_on_error=False)
    return kc


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


def _interruptibly(work: Callable[[], object]) -> None:
    """Run ``work`` in a thread while this one waits, so Ctrl-C and SIGTERM reach us.

    In the main thread nbclient takes SIGINT and SIGTERM for itself (it shuts the kernel
    down and then fails with an AssertionError); off it, nbclient leaves them alone, the
    wait below raises as soon as a signal arrives, and ``render`` stops the kernel.
    """
    failure: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as error:  # handed to the waiting thread as it is
            failure.append(error)

    thread = threading.Thread(target=run, name="atribu-report-cells", daemon=True)
    thread.start()
    while thread.is_alive():
        thread.join(0.1)
    if failure:
        raise failure[0]


def _execute(
    nb: nbformat.NotebookNode, km: Any, workdir: str, progress: bool
) -> tuple[int | None, str] | None:
    """Run ``nb`` in place; return (cell, reason) if execution stopped early."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellControlSignal, CellExecutionError, DeadKernelError
    from tqdm.auto import tqdm

    started: list[int] = []
    code_cells = sum(1 for c in nb.cells if c.cell_type == "code")
    bar = tqdm(
        total=code_cells, desc="Executing", unit="cell", disable=not progress, file=sys.stderr
    )

    def on_cell_start(cell: Any, cell_index: int) -> None:
        started.append(cell_index)

    def on_cell_complete(cell: Any, cell_index: int) -> None:
        bar.update(1)

    client = NotebookClient(
        nb,
        km=km,
        kernel_name=KERNEL_NAME,
        timeout=CELL_TIMEOUT_S,
        startup_timeout=60,
        shutdown_kernel="immediate",
        resources={"metadata": {"path": workdir}},
        on_cell_start=on_cell_start,
        on_cell_complete=on_cell_complete,
    )
    last = lambda: started[-1] if started else None  # noqa: E731
    try:
        # nbclient runs the cells of this very object, so `nb` keeps what ran even when
        # execution stops with an exception.
        _interruptibly(lambda: client.execute(cleanup_kc=True))
    except CellExecutionError as err:
        return last(), f"{err.ename}: {err.evalue}"
    except DeadKernelError as err:
        reason = f"DeadKernelError: the kernel died ({err or 'no reply'}); the cell may have "
        return last(), reason + "exited Python or run out of memory"
    # A cell timeout (CellTimeoutError), a lost kernel connection: both stop the run; the
    # notebook so far is still worth keeping.
    except (CellControlSignal, RuntimeError, TimeoutError, OSError) as err:
        return last(), f"{type(err).__name__}: {err}"
    except BaseException:
        # Ctrl-C or SIGTERM: render() stops the kernel; nbclient's own exit hook would try
        # again on a loop that is gone and print a traceback as the process ends.
        atexit.unregister(client._cleanup_kernel)
        raise
    finally:
        bar.close()
    return None


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


def write_atomic(path: Path, text: str) -> None:
    """Write to a temporary file beside ``path``, renamed over it only once complete.

    Examples
    --------
    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "r.html"
    >>> write_atomic(target, "<html></html>")
    >>> target.read_text()
    '<html></html>'
    """
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _title(nb: nbformat.NotebookNode, template: Path, checked: Mapping[str, Any]) -> str:
    declared = inspect_template(template)
    title = checked.get("title") or declared.get("title", {}).get("value")
    if isinstance(title, str) and title:
        return title
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return template.stem


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
                    c for c in nb.cells[index + 1 :] if FOOTER_TAG in c.metadata.get("tags", [])
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
    tables: str | os.PathLike[str] | None = None,
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
    tables : str or path-like, optional
        A folder to write every table of the report into, as CSV files and one Excel
        workbook ``<stem>.xlsx``.

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
    >>> done = render("trends", demo=True, progress=False)  # doctest: +SKIP
    >>> done.html.name, done.empty  # doctest: +SKIP
    ('trends.html', None)
    """
    import nbformat

    path = template_path(name)
    html_path, nb_path = _output_paths(path, output)
    # Checked before the kernel starts: reading the parameters cell costs milliseconds,
    # and a refused parameter must not cost a kernel start.
    checked = check_parameters(path, parameters)
    if pdf and _export.find_chromium() is None:
        raise ReportError(
            "--pdf needs Chromium: install it (apt-get install chromium, or `make "
            "browser-deps`), or drop --pdf and print the HTML from a browser"
        ) from ArgumentError("pdf", True, "False when Chromium is not installed")
    secrets = _secrets()

    with tempfile.TemporaryDirectory(prefix="atribu-report-") as workdir:
        # The kernel imports the heavy libraries (_warm_up) while this process reads the
        # notebook and imports nbclient: on two cores that overlap is most of the gap to a
        # bare `jupyter nbconvert --execute`.
        km = start_kernel(kernel_env(demo), workdir)
        warm = _warm_up(km)
        # This process waits on the kernel most of the run: prepare the export meanwhile.
        # A daemon: an interrupted run does not wait for it to finish compiling templates.
        exporter = threading.Thread(target=_export.prepare_export, args=(keep_code,), daemon=True)
        exporter.start()
        try:
            nb = nbformat.read(path, as_version=4)
            _inject(nb, checked)
            crash = _execute(nb, km, workdir, progress)
        finally:
            warm.stop_channels()
            warm.context.destroy(linger=0)
            stop_kernel(km)
        exporter.join()

    html_path.parent.mkdir(parents=True, exist_ok=True)
    failed = _failed_cell(nb) or crash
    if failed is not None:
        # A report already at the output path is left as it was: this run made no new one.
        index, error = failed
        kept = _export.redact(nbformat.writes(nb), secrets)
        # The masked copy is checked like any output; should a key survive masking
        # (it cannot, short of a bug), nothing is kept.
        _export.check_no_key(kept, secrets, "partly executed notebook")
        write_atomic(nb_path, kept)
        line = _first_line(nb, index)
        where = "the notebook" if index is None else f"cell {index}"
        where += f" ({line!r})" if line else ""
        raise ReportError(
            _export.redact(
                f"{path.stem}: {where} failed with {error}; the partly executed notebook "
                f"is kept at {nb_path}",
                secrets,
            ),
            cell=index,
            notebook_path=str(nb_path),
        )
    # The executed notebook keeps what the HTML shows, cleaned the same way.
    _export.clean_outputs(nb)
    nb_text = nbformat.writes(nb)
    empty = _empty_notice(nb)
    page = _export.export_html(nb, _title(nb, path, checked), keep_code)
    # Check both before writing either, so a leak leaves no file behind; each file is
    # renamed into place only once complete, so the file at the output is a whole report.
    _export.check_no_key(nb_text, secrets, "executed notebook")
    _export.check_no_key(page, secrets, "HTML report")
    write_atomic(nb_path, nb_text)
    write_atomic(html_path, page)
    done = RenderedReport(html_path, nb_path, empty=empty)
    if tables is not None:
        done.tables = write_tables(nb, Path(tables), html_path.stem)
    if pdf:
        done.pdf = _export.write_pdf(html_path)
    if empty:
        warn_caller(f"{path.stem}: {empty}", EmptyReportWarning)
    return done


def render_report(name: str | os.PathLike[str], **options: Any) -> Path:
    """The old name of ``render(name, ...).html`` (deprecated: one render path).

    Examples
    --------
    >>> render_report("trends", demo=True, progress=False)  # doctest: +SKIP
    PosixPath('reports/trends.html')
    """
    warn_renamed("reports.render_report(...)", "reports.render(...).html")
    return render(name, **options).html


def _secrets() -> list[str]:
    # Even with demo=True (the kernel gets no key) the caller's key must not leak.
    key = os.environ.get(ENV_API_KEY, "")
    # A workspace's keys ("label=key,label=key") must not leak either.
    keys = [e.partition("=")[2].strip() for e in os.environ.get(ENV_API_KEYS, "").split(",")]
    return [k for k in [key, *keys] if k]
