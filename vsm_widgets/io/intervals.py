"""Interval rows (item, step, start, end) normalised into canonical visits.

Every row is either kept or counted under one reason. The checks run in this
order, so a row is counted once, under the first reason that applies: missing
item, missing step, missing timestamp, unparseable timestamp, end before start,
exact duplicate. A zero-length visit (start = end: a day-stamped log, an atomic
event) is a visit with process time 0: kept and flagged. Overlapping visits of
one item are legitimate parallel work: they are kept and flagged. Everything is vectorised
over the whole table; a million rows take well under a second.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from vsm_widgets.io.item_runs import running_max
from vsm_widgets.io.items import stamps
from vsm_widgets.io.mapping_keys import StatusRule
from vsm_widgets.io.quality import QualityTally
from vsm_widgets.io.text_codes import decode, encode_text, narrowed, stable_order
from vsm_widgets.timestamps import NEVER, OUT_OF_RANGE_DETAIL, ParsedTimes, nanoseconds

VISIT_EXTRAS = ("type", "actor", "team")


def interval_visits(
    frame: pd.DataFrame,
    times: dict[str, ParsedTimes],
    tally: QualityTally,
    rules: dict[str, StatusRule],
    encoded: dict[str, tuple[np.ndarray, pa.Array]] | None = None,
) -> tuple[pd.DataFrame, np.ndarray, int]:
    """Turn interval rows into visits, counting every row that is not used.

    Parameters
    ----------
    frame : DataFrame
        Canonical columns ``item, step, start, end, row`` (timestamps already
        parsed to UTC) plus any of ``type, actor, team, created``.
    times : dict
        The `ParsedTimes` of ``start`` and ``end``, for missing, unparseable and
        ambiguous cells.
    tally : QualityTally
        Receives the dropped, corrected and flagged rows.
    rules : dict
        Step name -> `StatusRule` from the mapping (rename and kind); empty
        when every step is active under its own name.
    encoded : dict, optional
        `encode_text` of the ``item`` and ``step`` columns of `frame`, row for row,
        where the caller has them already (`vsm_widgets.io.names.normalise_names` fills it).

    Returns
    -------
    visits : DataFrame
        Sorted by item (text order), start, end, step; columns ``item, step,
        kind, start, end, row`` and the optional columns present.
    item_codes : numpy.ndarray
        Per visit, the item's position in text order (for per-item reductions).
    rows_used : int
        Input rows behind the visits (two per paired lifecycle visit).
    """
    rows = frame["row"].to_numpy()
    # Lifecycle pairs carry the complete event's row too: a dropped pair drops both events.
    paired = "partner_row" in frame
    partners = frame["partner_row"].to_numpy() if paired else np.zeros(len(frame), np.int64)
    # A lifecycle complete with no start is already counted (as an unpaired complete kept as a zero-length visit).
    atomic = frame["atomic"].to_numpy(dtype=bool) if "atomic" in frame else None
    frame = frame.drop(columns=["partner_row", "atomic"], errors="ignore")
    keep = np.ones(len(frame), bool)

    def drop(mask: np.ndarray, reason: str, detail: str) -> None:
        nonlocal keep
        hit = mask & keep
        tally.count(reason, np.concatenate([rows[hit], partners[hit][partners[hit] > 0]]), "dropped", detail)
        keep &= ~hit

    start_times, end_times = times["start"], times["end"]
    drop(frame["item"].isna().to_numpy(), "missing item", "the row names no item; fill in the item column")
    drop(frame["step"].isna().to_numpy(), "missing step", "the row names no step; fill in the step column")
    drop(start_times.missing, "missing timestamp", "the row has no start time")
    drop(
        start_times.beyond_range | start_times.placeholder | end_times.beyond_range,
        "timestamp out of range",
        OUT_OF_RANGE_DETAIL,
    )
    tally.count(
        "far-future end read as open",
        rows[end_times.placeholder & keep],
        "corrected",
        "an end in the year 9999 is how exports write 'no end date': the visit is read as still open",
    )
    drop(
        start_times.unparseable | end_times.unparseable,
        "unparseable timestamp",
        "start or end is not a timestamp; give timestamp_format in a mapping",
    )
    start, end = resolve_ambiguous_pairs(frame["start"], frame["end"], start_times, end_times, keep, rows, tally)
    frame = frame.assign(start=start, end=end)
    tally.count(
        "nonexistent local time",
        rows[(start_times.nonexistent | end_times.nonexistent) & keep],
        "corrected",
        "the local time falls in the hour skipped when clocks go forward; shifted forward by the gap",
    )
    start_ns, end_ns = nanoseconds(frame["start"]), nanoseconds(frame["end"])
    open_visit = frame["end"].isna().to_numpy()
    drop(~open_visit & (end_ns < start_ns), "end before start", "the visit ends before it starts; check the row")
    encoded = encoded or {}
    (items, item_text), (steps, step_text) = (encoded.get(c) or encode_text(frame[c]) for c in ("item", "step"))
    steps = narrowed(steps, step_text)
    end_key = np.where(open_visit, NEVER, end_ns)
    order, item_codes, sorted_start = visit_order(np.flatnonzero(keep), items, start_ns, (end_key, steps, rows))
    # Every key is gathered in visit order once; each gather of a million rows costs more than the checks on it.
    sorted_end, sorted_steps = end_key[order], steps[order]
    duplicate = _exact_duplicates(frame, order, (sorted_start, item_codes, sorted_end, sorted_steps))
    drop(duplicate, "exact duplicate", "the row repeats an earlier row exactly; the first is kept")
    if duplicate.any():
        kept = keep[order]
        order, item_codes, sorted_start, sorted_end, sorted_steps = (
            key[kept] for key in (order, item_codes, sorted_start, sorted_end, sorted_steps)
        )
    sorted_rows = _rows_in_order(rows, order)
    sorted_partners = partners[order] if paired else np.zeros(len(order), np.int64)
    # An open visit's end key is NEVER, which no start is: it is never zero-length.
    zero = sorted_end == sorted_start
    if atomic is not None:
        zero &= ~atomic[order]
    tally.count(
        "zero-length visit",
        np.concatenate([sorted_rows[zero], sorted_partners[zero][sorted_partners[zero] > 0]]),
        "kept",
        "the visit starts and ends at the same moment (a day-stamped log, an atomic event): kept with process "
        "time 0; it starts or ends the item's clock and pairs handoffs",
    )
    rows_used = len(order) + int((sorted_partners > 0).sum())
    # Each of these is as long as the file; the visits below are the peak memory of reading, so they go first.
    del start_ns, end_ns, end_key, open_visit, duplicate, zero, start, end, items, sorted_partners
    _flag_overlaps(item_codes, sorted_start, sorted_end, sorted_rows, tally)
    # Built column by column from codes: moving a million strings through a sort order is the
    # slowest thing here, and a take from a small dictionary moves ints instead.
    text = {"item": decode(item_codes, item_text), "step": decode(sorted_steps, step_text)}
    del sorted_steps
    text["kind"] = pa.repeat(pa.scalar("active", pa.large_string()), len(order))
    for extra in (c for c in VISIT_EXTRAS if c in frame):
        codes, dictionary = encode_text(frame[extra])
        text[extra] = decode(narrowed(codes, dictionary)[order], dictionary)
    visits = pa.table(text).to_pandas()
    visits["start"] = stamps(sorted_start)
    visits["end"] = stamps(sorted_end)
    visits["row"] = sorted_rows.astype(np.int64)
    visits = _apply_rules(visits, rules, tally)
    ordered = ["item", "step", "kind", "start", "end", "row", *[c for c in VISIT_EXTRAS if c in visits]]
    return visits[ordered], item_codes, rows_used


def visit_order(
    positions: np.ndarray, items: np.ndarray, start: np.ndarray, tie_breaks: tuple[np.ndarray, ...]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`positions` sorted by item, then start, then the `tie_breaks` (most significant first).

    Sorting on two keys is about twice as fast as on five; the few rows that
    share an item and a start are then put in order by the remaining keys, so
    the result does not depend on the order of rows in the file.

    Returns
    -------
    order : numpy.ndarray
        The positions in visit order.
    items_in_order, start_in_order : numpy.ndarray
        ``items[order]`` and ``start[order]``, gathered once for the tie check and handed on.
    """
    # Every row kept (positions are 0..n-1), as is usual: the keys are sorted as they are, not copied.
    whole = len(positions) == len(items)
    start_at, items_at = (start, items) if whole else (start[positions], items[positions])
    if len(positions) > 1 and bool(np.all(start_at[1:] >= start_at[:-1])):
        # Rows listed in time order (as exports usually are): a stable sort by item alone keeps each
        # item's rows by start, as the two-key sort would, in about a third of its time.
        by_key = stable_order(items_at)
    else:
        by_key = np.lexsort((start_at, items_at))
    order = by_key if whole else positions[by_key]
    del start_at, items_at, by_key
    items_in_order, start_in_order = items[order], start[order]
    if len(order) < 2:
        return order, items_in_order, start_in_order
    same = (items_in_order[1:] == items_in_order[:-1]) & (start_in_order[1:] == start_in_order[:-1])
    # Reordering rows that share an item and a start leaves both keys where they were.
    if same.any():
        tied = np.zeros(len(order), bool)
        tied[1:] |= same
        tied[:-1] |= same
        subset = order[tied]
        keys = tuple(key[subset] for key in reversed(tie_breaks))
        order[tied] = subset[np.lexsort((*keys, start[subset], items[subset]))]
    return order, items_in_order, start_in_order


def _rows_in_order(rows: np.ndarray, order: np.ndarray) -> np.ndarray:
    """``rows[order]``: for a file read whole its rows count up by one, and the order itself, shifted, is them."""
    if len(rows) and rows[-1] - rows[0] == len(rows) - 1 and bool(np.all(rows[1:] - rows[:-1] == 1)):
        return order + rows[0]
    return rows[order]


def resolve_ambiguous_pairs(
    start: pd.Series,
    end: pd.Series,
    start_times: ParsedTimes,
    end_times: ParsedTimes,
    keep: np.ndarray,
    rows: np.ndarray,
    tally: QualityTally,
) -> tuple[pd.Series, pd.Series]:
    """Settle local times of the repeated hour from the order of start and end.

    A visit that starts at 02:40 and ends at 02:10 on the night clocks go back
    started in the first pass of the hour and ended in the second. Where the
    order settles nothing, the first pass stands; either way the rows are
    counted as "ambiguous local time" (corrected). Returns the start and end
    columns with the settled ends.
    """
    either = (start_times.ambiguous | end_times.ambiguous) & keep
    if not either.any():
        return start, end
    # The first pass is the earlier instant, so only a later end can mend an
    # end before its start.
    flip = end_times.ambiguous & either & (end < start).to_numpy()
    end = end.copy()
    end[flip] = end_times.second_reading[flip]
    tally.count(
        "ambiguous local time",
        rows[either],
        "corrected",
        f"the local time falls in the hour repeated when clocks go back; {int(flip.sum())} settled from the order of "
        "start and end, the rest read as the first pass (summer time). Export timestamps with their UTC offset",
    )
    return start, end


def _exact_duplicates(frame: pd.DataFrame, order: np.ndarray, sorted_keys: tuple[np.ndarray, ...]) -> np.ndarray:
    """Rows equal in every column to an earlier row in sort order (the lowest row is kept).

    Sorting puts rows that agree on item, step, start and end (`sorted_keys`, in the order of
    `order`) next to each other; only those few candidates are compared on every column.
    """
    duplicate = np.zeros(len(frame), bool)
    if len(order) < 2:
        return duplicate
    same = np.ones(len(order) - 1, bool)
    for ordered in sorted_keys:
        same &= ordered[1:] == ordered[:-1]
    if not same.any():
        return duplicate
    candidate = np.zeros(len(order), bool)
    candidate[1:] |= same
    candidate[:-1] |= same
    positions = order[candidate]
    subset = frame.drop(columns="row").iloc[positions]
    duplicate[positions[subset.duplicated(keep="first").to_numpy()]] = True
    return duplicate


def _flag_overlaps(
    items: np.ndarray, start: np.ndarray, end: np.ndarray, rows: np.ndarray, tally: QualityTally
) -> None:
    """Count visits that start before an earlier visit of the same item has ended."""
    if len(items) < 2:
        return
    latest_end = running_max(end, items)
    overlapping = np.zeros(len(items), bool)
    overlapping[1:] = (items[1:] == items[:-1]) & (start[1:] < latest_end[:-1])
    tally.count(
        "overlapping visits",
        rows[overlapping],
        "kept",
        "the visit starts before an earlier visit of the item ends: parallel work, kept; active time counts it once",
    )


def _apply_rules(visits: pd.DataFrame, rules: dict[str, StatusRule], tally: QualityTally) -> pd.DataFrame:
    if not rules:
        return visits
    known = visits["step"].isin(list(rules)).to_numpy()
    tally.count(
        "unmapped status",
        visits["row"].to_numpy()[~known],
        "kept",
        "the step is not under 'statuses:' in the mapping; kept as an active step under its own name",
    )
    visits["kind"] = visits["step"].map({name: rule.kind for name, rule in rules.items()}).fillna("active")
    visits["step"] = visits["step"].map({name: rule.step for name, rule in rules.items()}).fillna(visits["step"])
    return visits
