"""Check and normalise arguments before any request is sent: the one home of the checks.

- :mod:`.values`: numbers, counts, flags, column names and frequencies, for every public
  function (loaders, the accessor, plotting, widgets, the client's options);
- :mod:`.query`: the API's own arguments (days, models, levels, limits, filters), which
  the sandbox reuses so both sides agree.
"""

from atribu_pandas.core.params.goals import check_monthly_budget, check_target
from atribu_pandas.core.params.query import (
    CAMPAIGNS_LIMIT,
    FILTERS,
    MAX_RANGE_DAYS,
    MAX_ROLLING,
    MAX_TREND_IDS,
    TOP_PERFORMERS_LIMIT,
    check_bool,
    check_date,
    check_date_range,
    check_entity_ids,
    check_filter,
    check_level,
    check_limit,
    check_min_spend,
    check_model,
    check_str_list,
    check_window,
)
from atribu_pandas.core.params.values import (
    calendar_bins,
    check_column,
    check_columns,
    check_count,
    check_currency,
    check_flag,
    check_freq,
    check_nonnegative,
    check_number,
    whole_number,
)

__all__ = [
    "CAMPAIGNS_LIMIT",
    "FILTERS",
    "MAX_RANGE_DAYS",
    "MAX_ROLLING",
    "MAX_TREND_IDS",
    "TOP_PERFORMERS_LIMIT",
    "calendar_bins",
    "check_bool",
    "check_column",
    "check_columns",
    "check_count",
    "check_currency",
    "check_date",
    "check_date_range",
    "check_entity_ids",
    "check_filter",
    "check_flag",
    "check_freq",
    "check_level",
    "check_limit",
    "check_min_spend",
    "check_model",
    "check_monthly_budget",
    "check_nonnegative",
    "check_number",
    "check_str_list",
    "check_target",
    "check_window",
    "whole_number",
]
