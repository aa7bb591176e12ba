"""How attribution models share the credit among entities: ``compare_models``."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from atribu_pandas.core.params import check_count
from atribu_pandas.exceptions import ArgumentError
from atribu_pandas.metrics.common import (
    _LOADER_MODELS,
    ADDITIVE_COLUMNS,
    entity_labels,
    require_columns,
    safe_divide,
)

__all__ = ["ModelComparison", "compare_models"]


@dataclass
class ModelComparison:
    """How attribution models share the credit among entities (from :func:`compare_models`).

    Every table is indexed by ``entity`` (readable names) and has one column per model,
    in the frame's model order; rows are sorted by the baseline model's metric, largest
    first. An entity missing under a model (outside that model's ``limit``) is NaN there.
    :func:`compare_models` (or ``df.atribu.compare_models()``) builds it; each parameter
    below is an attribute of the result (``result.shares``, ``result.flips``...).

    Parameters
    ----------
    metric : str
        The compared column (``outcome_value`` by default).
    baseline : str
        The model the changes are measured against.
    top : int
        The N of "top N" in the rank flips.
    values : pandas.DataFrame
        The metric, entity by model.
    shares : pandas.DataFrame
        Each model's credit share (fraction of the model's total over the entities
        present; each column sums to 1).
    change : pandas.DataFrame
        ``values`` minus the baseline column.
    change_pct : pandas.DataFrame
        ``change`` as a percentage of the baseline (NaN where the baseline is 0).
    ranks : pandas.DataFrame
        Rank under each model (1 = largest metric), Int64.
    flips : pandas.DataFrame
        One row per (entity, model) that enters or leaves the top N against the baseline,
        or moves by at least 3 places while in the top N under either model: columns
        ``entity``, ``model``, ``baseline_rank``, ``rank``, ``places`` (positive = climbs)
        and ``flip`` (``"enters top N"``, ``"leaves top N"``, ``"up k"``, ``"down k"``).
    level : str, default "campaign"
        The entities' level (``campaign``, ``ad_set`` or ``ad``), named in the summary.

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> with ap.sandbox.start() as sb:
    ...     cmp = ap.load_model_comparison("2026-03-01", "2026-03-25", client=sb.client())
    >>> result = cmp.atribu.compare_models(top=5)
    >>> result.baseline, result.level, result.values.columns[:3].tolist()
    ('last_touch', 'campaign', ['last_touch', 'first_touch', 'linear'])
    >>> bool((result.shares.sum() - 1).abs().max() < 1e-9)  # each model's shares sum to 1
    True
    """

    metric: str
    baseline: str
    top: int
    values: pd.DataFrame
    shares: pd.DataFrame
    change: pd.DataFrame
    change_pct: pd.DataFrame
    ranks: pd.DataFrame
    flips: pd.DataFrame = field(repr=False)
    level: str = "campaign"

    def __repr__(self) -> str:
        models = ", ".join(str(m) for m in self.values.columns)
        return (
            f"ModelComparison(metric={self.metric!r}, baseline={self.baseline!r}, "
            f"entities={len(self.values)}, models=[{models}], flips={len(self.flips)})"
        )

    def summary(self, lines: int = 5) -> str:
        """Return a few plain sentences a marketer can paste into an email.

        For a metric that adds up (value, outcomes, spend) the sentences compare each
        row's share of the credit; for a ratio (ROAS, cost per outcome, CTR), which has no
        share, they compare the ratio itself.

        Parameters
        ----------
        lines : int, default 5
            At most this many sentences about differences, and as many about rank flips.

        Returns
        -------
        str
            One sentence per line: what is compared, then the largest differences from
            the baseline, then the rank flips.

        Examples
        --------
        >>> import atribu_pandas as ap
        >>> sb = ap.sandbox.start()
        >>> cmp = ap.load_model_comparison("2026-03-01", "2026-03-25", client=sb.client())
        >>> cmp.atribu.compare_models().summary().startswith("Credit for outcome value of")
        True
        >>> ratio = cmp.atribu.compare_models(metric="roas").summary()
        >>> ratio.startswith("ROAS of"), "credit" in ratio
        (True, False)
        >>> sb.stop()
        """
        if self.values.empty:
            return f"Nothing to compare for {_metric_words(self.metric)} in this window."
        n_models = len(self.values.columns)
        words = _metric_words(self.metric)
        rows = len(self.values)
        noun = {"ad_set": "ad set", "ad": "ad"}.get(self.level, "campaign")
        text = [
            f"{words[0].upper() + words[1:]} of {rows} {noun}{'s' if rows != 1 else ''} "
            f"under {n_models} attribution models (baseline: {self.baseline})."
        ]
        found = self._differences()
        text.extend(sentence for _, sentence in found[:lines])
        if not found and len(self.values.columns) > 1:
            same = "share of the credit" if self.metric in ADDITIVE_COLUMNS else words
            text.append(f"Every model gives each {noun} the same {same}.")
        for row in self.flips.head(lines).to_dict("records"):
            was = "unranked" if pd.isna(row["baseline_rank"]) else f"#{row['baseline_rank']}"
            now = "unranked" if pd.isna(row["rank"]) else f"#{row['rank']}"
            text.append(
                f"Under {row['model']}, {row['entity']} {_flip_words(str(row['flip']))} "
                f"({now}, {was} under {self.baseline})."
            )
        return "\n".join(text)

    def _differences(self) -> list[tuple[float, str]]:
        """(sort key, sentence) for each row and model that differs from the baseline."""
        additive = self.metric in ADDITIVE_COLUMNS
        table = self.shares if additive else self.values
        base = table[self.baseline].to_numpy(dtype="float64", na_value=np.nan)
        found: list[tuple[float, str]] = []
        for model in table.columns:
            if model == self.baseline:
                continue
            other = table[model].to_numpy(dtype="float64", na_value=np.nan)
            with np.errstate(invalid="ignore", divide="ignore"):
                # Shares differ by half a point; a ratio by 5% of the baseline's.
                gap = np.abs(other - base)
                differs = gap >= 0.005 if additive else gap >= 0.05 * np.abs(base)
            for i in np.flatnonzero(differs).tolist():
                name = table.index[i]
                if additive:
                    sentence = (
                        f"{name} gets {other[i]:.0%} of the credit under {model} "
                        f"but {base[i]:.0%} under {self.baseline}."
                    )
                    key = -abs(other[i] - base[i])
                else:
                    sentence = (
                        f"{name} has a {_metric_words(self.metric)} of {other[i]:,.2f} under "
                        f"{model} but {base[i]:,.2f} under {self.baseline}."
                    )
                    key = -abs(other[i] - base[i]) / max(abs(base[i]), 1e-9)
                found.append((key, sentence))
        found.sort(key=lambda item: item[0])
        return found


def _metric_words(metric: str) -> str:
    words = {
        "outcome_value": "credit for outcome value",
        "outcome_count": "credit for outcomes",
        "roas": "ROAS",
        "cac": "cost per outcome",
        "ctr": "CTR",
        "avg_cpc": "cost per click",
        "avg_cpm": "cost per 1,000 impressions",
    }
    return words.get(metric, metric.replace("_", " "))


def _flip_words(flip: str) -> str:
    if flip.startswith(("enters", "leaves")):
        return flip.replace("enters", "enters the").replace("leaves", "leaves the")
    direction, places = flip.split(" ")
    return f"moves {direction} {places} places"


def compare_models(
    df: pd.DataFrame,
    metric: str = "outcome_value",
    baseline: str = "last_touch",
    top: int = 10,
) -> ModelComparison:
    """Compare how attribution models credit each entity (a model-comparison frame).

    Parameters
    ----------
    df : pandas.DataFrame
        A frame from ``ap.load_model_comparison``: ``model``, ``campaign_id``,
        ``campaign_name`` and ``metric``.
    metric : str, default "outcome_value"
        The numeric column compared; credit shares are meaningful for additive ones
        (``outcome_value``, ``outcome_count``).
    baseline : str, default "last_touch"
        A model present in the frame.
    top : int, default 10
        The N of "enters or leaves the top N".

    Returns
    -------
    ModelComparison
        Tables ``values``, ``shares``, ``change``, ``change_pct``, ``ranks``, ``flips``
        and the :meth:`ModelComparison.summary` text.

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> sb = ap.sandbox.start()
    >>> cmp = ap.load_model_comparison("2026-03-01", "2026-03-25", client=sb.client())
    >>> result = cmp.atribu.compare_models(top=5)
    >>> result.shares.sum().round(6).unique().tolist()
    [1.0]
    >>> sb.stop()
    """
    require_columns(
        df, ["model", "campaign_id", metric], method="compare_models", loader=_LOADER_MODELS
    )
    if not pd.api.types.is_numeric_dtype(df[metric]):
        raise ArgumentError("metric", metric, "a numeric column of the frame")
    top = check_count(top, "top")
    present = list(pd.unique(df["model"].dropna()))
    if not present:
        # A window without rows still has a typed model column: a baseline outside its
        # categories is a typo, not a lack of data.
        known = (
            list(df["model"].cat.categories)
            if isinstance(df["model"].dtype, pd.CategoricalDtype)
            else [baseline]
        )
        if baseline not in known:
            raise ArgumentError("baseline", baseline, f"one of the models {known}")
        return _empty_comparison(metric, baseline, int(top))
    if baseline not in present:
        raise ArgumentError("baseline", baseline, f"one of the frame's models {present}")
    values = (
        df.groupby(["campaign_id", "model"], observed=True, sort=True)[metric]
        .sum(min_count=1)
        .unstack("model")
    )
    model_order = (
        list(df["model"].cat.categories)
        if isinstance(df["model"].dtype, pd.CategoricalDtype)
        else None
    )
    cols = [m for m in (model_order or sorted(present)) if m in values.columns]
    values = values[cols].astype("float64")
    values.columns = pd.Index([str(c) for c in values.columns], name="model")
    values = values.sort_values(baseline, ascending=False, na_position="last", kind="stable")
    names = (
        dict(zip(df["campaign_id"], df["campaign_name"], strict=True))
        if "campaign_name" in df.columns
        else None
    )
    values.index = entity_labels(values.index, names).rename("entity")

    shares = values / values.sum(axis=0)
    change = values.sub(values[baseline], axis=0)
    change_pct = pd.DataFrame(
        {m: safe_divide(change[m], values[baseline], 100.0) for m in values.columns},
        index=values.index,
    )
    change_pct.columns.name = "model"
    ranks = values.rank(ascending=False, method="min").astype("Int64")
    flips = _rank_flips(ranks, baseline, top)
    levels = list(pd.unique(df["entity_level"].dropna())) if "entity_level" in df else []
    level = str(levels[0]) if len(levels) == 1 else "campaign"
    return ModelComparison(
        metric, baseline, int(top), values, shares, change, change_pct, ranks, flips, level
    )


_FLIP_DTYPES: dict[str, str] = {
    "entity": "string",
    "model": "string",
    "baseline_rank": "Int64",
    "rank": "Int64",
    "places": "Int64",
    "flip": "string",
}


def _empty_comparison(metric: str, baseline: str, top: int) -> ModelComparison:
    """The comparison of a frame without rows: every table has no entity and no model."""

    def table(dtype: str = "float64") -> pd.DataFrame:
        return pd.DataFrame(
            index=pd.Index([], dtype="string", name="entity"),
            columns=pd.Index([], dtype="string", name="model"),
            dtype=dtype,
        )

    flips = pd.DataFrame({c: pd.Series(dtype=t) for c, t in _FLIP_DTYPES.items()})
    return ModelComparison(
        metric, baseline, top, table(), table(), table(), table(), table("Int64"), flips
    )


def _rank_flips(ranks: pd.DataFrame, baseline: str, top: int) -> pd.DataFrame:
    base = ranks[baseline].to_numpy(dtype="float64", na_value=np.nan)
    in_base = base <= top
    parts: list[pd.DataFrame] = []
    for model in ranks.columns:
        if model == baseline:
            continue
        now = ranks[model].to_numpy(dtype="float64", na_value=np.nan)
        in_now = now <= top
        places = base - now
        enters = in_now & ~in_base
        leaves = in_base & ~in_now
        moves = in_base & in_now & (np.abs(places) >= 3)
        flip = np.select(
            [enters, leaves, moves & (places > 0), moves],
            [f"enters top {top}", f"leaves top {top}", "up ", "down "],
            default="",
        ).astype(object)
        keep = flip != ""
        moved = keep & ~enters & ~leaves
        flip[moved] = flip[moved] + np.abs(places[moved]).astype(int).astype(str)
        parts.append(
            pd.DataFrame(
                {
                    "entity": ranks.index[keep],
                    "model": model,
                    "baseline_rank": base[keep],
                    "rank": now[keep],
                    "places": places[keep],
                    "flip": flip[keep],
                }
            )
        )
    columns = list(_FLIP_DTYPES)
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)
    return out[columns].astype(_FLIP_DTYPES)
