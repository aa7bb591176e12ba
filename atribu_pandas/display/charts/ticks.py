"""Axis ticks that never collide: thinned at every draw until no two labels touch.

A long German or French date ("14. Sept.") gets every second or third tick where an
English one gets all; every chart's date and category axes take their ticks from here.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any, cast

from matplotlib.ticker import Locator

__all__ = ["FittingLocator", "figure_renderer", "fit_ticks", "set_ticks"]


def figure_renderer(figure: Any) -> Any:
    """The renderer text is measured with; a figure made without pyplot (the explorer's)
    has a bare canvas, which gets the Agg one it would get to be saved as PNG anyway.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> type(figure_renderer(Figure())).__name__
    'RendererAgg'
    """
    if not hasattr(figure.canvas, "get_renderer"):
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        FigureCanvasAgg(figure)
    return figure.canvas.get_renderer()


class FittingLocator(Locator):
    """Another locator's ticks, thinned at every draw until no two labels touch.

    The labels are measured as they will be drawn (the axis' formatter, the tick labels'
    font, size and rotation, the renderer's text extents), so a long German or French
    date ("14. Sept.") gets every second or third tick where an English one gets all.
    Every ``k``-th tick is kept, for the smallest ``k`` that fits, so the ticks stay
    evenly spaced.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from matplotlib.ticker import FixedLocator
    >>> fig, ax = plt.subplots(figsize=(2, 1))
    >>> ax.set_xlim(0, 100)
    (0.0, 100.0)
    >>> ax.xaxis.set_major_locator(FittingLocator(FixedLocator(range(0, 101, 5))))
    >>> fig.canvas.draw()
    >>> len(ax.get_xticks()) < 21
    True
    """

    #: Space kept between two labels, in points.
    GAP = 4.0

    def __init__(self, base: Locator) -> None:
        self.base = base
        # A label's extent, by its text and how it is drawn: one draw asks for the ticks
        # several times (layout, tight box, the drawing itself), always the same labels.
        self._extents: dict[tuple[Any, ...], tuple[float, float]] = {}

    def set_axis(self, axis: Any) -> None:
        super().set_axis(axis)
        self.base.set_axis(axis)

    def tick_values(self, vmin: float, vmax: float) -> Any:
        return self.base.tick_values(vmin, vmax)

    def __call__(self) -> Any:
        import numpy as np

        ticks = np.asarray(self.base(), dtype="float64")
        axis = self.axis
        if axis is None or len(ticks) < 2:
            return ticks
        low, high = sorted(axis.get_view_interval())
        ticks = ticks[(ticks >= low) & (ticks <= high)]
        spans = self._spans(ticks)
        if spans is None:
            return ticks
        for step in range(1, len(ticks) + 1):
            kept = spans[::step]
            if all(a[1] <= b[0] for a, b in pairwise(kept)):
                return ticks[::step]
        return ticks[:1]

    def _spans(self, ticks: Any) -> list[tuple[float, float]] | None:
        """Each label's extent along the axis, in pixels, with half the gap either side."""
        import numpy as np

        # A real Axis (matplotlib also hands locators stand-ins without axes or labels).
        axis: Any = self.axis
        figure = getattr(getattr(axis, "axes", None), "figure", None)
        if figure is None:
            return None
        renderer = figure_renderer(figure)
        horizontal = axis.axis_name == "x"
        sample = axis.get_major_ticks(1)[0].label1
        formatter = axis.get_major_formatter()
        formatter.set_locs(ticks)
        labels = formatter.format_ticks(ticks)
        style = (
            sample.get_fontproperties().get_fontconfig_pattern(),
            sample.get_rotation(),
            sample.get_rotation_mode(),
            sample.get_horizontalalignment(),
            sample.get_verticalalignment(),
            figure.dpi,
            horizontal,
        )
        probe = None
        gap = self.GAP * figure.dpi / 72 / 2
        # Both columns are the ticks: only the one of this axis is read.
        where = axis.axes.transData.transform(np.column_stack([ticks, ticks]))
        spans = []
        for i, label in enumerate(labels):
            extent = self._extents.get((label, *style))
            if extent is None:
                if probe is None:
                    probe = _probe(sample, figure)
                probe.set_text(label)
                box = probe.get_window_extent(renderer)
                extent = (box.x0, box.x1) if horizontal else (box.y0, box.y1)
                self._extents[(label, *style)] = extent
            at = where[i, 0] if horizontal else where[i, 1]
            spans.append((at + extent[0] - gap, at + extent[1] + gap))
        return spans


def _probe(sample: Any, figure: Any) -> Any:
    """An empty text drawn as the tick label ``sample`` is, to measure labels with."""
    from matplotlib.text import Text

    probe = Text(
        0,
        0,
        "",
        fontproperties=sample.get_fontproperties(),
        rotation=sample.get_rotation(),
        rotation_mode=cast(Any, sample.get_rotation_mode()),
        ha=sample.get_horizontalalignment(),
        va=sample.get_verticalalignment(),
    )
    probe.set_figure(figure)
    return probe


def fit_ticks(axis: Any) -> None:
    """Thin ``axis``' ticks at every draw so that no two labels touch (:class:`FittingLocator`).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> fit_ticks(ax.xaxis)
    >>> type(ax.xaxis.get_major_locator()).__name__
    'FittingLocator'
    """
    from matplotlib.dates import AutoDateFormatter, AutoDateLocator

    locator = axis.get_major_locator()
    if not isinstance(locator, FittingLocator):
        axis.set_major_locator(FittingLocator(locator))
        if isinstance(locator, AutoDateLocator) and axis.isDefault_majfmt:
            # A date axis' default formatter picks its format (year, month, day) from the
            # locator it was made with. Left as the default, it is replaced, with a new
            # locator that never runs, when another artist on the axis (a twin's line)
            # updates the units: every tick then read "2026". Bound here, it stays. (A
            # formatter the chart chose, a locale's day names, is left as it is.)
            axis.set_major_formatter(AutoDateFormatter(locator))


def set_ticks(axis: Any, values: Any, labels: Any) -> None:
    """Put a tick at each of ``values`` labelled by ``labels``, thinned to fit like
    :func:`fit_ticks` (a label follows its value, not its position in the list).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> set_ticks(ax.xaxis, [0, 1], ["Mo", "Tu"])
    >>> ax.xaxis.get_major_formatter()(1, 0)
    'Tu'
    """
    import numpy as np
    from matplotlib.ticker import FixedLocator, FuncFormatter

    where = np.asarray([float(v) for v in axis.convert_units(list(values))], dtype="float64")
    names = dict(zip(where.tolist(), [str(label) for label in labels], strict=True))

    def name(value: float, _: Any = None) -> str:
        # A tick is one of the values; the nearest guards against float noise.
        return names[min(names, key=lambda v: abs(v - value))] if names else ""

    axis.set_major_locator(FittingLocator(FixedLocator(where.tolist())))
    axis.set_major_formatter(FuncFormatter(name))
