"""Every public object's docstring passes numpydoc's validator, on the checks the project
chose (``[tool.numpydoc_validation]`` in pyproject.toml, which says why each is left out).

The same checks run in the documentation build (``docs/conf.py``) on the same objects (what
``docs/public_api.py`` calls public), so a page and this test never disagree.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from public_api import public_names

ROOT = Path(__file__).resolve().parents[2]


CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["numpydoc_validation"]


def chosen_checks() -> set[str]:
    """numpydoc's codes this project enforces: ``all`` minus the listed exclusions."""
    from numpydoc.validate import ERROR_MSGS

    checks = list(CONFIG["checks"])
    assert checks[0] == "all", "the list is 'all' followed by the checks left out"
    return set(ERROR_MSGS) - set(checks[1:])


def excluded(path: str) -> bool:
    """Whether the build leaves ``path`` out of the checks (a constant)."""
    return any(re.search(pattern, path) for pattern in CONFIG["exclude"])


DOCUMENTED = [n.path for n in public_names() if n.documented and not excluded(n.path)]


def test_the_public_names_are_the_ones_the_reference_expects() -> None:
    # An independent count: the loaders, the accessor's methods and the sandbox's start
    # are public; a private helper is not.
    paths = {name.path for name in public_names()}
    assert {
        "atribu_pandas.load_campaigns",
        "atribu_pandas.accessor.AtribuAccessor.recompute",
        "atribu_pandas.display.charts.accessor.PlotAccessor.roas_bar",
        "atribu_pandas.sandbox.start",
        "atribu_pandas.widgets.explore",
        "atribu_pandas.reports.render_workspace",
    } <= paths
    assert not any(part.startswith("_") for path in paths for part in path.split("."))


@pytest.mark.parametrize("path", DOCUMENTED)
def test_the_docstring_passes_numpydoc(path: str) -> None:
    from numpydoc.validate import validate

    checks = chosen_checks()
    errors = [f"{code}: {message}" for code, message in validate(path)["errors"] if code in checks]
    assert not errors, f"{path}:\n" + "\n".join(errors)


def test_no_public_name_is_also_a_module_path() -> None:
    # `ap.metrics.rollup` the function and `atribu_pandas/metrics/rollup.py` the module
    # would share a path: numpydoc and the API reference import the module first and
    # document it instead of the function.
    import importlib.util

    shadowed = []
    for name in public_names():
        try:
            if importlib.util.find_spec(name.path) is not None:
                shadowed.append(name.path)
        except ModuleNotFoundError:
            continue
    assert shadowed == []
