"""Flow metrics of each item: lead time or age, active and wait time, flow efficiency, visits, rework.

The item table is the one most readouts start from (lead time histograms, XmR
charts, forecasts, comparisons), and flow efficiency is its ratio of two of its
columns, aggregated both ways (DOMAIN 4.7). It is apart from
`vsm_widgets.metrics.flow`, which measures steps and handoffs and sums the
stream up, because an item's numbers need the item's clock and the union of its
visits, not the visits step by step. `vsm_widgets.metrics.flow` re-exports the
public functions, so ``flow.item_metrics`` stays the place readouts import from.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from vsm_widgets.io.item_runs import running_max
from vsm_widgets.metrics.visits import HOUR, ItemClock, MeasuredVisits, item_clock, measure_visits
from vsm_widgets.metrics.whole_days import whole_days
from vsm_widgets.model.event_log import EventLog

ITEM_COLUMNS = (
    "item",
    "type",
    "started",
    "done",
    "finished",
    "lead_time_hours",
    "age_hours",
    "active_time_hours",
    "wait_time_hours",
    "flow_efficiency",
    "visits",
    "rework",
)


def item_metrics(log: EventLog) -> pd.DataFrame:
    """One row per item: lead time or age, active and wait time, flow efficiency, visits, rework.

    Parameters
    ----------
    log : EventLog

    Returns
    -------
    DataFrame
        Columns ``item, type, started, done, finished, lead_time_hours`` (NaN while
        unfinished), ``age_hours`` (``as_of - started`` while unfinished, else NaN),
        ``active_time_hours`` (length of the union of the item's active visits within its
        clock: parallel work counts once), ``wait_time_hours`` (lead time or age minus
        active time), ``flow_efficiency`` (active / lead; NaN while unfinished or when the
        lead time is zero), ``visits`` (active visits) and ``rework`` (visits that return
        to a step already left or to an earlier step).
    """
    return item_frame(log, measure_visits(log), item_clock(log))


def flow_efficiency(log: EventLog) -> dict:
    """Flow efficiency of the finished items, both ways of aggregating it (DOMAIN 4.7).

    Parameters
    ----------
    log : EventLog

    Returns
    -------
    dict
        ``portfolio``: total active time / total lead time over finished items (the
        stream's flow efficiency); ``mean_of_items``: the mean of the per-item ratios, a
        different number; ``items``: how many finished items they cover.
    """
    return efficiency_of_items(item_metrics(log))


def efficiency_of_items(items: pd.DataFrame) -> dict:
    """`flow_efficiency` from an `item_metrics` table already at hand.

    Parameters
    ----------
    items : DataFrame
        From `item_metrics`.

    Returns
    -------
    dict
        ``portfolio``, ``mean_of_items`` and ``items``, as `flow_efficiency` gives them.
    """
    finished = items[items["finished"] & items["lead_time_hours"].notna()]
    lead = finished["lead_time_hours"].sum()
    return {
        "portfolio": float(finished["active_time_hours"].sum() / lead) if lead > 0 else math.nan,
        "mean_of_items": float(finished["flow_efficiency"].mean()) if len(finished) else math.nan,
        "items": len(finished),
    }


def item_frame(log: EventLog, visits: MeasuredVisits, clock: ItemClock) -> pd.DataFrame:
    """`item_metrics` from visits and item clocks already measured, as `vsm_widgets.metrics.flow.summary` has them.

    Parameters
    ----------
    log : EventLog
        The log the visits and clocks were measured from (its items, day zone and whole-days rule).
    visits : MeasuredVisits
        From `vsm_widgets.metrics.visits.measure_visits`.
    clock : ItemClock
        From `vsm_widgets.metrics.visits.item_clock`.

    Returns
    -------
    DataFrame
        As `item_metrics`.
    """
    n_items = len(clock.started)
    item = visits.item
    # Clip each visit to its item's clock, then merge overlapping visits in timestamps before measuring.
    low_ns = np.maximum(visits.start_ns, clock.started_ns[item])
    high_ns = np.maximum(np.minimum(visits.end_ns, clock.close_ns[item]), low_ns)
    latest_high = running_max(high_ns, item)
    opens_block = visits.first.copy()
    opens_block[1:] |= low_ns[1:] > latest_high[:-1]
    block_first = np.flatnonzero(opens_block)
    low = np.maximum(visits.start, clock.started[item])
    high = np.maximum(np.minimum(visits.end, clock.close[item]), low)
    block_seconds = np.maximum.reduceat(high, block_first) - low[block_first] if len(block_first) else high[:0]
    active = np.bincount(item[block_first], weights=block_seconds, minlength=n_items) / HOUR
    elapsed = clock.seconds / HOUR
    lead = np.where(clock.finished, elapsed, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        efficiency = np.where(lead > 0, active / lead, np.nan)
    frame = log.items[["item", "type", "started", "done", "finished"]].reset_index(drop=True)
    frame = frame.assign(
        finished=frame["finished"].to_numpy(dtype=bool),
        lead_time_hours=lead,
        age_hours=np.where(clock.finished | ~clock.clocked, np.nan, elapsed),
        active_time_hours=active,
        wait_time_hours=np.where(clock.clocked, elapsed - active, np.nan),
        flow_efficiency=efficiency,
        visits=np.bincount(item, minlength=n_items),
        rework=np.bincount(item[visits.rework], minlength=n_items),
    )[list(ITEM_COLUMNS)]
    if log.whole_days != "exact":
        frame["lead_time_days"] = whole_days(frame["started"], frame["done"], log.day_zone, log.whole_days).where(
            clock.finished
        )
    return frame
