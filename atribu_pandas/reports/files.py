"""Files a report writes: whole or not at all, with the mode the user's other files get.

Every file :func:`~atribu_pandas.reports.render` leaves (the HTML, the executed notebook,
the PDF, the CSV files and the workbook) is written by :func:`write_atomic`: to a new file
beside the target, renamed over it once complete, so a reader never opens half a report.
"""

from __future__ import annotations

import os
import secrets
import unicodedata
from pathlib import Path

__all__ = ["file_slug", "write_atomic"]

# What a plain open(path, "w") asks the kernel for; the kernel takes the umask off.
_PLAIN_MODE = 0o666
_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)


def _create_beside(path: Path) -> tuple[int, Path]:
    # tempfile.mkstemp creates its file 0600 whatever the umask, so a report shared on a
    # team's folder could not be read by the team. Asking for 0666 here lets the kernel
    # apply the umask as it does for open(): nothing reads the umask (os.umask can only
    # read it by setting it, a race with any other thread creating a file meanwhile).
    # O_EXCL with a random name is what mkstemp itself does against a planted file.
    for _ in range(100):
        candidate = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
        try:
            return os.open(candidate, _FLAGS, _PLAIN_MODE), candidate
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {path}")


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write ``content`` (text as UTF-8) to a new file beside ``path``, renamed over it
    only once complete; the file gets the mode ``open(path, "w")`` would give.

    Examples
    --------
    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "r.html"
    >>> write_atomic(target, "<html></html>")
    >>> target.read_text()
    '<html></html>'
    >>> mask = os.umask(0o027); write_atomic(target, b"x"); _ = os.umask(mask)
    >>> oct(target.stat().st_mode & 0o777)
    '0o640'
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    fd, temporary = _create_beside(path)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def file_slug(name: str, used: set[str]) -> str:
    """A file name for ``name``: ASCII letters and digits joined by ``-``, not in ``used``
    (which it joins).

    Examples
    --------
    >>> used = set()
    >>> file_slug("Clínica Sonrisa (Madrid)", used), file_slug("Clinica Sonrisa Madrid", used)
    ('clinica-sonrisa-madrid', 'clinica-sonrisa-madrid-2')
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = "".join(c if c.isalnum() else " " for c in ascii_name.lower()).split()
    base = "-".join(words)[:60].strip("-") or "client"
    slug, n = base, 1
    while slug in used:
        n += 1
        slug = f"{base}-{n}"
    used.add(slug)
    return slug
