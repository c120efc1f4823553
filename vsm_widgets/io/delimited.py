"""Delimited text: which encoding and which delimiter a timing export uses.

Both are read from the first 64 KiB; the reader in `vsm_widgets.io.tables`
falls back from UTF-8 to cp1252 if a later line proves the guess wrong.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from pathlib import Path

DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
# A multi-byte UTF-8 character; cp1252 text almost never forms one by chance ("Ã¼" would).
_UTF8_CHARACTER = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_CHUNK = 1 << 24


def detect_encoding(sample: bytes) -> tuple[str | None, str]:
    """The encoding of the start of a text file, and the text; None if it looks binary.

    A BOM decides; otherwise UTF-8 if the sample decodes as UTF-8, else cp1252
    (Windows Western European, a superset of Latin-1's printable characters).

    Examples
    --------
    >>> detect_encoding("Stra\u00dfe;1".encode("cp1252"))
    ('cp1252', 'Stra\u00dfe;1')
    """
    if sample.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig", sample[3:].decode("utf-8", errors="ignore")
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16", sample.decode("utf-16", errors="ignore")
    for cut in range(4):
        try:
            return "utf-8", sample[: len(sample) - cut].decode("utf-8")
        except UnicodeDecodeError as error:
            # A sample may end inside a multi-byte character; anything earlier is not UTF-8.
            if error.start < len(sample) - cut - 4:
                break
    if b"\x00" in sample:
        return None, ""
    return "cp1252", sample.decode("cp1252", errors="replace")


def looks_binary(text: str) -> bool:
    """True when more than 1 % of the first 4 KiB are control characters."""
    controls = sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\r\n\t\f")
    return controls > 0.01 * max(len(text[:4096]), 1)


def sniff_delimiter(lines: list[str], prefer_tab: bool) -> tuple[str, list[str], float]:
    """The delimiter that splits the first lines into equally many, and the most, fields.

    A comma inside numbers (``1,5`` in a semicolon file) splits every line
    into equally many pieces too, but into fewer than the real delimiter does.

    Returns
    -------
    delimiter : str
    header : list of str
        The first record split by it.
    agreeing : float
        Share of the following sample lines with as many fields as the header
        (1.0 when there are none); a low share means the text is not a table.

    Examples
    --------
    >>> sniff_delimiter(["case;hours", "C1;1,5", "C2;2,25"], prefer_tab=False)
    (';', ['case', 'hours'], 1.0)
    """
    sample = "\n".join(lines[:50])
    best: tuple[tuple[bool, bool, int, int], str, list[str], float] | None = None
    for delimiter in DELIMITERS:
        records = [r for r in csv.reader(io.StringIO(sample), delimiter=delimiter) if r]
        if not records:
            continue
        width = len(records[0])
        consistent = sum(len(r) == width for r in records[1:])
        score = (width > 1, prefer_tab and delimiter == "\t" and width > 1, consistent, width)
        if best is None or score > best[0]:
            best = (score, delimiter, records[0], consistent / (len(records) - 1) if len(records) > 1 else 1.0)
    assert best is not None
    return best[1], best[2], best[3]


def mixed_encoding(path: Path, delimiter: str) -> tuple[int, int, int] | None:
    """Where a file that is UTF-8 elsewhere holds a byte that is not; None if it is consistently not UTF-8.

    A file with UTF-8 characters and one stray cp1252 byte must not be
    re-decoded as cp1252 as a whole (every "ü" would become "Ã¼").

    Parameters
    ----------
    path : Path
        The text file, known not to decode as UTF-8.
    delimiter : str
        Its delimiter, to tell the column.

    Returns
    -------
    (row, column, byte) or None
        Spreadsheet row (header = 1, counting lines), 0-based field position
        (quotes ignored) and value of the first byte that is not UTF-8.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset, bad, utf8 = 0, None, False
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            utf8 = utf8 or _UTF8_CHARACTER.search(chunk) is not None
            if bad is None:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as error:
                    # The decoder may hold up to 3 bytes of the previous chunk before `error.start`.
                    bad = max(offset + error.start - len(error.object) + len(chunk), 0)
            if bad is not None and utf8:
                break
            offset += len(chunk)
        if bad is None or not utf8:
            return None
        handle.seek(0)
        before = handle.read(bad + 1)
    line_start = before.rfind(b"\n") + 1
    field = before[line_start:bad].count(delimiter.encode())
    return before.count(b"\n") + 1, field, before[bad]
