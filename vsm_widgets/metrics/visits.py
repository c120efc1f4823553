"""The groundwork every flow metric shares: visits and items placed on the log's clock.

`measure_visits` sorts the active visits of an `EventLog` by item and start once,
gives each its position in flow order, its start and end on the log's calendar
clock, and whether it is rework; `item_clock` does the same for each item's
clock (from ``started`` to ``done``, or to ``as_of`` while unfinished). Both are
plain numpy arrays so that the metrics in `vsm_widgets.metrics.flow` and
`vsm_widgets.metrics.wip` stay vectorised on logs of millions of rows.

A *clock* reading is the number of counted seconds since 1970-01-01: real
seconds on calendar time, working seconds on a working calendar. The
difference of two readings is exactly what `Calendar.elapsed_seconds` returns
for the pair, so every duration is one subtraction.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np
import pandas as pd

from vsm_widgets.calendar import Calendar
from vsm_widgets.exceptions import VsmInputError
from vsm_widgets.io.item_runs import running_max
from vsm_widgets.model.event_log import EventLog
from vsm_widgets.timestamps import NEVER, NOT_A_TIME, as_utc, nanoseconds

HOUR = 3600.0  # seconds: every flow metric reports durations in hours

# An EventLog is a frozen value, so its sorted visits and item clocks can be kept while it lives:
# `vsm metrics` asks for them in `flow.summary` and again in the time partition, and at a million
# rows each costs a sort. Keyed weakly, so a log no longer used takes its arrays with it.
_CLOCKS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_MEASURED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def clock_seconds(calendar: Calendar, ns: np.ndarray) -> np.ndarray:
    """Readings of the calendar's clock: counted seconds since 1970-01-01 at each instant.

    Parameters
    ----------
    calendar : Calendar
        Calendar time, or a working calendar.
    ns : numpy.ndarray of int64
        Instants as nanoseconds since 1970-01-01 UTC; `NOT_A_TIME` gives NaN.

    Returns
    -------
    numpy.ndarray of float
        ``clock(b) - clock(a)`` equals ``calendar.elapsed_seconds(a, b)``.
    """
    ns = np.asarray(ns, dtype=np.int64)
    if calendar.working:
        index = pd.DatetimeIndex(ns.view("datetime64[ns]")).tz_localize("UTC")
        return calendar.working_seconds_since_epoch(index)
    seconds = ns / 1e9
    seconds[ns == NOT_A_TIME] = np.nan
    return seconds


@dataclass(frozen=True)
class ItemClock:
    """Each item's clock, aligned with the rows of ``log.items``.

    Attributes
    ----------
    started_ns, close_ns : numpy.ndarray of int64
        When the clock starts, and when it stops: ``done`` for finished items,
        ``as_of`` for the others (never before ``started``). `NEVER` for both
        when the item never reached its start point.
    started, close : numpy.ndarray of float
        The same instants as calendar clock readings (seconds); both the
        reading at ``as_of`` for an item that never started, so it adds no time.
    finished : numpy.ndarray of bool
        Finished with a lead time: done, and its clock started.
    clocked : numpy.ndarray of bool
        The item reached its start point (``started`` is known).
    """

    started_ns: np.ndarray
    close_ns: np.ndarray
    started: np.ndarray
    close: np.ndarray
    finished: np.ndarray
    clocked: np.ndarray

    @property
    def seconds(self) -> np.ndarray:
        """Lead time of finished items and age of the others, in counted seconds."""
        return self.close - self.started


def item_clock(log: EventLog) -> ItemClock:
    """Place every item's clock on the log's calendar.

    Parameters
    ----------
    log : EventLog

    Returns
    -------
    ItemClock
    """
    if log not in _CLOCKS:
        _CLOCKS[log] = _read_only(_item_clock(log))
    return _CLOCKS[log]


def _item_clock(log: EventLog) -> ItemClock:
    items = log.items
    started_ns = nanoseconds(items["started"])
    # An item that never reached its start point (still in the backlog, or closed straight from it) has no
    # clock: it is never in progress and never departs, so it nulls no stream figure.
    clocked = started_ns != NOT_A_TIME
    finished = items["finished"].to_numpy(dtype=bool) & clocked
    done_ns = nanoseconds(items["done"])
    as_of = nanoseconds(log.as_of)
    close_ns = np.where(finished & (done_ns != NOT_A_TIME), done_ns, as_of)
    close_ns = np.maximum(close_ns, started_ns)
    readings = clock_seconds(log.calendar, np.concatenate([np.where(clocked, started_ns, as_of), close_ns]))
    started, close = readings[: len(items)], readings[len(items) :]
    close = np.where(clocked, close, started)
    started_ns, close_ns = np.where(clocked, started_ns, NEVER), np.where(clocked, close_ns, NEVER)
    return ItemClock(started_ns, close_ns, started, close, finished, clocked)


def window(
    log: EventLog, start: pd.Timestamp | str | None = None, end: pd.Timestamp | str | None = None
) -> tuple[int, int]:
    """The window that means and rates cover, as UTC nanoseconds.

    Parameters
    ----------
    log : EventLog
    start, end : Timestamp or str, optional
        By default the first ``started`` and ``as_of``; an end after ``as_of`` stops at it.
        Naive values are taken as UTC.

    Returns
    -------
    (int, int)

    Raises
    ------
    ValueError
        If the window ends before it starts.
    """
    as_of = nanoseconds(log.as_of)
    started = nanoseconds(log.items["started"])
    started = started[started != NOT_A_TIME]
    first = int(started.min()) if len(started) else as_of
    low = nanoseconds(as_utc(start)) if start is not None else first
    high = min(nanoseconds(as_utc(end)), as_of) if end is not None else as_of
    if high < low:
        raise VsmInputError(
            f"the window ends ({pd.Timestamp(high, tz='UTC')}) before it starts ({pd.Timestamp(low, tz='UTC')}); "
            "pass a start before the end (an end after as_of stops at as_of)"
        )
    return low, high


def item_types(log: EventLog) -> np.ndarray:
    """Each item's type, aligned with ``log.items``.

    Parameters
    ----------
    log : EventLog

    Returns
    -------
    numpy.ndarray of str
        ``"all"`` for every item when the log has no types; ``"unspecified"`` where one is missing.
    """
    types = log.items["type"]
    if types.isna().all():
        return np.full(len(types), "all", dtype=object)
    return types.astype(object).where(types.notna(), "unspecified").astype(str).to_numpy(dtype=object)


def item_rows(log: EventLog, items: pd.Series) -> np.ndarray:
    """Row in ``log.items`` of each item key; -1 for a key it does not hold.

    Parameters
    ----------
    log : EventLog
    items : Series of str
        Item keys, e.g. the ``item`` column of the visits.

    Returns
    -------
    numpy.ndarray of int
    """
    if not len(items):
        return np.zeros(0, dtype=np.intp)
    # Visits come grouped by item, so looking up each run of one key is far cheaper than every row.
    starts = np.flatnonzero(items.ne(items.shift()).to_numpy(dtype=bool))
    rows = pd.Index(log.items["item"]).get_indexer(items.iloc[starts])
    return np.repeat(rows, np.diff(np.append(starts, len(items))))


@dataclass(frozen=True)
class MeasuredVisits:
    """The active visits of a log, sorted by item, start, end and flow position.

    Attributes
    ----------
    steps : tuple of str
        Flow order: ``log.steps``, then any other active step in order of appearance.
    item : numpy.ndarray of int
        Row of the visit's item in ``log.items``; non-decreasing.
    step : numpy.ndarray of int
        Position of the visit's step in `steps`.
    start_ns, end_ns : numpy.ndarray of int64
        Start, and end; an open visit ends at ``as_of`` (or at its start if it began later).
    open : numpy.ndarray of bool
        True while the visit has no end in the export.
    start, end : numpy.ndarray of float
        Start and end as calendar clock readings (seconds).
    first : numpy.ndarray of bool
        True on each item's first visit.
    rework : numpy.ndarray of bool
        The visit returns to a step the item already left, or to a step earlier in flow
        order than the furthest one it left before this visit began. A visit is left
        when it ended no later than this one starts; visits still running alongside
        (parallel branches) do not make a return.
    """

    steps: tuple[str, ...]
    item: np.ndarray
    step: np.ndarray
    start_ns: np.ndarray
    end_ns: np.ndarray
    open: np.ndarray
    start: np.ndarray
    end: np.ndarray
    first: np.ndarray
    rework: np.ndarray

    @property
    def next_of_same_item(self) -> np.ndarray:
        """True where the following visit belongs to the same item."""
        return ~np.append(self.first[1:], True)


def measure_visits(log: EventLog) -> MeasuredVisits:
    """Sort and measure the active visits of `log`.

    Parameters
    ----------
    log : EventLog

    Returns
    -------
    MeasuredVisits
    """
    if log not in _MEASURED:
        _MEASURED[log] = _read_only(_measure_visits(log))
    return _MEASURED[log]


def _measure_visits(log: EventLog) -> MeasuredVisits:
    active = log.active
    item = item_rows(log, active["item"])
    step_codes, step_names = pd.factorize(active["step"])
    known_steps = set(log.steps)
    steps = tuple(log.steps) + tuple(s for s in step_names if s not in known_steps)
    step = pd.Index(steps).get_indexer(step_names)[step_codes] if len(active) else step_codes
    start_ns = nanoseconds(active["start"])
    end_ns = nanoseconds(active["end"])
    known = item >= 0
    item, step, start_ns, end_ns = item[known], step[known], start_ns[known], end_ns[known]
    is_open = end_ns == NOT_A_TIME
    end_ns = np.where(is_open, np.maximum(start_ns, nanoseconds(log.as_of)), end_ns)
    keys = (item, start_ns, end_ns, step)
    if not _is_sorted(keys):
        order = np.lexsort(keys[::-1])
        item, start_ns, end_ns, step, is_open = item[order], start_ns[order], end_ns[order], step[order], is_open[order]
    readings = clock_seconds(log.calendar, np.concatenate([start_ns, end_ns]))
    first = np.ones(len(item), dtype=bool)
    first[1:] = item[1:] != item[:-1]
    rework = _rework(item, step, start_ns, np.where(is_open, NEVER, end_ns), first, len(steps))
    n = len(item)
    return MeasuredVisits(steps, item, step, start_ns, end_ns, is_open, readings[:n], readings[n:], first, rework)


def _read_only(value: ItemClock | MeasuredVisits) -> ItemClock | MeasuredVisits:
    """The same arrays, locked: a shared result that one caller changed in place would be wrong for the next."""
    for array in vars(value).values():
        if isinstance(array, np.ndarray):
            array.flags.writeable = False
    return value


def _is_sorted(keys: tuple[np.ndarray, ...]) -> bool:
    """Whether rows are already in lexicographic order of `keys` (exports usually are)."""
    if len(keys[0]) < 2:
        return True
    decided = np.zeros(len(keys[0]) - 1, dtype=bool)
    for key in keys:
        change = np.diff(key)
        if np.any(~decided & (change < 0)):
            return False
        decided |= change > 0
    return True


def _rework(
    item: np.ndarray, step: np.ndarray, start: np.ndarray, end: np.ndarray, first: np.ndarray, n_steps: int
) -> np.ndarray:
    """Flag visits that return to a step at or before the furthest step the item had left.

    A visit that directly follows a visit to the same step (only waiting, such as
    Blocked, in between) resumes that work and is never rework.

    Only earlier visits (in visit order) that ended by the time a visit starts count
    as left: parallel work on two branches is not rework. Items whose visits never
    overlap (nearly all) take a prefix maximum; the few with overlapping visits are
    swept event by event.
    """
    if len(item) == 0:
        return np.zeros(0, dtype=bool)
    latest_end = running_max(end, item)
    overlaps = ~first & (start < np.concatenate([[NOT_A_TIME], latest_end[:-1]]))
    # Offsetting each item's step positions by its code lets one running maximum restart per item.
    base = item.astype(np.int64) * (n_steps + 1)
    running = np.maximum.accumulate(base + step + 1)
    furthest_left = np.where(first, -1, np.concatenate([[0], running[:-1]]) - base - 1)
    rework = furthest_left >= step
    if overlaps.any():
        rows = np.flatnonzero(np.isin(item, np.unique(item[overlaps])))
        rework[rows] = _rework_by_events(item[rows], step[rows], start[rows], end[rows], n_steps)
    # Development -> Blocked -> Development is one piece of work interrupted, not a return:
    # a visit that directly follows a visit to the same step resumes it.
    resumed = ~first & (step == np.concatenate([[-1], step[:-1]]))
    return rework & ~resumed


def _rework_by_events(
    item: np.ndarray, step: np.ndarray, start: np.ndarray, end: np.ndarray, n_steps: int
) -> np.ndarray:
    """Exact rework flags by sweeping start and end events in time order within each item."""
    n = len(item)
    index = np.arange(n)
    # At one instant, an end comes before a start only if its visit comes earlier in visit order.
    codes = np.concatenate([item, item])
    times = np.concatenate([start, end])
    sequence = np.concatenate([2 * index, 2 * index + 1])
    values = np.concatenate([np.full(n, -1), step])
    order = np.lexsort((sequence, times, codes))
    base = codes[order].astype(np.int64) * (n_steps + 1)
    furthest = np.maximum.accumulate(base + values[order] + 1) - base - 1
    is_start = order < n
    furthest_at_start = np.empty(n, dtype=np.int64)
    furthest_at_start[order[is_start]] = furthest[is_start]
    return furthest_at_start >= step
