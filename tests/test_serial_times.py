"""Times written as numbers (`timestamp_format: epoch_s | epoch_ms | excel`), against dates worked out by hand."""

import numpy as np
import pandas as pd
import pytest

from vsm_widgets.serial_times import serial_seconds, suggest_serial_format
from vsm_widgets.timestamps import parse_timestamps


def utc(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


@pytest.mark.parametrize(
    ("values", "timestamp_format", "expected"),
    [
        # 1,700,000,000 s = 19,675 days (1970-01-01 + 19,675 days = 2023-11-14) and 80,000 s = 22:13:20.
        (["1700000000"], "epoch_s", ["2023-11-14 22:13:20"]),
        (["1700000000.123"], "epoch_s", ["2023-11-14 22:13:20.123"]),
        ([0, -86400], "epoch_s", ["1970-01-01", "1969-12-31"]),
        (["1700000000000", "1700000000500.5"], "epoch_ms", ["2023-11-14 22:13:20", "2023-11-14 22:13:20.5005"]),
        # Excel: serial 45,000 is 45,000 days after 1899-12-30 = 2023-03-15; .75 of a day is 18:00.
        (["45000", "45000.75"], "excel", ["2023-03-15", "2023-03-15 18:00"]),
        # Before the phantom 1900-02-29 (serial 60) a serial counts from 1899-12-31: 1 = 1 Jan, 59 = 28 Feb.
        ([1, 59, 61], "excel", ["1900-01-01", "1900-02-28", "1900-03-01"]),
    ],
)
def test_numbers_read_as_the_times_they_count(values, timestamp_format, expected):
    parsed = parse_timestamps(pd.Series(values), column="at", timestamp_format=timestamp_format)
    assert parsed.values.tolist() == [utc(t) for t in expected]
    assert not parsed.unparseable.any()


def test_serial_60_is_the_day_that_never_was_and_text_is_not_a_number():
    parsed = parse_timestamps(pd.Series(["60", "0.5", "soon", ""]), column="at", timestamp_format="excel")
    assert parsed.unparseable.tolist() == [True, True, True, False]
    assert parsed.missing.tolist() == [False, False, False, True]
    assert np.isnan(serial_seconds(pd.Series([60.5]), "excel")).all()


def test_an_excel_serial_is_local_time_and_epoch_is_utc():
    # 45000.5 is noon on 2023-03-15 in Berlin (CET, UTC+1): 11:00 UTC. Epoch seconds ignore the zone.
    excel = parse_timestamps(pd.Series(["45000.5"]), column="at", timestamp_format="excel", timezone="Europe/Berlin")
    assert excel.values[0] == utc("2023-03-15 11:00")
    epoch = parse_timestamps(
        pd.Series(["1700000000"]), column="at", timestamp_format="epoch_s", timezone="Europe/Berlin"
    )
    assert epoch.values[0] == utc("2023-11-14 22:13:20")


def test_numbers_beyond_the_nanosecond_range_are_counted_not_crashed():
    # 1e308 s and -1e12 s (year -29,719) lie outside 1677 to 2262; 253,402,300,000 s is in 9999: "no end date".
    parsed = parse_timestamps(pd.Series(["1e308", "-1e12", "253402300000"]), column="at", timestamp_format="epoch_s")
    assert parsed.beyond_range.tolist() == [True, True, False]
    assert parsed.placeholder.tolist() == [False, False, True]
    assert parsed.values.isna().all()


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["1700000000", "1700003600"], "epoch_s"),
        ([1_700_000_000_000], "epoch_ms"),
        (["45000", "45001.5"], "excel"),
        (["12", "13"], None),
        (["1700000000", "2026-01-05"], None),
    ],
)
def test_the_magnitude_of_a_column_of_numbers_suggests_its_format(values, expected):
    assert suggest_serial_format(pd.Series(values)) == expected
