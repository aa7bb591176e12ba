"""A workspace's loads: one call per profile, concurrently, joined in one frame.

:func:`across` gives each workspace method its loader's own signature, and
:func:`check_call` refuses arguments the loader cannot take before any profile is asked.

Each profile's frame gets ``profile`` (the label) and ``profile_id`` (from its answer's
``meta``); a profile that failed is a :class:`ProfileFailure` in ``attrs["failed"]``.
"""

from __future__ import annotations

import dataclasses
import inspect
import re
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any

import pandas as pd

from atribu_pandas.client.cancellation import Cancellation, joined
from atribu_pandas.client.client import Client
from atribu_pandas.exceptions import ArgumentError, AtribuError, WorkspaceWarning, warn_caller

__all__ = [
    "MAX_PROFILE_WORKERS",
    "ProfileFailure",
    "across",
    "check_call",
    "ids_by_profile",
    "make_clients",
    "run_per_profile",
]

# Profiles loaded at once: each has its own rate budget, so only threads bound this.
MAX_PROFILE_WORKERS = 32


@dataclass(frozen=True)
class ProfileFailure:
    """A profile whose load failed: its label, the error's type and text, its request id."""

    profile: str
    error: str
    message: str
    request_id: str | None


def make_clients(
    keys: Any, currencies: Mapping[str, str] | None, options: dict[str, Any]
) -> dict[str, Client]:
    """One :class:`Client` per label, each with its profile's currency; keys checked,
    and one key under two labels said (each load would ask its profile twice)."""
    if not isinstance(keys, Mapping) or not keys:
        raise ArgumentError("keys", type(keys).__name__, "a non-empty mapping of label to key")
    currencies = dict(currencies or {})
    unknown = sorted(set(currencies) - set(keys))
    if unknown:
        raise ArgumentError("currencies", unknown, "labels of the workspace: " + ", ".join(keys))
    clients: dict[str, Client] = {}
    for label, key in keys.items():
        if not isinstance(label, str) or not label.strip():
            raise ArgumentError("keys", repr(label), "labels that are non-empty strings")
        if not isinstance(key, str) or not key.strip():
            # The value is a key (or not one): name the label, never show the value.
            raise ArgumentError(f"keys[{label!r}]", "(hidden)", "a non-empty API key string")
        own = {"currency": currencies[label]} if label in currencies else {}
        clients[label] = Client(key, **(options | own))
    labels_of: dict[str, list[str]] = {}
    for label, key in keys.items():
        labels_of.setdefault(key.strip(), []).append(label)
    for labels in labels_of.values():
        if len(labels) > 1:
            warn_caller(
                f"the workspace has one key under {len(labels)} labels ({', '.join(labels)}):"
                " each of its loads will ask for the same profile that many times",
                WorkspaceWarning,
            )
    return clients


_STRICT = """strict : bool, optional
    Override the workspace's ``strict``: True raises when any profile fails."""
_ACROSS_RETURNS = """Returns
-------
pandas.DataFrame
    ``profile`` (categorical, in the workspace's order), ``profile_id``, then the
    loader's columns; see :meth:`~atribu_pandas.Workspace.run`."""
# A numpydoc section: a title line, then a line of dashes.
_SECTION = re.compile(r"^(\w[\w ]*)\n-+\n", re.M)


def across(loader: Callable[..., pd.DataFrame]) -> Callable[[Any], Any]:
    """Give a workspace method the loader's own signature and parameters' descriptions
    (without ``client``, with ``strict``), so help(), the reference and the argument check
    all follow the loader, never a copy. The method's own docstring holds its summary and
    examples."""

    def decorate(method: Any) -> Any:
        signature = inspect.signature(loader)
        parameters = [
            inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD),
            *(p for name, p in signature.parameters.items() if name != "client"),
            inspect.Parameter("strict", inspect.Parameter.KEYWORD_ONLY, default=None),
        ]
        method.__signature__ = signature.replace(parameters=parameters)
        own = _sections(method.__doc__ or "")
        described = [
            entry
            for entry in re.split(r"\n(?=\S)", _sections(loader.__doc__ or "")["Parameters"])
            if not entry.startswith("client ")
        ]
        method.__doc__ = "\n\n".join(
            [
                own[""],
                "Parameters\n----------\n" + "\n".join([*described, _STRICT]),
                _ACROSS_RETURNS,
                "Examples\n--------\n" + own["Examples"] + "\n",
            ]
        )
        return method

    return decorate


def _sections(doc: str) -> dict[str, str]:
    """A numpydoc docstring's sections by title (``""``: the summary before them)."""
    text = inspect.cleandoc(doc)
    parts = _SECTION.split(text)
    sections = {"": parts[0].strip()}
    for title, body in zip(parts[1::2], parts[2::2], strict=True):
        sections[title] = body.strip()
    return sections


def check_call(loader: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Refuse arguments the loader cannot take, once, before any profile is asked."""
    try:
        inspect.signature(loader).bind(*args, client=None, **kwargs)
    except TypeError as error:
        name = getattr(loader, "__name__", "the loader")
        raise ArgumentError(
            "arguments", f"{len(args)} positional, {sorted(kwargs)}", f"what {name} takes ({error})"
        ) from None


def ids_by_profile(entity_ids: Any, profiles: list[str]) -> dict[str, Any]:
    """Each profile's own ids for a trend: from a workspace frame (its ``profile`` and
    ``campaign_id`` columns) or a mapping of label to ids; refuse a label not in
    ``profiles``.

    Examples
    --------
    >>> ids_by_profile({"Clinic A": ["c1"]}, ["Clinic A", "Group B"])
    {'Clinic A': ['c1']}
    """
    if isinstance(entity_ids, pd.DataFrame):
        missing = [c for c in ("profile", "campaign_id") if c not in entity_ids.columns]
        if missing:
            raise AtribuError(
                f"Workspace.load_campaign_trend needs columns {missing} in entity_ids; "
                "pass rows of Workspace.load_campaigns or a mapping of label to ids"
            )
        by_profile: dict[str, Any] = {
            str(label): ids["campaign_id"]
            for label, ids in entity_ids.groupby("profile", observed=True, sort=False)
        }
    elif isinstance(entity_ids, Mapping):
        by_profile = {str(k): v for k, v in entity_ids.items()}
    else:
        raise ArgumentError(
            "entity_ids",
            type(entity_ids).__name__,
            "a workspace frame or a mapping of label to ids",
        )
    unknown = [label for label in by_profile if label not in profiles]
    if unknown:
        raise ArgumentError("entity_ids", unknown, "profiles of " + ", ".join(profiles))
    return by_profile


def run_per_profile(
    calls: Mapping[str, Callable[[], pd.DataFrame]], strict: bool, profiles: list[str]
) -> pd.DataFrame:
    """Run one call per profile concurrently and join the answers in one frame.

    A failing profile is kept as a :class:`ProfileFailure` (a warning names it) unless
    ``strict`` or none answered (an ExceptionGroup); a refused argument, the same for
    every profile, is raised once.
    """
    if not calls:
        raise ArgumentError("entity_ids", "(none)", "at least one profile to load")
    cancellation = Cancellation()

    def one(call: Callable[[], pd.DataFrame]) -> pd.DataFrame:
        with joined(cancellation):
            return call()

    pool = ThreadPoolExecutor(max_workers=min(MAX_PROFILE_WORKERS, len(calls)))
    futures = {label: pool.submit(one, call) for label, call in calls.items()}
    outcomes: dict[str, pd.DataFrame | BaseException] = {}
    try:
        for label, future in futures.items():
            try:
                outcomes[label] = future.result()
            except Exception as error:  # of any kind: the other profiles still count
                outcomes[label] = error
    except BaseException:
        # Ctrl-C: every profile's load stops (their own cancellations are children).
        cancellation.cancel()
        pool.shutdown(wait=False, cancel_futures=True)
        wait([f for f in futures.values() if not f.cancelled()], timeout=0.5)
        raise
    pool.shutdown(wait=True)
    # The same arguments went to every profile: a refused one is one mistake, said once.
    refused = [e for e in outcomes.values() if isinstance(e, ArgumentError)]
    if refused:
        raise refused[0]
    return _join(outcomes, strict, profiles)


def _join(
    outcomes: dict[str, pd.DataFrame | BaseException], strict: bool, profiles: list[str]
) -> pd.DataFrame:
    frames = {k: v for k, v in outcomes.items() if isinstance(v, pd.DataFrame)}
    errors = {k: v for k, v in outcomes.items() if isinstance(v, BaseException)}
    failures = [
        ProfileFailure(
            label,
            type(error).__name__,
            str(error),
            getattr(error, "request_id", None),
        )
        for label, error in errors.items()
    ]
    if errors and (strict or not frames):
        failed = ", ".join(_describe(f) for f in failures)
        raise ExceptionGroup(
            f"{len(errors)} of {len(outcomes)} workspace profiles failed: {failed}",
            [e for e in errors.values() if isinstance(e, Exception)],
        )
    if errors:
        warn_caller(
            f"{len(errors)} of {len(outcomes)} workspace profiles failed and are left out: "
            + "; ".join(_describe(f) for f in failures),
            WorkspaceWarning,
        )
    parts = []
    for label, frame in frames.items():
        meta = frame.attrs.get("atribu", {}).get("meta", {})
        part = frame.copy()
        part.insert(
            0, "profile_id", pd.Series([meta.get("profile_id")] * len(part), dtype="string")
        )
        part.insert(0, "profile", label)
        parts.append(part)
    out = _concat(parts)
    out["profile"] = pd.Categorical(out["profile"], categories=profiles)
    out.attrs["atribu"] = {
        "workspace": profiles,
        "profiles": {label: f.attrs.get("atribu", {}) for label, f in frames.items()},
        "request_ids": [
            rid for f in frames.values() for rid in f.attrs.get("atribu", {}).get("request_ids", [])
        ],
        "failed": [dataclasses.asdict(f) for f in failures],
        "demo": all(f.attrs.get("atribu", {}).get("demo", False) for f in frames.values()),
        "fetched_at": min(
            (
                str(f.attrs["atribu"]["fetched_at"])
                for f in frames.values()
                if f.attrs.get("atribu", {}).get("fetched_at")
            ),
            default=None,
        ),
        "from_cache": all(
            f.attrs.get("atribu", {}).get("from_cache", False) for f in frames.values()
        ),
    }
    codes = {label: f.attrs.get("atribu", {}).get("currency") for label, f in frames.items()}
    if len(set(codes.values())) == 1:
        out.attrs["atribu"]["currency"] = next(iter(codes.values()))
    else:
        # Each row's currency follows from its profile (frames.provenance.currency_of).
        out.attrs["atribu"]["currencies"] = codes
    first = next(iter(frames.values())).attrs.get("atribu", {})
    for key in ("endpoint", "params", "meta", "quality", "periods", "comparison"):
        if key in first:
            out.attrs["atribu"][key] = first[key]
    if "meta" in out.attrs["atribu"]:
        out.attrs["atribu"]["meta"] = {
            k: v for k, v in out.attrs["atribu"]["meta"].items() if k != "profile_id"
        }
    return out


def _describe(failure: ProfileFailure) -> str:
    rid = f", request id {failure.request_id}" if failure.request_id else ""
    return f"{failure.profile} ({failure.error}{rid})"


def _concat(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Stack frames; a categorical column stays categorical with the union of categories."""
    categorical = {
        c
        for c in parts[0].columns
        if all(isinstance(p[c].dtype, pd.CategoricalDtype) for p in parts if c in p.columns)
    }
    for c in categorical:
        cats = list(dict.fromkeys(x for p in parts if c in p.columns for x in p[c].cat.categories))
        ordered = bool(parts[0][c].cat.ordered)
        for p in parts:
            if c in p.columns:
                p[c] = p[c].cat.set_categories(cats, ordered=ordered)
    return pd.concat(parts, ignore_index=True)
