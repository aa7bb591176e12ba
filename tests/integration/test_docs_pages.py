"""The guide's pages run as a reader runs them.

The documentation build executes every page of the guide (``docs/*.md``, MyST notebooks
run by myst-nb in a kernel of their own, as of one pinned day; a cell that raises fails
the build). What the build cannot see is checked here: every page that holds code is such
a notebook, so no Python hides in a plain fenced block the build would not run, and every
fence names its language. The README is not part of the site: its ```python blocks run
here, in order, in a fresh interpreter, with no API key (so on the demo sandbox).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The README's quickstart also runs in tests/integration/test_readme.py, but in the test's
# own interpreter and only its first block: here it runs whole, as a reader would.
PAGES = [*sorted((ROOT / "docs").glob("*.md")), ROOT / "README.md"]
GUIDE = sorted((ROOT / "docs").glob("*.md"))
# A page the build executes: MyST-NB's front matter, and its code in code-cell directives.
NOTEBOOK_PAGE = re.compile(r"\A---\n(?:.*\n)*?file_format: mystnb\n(?:.*\n)*?---\n")
CODE_CELL = re.compile(r"^```\{code-cell\}", re.M)
# The pages name days from 1 December 2025 (periods.md's year of weeks) to Sunday
# 29 November 2026 (its period comparison's last day). As of Monday 30 November 2026 the
# 29th is the last complete day, so no page asks for a day that is not over, and the
# sandbox's 400 days of history reach back to 26 October 2025, before the earliest.
TODAY = "2026-11-30"
# A page is a few loads on the sandbox; the longest (loaders.md, reports.md) take about
# ten seconds. Well under the suite's per-test timeout of 300 s.
PAGE_TIMEOUT = 240
# Info strings that are Python under another name: a block so tagged would neither run
# here nor say honestly that it is not meant to.
PYTHON_ALIASES = {"py", "python3", "py3", "pycon", "ipython", "ipython3", "pyi"}

FENCE = re.compile(r"^(?P<indent> *)(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`]*?)\s*$")


@dataclass(frozen=True)
class Block:
    """A fenced code block: the line of its opening fence, its language and its text."""

    line: int
    language: str
    code: str


def code_blocks(text: str) -> list[Block]:
    """Every fenced block of a Markdown text, dedented by its fence's indentation.

    A fence closes on a line of the same character, at least as long, with no info string
    (CommonMark), so a block fenced with four backticks may show a three-backtick one.
    """
    blocks: list[Block] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        opening = FENCE.match(lines[i])
        if not opening:
            i += 1
            continue
        fence, indent = opening["fence"], len(opening["indent"])
        body: list[str] = []
        j = i + 1
        while j < len(lines):
            closing = FENCE.match(lines[j])
            if (
                closing
                and not closing["info"]
                and closing["fence"][0] == fence[0]
                and len(closing["fence"]) >= len(fence)
            ):
                break
            # Up to the fence's indentation comes off each line, as CommonMark says.
            body.append(re.sub(f"^ {{0,{indent}}}", "", lines[j]))
            j += 1
        language = opening["info"].split()[0] if opening["info"] else ""
        blocks.append(Block(i + 1, language, "\n".join(body) + "\n"))
        i = j + 1
    return blocks


def python_blocks(page: Path) -> list[Block]:
    return [b for b in code_blocks(page.read_text(encoding="utf-8")) if b.language == "python"]


# Runs one page's blocks in one namespace. Each block is compiled under the page's name
# with as many blank lines before it as precede it on the page, so a traceback names the
# page and the line a reader sees. A deprecation warned at the page's own line is an
# error: a page must not teach a name on its way out.
DRIVER = """
import json, sys, time, traceback, warnings
page, blocks = sys.argv[1], json.load(open(sys.argv[2], encoding="utf-8"))
namespace = {"__name__": "__main__"}
for category in (DeprecationWarning, FutureWarning):
    warnings.filterwarnings("error", category=category, module="__main__")
for number, block in enumerate(blocks, 1):
    started = time.perf_counter()
    try:
        exec(compile("\\n" * block["line"] + block["code"], page, "exec"), namespace)
    except BaseException as error:
        traceback.print_exc()
        print(f"FAILED block {number} (line {block['line']}): {error!r}", file=sys.stderr)
        sys.exit(1)
    print(f"block {number} (line {block['line']}): {time.perf_counter() - started:.1f} s")
"""


def run_page(name: str, blocks: list[Block], workdir: Path) -> str:
    """Run ``blocks`` in a fresh interpreter as a reader would; fail naming page and block.

    The reader has no API key (so the loaders use the demo sandbox), a cache of their own,
    the day pinned to :data:`TODAY` and no display (charts draw off screen). The page runs
    in ``workdir``, where it may write files (a copied notebook, a rendered report).
    """
    workdir.mkdir(parents=True, exist_ok=True)
    script = workdir / "blocks.json"
    script.write_text(json.dumps([b.__dict__ for b in blocks]), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ATRIBU_")}
    env.update(
        ATRIBU_CACHE_DIR=str(workdir / "cache"),
        ATRIBU_TODAY=TODAY,
        ATRIBU_PROGRESS="0",
        MPLBACKEND="Agg",
    )
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, name, str(script)],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=PAGE_TIMEOUT,
        check=False,
    )
    if done.returncode != 0:
        failed = re.findall(r"^FAILED block .*$", done.stderr, flags=re.M)
        where = failed[-1] if failed else f"exit status {done.returncode}"
        pytest.fail(f"{name}: {where}\n{done.stderr[-4000:]}", pytrace=False)
    return done.stdout


def _name(page: Path) -> str:
    return page.relative_to(ROOT).as_posix()


@pytest.mark.parametrize("page", GUIDE, ids=_name)
def test_a_guide_page_with_code_is_executed_by_the_build(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    assert python_blocks(page) == [], (
        f"{_name(page)}: a ```python block is not run by the build: make it a "
        "```{code-cell} ipython3, or tag it text"
    )
    if CODE_CELL.search(text):
        assert NOTEBOOK_PAGE.match(text), (
            f"{_name(page)}: code cells, but no 'file_format: mystnb' front matter (the "
            "build would show the cells without running them)"
        )


def test_the_guide_has_cells_to_run() -> None:
    # What the guide teaches in code: a page that lost its cells would pass by running
    # nothing.
    cells = {_name(page): len(CODE_CELL.findall(page.read_text())) for page in GUIDE}
    for page in (
        "docs/getting-started.md",
        "docs/loaders.md",
        "docs/sandbox.md",
        "docs/recompute-and-rollup.md",
        "docs/models.md",
        "docs/cohorts.md",
        "docs/trends.md",
        "docs/periods.md",
        "docs/currency.md",
        "docs/workspace.md",
        "docs/plots.md",
        "docs/widgets.md",
        "docs/notebooks.md",
        "docs/reports.md",
        "docs/gallery.md",
        "docs/targets-and-pacing.md",
    ):
        assert cells.get(page, 0) >= 1, f"{page} has no code cell to run"
    assert sum(cells.values()) >= 60


def test_the_readme_runs_on_its_own(tmp_path: Path) -> None:
    readme = ROOT / "README.md"
    blocks = python_blocks(readme)
    assert blocks, "the README shows no Python"
    out = run_page("README.md", blocks, tmp_path)
    # Every block reported back: the page ran to its end, not just to a clean exit.
    assert len(re.findall(r"^block \d+ ", out, flags=re.M)) == len(blocks), out


@pytest.mark.parametrize("page", PAGES, ids=_name)
def test_every_block_names_its_language(page: Path) -> None:
    for block in code_blocks(page.read_text(encoding="utf-8")):
        where = f"{_name(page)}, line {block.line}"
        assert block.language, f"{where}: a fence with no language (python, text, bash ...)"
        assert block.language not in PYTHON_ALIASES, f"{where}: say python, or text"


def test_the_parser_finds_what_a_reader_sees() -> None:
    text = (
        "Intro\n"
        "```python\nx = 1\n```\n"
        "- a list item\n\n"
        "  ```python\n  y = x + 1\n  ```\n"
        "````markdown\n```python\nnot = run\n```\n````\n"
        "```text\nprinted output\n```\n"
        "~~~bash\nmake test\n~~~\n"
    )
    blocks = code_blocks(text)
    assert [(b.line, b.language) for b in blocks] == [
        (2, "python"),
        (7, "python"),
        (10, "markdown"),
        (15, "text"),
        (18, "bash"),
    ]
    assert blocks[1].code == "y = x + 1\n"  # dedented with its list item
    assert "not = run" in blocks[2].code  # a block shown inside another is not run


def test_a_failing_page_is_caught_by_page_and_block(tmp_path: Path) -> None:
    page = tmp_path / "made-up.md"
    page.write_text(
        "# A page\n\n```python\nimport math\n```\n\nText.\n\n"
        "```python\nx = math.sqrt(4)\nprint(camps)  # defined on another page\n```\n"
    )
    with pytest.raises(pytest.fail.Exception) as failure:
        run_page("docs/made-up.md", python_blocks(page), tmp_path / "run")
    message = str(failure.value)
    assert message.startswith("docs/made-up.md: FAILED block 2 (line 9): NameError")
    assert 'File "docs/made-up.md", line 11' in message  # the page's own line


def test_a_page_using_a_deprecated_name_fails(tmp_path: Path) -> None:
    page = tmp_path / "old.md"
    page.write_text(
        "```python\nimport warnings\n"
        "warnings.warn('use new_name()', DeprecationWarning, stacklevel=1)\n```\n"
    )
    with pytest.raises(pytest.fail.Exception, match=r"block 1 \(line 1\): DeprecationWarning"):
        run_page("old.md", python_blocks(page), tmp_path / "run")


def test_each_page_starts_afresh(tmp_path: Path) -> None:
    first = tmp_path / "first.md"
    first.write_text("```python\nshared = 1\n```\n")
    second = tmp_path / "second.md"
    second.write_text("```python\nassert shared == 1\n```\n")
    run_page("first.md", python_blocks(first), tmp_path / "a")
    with pytest.raises(pytest.fail.Exception, match="NameError"):
        run_page("second.md", python_blocks(second), tmp_path / "b")


def test_a_page_runs_as_a_reader_without_a_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Whatever the developer's shell holds, the page sees none of it.
    monkeypatch.setenv("ATRIBU_API_KEY", "atb_live_FAKE-developer-shell-not-a-key")
    monkeypatch.setenv("ATRIBU_BASE_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("ATRIBU_TODAY", "2026-05-03")
    page = tmp_path / "env.md"
    page.write_text(
        "```python\n"
        "import os, pathlib\n"
        "import matplotlib\n"
        "assert 'ATRIBU_API_KEY' not in os.environ and 'ATRIBU_BASE_URL' not in os.environ\n"
        f"assert os.environ['ATRIBU_TODAY'] == {TODAY!r}\n"
        "assert pathlib.Path(os.environ['ATRIBU_CACHE_DIR']).parent == pathlib.Path.cwd()\n"
        "assert matplotlib.get_backend().lower() == 'agg'\n"
        "```\n"
    )
    run_page("env.md", python_blocks(page), tmp_path / "run")
