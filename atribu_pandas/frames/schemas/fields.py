"""The field helpers every schema module builds its columns with."""

from __future__ import annotations

from typing import Any

import pandera.pandas as pa

__all__ = ["ABSENT_OK", "MONEY", "detail", "field", "optional"]

MONEY = "In the profile's reporting currency."


def field(title: str, description: str, *, ordered: bool = False, **checks: Any) -> Any:
    if "isin" in checks:
        # A fixed enum: fixed categories, so frames from different calls share a dtype.
        checks["dtype_kwargs"] = {"categories": list(checks["isin"]), "ordered": ordered}
    return pa.Field(title=title, description=description, **checks)


def detail(title: str, description: str, **checks: Any) -> Any:
    return field(title, description, nullable=True, required=False, **checks)


# Marks a field the reference page's example does not show (the forecast and fatigue
# fields came later, in the official schema): its absence is expected, not a drift.
ABSENT_OK = {"absent_ok": True}


def optional(title: str, description: str, **checks: Any) -> Any:
    return field(title, description, nullable=True, required=False, metadata=ABSENT_OK, **checks)
