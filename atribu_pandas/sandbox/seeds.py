"""Seeded random generators of the sandbox, and the ids drawn from them.

Every draw of the sandbox comes from ``numpy.random.default_rng([seed, profile, stream])``
(:func:`seeded`), one stream per job (structure, delivery, journeys, entity ids, keys), so
the same seed gives the same bytes on any machine and one stream's draws never move
another's. Entity ids are version-4 UUIDs drawn from the ids stream (:func:`uuid_from`).
"""

from __future__ import annotations

import uuid

import numpy as np

__all__ = ["seeded", "uuid_from"]


def uuid_from(rng: np.random.Generator) -> str:
    """A version-4 UUID string from 16 bytes of ``rng``.

    Examples
    --------
    >>> import numpy as np
    >>> len(uuid_from(np.random.default_rng(0)))
    36
    """
    return str(uuid.UUID(bytes=rng.bytes(16), version=4))


def seeded(seed: int, profile: int, stream: int) -> np.random.Generator:
    """The generator of one profile's stream (structure, delivery, journeys ...).

    Examples
    --------
    >>> bool(seeded(0, 1, 2).integers(10) == seeded(0, 1, 2).integers(10))
    True
    """
    return np.random.default_rng([seed, profile, stream])
