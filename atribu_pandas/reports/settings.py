"""A workspace's client settings file: each client's name, currency, language, targets.

One TOML file serves every template. ``[defaults]`` applies to every client, and each
``[clients."<label>"]`` table to one: the label is the client's label in
``ATRIBU_API_KEYS`` (or, with ``--demo``, a sandbox profile's name). For example::

    [defaults]
    locale = "en_US"
    target_roas = 2.0

    [clients."Bright Smile Dental"]
    name = "Bright Smile Dental S.L."   # shown at the top of the report
    currency = "EUR"
    locale = "es_ES"                   # numbers, dates, paper; the words follow it
    logo = "logos/bright-smile.png"    # relative to this file
    target_roas = 2.5
    target_cpa = 120
    monthly_budget = 30000             # or { "Spring Promo" = 12000, ... } per campaign
    api_key_env = "BRIGHT_SMILE_KEY"   # where its key is, if not in ATRIBU_API_KEYS

    [clients."Bright Smile Dental".parameters]   # any other template parameter
    top = 5

:data:`SETTINGS` lists what a table may hold. A setting the template has no parameter for
is left out (``monthly_budget`` for the trends report), so one file serves them all; a
name outside :data:`SETTINGS` is refused. A client's key is read from the environment
variable its ``api_key_env`` names, else from ``ATRIBU_API_KEYS``. ``api_key`` may hold
the key itself only in a file no one else can read (``chmod 600``), as ssh asks of a
private key. Every value is checked, before any request, by the template it goes to.
"""

from __future__ import annotations

import os
import stat
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from atribu_pandas.core.config import has_workspace_keys, workspace_keys
from atribu_pandas.exceptions import ArgumentError

__all__ = ["SETTINGS", "ClientSettings", "client_keys", "read_settings"]

# Setting name -> the template parameter it sets (None: not a parameter).
SETTINGS: dict[str, str | None] = {
    "name": "client_name",
    "currency": "currency",
    "locale": "locale",
    "language": "language",
    "logo": "logo",
    "notes": "notes",
    "title": "title",
    "target_roas": "target_roas",
    "target_cpa": "target_cpa",
    "target_cost_per_conversation": "target_cost_per_conversation",
    "monthly_budget": "monthly_budget",
    "api_key": None,
    "api_key_env": None,
    "parameters": None,
}


@dataclass
class ClientSettings:
    """One client's settings: the template parameters its named settings set (left out
    where a template has no such parameter), those of its ``parameters`` table (checked
    as given), and where its key is (never the key's value in a repr)."""

    parameters: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    api_key_env: str | None = None
    api_key: str | None = field(default=None, repr=False)

    def key(self) -> str | None:
        """The client's own key (from ``api_key_env`` or ``api_key``), else None.

        Raises
        ------
        ArgumentError
            ``api_key_env`` names a variable that is not set.

        Examples
        --------
        >>> ClientSettings().key() is None
        True
        """
        if self.api_key_env:
            value = os.environ.get(self.api_key_env, "").strip()
            if not value:
                raise ArgumentError(
                    "api_key_env", self.api_key_env, "the name of a set environment variable"
                )
            return value
        return self.api_key


def _client(table: Any, where: str, folder: Path) -> ClientSettings:
    if not isinstance(table, Mapping):
        raise ArgumentError(where, type(table).__name__, "a table of settings")
    unknown = sorted(set(table) - set(SETTINGS))
    if unknown:
        raise ArgumentError(
            f"{where}.{unknown[0]}", table[unknown[0]], "one of " + ", ".join(SETTINGS)
        )
    extra = table.get("parameters", {})
    if not isinstance(extra, Mapping):
        raise ArgumentError(f"{where}.parameters", extra, "a table of template parameters")
    parameters = {}
    for name, parameter in SETTINGS.items():
        if parameter is not None and name in table:
            parameters[parameter] = table[name]
    if isinstance(parameters.get("logo"), str) and parameters["logo"]:
        parameters["logo"] = str(folder / Path(parameters["logo"]).expanduser())
    for name in ("api_key", "api_key_env"):
        if name in table and not (isinstance(table[name], str) and table[name].strip()):
            shown = "(hidden)" if name == "api_key" else table[name]
            raise ArgumentError(f"{where}.{name}", shown, "a non-empty string")
    return ClientSettings(parameters, dict(extra), table.get("api_key_env"), table.get("api_key"))


def read_settings(
    path: str | os.PathLike[str],
) -> tuple[ClientSettings, dict[str, ClientSettings]]:
    """Read a client settings file: the defaults, and each client's settings.

    Parameters
    ----------
    path : str or path-like
        A TOML file as in this module's description.

    Returns
    -------
    (ClientSettings, dict of label to ClientSettings)

    Raises
    ------
    ArgumentError
        A missing or unreadable file, TOML that does not parse (its line), a name outside
        :data:`SETTINGS`, or ``api_key`` in a file others can read.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> file = pathlib.Path(tempfile.mkdtemp()) / "clients.toml"
    >>> _ = file.write_text('[defaults]\\ntarget_roas = 2\\n[clients."A"]\\nname = "A Ltd"\\n')
    >>> defaults, clients = read_settings(file)
    >>> defaults.parameters, clients["A"].parameters
    ({'target_roas': 2}, {'client_name': 'A Ltd'})
    """
    file = Path(path).expanduser()
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise ArgumentError("settings", str(file), f"a readable UTF-8 TOML file ({err})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ArgumentError("settings", str(file), f"valid TOML ({err})") from None
    unknown = sorted(set(data) - {"defaults", "clients"})
    if unknown:
        raise ArgumentError(
            f"settings [{unknown[0]}]", str(file), '[defaults] and [clients."<label>"]'
        )
    folder = file.resolve().parent
    defaults = _client(data.get("defaults", {}), "[defaults]", folder)
    if defaults.api_key or defaults.api_key_env:
        raise ArgumentError("[defaults] api_key", "(hidden)", "a key in a client's own table")
    clients_table = data.get("clients", {})
    if not isinstance(clients_table, Mapping):
        raise ArgumentError("[clients]", str(file), 'tables named [clients."<label>"]')
    clients = {
        str(label): _client(table, f'[clients."{label}"]', folder)
        for label, table in clients_table.items()
    }
    if any(c.api_key for c in clients.values()) and os.stat(file).st_mode & (
        stat.S_IRWXG | stat.S_IRWXO
    ):
        raise ArgumentError(
            "settings",
            str(file),
            f"a file only you can read when it holds api_key (chmod 600 {file}), or "
            "api_key_env naming an environment variable instead",
        )
    return defaults, clients


def client_keys(
    keys: Mapping[str, str] | None, settings: Mapping[str, ClientSettings]
) -> dict[str, str]:
    """Each client's key: its settings' own, else the given keys or ``ATRIBU_API_KEYS``;
    refuse a client with none, or no client at all.

    Examples
    --------
    >>> client_keys({"Clinic A": "atb_test_a1b2c3d4e5"}, {})
    {'Clinic A': 'atb_test_a1b2c3d4e5'}
    """
    given = dict(keys) if keys is not None else (workspace_keys() if has_workspace_keys() else {})
    for label, client in settings.items():
        own = client.key()
        if own is not None:
            given[label] = own
    missing = [label for label in settings if label not in given]
    if missing:
        raise ArgumentError(
            f'[clients."{missing[0]}"]',
            "no key",
            "a label of ATRIBU_API_KEYS, or api_key_env naming its key's variable",
        )
    if not given:
        raise ArgumentError(
            "workspace",
            "no keys",
            "ATRIBU_API_KEYS='Clinic A=atb_live_...,Group B=atb_live_...', keys in a "
            "settings file, or demo=True (the sandbox's clients)",
        )
    return given
