"""Stage 2, the frame: an answer's rows as a typed DataFrame, validated once.

- :mod:`.schemas`: one pandera model per frame, which also writes the data dictionary;
- :mod:`.build`: rows to typed columns, and validation against the schema;
- :mod:`.policy`: what an answer may hold and still load (new enum values, new fields);
- :mod:`.quality`: how far to trust each figure (restating, partial day, low evidence).
"""

from atribu_pandas.frames.build import (
    INT64_LIMIT,
    build_frame,
    check_passes,
    conforms,
    empty_frame,
    target_dtype,
    validate_frame,
)
from atribu_pandas.frames.policy import conform

__all__ = [
    "INT64_LIMIT",
    "build_frame",
    "check_passes",
    "conform",
    "conforms",
    "empty_frame",
    "target_dtype",
    "validate_frame",
]
