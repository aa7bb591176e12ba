"""Settings for every test and docstring example: nothing touches the user's own cache,
and no test follows the clock."""

from __future__ import annotations

import os
import tempfile

# Set before any test or doctest builds a client; each pytest-xdist worker gets its own.
os.environ["ATRIBU_CACHE_DIR"] = tempfile.mkdtemp(prefix="atribu-test-cache-")
os.environ["ATRIBU_PROGRESS"] = "0"
# One pinned day for the sandbox's data and every "last complete day", in this process and
# in every kernel or command a test starts; set ATRIBU_TODAY to run the suite as of another.
os.environ.setdefault("ATRIBU_TODAY", "2026-11-16")
os.environ.setdefault("MPLBACKEND", "Agg")
