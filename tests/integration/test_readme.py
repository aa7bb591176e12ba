"""The README's quickstart runs as written, with no API key (so on the sandbox)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

README = Path(__file__).resolve().parents[2] / "README.md"


def test_quickstart_runs_as_written(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from atribu_pandas.loaders import defaults as demo

    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)
    assert blocks, "README.md has no python block"
    monkeypatch.delenv("ATRIBU_API_KEY", raising=False)
    monkeypatch.delenv("ATRIBU_BASE_URL", raising=False)
    monkeypatch.setenv("ATRIBU_CACHE_DIR", str(tmp_path))
    # The quickstart names days of November 2026: run it as of the day after, whatever
    # day the suite is anchored to, as a reader then would.
    monkeypatch.setenv("ATRIBU_TODAY", "2026-11-30")
    monkeypatch.setattr(demo, "_from_env", {})
    # A demo sandbox another test started is anchored to the suite's day: start afresh.
    monkeypatch.setattr(demo, "_sandbox", None)
    namespace: dict[str, object] = {}
    with pytest.warns(UserWarning):  # the demo-data notice at least
        exec(compile(blocks[0], str(README), "exec"), namespace)
    for name in ("ads", "trend", "top", "both"):
        frame = namespace[name]
        assert isinstance(frame, pd.DataFrame) and len(frame) > 0, name
        assert frame.attrs["atribu"]["demo"] is True
