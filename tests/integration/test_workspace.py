"""The agency workspace against the real sandbox: one frame per call, failures kept apart."""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import atribu_pandas as ap
from atribu_pandas.core.config import parse_api_keys
from atribu_pandas.exceptions import ConfigurationError
from atribu_pandas.loaders.workspace import Workspace

Window = tuple[dt.date, dt.date]


def _key_of(sb: Any, name: str, readable: bool = True) -> str:
    return next(
        p.api_key
        for p in sb.profiles
        if p.name == name and (("campaigns:read" in p.scopes) is readable)
    )


def test_one_frame_with_profile_and_profile_id(sb: Any, cache_dir: Path, window: Window) -> None:
    ws = sb.workspace(cache_dir=cache_dir, progress=False)
    df = ws.load_campaigns(*window, limit=100)
    assert list(df.columns[:2]) == ["profile", "profile_id"]
    assert df["profile"].cat.categories.tolist() == ws.profiles
    for profile in sb.profiles:
        if "campaigns:read" not in profile.scopes:
            continue
        alone = ap.load_campaigns(*window, limit=100, client=sb.client(api_key=profile.api_key))
        part = df[df["profile"] == profile.name]
        assert (part["profile_id"] == profile.profile_id).all()
        pd.testing.assert_frame_equal(
            part.drop(columns=["profile", "profile_id"]).reset_index(drop=True),
            alone.reset_index(drop=True),
        )
    assert len(df.attrs["atribu"]["request_ids"]) == 2
    assert df.attrs["atribu"]["failed"] == []
    # Each key keeps its own cache file (named by a hash of the key) and rate budget.
    assert len(list(cache_dir.glob("http-*.sqlite"))) == 2
    a, b = (ws.client(label) for label in ws.profiles)
    assert a._buckets[0] is not b._buckets[0]


def test_a_failing_key_loses_nothing_else(sb: Any, cache_dir: Path, window: Window) -> None:
    good = _key_of(sb, "Northwind Aesthetics Group")
    no_scope = _key_of(sb, "Bright Smile Dental", readable=False)
    ws = Workspace({"Group B": good, "Clinic A": no_scope}, base_url=sb.url, cache_dir=cache_dir)
    with pytest.warns(ap.WorkspaceWarning) as caught:
        df = ws.load_campaigns(*window)
    message = str(caught[0].message)
    assert "1 of 2 workspace profiles failed" in message
    assert "Clinic A (PermissionDeniedError, request id " in message
    assert set(df["profile"].astype(str)) == {"Group B"}
    failed = df.attrs["atribu"]["failed"]
    assert [f["profile"] for f in failed] == ["Clinic A"]
    assert failed[0]["request_id"] and failed[0]["request_id"] in message
    # The keys appear nowhere: frame, attrs, warning, repr.
    for key in (good, no_scope):
        assert key not in df.to_csv()
        assert key not in repr(df.attrs)
        assert key not in message
        assert key not in repr(ws)
    with pytest.raises(ExceptionGroup) as group:
        ws.load_campaigns(*window, strict=True)
    assert [type(e).__name__ for e in group.value.exceptions] == ["PermissionDeniedError"]
    assert no_scope not in str(group.value)


def test_every_profile_failing_raises(sb: Any, cache_dir: Path, window: Window) -> None:
    no_scope = _key_of(sb, "Bright Smile Dental", readable=False)
    ws = Workspace({"Clinic A": no_scope}, base_url=sb.url, cache_dir=cache_dir)
    with pytest.raises(ExceptionGroup, match="1 of 1 workspace profiles failed: Clinic A"):
        ws.load_campaigns(*window)


def test_keys_from_the_environment(monkeypatch: pytest.MonkeyPatch, sb: Any) -> None:
    key = _key_of(sb, "Northwind Aesthetics Group")
    monkeypatch.setenv("ATRIBU_API_KEYS", f"Group B={key}, Clinic A={sb.profiles[0].api_key}")
    ws = Workspace(base_url=sb.url)
    assert ws.profiles == ["Group B", "Clinic A"]
    monkeypatch.setenv("ATRIBU_API_KEYS", f"Group B {key}")
    with pytest.raises(ConfigurationError, match="entry 1 is not 'label=key'") as error:
        Workspace(base_url=sb.url)
    assert key not in str(error.value)
    monkeypatch.delenv("ATRIBU_API_KEYS")
    with pytest.raises(ConfigurationError, match="ATRIBU_API_KEYS"):
        Workspace(base_url=sb.url)
    with pytest.raises(ConfigurationError, match="twice"):
        parse_api_keys("A=k1,A=k2")


def test_top_performers_rank_across_profiles(sb: Any, cache_dir: Path) -> None:
    ws = sb.workspace(cache_dir=cache_dir, progress=False)
    top = ws.top_performers(top=15)
    assert top["workspace_rank"].tolist() == list(range(1, 16))
    # The same ranking by hand from each profile's own list.
    scores = []
    for label in ws.profiles:
        own = ap.load_top_performers(limit=50, client=ws.client(label))
        scores.extend(own["composite_score"].dropna().tolist())
    expected = sorted(scores, reverse=True)[:15]
    assert top["composite_score"].tolist() == pytest.approx(expected)
    patterns = ws.creative_patterns(top, min_profiles=1)
    formats = patterns[patterns["trait"] == "creative_format"]
    assert int(formats["ads"].sum()) == int(top["creative_format"].notna().sum())
    recurring = ws.creative_patterns(top)
    assert (recurring["profiles"] >= 2).all()


def test_generated_profiles_make_a_larger_workspace(window: Window) -> None:
    with ap.sandbox.start(profiles=6, rate_limit=100_000) as big:
        readable = [p for p in big.profiles if "campaigns:read" in p.scopes]
        assert len(readable) == 6
        assert len({p.name for p in readable}) == 6
        assert len({p.api_key for p in big.profiles}) == len(big.profiles)
        ws = big.workspace(progress=False)
        df = ws.load_campaigns(big.last_day - dt.timedelta(days=27), big.last_day)
        assert df["profile_id"].nunique() == 6
    with pytest.raises(ap.ArgumentError, match="from 2 to 200"):
        ap.sandbox.start(profiles=1)


def test_periods_across_profiles(sb: Any, cache_dir: Path) -> None:
    ws = sb.workspace(cache_dir=cache_dir, progress=False)
    end = sb.last_day - dt.timedelta(days=sb.last_day.weekday() + 1)  # a Sunday
    start = end - dt.timedelta(days=20)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ap.WorkspaceWarning)
        weeks = ws.load_campaign_periods(start, end)
    assert weeks.groupby("profile", observed=True)["period_start"].nunique().tolist() == [3, 3]
    totals = weeks.groupby("profile", observed=True)["spend"].sum()
    for label in ws.profiles:
        alone = ap.load_campaigns(start, end, limit=100, client=ws.client(label))
        assert totals[label] == pytest.approx(alone["spend"].sum(), abs=0.01)


def test_reports_treat_workspace_keys_as_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    from atribu_pandas.reports import export, kernel

    monkeypatch.setenv(
        "ATRIBU_API_KEYS", "Clinic A=sentinel_key_a1b2c3d4,Group B=sentinel_key_e5f6"
    )
    assert {"sentinel_key_a1b2c3d4", "sentinel_key_e5f6"} <= set(export.secrets_in_env())
    env = kernel.kernel_env(demo=True)
    assert "ATRIBU_API_KEYS" not in env


def test_trend_asks_each_profile_for_its_own_ids(sb: Any, cache_dir: Path, window: Window) -> None:
    ws = sb.workspace(cache_dir=cache_dir, progress=False)
    camps = ws.load_campaigns(*window, limit=100)
    leaders = camps.groupby("profile", observed=True).head(3)
    trend = ws.load_campaign_trend(leaders, *window)
    for label in ws.profiles:
        ids = leaders.loc[leaders["profile"] == label, "campaign_id"]
        alone = ap.load_campaign_trend(ids, *window, client=ws.client(label))
        part = trend[trend["profile"] == label].drop(columns=["profile", "profile_id"])
        pd.testing.assert_frame_equal(part.reset_index(drop=True), alone.reset_index(drop=True))
    with pytest.raises(ap.ArgumentError, match="profiles of Bright Smile Dental"):
        ws.load_campaign_trend({"Nobody": ["x"]}, *window)


def test_bad_arguments_are_one_error_before_any_request(sb: Any, cache_dir: Path) -> None:
    ws = sb.workspace(cache_dir=cache_dir, progress=False)
    before = sb.request_count
    with pytest.raises(ap.ArgumentError, match="limit=500"):
        ws.load_campaigns("2026-03-01", "2026-03-25", limit=500)
    # load_top_performers takes its arguments by keyword: "7d" is not taken as strict.
    with pytest.raises(ap.ArgumentError, match="load_top_performers"):
        ws.load_top_performers("7d")
    with pytest.raises(ap.ArgumentError, match="what load_campaigns takes"):
        ws.load_campaigns("2026-03-01", "2026-03-25", windw="7d")
    assert sb.request_count == before


def test_the_methods_take_the_loaders_own_signatures() -> None:
    import inspect

    for name in (
        "load_campaigns",
        "load_model_comparison",
        "load_top_performers",
        "load_campaign_periods",
        "load_period_comparison",
    ):
        loader = inspect.signature(getattr(ap, name)).parameters
        method = inspect.signature(getattr(Workspace, name)).parameters
        expected = ["self", *(p for p in loader if p != "client"), "strict"]
        assert list(method) == expected, name
        for parameter in loader:
            if parameter != "client":
                assert method[parameter].default == loader[parameter].default, (name, parameter)


def test_a_profile_failing_with_any_error_loses_nothing_else(
    sb: Any, cache_dir: Path, window: Window
) -> None:
    ws = sb.workspace(cache_dir=cache_dir, progress=False)

    def flaky(*args: Any, client: ap.Client, **kwargs: Any) -> pd.DataFrame:
        if client is ws.client(ws.profiles[0]):
            raise RuntimeError("a bug in someone's callback")
        return ap.load_campaigns(*args, client=client, **kwargs)

    with pytest.warns(ap.WorkspaceWarning, match="RuntimeError"):
        df = ws.run(flaky, *window)
    assert set(df["profile"].astype(str)) == {ws.profiles[1]}


def test_one_key_under_two_labels_warns(sb: Any) -> None:
    key = _key_of(sb, "Northwind Aesthetics Group")
    with pytest.warns(ap.WorkspaceWarning, match="one key under 2 labels"):
        Workspace({"Group": key, "Group again": key}, base_url=sb.url, cache=False)


def test_trend_infers_the_level_from_the_frame(sb: Any, cache_dir: Path, window: Window) -> None:
    ws = sb.workspace(cache_dir=cache_dir, progress=False)
    ads = ws.load_campaigns(*window, level="ad", limit=20)
    trend = ws.load_campaign_trend(ads.groupby("profile", observed=True).head(3), *window)
    assert len(trend) > 0
    assert set(trend["entity_id"]) <= set(ads["campaign_id"])


def test_top_performers_old_limit_name_still_works_with_a_warning(sb: Any, cache_dir: Path) -> None:
    ws = sb.workspace(cache_dir=cache_dir, progress=False)
    with pytest.warns(DeprecationWarning, match=r"top_performers\(top=\)") as caught:
        top = ws.top_performers(limit=5)
    assert caught[0].filename == __file__
    assert top["workspace_rank"].tolist() == [1, 2, 3, 4, 5]
    with pytest.raises(ap.ArgumentError, match="top"):
        ws.top_performers(top=0)


def test_creative_patterns_of_its_own_top_ads_does_not_warn(sb: Any, cache_dir: Path) -> None:
    # The deprecated limit= is the caller's to change: the workspace never uses it itself.
    ws = sb.workspace(cache_dir=cache_dir, progress=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        patterns = ws.creative_patterns()
    expected = ws.creative_patterns(ws.top_performers(top=50))
    pd.testing.assert_frame_equal(patterns, expected)
