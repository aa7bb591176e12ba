"""Pickers that narrow a load: entities by name, and the top-performers filters.

:class:`EntityPicker` turns a campaigns frame into a list of names whose value is their
ids (for the trend loader); :class:`TopPerformerFilters` gathers the keyword arguments of
``ap.load_top_performers``. Both follow the :class:`~atribu_pandas.widgets.Picker` contract.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any, ClassVar

import ipywidgets
import pandas as pd

from atribu_pandas.core.params import (
    MAX_TREND_IDS,
    check_bool,
    check_count,
    check_min_spend,
    check_str_list,
    check_window,
)
from atribu_pandas.core.vocabulary import FORMAT_EXAMPLES, OUTCOME_KINDS, TRUTH_GRADES, WINDOWS
from atribu_pandas.exceptions import ArgumentError
from atribu_pandas.widgets.pickers import _NONE, Picker

__all__ = ["EntityPicker", "TopPerformerFilters"]


class EntityPicker(Picker):
    """Pick campaigns (or ad sets, ads) by name from a frame; the value is their ids.

    Parameters
    ----------
    frame : pandas.DataFrame
        A frame from ``ap.load_campaigns`` (any level): one option per id, in row order.
        A repeated id (e.g. a frame concatenated from two loads) is offered once, with the
        name of its first row.
    value : sequence of str, default ()
        Ids to select at first.
    max_selected : int, default 10
        Most ids at once (the trend endpoint takes 10); more is refused in the widget.
    id_column, name_column : str
        Where the ids and the names are.

    Attributes
    ----------
    value : tuple of str
        The selected ids, in the frame's order.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"campaign_id": ["a1", "b2"], "campaign_name": ["Spring", "Brand"]})
    >>> picker = EntityPicker(frame, value=["b2"])
    >>> picker.value, picker.names
    (('b2',), ('Brand',))
    """

    def __init__(
        self,
        frame: pd.DataFrame,
        *,
        value: Iterable[str] = (),
        max_selected: int = MAX_TREND_IDS,
        rows: int = 8,
        id_column: str = "campaign_id",
        name_column: str = "campaign_name",
    ) -> None:
        super().__init__()
        if not isinstance(frame, pd.DataFrame):
            raise ArgumentError("frame", frame, "a frame from ap.load_campaigns")
        max_selected = check_count(max_selected, "max_selected")
        rows = check_count(rows, "rows")
        if isinstance(value, str) or not isinstance(value, Iterable):
            raise ArgumentError("value", value, "a list of ids (str)")
        self._id_column, self._name_column = id_column, name_column
        self.max_selected = max_selected
        self._names: dict[str, str] = {}
        self._select = ipywidgets.SelectMultiple(description="Pick", rows=rows)
        self.widget.children = (self._select, self.message)
        self._offer(frame)
        self.value = tuple(value)
        self._select.observe(lambda change: self._propose(change["new"]), names="value")

    def update(self, frame: pd.DataFrame) -> None:
        """Offer the rows of a new frame, keeping the selected ids that are still there.

        Examples
        --------
        >>> import pandas as pd
        >>> picker = EntityPicker(pd.DataFrame({"campaign_id": ["a"], "campaign_name": ["A"]}))
        >>> picker.update(pd.DataFrame({"campaign_id": ["b"], "campaign_name": ["B"]}))
        >>> picker.names
        ()
        """
        before = self.value
        self.value = tuple(i for i in before if i in self._offer(frame))
        # New options reset the control's selection: put the kept ids back.
        self._resync_if_unchanged(before)

    def _offer(self, frame: pd.DataFrame) -> dict[str, str]:
        """Make the frame's rows the options; return the new id -> name mapping."""
        missing = {self._id_column, self._name_column} - set(frame.columns)
        if missing:
            raise ArgumentError(
                "frame",
                sorted(missing),
                f"a frame with {self._id_column} and {self._name_column} columns "
                "(from ap.load_campaigns)",
            )
        # One option per id: repeated ids would make options no choice can tell apart.
        frame = frame.drop_duplicates(subset=self._id_column, keep="first")
        ids = frame[self._id_column].astype("string")
        # A row without a name is still pickable: show its id instead.
        names = frame[self._name_column].astype("string").fillna(ids)
        labels = names.where(~names.duplicated(keep=False), names + " (" + ids.str[:8] + ")")
        self._names = dict(zip(ids.tolist(), names.tolist(), strict=True))
        self._syncing = True
        try:
            self._select.options = list(zip(labels.tolist(), ids.tolist(), strict=True))
        finally:
            self._syncing = False
        return self._names

    @property
    def names(self) -> tuple[str, ...]:
        """The names of the selected entities, in the same order as ``value``."""
        return tuple(self._names[i] for i in self.value)

    @property
    def label(self) -> str:
        if not self.value:
            return "no entities"
        return f"{len(self.value)} selected ({', '.join(self.names)})"

    def _check(self, value: Any) -> tuple[str, ...]:
        if isinstance(value, str) or not isinstance(value, Iterable):
            raise ArgumentError("value", value, "a list of ids")
        ids = tuple(dict.fromkeys(str(i) for i in value))
        unknown = [i for i in ids if i not in self._names]
        if unknown:
            raise ArgumentError("value", unknown, "ids of the frame's rows")
        if len(ids) > self.max_selected:
            raise ArgumentError(
                "value",
                ids,
                f"at most {self.max_selected} at once ({len(ids)} picked); unselect some",
            )
        return ids

    def _show_value(self, value: tuple[str, ...]) -> None:
        self._select.value = value


class TopPerformerFilters(Picker):
    """Filters for ``ap.load_top_performers``: window, grades, kinds, formats, spend, video.

    Parameters
    ----------
    value : mapping, optional
        Initial filters, as the keyword arguments of ``ap.load_top_performers``.
    truth_grades, outcome_kinds, formats : sequence of str, optional
        The choices offered (default the documented truth grades and outcome kinds of
        :mod:`atribu_pandas.core.vocabulary`, and the formats the reference page names; formats
        are an open set, so pass your own to offer others).

    Attributes
    ----------
    value : dict
        Keyword arguments for ``ap.load_top_performers``: ``window``, ``min_spend``,
        ``truth_grades``, ``outcome_kinds``, ``formats``, ``has_video``. None (or nothing
        picked) means "no filter". Setting it takes a complete filter: keys left out go
        back to their defaults (window "28d", no filter).

    Examples
    --------
    >>> filters = TopPerformerFilters({"window": "7d", "formats": ["ugc_video"]})
    >>> filters.value["window"], filters.value["formats"], filters.value["min_spend"]
    ('7d', ['ugc_video'], None)
    """

    #: The filters when nothing is picked: the loader's own defaults.
    DEFAULTS: ClassVar[Mapping[str, Any]] = MappingProxyType(
        {
            "window": "28d",
            "min_spend": None,
            "truth_grades": None,
            "outcome_kinds": None,
            "formats": None,
            "has_video": None,
        }
    )
    _VIDEO: ClassVar[Mapping[str, bool | None]] = MappingProxyType(
        {_NONE: None, "yes": True, "no": False}
    )

    def __init__(
        self,
        value: Mapping[str, Any] | None = None,
        *,
        truth_grades: Sequence[str] = TRUTH_GRADES,
        outcome_kinds: Sequence[str] = OUTCOME_KINDS,
        formats: Sequence[str] = FORMAT_EXAMPLES,
    ) -> None:
        super().__init__()
        if value is not None and not isinstance(value, Mapping):
            raise ArgumentError("value", value, "a mapping of filter name to value, or None")
        self._choices = {
            "truth_grades": tuple(truth_grades),
            "outcome_kinds": tuple(outcome_kinds),
            "formats": tuple(formats),
        }
        self._window = ipywidgets.ToggleButtons(options=list(WINDOWS), description="Window")
        self._lists = {
            key: ipywidgets.SelectMultiple(
                options=list(options), rows=min(len(options), 5) or 1, description=title
            )
            for key, options, title in (
                ("truth_grades", truth_grades, "Grades"),
                ("outcome_kinds", outcome_kinds, "Outcomes"),
                ("formats", formats, "Formats"),
            )
        }
        self._min_spend = ipywidgets.BoundedFloatText(
            value=0.0, min=0.0, max=1e12, step=10.0, description="Min spend"
        )
        self._video = ipywidgets.ToggleButtons(
            options=[("Any", _NONE), ("Video", "yes"), ("Static", "no")], description="Video"
        )
        self.widget.children = (
            self._window,
            ipywidgets.HBox(list(self._lists.values())),
            ipywidgets.HBox([self._min_spend, self._video]),
            self.message,
        )
        self.value = dict(value or {})
        for control in (self._window, self._min_spend, self._video, *self._lists.values()):
            control.observe(self._controls_changed, names="value")

    @property
    def label(self) -> str:
        value = self.value
        parts = [f"window {value['window']}"]
        for key in ("truth_grades", "outcome_kinds", "formats"):
            if value[key]:
                parts.append(f"{key.replace('_', ' ')} {'/'.join(value[key])}")
        if value["min_spend"] is not None:
            parts.append(f"min spend {value['min_spend']:g}")
        if value["has_video"] is not None:
            parts.append("video only" if value["has_video"] else "static only")
        return ", ".join(parts)

    def _check(self, value: Any) -> dict[str, Any]:
        if not isinstance(value, Mapping):
            raise ArgumentError("value", value, "a dict of load_top_performers arguments")
        unknown = sorted(set(value) - set(self.DEFAULTS))
        if unknown:
            raise ArgumentError("value", unknown, "keys among " + ", ".join(self.DEFAULTS))
        out = {**self.DEFAULTS, **value}
        out["window"] = check_window(out["window"])
        check_min_spend(out["min_spend"])
        # No minimum and a minimum of 0 are the same filter; keep one spelling.
        out["min_spend"] = float(out["min_spend"]) if out["min_spend"] else None
        for key, allowed in self._choices.items():
            # An empty selection means no filter, like None.
            empty = out[key] is None or (not isinstance(out[key], str) and len(out[key]) == 0)
            joined = None if empty else check_str_list(out[key], key, allowed)
            out[key] = joined.split(",") if joined else None
        check_bool(out["has_video"], "has_video")
        return out

    def _show_value(self, value: dict[str, Any]) -> None:
        self._window.value = value["window"]
        for key, control in self._lists.items():
            control.value = tuple(value[key] or ())
        self._min_spend.value = value["min_spend"] or 0.0
        self._video.value = next(k for k, v in self._VIDEO.items() if v is value["has_video"])

    def _controls_changed(self, change: Any) -> None:
        self._propose(
            {
                "window": self._window.value,
                "min_spend": self._min_spend.value or None,
                **{key: list(control.value) or None for key, control in self._lists.items()},
                "has_video": self._VIDEO[self._video.value],
            }
        )
