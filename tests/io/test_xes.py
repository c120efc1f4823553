"""XES event logs (tests/data/exports/loan_events.xes, in the layout of IEEE 1849), times in UTC below.

C1  Submit complete 08:00 (no start: atomic) · Review schedule 08:05 · Review start 09:00 (instance 1),
    start 09:30 (instance 2), complete 10:00 (instance 2), complete 11:00 (instance 1) ·
    Decide 13:00 with no lifecycle:transition (atomic)
C2  Submit 09:00-09:30 (next day) · Review start 10:00, never completed
C3  Submit complete 12:00 · Decide complete 15:00: atomic events only
"""

import gzip

import pandas as pd
import pytest

from tests.paths import EXPORTS
from vsm_widgets.io.exports import read_export
from vsm_widgets.metrics import flow

XES = EXPORTS / "loan_events.xes"


def at(day, hour, minute=0):
    return pd.Timestamp(2026, 3, day, hour, minute, tz="UTC")


def spans(log, item):
    rows = log.visits[log.visits["item"] == item]
    return [(r.step, r.start, r.end) for r in rows.itertuples()]


@pytest.fixture(scope="module")
def log():
    return read_export(XES)


def test_starts_and_completes_pair_per_case_activity_and_instance(log):
    # Instance 2 completes first; first in, first out alone would have closed instance 1's start with it.
    assert spans(log, "C1") == [
        ("Submit", at(2, 8), at(2, 8)),
        ("Review", at(2, 9), at(2, 11)),
        ("Review", at(2, 9, 30), at(2, 10)),
        ("Decide", at(2, 13), at(2, 13)),
    ]
    [submit, review] = spans(log, "C2")
    assert submit == ("Submit", at(3, 9), at(3, 9, 30))
    assert review[:2] == ("Review", at(3, 10)) and pd.isna(review[2])


def test_atomic_events_are_zero_length_visits_that_move_the_clock(log):
    items = flow.item_metrics(log).set_index("item")
    # C1 runs from its atomic Submit (08:00) to its atomic Decide (13:00): 5 h, of which Review's 09:00-11:00 is
    # active (the two reviews overlap). C3, made only of atomic events, is an item of 3 h with no active time.
    assert items.loc["C1", ["lead_time_hours", "active_time_hours"]].tolist() == [5.0, 2.0]
    assert items.loc["C3", ["lead_time_hours", "active_time_hours"]].tolist() == [3.0, 0.0]
    assert not items.loc["C2", "finished"]
    steps = flow.step_metrics(log).set_index("step")
    assert steps.loc["Decide", ["visits", "process_time_max_hours"]].tolist() == [2, 0.0]


def test_every_event_is_counted(log):
    issues = {i.reason: (i.count, i.action, i.rows) for i in log.quality.issues}
    # Events are numbered as rows of a flattened table: the first is row 2.
    assert issues["other lifecycle transition"] == (1, "dropped", (3,))  # the schedule
    assert issues["unpaired complete"] == (4, "kept", (2, 8, 12, 13))
    # 12 events = 11 used + 1 schedule
    assert (log.quality.rows_read, log.quality.rows_used) == (12, 11)
    assert (
        "1 events have no lifecycle:transition: read as 'complete' (atomic events, as the lifecycle extension says)"
        in (log.quality.decisions)
    )


def test_a_gzipped_log_reads_the_same(log, tmp_path):
    packed = tmp_path / "loan_events.xes.gz"
    packed.write_bytes(gzip.compress(XES.read_bytes()))
    again = read_export(packed)
    pd.testing.assert_frame_equal(again.visits, log.visits)
    pd.testing.assert_frame_equal(again.items, log.items)


def test_a_log_without_the_xes_namespace_reads_too(tmp_path):
    plain = tmp_path / "plain.xes"
    plain.write_text(
        '<?xml version="1.0"?>\n<log><trace><string key="concept:name" value="P1"/>'
        '<event><string key="concept:name" value="Check"/><string key="lifecycle:transition" value="start"/>'
        '<date key="time:timestamp" value="2026-03-04T09:00:00Z"/></event>'
        '<event><string key="concept:name" value="Check"/><string key="lifecycle:transition" value="complete"/>'
        '<date key="time:timestamp" value="2026-03-04T10:30:00Z"/></event></trace></log>\n',
        encoding="utf-8",
    )
    assert spans(read_export(plain), "P1") == [("Check", at(4, 9), at(4, 10, 30))]
