"""Every warning atribu-pandas gives, and how each reaches the user's own line."""

from __future__ import annotations

import sys
import warnings
import weakref
from typing import TYPE_CHECKING, Any

from atribu_pandas.core.redact import printable, scrub

if TYPE_CHECKING:
    pass

__all__ = [
    "AtribuWarning",
    "CacheWarning",
    "DemoDataWarning",
    "EmptyReportWarning",
    "EmptyResultWarning",
    "LargeLoadWarning",
    "LevelMismatchWarning",
    "MixedCurrencyWarning",
    "MixedModelsWarning",
    "PartialResultWarning",
    "PayloadWarning",
    "ReachNotAdditiveWarning",
    "SchemaDriftWarning",
    "TruncatedResultWarning",
    "WorkspaceWarning",
    "warn_caller",
    "warn_once_per_frame",
    "warn_renamed",
]


class AtribuWarning(UserWarning):
    """The base of every warning atribu-pandas gives: a load or a computation worked,
    and something about it deserves a look.

    Every one is raised at the user's own line (:func:`warn_caller`), with any key masked.
    ``warnings.simplefilter("ignore", ap.AtribuWarning)`` silences them all.

    Examples
    --------
    Turned into errors, the package's warnings stop a script where they start:

    >>> import warnings
    >>> import atribu_pandas as ap
    >>> with ap.sandbox.start() as sb, warnings.catch_warnings():
    ...     warnings.simplefilter("error", ap.AtribuWarning)
    ...     try:
    ...         ap.load_campaigns("2026-11-01", "2026-11-14", limit=5, client=sb.client())
    ...     except ap.AtribuWarning as warning:
    ...         print(type(warning).__name__)
    TruncatedResultWarning
    """


class SchemaDriftWarning(AtribuWarning):
    """The API sent a value or a field that its documentation does not list (yet).

    The load worked: a new value of a closed set became an extra category, a new field an
    extra column. The message names the fields, the new values and the request id, so the
    drift can be reported to Atribu and the vocabulary brought up to date.

    Examples
    --------
    >>> import warnings
    >>> import atribu_pandas as ap
    >>> with ap.sandbox.start() as sb, warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     sb.inject("tamper", variant="negative_spend")  # the next answer has spend < 0
    ...     df = ap.load_campaigns("2026-11-01", "2026-11-14", client=sb.client())
    >>> [w.category.__name__ for w in caught]
    ['SchemaDriftWarning']
    >>> bool((df["spend"] < 0).any())  # kept as sent
    True
    """


class EmptyResultWarning(AtribuWarning):
    """An answer came back with no rows; the message says what that usually means.

    Examples
    --------
    >>> import warnings
    >>> import atribu_pandas as ap
    >>> with ap.sandbox.start() as sb, warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     df = ap.load_campaigns("2020-01-01", "2020-01-14", client=sb.client())
    >>> len(df), caught[0].category.__name__
    (0, 'EmptyResultWarning')
    >>> print(str(caught[0].message).partition("] ")[2])  # doctest: +ELLIPSIS
    /campaigns returned no rows from 2020-01-01 to 2020-01-14: no campaign spent or earned ...
    """


class LargeLoadWarning(AtribuWarning):
    """A load needs many requests: the rate limit will make it slow (the message says how).

    It comes before the first request, so a script that would rather not wait can make it
    an error and stop there.

    Examples
    --------
    >>> import warnings
    >>> import atribu_pandas as ap
    >>> with ap.sandbox.start() as sb, warnings.catch_warnings():  # doctest: +ELLIPSIS
    ...     warnings.simplefilter("error", ap.LargeLoadWarning)
    ...     ads = ap.load_campaigns("2026-11-01", "2026-11-14", level="ad", client=sb.client())
    ...     try:  # 30 ids are 3 requests of 10, at 2 requests a minute
    ...         ap.load_campaign_trend(ads["campaign_id"].head(30), "2026-11-01",
    ...                                "2026-11-14", client=sb.client(rate_limit=2))
    ...     except ap.LargeLoadWarning as warning:
    ...         print(warning)
    this load needs 3 requests; at 2 requests a minute it will take about 30 s (...)
    """


class PartialResultWarning(AtribuWarning):
    """Some requests of a multi-request load failed; the frame holds the others.

    The message names each part that is missing and its error (with the request id).

    Examples
    --------
    >>> import warnings
    >>> import atribu_pandas as ap
    >>> with ap.sandbox.start() as sb, warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     sb.inject("error", status=400)  # one of the seven models' requests is refused
    ...     both = ap.load_model_comparison("2026-11-01", "2026-11-14", client=sb.client())
    >>> caught[0].category.__name__, both["model"].nunique()
    ('PartialResultWarning', 6)
    """


class PayloadWarning(AtribuWarning):
    """An answer loaded but looks wrong: more rows than ``limit``, an id repeated, rows a
    filter should have left out, or an integer too large to keep exactly.

    Examples
    --------
    >>> import warnings
    >>> import atribu_pandas as ap
    >>> with ap.sandbox.start() as sb, warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     sb.inject("tamper", variant="duplicate_ids")  # the next answer repeats a row
    ...     df = ap.load_campaigns("2026-11-01", "2026-11-14", client=sb.client())
    >>> print(caught[0].message)  # doctest: +ELLIPSIS
    the server sent 1 repeated campaign_id value(s) (request_id=req_...); all rows are kept
    """


class TruncatedResultWarning(AtribuWarning):
    """``/campaigns`` returned exactly ``limit`` rows: more entities may exist.

    Examples
    --------
    >>> import warnings
    >>> import atribu_pandas as ap
    >>> with ap.sandbox.start() as sb, warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     df = ap.load_campaigns("2026-11-01", "2026-11-14", limit=5, client=sb.client())
    >>> len(df), caught[0].category.__name__
    (5, 'TruncatedResultWarning')
    """


class LevelMismatchWarning(AtribuWarning):
    """Trend ids recorded at one level were asked for at another (they give no rows).

    Examples
    --------
    >>> import warnings
    >>> import atribu_pandas as ap
    >>> with ap.sandbox.start() as sb, warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     ads = ap.load_campaigns("2026-11-01", "2026-11-14", level="ad", client=sb.client())
    ...     trend = ap.load_campaign_trend(ads["campaign_id"].head(3), "2026-11-01",
    ...                                    "2026-11-14", level="campaign", client=sb.client())
    >>> [w.category.__name__ for w in caught]
    ['LevelMismatchWarning', 'EmptyResultWarning']
    """


class DemoDataWarning(AtribuWarning):
    """No ``ATRIBU_API_KEY`` was set, so the loaders are using the sandbox's demo data.

    Set the key to load your own profile, or call :func:`~atribu_pandas.use_sandbox` to
    choose the demo on purpose (without the warning).

    Examples
    --------
    >>> import warnings
    >>> import atribu_pandas as ap
    >>> from atribu_pandas.loaders.defaults import forget_clients
    >>> forget_clients()  # start afresh, as a new session does
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     client = ap.default_client()  # what a loader given no client= uses
    >>> caught[0].category.__name__, client.is_sandbox
    ('DemoDataWarning', True)
    """


class CacheWarning(AtribuWarning):
    """The HTTP cache was set aside, rebuilt or turned off; loads go on without it.

    Examples
    --------
    >>> import tempfile
    >>> import warnings
    >>> import atribu_pandas as ap
    >>> with ap.sandbox.start() as sb, tempfile.NamedTemporaryFile() as a_file:
    ...     with warnings.catch_warnings(record=True) as caught:
    ...         warnings.simplefilter("always")
    ...         client = sb.client(cache_dir=a_file.name)  # a file, not a folder
    >>> caught[0].category.__name__, client.cache_enabled
    ('CacheWarning', False)
    """


class WorkspaceWarning(AtribuWarning):
    """Some profiles of a workspace failed; the frame holds the others.

    Examples
    --------
    >>> import warnings
    >>> import atribu_pandas as ap
    >>> with ap.sandbox.start() as sb, warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     keys = {"Clinic": sb.api_key, "Former client": "atb_live_revoked"}
    ...     ws = ap.Workspace(keys, base_url=sb.url, cache=False)
    ...     top = ws.load_top_performers(limit=3)
    >>> caught[0].category.__name__, top["profile"].unique().tolist()
    ('WorkspaceWarning', ['Clinic'])
    >>> top.attrs["atribu"]["failed"][0]["error"]
    'AuthenticationError'
    """


class ReachNotAdditiveWarning(AtribuWarning):
    """``rollup`` dropped ``reach`` (and ``frequency``): reach counts unique people.

    The same person can be reached by several ads, campaigns or days, so the reach of a
    group is not the sum of its rows' reach. It is kept only where each group holds a
    single entity.

    Examples
    --------
    >>> import warnings
    >>> import atribu_pandas as ap
    >>> with ap.sandbox.start() as sb:
    ...     ads = ap.load_campaigns("2026-11-01", "2026-11-14", level="ad", client=sb.client())
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     by_parent = ads.atribu.rollup("parent_name")
    >>> caught[0].category.__name__, "reach" in by_parent.columns
    ('ReachNotAdditiveWarning', False)
    """


class MixedModelsWarning(AtribuWarning):
    """A rollup summed rows of different attribution models.

    Each model credits the same outcomes once, so summing across models counts every
    outcome (and every dollar of spend) once per model. Group by ``model`` as well.

    Examples
    --------
    >>> import warnings
    >>> import atribu_pandas as ap
    >>> with ap.sandbox.start() as sb:
    ...     both = ap.load_model_comparison("2026-11-01", "2026-11-14", client=sb.client())
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     total = both.atribu.rollup()  # every model's rows in one sum
    ...     per_model = both.atribu.rollup("model")  # one sum per model: no warning
    >>> [w.category.__name__ for w in caught], len(per_model)
    (['MixedModelsWarning'], 7)
    """


class MixedCurrencyWarning(AtribuWarning):
    """Amounts in different currencies were added up or shown on one axis.

    A workspace whose profiles report in different currencies joins their rows; summing
    EUR and USD gives a number in neither. Convert first with
    ``df.atribu.in_currency("USD", rates={"EUR": 1.08})``, or keep each profile apart.

    Examples
    --------
    >>> import warnings
    >>> import atribu_pandas as ap
    >>> with ap.sandbox.start() as sb:
    ...     ws = sb.workspace(currencies={"Bright Smile Dental": "EUR"})  # the other is USD
    ...     df = ws.load_campaigns("2026-11-01", "2026-11-14")
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     total = df.atribu.rollup()
    >>> caught[0].category.__name__
    'MixedCurrencyWarning'
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     usd = df.atribu.in_currency("USD", rates={"EUR": 1.08}).atribu.rollup()
    >>> caught, len(usd)  # converted to one currency first: no warning
    ([], 1)
    """


class EmptyReportWarning(AtribuWarning):
    """The report's window had no data: the report is one page saying what to try.

    The report is still written. The :class:`~atribu_pandas.reports.RenderedReport` that
    :func:`~atribu_pandas.reports.render` returns holds the same notice in ``empty``, for
    a script that checks rather than catches.

    Examples
    --------
    >>> import tempfile
    >>> import warnings
    >>> import atribu_pandas as ap
    >>> window = {"date_from": "2020-01-01", "date_to": "2020-01-28"}  # before the demo data
    >>> with tempfile.TemporaryDirectory() as folder, warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter("always", ap.AtribuWarning)
    ...     done = ap.reports.render("trends", demo=True, progress=False, parameters=window,
    ...                              output=f"{folder}/trends.html")
    >>> [x.category.__name__ for x in w if issubclass(x.category, ap.AtribuWarning)]
    ['EmptyReportWarning']
    >>> print(done.empty)  # doctest: +ELLIPSIS
    No delivery from Jan 1...28, 2020. Nothing was spent and nothing was attributed.
    """


def warn_caller(message: str, category: type[Warning]) -> None:
    """Warn at the first frame outside atribu-pandas (the user's own line), key scrubbed.

    Parameters
    ----------
    message : str
    category : type of Warning

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn_caller("careful", EmptyResultWarning)
    >>> caught[0].category.__name__
    'EmptyResultWarning'
    """
    package = __name__.partition(".")[0] + "."
    level, frame = 2, sys._getframe(1)  # stacklevel 2 is the caller of this function
    while frame is not None and frame.f_globals.get("__name__", "").startswith(package):
        level, frame = level + 1, frame.f_back  # type: ignore[assignment]
    warnings.warn(printable(scrub(message)), category, stacklevel=level)


# What each frame was already told, by the frame's id (frames are not hashable): a weak
# reference tells a live frame from a new one that reuses a freed id.
_TOLD: dict[int, tuple[weakref.ref[Any], set[tuple[type[Warning], str]]]] = {}


def warn_once_per_frame(frame: Any, message: str, category: type[Warning]) -> None:
    """:func:`warn_caller`, but once per frame and message: three rollups of one ads frame
    say that reach is not additive once, a new load says it again.

    Examples
    --------
    >>> import warnings
    >>> import pandas as pd
    >>> df = pd.DataFrame({"reach": [1]})
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     for _ in range(3):
    ...         warn_once_per_frame(df, "reach dropped", ReachNotAdditiveWarning)
    >>> len(caught)
    1
    """
    entry = _TOLD.get(id(frame))
    if entry is None or entry[0]() is not frame:
        for key in [k for k, (ref, _) in _TOLD.items() if ref() is None]:
            del _TOLD[key]
        entry = (weakref.ref(frame), set())
        _TOLD[id(frame)] = entry
    if (category, message) in entry[1]:
        return
    entry[1].add((category, message))
    warn_caller(message, category)


def warn_renamed(old: str, new: str) -> None:
    """Say at the user's line that ``old`` was renamed ``new`` and works for one more release.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn_renamed("shrink(level=)", "shrink(confidence=)")
    >>> str(caught[0].message)
    'shrink(level=) is deprecated: use shrink(confidence=); the old name goes in the next release'
    """
    warn_caller(
        f"{old} is deprecated: use {new}; the old name goes in the next release",
        DeprecationWarning,
    )
