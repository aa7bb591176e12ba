"""The ``atribu-pandas`` command: a thin shell over the library.

``atribu-pandas sandbox`` serves the sandbox in the foreground; ``report`` renders a
report template to HTML; ``templates`` lists the templates and their parameters.
Each subcommand imports what it needs only when it runs.
"""

from __future__ import annotations

import argparse
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
    """
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
    report.add_argument("name", help="template name (see `atribu-pandas templates`)")
    report.add_argument("--date-from", help="first day, YYYY-MM-DD")
    report.add_argument("--date-to", help="last day, YYYY-MM-DD")
    report.add_argument("--model", help="attribution model")
    report.add_argument("--level", help="campaign, ad_set or ad")
    report.add_argument("--window", help="top-performers window: 7d, 14d, 28d or lifetime")
    report.add_argument("-o", "--output", help="HTML file to write (default reports/NAME.html)")
    report.add_argument("--demo", action="store_true", help="use the sandbox's demo data")
    report.add_argument("--keep-code", action="store_true", help="show the code cells")

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
            from atribu_pandas.reports import list_templates

            for name, parameters in list_templates().items():
                print(name)
                for key, value in parameters.items():
                    print(f"    {key} = {value!r}")
            return 0
        from atribu_pandas.reports import render_report

        parameters = {
            key: getattr(args, key)
            for key in ("date_from", "date_to", "model", "level", "window")
            if getattr(args, key) is not None
        }
        path = render_report(
            args.name,
            output=args.output,
            parameters=parameters,
            demo=args.demo,
            keep_code=args.keep_code,
        )
        print(path)
        return 0
    except AtribuError as error:
        print(f"atribu-pandas: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
