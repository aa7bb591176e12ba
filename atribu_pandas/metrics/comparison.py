"""Period-over-period change: two windows' sums side by side, ratios rebuilt from them.

:func:`compare_periods` reads a frame of ``ap.load_period_comparison`` (or any period
frame, for its last two periods); :func:`compare_periods_by` does it per group (a
workspace's ``profile``). New and gone entities are named, never counted as zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
import pandas as pd

from atribu_pandas.core.config import DEFAULT_CURRENCY
from atribu_pandas.exceptions import ArgumentError
from atribu_pandas.frames.provenance import currency_of
from atribu_pandas.metrics.common import (
    _derived_attrs,
    require_columns,
    safe_divide,
)
from atribu_pandas.metrics.periods import (
    _LOADER_PERIODS,
    _period_index,
)

__all__ = ["COMPARED_METRICS", "PeriodComparison", "compare_periods", "compare_periods_by"]

_LOADER_COMPARISON = "ap.load_period_comparison"
# compare_periods' metrics: three sums, then two ratios of those sums.
COMPARED_METRICS: tuple[str, ...] = ("spend", "outcome_value", "outcome_count", "roas", "cac")


@dataclass
class PeriodComparison:
    """A window against its reference, per entity (from :func:`compare_periods`).

    :func:`compare_periods` (or ``df.atribu.compare_periods()``) builds it; each parameter
    below is an attribute of the result (``result.table``, ``result.totals``...).

    Parameters
    ----------
    current, reference : tuple of str
        Each window's first and last day (``YYYY-MM-DD``).
    against : str or None
        ``"previous"``, ``"year_ago"``, or None when two periods of a period frame are
        compared.
    table : pandas.DataFrame
        One row per entity in either window: ``campaign_id``, ``campaign_name``,
        ``status`` (``"new"``: only in the current window; ``"gone"``: only in the
        reference; ``"both"``), ``low_evidence`` (fewer than 5 outcomes in either
        window), then for each of the five metrics (``spend``, ``outcome_value``,
        ``outcome_count``, ``roas``, ``cac``) ``<m>_reference``, ``<m>_current``,
        ``<m>_change`` (current minus reference) and ``<m>_change_pct`` (change as % of
        the reference; NaN when it is 0 or missing). An entity absent from a window
        (outside its top ``limit``) has NaN figures there. Sorted by current spend,
        largest first.
    totals : pandas.DataFrame
        Index ``metric`` (the five metrics), columns ``reference``, ``current``,
        ``change`` and ``change_pct``: every row of each window summed, ratios from sums.
    note : str
        The data-quality footnote of the load ("" when none applies).
    currency : str
        The ISO code amounts are in: a report's stamp, else the client's currency, else
        USD.

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> with ap.sandbox.start() as sb:
    ...     both = ap.load_period_comparison("2026-03-01", "2026-03-28", client=sb.client())
    >>> result = both.atribu.compare_periods()
    >>> result.current, result.reference, result.against
    (('2026-03-01', '2026-03-28'), ('2026-02-01', '2026-02-28'), 'previous')
    >>> result.totals.columns.tolist()
    ['reference', 'current', 'change', 'change_pct']
    """

    current: tuple[str, str]
    reference: tuple[str, str]
    against: str | None
    table: pd.DataFrame = field(repr=False)
    totals: pd.DataFrame = field(repr=False)
    note: str = ""
    currency: str = DEFAULT_CURRENCY

    @property
    def new(self) -> list[str]:
        """Names of the entities only in the current window.

        Examples
        --------
        >>> import pandas as pd
        >>> weeks = pd.DataFrame({
        ...     "period_start": pd.to_datetime(["2026-03-02", "2026-03-09", "2026-03-09"]),
        ...     "campaign_id": ["a", "a", "b"], "campaign_name": ["Brand", "Brand", "Promo"],
        ...     "spend": [10.0, 12.0, 5.0], "outcome_value": [30.0, 30.0, 8.0],
        ...     "outcome_count": [3, 3, 1]})
        >>> compare_periods(weeks).new  # Promo ran in the second week only
        ['Promo']
        """
        return self._names("new")

    @property
    def gone(self) -> list[str]:
        """Names of the entities only in the reference window.

        Examples
        --------
        >>> import pandas as pd
        >>> weeks = pd.DataFrame({
        ...     "period_start": pd.to_datetime(["2026-03-02", "2026-03-02", "2026-03-09"]),
        ...     "campaign_id": ["a", "b", "a"], "campaign_name": ["Brand", "Promo", "Brand"],
        ...     "spend": [10.0, 5.0, 12.0], "outcome_value": [30.0, 8.0, 30.0],
        ...     "outcome_count": [3, 1, 3]})
        >>> compare_periods(weeks).gone  # Promo ran in the first week only
        ['Promo']
        """
        return self._names("gone")

    def _names(self, status: str) -> list[str]:
        rows = self.table[self.table["status"] == status]
        return [str(x) for x in rows["campaign_name"]]

    def __repr__(self) -> str:
        return (
            f"PeriodComparison(current={self.current[0]}..{self.current[1]}, "
            f"reference={self.reference[0]}..{self.reference[1]}, entities={len(self.table)}, "
            f"new={len(self.new)}, gone={len(self.gone)})"
        )

    def summary(self, lines: int = 3) -> str:
        """Return plain sentences a marketer can paste into an email.

        Parameters
        ----------
        lines : int, default 3
            At most this many sentences about the entities that moved most.

        Returns
        -------
        str
            One sentence per line: the two windows, the totals and their change, the new
            and gone entities, the largest ROAS moves and the data-quality note.

        Examples
        --------
        >>> import atribu_pandas as ap
        >>> sb = ap.sandbox.start()
        >>> both = ap.load_period_comparison("2026-03-01", "2026-03-28", client=sb.client())
        >>> print(both.atribu.compare_periods().summary().splitlines()[0])
        2026-03-01 to 2026-03-28 against the previous period (2026-02-01 to 2026-02-28):
        >>> sb.stop()
        """
        ref_words = {"previous": "the previous period", "year_ago": "the same dates a year ago"}
        versus = ref_words.get(self.against or "", "the reference period")
        t = self.totals
        text = [
            f"{self.current[0]} to {self.current[1]} against {versus} "
            f"({self.reference[0]} to {self.reference[1]}):"
        ]
        if t["current"].isna().all() and t["reference"].isna().all():
            return text[0] + " no figures in either window."
        cur = self.currency
        text.append(
            f"Spend {_money(t.at['spend', 'current'], cur)} "
            f"({_pct(t.at['spend', 'change_pct'])} from "
            f"{_money(t.at['spend', 'reference'], cur)}); "
            f"revenue {_money(t.at['outcome_value', 'current'], cur)} "
            f"({_pct(t.at['outcome_value', 'change_pct'])}); "
            f"outcomes {_count(t.at['outcome_count', 'current'])} "
            f"({_signed(t.at['outcome_count', 'change'], 0)})."
        )
        text.append(
            f"ROAS {_ratio(t.at['roas', 'current'])} against "
            f"{_ratio(t.at['roas', 'reference'])} ({_signed(t.at['roas', 'change'], 2)}); "
            f"CAC {_money(t.at['cac', 'current'], cur, 2)} against "
            f"{_money(t.at['cac', 'reference'], cur, 2)} ({_pct(t.at['cac', 'change_pct'])})."
        )
        for status, verb in (("new", "new in this period"), ("gone", "gone since the last")):
            names = self._names(status)
            if names:
                shown = ", ".join(names[:lines]) + (" ..." if len(names) > lines else "")
                text.append(f"{len(names)} {verb}: {shown}.")
        both = self.table[(self.table["status"] == "both") & ~self.table["low_evidence"]]
        movers = both.reindex(both["roas_change"].abs().sort_values(ascending=False).index)
        for row in movers.head(lines).to_dict("records"):
            if pd.isna(row["roas_change"]) or row["roas_change"] == 0:
                continue
            verb = "rose" if row["roas_change"] > 0 else "fell"
            text.append(
                f"ROAS of {row['campaign_name']} {verb} from {_ratio(row['roas_reference'])} "
                f"to {_ratio(row['roas_current'])}."
            )
        if self.note:
            text.append(self.note)
        return "\n".join(text)


def _money(value: Any, currency: str, decimals: int = 0) -> str:
    return "n/a" if pd.isna(value) else f"{currency} {float(value):,.{decimals}f}"


def _count(value: Any) -> str:
    return "n/a" if pd.isna(value) else f"{float(value):,.0f}"


def _ratio(value: Any) -> str:
    return "n/a" if pd.isna(value) else f"{float(value):.2f}"


def _pct(value: Any) -> str:
    return "change n/a" if pd.isna(value) else f"{float(value):+.0f}%"


def _signed(value: Any, decimals: int) -> str:
    return "change n/a" if pd.isna(value) else f"{float(value):+,.{decimals}f}"


def _window_of(df: pd.DataFrame, start: pd.Timestamp) -> tuple[str, str]:
    """The days a period's request covered: from attrs, else its calendar bounds."""
    info = df.attrs.get("atribu") if isinstance(df.attrs.get("atribu"), dict) else None
    for x in (info or {}).get("periods") or []:
        if pd.Timestamp(x["period_start"]) == start:
            return str(x["date_from"]), str(x["date_to"])
    rows = df[df["period_start"] == start]
    end = rows["period_end"].iloc[0] if "period_end" in df.columns and len(rows) else start
    return str(start.date()), str(pd.Timestamp(end).date())


def compare_periods(
    df: pd.DataFrame, current: Any = None, reference: Any = None
) -> PeriodComparison:
    """Compare two periods of a period frame per entity: change in spend, value, ROAS, CAC.

    Parameters
    ----------
    df : pandas.DataFrame
        A frame from ``ap.load_period_comparison`` (two windows) or
        ``ap.load_campaign_periods`` (any number of periods).
    current, reference : str, date or Timestamp, optional
        The ``period_start`` of each side; default the last period and the one before.

    Returns
    -------
    PeriodComparison
        ``table`` (per entity), ``totals`` (whole windows), ``new``, ``gone`` and
        :meth:`PeriodComparison.summary`.

    Raises
    ------
    AtribuError
        When the frame lacks the period or campaign columns.
    ArgumentError
        When ``current`` or ``reference`` is not one of the frame's periods, or the frame
        has fewer than two periods to compare.

    Examples
    --------
    >>> frame = pd.DataFrame({
    ...     "period_start": pd.to_datetime(["2026-03-02", "2026-03-02", "2026-03-09"]),
    ...     "campaign_id": ["a", "b", "a"], "campaign_name": ["A", "B", "A"],
    ...     "spend": [10.0, 5.0, 20.0], "outcome_value": [30.0, 0.0, 20.0],
    ...     "outcome_count": [6, 0, 5]})
    >>> result = compare_periods(frame)
    >>> result.table[["campaign_name", "status", "roas_reference", "roas_current"]]
      campaign_name status  roas_reference  roas_current
    0             A   both             3.0           1.0
    1             B   gone             0.0           NaN
    >>> float(result.totals.at["roas", "reference"])  # (30 + 0) / (10 + 5)
    2.0
    """
    require_columns(
        df,
        ["period_start", "campaign_id", "spend", "outcome_value", "outcome_count"],
        method="compare_periods",
        loader=_LOADER_COMPARISON,
    )
    starts = _period_index(df)
    if len(starts) < 2 and (current is None or reference is None):
        raise ArgumentError(
            "df", f"a frame with {len(starts)} period(s)", "at least two periods to compare"
        )
    cur = _pick(starts, current, "current", -1)
    ref = _pick(starts, reference, "reference", -2)
    if cur == ref:
        raise ArgumentError("reference", str(ref.date()), "a period other than current")
    sides = {}
    for side, start in (("reference", ref), ("current", cur)):
        rows = df[df["period_start"] == start]
        sums = rows.groupby("campaign_id", sort=False)[
            ["spend", "outcome_value", "outcome_count"]
        ].sum(min_count=1)
        sides[side] = sums.astype("float64")
    names = dict(zip(df["campaign_id"], df.get("campaign_name", df["campaign_id"]), strict=True))
    ids = list(dict.fromkeys([*sides["current"].index, *sides["reference"].index]))
    table = pd.DataFrame({"campaign_id": ids})
    table["campaign_name"] = [names.get(i, i) for i in ids]
    in_cur = table["campaign_id"].isin(sides["current"].index)
    in_ref = table["campaign_id"].isin(sides["reference"].index)
    table["status"] = np.select([in_cur & in_ref, in_cur], ["both", "new"], default="gone")
    counts = [sides[s]["outcome_count"].reindex(ids).to_numpy() for s in ("reference", "current")]
    with np.errstate(invalid="ignore"):
        table["low_evidence"] = (counts[0] < 5) | (counts[1] < 5)
    for metric in COMPARED_METRICS:
        values = {s: _metric(sides[s].reindex(ids), metric) for s in ("reference", "current")}
        table[f"{metric}_reference"] = values["reference"]
        table[f"{metric}_current"] = values["current"]
        table[f"{metric}_change"] = values["current"] - values["reference"]
        table[f"{metric}_change_pct"] = safe_divide(
            table[f"{metric}_change"], table[f"{metric}_reference"], 100.0
        )
    table = table.sort_values(
        ["spend_current", "spend_reference"], ascending=False, na_position="last", kind="stable"
    ).reset_index(drop=True)
    table["status"] = table["status"].astype("string")
    table.attrs = _derived_attrs(df, "compare_periods", summed_by=[])
    totals = _totals(sides)
    raw = df.attrs.get("atribu")
    info: dict[str, Any] = raw if isinstance(raw, dict) else {}
    comparison = info.get("comparison") or {}
    quality = info.get("quality") or {}
    from atribu_pandas.frames.quality import footnote

    return PeriodComparison(
        current=_window_of(df, cur),
        reference=_window_of(df, ref),
        against=comparison.get("against"),
        table=table,
        totals=totals,
        note=footnote({k: v for k, v in quality.items() if k != "low_evidence_rows"}),
        currency=currency_of(table),
    )


def _pick(starts: pd.DatetimeIndex, value: Any, name: str, default: int) -> pd.Timestamp:
    if value is None:
        return pd.Timestamp(starts[default])
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        stamp = None
    if stamp is None or stamp not in starts:
        shown = ", ".join(str(s.date()) for s in starts[:6]) + (" ..." if len(starts) > 6 else "")
        raise ArgumentError(name, value, f"one of the frame's period starts ({shown})")
    return stamp


def _metric(sums: pd.DataFrame, metric: str) -> np.ndarray:
    if metric == "roas":
        return safe_divide(sums["outcome_value"], sums["spend"])
    if metric == "cac":
        return safe_divide(sums["spend"], sums["outcome_count"])
    return sums[metric].to_numpy(dtype="float64", na_value=np.nan)


def _totals(sides: dict[str, pd.DataFrame]) -> pd.DataFrame:
    rows = {}
    for side, sums in sides.items():
        total = (
            sums.sum().to_frame().T
            if len(sums)
            else pd.DataFrame([[np.nan] * 3], columns=sums.columns)
        )
        rows[side] = [float(_metric(total, m)[0]) for m in COMPARED_METRICS]
    out = pd.DataFrame(rows, index=pd.Index(COMPARED_METRICS, name="metric"))
    out["change"] = out["current"] - out["reference"]
    out["change_pct"] = safe_divide(out["change"], out["reference"], 100.0)
    return out


def compare_periods_by(
    df: pd.DataFrame, by: str = "profile", current: Any = None, reference: Any = None
) -> pd.DataFrame:
    """Compare two periods for each group (each client of a workspace frame, by default).

    Parameters
    ----------
    df : pandas.DataFrame
        A period frame with a ``by`` column, e.g. ``Workspace.load_period_comparison``.
    by : str, default "profile"
        The column to group by: each client (``profile``) of a workspace frame.
    current, reference : str, date or Timestamp, optional
        As in :func:`compare_periods`.

    Returns
    -------
    pandas.DataFrame
        One row per group, in the group column's order: ``by``, then for each of the
        five metrics of :func:`compare_periods` ``<m>_reference``, ``<m>_current``,
        ``<m>_change``, ``<m>_change_pct`` (the group's totals, ratios from sums), then
        ``entities``, ``new`` and ``gone`` (counts).

    Examples
    --------
    >>> frame = pd.DataFrame({
    ...     "profile": ["A", "A", "B", "B"],
    ...     "period_start": pd.to_datetime(["2026-03-02", "2026-03-09"] * 2),
    ...     "campaign_id": ["a", "a", "b", "b"], "spend": [10.0, 20.0, 5.0, 5.0],
    ...     "outcome_value": [30.0, 20.0, 5.0, 10.0], "outcome_count": [3, 2, 1, 1]})
    >>> compare_periods_by(frame)[["profile", "roas_reference", "roas_current"]]
      profile  roas_reference  roas_current
    0       A             3.0           1.0
    1       B             1.0           2.0
    """
    require_columns(df, [by], method="compare_periods_by", loader=_LOADER_PERIODS)
    rows = []
    for key, part in df.groupby(by, observed=True, sort=True):
        part = part.copy()
        part.attrs = df.attrs
        result = compare_periods(part, current, reference)
        row: dict[str, Any] = {by: key}
        for metric in COMPARED_METRICS:
            for column in ("reference", "current", "change", "change_pct"):
                row[f"{metric}_{column}"] = float(cast(float, result.totals.at[metric, column]))
        row["entities"] = len(result.table)
        row["new"] = len(result.new)
        row["gone"] = len(result.gone)
        rows.append(row)
    out = pd.DataFrame(rows)
    out.attrs = _derived_attrs(df, "compare_periods_by", summed_by=[by])
    return out
