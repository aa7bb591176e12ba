"""Top-performer reason codes in long form: one row per code of each ad."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from atribu_pandas.core.vocabulary import POLARITIES, SAMPLE_CONFIDENCES
from atribu_pandas.exceptions import ArgumentError, warn_renamed
from atribu_pandas.metrics.common import _LOADER_TOP, _derived_attrs, require_columns

__all__ = ["REASON_CODE_DTYPES", "explode_reason_codes", "load_reason_codes", "reason_codes"]

_REASON_COLUMNS: tuple[str, ...] = (
    "layer",
    "polarity",
    "percentile",
    "sample_confidence",
    "code",
    "metric_value",
)
# pandas' default text dtype (what ``pd.Series(["a"])`` gets): missing text is NaN.
_TEXT = pd.StringDtype(na_value=np.nan)
REASON_CODE_DTYPES: dict[str, Any] = {
    "ad_external_id": _TEXT,
    "ad_name": _TEXT,
    "layer": _TEXT,
    "polarity": pd.CategoricalDtype(list(POLARITIES), ordered=False),
    "percentile": np.dtype("float64"),
    "sample_confidence": pd.CategoricalDtype(list(SAMPLE_CONFIDENCES), ordered=True),
    "code": _TEXT,
    "metric_value": np.dtype("float64"),
}


def explode_reason_codes(top: pd.DataFrame) -> pd.DataFrame:
    """Return the long frame of reason codes: one row per code of each ad.

    Parameters
    ----------
    top : pandas.DataFrame
        A frame from ``ap.load_top_performers`` (``ad_external_id``, ``ad_name``,
        ``reason_codes``: a list of dicts per ad).

    Returns
    -------
    pandas.DataFrame
        The dtypes of :data:`REASON_CODE_DTYPES`: ``ad_external_id``, ``ad_name``,
        ``layer`` and ``code`` in pandas' default text dtype
        (``pd.StringDtype(na_value=np.nan)``; a missing code is NaN), ``polarity``
        (unordered category: strength, weakness, forecast, fatigue), ``percentile``
        (float64), ``sample_confidence`` (ordered category: low < medium < high) and
        ``metric_value`` (float64); in the ads' order then the codes' order, with a fresh
        RangeIndex. Ads without codes give no rows.

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> sb = ap.sandbox.start()
    >>> top = ap.load_top_performers(client=sb.client())
    >>> top.atribu.reason_codes().columns.tolist()[:4]
    ['ad_external_id', 'ad_name', 'layer', 'polarity']
    >>> sb.stop()
    """
    require_columns(
        top,
        ["ad_external_id", "ad_name", "reason_codes"],
        method="reason_codes",
        loader=_LOADER_TOP,
    )
    codes = top["reason_codes"].to_numpy()
    lengths = np.fromiter(
        (len(c) if isinstance(c, list | tuple) else 0 for c in codes),
        dtype=np.int64,
        count=len(codes),
    )
    take = np.repeat(np.arange(len(top)), lengths)
    items = [item for c in codes if isinstance(c, list | tuple) for item in c]
    body = pd.DataFrame.from_records(items, columns=list(_REASON_COLUMNS))
    out = pd.DataFrame(
        {
            "ad_external_id": top["ad_external_id"].to_numpy()[take],
            "ad_name": top["ad_name"].to_numpy()[take],
        }
    )
    # A value the vocabulary does not know yet is kept as an extra category (casting to the
    # fixed categories would silently turn it into NaN); the loader reports the drift.
    dtypes = {
        name: pd.CategoricalDtype(
            [*dtype.categories, *sorted(set(body[name].dropna()) - set(dtype.categories))],
            ordered=dtype.ordered,
        )
        if isinstance(dtype, pd.CategoricalDtype)
        else dtype
        for name, dtype in REASON_CODE_DTYPES.items()
    }
    out = pd.concat([out, body], axis=1).astype(dtypes)
    out.attrs = _derived_attrs(top, "reason_codes")
    return out


def reason_codes(top: pd.DataFrame) -> pd.DataFrame:
    """Return the reason codes of a top-performers frame in long form (no request).

    Each ad's ``reason_codes`` list becomes rows, validated against the
    ``ReasonCodes`` schema like a loader's answer (a drift
    names the request ids of the load the frame came from). ``top.atribu.reason_codes()``
    is the same.

    Parameters
    ----------
    top : pandas.DataFrame
        A frame from :func:`load_top_performers`.

    Returns
    -------
    pandas.DataFrame
        One row per reason code: ``ad_external_id, ad_name, layer, polarity, percentile,
        sample_confidence, code, metric_value``; see
        ``ReasonCodes``.

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> sb = ap.sandbox.start()
    >>> top = ap.load_top_performers(limit=5, client=sb.client())
    >>> codes = ap.reason_codes(top)
    >>> set(codes["polarity"].unique()) <= {"strength", "weakness", "forecast", "fatigue"}
    True
    >>> sb.stop()
    """
    from atribu_pandas.frames.policy import conform
    from atribu_pandas.frames.schemas import schema_for

    if not isinstance(top, pd.DataFrame):
        raise ArgumentError("top", type(top).__name__, "a frame from load_top_performers")
    # A frame without the columns gets explode_reason_codes' words: which are missing, and
    # which loader gives them.
    codes = explode_reason_codes(top)
    info = top.attrs.get("atribu")
    ids = info.get("request_ids") if isinstance(info, dict) else None
    # The official schema declares no X-Request-Id header: an answer may have none.
    request_ids = ",".join(str(i) for i in ids if i) if isinstance(ids, list) else None
    request_ids = request_ids or None
    return conform(codes, schema_for("ReasonCodes"), request_id=request_ids)


def load_reason_codes(top: pd.DataFrame) -> pd.DataFrame:
    """The old name of :func:`reason_codes` (it loads nothing); deprecated.

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", DeprecationWarning)
    ...     ap.load_reason_codes(ap.load_top_performers(limit=1)).columns[0]
    'ad_external_id'
    """
    warn_renamed("ap.load_reason_codes(top)", "ap.reason_codes(top)")
    return reason_codes(top)
