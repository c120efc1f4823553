"""read_export on a pandas DataFrame or a pyarrow Table: the same log and quality report as the file."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pytest

from tests.paths import EXPORTS, SAMPLES
from vsm_widgets.exceptions import ExportReadError, MissingColumnError
from vsm_widgets.io.exports import read_export

MAPPING = SAMPLES / "payments_team.mapping.yaml"
FILE_ONLY = ("read as comma-separated text", "read as pandas DataFrame", "read as pyarrow Table")


def _without_format_line(decisions: tuple[str, ...]) -> list[str]:
    """Every decision but the one that says what kind of source it was."""
    return [d for d in decisions if not d.startswith(FILE_ONLY)]


def _same_log(from_file, from_memory) -> None:
    pd.testing.assert_frame_equal(from_file.visits, from_memory.visits)
    pd.testing.assert_frame_equal(from_file.items, from_memory.items)
    assert from_file.steps == from_memory.steps
    assert from_file.as_of == from_memory.as_of
    assert from_file.quality.issues == from_memory.quality.issues
    assert (from_file.quality.rows_read, from_file.quality.rows_used) == (
        from_memory.quality.rows_read,
        from_memory.quality.rows_used,
    )
    assert _without_format_line(from_file.quality.decisions) == _without_format_line(from_memory.quality.decisions)


@pytest.fixture(scope="module")
def payments_text() -> pd.DataFrame:
    # As an API client would hold it: every cell as text, empty cells empty.
    return pd.read_csv(SAMPLES / "payments_team.csv", dtype=str, keep_default_na=False)


def test_a_dataframe_reads_as_its_file_with_the_same_mapping_and_quality_report(payments_text):
    from_file = read_export(SAMPLES / "payments_team.csv", mapping=MAPPING)
    from_frame = read_export(payments_text, mapping=MAPPING)
    assert from_file.quality.issues  # the sample plants duplicates, bad times and an unmapped status
    _same_log(from_file, from_frame)
    assert from_frame.source == "<pandas DataFrame>"
    assert "read as pandas DataFrame" in from_frame.quality.decisions


def test_a_pyarrow_table_reads_as_its_file(payments_text):
    table = pa.Table.from_pandas(payments_text, preserve_index=False)
    _same_log(read_export(SAMPLES / "payments_team.csv", mapping=MAPPING), read_export(table, mapping=MAPPING))


def test_typed_timestamps_and_numbers_are_read_as_a_file_would_be():
    frame = pd.read_csv(SAMPLES / "onboarding.csv", parse_dates=["start", "end"])
    assert pd.api.types.is_datetime64_dtype(frame["start"])
    _same_log(read_export(SAMPLES / "onboarding.csv"), read_export(frame))


def test_a_column_of_mixed_types_is_read_as_text():
    frame = pd.DataFrame(
        {
            "item": [1, "A-2", 3],
            "step": ["Build", "Build", "Test"],
            "start": ["2026-01-01", "2026-01-02", "2026-01-03"],
            "end": ["2026-01-02", "2026-01-03", "2026-01-04"],
        }
    )
    assert set(read_export(frame).visits["item"]) == {"1", "A-2", "3"}


def test_bad_tables_are_refused_as_bad_files_are():
    with pytest.raises(ExportReadError, match=r"<pandas DataFrame>, row 1: the column names item appear more"):
        read_export(pd.DataFrame([[1, 2, 3, 4]], columns=["item", "item", "start", "end"]))
    with pytest.raises(ExportReadError, match="the table has columns but no rows"):
        read_export(pd.DataFrame(columns=["item", "step", "start", "end"]))
    with pytest.raises(MissingColumnError, match=r"<pyarrow Table>, row 1: the columns needed were not found"):
        read_export(pa.table({"who": ["a"], "what": ["b"]}))


def test_row_numbers_in_the_report_are_those_of_the_csv_the_table_would_write():
    frame = pd.read_csv(EXPORTS / "onboarding_intervals.csv", dtype=str, keep_default_na=False)
    frame.loc[2, "end"] = "not a time"
    report = read_export(frame).quality
    (issue,) = [i for i in report.issues if i.reason == "unparseable timestamp"]
    assert (issue.rows, issue.action) == ((4,), "dropped")
