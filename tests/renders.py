"""What the report tests render, in one place: the templates, the languages, the command.

The session's renders (tests/notebooks/conftest.py) are shared by every report test that
reads a rendered page, workbook or PDF, so each template runs once per language.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

__all__ = ["APPENDIX", "CLI", "LOCALES", "NAMES", "ROOT", "start_report"]

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "atribu_pandas.cli"]
NAMES = [
    "campaign_performance",
    "attribution_models",
    "top_performers",
    "trends",
    "agency_overview",
]
# Each translated language with the locale and currency its renders use.
LOCALES = {"de": ("de_DE", "EUR"), "es": ("es_ES", "EUR"), "fr": ("fr_FR", "EUR")}
LOCALES |= {"pt_BR": ("pt_BR", "BRL")}
# The render that also prints its PDF with the technical details on the last page.
APPENDIX = ("campaign_performance", "pt_BR")


def start_report(args: Sequence[str], env: Mapping[str, str]) -> subprocess.Popen[str]:
    """Start ``atribu-pandas report ARGS`` from the repository, its output captured."""
    return subprocess.Popen(
        [*CLI, "report", *args],
        env=dict(env),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
