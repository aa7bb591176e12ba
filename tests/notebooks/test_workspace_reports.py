"""One report per client (`report TEMPLATE --workspace`): reused kernels, failures, index.

Each batch runs real kernels against a sandbox pinned to one day. The figures a test
expects come from the sandbox's answers loaded directly, outside any kernel.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import re
import stat
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import atribu_pandas as ap
from atribu_pandas.cli import main
from atribu_pandas.exceptions import ArgumentError, ReportError
from atribu_pandas.reports import batch as batch_module
from atribu_pandas.reports import kernel
from atribu_pandas.reports.batch import render_workspace
from atribu_pandas.reports.settings import read_settings
from tests.renders import CLI, ROOT

pytestmark = pytest.mark.xdist_group("workspace")

TODAY = dt.date(2026, 11, 30)
WINDOW = ("2026-11-02", "2026-11-29")
BOGUS = "atb_test_00000000000000000000deadbeef"
BIG, SMALL = "Northwind Aesthetics Group", "Bright Smile Dental"

# A template that loads nothing heavy: it says what it finds left in the kernel, then
# leaves marks of its own for the next client to find.
PROBE = """# %% [markdown]
# # Probe

# %% tags=["parameters"]
client_name = ""  # who
locale = "en_US"  # formats

# %%
import atribu_pandas as ap
from atribu_pandas.core.language import active_language
from atribu_pandas.reports.helpers import current
marks = sorted(k for k in globals() if k.startswith("mark_"))
print("seen", marks, "context", repr(current().client_name), "language", active_language())
print("fingerprint", ap.default_client().key_fingerprint)
import os
print("keys in the environment", sorted(k for k, v in os.environ.items() if "atb_" in v))
df = ap.load_campaigns("2026-11-02", "2026-11-29", level="campaign")
print("spend", round(float(df["spend"].sum()), 2))

# %%
from atribu_pandas import reports
reports.setup("Probe", client_name=client_name, locale=locale, show=False)
globals()["mark_" + client_name.split()[0].lower()] = 1
"""


@pytest.fixture(scope="module")
def pinned() -> Iterator[Any]:
    sb = ap.sandbox.start(seed=0, rate_limit=100_000, today=TODAY)
    yield sb
    sb.stop()


@pytest.fixture
def env(pinned: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, str]:
    monkeypatch.setenv("ATRIBU_TODAY", TODAY.isoformat())
    monkeypatch.setenv("ATRIBU_BASE_URL", pinned.url)
    monkeypatch.setenv("ATRIBU_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("ATRIBU_API_KEY", raising=False)
    monkeypatch.delenv("ATRIBU_API_KEYS", raising=False)
    return dict(os.environ)


@pytest.fixture
def kernel_starts(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One entry per kernel a test's batch starts."""
    starts: list[int] = []
    real_start = kernel.start_kernel

    def counted(*args: Any) -> Any:
        starts.append(1)
        return real_start(*args)

    monkeypatch.setattr(kernel, "start_kernel", counted)
    return starts


def _spend(sb: Any, key: str) -> float:
    frame = ap.load_campaigns(*WINDOW, level="campaign", client=sb.client(api_key=key))
    return round(float(frame["spend"].sum()), 2)


def _lines(notebook: Path) -> str:
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    return "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))


def test_two_clients_on_one_kernel_share_nothing(
    pinned: Any, env: dict[str, str], tmp_path: Path, kernel_starts: list[int]
) -> None:
    template = tmp_path / "probe.py"
    template.write_text(PROBE)
    keys = pinned.workspace_keys()
    settings = tmp_path / "clients.toml"
    settings.write_text(f'[clients."{BIG}"]\nlocale = "de_DE"\n')
    done = render_workspace(
        template,
        keys={BIG: keys[BIG], SMALL: keys[SMALL]},
        settings=settings,
        output_dir=tmp_path / "out",
        jobs=1,
        progress=False,
    )
    assert len(kernel_starts) == 1 and done.failed == []
    first, second = (_lines(c.report.notebook) for c in done.clients if c.report)
    from atribu_pandas.client.cache import key_fingerprint

    # The first client found a bare kernel; the second found none of the first's marks,
    # context or language, and its own key.
    assert "seen [] context '' language en" in first
    assert "seen [] context '' language en" in second
    assert f"fingerprint {key_fingerprint(keys[BIG])}" in first
    assert f"fingerprint {key_fingerprint(keys[SMALL])}" in second
    # Each kernel holds the current client's key only: never the next one's, nor a list.
    assert "keys in the environment ['ATRIBU_API_KEY']" in first
    assert "keys in the environment ['ATRIBU_API_KEY']" in second
    assert f"spend {_spend(pinned, keys[BIG])}" in first
    assert f"spend {_spend(pinned, keys[SMALL])}" in second


def test_the_second_client_report_holds_none_of_the_first_clients_figures(
    pinned: Any, env: dict[str, str], tmp_path: Path
) -> None:
    keys = pinned.workspace_keys()
    done = render_workspace(
        "campaign_performance",
        keys={BIG: keys[BIG], SMALL: keys[SMALL]},
        output_dir=tmp_path / "out",
        jobs=1,
        progress=False,
    )
    assert done.failed == []
    big_rows = ap.load_campaigns(*WINDOW, level="campaign", client=pinned.client(api_key=keys[BIG]))
    small_rows = ap.load_campaigns(
        *WINDOW, level="campaign", client=pinned.client(api_key=keys[SMALL])
    )
    only_big = set(big_rows["campaign_name"]) - set(small_rows["campaign_name"])
    assert only_big, "the two profiles must differ for this test to mean anything"
    small_page = done.clients[1].html.read_text()
    assert SMALL in small_page
    leaked = [name for name in only_big if name in small_page]
    assert leaked == [] and BIG not in small_page
    big_total = f"${round(big_rows['spend'].sum()):,}"
    assert big_total in done.clients[0].html.read_text() and big_total not in small_page
    # The index states each client's spend as its own rows add up (whole dollars here).
    index = done.index.read_text()
    for name, rows in [(BIG, big_rows), (SMALL, small_rows)]:
        row = re.search(rf">{re.escape(name)}</a></td>(.*?)</tr>", index)
        assert row is not None
        first_amount = re.search(r"\$([\d,.]+)", row.group(1))
        assert first_amount is not None
        assert float(first_amount.group(1).replace(",", "")) == pytest.approx(
            rows["spend"].sum(), abs=0.5
        )


def test_a_client_whose_key_fails_gets_one_page_and_the_batch_goes_on(
    pinned: Any, env: dict[str, str], tmp_path: Path
) -> None:
    import subprocess

    template = tmp_path / "probe.py"
    template.write_text(PROBE)
    keys = pinned.workspace_keys()
    run_env = env | {"ATRIBU_API_KEYS": f"Bogus Clinic={BOGUS},{SMALL}={keys[SMALL]}"}
    out = tmp_path / "out"
    started = time.monotonic()
    result = subprocess.run(
        [*CLI, "report", str(template), "--workspace", "-o", str(out)],
        env=run_env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert time.monotonic() - started < 120
    assert result.returncode == 10 + 1, result.stderr
    assert result.stdout.strip() == str(out / "index.html")
    assert "failed: Bogus Clinic" in result.stderr and "1/2 clients" in result.stderr
    bogus = (out / "bogus-clinic.html").read_text()
    assert "This report could not be made" in bogus and "401" in bogus
    assert "spend" in (out / "bright-smile-dental.executed.ipynb").read_text()
    index = (out / "index.html").read_text()
    assert 'href="bogus-clinic.html"' in index and 'href="bright-smile-dental.html"' in index
    assert "Failed: its page says why" in index and "Ready" in index
    for file in out.rglob("*"):
        text = file.read_bytes()
        assert BOGUS.encode() not in text and keys[SMALL].encode() not in text, file


def test_demo_clients_take_their_settings_language_and_currency(
    env: dict[str, str], tmp_path: Path
) -> None:
    settings = tmp_path / "clients.toml"
    settings.write_text(
        '[defaults.parameters]\ntop = 5\n[clients."Harbor Dental"]\nname = "Harbor Dental GmbH"\n'
        'locale = "de_DE"\ncurrency = "EUR"\n'
    )
    # Last month's folder: the batch writes over it (a folder -o, unlike a report's file).
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.html").write_text("last month")
    argv = ["report", "campaign_performance", "--workspace", "--demo", "--profiles", "3"]
    status = main([*argv, "--settings", str(settings), "-o", str(out), "-q"])
    assert status == 0
    assert sorted(p.name for p in out.glob("*.html")) == [
        "bright-smile-dental.html",
        "harbor-dental-gmbh.html",
        "index.html",
        "northwind-aesthetics-group.html",
    ]
    german = (out / "harbor-dental-gmbh.html").read_text()
    assert "Kampagnenperformance" in german and "Harbor Dental GmbH" in german
    # The headline card in euros, written the German way.
    assert re.search(r'atribu-kpi">Ausgaben<b>[\d.]+(,\d\d)?\xa0\N{EURO SIGN}</b>', german)
    english = (out / "bright-smile-dental.html").read_text()
    assert "Campaign performance" in english and "Kampagnenperformance" not in english
    index = html.unescape((out / "index.html").read_text())
    assert "Harbor Dental GmbH" in index and "3 clients' reports." in index


# -- refused before any kernel ----------------------------------------------------------


def _no_kernel(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any) -> Any:
        raise AssertionError("a kernel was started")

    monkeypatch.setattr(kernel, "start_kernel", refuse)


@pytest.mark.parametrize(
    ("toml", "named"),
    [
        ('[clients."Harbor Dental"]\ncurrency = "EURO"\n', "Harbor Dental"),
        ('[clients."Harbor Dental"]\nbudget = 100\n', "budget"),
        ('[clients."Nobody"]\nlocale = "de_DE"\n', "Nobody"),
        ("[client]\nx = 1\n", "[client]"),
        ('[clients."Harbor Dental"]\nlocale = ', "valid TOML"),
    ],
)
def test_a_bad_setting_refuses_the_batch_naming_it(
    toml: str,
    named: str,
    env: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _no_kernel(monkeypatch)
    settings = tmp_path / "clients.toml"
    settings.write_text(toml)
    argv = ["report", "campaign_performance", "--workspace", "--demo", "--profiles", "3"]
    assert main([*argv, "--settings", str(settings), "-o", str(tmp_path / "o")]) == 2
    assert named in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_settings_outside_a_workspace_are_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "trends", "--settings", "x.toml"]) == 2
    assert "--workspace" in capsys.readouterr().err


def test_a_key_in_a_settings_file_others_can_read_is_refused(tmp_path: Path) -> None:
    settings = tmp_path / "clients.toml"
    settings.write_text(f'[clients."A"]\napi_key = "{BOGUS}"\n')
    os.chmod(settings, 0o644)
    with pytest.raises(ArgumentError, match="chmod 600") as refused:
        read_settings(settings)
    assert BOGUS not in str(refused.value)
    os.chmod(settings, stat.S_IRUSR | stat.S_IWUSR)
    _defaults, clients = read_settings(settings)
    assert clients["A"].key() == BOGUS and BOGUS not in repr(clients["A"])


def test_a_missing_key_variable_is_refused_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NO_SUCH_KEY_VAR", raising=False)
    settings = tmp_path / "clients.toml"
    settings.write_text('[clients."A"]\napi_key_env = "NO_SUCH_KEY_VAR"\n')
    with pytest.raises(ReportError, match="NO_SUCH_KEY_VAR"):
        render_workspace("trends", settings=settings, progress=False)


def test_settings_apply_defaults_then_options_then_the_client(tmp_path: Path) -> None:
    (tmp_path / "logos").mkdir()
    settings = tmp_path / "clients.toml"
    settings.write_text(
        '[defaults]\nlocale = "fr_FR"\ncurrency = "EUR"\n'
        '[clients."A"]\nlocale = "de_DE"\nlogo = "logos/a.png"\n'
        '[clients."A".parameters]\ntop = 3\n'
    )
    defaults, clients = read_settings(settings)
    template = tmp_path / "t.py"
    template.write_text(
        '# %% tags=["parameters"]\nclient_name = ""  # who\nlocale = "en_US"  # formats\n'
        "currency = None  # code\ntop = 10  # rows\n"
    )
    jobs = batch_module._plans(
        template, ["A", "B"], tmp_path, defaults, clients, {"currency": "GBP"}, {}
    )
    a, b = (job.plan.parameters for job in jobs)
    # logo: a setting this template has no parameter for, left out.
    assert a == {"locale": "de_DE", "currency": "GBP", "top": 3, "client_name": "A"}
    assert b == {"locale": "fr_FR", "currency": "GBP", "client_name": "B"}


@pytest.mark.timeout(180)
def test_ctrl_c_stops_a_batch_and_leaves_only_whole_reports(
    env: dict[str, str], tmp_path: Path
) -> None:
    import signal
    import subprocess

    import psutil

    out = tmp_path / "out"
    command = [*CLI, "report", "campaign_performance", "--workspace", "--demo"]
    process = subprocess.Popen(
        [*command, "--profiles", "6", "-o", str(out)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    parent = psutil.Process(process.pid)
    deadline = time.monotonic() + 120
    while not list(out.glob("*.html")) and time.monotonic() < deadline:
        time.sleep(0.05)
    kernels = parent.children(recursive=True)
    assert len(kernels) >= 1 and list(out.glob("*.html")), "no report was finished"
    sent = time.monotonic()
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    elapsed = time.monotonic() - sent
    assert process.returncode == 130, err[-2000:]
    assert "interrupted; the client reports finished before it are whole" in err
    assert elapsed <= 5.0, f"{elapsed:.2f} s"
    written = sorted(out.iterdir())
    assert not (out / "index.html").exists()
    # Every file there is whole: nothing half-written under a report's name.
    for file in written:
        assert file.suffix in {".html", ".ipynb"}, file
        if file.suffix == ".html":
            assert file.read_text().rstrip().endswith("</html>"), file
    assert len([f for f in written if f.suffix == ".html"]) < 6
    time.sleep(0.5)
    assert not [k for k in kernels if k.is_running() and k.status() != psutil.STATUS_ZOMBIE]


def test_the_documented_settings_file_reads_as_documented(tmp_path: Path) -> None:
    page = (ROOT / "docs" / "client-reports.md").read_text()
    example = re.search(r"```toml\n(\[defaults\].*?)```", page, re.S)
    assert example is not None
    settings = tmp_path / "clients.toml"
    settings.write_text(example.group(1))
    defaults, clients = read_settings(settings)
    bright = clients["Bright Smile Dental"]
    assert defaults.parameters == {"locale": "en_US", "target_roas": 2.0}
    assert bright.parameters["client_name"] == "Bright Smile Dental S.L."
    assert bright.parameters["logo"] == str(tmp_path.resolve() / "logos/bright-smile.png")
    assert bright.extra == {"top": 5} and bright.api_key_env == "BRIGHT_SMILE_KEY"


@pytest.mark.parametrize(
    ("extra", "named"),
    [
        (["--workspace", "--profiles", "3"], "--profiles goes with --demo"),
        (["--workspace", "--demo", "--profiles", "1"], "profiles"),
        (["--workspace", "--demo", "--jobs", "0"], "jobs"),
        (["--profiles", "3", "--demo"], "go with --workspace"),
    ],
)
def test_batch_options_are_checked_before_any_kernel(
    extra: list[str],
    named: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _no_kernel(monkeypatch)
    assert main(["report", "trends", *extra]) == 2
    assert named in capsys.readouterr().err


def test_a_file_as_the_folder_of_a_batch_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _no_kernel(monkeypatch)
    taken = tmp_path / "index.html"
    taken.write_text("kept")
    with pytest.raises(SystemExit) as refused:
        main(["report", "trends", "--workspace", "--demo", "-o", str(taken)])
    assert refused.value.code == 2
    assert "is a file: with --workspace, -o names a folder" in capsys.readouterr().err
    assert taken.read_text() == "kept"


def test_a_kernel_that_dies_is_replaced_for_the_next_client(
    pinned: Any, env: dict[str, str], tmp_path: Path, kernel_starts: list[int]
) -> None:
    template = tmp_path / "dies.py"
    template.write_text(
        '# %% tags=["parameters"]\nclient_name = ""  # who\n\n'
        "# %%\nimport os\nif client_name == 'First':\n    os._exit(3)\n"
        "print('made for', client_name)\n"
    )
    keys = list(pinned.workspace_keys().values())
    done = render_workspace(
        template,
        keys={"First": keys[0], "Second": keys[1]},
        output_dir=tmp_path / "out",
        jobs=1,
        progress=False,
    )
    first, second = done.clients
    assert first.error is not None and "DeadKernelError" in first.error
    assert "could not be made" in first.html.read_text()
    assert second.error is None and "made for Second" in _lines(second.report.notebook)
    assert len(kernel_starts) == 2
