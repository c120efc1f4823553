import pytest

from tests.flow_logs import at, log_of
from vsm_widgets.calendar import Calendar
from vsm_widgets.exceptions import MapNotMeasurable, VsmInputError
from vsm_widgets.metrics.mean_item import map_totals
from vsm_widgets.metrics.measured_map import measured_map
from vsm_widgets.model.stream import ValueStream
from vsm_widgets.units import Duration


def hours(duration: Duration) -> float:
    return round(duration.to("hours"), 9)


def test_linear_stream_takes_medians_of_process_times_and_waits():
    log = log_of(
        [
            ("a", "Build", 0, 4),
            ("a", "Test", 10, 12),
            ("b", "Build", 0, 2),
            ("b", "Test", 3, 5),
        ]
    )
    stream = measured_map(log, statistic="median")
    assert [s.name for s in stream.steps] == ["Build", "Test"]
    # Build: median(4, 2) = 3 h; Test: median(2, 2) = 2 h.
    assert hours(stream.step("build").process_time) == 3.0
    assert hours(stream.step("test").process_time) == 2.0
    # Waits Build -> Test: a 10 - 4 = 6 h, b 3 - 2 = 1 h; median 3.5 h.
    assert hours(stream.wait_of(stream.handoff("build", "test"))) == 3.5
    # Lead time on the map: 3 + 3.5 + 2 = 8.5 h (no wait at either end).
    assert hours(stream.lead_time()) == 8.5
    assert stream.unit == "hours"


def test_rework_shows_in_pct_ca_and_never_as_a_backward_arrow():
    log = log_of(
        [
            ("a", "Dev", 0, 2),
            ("a", "QA", 3, 4),
            ("a", "Dev", 5, 6),  # QA sent it back
            ("a", "QA", 7, 8),
        ]
    )
    stream = measured_map(log, statistic="median")
    assert {h.key for h in stream.handoffs} == {("supplier", "dev"), ("dev", "qa"), ("qa", "customer")}
    # Two QA visits, the first followed by a return to Dev: %C&A = 1 - 1/2.
    assert stream.step("qa").pct_ca == 0.5
    # Dev -> QA waited 1 h both times.
    assert hours(stream.wait_of(stream.handoff("dev", "qa"))) == 1.0
    # Only the last QA visit leaves to the customer, with no wait (done at hour 8).
    assert hours(stream.wait_of(stream.handoff("qa", "customer"))) == 0.0


def test_parallel_work_becomes_branches_not_a_chain():
    # Paperwork then background check, while equipment is provisioned beside them; orientation joins.
    log = log_of(
        [
            ("h1", "Paperwork", 0, 3),
            ("h1", "Equipment", 1, 10),
            ("h1", "Check", 3, 6),
            ("h1", "Orientation", 10, 12),
        ]
    )
    stream = measured_map(log, statistic="median")
    assert {h.key for h in stream.handoffs} == {
        ("supplier", "paperwork"),
        ("supplier", "equipment"),
        ("paperwork", "check"),
        ("check", "orientation"),
        ("equipment", "orientation"),
        ("orientation", "customer"),
    }
    # Equipment started 1 h after the clock; Check waited 10 - 6 = 4 h for orientation.
    assert hours(stream.wait_of(stream.handoff("supplier", "equipment"))) == 1.0
    assert hours(stream.wait_of(stream.handoff("check", "orientation"))) == 4.0
    # Both branches take 12 h (0+3+0+3+4+2 and 1+9+0+2), the item's real lead time, where a chain of
    # all four boxes would claim 3+9+3+2 = 17 h. The tie goes to more process time: 9+2 > 3+3+2.
    assert hours(stream.lead_time()) == 12.0
    assert stream.critical_path() == ("equipment", "orientation")


def test_the_default_map_is_the_mean_item_and_adds_up_to_the_mean_lead_time():
    log = log_of(
        [
            ("a", "Build", 0, 4),
            ("a", "Test", 10, 12),
            ("b", "Build", 0, 2),
            ("b", "Test", 3, 5),
            ("c", "Build", 0, 1),
            ("c", "Test", 1, 2),
        ]
    )
    stream = measured_map(log)
    # Build (4 + 2 + 1) / 3 h, Test (2 + 2 + 1) / 3 h, the wait (6 + 1 + 0) / 3 h: 19/3 h, the mean of 12, 5 and 2 h.
    assert hours(stream.step("build").process_time) == round(7 / 3, 9)
    assert hours(stream.step("test").process_time) == round(5 / 3, 9)
    assert hours(stream.wait_of(stream.handoff("build", "test"))) == round(7 / 3, 9)
    assert hours(stream.lead_time()) == round(19 / 3, 9)
    assert stream.extra["measured_from"]["statistic"] == "mean item"
    assert map_totals(stream)["lead_time"] == pytest.approx(19 / 3)
    assert map_totals(stream)["what"] == "the mean item of 3 finished items (every box and arrow adds up to it)"


def test_the_mean_item_map_folds_a_return_into_the_box_it_returns_to():
    log = log_of([("a", "Dev", 0, 2), ("a", "QA", 3, 4), ("a", "Dev", 5, 6), ("a", "QA", 7, 8)])
    stream = measured_map(log)
    # Dev 2 + 1 h, QA 1 + 1 h, Dev -> QA 1 + 1 h; the 1 h waiting to go back (QA -> Dev, not drawn) waits in Dev.
    dev = stream.step("dev")
    assert (hours(dev.process_time), hours(dev.lead_time)) == (3.0, 4.0)
    assert hours(stream.wait_of(stream.handoff("dev", "qa"))) == 2.0
    assert hours(stream.lead_time()) == 8.0


def test_the_mean_item_map_of_parallel_work_adds_up_over_every_box():
    log = log_of(
        [("h1", "Paperwork", 0, 3), ("h1", "Equipment", 1, 10), ("h1", "Check", 3, 6), ("h1", "Orientation", 10, 12)]
    )
    stream = measured_map(log)
    # 0-1 Paperwork; 1-3 Paperwork and Equipment, 1 h each; 3-6 Check and Equipment, 1.5 h each; 6-10 Equipment;
    # 10-12 Orientation: 2 + 6.5 + 1.5 + 2 = 12 h. The critical path (Equipment, Orientation) holds 8.5 h of it.
    process = {s.id: hours(s.process_time) for s in stream.steps}
    assert process == {"paperwork": 2.0, "equipment": 6.5, "check": 1.5, "orientation": 2.0}
    assert sum(process.values()) == map_totals(stream)["lead_time"] == 12.0
    assert hours(stream.lead_time()) == 8.5


def test_rare_arrows_are_folded_and_reported():
    rows = []
    for n in range(20):
        rows += [(f"i{n}", "A", 0, 1), (f"i{n}", "B", 2, 3), (f"i{n}", "C", 4, 5)]
    rows += [("skip", "A", 0, 1), ("skip", "C", 2, 3)]
    stream = measured_map(log_of(rows), min_share=0.05)
    # A -> C is taken by 1 of the 21 items reaching C: 4.8 % < 5 %.
    assert ("a", "c") not in {h.key for h in stream.handoffs}
    assert list(stream.extra["measured_from"]["folded_handoffs"]) == [{"from": "a", "to": "c", "items": 1}]
    assert stream.extra["measured_from"]["min_share"] == 0.05
    kept = measured_map(log_of(rows), min_share=0.04)
    assert ("a", "c") in {h.key for h in kept.handoffs}


def test_a_working_calendar_gives_a_map_of_working_days():
    # Friday 16:00 to Monday 10:00 is 2 working hours on Mon-Fri 09:00-17:00.
    friday = 4 * 24
    log = log_of([("a", "Build", friday + 9, friday + 16), ("a", "Test", friday + 3 * 24 + 10, friday + 3 * 24 + 12)])
    stream = measured_map(log.replace(calendar=Calendar.working_time()))
    assert stream.hours_per_day == 8.0
    assert hours(stream.wait_of(stream.handoff("build", "test"))) == 2.0


def test_from_events_is_the_same_map():
    log = log_of([("a", "Build", 0, 4), ("a", "Test", 10, 12)])
    assert ValueStream.from_events(log, statistic="mean") == measured_map(log, statistic="mean")


def test_bad_options_are_refused():
    log = log_of([("a", "Build", 0, 4)])
    with pytest.raises(ValueError, match="unknown statistic 'mode'"):
        measured_map(log, statistic="mode")
    with pytest.raises(VsmInputError, match="no finished visit to an active step.*Check that the mapping marks"):
        measured_map(log_of([("a", "Build", 0, None)], as_of=at(5)))


def test_a_single_finished_visit_is_a_map_of_one_step():
    # One item, one visit of 8 hours: the map is that box between supplier and customer, no wait on either arrow.
    stream = measured_map(log_of([("a", "Build", 9, 17)]), statistic="median")
    assert [(s.name, hours(s.process_time)) for s in stream.steps] == [("Build", 8.0)]
    assert [(h.key, hours(h.wait)) for h in stream.handoffs] == [
        (("supplier", "build"), 0.0),
        (("build", "customer"), 0.0),
    ]
    assert hours(measured_map(log_of([("a", "Build", 9, 17)])).lead_time()) == 8.0


def test_all_work_in_progress_is_not_measurable_and_says_why():
    log = log_of([("a", "Build", 0, None), ("b", "Test", 2, None)], as_of=at(30))
    with pytest.raises(MapNotMeasurable, match="no finished visit to an active step") as caught:
        measured_map(log)
    assert caught.value.reason == "no finished visit"


def test_steps_each_visited_by_too_few_items_are_not_measurable():
    # 40 items, each through its own step: every step holds 1 of 40 items (2.5 %), under the 5 % a step needs.
    log = log_of([(f"i{n}", f"Step {n}", n, n + 6) for n in range(40)])
    with pytest.raises(MapNotMeasurable, match=r"no step is visited by 5 % of the 40 items") as caught:
        measured_map(log)
    assert caught.value.reason == "no shared step"
    assert "by 1)" in str(caught.value) and "a coarser step column" in str(caught.value)
    # With the threshold at 2 % each step (2.5 %) is kept: 40 boxes.
    assert len(measured_map(log, min_share=0.02).steps) == 40


def test_a_step_whose_items_are_all_still_in_it_is_joined_to_the_customer_with_no_wait():
    # A: Build 0-2 h, Test 3-5 h. B: Build 0-2 h, then Analysis from 4 h, still open: nothing leaves Analysis,
    # so the arrow that keeps it on the map has no wait measured on it.
    log = log_of(
        [("A", "Build", 0, 2), ("A", "Test", 3, 5), ("B", "Build", 0, 2), ("B", "Analysis", 4, None)],
        steps=("Build", "Analysis", "Test"),
        as_of=at(10),
    )
    stream = measured_map(log)
    assert stream.handoff("analysis", "customer").wait == Duration(0.0)
    # The mean item is A's (the only finished item), which never passed Build -> Analysis: no time there.
    assert stream.handoff("build", "analysis").wait == Duration(0.0)
    # Per passage, B's one passage waited 2 h.
    by_passage = measured_map(log, statistic="median")
    assert by_passage.handoff("analysis", "customer").wait == Duration(0.0)
    assert by_passage.handoff("build", "analysis").wait == Duration(2 * 3600)
