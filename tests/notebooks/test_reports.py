"""The reports package: parameter checks, the kernel, the export, the key guard, failures, CLI.

These use tiny throwaway templates (a kernel start each, about 2 s), not the report
notebooks: those run once each in test_notebooks.py.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from atribu_pandas import reports
from atribu_pandas.core.vocabulary import MODELS
from atribu_pandas.exceptions import ArgumentError, ReportError
from atribu_pandas.reports import export, footer, helpers, kernel
from atribu_pandas.reports.templates import inspect_template

pytestmark = pytest.mark.xdist_group("reports")

# Shaped like a live key (atb_live_ and 8+ letters or digits) yet plainly fake: the
# underscores keep it from looking like a real committed key.
SENTINEL = "atb_live_SENTINEL_fake_0123_4567_89ab_SENTINEL"
# A key not shaped like an Atribu key: only the check against ATRIBU_API_KEY's value can
# catch it, not the atb_ pattern.
PLAIN_SENTINEL = "sk-sentinel-7f3a9c2e51d84b06"
# The very check the export runs, so the tests cannot be weaker than the code.
remote = reports.remote_resources


def make_template(
    tmp_path: Path, *cells: str, params: str = "x = 1", name: str = "tiny.ipynb"
) -> Path:
    """A notebook with a title, a parameters cell and the given code cells."""
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "P"}
    nb.cells.append(new_markdown_cell("# Tiny report"))
    nb.cells.append(new_code_cell(params, metadata={"tags": ["parameters"]}))
    nb.cells.extend(new_code_cell(source) for source in cells)
    path = tmp_path / name
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
        "agency_overview",
    }
    assert templates["agency_overview"] == {
        "date_from": None,
        "date_to": None,
        "model": "last_touch",
        "top": 10,
        "client_name": "",
        "title": "Agency overview",
        "currency": None,
        "locale": "en_US",
        "language": None,
        "logo": None,
        "notes": "",
    }
    assert templates["campaign_performance"] == {
        "date_from": None,
        "date_to": None,
        "model": "last_touch",
        "level": "ad",
        "top": 10,
        "client_name": "",
        "title": "Campaign performance",
        "currency": None,
        "locale": "en_US",
        "language": None,
        "logo": None,
        "notes": "",
        "target_roas": None,
        "target_cpa": None,
        "monthly_budget": None,
    }
    # Who and what the report is about: the same six parameters in every report.
    for name, params in templates.items():
        assert {"client_name", "title", "currency", "locale", "logo", "notes"} <= set(params), name
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
        ("attribution_models", {"top": 101}, ["top", "1 to 100"]),
        ("top_performers", {"window": "30d"}, ["window", "7d", "lifetime"]),
        ("top_performers", {"date_from": "2026-03-01"}, ["date_from", "window", "limit"]),
        ("top_performers", {"cohort_by": 3}, ["cohort_by", "cohort_format", "creative_format"]),
        # Only the top performers' cohort columns: a typo would fail inside the kernel.
        ("top_performers", {"cohort_by": "cohort_fromat"}, ["cohort_by", "cohort_key"]),
        ("top_performers", {"cohort_by": "campaign_name"}, ["cohort_by", "cohort_objective"]),
        # The leaderboard has at most 50 ads (the fetch's own bound), not 100.
        ("top_performers", {"top": 51}, ["top", "1 to 50"]),
        ("top_performers", {"limit": 51}, ["limit", "1 to 50"]),
        ("trends", {"top": 21}, ["top", "1 to 20"]),
        ("agency_overview", {"top": 51}, ["top", "1 to 50"]),
        ("trends", {"rolling": 91}, ["rolling", "1 to 90"]),
        ("trends", {"level": None}, ["level", "ad_set"]),
        ("trends", {"currency": "EURO"}, ["currency", "ISO 4217"]),
        ("trends", {"currency": "XYZ"}, ["currency", "USD"]),
        ("top_performers", {"locale": "xx_QQ"}, ["locale", "en_US", "de_DE"]),
        ("campaign_performance", {"logo": "/no/such/logo.png"}, ["logo", "PNG", "no such file"]),
        ("campaign_performance", {"logo": __file__}, ["logo", "image", "none of them"]),
        ("campaign_performance", {"logo": "/dev/zero"}, ["logo", "not a regular file"]),
        ("campaign_performance", {"client_name": 3}, ["client_name", "text"]),
        ("campaign_performance", {"client_name": "x" * 121}, ["121 characters", "at most 120"]),
        ("campaign_performance", {"client_name": "Glow\nClinics"}, ["one line of text"]),
        ("trends", {"title": "x" * 151}, ["title", "at most 150 characters"]),
        ("trends", {"notes": "x" * 5_001}, ["notes", "5,001 characters", "at most 5,000"]),
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


def test_a_text_parameter_of_any_template_has_a_length_limit(tmp_path: Path) -> None:
    template = make_template(tmp_path, "print(label)", params='label = "Q4"')
    assert reports.check_parameters(template, {"label": "x" * 1_000}) == {"label": "x" * 1_000}
    with pytest.raises(ReportError, match=r"1,001 characters.*at most 1,000 characters"):
        reports.check_parameters(template, {"label": "x" * 1_001})


def test_good_parameters_are_normalised() -> None:
    checked = reports.check_parameters(
        "campaign_performance",
        {"date_from": dt.date(2026, 3, 1), "date_to": "2026-03-28", "model": "linear"},
    )
    assert checked == {"date_from": "2026-03-01", "date_to": "2026-03-28", "model": "linear"}
    # Trends follow more than the 10 ids of one trend request: the loader splits them.
    assert reports.check_parameters("trends", {"top": 15, "rolling": 1}) == {
        "top": 15,
        "rolling": 1,
    }
    for column in ("cohort_key", "cohort_audience_warmth", "creative_format"):
        assert reports.check_parameters("top_performers", {"cohort_by": column, "top": 50})


def test_parameters_are_read_without_papermill(tmp_path: Path) -> None:
    template = make_template(
        tmp_path,
        params='a = 1  # the first\nb = "x"\nc: float = 2.5  # typed\nd = None\nprint(a)',
    )
    found = inspect_template(template)
    assert list(found) == ["a", "b", "c", "d"]
    assert [found[k]["value"] for k in found] == [1, "x", 2.5, None]
    assert found["b"]["default"] == '"x"'
    assert (found["a"]["help"], found["b"]["help"], found["c"]["help"]) == (
        "the first",
        "",
        "typed",
    )


def test_a_refused_parameter_starts_no_kernel(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[object] = []
    monkeypatch.setattr(kernel, "start_kernel", lambda *a: started.append(a))
    with pytest.raises(ReportError, match="w_shaped"):
        reports.render(
            "campaign_performance",
            output=tmp_path / "r.html",
            parameters={"model": "w_shaped"},
            progress=False,
        )
    # The earlier name takes the same road, and says it is the earlier name.
    with (
        pytest.warns(DeprecationWarning, match=r"render_report\(\.\.\.\) is deprecated"),
        pytest.raises(ReportError, match="w_shaped"),
    ):
        reports.render_report("campaign_performance", parameters={"model": "w_shaped"})
    assert started == []


@pytest.mark.parametrize(
    "tag",
    [
        '<img srcset="//cdn.example.com/a.png 1x">',
        '<img srcset="a.png 1x, https://cdn.example.com/b.png 2x">',
        '<video poster="https://cdn.example.com/p.png"></video>',
        '<svg><image href="https://cdn.example.com/i.png"/></svg>',
        '<svg><use xlink:href="//cdn.example.com/s.svg#x"/></svg>',
        '<object data="https://cdn.example.com/o.swf"></object>',
        '<div style="background: url(//cdn.example.com/bg.png)"></div>',
        "<style>@import 'https://fonts.example.com/f.css';</style>",
        '<script src = "https://cdn.example.com/x.js"></script>',
    ],
)
def test_the_remote_check_sees_every_way_to_load(tag: str) -> None:
    assert remote(tag)


@pytest.mark.parametrize(
    "tag",
    [
        '<a href="https://www.atribu.app">Atribu</a>',
        '<img src="data:image/png;base64,AAAA">',
        "<p>see https://www.atribu.app for more</p>",
        # Text that looks like a load but is not markup: a regular expression would trip.
        "<p>write src=//cdn.example.com in a code sample</p>",
        "<pre>&lt;img src=&quot;https://cdn.example.com/a.png&quot;&gt;</pre>",
    ],
)
def test_the_remote_check_spares_links_and_embedded_data(tag: str) -> None:
    assert not remote(tag)


def test_an_ipynb_output_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from atribu_pandas.cli import main

    with pytest.raises(ReportError, match=r"\.ipynb") as info:
        reports.render("trends", output=tmp_path / "x.ipynb", progress=False)
    assert isinstance(info.value.__cause__, ArgumentError)
    assert main(["report", "trends", "-o", str(tmp_path / "x.ipynb"), "-q"]) == 2
    assert "x.ipynb" in capsys.readouterr().err
    assert not (tmp_path / "x.ipynb").exists()


def test_an_output_whose_executed_copy_is_the_template_is_refused(tmp_path: Path) -> None:
    template = make_template(tmp_path, "y = 2", name="weekly.executed.ipynb")
    before = template.read_bytes()
    with pytest.raises(ReportError, match="overwrite the template"):
        reports.render(template, output=tmp_path / "weekly.html", progress=False)
    assert template.read_bytes() == before


def test_footer_names_every_compared_model() -> None:
    helpers.start("T", show=False)
    comparison = {"params": {"models": ",".join(MODELS), "limit": 100}, "demo": True}
    rows = dict(footer.appendix_rows({"model": "last_touch"}, [_framed(comparison)]))
    assert rows["Attribution models"] == ", ".join(MODELS)
    line = footer.footer_line(
        {"model": "last_touch"}, [_framed(comparison)], ("2026-11-02", "2026-11-29")
    )
    assert "(7 attribution models compared)" in line
    single = {"params": {"model": "linear"}}
    assert dict(footer.appendix_rows({}, [_framed(single)]))["Attribution models"] == "linear"
    assert "(attribution model: Linear)" in footer.footer_line(
        {}, [_framed(single)], ("2026-11-02", "2026-11-29")
    )


def test_footer_says_which_currency_was_assumed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ATRIBU_CURRENCY", raising=False)
    helpers.start("T", show=False)
    rows = dict(footer.appendix_rows({}, []))
    assert rows["Currency"].startswith("USD, assumed: the Atribu API sends amounts without")
    monkeypatch.setenv("ATRIBU_CURRENCY", "eur")
    helpers.start("T", client_name="Clinic", show=False)
    rows = dict(footer.appendix_rows({}, []))
    assert rows["Currency"] == "EUR, from ATRIBU_CURRENCY"
    assert rows["Prepared for"] == "Clinic"
    helpers.start("T", currency="GBP", locale="de_DE", show=False)
    assert dict(footer.appendix_rows({}, []))["Währung"].startswith("GBP, ")
    # The client's line names the currency in the report's language.
    line = footer.footer_line({}, [], ("2026-11-02", "2026-11-29"))
    assert line.startswith("Zahlen für") and "Britisches Pfund (GBP)" in line
    helpers.start("T", show=False)


def _framed(info: dict[str, Any]) -> Any:
    import pandas as pd

    frame = pd.DataFrame()
    frame.attrs["atribu"] = info
    return frame


def test_appendix_without_pdf_is_refused_before_running(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from atribu_pandas.cli import main

    assert main(["report", "trends", "--demo", "-q", "--appendix"]) == 2
    assert "--appendix puts the technical details in the PDF: add --pdf" in capsys.readouterr().err


def test_a_bad_atribu_currency_is_refused_before_running(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from atribu_pandas.cli import main

    monkeypatch.setenv("ATRIBU_CURRENCY", "dollars")
    assert main(["report", "trends", "-q"]) == 2
    assert "ATRIBU_CURRENCY" in capsys.readouterr().err


def test_unknown_template_names_the_templates() -> None:
    with pytest.raises(ReportError, match="campaign_performance"):
        reports.template_path("weekly_digest")


@pytest.mark.parametrize(
    ("argv", "status"),
    [
        # The exit-status table of docs/reports.md: 2 refused before running.
        (["report", "nope", "-q"], 2),
        (["report", "missing.ipynb", "-q"], 2),
        (["report", "trends", "--model", "w_shaped", "-q"], 2),
        (["report", "trends", "--currency", "EURO", "-q"], 2),
        (["report", "trends", "-p", "oops", "-q"], 2),
    ],
)
def test_refusals_exit_2(argv: list[str], status: int, capsys: pytest.CaptureFixture[str]) -> None:
    from atribu_pandas.cli import main

    try:
        answer = main(argv)
    except SystemExit as refused:  # argparse's own refusals (a -p without "=")
        answer = refused.code
    assert answer == status
    # One line saying what was wrong.
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "error: " in err


def test_a_failure_while_running_exits_1_and_done_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from atribu_pandas.cli import main

    failing = make_template(tmp_path, "1 / 0", name="fails.ipynb")
    assert main(["report", str(failing), "-q", "-o", str(tmp_path / "f.html")]) == 1
    assert "ZeroDivisionError" in capsys.readouterr().err
    fine = make_template(tmp_path, "2", name="fine.ipynb")
    assert main(["report", str(fine), "-q", "-o", str(tmp_path / "ok.html")]) == 0
    assert capsys.readouterr().out.strip() == str(tmp_path / "ok.html")


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
    out = reports.render(
        template, output=tmp_path / "out" / "tiny.html", parameters={"x": 21}, progress=False
    ).html
    page = out.read_text()
    executed = nbformat.read(out.with_name("tiny.executed.ipynb"), as_version=4)
    printed = "".join(o.get("text", "") for o in executed.cells[3].outputs)
    # The injected parameter reached the kernel, and the kernel is this very Python.
    assert f"KERNEL {sys.executable} 42" in printed
    assert page.count('src="data:image/png;base64,') == 1
    assert remote(page) == []
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
    page = reports.render(template, output=tmp_path / "r.html", progress=False).html.read_text()
    assert "cdn.example.com" not in page and "fonts.example.com" not in page
    # A link is no load: it stays, and opens no window back into the report.
    assert '<a href="https://www.atribu.app" rel="noopener noreferrer">Atribu</a>' in page


def test_keep_code_shows_the_code_and_the_template_beside_the_output_survives(
    tmp_path: Path,
) -> None:
    template = make_template(tmp_path, "answer = 6 * 7\nanswer")
    before = template.read_bytes()
    # `atribu-pandas report tiny.ipynb -o tiny.html`: the output sits beside the template.
    out = reports.render(
        template, output=tmp_path / "tiny.html", keep_code=True, progress=False
    ).html
    page = out.read_text()
    assert "answer" in page and "42" in page
    assert template.read_bytes() == before
    executed = nbformat.read(tmp_path / "tiny.executed.ipynb", as_version=4)
    assert executed.cells[2].outputs[0]["data"]["text/plain"] == "42"


def test_a_percent_format_python_file_runs_as_a_template(tmp_path: Path) -> None:
    # A copy of a template kept as code: `# %%` cells, the parameters cell tagged.
    template = tmp_path / "weekly.py"
    template.write_text(
        "# %% [markdown]\n# # Weekly\n\n"
        '# %% tags=["parameters"]\nlabel = "Q4"  # what the week is called\n\n'
        "# %%\nprint(label * 2)\n"
    )
    from atribu_pandas.cli import main

    assert reports.check_parameters(template, {"label": "W9"}) == {"label": "W9"}
    out = tmp_path / "weekly.html"
    assert main(["report", str(template), "-p", "label=W9", "-o", str(out), "-q"]) == 0
    assert "W9W9" in out.read_text() and "Weekly" in out.read_text()
    with pytest.raises(ReportError, match="no cell tagged 'parameters'"):
        bare = tmp_path / "bare.py"
        bare.write_text("# %%\nx = 1\n")
        reports.check_parameters(bare, {})


def test_a_key_in_an_output_is_refused_and_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ATRIBU_API_KEY", SENTINEL)
    template = make_template(tmp_path, "import os\nprint(os.environ['ATRIBU_API_KEY'][::-1][::-1])")
    out = tmp_path / "leak" / "tiny.html"
    with pytest.raises(ReportError, match="API key"):
        reports.render(template, output=out, progress=False)
    assert not out.exists()
    assert not list(out.parent.glob("*.ipynb"))


def test_a_key_not_shaped_like_atb_is_refused_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ATRIBU_API_KEY", PLAIN_SENTINEL)
    assert not export.KEY_PATTERN.search(PLAIN_SENTINEL)
    template = make_template(tmp_path, "import os\nprint(os.environ['ATRIBU_API_KEY'])")
    out = tmp_path / "plain" / "tiny.html"
    with pytest.raises(ReportError, match="API key"):
        reports.render(template, output=out, progress=False)
    assert not out.exists() and not list(out.parent.glob("*.ipynb"))


def test_a_failing_cell_that_printed_the_key_keeps_a_masked_notebook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ATRIBU_API_KEY", PLAIN_SENTINEL)
    template = make_template(
        tmp_path,
        "import os\nprint('key:', os.environ['ATRIBU_API_KEY'], 'atb_test_abcdefgh12345678')",
        "1 / 0",
    )
    out = tmp_path / "masked" / "tiny.html"
    out.parent.mkdir()
    out.write_text("<html>last week's report</html>")  # a report from an earlier run
    with pytest.raises(ReportError, match="ZeroDivisionError") as info:
        reports.render(template, output=out, progress=False)
    assert info.value.cell == 3
    # A failed run replaces nothing: the earlier report is kept as it was (the error, not
    # the file, says this run failed).
    assert out.read_text() == "<html>last week's report</html>"
    kept = Path(info.value.notebook_path or "").read_text()
    assert PLAIN_SENTINEL not in kept and "atb_test_abcdefgh12345678" not in kept
    # mask_key keeps the last 4 characters of each.
    assert "key: …4b06 …5678" in kept


def test_demo_mode_gives_the_kernel_no_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ATRIBU_API_KEY", SENTINEL)
    monkeypatch.setenv("ATRIBU_BASE_URL", "http://127.0.0.1:9")
    template = make_template(
        tmp_path,
        "import os\nprint('key set:', 'ATRIBU_API_KEY' in os.environ,"
        " 'url set:', 'ATRIBU_BASE_URL' in os.environ)",
    )
    out = reports.render(template, output=tmp_path / "d.html", demo=True, progress=False).html
    assert "key set: False url set: False" in out.read_text()


def test_a_failing_cell_names_the_cell_and_keeps_the_notebook(tmp_path: Path) -> None:
    template = make_template(tmp_path, "ok = 1", "1 / 0", "never = 2")
    out = tmp_path / "fail" / "tiny.html"
    with pytest.raises(ReportError) as info:
        reports.render(template, output=out, progress=False)
    err = info.value
    # Cells: 0 title, 1 parameters, 2 "ok = 1", 3 "1 / 0".
    assert err.cell == 3
    assert "ZeroDivisionError" in str(err)
    # The index counts the injected parameters cell when parameters are given: the first
    # line of the cell's source says which one it is either way.
    assert "'1 / 0'" in str(err)
    assert err.notebook_path is not None and err.notebook_path in str(err)
    kept = nbformat.read(err.notebook_path, as_version=4)
    assert kept.cells[3].outputs[0]["ename"] == "ZeroDivisionError"
    assert not out.exists()


def test_a_dying_kernel_names_the_cell_and_keeps_the_notebook(tmp_path: Path) -> None:
    template = make_template(
        tmp_path, "print('before')", "import os\nos._exit(1)  # the kernel dies", "never = 2"
    )
    out = tmp_path / "dead" / "tiny.html"
    with pytest.raises(ReportError, match="DeadKernelError") as info:
        reports.render(template, output=out, parameters={"x": 2}, progress=False)
    err = info.value
    # Cells: 0 title, 1 parameters, 2 injected parameters, 3 print, 4 os._exit.
    assert err.cell == 4
    assert "'import os'" in str(err)
    kept = nbformat.read(err.notebook_path or "", as_version=4)
    assert "before" in kept.cells[3].outputs[0]["text"]
    assert kept.cells[5].get("outputs") == []
    assert not out.exists()


def test_parameters_are_injected_after_the_parameters_cell_without_papermill(
    tmp_path: Path,
) -> None:
    template = make_template(tmp_path, "print('got', x, repr(y))", params="x = 1\ny = 'a'")
    out = reports.render(
        template, output=tmp_path / "p.html", parameters={"x": 5, "y": "it's"}, progress=False
    ).html
    executed = nbformat.read(out.with_name("p.executed.ipynb"), as_version=4)
    injected = executed.cells[2]
    assert injected.metadata.tags == ["injected-parameters"]
    assert 'got 5 "it\'s"' in executed.cells[3].outputs[0]["text"]
    # The run uses nbclient's public API only.
    assert "papermill" not in sys.modules


def test_tables_are_written_as_csv_and_one_workbook(tmp_path: Path) -> None:
    import openpyxl
    import pandas as pd

    template = make_template(
        tmp_path,
        "import pandas as pd\nfrom atribu_pandas import reports\n"
        "fmt = reports.start('Tables', currency='EUR', locale='de_DE')\n"
        "frame = pd.DataFrame({'n': ['A', 'B'], 's': [1234.5, None], 'r': [2.0, 0.0]})\n"
        "reports.show_table(frame, {'n': ('Name', 'text'), 's': ('Spend', 'money'),\n"
        "                           'r': ('ROAS', 'times')}, name='spend')\n"
        "reports.show_table(frame[['n']], {'n': ('Name', 'text')}, name='names')",
    )
    out = reports.render(
        template, output=tmp_path / "t.html", tables=tmp_path / "tables", progress=False
    )
    assert [p.name for p in out.tables] == ["t-spend.csv", "t-names.csv", "t.xlsx"]
    # German conventions (de_DE): ";" between fields, "," for decimals.
    csv = pd.read_csv(tmp_path / "tables" / "t-spend.csv", sep=";", decimal=",")
    # Raw values under the human headers: a spreadsheet can add them up.
    assert list(csv.columns) == ["Name", "Spend (EUR)", "ROAS"]
    assert csv["Spend (EUR)"].iloc[0] == 1234.5 and pd.isna(csv["Spend (EUR)"].iloc[1])
    book = openpyxl.load_workbook(tmp_path / "tables" / "t.xlsx")
    assert book.sheetnames == ["Spend", "Names"]
    assert book["Spend"]["B2"].value == 1234.5
    page = out.html.read_text()
    # The page shows the locale's formats and a dash for the missing value.
    text = page_text(page)
    # Whole units from 100 up, rounded half up (1234.5 -> 1.235), the locale's order.
    assert "1.235\xa0€" in text
    assert "0,00×" in text and "–" in text
    assert not {"nan", "NaN", "None"} & set(text.split())


def page_text(page: str) -> str:
    """The text a reader sees: the page without tags, styles or scripts."""
    from html.parser import HTMLParser

    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.parts: list[str] = []
            self.skip = 0

        def handle_starttag(self, tag: str, attrs: object) -> None:
            self.skip += tag in ("style", "script")

        def handle_endtag(self, tag: str) -> None:
            self.skip -= tag in ("style", "script")

        def handle_data(self, data: str) -> None:
            if not self.skip:
                self.parts.append(data)

    parser = Text()
    parser.feed(page)
    return " ".join(parser.parts)


@pytest.mark.parametrize(
    ("env", "hint"),
    [({}, True), ({"ATRIBU_API_KEY": PLAIN_SENTINEL}, False), ({"ATRIBU_DEMO_CHOSEN": "1"}, False)],
)
def test_the_banner_hints_at_the_key_only_when_none_is_set_and_demo_was_not_chosen(
    env: dict[str, str], hint: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pandas as pd

    shown: list[str] = []
    monkeypatch.setattr(helpers, "display_html", lambda text, **_: shown.append(text))
    for name in ("ATRIBU_API_KEY", "ATRIBU_DEMO_CHOSEN"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    demo, live = pd.DataFrame(), pd.DataFrame()
    demo.attrs["atribu"] = {"demo": True}
    live.attrs["atribu"] = {"demo": False}
    # Live data gets no banner at all.
    assert helpers.show_banner(live) is False and shown == []
    assert helpers.show_banner(live, demo) is True
    assert len(shown) == 1 and "Demo data." in shown[0]
    assert ("Set ATRIBU_API_KEY" in shown[0]) is hint


def test_the_heading_shows_title_client_logo_and_notes(tmp_path: Path) -> None:
    import base64

    # A 1x1 PNG, the smallest logo there is.
    pixel = base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="
    )
    logo = tmp_path / "logo.png"
    logo.write_bytes(pixel)
    template = make_template(
        tmp_path,
        "from atribu_pandas import reports\n"
        "fmt = reports.start(title, client_name=client_name, logo=logo, notes=notes)",
        params='title = "Tiny"\nclient_name = ""\nlogo = None\nnotes = ""',
    )
    out = reports.render(
        template,
        output=tmp_path / "h.html",
        parameters={
            "title": "March for Glow",
            "client_name": "Glow <Clinics>",
            "logo": str(logo),
            "notes": "We *paused* Botox on **March 9**.",
        },
        progress=False,
    ).html
    page = out.read_text()
    # The title parameter is the page's title and heading; the client's name is escaped.
    assert "<title>March for Glow</title>" in page
    assert "Prepared for <b>Glow &lt;Clinics&gt;</b>" in page
    logos = re.findall(r'<img alt="Logo" class="atribu-logo" src="([^"]+)"', page)
    assert len(logos) == 1 and logos[0].startswith("data:image/png;base64,")
    from PIL import Image

    # Re-encoded on the way in: the same one pixel, whatever else the file held.
    shown = Image.open(io.BytesIO(base64.b64decode(logos[0].partition(",")[2])))
    assert shown.size == (1, 1)
    assert shown.convert("RGBA").getpixel((0, 0)) == Image.open(logo).convert("RGBA").getpixel(
        (0, 0)
    )
    # The notes are Markdown, rendered.
    assert "<em>paused</em>" in page and "<strong>March 9</strong>" in page
    assert remote(page) == []


def test_the_empty_window_advice_fits_the_case() -> None:
    import datetime as dt

    import pandas as pd

    from atribu_pandas.core.dates import last_complete_day

    last = last_complete_day()
    demo, live = pd.DataFrame(), pd.DataFrame()
    demo.attrs["atribu"], live.attrs["atribu"] = {"demo": True}, {"demo": False}
    future = reports.empty_window_advice(last + dt.timedelta(days=1), last + dt.timedelta(9), demo)
    assert future[0].startswith("This window starts after the last complete day")
    assert not any("--demo" in line for line in future)  # it already runs on demo data
    reaching = reports.empty_window_advice(
        last - dt.timedelta(days=5), last + dt.timedelta(2), live
    )
    assert reaching[0].startswith("This window reaches past the last complete day")
    past = reports.empty_window_advice("2020-01-01", "2020-01-28", live)
    assert past[0].startswith("Pick a later or longer window")
    assert any("--demo" in line for line in past)
