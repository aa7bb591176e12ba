"""Jupyter pickers and the ``explore()`` dashboard, built on ipywidgets 8.

Every picker follows one small contract, set by :class:`Picker`:

- ``.widget`` is the ipywidgets box to place in a layout;
- ``.value`` is what was chosen, in the form the loaders take; setting it from Python
  updates the controls, and a refused value raises :class:`~atribu_pandas.ArgumentError`;
- ``.observe(callback)`` calls ``callback(change)`` (a traitlets change: ``change["new"]``,
  ``change["old"]``) whenever ``.value`` changes;
- a choice the loaders would refuse, made in the controls, is shown as a reason in the
  widget and the last valid ``.value`` is kept;
- ``.summary`` is plain text ("Selected: 2026-03-01 to 2026-03-28") and is the text/plain
  repr, so headless runs and exported notebooks record what was chosen.

ipywidgets is imported by this module only; ``import atribu_pandas`` does not load it.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any, ClassVar

import ipywidgets
import pandas as pd
import traitlets

from atribu_pandas.banner import demo_banner_html
from atribu_pandas.dates import resolve_window
from atribu_pandas.exceptions import ArgumentError, AtribuError
from atribu_pandas.params import (
    CAMPAIGNS_LIMIT,
    MAX_RANGE_DAYS,
    MAX_TREND_IDS,
    check_bool,
    check_date_range,
    check_level,
    check_limit,
    check_min_spend,
    check_model,
    check_str_list,
    check_window,
)
from atribu_pandas.vocabulary import (
    FORMAT_EXAMPLES,
    LEVELS,
    MODEL_DESCRIPTIONS,
    MODELS,
    OUTCOME_KINDS,
    TRUTH_GRADES,
    WINDOWS,
)

__all__ = [
    "PRESETS",
    "DateWindowPicker",
    "EntityPicker",
    "Explorer",
    "LevelPicker",
    "ModelPicker",
    "Picker",
    "TopPerformerFilters",
    "explore",
    "preset_window",
    "summarize",
]

# Preset name -> label shown in the dropdown. "Complete days" end yesterday: today is
# still filling up, and a window that includes it under-reports the last day.
PRESETS: dict[str, str] = {
    "last_7_days": "Last 7 complete days",
    "last_14_days": "Last 14 complete days",
    "last_28_days": "Last 28 complete days",
    "last_90_days": "Last 90 complete days",
    "month_to_date": "Month to date",
    "last_month": "Last month",
    "quarter_to_date": "Quarter to date",
    "custom": "Custom range",
}
_LAST_DAYS = {"last_7_days": 7, "last_14_days": 14, "last_28_days": 28, "last_90_days": 90}
# Choices offered by TopPerformerFilters; pass other lists to its constructor if the API
# grows new ones.
_LEVEL_LABELS: dict[str | None, str] = {
    None: "Campaigns",
    "campaign": "Campaigns (with delivery)",
    "ad_set": "Ad sets",
    "ad": "Ads",
}
# Selection widgets treat a None value as "nothing selected", so None travels as this token.
_NONE = "none"
_ERROR_STYLE = "color: #b00020"


def preset_window(preset: str, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """Return the ``(date_from, date_to)`` of a date preset, both ends inclusive.

    Parameters
    ----------
    preset : str
        One of :data:`PRESETS` except ``"custom"``. ``last_N_days`` are the N complete days
        ending yesterday; ``month_to_date`` and ``quarter_to_date`` run from the start of
        the month (quarter) holding yesterday to yesterday, so on the 1st they cover the
        whole previous month; ``last_month`` is the calendar month before today's.
    today : datetime.date, optional
        The day to count from; defaults to the machine's date.

    Returns
    -------
    tuple of datetime.date

    Raises
    ------
    ArgumentError
        An unknown preset, or ``"custom"`` (it has no fixed window).

    Examples
    --------
    >>> preset_window("last_7_days", today=dt.date(2026, 3, 15))
    (datetime.date(2026, 3, 8), datetime.date(2026, 3, 14))
    >>> preset_window("last_month", today=dt.date(2026, 3, 15))
    (datetime.date(2026, 2, 1), datetime.date(2026, 2, 28))
    """
    allowed = [name for name in PRESETS if name != "custom"]
    if not isinstance(preset, str):
        raise ArgumentError("preset", preset, "one of " + ", ".join(allowed))
    today = _check_today(today) or dt.date.today()
    yesterday = today - dt.timedelta(days=1)
    if preset in _LAST_DAYS:
        # The reports' own default window, so a preset and a report agree to the day.
        first, last = resolve_window(days=_LAST_DAYS[preset], today=today)
        return dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    if preset == "month_to_date":
        return yesterday.replace(day=1), yesterday
    if preset == "last_month":
        end = today.replace(day=1) - dt.timedelta(days=1)
        return end.replace(day=1), end
    if preset == "quarter_to_date":
        first_month = 3 * ((yesterday.month - 1) // 3) + 1
        return dt.date(yesterday.year, first_month, 1), yesterday
    raise ArgumentError("preset", preset, "one of " + ", ".join(allowed))


def _check_today(today: Any) -> dt.date | None:
    if today is not None and not isinstance(today, dt.date):
        raise ArgumentError("today", today, "a datetime.date, or None for the machine's date")
    if isinstance(today, dt.date) and not dt.date(1, 1, 2) <= today <= dt.date(9999, 11, 30):
        raise ArgumentError("today", today, "a day with a month before and after it")
    return today.date() if isinstance(today, dt.datetime) else today


def summarize(*pickers: Picker) -> str:
    """Join the choices of several pickers into one plain-text line.

    Parameters
    ----------
    *pickers : Picker
        Any pickers of this module, in the order to list them.

    Returns
    -------
    str
        ``"Selected: "`` followed by each picker's :attr:`Picker.label`.

    Examples
    --------
    >>> dates = DateWindowPicker(value=("2026-03-01", "2026-03-28"))
    >>> summarize(dates, ModelPicker("time_decay"))
    'Selected: 2026-03-01 to 2026-03-28, time_decay'
    """
    return "Selected: " + ", ".join(picker.label for picker in pickers)


class _Displayable:
    """Shows ``.widget`` in Jupyter while the text/plain repr is ``.summary``."""

    widget: Any

    @property
    def summary(self) -> str:
        raise NotImplementedError

    def __repr__(self) -> str:
        return self.summary

    def _repr_mimebundle_(
        self, include: Any = None, exclude: Any = None, **kwargs: Any
    ) -> dict[str, Any]:
        # Widget view for live front ends, the summary for everything that only keeps text
        # (papermill outputs, nbconvert exports, terminals). No _ipython_display_: IPython
        # would prefer it and record no text/plain at all.
        bundle: dict[str, Any] = dict(self.widget._repr_mimebundle_(**kwargs) or {})
        bundle["text/plain"] = self.summary
        return bundle


class _Checked(traitlets.TraitType):  # type: ignore[type-arg]
    """A trait whose every new value, None included, goes through its owner's ``_check``."""

    # traitlets.Any with @validate lets None skip the validator; a trait's own validate()
    # sees everything.
    def validate(self, obj: Any, value: Any) -> Any:
        return obj._check(value)


class Picker(_Displayable, traitlets.HasTraits):
    """Common base of the pickers: a traitlet ``value``, a box ``widget`` and a summary.

    Subclasses build their controls, put them in ``self.widget.children`` (the last child
    is the message line where refusals are explained), check candidate values in
    :meth:`_check` and copy ``value`` back into the controls in :meth:`_show_value`.

    Attributes
    ----------
    value : Any
        The current choice, always valid.
    widget : ipywidgets.VBox
        The controls and the message line.
    reason : str or None
        Why the last choice made in the controls was refused, or None.
    """

    value = _Checked()

    def __init__(self) -> None:
        super().__init__()
        self.message = ipywidgets.HTML()
        self.widget = ipywidgets.VBox()
        self.reason: str | None = None
        # True while the picker writes its own controls, so their observers stay quiet.
        self._syncing = False

    # -- the contract -------------------------------------------------------------------
    @property
    def label(self) -> str:
        """The choice in a few words (used by :attr:`summary` and :func:`summarize`)."""
        raise NotImplementedError

    @property
    def summary(self) -> str:
        """Plain text naming the choice, e.g. ``"Selected: time_decay"``."""
        text = f"Selected: {self.label}"
        if self.reason:
            text += f" (refused: {self.reason})"
        return text

    def observe(  # type: ignore[override]
        self,
        handler: Callable[[Any], Any],
        names: Any = "value",
        type: str = "change",
    ) -> None:
        """Call ``handler(change)`` when ``.value`` changes (``change["new"]`` is the value).

        Parameters
        ----------
        handler : callable
            Receives one traitlets change dict.
        names : str or list, default "value"
            The traits to watch; ``value`` is the only one a caller needs.
        type : str, default "change"

        Examples
        --------
        >>> seen = []
        >>> picker = ModelPicker()
        >>> picker.observe(lambda change: seen.append(change["new"]))
        >>> picker.value = "linear"
        >>> seen
        ['linear']
        """
        super().observe(handler, names=names, type=type)

    # -- for subclasses -----------------------------------------------------------------
    def _check(self, value: Any) -> Any:
        """Return ``value`` normalised, or raise ArgumentError."""
        raise NotImplementedError

    def _show_value(self, value: Any) -> None:
        """Copy a valid ``value`` into the controls."""
        raise NotImplementedError

    @traitlets.observe("value")
    def _value_changed(self, change: Any) -> None:
        self._clear_refusal()
        self._syncing = True
        try:
            self._show_value(change["new"])
        finally:
            self._syncing = False

    def _propose(self, candidate: Any) -> bool:
        """Apply a choice made in the controls, or show why it is refused and keep the value."""
        if self._syncing:  # the picker is writing its own controls
            return False
        before = self.value
        try:
            self.value = candidate
        except ArgumentError as err:
            self._refuse(err.allowed if err.argument == "value" else str(err))
            return False
        self._resync_if_unchanged(before)
        return True

    def _resync_if_unchanged(self, before: Any) -> None:
        # Assigning a value equal to the old one sends no notification (traitlets compares
        # with ==), yet the controls may show something else (after a refusal, or new
        # options): copy the value back then, and only then, so it is copied once.
        try:
            unchanged = bool(before == self.value)
        except Exception:  # traitlets treats an uncomparable pair as changed
            unchanged = False
        if unchanged:
            self._value_changed({"new": self.value})

    def _refuse(self, reason: str) -> None:
        self.reason = reason
        self.message.value = (
            f'<span style="{_ERROR_STYLE}">Not applied: {html.escape(reason)}. '
            f"Still using {html.escape(self.label)}.</span>"
        )

    def _clear_refusal(self) -> None:
        self.reason = None
        self.message.value = ""


class DateWindowPicker(Picker):
    """Pick a reporting window: a preset or a custom range with two date pickers.

    Parameters
    ----------
    preset : str, default "last_28_days"
        One of :data:`PRESETS`; ignored when ``value`` is given.
    value : tuple, optional
        ``(date_from, date_to)`` as dates or ``"YYYY-MM-DD"`` strings; selects "Custom range".
    today : datetime.date, optional
        The day presets count from (for tests and reproducible notebooks); defaults to the
        machine's date, read each time a preset is applied.

    Attributes
    ----------
    value : tuple of datetime.date
        ``(date_from, date_to)``, both inclusive, at most 366 days.
    preset : str
        The preset in use, ``"custom"`` after the dates were edited.

    Examples
    --------
    >>> picker = DateWindowPicker("last_7_days", today=dt.date(2026, 3, 15))
    >>> picker.value
    (datetime.date(2026, 3, 8), datetime.date(2026, 3, 14))
    >>> picker.preset = "month_to_date"
    >>> picker.summary
    'Selected: 2026-03-01 to 2026-03-14'
    """

    def __init__(
        self,
        preset: str = "last_28_days",
        *,
        value: Sequence[Any] | None = None,
        today: dt.date | None = None,
    ) -> None:
        super().__init__()
        self._today = _check_today(today)
        if not isinstance(preset, str) or preset not in PRESETS:
            raise ArgumentError("preset", preset, "one of " + ", ".join(PRESETS))
        self._presets = ipywidgets.Dropdown(
            options=[(label, name) for name, label in PRESETS.items()],
            description="Dates",
        )
        self._from = ipywidgets.DatePicker(description="From")
        self._to = ipywidgets.DatePicker(description="To")
        self.widget.children = (
            self._presets,
            ipywidgets.HBox([self._from, self._to]),
            self.message,
        )
        self._presets.value = "custom" if value is not None else preset
        if value is None:
            # "custom" alone names no window: start it from the default preset's.
            value = preset_window("last_28_days" if preset == "custom" else preset, self.today)
        self.value = value
        self._presets.observe(self._preset_picked, names="value")
        self._from.observe(self._dates_picked, names="value")
        self._to.observe(self._dates_picked, names="value")

    @property
    def today(self) -> dt.date:
        """The day presets count from."""
        return self._today or dt.date.today()

    @property
    def preset(self) -> str:
        """The preset in use; setting it applies the preset's window."""
        return str(self._presets.value)

    @preset.setter
    def preset(self, name: str) -> None:
        if not isinstance(name, str) or name not in PRESETS:
            raise ArgumentError("preset", name, "one of " + ", ".join(PRESETS))
        self._presets.value = name

    @property
    def date_from(self) -> dt.date:
        """First day of the window."""
        return self.value[0]  # type: ignore[no-any-return]

    @property
    def date_to(self) -> dt.date:
        """Last day of the window (inclusive)."""
        return self.value[1]  # type: ignore[no-any-return]

    @property
    def label(self) -> str:
        start, end = self.value
        return f"{start.isoformat()} to {end.isoformat()}"

    def _check(self, value: Any) -> tuple[dt.date, dt.date]:
        if isinstance(value, str) or not isinstance(value, Sequence) or len(value) != 2:
            raise ArgumentError("value", value, "a (date_from, date_to) pair")
        start, end = check_date_range(value[0], value[1])
        return dt.date.fromisoformat(start), dt.date.fromisoformat(end)

    def _show_value(self, value: tuple[dt.date, dt.date]) -> None:
        self._from.value, self._to.value = value
        # A window set from Python that is not the preset's own makes it a custom range.
        preset = self._presets.value
        if preset != "custom" and preset_window(preset, self.today) != value:
            self._presets.value = "custom"

    def _preset_picked(self, change: Any) -> None:
        if self._syncing or change["new"] == "custom":
            return
        self._propose(preset_window(change["new"], self.today))

    def _dates_picked(self, change: Any) -> None:
        if self._syncing:
            return
        start, end = self._from.value, self._to.value
        if start is None or end is None:
            self._refuse("pick both a start and an end date")
            return
        self._syncing = True
        try:
            self._presets.value = "custom"
        finally:
            self._syncing = False
        self._propose((start, end))

    def _refuse(self, reason: str) -> None:
        # Rephrase check_date_range's refusals for a marketer.
        start, end = self._from.value, self._to.value
        if start is not None and end is not None and start > end:
            reason = f"the start date {start} is after the end date {end}"
        elif start is not None and end is not None and (end - start).days + 1 > MAX_RANGE_DAYS:
            days = (end - start).days + 1
            reason = f"{start} to {end} is {days} days; the API allows at most {MAX_RANGE_DAYS}"
        super()._refuse(reason)


class ModelPicker(Picker):
    """Pick an attribution model; each option carries a one-line description.

    Parameters
    ----------
    value : str, default "last_touch"
        One of ``ap.MODELS``.

    Examples
    --------
    >>> picker = ModelPicker("time_decay")
    >>> picker.value
    'time_decay'
    >>> picker.description
    'More credit to recent touches: weight halves every 7 days before the sale.'
    """

    def __init__(self, value: str = "last_touch") -> None:
        super().__init__()
        self._dropdown = ipywidgets.Dropdown(
            options=[(f"{name}: {MODEL_DESCRIPTIONS[name]}", name) for name in MODELS],
            description="Model",
            # As wide as the descriptions need, never wider than the area it sits in.
            layout=ipywidgets.Layout(width="48em", max_width="100%"),
        )
        self.widget.children = (self._dropdown, self.message)
        self.value = value
        self._dropdown.observe(lambda change: self._propose(change["new"]), names="value")

    @property
    def description(self) -> str:
        """One line saying how the chosen model splits credit."""
        return MODEL_DESCRIPTIONS[self.value]

    @property
    def label(self) -> str:
        return str(self.value)

    def _check(self, value: Any) -> str:
        return check_model(value)

    def _show_value(self, value: str) -> None:
        self._dropdown.value = value


class LevelPicker(Picker):
    """Pick the level of the rows: campaigns only (None), campaigns, ad sets or ads.

    ``None`` asks for campaigns with attribution columns only; a level adds delivery
    (impressions, clicks, CTR, CPM, CPC, CAC, status, objective, budget).

    Parameters
    ----------
    value : str or None, default None
        ``None``, ``"campaign"``, ``"ad_set"`` or ``"ad"``.
    allow_none : bool, default True
        Offer the campaigns-only choice (``None``).

    Examples
    --------
    >>> picker = LevelPicker("ad_set")
    >>> picker.value
    'ad_set'
    >>> picker.summary
    'Selected: level ad_set'
    """

    def __init__(self, value: str | None = None, *, allow_none: bool = True) -> None:
        super().__init__()
        self._allow_none = allow_none
        levels: list[str | None] = [None, *LEVELS] if allow_none else list(LEVELS)
        self._buttons = ipywidgets.ToggleButtons(
            options=[(_LEVEL_LABELS[level], level or _NONE) for level in levels],
            description="Level",
            # Buttons as wide as their labels: the default width cuts the long ones.
            style={"button_width": "auto"},
        )
        self.widget.children = (self._buttons, self.message)
        self.value = value if (value is not None or allow_none) else "campaign"
        self._buttons.observe(
            lambda change: self._propose(None if change["new"] == _NONE else change["new"]),
            names="value",
        )

    @property
    def label(self) -> str:
        return "campaigns only" if self.value is None else f"level {self.value}"

    def _check(self, value: Any) -> str | None:
        return check_level(value, optional=self._allow_none)

    def _show_value(self, value: str | None) -> None:
        self._buttons.value = value or _NONE


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
        for argument, number in (("max_selected", max_selected), ("rows", rows)):
            if isinstance(number, bool) or not isinstance(number, int) or number < 1:
                raise ArgumentError(argument, number, "a whole number >= 1")
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
        :mod:`atribu_pandas.vocabulary`, and the formats the reference page names; formats
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


class Explorer(_Displayable):
    """A dashboard: date window, model, level and row count over a table and two charts.

    Every change of a picker calls :meth:`refresh`, which loads the campaigns with
    ``ap.load_campaigns`` (repeats come from the cache) and redraws. Nothing raised while
    loading or drawing escapes: an :class:`~atribu_pandas.AtribuError` is shown as its
    message, anything else as "Could not draw: ...", and the loading state is cleared. A
    window without delivery shows "No delivery in this window" and no charts.

    Parameters
    ----------
    client : atribu_pandas.Client, optional
        Passed to the loader; None uses the default client (the sandbox when no key is set).
    today : datetime.date, optional
        The day the date presets count from.
    model : str, default "last_touch"
    level : str or None, default None
    limit : int, default 10
        Campaigns in the table and charts (1..100).

    Attributes
    ----------
    dates, model, level : DateWindowPicker, ModelPicker, LevelPicker
    frame : pandas.DataFrame or None
        The last frame loaded (empty when the window had no delivery); None after an error.
    error : Exception or None
        The last refresh's error, if it failed (an AtribuError for a refused or failed load).
    loads : int
        How many loads were attempted.

    Examples
    --------
    >>> explorer = Explorer(model="linear")
    >>> sorted(explorer.load_arguments())
    ['client', 'date_from', 'date_to', 'level', 'limit', 'model']
    """

    def __init__(
        self,
        client: Any = None,
        *,
        today: dt.date | None = None,
        model: str = "last_touch",
        level: str | None = None,
        limit: int = 10,
    ) -> None:
        self.client = client
        self.limit = check_limit(limit, CAMPAIGNS_LIMIT)
        self.dates = DateWindowPicker(today=today)
        self.model = ModelPicker(model)
        self.level = LevelPicker(level)
        self.frame: pd.DataFrame | None = None
        self.error: Exception | None = None
        self.loads = 0
        self.status = ipywidgets.HTML()
        self.banner = ipywidgets.HTML()
        self.table = ipywidgets.HTML(layout=ipywidgets.Layout(max_width="100%"))
        # Charts shrink with the area (JupyterLab's main area with the file browser open
        # is about 1000 px) and wrap under each other rather than overflow sideways.
        chart = {"max_width": "100%", "height": "auto"}
        self.roas_chart = ipywidgets.Image(format="png", layout=ipywidgets.Layout(**chart))
        self.value_chart = ipywidgets.Image(format="png", layout=ipywidgets.Layout(**chart))
        self.rows = ipywidgets.BoundedIntText(
            value=self.limit,
            min=CAMPAIGNS_LIMIT[0],
            max=CAMPAIGNS_LIMIT[1],
            description="Rows",
            layout=ipywidgets.Layout(width="10em"),
        )
        wrap = ipywidgets.Layout(flex_flow="row wrap", max_width="100%")
        self.widget = ipywidgets.VBox(
            [
                ipywidgets.HBox([self.dates.widget, self.model.widget], layout=wrap),
                ipywidgets.HBox([self.level.widget, self.rows], layout=wrap),
                self.status,
                self.banner,
                self.table,
                ipywidgets.HBox([self.roas_chart, self.value_chart], layout=wrap),
            ],
            layout=ipywidgets.Layout(max_width="100%", overflow="hidden"),
        )
        for picker in (self.dates, self.model, self.level):
            picker.observe(lambda change: self.refresh())
        self.rows.observe(self._set_limit, names="value")

    def _set_limit(self, change: Mapping[str, Any]) -> None:
        self.limit = check_limit(change["new"], CAMPAIGNS_LIMIT)
        self.refresh()

    @property
    def summary(self) -> str:
        """The choices and the state of the last load, in plain text."""
        text = summarize(self.dates, self.model, self.level)
        if self.error is not None:
            return f"{text}. Error: {self.error}"
        if self.frame is not None:
            demo = " (demo data)" if self.frame.attrs.get("atribu", {}).get("demo") else ""
            if self.frame.empty:
                return f"{text}. {_NO_DELIVERY}{demo}."
            return f"{text}. Showing {len(self.frame)} rows{demo}."
        return text

    def load_arguments(self) -> dict[str, Any]:
        """The keyword arguments :meth:`refresh` passes to ``ap.load_campaigns``.

        Examples
        --------
        >>> explorer = Explorer(today=dt.date(2026, 3, 15), model="linear")
        >>> args = explorer.load_arguments()
        >>> args["date_from"], args["date_to"], args["model"]
        (datetime.date(2026, 2, 15), datetime.date(2026, 3, 14), 'linear')
        """
        date_from, date_to = self.dates.value
        return {
            "date_from": date_from,
            "date_to": date_to,
            "model": self.model.value,
            "level": self.level.value,
            "limit": self.limit,
            "client": self.client,
        }

    def refresh(self) -> pd.DataFrame | None:
        """Load once with the current choices and redraw; returns the frame, None on error.

        Examples
        --------
        >>> explorer = Explorer()
        >>> frame = explorer.refresh()  # doctest: +SKIP
        """
        from atribu_pandas.loaders import TruncatedResultWarning, load_campaigns

        self.loads += 1
        self._set_status(f"Loading… {summarize(self.dates, self.model, self.level)}", "#555")
        try:
            with warnings.catch_warnings():
                # The dashboard shows the top `limit` on purpose; "more may exist" is noise.
                warnings.simplefilter("ignore", TruncatedResultWarning)
                frame = load_campaigns(**self.load_arguments())
            # An empty window has nothing to chart (and the table would be a bare header).
            charts = (b"", b"") if frame.empty else _charts_png(frame)
            table = "" if frame.empty else _table_html(frame)
        except AtribuError as err:
            self._failed(err, f"Could not load the campaigns: {err}")
            return None
        # A dashboard must never stay on "Loading…" behind a traceback: whatever else went
        # wrong (a chart that cannot be drawn, a bug) is shown as a message too.
        except Exception as err:
            self._failed(err, f"Could not draw: {type(err).__name__}: {err}")
            return None
        self.frame, self.error = frame, None
        demo = bool(frame.attrs.get("atribu", {}).get("demo"))
        # "No key is set" is only true when the dashboard chose the default client.
        self.banner.value = demo_banner_html(key_hint=self.client is None) if demo else ""
        self.table.value = table
        self.roas_chart.value, self.value_chart.value = charts
        self._set_status(self.summary, "#555" if frame.empty else "#1b5e20")
        return frame

    def _failed(self, err: Exception, message: str) -> None:
        self.frame, self.error = None, err
        self.table.value = self.banner.value = ""
        self.roas_chart.value = self.value_chart.value = b""
        self._set_status(message, "#b00020")

    def _set_status(self, text: str, color: str) -> None:
        self.status.value = f'<span style="color: {color}">{html.escape(text)}</span>'


def explore(
    client: Any = None,
    *,
    today: dt.date | None = None,
    model: str = "last_touch",
    level: str | None = None,
    limit: int = 10,
) -> Explorer:
    """Open the dashboard: pick dates, model and level; read the table and the charts.

    Parameters
    ----------
    client : atribu_pandas.Client, optional
        None uses the default client: ``ATRIBU_API_KEY`` if set, else the demo sandbox.
    today, model, level, limit
        As for :class:`Explorer`.

    Returns
    -------
    Explorer
        Already loaded once; display it (the last expression of a cell) to see it.

    Examples
    --------
    >>> import atribu_pandas as ap
    >>> ap.widgets.explore()  # doctest: +SKIP
    """
    explorer = Explorer(client, today=today, model=model, level=level, limit=limit)
    explorer.refresh()
    return explorer


_NO_DELIVERY = "No delivery in this window"
# Column, header, kind of formatting (see atribu_pandas.formats.Formats.by_kind).
_TABLE_COLUMNS = (
    ("campaign_name", "Name", "text"),
    ("entity_level", "Level", "label"),
    ("parent_name", "Parent", "text"),
    ("spend", "Spend", "money"),
    ("outcome_count", "Outcomes", "number"),
    ("outcome_value", "Value", "money"),
    ("roas", "ROAS", "times"),
    ("impressions", "Impressions", "number"),
    ("clicks", "Clicks", "number"),
    ("ctr", "CTR", "percent"),
    ("cac", "Cost per outcome", "money"),
)


def _table_html(frame: pd.DataFrame) -> str:
    """The frame's main columns as a table a client reads: headers, formats, "–"."""
    from atribu_pandas.formats import DEFAULT_LOCALE, Formats, resolve_currency

    fmt = Formats(resolve_currency(None)[0], DEFAULT_LOCALE)
    columns = [(c, header, kind) for c, header, kind in _TABLE_COLUMNS if c in frame.columns]
    shown = frame[[c for c, _, _ in columns]].copy()
    for column, _, kind in columns:
        shown[column] = [fmt.by_kind(kind)(value) for value in frame[column]]
    shown.columns = [header for _, header, _ in columns]
    table = shown.to_html(index=False, border=0, escape=True)
    # Figures right-aligned and kept on one line, names wrapped, inside the area's width.
    return (
        '<div style="max-width:100%;overflow-x:auto">'
        "<style>.atribu-explore td{white-space:nowrap;text-align:right;padding:2px 6px}"
        ".atribu-explore td:first-child{white-space:normal;text-align:left}</style>"
        + table.replace('<table class="dataframe">', '<table class="dataframe atribu-explore">')
        + "</div>"
    )


def _charts_png(frame: pd.DataFrame) -> tuple[bytes, bytes]:
    """Draw ROAS bars and spend against value (``df.atribu.plot``'s charts); return PNG bytes."""
    # Figures made without pyplot: nothing lands in pyplot's global list, so the inline
    # backend does not print them again under the cell, and nothing needs closing.
    from matplotlib.figure import Figure

    from atribu_pandas import plotting  # what df.atribu.plot calls, typed for mypy

    roas_fig = Figure(figsize=(8.0, 4.5), layout="constrained")
    plotting.roas_bar(frame, ax=roas_fig.add_subplot())
    value_fig = Figure(figsize=(8.0, 4.5), layout="constrained")
    plotting.spend_vs_value(frame, ax=value_fig.add_subplot())
    return _png(roas_fig), _png(value_fig)


def _png(figure: Any) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90)
    return buffer.getvalue()
