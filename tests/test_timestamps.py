"""Timestamps in the forms exports use, read from each column's format, and refused with a format to give."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.paths import EXPORTS
from vsm_widgets.exceptions import ExportReadError
from vsm_widgets.io.exports import read_export
from vsm_widgets.timestamps import parse_timestamps


def test_a_twelve_hour_clock_with_seconds_is_recognised():
    parsed = parse_timestamps(pd.Series(["1/5/2026 9:03:11 PM", "12/14/2026 12:15:00 AM"]), column="Changed Date")
    assert list(parsed.values) == [
        pd.Timestamp("2026-01-05 21:03:11", tz="UTC"),
        pd.Timestamp("2026-12-14 00:15", tz="UTC"),
    ]
    assert "column 'Changed Date' read with the format %m/%d/%Y %I:%M:%S %p" in parsed.decisions


def test_an_undecided_twelve_hour_column_says_it_read_month_before_day():
    parsed = parse_timestamps(pd.Series(["1/5/2026 9:03 AM", "2/6/2026 10:00 PM"]), column="Changed")
    assert parsed.values.iloc[0] == pd.Timestamp("2026-01-05 09:03", tz="UTC")
    (note,) = [d for d in parsed.decisions if "read with the format" in d]
    assert "(month before day: every row also fits %d/%m/%Y %I:%M %p;" in note


def test_an_azure_devops_revision_export_is_read_with_its_us_clock():
    log = read_export(EXPORTS / "azure_devops_revisions.csv")
    first = log.visits[log.visits["item"] == "101"].iloc[0]
    assert first["start"] == pd.Timestamp("2026-01-05 09:03:11", tz="UTC")
    assert first["end"] == pd.Timestamp("2026-01-06 10:15:00", tz="UTC")
    assert log.quality.rows_used == 11


def test_an_unrecognised_form_fails_with_a_format_that_reads_the_file(tmp_path):
    export = tmp_path / "stages.csv"
    export.write_text("item,step,start,end\nA,Build,13-01-2026 16:05:00,14-01-2026 09:30:00\n")
    with pytest.raises(ExportReadError) as caught:
        read_export(export)
    message = str(caught.value)
    assert 'this file reads with timestamp_format: "%d-%m-%Y %H:%M:%S"' in message
    suggested = message.split('timestamp_format: "')[-1].split('"')[0]
    log = read_export(export, mapping={"timestamp_format": suggested})
    assert log.visits["start"].iloc[0] == pd.Timestamp("2026-01-13 16:05", tz="UTC")
