"""Settings for every test and docstring example: nothing touches the user's own cache."""

from __future__ import annotations

import os
import tempfile

# Set before any test or doctest builds a client; each pytest-xdist worker gets its own.
os.environ["ATRIBU_CACHE_DIR"] = tempfile.mkdtemp(prefix="atribu-test-cache-")
os.environ["ATRIBU_PROGRESS"] = "0"
os.environ.setdefault("MPLBACKEND", "Agg")
