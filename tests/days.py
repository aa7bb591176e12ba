"""Windows relative to the day the suite is anchored to (``ATRIBU_TODAY``, pinned in the
root conftest), for tests that need data: a fixed date would fall outside the sandbox's
400 days of history when the suite runs as of a later day."""

from __future__ import annotations

import datetime as dt

from atribu_pandas.core.dates import last_complete_day

__all__ = ["settled_query"]


def settled_query(days_back: int = 60, length: int = 28, *, shift: int = 0) -> dict[str, str]:
    """``{"date_from", "date_to"}`` of a settled window ending ``days_back`` days before
    the last complete day; ``shift`` moves its first day later (another cache entry)."""
    end = last_complete_day() - dt.timedelta(days=days_back)
    start = end - dt.timedelta(days=length - 1) + dt.timedelta(days=shift)
    return {"date_from": start.isoformat(), "date_to": end.isoformat()}
