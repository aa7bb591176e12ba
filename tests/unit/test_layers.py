"""The import layers of docs/design.md hold: no module imports one of a higher layer.

The layer table is read from docs/design.md itself, so the page and the code cannot
drift apart. Every import statement counts, those inside functions too.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "atribu_pandas"
DESIGN = ROOT / "docs" / "design.md"


def _layers() -> dict[str, int]:
    layers: dict[str, int] = {}
    for line in DESIGN.read_text().splitlines():
        match = re.match(r"\| (\d) [a-z ]+ \| (.+) \|$", line)
        if match:
            for name in re.findall(r"`([a-z_.]+)`", match.group(2)):
                layers[name] = int(match.group(1))
    return layers


def _modules() -> dict[str, Path]:
    modules = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts) or "atribu_pandas"] = path
    return modules


def _imports(path: Path) -> set[str]:
    """The package modules ``path`` imports, relative names (``client``, ``sandbox.api``).

    ``from atribu_pandas.reports import export`` names the module ``reports.export``;
    ``from atribu_pandas.reports import render`` names the package ``reports``.
    """
    modules = _modules()
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module != "atribu_pandas" and not node.module.startswith("atribu_pandas."):
                continue
            base = node.module.removeprefix("atribu_pandas").lstrip(".")
            for alias in node.names:
                sub = f"{base}.{alias.name}" if base else alias.name
                found.add(sub if sub in modules else base or alias.name)
        elif isinstance(node, ast.Import):
            found.update(
                a.name.removeprefix("atribu_pandas.")
                for a in node.names
                if a.name.startswith("atribu_pandas.")
            )
    return found


def _graph() -> dict[str, set[str]]:
    """Module to the modules it imports, every import counted (in functions and under
    ``TYPE_CHECKING`` too); a name imported from a module is an edge to that module."""
    modules = _modules()

    def home(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    return {
        name: {found for t in _imports(path) if (found := home(t)) and found != name}
        for name, path in modules.items()
    }


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _layer_of(name: str, layers: dict[str, int]) -> int | str:
    if name == "sandbox" or name.startswith("sandbox."):
        return "sandbox"
    # A module sits in the layer of the closest name the table gives: core.params.query in
    # core.params's, metrics.rollups in metrics's.
    while name:
        if name in layers:
            return layers[name]
        name = name.rpartition(".")[0]
    return -1


def _violations(name: str, imported: set[str], layers: dict[str, int]) -> list[str]:
    own = _layer_of(name, layers)
    problems = []
    for target in sorted(imported):
        theirs = _layer_of(target, layers)
        if own == "sandbox":
            allowed = (
                theirs == "sandbox"
                or (isinstance(theirs, int) and theirs <= 1)
                or target == "metrics"
                or (name == "sandbox" and target in ("client.client", "loaders.workspace"))
            )
        elif theirs == "sandbox":
            allowed = name in ("loaders.defaults", "cli")
        else:
            assert isinstance(own, int) and isinstance(theirs, int)
            allowed = theirs <= own
        if not allowed:
            problems.append(f"{name} (layer {own}) imports {target} (layer {theirs})")
    return problems


def test_every_module_has_a_layer() -> None:
    layers = _layers()
    assert layers, "docs/design.md has no layer table"
    missing = [
        name for name in _modules() if name != "atribu_pandas" and _layer_of(name, layers) == -1
    ]
    assert not missing, f"add these modules to the layer table of docs/design.md: {missing}"


def test_no_module_imports_a_higher_layer() -> None:
    layers = _layers() | {"atribu_pandas": 6}
    problems = [
        problem
        for name, path in _modules().items()
        for problem in _violations(name, _imports(path), layers)
    ]
    assert not problems, "\n".join(problems)


def test_the_check_finds_a_violation() -> None:
    # The same check on a made-up import, so a passing test is known to look.
    layers = _layers()
    assert _violations("client", {"loaders"}, layers)
    assert _violations("loaders", {"sandbox.api"}, layers)
    assert _violations("sandbox.api", {"client"}, layers)
    assert not _violations("loaders", {"client", "frames"}, layers)


def test_the_client_path_reads_the_environment_in_config_only() -> None:
    layers = _layers()
    readers = [
        name
        for name, path in _modules().items()
        if name != "core.config"
        and isinstance(_layer_of(name, layers), int)
        and 0 <= int(_layer_of(name, layers)) <= 4
        and re.search(r"os\.environ|getenv", path.read_text())
    ]
    assert readers == [], f"read the environment through config.py, not in {readers}"


def test_the_import_graph_has_no_cycle() -> None:
    cycles = _cycles(_graph())
    assert cycles == [], "modules that import each other, directly or round a loop:\n" + "\n".join(
        ", ".join(cycle) for cycle in cycles
    )


def test_the_cycle_check_finds_a_cycle() -> None:
    graph = _graph()
    assert _cycles(graph) == []
    # Made up: the client importing the loaders would close a loop through them.
    graph["client.client"] = graph["client.client"] | {"loaders.endpoints"}
    assert any({"client.client", "loaders.endpoints"} <= set(cycle) for cycle in _cycles(graph))


def test_no_module_is_over_500_lines() -> None:
    # Longer, a module is most likely doing more than one job.
    long = {
        name: n
        for name, path in _modules().items()
        if (n := len(path.read_text().splitlines())) > 500
    }
    assert long == {}


def _underscore_imports(name: str, path: Path) -> list[str]:
    """``module: name`` for each underscore name ``name`` imports from another package."""
    own_package = name.rpartition(".")[0] if path.name != "__init__.py" else name
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if not (isinstance(node, ast.ImportFrom) and node.module):
            continue
        if not node.module.startswith("atribu_pandas"):
            continue
        source = node.module.removeprefix("atribu_pandas").lstrip(".")
        source_package = source.rpartition(".")[0] if source in _modules() else source
        for alias in node.names:
            private = alias.name.startswith("_") and not alias.name.startswith("__")
            if private and source_package != own_package:
                found.append(f"{name} imports {alias.name} from {source}")
    return found


def test_no_module_imports_an_underscore_name_from_another_package() -> None:
    # What a package shares with another has a public name; underscores stay at home.
    found = [
        problem for name, path in _modules().items() for problem in _underscore_imports(name, path)
    ]
    assert found == []


def test_the_underscore_check_finds_one(tmp_path: Path) -> None:
    made_up = tmp_path / "made_up.py"
    made_up.write_text("from atribu_pandas.client.cache import _problem\n")
    assert _underscore_imports("loaders.engine", made_up) == [
        "loaders.engine imports _problem from client.cache"
    ]
    made_up.write_text("from atribu_pandas.loaders.engine import _rows\n")
    assert _underscore_imports("loaders.endpoints", made_up) == []


def test_the_top_of_the_package_is_a_dozen_stages_each_on_the_design_page() -> None:
    entries = sorted(
        entry.name
        for entry in PACKAGE.iterdir()
        if entry.name not in ("__init__.py", "py.typed", "__pycache__")
    )
    assert len(entries) <= 12, entries
    stages = re.findall(r"^\| `([a-z_.]+/?)` \|", DESIGN.read_text(), flags=re.M)
    assert sorted(stages) == [e + "/" if (PACKAGE / e).is_dir() else e for e in entries]


def _foreign_exports(path: Path) -> list[str]:
    """Names in a module's ``__all__`` that it imports rather than defines."""
    tree = ast.parse(path.read_text())
    defined: set[str] = set()
    exported: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            defined.add(node.name)
        targets = (
            node.targets
            if isinstance(node, ast.Assign)
            else [node.target]
            if isinstance(node, ast.AnnAssign)
            else []
        )
        for target in targets:
            names = [target] if isinstance(target, ast.Name) else getattr(target, "elts", [])
            defined.update(n.id for n in names if isinstance(n, ast.Name))
            if isinstance(target, ast.Name) and target.id == "__all__":
                exported = [e.value for e in node.value.elts]  # type: ignore[union-attr]
    return [name for name in exported if name not in defined]


def test_only_a_package_exports_names_of_other_modules() -> None:
    # One import path per name: a module's __all__ holds what it defines; a package's
    # __init__ may gather its modules' names (the public surface).
    found = {
        name: foreign
        for name, path in _modules().items()
        if path.name != "__init__.py" and (foreign := _foreign_exports(path))
    }
    assert found == {}


def test_the_export_check_finds_one(tmp_path: Path) -> None:
    made_up = tmp_path / "made_up.py"
    made_up.write_text(
        "from atribu_pandas.core.vocabulary import MODELS\n"
        "A, B = 1, 2\n"
        "__all__ = ['A', 'B', 'MODELS']\n"
    )
    assert _foreign_exports(made_up) == ["MODELS"]
