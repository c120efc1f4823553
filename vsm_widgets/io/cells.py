"""How the cells a reader got become the columns a timing export is read from.

Every format ends here: pyarrow's CSV reader, an XLSX sheet, a Parquet file and a
table already in memory (`vsm_widgets.io.frames`) all hand over Arrow columns, and
the same rules make them alike: text stripped of surrounding spaces, blank cells
missing, dates as timestamps, and a value of any other type written as a
spreadsheet shows it. It is apart from `vsm_widgets.io.tables` because those
rules are shared by the readers rather than belonging to one file format.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


def cell_text(value: object) -> str | None:
    """A cell's value as the text a spreadsheet shows: whole floats without ".0", dates in ISO 8601.

    Parameters
    ----------
    value : object
        A value as openpyxl, pyarrow or pandas give it.

    Returns
    -------
    str or None
        None for a missing value.
    """
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def typed_columns(table: pa.Table, wanted: list[str]) -> pa.Table:
    """The `wanted` columns of a typed table (Parquet, Arrow in memory): times and text kept, the rest as text.

    Parameters
    ----------
    table : pyarrow.Table
        A table whose columns carry their own types.
    wanted : list of str
        The columns the export is read from.

    Returns
    -------
    pyarrow.Table
        Timestamps, dates and text as they are (large and dictionary text as plain text); a
        value of any other type written as a spreadsheet shows it (`cell_text`).
    """
    columns = {}
    for name in wanted:
        column = table.column(name)
        if pa.types.is_timestamp(column.type) or pa.types.is_date(column.type) or pa.types.is_string(column.type):
            columns[name] = column
        elif pa.types.is_large_string(column.type) or pa.types.is_dictionary(column.type):
            columns[name] = column.cast(pa.string())
        else:
            columns[name] = pa.array([cell_text(v) for v in column.to_pylist()], type=pa.string())
    return pa.table(columns)


def arrow_frame(table: pa.Table, timestamp_columns: set[str], blanks_are_missing: bool) -> pd.DataFrame:
    """Strip text, turn blank cells into missing values, and hand columns to pandas.

    Parameters
    ----------
    table : pyarrow.Table
        The columns a reader read.
    timestamp_columns : set of str
        Columns holding timestamps: typed ones are kept, anything else becomes text to parse later.
    blanks_are_missing : bool
        True when the reader already read empty cells as missing (pyarrow's CSV reader does).

    Returns
    -------
    DataFrame
    """
    columns = {}
    for name in table.column_names:
        column = table.column(name)
        if pa.types.is_date(column.type):
            column = column.cast(pa.timestamp("s"))
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            column = _blank_as_missing(column, blanks_are_missing)
            # One buffer per column, made while the reader's own are still to be freed: its hundreds of
            # block-sized chunks, kept until the visits are built, left holes in the heap that the
            # column-long arrays cut later do not fit (the peak of a million rows 40 MB higher).
            column = pa.chunked_array([column.combine_chunks()]) if column.num_chunks > 1 else column
        elif not pa.types.is_timestamp(column.type) and name in timestamp_columns:
            column = column.cast(pa.string())
        columns[name] = column
    return pa.table(columns).to_pandas() if columns else pd.DataFrame()


def _blank_as_missing(column: pa.ChunkedArray, blanks_are_missing: bool) -> pa.ChunkedArray:
    """Strip surrounding spaces and make blank cells missing; most columns need neither, and are left alone.

    `blanks_are_missing` says the reader already read empty cells as missing (pyarrow's CSV reader does).
    """
    # starts_with/ends_with are plain byte checks, many times cheaper than a regular expression;
    # a cell padded only with tabs is too rare in exports to pay two more passes for.
    padded = pc.any(pc.starts_with(column, " ")).as_py() or pc.any(pc.ends_with(column, " ")).as_py()
    if padded:
        column = pc.utf8_trim_whitespace(column)
    if (padded or not blanks_are_missing) and pc.any(pc.equal(column, "")).as_py():
        column = pc.if_else(pc.equal(column, ""), pa.scalar(None, column.type), column)
    return column
