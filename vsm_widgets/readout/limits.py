"""What a readout of an export cannot show, and why, in a coach's words.

An export can read cleanly and still not hold what some figures need: no item has
finished (no lead time, no map of where time goes), no step is shared by enough items to
draw a map, every visit lasts no time at all (events read as intervals), or a single item
has finished. The readout then shows every figure it can and says, in these sentences,
what is missing; the batch index repeats the first one.
"""

from __future__ import annotations

import numpy as np

from vsm_widgets.exceptions import MapNotMeasurable
from vsm_widgets.metrics import flow
from vsm_widgets.metrics.measured_map import MIN_SHARE
from vsm_widgets.model.event_log import EventLog
from vsm_widgets.wording import HOUR, duration_text

# How an export of atomic events can be read so that the time between them counts.
EVENT_READING = (
    "read it as a status history, where each event lasts until the item's next one "
    "(a mapping with shape: status_history and columns: {status: step, timestamp: start}), "
    "or as a lifecycle log if it has start and complete events"
)


def cannot_show(log: EventLog, unmeasured: MapNotMeasurable | None = None) -> list[str]:
    """The sentences that say what the readout of `log` cannot show and why; empty when it can show all.

    Parameters
    ----------
    log : EventLog
        The export as read.
    unmeasured : MapNotMeasurable, optional
        Why `vsm_widgets.metrics.measured_map.measured_map` could not draw its map, if it could not.

    Returns
    -------
    list of str
        Plain text, most important first, such as ``"No item has finished yet, so lead time and the
        map of where time goes cannot be measured; 7 items are in progress, the oldest for 6 days."``
    """
    items = log.items
    finished = int(items["finished"].sum())
    if finished == 0:
        return [_nothing_finished(log)]
    said = []
    if unmeasured is not None:
        said.append(_no_map(log, unmeasured))
    if _all_zero_length(log):
        done = items[items["finished"]]
        timeless = bool((done["done"] == done["started"]).all())
        effect = (
            "every item finishes the moment it starts, so lead time is 0 and there is no time to divide into "
            "work and waiting"
            if timeless
            else "active time and flow efficiency read 0 and all of lead time counts as waiting"
        )
        said.append(
            f"Every visit in the export starts and ends at the same moment, so no work time was measured; {effect}. "
            f"The export looks like a log of events, one time per row, read as intervals; {EVENT_READING}."
        )
    if finished == 1:
        said.append(
            "Only one item has finished, so lead time, its percentiles and the map describe that one item, "
            "not the spread of the stream; come back when more items have finished."
        )
    return said


def _nothing_finished(log: EventLog) -> str:
    aging = flow.aging_wip(log)
    opening = "No item has finished yet, so lead time and the map of where time goes cannot be measured"
    if aging.empty:
        return f"{opening}; no item has started either."
    count = len(aging)
    oldest = duration_text(float(aging["age_hours"].max()) * HOUR, log.calendar.hours_per_day)
    if count == 1:
        return f"{opening}; 1 item is in progress, for {oldest}."
    return f"{opening}; {count:,} items are in progress, the oldest for {oldest}."


def _no_map(log: EventLog, unmeasured: MapNotMeasurable) -> str:
    if unmeasured.reason == "no shared step":
        steps = len(log.steps)
        return (
            f"No step is shared by enough items to draw a map: the {len(log.items):,} items pass through "
            f"{steps:,} different steps, none of them visited by {100 * MIN_SHARE:g} % of the items, so the map "
            "and the waits between steps cannot be shown. Lead time and the other numbers are measured item by item; "
            "give the export the steps the items share (a coarser step column) to see the map."
        )
    return (
        "No visit to a working step has ended, so the map cannot be measured: there is no step time to draw. "
        "Check that the mapping marks the working statuses as active (statuses: ... kind: active)."
    )


def _all_zero_length(log: EventLog) -> bool:
    visits = log.visits
    closed = visits["end"].notna()
    return bool(closed.any() and np.all(visits.loc[closed, "start"] == visits.loc[closed, "end"]))
