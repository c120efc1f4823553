"""Flow metrics over an `EventLog`: per step, per handoff, and the stream summary.

Formulas follow DOMAIN section 3 and ``docs/metrics.md``. Every duration is in
hours as a float, counted on ``log.calendar`` (calendar time or working time);
open visits and unfinished items are measured up to ``log.as_of``. Percentiles
use linear interpolation between the two nearest ranks (numpy's default method),
and the median and 85th percentile stand beside the mean because lead times are
skewed (DOMAIN 4.8).

Each item's numbers and the stream over time live beside it and are re-exported
here, so ``vsm_widgets.metrics.flow`` is the one place to import flow metrics from:
lead time, active and wait time and flow efficiency per item
(`vsm_widgets.metrics.item_flow`), WIP, cumulative flow and aging WIP
(`vsm_widgets.metrics.wip`), throughput (`vsm_widgets.metrics.throughput`) and
Little's law (`vsm_widgets.metrics.littles_law`).
The readable report of `vsm metrics` is `vsm_widgets.readout.metrics_report`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from vsm_widgets.metrics.distribution import PERCENTILE_METHOD, percentiles
from vsm_widgets.metrics.item_flow import efficiency_of_items, flow_efficiency, item_frame, item_metrics
from vsm_widgets.metrics.lead_pieces import items_per_group
from vsm_widgets.metrics.littles_law import LittlesLaw, littles_law
from vsm_widgets.metrics.throughput import arrivals_departures, flow_distribution, throughput, throughput_rate
from vsm_widgets.metrics.visits import HOUR, ItemClock, MeasuredVisits, item_clock, measure_visits
from vsm_widgets.metrics.wip import aging_wip, cumulative_flow, wip_mean, wip_series
from vsm_widgets.model.event_log import EventLog

__all__ = [
    "LittlesLaw",
    "aging_wip",
    "arrivals_departures",
    "cumulative_flow",
    "flow_distribution",
    "efficiency_of_items",
    "flow_efficiency",
    "handoff_metrics",
    "item_metrics",
    "littles_law",
    "step_metrics",
    "summary",
    "throughput",
    "throughput_rate",
    "wip_mean",
    "wip_series",
]

SUPPLIER, CUSTOMER = "supplier", "customer"
STEP_COLUMNS = (
    "step",
    "visits",
    "items",
    "process_time_median_hours",
    "process_time_p85_hours",
    "process_time_mean_hours",
    "process_time_max_hours",
    "rework_visits",
    "pct_ca",
)
HANDOFF_COLUMNS = (
    "from",
    "to",
    "count",
    "wait_median_hours",
    "wait_p85_hours",
    "wait_mean_hours",
    "wait_total_hours",
    "share_of_wait",
)


def step_metrics(log: EventLog) -> pd.DataFrame:
    """One row per active step in flow order: visits, items, process time, rework and %C&A.

    Parameters
    ----------
    log : EventLog

    Returns
    -------
    DataFrame
        Columns ``step, visits, items, process_time_median_hours, process_time_p85_hours,
        process_time_mean_hours, process_time_max_hours, rework_visits, pct_ca``. Process
        time statistics leave out visits still open at ``as_of`` (their time is not
        known yet). ``pct_ca`` is 1 minus the share of the step's visits after which the
        item's next active visit returns to this step or an earlier one.
    """
    return _step_frame(measure_visits(log))


def handoff_metrics(log: EventLog) -> pd.DataFrame:
    """One row per handoff (from, to) with the waits measured on it.

    Consecutive active visits of an item (by start) make a handoff; its wait is the
    start of the second minus the end of the first, zero when they overlap. An item
    whose clock starts before its first active visit adds a ``"supplier"`` handoff,
    and one finished after its last active visit ends adds a ``"customer"`` handoff.

    Parameters
    ----------
    log : EventLog

    Returns
    -------
    DataFrame
        Columns ``from, to, count, wait_median_hours, wait_p85_hours, wait_mean_hours,
        wait_total_hours, share_of_wait`` (the handoff's part of all waiting, 0 when
        nothing waits), supplier first, then in flow order, customer last.
    """
    return _handoff_frame(measure_visits(log), item_clock(log))


def summary(log: EventLog) -> dict:
    """The numbers `vsm metrics --json` prints (DESIGN 4.2), plain and JSON-serialisable.

    Parameters
    ----------
    log : EventLog

    Returns
    -------
    dict
        Keys ``unit`` ("hours"), ``items``, ``finished_items``, ``lead_time`` and
        ``active_time`` (``{median, p85, mean}`` over finished items with a lead time:
        those whose clock started), ``flow_efficiency``
        (portfolio), ``flow_efficiency_mean_of_items``, ``throughput_per_week``,
        ``wip_mean``, ``steps``, ``handoffs``, ``quality`` and ``conventions``. Missing
        numbers are None.
    """
    visits, clock = measure_visits(log), item_clock(log)
    items = item_frame(log, visits, clock)
    finished = items[items["finished"]]
    timed = finished[finished["lead_time_hours"].notna()]
    efficiency = efficiency_of_items(items)
    steps = _step_frame(visits)
    handoffs = _handoff_frame(visits, clock)
    result = {
        "unit": "hours",
        "items": len(items),
        "finished_items": len(finished),
        "lead_time": _spread(timed["lead_time_hours"].to_numpy()),
        "active_time": _spread(timed["active_time_hours"].to_numpy()),
        "flow_efficiency": _plain(efficiency["portfolio"]),
        "flow_efficiency_mean_of_items": _plain(efficiency["mean_of_items"]),
        "throughput_per_week": _plain(throughput_rate(log, "weeks")),
        "wip_mean": _plain(wip_mean(log)),
        "steps": [
            {
                "step": row.step,
                "visits": int(row.visits),
                "items": int(row.items),
                "process_time": {
                    "median": _plain(row.process_time_median_hours),
                    "p85": _plain(row.process_time_p85_hours),
                    "mean": _plain(row.process_time_mean_hours),
                },
                "pct_ca": _plain(row.pct_ca),
            }
            for row in steps.itertuples(index=False)
        ],
        "handoffs": [
            {
                "from": source,
                "to": target,
                "count": int(count),
                "wait": {"median": _plain(median), "p85": _plain(p85), "mean": _plain(mean)},
            }
            for source, target, count, median, p85, mean in handoffs.iloc[:, :6].itertuples(index=False)
        ],
        "quality": log.quality.to_dict(),
        "conventions": {**log.conventions(), "percentiles": PERCENTILE_METHOD},
    }
    if "lead_time_days" in timed:
        result["lead_time_days"] = _spread(timed["lead_time_days"].to_numpy())
    return result


def _step_frame(visits: MeasuredVisits) -> pd.DataFrame:
    n_steps = len(visits.steps)
    step = visits.step
    count = np.bincount(step, minlength=n_steps)
    items = items_per_group(visits.item, step, n_steps)
    closed = ~visits.open
    stats = _grouped_spread(step[closed], (visits.end - visits.start)[closed] / HOUR, n_steps)
    # A visit is not complete and accurate when the item's next visit returns to this step or an earlier one.
    returns = np.zeros(len(step), dtype=bool)
    following = np.flatnonzero(visits.next_of_same_item) + 1
    returns[following - 1] = visits.rework[following] & (step[following] <= step[following - 1])
    with np.errstate(divide="ignore", invalid="ignore"):
        pct_ca = np.where(count > 0, 1.0 - np.bincount(step, weights=returns, minlength=n_steps) / count, np.nan)
    return pd.DataFrame(
        {
            "step": list(visits.steps),
            "visits": count,
            "items": items,
            "process_time_median_hours": stats["median"],
            "process_time_p85_hours": stats["p85"],
            "process_time_mean_hours": stats["mean"],
            "process_time_max_hours": stats["max"],
            "rework_visits": np.bincount(step, weights=visits.rework, minlength=n_steps).astype(np.int64),
            "pct_ca": pct_ca,
        },
        columns=list(STEP_COLUMNS),
    )


def _handoff_frame(visits: MeasuredVisits, clock: ItemClock) -> pd.DataFrame:
    # Nodes: 0 is the supplier, 1..n the steps in flow order, n + 1 the customer.
    n_steps = len(visits.steps)
    item, node = visits.item, visits.step + 1
    between = np.flatnonzero(visits.next_of_same_item)
    firsts = np.flatnonzero(visits.first & (clock.started_ns[item] < visits.start_ns))
    # The customer handoff leaves from the visit that ends last (on a tie, the one started last),
    # for items done after it.
    group_first = np.flatnonzero(visits.first)
    last_end = np.maximum.reduceat(visits.end_ns, group_first) if len(item) else visits.end_ns
    candidates = np.flatnonzero(visits.end_ns == np.repeat(last_end, np.diff(np.append(group_first, len(item)))))
    ending = candidates[np.append(item[candidates][1:] != item[candidates][:-1], True)[: len(candidates)]]
    ending = ending[clock.finished[item[ending]] & (clock.close_ns[item[ending]] > visits.end_ns[ending])]
    source = np.concatenate([node[between], np.zeros(len(firsts), dtype=np.int64), node[ending]])
    target = np.concatenate([node[between + 1], node[firsts], np.full(len(ending), n_steps + 1)])
    wait = (
        np.concatenate(
            [
                np.maximum(visits.start[between + 1] - visits.end[between], 0.0),
                visits.start[firsts] - clock.started[item[firsts]],
                clock.close[item[ending]] - visits.end[ending],
            ]
        )
        / HOUR
    )
    pair = source.astype(np.int64) * (n_steps + 2) + target
    if (n_steps + 2) ** 2 <= 4 * len(pair) + 1024:
        # Pairs of steps are few next to the waits: a count per pair finds them without sorting a million.
        present = np.bincount(pair, minlength=(n_steps + 2) ** 2) > 0
        pairs, group = np.flatnonzero(present), (np.cumsum(present) - 1)[pair]
    else:
        pairs = np.unique(pair)
        group = np.searchsorted(pairs, pair)
    stats = _grouped_spread(group, wait, len(pairs))
    total = stats["mean"] * stats["count"]
    names = np.array([SUPPLIER, *visits.steps, CUSTOMER], dtype=object)
    all_wait = total.sum()
    return pd.DataFrame(
        {
            "from": names[pairs // (n_steps + 2)],
            "to": names[pairs % (n_steps + 2)],
            "count": stats["count"].astype(np.int64),
            "wait_median_hours": stats["median"],
            "wait_p85_hours": stats["p85"],
            "wait_mean_hours": stats["mean"],
            "wait_total_hours": total,
            "share_of_wait": total / all_wait if all_wait > 0 else np.zeros(len(pairs)),
        },
        columns=list(HANDOFF_COLUMNS),
    )


def _grouped_spread(groups: np.ndarray, values: np.ndarray, n_groups: int) -> dict[str, np.ndarray]:
    """Count, median, 85th percentile, mean and max of `values` per group ``0..n_groups-1``.

    One stable sort by group, then a slice per group: groups are steps or handoffs, never items.
    """
    keep = ~np.isnan(values)
    if not keep.all():
        groups, values = groups[keep], values[keep]
    # numpy sorts 8- and 16-bit integers by radix (one pass per byte), many times faster than 64-bit ones.
    narrow = np.uint8 if n_groups <= 2**8 else np.uint16 if n_groups <= 2**16 else groups.dtype
    groups = groups.astype(narrow)
    order = np.argsort(groups, kind="stable")
    # Each group's slice of the sorted values starts where the counts of the groups before it end.
    bounds = np.concatenate([[0], np.cumsum(np.bincount(groups, minlength=n_groups))])
    ordered = values[order]
    spread = {name: np.full(n_groups, np.nan) for name in ("median", "p85", "mean", "max")}
    for group in np.flatnonzero(np.diff(bounds)):
        chunk = ordered[bounds[group] : bounds[group + 1]]
        spread["median"][group], spread["p85"][group] = percentiles(chunk, (50, 85))
        spread["mean"][group] = chunk.mean()
        spread["max"][group] = chunk.max()
    return {"count": np.diff(bounds).astype(float), **spread}


def _spread(values: np.ndarray) -> dict[str, float | None]:
    values = values[~np.isnan(values)]
    if not len(values):
        return {"median": None, "p85": None, "mean": None}
    median, p85 = percentiles(values, (50, 85))
    return {"median": _plain(median), "p85": _plain(p85), "mean": _plain(values.mean())}


def _plain(value: object) -> float | None:
    """A JSON-ready float: NaN and missing values become None."""
    if value is None or pd.isna(value):
        return None
    return float(value)
