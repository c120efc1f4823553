"""Each finished item's clock cut into pieces for the time partition (`vsm_widgets.metrics.partition`).

A piece is a visit's share of the active time, or a gap in which no visit runs,
with the steps before and after it. The general cut works for any visits: it
ranks every instant at which a visit or a clock starts or ends, splits each
item's clock at them, and shares each segment among the visits that cover it.
Most items have visits that never overlap and lie within their clock; for them
the cut is known without ranking anything: each visit is one active piece, and
the gaps between consecutive visits (and before the first, after the last) are
the waits. Those items take the fast path.

The two paths give the same pieces to the last bit, in the same order, so every
figure summed from them is the same whichever path an item took: the active
time of a visit is read, in both, as the difference of one running sum of
segment weights over all items in order (a zero weight adds nothing to a float
sum, so the gaps of either path leave the running sum as it is).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vsm_widgets.metrics.visits import ItemClock, item_clock, measure_visits
from vsm_widgets.model.event_log import EventLog
from vsm_widgets.model.graph import CUSTOMER, SUPPLIER

ACTIVE_CODE, IN_STEP_CODE, HANDOFF_CODE = 0, 1, 2


@dataclass(frozen=True)
class LeadPieces:
    """Every piece of the finished items' lead times, active pieces first (in visit order), then the gaps.

    Attributes
    ----------
    item : numpy.ndarray of int64
        Row of the piece's item in ``log.items``.
    place : numpy.ndarray of int64
        The piece's place as one code (`place_code`), ordered as the partition's table is.
    seconds : numpy.ndarray of float
        Counted seconds (clock readings) of the piece.
    names : list of str
        The node names: 0 the supplier, 1..n the steps in flow order, n + 1 the customer.
    """

    item: np.ndarray
    place: np.ndarray
    seconds: np.ndarray
    names: list[str]


def place_code(kind: np.ndarray, source: np.ndarray, target: np.ndarray, n_nodes: int) -> np.ndarray:
    """One int per place, ordered as the partition's table is: by from node, then kind, then to node.

    Parameters
    ----------
    kind : numpy.ndarray of int
        0 active, 1 waiting in step, 2 waiting on handoff.
    source, target : numpy.ndarray of int
        The nodes before and after (both the step for an active piece).
    n_nodes : int
        Steps plus the supplier and the customer.

    Returns
    -------
    numpy.ndarray of int64
    """
    return (source.astype(np.int64) * 3 + kind) * n_nodes + target


@dataclass(frozen=True)
class _Cut:
    """The general cut of some items: segment weights per boundary, visit ends as boundaries, and the gaps."""

    bound_item: np.ndarray
    weight: np.ndarray
    low_at: np.ndarray
    high_at: np.ndarray
    gap_item: np.ndarray
    gap_seconds: np.ndarray
    gap_from: np.ndarray
    gap_to: np.ndarray


def lead_pieces(log: EventLog, *, fast_path: bool = True) -> LeadPieces:
    """Cut every finished item's lead time into pieces.

    Parameters
    ----------
    log : EventLog
    fast_path : bool
        Take the fast path for items whose visits do not overlap; False cuts every item
        the general way (the same pieces, slower).

    Returns
    -------
    LeadPieces
        Per item, the seconds add up to its lead time.
    """
    visits, clock = measure_visits(log), item_clock(log)
    names = [SUPPLIER, *visits.steps, CUSTOMER]
    keep = clock.finished[visits.item]
    item = visits.item[keep].astype(np.int64)
    step = visits.step[keep].astype(np.int64)
    # Each visit clipped to its item's clock, in clock readings (working seconds on a working calendar).
    low = np.maximum(visits.start[keep], clock.started[item])
    high = np.maximum(np.minimum(visits.end[keep], clock.close[item]), low)
    del keep
    general = ~_fast_items(item, low, high, clock.close, fast_path)
    cut = _general_cut(item, low, high, step, general, clock)
    quick = ~general[item]
    # Each array here is as long as the visits (millions): none is copied when every item is quick,
    # and each is let go once used, which keeps the peak memory of `vsm metrics` down.
    mine = (item, step, low, high) if quick.all() else (item[quick], step[quick], low[quick], high[quick])
    del low, high
    active = _active_seconds(cut, quick, mine[0], mine[2], mine[3])
    gap_item, gap_seconds, gap_place = _gaps(cut, *mine, clock, len(names))
    del mine, quick, cut
    active_place = place_code(np.full(len(step), ACTIVE_CODE), step + 1, step + 1, len(names))
    return LeadPieces(
        item=np.concatenate([item, gap_item]),
        place=np.concatenate([active_place, gap_place]),
        seconds=np.concatenate([active, gap_seconds]),
        names=names,
    )


def _active_seconds(cut: _Cut, quick: np.ndarray, item: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Each visit's share of active time, read from one running sum of segment weights over all items in order.

    The general cut alone would make the same running sum: the quick items' weights are their
    visits, and the segments of their gaps weigh nothing.
    """
    if not len(cut.bound_item):
        # No item took the general way (no visits overlap): the running sum is over the visits as they are.
        prefix = np.concatenate([[0.0], np.cumsum(high - low)])
        return prefix[1:] - prefix[:-1]
    order = _merged_by_item(cut.bound_item, item)
    prefix = np.concatenate([[0.0], np.cumsum(np.concatenate([cut.weight, high - low])[order])])
    at = np.empty(len(order), dtype=np.int64)
    at[order] = np.arange(len(order))
    del order
    cut_at, quick_at = at[: len(cut.bound_item)], at[len(cut.bound_item) :]
    active = np.empty(len(quick))
    active[~quick] = prefix[cut_at[cut.high_at]] - prefix[cut_at[cut.low_at]]
    active[quick] = prefix[quick_at + 1] - prefix[quick_at]
    return active


def _gaps(
    cut: _Cut, item: np.ndarray, step: np.ndarray, low: np.ndarray, high: np.ndarray, clock: ItemClock, n_nodes: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Item, seconds and place of every gap, quick and general items merged in item and time order."""
    quick = _fast_gaps(item, step, low, high, clock.started, clock.close)
    if len(cut.gap_item):
        order = _merged_by_item(cut.gap_item, quick[0])
        gap_item, seconds, before, after = (
            np.concatenate([a, b])[order]
            for a, b in zip((cut.gap_item, cut.gap_seconds, cut.gap_from, cut.gap_to), quick, strict=True)
        )
    else:
        gap_item, seconds, before, after = quick
    source = np.where(before >= 0, before + 1, 0)
    target = np.where(after >= 0, after + 1, n_nodes - 1)
    kind = np.where(source == target, IN_STEP_CODE, HANDOFF_CODE)
    return gap_item, seconds, place_code(kind, source, target, n_nodes)


def _fast_items(item: np.ndarray, low: np.ndarray, high: np.ndarray, close: np.ndarray, wanted: bool) -> np.ndarray:
    """Per item row: its visits follow one another without overlapping, and end within its clock.

    The visits are sorted by item and start, and clipping keeps that order; when each starts no
    earlier than the one before it ends, the ends rise too, so the last visit ends last.
    """
    fast = np.zeros(len(close), dtype=bool)
    if not wanted or not len(item):
        return fast
    fast[item] = True
    same = item[1:] == item[:-1]
    fast[item[1:][same & (low[1:] < high[:-1])]] = False
    last = np.flatnonzero(np.append(~same, True))
    fast[item[last][high[last] > close[item[last]]]] = False
    return fast


def _fast_gaps(
    item: np.ndarray, step: np.ndarray, low: np.ndarray, high: np.ndarray, started: np.ndarray, close: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Item, seconds, step before (-1: none) and step after (-1: none) of each gap of fast-path items, in time order.

    A gap lies before each visit (from the clock's start, or from the end of the visit before) and
    after the last visit (to the clock's stop), wherever that time is not empty.
    """
    first = np.ones(len(item), dtype=bool)
    first[1:] = item[1:] != item[:-1]
    last = np.append(first[1:], True)
    previous_end = np.where(first, started[item], np.concatenate([[0.0], high[:-1]]))
    before = low > previous_end
    after = last & (close[item] > high)
    # Each visit's gap before it, then (for the last visit of an item) the gap after it: the two
    # candidates of every visit side by side, the empty ones left out.
    held = np.stack([before, after], axis=1).ravel()
    gap_item = np.repeat(item, before.astype(np.int64) + after)
    seconds = np.stack([low - previous_end, close[item] - high], axis=1).ravel()[held]
    previous_step = np.where(first, -1, np.concatenate([[-1], step[:-1]]))
    source = np.stack([previous_step, step], axis=1).ravel()[held]
    target = np.stack([step, np.full(len(step), -1, dtype=step.dtype)], axis=1).ravel()[held]
    return gap_item, seconds, source, target


def _general_cut(
    item: np.ndarray, low: np.ndarray, high: np.ndarray, step: np.ndarray, general: np.ndarray, clock: ItemClock
) -> _Cut:
    """Cut the clocks of the finished items marked `general` at every instant one of their visits starts or ends.

    Visits may overlap: k visits covering a segment share it equally, so nothing counts twice.
    """
    finished = np.flatnonzero(clock.finished & general)
    mine = general[item]
    item, low, high, step = item[mine], low[mine], high[mine], step[mine]
    n = len(item)
    # The items' boundaries, ranked so that (item, instant) fits one sortable int64 key.
    instants, rank = np.unique(
        np.concatenate([low, high, clock.started[finished], clock.close[finished]]), return_inverse=True
    )
    width = np.int64(len(instants) + 1)
    keys = distinct(np.concatenate([item, item, finished, finished]).astype(np.int64) * width + rank)
    bound_item, bound_time = keys // width, instants[keys % width]
    low_rank, high_rank = rank[:n].copy(), rank[n : 2 * n].copy()
    del instants, rank
    low_at = np.searchsorted(keys, item * width + low_rank)
    high_at = np.searchsorted(keys, item * width + high_rank)
    # A segment runs from one boundary of an item to its next; it is covered by the visits spanning it.
    segment = np.flatnonzero(bound_item[1:] == bound_item[:-1])
    length = bound_time[segment + 1] - bound_time[segment]
    del bound_time
    size = len(keys) + 1
    covered = np.cumsum(np.bincount(low_at, minlength=size) - np.bincount(high_at, minlength=size))[segment]
    weight = np.zeros(len(keys))
    weight[segment] = np.where(covered > 0, length / np.maximum(covered, 1), 0.0)
    gap = covered == 0
    gap_item = bound_item[segment[gap]]
    return _Cut(
        bound_item=bound_item,
        weight=weight,
        low_at=low_at,
        high_at=high_at,
        gap_item=gap_item,
        gap_seconds=length[gap],
        gap_from=_neighbour(item, step, keys[segment[gap]] % width, high_rank, gap_item, width, True),
        gap_to=_neighbour(item, step, keys[segment[gap] + 1] % width, low_rank, gap_item, width, False),
    )


def _neighbour(item, step, gap_rank, edge_rank, gap_item, width, before: bool) -> np.ndarray:
    """Step of the visit that ended last before each gap (`before`), or started first after it; -1 for none.

    Ties go to the later start and the later step before a gap, to the earlier end and the
    earlier step after it, so the answer does not depend on the order of the export's rows.
    The visits come sorted by item, start, end and step (`measure_visits`), and clipping to
    the item's clock keeps that order, so a stable sort by item and `edge` breaks ties by it.
    """
    if not len(item):
        return np.full(len(gap_item), -1, dtype=np.int64)
    order = np.argsort(item * width + edge_rank, kind="stable")
    sorted_keys = item[order] * width + edge_rank[order]
    wanted = gap_item * width + gap_rank
    if before:
        at = np.searchsorted(sorted_keys, wanted, side="right") - 1
        found = at >= 0
    else:
        at = np.searchsorted(sorted_keys, wanted, side="left")
        found = at < len(order)
    visit = order[np.clip(at, 0, len(order) - 1)]
    found &= item[visit] == gap_item
    return np.where(found, step[visit], -1)


def _merged_by_item(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """The order that merges two arrays sorted by item, no item in both: a stable sort of two runs, in linear time."""
    return np.argsort(np.concatenate([first, second]), kind="stable")


def distinct(values: np.ndarray) -> np.ndarray:
    """The sorted distinct values of an int64 array: one sort, far quicker than numpy's hashing unique here.

    Parameters
    ----------
    values : numpy.ndarray of int64

    Returns
    -------
    numpy.ndarray of int64
    """
    ordered = np.sort(values, kind="stable")
    keep = np.ones(len(ordered), dtype=bool)
    keep[1:] = ordered[1:] != ordered[:-1]
    return ordered[keep]


def items_per_group(item: np.ndarray, group: np.ndarray, n_groups: int) -> np.ndarray:
    """How many distinct items each group ``0..n_groups-1`` holds (a step's visitors, a place's items).

    Parameters
    ----------
    item, group : numpy.ndarray of int
        The item and the group of each entry; an item may be in a group many times.
    n_groups : int

    Returns
    -------
    numpy.ndarray of int

    Examples
    --------
    >>> items_per_group(np.array([0, 0, 1, 1]), np.array([0, 0, 0, 1]), 3).tolist()
    [2, 1, 0]
    """
    if not len(item):
        return np.zeros(n_groups, dtype=np.int64)
    pair = item.astype(np.int64) * n_groups + group
    size = (int(item.max()) + 1) * n_groups
    if size > 4 * len(pair) + 1024:
        return np.bincount(distinct(pair) % n_groups, minlength=n_groups)
    # A mark per (item, group) finds the distinct pairs in one pass, where sorting or hashing them takes ten.
    seen = np.zeros(size, dtype=bool)
    seen[pair] = True
    return seen.reshape(-1, n_groups).sum(axis=0)
