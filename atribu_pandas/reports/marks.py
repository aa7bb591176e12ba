"""Marks on a report table's cells that are on the wrong side of the client's target.

:func:`~atribu_pandas.reports.show_table` takes ``targets=`` (the frame of
``df.atribu.against_targets``, same rows as the table) and marks each cell that misses:
a symbol before the figure (▼ a ROAS below its target, ▲ a cost above its target) and a
colour, so the mark survives a black-and-white printout and colour-blind readers. A
sentence under the table's caption says what the marks mean, with the targets. The
exported table (``--tables``) carries, after the shown columns, one column per target
("Meets ROAS target": True, False, or empty when the row is not judged), so a
spreadsheet can filter on it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from atribu_pandas.core.language import N_
from atribu_pandas.core.language import gettext as _

if TYPE_CHECKING:
    import pandas as pd
    from pandas.io.formats.style import Styler

    from atribu_pandas.display.formats import Formats

__all__ = ["MISS_STYLE", "TargetMarks", "target_marks"]

# Orange-red text on a pale ground, bold: legible on screen and in print, and not the
# only signal (the symbol is).
MISS_STYLE = "color: #a63d00; background-color: #fdebe0; font-weight: 600;"
# Target metric to the table column that shows it, its symbol, and the words.
_SHOWN: dict[str, tuple[str, str]] = {
    "roas": ("roas", "▼"),
    "cpa": ("cac", "▲"),
    "cost_per_conversation": ("cost_per_conversation", "▲"),
}
_NOTES = {
    "roas": N_("{mark} ROAS below the client's target of {target}"),
    "cpa": N_("{mark} cost per outcome above the client's target of {target}"),
    "cost_per_conversation": N_(
        "{mark} cost per conversation above the client's target of {target}"
    ),
}
_EXPORTED = {
    "roas": N_("Meets ROAS target"),
    "cpa": N_("Meets cost per outcome target"),
    "cost_per_conversation": N_("Meets cost per conversation target"),
}


@dataclass
class TargetMarks:
    """What :func:`target_marks` found: missed rows per shown header, the note, the export."""

    missed: dict[str, list[int]] = field(default_factory=dict)
    symbols: dict[str, str] = field(default_factory=dict)
    note: str = ""
    exported: dict[str, list[Any]] = field(default_factory=dict)

    def style(self, styler: Styler, formatters: Mapping[str, Any]) -> Styler:
        """Prefix each missed cell's figure with its symbol and colour the cell."""
        import pandas as pd

        for shown, rows in self.missed.items():
            if not rows:
                continue
            symbol, show = self.symbols[shown], formatters[shown]
            where = pd.IndexSlice[rows, [shown]]
            styler = styler.format(_prefixed(symbol, show), subset=where)
            styler = styler.map(lambda _v: MISS_STYLE, subset=where)
        return styler


def _prefixed(symbol: str, show: Callable[[Any], str]) -> Callable[[Any], str]:
    return lambda value: f"{symbol} {show(value)}"


def target_marks(
    frame: pd.DataFrame,
    shown: Mapping[str, str],
    targets: pd.DataFrame | None,
    formats: Formats,
) -> TargetMarks:
    """The marks for a table of ``frame`` whose columns ``shown`` maps to their headers.

    ``targets`` is ``df.atribu.against_targets(...)`` for the same rows (matched by
    index); a target whose column the table does not show is still exported.

    Examples
    --------
    >>> import pandas as pd
    >>> from atribu_pandas.display.formats import Formats
    >>> from atribu_pandas.metrics import against_targets
    >>> rows = pd.DataFrame({"spend": [10.0, 10.0], "outcome_value": [30.0, 10.0]})
    >>> marks = target_marks(rows, {"roas": "ROAS"}, against_targets(rows, {"roas": 2.5}),
    ...                      Formats())
    >>> marks.missed, marks.exported
    ({'ROAS': [1]}, {'Meets ROAS target': [True, False]})
    >>> marks.note
    "▼ ROAS below the client's target of 2.50×."
    """
    marks = TargetMarks()
    if targets is None:
        return marks
    flags = targets.reindex(frame.index)
    notes = []
    for metric, target in (targets.attrs.get("targets") or {}).items():
        column, symbol = _SHOWN[metric]
        meets = flags[f"{metric}_meets"]
        judged = meets.notna().to_numpy()
        met = meets.fillna(True).to_numpy(dtype=bool)
        marks.exported[_(_EXPORTED[metric])] = [
            bool(m) if j else None for m, j in zip(met, judged, strict=True)
        ]
        if column not in shown:
            continue
        header = shown[column]
        marks.missed[header] = [i for i, m in enumerate(met) if not m]
        marks.symbols[header] = symbol
        kind = "times" if metric == "roas" else "money"
        value = formats.by_kind(kind)(target)
        notes.append(_(_NOTES[metric]).format(mark=symbol, target=value))
    marks.note = "; ".join(notes) + "." if notes else ""
    return marks
