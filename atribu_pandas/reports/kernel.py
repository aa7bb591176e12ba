"""The kernel a report runs in: started on this interpreter, fed its cells, stopped.

- :func:`kernel_env`: the environment it starts with (the key only there, never as a
  parameter; none at all with ``--demo``);
- :func:`start_kernel` and :func:`stop_kernel`: a kernel of this very Python;
- :func:`execute`: nbclient's public :class:`~nbclient.NotebookClient` runs the cells,
  with a progress bar, and Ctrl-C and SIGTERM reach the caller.

nbclient, jupyter_client and zmq are imported only when used.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import os
import signal
import site
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from atribu_pandas.core.config import ENV_API_KEY, ENV_API_KEYS, ENV_BASE_URL

if TYPE_CHECKING:
    import nbformat

__all__ = [
    "CELL_TIMEOUT_S",
    "ENV_DEMO_CHOSEN",
    "FOOTER_TAG",
    "KERNEL_NAME",
    "REPORT_ENDED",
    "close_client",
    "execute",
    "import_runner",
    "kernel_env",
    "run_silently",
    "shell_client",
    "signals_held",
    "start_kernel",
    "stop_kernel",
    "warm_up",
]

# The cell a report runs after it ended early (an empty window), and the name of the
# exception a cell raises to end it (reports.report.ReportEnded).
FOOTER_TAG = "footer"
REPORT_ENDED = "ReportEnded"

KERNEL_NAME = "python3"
# A cell that runs longer than this is stopped and reported (a stuck request, a loop).
CELL_TIMEOUT_S = 600
# Tells the kernel the sandbox was chosen on purpose (--demo): no "set your key" hint.
ENV_DEMO_CHOSEN = "ATRIBU_DEMO_CHOSEN"


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
    # The history in memory, as nbclient keeps it when it starts a kernel: a report's cells
    # have no business in ~/.ipython, and each cell written there costs a disk sync.
    run_sync(km.start_kernel)(
        env=dict(env),
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        extra_arguments=["--HistoryManager.hist_file=:memory:"],
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


# Imported by every report; importing them in the kernel early binds no name. Then the
# imported modules' objects, which live as long as the kernel, are frozen out of the
# cyclic garbage collector: each full collection (and IPython's reset between a batch's
# clients runs one) no longer walks them again (about 0.1 s a client on this machine).
_WARM_UP = "; ".join(
    [
        *(
            f"__import__({module!r})"
            for module in (
                "pandas",
                "matplotlib.pyplot",
                "atribu_pandas",
                "atribu_pandas.display.charts.campaigns",
                "atribu_pandas.reports.helpers",
            )
        ),
        "__import__('gc').freeze()",
    ]
)


def shell_client(km: Any) -> Any:
    """A blocking client of the kernel's shell channel only, on its own zmq context (it
    must not share the asyncio context and loop of the client nbclient creates); stop it
    with :func:`close_client`.

    Examples
    --------
    >>> close_client(shell_client(start_kernel(kernel_env(demo=True), ".")))  # doctest: +SKIP
    """
    import zmq
    from jupyter_client import BlockingKernelClient

    kc = BlockingKernelClient(context=zmq.Context())
    kc.load_connection_info(km.get_connection_info())
    kc.start_channels(iopub=False, stdin=False, hb=False, control=False)
    return kc


def close_client(kc: Any) -> None:
    """Stop a :func:`shell_client` and its zmq context (no-op for None).

    Examples
    --------
    >>> close_client(None)
    """
    if kc is not None:
        kc.stop_channels()
        kc.context.destroy(linger=0)


def run_silently(kc: Any, code: str, timeout: float = CELL_TIMEOUT_S) -> None:
    """Run ``code`` in the kernel with no output and no history, and wait for it.

    Raises
    ------
    RuntimeError
        The code failed in the kernel (its exception's name and text), or no reply came
        within ``timeout`` seconds.

    Examples
    --------
    >>> run_silently(shell_client(km), "x = 1")  # doctest: +SKIP
    """
    import queue
    import time

    msg_id = kc.execute(code, silent=True, store_history=False)
    deadline = time.monotonic() + timeout
    while True:
        try:
            reply = kc.get_shell_msg(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise RuntimeError(f"the kernel did not answer within {timeout:g} s") from None
        if reply["parent_header"].get("msg_id") == msg_id:
            break
    content = reply["content"]
    if content.get("status") != "ok":
        raise RuntimeError(f"{content.get('ename')}: {content.get('evalue')}")


def import_runner() -> None:
    """Import what running cells needs (nbclient, tqdm) in this, the main, thread: see
    :func:`signals_held` for why imports happen there before other threads start."""
    import nbclient  # noqa: F401
    import tqdm.auto  # noqa: F401


def warm_up(km: Any) -> Any:
    """Queue the heavy imports in the kernel without waiting for them; return the
    client that sent them (:func:`close_client` it once the notebook has run).

    Examples
    --------
    >>> warm_up(start_kernel(kernel_env(demo=True), "."))  # doctest: +SKIP
    """
    kc = shell_client(km)
    # silent: no output, no execution count; stop_on_error=False: a failing import must
    # not abort the notebook's first cell queued behind it (the cell then fails itself).
    kc.execute(_WARM_UP, silent=True, store_history=False, stop_on_error=False)
    return kc


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM while this (the main) thread imports, and deliver them after.

    CPython's import locks are not signal-safe: a ``KeyboardInterrupt`` raised inside an
    import can leave the global import lock held, and any other thread's import then
    waits for ever (the report would hang on the thread preparing the export). Held here,
    the signal is raised again at the end of the block, where no import is running. Off
    the main thread (no handler can be set there) the block runs as it is.

    Examples
    --------
    >>> with signals_held():
    ...     import json
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    held = (signal.SIGINT, signal.SIGTERM)
    previous = {s: signal.signal(s, lambda signum, _frame: caught.append(signum)) for s in held}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        if caught:
            signal.raise_signal(caught[0])


def _interruptibly(work: Callable[[], object]) -> None:
    """Run ``work`` in a thread while this one waits, so Ctrl-C and SIGTERM reach us.

    In the main thread nbclient takes SIGINT and SIGTERM for itself (it shuts the kernel
    down and then fails with an AssertionError); off it, nbclient leaves them alone, the
    wait below raises as soon as a signal arrives, and the caller stops the kernel.
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


@functools.cache
def _report_client() -> Any:
    """nbclient's NotebookClient that, once a cell ends the report (an empty window), runs
    only the footer; made on first use, so importing this module stays light."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    class ReportClient(NotebookClient):  # type: ignore[misc]
        ended = False

        async def async_execute_cell(
            self,
            cell: Any,
            cell_index: int,
            execution_count: int | None = None,
            store_history: bool = True,
        ) -> Any:
            if self.ended and FOOTER_TAG not in cell.metadata.get("tags", []):
                return cell
            try:
                return await super().async_execute_cell(
                    cell, cell_index, execution_count, store_history
                )
            except CellExecutionError as err:
                if err.ename != REPORT_ENDED:
                    raise
                self.ended = True
                # The page the cell showed is the report; the signal is no failure.
                cell.outputs = [o for o in cell.outputs if o.get("ename") != REPORT_ENDED]
                return cell

    return ReportClient


def execute(
    nb: nbformat.NotebookNode,
    km: Any,
    workdir: str,
    progress: bool,
    *,
    bar: Any = None,
    keep_kernel: bool = False,
) -> tuple[int | None, str] | None:
    """Run ``nb`` in place; return (cell, reason) if execution stopped early.

    ``bar`` is a tqdm bar to advance one step a cell (a batch's, left open) instead of
    one of its own; ``keep_kernel`` leaves the kernel running for the next notebook.

    Examples
    --------
    >>> execute(nb, start_kernel(kernel_env(demo=True), "."), ".", False)  # doctest: +SKIP
    """
    from nbclient.exceptions import CellControlSignal, CellExecutionError, DeadKernelError
    from tqdm.auto import tqdm

    started: list[int] = []
    code_cells = sum(1 for c in nb.cells if c.cell_type == "code")
    own_bar = bar is None
    if own_bar:
        bar = tqdm(
            total=code_cells, desc="Executing", unit="cell", disable=not progress, file=sys.stderr
        )
    completed: list[int] = []

    def on_cell_start(cell: Any, cell_index: int) -> None:
        started.append(cell_index)

    def on_cell_complete(cell: Any, cell_index: int) -> None:
        completed.append(cell_index)
        bar.update(1)

    client = _report_client()(
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
        _interruptibly(lambda: client.execute(cleanup_kc=not keep_kernel))
        # The cells an ended report skipped count as done.
        skipped = max(0, code_cells - len(completed))
        completed.extend([-1] * skipped)
        bar.update(skipped)
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
        # Ctrl-C or SIGTERM: the caller stops the kernel; nbclient's own exit hook would try
        # again on a loop that is gone and print a traceback as the process ends.
        atexit.unregister(client._cleanup_kernel)
        raise
    finally:
        if own_bar:
            bar.close()
        else:
            # A batch's bar counts this notebook whole, however it ended.
            bar.update(max(0, code_cells - len(completed)))
        if keep_kernel and client.kc is not None:
            client.kc.stop_channels()
    return None
