"""Old module paths, answered for one release: each forwards to the module's new home.

The package is laid out by stage (``docs/design.md``); modules that moved keep their old
import path through one finder rather than a shim file each. ``import
atribu_pandas.plotting`` gives a stand-in module whose every attribute comes from
``atribu_pandas.display.charts`` with a ``DeprecationWarning`` at the user's line.

Examples
--------
>>> import warnings
>>> import atribu_pandas as ap
>>> with warnings.catch_warnings(record=True) as caught:
...     warnings.simplefilter("always")
...     from atribu_pandas.vocabulary import MODELS
>>> MODELS is ap.MODELS
True
>>> str(caught[0].message).split(";")[0]
'atribu_pandas.vocabulary is deprecated: use atribu_pandas.core.vocabulary'
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import types
from collections.abc import Sequence
from typing import Any

from atribu_pandas.exceptions import warn_renamed

__all__ = ["MOVED", "install"]

_P = "atribu_pandas."
# Old path -> new path, for the modules that moved when the package was laid out by stage.
# (`client`, `frames` and `loaders` became packages that still answer for their old names.)
MOVED: dict[str, str] = {
    _P + old: _P + new
    for old, new in {
        "redact": "core.redact",
        "extras": "core.extras",
        "config": "core.config",
        "dates": "core.dates",
        "vocabulary": "core.vocabulary",
        "params": "core.params",
        "params.query": "core.params.query",
        "params.values": "core.params.values",
        "transport": "client.transport",
        "http_errors": "client.http_errors",
        "ratelimit": "client.ratelimit",
        "payload": "client.payload",
        "cancellation": "client.cancellation",
        "cache": "client.cache",
        "policy": "frames.policy",
        "quality": "frames.quality",
        "schemas": "frames.schemas",
        "schemas.campaigns": "frames.schemas.campaigns",
        "schemas.fields": "frames.schemas.fields",
        "schemas.top_performers": "frames.schemas.top_performers",
        "loading": "loaders.engine",
        "answer_checks": "loaders.answer_checks",
        "periods": "loaders.periods",
        "profiles": "loaders.profiles",
        "workspace": "loaders.workspace",
        "demo": "loaders.defaults",
        "plot_accessor": "display.charts.accessor",
        "chart_theme": "display.charts.theme",
        "plotting": "display.charts",
        "trend_plots": "display.charts.trends",
        "period_plots": "display.charts.periods",
        "formats": "display.formats",
        "banner": "display.banner",
        "markup": "display.markup",
    }.items()
}
# Old paths that were packages: the import system looks their submodules up under them.
_PACKAGES = {_P + "params", _P + "schemas"}


class _MovedModule(types.ModuleType):
    """Stands at an old path; every public attribute comes from the new module, with a warning."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name != "__all__":
            raise AttributeError(name)
        new = MOVED[self.__name__]
        warn_renamed(self.__name__, new)
        return getattr(importlib.import_module(new), name)

    def __dir__(self) -> list[str]:
        return dir(importlib.import_module(MOVED[self.__name__]))


class _MovedFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: types.ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname not in MOVED:
            return None
        return importlib.util.spec_from_loader(fullname, self, is_package=fullname in _PACKAGES)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        return _MovedModule(spec.name)

    def exec_module(self, module: types.ModuleType) -> None:
        # The stand-in holds nothing of its own: its attributes are fetched when used.
        return None


_FINDER = _MovedFinder()


def install() -> None:
    """Answer for the old paths (idempotent); ``atribu_pandas`` calls it on import."""
    if _FINDER not in sys.meta_path:
        # Last, so a module that exists under its path is always found first.
        sys.meta_path.append(_FINDER)
