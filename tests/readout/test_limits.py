"""What a readout cannot show: one sentence per reason, with the counts worked out by hand from the fixtures."""

import pytest

from tests.flow_logs import visit_log
from tests.paths import DEGENERATE
from tests.readout.test_findings import export_log
from vsm_widgets.exceptions import MapNotMeasurable
from vsm_widgets.io.exports import read_export
from vsm_widgets.metrics.measured_map import measured_map
from vsm_widgets.readout.limits import cannot_show


def limits_of(name: str) -> list[str]:
    log = read_export(DEGENERATE / name)
    try:
        measured_map(log)
    except MapNotMeasurable as error:
        return cannot_show(log, error)
    return cannot_show(log)


def test_nothing_finished_gives_the_count_and_the_oldest_item():
    # Seven items started 1 to 7 March at 09:00, none finished; as of 7 March 09:00 the oldest is 6 days old.
    assert limits_of("all_in_progress.csv") == [
        "No item has finished yet, so lead time and the map of where time goes cannot be measured; "
        "7 items are in progress, the oldest for 6 days."
    ]


def test_one_item_in_progress_is_said_in_the_singular():
    log = visit_log([("A", "Dev", "2026-01-05 00:00", None)], as_of="2026-01-05 12:00")
    assert cannot_show(log) == [
        "No item has finished yet, so lead time and the map of where time goes cannot be measured; "
        "1 item is in progress, for 12 hours."
    ]


def test_no_shared_step_says_why_there_is_no_map():
    (sentence,) = limits_of("every_step_rare.csv")
    assert sentence.startswith(
        "No step is shared by enough items to draw a map: the 40 items pass through 40 different steps, "
        "none of them visited by 5 % of the items"
    )
    assert "Lead time and the other numbers are measured item by item" in sentence


def test_a_single_finished_item_is_not_a_spread():
    assert limits_of("one_row.csv") == [
        "Only one item has finished, so lead time, its percentiles and the map describe that one item, "
        "not the spread of the stream; come back when more items have finished."
    ]


@pytest.mark.parametrize(
    ("name", "effect"),
    [
        ("zero_length.csv", "active time and flow efficiency read 0 and all of lead time counts as waiting"),
        ("zero_length_items.csv", "every item finishes the moment it starts, so lead time is 0"),
    ],
)
def test_events_read_as_intervals_point_to_an_event_reading(name, effect):
    (sentence,) = limits_of(name)
    assert sentence.startswith("Every visit in the export starts and ends at the same moment")
    assert effect in sentence
    assert "shape: status_history and columns: {status: step, timestamp: start}" in sentence


def test_an_ordinary_export_has_nothing_to_excuse():
    assert cannot_show(export_log()) == []
    assert limits_of("open_in_new_step.csv") == []
