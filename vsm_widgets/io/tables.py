"""File formats of timing exports: delimited text, XLSX and Parquet, read into a table.

A `TableFile` first reads only the header (so the reader can decide which
columns it needs before touching the data), then reads those columns. Text is
read by pyarrow's multi-threaded CSV reader with the delimiter and encoding
detected from the first 64 KiB; timestamp columns are left to pyarrow's own
(vectorised, C++) timestamp parsing, and anything it cannot type comes back as
text for `vsm_widgets.timestamps`. Malformed lines are counted, not fatal.
Workbooks are read by `vsm_widgets.io.workbook`; the rules that make every
format's cells alike are in `vsm_widgets.io.cells`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from vsm_widgets.exceptions import ExportReadError
from vsm_widgets.io.cells import arrow_frame, typed_columns
from vsm_widgets.io.delimited import DELIMITERS, detect_encoding, looks_binary, sniff_delimiter
from vsm_widgets.io.file_checks import check_readable, refuse_mixed_encoding
from vsm_widgets.io.workbook import read_sheet, sheet_columns
from vsm_widgets.serial_times import SERIAL_FORMATS

TEXT_SUFFIXES = (".csv", ".tsv", ".tab", ".txt")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
PARQUET_SUFFIXES = (".parquet", ".pq")
_SAMPLE_BYTES = 64 * 1024
_SUPPORTED = "CSV, TSV, XLSX or Parquet"


@dataclass(frozen=True)
class RawTable:
    """The columns a reader asked for, with the spreadsheet row of every record.

    Parameters
    ----------
    frame : DataFrame
        The requested columns under their names in the file; text columns are
        stripped strings with missing values for empty cells.
    rows : numpy.ndarray
        Spreadsheet row (header = 1) of each record of `frame`.
    rows_read : int
        Data records in the file, malformed ones included.
    malformed : tuple of int
        Rows that could not be split into the header's columns (not in `frame`).
    unterminated : tuple of int
        Rows lost to a quote that is never closed: the row that opens it and
        the lines it swallowed into one cell (not in `frame`).
    """

    frame: pd.DataFrame
    rows: np.ndarray
    rows_read: int
    malformed: tuple[int, ...] = ()
    unterminated: tuple[int, ...] = ()


@dataclass
class TableFile:
    """One export file, opened far enough to know its columns.

    Use `open_table`; then `read` the columns needed.
    """

    path: Path
    kind: str
    columns: list[str]
    description: str
    encoding: str = "utf-8"
    delimiter: str = ","
    quoted: bool = False
    decisions: tuple[str, ...] = ()
    renamed: bool = False
    skip_lines: int = 0
    unterminated: tuple[int, ...] = ()
    _sheet_frame: pd.DataFrame | None = field(default=None, repr=False)
    _arrow_table: pa.Table | None = field(default=None, repr=False)

    def read(self, wanted: list[str], timestamp_columns: set[str], timestamp_format: str | None) -> RawTable:
        """Read the `wanted` columns (names as in the file).

        Parameters
        ----------
        wanted : list of str
            Columns to read.
        timestamp_columns : set of str
            Those of `wanted` that hold timestamps: typed where the format can
            do it (pyarrow parsing, Excel dates), text otherwise.
        timestamp_format : str or None
            A strptime format pyarrow should try besides ISO 8601.

        Returns
        -------
        RawTable
        """
        if self.kind == "text":
            table, rows, rows_read, malformed = self._read_text(wanted, timestamp_columns, timestamp_format)
        elif self.kind in ("excel", "frame"):
            table, rows, rows_read, malformed = self._read_excel(wanted)
        elif self.kind == "arrow":
            # Records a reader built itself (XES events); row numbers count them as a table would.
            assert self._arrow_table is not None
            table = self._arrow_table.select(wanted)
            rows, rows_read, malformed = np.arange(table.num_rows) + 2, table.num_rows, ()
        else:
            table, rows, rows_read, malformed = self._read_parquet(wanted)
        if rows_read == 0:
            raise ExportReadError(
                "the file has a header but no data rows", "Export the data again with its rows", file=self.path, row=2
            )
        frame = arrow_frame(table, timestamp_columns, blanks_are_missing=self.kind == "text")
        # Arrow keeps the CSV reader's buffers for reuse (about 100 MB at a million rows); nothing else of
        # Arrow's will be as large, so they go back to the system before the visits are built on top of them.
        del table
        pa.default_memory_pool().release_unused()
        return RawTable(frame, rows, rows_read, malformed, self.unterminated)

    def _read_text(
        self, wanted: list[str], timestamp_columns: set[str], timestamp_format: str | None
    ) -> tuple[pa.Table, np.ndarray, int, tuple[int, ...]]:
        text_columns = [c for c in wanted if c not in timestamp_columns]
        # Numbers (epoch_s, epoch_ms, excel) are not strptime formats: they are read as text and parsed later.
        strptime = timestamp_format and timestamp_format not in SERIAL_FORMATS
        parsers = [pacsv.ISO8601] + ([timestamp_format] if strptime else [])
        typed_timestamps, collect, encoding = True, False, self.encoding
        block_size = 1 << 20  # pyarrow's default
        # Each retry drops one assumption of the fast first attempt: typed
        # timestamps, well-formed lines, or the encoding read from the sample.
        for _attempt in range(5):
            malformed: list[int] = []
            lost: list[int] = []
            handler = None
            if collect:

                def handler(row: pacsv.InvalidRow, sink: list[int] = malformed, swallowed: list[int] = lost) -> str:
                    number = row.number if row.number is not None else -1
                    spanned = row.text.rstrip("\r\n").count("\n")
                    # A bad record over several lines lost each of them; with an odd number of quotes, to a
                    # quote never closed that took them into one cell.
                    lines = range(number, number + spanned + 1) if number > 0 else [number]
                    (swallowed if spanned and row.text.count('"') % 2 else sink).extend(lines)
                    return "skip"

            # Large strings are what pandas keeps its text in: read as such, the join of each column's chunks
            # (`cells.arrow_frame`) is the only copy before pandas has them, where a cast would be another.
            types = {c: pa.large_string() for c in (text_columns if typed_timestamps else wanted)}
            # Header names padded with spaces are read under their trimmed names (said in `decisions`);
            # an Excel "sep=;" line before the header is skipped.
            names: dict[str, object] = {"skip_rows": self.skip_lines}
            if self.renamed:
                names = {"column_names": self.columns, "skip_rows": self.skip_lines + 1}
            try:
                table = pacsv.read_csv(
                    self.path,
                    read_options=pacsv.ReadOptions(
                        encoding=encoding, use_threads=not collect, block_size=block_size, **names
                    ),
                    parse_options=pacsv.ParseOptions(
                        delimiter=self.delimiter, newlines_in_values=self.quoted, invalid_row_handler=handler
                    ),
                    convert_options=pacsv.ConvertOptions(
                        include_columns=wanted,
                        column_types=types,
                        timestamp_parsers=parsers,
                        null_values=[""],
                        strings_can_be_null=True,
                        quoted_strings_can_be_null=True,
                    ),
                )
            except (pa.ArrowInvalid, UnicodeDecodeError) as error:
                message = str(error)
                if typed_timestamps and re.search(r"conversion error to (timestamp|date)", message):
                    typed_timestamps = False
                elif "straddl" in message and block_size < self.path.stat().st_size:
                    # A cell longer than a block (a pasted log, a long note): read the file as one block.
                    block_size = min(self.path.stat().st_size + 1, 2**31 - 1)
                elif "Expected" in message and "columns" in message and not self.quoted:
                    # A quoted line break past the sample splits a record in two; read quotes fully first.
                    self.quoted = True
                elif "Expected" in message and "columns" in message and not collect:
                    collect = True
                elif ("UTF8" in message or isinstance(error, UnicodeDecodeError)) and encoding == "utf-8":
                    refuse_mixed_encoding(self.path, self.delimiter, self.columns)
                    encoding = "cp1252"
                    self.encoding, self.description = encoding, self.description.replace("UTF-8", encoding)
                else:
                    raise ExportReadError(
                        f"the file cannot be read as {DELIMITERS.get(self.delimiter, self.delimiter)}-separated text "
                        f"({message.splitlines()[0][:200]})",
                        f"Save it again as {_SUPPORTED}",
                        file=self.path,
                    ) from None
                continue
            known = sorted(r for r in malformed if r > 0)
            self.unterminated = tuple(lost)
            rows = _spreadsheet_rows(table.num_rows, known + lost) + self.skip_lines
            return table, rows, table.num_rows + len(malformed) + len(lost), tuple(known)
        raise ExportReadError("the file cannot be read as a table", f"Save it again as {_SUPPORTED}", file=self.path)

    def _read_excel(self, wanted: list[str]) -> tuple[pa.Table, np.ndarray, int, tuple[int, ...]]:
        frame = self._sheet_frame
        assert frame is not None
        rows = frame.index.to_numpy() + 2
        return sheet_columns(frame, wanted), rows, len(frame), ()

    def _read_parquet(self, wanted: list[str]) -> tuple[pa.Table, np.ndarray, int, tuple[int, ...]]:
        try:
            import pyarrow.parquet as pq  # here: 20 ms of imports that reading a CSV never needs

            table = pq.read_table(self.path, columns=wanted)
        except (pa.ArrowException, OSError) as error:
            raise ExportReadError(
                f"the Parquet file cannot be read ({str(error).splitlines()[0][:200]})",
                "Write it again, or export CSV instead",
                file=self.path,
            ) from None
        table = typed_columns(table, wanted)
        return table, np.arange(table.num_rows) + 2, table.num_rows, ()


def open_table(path: str | Path, sheet: str | int | None = None) -> TableFile:
    """Open an export far enough to know its format and columns.

    Parameters
    ----------
    path : str or Path
        A ``.csv``, ``.tsv``, ``.tab``, ``.txt``, ``.xlsx``, ``.xlsm`` or ``.parquet`` file.
    sheet : str, int or None
        XLSX only: the sheet name or 0-based position; the first sheet by default.

    Returns
    -------
    TableFile

    Raises
    ------
    ExportReadError
        If the file is missing, empty, binary, corrupt, of an unsupported type
        or not a table; the message says what to do.
    """
    path = Path(path)
    check_readable(path)
    suffix = path.suffix.lower()
    if path.stat().st_size == 0:
        raise ExportReadError("the file is empty", "Export the data again; it has no header and no rows", file=path)
    if suffix in EXCEL_SUFFIXES:
        return _open_excel(path, sheet)
    if suffix in PARQUET_SUFFIXES:
        return _open_parquet(path)
    if suffix in TEXT_SUFFIXES:
        return _open_text(path)
    hint = "Save the sheet as .xlsx or CSV" if suffix in (".xls", ".ods", ".numbers") else f"Export it as {_SUPPORTED}"
    raise ExportReadError(f"files of type '{suffix or 'without extension'}' are not supported", hint, file=path)


def _open_text(path: Path) -> TableFile:
    with path.open("rb") as handle:
        sample = handle.read(_SAMPLE_BYTES)
    if sample.startswith(b"PK\x03\x04"):
        raise ExportReadError(
            "the file is a zip archive (an XLSX workbook?) with a text file's name",
            "Rename it to .xlsx if it is a workbook, or save it as CSV",
            file=path,
        )
    encoding, text = detect_encoding(sample)
    if encoding is None or "\x00" in text or looks_binary(text):
        raise ExportReadError(
            "the file is not text: it holds binary data", f"Give a {_SUPPORTED} export", file=path, row=1
        )
    if not text.strip():
        raise ExportReadError("the file is empty", "Export the data again; it has no header and no rows", file=path)
    lines = text.splitlines()
    if len(sample) == _SAMPLE_BYTES and len(lines) > 1:
        lines = lines[:-1]
    # Excel writes "sep=;" as the first line of a CSV for its own use; it names the delimiter.
    declared = re.fullmatch(r'"?sep=(.)"?', lines[0].strip()) if len(lines) > 1 else None
    if declared:
        lines = lines[1:]
    delimiter, header, agreeing = sniff_delimiter(lines, prefer_tab=path.suffix.lower() in (".tsv", ".tab"))
    if len(header) < 2 or agreeing < 0.5:
        raise ExportReadError(
            "the file is not a table: no comma, semicolon, tab or pipe splits its lines into the same columns",
            f"Give a {_SUPPORTED} export with a header row",
            file=path,
            row=1,
        )
    columns = [c.strip() for c in header]
    _check_header(path, columns)
    if encoding == "cp1252":
        refuse_mixed_encoding(path, delimiter, columns)
    padded = [f"{raw!r} as {name!r}" for raw, name in zip(header, columns, strict=True) if raw != name]
    decisions = [f"header names with spaces around them read trimmed: {', '.join(padded)}"] if padded else []
    if declared:
        decisions.append(f"the first line '{declared.group(0)}' names the delimiter (Excel's sep= line): skipped")
    label = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 with BOM", "utf-16": "UTF-16", "cp1252": "cp1252"}[encoding]
    description = f"{DELIMITERS[delimiter]}-separated text, {label}"
    # pyarrow skips a UTF-8 BOM itself; naming the codec would only slow it down.
    arrow_encoding = "utf-8" if encoding == "utf-8-sig" else encoding
    return TableFile(
        path,
        "text",
        columns,
        description,
        arrow_encoding,
        delimiter,
        '"' in text,
        tuple(decisions),
        renamed=bool(padded),
        skip_lines=1 if declared else 0,
    )


def _check_header(path: Path, columns: list[str]) -> None:
    seen: dict[str, int] = {}
    for position, name in enumerate(columns, start=1):
        if name in seen:
            raise ExportReadError(
                f"the header names column '{name}' twice (columns {seen[name]} and {position})",
                "Rename one of them so each column has its own name",
                file=path,
                row=1,
            )
        seen[name] = position


def _open_excel(path: Path, sheet: str | int | None) -> TableFile:
    chosen, header, frame = read_sheet(path, sheet)
    _check_header(path, header)
    return TableFile(path, "excel", header, f"XLSX workbook, sheet '{chosen}'", _sheet_frame=frame)


def _open_parquet(path: Path) -> TableFile:
    try:
        import pyarrow.parquet as pq

        schema = pq.read_schema(path)
    except (pa.ArrowException, OSError) as error:
        raise ExportReadError(
            f"the file is not a readable Parquet file ({str(error).splitlines()[0][:200]})",
            "Write it again, or export CSV instead",
            file=path,
        ) from None
    return TableFile(path, "parquet", list(schema.names), "Parquet")


def _spreadsheet_rows(count: int, skipped: list[int]) -> np.ndarray:
    rows = np.arange(count, dtype=np.int64) + 2
    for row in sorted(skipped):
        rows[rows >= row] += 1
    return rows
