"""Every public entry, driven with arbitrary values: nothing but an AtribuError escapes.

Each case replaces one argument of a valid call by an arbitrary value (hypothesis). The
call may succeed (the value happens to be allowed) or refuse it; any exception that is not
an :class:`~atribu_pandas.AtribuError` (a raw TypeError, KeyError, ZeroDivisionError ...)
fails the test.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import warnings
from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import atribu_pandas as ap

ARBITRARY = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["", " ", "last_touch", "ad", "28d", "sales", "2026-01-01", "x,y", "no"]),
    st.binary(max_size=10),
    st.lists(st.one_of(st.text(max_size=8), st.integers(), st.none()), max_size=5),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 1, 1)),
    st.just(pd.DataFrame()),
    st.just(pd.DataFrame({"campaign_id": ["not-a-uuid"]})),
    st.just(object()),
    st.just(math.nan),
)
SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _only_atribu_errors(call: Callable[[], Any]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with contextlib.suppress(ap.AtribuError):
            call()


@pytest.fixture(scope="module")
def frames(sandbox: Any) -> dict[str, Any]:
    client = sandbox.client(cache=False)
    end = sandbox.last_day
    start = end - dt.timedelta(days=27)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ads = ap.load_campaigns(start, end, level="ad", limit=20, client=client)
        return {
            "client": client,
            "window": (start, end),
            "ads": ads,
            "base": ap.load_campaigns(start, end, limit=5, client=client),
            "models": ap.load_model_comparison(start, end, level="campaign", client=client),
            "top": ap.load_top_performers(limit=5, client=client),
            "trend": ap.load_campaign_trend(
                ads["campaign_id"].head(3), start, end, level="ad", client=client
            ),
        }


CLIENT_ARGS = [
    "api_key",
    "base_url",
    "cache",
    "timeout",
    "max_retries",
    "backoff_factor",
    "rate_limit",
    "progress",
    "max_body_bytes",
    "max_wait",
    "cache_dir",
]


@pytest.mark.parametrize("argument", CLIENT_ARGS)
@SETTINGS
@given(value=ARBITRARY)
def test_client(sandbox: Any, argument: str, value: Any) -> None:
    options: dict[str, Any] = {"api_key": sandbox.api_key, "base_url": sandbox.url, "cache": False}
    options[argument] = value
    if argument == "cache_dir":
        options["cache"] = False  # no folder is made from an arbitrary name
    _only_atribu_errors(lambda: ap.Client(**options))


def _loader_calls(f: dict[str, Any]) -> dict[str, Callable[[Any], Any]]:
    c = f["client"]
    start, end = f["window"]
    return {
        "campaigns.date_from": lambda v: ap.load_campaigns(v, end, client=c),
        "campaigns.model": lambda v: ap.load_campaigns(start, end, model=v, client=c),
        "campaigns.level": lambda v: ap.load_campaigns(start, end, level=v, client=c),
        "campaigns.limit": lambda v: ap.load_campaigns(start, end, limit=v, client=c),
        "campaigns.client": lambda v: ap.load_campaigns(start, end, client=v),
        "campaigns.refresh": lambda v: ap.load_campaigns(start, end, client=c, refresh=v),
        "models.models": lambda v: ap.load_model_comparison(start, end, models=v, client=c),
        "trend.entity_ids": lambda v: ap.load_campaign_trend(v, start, end, client=c),
        "trend.level": lambda v: ap.load_campaign_trend(f["ads"], start, end, level=v, client=c),
        "trend.max_ids": lambda v: ap.load_campaign_trend(
            f["ads"], start, end, max_ids=v, client=c
        ),
        "top.window": lambda v: ap.load_top_performers(window=v, client=c),
        "top.min_spend": lambda v: ap.load_top_performers(min_spend=v, client=c),
        "top.objectives": lambda v: ap.load_top_performers(objectives=v, client=c),
        "top.has_video": lambda v: ap.load_top_performers(has_video=v, client=c),
        "reason_codes.top": lambda v: ap.reason_codes(v),
        "set_default_client": lambda v: ap.set_default_client(v),
    }


LOADER_CASES = list(_loader_calls({"client": None, "window": (None, None), "ads": None}))


@pytest.mark.parametrize("case", LOADER_CASES)
@SETTINGS
@given(value=ARBITRARY)
def test_loaders(frames: dict[str, Any], case: str, value: Any) -> None:
    try:
        _only_atribu_errors(lambda: _loader_calls(frames)[case](value))
    finally:
        ap.set_default_client(None)


def _accessor_calls(f: dict[str, Any]) -> dict[str, Callable[[Any], Any]]:
    ads, models, top, trend = f["ads"], f["models"], f["top"], f["trend"]
    return {
        "check.rtol": lambda v: ads.atribu.check(v),
        "rollup.by": lambda v: ads.atribu.rollup(by=v),
        "compare_models.metric": lambda v: models.atribu.compare_models(metric=v),
        "compare_models.baseline": lambda v: models.atribu.compare_models(baseline=v),
        "compare_models.top": lambda v: models.atribu.compare_models(top=v),
        "compare_cohorts.by": lambda v: top.atribu.compare_cohorts(by=v),
        "shrink.metric": lambda v: top.atribu.shrink(metric=v),
        "shrink.confidence": lambda v: top.atribu.shrink(confidence=v),
        "pivot_trend.values": lambda v: trend.atribu.pivot_trend(values=v),
        "pivot_trend.freq": lambda v: trend.atribu.pivot_trend(freq=v),
        "pivot_trend.rolling": lambda v: trend.atribu.pivot_trend(rolling=v),
        "pivot_trend.fill_value": lambda v: trend.atribu.pivot_trend(fill_value=v),
        "pivot_trend.cumulative": lambda v: trend.atribu.pivot_trend(cumulative=v),
        "pivot_trend.names": lambda v: trend.atribu.pivot_trend(names=v),
        "recompute.frame": lambda v: (v if isinstance(v, pd.DataFrame) else ads).atribu.recompute(),
        "plot.roas_bar.top": lambda v: _closed(ads.atribu.plot.roas_bar(top=v)),
        "plot.roas_bar.ax": lambda v: _closed(ads.atribu.plot.roas_bar(ax=v)),
        "plot.spend_vs_value.label": lambda v: _closed(ads.atribu.plot.spend_vs_value(label=v)),
        "plot.trend.values": lambda v: _closed(trend.atribu.plot.trend(values=v)),
        "plot.trend.rolling": lambda v: _closed(trend.atribu.plot.trend(rolling=v)),
        "plot.trend.small_multiples": lambda v: _closed(trend.atribu.plot.trend(small_multiples=v)),
        "plot.model_heatmap.top": lambda v: _closed(models.atribu.plot.model_heatmap(top=v)),
        "plot.cohort_box.by": lambda v: _closed(top.atribu.plot.cohort_box(v)),
        "plot.shrinkage.top": lambda v: _closed(top.atribu.plot.shrinkage(top=v)),
    }


def _closed(axes: Any) -> None:
    import matplotlib.pyplot as plt
    import numpy as np

    for ax in np.ravel(axes):  # small multiples give an array of Axes
        plt.close(ax.figure)


ACCESSOR_CASES = list(_accessor_calls({"ads": None, "models": None, "top": None, "trend": None}))


@pytest.mark.parametrize("case", ACCESSOR_CASES)
@SETTINGS
@given(value=ARBITRARY)
def test_accessor(frames: dict[str, Any], case: str, value: Any) -> None:
    _only_atribu_errors(lambda: _accessor_calls(frames)[case](value))


def _widget_calls(f: dict[str, Any]) -> dict[str, Callable[[Any], Any]]:
    from atribu_pandas import widgets as w

    return {
        "DateWindowPicker.preset": lambda v: w.DateWindowPicker(v),
        "DateWindowPicker.value": lambda v: w.DateWindowPicker(value=v),
        "DateWindowPicker.today": lambda v: w.DateWindowPicker(today=v),
        "ModelPicker.value": lambda v: w.ModelPicker(v),
        "LevelPicker.value": lambda v: w.LevelPicker(v),
        "EntityPicker.frame": lambda v: w.EntityPicker(v),
        "EntityPicker.value": lambda v: w.EntityPicker(f["ads"], value=v),
        "EntityPicker.max_selected": lambda v: w.EntityPicker(f["ads"], max_selected=v),
        "TopPerformerFilters.value": lambda v: w.TopPerformerFilters(v),
        "preset_window.preset": lambda v: w.preset_window(v),
        "explore.client": lambda v: w.explore(v),
        "explore.model": lambda v: w.explore(f["client"], model=v),
        "explore.limit": lambda v: w.explore(f["client"], limit=v),
        "explore.today": lambda v: w.explore(f["client"], today=v),
    }


WIDGET_CASES = list(_widget_calls({"ads": None, "client": None}))


@pytest.mark.parametrize("case", WIDGET_CASES)
@SETTINGS
@given(value=ARBITRARY)
def test_widgets(frames: dict[str, Any], case: str, value: Any) -> None:
    _only_atribu_errors(lambda: _widget_calls(frames)[case](value))
