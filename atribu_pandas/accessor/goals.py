"""The ``df.atribu`` methods that hold a frame against a client's goals: targets and pacing.

A mixin of :class:`~atribu_pandas.accessor.AtribuAccessor`, apart so each accessor module
keeps one job: here ``against_targets`` (ROAS and cost targets, row by row) and
``pacing`` (spend against a monthly budget). Each checks its arguments (with
``core.params``) and hands the frame to ``metrics``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from atribu_pandas.core.params import (
    MAX_ROLLING,
    check_count,
    check_date,
    check_monthly_budget,
    check_target,
)
from atribu_pandas.exceptions import ArgumentError

__all__ = ["GoalMethods"]


class GoalMethods:
    """``against_targets`` and ``pacing``, for :class:`~atribu_pandas.accessor.AtribuAccessor`."""

    _df: pd.DataFrame

    def against_targets(
        self,
        roas: float | None = None,
        cpa: float | None = None,
        cost_per_conversation: float | None = None,
    ) -> pd.DataFrame:
        """Flag each row against the client's targets: which rows meet them, which miss.

        A ROAS below ``roas`` misses; a cost per outcome (``cac``) above ``cpa`` misses;
        a cost per conversation above ``cost_per_conversation`` misses (top-performer
        frames: only ``/top-performers`` reports messaging conversations). A row without
        spend is not judged (``<NA>``); one that spent and bought no outcome misses a cost
        target. See :func:`atribu_pandas.metrics.against_targets`.

        Parameters
        ----------
        roas, cpa, cost_per_conversation : float, optional
            The targets (> 0); None for no target on that metric. At least one.

        Returns
        -------
        pandas.DataFrame
            Same index as the frame: its ids and names, then per target ``<metric>``,
            ``<metric>_target`` and ``<metric>_meets`` (nullable boolean).

        Examples
        --------
        >>> import atribu_pandas as ap
        >>> with ap.sandbox.start() as sb:
        ...     camps = ap.load_campaigns("2026-03-01", "2026-03-25", client=sb.client())
        >>> flags = camps.atribu.against_targets(roas=2.5)
        >>> list(flags.columns)
        ['campaign_id', 'campaign_name', 'roas', 'roas_target', 'roas_meets']
        >>> bool((flags["roas_meets"] == (flags["roas"] >= 2.5)).all())
        True
        """
        targets = {
            "roas": check_target(roas, "roas"),
            "cpa": check_target(cpa, "cpa"),
            "cost_per_conversation": check_target(cost_per_conversation, "cost_per_conversation"),
        }
        if all(value is None for value in targets.values()):
            raise ArgumentError(
                "targets", None, "at least one of roas=, cpa=, cost_per_conversation= (> 0)"
            )
        from atribu_pandas import metrics

        return metrics.against_targets(self._df, targets)

    def pacing(
        self,
        monthly_budget: float | Mapping[str, float],
        *,
        as_of: Any = None,
        window: int = 7,
        names: pd.DataFrame | Mapping[str, Any] | None = None,
    ) -> pd.DataFrame:
        """Pace a trend frame's spend against a monthly budget, for the month of ``as_of``.

        Month-to-date spend, the daily pace that lands on the budget, the recent daily
        rate (the ``window`` days ending on ``as_of``) and the month-end spend it
        projects; see :func:`atribu_pandas.metrics.pacing` for each column.

        Parameters
        ----------
        monthly_budget : float or mapping of str to float
            One amount for all the frame's campaigns, or one per campaign keyed by id or
            by name (a name needs ``names``).
        as_of : date-like, optional
            The last day counted (a report's last day); default the frame's last day
            loaded. Never the wall clock.
        window : int, default 7
            Days of the recent daily rate.
        names : campaigns frame or mapping of id to name, optional
            The campaigns' names: shown in the result, and needed for a budget keyed by
            name (a frame of ``ap.load_campaigns``, or a mapping of id to name).

        Returns
        -------
        pandas.DataFrame
            One row for a single budget, one per campaign for a mapping.

        Examples
        --------
        >>> import atribu_pandas as ap
        >>> with ap.sandbox.start() as sb:
        ...     camps = ap.load_campaigns("2026-03-01", "2026-03-20", client=sb.client())
        ...     trend = ap.load_campaign_trend(camps["campaign_id"][:2], "2026-03-01",
        ...                                    "2026-03-20", client=sb.client())
        >>> row = trend.atribu.pacing(10_000).iloc[0]
        >>> int(row["days_elapsed"]), int(row["days_left"])
        (20, 11)
        >>> bool(row["spend_to_date"] == trend["spend"].sum())
        True
        """
        budget = check_monthly_budget(monthly_budget)
        if budget is None:
            raise ArgumentError("monthly_budget", None, "an amount > 0, or a mapping of them")
        day = None if as_of is None else pd.Timestamp(check_date(as_of, "as_of"))
        window = check_count(window, "window", maximum=MAX_ROLLING)
        if isinstance(names, pd.DataFrame):
            if not {"campaign_id", "campaign_name"} <= set(names.columns):
                raise ArgumentError("names", "a frame", "a campaigns frame (campaign_id, name)")
            names = dict(zip(names["campaign_id"], names["campaign_name"], strict=True))
        elif names is not None and not isinstance(names, Mapping):
            raise ArgumentError("names", names, "a campaigns frame, a mapping of id to name")
        from atribu_pandas import metrics

        return metrics.pacing(self._df, budget, as_of=day, window=window, names=names)
