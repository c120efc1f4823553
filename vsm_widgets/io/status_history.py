"""Status histories (item, status, timestamp) turned into visits.

Each status lasts until the item's next change. Statuses map to steps (several
may share one) as active or waiting; consecutive statuses of one step merge
into one visit. A done status ends the item: it is finished at the moment it
entered its final run of done statuses, and an item that left done again is
not finished (the time it spent in done before being reopened is a waiting
state named after the status). The last status of an unfinished item is an
open visit. Statuses the mapping does not list are kept as waiting states
under their own names and counted as "unmapped status", so no item and no
time is lost. A status left at the moment it was entered (a day-stamped log)
is a zero-length visit: kept and flagged. Backward moves follow `vsm_widgets.io.backward_moves`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from vsm_widgets.io.backward_moves import apply_backward_policy, merge_consecutive
from vsm_widgets.io.export_mapping import Mapping
from vsm_widgets.io.intervals import VISIT_EXTRAS
from vsm_widgets.io.items import stamps
from vsm_widgets.io.mapping_keys import StatusRule
from vsm_widgets.io.quality import QualityTally
from vsm_widgets.io.text_codes import sorted_codes
from vsm_widgets.model.event_log import step_order
from vsm_widgets.timestamps import NEVER, NOT_A_TIME, OUT_OF_RANGE_DETAIL, ParsedTimes, nanoseconds

WAITING_NAMES = re.compile(r"ready for|waiting|awaiting|blocked|on hold|queue|backlog|\bto[ -]?do\b", re.IGNORECASE)
DONE_NAMES = re.compile(r"\b(done|closed|resolved|released|completed?|cancell?ed)\b", re.IGNORECASE)


@dataclass(frozen=True)
class StatusVisits:
    """What a status history became.

    Parameters
    ----------
    visits : DataFrame
        Canonical visits sorted by item and start.
    item_codes : numpy.ndarray
        The item's code (text order) per visit.
    steps : tuple of str
        Active steps in flow order.
    items : DataFrame
        One row per item with a used row: ``item, code, first, done, last`` (its latest change),
        and ``type``, ``created`` where present.
    rows_used : int
        Input rows that became part of the log.
    """

    visits: pd.DataFrame
    item_codes: np.ndarray
    steps: tuple[str, ...]
    items: pd.DataFrame
    rows_used: int


# The decisions that say the kinds of statuses were guessed from their names (no `statuses:` given);
# vsm_widgets.metrics.guesses reads them to say when a guess decides a headline figure.
WAITING_BY_NAME = "statuses read as waiting from their names: "
ACTIVE_BY_NAME = "statuses read as active steps: "
NO_DONE_BY_NAME = "no status name reads as done and the mapping names none: no item is finished"


def classify_statuses(
    names: list[str], mapping: Mapping, tally: QualityTally, categories: dict[str, str] | None = None
) -> tuple[dict[str, StatusRule], set[str], tuple[str, ...] | None]:
    """The rule for every status seen, the done statuses, and the flow order if the mapping gives one.

    Without ``statuses:`` in the mapping, kinds come from Jira's status
    categories where the export has them (new: waiting, indeterminate: active,
    done: done), else from the names (see `WAITING_NAMES` and `DONE_NAMES`);
    each choice is recorded. Statuses missing from a given mapping become
    waiting states under their own name.
    """
    categories = {} if mapping.statuses else dict(categories or {})
    done = set(mapping.done)
    if not mapping.done:
        done = {name for name in names if categories.get(name) == "done"}
        if done:
            tally.decide(f"done statuses from their Jira status category (done): {', '.join(sorted(done))}")
        guessed = {
            name
            for name in names
            if name not in categories and DONE_NAMES.search(name) and name not in mapping.statuses
        }
        if guessed:
            tally.decide(f"done statuses inferred from their names: {', '.join(sorted(guessed))}")
        done |= guessed
        if not done:
            tally.decide(NO_DONE_BY_NAME)
    if mapping.statuses:
        rules = dict(mapping.statuses)
        for name in names:
            if name not in rules and name not in done:
                rules[name] = StatusRule(name, "waiting")
        return rules, done, mapping.active_steps
    rules = {}
    for name in names:
        if name in done:
            continue
        if name in categories:
            rules[name] = StatusRule(name, "waiting" if categories[name] == "new" else "active")
        else:
            rules[name] = StatusRule(name, "waiting" if WAITING_NAMES.search(name) else "active")
    by_category = [n for n in rules if n in categories]
    if by_category:
        waiting = sorted(n for n in by_category if rules[n].kind == "waiting")
        active = sorted(n for n in by_category if rules[n].kind == "active")
        tally.decide(f"statuses read as waiting from their Jira status category (new): {', '.join(waiting) or 'none'}")
        tally.decide(
            f"statuses read as active from their Jira status category (indeterminate): {', '.join(active) or 'none'}"
        )
    waiting = sorted(n for n, r in rules.items() if r.kind == "waiting" and n not in categories)
    active = sorted(n for n, r in rules.items() if r.kind == "active" and n not in categories)
    if not by_category or waiting or active:
        tally.decide(f"{WAITING_BY_NAME}{', '.join(waiting) or 'none'}")
        tally.decide(f"{ACTIVE_BY_NAME}{', '.join(active) or 'none'}")
    return rules, done, None


def status_visits(
    frame: pd.DataFrame,
    times: ParsedTimes,
    mapping: Mapping,
    tally: QualityTally,
    categories: dict[str, str] | None = None,
) -> StatusVisits:
    """Turn status rows into visits, counting every row that is not used.

    Parameters
    ----------
    frame : DataFrame
        Canonical columns ``item, status, timestamp, row`` (timestamp parsed to
        UTC) plus any of ``type, actor, team, created, from_status, current_status``.
    times : ParsedTimes
        The parsed ``timestamp`` column, for missing, unparseable and ambiguous cells.
    mapping : Mapping
        Statuses, done statuses and the backward-move policy.
    tally : QualityTally
        Receives the dropped, corrected and flagged rows and the decisions.
    categories : dict, optional
        Status -> Jira status category (new, indeterminate, done): the default
        kinds when the mapping has no ``statuses:``.

    Returns
    -------
    StatusVisits
    """
    rows = frame["row"].to_numpy()
    keep = np.ones(len(frame), bool)

    def drop(mask: np.ndarray, reason: str, detail: str) -> None:
        nonlocal keep
        hit = mask & keep
        tally.count(reason, rows[hit], "dropped", detail)
        keep &= ~hit

    unparseable = times.unparseable.copy()
    if "from_status" in frame:
        frame, unparseable = _unchanged_items(frame, unparseable, tally)
    drop(frame["item"].isna().to_numpy(), "missing item", "the row names no item; fill in the item column")
    drop(frame["status"].isna().to_numpy(), "missing status", "the row names no status; fill in the status column")
    drop(times.beyond_range | times.placeholder, "timestamp out of range", OUT_OF_RANGE_DETAIL)
    drop(unparseable, "unparseable timestamp", "the time is not a timestamp; give timestamp_format in a mapping")
    drop(frame["timestamp"].isna().to_numpy(), "missing timestamp", "the row has no time of change")
    items = sorted_codes(frame["item"])
    moments = _settle_ambiguous(times, nanoseconds(frame["timestamp"]), items, keep, rows, tally)
    tally.count(
        "nonexistent local time",
        rows[times.nonexistent & keep],
        "corrected",
        "the local time falls in the hour skipped when clocks go forward; shifted forward by the gap",
    )
    kept = np.flatnonzero(keep)
    order = kept[np.lexsort((rows[kept], moments[kept], items[kept]))]
    same = (items[order][1:] == items[order][:-1]) & (moments[order][1:] == moments[order][:-1])
    if same.any():
        candidate = np.zeros(len(order), bool)
        candidate[1:] |= same
        candidate[:-1] |= same
        positions = order[candidate]
        repeated = frame.drop(columns="row").iloc[positions].duplicated(keep="first").to_numpy()
        duplicate = np.zeros(len(frame), bool)
        duplicate[positions[repeated]] = True
        drop(duplicate, "exact duplicate", "the row repeats an earlier row exactly; the first is kept")
        order = order[keep[order]]
    rows_used = len(order)
    table = frame.iloc[order].reset_index(drop=True)
    table["timestamp"] = stamps(moments[order]).array
    codes = items[order]
    if "from_status" in table:
        table, codes = _initial_statuses(table, codes, tally)
    table = table.drop(columns=[c for c in ("from_status", "current_status") if c in table])
    names = list(dict.fromkeys(table["status"].tolist()))
    rules, done, flow = classify_statuses(names, mapping, tally, categories)
    return _build(table, codes, rules, done, flow, mapping, tally, rows_used)


def _build(
    table: pd.DataFrame,
    codes: np.ndarray,
    rules: dict[str, StatusRule],
    done: set[str],
    flow: tuple[str, ...] | None,
    mapping: Mapping,
    tally: QualityTally,
    rows_used: int,
) -> StatusVisits:
    moments = nanoseconds(table["timestamp"])
    count = len(table)
    last_of_item = np.ones(count, bool)
    last_of_item[:-1] = codes[1:] != codes[:-1]
    is_done = table["status"].isin(list(done)).to_numpy()
    # The final run of done statuses: rows after the item's last non-done row.
    positions = np.arange(count)
    last_open = pd.Series(np.where(is_done, -1, positions)).groupby(codes, sort=False).transform("max").to_numpy()
    final_done = is_done & (positions > last_open)
    # The next change of the same item; none (NaT) after an item's last row, whose visit stays open.
    next_stamp = np.full(count, NOT_A_TIME)
    next_stamp[:-1] = moments[1:]
    next_stamp[last_of_item] = NOT_A_TIME
    zero = ~final_done & ~last_of_item & (next_stamp == moments)
    # Rows added for a changelog's initial status were never read, so they are never counted.
    derived = table["derived"].to_numpy(dtype=bool) if "derived" in table else np.zeros(count, bool)
    tally.count(
        "zero-length visit",
        table["row"].to_numpy()[zero & ~derived],
        "kept",
        "the status was left at the moment it was entered (a day-stamped log): kept as a visit with no time, "
        "so it still starts the item's clock and pairs handoffs",
    )
    unmapped = [name for name in rules if mapping.statuses and name not in mapping.statuses]
    if unmapped:
        tally.count(
            "unmapped status",
            table["row"].to_numpy()[table["status"].isin(unmapped).to_numpy() & ~derived],
            "kept",
            "the status is not under 'statuses:' or 'done:' in the mapping; its time is kept as a waiting state "
            f"under its own name ({', '.join(unmapped)}); add it to the mapping",
        )
    first = pd.Series(moments).groupby(codes, sort=False).transform("min").to_numpy()
    run_start = np.where(final_done, moments, NEVER)
    done_at = pd.Series(run_start).groupby(codes, sort=False).transform("min").to_numpy()
    item_table = pd.DataFrame(
        {
            "item": table["item"].to_numpy(),
            "code": codes,
            "first": stamps(first).array,
            "done": stamps(done_at).array,
            "last": stamps(moments).array,
        }
    )
    for optional in ("type", "created"):
        if optional in table:
            item_table[optional] = table[optional].to_numpy()
    item_table = _first_per_item(item_table)
    chosen = np.flatnonzero(~final_done)
    visits = _take_rows(table[["item", "status", "timestamp", "row", *[c for c in VISIT_EXTRAS if c in table]]], chosen)
    status = visits.pop("status")
    visits["step"] = status.map({n: r.step for n, r in rules.items()}).fillna(status)
    visits["kind"] = status.map({n: r.kind for n, r in rules.items()}).fillna("waiting")
    visits["start"] = visits.pop("timestamp")
    visits["end"] = stamps(next_stamp[chosen]).array
    visits["row"] = visits["row"].astype(np.int64)
    visit_codes = codes[chosen]
    visits, visit_codes = merge_consecutive(visits, visit_codes)
    steps = flow if flow is not None else inferred_flow_order(visits, visit_codes, tally)
    visits, visit_codes = apply_backward_policy(visits, visit_codes, steps, mapping.backward_moves)
    ordered = ["item", "step", "kind", "start", "end", "row", *[c for c in VISIT_EXTRAS if c in visits]]
    return StatusVisits(visits[ordered].reset_index(drop=True), visit_codes, steps, item_table, rows_used)


def _first_per_item(table: pd.DataFrame) -> pd.DataFrame:
    """One row per item code: the first non-missing type and created, in time order."""
    grouped = table.groupby("code", sort=True)
    result = grouped[["item", "first", "done"]].first()
    result["last"] = grouped["last"].max()
    for optional in ("type", "created"):
        if optional in table:
            result[optional] = grouped[optional].first()
    return result.reset_index()


def inferred_flow_order(visits: pd.DataFrame, codes: np.ndarray, tally: QualityTally) -> tuple[str, ...]:
    """Active steps in the order `vsm_widgets.model.event_log.step_order` infers, recorded as a decision."""
    order = step_order(visits, codes)
    if order:
        steps = " → ".join(order)
        tally.decide(f"flow order inferred from the median order in which items first enter each step: {steps}")
    return order


def _settle_ambiguous(
    times: ParsedTimes,
    moments: np.ndarray,
    items: np.ndarray,
    keep: np.ndarray,
    rows: np.ndarray,
    tally: QualityTally,
) -> np.ndarray:
    """Read a repeated local hour's second pass where the file's own order says so.

    Within an item, in the order of the file's rows, a change that the first
    reading would put before an earlier row's change took place in the second
    pass of the hour.
    """
    ambiguous = times.ambiguous & keep
    if not ambiguous.any():
        return moments
    moments = moments.copy()
    order = np.lexsort((rows, items))
    running = pd.Series(np.where(keep, moments, NOT_A_TIME)[order]).groupby(items[order]).cummax()
    earlier = running.groupby(items[order]).shift(1).to_numpy()
    second = nanoseconds(times.second_reading)[order]
    flip = ambiguous[order] & (moments[order] < earlier) & (second >= earlier)
    moments[order[flip]] = second[flip]
    tally.count(
        "ambiguous local time",
        rows[ambiguous],
        "corrected",
        f"the local time falls in the hour repeated when clocks go back; {int(flip.sum())} settled from the order "
        "of the rows, the rest read as the first pass (summer time). Export timestamps with their UTC offset",
    )
    return moments


def _unchanged_items(
    frame: pd.DataFrame, unparseable: np.ndarray, tally: QualityTally
) -> tuple[pd.DataFrame, np.ndarray]:
    """Changelog rows of items that never changed status: their current status since they were created."""
    if "current_status" not in frame or "created" not in frame:
        return frame, unparseable
    still = (
        frame["status"].isna() & frame["timestamp"].isna() & frame["current_status"].notna() & frame["created"].notna()
    ).to_numpy() & ~unparseable
    if not still.any():
        return frame, unparseable
    frame = frame.copy()
    frame.loc[still, "status"] = frame.loc[still, "current_status"]
    frame.loc[still, "timestamp"] = frame.loc[still, "created"]
    tally.decide(f"{int(still.sum())} items without status changes are in their current status since they were created")
    return frame, unparseable


def _initial_statuses(table: pd.DataFrame, codes: np.ndarray, tally: QualityTally) -> tuple[pd.DataFrame, np.ndarray]:
    """Add each item's status before its first change: the change's 'from' status, from the created time."""
    first = np.ones(len(table), bool)
    first[1:] = codes[1:] != codes[:-1]
    usable = first & table["from_status"].notna().to_numpy()
    if "created" in table:
        usable &= (table["created"].notna() & (table["created"] <= table["timestamp"])).to_numpy()
    else:
        tally.decide("no created column: time before an item's first status change is not counted")
        return table, codes
    if not usable.any():
        return table, codes
    initial = table[usable].copy()
    initial["status"] = initial["from_status"]
    initial["timestamp"] = initial["created"]
    initial["derived"] = True
    table = table.assign(derived=False)
    combined = pd.concat([initial, table], ignore_index=True)
    combined_codes = np.concatenate([codes[usable], codes])
    order = np.lexsort(
        (
            combined["row"].to_numpy(),
            ~combined["derived"].to_numpy(dtype=bool),
            nanoseconds(combined["timestamp"]),
            combined_codes,
        )
    )
    tally.decide(f"{int(usable.sum())} items start in the 'from' status of their first change, from their created time")
    return combined.iloc[order].reset_index(drop=True), combined_codes[order]


def _take_rows(frame: pd.DataFrame, positions: np.ndarray) -> pd.DataFrame:
    """Rows of `frame` at `positions`, taken through Arrow (cheaper for text columns)."""
    return pa.Table.from_pandas(frame, preserve_index=False).take(pa.array(positions, type=pa.int64())).to_pandas()
