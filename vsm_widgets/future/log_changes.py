"""Replay of future-state changes on a measured log, item by item.

`vsm_widgets.future.scenario` turns each change of a scenario into one call here, on a
`vsm_widgets.future.retime.Timeline`. The semantics, with worked examples, are in
``docs/scenarios.md``. A change touches only the items that went through the
steps or handoffs it names; every other item keeps its timestamps exactly.
"""

from __future__ import annotations

import heapq

import numpy as np
import pandas as pd

from vsm_widgets.calendar import Calendar
from vsm_widgets.exceptions import ScenarioError
from vsm_widgets.future.retime import (
    NOT_A_TIME,
    Timeline,
    counted_seconds,
    handoffs,
    occurrences,
    retime,
    waits_as_segments,
)
from vsm_widgets.timestamps import NEVER


def remove_step(timeline: Timeline, step: str) -> Timeline:
    """Remove a step: its visits and the waits into it go, and later visits move earlier.

    A visit still open at the export's as-of time stays, as an open waiting row:
    the item is still in the stream, waiting for whatever comes next.
    """
    frame = timeline.frame
    visits = frame[(frame["kind"] == "active") & (frame["step"] == step)]
    done = visits[visits["_e"] != NOT_A_TIME]
    table = handoffs(timeline)
    into = table[table["target"] == step]
    spans = pd.DataFrame({"item": done["item"], "a": done["_s"], "b": done["_e"], "k": 0.0})
    retimed = retime(
        timeline, pd.concat([waits_as_segments(into, 0.0), spans], ignore_index=True), exclude_cover=visits.index
    )
    frame = retimed.frame.drop(index=done.index)
    frame.loc[frame.index.isin(visits.index), "kind"] = "waiting"
    return retimed.replace(frame)


def cut_wait(
    timeline: Timeline,
    calendar: Calendar,
    source: str,
    target: str,
    share: float | None = None,
    to_seconds: float | None = None,
) -> Timeline:
    """Shorten each wait on a handoff by a share, or to at most a duration (never lengthening it)."""
    table = occurrences(timeline, source, target)
    if share is not None:
        factor: np.ndarray | float = 1.0 - share
    else:
        counted = counted_seconds(calendar, table["a"], table["b"])
        with np.errstate(divide="ignore", invalid="ignore"):
            factor = np.where(counted > to_seconds, to_seconds / counted, 1.0)
    return retime(timeline, waits_as_segments(table, factor))


def set_wait(timeline: Timeline, calendar: Calendar, source: str, target: str, to_seconds: float) -> Timeline:
    """Scale every wait on a handoff by one factor, so that their median becomes `to_seconds`."""
    table = occurrences(timeline, source, target)
    if table.empty:
        raise ScenarioError(
            f"no item in the log went from {source} to {target}, so there is no wait to set",
            "Name a handoff that the measured map shows",
        )
    median = float(np.median(counted_seconds(calendar, table["a"], table["b"])))
    if median <= 0:
        raise ScenarioError(
            f"the median wait from {source} to {target} is zero in the log, so there is no wait to scale",
            "Use set_wait on the map only, or cut_wait on a handoff where work does wait",
        )
    return retime(timeline, waits_as_segments(table, to_seconds / median))


def set_process_time(timeline: Timeline, calendar: Calendar, step: str, to_seconds: float) -> Timeline:
    """Scale every visit of a step by one factor, so that their median becomes `to_seconds`."""
    frame = timeline.frame
    visits = frame[(frame["kind"] == "active") & (frame["step"] == step) & (frame["_e"] != NOT_A_TIME)]
    if visits.empty:
        raise ScenarioError(f"no item in the log finished a visit to {step}", "Name a step the measured map shows")
    median = float(np.median(counted_seconds(calendar, visits["_s"], visits["_e"])))
    if median <= 0:
        raise ScenarioError(
            f"the median visit to {step} lasts zero time in the log, so there is no process time to scale",
            "Check the export's timestamps for that step, or change the map only",
        )
    factor = to_seconds / median
    spans = pd.DataFrame({"item": visits["item"], "a": visits["_s"], "b": visits["_e"], "k": factor})
    lengths = (visits["_e"] - visits["_s"]).astype(float) * factor
    return retime(timeline, spans, lengths=lengths)


def merge_steps(timeline: Timeline, steps: tuple[str, ...], name: str) -> Timeline:
    """Merge consecutive steps into one: each run of them becomes one visit and the waits between go."""
    current = timeline
    label = steps[0]
    for following in steps[1:]:
        table = occurrences(current, label, following)
        table = table[(table["row"] >= 0) & (table["prev_row"] >= 0)]
        retimed = retime(current, waits_as_segments(table, 0.0))
        frame = retimed.frame.copy()
        joined = table[frame.loc[table["row"], "_e"].to_numpy() != NOT_A_TIME]
        # A pair whose second visit is still open stays two rows; it is relabelled below all the same.
        frame.loc[joined["prev_row"].to_numpy(), "_e"] = frame.loc[joined["row"].to_numpy(), "_e"].to_numpy()
        frame = frame.drop(index=joined["row"].to_numpy())
        merged = (frame["kind"] == "active") & frame["step"].isin([label, following])
        frame.loc[merged, "step"] = name
        current = retimed.replace(frame)
        label = name
    if len(steps) == 1:
        frame = current.frame.copy()
        frame.loc[(frame["kind"] == "active") & (frame["step"] == label), "step"] = name
        current = current.replace(frame)
    return current


def parallel(timeline: Timeline, first: str, second: str) -> Timeline:
    """Run `second` alongside `first`: it starts when `first` starts, and the wait between them goes.

    Later visits move earlier by the time saved: the pair now takes as long as the
    longer of the two instead of both plus the wait between them.
    """
    frame = timeline.frame
    table = occurrences(timeline, first, second)
    table = table[(table["row"] >= 0) & (table["prev_row"] >= 0)]
    a_start = frame.loc[table["prev_row"], "_s"].to_numpy()
    a_end = frame.loc[table["prev_row"], "_e"].to_numpy()
    b_start = frame.loc[table["row"], "_s"].to_numpy()
    b_end = frame.loc[table["row"], "_e"].to_numpy()
    b_open = b_end == NOT_A_TIME
    b_length = np.where(b_open, 0, b_end - b_start)
    saved = np.where(b_open, 0, np.maximum(0, b_end - np.maximum(a_end, a_start + b_length)))
    waits = (
        frame[frame["kind"] == "waiting"]
        .reset_index()
        .merge(pd.DataFrame({"item": table["item"].to_numpy(), "ga": a_end, "gb": b_start}), on="item")
    )
    between = waits[(waits["_s"] >= waits["ga"]) & (waits["_e"] <= waits["gb"]) & (waits["_e"] != NOT_A_TIME)]
    segments = pd.DataFrame({"item": table["item"].to_numpy(), "a": a_end, "b": a_end + saved, "k": 0.0})
    retimed = retime(timeline, segments, exclude_cover=pd.Index(table["row"]).union(between["index"]))
    frame = retimed.frame.drop(index=between["index"].unique())
    new_start = frame.loc[table["prev_row"], "_s"].to_numpy()
    frame.loc[table["row"], "_s"] = new_start
    frame.loc[table["row"], "_e"] = np.where(b_open, NOT_A_TIME, new_start + b_length)
    return retimed.replace(frame)


def cap_wip(timeline: Timeline, limit: int, as_of: int) -> Timeline:
    """Delay starts so that at most `limit` items are in progress at once, first come first served.

    An item is in progress from its first active visit to the end of its last
    row; one still unfinished holds its place for as long as it was observed in
    progress. A delayed item waits longer before its first active visit (its
    waiting row ending there, if any, stretches) and everything from then on
    moves later by the same delay.
    """
    frame = timeline.frame
    active = frame[frame["kind"] == "active"]
    grouped = frame.groupby("item", sort=False)
    unfinished = (frame["_e"] == NOT_A_TIME).groupby(frame["item"], sort=False).any()
    items = pd.DataFrame({"commit": active.groupby("item", sort=False)["_s"].min()})
    items["end"] = np.where(unfinished.reindex(items.index), as_of, grouped["_e"].max().reindex(items.index))
    items = items.sort_values(["commit"], kind="stable")
    delays = np.zeros(len(items), dtype=np.int64)
    free: list[int] = []
    for position, (commit, end) in enumerate(zip(items["commit"].to_numpy(), items["end"].to_numpy(), strict=True)):
        start = commit if len(free) < limit else max(commit, heapq.heappop(free))
        delays[position] = start - commit
        heapq.heappush(free, max(end, commit) + delays[position])
    delay = pd.Series(delays, index=items.index)
    # Items with no active visit never take a place: no delay, and no commit time any row reaches.
    row_delay = delay.reindex(frame["item"], fill_value=0).to_numpy(dtype=np.int64)
    row_commit = items["commit"].reindex(frame["item"], fill_value=NEVER).to_numpy()
    starts_later = frame["_s"].to_numpy() >= row_commit
    ends_at_commit = (frame["kind"] == "waiting").to_numpy() & (frame["_e"].to_numpy() == row_commit)
    frame = frame.copy()
    is_open = frame["_e"].to_numpy() == NOT_A_TIME
    frame["_s"] = frame["_s"].to_numpy() + np.where(starts_later, row_delay, 0)
    frame["_e"] = np.where(
        is_open, NOT_A_TIME, frame["_e"].to_numpy() + np.where(starts_later | ends_at_commit, row_delay, 0)
    )
    return timeline.replace(frame)


def set_pct_ca(timeline: Timeline, step: str, target: float, flow_order: tuple[str, ...]) -> Timeline:
    """Drop rework loops after visits to `step` until its measured %C&A reaches `target`.

    A visit *fails* when the item's next active visit, begun after it ended,
    returns to the step or to one earlier in `flow_order`; %C&A is one minus the
    share of the step's visits that fail (as `vsm_widgets.metrics.flow.step_metrics`
    measures it). The rework loop of a failed visit runs from its end to the
    end of the item's next visit to the step, or, if the item moves past the
    step without coming back, to the end of the last visit before it does.
    Dropping the loop removes its rows and its time, so the failed visit
    becomes the one that passed. Loops are dropped in an order spread evenly
    over time (see `_spread_order`) until the target is reached; loops still
    open at the export's as-of time are never dropped.
    """
    frame = timeline.frame
    active = frame[frame["kind"] == "active"]
    order = {name: position for position, name in enumerate(flow_order)}
    position = active["step"].map(lambda name: order.get(name, len(order))).to_numpy()
    items, labels, names = active["item"].to_numpy(), active.index.to_numpy(), active["step"].to_numpy()
    starts, ends = active["_s"].to_numpy(), active["_e"].to_numpy()
    same_next = np.append(items[1:] == items[:-1], False)
    next_position = np.append(position[1:], -1)
    next_start = np.append(starts[1:], NOT_A_TIME)
    closed = ends != NOT_A_TIME
    failed = same_next & closed & (next_position <= position) & (next_start >= ends)
    ours = names == step
    visits, failures = int(ours.sum()), int((ours & failed).sum())
    home = order.get(step, len(order))
    loops = []
    for i in np.flatnonzero(ours & failed):
        j, end_at, repeats = i + 1, None, 0
        while j < len(items) and items[j] == items[i]:
            if names[j] == step:
                end_at, repeats = j, 1
                break
            if position[j] > home:
                end_at = j - 1
                break
            j += 1
        if end_at is not None and ends[end_at] != NOT_A_TIME:
            loops.append((starts[i], items[i], labels[i], labels[end_at], repeats))
    loops.sort()
    chosen = []
    for pick in _spread_order(len(loops)):
        if visits == 0 or 1.0 - failures / visits >= target - 1e-12:
            break
        chosen.append(loops[pick])
        failures, visits = failures - 1, visits - loops[pick][4]
    if not chosen:
        return timeline
    where = {label: frame.index.get_loc(label) for loop in chosen for label in loop[2:4]}
    dropped = np.unique(
        np.concatenate([frame.index[where[first] + 1 : where[last] + 1] for _, _, first, last, _ in chosen])
    )
    segments = pd.DataFrame(
        {
            "item": [loop[1] for loop in chosen],
            "a": [frame.at[loop[2], "_e"] for loop in chosen],
            "b": [frame.at[loop[3], "_e"] for loop in chosen],
            "k": 0.0,
        }
    )
    retimed = retime(timeline, segments, exclude_cover=pd.Index(dropped))
    return retimed.replace(retimed.frame.drop(index=dropped, errors="ignore"))


def _spread_order(count: int) -> list[int]:
    """Indices ``0..count-1`` in van der Corput order: every prefix is spread evenly over the range.

    Choosing loops in this order (rather than the first ones in time) keeps the
    replayed improvement from bunching at the start or end of the export.
    """
    if count == 0:
        return []
    bits = max(1, int(np.ceil(np.log2(count))))
    seen: dict[int, None] = {}
    for number in range(2**bits):
        reversed_bits = int(format(number, f"0{bits}b")[::-1], 2)
        seen.setdefault(reversed_bits * count // 2**bits, None)
    return list(seen)


def items_after(items: pd.DataFrame, visits: pd.DataFrame, start_point: str) -> pd.DataFrame:
    """The items table of a replayed log: the same items and types, clocks recomputed from the visits.

    The clock starts at the first active visit, or the first row of any kind
    (``first_status``), or stays at the item's ``created`` time. An item is done
    at the end of its last row once none is open. An item left with no visits
    keeps its row as it was.
    """
    result = items.copy()
    grouped = visits.groupby("item", sort=False)
    key = result["item"]
    has_visits = key.isin(grouped.groups).to_numpy()
    first_row = grouped["start"].min().reindex(key)
    if start_point == "first_active":
        started = visits[visits["kind"] == "active"].groupby("item")["start"].min().reindex(key)
        started = started.fillna(first_row)
    elif start_point == "first_status":
        started = first_row
    else:
        started = result.set_index("item")["started"].reindex(key)
    unfinished = visits["end"].isna().groupby(visits["item"]).any().reindex(key).fillna(False).to_numpy(dtype=bool)
    done = grouped["end"].max().reindex(key)
    result["started"] = np.where(has_visits, started.to_numpy(), result["started"].to_numpy())
    result["finished"] = np.where(has_visits, ~unfinished, result["finished"].to_numpy())
    result["done"] = np.where(has_visits & ~unfinished, done.to_numpy(), result["done"].where(~has_visits).to_numpy())
    for column in ("started", "done"):
        result[column] = pd.to_datetime(result[column], utc=True).astype(items[column].dtype)
    return result
