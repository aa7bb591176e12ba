"""The intersphinx inventories of the sites our pages link into, written at build time.

Sphinx links ``:class:`pandas.DataFrame``` to pandas' own page through the inventory
(``objects.inv``) pandas publishes. The site is built offline (CI reaches PyPI and Debian
only), so the inventories cannot be downloaded; instead this module writes, in Sphinx's
inventory format (version 2), the names our docstrings and pages link, at the address each
project publishes them under (the URL scheme of its generated API pages, as of its current
stable docs). A name missing here is shown as plain text, never as a broken link.
"""

from __future__ import annotations

import zlib
from pathlib import Path

__all__ = ["SITES", "write_inventories"]

# project: (base URL, {name: (role, path under the base URL)}). "$" in a path stands
# for the name, as in Sphinx's own inventories.
SITES: dict[str, tuple[str, dict[str, tuple[str, str]]]] = {
    "python": (
        "https://docs.python.org/3/",
        {
            "datetime.date": ("py:class", "library/datetime.html#$"),
            "datetime.datetime": ("py:class", "library/datetime.html#$"),
            "pathlib.Path": ("py:class", "library/pathlib.html#$"),
            "os.PathLike": ("py:class", "library/os.html#$"),
            "str": ("py:class", "library/stdtypes.html#$"),
            "dict": ("py:class", "library/stdtypes.html#$"),
            "list": ("py:class", "library/stdtypes.html#$"),
            "tuple": ("py:class", "library/stdtypes.html#$"),
            "int": ("py:class", "library/functions.html#$"),
            "float": ("py:class", "library/functions.html#$"),
            "bool": ("py:class", "library/functions.html#$"),
            "Exception": ("py:exception", "library/exceptions.html#$"),
            "Warning": ("py:exception", "library/exceptions.html#$"),
            "UserWarning": ("py:exception", "library/exceptions.html#$"),
            "ValueError": ("py:exception", "library/exceptions.html#$"),
            "KeyboardInterrupt": ("py:exception", "library/exceptions.html#$"),
            "warnings.warn": ("py:function", "library/warnings.html#$"),
            "warnings.catch_warnings": ("py:class", "library/warnings.html#$"),
        },
    ),
    "pandas": (
        "https://pandas.pydata.org/docs/",
        {
            name: (role, "reference/api/$.html#$")
            for name, role in {
                "pandas.DataFrame": "py:class",
                "pandas.Series": "py:class",
                "pandas.Timestamp": "py:class",
                "pandas.DatetimeIndex": "py:class",
                "pandas.DataFrame.attrs": "py:property",
                "pandas.DataFrame.resample": "py:method",
                "pandas.DataFrame.pivot_table": "py:method",
                "pandas.DataFrame.groupby": "py:method",
                "pandas.DataFrame.to_excel": "py:method",
                "pandas.DataFrame.style": "py:property",
                "pandas.api.extensions.register_dataframe_accessor": "py:function",
                "pandas.read_csv": "py:function",
            }.items()
        },
    ),
    "numpy": (
        "https://numpy.org/doc/stable/",
        {"numpy.ndarray": ("py:class", "reference/generated/$.html#$")},
    ),
    "matplotlib": (
        "https://matplotlib.org/stable/",
        {
            "matplotlib.figure.Figure": ("py:class", "api/_as_gen/$.html#$"),
            "matplotlib.axes.Axes": ("py:class", "api/axes_api.html#$"),
            "matplotlib.pyplot.subplots": ("py:function", "api/_as_gen/$.html#$"),
            "matplotlib.pyplot.show": ("py:function", "api/_as_gen/$.html#$"),
        },
    ),
    "pandera": (
        "https://pandera.readthedocs.io/en/stable/",
        {
            "pandera.api.pandas.model.DataFrameModel": (
                "py:class",
                "reference/generated/$.html#$",
            ),
            "pandera.errors.SchemaError": ("py:exception", "reference/generated/$.html#$"),
        },
    ),
    "requests": (
        "https://requests.readthedocs.io/en/latest/",
        {
            "requests.Session": ("py:class", "api/#$"),
            "requests.Response": ("py:class", "api/#$"),
            "requests.RequestException": ("py:exception", "api/#$"),
        },
    ),
}


def write_inventories(folder: Path) -> dict[str, tuple[str, str]]:
    """Write one ``<project>.inv`` per site into ``folder``; return the intersphinx mapping.

    Examples
    --------
    >>> import tempfile
    >>> mapping = write_inventories(Path(tempfile.mkdtemp()))
    >>> mapping["pandas"][0]
    'https://pandas.pydata.org/docs/'
    """
    folder.mkdir(parents=True, exist_ok=True)
    mapping = {}
    for project, (base, names) in SITES.items():
        lines = "".join(
            f"{name} {role} 1 {path.replace('$', name)} -\n"
            for name, (role, path) in sorted(names.items())
        )
        header = (
            "# Sphinx inventory version 2\n"
            f"# Project: {project}\n"
            "# Version: stable\n"
            "# The remainder of this file is compressed using zlib.\n"
        )
        target = folder / f"{project}.inv"
        target.write_bytes(header.encode() + zlib.compress(lines.encode()))
        mapping[project] = (base, str(target))
    return mapping
