import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.flow_logs import STEPS, random_logs, visit_log
from vsm_widgets.calendar import Calendar
from vsm_widgets.metrics.visits import clock_seconds, item_clock, item_types, measure_visits, window
from vsm_widgets.timestamps import nanoseconds

CALENDARS = [
    Calendar(),
    Calendar.working_time(),
    Calendar.parse("working:mon-sat,07:30-18:00,tz=Europe/Berlin,holidays=2026-04-06"),
]
instants = st.integers(
    min_value=int(pd.Timestamp("2026-01-01", tz="UTC").value),
    max_value=int(pd.Timestamp("2026-12-31", tz="UTC").value),
)


@settings(max_examples=50, deadline=None)
@given(st.sampled_from(CALENDARS), st.lists(st.tuples(instants, instants), min_size=1, max_size=5))
def test_clock_differences_are_elapsed_seconds(calendar, pairs):
    start = np.array([a for a, _ in pairs], dtype=np.int64)
    end = np.array([b for _, b in pairs], dtype=np.int64)
    expected = calendar.elapsed_seconds(
        pd.DatetimeIndex(start.view("datetime64[ns]")).tz_localize("UTC"),
        pd.DatetimeIndex(end.view("datetime64[ns]")).tz_localize("UTC"),
    )
    measured = clock_seconds(calendar, end) - clock_seconds(calendar, start)
    np.testing.assert_allclose(measured, expected, atol=1e-6)


def test_measure_visits_sorts_and_places_steps():
    log = visit_log(
        [
            ("B", "Test", "2026-01-05 12:00", None),
            ("A", "Deploy", "2026-01-05 11:00", "2026-01-05 12:00"),
            ("A", "Build", "2026-01-05 09:00", "2026-01-05 10:00"),
            ("A", "Queue", "2026-01-05 10:00", "2026-01-05 11:00", "waiting"),
        ],
        as_of="2026-01-06 00:00",
        steps=("Build", "Test"),
    )
    visits = measure_visits(log)
    # Deploy is not in log.steps: it follows them. The waiting row is not an active visit.
    assert visits.steps == ("Build", "Test", "Deploy")
    assert [visits.steps[s] for s in visits.step] == ["Build", "Deploy", "Test"]
    assert list(visits.open) == [False, False, True]
    assert list(visits.first) == [True, False, True]
    # The open Test visit is measured to as_of: 12:00 to 24:00.
    assert (visits.end[2] - visits.start[2]) / 3600 == 12.0


def reference_rework(log):
    """Rework by its definition, visit by visit: a visit is rework when some earlier visit of the
    item (in order of start, end, flow position) had ended by the time it started, at this step or a later one,
    unless the visit just before it was at the same step (a resumption, as after Blocked).
    """
    active = log.active
    position = {step: i for i, step in enumerate(STEPS)}
    flags = []
    for _, visits in active.groupby("item", sort=True):
        # An open visit sorts as ending at as_of, but has not been left.
        measured_end = visits["end"].fillna(log.as_of)
        ordered = visits.assign(
            position=visits["step"].map(position),
            order_end=measured_end.where(measured_end >= visits["start"], visits["start"]),
            left_at=visits["end"].fillna(pd.Timestamp("2200-01-01", tz="UTC")),
        ).sort_values(["start", "order_end", "position"])
        rows = list(ordered.itertuples())
        for i, visit in enumerate(rows):
            resumed = i > 0 and rows[i - 1].step == visit.step
            returned = any(j.left_at <= visit.start and j.position >= visit.position for j in rows[:i])
            flags.append(returned and not resumed)
    return flags


@settings(max_examples=40, deadline=None)
@given(random_logs(max_items=3, max_visits=7))
def test_rework_matches_its_definition(case):
    rows, as_of = case
    log = visit_log(rows, as_of=as_of, steps=STEPS)
    assert list(measure_visits(log).rework) == reference_rework(log)


def test_item_clock_stops_at_done_or_as_of():
    log = visit_log(
        [
            ("A", "Build", "2026-01-05 09:00", "2026-01-05 10:00"),
            ("B", "Build", "2026-01-05 09:00", None),
        ],
        as_of="2026-01-05 12:00",
    )
    clock = item_clock(log)
    # A: done at 10:00 after 1 h; B: still open at as_of 12:00, 3 h old.
    assert list(clock.seconds / 3600) == [1.0, 3.0]
    assert list(clock.finished) == [True, False]


def test_window_defaults_and_limits():
    log = visit_log([("A", "Build", "2026-01-05 09:00", "2026-01-05 10:00")], as_of="2026-01-06")
    assert window(log) == (nanoseconds(pd.Timestamp("2026-01-05 09:00", tz="UTC")), nanoseconds(log.as_of))
    # An end after as_of stops at as_of; naive bounds are UTC.
    assert window(log, "2026-01-05 12:00", "2026-02-01")[1] == nanoseconds(log.as_of)
    with pytest.raises(ValueError, match="ends"):
        window(log, "2026-01-05 12:00", "2026-01-05 11:00")


def test_item_types():
    untyped = visit_log([("A", "Build", "2026-01-05 09:00", "2026-01-05 10:00")], as_of="2026-01-06")
    assert list(item_types(untyped)) == ["all"]
    typed = visit_log(
        [
            ("A", "Build", "2026-01-05 09:00", "2026-01-05 10:00", "active", "Defect"),
            ("B", "Build", "2026-01-05 09:00", "2026-01-05 10:00", "active", None),
        ],
        as_of="2026-01-06",
    )
    assert list(item_types(typed)) == ["Defect", "unspecified"]


def test_resuming_after_blocked_is_not_rework_but_a_return_after_qa_is():
    log = visit_log(
        [
            ("A", "Build", "2026-01-05 09:00", "2026-01-05 10:00"),
            ("A", "Blocked", "2026-01-05 10:00", "2026-01-05 12:00", "waiting"),
            ("A", "Build", "2026-01-05 12:00", "2026-01-05 13:00"),  # resumes: not rework
            ("A", "Test", "2026-01-05 13:00", "2026-01-05 14:00"),
            ("A", "Build", "2026-01-05 14:00", "2026-01-05 15:00"),  # sent back by Test: rework
            ("A", "Blocked", "2026-01-05 15:00", "2026-01-05 16:00", "waiting"),
            ("A", "Build", "2026-01-05 16:00", "2026-01-05 17:00"),  # resumes the rework: one loop, not two
            ("A", "Test", "2026-01-05 17:00", "2026-01-05 18:00"),  # passes Test again: rework
        ],
        as_of="2026-01-06 00:00",
        steps=("Build", "Test"),
    )
    assert list(measure_visits(log).rework) == [False, False, False, True, False, True]
