"""Sphinx configuration of the atribu-pandas documentation site (``make docs``).

The user guide's pages are MyST Markdown notebooks executed at build time (myst-nb) on the
built-in sandbox, as of one pinned day; the API reference is generated from the numpydoc
docstrings, which the build validates with the checks chosen in ``pyproject.toml``.
"""

from __future__ import annotations

import os
import sys
import tempfile
import tomllib
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(DOCS))

from inventories import write_inventories  # noqa: E402
from public_api import public_members  # noqa: E402

from atribu_pandas.core.version import __version__  # noqa: E402

# -- The pages run as a reader runs them: no key (so on the sandbox), a cache of their own,
# and the day pinned, so every figure on the site is the same on every build. The pages
# name days up to Sunday 29 November 2026, the last complete day as of the 30th.
for name in [n for n in os.environ if n.startswith("ATRIBU_")]:
    del os.environ[name]
os.environ["ATRIBU_TODAY"] = "2026-11-30"
os.environ["ATRIBU_CACHE_DIR"] = tempfile.mkdtemp(prefix="atribu-docs-cache-")
os.environ["ATRIBU_PROGRESS"] = "0"

project = "atribu-pandas"
author = "atribu-pandas developers"
copyright = "2026, atribu-pandas developers"
version = release = __version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.intersphinx",
    "numpydoc",
    "myst_nb",
    "sphinxarg.ext",
]

root_doc = "index"
exclude_patterns = ["_build", "**.ipynb_checkpoints", "img/make_*.py"]
templates_path = ["_templates"]

# -- Warnings are errors (``-W``); nitpicky on this package's own names: a dangling
# reference to one of ours fails the build, one to another project's is left as text.
nitpicky = True
nitpick_ignore_regex = [(r"py:.*", r"(?!atribu_pandas\b).*")]

# -- API reference
autosummary_generate = True
autosummary_imported_members = False
autodoc_typehints = "none"  # the numpydoc sections say the types, in words a reader knows
autodoc_member_order = "bysource"
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = True
_checks = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["numpydoc_validation"]
numpydoc_validation_checks = set(_checks["checks"])
numpydoc_validation_exclude = set(_checks["exclude"])
# A class's page lists the members docs/public_api.py calls public (the same the docstring
# test checks): its own and its private mixins', not what it inherits from ipywidgets.
autosummary_context = {"public_members": public_members()}

# -- Links into the sites of the libraries our users read. The build runs offline (CI has
# no access to those sites), so their inventories are written here from docs/inventories.py:
# the names our pages link, at the addresses each project publishes them.
intersphinx_mapping = write_inventories(Path(tempfile.mkdtemp(prefix="atribu-docs-inv-")))
intersphinx_timeout = 1

# -- The user guide: MyST Markdown, executed at build time.
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
nb_execution_mode = "force"
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_execution_timeout = 180
nb_execution_in_temp = True
nb_merge_streams = True
# Whatever kernel a page names, it runs on this interpreter, importing this checkout of
# the package (not another copy installed elsewhere).
nb_kernel_rgx_aliases = {".*": "python3"}
os.environ["PYTHONPATH"] = os.pathsep.join(
    [str(ROOT), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
)
# The pages' kernels run on loopback, where ipykernel's note that TCP is unencrypted (one
# line of every kernel's start, printed among the build's own messages) says nothing
# useful; their IPython profile, a temporary one, keeps their log to errors.
_profile = Path(tempfile.mkdtemp(prefix="atribu-docs-ipython-")) / "profile_default"
_profile.mkdir()
(_profile / "ipython_kernel_config.py").write_text('c.IPKernelApp.log_level = "ERROR"\n')
os.environ["IPYTHONDIR"] = str(_profile.parent)
# The site is static: a page shows what a widget hands back, never a live control, and
# loads no widget JavaScript (it would come from a CDN).
nb_ipywidgets_js: dict[str, dict[str, str]] = {}

# -- HTML
html_theme = "pydata_sphinx_theme"
html_title = f"atribu-pandas {version}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "navbar_align": "left",
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
# Pages with no section of their own show no left sidebar.
html_sidebars: dict[str, list[str]] = {
    page: [] for page in ("index", "getting-started", "gallery", "cli", "changelog")
}
html_show_sourcelink = False
html_static_path = ["_static"]
html_css_files = ["atribu.css"]
