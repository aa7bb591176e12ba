"""Every chart the package draws, on Matplotlib Axes, in one look.

- :mod:`.campaigns`: entity and model charts of ``/campaigns`` and top-performer frames;
- :mod:`.ads`: the cohort and shrinkage charts of a top-performers frame's ads;
- :mod:`.words`: the charts' phrases per entity level, for the catalogs;
- :mod:`.trends`: the trend chart;
- :mod:`.periods`: ROAS over time and the change between periods;
- :mod:`.theme`: palette, currency labels, tick formats, the empty-chart note;
- :mod:`.accessor`: ``df.atribu.plot``.

The charts are also reachable from here (``charts.roas_bar``); they load on first use,
so importing the accessor does not import Matplotlib.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "DEFAULT_CURRENCY",
    "NO_DATA",
    "PALETTE",
    "THEME",
    "cohort_box",
    "currency_of",
    "model_heatmap",
    "period_change",
    "roas_bar",
    "roas_over_time",
    "shrinkage",
    "spend_vs_value",
    "trend",
    "use_theme",
]

_HOMES = {
    "DEFAULT_CURRENCY": "atribu_pandas.core.config",
    "currency_of": "atribu_pandas.frames.provenance",
    "NO_DATA": "theme",
    "PALETTE": "theme",
    "THEME": "theme",
    "use_theme": "theme",
    "cohort_box": "ads",
    "model_heatmap": "campaigns",
    "roas_bar": "campaigns",
    "shrinkage": "ads",
    "spend_vs_value": "campaigns",
    "trend": "trends",
    "period_change": "periods",
    "roas_over_time": "periods",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = home if home.startswith("atribu_pandas.") else f"{__name__}.{home}"
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
