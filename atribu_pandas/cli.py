"""The ``atribu-pandas`` command: a thin shell over the library.

``atribu-pandas sandbox`` serves the sandbox in the foreground; ``report`` renders a
report template to HTML (its arguments and behaviour live in ``reports``);
``templates`` lists the templates and their parameters. Each subcommand imports what it
needs only when it runs, so ``--help`` and ``sandbox`` start quickly.

Every option is checked before any work starts (no kernel is started, no port bound, for
a report whose ``-o`` cannot be written): a bad one is answered with one line on stderr
and exit status 2.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from atribu_pandas.core.extras import require_notebook_extra
from atribu_pandas.core.version import __version__
from atribu_pandas.exceptions import AtribuError

__all__ = ["build_parser", "main"]

# A -p value longer than this is refused: a template parameter is a date, a name or a short
# list, and parsing a megabyte of nested brackets is a way to crash, not to configure.
MAX_PARAM_LENGTH = 10_000


class _Parser(argparse.ArgumentParser):
    """An argument parser whose refusal is one line (not the usage block) and status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")


def _port(text: str) -> int:
    value = _whole(text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port: 0 to 65535 (0: any free one)")
    return value


def _positive(text: str) -> int:
    value = _whole(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not allowed: a whole number >= 1")
    return value


def _seed(text: str) -> int:
    value = _whole(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not allowed: a whole number >= 0")
    return value


def _whole(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None


def _output_problem(output: str | None, folder: bool = False) -> str | None:
    """Why ``-o`` cannot be written, or None; checked before the notebook runs.

    ``folder``: ``-o`` names the folder of a batch (``--workspace``), which may exist
    already (last month's run is overwritten client by client)."""
    if output is None:
        return None
    if not output.strip():
        if folder:
            return "-o needs a folder, such as reports/november"
        return "-o needs a file name, such as reports/campaigns.html"
    path = Path(output)
    if folder and path.exists() and not path.is_dir():
        return f"-o {output!r} is a file: with --workspace, -o names a folder"
    if folder and path.is_dir():
        path = path / "index.html"
    elif path.is_dir():
        return (
            f"-o {output!r} is a folder: name a file in it, such as {str(path / 'report.html')!r}"
        )
    parent = path.parent
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir():
        return f"-o {output!r} cannot be made: {str(parent)!r} is a file, not a folder"
    if not os.access(parent, os.W_OK | os.X_OK):
        return f"-o {output!r} cannot be written: no permission to write in {str(parent)!r}"
    return None


def _param_problem(items: Sequence[str]) -> str | None:
    for item in items:
        name, sep, _ = item.partition("=")
        if not sep or not name.strip():
            return f"-p expects NAME=VALUE, got {item[:60]!r}"
        if len(item) > MAX_PARAM_LENGTH:
            return (
                f"-p {name.strip()}=... is {len(item):,} characters: at most {MAX_PARAM_LENGTH:,}"
            )
    return None


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``atribu-pandas`` command.

    Examples
    --------
    >>> build_parser().parse_args(["sandbox", "--port", "8787"]).port
    8787
    >>> build_parser().parse_args(["report", "trends", "--demo"]).demo
    True
    """
    from atribu_pandas.reports import add_report_arguments

    parser = _Parser(
        prog="atribu-pandas", description="Atribu's Campaigns API in pandas and Jupyter."
    )
    parser.add_argument("--version", action="version", version=f"atribu-pandas {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    sandbox = commands.add_parser("sandbox", help="serve the local sandbox API in the foreground")
    sandbox.add_argument(
        "--port", type=_port, default=8787, help="port on 127.0.0.1 (default 8787)"
    )
    sandbox.add_argument("--seed", type=_seed, default=0, help="dataset seed (default 0)")
    sandbox.add_argument(
        "--rate-limit", type=_positive, default=60, help="requests per minute per key (default 60)"
    )
    report = commands.add_parser("report", help="render a report template to HTML")
    add_report_arguments(report)
    commands.add_parser("templates", help="list the report templates and their parameters")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status.

    Examples
    --------
    >>> main(["templates"])  # doctest: +SKIP
    0
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "report":
        problem = _output_problem(args.output, args.workspace) or _param_problem(args.param)
        if problem:
            parser.error(problem)
        # nbformat's validator imports jsonschema, whose optional IRI format check builds
        # a grammar when imported (0.8 s, a third of a report's start); nbformat's schema
        # checks no IRI. Left out of this process only (the notebooks run in kernels), and
        # only where nothing has imported it yet.
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        return _run(args)
    finally:
        signal.signal(signal.SIGTERM, previous)


# What the report and templates commands import from the notebook extra.
_REPORT_MODULES = ("nbclient", "nbformat", "nbconvert", "ipykernel", "matplotlib")


class _Terminated(BaseException):
    """SIGTERM arrived: unwinds like Ctrl-C (the kernel is stopped on the way out)."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise _Terminated


def _left_as_it_was(args: argparse.Namespace) -> str:
    output = getattr(args, "output", None)
    if args.command != "report":
        return "stopped"
    if getattr(args, "workspace", False):
        return (
            "the client reports finished before it are whole; the others and the index "
            "were not written"
        )
    where = f"the file at {output}" if output else "any earlier report"
    return f"no report was written ({where} is as it was)"


def _run(args: argparse.Namespace) -> int:
    try:
        if args.command == "sandbox":
            from atribu_pandas.sandbox import serve

            try:
                serve(port=args.port, seed=args.seed, rate_limit=args.rate_limit)
            except OSError as error:
                # Most often the port is taken (another sandbox still running).
                print(
                    f"atribu-pandas: error: cannot serve on 127.0.0.1:{args.port} "
                    f"({error.strerror or error}); pick another --port, or 0 for any free one",
                    file=sys.stderr,
                )
                return 2
            return 0
        if args.command == "templates":
            require_notebook_extra("The templates command", *_REPORT_MODULES)
            from atribu_pandas.reports import run_templates

            return run_templates(args)
        require_notebook_extra("The report command", *_REPORT_MODULES)
        from atribu_pandas.reports import run_report

        return run_report(args)
    except AtribuError as error:
        print(f"atribu-pandas: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"atribu-pandas: interrupted; {_left_as_it_was(args)}", file=sys.stderr)
        return 130
    except _Terminated:
        print(f"atribu-pandas: stopped by SIGTERM; {_left_as_it_was(args)}", file=sys.stderr)
        return 143
    except BrokenPipeError:
        # Output piped into `head` and the reader left: not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as error:
        # The disk filled up or the folder went read-only while the report ran: one line,
        # and any earlier report at -o is untouched (reports are renamed into place).
        print(f"atribu-pandas: error: {error.strerror or error}: {error.filename}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
