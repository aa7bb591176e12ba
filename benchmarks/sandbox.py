"""How fast the sandbox is, against baselines timed in the same run (printed, never asserted).

1. Attribution of 1,000,000 conversions (about 4 touches each) by
   :func:`atribu_pandas.sandbox.attribution.attribute`, against the
   ``ChannelAttribution`` package's ``heuristic_models`` (first, last, linear) and the DP6
   ``marketing-attribution-models`` package's heuristics (first, last, linear,
   position-based, time decay). Every tool starts from the same touchpoint frame and is
   timed end to end: building its input (path strings and counts, or its session frame),
   running the models, and ending with credit per channel. Each competitor prepares its
   input once for all its models, so ours is timed through ``attribute_all`` (journeys
   found once for the models compared); single-model ``attribute`` times are printed too.
   The per-channel credits must agree up to float rounding. It runs twice: rows in random
   order and rows in time order (as a tracking log is written).
   Targets: at least 2x faster than ChannelAttribution, at least 5x faster than DP6.
2. Generation time of the sandbox profiles (target: the large profile in at most 2 s).
3. p50 latency of ``GET /api/v1/campaigns?level=ad&limit=100`` over loopback after
   warm-up (target: at most 20 ms).

The competitors are benchmark-only: never project dependencies. Install them in a
separate virtualenv together with the project::

    python3 -m venv /tmp/benchvenv
    /tmp/benchvenv/bin/pip install -e . channelattribution marketing-attribution-models matplotlib
    /tmp/benchvenv/bin/python benchmarks/sandbox.py

(``ChannelAttribution`` imports matplotlib without declaring it; DP6's package is its
Polars rewrite, version 2 and later, imported as ``mam``.) A competitor that
cannot be imported is skipped with the reason. Options: ``--conversions N``,
``--repeat R`` (best of R runs per tool), ``--sections 1 2 3``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import importlib.metadata
import io
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

# Run from a checkout without installing: the repository root holds the package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from atribu_pandas.sandbox.attribution import attribute, attribute_all

CHANNELS = ("meta", "google", "organic", "email", "referral", "direct")
CHANNEL_WEIGHTS = (0.30, 0.25, 0.15, 0.10, 0.05, 0.15)
OURS_TO_DP6 = {
    "first_touch": "run_first_click",
    "last_touch": "run_last_click",
    "linear": "run_linear",
    "position_based": "run_position_based",
    "time_decay": "run_time_decay",
}
OURS_TO_CA = {"first_touch": "first_touch", "last_touch": "last_touch", "linear": "linear_touch"}
# Credit sums of ~1e5 conversions per channel: float summation order differs between tools.
RELATIVE_TOLERANCE = 1e-9
CA_TARGET = 2.0
DP6_TARGET = 5.0
GENERATION_TARGET_S = 2.0
LATENCY_TARGET_MS = 20.0


def best_of(repeat: int, run: Callable[[], Any]) -> tuple[float, Any]:
    """Smallest wall time over `repeat` runs, and the last run's result."""
    best = float("inf")
    result: Any = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    return best, result


def make_touchpoints(n_conversions: int, seed: int) -> pd.DataFrame:
    """About 4 touches per conversion (1 + Poisson(3)), rows in random order.

    Touch times are distinct within a journey, so every tool sees the same order no
    matter how it breaks ties.
    """
    rng = np.random.default_rng(seed)
    sizes = 1 + rng.poisson(3.0, n_conversions)
    n = int(sizes.sum())
    conversion = np.repeat(np.arange(n_conversions, dtype=np.int64), sizes)
    ends = np.cumsum(sizes)
    # Seconds between consecutive touches (>= 1), so ages to the last touch are distinct.
    gaps = np.cumsum(rng.integers(1, 5 * 86_400, n))
    age_to_last = gaps[ends - 1][conversion] - gaps
    last_touch = rng.integers(0, 365 * 86_400, n_conversions)
    converted = last_touch + rng.integers(0, 2 * 86_400, n_conversions)
    epoch = pd.Timestamp("2025-01-01")
    channel_codes = rng.choice(len(CHANNELS), size=n, p=CHANNEL_WEIGHTS)
    frame = pd.DataFrame(
        {
            "conversion_id": conversion,
            "touched_at": epoch + pd.to_timedelta(last_touch[conversion] - age_to_last, unit="s"),
            "converted_at": epoch + pd.to_timedelta(converted[conversion], unit="s"),
            "channel": pd.Categorical.from_codes(channel_codes, categories=pd.Index(CHANNELS)),
        }
    )
    frame["is_direct"] = frame["channel"] == "direct"
    return frame.iloc[rng.permutation(n)].reset_index(drop=True)


def per_channel(shares: np.ndarray, channel: pd.Series) -> pd.Series:
    """Credit summed per channel (np.bincount on the category codes)."""
    categories = channel.cat.categories
    totals = np.bincount(channel.cat.codes.to_numpy(), weights=shares, minlength=len(categories))
    return pd.Series(totals, index=categories)


def ours(touchpoints: pd.DataFrame, models: tuple[str, ...]) -> dict[str, pd.Series]:
    """Shares per touch for several models (journeys found once), summed per channel."""
    shares = attribute_all(touchpoints, models)
    return {m: per_channel(shares[m].to_numpy(), touchpoints["channel"]) for m in models}


def ours_one(touchpoints: pd.DataFrame, model: str) -> pd.Series:
    """One model through the single-model function, summed per channel."""
    return per_channel(attribute(touchpoints, model).to_numpy(), touchpoints["channel"])


def channelattribution_paths(touchpoints: pd.DataFrame) -> pd.DataFrame:
    """ChannelAttribution's input: one row per distinct path string with its conversions.

    Built as fast as plain numpy and Python allow (np.lexsort, then one str.join per
    journey), which beats ``sort_values`` + ``groupby().agg(">".join)`` several times over.
    """
    order = np.lexsort(
        (touchpoints["touched_at"].to_numpy(), touchpoints["conversion_id"].to_numpy())
    )
    ids = touchpoints["conversion_id"].to_numpy()[order]
    channels = touchpoints["channel"].astype(object).to_numpy()[order].tolist()
    starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]]).tolist()
    ends = [*starts[1:], len(ids)]
    paths = pd.Series([">".join(channels[a:b]) for a, b in zip(starts, ends, strict=True)])
    return paths.value_counts().rename_axis("path").reset_index(name="total_conversions")


def channelattribution_run(ca: Any, touchpoints: pd.DataFrame) -> pd.DataFrame:
    """Path counts, then heuristic_models: per-channel first, last and linear credit."""
    counts = channelattribution_paths(touchpoints)
    with contextlib.redirect_stdout(io.StringIO()):  # it prints a banner on every call
        result = ca.heuristic_models(counts, "path", "total_conversions", flg_pro=False)
    return pd.DataFrame(result).set_index("channel_name")


def dp6_prepare(mam_class: Any, touchpoints: pd.DataFrame) -> Any:
    """DP6's session format: one row per touch with a conversion flag."""
    sessions = touchpoints[["conversion_id", "touched_at", "channel"]].assign(converted=True)
    return mam_class(
        df=sessions,
        format_type="session",
        channels_colname="channel",
        journey_with_conv_colname="converted",
        datetime_colname="touched_at",
        user_id_colname="conversion_id",
    )


def dp6_credit(result: Any) -> pd.Series:
    frame = result.to_pandas()
    return frame.set_index(frame["channels"].astype(str))["attribution"]


def agreement(mine: pd.Series, theirs: pd.Series) -> tuple[bool, float]:
    """Whether per-channel credits match, and the largest relative difference."""
    mine = mine.copy()
    mine.index = mine.index.astype(str)
    theirs = theirs.copy()
    theirs.index = theirs.index.astype(str)
    joined = pd.concat([mine.rename("ours"), theirs.rename("theirs")], axis=1).fillna(0.0)
    scale = joined["ours"].abs().clip(lower=1.0)
    rel = ((joined["ours"] - joined["theirs"]).abs() / scale).max()
    return bool(rel <= RELATIVE_TOLERANCE), float(rel)


def version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "?"


def verdict(ratio: float, target: float) -> str:
    return f"target >= {target:g}x: {'met' if ratio >= target else 'MISSED'}"


def section_attribution(n_conversions: int, repeat: int, seed: int) -> None:
    print(f"== 1. Attribution of {n_conversions:,} conversions")
    start = time.perf_counter()
    shuffled = make_touchpoints(n_conversions, seed)
    print(
        f"touchpoint frame: {len(shuffled):,} touches "
        f"({len(shuffled) / n_conversions:.2f} per conversion), "
        f"built in {time.perf_counter() - start:.2f} s"
    )
    # A tracking log is appended in time order; rows in random order are the worst case.
    by_time = shuffled.sort_values("touched_at", kind="stable", ignore_index=True)
    for label, touchpoints in (("rows in random order", shuffled), ("rows in time order", by_time)):
        print(f"-- {label}")
        compare(touchpoints, repeat)


def compare(touchpoints: pd.DataFrame, repeat: int) -> None:
    """Time ours and each importable competitor on one frame; check per-channel agreement."""
    for model in OURS_TO_DP6:
        seconds, _ = best_of(repeat, functools.partial(ours_one, touchpoints, model))
        print(f"  atribu-pandas attribute({model!r}) + per-channel sum: {seconds:.3f} s")

    try:
        with contextlib.redirect_stdout(io.StringIO()):  # it prints a banner on import
            import ChannelAttribution as ca
    except ImportError as error:
        print(f"  ChannelAttribution: skipped, not importable ({error}); see the docstring")
    else:
        models = tuple(OURS_TO_CA)
        mine_seconds, mine = best_of(repeat, functools.partial(ours, touchpoints, models))
        ca_seconds, ca_result = best_of(repeat, lambda: channelattribution_run(ca, touchpoints))
        ratio = ca_seconds / mine_seconds
        print(
            f"  ChannelAttribution {version('channelattribution')} heuristic_models "
            f"(paths + counts + first/last/linear): {ca_seconds:.3f} s; "
            f"atribu-pandas attribute_all(first/last/linear): {mine_seconds:.3f} s; "
            f"ratio {ratio:.1f}x ({verdict(ratio, CA_TARGET)})"
        )
        for model, column in OURS_TO_CA.items():
            print(f"    {model:<15} {describe(agreement(mine[model], ca_result[column]))}")

    try:
        from mam import MAM
    except ImportError as error:
        print(
            f"  DP6 marketing-attribution-models: skipped, not importable ({error}); "
            "it needs version 2 or later (module mam), see the docstring"
        )
        return

    def dp6_all() -> tuple[float, dict[str, pd.Series]]:
        start = time.perf_counter()
        session = dp6_prepare(MAM, touchpoints)
        prepare = time.perf_counter() - start
        return prepare, {m: dp6_credit(getattr(session, run)()) for m, run in OURS_TO_DP6.items()}

    models = tuple(OURS_TO_DP6)
    mine_seconds, mine = best_of(repeat, functools.partial(ours, touchpoints, models))
    dp6_seconds, (prepare, credits) = best_of(repeat, dp6_all)
    ratio = dp6_seconds / mine_seconds
    print(
        f"  DP6 marketing-attribution-models {version('marketing-attribution-models')} "
        f"(session frame {prepare:.3f} s + 5 heuristics): {dp6_seconds:.3f} s; "
        f"atribu-pandas attribute_all(same 5): {mine_seconds:.3f} s; "
        f"ratio {ratio:.1f}x ({verdict(ratio, DP6_TARGET)})"
    )
    for model, credit in credits.items():
        print(f"    {model:<15} {describe(agreement(mine[model], credit))}")


def describe(result: tuple[bool, float]) -> str:
    same, rel = result
    word = "identical per channel" if same else "DIFFERENT per channel"
    return f"{word} (largest relative difference {rel:.1e})"


def section_generation(repeat: int, seed: int) -> None:
    print("== 2. Profile generation")
    try:
        from atribu_pandas.sandbox import dataset
    except ImportError as error:
        print(f"not available yet ({error})")
        return
    today = dt.datetime.now(dt.UTC).date()
    seconds, profiles = best_of(repeat, lambda: dataset.build_profiles(seed=seed, today=today))
    sizes = ", ".join(f"{p.profile.size}: {len(p.daily):,} ad-days" for p in profiles[:2])
    print(f"build_profiles, every profile ({sizes}): {seconds:.3f} s")
    # The large profile alone, through the dataset's own per-profile builder when it has one.
    build_one = getattr(dataset, "_build", None)
    large_plan = getattr(dataset, "_LARGE", None)
    if build_one is not None and large_plan is not None:
        seconds, _ = best_of(repeat, lambda: build_one(seed, 1, large_plan, today))
        label = "large profile alone"
    else:
        label = "every profile (an upper bound for the large one)"
    met = "met" if seconds <= GENERATION_TARGET_S else "MISSED"
    print(f"{label}: {seconds:.3f} s (target <= {GENERATION_TARGET_S:g} s: {met})")


def section_latency(requests_count: int) -> None:
    print("== 3. /api/v1/campaigns latency over loopback")
    try:
        import requests

        from atribu_pandas import sandbox
    except ImportError as error:
        print(f"not available yet ({error})")
        return
    if not hasattr(sandbox, "start"):
        print("not available yet (atribu_pandas.sandbox.start is missing)")
        return
    start = time.perf_counter()
    try:
        sb = sandbox.start(rate_limit=1_000_000)
    except ImportError as error:  # a module the server needs is not there yet
        print(f"not available yet ({error})")
        return
    with sb, requests.Session() as session:
        print(f"sandbox started in {time.perf_counter() - start:.2f} s at {sb.url}")
        last = sb.last_day
        params: dict[str, str | int] = {
            "level": "ad",
            "limit": 100,
            "date_from": (last - dt.timedelta(days=29)).isoformat(),
            "date_to": last.isoformat(),
        }
        session.headers["Authorization"] = f"Bearer {sb.api_key}"
        url = f"{sb.url}/api/v1/campaigns"
        for _ in range(20):  # warm-up: connection, caches, first-call imports
            session.get(url, params=params).raise_for_status()
        timings = []
        rows = 0
        for _ in range(requests_count):
            t0 = time.perf_counter()
            response = session.get(url, params=params)
            timings.append((time.perf_counter() - t0) * 1000)
            response.raise_for_status()
            rows = len(response.json()["data"])
    p50 = statistics.median(timings)
    p90 = statistics.quantiles(timings, n=10)[-1]
    print(
        f"GET /api/v1/campaigns?level=ad&limit=100 (30-day window, {rows} rows): "
        f"p50 {p50:.1f} ms, p90 {p90:.1f} ms over {requests_count} requests "
        f"(target p50 <= {LATENCY_TARGET_MS:g} ms: "
        f"{'met' if p50 <= LATENCY_TARGET_MS else 'MISSED'})"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversions", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=2, help="best of R runs per tool")
    parser.add_argument("--requests", type=int, default=200, help="timed requests in section 3")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--sections", type=int, nargs="+", default=[1, 2, 3], choices=[1, 2, 3])
    args = parser.parse_args(argv)
    print(f"python {sys.version.split()[0]}, pandas {pd.__version__}, numpy {np.__version__}")
    if 1 in args.sections:
        section_attribution(args.conversions, args.repeat, args.seed)
    if 2 in args.sections:
        section_generation(args.repeat, args.seed)
    if 3 in args.sections:
        section_latency(args.requests)


if __name__ == "__main__":
    main()
