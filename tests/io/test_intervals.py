from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.paths import EXPORTS
from vsm_widgets.io.exports import read_export
from vsm_widgets.io.intervals import visit_order

UTC = "UTC"


def write_csv(tmp_path: Path, text: str, name: str = "log.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def issue(log, reason):
    found = [i for i in log.quality.issues if i.reason == reason]
    return found[0] if found else None


def hours(delta: pd.Timedelta) -> float:
    return delta / pd.Timedelta(hours=1)


def test_interval_fixture_visits_items_and_overlap():
    log = read_export(EXPORTS / "onboarding_intervals.csv")
    v = log.visits
    assert list(v.columns) == ["item", "step", "kind", "start", "end", "row", "actor", "team"]
    assert str(v["start"].dtype) == "datetime64[ns, UTC]"
    assert v[["item", "step"]].values.tolist() == [
        ["C1", "Paperwork"],
        ["C1", "Equipment"],
        ["C1", "Training"],
        ["C2", "Paperwork"],
        ["C2", "Equipment"],
    ]
    assert v["row"].tolist() == [2, 3, 4, 5, 6]
    # C2's Equipment has no end: an open visit, so C2 is work in progress.
    assert pd.isna(v["end"].iloc[4])
    items = log.items.set_index("item")
    assert items.loc["C1", "started"] == pd.Timestamp("2026-01-05 09:00", tz=UTC)
    assert items.loc["C1", "done"] == pd.Timestamp("2026-01-07 17:00", tz=UTC)
    assert bool(items.loc["C1", "finished"]) and not bool(items.loc["C2", "finished"])
    # Equipment (row 3) starts at 10:00 while Paperwork (row 2) runs to 12:00: parallel work, kept.
    overlap = issue(log, "overlapping visits")
    assert (overlap.count, overlap.action, overlap.rows) == (1, "kept", (3,))
    assert (log.quality.rows_read, log.quality.rows_used) == (5, 5)
    # Both items enter Paperwork first (position 0), Equipment second (1); C1 reaches Training third (2).
    assert log.steps == ("Paperwork", "Equipment", "Training")
    assert log.as_of == pd.Timestamp("2026-01-07 17:00", tz=UTC)
    assert log.source.endswith("onboarding_intervals.csv")
    assert log.calendar.describe().startswith("calendar time")


def test_every_row_is_used_or_counted_with_its_reason(tmp_path):
    path = write_csv(
        tmp_path,
        "item,step,start,end\n"
        "A,Build,2026-01-01 09:00,2026-01-01 10:00\n"  # row 2: used
        ",Build,2026-01-01 09:00,2026-01-01 10:00\n"  # row 3: missing item
        "A,,2026-01-01 09:00,2026-01-01 10:00\n"  # row 4: missing step
        "A,Test,,2026-01-01 10:00\n"  # row 5: no start
        "A,Test,yesterday,2026-01-01 10:00\n"  # row 6: unparseable start
        "A,Test,2026-01-01 12:00,2026-01-01 11:00\n"  # row 7: end before start
        "A,Build,2026-01-01 09:00,2026-01-01 10:00\n"  # row 8: exact duplicate of row 2
        "A,Test,2026-01-01 12:00,2026-01-01 12:00\n"  # row 9: zero-length, a visit all the same
        "A,Test,2026-01-01 13:00,soon\n",  # row 10: unparseable end
    )
    log = read_export(path)
    counts = {(i.reason, i.action): (i.count, i.rows) for i in log.quality.issues}
    assert counts == {
        ("missing item", "dropped"): (1, (3,)),
        ("missing step", "dropped"): (1, (4,)),
        ("missing timestamp", "dropped"): (1, (5,)),
        ("unparseable timestamp", "dropped"): (2, (6, 10)),
        ("end before start", "dropped"): (1, (7,)),
        ("exact duplicate", "dropped"): (1, (8,)),
        ("zero-length visit", "kept"): (1, (9,)),
    }
    # 9 rows read = 2 used + 7 dropped
    assert (log.quality.rows_read, log.quality.rows_used) == (9, 2)
    assert log.visits["row"].tolist() == [2, 9]
    assert log.quality.to_dict()["dropped"][0] == {"reason": "missing item", "count": 1}


def test_example_rows_are_capped_at_ten(tmp_path):
    lines = ["item,step,start,end"] + [f",Build,2026-01-01 09:00,2026-01-01 10:{m:02d}" for m in range(12)]
    lines.append("A,Build,2026-01-01 09:00,2026-01-01 10:00")
    log = read_export(write_csv(tmp_path, "\n".join(lines) + "\n"))
    missing = issue(log, "missing item")
    assert missing.count == 12
    assert missing.rows == tuple(range(2, 12))


def test_naive_times_in_berlin_across_the_spring_change_last_one_hour(tmp_path):
    # 01:30 CET = 00:30 UTC; clocks jump 02:00 -> 03:00; 03:30 CEST = 01:30 UTC: 1 hour, not 2.
    path = write_csv(tmp_path, "item,step,start,end\nA,Night shift,2026-03-29 01:30,2026-03-29 03:30\n")
    log = read_export(path, {"timezone": "Europe/Berlin"})
    visit = log.visits.iloc[0]
    assert visit["start"] == pd.Timestamp("2026-03-29 00:30", tz=UTC)
    assert hours(visit["end"] - visit["start"]) == 1.0
    assert "timestamps without a UTC offset read as Europe/Berlin local time (mapping)" in log.quality.decisions


def test_a_time_in_the_skipped_hour_is_shifted_forward_and_counted(tmp_path):
    # 02:30 does not exist on 2026-03-29 in Berlin: shifted to 03:00 CEST = 01:00 UTC; to 04:00 CEST = 1 h.
    path = write_csv(tmp_path, "item,step,start,end\nA,Build,2026-03-29 02:30,2026-03-29 04:00\n")
    log = read_export(path, {"timezone": "Europe/Berlin"})
    assert log.visits["start"].iloc[0] == pd.Timestamp("2026-03-29 01:00", tz=UTC)
    assert hours(log.visits["end"].iloc[0] - log.visits["start"].iloc[0]) == 1.0
    corrected = issue(log, "nonexistent local time")
    assert (corrected.count, corrected.action, corrected.rows) == (1, "corrected", (2,))
    assert log.quality.rows_used == 1


def test_the_repeated_autumn_hour_is_settled_from_start_and_end(tmp_path):
    # 2026-10-25 Berlin: 03:00 CEST -> 02:00 CET, so 02:40 and 02:10 happen twice. A visit from 02:40 to
    # 02:10 must start in the first pass (00:40 UTC) and end in the second (01:10 UTC): 30 minutes.
    path = write_csv(tmp_path, "item,step,start,end\nA,Build,2026-10-25 02:40,2026-10-25 02:10\n")
    log = read_export(path, {"timezone": "Europe/Berlin"})
    visit = log.visits.iloc[0]
    assert visit["start"] == pd.Timestamp("2026-10-25 00:40", tz=UTC)
    assert visit["end"] == pd.Timestamp("2026-10-25 01:10", tz=UTC)
    ambiguous = issue(log, "ambiguous local time")
    assert (ambiguous.count, ambiguous.action) == (1, "corrected")
    assert "1 settled from the order" in ambiguous.detail


def test_mixed_offsets_are_normalised_to_utc(tmp_path):
    path = write_csv(
        tmp_path,
        "item,step,start,end\n"
        "A,Build,2026-01-05T10:00:00+01:00,2026-01-05T09:30:00Z\n"  # 09:00 UTC to 09:30 UTC
        "A,Test,2026-07-05T12:00:00+02:00,2026-07-05 11:00:00\n",  # 10:00 UTC to 11:00 (naive = UTC)
    )
    log = read_export(path)
    assert log.visits["start"].tolist() == [
        pd.Timestamp("2026-01-05 09:00", tz=UTC),
        pd.Timestamp("2026-07-05 10:00", tz=UTC),
    ]
    assert hours(log.visits["end"].iloc[0] - log.visits["start"].iloc[0]) == 0.5
    assert hours(log.visits["end"].iloc[1] - log.visits["start"].iloc[1]) == 1.0
    assert any("mixes times with and without a UTC offset" in d for d in log.quality.decisions)


def test_spreadsheet_errors_among_offset_times_are_not_reported_as_mixed_offsets(tmp_path):
    # Every real timestamp carries an offset; #VALUE! is an unparseable cell, not a naive time.
    path = write_csv(
        tmp_path,
        "item,step,start,end\n"
        "A,Build,2026-01-05T10:00:00+01:00,2026-01-05T11:00:00+01:00\n"
        "B,Build,#VALUE!,2026-01-05T11:00:00+01:00\n",
    )
    log = read_export(path)
    assert not any("mixes times" in d for d in log.quality.decisions)
    assert issue(log, "unparseable timestamp").rows == (3,)
    assert log.visits["start"].tolist() == [pd.Timestamp("2026-01-05 09:00", tz=UTC)]


def test_sub_second_precision_is_kept(tmp_path):
    path = write_csv(tmp_path, "item,step,start,end\nA,Build,2026-01-05T10:00:00.250Z,2026-01-05T10:00:01.750Z\n")
    visit = read_export(path).visits.iloc[0]
    assert (visit["end"] - visit["start"]) == pd.Timedelta(milliseconds=1500)


def test_timestamp_format_from_the_mapping(tmp_path):
    path = write_csv(tmp_path, "item,step,start,end\nA,Build,05/01/2026 09:00,05/01/2026 17:30\n")
    log = read_export(path, {"timestamp_format": "%m/%d/%Y %H:%M"})
    # month first: 1 May, not 5 January
    assert log.visits["start"].iloc[0] == pd.Timestamp("2026-05-01 09:00", tz=UTC)


def test_day_first_is_chosen_and_reported_when_the_sample_fits_both(tmp_path):
    path = write_csv(tmp_path, "item,step,start,end\nA,Build,05/01/2026 09:00,06/01/2026 17:30\n")
    log = read_export(path)
    assert log.visits["start"].iloc[0] == pd.Timestamp("2026-01-05 09:00", tz=UTC)
    assert any("day before month" in d and "timestamp_format" in d for d in log.quality.decisions)


def test_lifecycle_events_pair_into_intervals():
    log = read_export(EXPORTS / "lifecycle_events.csv")
    v = log.visits
    assert v[["item", "step"]].values.tolist() == [
        ["L1", "Register"],
        ["L1", "Check"],
        ["L1", "Check"],
        ["L2", "Register"],
        ["L2", "Register"],
    ]
    # Check is done twice: 10:00-11:00 and the next day 09:00-09:45.
    assert [hours(e - s) for s, e in zip(v["start"].iloc[:3], v["end"].iloc[:3], strict=True)] == [0.5, 1.0, 0.75]
    # L2: its complete (row 8) comes before any start: an atomic event, a zero-length visit at 08:00 that starts
    # L2's clock; its start (row 9) stays open.
    assert v["start"].iloc[3] == v["end"].iloc[3] == pd.Timestamp("2026-02-02 08:00", tz=UTC)
    assert pd.isna(v["end"].iloc[4])
    assert (issue(log, "unpaired complete").rows, issue(log, "unpaired complete").action) == ((8,), "kept")
    assert issue(log, "other lifecycle transition").rows == (10,)
    assert log.items.set_index("item").loc["L2", "started"] == pd.Timestamp("2026-02-02 08:00", tz=UTC)
    # 9 events = 6 (L1) + 2 (L2) used + 1 dropped
    assert (log.quality.rows_read, log.quality.rows_used) == (9, 8)
    assert log.items.set_index("item")["finished"].to_dict() == {"L1": True, "L2": False}


def test_created_start_point_on_intervals(tmp_path):
    path = write_csv(
        tmp_path,
        "case,requested,activity,start,end\n"
        "A,2026-01-01 08:00,Build,2026-01-02 09:00,2026-01-02 10:00\n"
        "B,,Build,2026-01-03 09:00,2026-01-03 10:00\n",
    )
    log = read_export(path, {"start_point": "created"})
    started = log.items.set_index("item")["started"]
    assert started["A"] == pd.Timestamp("2026-01-01 08:00", tz=UTC)
    # B has no created time: its clock starts at its first row, and the choice is reported.
    assert started["B"] == pd.Timestamp("2026-01-03 09:00", tz=UTC)
    assert "1 items have no created time: their clocks start at their first row" in log.quality.decisions
    assert log.start_point == "created"


def test_as_of_from_the_caller_or_the_mapping(tmp_path):
    path = EXPORTS / "onboarding_intervals.csv"
    assert read_export(path, as_of="2026-02-01T00:00:00Z").as_of == pd.Timestamp("2026-02-01", tz=UTC)
    # a naive as_of is local time of the mapping's zone: midnight in Berlin = 23:00 UTC the day before
    log = read_export(path, {"as_of": "2026-02-01 00:00", "timezone": "Europe/Berlin"})
    assert log.as_of == pd.Timestamp("2026-01-31 23:00", tz=UTC)


@pytest.mark.parametrize("policy", ["first", "last"])
def test_backward_moves_do_not_apply_to_interval_logs(policy):
    log = read_export(EXPORTS / "onboarding_intervals.csv", {"backward_moves": policy})
    assert log.backward_policy == "keep"
    assert any("applies to status histories only" in d for d in log.quality.decisions)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 2**34), st.integers(0, 5), st.integers(0, 3)), max_size=60),
    st.booleans(),
)
def test_visit_order_is_by_item_start_and_tie_breaks_whether_or_not_rows_come_in_time_order(rows, in_time_order):
    if in_time_order:
        rows = sorted(rows, key=lambda row: row[1])
    items, start, tie = (np.array([row[k] for row in rows], dtype=np.int64) for k in range(3))
    positions = np.arange(len(rows))[::2] if len(rows) > 3 else np.arange(len(rows))
    order, items_in_order, start_in_order = visit_order(positions, items, start, (tie,))
    assert items_in_order.tolist() == items[order].tolist() and start_in_order.tolist() == start[order].tolist()
    # By hand: sort the kept rows on (item, start, tie), the row's position breaking the last ties.
    expected = sorted(positions.tolist(), key=lambda p: (items[p], start[p], tie[p], p))
    assert order.tolist() == expected


def test_visits_keep_the_file_row_of_each_row_when_the_sort_reorders_them(tmp_path):
    # Items interleaved in time: the visits are grouped by item, and each still names its own line.
    path = write_csv(
        tmp_path,
        "item,step,start,end\n"
        "B,Build,2026-01-01 09:00,2026-01-01 10:00\n"
        "A,Build,2026-01-01 09:30,2026-01-01 10:30\n"
        "B,Test,2026-01-01 10:00,2026-01-01 11:00\n"
        "A,Test,2026-01-01 10:30,2026-01-01 11:30\n",
    )
    visits = read_export(path).visits
    assert list(zip(visits["item"], visits["step"], visits["row"], strict=True)) == [
        ("A", "Build", 3),
        ("A", "Test", 5),
        ("B", "Build", 2),
        ("B", "Test", 4),
    ]
