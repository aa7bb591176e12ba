"""Make the report screenshots of the docs (``docs/img/report-*.png``).

Renders every report template on the sandbox (``--demo``) and photographs the top of
each HTML file with headless Chromium, offline. Run from the repository root:
``.venv/bin/python docs/img/make_report_images.py [NAME ...]``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

__all__ = ["main"]

HERE = Path(__file__).resolve().parent
NAMES = (
    "campaign_performance",
    "attribution_models",
    "top_performers",
    "trends",
    "agency_overview",
)


def main() -> int:
    """Render each report and save ``report-<name>.png`` beside this script."""
    from atribu_pandas.reports import render

    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        print("Chromium is missing: apt-get install -y chromium", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        for name in sys.argv[1:] or NAMES:  # or only the reports named
            page = render(
                name,
                output=Path(tmp) / f"{name}.html",
                demo=True,
                parameters={"client_name": "Glow Clinics"},
            ).html
            shot = HERE / f"report-{name}.png"
            subprocess.run(
                [
                    browser,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--no-first-run",
                    "--hide-scrollbars",
                    f"--user-data-dir={Path(tmp) / 'profile'}",
                    "--proxy-server=127.0.0.1:9",
                    "--host-resolver-rules=MAP * ~NOTFOUND",
                    "--window-size=1280,1800",
                    f"--screenshot={shot}",
                    page.as_uri(),
                ],
                check=True,
                capture_output=True,
            )
            print(shot)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
