"""Item, step and status names, normalised one documented way: surrounding whitespace stripped, then NFC.

Two spellings of one name (``"Build"``, the same with a tab after it, a decomposed ``"Prüfung"``)
would otherwise be two steps or one depending on other cells. Each row whose
name changed is counted as corrected, and each pair of spellings that became one
name is named in a decision. Full-width forms are a different text under NFC and
stay apart.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from vsm_widgets.exceptions import ExportReadError
from vsm_widgets.io.quality import QualityTally
from vsm_widgets.io.text_codes import encode_text

NAME_COLUMNS = ("item", "step", "status", "from_status", "current_status")
# The columns interval visits are sorted and grouped by (`vsm_widgets.io.intervals.interval_visits`).
ENCODED_COLUMNS = ("item", "step")
_SHOWN = 5


def normalise_names(
    frame: pd.DataFrame,
    tally: QualityTally,
    path: str | Path,
    columns: dict[str, str],
    encoded: dict[str, tuple[np.ndarray, pa.Array]] | None = None,
) -> pd.DataFrame:
    """`frame` with its name columns stripped and in NFC, the changes counted in `tally`.

    Parameters
    ----------
    frame : DataFrame
        Rows under canonical column names, with their spreadsheet ``row``.
    tally : QualityTally
        Receives the corrected rows (``name normalised``) and the merges.
    path : str or Path
        The export, for messages.
    columns : dict
        Canonical name -> the column's name in the file, for messages.
    encoded : dict, optional
        Filled with the `encode_text` codes and values of the ``item`` and ``step``
        columns that come back unchanged: finding the distinct names hashes every
        row, and a caller that sorts by these columns need not hash them again.

    Returns
    -------
    DataFrame
        The same frame, or a copy with the changed names.

    Raises
    ------
    ExportReadError
        If a name holds a NUL byte (binary data inside a text file).
    """
    copied = False
    for column in (c for c in NAME_COLUMNS if c in frame):
        values = frame[column]
        # Only the distinct names are looked at: a million rows hold a few hundred steps.
        codes = _encoded(values) if encoded is not None and column in ENCODED_COLUMNS else None
        distinct = codes[1] if codes is not None else _distinct(values)
        candidates = _maybe_changed(distinct)
        broken = [name for name in candidates if "\x00" in str(name)]
        if broken:
            holds_nul = values.map(lambda value: isinstance(value, str) and "\x00" in value, na_action="ignore")
            row = int(frame["row"].to_numpy()[holds_nul.fillna(False).to_numpy(dtype=bool)][0])
            raise ExportReadError(
                f"the {column} name {str(broken[0])[:40]!r} holds a NUL byte, which no name has: binary data "
                "inside a text file",
                "Export the data again; if it was joined from several files, check that none is binary",
                file=path,
                row=row,
                column=columns.get(column, column),
            )
        changed = {name: normal for name in candidates if (normal := _normal(name)) != name}
        if not changed:
            if codes is not None:
                encoded[column] = codes
            continue
        hit = values.isin(list(changed)).to_numpy()
        if not copied:
            frame, copied = frame.copy(), True
        frame[column] = values.replace(changed)
        tally.count(
            "name normalised",
            frame["row"].to_numpy()[hit],
            "corrected",
            f"{column} names are compared stripped of surrounding whitespace and in Unicode NFC",
        )
        present = set(distinct.to_pylist() if isinstance(distinct, pa.Array) else distinct)
        merges = [
            f"{old!r} into {new!r}" for old, new in changed.items() if new in present or _collides(new, old, changed)
        ]
        if merges:
            more = f" and {len(merges) - _SHOWN} more" if len(merges) > _SHOWN else ""
            tally.decide(
                f"{column} names that differ only by whitespace or Unicode form merged: "
                f"{', '.join(merges[:_SHOWN])}{more}"
            )
    return frame


# What str.strip() strips among ASCII characters; NFC leaves ASCII text as it is.
_ASCII_EDGE_SPACE = "^[\t\n\x0b\x0c\r\x1c-\x1f ]|[\t\n\x0b\x0c\r\x1c-\x1f ]$"


def _encoded(values: pd.Series) -> tuple[np.ndarray, pa.Array] | None:
    """`encode_text` of `values`, whose values are the distinct names; None where Arrow cannot hold them."""
    try:
        return encode_text(values)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None


def _distinct(values: pd.Series) -> object:
    """The distinct names, missing ones left out, told apart by Arrow where it can (and kept as Arrow text).

    pandas 2.2 hashes text as C strings, so its ``unique`` takes an empty name and a lone NUL byte for
    one name and the NUL byte would go unseen; Arrow compares the whole string.
    """
    try:
        return pc.unique(pa.array(values, from_pandas=True)).drop_null()
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return values.dropna().unique()


def _maybe_changed(distinct: object) -> list:
    """The distinct names that stripping, NFC or a NUL byte could concern; all of them unless they are text.

    Most names are ASCII with no space at either end, which neither step changes: Arrow finds
    the others without a Python loop over a hundred thousand item keys.
    """
    try:
        array = distinct if isinstance(distinct, pa.Array) else pa.array(distinct)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return list(distinct)
    if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
        return list(distinct)
    suspect = pc.or_(
        pc.invert(pc.string_is_ascii(array)),
        pc.or_(pc.match_substring_regex(array, _ASCII_EDGE_SPACE), pc.match_substring(array, "\x00")),
    )
    return array.filter(suspect).to_pylist()


def _normal(name: str) -> str:
    return unicodedata.normalize("NFC", str(name).strip())


def _collides(new: str, old: str, changed: dict[str, str]) -> bool:
    """Two spellings, neither normal, that become the same name."""
    return any(other != old and target == new for other, target in changed.items())
