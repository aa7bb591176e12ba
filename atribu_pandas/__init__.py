"""atribu-pandas: Atribu's Campaigns API as validated pandas DataFrames.

>>> import atribu_pandas as ap
>>> sb = ap.sandbox.start()
>>> df = ap.load_campaigns("2026-03-01", "2026-03-25", level="campaign", client=sb.client())

Importing the package registers the ``df.atribu`` accessor. The client and the loaders
(requests, requests-cache, pandera) load on first use of a name such as
``ap.load_campaigns``, and ``ap.metrics``, ``ap.sandbox``, ``ap.widgets`` and
``ap.reports`` on first use too, so ``import atribu_pandas`` costs little more than
pandas's own import and pulls in neither the sandbox's data generator nor ipywidgets,
matplotlib or nbclient.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from atribu_pandas import accessor as accessor
from atribu_pandas.core import moved
from atribu_pandas.core import vocabulary as vocabulary
from atribu_pandas.core.version import __version__
from atribu_pandas.core.vocabulary import LEVELS, MODELS, WINDOWS
from atribu_pandas.exceptions import (
    APIError,
    ArgumentError,
    AtribuConnectionError,
    AtribuError,
    AtribuTimeoutError,
    AtribuWarning,
    AuthenticationError,
    BadRequestError,
    CacheWarning,
    ConfigurationError,
    DemoDataWarning,
    EmptyReportWarning,
    EmptyResultWarning,
    LargeLoadWarning,
    LevelMismatchWarning,
    MissingExtraError,
    MixedCurrencyWarning,
    MixedModelsWarning,
    NotFoundError,
    PartialResultWarning,
    PayloadWarning,
    PermissionDeniedError,
    RateLimitError,
    ReachNotAdditiveWarning,
    ReportError,
    ResponseError,
    SchemaDriftWarning,
    SchemaError,
    ServerError,
    TransportError,
    TruncatedResultWarning,
    WorkspaceWarning,
)

if TYPE_CHECKING:
    from atribu_pandas.client.client import Client
    from atribu_pandas.frames.schemas import data_dictionary
    from atribu_pandas.loaders.defaults import (
        default_client,
        set_default_client,
        use_sandbox,
    )
    from atribu_pandas.loaders.endpoints import (
        MAX_ENTITY_IDS,
        load_campaign_trend,
        load_campaigns,
        load_model_comparison,
        load_top_performers,
    )
    from atribu_pandas.loaders.periods import load_campaign_periods, load_period_comparison
    from atribu_pandas.loaders.workspace import Workspace
    from atribu_pandas.metrics.reason_codes import reason_codes

__all__ = [
    "LEVELS",
    "MAX_ENTITY_IDS",
    "MODELS",
    "WINDOWS",
    "APIError",
    "ArgumentError",
    "AtribuConnectionError",
    "AtribuError",
    "AtribuTimeoutError",
    "AtribuWarning",
    "AuthenticationError",
    "BadRequestError",
    "CacheWarning",
    "Client",
    "ConfigurationError",
    "DemoDataWarning",
    "EmptyReportWarning",
    "EmptyResultWarning",
    "LargeLoadWarning",
    "LevelMismatchWarning",
    "MissingExtraError",
    "MixedCurrencyWarning",
    "MixedModelsWarning",
    "NotFoundError",
    "PartialResultWarning",
    "PayloadWarning",
    "PermissionDeniedError",
    "RateLimitError",
    "ReachNotAdditiveWarning",
    "ReportError",
    "ResponseError",
    "SchemaDriftWarning",
    "SchemaError",
    "ServerError",
    "TransportError",
    "TruncatedResultWarning",
    "Workspace",
    "WorkspaceWarning",
    "__version__",
    "data_dictionary",
    "default_client",
    "load_campaign_periods",
    "load_campaign_trend",
    "load_campaigns",
    "load_model_comparison",
    "load_period_comparison",
    "load_top_performers",
    "metrics",
    "reason_codes",
    "reports",
    "sandbox",
    "set_default_client",
    "use_sandbox",
    "vocabulary",
    "widgets",
]

# Modules that moved to their stage's package keep their old import path for one release.
moved.install()

_LAZY_MODULES = ("metrics", "reports", "sandbox", "widgets")
# What each notebook-side package imports from the notebook extra.
_NOTEBOOK_MODULES = {
    "widgets": ("ap.widgets", "ipywidgets", "matplotlib"),
    "reports": ("ap.reports", "nbclient", "nbformat", "nbconvert", "matplotlib"),
}
# Where each lazily loaded name lives. The client, the loaders and the schemas (requests,
# requests-cache, pandera) load on first use, so `import atribu_pandas` costs little more
# than pandas, and the report command starts its kernel sooner.
_LAZY_NAMES: dict[str, str] = {
    "Client": "client.client",
    "default_client": "loaders.defaults",
    "set_default_client": "loaders.defaults",
    "use_sandbox": "loaders.defaults",
    "MAX_ENTITY_IDS": "loaders.endpoints",
    "load_campaign_trend": "loaders.endpoints",
    "load_campaigns": "loaders.endpoints",
    "load_model_comparison": "loaders.endpoints",
    "load_reason_codes": "metrics.reason_codes",
    "load_top_performers": "loaders.endpoints",
    "reason_codes": "metrics.reason_codes",
    "load_campaign_periods": "loaders.periods",
    "load_period_comparison": "loaders.periods",
    "data_dictionary": "frames.schemas",
    "Workspace": "loaders.workspace",
}

# Old names kept for one release, by the module that answers for them.
_RENAMED: dict[str, str] = {"TimeoutError": "exceptions", "ConnectionError": "exceptions"}


def __getattr__(name: str) -> Any:
    # Heavy or optional parts load on first use (PEP 562).
    if name in _LAZY_MODULES:
        if name in _NOTEBOOK_MODULES:
            from atribu_pandas.core.extras import require_notebook_extra

            require_notebook_extra(*_NOTEBOOK_MODULES[name])
        module = importlib.import_module(f"atribu_pandas.{name}")
        globals()[name] = module
        return module
    if name in _RENAMED:
        # Answered by the module that renamed it, which says so at the user's line.
        return getattr(importlib.import_module(f"atribu_pandas.{_RENAMED[name]}"), name)
    home = _LAZY_NAMES.get(name)
    if home is not None:
        value = getattr(importlib.import_module(f"atribu_pandas.{home}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'atribu_pandas' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
