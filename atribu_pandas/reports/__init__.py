"""Report notebooks rendered to HTML an agency can send as it is (and PDF, CSV, Excel).

The package has one module per job:

- :mod:`.templates`: the templates, their ``parameters`` cell and the check of each value;
- :mod:`.run`: run a template in a kernel (nbclient) and write the outputs;
- :mod:`.export`: offline HTML (every output cleaned, a Content-Security-Policy that runs
  no script), PDF (headless Chromium), the key guard;
- :mod:`.printing`: the paper of the report's locale (Letter or A4) and the print layout;
- :mod:`.tables`: the tables as CSV in the locale's dialect, with no live formula;
- :mod:`.workbook`: the tables as one workbook, each cell in its number format;
- :mod:`.files`: every file written whole, with the mode the user's umask gives;
- :mod:`.logo`: the logo, checked before any kernel starts and shrunk to what is shown;
- ``display.markup`` (shared with the widgets): values as text, Markdown without
  markup, the allow-list sanitiser;
- ``display.formats`` (shared with the widgets): money, numbers, percentages and
  dates per currency and locale (Babel);
- :mod:`.report`: one report in a notebook (``setup``, the frames it keeps, the empty
  window that ends it early), so a template's cells need no guards;
- :mod:`.helpers`: what the notebooks call (heading, banner, cards, tables, Markdown);
- :mod:`.payload`: what each table carries for ``--tables`` (kinds, headers, currency);
- :mod:`.marks`: the marks on cells on the wrong side of a client's target;
- :mod:`.goals`: a report's pacing section, and the month's loads behind it;
- :mod:`.empty`: the one page a window without data gets;
- :mod:`.footer`: the client's footer line and the technical appendix;
- :mod:`.summary`: the executive summary's sentences, computed from the data;
- :mod:`.messages`: the catalogs' messages, from the code and the templates' Markdown;
- :mod:`.batch`: one report per client of a workspace, on reused kernels, with
  :mod:`.settings` (the clients' settings file), :mod:`.namespace` (what a reused kernel
  forgets between two clients) and :mod:`.index` (the page linking the reports);
- :mod:`.cli`: the ``report`` and ``templates`` commands.

Importing this package is cheap: nbclient, nbconvert and IPython load when used.
"""

from __future__ import annotations

from atribu_pandas.core.dates import DEFAULT_WINDOW_DAYS, resolve_window
from atribu_pandas.display.formats import Formats
from atribu_pandas.exceptions import EmptyReportWarning, ReportError
from atribu_pandas.reports.batch import ClientReport, WorkspaceReports, render_workspace
from atribu_pandas.reports.blocks import export_table, show_kpis, show_summary, show_table
from atribu_pandas.reports.cli import add_report_arguments, run_report, run_templates
from atribu_pandas.reports.empty import empty_window_advice, show_empty
from atribu_pandas.reports.export import remote_resources
from atribu_pandas.reports.footer import show_footer
from atribu_pandas.reports.goals import load_pacing, show_pacing
from atribu_pandas.reports.helpers import (
    show_banner,
    show_markdown,
    start,
)
from atribu_pandas.reports.kernel import KERNEL_NAME
from atribu_pandas.reports.report import Report, ReportEnded, setup
from atribu_pandas.reports.run import (
    RenderedReport,
    render,
    render_report,
)
from atribu_pandas.reports.summary import truncated
from atribu_pandas.reports.templates import (
    COHORT_COLUMNS,
    ROLLING_DAYS,
    TREND_TOP_LIMIT,
    check_parameters,
    list_templates,
    template_path,
)

__all__ = [
    "COHORT_COLUMNS",
    "DEFAULT_WINDOW_DAYS",
    "KERNEL_NAME",
    "ROLLING_DAYS",
    "TREND_TOP_LIMIT",
    "ClientReport",
    "EmptyReportWarning",
    "Formats",
    "RenderedReport",
    "Report",
    "ReportEnded",
    "ReportError",
    "WorkspaceReports",
    "add_report_arguments",
    "check_parameters",
    "empty_window_advice",
    "export_table",
    "list_templates",
    "load_pacing",
    "remote_resources",
    "render",
    "render_report",
    "render_workspace",
    "resolve_window",
    "run_report",
    "run_templates",
    "setup",
    "show_banner",
    "show_empty",
    "show_footer",
    "show_kpis",
    "show_markdown",
    "show_pacing",
    "show_summary",
    "show_table",
    "start",
    "template_path",
    "truncated",
]
