"""The repo's copy of Atribu's OpenAPI text matches shared/ when shared/ is beside the clone."""

from __future__ import annotations

from pathlib import Path

import pytest

COPY = Path(__file__).resolve().parents[1] / "data" / "atribu-openapi-campaigns.json"
SHARED = Path(__file__).resolve().parents[3] / "shared" / "atribu-openapi-campaigns.json"


def test_copy_is_current() -> None:
    if not SHARED.exists():
        pytest.skip(f"no shared/ beside this clone ({SHARED}): nothing to compare the copy with")
    assert COPY.read_bytes() == SHARED.read_bytes(), (
        f"tests/data's copy differs from {SHARED}: copy it again"
    )
