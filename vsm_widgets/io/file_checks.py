"""Checks before an export's text is read: that the path is a file this process may read, and one encoding.

A FIFO is refused before it is opened (a reader would block on it), and a
file mixing UTF-8 with a stray cp1252 byte is refused rather than re-decoded.
"""

from __future__ import annotations

from pathlib import Path

from vsm_widgets.exceptions import ExportReadError
from vsm_widgets.io.delimited import mixed_encoding

_SUPPORTED = "CSV, TSV, XLSX or Parquet"


def check_readable(path: Path) -> None:
    """Refuse what is not a regular file this process may read, saying which of the cases it is.

    Parameters
    ----------
    path : Path
        The export.

    Raises
    ------
    ExportReadError
        For a missing path, a dangling or looping link, a folder, a pipe or device, or a file that cannot be opened.
    """
    if path.is_symlink() and not path.exists():
        raise ExportReadError(
            "the path is a symbolic link that leads nowhere (its target is missing, or the links loop)",
            "Give the file itself, or fix the link",
            file=path,
        )
    if not path.exists():
        raise ExportReadError("the file does not exist", "Check the path and the file name", file=path)
    if path.is_dir():
        raise ExportReadError("this is a folder, not a file", f"Give one {_SUPPORTED} export", file=path)
    if not path.is_file():
        # A FIFO would block the reader until something writes to it.
        raise ExportReadError(
            "this is not a regular file (a pipe, a socket or a device)",
            f"Save the export to a file and give that: one {_SUPPORTED} export",
            file=path,
        )
    try:
        with path.open("rb"):
            pass
    except OSError as error:
        raise ExportReadError(
            f"the file cannot be opened ({error.strerror or type(error).__name__})",
            "Check that you may read it (its permissions), or copy it to a folder of your own",
            file=path,
        ) from None


def refuse_mixed_encoding(path: Path, delimiter: str, columns: list[str]) -> None:
    """Refuse a UTF-8 file with a byte that is not, naming its row; a consistent cp1252 file passes.

    Parameters
    ----------
    path : Path
        The text export.
    delimiter : str
        Its delimiter.
    columns : list of str
        Its column names, to name the column of the byte.

    Raises
    ------
    ExportReadError
        If the file holds UTF-8 characters and a byte that is not UTF-8.
    """
    found = mixed_encoding(path, delimiter)
    if found is None:
        return
    row, position, byte = found
    as_cp1252 = bytes([byte]).decode("cp1252", errors="replace")
    raise ExportReadError(
        f"the file is UTF-8 but this row holds the byte 0x{byte:02X}, which is not UTF-8 "
        f"(in cp1252 it is {as_cp1252!r}); reading the whole file as cp1252 would garble its other text",
        "Fix that cell, or save the file again as UTF-8 (one program probably wrote that row in another encoding)",
        file=path,
        row=row,
        column=columns[position] if position < len(columns) else None,
    )
