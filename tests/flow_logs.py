"""Small event logs written out by hand, and a hypothesis strategy of random ones, for the flow tests."""

import pandas as pd
from hypothesis import strategies as st

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
