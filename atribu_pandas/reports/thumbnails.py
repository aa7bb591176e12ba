"""The ads' thumbnails in a report: fetched when it runs, embedded, failures in the appendix.

:func:`add_thumbnails` fetches the pictures of a frame's ``creative_thumbnail_url`` with
``fetch_thumbnails``, within the client's
``timeout`` for all of them, and adds the column ``creative_thumbnail`` (kind ``image``
for :func:`~atribu_pandas.reports.show_table`): each picture, or a placeholder, as a
``Picture`` whose text is the ad's name.
:func:`thumbnail_row` is the one appendix line saying how many could not be shown and
why, naming each address without its query string (a CDN puts signatures and tokens
there).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from atribu_pandas.client.thumbnails import Thumbnail, fetch_thumbnails, shown_address
from atribu_pandas.core.language import N_, ngettext
from atribu_pandas.core.language import gettext as _
from atribu_pandas.display.thumbnails import Picture

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["THUMBNAIL_COLUMN", "add_thumbnails", "thumbnail_row"]

#: The column :func:`add_thumbnails` adds (not an API field).
THUMBNAIL_COLUMN = "creative_thumbnail"
# Addresses named per reason in the appendix; the count says how many there were.
_NAMED = 3
_REASONS = {
    "no_address": N_("no address given"),
    "scheme": N_("not an http(s) address"),
    "timeout": N_("not received in time"),
    "too_large": N_("too large"),
    "status": N_("refused by the server"),
    "not_image": N_("not a picture"),
    "connection": N_("no connection"),
    "redirects": N_("too many redirects"),
}


def add_thumbnails(frame: pd.DataFrame, client: Any = None) -> tuple[pd.DataFrame, list[Thumbnail]]:
    """Return ``frame`` with a ``creative_thumbnail`` column, and what was fetched.

    Parameters
    ----------
    frame : pandas.DataFrame
        Top performers (``creative_thumbnail_url`` and ``ad_name``; a missing column
        means no address and no name).
    client : atribu_pandas.Client, optional
        Whose ``timeout`` bounds the whole batch; default the loaders' default client.
        Its key is never sent with a picture.

    Returns
    -------
    tuple of (pandas.DataFrame, list of Thumbnail)

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> sb = ap.sandbox.start()
    >>> ads = ap.load_top_performers(client=sb.client(), limit=3)
    >>> shown, pictures = add_thumbnails(ads, sb.client())
    >>> [p.ok for p in pictures], str(shown["creative_thumbnail"].iloc[0]) == ads["ad_name"].iloc[0]
    ([True, True, True], True)
    >>> sb.stop()
    """
    if client is None:
        from atribu_pandas.loaders.defaults import default_client

        client = default_client(demo_warning=False)
    n = len(frame)
    urls = frame["creative_thumbnail_url"] if "creative_thumbnail_url" in frame else [None] * n
    names = frame["ad_name"] if "ad_name" in frame else [""] * n
    pictures = fetch_thumbnails(list(urls), timeout=client.timeout)
    alts = ["" if name is None or name != name else str(name) for name in names]
    cells = [Picture(p, alt) for p, alt in zip(pictures, alts, strict=True)]
    import pandas as pd

    column = pd.Series(cells, index=frame.index, dtype=object)
    return frame.assign(**{THUMBNAIL_COLUMN: column}), pictures


def thumbnail_row(pictures: Sequence[Thumbnail]) -> tuple[str, str] | None:
    """The appendix's line on the thumbnails: how many were shown, or which failed and why.

    Examples
    --------
    >>> from atribu_pandas.core.language import use_language
    >>> failed = [Thumbnail("https://cdn.example/a.jpg?token=s3cret", reason="timeout"),
    ...           Thumbnail(None, reason="no_address"), Thumbnail("u", "data:,", 1, 1)]
    >>> with use_language("en"):
    ...     print(thumbnail_row(failed)[1])
    2 of 3 thumbnails could not be shown: not received in time (1: https://cdn.example/a.jpg); \
no address given (1).
    """
    if not pictures:
        return None
    failed = [p for p in pictures if not p.ok]
    label = _("Thumbnails")
    if not failed:
        shown = ngettext(
            "{count} thumbnail shown, fetched when the report ran.",
            "All {count} thumbnails shown, fetched when the report ran.",
            len(pictures),
        ).format(count=len(pictures))
        return label, shown
    counts = Counter(p.reason or "connection" for p in failed)
    parts = []
    for reason, count in counts.items():
        addresses = list(dict.fromkeys(shown_address(p.url) for p in failed if p.reason == reason))
        addresses = [a for a in addresses if a]
        words = _(_REASONS.get(reason, _REASONS["connection"]))
        if reason == "status":
            statuses = sorted({p.detail for p in failed if p.reason == reason and p.detail})
            words = _("{reason}, HTTP {statuses}").format(
                reason=words, statuses=", ".join(statuses)
            )
        named = ", ".join(addresses[:_NAMED]) + (", …" if len(addresses) > _NAMED else "")
        part = _("{reason} ({count}: {addresses})") if named else _("{reason} ({count})")
        parts.append(part.format(reason=words, count=count, addresses=named))
    text = ngettext(
        "{failed} of {total} thumbnails could not be shown: {reasons}.",
        "{failed} of {total} thumbnails could not be shown: {reasons}.",
        len(failed),
    ).format(failed=len(failed), total=len(pictures), reasons="; ".join(parts))
    return label, text
