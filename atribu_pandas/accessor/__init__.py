"""The ``df.atribu`` accessor: the right calculation on a loader's frame in one call.

The accessor is thin and stateless: each method checks the types of its arguments (so a
list where a name belongs, or a frame where a number belongs, is an
:class:`~atribu_pandas.ArgumentError` naming it, not a pandas error) and hands
the frame to a pure function of ``metrics`` (or of
``display.charts``, imported on first use so ``import atribu_pandas``
does not import matplotlib), which checks the values. Every method returns a new object; the frame
is never modified.

The plots (``df.atribu.plot``) are in ``display.charts.accessor``,
the goals (``against_targets``, ``pacing``) in ``accessor.goals``,
and the type checks every public function shares in ``core.params``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from atribu_pandas.accessor.goals import GoalMethods
from atribu_pandas.core.params import (
    MAX_ROLLING,
    check_column,
    check_columns,
    check_count,
    check_freq,
    check_nonnegative,
    check_number,
)
from atribu_pandas.display.charts.accessor import PlotAccessor
from atribu_pandas.exceptions import ArgumentError

# Each method imports metrics when called, so `import atribu_pandas` costs no more than
# pandas's own import.
if TYPE_CHECKING:
    from atribu_pandas import metrics

__all__ = [
    "AtribuAccessor",
]


@pd.api.extensions.register_dataframe_accessor("atribu")
class AtribuAccessor(GoalMethods):
    """Recompute, roll up, compare and plot Atribu frames: ``df.atribu.<method>()``.

    Parameters
    ----------
    pandas_obj : pandas.DataFrame
        The frame the accessor is read from.

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> sb = ap.sandbox.start()
    >>> df = ap.load_campaigns("2026-03-01", "2026-03-25", level="campaign", client=sb.client())
    >>> totals = df.atribu.rollup()
    >>> float(totals["roas"].iloc[0]) == float(df["outcome_value"].sum() / df["spend"].sum())
    True
    >>> sb.stop()
    """

    def __init__(self, pandas_obj: pd.DataFrame) -> None:
        self._df = pandas_obj

    def in_currency(self, to: str, rates: Mapping[str, float]) -> pd.DataFrame:
        """Every amount in one currency, each row at its own currency's rate.

        For a workspace whose clients report in different currencies (or a frame whose
        client stated one): spend, value, CAC, CPC, CPM, budgets and revenue are
        multiplied by the rate; ROAS and counts stay as they are.

        Parameters
        ----------
        to : str
            The ISO 4217 code to show every amount in.
        rates : mapping of str to float
            Units of ``to`` for one unit of each other currency: ``{"EUR": 1.08}``.

        Returns
        -------
        pandas.DataFrame
            See :func:`atribu_pandas.metrics.convert_currency`.

        Examples
        --------
        >>> import atribu_pandas as ap
        >>> with ap.sandbox.start() as sb:
        ...     camps = ap.load_campaigns(
        ...         sb.last_day, sb.last_day, client=sb.client(currency="EUR")
        ...     )
        >>> usd = camps.atribu.in_currency("USD", rates={"EUR": 1.1})
        >>> bool((usd["spend"] == camps["spend"] * 1.1).all()), usd.attrs["currency"]
        (True, 'USD')
        """
        from atribu_pandas import metrics

        return metrics.convert_currency(self._df, to, rates)

    def recompute(self) -> pd.DataFrame:
        """Return a copy with roas, cac, ctr, avg_cpm/cpc and frequency rebuilt from sums.

        See :func:`atribu_pandas.metrics.recompute` for the formulas. A zero denominator
        gives NaN, never inf.

        Returns
        -------
        pandas.DataFrame
            A new frame with the same rows; the frame it was called on is not modified.

        Examples
        --------
        >>> import atribu_pandas as ap
        >>> sb = ap.sandbox.start()
        >>> df = ap.load_campaigns("2026-03-01", "2026-03-25", level="campaign",
        ...                        client=sb.client())
        >>> "frequency" in df.atribu.recompute().columns
        True
        >>> sb.stop()
        """
        from atribu_pandas import metrics

        return metrics.recompute(self._df)

    def check(self, rtol: float = 0.01, *, atol: float = 0.0) -> pd.DataFrame:
        """Return the rows whose API ratio disagrees with the recomputed one, and which ratio.

        Parameters
        ----------
        rtol : float, default 0.01
            Relative tolerance (0.01 = 1%).
        atol : float, default 0.0
            Absolute tolerance.

        Returns
        -------
        pandas.DataFrame
            Columns: the row's ids and names, ``column``, ``api``, ``recomputed``,
            ``rel_diff``; ``attrs["check"]`` lists the ratios checked and skipped; see
            :func:`atribu_pandas.metrics.check`.

        Raises
        ------
        AtribuError
            When the frame has no ratio that can be checked (e.g. a trend frame).

        Examples
        --------
        >>> import atribu_pandas as ap
        >>> sb = ap.sandbox.start()
        >>> df = ap.load_campaigns("2026-03-01", "2026-03-25", level="ad", client=sb.client())
        >>> df.atribu.check()[["column", "api", "recomputed"]]  # doctest: +SKIP
        >>> sb.stop()
        """
        rtol = check_nonnegative(rtol, "rtol", "a finite number >= 0, such as 0.01")
        atol = check_nonnegative(atol, "atol", "a finite number >= 0")
        from atribu_pandas import metrics

        return metrics.check(self._df, rtol, atol=atol)

    def rollup(
        self, by: str | Sequence[str] | None = None, freq: str | None = None
    ) -> pd.DataFrame:
        """Sum additive columns by ``by`` and/or ``freq``, then recompute the ratios.

        Parameters
        ----------
        by : str or list of str, optional
            Grouping columns; ``None`` (and no ``freq``) gives the one-row total.
        freq : str, optional
            Date frequency on the ``date`` column (trend frames): ``"D"``, ``"W"``, ``"M"``.

        Returns
        -------
        pandas.DataFrame
            Keys, sums and ratios; see :func:`atribu_pandas.metrics.rollup` (reach is kept
            only when each group is one entity, else dropped with a
            :class:`~atribu_pandas.ReachNotAdditiveWarning`).

        Examples
        --------
        >>> import atribu_pandas as ap
        >>> sb = ap.sandbox.start()
        >>> ads = ap.load_campaigns("2026-03-01", "2026-03-25", level="ad", limit=100,
        ...                         client=sb.client())
        >>> by_campaign = ads.atribu.rollup("parent_name")  # doctest: +SKIP
        >>> sb.stop()
        """
        by = check_columns(by, "by", optional=True)
        from atribu_pandas import metrics

        return metrics.rollup(self._df, by, check_freq(freq, "freq", optional=True))

    def compare_models(
        self, metric: str = "outcome_value", baseline: str = "last_touch", top: int = 10
    ) -> metrics.ModelComparison:
        """Compare attribution models on a ``load_model_comparison`` frame.

        Parameters
        ----------
        metric : str, default "outcome_value"
            The column compared; credit shares mean something for ``outcome_value`` and
            ``outcome_count``, while a ratio such as ``roas`` is compared as it is.
        baseline : str, default "last_touch"
            The model the others are measured against; one of the frame's models.
        top : int, default 10
            The N of "enters or leaves the top N" in the rank flips.

        Returns
        -------
        atribu_pandas.metrics.ModelComparison
            ``values``, ``shares``, ``change``, ``change_pct``, ``ranks``, ``flips`` and
            ``summary()``.

        Examples
        --------
        >>> import atribu_pandas as ap
        >>> sb = ap.sandbox.start()
        >>> cmp = ap.load_model_comparison("2026-03-01", "2026-03-25", client=sb.client())
        >>> cmp.atribu.compare_models(top=5).summary().startswith("Credit for outcome value of")
        True
        >>> sb.stop()
        """
        metric = check_column(metric, "metric")
        baseline = check_column(baseline, "baseline")
        from atribu_pandas import metrics

        return metrics.compare_models(self._df, metric, baseline, check_count(top, "top"))

    def compare_cohorts(self, by: str | Sequence[str] | None = None) -> pd.DataFrame:
        """Per-cohort ads, spend, pooled ROAS and CAC, composite-score spread, best ad.

        Parameters
        ----------
        by : str or list of str, optional
            Default format x objective (``cohort_format``, ``cohort_objective``), which
            groups several ads per cohort; ``"cohort_key"`` is Atribu's own finer cohort.

        Returns
        -------
        pandas.DataFrame
            See :func:`atribu_pandas.metrics.compare_cohorts`.

        Examples
        --------
        >>> import atribu_pandas as ap
        >>> sb = ap.sandbox.start()
        >>> top = ap.load_top_performers(limit=50, client=sb.client())
        >>> cohorts = top.atribu.compare_cohorts()
        >>> bool(abs(cohorts["spend_share"].sum() - 1) < 1e-9)
        True
        >>> sb.stop()
        """
        from atribu_pandas import metrics

        return metrics.compare_cohorts(self._df, check_columns(by, "by", optional=True))

    def shrink(
        self,
        metric: str = "ctr",
        by: str | Sequence[str] = "cohort_key",
        *,
        confidence: float = 0.9,
        level: float | None = None,
    ) -> pd.DataFrame:
        """Empirical-Bayes estimate per ad within its cohort, with a credible interval.

        Parameters
        ----------
        metric : {"ctr", "roas"}, default "ctr"
            The figure estimated per ad.
        by : str or list of str, default "cohort_key"
            The cohort columns: each ad's figure is pulled towards its cohort's mean, the
            more so the less evidence (impressions or spend) the ad has.
        confidence : float, default 0.9
            Probability of the credible interval.
        level : float, optional
            The old name of ``confidence`` (deprecated).

        Returns
        -------
        pandas.DataFrame
            ``raw``, ``estimate``, ``low``, ``high``, ``weight``, ``cohort_mean`` per ad;
            see :func:`atribu_pandas.metrics.shrink`.

        Examples
        --------
        >>> import atribu_pandas as ap
        >>> sb = ap.sandbox.start()
        >>> top = ap.load_top_performers(limit=50, client=sb.client())
        >>> est = top.atribu.shrink("roas")
        >>> bool((est["low"] <= est["estimate"]).all())
        True
        >>> sb.stop()
        """
        from atribu_pandas import metrics

        return metrics.shrink(
            self._df,
            check_column(metric, "metric"),
            check_columns(by, "by"),
            confidence=confidence,
            level=level,
        )

    def reason_codes(self) -> pd.DataFrame:
        """Return the long frame of reason codes, validated: ``ap.reason_codes(df)``.

        Returns
        -------
        pandas.DataFrame
            One row per reason code; see :func:`atribu_pandas.reason_codes`.

        Examples
        --------
        >>> import atribu_pandas as ap
        >>> sb = ap.sandbox.start()
        >>> top = ap.load_top_performers(limit=5, client=sb.client())
        >>> top.atribu.reason_codes()["polarity"].value_counts()  # doctest: +SKIP
        >>> sb.stop()
        """
        from atribu_pandas import metrics

        return metrics.reason_codes(self._df)

    def pivot_trend(
        self,
        values: str = "spend",
        freq: str = "D",
        fill_value: float | None = 0,
        rolling: int | None = None,
        cumulative: bool = False,
        names: pd.DataFrame | Mapping[Any, Any] | None = None,
    ) -> pd.DataFrame:
        """Pivot a trend frame to date by entity over the complete calendar of the window.

        Parameters
        ----------
        values : {"spend", "impressions", "clicks", "ctr", "cpc", "cpm"}, default "spend"
            The figure pivoted; ctr, cpc and cpm are rebuilt per period from the summed
            parts, never averaged.
        freq : str, default "D"
            ``"D"`` (days), ``"W"`` (weeks from Monday), ``"M"`` (calendar months) or any
            pandas frequency.
        fill_value : float or None, default 0
            Value for days without delivery (additive values); None keeps NaN.
        rolling : int, optional
            A rolling mean over this many periods (a ratio of rolling sums for
            ctr/cpc/cpm).
        cumulative : bool, default False
            Running totals (a running ratio of sums for ctr/cpc/cpm); not with ``rolling``.
        names : campaigns frame or mapping, optional
            Columns read as names instead of ids: a frame of ``ap.load_campaigns`` or a
            mapping of id to name.

        Returns
        -------
        pandas.DataFrame
            See :func:`atribu_pandas.metrics.pivot_trend`.

        Examples
        --------
        >>> import atribu_pandas as ap
        >>> sb = ap.sandbox.start()
        >>> camps = ap.load_campaigns("2026-03-01", "2026-03-25", level="campaign",
        ...                           client=sb.client())
        >>> trend = ap.load_campaign_trend(camps["campaign_id"][:3], "2026-03-01",
        ...                                "2026-03-25", client=sb.client())
        >>> len(trend.atribu.pivot_trend())
        25
        >>> sb.stop()
        """
        if not isinstance(cumulative, bool):
            raise ArgumentError("cumulative", cumulative, "True or False")
        if names is not None and not isinstance(names, pd.DataFrame | Mapping):
            raise ArgumentError(
                "names", names, "a campaigns frame, a mapping of id to name, or None"
            )
        from atribu_pandas import metrics

        return metrics.pivot_trend(
            self._df,
            values=check_column(values, "values"),
            freq=check_freq(freq, "freq"),
            fill_value=check_number(fill_value, "fill_value", "a number or None", optional=True),
            rolling=check_count(rolling, "rolling", maximum=MAX_ROLLING, optional=True),
            cumulative=cumulative,
            names=names,
        )

    def compare_periods(
        self, current: Any = None, reference: Any = None
    ) -> metrics.PeriodComparison:
        """Compare two periods per entity: change in spend, value, outcomes, ROAS and CAC.

        Parameters
        ----------
        current, reference : str, date or Timestamp, optional
            ``period_start`` of each side; default the frame's last period and the one
            before (for ``ap.load_period_comparison``: the window and its reference).

        Returns
        -------
        PeriodComparison
            ``table``, ``totals``, ``new``, ``gone`` and ``summary()``; see
            :func:`atribu_pandas.metrics.compare_periods`.

        Examples
        --------
        >>> import datetime as dt
        >>> import atribu_pandas as ap
        >>> sb = ap.sandbox.start()
        >>> both = ap.load_period_comparison(sb.last_day - dt.timedelta(days=27), sb.last_day,
        ...                                  client=sb.client())
        >>> result = both.atribu.compare_periods()
        >>> result.totals.index.tolist()
        ['spend', 'outcome_value', 'outcome_count', 'roas', 'cac']
        >>> sb.stop()
        """
        from atribu_pandas import metrics

        return metrics.compare_periods(self._df, current, reference)

    def compare_periods_by(
        self, by: str = "profile", current: Any = None, reference: Any = None
    ) -> pd.DataFrame:
        """Compare two periods per group: one row per client of a workspace frame.

        Parameters
        ----------
        by : str, default "profile"
            The column to group by: each client (``profile``) of a workspace frame.
        current, reference : str, date or Timestamp, optional
            As in :meth:`compare_periods`.

        Returns
        -------
        pandas.DataFrame
            See :func:`atribu_pandas.metrics.compare_periods_by`.

        Examples
        --------
        >>> import datetime as dt
        >>> import atribu_pandas as ap
        >>> sb = ap.sandbox.start()
        >>> both = sb.workspace().load_period_comparison(
        ...     sb.last_day - dt.timedelta(days=27), sb.last_day)
        >>> both.atribu.compare_periods_by("profile")["profile"].tolist()
        ['Bright Smile Dental', 'Northwind Aesthetics Group']
        >>> sb.stop()
        """
        from atribu_pandas import metrics

        return metrics.compare_periods_by(self._df, by, current, reference)

    def period_totals(self) -> pd.DataFrame:
        """One row per period of a period frame: flags, sums, ROAS and CAC of the sums.

        Returns
        -------
        pandas.DataFrame
            See :func:`atribu_pandas.metrics.period_totals`.

        Examples
        --------
        >>> import datetime as dt
        >>> import atribu_pandas as ap
        >>> sb = ap.sandbox.start()
        >>> weeks = ap.load_campaign_periods(sb.last_day - dt.timedelta(days=27), sb.last_day,
        ...                                  client=sb.client())
        >>> len(weeks.atribu.period_totals()) in (4, 5)  # 4 weeks, or 5 when cut
        True
        >>> sb.stop()
        """
        from atribu_pandas import metrics

        return metrics.period_totals(self._df)

    @property
    def plot(self) -> PlotAccessor:
        """The plots: ``df.atribu.plot.roas_bar()``, ``.trend()`` ... (matplotlib).

        See :class:`~atribu_pandas.display.charts.accessor.PlotAccessor` for every chart.

        Examples
        --------
        >>> import atribu_pandas as ap
        >>> with ap.sandbox.start() as sb:
        ...     df = ap.load_campaigns("2026-03-01", "2026-03-25", level="campaign",
        ...                            client=sb.client())
        >>> ax = df.atribu.plot.roas_bar(top=5)
        >>> ax.get_title()
        'ROAS by campaign'
        """
        return PlotAccessor(self._df)
