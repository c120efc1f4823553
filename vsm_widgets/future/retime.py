"""Retiming the visits of a log: the mechanics under scenario replay.

`vsm_widgets.future.log_changes` expresses each future-state change with the tools here. A
`Timeline` is the visit table with every start and end as integer
nanoseconds; `retime` returns a new one. Three mechanisms carry every change
(their use per change kind is in ``docs/scenarios.md``):

* a *warp* of an item's own clock: a stretch ``[a, b]`` of it is scaled by a
  factor ``k`` (``k = 0`` removes the stretch) and everything after it moves by
  ``(k - 1)(b - a)``. Stretches only cover time in which no other active visit
  of the item was under way, so work running in parallel keeps its length;
* a new length for one visit, measured from its (warped) start; when that ends
  the visit later than the warp allows for, later visits are *pushed* back;
* dropping rows (removed steps, rework loops, waiting rows whose time went).

Retiming happens on the wall clock. Shares and targets are measured on the
log's calendar, so on a working-time calendar they hold exactly for visits and
waits within working hours and approximately across nights and weekends.
Times stay integers, so an item no change touches keeps its timestamps exactly.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd

from vsm_widgets.calendar import Calendar
from vsm_widgets.metrics.visits import clock_seconds
from vsm_widgets.model.event_log import EventLog
from vsm_widgets.model.graph import CUSTOMER, SUPPLIER
from vsm_widgets.timestamps import NEVER, NOT_A_TIME

_TICKS = {"s": 10**9, "ms": 10**6, "us": 10**3, "ns": 1}


@dataclass(frozen=True)
class Timeline:
    """The visits of a log with integer times, ready to be retimed.

    Attributes
    ----------
    frame : DataFrame
        The visit table plus ``_s`` and ``_e``: start and end in nanoseconds since
        1970 (``_e`` is `NOT_A_TIME` while open), and ``_p``: the step's position
        in flow order. Rows are sorted as `vsm_widgets.metrics.visits.measure_visits` sorts
        active visits (item, start, end with an open visit ending at the as-of
        time, flow position); the index identifies rows across retimings.
    tick : int
        Nanoseconds in the coarsest resolution of the input's timestamps; new
        lengths are rounded to it so they can be written back without loss.
    start_point : str
        Where an item's clock starts (`vsm_widgets.model.event_log.START_POINTS`).
    created : Series
        Clock start (ns) by item when it is a fixed ``created`` time; empty otherwise.
    as_of : int
        The log's as-of time (ns).
    """

    frame: pd.DataFrame
    tick: int
    start_point: str
    created: pd.Series
    as_of: int

    @classmethod
    def of(cls, log: EventLog) -> Timeline:
        """Build the timeline of a log's visits."""
        frame = log.visits.copy()
        frame["_s"] = pd.DatetimeIndex(frame["start"]).as_unit("ns").asi8
        frame["_e"] = pd.DatetimeIndex(frame["end"]).as_unit("ns").asi8
        names = pd.unique(frame.loc[frame["kind"] == "active", "step"])
        order = [*log.steps, *(name for name in names if name not in set(log.steps))]
        positions = {name: position for position, name in enumerate(order)}
        frame["_p"] = [
            positions.get(name, len(order)) if kind == "active" else len(order)
            for name, kind in zip(frame["step"], frame["kind"], strict=True)
        ]
        tick = max(_TICKS[frame[column].dt.unit] for column in ("start", "end"))
        created = pd.Series(dtype=np.int64)
        if log.start_point == "created":
            known = log.items[log.items["started"].notna()]
            created = pd.Series(pd.DatetimeIndex(known["started"]).as_unit("ns").asi8, index=known["item"].to_numpy())
        timeline = cls(frame, tick, log.start_point, created, int(log.as_of.value))
        return timeline.replace(frame.reset_index(drop=True))

    def to_visits(self) -> pd.DataFrame:
        """The visit table again, with the input's columns, dtypes and resolutions."""
        frame = self.frame.reset_index(drop=True)
        for column, ticks in (("start", "_s"), ("end", "_e")):
            unit = frame[column].dt.unit
            stamps = pd.DatetimeIndex(frame[ticks].to_numpy().view("datetime64[ns]")).tz_localize("UTC")
            frame[column] = stamps.as_unit(unit)
        return frame.drop(columns=["_s", "_e", "_p"])

    def replace(self, frame: pd.DataFrame) -> Timeline:
        """The same timeline with another frame (re-sorted; the index keeps identifying rows)."""
        starts, ends = frame["_s"].to_numpy(), frame["_e"].to_numpy()
        ordered = frame.assign(_k=np.where(ends == NOT_A_TIME, np.maximum(starts, self.as_of), ends))
        ordered = ordered.sort_values(["item", "_s", "_k", "_p"], kind="stable").drop(columns="_k")
        return dataclasses.replace(self, frame=ordered)

    def clock_starts(self) -> pd.Series:
        """Where each item's clock starts (ns), by item, following `start_point`."""
        frame = self.frame
        if self.start_point == "first_status":
            return frame.groupby("item", sort=False)["_s"].min()
        starts = frame[frame["kind"] == "active"].groupby("item", sort=False)["_s"].min()
        if self.start_point == "created":
            created = self.created.reindex(starts.index, fill_value=NOT_A_TIME).to_numpy()
            starts = pd.Series(np.where(created == NOT_A_TIME, starts.to_numpy(), created), index=starts.index)
        return starts


def handoffs(timeline: Timeline) -> pd.DataFrame:
    """Every handoff an item made, with its wait, as `vsm_widgets.metrics.flow.handoff_metrics` counts them.

    Consecutive active visits of an item (by start) make a handoff; its wait runs
    from the end of the first to the start of the second (none when they
    overlap). The first active visit is entered from ``supplier`` after the wait
    from the item's clock start. A finished item hands its work to ``customer``
    from the active visit that ends last, after the wait to the end of its last row.

    Parameters
    ----------
    timeline : Timeline

    Returns
    -------
    DataFrame
        ``item``, ``source``, ``target``, ``a`` and ``b`` (the wait, in ns; ``a == b``
        when there is none), ``row`` (the frame index of the visit entered, or -1
        for ``customer``) and ``prev_row`` (of the visit left, -1 for ``supplier``).
    """
    frame = timeline.frame
    active = frame[frame["kind"] == "active"]
    items = active["item"].to_numpy()
    first = np.ones(len(active), dtype=bool)
    first[1:] = items[1:] != items[:-1]
    steps, rows, ends = active["step"].to_numpy(), active.index.to_numpy(), active["_e"].to_numpy()
    entered = pd.DataFrame(
        {
            "item": items,
            "source": np.where(first, SUPPLIER, np.concatenate([[""], steps[:-1]])),
            "target": steps,
            "a": np.where(first, timeline.clock_starts().reindex(items).to_numpy(), np.concatenate([[0], ends[:-1]])),
            "b": active["_s"].to_numpy(),
            "row": rows,
            "prev_row": np.where(first, -1, np.concatenate([[-1], rows[:-1]])),
        }
    )
    # After a visit still open (as flow counts it, open until the as-of time) the next one waited for nothing.
    entered["a"] = np.where(entered["a"] == NOT_A_TIME, entered["b"], entered["a"])
    unfinished = (frame["_e"] == NOT_A_TIME).groupby(frame["item"], sort=False).any()
    last_row_end = frame.groupby("item", sort=False)["_e"].max()
    closed = active[~unfinished.reindex(items).to_numpy()]
    # Of the visits that end last, the one started last hands over (the sort puts it last).
    leaving = closed[closed["_e"] == closed.groupby("item", sort=False)["_e"].transform("max")]
    leaving = leaving[~leaving["item"].duplicated(keep="last")]
    left = pd.DataFrame(
        {
            "item": leaving["item"].to_numpy(),
            "source": leaving["step"].to_numpy(),
            "target": CUSTOMER,
            "a": leaving["_e"].to_numpy(),
            "b": last_row_end.reindex(leaving["item"]).to_numpy(),
            "row": -1,
            "prev_row": leaving.index.to_numpy(),
        }
    )
    table = pd.concat([entered, left], ignore_index=True)
    table["b"] = np.maximum(table["a"], table["b"])
    return table


def occurrences(timeline: Timeline, source: str, target: str) -> pd.DataFrame:
    """The handoffs from `source` to `target`, one row per time an item made it (see `handoffs`)."""
    table = handoffs(timeline)
    return table[(table["source"] == source) & (table["target"] == target)]


def counted_seconds(calendar: Calendar, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Seconds from `a` to `b` (ns) as the log's calendar counts them."""
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    return clock_seconds(calendar, b) - clock_seconds(calendar, a)


def retime(
    timeline: Timeline,
    segments: pd.DataFrame,
    lengths: pd.Series | None = None,
    exclude_cover: pd.Index | None = None,
) -> Timeline:
    """Warp the items' clocks, then give some visits new lengths.

    Parameters
    ----------
    timeline : Timeline
    segments : DataFrame
        ``item``, ``a``, ``b`` (ns) and ``k``: each stretch of the item's clock is
        scaled by ``k``. Parts of a stretch during which another active visit of
        the item was under way are left alone.
    lengths : Series, optional
        New lengths (ns) by frame index: the visit keeps its warped start and ends
        that long after it; a visit that now ends later than its warped end pushes
        every visit of its item that starts at or after that end back by the excess.
    exclude_cover : Index, optional
        Frame rows that do not protect time from the warp (the visits being changed).

    Returns
    -------
    Timeline
    """
    frame = timeline.frame.copy()
    covered_by = exclude_cover if exclude_cover is not None else pd.Index([])
    if lengths is not None:
        covered_by = covered_by.union(lengths.index)
    segments = _uncovered(segments, frame, covered_by)
    warped_start = frame["_s"].to_numpy() + _shift(frame, "_s", segments, timeline.tick)
    warped_end = frame["_e"].to_numpy() + _shift(frame, "_e", segments, timeline.tick)
    warped_end = np.where(frame["_e"].to_numpy() == NOT_A_TIME, NOT_A_TIME, warped_end)
    if lengths is not None and len(lengths):
        rows = frame.index.get_indexer(lengths.index)
        new_end = warped_start[rows] + _round(lengths.to_numpy(dtype=float), timeline.tick)
        excess = new_end - warped_end[rows]
        still_open = warped_end[rows] == NOT_A_TIME
        pushes = pd.DataFrame(
            {"item": frame["item"].to_numpy()[rows], "p": warped_end[rows], "r": excess, "source": rows}
        )[(excess > 0) & ~still_open]
        warped_end[rows] = np.where(still_open, NOT_A_TIME, new_end)
        push = _pushes(frame["item"].to_numpy(), warped_start, pushes)
        warped_start = warped_start + push
        warped_end = np.where(warped_end == NOT_A_TIME, NOT_A_TIME, warped_end + push)
    had_length = (frame["_e"] != NOT_A_TIME) & (frame["_e"] > frame["_s"])
    frame["_s"] = warped_start
    frame["_e"] = warped_end
    # A waiting row whose whole time was removed (a wait into a removed step) goes with it.
    emptied = (frame["kind"] == "waiting") & had_length & (frame["_e"] == frame["_s"])
    return timeline.replace(frame[~emptied])


def _round(values: np.ndarray, tick: int) -> np.ndarray:
    return (np.round(np.asarray(values, dtype=float) / tick) * tick).astype(np.int64)


def _shift(frame: pd.DataFrame, column: str, segments: pd.DataFrame, tick: int) -> np.ndarray:
    """How far the warp moves each time in `column`: the sum over the item's stretches."""
    shift = np.zeros(len(frame), dtype=np.int64)
    if segments.empty:
        return shift
    pairs = (
        frame[["item", column]]
        .rename(columns={column: "t"})
        .rename_axis("position")
        .reset_index()
        .merge(segments, on="item")
    )
    pairs = pairs[pairs["t"] != NOT_A_TIME]
    inside = np.clip(pairs["t"].to_numpy() - pairs["a"].to_numpy(), 0, (pairs["b"] - pairs["a"]).to_numpy())
    moves = _round((pairs["k"].to_numpy() - 1.0) * inside, tick)
    np.add.at(shift, frame.index.get_indexer(pairs["position"]), moves)
    return shift


def _pushes(items: np.ndarray, starts: np.ndarray, pushes: pd.DataFrame) -> np.ndarray:
    """Excess lengths pushing later visits of the same item back (a visit never pushes itself)."""
    push = np.zeros(len(items), dtype=np.int64)
    if pushes.empty:
        return push
    pairs = pd.DataFrame({"item": items, "t": starts, "position": np.arange(len(items))}).merge(pushes, on="item")
    pairs = pairs[(pairs["t"] >= pairs["p"]) & (pairs["position"] != pairs["source"])]
    np.add.at(push, pairs["position"].to_numpy(), pairs["r"].to_numpy(dtype=np.int64))
    return push


def _merged(segments: pd.DataFrame) -> pd.DataFrame:
    """Overlapping stretches of one item with the same factor as one: time must not be scaled twice."""
    ordered = segments.sort_values(["item", "k", "a"], kind="stable").reset_index(drop=True)
    groups = [ordered["item"], ordered["k"]]
    reach = ordered.groupby(groups, sort=False)["b"].cummax()
    before = reach.groupby(groups, sort=False).shift(fill_value=NOT_A_TIME)
    block = (ordered["a"] > before).cumsum()
    return ordered.groupby(block).agg(item=("item", "first"), a=("a", "min"), b=("b", "max"), k=("k", "first"))


def _uncovered(segments: pd.DataFrame, frame: pd.DataFrame, changed: pd.Index) -> pd.DataFrame:
    """The parts of each stretch during which no other active visit of its item was under way."""
    segments = _merged(segments[(segments["b"] > segments["a"]) & (segments["k"] != 1.0)])
    if segments.empty:
        return segments
    cover = frame[(frame["kind"] == "active") & ~frame.index.isin(changed)]
    cover = pd.DataFrame(
        {
            "item": cover["item"],
            "cs": cover["_s"],
            "ce": np.where(cover["_e"] == NOT_A_TIME, NEVER, cover["_e"]),
        }
    )
    pairs = segments.reset_index().merge(cover, on="item")
    pairs = pairs[(pairs["cs"] < pairs["b"]) & (pairs["ce"] > pairs["a"])]
    if pairs.empty:
        return segments
    touched = set(pairs["index"])
    pieces = [segments[~segments.index.isin(touched)]]
    for index, overlapping in pairs.groupby("index"):
        segment = segments.loc[index]
        cursor, parts = segment["a"], []
        for cs, ce in sorted(zip(overlapping["cs"], overlapping["ce"], strict=True)):
            if cs > cursor:
                parts.append((cursor, min(cs, segment["b"])))
            cursor = max(cursor, ce)
        if cursor < segment["b"]:
            parts.append((cursor, segment["b"]))
        pieces.append(
            pd.DataFrame(
                {"item": segment["item"], "a": [p[0] for p in parts], "b": [p[1] for p in parts], "k": segment["k"]}
            )
        )
    return pd.concat(pieces, ignore_index=True)


def waits_as_segments(table: pd.DataFrame, k: np.ndarray | float) -> pd.DataFrame:
    """The waits of a `handoffs` table as warp stretches scaled by `k`."""
    return pd.DataFrame(
        {"item": table["item"].to_numpy(), "a": table["a"].to_numpy(), "b": table["b"].to_numpy(), "k": k}
    )
