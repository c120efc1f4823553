"""Findings and the first page, worded from numbers computed by hand.

The export: three finished items, each Dev then QA, the clock starting at Dev (from_visits):
  A  Dev 0-10 h, QA 30-32 h  lead 32 h, active 12 h, wait 20 h
  B  Dev 0-4 h,  QA 14-16 h  lead 16 h, active  6 h, wait 10 h
  C  Dev 0-6 h,  QA 46-48 h  lead 48 h, active  8 h, wait 40 h
  D  Dev from 48 h, still open when the export is taken at 108 h (age 60 h)
Lead times 16, 32, 48: mean 32 h, median 32 h, 85th percentile 32 + 0.7 * 16 = 43.2 h (linear).
Waiting 1 - 26 / 96 = 72.9 %. The only wait is Dev -> QA: the mean item's (20 + 10 + 40) / 3 = 23.3 h,
all of the waiting.

The four-function map (DOMAIN section 2): lead time 44 days, 29 days in the boxes, 15 on the arrows;
its findings are in test_map_findings.py.
"""

import math

import pandas as pd
import pytest

from tests.flow_logs import visit_log
from vsm_widgets.future.compare import compare
from vsm_widgets.future.scenario import loads_scenario
from vsm_widgets.model.stream import CUSTOMER, SUPPLIER, Handoff, Step, ValueStream
from vsm_widgets.readout.executive import executive_summary, future_promise
from vsm_widgets.readout.findings import (
    Delay,
    Headline,
    export_findings,
    export_headline,
)
from vsm_widgets.readout.map_findings import map_headline
from vsm_widgets.units import Duration
from vsm_widgets.wording import change_text, duration_text, interval_text, value_text

SCRIPT = "<script>alert(1)</script>"


def days(n: float) -> Duration:
    return Duration.of(n, "days")


def export_log():
    rows = [
        ("A", "Dev", "2026-01-05 00:00", "2026-01-05 10:00"),
        ("A", "QA", "2026-01-06 06:00", "2026-01-06 08:00"),
        ("B", "Dev", "2026-01-05 00:00", "2026-01-05 04:00"),
        ("B", "QA", "2026-01-05 14:00", "2026-01-05 16:00"),
        ("C", "Dev", "2026-01-05 00:00", "2026-01-05 06:00"),
        ("C", "QA", "2026-01-06 22:00", "2026-01-07 00:00"),
        ("D", "Dev", "2026-01-07 00:00", None),
    ]
    return visit_log(rows, as_of="2026-01-09 12:00")


def four_functions(owner=None, ops="Ops") -> ValueStream:
    steps = [Step("marketing", "Marketing", process_time=days(5)), Step("sales", "Sales", process_time=days(8))]
    steps += [Step("ops", ops, process_time=days(12)), Step("delivery", "Delivery", process_time=days(4))]
    handoffs = [
        Handoff(SUPPLIER, "marketing"),
        Handoff("marketing", "sales", days(3)),
        Handoff("sales", "ops", days(5)),
        Handoff("ops", "delivery", days(7), owner=owner),
        Handoff("delivery", CUSTOMER),
    ]
    return ValueStream("Quote", steps, handoffs, supplier="Customer request", customer="Customer")


# ----- wording -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seconds", "hours_per_day", "text"),
    [
        (648 * 3600, 24, "27 days"),  # DOMAIN's software change: 27 calendar days
        (636 * 60, 8, "10.6 hours"),  # the teaching map: 636 minutes
        (30 * 3600, 24, "30 hours"),  # under two days stays in hours
        (16 * 3600, 8, "2 days"),  # two working days of 8 hours
        (90, 24, "90 seconds"),
        (0.0, 24, "0"),
        (math.nan, 24, "n/a"),
    ],
)
def test_durations_read_in_the_largest_unit_giving_two_of_it(seconds, hours_per_day, text):
    assert duration_text(seconds, hours_per_day) == text


def test_values_changes_and_intervals_are_worded_with_their_unit():
    assert value_text(316.2, "hours") == "13.2 days"
    assert value_text(0.2607, "share") == "26.1 %"
    assert value_text(12.3, "items/week") == "12.3 items/week"
    assert value_text(math.nan, "hours") == "\u2013"
    # -99.4 h is 4.1 days; a share changes in percentage points.
    assert change_text(-99.4, -31.4, "hours") == "\u22124.1 days (\u221231 %)"
    assert change_text(0.104, 39.9, "share") == "+10.4 pp"
    assert change_text(0.0, 0.0, "items") == "no change"
    # Both ends of an interval in the unit of the larger one: 23.2 h = 1 day, 93.6 h = 3.9 days.
    assert interval_text(23.2, 93.6, "hours") == "+1 day to +3.9 days"
    assert interval_text(-0.037, 0.033, "share") == "\u22123.7 pp to +3.3 pp"


# ----- an export -----------------------------------------------------------------------------------


def test_export_headline_from_the_finished_items():
    headline = export_headline(export_log())
    assert headline.from_export
    assert headline.finished_items == 3
    assert headline.lead_time == pytest.approx(32 * 3600)
    assert headline.lead_time_median == pytest.approx(32 * 3600)
    assert headline.lead_time_p85 == pytest.approx(43.2 * 3600)
    assert headline.waiting_share == pytest.approx(1 - 26 / 96)
    assert headline.delay == Delay("Dev", "QA", pytest.approx(70 / 3 * 3600), None, pytest.approx(1.0), True)


def test_export_findings_read_aloud():
    assert export_findings(export_log()) == [
        "73 % of lead time is waiting; the largest delay is 23.3 hours between Dev and QA (the mean item's wait; "
        "100 % of all waiting), and nobody is named as its owner.",
        "The mean item took 32 hours from the start of work to done; half of the 3 finished items took at most "
        "32 hours, 85 % at most 43.2 hours.",
        "1 item is still in progress on 2026-01-09; it is already older than 85 % of finished items took (43.2 hours).",
    ]


def test_rework_finding_names_the_step_least_often_right_first_time():
    # R goes Dev, QA, back to Dev, QA again: QA's first visit was sent back, 1 of QA's 3 visits.
    rows = [
        ("R", "Dev", "2026-01-05 00:00", "2026-01-05 02:00"),
        ("R", "QA", "2026-01-05 03:00", "2026-01-05 04:00"),
        ("R", "Dev", "2026-01-05 05:00", "2026-01-05 06:00"),
        ("R", "QA", "2026-01-05 07:00", "2026-01-05 08:00"),
        ("S", "Dev", "2026-01-05 00:00", "2026-01-05 01:00"),
        ("S", "QA", "2026-01-05 02:00", "2026-01-05 03:00"),
    ]
    found = export_findings(visit_log(rows, as_of="2026-01-05 09:00"))
    assert (
        "1 of the 2 finished items (50 %) went back to a step they had left or to an earlier one; QA is complete "
        "and accurate for 67 % of its visits, the lowest of any step." in found
    )


def test_the_ends_of_an_export_are_named_for_people():
    assert Delay(SUPPLIER, "Development", 1.0, from_export=True).place() == "before Development starts"
    assert Delay("QA", CUSTOMER, 1.0, from_export=True).place() == "after QA, before the item is done"
    # Two visits to Dev with only waiting between them: the work paused inside Dev.
    assert Delay("Dev", "Dev", 1.0, from_export=True).place() == "inside Dev"


# ----- the first page ------------------------------------------------------------------------------


def test_first_page_of_an_export_without_a_future_state():
    text = executive_summary(export_headline(export_log())).data
    assert text.split("\n\n") == [
        "**Lead time: 32 hours.** The mean item, from the start of work to done, as the map below draws it; half of "
        "the 3 finished items took at most 32 hours, 85 % at most 43.2 hours.",
        "**Waiting: 73 % of lead time.** Work is done on an item 27 % of the time it spends in the stream.",
        "**Largest delay: 23.3 hours between Dev and QA.** The mean item's wait there; 100 % of all waiting. Nobody "
        "is named as its owner: most organisations name owners for the boxes and rarely for the arrows between them.",
        "**Future state: none given.** Add a scenario file to see what the changes would promise.",
    ]


FUTURE = """
name: Arrows with owners
changes:
  - {kind: cut_wait, handoff: [ops, delivery], to: 2 days, waste: waiting, owner: Head of Ops, due: 2027-03-31}
  - {kind: set_process_time, step: sales, to: 6 days, waste: extra_processing, due: 2027-04-30}
"""


def test_first_page_promises_what_the_future_map_delivers():
    # 44 - 5 (wait 7 -> 2) - 2 (Sales 8 -> 6) = 37 days, -15.9 %; activity ratio 29/44 = 65.9 % -> 27/37 = 73 %.
    current = four_functions()
    scenario = loads_scenario(FUTURE)
    comparison = compare(current, scenario.apply(current))
    lines = executive_summary(map_headline(current), comparison, scenario).data.split("\n\n")
    assert lines[0] == "**Lead time: 44 days.** Along the critical path, from Customer request to Customer."
    assert lines[3] == (
        '**Future state: lead time 44 days \u2192 37 days (\u221216 %).** "Arrows with owners" (2 changes) raises '
        "the activity ratio from 65.9 % to 73 %, if every change lands as planned."
    )
    assert lines[4] == (
        "**Plan: 2 changes, 1 owner, the last due 2027-04-30.** Each change names the waste it removes. 1 has no "
        "owner yet: a change nobody owns does not happen."
    )
    assert future_promise(comparison, scenario) == (
        '"Arrows with owners" (2 changes) cuts lead time from 44 days to 37 days (\u221216 %) and raises the '
        "activity ratio from 65.9 % to 73 %, if every change lands as planned."
    )


def test_first_page_escapes_what_users_typed():
    headline = Headline(False, 10 * 86400, 0.5, Delay(SCRIPT, "Ops*", 86400, owner="[me](http://x)"))
    text = executive_summary(headline).data
    assert "<script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "Ops\\*" in text and "\\[me\\](http\\://x)" in text


def test_a_stream_with_no_finished_item_says_so():
    log = visit_log([("A", "Dev", "2026-01-05 00:00", None)], as_of="2026-01-06 00:00")
    headline = export_headline(log)
    assert math.isnan(headline.lead_time) and headline.finished_items == 0
    lines = executive_summary(headline).data.split("\n\n")
    assert lines[0] == "**Lead time: none yet.** No item has finished."
    assert lines[1].startswith("**Waiting: unknown.**")
    assert pd.isna(headline.waiting_share)


def test_the_lead_time_sentence_names_the_items_it_was_computed_over(tmp_path):
    from vsm_widgets.io.exports import read_export
    from vsm_widgets.readout.findings import lead_time_sentence

    # A takes 48 h and B 24 h from In Progress to Done; D is closed straight from the backlog: no lead time.
    path = tmp_path / "closed_from_backlog.csv"
    path.write_text(
        "item,status,timestamp\n"
        "A,To Do,2026-01-01T00:00:00Z\nA,In Progress,2026-01-02T00:00:00Z\nA,Done,2026-01-04T00:00:00Z\n"
        "B,In Progress,2026-01-01T00:00:00Z\nB,Done,2026-01-02T00:00:00Z\n"
        "D,To Do,2026-01-01T00:00:00Z\nD,Done,2026-01-05T00:00:00Z\n",
        encoding="utf-8",
    )
    log = read_export(path, {"statuses": {"To Do": {"kind": "waiting"}, "In Progress": "Dev"}, "done": ["Done"]})
    headline = export_headline(log)
    # Lead times 24 h and 48 h: mean and median 36 h, 85th percentile 24 + 0.85 * 24 = 44.4 h, over 2 of the 3 finished.
    assert lead_time_sentence(headline) == (
        "The mean item took 36 hours from the start of work to done; half of the 2 finished items with a lead "
        "time (of 3 finished) took at most 36 hours, 85 % at most 44.4 hours."
    )


def test_a_return_to_the_backlog_is_named_as_such(tmp_path):
    from vsm_widgets.io.exports import read_export

    # A works in Dev 01-02 to 01-03, goes back to To Do until 01-08, then Dev again until done on 01-09:
    # the largest wait is the 5 days between its two Dev visits, spent in the backlog.
    path = tmp_path / "back.csv"
    path.write_text(
        "item,status,timestamp\n"
        "A,To Do,2026-01-01T00:00:00Z\nA,In Progress,2026-01-02T00:00:00Z\nA,To Do,2026-01-03T00:00:00Z\n"
        "A,In Progress,2026-01-08T00:00:00Z\nA,Done,2026-01-09T00:00:00Z\n"
        "B,To Do,2026-01-01T00:00:00Z\nB,In Progress,2026-01-02T00:00:00Z\nB,Blocked,2026-01-03T00:00:00Z\n"
        "B,In Progress,2026-01-04T00:00:00Z\nB,Done,2026-01-05T00:00:00Z\n",
        encoding="utf-8",
    )
    mapping = {
        "statuses": {"To Do": {"kind": "waiting"}, "Blocked": {"kind": "waiting"}, "In Progress": "Dev"},
        "done": ["Done"],
    }
    delay = export_headline(read_export(path, mapping)).delay
    assert delay.place() == "inside Dev (the item went back to To Do)"
    assert Delay("Dev", "Dev", 1.0, from_export=True, pause="Blocked").place() == (
        "inside Dev (work paused in Blocked)"
    )
