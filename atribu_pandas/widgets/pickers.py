"""The picker contract (:class:`Picker`) and the pickers of the loaders' choices.

:class:`ModelPicker` (the attribution model) and :class:`LevelPicker` (the rows' level),
with :func:`summarize` to put any pickers' choices in one line of text (the reporting
window's picker is in ``widgets.window``). The contract is described in ``widgets``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets
import traitlets

from atribu_pandas.core.params import check_level, check_model
from atribu_pandas.core.vocabulary import LEVELS, MODEL_DESCRIPTIONS, MODELS
from atribu_pandas.display.markup import escape
from atribu_pandas.exceptions import ArgumentError

__all__ = ["LevelPicker", "ModelPicker", "Picker", "summarize"]

# LevelPicker's button labels (None: campaigns without the delivery columns).
_LEVEL_LABELS: dict[str | None, str] = {
    None: "Campaigns",
    "campaign": "Campaigns (with delivery)",
    "ad_set": "Ad sets",
    "ad": "Ads",
}
# Selection widgets treat a None value as "nothing selected", so None travels as this token.
_NONE = "none"
_ERROR_STYLE = "color: #b00020"


def summarize(*pickers: Picker) -> str:
    """Join the choices of several pickers into one plain-text line.

    Parameters
    ----------
    *pickers : Picker
        Any pickers of ``widgets``, in the order to list them.

    Returns
    -------
    str
        ``"Selected: "`` followed by each picker's :attr:`Picker.label`.

    Examples
    --------
    >>> from atribu_pandas.widgets import DateWindowPicker
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

    Examples
    --------
    Every picker (here :class:`ModelPicker`) works the same way: read or set ``.value``,
    watch it with :meth:`observe`, and read ``.summary`` in a script or an export.

    >>> picker = ModelPicker("linear")
    >>> isinstance(picker, Picker), picker.value, picker.summary
    (True, 'linear', 'Selected: linear')
    >>> picker.value = "newest_touch"  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    atribu_pandas.exceptions.ArgumentError: model='newest_touch' is not allowed: one of ...
    >>> picker.value  # a refused value leaves the last valid one in place
    'linear'
    """

    # traitlets makes ``help`` the trait's docstring, for the API reference.
    value = _Checked(
        help="""The current choice, always valid; setting it from Python updates the controls.

        Each picker says the form its value takes
        (:class:`~atribu_pandas.widgets.DateWindowPicker`: a ``(date_from, date_to)`` pair
        of dates). A value the loaders would refuse raises
        :class:`~atribu_pandas.ArgumentError` and the last valid one stays.

        Examples
        --------
        >>> picker = LevelPicker()
        >>> picker.value = "ad"
        >>> picker.value, picker.summary
        ('ad', 'Selected: level ad')
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self.message = ipywidgets.HTML()
        # Never wider than the area it is placed in: controls shrink or wrap instead.
        self.widget = ipywidgets.VBox(layout=ipywidgets.Layout(max_width="100%"))
        self.reason: str | None = None
        # True while the picker writes its own controls, so their observers stay quiet.
        self._syncing = False

    # -- the contract -------------------------------------------------------------------
    @property
    def label(self) -> str:
        """The choice in a few words (used by :attr:`summary` and :func:`summarize`).

        Each picker words its own choice; see its ``label``.

        Examples
        --------
        >>> ModelPicker("linear").label, LevelPicker().label
        ('linear', 'campaigns only')
        """
        raise NotImplementedError

    @property
    def summary(self) -> str:
        """Plain text naming the choice, e.g. ``"Selected: time_decay"``.

        It is also what a script, a terminal or an exported notebook shows for the picker,
        so a run records what was chosen.

        Examples
        --------
        >>> from atribu_pandas.widgets import DateWindowPicker
        >>> picker = DateWindowPicker(value=("2026-03-01", "2026-03-28"))
        >>> picker.summary
        'Selected: 2026-03-01 to 2026-03-28'
        >>> picker
        Selected: 2026-03-01 to 2026-03-28
        """
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
            The kind of notification, as traitlets names it; a picker only sends
            ``"change"``, so keep the default.

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
            f'<span style="{_ERROR_STYLE}">Not applied: {escape(reason)}. '
            f"Still using {escape(self.label)}.</span>"
        )

    def _clear_refusal(self) -> None:
        self.reason = None
        self.message.value = ""


# Doctest finds no docstring on a trait; this runs the Examples of Picker.value's.
__test__ = {"Picker.value": Picker.value.help}


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
            # The width of its box (auto stretches it, margins included), up to what the
            # longest description needs: a narrow area cuts the shown description short
            # (the open list shows it whole).
            layout=ipywidgets.Layout(width="auto", max_width="48em"),
        )
        self.widget.children = (self._dropdown, self.message)
        self.value = value
        self._dropdown.observe(lambda change: self._propose(change["new"]), names="value")

    @property
    def description(self) -> str:
        """One line saying how the chosen model splits credit.

        Examples
        --------
        >>> ModelPicker("last_touch").description
        'All credit to the last touch before the conversion.'
        """
        return MODEL_DESCRIPTIONS[self.value]

    @property
    def label(self) -> str:
        """The model's name, as the loaders take it.

        Examples
        --------
        >>> ModelPicker("position_based").label
        'position_based'
        """
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
        """``"campaigns only"``, or the level (``"level ad_set"``).

        Examples
        --------
        >>> LevelPicker().label, LevelPicker("ad_set").label
        ('campaigns only', 'level ad_set')
        """
        return "campaigns only" if self.value is None else f"level {self.value}"

    def _check(self, value: Any) -> str | None:
        return check_level(value, optional=self._allow_none)

    def _show_value(self, value: str | None) -> None:
        self._buttons.value = value or _NONE
