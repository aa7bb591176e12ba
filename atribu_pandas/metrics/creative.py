"""Creative DNA that recurs among top ads across clients (a workspace's top performers)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from atribu_pandas.core.params import check_count
from atribu_pandas.exceptions import AtribuError
from atribu_pandas.metrics.common import safe_divide

__all__ = ["CREATIVE_DNA", "creative_patterns"]

# The page's creative DNA: what to replicate (offers are a list, so they are left out).
CREATIVE_DNA: tuple[str, ...] = ("hook_type", "creative_format", "cta_type", "primary_angle")


def creative_patterns(
    top: pd.DataFrame, by: Sequence[str] = CREATIVE_DNA, *, min_profiles: int = 2
) -> pd.DataFrame:
    """Count each creative trait among top ads: in how many profiles and ads it appears.

    Each trait (hook, format, CTA, angle) is counted on its own: "before/after hooks rank
    at the top for 3 clients" is a pattern even when the ads differ in format.

    Parameters
    ----------
    top : pandas.DataFrame
        Top-performer rows with a ``profile`` column (``Workspace.top_performers``).
    by : sequence of str, default ("hook_type", "creative_format", "cta_type", "primary_angle")
        The trait columns counted, each on its own (:data:`CREATIVE_DNA`).
    min_profiles : int, default 2
        Keep traits seen in at least this many profiles (1 keeps every one).

    Returns
    -------
    pandas.DataFrame
        One row per (trait, value): ``trait``, ``value``, ``profiles``, ``ads``,
        ``profile_names``, ``composite_score_mean``, ``spend``, ``attributed_revenue``,
        pooled ``roas`` (of the sums) and ``example_ad`` (the first listed, i.e. the
        best-ranked); most widespread first, then most ads, then best mean score. Ads
        without a value for a trait are not counted for it.

    Examples
    --------
    >>> top = pd.DataFrame({
    ...     "profile": ["A", "B", "B"], "ad_name": ["x", "y", "z"],
    ...     "hook_type": ["offer", "offer", "question"], "composite_score": [80, 70, 60],
    ...     "spend": [10.0, 30.0, 5.0], "attributed_revenue": [40.0, 20.0, 0.0]})
    >>> out = creative_patterns(top, ["hook_type"])
    >>> out[["value", "profiles", "ads", "roas", "example_ad"]].to_dict("records")
    [{'value': 'offer', 'profiles': 2, 'ads': 2, 'roas': 1.5, 'example_ad': 'x'}]
    """
    keys = list(by)
    need = [*keys, "profile", "ad_name", "composite_score", "spend", "attributed_revenue"]
    missing = [c for c in need if c not in top.columns]
    if missing:
        raise AtribuError(
            f"creative_patterns needs columns {missing}; load them with Workspace.top_performers"
        )
    min_profiles = check_count(min_profiles, "min_profiles")
    parts = []
    for trait in keys:
        work = pd.DataFrame(
            {
                "value": top[trait].astype("string"),
                "profile": top["profile"].astype(str),
                "ad_name": top["ad_name"],
                "composite_score": top["composite_score"].astype("float64"),
                "spend": top["spend"].astype("float64"),
                "attributed_revenue": top["attributed_revenue"].astype("float64"),
            }
        ).dropna(subset=["value"])
        grouped = work.groupby("value", sort=False)
        part = pd.DataFrame(
            {
                "profiles": grouped["profile"].nunique(),
                "ads": grouped.size(),
                "profile_names": grouped["profile"].agg(lambda s: ", ".join(sorted(set(s)))),
                "composite_score_mean": grouped["composite_score"].mean(),
                "spend": grouped["spend"].sum(),
                "attributed_revenue": grouped["attributed_revenue"].sum(),
                "example_ad": grouped["ad_name"].first(),
            }
        ).reset_index()
        part.insert(0, "trait", trait)
        parts.append(part)
    out = pd.concat(parts, ignore_index=True)
    out["roas"] = safe_divide(out["attributed_revenue"], out["spend"])
    out = out[out["profiles"] >= min_profiles]
    out = out.sort_values(
        ["profiles", "ads", "composite_score_mean"], ascending=False, kind="stable"
    ).reset_index(drop=True)
    out.attrs = {"atribu": {**top.attrs.get("atribu", {}), "derived": "creative_patterns"}}
    return out
