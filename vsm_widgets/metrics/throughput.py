"""Throughput: items finished per period and type, per day or week, arrivals against departures, flow distribution.

Rates are taken over the log's window (first ``started`` to ``as_of``) on its
calendar: a day lasts ``calendar.hours_per_day`` hours, and a week is 7 days on
calendar time and the calendar's working days on working time, so on a working
calendar weekends and holidays do not dilute the rate.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from vsm_widgets.exceptions import VsmInputError
from vsm_widgets.metrics.periods import period_edges, period_of
from vsm_widgets.metrics.visits import HOUR, clock_seconds, item_clock, item_types, window
from vsm_widgets.model.event_log import EventLog


def throughput_rate(
    log: EventLog, per: str = "weeks", start: pd.Timestamp | str | None = None, end: pd.Timestamp | str | None = None
) -> float:
    """Items finished in the window per day or per week of the log's calendar.

    Parameters
    ----------
    log : EventLog
    per : {"days", "weeks"}
    start, end : Timestamp or str, optional
        The window; by default the log's first ``started`` to ``as_of``.

    Returns
    -------
    float
        NaN when the window has no length.
    """
    if per not in ("days", "weeks"):
        raise VsmInputError(f"per must be 'days' or 'weeks', not {per!r}", "Use 'days' or 'weeks'")
    clock = item_clock(log)
    low, high = window(log, start, end)
    low_clock, high_clock = clock_seconds(log.calendar, np.array([low, high]))
    span = high_clock - low_clock
    if not span > 0:
        return float("nan")
    finished = int((clock.finished & (clock.close_ns >= low) & (clock.close_ns <= high)).sum())
    unit = log.calendar.hours_per_day * HOUR * (_days_per_week(log) if per == "weeks" else 1.0)
    return finished / (span / unit)


def throughput(log: EventLog, freq: str = "W-MON") -> pd.DataFrame:
    """Items finished per period and type, with zero for periods that finished none.

    Parameters
    ----------
    log : EventLog
    freq : str
        A pandas offset alias; periods run from the first ``started`` to ``as_of``.

    Returns
    -------
    DataFrame
        Long table ``period_start, type, finished``; type is ``"all"`` when the log has no
        types, and ``"unspecified"`` for items without one in a log that has them.
    """
    edges = period_edges(log, freq)
    labels = item_types(log)
    kinds, code = np.unique(labels, return_inverse=True)
    clock = item_clock(log)
    done = clock.finished
    period = period_of(log, edges, clock.close_ns[done])
    inside = period >= 0
    counts = np.bincount(period[inside] * len(kinds) + code[done][inside], minlength=len(edges) * len(kinds))
    return pd.DataFrame(
        {
            "period_start": np.repeat(edges, len(kinds)),
            "type": np.tile(kinds, len(edges)).astype(object),
            "finished": counts.astype(np.int64),
        }
    )


def arrivals_departures(log: EventLog, freq: str = "W-MON") -> pd.DataFrame:
    """Items started and finished per period, and their running totals.

    Parameters
    ----------
    log : EventLog
    freq : str
        A pandas offset alias.

    Returns
    -------
    DataFrame
        ``period_start, arrivals, departures, cumulative_arrivals, cumulative_departures``.
    """
    edges = period_edges(log, freq)
    clock = item_clock(log)
    arrived = period_of(log, edges, clock.started_ns)
    departed = period_of(log, edges, clock.close_ns[clock.finished])
    arrivals = np.bincount(arrived[arrived >= 0], minlength=len(edges))
    departures = np.bincount(departed[departed >= 0], minlength=len(edges))
    return pd.DataFrame(
        {
            "period_start": edges,
            "arrivals": arrivals,
            "departures": departures,
            "cumulative_arrivals": np.cumsum(arrivals),
            "cumulative_departures": np.cumsum(departures),
        }
    )


def flow_distribution(log: EventLog) -> pd.DataFrame:
    """Share of finished items by type.

    Parameters
    ----------
    log : EventLog

    Returns
    -------
    DataFrame
        ``type, finished, share``, most finished first.
    """
    labels = pd.Series(item_types(log))[log.items["finished"].to_numpy(dtype=bool)]
    counts = labels.value_counts().rename_axis("type").reset_index(name="finished")
    counts = counts.sort_values(["finished", "type"], ascending=[False, True], kind="stable").reset_index(drop=True)
    total = counts["finished"].sum()
    return counts.assign(share=counts["finished"] / total if total else 0.0)


def _days_per_week(log: EventLog) -> float:
    return float(len(log.calendar.weekdays)) if log.calendar.working else 7.0
