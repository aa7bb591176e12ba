"""Between two clients on one reused report kernel: forget the first, switch to the next.

A batch of client reports (``reports.batch``) runs each client's notebook
in a kernel that already ran another's, to spare a kernel start and its imports. Before
each notebook the kernel runs :data:`NEXT_CLIENT`: IPython's own reset empties the
namespace (every variable, ``_`` and ``Out``, the history), then :func:`next_client`
drops the package state a notebook may have set (the report context, the default client
and its connections, the language, matplotlib's figures and settings) and sets the next
client's key. What a notebook puts outside the namespace and this package (another
module's globals) is not undone.

A kernel starts with no key. Each client's key reaches it in :data:`NEXT_CLIENT`, run
silently: no output, no history, no broadcast of the code to other clients of the kernel;
so a kernel holds one client's key at a time, never the others'.
"""

from __future__ import annotations

import os
from typing import Any

from atribu_pandas.core.config import ENV_API_KEY, ENV_BASE_URL
from atribu_pandas.core.language import set_language

__all__ = ["NEXT_CLIENT", "next_client"]

# Binds no name: the namespace stays empty for the notebook. Formatted with the key and
# the base URL (None: the kernel's own ATRIBU_BASE_URL).
NEXT_CLIENT = (
    "get_ipython().reset(new_session=True); "
    "__import__('atribu_pandas.reports.namespace', fromlist=['_'])"
    ".next_client({key!r}, {base_url!r})"
)

# matplotlib's settings as the kernel had them before any notebook ran.
_first_rc: list[Any] = []


def next_client(key: str, base_url: str | None = None) -> None:
    """Drop what the last notebook left in this package; use ``key`` (and ``base_url``).

    Examples
    --------
    >>> import os
    >>> next_client("atb_test_f6g7h8i9j0", "http://127.0.0.1:8765")
    >>> os.environ["ATRIBU_API_KEY"][-2:], os.environ["ATRIBU_BASE_URL"]
    ('j0', 'http://127.0.0.1:8765')
    >>> del os.environ["ATRIBU_API_KEY"], os.environ["ATRIBU_BASE_URL"]
    """
    import matplotlib as mpl
    import matplotlib.pyplot as plt

    from atribu_pandas.loaders import defaults
    from atribu_pandas.reports import helpers

    os.environ[ENV_API_KEY] = key
    if base_url is not None:
        os.environ[ENV_BASE_URL] = base_url
    helpers.forget_report()
    defaults.forget_clients()
    set_language("en")
    plt.close("all")
    if _first_rc:
        mpl.rcParams.update(_first_rc[0])
    else:
        _first_rc.append(mpl.rcParams.copy())
