"""Draw the pictures of the periods and workspace docs pages from sandbox data.

Run from the repository root: ``.venv/bin/python docs/img/make_period_images.py``. It
starts the sandbox (seed 0) and writes ``roas-over-time.png`` (52 weeks) and
``period-change.png`` (the last 28 days against the 28 before) into ``docs/img/``.
"""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt

import atribu_pandas as ap

__all__ = ["main"]

HERE = Path(__file__).resolve().parent


def main() -> None:
    """Write the two PNGs beside this script."""
    warnings.simplefilter("ignore")
    with ap.sandbox.start(seed=0) as sb:
        client = sb.client()
        end = sb.last_day
        weeks = ap.load_campaign_periods(end - dt.timedelta(days=363), end, client=client)
        ax = weeks.atribu.plot.roas_over_time()
        ax.figure.savefig(HERE / "roas-over-time.png", dpi=100)
        plt.close(ax.figure)
        both = ap.load_period_comparison(
            end - dt.timedelta(days=27), end, level="ad", client=client
        )
        ax = both.atribu.plot.period_change("roas", top=12)
        ax.figure.savefig(HERE / "period-change.png", dpi=100)
        plt.close(ax.figure)
    print("wrote", HERE / "roas-over-time.png", HERE / "period-change.png")


if __name__ == "__main__":
    main()
