"""The "demo data" banner: the one wording the reports and the widgets show.

Kept apart from ``reports`` so the widgets can show it without importing
the report renderer.
"""

from __future__ import annotations

from atribu_pandas.core.language import gettext as _

__all__ = ["demo_banner_html"]


def demo_banner_html(*, key_hint: bool = True, key_variable: str = "ATRIBU_API_KEY") -> str:
    """Return the "demo data" banner as HTML.

    Parameters
    ----------
    key_hint : bool, default True
        Add "Set ATRIBU_API_KEY to see your own data." Leave it out when the sandbox was
        chosen on purpose (``--demo``, a sandbox client): the key may well be set then.
    key_variable : str, default "ATRIBU_API_KEY"
        The variable the hint names (a workspace report reads ``ATRIBU_API_KEYS``).

    Returns
    -------
    str
        A ``<div class="atribu-demo-banner">``.

    Examples
    --------
    >>> "Demo data." in demo_banner_html()
    True
    >>> "ATRIBU_API_KEY" in demo_banner_html(key_hint=False)
    False
    >>> "Set ATRIBU_API_KEYS" in demo_banner_html(key_variable="ATRIBU_API_KEYS")
    True
    """
    hint = (
        " " + _("Set {variable} to see your own data.").format(variable=key_variable)
        if key_hint
        else ""
    )
    heading = _("Demo data.")
    return (
        '<div class="atribu-demo-banner" style="background:#fff4ce;color:#3d2e00;'
        "border:2px solid #c99a00;border-radius:6px;padding:10px 14px;"
        f'margin:8px 0;font-size:1.1em"><b>{heading}</b> '
        + _(
            "These figures are demo data from the built-in sandbox, a made-up advertiser, "
            "not from your Atribu account."
        )
        + f"{hint}</div>"
    )
