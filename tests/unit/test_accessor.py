"""df.atribu: registered, thin (same results as metrics), and it never modifies its frame."""

from __future__ import annotations

import copy
import subprocess
import sys
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest
from test_metrics import campaigns, comparison, top_performers, trend

import atribu_pandas.accessor  # registers df.atribu
from atribu_pandas import metrics
from atribu_pandas.exceptions import AtribuError


def with_attrs(df: pd.DataFrame) -> pd.DataFrame:
    df.attrs["atribu"] = {"endpoint": "/api/v1/campaigns", "meta": {}, "demo": True}
    df.attrs["currency"] = "EUR"
    return df


def model_frame() -> pd.DataFrame:
    return comparison(
        {"last_touch": [100.0, 50.0, 50.0], "first_touch": [20.0, 60.0, 120.0]},
        ["A", "B", "C"],
    )


CALLS: list[tuple[str, Callable[[], pd.DataFrame], Callable[[pd.DataFrame], Any]]] = [
    ("recompute", campaigns, lambda df: df.atribu.recompute()),
    ("check", campaigns, lambda df: df.atribu.check(rtol=0.0)),
    ("rollup", campaigns, lambda df: df.atribu.rollup("parent_name")),
    ("rollup_total", campaigns, lambda df: df.atribu.rollup()),
    ("rollup_freq", trend, lambda df: df.atribu.rollup("entity_id", freq="W")),
    ("rollup_top", top_performers, lambda df: df.atribu.rollup("cohort_key")),
    ("compare_models", model_frame, lambda df: df.atribu.compare_models(top=1).summary()),
    ("compare_cohorts", top_performers, lambda df: df.atribu.compare_cohorts()),
    ("shrink_ctr", top_performers, lambda df: df.atribu.shrink("ctr")),
    ("shrink_roas", top_performers, lambda df: df.atribu.shrink("roas")),
    ("reason_codes", top_performers, lambda df: df.atribu.reason_codes()),
    ("pivot_trend", trend, lambda df: df.atribu.pivot_trend("ctr", freq="W", rolling=2)),
    ("pivot_cum", trend, lambda df: df.atribu.pivot_trend(cumulative=True, names={"a": "A"})),
]


@pytest.mark.parametrize(("make", "call"), [c[1:] for c in CALLS], ids=[c[0] for c in CALLS])
def test_input_frame_is_unchanged(
    make: Callable[[], pd.DataFrame], call: Callable[[pd.DataFrame], Any]
) -> None:
    df = with_attrs(make())
    before = copy.deepcopy(df)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", metrics.ReachNotAdditiveWarning)
        result = call(df)
    pd.testing.assert_frame_equal(df, before)
    assert df.attrs == before.attrs
    if isinstance(result, pd.DataFrame):
        assert result is not df


DERIVED: list[tuple[str, Callable[[], pd.DataFrame], Callable[[pd.DataFrame], Any]]] = [
    ("recompute", campaigns, lambda df: df.atribu.recompute()),
    ("check", campaigns, lambda df: df.atribu.check(rtol=0.0)),
    ("rollup", campaigns, lambda df: df.atribu.rollup("parent_name")),
    ("rollup", trend, lambda df: df.atribu.rollup("entity_id", freq="W")),
    ("compare_cohorts", top_performers, lambda df: df.atribu.compare_cohorts()),
    ("shrink", top_performers, lambda df: df.atribu.shrink("roas")),
    ("reason_codes", top_performers, lambda df: df.atribu.reason_codes()),
    ("pivot_trend", trend, lambda df: df.atribu.pivot_trend("ctr", freq="W")),
]


@pytest.mark.parametrize(
    ("derived", "make", "call"), DERIVED, ids=[f"{d[0]}-{i}" for i, d in enumerate(DERIVED)]
)
def test_result_attrs_are_a_deep_copy_marked_derived(
    derived: str, make: Callable[[], pd.DataFrame], call: Callable[[pd.DataFrame], Any]
) -> None:
    df = with_attrs(make())
    df.attrs["atribu"]["params"] = {"model": "last_touch", "ids": ["a"]}
    before = copy.deepcopy(df.attrs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", metrics.ReachNotAdditiveWarning)
        result = call(df)
    assert result.attrs["atribu"]["derived"] == derived
    assert result.attrs["atribu"]["params"] == {"model": "last_touch", "ids": ["a"]}
    result.attrs["atribu"]["params"]["model"] = "linear"
    result.attrs["atribu"]["params"]["ids"].append("b")
    result.attrs["atribu"]["meta"]["date_from"] = "2026-01-01"
    assert df.attrs == before
    assert "derived" not in df.attrs["atribu"]


def test_accessor_results_are_the_metrics_results() -> None:
    tp = top_performers()
    pd.testing.assert_frame_equal(tp.atribu.recompute(), metrics.recompute(tp))
    pd.testing.assert_frame_equal(tp.atribu.compare_cohorts(), metrics.compare_cohorts(tp))
    pd.testing.assert_frame_equal(tp.atribu.shrink("roas"), metrics.shrink(tp, "roas"))
    pd.testing.assert_frame_equal(tp.atribu.reason_codes(), metrics.explode_reason_codes(tp))
    tr = trend()
    pd.testing.assert_frame_equal(
        tr.atribu.pivot_trend("cpc", freq="W"), metrics.pivot_trend(tr, "cpc", freq="W")
    )
    res = model_frame().atribu.compare_models(baseline="first_touch", top=2)
    assert res.baseline == "first_touch" and res.values.index[0] == "C"


def test_rollup_through_the_accessor_hand_computed() -> None:
    with pytest.warns(metrics.ReachNotAdditiveWarning):
        out = campaigns().atribu.rollup("parent_name")
    assert out["roas"].tolist() == [2.5, 2.0]
    assert out.attrs == {}  # a plain frame's attrs carry over unchanged
    df = with_attrs(trend())
    assert df.atribu.rollup("entity_id").attrs["currency"] == "EUR"


def test_errors_name_columns_and_loader() -> None:
    with pytest.raises(AtribuError, match=r"shrink needs columns .*load_top_performers"):
        campaigns().atribu.shrink()
    with pytest.raises(AtribuError, match=r"reason_codes needs .*missing: \['ad_external_id'"):
        campaigns().atribu.reason_codes()


def test_plot_namespace_is_lazy() -> None:
    code = (
        "import sys, pandas as pd, atribu_pandas.accessor\n"
        "ns = pd.DataFrame({'spend': [1.0]}).atribu.plot\n"
        "assert 'matplotlib' not in sys.modules, 'matplotlib imported too early'\n"
        "print(type(ns).__name__)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "PlotAccessor"


def test_on_sandbox_frames(sandbox: Any) -> None:
    """Every method on real loader frames: ratios agree with the API's, totals add up."""
    import atribu_pandas as ap

    client = sandbox.client()
    day_to = sandbox.last_day
    day_from = day_to - pd.Timedelta(days=24)
    camps = ap.load_campaigns(day_from, day_to, level="campaign", limit=100, client=client)
    assert camps.atribu.check(rtol=0.01, atol=0.01).empty
    with pytest.warns(metrics.ReachNotAdditiveWarning):
        total = camps.atribu.rollup()
    assert total["roas"].iloc[0] == pytest.approx(
        camps["outcome_value"].sum() / camps["spend"].sum()
    )
    cmp = ap.load_model_comparison(day_from, day_to, client=client)
    shares = cmp.atribu.compare_models().shares
    np.testing.assert_allclose(shares.sum(axis=0), 1.0)
    top = ap.load_top_performers(limit=50, client=client)
    assert top.atribu.compare_cohorts()["spend_share"].sum() == pytest.approx(1.0)
    est = top.atribu.shrink("ctr")
    assert ((est["weight"] >= 0) & (est["weight"] <= 1)).all()
    pd.testing.assert_frame_equal(
        top.atribu.reason_codes().reset_index(drop=True),
        ap.reason_codes(top).reset_index(drop=True),
        check_dtype=False,
        check_categorical=False,
    )
    ids = camps["campaign_id"].head(3)
    tr = ap.load_campaign_trend(ids, day_from, day_to, client=client)
    daily = tr.atribu.pivot_trend(names=camps)
    assert len(daily) == 25
    assert daily.to_numpy().sum() == pytest.approx(tr["spend"].sum())


def test_on_an_empty_sandbox_window(sandbox: Any, tmp_path: Any) -> None:
    """A day before the sandbox's data: every method gives an empty result, not an error."""
    import datetime as dt

    import atribu_pandas as ap

    client = sandbox.client(cache_dir=tmp_path / "cache", progress=False)
    day = sandbox.first_day - dt.timedelta(days=30)
    last = sandbox.last_day
    recent = ap.load_campaigns(last - dt.timedelta(days=27), last, level="campaign", client=client)
    camps = ap.load_campaigns(day, day, level="campaign", client=client)
    cmp = ap.load_model_comparison(day, day, client=client)
    top = ap.load_top_performers(min_spend=1e12, client=client)
    tr = ap.load_campaign_trend(recent["campaign_id"][:3], day, day, client=client)
    assert len(recent) > 0 and [len(camps), len(cmp), len(top), len(tr)] == [0, 0, 0, 0]

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        total = camps.atribu.rollup()
    assert total["spend"].tolist() == [0.0] and np.isnan(total["roas"].iloc[0])
    assert len(camps.atribu.recompute()) == 0 and camps.atribu.check().empty
    assert len(camps.atribu.rollup("campaign_id")) == 0
    result = cmp.atribu.compare_models()
    assert result.values.shape == (0, 0) and len(result.flips) == 0
    assert "Nothing to compare" in result.summary()
    assert len(top.atribu.compare_cohorts()) == 0
    assert len(top.atribu.shrink("ctr")) == 0 and len(top.atribu.shrink("roas")) == 0
    assert len(top.atribu.reason_codes()) == 0
    # The loader recorded the one-day window: one date, no entity.
    daily = tr.atribu.pivot_trend("ctr", names=recent)
    assert daily.shape == (1, 0) and daily.index[0] == pd.Timestamp(day)


def test_default_cohorts_hold_several_ads_on_the_sandbox(sandbox: Any) -> None:
    top = atribu_pandas.load_top_performers(window="lifetime", client=sandbox.client())
    cohorts = top.atribu.compare_cohorts()
    # One row per (format, objective) pair the ads have, counted independently.
    pairs = top[["cohort_format", "cohort_objective"]].drop_duplicates()
    assert len(cohorts) == len(pairs)
    assert int(cohorts["ads"].sum()) == len(top)
    # Several ads per cohort on average, where Atribu's cohort_key is nearly one per ad.
    assert len(top) / len(cohorts) >= 3
    assert len(top) / top["cohort_key"].nunique() < 1.5
