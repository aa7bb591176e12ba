"""The docs that are generated from code are up to date."""

from __future__ import annotations

import importlib.util
from pathlib import Path

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_data_dictionary_page_is_current() -> None:
    spec = importlib.util.spec_from_file_location("make_dd", DOCS / "make_data_dictionary.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert (DOCS / "data-dictionary.md").read_text() == module.render(), (
        "docs/data-dictionary.md is stale: run .venv/bin/python docs/make_data_dictionary.py"
    )
    assert "| `composite_score` |" in module.render()
