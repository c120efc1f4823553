import math

import pandas as pd
import pytest

from tests.flow_logs import (
    handoff_log,
    onboarding,
    published_example,
    rework_log,
    unfinished_log,
    visit_log,
    weekend_overlap_log,
)
from vsm_widgets.metrics import item_flow


def by_item(frame):
    return frame.set_index("item")


def test_published_example_has_flow_efficiency_of_7_4_percent():
    log = published_example()
    item = by_item(item_flow.item_metrics(log)).loc["CR-1"]
    # 27 days x 24 h = 648 h of lead time; 12 + 30 + 6 = 48 h of work; 48 / 648 = 7.4 %.
    assert item["lead_time_hours"] == 648.0
    assert item["active_time_hours"] == 48.0
    assert item["wait_time_hours"] == 600.0
    assert item["flow_efficiency"] == pytest.approx(48 / 648)
    assert round(100 * item["flow_efficiency"], 1) == 7.4
    assert item_flow.flow_efficiency(log) == {
        "portfolio": pytest.approx(48 / 648),
        "mean_of_items": 48 / 648,
        "items": 1,
    }


def test_parallel_work_counts_once():
    item = by_item(item_flow.item_metrics(onboarding())).loc["N-1"]
    # Union of 09-13 and 11-15 is 09-15 (6 h), plus 16-17 (1 h) = 7 h, not 4 + 4 + 1 = 9 h.
    assert item["active_time_hours"] == 7.0
    assert item["lead_time_hours"] == 8.0
    assert item["wait_time_hours"] == 1.0
    assert item["flow_efficiency"] == 7 / 8
    assert item["visits"] == 3


def test_rework_per_item():
    items = by_item(item_flow.item_metrics(rework_log()))
    assert items["rework"].to_dict() == {"R1": 2, "R2": 0, "R3": 1}
    assert items["visits"].to_dict() == {"R1": 5, "R2": 3, "R3": 3}


def test_unfinished_item_has_age_not_lead_time():
    items = by_item(item_flow.item_metrics(unfinished_log()))
    unfinished = items.loc["U"]
    assert not unfinished["finished"]
    assert pd.isna(unfinished["done"])
    assert math.isnan(unfinished["lead_time_hours"])
    # Started 03-02 09:00, measured to as_of 03-03 12:00: 27 h.
    assert unfinished["age_hours"] == 27.0
    # Build 2 h plus the open Test visit from 12:00 to as_of: 24 h; 26 h active, 1 h waiting.
    assert unfinished["active_time_hours"] == 26.0
    assert unfinished["wait_time_hours"] == 1.0
    assert math.isnan(unfinished["flow_efficiency"])
    finished = items.loc["F"]
    assert finished["lead_time_hours"] == 3.0
    assert math.isnan(finished["age_hours"])


def test_item_waits_include_waiting_states():
    items = by_item(item_flow.item_metrics(handoff_log()))
    # H1: 08:00 to 15:00 = 7 h, of which 2 h active.
    assert items.loc["H1", ["lead_time_hours", "active_time_hours", "wait_time_hours"]].tolist() == [7.0, 2.0, 5.0]


def test_working_calendar_merges_overlaps_before_measuring():
    log = weekend_overlap_log()
    # One block Fri 16:00 to Mon 11:00: Fri 1 h + Mon 2 h = 3 h (measuring each visit would give 1 + 1 + 2 = 4 h).
    assert by_item(item_flow.item_metrics(log)).loc["P", "active_time_hours"] == pytest.approx(3.0)


def test_time_zone_of_the_export_does_not_change_durations():
    rows = [
        ("Z", "Build", "2026-01-05 09:00", "2026-01-05 17:30"),
        ("Z", "Test", "2026-01-06 08:00", "2026-01-06 09:15"),
    ]
    in_tokyo = visit_log(rows, as_of="2026-01-07 00:00", tz="Asia/Tokyo", steps=("Build", "Test"))
    in_utc = visit_log(rows, as_of="2026-01-07 00:00", tz="UTC", steps=("Build", "Test"))
    pd.testing.assert_frame_equal(
        item_flow.item_metrics(in_tokyo).drop(columns=["started", "done"]),
        item_flow.item_metrics(in_utc).drop(columns=["started", "done"]),
    )
    # 09:00-17:30 is 8.5 h; 17:30 to 08:00 is 14.5 h; 08:00 to 09:15 is 1.25 h: lead 24.25 h.
    assert by_item(item_flow.item_metrics(in_tokyo)).loc["Z", "lead_time_hours"] == 24.25
