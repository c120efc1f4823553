"""Small event logs written out by hand for the flow and item-flow tests, and a strategy of random ones."""

import pandas as pd
from hypothesis import strategies as st

from vsm_widgets.calendar import Calendar
from vsm_widgets.model.event_log import EventLog


def visit_log(rows, as_of, calendar=None, steps=None, tz="UTC"):
    """A log from ``(item, step, start, end[, kind[, type]])`` rows; ``end=None`` is an open visit."""
    records = []
    for row in rows:
        item, step, start, end, *rest = row
        kind = rest[0] if rest else "active"
        record = {"item": item, "step": step, "start": start, "end": end, "kind": kind}
        if len(rest) > 1:
            record["type"] = rest[1]
        records.append(record)
    frame = pd.DataFrame(records)
    for column in ("start", "end"):
        frame[column] = pd.to_datetime(frame[column]).dt.tz_localize(tz)
    return EventLog.from_visits(frame, as_of=pd.Timestamp(as_of, tz=tz), calendar=calendar, steps=steps)


T0 = pd.Timestamp("2026-03-02 00:00", tz="UTC")  # a Monday


def at(hours: float) -> pd.Timestamp:
    """The moment `hours` after Monday 2026-03-02 00:00 UTC."""
    return T0 + pd.Timedelta(hours=hours)


def log_of(rows, **kwargs) -> EventLog:
    """A log from ``(item, step, start, end)`` rows in hours after `T0`; ``end=None`` is an open visit."""
    frame = pd.DataFrame(
        [(item, step, at(start), at(end) if end is not None else pd.NaT) for item, step, start, end in rows],
        columns=["item", "step", "start", "end"],
    )
    return EventLog.from_visits(frame, **kwargs)


def weekend_overlap_log():
    """Build Fri 16:00 to Mon 10:00 and Review Sat 10:00 to Mon 11:00, overlapping over a weekend, on working time."""
    return visit_log(
        [
            ("P", "Build", "2026-04-10 16:00", "2026-04-13 10:00"),
            ("P", "Review", "2026-04-11 10:00", "2026-04-13 11:00"),
        ],
        as_of="2026-04-14",
        calendar=Calendar.working_time(),
        steps=("Build", "Review"),
    )


STEPS = ("Analysis", "Build", "Test", "Release")
BASE = pd.Timestamp("2026-03-02 08:00", tz="UTC")


@st.composite
def random_logs(draw, max_items=5, max_visits=5):
    """Logs with overlapping, zero-length, open, waiting and repeated visits, in random order."""
    rows = []
    latest = BASE
    for item in range(draw(st.integers(1, max_items))):
        for _ in range(draw(st.integers(1, max_visits))):
            start = BASE + pd.Timedelta(minutes=draw(st.integers(0, 6 * 24 * 60)))
            length = pd.Timedelta(minutes=draw(st.sampled_from([0, 1, 30, 90, 600, 3000])))
            end = None if draw(st.integers(0, 9)) == 0 else start + length
            kind = draw(st.sampled_from(["active", "active", "active", "waiting"]))
            step = draw(st.sampled_from(STEPS)) if kind == "active" else "Queue"
            naive_end = None if end is None else end.tz_localize(None)
            rows.append((f"I{item}", step, start.tz_localize(None), naive_end, kind))
            latest = max(latest, end if end is not None else start)
    as_of = latest + pd.Timedelta(hours=draw(st.integers(0, 48)))
    return rows, as_of.tz_localize(None)


def published_example():
    # Requested 2026-01-05 09:00; 12 h analysis, 30 h development and testing, 6 h release,
    # delivered 27 calendar days after the request (2026-02-01 09:00).
    return visit_log(
        [
            ("CR-1", "Requested", "2026-01-05 09:00", "2026-01-07 09:00", "waiting"),
            ("CR-1", "Analysis", "2026-01-07 09:00", "2026-01-07 21:00"),
            ("CR-1", "Development and testing", "2026-01-12 09:00", "2026-01-13 15:00"),
            ("CR-1", "Release", "2026-02-01 03:00", "2026-02-01 09:00"),
        ],
        as_of="2026-02-02 00:00",
    )


def onboarding():
    # Steps in flow order Equipment, Paperwork, Welcome; paperwork starts first and runs beside equipment.
    return visit_log(
        [
            ("N-1", "Paperwork", "2026-03-02 09:00", "2026-03-02 13:00"),
            ("N-1", "Equipment", "2026-03-02 11:00", "2026-03-02 15:00"),
            ("N-1", "Welcome", "2026-03-02 16:00", "2026-03-02 17:00"),
        ],
        as_of="2026-03-03 00:00",
        steps=("Equipment", "Paperwork", "Welcome"),
    )


def rework_log():
    return visit_log(
        [
            # R1 goes back from Test to Build, then through Test again: 2 rework visits.
            ("R1", "Analysis", "2026-02-02 09:00", "2026-02-02 10:00"),
            ("R1", "Build", "2026-02-02 10:00", "2026-02-02 12:00"),
            ("R1", "Test", "2026-02-02 12:00", "2026-02-02 13:00"),
            ("R1", "Build", "2026-02-02 13:00", "2026-02-02 14:00"),
            ("R1", "Test", "2026-02-02 14:00", "2026-02-02 15:00"),
            # R2 flows straight through.
            ("R2", "Analysis", "2026-02-02 09:00", "2026-02-02 10:00"),
            ("R2", "Build", "2026-02-02 10:00", "2026-02-02 11:00"),
            ("R2", "Test", "2026-02-02 11:00", "2026-02-02 12:00"),
            # R3 skips Build, then moves back to it from Test: 1 rework visit.
            ("R3", "Analysis", "2026-02-02 09:00", "2026-02-02 10:00"),
            ("R3", "Test", "2026-02-02 10:00", "2026-02-02 11:00"),
            ("R3", "Build", "2026-02-02 11:00", "2026-02-02 12:00"),
        ],
        as_of="2026-02-03 00:00",
        steps=("Analysis", "Build", "Test"),
    )


def unfinished_log():
    return visit_log(
        [
            ("U", "Build", "2026-03-02 09:00", "2026-03-02 11:00"),
            ("U", "Test", "2026-03-02 12:00", None),
            ("F", "Build", "2026-03-02 09:00", "2026-03-02 10:00"),
            ("F", "Test", "2026-03-02 10:00", "2026-03-02 12:00"),
        ],
        as_of="2026-03-03 12:00",
        steps=("Build", "Test"),
    )


def handoff_log():
    return visit_log(
        [
            ("H1", "Backlog", "2026-03-02 08:00", "2026-03-02 09:00", "waiting"),
            ("H1", "Build", "2026-03-02 09:00", "2026-03-02 10:00"),
            ("H1", "Test", "2026-03-02 12:00", "2026-03-02 13:00"),
            ("H1", "Deploy queue", "2026-03-02 13:00", "2026-03-02 15:00", "waiting"),
            ("H2", "Build", "2026-03-02 09:00", "2026-03-02 10:00"),
            ("H2", "Test", "2026-03-02 14:00", "2026-03-02 15:00"),
        ],
        as_of="2026-03-03 00:00",
        steps=("Build", "Test"),
    )
