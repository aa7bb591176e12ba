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

ipywidgets is imported by this package only; ``import atribu_pandas`` does not load it.

One module per job: ``presets`` (date presets),
``pickers`` (the contract; model and level pickers), ``window`` (the date window),
``filters`` (entities, top-performer filters) and
``explorer`` (the dashboard). Every public name is
importable from here.
"""

from __future__ import annotations

from atribu_pandas.widgets.explorer import Explorer, explore
from atribu_pandas.widgets.filters import EntityPicker, TopPerformerFilters
from atribu_pandas.widgets.pickers import (
    LevelPicker,
    ModelPicker,
    Picker,
    summarize,
)
from atribu_pandas.widgets.presets import PRESETS, preset_window
from atribu_pandas.widgets.window import DateWindowPicker

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
