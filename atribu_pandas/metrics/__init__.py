"""The math behind ``df.atribu``: pure functions from DataFrames to new DataFrames.

Ratios are always recomputed from sums of their additive parts (the ROAS of a total is
``sum(value) / sum(spend)``, never the mean of the ROAS), a zero denominator gives NaN
(never ``inf``), and no function modifies its input. Result frames carry a deep copy of
the input's ``attrs``, with ``attrs["atribu"]["derived"]`` naming the function that made
them, so provenance never claims a derived frame is the raw load. The accessor in
The ``df.atribu`` accessor is a thin layer over these functions; the sandbox may reuse them too.

One module per job: ``common`` (checks, safe division, labels),
``ratios`` (recompute, check),
``rollups``, ``models``,
``cohorts``, ``shrinkage``,
``creative``, ``currency``,
``reason_codes``, ``trend``,
``periods``, ``comparison``,
``targets`` (a client's targets) and
``budget`` (spend against a monthly budget). Every
public name is importable from here.
"""

from __future__ import annotations

from atribu_pandas.exceptions import MixedModelsWarning, ReachNotAdditiveWarning
from atribu_pandas.metrics.budget import PACING_WINDOW, pacing
from atribu_pandas.metrics.cohorts import compare_cohorts
from atribu_pandas.metrics.common import (
    ADDITIVE_COLUMNS,
    entity_labels,
    require_columns,
    safe_divide,
)
from atribu_pandas.metrics.comparison import (
    PeriodComparison,
    compare_periods,
    compare_periods_by,
)
from atribu_pandas.metrics.creative import CREATIVE_DNA, creative_patterns
from atribu_pandas.metrics.currency import convert_currency
from atribu_pandas.metrics.models import ModelComparison, compare_models
from atribu_pandas.metrics.periods import period_totals, pivot_periods
from atribu_pandas.metrics.ratios import (
    CAMPAIGN_RATIOS,
    TOP_PERFORMER_RATIOS,
    Ratio,
    check,
    ratios_for,
    recompute,
)
from atribu_pandas.metrics.reason_codes import (
    REASON_CODE_DTYPES,
    explode_reason_codes,
    reason_codes,
)
from atribu_pandas.metrics.rollups import campaign_names, rollup
from atribu_pandas.metrics.shrinkage import SHRINK_METRICS, shrink
from atribu_pandas.metrics.targets import TARGET_METRICS, against_targets, target_kind
from atribu_pandas.metrics.trend import TREND_VALUES, pivot_trend, pivot_trend_smoothed

__all__ = [
    "ADDITIVE_COLUMNS",
    "CAMPAIGN_RATIOS",
    "CREATIVE_DNA",
    "PACING_WINDOW",
    "REASON_CODE_DTYPES",
    "SHRINK_METRICS",
    "TARGET_METRICS",
    "TOP_PERFORMER_RATIOS",
    "TREND_VALUES",
    "MixedModelsWarning",
    "ModelComparison",
    "PeriodComparison",
    "Ratio",
    "ReachNotAdditiveWarning",
    "against_targets",
    "campaign_names",
    "check",
    "compare_cohorts",
    "compare_models",
    "compare_periods",
    "compare_periods_by",
    "convert_currency",
    "creative_patterns",
    "entity_labels",
    "explode_reason_codes",
    "pacing",
    "period_totals",
    "pivot_periods",
    "pivot_trend",
    "pivot_trend_smoothed",
    "ratios_for",
    "reason_codes",
    "recompute",
    "require_columns",
    "rollup",
    "safe_divide",
    "shrink",
    "target_kind",
]
