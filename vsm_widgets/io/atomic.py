"""Writing files so that a crash or an interrupt never leaves one half-written.

Every file the toolkit writes (maps, scenarios, readouts, the index) goes through
`write_atomically`: the old file stays whole until the new one is complete.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path


def write_atomically(path: str | os.PathLike[str], text: str | bytes) -> Path:
    """Replace a file with new text so that it is never seen half-written.

    The text goes to a hidden temporary file in the same folder, is flushed to disk, and
    replaces the target in one rename. On any failure, an interrupt included, the temporary
    file is removed and the old file (if any) is left whole. A replaced file keeps its
    permissions; a new one gets those the umask gives any new file.

    Parameters
    ----------
    path : str or PathLike
        The file to write.
    text : str or bytes
        Its new content: text is written as UTF-8 with the line endings given,
        bytes (an image) as they are.

    Returns
    -------
    pathlib.Path
        The path written.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> write_atomically(folder / "map.yaml", "name: A map").read_text()
    'name: A map'
    """
    target = Path(path)
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    created = False
    try:
        # os.open with 0o666 lets the umask decide the permissions, as for any other new file.
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        created = True
        binary = isinstance(text, bytes)
        with open(
            descriptor, "wb" if binary else "w", encoding=None if binary else "utf-8", newline=None if binary else ""
        ) as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if target.exists():
            os.chmod(temporary, target.stat().st_mode & 0o7777)
        os.replace(temporary, target)
    except BaseException:
        if created:
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()
        raise
    return target
