"""What the loaders check in an answer beyond its schema, against the request it answers.

The schema (``frames.policy``) judges each row on its own; these checks judge the
answer against what was asked: trend rows dated outside the window (refused: they would
be shown as its days), rows for ids never asked for, rows a top-performers filter should
have excluded (named: a server may not apply a filter), and why a window came back empty.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from atribu_pandas.client.client import ApiResponse
from atribu_pandas.core.dates import calendar_day, last_complete_day
from atribu_pandas.exceptions import EmptyResultWarning, PayloadWarning, ResponseError, warn_caller
from atribu_pandas.loaders.engine import _rows

__all__ = ["check_trend_rows", "warn_empty_window", "warn_if_unfiltered"]


def warn_empty_window(response: ApiResponse, start: str, end: str) -> None:
    """Say why a /campaigns window may have no rows: not over yet, or before the history."""
    last = last_complete_day().isoformat()
    if start > last:
        why = (
            f"the window starts after the last complete day ({last}), so no data can exist "
            "for it yet"
        )
    else:
        why = (
            "no campaign spent or earned in it: the window may lie before the account's "
            "history, or its ad accounts may not be connected yet"
        )
    warn_caller(
        f"[request_id={response.request_id}] /campaigns returned no rows from {start} to "
        f"{end}: {why}.",
        EmptyResultWarning,
    )


def check_trend_rows(response: ApiResponse, query: dict[str, Any]) -> None:
    """Refuse rows dated outside the request (they would be shown as its days); warn about
    rows for ids it did not ask for (the reference page's own example uses placeholders)."""
    asked = set(str(query["entity_ids"]).split(","))
    start, end = str(query["date_from"]), str(query["date_to"])
    strangers: list[str] = []
    outside: list[str] = []
    for row in _rows(response):
        entity, day = row.get("entity_id"), calendar_day(row.get("date"))
        if isinstance(entity, str) and entity.lower() not in asked:
            strangers.append(entity)
        if day is not None and not start <= day <= end:
            outside.append(day)
    if outside:
        raise ResponseError(
            f"the trend answer has {len(outside)} row(s) dated outside the requested "
            f"{start}..{end} (from {min(outside)} to {max(outside)}); nothing was loaded or "
            "cached",
            request_id=response.request_id,
            url=response.url,
        )
    if strangers:
        warn_caller(
            f"[request_id={response.request_id}] the trend answer has {len(strangers)} row(s) "
            f"for ids it was not asked for (e.g. {strangers[0][:40]!r}); they are kept",
            PayloadWarning,
        )


# Each list filter of /top-performers and the column its rows must then hold.
_FILTER_COLUMNS = {
    "objectives": "cohort_objective",
    "truth_grades": "truth_grade",
    "outcome_kinds": "primary_outcome_kind",
    "formats": "creative_format",
}


def warn_if_unfiltered(frame: pd.DataFrame, query: dict[str, Any], response: ApiResponse) -> None:
    """Warn when rows contradict a filter sent: the server may not apply it (the official
    OpenAPI does not list ``outcome_kinds``), and the frame would be taken as filtered."""
    found: list[str] = []
    for argument, column in _FILTER_COLUMNS.items():
        wanted = query.get(argument)
        if not wanted or column not in frame.columns:
            continue
        values = frame[column].astype("object")
        stray = int((values.notna() & ~values.isin(str(wanted).split(","))).sum())
        if stray:
            found.append(f"{stray} with {column} outside {argument}={wanted}")
    if query.get("min_spend") is not None and "spend" in frame.columns:
        below = int((frame["spend"] < float(str(query["min_spend"]))).sum())
        if below:
            found.append(f"{below} with spend below min_spend={query['min_spend']}")
    if found:
        warn_caller(
            f"[request_id={response.request_id}] /top-performers sent rows its filters exclude "
            "(" + "; ".join(found) + "): the server may not apply them. The rows are kept; "
            "filter the frame yourself to be sure.",
            PayloadWarning,
        )
