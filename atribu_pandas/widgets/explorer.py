"""The ``explore()`` dashboard: pickers over a table and two charts of the campaigns (and,
for ads, the top ads with their pictures).

Every change of a picker reloads the campaigns (repeats come from the cache) and redraws;
nothing raised while loading or drawing escapes the dashboard.
"""

from __future__ import annotations

import datetime as dt
import io
import warnings
from collections.abc import Mapping
from typing import Any

import ipywidgets
import pandas as pd

from atribu_pandas.core.params import CAMPAIGNS_LIMIT, check_limit
from atribu_pandas.display.banner import demo_banner_html
from atribu_pandas.display.markup import escape
from atribu_pandas.exceptions import AtribuError, TruncatedResultWarning
from atribu_pandas.widgets.gallery import top_ads_html
from atribu_pandas.widgets.pickers import (
    LevelPicker,
    ModelPicker,
    _Displayable,
    summarize,
)
from atribu_pandas.widgets.table import table_caption, table_html
from atribu_pandas.widgets.window import DateWindowPicker

__all__ = ["Explorer", "explore"]


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
        Passed to the loader; None uses the default client (the sandbox when no key is set,
        said by the dashboard's banner, without the loaders' ``DemoDataWarning``).
    today : datetime.date, optional
        The day the date presets count from.
    model : str, default "last_touch"
        The attribution model first picked (one of ``ap.MODELS``).
    level : str or None, default None
        The level first picked: None for campaigns with attribution columns only, or
        ``"campaign"``, ``"ad_set"``, ``"ad"`` to add delivery.
    limit : int, default 100
        Rows asked of the API (1..100), as for ``ap.load_campaigns``: by default all it
        gives. The table scrolls inside its own box; the charts show the top 15.

    Attributes
    ----------
    dates, model, level : DateWindowPicker, ModelPicker, LevelPicker
    status, banner, caption, table : ipywidgets.HTML
        What was loaded (or why not), the demo banner, what the rows are, and the table
        (``table_html``).
    top_ads : ipywidgets.HTML
        With the level "ad", the top performers with their pictures
        (``top_ads_html``); else empty.
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
        limit: int = 100,
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
        self.caption = ipywidgets.HTML()
        # The table scrolls inside its own box, sideways and down (up to 100 rows), so the
        # output area never does and the charts stay close; its name column and header
        # stay in view (atribu_pandas.widgets.table).
        self.table = ipywidgets.HTML(
            layout=ipywidgets.Layout(max_width="100%", max_height="26em", overflow="auto")
        )
        self.top_ads = ipywidgets.HTML(layout=ipywidgets.Layout(max_width="100%"))
        # Charts shrink with the area (JupyterLab's main area with the file browser open
        # is about 550 px wide in a 1000 px window) and wrap under each other. No margin:
        # 100% plus a margin would make their box scroll sideways by those few pixels.
        chart = {"max_width": "100%", "height": "auto", "margin": "0"}
        self.roas_chart = ipywidgets.Image(format="png", layout=ipywidgets.Layout(**chart))
        self.value_chart = ipywidgets.Image(format="png", layout=ipywidgets.Layout(**chart))
        self.rows = ipywidgets.BoundedIntText(
            value=self.limit,
            min=CAMPAIGNS_LIMIT[0],
            max=CAMPAIGNS_LIMIT[1],
            description="Rows",
            # The label's 80 px and three digits.
            layout=ipywidgets.Layout(width="12em"),
        )
        # Controls wrap onto the next line rather than push the area sideways; the model
        # takes what is left of its line (its dropdown is at most 48em).
        wrap = ipywidgets.Layout(flex_flow="row wrap", max_width="100%")
        self.model.widget.layout.flex = "1 1 24em"
        self.widget = ipywidgets.VBox(
            [
                ipywidgets.HBox([self.dates.widget, self.model.widget], layout=wrap),
                ipywidgets.HBox([self.level.widget, self.rows], layout=wrap),
                self.status,
                self.banner,
                self.caption,
                self.table,
                self.top_ads,
                ipywidgets.HBox([self.roas_chart, self.value_chart], layout=wrap),
            ],
            layout=ipywidgets.Layout(max_width="100%"),
        )
        for picker in (self.dates, self.model, self.level):
            picker.observe(lambda change: self.refresh())
        self.rows.observe(self._set_limit, names="value")

    def _set_limit(self, change: Mapping[str, Any]) -> None:
        self.limit = check_limit(change["new"], CAMPAIGNS_LIMIT)
        self.refresh()

    @property
    def summary(self) -> str:
        """The choices and the state of the last load, in plain text.

        It is also the dashboard's text in a script or an exported notebook.

        Examples
        --------
        >>> explorer = Explorer(today=dt.date(2026, 3, 15))
        >>> explorer.summary  # nothing loaded yet
        'Selected: 2026-02-15 to 2026-03-14, last_touch, campaigns only'
        """
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

        Handy to load in a script exactly what the dashboard shows.

        Returns
        -------
        dict
            ``date_from``, ``date_to``, ``model``, ``level``, ``limit`` and ``client``.

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
        """Load once with the current choices and redraw the table and the charts.

        A picker's change calls it already; call it to load again (after new data came in).

        Returns
        -------
        pandas.DataFrame or None
            The campaigns shown (empty when the window had no delivery), or None when the
            load or the drawing failed: the dashboard then shows why, and ``.error`` holds
            the exception.

        Examples
        --------
        >>> explorer = Explorer()  # no key set: the demo sandbox answers
        >>> frame = explorer.refresh()
        >>> print(explorer.summary)
        Selected: 2026-10-19 to 2026-11-15, last_touch, campaigns only. Showing 9 rows (demo data).
        """
        from atribu_pandas.loaders.defaults import default_client
        from atribu_pandas.loaders.endpoints import load_campaigns

        self.loads += 1
        self._set_status(f"Loading… {summarize(self.dates, self.model, self.level)}", "#555")
        arguments = self.load_arguments()
        try:
            if arguments["client"] is None:
                # The banner below says "demo data" when the sandbox answers; the loaders'
                # DemoDataWarning would say it again, as a red box right above it.
                arguments["client"] = default_client(demo_warning=False)
            with warnings.catch_warnings():
                # The dashboard shows the top `limit` on purpose; "more may exist" is noise.
                warnings.simplefilter("ignore", TruncatedResultWarning)
                frame = load_campaigns(**arguments)
            # An empty window has nothing to chart (and the table would be a bare header).
            charts = (b"", b"") if frame.empty else _charts_png(frame)
            table = "" if frame.empty else table_html(frame)
            caption = "" if frame.empty else table_caption(frame, self.level.value)
            ads = self.level.value == "ad" and not frame.empty
            top = top_ads_html(arguments["client"]) if ads else ""
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
        # table_html escapes the advertiser's names and sanitizes the whole.
        self.table.value = table
        self.top_ads.value = top
        self.caption.value = (
            f'<span style="color: #555">{escape(caption)}</span>' if caption else ""
        )
        self.roas_chart.value, self.value_chart.value = charts
        self._set_status(self.summary, "#555" if frame.empty else "#1b5e20")
        return frame

    def _failed(self, err: Exception, message: str) -> None:
        self.frame, self.error = None, err
        self.table.value = self.banner.value = self.caption.value = self.top_ads.value = ""
        self.roas_chart.value = self.value_chart.value = b""
        self._set_status(message, "#b00020")

    def _set_status(self, text: str, color: str) -> None:
        self.status.value = f'<span style="color: {color}">{escape(text)}</span>'


def explore(
    client: Any = None,
    *,
    today: dt.date | None = None,
    model: str = "last_touch",
    level: str | None = None,
    limit: int = 100,
) -> Explorer:
    """Open the dashboard: pick dates, model and level; read the table and the charts.

    Parameters
    ----------
    client : atribu_pandas.Client, optional
        None uses the default client: ``ATRIBU_API_KEY`` if set, else the demo sandbox.
    today : datetime.date, optional
        The day the date presets count from; default the package's current day.
    model : str, default "last_touch"
        The attribution model first picked.
    level : str or None, default None
        The level first picked (None: campaigns only), as for :class:`Explorer`.
    limit : int, default 100
        Rows asked of the API (1..100).

    Returns
    -------
    Explorer
        Already loaded once; display it (the last expression of a cell) to see it.

    Examples
    --------
    In a notebook, the cell's last line shows the dashboard; in a script it prints what
    it shows.

    >>> import atribu_pandas as ap
    >>> ap.widgets.explore(model="linear")
    Selected: 2026-10-19 to 2026-11-15, linear, campaigns only. Showing 9 rows (demo data).
    """
    explorer = Explorer(client, today=today, model=model, level=level, limit=limit)
    explorer.refresh()
    return explorer


_NO_DELIVERY = "No delivery in this window"


def _charts_png(frame: pd.DataFrame) -> tuple[bytes, bytes]:
    """Draw ROAS bars and spend against value (``df.atribu.plot``'s charts); return PNG bytes."""
    # Figures made without pyplot: nothing lands in pyplot's global list, so the inline
    # backend does not print them again under the cell, and nothing needs closing.
    from matplotlib.figure import Figure

    from atribu_pandas.display.charts import (
        campaigns as plotting,  # what df.atribu.plot calls, typed for mypy
    )

    roas_fig = Figure(figsize=(8.0, 4.5), layout="constrained")
    plotting.roas_bar(frame, ax=roas_fig.add_subplot())
    value_fig = Figure(figsize=(8.0, 4.5), layout="constrained")
    plotting.spend_vs_value(frame, ax=value_fig.add_subplot())
    return _png(roas_fig), _png(value_fig)


def _png(figure: Any) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90)
    return buffer.getvalue()
