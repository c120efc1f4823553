"""Writing files so that a crash or an interrupt never leaves one half-written.

Every file the toolkit writes (maps, scenarios, readouts, the index) goes through
`write_atomically`: the old file stays whole until the new one is complete. Files
that belong together (a readout's page and its executed notebook) go through
`write_together`: all are replaced, or none.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
from collections.abc import Mapping
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
    temporary = _staged(target, text)
    try:
        os.replace(temporary, target)
    except BaseException:
        _remove(temporary)
        raise
    return target


def write_together(files: Mapping[str | os.PathLike[str], str | bytes]) -> list[Path]:
    """Replace several files so that either all have their new text or none changed.

    Each file is written as by `write_atomically`, but none replaces its target until all are
    complete on disk; if a later rename fails, the files already replaced get their old text
    back (or are removed, if they were new). A disk that fills up half-way therefore leaves
    the old files, or nothing, never a new file without its companions.

    Parameters
    ----------
    files : mapping of path to str or bytes
        The files and their new content.

    Returns
    -------
    list of pathlib.Path
        The paths written, in the order given.

    Raises
    ------
    OSError
        The first failure, with ``filename`` set to the file being written (not its temporary).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> [p.name for p in write_together({folder / "a.html": "<p>a</p>", folder / "a.ipynb": "{}"})]
    ['a.html', 'a.ipynb']
    """
    targets = [Path(path) for path in files]
    staged: list[Path] = []
    replaced: dict[Path, Path | None] = {}  # target -> a link to its old content, None if it was new
    old: Path | None = None
    current = targets[0] if targets else None
    try:
        for current, text in zip(targets, files.values(), strict=True):
            staged.append(_staged(current, text))
        for current, temporary in zip(targets, staged, strict=True):
            old = _keep_old(current)
            os.replace(temporary, current)
            replaced[current], old = old, None
    except OSError as error:
        _undo(replaced, [*staged, *([old] if old else [])])
        raise OSError(error.errno, error.strerror, str(current)) from error
    except BaseException:
        _undo(replaced, [*staged, *([old] if old else [])])
        raise
    for kept in replaced.values():
        if kept is not None:
            _remove(kept)
    return targets


def _staged(target: Path, text: str | bytes) -> Path:
    """A hidden temporary file beside `target` holding `text`, flushed to disk."""
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
    except BaseException:
        if created:
            _remove(temporary)
        raise
    return temporary


def _keep_old(target: Path) -> Path | None:
    """A hard link to `target`'s current content, to put back; None when there is no target."""
    if not target.exists():
        return None
    old = target.with_name(f".{target.name}.{secrets.token_hex(4)}.old")
    try:
        os.link(target, old)
    except OSError:  # a file system without hard links: a copy does the same
        shutil.copy2(target, old)
    return old


def _undo(replaced: dict[Path, Path | None], leftovers: list[Path]) -> None:
    """Put back the old content of the files `replaced`, and remove the `leftovers`."""
    for target, old in replaced.items():
        with contextlib.suppress(OSError):
            if old is None:
                target.unlink(missing_ok=True)
            else:
                os.replace(old, target)
    for leftover in leftovers:
        _remove(leftover)


def _remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
