"""Between two clients on one reused report kernel: forget the first, switch to the next.

A batch of client reports (:mod:`atribu_pandas.reports.batch`) runs each client's notebook
in a kernel that already ran another's, to spare a kernel start and its imports. Before
each notebook the kernel runs :data:`NEXT_CLIENT`: IPython's own reset empties the
namespace (every variable, ``_`` and ``Out``, the history), then :func:`next_client`
drops the package state a notebook may have set (the report context, the default client
and its connections, the language, matplotlib's figures and settings) and sets the next
client's key. What a notebook puts outside the namespace and this package (another
module's globals) is not undone.

The keys reach the kernel in its environment only (:data:`ENV_BATCH_KEYS`, a JSON list);
the code the kernel is sent names a position in it, never a key.
"""

from __future__ import annotations

import json
import os
from typing import Any

from atribu_pandas.core.config import ENV_API_KEY
from atribu_pandas.core.language import set_language

__all__ = ["ENV_BATCH_KEYS", "NEXT_CLIENT", "next_client"]

ENV_BATCH_KEYS = "ATRIBU_BATCH_KEYS"
# Binds no name: the namespace stays empty for the notebook.
NEXT_CLIENT = (
    "get_ipython().reset(new_session=True); "
    "__import__('atribu_pandas.reports.namespace', fromlist=['_']).next_client({index})"
)

# matplotlib's settings as the kernel had them before any notebook ran.
_first_rc: list[Any] = []


def next_client(index: int) -> None:
    """Drop what the last notebook left in this package; use the key at ``index``.

    Examples
    --------
    >>> import os
    >>> os.environ["ATRIBU_BATCH_KEYS"] = '["atb_test_a1b2c3d4e5", "atb_test_f6g7h8i9j0"]'
    >>> next_client(1)
    >>> os.environ["ATRIBU_API_KEY"][-2:]
    'j0'
    >>> del os.environ["ATRIBU_BATCH_KEYS"], os.environ["ATRIBU_API_KEY"]
    """
    import matplotlib as mpl
    import matplotlib.pyplot as plt

    from atribu_pandas.loaders import defaults
    from atribu_pandas.reports import helpers

    keys = json.loads(os.environ[ENV_BATCH_KEYS])
    os.environ[ENV_API_KEY] = keys[index]
    helpers.forget_report()
    defaults.forget_clients()
    set_language("en")
    plt.close("all")
    if _first_rc:
        mpl.rcParams.update(_first_rc[0])
    else:
        _first_rc.append(mpl.rcParams.copy())
