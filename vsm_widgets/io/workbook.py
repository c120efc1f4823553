"""XLSX workbooks: the sheet an export is on, read into a frame, and its cells typed as columns.

Openpyxl gives a sheet as rows of Python values, with ints, floats, datetimes and
text mixed in one column, and trailing rows and columns that only look empty.
This module picks the sheet, finds the header, and turns each column into one
Arrow type. It is apart from `vsm_widgets.io.tables` because a workbook is read
nothing like delimited text, and openpyxl is imported only when one is opened.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pyarrow as pa

from vsm_widgets.exceptions import ExportReadError
from vsm_widgets.io.cells import cell_text


def read_sheet(path: Path, sheet: str | int | None) -> tuple[str, list[str], pd.DataFrame]:
    """The chosen sheet of a workbook: its name, its header and its rows as Python values.

    Parameters
    ----------
    path : Path
        An ``.xlsx`` or ``.xlsm`` file.
    sheet : str, int or None
        The sheet name or 0-based position; the first sheet by default.

    Returns
    -------
    tuple of (str, list of str, DataFrame)
        The sheet's name, the column names of its first row (trimmed, trailing empty ones
        dropped), and the rows below it under those names (object dtype), trailing empty rows dropped.

    Raises
    ------
    ExportReadError
        If the file is not a readable workbook, has no such sheet, or the sheet is empty or not a table.
    """
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # zipfile, XML and openpyxl's own InvalidFileException alike
        raise ExportReadError(
            f"the file is not a readable XLSX workbook ({type(error).__name__})",
            "Open it in a spreadsheet program and save it again as .xlsx, or export CSV",
            file=path,
        ) from None
    try:
        names = book.sheetnames
        if sheet is None:
            chosen = names[0]
        elif isinstance(sheet, int):
            if not 0 <= sheet < len(names):
                raise ExportReadError(
                    f"the workbook has no sheet at position {sheet}",
                    f"Its sheets are: {', '.join(names)}; positions start at 0",
                    file=path,
                )
            chosen = names[sheet]
        elif sheet in names:
            chosen = sheet
        else:
            raise ExportReadError(
                f"the workbook has no sheet '{sheet}'", f"Its sheets are: {', '.join(names)}", file=path
            )
        values = list(book[chosen].iter_rows(values_only=True))
    finally:
        book.close()
    while values and all(v is None or (isinstance(v, str) and not v.strip()) for v in values[-1]):
        values.pop()
    if not values:
        raise ExportReadError(f"sheet '{chosen}' is empty", "Put a header row and the data on it", file=path)
    header = ["" if v is None else str(v).strip() for v in values[0]]
    while header and not header[-1]:
        header.pop()
    if len(header) < 2:
        raise ExportReadError(
            f"sheet '{chosen}' is not a table: its first row has fewer than two column names",
            "Put the header in row 1, one column name per cell",
            file=path,
            row=1,
        )
    body = [list(r[: len(header)]) + [None] * (len(header) - len(r)) for r in values[1:]]
    frame = pd.DataFrame(body, columns=header, dtype=object)
    return chosen, header, frame


def sheet_columns(frame: pd.DataFrame, wanted: list[str]) -> pa.Table:
    """The `wanted` columns of a sheet, each of one Arrow type.

    Parameters
    ----------
    frame : DataFrame
        From `read_sheet`.
    wanted : list of str
        Columns to read.

    Returns
    -------
    pyarrow.Table
        A column of dates and datetimes only as timestamps (microseconds), any other as text.
    """
    picked = frame[wanted]
    # Openpyxl gives ints, floats, datetimes and text in one column: text
    # columns become strings here, with whole floats written without ".0".
    columns = {}
    for name in wanted:
        values = picked[name]
        stamps = values.map(lambda v: v is None or isinstance(v, (dt.date, dt.datetime)))
        if stamps.all() and values.notna().any():
            # Straight to Arrow in microseconds: pandas 2 would convert to nanoseconds and raise on
            # a year such as 1500 or 9999, which the timestamp checks must see and count.
            columns[name] = pa.array([_as_datetime(v) for v in values], type=pa.timestamp("us"))
        else:
            columns[name] = pa.array([cell_text(v) for v in values], type=pa.string())
    return pa.table(columns) if columns else pa.table({})


def _as_datetime(value: object) -> dt.datetime | None:
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.combine(value, dt.time())  # a date cell: midnight
