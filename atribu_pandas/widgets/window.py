"""The reporting window's picker: a preset ("Last 28 days") or two dates.

:class:`DateWindowPicker` follows the picker contract of ``widgets.pickers``; its presets
count from the current day (``widgets.presets``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import ipywidgets

from atribu_pandas.core.dates import current_day
from atribu_pandas.core.params import MAX_RANGE_DAYS, check_date_range
from atribu_pandas.exceptions import ArgumentError
from atribu_pandas.widgets.pickers import Picker
from atribu_pandas.widgets.presets import PRESETS, _check_today, preset_window

__all__ = ["DateWindowPicker"]


class DateWindowPicker(Picker):
    """Pick a reporting window: a preset or a custom range with two date pickers.

    Parameters
    ----------
    preset : str, default "last_28_days"
        One of :data:`PRESETS`; ignored when ``value`` is given.
    value : tuple, optional
        ``(date_from, date_to)`` as dates or ``"YYYY-MM-DD"`` strings; selects "Custom range".
    today : datetime.date, optional
        The day presets count from (for tests and reproducible notebooks); defaults to
        ``ATRIBU_TODAY`` if set, else the earliest calendar day anywhere on Earth (so no
        preset asks for a day the API has not finished), read each time a preset is
        applied.

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
        # Side by side where there is room (a date input needs about 8em next to its
        # label), one under the other where there is not.
        date = {"flex": "1 1 16em", "min_width": "16em", "max_width": "20em"}
        self._from = ipywidgets.DatePicker(description="From", layout=ipywidgets.Layout(**date))
        self._to = ipywidgets.DatePicker(description="To", layout=ipywidgets.Layout(**date))
        self.widget.children = (
            self._presets,
            ipywidgets.HBox(
                [self._from, self._to],
                layout=ipywidgets.Layout(flex_flow="row wrap", max_width="100%"),
            ),
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
        """The day presets count from.

        The ``today`` given to the picker, else the package's current day (the
        ``ATRIBU_TODAY`` variable when set, else the earliest date anywhere on Earth),
        read each time.

        Examples
        --------
        >>> DateWindowPicker(today=dt.date(2026, 3, 15)).today
        datetime.date(2026, 3, 15)
        """
        return self._today or current_day()

    @property
    def preset(self) -> str:
        """The preset in use; setting it applies the preset's window.

        ``"custom"`` once the dates were set to a window that is no preset's.

        Examples
        --------
        >>> picker = DateWindowPicker("last_7_days", today=dt.date(2026, 3, 15))
        >>> picker.preset = "last_month"
        >>> picker.value
        (datetime.date(2026, 2, 1), datetime.date(2026, 2, 28))
        >>> picker.value = ("2026-02-10", "2026-02-20")
        >>> picker.preset
        'custom'
        """
        return str(self._presets.value)

    @preset.setter
    def preset(self, name: str) -> None:
        if not isinstance(name, str) or name not in PRESETS:
            raise ArgumentError("preset", name, "one of " + ", ".join(PRESETS))
        self._presets.value = name

    @property
    def date_from(self) -> dt.date:
        """First day of the window.

        Examples
        --------
        >>> DateWindowPicker("last_7_days", today=dt.date(2026, 3, 15)).date_from
        datetime.date(2026, 3, 8)
        """
        return self.value[0]  # type: ignore[no-any-return]

    @property
    def date_to(self) -> dt.date:
        """Last day of the window (inclusive).

        Examples
        --------
        >>> DateWindowPicker("last_7_days", today=dt.date(2026, 3, 15)).date_to
        datetime.date(2026, 3, 14)
        """
        return self.value[1]  # type: ignore[no-any-return]

    @property
    def label(self) -> str:
        """The window as ``"YYYY-MM-DD to YYYY-MM-DD"``.

        Examples
        --------
        >>> DateWindowPicker("last_7_days", today=dt.date(2026, 3, 15)).label
        '2026-03-08 to 2026-03-14'
        """
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
