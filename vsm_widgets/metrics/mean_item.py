"""The mean item on a map: a measured map's boxes and arrows filled from the partition (DESIGN 4.5).

`on_map` takes the map measured from a log (its boxes and arrows) and gives
every box the mean item's active time at the step as its process time and the
mean item's waiting inside it as block lead time beyond that, and every arrow
the mean item's wait on it. A place of the partition the map does not draw (a
return for rework, an arrow too rare to keep, a step folded away) is waiting
inside the box it leads to (or, when that is not drawn, the box it leaves), so
the map's boxes and arrows add up to the mean lead time.

`map_totals` gives any map's headline numbers the way its chart states them:
the mean item's for a measured map, the critical path's for a hand-built one.
"""

from __future__ import annotations

import copy
import functools
from collections import defaultdict
from typing import Any

from vsm_widgets.metrics.partition import ACTIVE, HANDOFF, IN_STEP, largest_wait, map_partition, partition
from vsm_widgets.model.event_log import EventLog
from vsm_widgets.model.graph import CUSTOMER, SUPPLIER
from vsm_widgets.model.stream import ValueStream
from vsm_widgets.units import Duration

MEAN_ITEM = "mean item"
HOUR = 3600.0


def on_map(stream: ValueStream, log: EventLog) -> ValueStream:
    """The measured map with the mean item's time on every box and arrow.

    Parameters
    ----------
    stream : ValueStream
        A map measured from `log` (`vsm_widgets.metrics.measured_map.measured_map`): its step
        names are the log's step names.
    log : EventLog

    Returns
    -------
    ValueStream
        With ``extra["measured_from"]["mean_item"]``: ``lead_time``, ``active_time``,
        ``waiting`` (hours), ``items`` and the ``largest_wait`` (``from``, ``to`` as step
        names, ``kind``, ``place``, ``hours``, ``share``).
    """
    table = partition(log)
    by_name = {step.name: step for step in stream.steps}
    ids = {name: step.id for name, step in by_name.items()} | {SUPPLIER: SUPPLIER, CUSTOMER: CUSTOMER}
    drawn = {h.key for h in stream.handoffs}
    active: dict[str, float] = defaultdict(float)
    inside: dict[str, float] = defaultdict(float)
    arrows: dict[tuple[str, str], float] = defaultdict(float)
    first = stream.steps[0].name
    for row in table.to_dict("records"):
        source, target, hours = ids.get(row["from"]), ids.get(row["to"]), row["mean_hours"]
        if row["kind"] == ACTIVE and row["place"] in by_name:
            active[row["place"]] += hours
        elif row["kind"] == HANDOFF and (source, target) in drawn:
            arrows[(source, target)] += hours
        else:
            # Not drawn: the waiting belongs to the box the item waits for, else to the box it left.
            home = row["to"] if row["to"] in by_name else row["from"]
            inside[home if home in by_name else first] += hours
    steps = [
        step.replace(
            process_time=_hours(active[step.name]),
            lead_time=_hours(active[step.name] + inside[step.name]) if inside[step.name] > 0 else None,
        )
        for step in stream.steps
    ]
    handoffs = [h.replace(wait=_hours(arrows[h.key])) for h in stream.handoffs]
    wait = largest_wait(table)
    finished = int(log.items["finished"].sum())
    mean = {
        "lead_time": float(table["mean_hours"].sum()),
        "active_time": float(table.loc[table["kind"] == ACTIVE, "mean_hours"].sum()),
        "waiting": float(table.loc[table["kind"].isin((IN_STEP, HANDOFF)), "mean_hours"].sum()),
        "items": finished,
        "largest_wait": None
        if wait is None
        else {
            "from": wait.source,
            "to": wait.target,
            "kind": wait.kind,
            "place": wait.place,
            "hours": wait.mean_hours,
            "share": wait.share,
        },
    }
    origin = {**stream.extra.get("measured_from", {}), "statistic": MEAN_ITEM, "mean_item": mean}
    return ValueStream(
        stream.name,
        tuple(steps),
        tuple(handoffs),
        unit=stream.unit,
        hours_per_day=stream.hours_per_day,
        extra={**stream.extra, "measured_from": origin},
    )


def map_totals(stream: ValueStream) -> dict[str, Any]:
    """A map's lead time, process time, waiting and largest wait, as its chart states them.

    Parameters
    ----------
    stream : ValueStream
        A hand-built map, or a map measured from a log with the mean item on it (`on_map`).

    Returns
    -------
    dict
        ``lead_time``, ``process_time``, ``wait_time`` (in the map's unit), ``waiting_share``,
        ``largest_wait`` (``{from, to, wait}`` with step names, ``from`` equal to ``to`` for
        the waiting inside a box, the wait in the map's unit; None when nothing waits) and
        ``what``: the mean item's totals (over every box and arrow) or the critical path's, in
        words such as ``"along the critical path"``.
    """
    mean = stream.extra.get("measured_from", {}).get("mean_item")
    if mean is None:
        return copy.deepcopy(_hand_built(stream))
    to_unit = HOUR / Duration.of(1, stream.unit, stream.hours_per_day).seconds
    wait = mean["largest_wait"]
    lead = mean["lead_time"]
    return {
        "lead_time": lead * to_unit,
        "process_time": mean["active_time"] * to_unit,
        "wait_time": mean["waiting"] * to_unit,
        "waiting_share": mean["waiting"] / lead if lead > 0 else float("nan"),
        "largest_wait": None
        if wait is None
        else {"from": wait["from"], "to": wait["to"], "wait": wait["hours"] * to_unit, "share": wait["share"]},
        "what": f"the mean item of {mean['items']:,} finished items (every box and arrow adds up to it)",
    }


# A map's chart, its ladder and the paired ladders each ask for the same totals; the stream is a
# frozen value, so the partition behind them is computed once per map (callers get a copy).
@functools.lru_cache(maxsize=64)
def _hand_built(stream: ValueStream) -> dict[str, Any]:
    table = map_partition(stream)
    summary = stream.summary()
    wait = largest_wait(table)
    to_unit = HOUR / Duration.of(1, stream.unit, stream.hours_per_day).seconds
    lead = summary["lead_time"]
    return {
        "lead_time": lead,
        "process_time": summary["process_time"],
        "wait_time": summary["wait_time"],
        "waiting_share": summary["wait_time"] / lead if lead else float("nan"),
        "largest_wait": None
        if wait is None
        else {"from": wait.source, "to": wait.target, "wait": wait.mean_hours * to_unit, "share": wait.share},
        "what": "along the critical path",
    }


def _hours(hours: float) -> Duration:
    return Duration(max(hours, 0.0) * HOUR)
