import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from vsm_widgets.model.event_log import EventLog, QualityIssue, QualityReport, _median_positions, step_order


def visits(rows):
    return pd.DataFrame(rows, columns=["item", "step", "start", "end"]).assign(kind="active")


def test_flow_order_is_the_median_order_of_first_entry():
    # a: Dev, QA, Dev (rework), Release; b: Dev, QA, Release; c: Dev, Release (skips QA).
    # First-entry positions: Dev 0,0,0; QA 1,1; Release 2,2,1 -> medians 0, 1, 2.
    frame = visits(
        [
            ("a", "Dev", "2026-01-01 09:00", "2026-01-01 10:00"),
            ("a", "QA", "2026-01-01 11:00", "2026-01-01 12:00"),
            ("a", "Dev", "2026-01-01 13:00", "2026-01-01 14:00"),
            ("a", "Release", "2026-01-01 15:00", "2026-01-01 16:00"),
            ("b", "Dev", "2026-01-02 09:00", "2026-01-02 10:00"),
            ("b", "QA", "2026-01-02 11:00", "2026-01-02 12:00"),
            ("b", "Release", "2026-01-02 13:00", "2026-01-02 14:00"),
            ("c", "Dev", "2026-01-03 09:00", "2026-01-03 10:00"),
            ("c", "Release", "2026-01-03 11:00", "2026-01-03 12:00"),
        ]
    )
    assert step_order(frame) == ("Dev", "QA", "Release")


def test_tied_steps_keep_the_text_order_whatever_the_row_order():
    # Half the items do Paperwork first, half Equipment first: both have median position 0.5.
    rows = [
        ("a", "Paperwork", "2026-01-01 09:00", "2026-01-01 10:00"),
        ("a", "Equipment", "2026-01-01 11:00", "2026-01-01 12:00"),
        ("b", "Equipment", "2026-01-01 09:00", "2026-01-01 10:00"),
        ("b", "Paperwork", "2026-01-01 11:00", "2026-01-01 12:00"),
    ]
    reversed_items = rows[2:] + rows[:2]
    assert step_order(visits(rows)) == ("Equipment", "Paperwork")
    assert step_order(visits(reversed_items)) == ("Equipment", "Paperwork")
    assert EventLog.from_visits(visits(reversed_items)).steps == ("Equipment", "Paperwork")


def test_from_visits_keeps_unfinished_items_as_work_in_progress():
    log = EventLog.from_visits(
        visits(
            [
                ("done", "Build", "2026-01-05 09:00", "2026-01-05 12:00"),
                ("open", "Build", "2026-01-05 10:00", None),
            ]
        ),
        as_of="2026-01-06",
    )
    items = log.items.set_index("item")
    assert items.loc["done", "finished"] and items.loc["done", "done"] == pd.Timestamp("2026-01-05 12:00", tz="UTC")
    assert not items.loc["open", "finished"] and pd.isna(items.loc["open", "done"])
    # Naive timestamps are taken as UTC.
    assert items.loc["open", "started"] == pd.Timestamp("2026-01-05 10:00", tz="UTC")
    assert log.as_of == pd.Timestamp("2026-01-06", tz="UTC")


def test_the_quality_contract_lists_only_dropped_rows():
    report = QualityReport(
        10,
        8,
        (
            QualityIssue("exact duplicate", 2, "dropped", (4, 7)),
            QualityIssue("overlapping visits", 3, "kept"),
        ),
    )
    assert report.to_dict() == {"rows_read": 10, "rows_used": 8, "dropped": [{"reason": "exact duplicate", "count": 2}]}
    assert report.to_frame()["rows"].tolist() == ["4, 7", ""]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 7)), min_size=1, max_size=60), st.booleans())
def test_median_entry_positions_are_those_pandas_computes(entries, spread_out):
    # Every step code below the largest occurs (as in step_order); spread_out forces the pandas fallback.
    steps = np.array([s for s, _ in entries])
    _, steps = np.unique(steps, return_inverse=True)
    positions = np.array([p * (1000 if spread_out else 1) for _, p in entries])
    expected = pd.Series(positions).groupby(steps).median().to_numpy()
    assert _median_positions(steps, positions, int(steps.max()) + 1).tolist() == expected.tolist()


def test_step_order_ranks_by_median_entry_then_by_name():
    # Median entry: Build 0.5 (entered first by one item, second by the other), Analysis 0.5, Test 2.
    rows = [("a", "Build"), ("a", "Analysis"), ("a", "Test"), ("b", "Analysis"), ("b", "Build"), ("b", "Test")]
    frame = pd.DataFrame(rows, columns=["item", "step"]).assign(kind="active")
    assert step_order(frame) == ("Analysis", "Build", "Test")
