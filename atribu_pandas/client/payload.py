"""Decode an answer's JSON body strictly: what a plain ``json.loads`` would let through.

A parser keeps the last of two equal keys and rounds integers it stores as floats, so a
body that says two things, or a count too large for a float, would load as one quiet
guess. :func:`decode` reads the body once and reports:

- a key repeated in one object: a :class:`~atribu_pandas.ResponseError` (which
  value is meant cannot be known; a duplicated ``data`` key once loaded 0 rows);
- nesting deeper than :data:`MAX_DEPTH`: a ``ResponseError`` (no documented payload is
  more than five levels deep; a thousand levels would exhaust the interpreter's stack);
- an integer beyond :data:`EXACT_INTEGER` (2**53, the largest a float64 holds exactly):
  kept, and named in the returned notes, which the client raises as one
  :class:`~atribu_pandas.PayloadWarning`.
"""

from __future__ import annotations

import json
from typing import Any

from atribu_pandas.exceptions import ResponseError

__all__ = ["EXACT_INTEGER", "MAX_DEPTH", "decode"]

# The envelope, data, a row, reason_codes, one reason: five levels; leave room for growth.
MAX_DEPTH = 32
EXACT_INTEGER = 2**53


class _DuplicateKey(ValueError):
    pass


def _unique_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        repeated = next(k for k, _ in pairs if k in seen or seen.add(k))  # type: ignore[func-returns-value]
        raise _DuplicateKey(repeated)
    return result


def decode(content: bytes, *, request_id: str | None, url: str | None) -> tuple[Any, list[str]]:
    """Parse a JSON body; return it and notes about integers too large to keep exactly.

    Parameters
    ----------
    content : bytes
        The body, already decompressed.
    request_id, url : str or None
        Carried by a :class:`~atribu_pandas.ResponseError`.

    Returns
    -------
    tuple
        The parsed body, and one note per field holding an integer beyond 2**53.

    Raises
    ------
    ResponseError
        The body is not JSON, repeats a key in one object, or nests too deep.

    Examples
    --------
    >>> decode(b'{"data": [{"impressions": 9007199254740993}]}', request_id=None, url=None)[1]
    ['impressions holds 1 integer beyond 2**53']
    >>> try:
    ...     decode(b'{"data": [], "data": [1]}', request_id="req_1", url=None)
    ... except ResponseError as e:
    ...     print(e.message[:42])
    the response repeats the key 'data' in one
    """
    where = {"request_id": request_id, "url": url}
    try:
        body = json.loads(content, object_pairs_hook=_unique_object)
    except _DuplicateKey as error:
        raise ResponseError(
            f"the response repeats the key {str(error)[:80]!r} in one object: which value is "
            "meant cannot be told, so nothing was loaded",
            **where,
        ) from None
    except RecursionError:
        raise ResponseError(
            f"the response nests deeper than {MAX_DEPTH} levels; nothing was loaded", **where
        ) from None
    except (ValueError, UnicodeDecodeError) as error:
        start = content[:80].decode("utf-8", "replace")
        raise ResponseError(
            f"the response is not JSON ({error}); it starts {start!r}", **where
        ) from None
    return body, _walk(body, where)


def _walk(body: Any, where: dict[str, str | None]) -> list[str]:
    """Check the depth and find integers beyond float precision, without recursion."""
    large: dict[str, int] = {}
    stack: list[tuple[Any, int, str]] = [(body, 0, "")]
    while stack:
        value, depth, field = stack.pop()
        if isinstance(value, dict):
            if depth >= MAX_DEPTH:
                raise ResponseError(
                    f"the response nests deeper than {MAX_DEPTH} levels; nothing was loaded",
                    **where,
                )
            stack.extend((v, depth + 1, k) for k, v in value.items())
        elif isinstance(value, list):
            if depth >= MAX_DEPTH:
                raise ResponseError(
                    f"the response nests deeper than {MAX_DEPTH} levels; nothing was loaded",
                    **where,
                )
            stack.extend((v, depth + 1, field) for v in value)
        elif type(value) is int and abs(value) > EXACT_INTEGER:
            large[field] = large.get(field, 0) + 1
    return [
        f"{field or 'the body'} holds {n} integer{'s' if n > 1 else ''} beyond 2**53"
        for field, n in sorted(large.items())
    ]
