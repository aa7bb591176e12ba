"""``df.atribu.plot``: the charts of an Atribu frame, each on a Matplotlib Axes.

Thin like the accessor it hangs from: each method checks the types of its arguments and
hands the frame to :mod:`.campaigns`, :mod:`.trends` or :mod:`.periods`, imported on
first use so ``import atribu_pandas`` does not import matplotlib.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from atribu_pandas.core.extras import require_notebook_extra
from atribu_pandas.exceptions import ArgumentError

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["PlotAccessor"]


class PlotAccessor:
    """Charts of an Atribu frame; each method takes ``ax=None`` and returns the Axes.

    Parameters
    ----------
    df : pandas.DataFrame
        The frame the charts are drawn from: ``df.atribu.plot`` reads it from ``df``, so
        a user never builds the accessor.

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> sb = ap.sandbox.start()
    >>> df = ap.load_campaigns("2026-03-01", "2026-03-25", level="campaign", client=sb.client())
    >>> ax = df.atribu.plot.roas_bar()
    >>> sb.stop()
    """

    def __init__(self, df: pd.DataFrame) -> None:
        require_notebook_extra("Charts", "matplotlib", "adjustText")
        self._df = df

    def roas_bar(
        self, *, top: int = 15, target: float | None = None, ax: Axes | None = None
    ) -> Axes:
        """Horizontal bars of ROAS per entity, with the break-even line at 1.

        Parameters
        ----------
        top : int, default 15
            Entities with the most spend to show.
        target : float, optional
            The client's ROAS target: a labelled line ("Target 2.50×").
        ax : matplotlib.axes.Axes, optional
            The Axes to draw on; None (the default) draws on a new figure.

        Returns
        -------
        matplotlib.axes.Axes
            The Axes drawn on, to adjust or save (``ax.figure.savefig(...)``).

        Examples
        --------
        >>> import atribu_pandas as ap
        >>> sb = ap.sandbox.start()
        >>> df = ap.load_campaigns("2026-03-01", "2026-03-25", level="campaign",
        ...                        client=sb.client())
        >>> df.atribu.plot.roas_bar().get_title()
        'ROAS by campaign'
        >>> sb.stop()
        """
        from atribu_pandas.display.charts import campaigns

        return campaigns.roas_bar(self._df, top=top, target=target, ax=ax)

    def spend_vs_value(self, *, label: int = 5, ax: Axes | None = None) -> Axes:
        """Scatter of spend against value, sized by outcomes, with the ROAS = 1 line.

        Parameters
        ----------
        label : int, default 5
            Name this many points with the most spend.
        ax : matplotlib.axes.Axes, optional
            The Axes to draw on; None (the default) draws on a new figure.

        Returns
        -------
        matplotlib.axes.Axes
            The Axes drawn on, to adjust or save (``ax.figure.savefig(...)``).

        Examples
        --------
        >>> import atribu_pandas as ap
        >>> sb = ap.sandbox.start()
        >>> df = ap.load_campaigns("2026-03-01", "2026-03-25", level="ad", limit=100,
        ...                        client=sb.client())
        >>> ax = df.atribu.plot.spend_vs_value()
        >>> sb.stop()
        """
        from atribu_pandas.display.charts import campaigns

        return campaigns.spend_vs_value(self._df, label=label, ax=ax)

    def trend(
        self,
        values: str = "spend",
        *,
        freq: str = "D",
        rolling: int | None = None,
        names: pd.DataFrame | Mapping[Any, Any] | None = None,
        small_multiples: bool = False,
        ax: Axes | None = None,
    ) -> Any:
        """Lines of a trend frame per entity (or one small panel per entity).

        Parameters
        ----------
        values : {"spend", "impressions", "clicks", "ctr", "cpc", "cpm"}, default "spend"
            The figure drawn; ctr, cpc and cpm are rebuilt per period from the summed
            clicks, impressions and spend, never averaged.
        freq : str, default "D"
            One point per period: ``"D"`` (day), ``"W"`` (week from Monday) or ``"M"``
            (calendar month); see :func:`atribu_pandas.metrics.pivot_trend`.
        rolling : int, optional
            Adds a rolling mean (ratio of rolling sums for ctr/cpc/cpm) as a solid line
            over the raw figures drawn faintly.
        names : campaigns frame or mapping, optional
            Names for the legend instead of ids: a frame of ``ap.load_campaigns`` or a
            mapping of id to name.
        small_multiples : bool, default False
            One panel per entity on a new figure (``ax`` must be None); returns the array
            of Axes.
        ax : matplotlib.axes.Axes, optional
            The Axes to draw on; None (the default) draws on a new figure. Not with
            ``small_multiples``.

        Returns
        -------
        matplotlib.axes.Axes or numpy.ndarray
            The Axes drawn on, or the array of panels' Axes with ``small_multiples``.

        Examples
        --------
        >>> import atribu_pandas as ap
        >>> sb = ap.sandbox.start()
        >>> camps = ap.load_campaigns("2026-03-01", "2026-03-25", level="campaign",
        ...                           client=sb.client())
        >>> trend = ap.load_campaign_trend(camps["campaign_id"][:3], "2026-03-01",
        ...                                "2026-03-25", client=sb.client())
        >>> ax = trend.atribu.plot.trend("spend", rolling=7, names=camps)
        >>> sb.stop()
        """
        from atribu_pandas.display.charts import trends as trend_chart

        if names is not None and not isinstance(names, pd.DataFrame | Mapping):
            allowed = "a campaigns frame, a mapping of id to name, or None"
            raise ArgumentError("names", names, allowed)
        return trend_chart.trend(
            self._df,
            values,
            freq=freq,
            rolling=rolling,
            names=names,
            small_multiples=small_multiples,
            ax=ax,
        )

    def model_heatmap(
        self,
        metric: str = "outcome_value",
        *,
        baseline: str = "last_touch",
        top: int = 15,
        ax: Axes | None = None,
    ) -> Axes:
        """Heatmap of credit share, entity by model (a ``load_model_comparison`` frame).

        Parameters
        ----------
        metric : str, default "outcome_value"
            The column whose share of the credit each cell shows: ``outcome_value`` or
            ``outcome_count`` (shares of a ratio such as ROAS mean little).
        baseline : str, default "last_touch"
            Rows are ordered by this model's credit.
        top : int, default 15
            Rows to show.
        ax : matplotlib.axes.Axes, optional
            The Axes to draw on; None (the default) draws on a new figure.

        Returns
        -------
        matplotlib.axes.Axes
            The Axes drawn on, to adjust or save (``ax.figure.savefig(...)``).

        Examples
        --------
        >>> import atribu_pandas as ap
        >>> sb = ap.sandbox.start()
        >>> cmp = ap.load_model_comparison("2026-03-01", "2026-03-25", client=sb.client())
        >>> ax = cmp.atribu.plot.model_heatmap()
        >>> sb.stop()
        """
        from atribu_pandas.display.charts import campaigns

        return campaigns.model_heatmap(
            self._df,
            metric,
            baseline=baseline,
            top=top,
            ax=ax,
        )

    def cohort_box(self, by: str | Sequence[str] | None = None, *, ax: Axes | None = None) -> Axes:
        """Box plot of composite_score per cohort (a top-performers frame).

        Parameters
        ----------
        by : str or list of str, optional
            Default format x objective, as ``compare_cohorts``.
        ax : matplotlib.axes.Axes, optional
            The Axes to draw on; None (the default) draws on a new figure.

        Returns
        -------
        matplotlib.axes.Axes
            The Axes drawn on, to adjust or save (``ax.figure.savefig(...)``).

        Examples
        --------
        >>> import atribu_pandas as ap
        >>> sb = ap.sandbox.start()
        >>> top = ap.load_top_performers(limit=50, client=sb.client())
        >>> ax = top.atribu.plot.cohort_box()
        >>> sb.stop()
        """
        from atribu_pandas.display.charts import ads

        return ads.cohort_box(self._df, by, ax=ax)

    def shrinkage(
        self,
        metric: str = "ctr",
        by: str | Sequence[str] = "cohort_key",
        *,
        top: int = 25,
        ax: Axes | None = None,
    ) -> Axes:
        """Raw against shrunk estimates per ad, with 90% credible intervals.

        Parameters
        ----------
        metric : {"ctr", "roas"}, default "ctr"
            The figure estimated per ad.
        by : str or list of str, default "cohort_key"
            The cohort columns: each ad is shrunk towards its cohort's mean.
        top : int, default 25
            Ads with the most evidence (impressions or spend) to show.
        ax : matplotlib.axes.Axes, optional
            The Axes to draw on; None (the default) draws on a new figure.

        Returns
        -------
        matplotlib.axes.Axes
            The Axes drawn on, to adjust or save (``ax.figure.savefig(...)``).

        Examples
        --------
        >>> import atribu_pandas as ap
        >>> sb = ap.sandbox.start()
        >>> top = ap.load_top_performers(limit=50, client=sb.client())
        >>> ax = top.atribu.plot.shrinkage("ctr")
        >>> sb.stop()
        """
        from atribu_pandas.display.charts import ads

        return ads.shrinkage(
            self._df,
            metric,
            by,
            top=top,
            ax=ax,
        )

    def roas_over_time(
        self, *, top: int = 3, target: float | None = None, ax: Axes | None = None
    ) -> Axes:
        """ROAS lines over spend bars per period (a period frame); partial periods hatched.

        Parameters
        ----------
        top : int, default 3
            Also draw the ROAS of this many entities with the most spend.
        target : float, optional
            The client's ROAS target: a labelled line on the ROAS axis.
        ax : matplotlib.axes.Axes, optional
            The Axes to draw on; None (the default) draws on a new figure.

        Returns
        -------
        matplotlib.axes.Axes
            The Axes drawn on, to adjust or save (``ax.figure.savefig(...)``).

        Examples
        --------
        >>> import datetime as dt
        >>> import atribu_pandas as ap
        >>> sb = ap.sandbox.start()
        >>> weeks = ap.load_campaign_periods(sb.last_day - dt.timedelta(days=55), sb.last_day,
        ...                                  client=sb.client())
        >>> weeks.atribu.plot.roas_over_time(top=0).get_ylabel()
        'Spend (USD)'
        >>> sb.stop()
        """
        from atribu_pandas.display.charts import periods as period_plots

        return period_plots.roas_over_time(self._df, top=top, target=target, ax=ax)

    def period_change(self, metric: str = "roas", *, top: int = 15, ax: Axes | None = None) -> Axes:
        """Diverging bars of each entity's change between two periods.

        Parameters
        ----------
        metric : {"spend", "outcome_value", "outcome_count", "roas", "cac"}, default "roas"
            The change drawn (current minus reference), each bar coloured as better or
            worse (a lower CAC is better).
        top : int, default 15
            Entities with the largest change, up or down, to show.
        ax : matplotlib.axes.Axes, optional
            The Axes to draw on; None (the default) draws on a new figure.

        Returns
        -------
        matplotlib.axes.Axes
            The Axes drawn on, to adjust or save (``ax.figure.savefig(...)``).

        Examples
        --------
        >>> import datetime as dt
        >>> import atribu_pandas as ap
        >>> sb = ap.sandbox.start()
        >>> both = ap.load_period_comparison(sb.last_day - dt.timedelta(days=27), sb.last_day,
        ...                                  client=sb.client())
        >>> both.atribu.plot.period_change("cac").get_xlabel()
        'Change in CAC (current minus reference)'
        >>> sb.stop()
        """
        from atribu_pandas.display.charts import periods as period_plots

        return period_plots.period_change(self._df, metric, top=top, ax=ax)
