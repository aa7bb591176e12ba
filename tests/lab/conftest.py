"""A real JupyterLab 4 serving a copy of ``notebooks/explore.ipynb``, and Chromium.

One of each per test module; how they are started, kept apart from the machine and
checked to leave no process behind is :mod:`labsession`'s job.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from labsession import ROOT, Lab, running_chromium, running_lab

NOTEBOOK = ROOT / "notebooks" / "explore.ipynb"


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    home = tmp_path_factory.mktemp("jupyterlab")
    root = home / "root"
    root.mkdir()
    shutil.copy(NOTEBOOK, root / NOTEBOOK.name)
    with running_lab(home, root) as server:
        yield server


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with running_chromium(tmp_path_factory.mktemp("chromium-profile")) as driver:
        yield driver
