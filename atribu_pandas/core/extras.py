"""Say which install extra a feature needs when its libraries are missing.

``pip install atribu-pandas`` brings the loaders and ``df.atribu``'s numbers; charts,
widgets and reports need the ``notebook`` extra (matplotlib, ipywidgets, nbclient, Babel,
...). Each of those modules calls :func:`require_notebook_extra` before importing them,
so a plain install meets one line naming the extra, not a bare ``ModuleNotFoundError``.
"""

from __future__ import annotations

import importlib.util
import sys

from atribu_pandas.exceptions import MissingExtraError

__all__ = ["NOTEBOOK_EXTRA", "require_notebook_extra"]

NOTEBOOK_EXTRA = "pip install 'atribu-pandas[notebook]'"


def _installed(name: str) -> bool:
    # Found, not imported: asking for df.atribu.plot must not cost a matplotlib import.
    if name in sys.modules:
        return sys.modules[name] is not None
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def require_notebook_extra(feature: str, *modules: str) -> None:
    """Raise :class:`~atribu_pandas.MissingExtraError` if a module is missing.

    Parameters
    ----------
    feature : str
        What needs them, in a user's words ("charts", "the report command").
    *modules : str
        The top-level modules it imports.

    Examples
    --------
    >>> require_notebook_extra("charts", "math")
    >>> try:
    ...     require_notebook_extra("charts", "no_such_module_here")
    ... except ImportError as e:
    ...     print(str(e).split(", which")[0])
    charts cannot run without no_such_module_here
    """
    missing = [name for name in modules if not _installed(name)]
    if missing:
        these = ", ".join(missing)
        come = "come" if len(missing) > 1 else "comes"
        raise MissingExtraError(
            f"{feature} cannot run without {these}, which {come} with the notebook extra: "
            f"{NOTEBOOK_EXTRA}"
        )
