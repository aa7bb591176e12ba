"""The exception tree and the one place that maps requests' failures onto it."""

from __future__ import annotations

import inspect

import pytest
import requests
import urllib3.exceptions

import atribu_pandas as ap
from atribu_pandas import exceptions as exc
from atribu_pandas.client.http_errors import error_from_exception, error_from_response


def _all_subclasses(cls: type) -> set[type]:
    out = set()
    for sub in cls.__subclasses__():
        out |= {sub} | _all_subclasses(sub)
    return out


def _requests_exceptions() -> list[type[requests.RequestException]]:
    found = {
        obj
        for _, obj in inspect.getmembers(requests.exceptions, inspect.isclass)
        if issubclass(obj, requests.RequestException)
    }
    return sorted(found | _all_subclasses(requests.RequestException), key=lambda c: c.__name__)


def _instance(cls: type[requests.RequestException]) -> requests.RequestException:
    if issubclass(cls, requests.exceptions.JSONDecodeError):
        return cls("Expecting value", "doc", 0)
    return cls("boom")


@pytest.mark.parametrize("cls", _requests_exceptions(), ids=lambda c: c.__name__)
def test_every_requests_exception_is_mapped(cls: type[requests.RequestException]) -> None:
    error = error_from_exception(_instance(cls), "http://127.0.0.1:9/api/v1/campaigns")
    assert isinstance(error, exc.AtribuError)
    assert error.url == "http://127.0.0.1:9/api/v1/campaigns"
    assert "127.0.0.1:9" in str(error)


def test_the_mapping_covers_a_real_number_of_exceptions() -> None:
    # Guards the parametrisation above against silently finding nothing.
    assert len(_requests_exceptions()) >= 15


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (requests.ConnectTimeout("t"), exc.AtribuTimeoutError),
        (requests.ReadTimeout("t"), exc.AtribuTimeoutError),
        (
            requests.ConnectionError(
                urllib3.exceptions.MaxRetryError(
                    None,  # type: ignore[arg-type]
                    "/x",
                    urllib3.exceptions.ReadTimeoutError(None, "/x", "read timed out"),  # type: ignore[arg-type]
                )
            ),
            exc.AtribuTimeoutError,
        ),
        (requests.ConnectionError("refused"), exc.AtribuConnectionError),
        (requests.exceptions.SSLError("tls"), exc.AtribuConnectionError),
        (requests.exceptions.RetryError("too many"), exc.AtribuConnectionError),
        (requests.exceptions.ChunkedEncodingError("cut"), exc.TransportError),
        (requests.exceptions.ContentDecodingError("gzip"), exc.ResponseError),
        (requests.exceptions.InvalidURL("bad"), exc.TransportError),
    ],
)
def test_specific_mappings(error: requests.RequestException, expected: type) -> None:
    assert type(error_from_exception(error, "http://h/x")) is expected


def test_timeout_and_connection_errors_are_also_builtin_ones() -> None:
    assert issubclass(exc.AtribuTimeoutError, TimeoutError)
    assert issubclass(exc.AtribuConnectionError, ConnectionError)


def _response(status: int, body: bytes, headers: dict[str, str] | None = None) -> requests.Response:
    r = requests.Response()
    r.status_code = status
    r._content = body
    r.url = "http://127.0.0.1:1/api/v1/campaigns?date_from=2026-03-01"
    r.headers.update(headers or {})
    r.reason = "Reason"
    return r


@pytest.mark.parametrize(
    ("status", "code", "cls"),
    [
        (400, "invalid_parameter", exc.BadRequestError),
        (400, "invalid_date_range", exc.BadRequestError),
        (401, "unauthorized", exc.AuthenticationError),
        (403, "insufficient_scope", exc.PermissionDeniedError),
        (404, "not_found", exc.NotFoundError),
        (429, "rate_limit_exceeded", exc.RateLimitError),
        (500, "internal_error", exc.ServerError),
        (503, "internal_error", exc.ServerError),
        (418, "teapot", exc.APIError),
    ],
)
def test_error_envelopes(status: int, code: str, cls: type[exc.APIError]) -> None:
    body = (
        f'{{"error": {{"code": "{code}", "message": "Bad thing", "status": {status}, '
        f'"request_id": "req_body"}}}}'
    ).encode()
    error = error_from_response(_response(status, body, {"X-Request-Id": "req_header"}))
    assert type(error) is cls
    assert (error.status, error.code, error.message) == (status, code, "Bad thing")
    # The body's request id wins; str() leads with it.
    assert error.request_id == "req_body"
    assert str(error).startswith("[request_id=req_body] ")
    assert error.url and error.url.startswith("http://127.0.0.1:1/")


def test_error_without_envelope_keeps_status_header_id_and_body_start() -> None:
    error = error_from_response(
        _response(502, b"<html>Bad gateway</html>", {"X-Request-Id": "req_h"})
    )
    assert isinstance(error, exc.ServerError)
    assert error.code == "http_502"
    assert error.request_id == "req_h"
    assert "Bad gateway" in str(error)


def test_retry_after_is_carried() -> None:
    error = error_from_response(
        _response(
            429, b'{"error": {"code": "rate_limit_exceeded", "message": "m"}}', {"Retry-After": "7"}
        )
    )
    assert error.retry_after == 7.0


def test_every_exception_is_exported_and_rooted() -> None:
    for name in exc.__all__:
        obj = getattr(exc, name)
        if name in ("warn_caller", "warn_once_per_frame", "warn_renamed"):
            continue  # the module's helpers, for the package's own warnings
        if issubclass(obj, Warning):
            assert issubclass(obj, UserWarning), name
        else:
            assert issubclass(obj, exc.AtribuError), name
        assert getattr(ap, name) is obj, f"atribu_pandas does not export {name}"


def test_package_all_is_complete() -> None:
    from atribu_pandas.core import vocabulary
    from atribu_pandas.loaders import endpoints as loaders

    assert len(set(ap.__all__)) == len(ap.__all__)
    helpers = {"warn_caller", "warn_once_per_frame", "warn_renamed"}
    expected = (set(exc.__all__) - helpers) | set(loaders.__all__)
    expected |= {"MODELS", "LEVELS", "WINDOWS", "vocabulary"}
    assert expected <= set(ap.__all__)
    for name in ap.__all__:
        assert getattr(ap, name) is not None
    assert ap.MODELS == vocabulary.MODELS


def _every_error() -> list[Exception]:
    import pandas as pd

    from atribu_pandas import exceptions as e

    cases = pd.DataFrame({"column": ["spend"], "check": ["ge"], "failure_case": [-1.0]})
    return [
        e.AtribuError("base", request_id="req_1", url="http://h/x"),
        e.ConfigurationError("no key"),
        e.ArgumentError("limit", 500, "a whole number from 1 to 100"),
        e.APIError("refused", status=400, code="invalid_parameter", request_id="req_2"),
        e.BadRequestError("bad", status=400, code="invalid_parameter"),
        e.AuthenticationError("who", status=401, code="unauthorized"),
        e.PermissionDeniedError("no", status=403, code="insufficient_scope"),
        e.NotFoundError("none", status=404, code="not_found"),
        e.RateLimitError("slow down", status=429, code="rate_limit_exceeded", retry_after=2.5),
        e.ServerError("oops", status=500, code="internal_error"),
        e.TransportError("lost"),
        e.AtribuTimeoutError("late", url="http://h"),
        e.AtribuConnectionError("refused"),
        e.ResponseError("not json", request_id="req_3"),
        e.SchemaError("drift", schema="Campaigns", failure_cases=cases, request_id="req_4"),
        e.ReportError("cell failed", cell=3, notebook_path="/tmp/x.ipynb"),
    ]


@pytest.mark.parametrize("error", _every_error(), ids=lambda x: type(x).__name__)
def test_every_error_pickles_and_comes_back_equal(error: Exception) -> None:
    import pickle

    again = pickle.loads(pickle.dumps(error))
    assert type(again) is type(error)
    assert again == error
    assert str(again) == str(error) and repr(again) == repr(error)
    assert vars(again).keys() == vars(error).keys()


def test_an_error_raised_in_a_worker_process_arrives_as_itself() -> None:
    from concurrent.futures import ProcessPoolExecutor

    import atribu_pandas as ap

    with ProcessPoolExecutor(max_workers=1) as pool, pytest.raises(ap.ArgumentError) as info:
        pool.submit(ap.load_campaigns, "2026-03-01", "2026-03-25", limit=500).result()
    assert info.value.argument == "limit" and info.value.value == 500


def test_every_warning_lives_in_exceptions_and_shares_one_base() -> None:
    import ast
    from pathlib import Path

    root = Path(ap.__file__).parent
    defined: dict[str, str] = {}
    calls: list[str] = []
    for path in root.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and node.name.endswith("Warning"):
                defined[node.name] = str(path.relative_to(root))
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "warn"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "warnings"
            ):
                calls.append(f"{path.relative_to(root)}:{node.lineno}")
    # One home for the classes, one way to raise them (the user's line, the key masked).
    assert set(defined.values()) == {"exceptions/warnings.py"}, defined
    assert len(calls) == 1 and calls[0].startswith("exceptions/warnings.py:"), calls
    for name in defined:
        cls = getattr(exc, name)
        assert issubclass(cls, exc.AtribuWarning) and issubclass(cls, UserWarning), name
        assert getattr(ap, name) is cls, f"ap.{name}"
    assert len(defined) >= 14


def test_the_old_transport_error_names_still_work_and_say_so() -> None:
    import builtins

    for old, new in [
        ("TimeoutError", "AtribuTimeoutError"),
        ("ConnectionError", "AtribuConnectionError"),
    ]:
        for module in (ap, exc):
            with pytest.warns(
                DeprecationWarning, match=rf"atribu_pandas\.{old} is deprecated.*{new}"
            ):
                assert getattr(module, old) is getattr(exc, new)
        # A star import no longer shadows Python's own exception.
        assert old not in ap.__all__ and old not in exc.__all__
        assert issubclass(getattr(exc, new), getattr(builtins, old))
