"""The tables of "Where the time goes" for a timing export: the mean item, then passages and visits.

The first table is the partition of lead time (`vsm_widgets.metrics.partition`): its
times add up to the mean lead time the first page and the map state. The other two
hold medians and 85th percentiles of single passages and visits, labelled as such:
they are true of passages and visits, and add up to nothing.
"""

from __future__ import annotations

import pandas as pd

from vsm_widgets.metrics import flow
from vsm_widgets.metrics.partition import ACTIVE, partition
from vsm_widgets.model.event_log import EventLog
from vsm_widgets.wording import HOUR, duration_text, percent, wait_place


def wait_table(log: EventLog) -> pd.DataFrame:
    """Where items wait: every handoff, the largest total first.

    Shares are not repeated here: the share of waiting a place holds is the partition's
    (`partition_table`, the findings), and these passages, which count unfinished items and
    every return, would give it a second value.

    Parameters
    ----------
    log : EventLog

    Returns
    -------
    DataFrame
        Columns ``Where``, ``Passages`` (every pass along the arrow, finished items or not),
        ``Median wait per passage`` and ``85th percentile per passage``.
    """
    handoffs = flow.handoff_metrics(log).sort_values("wait_total_hours", ascending=False, kind="stable")
    hours_per_day = log.calendar.hours_per_day
    return pd.DataFrame(
        {
            "Where": [wait_place(a, b) for a, b in zip(handoffs["from"], handoffs["to"], strict=True)],
            "Passages": handoffs["count"].astype(int).to_numpy(),
            "Median wait per passage": [duration_text(h * HOUR, hours_per_day) for h in handoffs["wait_median_hours"]],
            "85th percentile per passage": [duration_text(h * HOUR, hours_per_day) for h in handoffs["wait_p85_hours"]],
        }
    )


def partition_table(log: EventLog) -> pd.DataFrame:
    """Where the mean item's time goes, place by place, in flow order (`vsm_widgets.metrics.partition`).

    Parameters
    ----------
    log : EventLog

    Returns
    -------
    DataFrame
        Columns ``Where`` (worded as the findings word it), ``Kind`` (work, or waiting),
        ``Mean item`` (its time there), ``Share of lead time`` and ``Items`` (finished items
        that spent time there). The times add up to the mean lead time.
    """
    table = partition(log)
    hours_per_day = log.calendar.hours_per_day
    where = [
        step if kind == ACTIVE else wait_place(step, target)
        for step, target, kind in zip(table["from"], table["to"], table["kind"], strict=True)
    ]
    return pd.DataFrame(
        {
            "Where": where,
            "Kind": ["work" if kind == ACTIVE else "waiting" for kind in table["kind"]],
            "Mean item": [duration_text(h * HOUR, hours_per_day) for h in table["mean_hours"]],
            "Share of lead time": [percent(s) for s in table["share"]],
            "Items": table["items"].astype(int).to_numpy(),
        }
    )


def step_table(log: EventLog) -> pd.DataFrame:
    """Each step's process time and %C&A, in flow order.

    Parameters
    ----------
    log : EventLog

    Returns
    -------
    DataFrame
        Columns ``Step``, ``Visits``, ``Items``, ``Median per visit``, ``85th percentile per visit``,
        ``Returns (rework)`` and ``%C&A``.
    """
    steps = flow.step_metrics(log)
    hours_per_day = log.calendar.hours_per_day
    return pd.DataFrame(
        {
            "Step": steps["step"],
            "Visits": steps["visits"].astype(int),
            "Items": steps["items"].astype(int),
            "Median per visit": [duration_text(h * HOUR, hours_per_day) for h in steps["process_time_median_hours"]],
            "85th percentile per visit": [
                duration_text(h * HOUR, hours_per_day) for h in steps["process_time_p85_hours"]
            ],
            "Returns (rework)": steps["rework_visits"].astype(int),
            "%C&A": [percent(s) for s in steps["pct_ca"]],
        }
    )
