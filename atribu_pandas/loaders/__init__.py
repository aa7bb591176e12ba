"""Stage 3, the loaders: one call, one validated frame, from one or many requests.

- :mod:`.endpoints`: one loader per endpoint (campaigns, model comparison, trend,
  top performers);
- :mod:`.periods`: campaign figures period by period, and a window against another;
- :mod:`.workspace`: an agency's clients (one key each) in one frame; :mod:`.profiles`
  runs a loader per profile;
- :mod:`.defaults`: which client a loader uses when given none;
- :mod:`.engine`: what every loader shares (memo, concurrent GETs, provenance), and
  :mod:`.answer_checks`, the checks of an answer against its request.
"""

from atribu_pandas.loaders.endpoints import (
    MAX_ENTITY_IDS,
    load_campaign_trend,
    load_campaigns,
    load_model_comparison,
    load_top_performers,
)
from atribu_pandas.loaders.periods import load_campaign_periods, load_period_comparison

__all__ = [
    "MAX_ENTITY_IDS",
    "load_campaign_periods",
    "load_campaign_trend",
    "load_campaigns",
    "load_model_comparison",
    "load_period_comparison",
    "load_top_performers",
]
