"""The package's public names, as the API reference and the docstring checks see them.

Public means: a name in the ``__all__`` of :mod:`atribu_pandas` or of one of its public
subpackages (``metrics``, ``reports``, ``sandbox``, ``widgets``), the exceptions and
warnings, the ``df.atribu`` and ``df.atribu.plot`` accessors, and the public methods and
properties each public class defines itself (not those it inherits from ``Exception``,
ipywidgets or the standard library). Constants are public too, but carry no docstring of
their own: the reference documents them as data.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from types import ModuleType
from typing import Any

__all__ = ["PublicName", "public_members", "public_names"]

SUBPACKAGES = ("metrics", "reports", "sandbox", "widgets")


@dataclass(frozen=True)
class PublicName:
    """A public name: its dotted path and what kind of object it is."""

    path: str
    kind: str  # "function", "class", "method", "property" or "data"

    @property
    def documented(self) -> bool:
        """Whether numpydoc's validator applies (data has no docstring of its own)."""
        return self.kind != "data"


def _members(cls: type, path: str, public: set[type]) -> list[tuple[PublicName, object]]:
    """The public members ``cls`` defines, itself or through a base of this package that
    is not public (a mixin's methods are the class's own to its users), each with the
    object its class holds. A base in ``public`` has its own page with its members; what
    comes from ``Exception``, ipywidgets or traitlets is left out.
    """
    found: list[tuple[PublicName, object]] = []
    seen: set[str] = set()
    for klass in cls.__mro__:
        if (klass is not cls and klass in public) or not klass.__module__.startswith(
            "atribu_pandas"
        ):
            continue
        for name, value in vars(klass).items():
            if name.startswith("_") or name in seen:
                continue
            seen.add(name)
            dotted = f"{path}.{name}"
            if name.isupper():
                found.append((PublicName(dotted, "data"), dotted))
            elif inspect.isfunction(value) or isinstance(value, classmethod | staticmethod):
                found.append((PublicName(dotted, "method"), value))
            elif hasattr(value, "__get__") and not inspect.isclass(value):
                found.append((PublicName(dotted, "property"), value))
    return found


def public_members(names: list[PublicName] | None = None) -> dict[str, list[str]]:
    """Each public class's public members, by the class's path: what its API page lists.

    Examples
    --------
    >>> "load" in public_members()["atribu_pandas.Workspace"]
    True
    """
    names = public_names() if names is None else names
    classes = {n.path for n in names if n.kind == "class"}
    members: dict[str, list[str]] = {path: [] for path in classes}
    for name in names:
        owner, _, member = name.path.rpartition(".")
        if owner in classes:
            members[owner].append(member)
    return members


def _module_names(
    module: ModuleType, path: str, public: set[type]
) -> list[tuple[PublicName, object]]:
    names: list[tuple[PublicName, object]] = []
    for name in module.__all__:
        value: Any = getattr(module, name)
        if isinstance(value, ModuleType) or name.startswith("__"):
            continue
        dotted = f"{path}.{name}"
        if inspect.isclass(value):
            names.append((PublicName(dotted, "class"), value))
            names.extend(_members(value, dotted, public))
        elif callable(value):
            names.append((PublicName(dotted, "function"), value))
        else:
            names.append((PublicName(dotted, "data"), dotted))
    return names


def public_names() -> list[PublicName]:
    """Every public name, each once, under the shortest path a user imports it by."""
    import importlib

    import atribu_pandas
    from atribu_pandas.accessor import AtribuAccessor
    from atribu_pandas.display.charts.accessor import PlotAccessor

    modules = [("atribu_pandas", atribu_pandas)] + [
        (f"atribu_pandas.{sub}", importlib.import_module(f"atribu_pandas.{sub}"))
        for sub in SUBPACKAGES
    ]
    accessors = (AtribuAccessor, PlotAccessor)
    public = {
        value
        for _, module in modules
        for value in (getattr(module, name) for name in module.__all__)
        if inspect.isclass(value)
    } | set(accessors)
    found = [item for path, module in modules for item in _module_names(module, path, public)]
    for cls in accessors:
        path = f"{cls.__module__}.{cls.__qualname__}"
        found += [(PublicName(path, "class"), cls), *_members(cls, path, public)]
    unique: dict[int, PublicName] = {}
    for name, value in found:
        # A class re-exported by a subpackage (reports.ReportError) is documented once,
        # with its methods; a constant counts by its path (two may be one small int).
        unique.setdefault(id(value), name)
    return list(unique.values())
