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
from atribu_pandas.display.markup import escape, sanitize
from atribu_pandas.exceptions import ArgumentError
from atribu_pandas.widgets.pickers import _NONE, Picker

__all__ = ["EntityPicker", "TopPerformerFilters"]


class EntityPicker(Picker):
    """Pick campaigns (or ad sets, ads) by name from a frame; the value is their ids.

    One tick box per row, with the row's full name beside it (wrapped, never cut; also
    the box's tooltip), in a list that scrolls past about ``rows`` entries. It starts with the
    first five rows ticked: a frame from ``ap.load_campaigns`` is ranked by attributed
    value, so these are the top five, and ``load_campaign_trend(picker.value, ...)``
    has something to draw before anyone clicks.

    Parameters
    ----------
    frame : pandas.DataFrame
        A frame from ``ap.load_campaigns`` (any level): one option per id, in row order.
        A repeated id (e.g. a frame concatenated from two loads) is offered once, with the
        name of its first row.
    value : sequence of str, optional
        Ids to select at first; by default the first :attr:`TOP` rows (at most
        ``max_selected``). ``()`` starts with nothing selected.
    max_selected : int, default 10
        Most ids at once (the trend endpoint takes 10); more is refused in the widget.
    rows : int, default 8
        About how many names show before the list scrolls.
    id_column, name_column : str
        Where the ids and the names are.

    Attributes
    ----------
    value : tuple of str
        The selected ids: in the frame's order when ticked in the widget, in the order
        given when set from Python.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"campaign_id": ["a1", "b2"], "campaign_name": ["Spring", "Brand"]})
    >>> EntityPicker(frame).names
    ('Spring', 'Brand')
    >>> picker = EntityPicker(frame, value=["b2"])
    >>> picker.value, picker.names
    (('b2',), ('Brand',))
    """

    #: How many rows are ticked when no ``value`` is given.
    TOP: ClassVar[int] = 5

    def __init__(
        self,
        frame: pd.DataFrame,
        *,
        value: Iterable[str] | None = None,
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
        if value is not None and (isinstance(value, str) or not isinstance(value, Iterable)):
            raise ArgumentError("value", value, "a list of ids (str)")
        self._id_column, self._name_column = id_column, name_column
        self.max_selected = max_selected
        self._names: dict[str, str] = {}
        self._boxes: dict[str, ipywidgets.Checkbox] = {}
        self._list = ipywidgets.VBox(
            # Names wrap inside the list, so it is as wide as the area allows and no wider.
            layout=ipywidgets.Layout(
                width="100%", max_width="48em", max_height=f"{2.2 * rows:g}em", overflow="auto"
            )
        )
        heading = ipywidgets.HTML(f"Pick up to {max_selected}:")
        self.widget.children = (heading, self._list, self.message)
        offered = tuple(self._offer(frame))
        self.value = offered[: min(self.TOP, max_selected)] if value is None else tuple(value)

    def update(self, frame: pd.DataFrame) -> None:
        """Offer the rows of a new frame, keeping the selected ids that are still there.

        Use it when the campaigns are loaded again (another window, another model): the
        picks the new frame still has stay picked, the others are dropped.

        Parameters
        ----------
        frame : pandas.DataFrame
            The new rows, with the same id and name columns as the first frame.

        Examples
        --------
        >>> import pandas as pd
        >>> march = pd.DataFrame(
        ...     {"campaign_id": ["a1", "b2"], "campaign_name": ["Spring", "Brand"]}
        ... )
        >>> picker = EntityPicker(march)
        >>> april = pd.DataFrame(
        ...     {"campaign_id": ["b2", "c3"], "campaign_name": ["Brand", "Easter"]}
        ... )
        >>> picker.update(april)
        >>> picker.value, picker.names
        (('b2',), ('Brand',))
        """
        before = self.value
        self.value = tuple(i for i in before if i in self._offer(frame))
        # New boxes start unticked: put the kept ids back.
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
        old = list(self._list.children)
        self._boxes = {}
        entries = []
        for entity, label in zip(ids.tolist(), labels.tolist(), strict=True):
            box = ipywidgets.Checkbox(
                value=False, indent=False, tooltip=label, layout=ipywidgets.Layout(width="auto")
            )
            box.observe(self._ticked, names="value")
            self._boxes[entity] = box
            # flex 0 0 auto: a list shorter than its rows scrolls; it must not squeeze them.
            row = ipywidgets.Layout(flex="0 0 auto", align_items="flex-start")
            entries.append(ipywidgets.HBox([box, _name(label)], layout=row))
        self._list.children = entries
        for entry in old:  # their views went with the list; free their comms too
            for child in entry.children:
                child.close()
            entry.close()
        return self._names

    def _ticked(self, change: Any) -> None:
        self._propose(tuple(entity for entity, box in self._boxes.items() if box.value))

    @property
    def names(self) -> tuple[str, ...]:
        """The names of the selected entities, in the same order as ``value``.

        Examples
        --------
        >>> import pandas as pd
        >>> frame = pd.DataFrame(
        ...     {"campaign_id": ["a1", "b2"], "campaign_name": ["Spring", "Brand"]}
        ... )
        >>> EntityPicker(frame, value=["b2", "a1"]).names
        ('Brand', 'Spring')
        """
        return tuple(self._names[i] for i in self.value)

    @property
    def label(self) -> str:
        """How many entities are picked, with their names; ``"no entities"`` for none.

        Examples
        --------
        >>> import pandas as pd
        >>> frame = pd.DataFrame(
        ...     {"campaign_id": ["a1", "b2"], "campaign_name": ["Spring", "Brand"]}
        ... )
        >>> EntityPicker(frame).label
        '2 selected (Spring, Brand)'
        >>> EntityPicker(frame, value=()).label
        'no entities'
        """
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
        for entity, box in self._boxes.items():
            box.value = entity in value

    def _refuse(self, reason: str) -> None:
        super()._refuse(reason)
        # Untick what was refused at once: the boxes always show the value in use.
        self._syncing = True
        try:
            self._show_value(self.value)
        finally:
            self._syncing = False


def _name(label: str) -> ipywidgets.HTML:
    """A name beside its tick box, wrapped whole, never cut."""
    # An HTML widget, not the box's description: JupyterLab typesets descriptions with
    # MathJax, and "$50 off, save $20" would come out as a formula.
    return ipywidgets.HTML(
        sanitize(
            '<div style="line-height:1.3;padding:5px 0;overflow-wrap:anywhere">'
            f"{escape(label)}</div>"
        ),
        layout=ipywidgets.Layout(flex="1 1 auto", min_width="0"),
    )


class TopPerformerFilters(Picker):
    """Filters for ``ap.load_top_performers``: window, grades, kinds, formats, spend, video.

    Parameters
    ----------
    value : mapping, optional
        Initial filters, as the keyword arguments of ``ap.load_top_performers``.
    truth_grades, outcome_kinds, formats : sequence of str, optional
        The choices offered (default the documented truth grades and outcome kinds of
        ``core.vocabulary``, and the formats the reference page names; formats
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
        # Buttons as wide as their labels, wrapping onto a second line in a narrow area.
        auto = {"button_width": "auto"}
        self._window = ipywidgets.ToggleButtons(
            options=list(WINDOWS), description="Window", style=auto
        )
        # Two lists side by side in a 550 px area, three in a wider one; never wider.
        narrow = {"width": "17em", "max_width": "100%"}
        self._lists = {
            key: ipywidgets.SelectMultiple(
                options=list(options),
                rows=min(len(options), 5) or 1,
                description=title,
                layout=ipywidgets.Layout(**narrow),
            )
            for key, options, title in (
                ("truth_grades", truth_grades, "Grades"),
                ("outcome_kinds", outcome_kinds, "Outcomes"),
                ("formats", formats, "Formats"),
            )
        }
        self._min_spend = ipywidgets.BoundedFloatText(
            value=0.0,
            min=0.0,
            max=1e12,
            step=10.0,
            description="Min spend",
            layout=ipywidgets.Layout(**narrow),
        )
        self._video = ipywidgets.ToggleButtons(
            options=[("Any", _NONE), ("Video", "yes"), ("Static", "no")],
            description="Video",
            style=auto,
        )
        wrap = {"flex_flow": "row wrap", "max_width": "100%"}
        self.widget.children = (
            self._window,
            ipywidgets.HBox(list(self._lists.values()), layout=ipywidgets.Layout(**wrap)),
            ipywidgets.HBox([self._min_spend, self._video], layout=ipywidgets.Layout(**wrap)),
            self.message,
        )
        self.value = dict(value or {})
        for control in (self._window, self._min_spend, self._video, *self._lists.values()):
            control.observe(self._controls_changed, names="value")

    @property
    def label(self) -> str:
        """The filters in use, in a few words; only the window when nothing else is set.

        Examples
        --------
        >>> TopPerformerFilters().label
        'window 28d'
        >>> TopPerformerFilters({"window": "7d", "formats": ["ugc_video"], "min_spend": 50}).label
        'window 7d, formats ugc_video, min spend 50'
        """
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
