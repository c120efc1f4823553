import json

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.flow_logs import (
    STEPS,
    handoff_log,
    onboarding,
    published_example,
    random_logs,
    rework_log,
    unfinished_log,
    visit_log,
)
from vsm_widgets.calendar import Calendar
from vsm_widgets.metrics import flow
from vsm_widgets.model.event_log import EventLog
from vsm_widgets.readout.metrics_report import format_summary


def by_item(frame):
    return frame.set_index("item")


def by_step(frame):
    return frame.set_index("step")


def by_handoff(frame):
    return frame.set_index(["from", "to"])


# The published example (DOMAIN section 2)


def test_published_example_handoffs_include_the_supplier():
    handoffs = by_handoff(flow.handoff_metrics(published_example()))
    # The clock starts at the request, 48 h before analysis begins: a supplier handoff.
    assert handoffs.loc[("supplier", "Analysis"), "wait_mean_hours"] == 48.0
    # Analysis ends 01-07 21:00, development starts 01-12 09:00: 4.5 days = 108 h.
    assert handoffs.loc[("Analysis", "Development and testing"), "wait_mean_hours"] == 108.0
    # Development ends 01-13 15:00, release starts 02-01 03:00: 18.5 days = 444 h.
    assert handoffs.loc[("Development and testing", "Release"), "wait_mean_hours"] == 444.0
    # Waits add up to the item's 600 h of waiting: 48 + 108 + 444.
    assert handoffs["wait_total_hours"].sum() == 600.0
    assert ("Release", "customer") not in handoffs.index


# Overlapping and parallel work


def test_parallel_branch_is_not_rework():
    log = onboarding()
    # Equipment is earlier in flow order than Paperwork, but starts while Paperwork is still open.
    assert by_item(flow.item_metrics(log)).loc["N-1", "rework"] == 0
    steps = by_step(flow.step_metrics(log))
    assert steps["rework_visits"].sum() == 0
    assert list(steps["pct_ca"]) == [1.0, 1.0, 1.0]


def test_overlapping_handoff_waits_nothing():
    handoffs = by_handoff(flow.handoff_metrics(onboarding()))
    # Equipment starts at 11:00, before Paperwork ends at 13:00: wait 0, never negative.
    assert handoffs.loc[("Paperwork", "Equipment"), "wait_mean_hours"] == 0.0
    # Equipment ends 15:00, Welcome starts 16:00.
    assert handoffs.loc[("Equipment", "Welcome"), "wait_mean_hours"] == 1.0
    assert handoffs.loc[("Equipment", "Welcome"), "share_of_wait"] == 1.0


# Rework and %C&A


def test_rework_and_pct_ca_per_step():
    steps = flow.step_metrics(rework_log())
    assert list(steps["step"]) == ["Analysis", "Build", "Test"]
    steps = by_step(steps)
    assert steps["visits"].to_dict() == {"Analysis": 3, "Build": 4, "Test": 4}
    assert steps["items"].to_dict() == {"Analysis": 3, "Build": 3, "Test": 3}
    # Build: R1's second visit and R3's late visit; Test: R1's second visit.
    assert steps["rework_visits"].to_dict() == {"Analysis": 0, "Build": 2, "Test": 1}
    # Test: R1's first Test and R3's Test are followed by a return to Build: 1 - 2/4 = 0.5.
    # Build and Analysis are never followed by a return to themselves or an earlier step.
    assert steps["pct_ca"].to_dict() == {"Analysis": 1.0, "Build": 1.0, "Test": 0.5}


def test_process_time_statistics():
    steps = by_step(flow.step_metrics(rework_log()))
    # Build visits last 2, 1, 1 and 1 h: sorted [1, 1, 1, 2].
    build = steps.loc["Build"]
    assert build["process_time_median_hours"] == 1.0
    # 85th percentile by linear interpolation: rank 0.85 x (4 - 1) = 2.55, so 1 + 0.55 x (2 - 1) = 1.55.
    assert build["process_time_p85_hours"] == pytest.approx(1.55)
    assert build["process_time_mean_hours"] == 1.25
    assert build["process_time_max_hours"] == 2.0


def test_a_visit_resuming_the_same_step_is_not_rework_but_its_gap_is_waiting():
    # Build, a pause (Blocked in a status history), Build again: one piece of work interrupted.
    log = visit_log(
        [
            ("X", "Build", "2026-02-02 09:00", "2026-02-02 10:00"),
            ("X", "Build", "2026-02-02 11:00", "2026-02-02 12:00"),
        ],
        as_of="2026-02-03",
    )
    assert by_item(flow.item_metrics(log)).loc["X", "rework"] == 0
    assert by_step(flow.step_metrics(log)).loc["Build", "pct_ca"] == 1.0
    # The hour between the visits is still waiting, on a Build -> Build handoff.
    assert by_handoff(flow.handoff_metrics(log)).loc[("Build", "Build"), "wait_mean_hours"] == 1.0


# Unfinished items


def test_open_visits_are_left_out_of_process_time():
    test = by_step(flow.step_metrics(unfinished_log())).loc["Test"]
    # Two Test visits, but only F's closed 2 h visit enters the statistics.
    assert test["visits"] == 2
    assert test["process_time_median_hours"] == 2.0
    assert test["process_time_max_hours"] == 2.0


def test_unfinished_items_have_no_customer_handoff_and_are_left_out_of_flow_efficiency():
    log = unfinished_log()
    assert "customer" not in set(flow.handoff_metrics(log)["to"])
    # Only F is finished: 3 h of work in 3 h.
    assert flow.flow_efficiency(log) == {"portfolio": 1.0, "mean_of_items": 1.0, "items": 1}


# Handoffs to and from the supplier and the customer


def test_handoffs_with_supplier_and_customer():
    handoffs = flow.handoff_metrics(handoff_log())
    assert list(zip(handoffs["from"], handoffs["to"], strict=True)) == [
        ("supplier", "Build"),
        ("Build", "Test"),
        ("Test", "customer"),
    ]
    handoffs = by_handoff(handoffs)
    # H1's clock starts 08:00 in the backlog, Build starts 09:00.
    assert handoffs.loc[("supplier", "Build"), "count"] == 1
    assert handoffs.loc[("supplier", "Build"), "wait_mean_hours"] == 1.0
    build_test = handoffs.loc[("Build", "Test")]
    # H1 waits 10:00-12:00 (2 h), H2 10:00-14:00 (4 h).
    assert build_test["count"] == 2
    assert build_test["wait_median_hours"] == 3.0
    # Linear interpolation between 2 and 4 at 0.85: 2 + 0.85 x 2 = 3.7.
    assert build_test["wait_p85_hours"] == pytest.approx(3.7)
    assert build_test["wait_mean_hours"] == 3.0
    assert build_test["wait_total_hours"] == 6.0
    # H1 is done at 15:00 after the deploy queue, 2 h after its last active visit.
    assert handoffs.loc[("Test", "customer"), "wait_mean_hours"] == 2.0
    # All waiting: 1 + 6 + 2 = 9 h.
    assert handoffs["share_of_wait"].to_dict() == {
        ("supplier", "Build"): pytest.approx(1 / 9),
        ("Build", "Test"): pytest.approx(6 / 9),
        ("Test", "customer"): pytest.approx(2 / 9),
    }


# Calendars and time zones


def test_working_calendar_across_a_weekend_and_a_holiday():
    calendar = Calendar.working_time(hours=(9, 17), holidays=["2026-04-06"])
    log = visit_log(
        [
            # Fri 2026-04-03 15:00-17:00, then Tue 04-07 10:00-12:00 after a weekend and Easter Monday.
            ("W", "Build", "2026-04-03 15:00", "2026-04-03 17:00"),
            ("W", "Test", "2026-04-07 10:00", "2026-04-07 12:00"),
            # Starts before opening time: 07:00-10:00 holds 1 working hour.
            ("E", "Build", "2026-04-13 07:00", "2026-04-13 10:00"),
        ],
        as_of="2026-04-14 00:00",
        calendar=calendar,
        steps=("Build", "Test"),
    )
    items = by_item(flow.item_metrics(log))
    # Lead: Fri 2 h + Sat, Sun, Mon (holiday) 0 h + Tue 09-12 3 h = 5 h; active 2 + 2 = 4 h.
    assert items.loc["W", "lead_time_hours"] == pytest.approx(5.0)
    assert items.loc["W", "active_time_hours"] == pytest.approx(4.0)
    assert items.loc["W", "flow_efficiency"] == pytest.approx(0.8)
    assert items.loc["E", "lead_time_hours"] == pytest.approx(1.0)
    # The handoff waits Fri 17:00 to Tue 10:00: only Tue 09-10 counts.
    assert by_handoff(flow.handoff_metrics(log)).loc[("Build", "Test"), "wait_mean_hours"] == pytest.approx(1.0)
    # The same log on calendar time: Fri 15:00 to Tue 12:00 is 3 days and 21 h = 93 h.
    on_calendar = by_item(flow.item_metrics(log.replace(calendar=Calendar())))
    assert on_calendar.loc["W", "lead_time_hours"] == 93.0


def test_calendar_time_across_a_daylight_saving_change():
    log = visit_log(
        [("D", "Build", "2026-03-28 12:00", "2026-03-29 12:00")],
        as_of="2026-03-30 12:00",
        tz="Europe/Berlin",
    )
    item = by_item(flow.item_metrics(log)).loc["D"]
    # Berlin springs forward on 2026-03-29: noon to noon is 23 h.
    assert item["lead_time_hours"] == 23.0
    assert by_step(flow.step_metrics(log)).loc["Build", "process_time_mean_hours"] == 23.0


# Flow efficiency aggregation


def test_portfolio_and_mean_of_items_differ():
    log = visit_log(
        [
            # A: 1 h of work in 1 h (ratio 1).
            ("A", "Build", "2026-01-05 00:00", "2026-01-05 01:00"),
            # B: 2 h of work in 99 h (ratio 2/99).
            ("B", "Build", "2026-01-05 00:00", "2026-01-05 01:00"),
            ("B", "Test", "2026-01-09 02:00", "2026-01-09 03:00"),
        ],
        as_of="2026-01-10",
        steps=("Build", "Test"),
    )
    efficiency = flow.flow_efficiency(log)
    # Portfolio: (1 + 2) / (1 + 99) = 3 %; mean of items: (1 + 2/99) / 2 = 51 %: seventeen times larger.
    assert efficiency["portfolio"] == pytest.approx(0.03)
    assert efficiency["mean_of_items"] == pytest.approx((1 + 2 / 99) / 2)
    assert efficiency["items"] == 2
    summary = flow.summary(log)
    assert summary["flow_efficiency"] == pytest.approx(0.03)
    assert summary["flow_efficiency_mean_of_items"] == pytest.approx((1 + 2 / 99) / 2)


# Summary


def test_summary_has_exactly_the_contract_keys_and_serialises():
    log = unfinished_log()
    summary = flow.summary(log)
    assert set(summary) == {
        "unit",
        "items",
        "finished_items",
        "lead_time",
        "active_time",
        "flow_efficiency",
        "flow_efficiency_mean_of_items",
        "throughput_per_week",
        "wip_mean",
        "steps",
        "handoffs",
        "quality",
        "conventions",
    }
    json.dumps(summary, allow_nan=False)
    assert summary["unit"] == "hours"
    assert (summary["items"], summary["finished_items"]) == (2, 1)
    # Only F is finished: lead 3 h, active 3 h.
    assert summary["lead_time"] == {"median": 3.0, "p85": 3.0, "mean": 3.0}
    assert summary["active_time"] == {"median": 3.0, "p85": 3.0, "mean": 3.0}
    assert set(summary["steps"][0]) == {"step", "visits", "items", "process_time", "pct_ca"}
    assert set(summary["handoffs"][0]) == {"from", "to", "count", "wait"}
    assert summary["quality"] == {"rows_read": 4, "rows_used": 4, "dropped": []}
    assert summary["conventions"]["calendar"] == "calendar time (24 h a day, every day)"


def test_summary_rates():
    summary = flow.summary(unfinished_log())
    # Window 03-02 09:00 to as_of 03-03 12:00 = 27 h. Item-hours in progress: U 27 + F 3 = 30; 30 / 27.
    assert summary["wip_mean"] == pytest.approx(30 / 27)
    # One item finished in 27 h = 1.125 days: 1 / 1.125 per day, x 7 per week.
    assert summary["throughput_per_week"] == pytest.approx(7 / 1.125)


def test_summary_of_a_log_without_visits():
    visits = pd.DataFrame(
        {
            "item": pd.Series([], dtype=object),
            "step": pd.Series([], dtype=object),
            "kind": pd.Series([], dtype=object),
            "start": pd.Series([], dtype="datetime64[ns, UTC]"),
            "end": pd.Series([], dtype="datetime64[ns, UTC]"),
            "row": pd.Series([], dtype=int),
        }
    )
    items = pd.DataFrame(
        {
            "item": pd.Series([], dtype=object),
            "type": pd.Series([], dtype=object),
            "started": pd.Series([], dtype="datetime64[ns, UTC]"),
            "done": pd.Series([], dtype="datetime64[ns, UTC]"),
            "finished": pd.Series([], dtype=bool),
        }
    )
    log = EventLog(visits, items, (), pd.Timestamp("2026-01-01", tz="UTC"))
    summary = flow.summary(log)
    json.dumps(summary, allow_nan=False)
    assert (summary["items"], summary["steps"], summary["handoffs"]) == (0, [], [])
    assert summary["lead_time"] == {"median": None, "p85": None, "mean": None}
    assert summary["flow_efficiency"] is None
    assert "0 items" in format_summary(summary, log)


def test_visits_at_the_same_instants_are_taken_in_flow_order_whatever_the_row_order():
    rows = [
        ("T", "Test", "2026-01-05 09:00", "2026-01-05 10:00"),
        ("T", "Build", "2026-01-05 09:00", "2026-01-05 10:00"),
        ("T", "Release", "2026-01-05 11:00", "2026-01-05 12:00"),
    ]
    for ordered in (rows, rows[::-1]):
        log = visit_log(ordered, as_of="2026-01-06", steps=("Build", "Test", "Release"))
        handoffs = flow.handoff_metrics(log)
        # Build and Test start and end together: Build comes first in flow order, so Build -> Test -> Release.
        assert list(zip(handoffs["from"], handoffs["to"], strict=True)) == [("Build", "Test"), ("Test", "Release")]
        assert by_item(flow.item_metrics(log)).loc["T", "rework"] == 0


# Invariants


def rebuilt(rows, as_of, order, calendar=None):
    return visit_log([rows[i] for i in order], as_of=as_of, calendar=calendar, steps=STEPS)


@settings(max_examples=25, deadline=None)
@given(random_logs())
def test_item_invariants(case):
    rows, as_of = case
    for calendar in (Calendar(), Calendar.working_time()):
        log = visit_log(rows, as_of=as_of, calendar=calendar, steps=STEPS)
        items = flow.item_metrics(log)
        elapsed = items["lead_time_hours"].fillna(items["age_hours"])
        assert (items["active_time_hours"] >= 0).all()
        assert (items["active_time_hours"] <= elapsed + 1e-9).all()
        assert (items["wait_time_hours"] >= -1e-9).all()
        efficiency = items["flow_efficiency"].dropna()
        assert ((efficiency >= 0) & (efficiency <= 1 + 1e-12)).all()
        assert (items["rework"] <= items["visits"]).all()
        pct_ca = flow.step_metrics(log)["pct_ca"].dropna()
        assert ((pct_ca >= 0) & (pct_ca <= 1)).all()
        assert (flow.handoff_metrics(log)["wait_mean_hours"] >= 0).all()


@settings(max_examples=25, deadline=None)
@given(random_logs(), st.data())
def test_row_order_changes_nothing(case, data):
    rows, as_of = case
    original = rebuilt(rows, as_of, range(len(rows)))
    log = rebuilt(rows, as_of, data.draw(st.permutations(range(len(rows)))))
    pd.testing.assert_frame_equal(flow.item_metrics(log), flow.item_metrics(original))
    pd.testing.assert_frame_equal(flow.step_metrics(log), flow.step_metrics(original))
    pd.testing.assert_frame_equal(flow.handoff_metrics(log), flow.handoff_metrics(original))
    assert flow.summary(log) == flow.summary(original)
