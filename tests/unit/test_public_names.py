"""Every public name imports, from every path a user may have written down.

The paths: ``ap.__all__``; the console script and ``python -m atribu_pandas.cli``; the
public packages' ``__all__`` (sandbox, widgets, reports, metrics, the vocabulary, the
exceptions); the old module paths, which answer for one release with a
``DeprecationWarning`` naming the new one; and every ``atribu_pandas.…`` name and
``from atribu_pandas… import …`` line of the docs, which must not warn.
"""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
import warnings
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pytest

import atribu_pandas as ap
from atribu_pandas.core.moved import MOVED

ROOT = Path(__file__).resolve().parents[2]
DOC_FILES = sorted([ROOT / "README.md", *(ROOT / "docs").rglob("*.md")])


def _resolve(dotted: str) -> Any:
    """The object at ``dotted``: the longest importable module, then its attributes."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj: Any = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attr in parts[cut:]:
            obj = getattr(obj, attr)
        return obj
    raise ModuleNotFoundError(dotted)


def test_every_name_of_the_package_resolves() -> None:
    assert sorted(dir(ap)) == sorted(ap.__all__)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        missing = [name for name in ap.__all__ if getattr(ap, name, None) is None]
    assert missing == []


@pytest.mark.parametrize(
    "module",
    [
        "atribu_pandas.sandbox",
        "atribu_pandas.widgets",
        "atribu_pandas.reports",
        "atribu_pandas.metrics",
        "atribu_pandas.exceptions",
        "atribu_pandas.core.vocabulary",
        "atribu_pandas.client",
        "atribu_pandas.frames",
        "atribu_pandas.frames.schemas",
        "atribu_pandas.loaders",
        "atribu_pandas.display.charts",
    ],
)
def test_every_name_of_a_public_package_resolves(module: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        imported = importlib.import_module(module)
        names = list(imported.__all__)
        assert names, f"{module} declares no __all__"
        for name in names:
            assert getattr(imported, name) is not None, f"{module}.{name}"


def test_the_console_script_is_the_cli_main() -> None:
    (script,) = entry_points(group="console_scripts", name="atribu-pandas")
    assert script.value == "atribu_pandas.cli:main"
    from atribu_pandas.cli import main

    assert script.load() is main


def test_python_dash_m_runs_the_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-W", "error::DeprecationWarning", "-m", "atribu_pandas.cli", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "report" in done.stdout and "sandbox" in done.stdout


@pytest.mark.parametrize("old", sorted(MOVED))
def test_an_old_path_forwards_every_name_with_a_warning(old: str) -> None:
    new = importlib.import_module(MOVED[old])
    names = [n for n in getattr(new, "__all__", dir(new)) if not n.startswith("_")]
    assert names
    stand_in = importlib.import_module(old)
    for name in names:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            value = getattr(stand_in, name)
        assert value is getattr(new, name)
        assert [w.category for w in caught] == [DeprecationWarning]
        message = str(caught[0].message)
        assert old in message and MOVED[old] in message
        # At the user's line (this file), not inside the package.
        assert caught[0].filename == __file__


def test_from_an_old_path_import_warns_at_the_user_line() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        from atribu_pandas.plotting import roas_bar  # noqa: F401
    assert [w.category for w in caught] == [DeprecationWarning]
    assert caught[0].filename == __file__
    assert "atribu_pandas.display.charts" in str(caught[0].message)


def test_an_old_package_path_reaches_its_submodules() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from atribu_pandas.schemas.campaigns import Campaigns

    from atribu_pandas.frames.schemas.campaigns import Campaigns as Now

    assert Campaigns is Now


def test_a_path_that_never_existed_still_fails() -> None:
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("atribu_pandas.no_such_module")


def _doc_names() -> set[str]:
    text = "\n".join(path.read_text() for path in DOC_FILES)
    dotted = set(re.findall(r"\batribu_pandas(?:\.[A-Za-z_]\w*)+", text))
    for module, names in re.findall(r"from (atribu_pandas[\w.]*) import \(?([\w, \n]+)\)?", text):
        for item in names.split(","):
            if item.split():
                dotted.add(f"{module}.{item.split()[0]}")
    return {name.rstrip(".") for name in dotted}


def test_the_docs_name_only_paths_that_resolve_without_a_warning() -> None:
    names = _doc_names()
    assert len(names) > 10, "the scan found too few names to mean anything"
    failures = []
    for name in sorted(names):
        with warnings.catch_warnings():
            warnings.simplefilter("error", DeprecationWarning)
            try:
                _resolve(name)
            except (AttributeError, ModuleNotFoundError, DeprecationWarning) as error:
                failures.append(f"{name}: {error!r}")
    assert failures == []
