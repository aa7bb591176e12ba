"""An agency's clients in one frame: the loaders run across several API keys at once.

Atribu scopes each API key to one profile (one client business), and its cross-profile
view lives only in its MCP server. :class:`Workspace` holds one
:class:`~atribu_pandas.Client` per key, so each key keeps its own rate budget and its own
cache file, runs a loader for every profile concurrently, and joins the answers in one
frame with ``profile`` (your label) and ``profile_id`` (from the response's ``meta``).

One failing key never loses the others: the frame holds every profile that answered, a
:class:`WorkspaceWarning` names the failed ones with their request ids, and
``attrs["atribu"]["failed"]`` lists them; ``strict=True`` raises an ``ExceptionGroup``
instead. Keys never appear in a frame, a repr, a warning or a file: profiles are named by
their labels.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from atribu_pandas import metrics
from atribu_pandas.client.client import Client
from atribu_pandas.core.config import (
    ENV_API_KEYS,
    has_workspace_keys,
    workspace_keys,
)
from atribu_pandas.core.params import check_count
from atribu_pandas.exceptions import (
    ArgumentError,
    DemoDataWarning,
    warn_caller,
    warn_renamed,
)
from atribu_pandas.loaders.endpoints import (
    load_campaign_trend,
    load_campaigns,
    load_model_comparison,
    load_top_performers,
)
from atribu_pandas.loaders.periods import load_campaign_periods, load_period_comparison
from atribu_pandas.loaders.profiles import (
    across,
    check_call,
    ids_by_profile,
    make_clients,
    run_per_profile,
)

__all__ = [
    "CREATIVE_DNA",
    "Workspace",
    "default_workspace",
]

CREATIVE_DNA = metrics.CREATIVE_DNA


class Workspace:
    """Several Atribu profiles (one API key each) loaded as one.

    Parameters
    ----------
    keys : mapping of label to API key, optional
        Default ``ATRIBU_API_KEYS`` (``label=key,label=key``).
    strict : bool, default False
        Raise an ``ExceptionGroup`` when any profile fails, instead of warning.
    currencies : mapping of label to ISO 4217 code, optional
        Each profile's reporting currency, where they differ (``{"Clinic MX": "MXN"}``);
        the others take ``currency=`` if given, else ``ATRIBU_CURRENCY``. A joined frame
        records each profile's; adding up rows of different currencies warns (see
        ``df.atribu.in_currency``).
    **client_options
        Passed to every :class:`~atribu_pandas.Client` (``base_url``, ``cache_dir``,
        ``rate_limit``, ``progress`` ...).

    Raises
    ------
    ConfigurationError
        No keys given and ``ATRIBU_API_KEYS`` unset or malformed.
    ArgumentError
        An empty label or key.

    Examples
    --------
    >>> import datetime as dt
    >>> import atribu_pandas as ap
    >>> sb = ap.sandbox.start()
    >>> ws = sb.workspace()
    >>> ws.profiles
    ['Bright Smile Dental', 'Northwind Aesthetics Group']
    >>> df = ws.load_campaigns(sb.last_day - dt.timedelta(days=27), sb.last_day, limit=100)
    >>> list(df.columns[:2]), df["profile"].nunique()
    (['profile', 'profile_id'], 2)
    >>> sb.stop()
    """

    def __init__(
        self,
        keys: Mapping[str, str] | None = None,
        *,
        strict: bool = False,
        currencies: Mapping[str, str] | None = None,
        **client_options: Any,
    ) -> None:
        if keys is None:
            keys = workspace_keys()
        self.strict = strict
        self._clients: dict[str, Client] = make_clients(keys, currencies, client_options)

    @property
    def profiles(self) -> list[str]:
        """The labels, in the order given: the ``profile`` column's categories.

        Examples
        --------
        >>> import atribu_pandas as ap
        >>> with ap.sandbox.start() as sb:
        ...     ap.Workspace({"Clinic A": sb.api_key}, base_url=sb.url).profiles
        ['Clinic A']
        """
        return list(self._clients)

    def client(self, profile: str) -> Client:
        """Return the client of one profile (by label).

        Parameters
        ----------
        profile : str
            One of :attr:`profiles`.

        Returns
        -------
        Client
            The profile's own client (its key, cache file and rate budget), for a load
            of that profile alone.

        Raises
        ------
        ArgumentError
            No profile has that label.

        Examples
        --------
        >>> import atribu_pandas as ap
        >>> with ap.sandbox.start() as sb:
        ...     sb.workspace().client("Bright Smile Dental").is_sandbox
        True
        """
        try:
            return self._clients[profile]
        except KeyError:
            raise ArgumentError("profile", profile, "one of " + ", ".join(self._clients)) from None

    def __repr__(self) -> str:
        return f"Workspace(profiles={self.profiles!r})"

    def __len__(self) -> int:
        return len(self._clients)

    # -- the loaders, across profiles -------------------------------------------------

    @across(load_campaigns)
    def load_campaigns(self, *args: Any, strict: bool | None = None, **kwargs: Any) -> pd.DataFrame:
        """:func:`~atribu_pandas.load_campaigns` for every profile, in one frame.

        Examples
        --------
        >>> import atribu_pandas as ap
        >>> with ap.sandbox.start() as sb:
        ...     df = sb.workspace().load_campaigns("2026-03-01", "2026-03-28", limit=100)
        ...     sorted(df["profile"].unique())
        ['Bright Smile Dental', 'Northwind Aesthetics Group']
        """
        return self.run(load_campaigns, *args, strict=strict, **kwargs)

    @across(load_campaign_periods)
    def load_campaign_periods(
        self, *args: Any, strict: bool | None = None, **kwargs: Any
    ) -> pd.DataFrame:
        """:func:`~atribu_pandas.load_campaign_periods` for every profile, in one frame.

        Examples
        --------
        >>> import atribu_pandas as ap
        >>> with ap.sandbox.start() as sb:
        ...     weeks = sb.workspace().load_campaign_periods("2026-03-02", "2026-03-15")
        ...     weeks.groupby("profile", observed=True)["period_start"].nunique().tolist()
        [2, 2]
        """
        return self.run(load_campaign_periods, *args, strict=strict, **kwargs)

    @across(load_period_comparison)
    def load_period_comparison(
        self, *args: Any, strict: bool | None = None, **kwargs: Any
    ) -> pd.DataFrame:
        """:func:`~atribu_pandas.load_period_comparison` for every profile, in one frame.

        Examples
        --------
        >>> import atribu_pandas as ap
        >>> with ap.sandbox.start() as sb:
        ...     both = sb.workspace().load_period_comparison("2026-03-01", "2026-03-28")
        ...     both["period_start"].nunique()
        2
        """
        return self.run(load_period_comparison, *args, strict=strict, **kwargs)

    @across(load_model_comparison)
    def load_model_comparison(
        self, *args: Any, strict: bool | None = None, **kwargs: Any
    ) -> pd.DataFrame:
        """:func:`~atribu_pandas.load_model_comparison` for every profile, in one frame.

        Examples
        --------
        >>> import atribu_pandas as ap
        >>> with ap.sandbox.start() as sb:
        ...     cmp = sb.workspace().load_model_comparison("2026-03-01", "2026-03-28",
        ...                                                models=["last_touch", "linear"])
        ...     sorted(cmp["model"].astype(str).unique())
        ['last_touch', 'linear']
        """
        return self.run(load_model_comparison, *args, strict=strict, **kwargs)

    @across(load_top_performers)
    def load_top_performers(
        self, *args: Any, strict: bool | None = None, **kwargs: Any
    ) -> pd.DataFrame:
        """:func:`~atribu_pandas.load_top_performers` for every profile, in one frame.

        Each profile's ads are scored against its own; :meth:`top_performers` ranks them
        across profiles.

        Examples
        --------
        >>> import atribu_pandas as ap
        >>> with ap.sandbox.start() as sb:
        ...     top = sb.workspace().load_top_performers(limit=5)
        ...     top.groupby("profile", observed=True).size().tolist()
        [5, 5]
        """
        return self.run(load_top_performers, *args, strict=strict, **kwargs)

    def run(
        self,
        loader: Callable[..., pd.DataFrame],
        *args: Any,
        strict: bool | None = None,
        **kwargs: Any,
    ) -> pd.DataFrame:
        """Run ``loader(*args, client=<each profile's client>, **kwargs)`` concurrently.

        Parameters
        ----------
        loader : callable
            Any loader taking ``client=``.
        *args
            Its positional arguments.
        strict : bool, optional
            Override the workspace's ``strict``: True raises when any profile fails.
        **kwargs
            Its keyword arguments (not ``client``: each profile's own is passed).

        Returns
        -------
        pandas.DataFrame
            The profiles' frames stacked: ``profile`` (categorical, in the workspace's
            order) and ``profile_id`` first. ``attrs["atribu"]`` holds ``profiles`` (each
            profile's provenance), ``request_ids`` (all of them) and ``failed`` (one
            :class:`ProfileFailure` as a dict per failed profile).

        Raises
        ------
        ExceptionGroup
            With ``strict``, when any profile fails; without it, only when every one does.

        Warns
        -----
        WorkspaceWarning
            Naming the failed profiles and their request ids.

        Examples
        --------
        >>> import atribu_pandas as ap
        >>> with ap.sandbox.start() as sb:
        ...     df = sb.workspace().run(ap.load_campaigns, "2026-03-01", "2026-03-28")
        ...     df["profile"].cat.categories.tolist()
        ['Bright Smile Dental', 'Northwind Aesthetics Group']
        """
        if "client" in kwargs:
            raise ArgumentError("client", "(given)", "no client: the workspace passes its own")
        check_call(loader, args, kwargs)
        calls = {
            label: functools.partial(loader, *args, client=client, **kwargs)
            for label, client in self._clients.items()
        }
        return run_per_profile(calls, self.strict if strict is None else strict, self.profiles)

    def load_campaign_trend(
        self,
        entity_ids: pd.DataFrame | Mapping[str, Any],
        date_from: Any,
        date_to: Any,
        *,
        level: str | None = None,
        strict: bool | None = None,
        refresh: bool = False,
    ) -> pd.DataFrame:
        """:func:`~atribu_pandas.load_campaign_trend` for each profile's own entities.

        Parameters
        ----------
        entity_ids : pandas.DataFrame or mapping of label to ids
            A workspace frame with ``profile`` and ``campaign_id`` (e.g. rows of
            :meth:`load_campaigns`), or ``{"Clinic A": [...ids], ...}``. Only the profiles
            named are asked (each id belongs to one profile).
        date_from, date_to : str, date, datetime or pandas.Timestamp
            The window, both days inclusive, at most 366 days.
        level : {None, "campaign", "ad_set", "ad"}, default None
            The level the ids belong to; as in :func:`~atribu_pandas.load_campaign_trend`,
            None takes the level the frame was loaded at (``campaign`` when unknown).
        strict : bool, optional
            Override the workspace's ``strict``: True raises when any profile fails.
        refresh : bool, default False
            Skip the caches and fetch again.

        Returns
        -------
        pandas.DataFrame
            ``profile``, ``profile_id`` and the trend columns.

        Examples
        --------
        >>> import atribu_pandas as ap
        >>> with ap.sandbox.start() as sb:
        ...     ws = sb.workspace()
        ...     camps = ws.load_campaigns("2026-03-01", "2026-03-28")
        ...     leaders = camps.groupby("profile", observed=True).head(2)
        ...     trend = ws.load_campaign_trend(leaders, "2026-03-01", "2026-03-28")
        ...     int(trend["entity_id"].nunique()) <= 4
        True
        """
        by_profile = ids_by_profile(entity_ids, self.profiles)
        calls = {
            label: functools.partial(
                load_campaign_trend,
                ids,
                date_from,
                date_to,
                level=level,
                client=self._clients[label],
                refresh=refresh,
            )
            for label, ids in by_profile.items()
        }
        return run_per_profile(calls, self.strict if strict is None else strict, self.profiles)

    # -- across clients ---------------------------------------------------------------

    def top_performers(
        self, top: int = 20, *, per_profile: int = 50, **filters: Any
    ) -> pd.DataFrame:
        """Rank ads across every profile by ``composite_score``.

        The score is cohort-normalised (each ad against comparable creative), so a small
        clinic's ads and a large group's rank apples to apples.

        Parameters
        ----------
        top : int, default 20
            Ads to return (``limit``, what is asked of the API, is ``per_profile``); the
            old name ``limit=`` works, with a ``DeprecationWarning``, for one release.
        per_profile : int, default 50
            Each profile's ``limit``: ads loaded per profile (1 to 50, the API's maximum).
        **filters
            ``window``, ``min_spend``, ``objectives``, ``truth_grades``, ``outcome_kinds``,
            ``formats``, ``has_video`` as for :func:`~atribu_pandas.load_top_performers`.

        Returns
        -------
        pandas.DataFrame
            ``workspace_rank`` (1 = best), ``profile``, ``profile_id`` and the
            top-performer columns, best first; ads not scored yet (no composite_score)
            come last.

        Examples
        --------
        >>> import atribu_pandas as ap
        >>> with ap.sandbox.start() as sb:
        ...     top = sb.workspace().top_performers(top=10)
        ...     bool(top["composite_score"].is_monotonic_decreasing), len(top)
        (True, 10)
        """
        if "limit" in filters:
            warn_renamed("Workspace.top_performers(limit=)", "Workspace.top_performers(top=)")
            top = filters.pop("limit")
        count = check_count(top, "top")
        every = self.load_top_performers(limit=per_profile, **filters)
        ranked = every.sort_values(
            ["composite_score", "top_performer_likelihood"],
            ascending=False,
            na_position="last",
            kind="stable",
        ).head(count)
        ranked = ranked.reset_index(drop=True)
        ranked.insert(0, "workspace_rank", pd.Series(np.arange(1, len(ranked) + 1), dtype="Int64"))
        ranked.attrs = every.attrs
        return ranked

    def creative_patterns(
        self,
        top: pd.DataFrame | None = None,
        *,
        by: Sequence[str] = CREATIVE_DNA,
        min_profiles: int = 2,
    ) -> pd.DataFrame:
        """Find the creative DNA that recurs among top ads across clients.

        Each trait (hook, format, CTA, angle) is counted on its own: "before/after hooks
        rank at the top for 3 clients" is a pattern even when the ads differ in format.

        Parameters
        ----------
        top : pandas.DataFrame, optional
            A frame from :meth:`top_performers` (default: the top 50 across profiles).
        by : sequence of str, default ("hook_type", "creative_format", "cta_type", "primary_angle")
            The DNA columns to look at.
        min_profiles : int, default 2
            Keep traits seen in at least this many profiles (1 keeps every one).

        Returns
        -------
        pandas.DataFrame
            One row per (trait, value): ``trait`` (the column), ``value``, ``profiles``
            (how many clients), ``ads``, ``profile_names``, ``composite_score_mean``,
            ``spend``, ``attributed_revenue``, pooled ``roas`` (of the sums) and
            ``example_ad`` (the best-ranked); most widespread first, then most ads, then
            best mean score. Ads without a value for a trait are not counted for it.

        Examples
        --------
        >>> import atribu_pandas as ap
        >>> with ap.sandbox.start() as sb:
        ...     ws = sb.workspace()
        ...     top = ws.top_performers(top=50)
        ...     formats = ws.creative_patterns(top, by=["creative_format"], min_profiles=1)
        ...     int(formats["ads"].sum()) == int(top["creative_format"].notna().sum())
        True
        """
        if top is None:
            top = self.top_performers(top=50)
        return metrics.creative_patterns(top, by, min_profiles=min_profiles)


def default_workspace(**options: Any) -> Workspace:
    """Return the workspace of ``ATRIBU_API_KEYS``; without it, the sandbox's (demo data).

    Parameters
    ----------
    **options
        Passed to :class:`Workspace` (``strict=``, client options).

    Returns
    -------
    Workspace

    Warns
    -----
    DemoDataWarning
        When ``ATRIBU_API_KEYS`` is not set and the built-in sandbox's profiles are used.

    Examples
    --------
    >>> ws = default_workspace()  # doctest: +SKIP
    """
    if has_workspace_keys():
        return Workspace(**options)
    from atribu_pandas.loaders.defaults import demo_sandbox

    runtime = demo_sandbox()  # the loaders' demo sandbox, stopped at interpreter exit
    warn_caller(
        f"{ENV_API_KEYS} is not set: using the built-in sandbox's profiles (demo data). "
        f"Set {ENV_API_KEYS}='Clinic A=atb_live_...,Group B=atb_live_...' to load your clients.",
        DemoDataWarning,
    )
    return Workspace(runtime.workspace_keys(), **(runtime.client_options(with_key=False) | options))
