"""The charts' one look: theme, colours, currency labels and the empty-chart note.

Every chart of :mod:`.campaigns`, :mod:`.trends` and :mod:`.periods` (and so every
report) takes its palette (Okabe and Ito's, colour-blind safe), its good/bad/break-even
colours and its currency label from here, so they all read the same way.
"""

from __future__ import annotations

import re
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes

from atribu_pandas.core.language import N_
from atribu_pandas.core.language import gettext as _
from atribu_pandas.display.charts.ticks import figure_renderer
from atribu_pandas.display.formats import DEFAULT_LOCALE, Formats
from atribu_pandas.frames.provenance import currency_of

__all__ = [
    "BAD_COLOR",
    "BREAK_EVEN_COLOR",
    "GOOD_COLOR",
    "NO_DATA",
    "PALETTE",
    "SHARE_CMAP",
    "TARGET_COLOR",
    "THEME",
    "chart_formats",
    "chart_text",
    "check_axes",
    "day_label",
    "legend_below",
    "locale_of",
    "spread_labels",
    "target_line",
    "thousands",
    "use_theme",
]

# Okabe and Ito's palette: told apart with every common colour-vision deficiency.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
BREAK_EVEN_COLOR = "0.35"
GOOD_COLOR = PALETTE[0]
BAD_COLOR = PALETTE[5]
# A client's target: green and dash-dotted, apart from the grey dashed break-even line.
TARGET_COLOR = PALETTE[2]
# Sequential map for shares: darker means more (the heatmap's caption says so).
SHARE_CMAP = "Blues"
NO_DATA = N_("No data in this window")
# The one look of every chart (reports and notebooks): readable sizes, no chart junk.
THEME: dict[str, Any] = {
    "axes.prop_cycle": plt.cycler(color=list(PALETTE)),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "0.9",
    "axes.axisbelow": True,
    "font.size": 10,
    "axes.titlesize": 12,
    "axes.labelsize": 10,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "legend.fontsize": 9,
    "legend.frameon": False,
    "figure.figsize": (9.0, 4.5),
    "figure.dpi": 100,
}
# Characters no font draws: a tab or a newline in a campaign's name.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")
# Legends go beside the plot, never over the data.
_OUTSIDE: dict[str, Any] = {"loc": "upper left", "bbox_to_anchor": (1.01, 1.0)}


def use_theme() -> None:
    """Apply the charts' one theme (colour-blind-safe palette, readable sizes) to matplotlib.

    Examples
    --------
    >>> use_theme()
    >>> import matplotlib.pyplot as plt
    >>> plt.rcParams["axes.prop_cycle"].by_key()["color"][0]
    '#0072B2'
    """
    params: Any = plt.rcParams  # typed with literal keys only
    params.update(THEME)


def chart_text(value: Any) -> str:
    r"""Return a name from the data as chart text that reads as it is written.

    matplotlib reads the text between two ``$`` as math: a campaign called "Save $5 on
    $10" would be typeset, and one called ``$\foo$`` would fail every chart it is in.
    Each ``$`` is escaped, and control characters (a tab in a name, which no font draws)
    become a space. Every chart label made from data goes through this function.

    Examples
    --------
    >>> chart_text("Save $5 on $10\tnow")
    'Save \\$5 on \\$10 now'
    """
    return _CONTROL.sub(" ", str(value)).replace("$", r"\$")


def locale_of(df: pd.DataFrame) -> str | None:
    """Return the locale a report stamped on the frame (``df.attrs["locale"]``), or None.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame()
    >>> df.attrs["locale"] = "de_DE"
    >>> locale_of(df)
    'de_DE'
    """
    locale = df.attrs.get("locale")
    return locale if isinstance(locale, str) else None


def day_label(day: Any, locale: str | None) -> str:
    """A day as an axis tick: ``Nov 5`` in English, ``5. Nov.`` in German.

    The report's locale when one is given, else ``en_US``: :meth:`Formats.short_day`,
    the same words as the tables.

    Parameters
    ----------
    day : date-like
    locale : str or None
        A Babel locale name (a report's; see :func:`locale_of`).

    Examples
    --------
    >>> import datetime as dt
    >>> day_label(dt.date(2026, 11, 5), None), day_label(dt.date(2026, 11, 5), "de_DE")
    ('Nov 5', '5. Nov.')
    """
    return Formats(locale=locale or DEFAULT_LOCALE).short_day(day)


def thousands(axis: Any, locale: str | None = None) -> None:
    """Write an axis' tick labels grouped by thousands (``20,000``, not ``20000``).

    Money axes name their currency in the axis label (``Spend (USD)``); the ticks carry
    the figures, grouped as the tables group them (:meth:`Formats.tick`): in the report's
    locale when one is given (``20.000`` in German), else in ``en_US``.

    Parameters
    ----------
    axis : matplotlib.axis.Axis
        ``ax.xaxis`` or ``ax.yaxis``.
    locale : str, optional
        A Babel locale name (a report's; see :func:`locale_of`).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> thousands(ax.yaxis)
    >>> ax.yaxis.get_major_formatter()(25000, 0), ax.yaxis.get_major_formatter()(2.5, 0)
    ('25,000', '2.5')
    >>> thousands(ax.yaxis, "de_DE")
    >>> ax.yaxis.get_major_formatter()(25000, 0), ax.yaxis.get_major_formatter()(2.5, 0)
    ('25.000', '2,5')
    """
    from matplotlib.ticker import FuncFormatter

    formats = Formats(locale=locale or DEFAULT_LOCALE)
    axis.set_major_formatter(FuncFormatter(lambda x, _: formats.tick(x)))


def chart_formats(df: pd.DataFrame) -> Formats:
    """The :class:`Formats` a chart of ``df`` writes its figures with: the frame's
    currency and the report's locale (else ``en_US``), as its tables do.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame()
    >>> df.attrs["locale"] = "de_DE"
    >>> chart_formats(df).times(3.1)
    '3,10×'
    """
    return Formats(currency_of(df), locale_of(df) or DEFAULT_LOCALE)


def spread_labels(ax: Axes, texts: list[Any], x: Any, y: Any) -> None:
    """Move point labels apart and off their points, each with a thin line back to its dot.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> texts = [ax.text(1, 1, "a"), ax.text(1, 1, "b")]
    >>> spread_labels(ax, texts, [1, 1], [1, 1])
    """
    if not texts:
        return
    import logging
    import warnings

    from adjustText import adjust_text

    # adjustText logs "labels too long" at every step a long name cannot move (a red
    # box in a notebook, thousands of lines): a note for its own developers, not ours.
    quiet = logging.getLogger("adjustText")
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            adjust_text(
                texts,
                x=x,
                y=y,
                ax=ax,
                expand=(1.3, 1.6),
                force_static=(0.4, 0.6),
                # Every name keeps a line to its dot, so a moved name is never ambiguous.
                min_arrow_len=0,
                arrowprops={"arrowstyle": "-", "lw": 0.5, "color": "0.4"},
            )
    finally:
        quiet.setLevel(level)


def check_axes(value: Any) -> Axes | None:
    """Return a matplotlib Axes to draw on, or None for a new figure; refuse anything else.

    Examples
    --------
    >>> check_axes(None) is None
    True
    """
    if value is not None and not isinstance(value, Axes):
        from atribu_pandas.exceptions import ArgumentError

        raise ArgumentError("ax", value, "a matplotlib Axes, or None for a new figure")
    return value


def _axes(ax: Axes | None, size: tuple[float, float] = (8.0, 5.0)) -> Axes:
    if ax is not None:
        return ax
    _figure, new = plt.subplots(figsize=size, layout="constrained")
    return new


def _no_data(ax: Axes) -> None:
    """Say so in the middle of the Axes: a window without rows still gets its labelled chart."""
    ax.text(
        0.5,
        0.5,
        _(NO_DATA),
        transform=ax.transAxes,
        ha="center",
        va="center",
        fontsize=11,
        color="0.4",
    )


def target_line(ax: Axes, target: float, formats: Formats, *, vertical: bool) -> Any:
    """Draw a client's ROAS target across ``ax``; return its legend handle ("Target 2.50×").

    The line is named in the legend (under the axes, see :func:`legend_below`), not
    written on the plot, so its words never cover a bar's value or a line, whatever the
    language; the figure is in the chart's locale.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> target_line(ax, 2.5, Formats(locale="de_DE"), vertical=True).get_label()
    'Target 2,50×'
    """
    from matplotlib.lines import Line2D

    style: dict[str, Any] = {"color": TARGET_COLOR, "linestyle": "-.", "linewidth": 1.6}
    if vertical:
        ax.axvline(target, zorder=2.5, **style)
    else:
        ax.axhline(target, zorder=2.5, **style)
    label = _("Target {value}").format(value=formats.times(target))
    return Line2D([], [], label=label, **style)


def legend_below(ax: Axes, handles: list[Any] | None = None, ncol: int = 2, **kwargs: Any) -> Any:
    """A legend under the axes, below the x axis' labels, so it never covers the data
    or a label at any width of the figure (beside the plot it squeezes a narrow one).

    The x axis' tick labels and title are measured once drawn; the legend hangs that far
    (in inches, not in a fraction of the axes) under the axes, so it stays clear when
    the figure is resized.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(layout="constrained")
    >>> _ = ax.plot([0, 1], label="a")
    >>> legend_below(ax).get_texts()[0].get_text()
    'a'
    """
    from matplotlib.transforms import ScaledTranslation

    figure = ax.get_figure(root=True)
    assert figure is not None
    renderer = figure_renderer(figure)
    below = ax.xaxis.get_tightbbox(renderer)
    axes_box = ax.get_window_extent(renderer)
    drop = (axes_box.y0 - below.y0) / figure.dpi + 0.06 if below is not None else 0.5
    shift = ScaledTranslation(0, -drop, figure.dpi_scale_trans)
    options: dict[str, Any] = {
        "loc": "upper center",
        "bbox_to_anchor": (0.5, 0.0),
        "bbox_transform": ax.transAxes + shift,
        "ncol": ncol,
        "fontsize": 8,
    }
    options.update(kwargs)
    if handles is not None:
        options["handles"] = handles
    return ax.legend(**options)
