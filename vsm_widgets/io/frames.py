"""Exports already in Python: a pandas DataFrame or a pyarrow Table read as a file would be.

A user with data from an API should not have to write a CSV to measure it. The
table gets the same treatment as a Parquet file: columns recognised or mapped,
text stripped, timestamps parsed or kept when typed, and every row accounted for
in the quality report. Rows are numbered as in the CSV the table would write
(``DataFrame.to_csv(index=False)``: the header is row 1, the first record row 2),
so a message about row 7 points at the same record either way.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from vsm_widgets.exceptions import ExportReadError
from vsm_widgets.io.cells import arrow_frame, cell_text, typed_columns
from vsm_widgets.io.tables import RawTable


def is_in_memory(source: object) -> bool:
    """True for a pandas DataFrame or a pyarrow Table.

    Parameters
    ----------
    source : object
        What `read_export` was given.

    Returns
    -------
    bool
    """
    return isinstance(source, (pd.DataFrame, pa.Table))


@dataclass
class FrameTable:
    """A table in memory, opened as `vsm_widgets.io.tables.open_table` opens a file.

    Use `open_frame`; then `read` the columns needed.
    """

    label: str
    table: pa.Table
    columns: list[str]
    description: str

    def read(self, wanted: list[str], timestamp_columns: set[str], timestamp_format: str | None) -> RawTable:
        """Read the `wanted` columns: timestamps kept when typed, everything else as text.

        Parameters
        ----------
        wanted : list of str
            Columns to read, by their names in the table.
        timestamp_columns : set of str
            Those of `wanted` that hold timestamps.
        timestamp_format : str or None
            Not needed here (text timestamps are parsed later, as for any file); accepted so
            that a table and a file are read alike.

        Returns
        -------
        RawTable
        """
        if self.table.num_rows == 0:
            raise ExportReadError("the table has columns but no rows", "Pass the data with its rows", file=self.label)
        frame = arrow_frame(typed_columns(self.table, wanted), timestamp_columns, blanks_are_missing=False)
        return RawTable(frame, np.arange(self.table.num_rows) + 2, self.table.num_rows)


def open_frame(source: pd.DataFrame | pa.Table) -> FrameTable:
    """Open a DataFrame or a Table far enough to know its columns.

    Parameters
    ----------
    source : pandas.DataFrame or pyarrow.Table
        The export's rows. Its index is not read: a column it should read must be a column.

    Returns
    -------
    FrameTable

    Raises
    ------
    ExportReadError
        If a column name is not text or is repeated, or a column cannot be turned into Arrow.
    """
    kind = "pandas DataFrame" if isinstance(source, pd.DataFrame) else "pyarrow Table"
    label = f"<{kind}>"
    names = [str(c) for c in source.columns] if isinstance(source, pd.DataFrame) else list(source.column_names)
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ExportReadError(
            f"the column names {', '.join(repeated)} appear more than once",
            "Give each column a name of its own",
            file=label,
            row=1,
        )
    if isinstance(source, pa.Table):
        return FrameTable(label, source, names, kind)
    frame = source.set_axis(names, axis=1)
    try:
        table = pa.Table.from_pandas(frame, preserve_index=False)
    except (pa.ArrowException, TypeError, ValueError):
        # Object columns that mix types (a number here, text there) become text, as a CSV would hold them.
        mixed = {name: frame[name].map(cell_text) for name in names if frame[name].dtype == object}
        table = pa.Table.from_pandas(frame.assign(**mixed), preserve_index=False)
    return FrameTable(label, table, names, kind)
