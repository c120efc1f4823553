"""Process-mining event logs with lifecycle start/complete events, paired into intervals.

An XES-like table (``case:concept:name``, ``concept:name``,
``lifecycle:transition``, ``time:timestamp``) has one row per event. For each
item, activity and instance (XES ``concept:instance``, where the log has it),
in time order, a complete event closes the earliest start still open (first
in, first out). A start that is never completed is an open
visit (work in progress); a complete with no open start is an atomic event, a
zero-length visit at its time, counted as "unpaired complete" (kept). Other
transitions (schedule, assign, suspend, resume ...) are counted as "other
lifecycle transition" and not used.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from vsm_widgets.io.quality import QualityTally
from vsm_widgets.io.text_codes import sorted_codes
from vsm_widgets.timestamps import NOT_A_TIME, OUT_OF_RANGE_DETAIL, ParsedTimes, nanoseconds

STARTS = ("start",)
COMPLETES = ("complete", "completed", "end", "finish", "finished")


def pair_lifecycle(frame: pd.DataFrame, times: ParsedTimes, tally: QualityTally) -> pd.DataFrame:
    """Pair start and complete events into interval rows.

    Parameters
    ----------
    frame : DataFrame
        Canonical columns ``item, step, transition, timestamp, row`` plus any of
        ``type, actor, team, created``.
    times : ParsedTimes
        The parsed ``timestamp`` column.
    tally : QualityTally
        Receives the events that are not used.

    Returns
    -------
    DataFrame
        Interval rows ``item, step, start, end, row, partner_row, atomic``
        (``row`` is the start event's row, ``partner_row`` the complete event's,
        0 if open or atomic; ``atomic`` marks a complete with no start, a
        zero-length visit) plus the optional columns, taken from the start event.
    """
    rows = frame["row"].to_numpy()
    keep = np.ones(len(frame), bool)

    def drop(mask: np.ndarray, reason: str, detail: str) -> None:
        nonlocal keep
        hit = mask & keep
        tally.count(reason, rows[hit], "dropped", detail)
        keep &= ~hit

    transition = frame["transition"].astype("string").str.lower()
    is_start = transition.isin(STARTS).to_numpy()
    is_complete = transition.isin(COMPLETES).to_numpy()
    drop(frame["item"].isna().to_numpy(), "missing item", "the event names no item; fill in the case column")
    drop(frame["step"].isna().to_numpy(), "missing step", "the event names no activity; fill in the activity column")
    drop(
        ~is_start & ~is_complete,
        "other lifecycle transition",
        "only start and complete events make intervals; other transitions are not used",
    )
    drop(times.beyond_range | times.placeholder, "timestamp out of range", OUT_OF_RANGE_DETAIL)
    drop(times.unparseable, "unparseable timestamp", "the time is not a timestamp; give timestamp_format in a mapping")
    drop(frame["timestamp"].isna().to_numpy(), "missing timestamp", "the event has no time")
    tally.count(
        "nonexistent local time",
        rows[times.nonexistent & keep],
        "corrected",
        "the local time falls in the hour skipped when clocks go forward; shifted forward by the gap",
    )
    tally.count(
        "ambiguous local time",
        rows[times.ambiguous & keep],
        "corrected",
        "the local time falls in the hour repeated when clocks go back; read as the first pass (summer time)",
    )
    items, steps, stamps_ns = sorted_codes(frame["item"]), sorted_codes(frame["step"]), nanoseconds(frame["timestamp"])
    # XES's concept:instance tells apart two runs of one activity in one case; without it they pair in turn.
    instances = sorted_codes(frame["instance"]) if "instance" in frame else np.zeros(len(frame), np.int64)
    kept = np.flatnonzero(keep)
    # At one moment a start goes before a complete, so a zero-length pair stays a pair.
    order = kept[
        np.lexsort((rows[kept], is_complete[kept], stamps_ns[kept], instances[kept], steps[kept], items[kept]))
    ]
    group = _group_ids(items[order], steps[order], instances[order])
    delta = np.where(is_start[order], 1, -1)
    running = pd.Series(delta).groupby(group, sort=False).cumsum().to_numpy()
    floor = np.minimum(pd.Series(running).groupby(group, sort=False).cummin().to_numpy(), 0)
    # A running count of open starts that never drops below zero: a complete
    # met with no open start is unpaired and does not count.
    open_after = pd.Series(running - floor)
    open_before = open_after.groupby(group, sort=False).shift(1, fill_value=0).to_numpy()
    unpaired = ~is_start[order] & (open_before <= 0)
    tally.count(
        "unpaired complete",
        rows[order[unpaired]],
        "kept",
        "a complete event with no open start for that item and activity (an atomic event): kept as a "
        "zero-length visit at its time",
    )
    atomic = order[unpaired]
    order = order[~unpaired]
    group = group[~unpaired]
    starting = is_start[order]
    rank = pd.Series(np.ones(len(order), np.int64)).groupby([group, starting], sort=False).cumsum().to_numpy()
    starts = pd.DataFrame({"group": group[starting], "rank": rank[starting], "position": order[starting]})
    ends = pd.DataFrame({"group": group[~starting], "rank": rank[~starting], "partner": order[~starting]})
    paired = starts.merge(ends, on=["group", "rank"], how="left")
    source = frame.iloc[paired["position"].to_numpy()].reset_index(drop=True)
    partner = paired["partner"].to_numpy(dtype=float, na_value=np.nan)
    has_end = ~np.isnan(partner)
    end_ns = np.full(len(source), NOT_A_TIME)
    end_ns[has_end] = stamps_ns[partner[has_end].astype(np.int64)]
    end = pd.Series(pd.to_datetime(end_ns, utc=True), index=source.index)
    partner_rows = np.zeros(len(source), np.int64)
    partner_rows[has_end] = rows[partner[has_end].astype(np.int64)]
    extras = [c for c in ("type", "actor", "team", "created") if c in source]
    intervals = source[["item", "step", *extras]].assign(start=source["timestamp"], end=end)
    intervals["row"] = source["row"].to_numpy()
    intervals["partner_row"] = partner_rows
    intervals["atomic"] = False
    events = frame.iloc[atomic].reset_index(drop=True)
    if len(events):
        instant = events[["item", "step", *extras]].assign(start=events["timestamp"], end=events["timestamp"])
        instant["row"] = events["row"].to_numpy()
        instant["partner_row"] = np.zeros(len(events), np.int64)
        instant["atomic"] = True
        intervals = pd.concat([intervals, instant], ignore_index=True)
    per = "item, activity and instance" if "instance" in frame else "item and activity"
    tally.decide(f"lifecycle events paired per {per}: each complete closes the earliest open start")
    return intervals


def _group_ids(items: np.ndarray, steps: np.ndarray, instances: np.ndarray) -> np.ndarray:
    change = np.ones(len(items), bool)
    change[1:] = (items[1:] != items[:-1]) | (steps[1:] != steps[:-1]) | (instances[1:] != instances[:-1])
    return np.cumsum(change)
