"""The fast path of the time partition cuts exactly as the general path does; items are counted once per place."""

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.flow_logs import BASE, STEPS, random_logs, visit_log
from vsm_widgets.calendar import Calendar
from vsm_widgets.metrics.lead_pieces import items_per_group, lead_pieces, place_code


@st.composite
def mixed_logs(draw):
    """Items whose visits follow one another (some touching, some zero-length), mixed with random ones.

    Times carry milliseconds, so clock readings are not whole numbers and sums of them round:
    the two paths must then add the same numbers in the same order. An item of two centuries,
    first in item order, makes the running sum of active time large enough for that rounding.
    """
    rows, as_of = draw(random_logs(max_items=3, max_visits=4))
    if draw(st.booleans()):
        rows.append(("A-long", "Build", pd.Timestamp("1800-01-01 00:00:00.123"), BASE.tz_localize(None)))
    latest = pd.Timestamp(as_of)
    for item in range(draw(st.integers(1, 5))):
        moment = BASE.tz_localize(None) + pd.Timedelta(milliseconds=draw(st.integers(0, 3 * 86_400_000)))
        for _ in range(draw(st.integers(1, 5))):
            moment += pd.Timedelta(milliseconds=draw(st.sampled_from([0, 0, 7, 45_001, 600_777, 2_000_003])))
            end = moment + pd.Timedelta(milliseconds=draw(st.sampled_from([0, 1, 30_013, 90_000, 600_123])))
            open_visit = draw(st.integers(0, 14)) == 0
            rows.append((f"S{item}", draw(st.sampled_from(STEPS)), moment, None if open_visit else end))
            moment = end
            latest = max(latest, end)
    as_of = latest + pd.Timedelta(hours=draw(st.integers(0, 30)))
    return rows, as_of


@settings(max_examples=150, deadline=None)
@given(mixed_logs(), st.sampled_from([Calendar(), Calendar.working_time()]))
def test_the_fast_path_gives_the_general_paths_pieces_to_the_last_bit(case, calendar):
    rows, as_of = case
    log = visit_log(rows, as_of=as_of, calendar=calendar, steps=STEPS)
    fast, general = lead_pieces(log), lead_pieces(log, fast_path=False)
    assert fast.names == general.names
    for name in ("item", "place", "seconds"):
        np.testing.assert_array_equal(getattr(fast, name), getattr(general, name), strict=True)


def test_an_item_of_sequential_visits_is_cut_into_its_visits_and_the_waits_between():
    log = visit_log(
        [
            ("A", "Build", "2026-03-02 00:00", "2026-03-02 02:00"),
            ("A", "Build", "2026-03-02 05:00", "2026-03-02 06:00"),
            ("A", "Test", "2026-03-02 06:00", "2026-03-02 06:00"),
            ("A", "Test", "2026-03-02 08:00", "2026-03-02 12:00"),
        ],
        "2026-03-03",
        steps=("Build", "Test"),
    )
    pieces = lead_pieces(log)
    # Nodes: 0 supplier, 1 Build, 2 Test, 3 customer. Active pieces in visit order (2 h, 1 h, 0 h, 4 h),
    # then the gaps in time order: 3 h inside Build, 2 h from Test back to Test (the zero-length visit).
    assert (pieces.seconds / 3600).tolist() == [2.0, 1.0, 0.0, 4.0, 3.0, 2.0]
    # Kinds 0 active, 1 waiting in step.
    kind, node = np.array([0, 0, 0, 0, 1, 1]), np.array([1, 1, 2, 2, 1, 2])
    assert pieces.place.tolist() == place_code(kind, node, node, 4).tolist()
    assert pieces.item.tolist() == [0] * 6


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 4)), max_size=50), st.sampled_from([1, 10_000]))
def test_items_per_group_counts_each_item_once_per_group(visits, spacing):
    # spacing 10,000 puts the item codes far apart, past what one mark per (item, step) is worth.
    item = np.array([i * spacing for i, _ in visits], dtype=np.int64)
    step = np.array([s for _, s in visits], dtype=np.int64)
    expected = [len({i for i, s in visits if s == wanted}) for wanted in range(5)]
    assert items_per_group(item, step, 5).tolist() == expected
