"""The ``atribu-pandas`` command: a thin shell over the library.

``atribu-pandas sandbox`` serves the sandbox in the foreground; ``report`` renders a
report template to HTML (its arguments and behaviour live in :mod:`atribu_pandas.reports`);
``templates`` lists the templates and their parameters. Each subcommand imports what it
needs only when it runs, so ``--help`` and ``sandbox`` start quickly.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from atribu_pandas._version import __version__
from atribu_pandas.exceptions import AtribuError

__all__ = ["build_parser", "main"]


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

    parser = argparse.ArgumentParser(
        prog="atribu-pandas", description="Atribu's Campaigns API in pandas and Jupyter."
    )
    parser.add_argument("--version", action="version", version=f"atribu-pandas {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    sandbox = commands.add_parser("sandbox", help="serve the local sandbox API in the foreground")
    sandbox.add_argument("--port", type=int, default=8787, help="port on 127.0.0.1 (default 8787)")
    sandbox.add_argument("--seed", type=int, default=0, help="dataset seed (default 0)")
    sandbox.add_argument(
        "--rate-limit", type=int, default=60, help="requests per minute per key (default 60)"
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
    args = build_parser().parse_args(argv)
    try:
        if args.command == "sandbox":
            from atribu_pandas.sandbox import serve

            serve(port=args.port, seed=args.seed, rate_limit=args.rate_limit)
            return 0
        if args.command == "templates":
            from atribu_pandas.reports import run_templates

            return run_templates(args)
        from atribu_pandas.reports import run_report

        return run_report(args)
    except AtribuError as error:
        print(f"atribu-pandas: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # Output piped into `head` and the reader left: not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
