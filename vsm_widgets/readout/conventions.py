"""The conventions block of a readout: every choice that produced its numbers (DOMAIN section 4).

Respected sources disagree on what lead time sums, how long a day is, where the
clock starts, how backward moves count, what counts as value-added time, how
percentiles are taken and how flow efficiency is aggregated. A readout states
each of them, for an export and for a map alike, so two readouts are only
compared when their conventions match.
"""

from __future__ import annotations

import math

import pandas as pd

from vsm_widgets.metrics import flow
from vsm_widgets.metrics.distribution import PERCENTILE_METHOD
from vsm_widgets.model.event_log import EventLog
from vsm_widgets.model.stream import ValueStream
from vsm_widgets.wording import percent

CONVENTION_COLUMNS = ("Convention", "Used here")
CLOCK_STARTS = {
    "created": "when the item was created (its request): the whole wait in the backlog counts",
    "first_status": "the item's first status in the export",
    "first_active": "the item's first active step: time in the backlog before work starts does not count",
}


def export_conventions(log: EventLog, measured: ValueStream | None = None, future: str | None = None) -> pd.DataFrame:
    """The conventions behind the numbers of a timing export.

    Parameters
    ----------
    log : EventLog
        The export as read.
    measured : ValueStream, optional
        The measured map drawn from it (`ValueStream.from_events`): how its numbers were summarised.
    future : str, optional
        How the future state was made, e.g. "replayed item by item".

    Returns
    -------
    DataFrame
        Columns ``Convention`` and ``Used here``: calendar, day length, clock start, backward
        moves, what lead time sums, whole days, value-added time, percentiles, flow-efficiency
        aggregation, the moment of the export, and the measured map and future state when given.
    """
    calendar, own = log.calendar, log.conventions()
    efficiency = flow.flow_efficiency(log)
    day = "calendar time" if not calendar.working else "working time"
    rows = [
        ("Calendar", own["calendar"]),
        ("Day length", f"1 day = {calendar.hours_per_day:g} h ({day}); durations in days use it"),
        # Longer than ``own["clock starts at"]``: a readout says what the choice leaves out.
        ("Clock starts at", CLOCK_STARTS.get(log.start_point, own["clock starts at"])),
        ("Backward moves", own["backward moves"]),
        (
            "What lead time sums",
            "each finished item's elapsed time from where its clock starts to its last end, on the calendar "
            "above: active and waiting time alike",
        ),
        (
            "Whole days",
            "not rounded: end - start to the second, no day added"
            if log.whole_days == "exact"
            else f"lead time to the second, and beside it in whole days: {own['whole days']}",
        ),
        ("Return to the backlog", own["return to the backlog"]),
        (
            "Value-added time",
            "active time: the union of an item's active visits (parallel work counts once); every active "
            "step counts as work, every waiting state as waiting",
        ),
        ("Percentiles", PERCENTILE_METHOD + "; the median and 85th percentile stand beside the mean"),
        (
            "Flow efficiency",
            f"portfolio ratio: total active time / total lead time over the {efficiency['items']:,} finished items "
            f"({percent(efficiency['portfolio'], 1)}); the mean of per-item ratios "
            f"({percent(efficiency['mean_of_items'], 1)}) is a different number",
        ),
        (
            "Largest delay",
            "the waiting place (an arrow, or the waiting inside a step) with the largest share of the finished "
            "items' lead time, quoted by the mean item's time there",
        ),
        (
            "Where time goes",
            "each finished item's lead time cut into disjoint pieces, each on one place; parallel visits share "
            "the instants they overlap; the mean item is their sum over finished items divided by their count",
        ),
        ("As of", f"{log.as_of:%Y-%m-%d %H:%M %Z}: unfinished items age up to this moment"),
    ]
    if measured is not None:
        rows.append(("Measured map", _measured_text(measured)))
    if future:
        rows.append(("Future state", future))
    return pd.DataFrame(rows, columns=list(CONVENTION_COLUMNS))


def map_conventions(stream: ValueStream, future: str | None = None) -> pd.DataFrame:
    """The conventions behind the numbers of a value stream map.

    Parameters
    ----------
    stream : ValueStream
        The map.
    future : str, optional
        How the future state was made, e.g. "the scenario's changes applied to the map".

    Returns
    -------
    DataFrame
        Columns ``Convention`` and ``Used here``, covering the same conventions as
        `export_conventions` (those a map does not have say why).
    """
    own = stream.conventions()
    day = "calendar time" if stream.hours_per_day >= 24 else "working time"
    rows = [
        ("Calendar", f"{day}: a map holds durations, not dates, so no weekends or holidays are counted"),
        ("Day length", f"1 day = {stream.hours_per_day:g} h ({day}); every conversion of days uses it"),
        ("Unit", f"numbers in {stream.unit} unless written with their own unit"),
        ("Clock starts at", f"the trigger from the supplier ({stream.supplier})"),
        ("Backward moves", "a map flows one way: rework shows as a step's %C&A, not as an arrow back"),
        ("What lead time sums", own["lead_time"]),
        ("Critical path", own["critical_path"]),
        ("Whole days", "durations as written in the map, not rounded"),
        ("Value-added time", own["value_added_time"]),
        ("Percentiles", "none: a map holds one number per step and arrow"),
        (
            "Flow efficiency",
            "activity ratio and PCE of this one map, each divided by the critical path's lead time "
            "(there are no items to average over)",
        ),
        ("Rolled %C&A", own["rolled_pct_ca"]),
        ("Largest delay", "the longest wait on the critical path: an arrow's wait, or a block's own waiting"),
    ]
    for key, label in (("takt_time", "Takt time"), ("inventory", "Inventory")):
        if key in own:
            rows.append((label, own[key]))
    if future:
        rows.append(("Future state", future))
    return pd.DataFrame(rows, columns=list(CONVENTION_COLUMNS))


def _measured_text(measured: ValueStream) -> str:
    origin = measured.extra.get("measured_from", {})
    statistic = origin.get("statistic", "median")
    threshold = origin.get("min_share")
    folded = len(origin.get("folded_steps", ())) + len(origin.get("folded_handoffs", ()))
    if "mean_item" in origin:
        text = (
            "the mean item: each step shows the finished items' mean work and waiting there, each arrow their mean "
            "wait on it, so boxes and arrows add up to the mean lead time"
        )
    else:
        statistic = {"mean": "mean", "p85": "85th percentile"}.get(statistic, "median")
        text = (
            f"each step shows the {statistic} of its visits and each arrow the {statistic} of its waits; "
            f"{statistic}s do not add up to the items' {statistic} lead time"
        )
    if threshold is not None and not math.isnan(threshold):
        text += (
            f"; steps and arrows taken by fewer than {percent(threshold)} of items are folded away ({folded} folded)"
        )
    return text
