"""One report per client of a workspace: kernels reused across clients, an index.

:func:`render_workspace` checks every client's report before any kernel starts (a bad
setting refuses the batch), then runs them on a few kernels at once (one more than the
cores), each kernel taking the next client as soon as it is free. Between two clients a kernel is
emptied (:mod:`.namespace`): the second report is made from its own data only. A client
whose report fails (a refused key, a failing cell) gets a one-page report saying what went
wrong, and the batch goes on; a kernel that died or hung is replaced. Every file is
written as :func:`~atribu_pandas.reports.render` writes it: no key in any, each renamed
into place once complete. Last, ``index.html`` links the reports, one headline row per
client (:mod:`.index`).

With ``demo=True`` the batch starts one sandbox with ``profiles`` clients and serves them
all from this process; its data is built while the kernels start (their imports and the
build share the machine's cores, rather than one waiting for the other).
"""

from __future__ import annotations

import os
import queue
import sys
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from atribu_pandas.core.config import (
    ENV_API_KEY,
    pinned_today,
)
from atribu_pandas.core.language import gettext as _
from atribu_pandas.core.language import use_language
from atribu_pandas.exceptions import ArgumentError, ReportError
from atribu_pandas.reports import export as _export
from atribu_pandas.reports import kernel
from atribu_pandas.reports.export import secrets_in_env
from atribu_pandas.reports.files import file_slug, write_atomic
from atribu_pandas.reports.index import IndexRow, headline_of, write_index
from atribu_pandas.reports.namespace import NEXT_CLIENT
from atribu_pandas.reports.run import (
    RenderedReport,
    ReportPlan,
    failure_reason,
    plan_report,
    report_notebook,
    write_report,
)
from atribu_pandas.reports.settings import ClientSettings, client_keys, read_settings
from atribu_pandas.reports.templates import inspect_template, report_title, template_path

if TYPE_CHECKING:
    pass

__all__ = ["ClientReport", "WorkspaceReports", "render_workspace"]


@dataclass
class ClientReport:
    """One client's outcome: its report's files, or the error its one-page report states.

    :func:`render_workspace` makes one per client, in its ``.clients``.

    Parameters
    ----------
    label : str
        The client's label: its key's name in ``ATRIBU_API_KEYS`` (or the settings file,
        or the sandbox's profile).
    name : str
        The client's name as the report shows it (its ``client_name``, else the label).
    html : pathlib.Path
        The client's HTML file: the report, or the one page saying why it failed.
    report : RenderedReport or None, optional
        Every file of the report; None when it failed.
    error : str or None, optional
        Why the report failed (any key masked); None when it was made.
    headline : dict, optional
        The report's headline cards, for the index: registry column (``"spend"``,
        ``"roas"``...) to ``(value, kind)``.
    currency : str or None, optional
        The currency of those cards (ISO 4217 code).

    Examples
    --------
    >>> from pathlib import Path
    >>> done = ClientReport("Clinic A", "Clinic A", Path("reports/trends/clinic-a.html"),
    ...                     headline={"spend": (1250.0, "money")}, currency="USD")
    >>> done.html.name, done.error is None
    ('clinic-a.html', True)
    """

    label: str
    name: str
    html: Path
    report: RenderedReport | None = None
    error: str | None = None
    headline: dict[str, tuple[Any, str]] = field(default_factory=dict)
    currency: str | None = None


@dataclass
class WorkspaceReports:
    """What :func:`render_workspace` wrote: the index and each client's report.

    Parameters
    ----------
    index : pathlib.Path
        The ``index.html`` linking every client's report, one headline row each.
    clients : list of ClientReport, optional
        One per client, in the order of the keys (or of the settings file).

    Examples
    --------
    A batch whose second client's key was refused (each client's report as
    :func:`render_workspace` returns it):

    >>> from pathlib import Path
    >>> folder = Path("reports/trends")
    >>> done = WorkspaceReports(folder / "index.html", [
    ...     ClientReport("Clinic A", "Clinic A", folder / "clinic-a.html"),
    ...     ClientReport("Group B", "Group B", folder / "group-b.html", error="key refused"),
    ... ])
    >>> for client in done.failed:
    ...     print(f"{client.name}: {client.error} ({client.html})")
    Group B: key refused (reports/trends/group-b.html)
    """

    index: Path
    clients: list[ClientReport] = field(default_factory=list)

    @property
    def failed(self) -> list[ClientReport]:
        """The clients whose report could not be made (each has a one-page report).

        Examples
        --------
        >>> from pathlib import Path
        >>> done = WorkspaceReports(Path("index.html"), [
        ...     ClientReport("A", "Clinic A", Path("clinic-a.html")),
        ...     ClientReport("B", "Group B", Path("group-b.html"), error="the key was refused"),
        ... ])
        >>> [client.name for client in done.failed]
        ['Group B']
        """
        return [c for c in self.clients if c.error is not None]


@dataclass
class _Job:
    position: int
    label: str
    name: str
    plan: ReportPlan


@dataclass
class _Reach:
    """How the kernels reach the clients: each one's key, the base URL (None: the
    environment's), and every string no file may hold."""

    keys: Mapping[str, str]
    base_url: str | None
    secrets: list[str]


def _plans(
    name: str | os.PathLike[str],
    labels: list[str],
    output_dir: Path,
    defaults: ClientSettings,
    settings: Mapping[str, ClientSettings],
    parameters: Mapping[str, Any],
    options: Mapping[str, Any],
) -> list[_Job]:
    """Each client's checked plan, or the first refusal naming its client."""
    declared = inspect_template(template_path(name))
    used: set[str] = set()
    jobs = []

    def fitting(named: Mapping[str, Any]) -> dict[str, Any]:
        # One file serves every template: a setting this one has no parameter for is
        # left out (a parameter given by name is checked by the template).
        return {k: v for k, v in named.items() if k in declared}

    for position, label in enumerate(labels):
        own = settings.get(label, ClientSettings())
        merged = (
            fitting(defaults.parameters)
            | defaults.extra
            | dict(parameters)
            | fitting(own.parameters)
            | own.extra
        )
        if "client_name" in declared:
            merged.setdefault("client_name", label)
        client = str(merged.get("client_name") or label)
        slug = file_slug(client, used)
        tables = options.get("tables")
        try:
            plan = plan_report(
                name,
                output=output_dir / f"{slug}.html",
                parameters=merged,
                **(dict(options) | {"tables": Path(tables) / slug if tables else None}),
            )
        except ReportError as err:
            raise ReportError(f"{label}: {err}") from err.__cause__
        jobs.append(_Job(position, label, client, plan))
    return jobs


def _failure_page(job: _Job, reason: str, secrets: list[str]) -> None:
    """The one page a client gets when its report failed: what went wrong (``reason``,
    keys already masked), in its words; checked for keys like any report."""
    from nbformat.v4 import new_markdown_cell, new_notebook

    from atribu_pandas.display.markup import escape

    with use_language(job.plan.language):
        title = report_title(job.plan.template, job.plan.parameters)
        text = [
            f"# {escape(title)}",
            _("Prepared for {client}").format(client=f"**{escape(job.name)}**"),
            "## " + _("This report could not be made"),
            _(
                "A step of the report failed, so it shows nothing rather than partial figures. "
                "What went wrong:"
            ),
            "```\n" + reason.replace("```", "'''") + "\n```",
            _(
                "The other clients' reports are not affected. Check this client's API key and "
                "settings, then run its report again."
            ),
        ]
        nb = new_notebook(cells=[new_markdown_cell(t) for t in text])
        page = _export.export_html(nb, title, False, locale=job.plan.locale)
    _export.check_no_key(page, secrets, "HTML report")
    write_atomic(job.plan.html, page)


class _Worker:
    """One kernel taking clients from the queue until it is empty."""

    def __init__(self, env: dict[str, str], workdir: str) -> None:
        self.env, self.workdir = env, workdir
        self._stopping = threading.Lock()
        self.km = kernel.start_kernel(env, workdir)
        self.kc = kernel.warm_up(self.km)

    def restart(self) -> None:
        self.stop()
        self.km = kernel.start_kernel(self.env, self.workdir)
        self.kc = kernel.warm_up(self.km)

    def stop(self) -> None:
        """Stop the kernel, once: its own thread (out of clients) and the batch's cleanup
        (after an interrupt) may both ask."""
        with self._stopping:
            kc, km, self.kc, self.km = self.kc, self.km, None, None
        kernel.close_client(kc)
        kernel.stop_kernel(km)

    def run(self, job: _Job, reach: _Reach, bar: Any, lock: threading.Lock) -> ClientReport:
        outcome = ClientReport(job.label, job.name, job.plan.html)
        nb = report_notebook(job.plan)
        secrets = reach.secrets
        try:
            code = NEXT_CLIENT.format(key=reach.keys[job.label], base_url=reach.base_url)
            kernel.run_silently(self.kc, code, timeout=60)
            crash = kernel.execute(nb, self.km, self.workdir, False, bar=bar, keep_kernel=True)
        except RuntimeError as err:
            crash = (None, f"{type(err).__name__}: {err}")
        if crash is not None and failure_reason(nb, None) is None:
            # No cell's own error: the kernel died, hung or stopped answering.
            self.restart()
        reason = failure_reason(nb, crash)
        with lock:  # one export at a time: nbconvert's exporters are shared
            try:
                outcome.report = write_report(job.plan, nb, crash, secrets)
                outcome.headline, outcome.currency = headline_of(nb)
            except ReportError as err:
                outcome.error = _export.redact(reason or str(err), secrets)
                _failure_page(job, outcome.error, secrets)
        return outcome


def render_workspace(
    name: str | os.PathLike[str],
    *,
    output_dir: str | os.PathLike[str] | None = None,
    settings: str | os.PathLike[str] | None = None,
    keys: Mapping[str, str] | None = None,
    demo: bool = False,
    profiles: int = 2,
    parameters: Mapping[str, Any] | None = None,
    jobs: int | None = None,
    progress: bool = True,
    **options: Any,
) -> WorkspaceReports:
    """Render one report per client into a folder, with an ``index.html`` linking them.

    Parameters
    ----------
    name : str or path-like
        A template name or notebook path, as for :func:`~atribu_pandas.reports.render`.
    output_dir : str or path-like, optional
        The folder; default ``reports/<name>/``. Each client's report is
        ``<client-name>.html`` (letters and digits of its name).
    settings : str or path-like, optional
        A client settings file (``settings``): names,
        currencies, locales, logos, targets, budgets, keys.
    keys : mapping of label to API key, optional
        The clients; default ``ATRIBU_API_KEYS`` and the keys the settings file names.
    demo : bool, default False
        The clients are a sandbox's ``profiles`` (started here, stopped at the end).
    profiles : int, default 2
        With ``demo``: how many clients (2 to 200).
    parameters : mapping, optional
        Template parameters for every client (a client's settings win).
    jobs : int, optional
        Kernels at once (1 to 64); default one more than the machine's cores, at most
        one per client.
    progress : bool, default True
        One progress bar over every client's cells, on stderr.
    **options
        ``pdf``, ``appendix``, ``tables``, ``csv_dialect`` and ``keep_code`` as for
        :func:`~atribu_pandas.reports.render`; each client's tables go in a folder of
        its own under ``tables`` (``<tables>/<client-name>/``).

    Returns
    -------
    WorkspaceReports
        ``.index``, ``.clients`` (each a :class:`ClientReport`) and ``.failed``.

    Raises
    ------
    ReportError
        Before any kernel starts: a refused setting, parameter or option, naming its
        client (the ``ArgumentError`` is the ``__cause__``). A failing client does not
        raise: its :class:`ClientReport` has ``.error``.

    Examples
    --------
    >>> done = render_workspace("trends", demo=True, profiles=3, progress=False)
    ... # doctest: +SKIP
    >>> len(done.clients), done.failed  # doctest: +SKIP
    (3, [])
    """
    from atribu_pandas.core.params import check_count

    all_keys: dict[str, str] = {}
    try:
        profiles = check_count(profiles, "profiles", minimum=2, maximum=200)
        if jobs is not None:
            jobs = check_count(jobs, "jobs", minimum=1, maximum=64)
        defaults, clients = (
            read_settings(settings) if settings is not None else (ClientSettings(), {})
        )
        if demo:
            from atribu_pandas.loaders.defaults import demo_workspace_names

            labels = demo_workspace_names(profiles)
            unknown = sorted(set(clients) - set(labels))
            if unknown:
                raise ArgumentError(
                    f'[clients."{unknown[0]}"]', "not a sandbox profile", ", ".join(labels)
                )
        else:
            all_keys = client_keys(keys, clients)
            labels = list(all_keys)
    except ArgumentError as err:
        raise ReportError(str(err)) from err
    folder = Path(output_dir) if output_dir else Path("reports") / template_path(name).stem
    batch = _plans(name, labels, folder, defaults, clients, parameters or {}, options)
    return _run_batch(
        batch, all_keys, folder, profiles if demo else None, jobs, progress, parameters or {}
    )


def _run_batch(
    batch: list[_Job],
    all_keys: Mapping[str, str],
    folder: Path,
    demo_profiles: int | None,
    jobs: int | None,
    progress: bool,
    parameters: Mapping[str, Any],
) -> WorkspaceReports:
    """Start the kernels (and, for a demo, the sandbox meanwhile), run every client, write
    the index."""
    env = kernel.kernel_env(demo_profiles is not None)
    env.pop(ENV_API_KEY, None)  # each client's reaches its kernel in NEXT_CLIENT
    # One kernel more than cores: a kernel waiting on the API leaves its core to another.
    count = max(1, min(jobs or (os.cpu_count() or 1) + 1, len(batch)))
    sandbox = None
    with tempfile.TemporaryDirectory(prefix="atribu-batch-") as workdir:
        workers: list[_Worker] = []
        try:
            with kernel.signals_held():
                workers = [_Worker(env, workdir) for _ in range(count)]
                if demo_profiles is not None:
                    from atribu_pandas.loaders.defaults import start_demo_workspace

                    sandbox = start_demo_workspace(demo_profiles, pinned_today())
                    all_keys = sandbox.workspace_keys()
                kernel.import_runner()
                _export.prepare_export(False)
            base_url = sandbox.url if sandbox is not None else None
            secrets = [*secrets_in_env(), *all_keys.values()]
            done = _work_through(workers, batch, _Reach(all_keys, base_url, secrets), progress)
        finally:
            for worker in workers:
                worker.stop()
            if sandbox is not None:
                sandbox.stop()
    order = {job.label: job.position for job in batch}
    done.sort(key=lambda c: order[c.label])
    rows = [
        IndexRow(
            c.name,
            c.html.name,
            c.error,
            c.report.empty if c.report else None,
            c.headline,
            c.currency,
        )
        for c in done
    ]
    index = write_index(
        folder / "index.html", rows, template=batch[0].plan.template, parameters=parameters
    )
    return WorkspaceReports(index, done)


def _work_through(
    workers: list[_Worker], batch: list[_Job], reach: _Reach, progress: bool
) -> list[ClientReport]:
    """Every job, each worker taking the next as it is free, under one progress bar; this
    thread waits (so Ctrl-C reaches it) and raises what a worker raised."""
    from tqdm.auto import tqdm

    todo: queue.SimpleQueue[_Job] = queue.SimpleQueue()
    for job in batch:
        todo.put(job)
    done: list[ClientReport] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    cells = sum(1 for c in report_notebook(batch[0].plan).cells if c.cell_type == "code")
    bar = tqdm(
        total=cells * len(batch), desc="Reports", unit="cell", disable=not progress, file=sys.stderr
    )

    def work(worker: _Worker) -> None:
        while not errors:
            try:
                job = todo.get_nowait()
            except queue.Empty:
                # Out of clients: its kernel stops now, while the others finish theirs.
                worker.stop()
                return
            try:
                done.append(worker.run(job, reach, bar, lock))
            except BaseException as error:  # a bug: the batch stops and says it
                errors.append(error)
                return
            bar.set_postfix_str(f"{len(done)}/{len(batch)} clients")

    threads = [
        threading.Thread(target=work, args=(w,), daemon=True, name="atribu-batch") for w in workers
    ]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            while thread.is_alive():
                thread.join(0.1)
    finally:
        bar.close()
    if errors:
        raise errors[0]
    return done
