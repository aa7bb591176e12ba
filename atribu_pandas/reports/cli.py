"""The ``report`` and ``templates`` commands (wired by ``cli``).

Exit status, one table for the docs and the tests:

======  ==========================================================================
0       done: the HTML (and any PDF and tables) written
1       failed while running: a cell failed, the kernel died, the export failed
2       refused before running: a bad parameter, option or output path; nothing ran
10 + N  ``--workspace``: N clients' reports failed (each is a one-page report saying
        why; the others and the index are written); at most 125
======  ==========================================================================
"""

from __future__ import annotations

import argparse
import ast
import sys
import warnings
from typing import Any

from atribu_pandas.core import vocabulary
from atribu_pandas.exceptions import ArgumentError, EmptyReportWarning, ReportError
from atribu_pandas.reports.batch import render_workspace
from atribu_pandas.reports.run import render
from atribu_pandas.reports.templates import inspect_template, template_names, template_path

__all__ = [
    "EXIT_DONE",
    "EXIT_FAILED",
    "EXIT_REFUSED",
    "EXIT_SOME_FAILED",
    "add_report_arguments",
    "run_report",
    "run_templates",
]

EXIT_DONE = 0
EXIT_FAILED = 1
EXIT_REFUSED = 2
# --workspace: EXIT_SOME_FAILED + N when N clients' reports failed (shells keep 126 up).
EXIT_SOME_FAILED = 10
# CLI options that are template parameters of the same name.
_PARAMETER_OPTIONS = (
    "date_from",
    "date_to",
    "model",
    "level",
    "window",
    "client_name",
    "title",
    "currency",
    "locale",
    "language",
    "logo",
    "notes",
)


def add_report_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``report`` command's arguments to a parser.

    For a tool of your own that takes the same options as ``atribu-pandas report``, then
    hands them to :func:`run_report`.

    Parameters
    ----------
    parser : argparse.ArgumentParser
        The parser (or subcommand parser) to add them to; changed in place.

    Examples
    --------
    >>> import argparse
    >>> parser = argparse.ArgumentParser()
    >>> add_report_arguments(parser)
    >>> parser.parse_args(["campaign_performance", "--demo", "--currency", "EUR"]).currency
    'EUR'
    """
    parser.add_argument(
        "name", help="a template (see `atribu-pandas templates`), or a .py or .ipynb notebook"
    )
    parser.add_argument("--date-from", help="first day, YYYY-MM-DD (default: 28 days back)")
    parser.add_argument("--date-to", help="last day, YYYY-MM-DD (default: yesterday)")
    parser.add_argument("--model", help="attribution model: " + ", ".join(vocabulary.MODELS))
    parser.add_argument("--level", help="entity level: " + ", ".join(vocabulary.LEVELS))
    parser.add_argument("--window", help="scoring window: " + ", ".join(vocabulary.WINDOWS))
    parser.add_argument("--client-name", help="who the report is for, shown at the top")
    parser.add_argument("--title", help="the report's heading")
    parser.add_argument(
        "--currency", help="ISO 4217 code of the amounts (default: $ATRIBU_CURRENCY, else USD)"
    )
    parser.add_argument("--locale", help="number and date formats, e.g. en_US, de_DE, es_MX")
    parser.add_argument(
        "--language",
        help="the report's words: en, de, es, fr or pt_BR (default: the locale's language)",
    )
    parser.add_argument("--logo", help="a local image file shown at the top (embedded)")
    parser.add_argument("--notes", help="your own words at the top (Markdown)")
    parser.add_argument(
        "-p",
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="any other template parameter (a Python literal, else a string); repeatable",
    )
    parser.add_argument(
        "-o",
        "--output",
        help="HTML file (default: reports/NAME.html); with --workspace, the folder "
        "(default: reports/NAME/)",
    )
    parser.add_argument("--pdf", action="store_true", help="also write a PDF beside the HTML")
    parser.add_argument(
        "--appendix",
        action="store_true",
        help="with --pdf: print the technical details (parameters, request ids) on its last page",
    )
    parser.add_argument(
        "--tables", metavar="DIR", help="also write every table as CSV and one .xlsx into DIR"
    )
    parser.add_argument(
        "--csv-dialect",
        choices=("locale", "plain"),
        default="locale",
        help="CSV conventions: the locale's (de_DE: ';' and ',', as Excel opens them; the "
        "default) or plain RFC 4180 (',' and '.')",
    )
    parser.add_argument("--demo", action="store_true", help="use the built-in sandbox")
    parser.add_argument(
        "--workspace",
        action="store_true",
        help="one report per client: the keys of $ATRIBU_API_KEYS and of --settings (with "
        "--demo, the sandbox's --profiles), into a folder with an index.html",
    )
    parser.add_argument(
        "--settings",
        metavar="FILE",
        help="with --workspace: the clients' settings (TOML: name, currency, locale, logo, "
        "targets, monthly budget, key)",
    )
    parser.add_argument(
        "--profiles",
        type=int,
        metavar="N",
        help="with --workspace --demo: how many sandbox clients (default 2)",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        metavar="N",
        help="with --workspace: reports at once (default: one more than the cores)",
    )
    parser.add_argument("--keep-code", action="store_true", help="show the code in the HTML")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar")


def _literal(text: str) -> Any:
    try:
        return ast.literal_eval(text)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        # Not a literal Python can read (or too deeply nested to): the text as it is.
        return text


def _parameters(args: argparse.Namespace) -> dict[str, Any] | None:
    """The template parameters the options and ``-p`` give; None (said) for a bad ``-p``."""
    parameters: dict[str, Any] = {}
    for option in _PARAMETER_OPTIONS:
        value = getattr(args, option, None)
        if value is not None:
            parameters[option] = value
    for item in args.param:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            print(f"error: -p expects NAME=VALUE, got {item!r}", file=sys.stderr)
            return None
        parameters[key.strip()] = _literal(value.strip())
    return parameters


def _run_options(args: argparse.Namespace) -> dict[str, Any]:
    """How a report runs and what it writes besides its HTML: the same for one report and
    for each client's of a batch."""
    return {
        "demo": args.demo,
        "keep_code": args.keep_code,
        "progress": not args.quiet,
        "pdf": args.pdf,
        "appendix": args.appendix,
        "tables": args.tables,
        "csv_dialect": args.csv_dialect,
    }


def run_report(args: argparse.Namespace) -> int:
    """Run the ``report`` command from parsed arguments; print the HTML path.

    Errors are printed on stderr as ``error: ...``, not raised.

    Parameters
    ----------
    args : argparse.Namespace
        What a parser set up by :func:`add_report_arguments` parsed.

    Returns
    -------
    int
        0 done, 1 failed while running, 2 refused before running (see the module's table).

    Examples
    --------
    >>> import argparse
    >>> parser = argparse.ArgumentParser()
    >>> add_report_arguments(parser)
    >>> run_report(parser.parse_args(["nope"]))  # no template of that name: refused
    2
    """
    parameters = _parameters(args)
    if parameters is None:
        return EXIT_REFUSED
    if not args.workspace and (args.settings or args.jobs is not None or args.profiles):
        print("error: --settings, --jobs and --profiles go with --workspace", file=sys.stderr)
        return EXIT_REFUSED
    if args.profiles is not None and not args.demo:
        print("error: --profiles goes with --demo (the sandbox's clients)", file=sys.stderr)
        return EXIT_REFUSED
    if args.workspace:
        return _run_workspace(args, parameters)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", EmptyReportWarning)
            done = render(
                args.name, output=args.output, parameters=parameters, **_run_options(args)
            )
    except ReportError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_REFUSED if isinstance(err.__cause__, ArgumentError) else EXIT_FAILED
    for warning in caught:
        if issubclass(warning.category, EmptyReportWarning):
            print(f"note: {warning.message} (the report is one page)", file=sys.stderr)
    for path in [*done.tables, *([done.pdf] if done.pdf else [])]:
        print(path, file=sys.stderr)
    print(done.html)
    return EXIT_DONE


def _run_workspace(args: argparse.Namespace, parameters: dict[str, Any]) -> int:
    try:
        with warnings.catch_warnings():
            # Each client's empty window is on its page and in the index's status column.
            warnings.simplefilter("ignore", EmptyReportWarning)
            done = render_workspace(
                args.name,
                output_dir=args.output,
                settings=args.settings,
                profiles=args.profiles or 2,
                parameters=parameters,
                jobs=args.jobs,
                **_run_options(args),
            )
    except ReportError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_REFUSED if isinstance(err.__cause__, ArgumentError) else EXIT_FAILED
    for client in done.failed:
        print(f"failed: {client.name}: {client.error} ({client.html})", file=sys.stderr)
    print(done.index)
    if done.failed:
        return min(EXIT_SOME_FAILED + len(done.failed), 125)
    return EXIT_DONE


def run_templates(args: argparse.Namespace | None = None) -> int:
    """Print every template with its parameters, defaults and help.

    Parameters
    ----------
    args : argparse.Namespace, optional
        The parsed ``templates`` command; it has no options, so it is not read.

    Returns
    -------
    int
        0, the command's exit status.

    Examples
    --------
    >>> run_templates()  # doctest: +ELLIPSIS
    agency_overview
    ...
    trends
    ...
    0
    """
    for name in template_names():
        print(name)
        for param, info in inspect_template(template_path(name)).items():
            help_text = f"  # {info['help']}" if info.get("help") else ""
            print(f"    {param} = {info['default']}{help_text}")
    return EXIT_DONE
