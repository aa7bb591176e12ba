"""reports.py: parameter checks, the kernel, the HTML export, the key guard, failures, CLI.

These use tiny throwaway templates (a kernel start each, about 2 s), not the report
notebooks: those run once each in test_notebooks.py.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from atribu_pandas import reports
from atribu_pandas.exceptions import ArgumentError, ReportError
from atribu_pandas.params import MODELS

pytestmark = pytest.mark.xdist_group("reports")

SENTINEL = "atb_live_SENTINEL0123456789abcdefSENTINEL"
REMOTE = re.compile(r"\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//", re.IGNORECASE)


def make_template(tmp_path: Path, *cells: str, params: str = "x = 1") -> Path:
    """A notebook with a title, a parameters cell and the given code cells."""
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "P"}
    nb.cells.append(new_markdown_cell("# Tiny report"))
    nb.cells.append(new_code_cell(params, metadata={"tags": ["parameters"]}))
    nb.cells.extend(new_code_cell(source) for source in cells)
    path = tmp_path / "tiny.ipynb"
    nbformat.write(nb, path)
    return path


# -- the window and the templates' parameters (no kernel) ------------------------------


def test_resolve_window_defaults_to_the_last_28_complete_days() -> None:
    # 2026-03-29 -> yesterday 03-28, and 27 days before it 03-01: 28 days in all.
    assert reports.resolve_window(None, "", today=dt.date(2026, 3, 29)) == (
        "2026-03-01",
        "2026-03-28",
    )
    assert reports.resolve_window(None, "2026-02-28", today=dt.date(2026, 3, 29)) == (
        "2026-02-01",
        "2026-02-28",
    )
    with pytest.raises(ArgumentError, match="date_from"):
        reports.resolve_window("2026-03-10", "2026-03-01")


def test_list_templates_reads_each_parameters_cell() -> None:
    templates = reports.list_templates()
    assert set(templates) == {
        "campaign_performance",
        "attribution_models",
        "top_performers",
        "trends",
    }
    assert templates["campaign_performance"] == {
        "date_from": None,
        "date_to": None,
        "model": "last_touch",
        "level": "ad",
        "top": 10,
    }
    assert templates["top_performers"]["window"] == "28d"
    assert "date_from" not in templates["top_performers"]


@pytest.mark.parametrize(
    ("name", "parameters", "words"),
    [
        ("campaign_performance", {"colour": "red"}, ["colour", "date_from", "model", "top"]),
        ("campaign_performance", {"model": "w_shaped"}, ["model", *MODELS]),
        ("campaign_performance", {"level": "account"}, ["level", "ad_set"]),
        ("campaign_performance", {"date_from": "2026-02-30"}, ["date_from"]),
        (
            "campaign_performance",
            {"date_from": "2026-03-10", "date_to": "2026-03-01"},
            ["date_from", "2026-03-01"],
        ),
        ("campaign_performance", {"date_from": "2024-01-01", "date_to": "2026-01-01"}, ["366"]),
        ("campaign_performance", {"top": 0}, ["top", "1 to 100"]),
        ("top_performers", {"window": "30d"}, ["window", "7d", "lifetime"]),
        ("top_performers", {"date_from": "2026-03-01"}, ["date_from", "window", "limit"]),
        ("top_performers", {"cohort_by": 3}, ["cohort_by", "str"]),
    ],
)
def test_bad_parameters_are_refused_naming_what_is_allowed(
    name: str, parameters: dict[str, object], words: list[str]
) -> None:
    with pytest.raises(ReportError) as info:
        reports.check_parameters(name, parameters)
    assert isinstance(info.value.__cause__, ArgumentError)
    for word in words:
        assert word in str(info.value)


def test_good_parameters_are_normalised() -> None:
    checked = reports.check_parameters(
        "campaign_performance",
        {"date_from": dt.date(2026, 3, 1), "date_to": "2026-03-28", "model": "linear"},
    )
    assert checked == {"date_from": "2026-03-01", "date_to": "2026-03-28", "model": "linear"}


def test_unknown_template_names_the_templates() -> None:
    with pytest.raises(ReportError, match="campaign_performance"):
        reports.template_path("weekly_digest")


def test_cli_refuses_a_bad_model_with_status_2(capsys: pytest.CaptureFixture[str]) -> None:
    from atribu_pandas.cli import main

    assert main(["report", "campaign_performance", "--model", "w_shaped", "-q"]) == 2
    err = capsys.readouterr().err
    assert "w_shaped" in err and "time_decay" in err


def test_cli_lists_templates(capsys: pytest.CaptureFixture[str]) -> None:
    from atribu_pandas.cli import main

    assert main(["templates"]) == 0
    out = capsys.readouterr().out
    assert "trends" in out and 'window = "28d"' in out


# -- rendering tiny templates (a real kernel each) ---------------------------------------


def test_render_runs_on_this_interpreter_and_embeds_png(tmp_path: Path) -> None:
    template = make_template(
        tmp_path,
        "import sys\nprint('KERNEL', sys.executable, x * 2)",
        "%matplotlib inline\nimport matplotlib.pyplot as plt\n"
        "plt.plot([1, 3, 2])\nplt.title('line')\nplt.show()",
        params="x = 1",
    )
    out = reports.render_report(
        template, output=tmp_path / "out" / "tiny.html", parameters={"x": 21}, progress=False
    )
    page = out.read_text()
    executed = nbformat.read(out.with_suffix(".ipynb"), as_version=4)
    printed = "".join(o.get("text", "") for o in executed.cells[3].outputs)
    # The injected parameter reached the kernel, and the kernel is this very Python.
    assert f"KERNEL {sys.executable} 42" in printed
    assert page.count('src="data:image/png;base64,') == 1
    assert not REMOTE.search(page)
    assert "<title>Tiny report</title>" in page
    # Code hidden by default.
    assert "plt.title" not in page


def test_remote_resources_are_removed_but_links_stay(tmp_path: Path) -> None:
    template = make_template(
        tmp_path,
        "from IPython.display import HTML, display\n"
        "display(HTML('<script src=\"https://cdn.example.com/x.js\"></script>'\n"
        "             '<img src=\"//cdn.example.com/a.png\">'\n"
        '             \'<link rel="stylesheet" href="http://fonts.example.com/f.css">\'\n'
        "             '<a href=\"https://www.atribu.app\">Atribu</a>'))",
    )
    page = reports.render_report(template, output=tmp_path / "r.html", progress=False).read_text()
    assert "cdn.example.com" not in page and "fonts.example.com" not in page
    assert '<a href="https://www.atribu.app">Atribu</a>' in page


def test_keep_code_shows_the_code(tmp_path: Path) -> None:
    template = make_template(tmp_path, "answer = 6 * 7\nanswer")
    out = reports.render_report(
        template, output=tmp_path / "t.html", keep_code=True, progress=False
    )
    page = out.read_text()
    assert "answer" in page and "42" in page


def test_a_key_in_an_output_is_refused_and_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ATRIBU_API_KEY", SENTINEL)
    template = make_template(tmp_path, "import os\nprint(os.environ['ATRIBU_API_KEY'][::-1][::-1])")
    out = tmp_path / "leak" / "tiny.html"
    with pytest.raises(ReportError, match="API key"):
        reports.render_report(template, output=out, progress=False)
    assert not out.exists()
    assert not out.with_suffix(".ipynb").exists()


def test_demo_mode_gives_the_kernel_no_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ATRIBU_API_KEY", SENTINEL)
    monkeypatch.setenv("ATRIBU_BASE_URL", "http://127.0.0.1:9")
    template = make_template(
        tmp_path,
        "import os\nprint('key set:', 'ATRIBU_API_KEY' in os.environ,"
        " 'url set:', 'ATRIBU_BASE_URL' in os.environ)",
    )
    out = reports.render_report(template, output=tmp_path / "d.html", demo=True, progress=False)
    assert "key set: False url set: False" in out.read_text()


def test_a_failing_cell_names_the_cell_and_keeps_the_notebook(tmp_path: Path) -> None:
    template = make_template(tmp_path, "ok = 1", "1 / 0", "never = 2")
    out = tmp_path / "fail" / "tiny.html"
    with pytest.raises(ReportError) as info:
        reports.render_report(template, output=out, progress=False)
    err = info.value
    # Cells: 0 title, 1 parameters, 2 "ok = 1", 3 "1 / 0".
    assert err.cell == 3
    assert "ZeroDivisionError" in str(err)
    assert err.notebook_path is not None and err.notebook_path in str(err)
    kept = nbformat.read(err.notebook_path, as_version=4)
    assert kept.cells[3].outputs[0]["ename"] == "ZeroDivisionError"
    assert not out.exists()
