"""A plain install (no [notebook] extra) meets one line naming the extra, never a bare
ModuleNotFoundError. The missing libraries are hidden from a fresh interpreter by a meta
path finder that refuses them, as an environment without them would."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

HIDE = textwrap.dedent(
    """
    import sys
    class Refuse:
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in {"matplotlib", "ipywidgets", "nbclient", "nbformat",
                                      "nbconvert", "adjustText", "ipykernel"}:
                raise ModuleNotFoundError(f"No module named {name!r}")
            return None
    sys.meta_path.insert(0, Refuse())
    """
)


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", HIDE + textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_loaders_work_without_the_extra() -> None:
    done = _run(
        """
        import warnings
        warnings.simplefilter("ignore")
        import atribu_pandas as ap
        sb = ap.sandbox.start()
        df = ap.load_campaigns(sb.last_day, sb.last_day, client=sb.client(cache=False))
        print(len(df) >= 0, df.atribu.recompute().shape[0] == len(df))
        """
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "True True"


@pytest.mark.parametrize(
    ("code", "feature"),
    [
        ("import atribu_pandas as ap; ap.widgets", "ap.widgets"),
        ("import atribu_pandas as ap; ap.reports", "ap.reports"),
        ("import pandas as pd, atribu_pandas as ap\npd.DataFrame().atribu.plot", "Charts"),
    ],
)
def test_each_notebook_feature_names_the_extra(code: str, feature: str) -> None:
    done = _run(
        f"""
        try:
            {code.replace(chr(10), chr(10) + " " * 12)}
        except ImportError as error:
            import atribu_pandas as ap
            print(type(error).__name__, isinstance(error, ap.AtribuError))
            print(error)
        """
    )
    assert done.returncode == 0, done.stderr[-2000:]
    kind, message = done.stdout.strip().splitlines()
    assert kind == "MissingExtraError True"
    assert message.startswith(f"{feature} cannot run without ")
    assert message.endswith("pip install 'atribu-pandas[notebook]'")


def test_the_report_command_says_so_in_one_line() -> None:
    done = _run(
        """
        import sys
        from atribu_pandas.cli import main
        sys.exit(main(["report", "campaign_performance", "--demo"]))
        """
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "atribu-pandas: The report command cannot run without nbclient, nbformat, nbconvert, "
        "ipykernel, matplotlib, which come with the notebook extra: "
        "pip install 'atribu-pandas[notebook]'"
    ]
