"""Work in progress over time: the WIP step function and its mean, cumulative flow, aging WIP.

An item is work in progress from its clock start (``started``) until ``done``,
or until ``log.as_of`` while unfinished. The mean WIP is time-weighted on the
log's calendar over its window (first ``started`` to ``as_of``): on a working
calendar a weekend adds no WIP-hours, as it adds no lead time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from vsm_widgets.metrics.distribution import percentiles
from vsm_widgets.metrics.periods import period_edges, period_instants
from vsm_widgets.metrics.visits import HOUR, ItemClock, clock_seconds, item_clock, item_rows, item_types, window
from vsm_widgets.model.event_log import EventLog
from vsm_widgets.timestamps import NEVER, NOT_A_TIME, nanoseconds

DONE, CREATED = "done", "created"


def wip_series(log: EventLog) -> pd.DataFrame:
    """WIP as a step function: each row's value holds from its time to the next row's.

    Parameters
    ----------
    log : EventLog

    Returns
    -------
    DataFrame
        Columns ``time`` (UTC) and ``wip`` (items started and not yet done), one row per
        instant at which WIP changes, and a last row at ``as_of`` where the window ends.
    """
    clock = item_clock(log)
    as_of = nanoseconds(log.as_of)
    starts = clock.started_ns[clock.started_ns <= as_of]
    ends = clock.close_ns[clock.finished & (clock.close_ns <= as_of)]
    times = np.concatenate([starts, ends, [as_of]])
    change = np.concatenate([np.ones(len(starts), np.int64), -np.ones(len(ends), np.int64), [0]])
    order = np.argsort(times, kind="stable")
    times, level = times[order], np.cumsum(change[order])
    last_of_instant = np.append(times[1:] != times[:-1], True)
    stamps = pd.DatetimeIndex(times[last_of_instant].view("datetime64[ns]")).tz_localize("UTC")
    return pd.DataFrame({"time": stamps, "wip": level[last_of_instant]})


def wip_mean(log: EventLog, start: pd.Timestamp | str | None = None, end: pd.Timestamp | str | None = None) -> float:
    """Time-weighted mean WIP over the window, on the log's calendar.

    Parameters
    ----------
    log : EventLog
    start, end : Timestamp or str, optional
        The window; by default the log's first ``started`` to ``as_of``.

    Returns
    -------
    float
        The time items spent in progress within the window divided by its length (the
        integral of `wip_series`); NaN when the window has no length.
    """
    clock = item_clock(log)
    low, high = window(log, start, end)
    low_clock, high_clock = clock_seconds(log.calendar, np.array([low, high]))
    span = high_clock - low_clock
    if not span > 0:
        return float("nan")
    inside = np.minimum(clock.close, high_clock) - np.maximum(clock.started, low_clock)
    return float(np.clip(inside, 0.0, None).sum() / span)


def cumulative_flow(log: EventLog, freq: str = "D") -> pd.DataFrame:
    """How many items are in each state at the end of each period (a cumulative flow diagram).

    An item is in the state (step or waiting state) it entered last, ``"created"``
    between its clock start and its first visit, and ``"done"`` once finished.

    Parameters
    ----------
    log : EventLog
    freq : str
        A pandas offset alias.

    Returns
    -------
    DataFrame
        ``date`` (period start), ``state``, ``items``: one row per period and state, states
        in flow order, ``"done"`` last. The last period is counted at ``as_of``.
    """
    edges = period_edges(log, freq)
    clock = item_clock(log)
    states, segment_state, segment_from, segment_to = _state_segments(log, clock)
    instants = (
        np.append(period_instants(log, edges[1:]), nanoseconds(log.as_of)) if len(edges) else np.zeros(0, np.int64)
    )
    # Each segment [from, to) adds one to its state at every period end it covers: difference, then running sum.
    low = np.searchsorted(instants, segment_from, side="left")
    high = np.maximum(np.searchsorted(instants, segment_to, side="left"), low)
    width = len(instants) + 1
    change = np.bincount(segment_state * width + low, minlength=len(states) * width)
    change -= np.bincount(segment_state * width + high, minlength=len(states) * width)
    counts = np.cumsum(change.reshape(len(states), width), axis=1)[:, :-1]
    return pd.DataFrame(
        {
            "date": np.repeat(edges, len(states)),
            "state": np.tile(np.array(states, dtype=object), len(edges)),
            "items": counts.T.reshape(-1).astype(np.int64),
        }
    )


def aging_wip(log: EventLog) -> pd.DataFrame:
    """Unfinished items with their age and how long they have been in their current state.

    The current state is the step or waiting state of the item's open visit (the one
    started last, if several are open), else of the visit it started last; an item
    with no visit yet is ``"created"``.

    Parameters
    ----------
    log : EventLog

    Returns
    -------
    DataFrame
        ``item, type, step, kind, age_hours`` (since ``started``), ``step_age_hours`` (since
        entering the current state), oldest first.
    """
    clock = item_clock(log)
    as_of = nanoseconds(log.as_of)
    items = log.items.reset_index(drop=True).assign(row=np.arange(len(log.items)), type=item_types(log))
    waiting = items[clock.clocked & ~clock.finished]
    visits = log.visits[log.visits["item"].isin(waiting["item"])]
    visits = visits.assign(
        start_ns=nanoseconds(visits["start"]),
        is_open=(nanoseconds(visits["end"]) == NOT_A_TIME) | (nanoseconds(visits["end"]) > as_of),
    )
    current = (
        visits[visits["start_ns"] <= as_of]
        .sort_values(["item", "is_open", "start_ns", "step"], kind="stable")
        .drop_duplicates("item", keep="last")[["item", "step", "kind", "start_ns"]]
        .astype({"start_ns": "Int64"})
    )
    frame = waiting.merge(current, on="item", how="left")
    row = frame["row"].to_numpy()
    entered = frame["start_ns"].to_numpy(dtype=np.int64, na_value=NOT_A_TIME)
    entered = np.where(entered == NOT_A_TIME, clock.started_ns[row], entered)
    now = clock_seconds(log.calendar, np.full(len(frame), as_of))
    frame = frame.assign(
        step=frame["step"].fillna(CREATED).astype(object),
        kind=frame["kind"].fillna("waiting").astype(object),
        age_hours=(now - clock.started[row]) / HOUR,
        step_age_hours=(now - clock_seconds(log.calendar, entered)) / HOUR,
    )
    columns = ["item", "type", "step", "kind", "age_hours", "step_age_hours"]
    return frame.sort_values(["age_hours", "item"], ascending=[False, True], kind="stable")[columns].reset_index(
        drop=True
    )


@dataclass(frozen=True)
class AgingAgainstFinished:
    """Work in progress against how long finished work took.

    Parameters
    ----------
    in_progress : int
        Unfinished items.
    older : int
        Of those, the items already older than `p85_hours`.
    p85_hours : float
        The 85th percentile of finished items' lead times (`percentiles`); NaN when none finished.
    finished : int
        The finished items with a lead time that percentile was taken over.
    """

    in_progress: int
    older: int
    p85_hours: float
    finished: int


def aging_against_finished(aging: pd.DataFrame, items: pd.DataFrame) -> AgingAgainstFinished:
    """How many items in progress are already older than 85 % of finished work took.

    The one definition behind the aging chart's title and the readout's finding.

    Parameters
    ----------
    aging : DataFrame
        `aging_wip` of the log: ``age_hours`` per unfinished item.
    items : DataFrame
        `vsm_widgets.metrics.flow.item_metrics` of the log: ``finished`` and ``lead_time_hours``.

    Returns
    -------
    AgingAgainstFinished

    Examples
    --------
    >>> aging = pd.DataFrame({"age_hours": [10.0, 30.0, 50.0]})
    >>> items = pd.DataFrame({"finished": [True, True, False], "lead_time_hours": [20.0, 40.0, None]})
    >>> aging_against_finished(aging, items)  # p85 of 20 and 40 h: 20 + 0.85 * 20 = 37 h
    AgingAgainstFinished(in_progress=3, older=1, p85_hours=37.0, finished=2)
    """
    lead = items.loc[items["finished"].astype(bool), "lead_time_hours"].to_numpy(dtype=float)
    lead = lead[~np.isnan(lead)]
    (p85,) = percentiles(lead, (85,))
    ages = aging["age_hours"].to_numpy(dtype=float)
    older = int((ages > p85).sum()) if np.isfinite(p85) else 0
    return AgingAgainstFinished(len(ages), older, float(p85), len(lead))


def _state_segments(log: EventLog, clock: ItemClock) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """Spans ``[from, to)`` during which an item is in one state; states in flow order."""
    visits = log.visits
    rows = item_rows(log, visits["item"])
    state_codes, names = pd.factorize(visits["step"], sort=True)
    start, end = nanoseconds(visits["start"]), nanoseconds(visits["end"])
    order = np.lexsort((state_codes, np.where(end == NOT_A_TIME, NEVER, end), start, rows))
    order = order[rows[order] >= 0]
    rows, state_codes, start = rows[order], state_codes[order], start[order]
    first = np.ones(len(rows), dtype=bool)
    first[1:] = rows[1:] != rows[:-1]
    last = np.append(first[1:], True)
    # An item closed straight from the backlog has no clock but is done all the same.
    done_ns = nanoseconds(log.items["done"])
    done = log.items["finished"].to_numpy(dtype=bool) & (done_ns != NOT_A_TIME)
    done_ns = np.where(clock.finished, clock.close_ns, done_ns)
    after_last = np.where(done[rows], done_ns[rows], NEVER)
    visit_to = np.where(last, after_last, np.append(start[1:], NEVER))
    # Between the clock start and the first visit (or for good, with no visit yet) the item is "created".
    created_to = np.where(done, done_ns, NEVER)
    created_to[rows[first]] = start[first]
    created = clock.started_ns < created_to
    ordered = _state_order(log, rows, state_codes, list(names))
    states = [CREATED] * bool(created.any()) + [names[i] for i in ordered] + [DONE]
    position = np.zeros(len(names), dtype=np.int64)
    position[ordered] = np.arange(len(ordered)) + bool(created.any())
    segment_state = np.concatenate(
        [position[state_codes], np.zeros(int(created.sum()), np.int64), np.full(int(done.sum()), len(states) - 1)]
    )
    segment_from = np.concatenate([start, clock.started_ns[created], done_ns[done]])
    segment_to = np.concatenate([visit_to, created_to[created], np.full(int(done.sum()), NEVER)])
    return states, segment_state, segment_from, segment_to


def _state_order(log: EventLog, rows: np.ndarray, codes: np.ndarray, names: list[str]) -> np.ndarray:
    """State codes in flow order: by the median rank at which items first enter them, steps as in ``log.steps``."""
    if not len(names):
        return np.zeros(0, dtype=np.int64)
    entered = ~pd.Series(rows.astype(np.int64) * len(names) + codes).duplicated().to_numpy()
    rank = pd.Series(rows[entered]).groupby(rows[entered]).cumcount().to_numpy()
    median = pd.Series(rank).groupby(codes[entered]).median().reindex(range(len(names)))
    ordered = sorted(range(len(names)), key=lambda code: (median.iloc[code], names[code]))
    # Waiting states keep the places the data gives them; the active steps fill their slots in log.steps order.
    known = set(log.steps)
    slots = [slot for slot, code in enumerate(ordered) if names[code] in known]
    for slot, step in zip(slots, [step for step in log.steps if step in names], strict=True):
        ordered[slot] = names.index(step)
    return np.array(ordered, dtype=np.int64)
