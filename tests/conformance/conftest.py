"""The conformance tests' replay server (see ``tests/replay.py``), one per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from replay import Replay, running_replay


@pytest.fixture
def replay() -> Iterator[Replay]:
    with running_replay() as state:
        yield state
