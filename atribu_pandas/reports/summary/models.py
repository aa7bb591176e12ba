"""The attribution-models report's sentences: each model's total, the row that depends most."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from atribu_pandas.core.language import gettext as _
from atribu_pandas.core.language import ngettext
from atribu_pandas.display.formats import Formats
from atribu_pandas.display.labels import model_name
from atribu_pandas.reports.summary.words import _level

if TYPE_CHECKING:
    pass

__all__ = ["model_summary"]


def model_summary(cmp: Any, fmt: Formats, noun: str = "campaign") -> list[str]:
    """Sentences on an attribution-model comparison: each model's total credited value, and
    the row whose credit depends most on the model.

    ``cmp`` is ``compare_models(metric="outcome_value")``; its ``values`` (row by model)
    hold every row the report compares.

    Examples
    --------
    >>> import pandas as pd
    >>> from types import SimpleNamespace
    >>> values = pd.DataFrame({"last_touch": [600.0, 400.0], "linear": [300.0, 500.0]},
    ...                       index=pd.Index(["A", "B"], name="entity"))
    >>> cmp = SimpleNamespace(values=values, baseline="last_touch")
    >>> for s in model_summary(cmp, Formats()): print(s)
    The models credit between **$800** (Linear) and **$1,000** (Last touch) in total to \
these **2** campaigns.
    **A** depends most on the model: from **$300** (Linear) to **$600** (Last touch).
    """
    values = cmp.values
    if values.empty:
        return []
    totals = values.sum().sort_values(kind="stable")
    low, high = totals.index[0], totals.index[-1]
    count = len(values)
    sentences = [
        _level(
            noun,
            ngettext(
                "The models credit between **{low}** ({low_model}) and **{high}** "
                "({high_model}) in total to this **{count}** campaign.",
                "The models credit between **{low}** ({low_model}) and **{high}** "
                "({high_model}) in total to these **{count}** campaigns.",
                count,
            ),
            ngettext(
                "The models credit between **{low}** ({low_model}) and **{high}** "
                "({high_model}) in total to this **{count}** ad set.",
                "The models credit between **{low}** ({low_model}) and **{high}** "
                "({high_model}) in total to these **{count}** ad sets.",
                count,
            ),
            ngettext(
                "The models credit between **{low}** ({low_model}) and **{high}** "
                "({high_model}) in total to this **{count}** ad.",
                "The models credit between **{low}** ({low_model}) and **{high}** "
                "({high_model}) in total to these **{count}** ads.",
                count,
            ),
        ).format(
            low=fmt.money(totals[low]),
            low_model=model_name(str(low)),
            high=fmt.money(totals[high]),
            high_model=model_name(str(high)),
            count=count,
        )
    ]
    spread = (values.max(axis=1) - values.min(axis=1)).sort_values(ascending=False, kind="stable")
    if len(values.columns) > 1 and spread.iloc[0] > 0:
        row = values.loc[spread.index[0]]
        sentences.append(
            _(
                "**{name}** depends most on the model: from **{low}** ({low_model}) to "
                "**{high}** ({high_model})."
            ).format(
                name=spread.index[0],
                low=fmt.money(row.min()),
                low_model=model_name(str(row.idxmin())),
                high=fmt.money(row.max()),
                high_model=model_name(str(row.idxmax())),
            )
        )
    return sentences
