"""Monte Carlo forecasts: a map's lead time, and "when will N items be done" / "how many by then".

Every forecast records its seed and reruns itself with `RERUNS` other seeds
(children of the first, via `numpy.random.SeedSequence`); its table states how
far each percentile moved between those runs, so a reader knows how many of
the digits mean something.

* `lead_time_forecast` samples each step's elapsed time and each handoff's
  wait from a distribution, where one is given, and takes the critical path
  of every run. Distributions are `Triangular` (the workshop's low, likely and
  high estimates) or `Empirical` (measured: `measured_estimates` reads them
  from a log); elements without one keep the map's value.
* `when_done` and `how_many` resample the daily throughput of a log's history
  (counted days only: working days on a working calendar).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from vsm_widgets.exceptions import VsmInputError
from vsm_widgets.future.carry_out import resolve
from vsm_widgets.future.montecarlo import RERUNS, RUNS, Forecast, generators, moved
from vsm_widgets.future.retime import Timeline, counted_seconds, handoffs
from vsm_widgets.metrics.distribution import (  # also the forecasts' 50, 85 and 95 % probabilities
    PERCENTILES,
    percentiles,
)
from vsm_widgets.metrics.throughput import throughput
from vsm_widgets.model.event_log import EventLog
from vsm_widgets.model.graph import CUSTOMER, SUPPLIER
from vsm_widgets.model.stream import ValueStream
from vsm_widgets.timestamps import NOT_A_TIME
from vsm_widgets.units import Duration, parse_duration

# A day as a unit, not a bare 1: numpy 2.5 deprecates adding an integer (the generic unit) to a date.
ONE_DAY = np.timedelta64(1, "D")


@dataclass(frozen=True)
class Triangular:
    """A workshop estimate: the lowest, most likely and highest time.

    Examples
    --------
    >>> Triangular.of("2 d", "3 d", "8 d").likely.to("days")
    3.0
    """

    low: Duration
    likely: Duration
    high: Duration

    def __post_init__(self) -> None:
        if not self.low.seconds <= self.likely.seconds <= self.high.seconds or self.low.seconds < 0:
            raise VsmInputError(
                "a triangular estimate needs 0 <= low <= likely <= high",
                f"Check the estimate {self.low.seconds:g} s, {self.likely.seconds:g} s, {self.high.seconds:g} s",
            )

    @classmethod
    def of(
        cls, low: object, likely: object, high: object, unit: str = "days", hours_per_day: float = 24.0
    ) -> Triangular:
        """Build from numbers in `unit` or strings with their own unit (``"4 h"``)."""
        return cls(*(parse_duration(v, unit, hours_per_day) for v in (low, likely, high)))

    def sample(self, rng: np.random.Generator, runs: int) -> np.ndarray:
        """`runs` draws, in seconds."""
        if self.low.seconds == self.high.seconds:
            return np.full(runs, self.low.seconds)
        return rng.triangular(self.low.seconds, self.likely.seconds, self.high.seconds, runs)


@dataclass(frozen=True)
class Empirical:
    """A measured distribution: draws are made from these values with replacement.

    Parameters
    ----------
    seconds : tuple of float
        The measured durations in seconds.
    """

    seconds: tuple[float, ...]

    def __post_init__(self) -> None:
        if not self.seconds:
            raise VsmInputError("a measured distribution needs at least one value")

    def sample(self, rng: np.random.Generator, runs: int) -> np.ndarray:
        """`runs` draws, in seconds."""
        return rng.choice(np.asarray(self.seconds, dtype=float), size=runs, replace=True)


Estimate = Triangular | Empirical


def lead_time_forecast(
    stream: ValueStream,
    estimates: Mapping[object, Estimate] | None = None,
    *,
    runs: int = RUNS,
    seed: int | None = None,
    reruns: int = RERUNS,
) -> Forecast:
    """Monte Carlo lead time of a map: each run samples the elements and takes the critical path.

    Parameters
    ----------
    stream : ValueStream
    estimates : mapping, optional
        Distributions by step (id or name) for the step's elapsed time, and by handoff
        (``(from, to)``) for its wait. Other elements keep the map's value.
    runs : int
        Runs per simulation.
    seed : int, optional
        Seed of the first run; drawn and recorded when left out.
    reruns : int
        Reruns with other seeds, to measure how far the percentiles move.

    Returns
    -------
    Forecast
        Percentiles 50, 85 and 95 of lead time in the map's unit.
    """
    chosen = _place(stream, estimates or {})
    recorded, rngs = generators(seed, reruns)
    unit = Duration.of(1, stream.unit, stream.hours_per_day).seconds
    outcomes = [_critical_lengths(stream, chosen, rng, runs) / unit for rng in rngs]
    table = pd.DataFrame(
        {
            "percentile": list(PERCENTILES),
            "lead_time": percentiles(outcomes[0], PERCENTILES),
            "moved": moved([percentiles(o, PERCENTILES) for o in outcomes]),
        }
    )
    sampled = ", ".join(sorted(str(key) for key in chosen)) or "none (every element fixed)"
    notes = {
        "elements sampled": sampled,
        "other elements": "fixed at the map's values",
        "lead time": "critical path of each run (waits plus step elapsed times)",
        "independence": "elements are drawn independently of one another",
    }
    return Forecast("lead time", table, stream.unit, recorded, runs, reruns, outcomes[0], notes)


def _locate(stream: ValueStream, key: object) -> object:
    """The step id or handoff key of `stream` that an estimate's key names, or None."""
    steps = [(s.id, s.name) for s in stream.steps]
    if not isinstance(key, tuple):
        return resolve(str(key), steps)
    source = resolve(str(key[0]), [(SUPPLIER, stream.supplier), *steps])
    target = resolve(str(key[1]), [(CUSTOMER, stream.customer), *steps])
    return (source, target) if (source, target) in {h.key for h in stream.handoffs} else None


def _place(stream: ValueStream, estimates: Mapping[object, Estimate]) -> dict[object, Estimate]:
    """The estimates keyed by step id or handoff key of the stream."""
    placed: dict[object, Estimate] = {}
    for key, estimate in estimates.items():
        found = _locate(stream, key)
        if found is None:
            what = f"handoff {key[0]} -> {key[1]}" if isinstance(key, tuple) else f"step '{key}'"
            raise VsmInputError(f"the map has no {what} to estimate", "Name its steps by id or name")
        placed[found] = estimate
    return placed


def _critical_lengths(stream: ValueStream, estimates: dict, rng: np.random.Generator, runs: int) -> np.ndarray:
    """Length (seconds) of the longest supplier-to-customer path in each run."""

    def draw(key: object, fixed: Duration) -> np.ndarray:
        return estimates[key].sample(rng, runs) if key in estimates else np.full(runs, fixed.seconds)

    finish = {SUPPLIER: np.zeros(runs)}
    for node in (*stream.flow_order(), CUSTOMER):
        arrival = np.zeros(runs)
        for handoff in stream.incoming(node):
            arrival = np.maximum(arrival, finish[handoff.source] + draw(handoff.key, stream.wait_of(handoff)))
        finish[node] = arrival if node == CUSTOMER else arrival + draw(node, stream.step(node).elapsed)
    return finish[CUSTOMER]


def measured_estimates(log: EventLog, stream: ValueStream | None = None) -> dict[object, Empirical]:
    """Measured distributions from a log: per step, per handoff, one value per item.

    A step's value for an item is the total time of its visits to the step (rework
    included); a handoff's is the item's total wait on it. Times are counted on the
    log's calendar. Keys are the log's step names and ``(from, to)`` pairs, which
    `lead_time_forecast` matches to the map's steps by id or name.

    Parameters
    ----------
    log : EventLog
    stream : ValueStream, optional
        Keep only the steps and handoffs this map has (a map has no arrows back, so the
        waits of rework loops are left out).

    Returns
    -------
    dict
    """
    timeline = Timeline.of(log)
    frame = timeline.frame
    visits = frame[(frame["kind"] == "active") & (frame["_e"] != NOT_A_TIME)]
    lengths = pd.Series(counted_seconds(log.calendar, visits["_s"], visits["_e"]), index=visits.index)
    estimates: dict[object, Empirical] = {}
    per_item = lengths.groupby([visits["step"], visits["item"]]).sum()
    for step, values in per_item.groupby(level=0):
        estimates[step] = Empirical(tuple(values.to_numpy(dtype=float)))
    table = handoffs(timeline)
    table = table.assign(wait=counted_seconds(log.calendar, table["a"], table["b"]))
    for (source, target), values in table.groupby(["source", "target"])["wait"]:
        per_handoff = values.groupby(table.loc[values.index, "item"]).sum()
        estimates[(source, target)] = Empirical(tuple(per_handoff.to_numpy(dtype=float)))
    if stream is None:
        return estimates
    return {key: value for key, value in estimates.items() if _locate(stream, key) is not None}


def daily_throughput(log: EventLog, days: int | None = None) -> pd.Series:
    """Items finished per counted day of the log's history (zero on days that finished none).

    Parameters
    ----------
    log : EventLog
    days : int, optional
        Keep only the last `days` counted days.

    Returns
    -------
    Series
        Finished items indexed by day. On a working calendar only working days are
        listed, and an item finished on a weekend or holiday counts on the next working day.
    """
    return _counted_days(log, days)[0]


def _counted_days(log: EventLog, days: int | None) -> tuple[pd.Series, int]:
    """`daily_throughput`, and how many of its items finished on a non-working day and were moved on."""
    table = throughput(log, "D").groupby("period_start")["finished"].sum()
    moved_on = 0
    if log.calendar.working:
        mask, holidays = _weekmask(log), list(log.calendar.holidays)
        dates = pd.DatetimeIndex(table.index).values.astype("datetime64[D]")
        working = np.is_busday(dates, weekmask=mask, holidays=holidays)
        moved_on = int(table[~working].sum())
        # Work finished on a Saturday is delivered as far as the stream's counted days go on Monday.
        rolled = np.busday_offset(dates, 0, roll="forward", weekmask=mask, holidays=holidays)
        table = table.groupby(pd.DatetimeIndex(rolled), sort=True).sum()
        table.index.name = "period_start"
    return (table.iloc[-days:] if days else table), moved_on


def _weekmask(log: EventLog) -> list[int]:
    return [1 if day in log.calendar.weekdays else 0 for day in range(7)]


def _history(source: EventLog | pd.Series, days: int | None) -> tuple[np.ndarray, pd.Timestamp, list[int], list, int]:
    """Daily counts, the first day to forecast, the calendar's weekmask and holidays, and the items moved on."""
    moved_on = 0
    if isinstance(source, EventLog):
        history, moved_on = _counted_days(source, days)
        mask = _weekmask(source) if source.calendar.working else [1] * 7
        holidays = list(source.calendar.holidays) if source.calendar.working else []
    else:
        history = source.iloc[-days:] if days else source
        mask, holidays = [1] * 7, []
    counts = history.to_numpy(dtype=float)
    if len(counts) == 0 or counts.sum() == 0:
        raise VsmInputError(
            "no item finished in the throughput history, so there is nothing to resample",
            "Use a longer history, or a log with finished items",
        )
    last = pd.Timestamp(history.index[-1]).tz_localize(None).normalize()
    first = np.busday_offset(np.datetime64(last.date()) + ONE_DAY, 0, roll="forward", weekmask=mask, holidays=holidays)
    return counts, pd.Timestamp(first), mask, holidays, moved_on


def when_done(
    source: EventLog | pd.Series,
    items: int,
    *,
    history_days: int | None = None,
    runs: int = RUNS,
    seed: int | None = None,
    reruns: int = RERUNS,
) -> Forecast:
    """When will `items` more items be done? Resamples the daily throughput of the history.

    Parameters
    ----------
    source : EventLog or Series
        A log, or finished items per day (on calendar days).
    items : int
        How many items remain.
    history_days : int, optional
        Use only the last counted days of the history.
    runs, seed, reruns
        As for `lead_time_forecast`.

    Returns
    -------
    Forecast
        For 50, 85 and 95 % probability: ``date`` (done on or before it) and ``days`` (counted
        days from the first forecast day, that day included), with ``moved`` in days.
    """
    if items < 1:
        raise VsmInputError(f"asked when {items} items will be done", "Give 1 item or more")
    counts, first, mask, holidays, moved_on = _history(source, history_days)
    recorded, rngs = generators(seed, reruns)
    outcomes = [_days_to_finish(counts, items, rng, runs) for rng in rngs]
    quantiles = [percentiles(o, PERCENTILES, outcomes=True) for o in outcomes]
    days = quantiles[0].astype(int)
    dates = np.busday_offset(np.datetime64(first.date()), days - 1, weekmask=mask, holidays=holidays)
    table = pd.DataFrame(
        {"probability": [p / 100 for p in PERCENTILES], "date": pd.to_datetime(dates).date, "days": days}
    )
    table["moved"] = moved(quantiles)
    notes = _throughput_notes(counts, first, mask, moved_on)
    return Forecast(f"when {items} items will be done", table, "days", recorded, runs, reruns, outcomes[0], notes)


def _days_to_finish(counts: np.ndarray, items: int, rng: np.random.Generator, runs: int) -> np.ndarray:
    # Twice the mean's estimate covers nearly every run; the rare slow ones get more days drawn.
    horizon = max(1, math.ceil(items / counts.mean() * 2))
    daily = rng.choice(counts, size=(runs, horizon))
    while True:
        totals = daily.cumsum(axis=1)
        if (totals[:, -1] >= items).all():
            return (totals >= items).argmax(axis=1) + 1
        daily = np.concatenate([daily, rng.choice(counts, size=(runs, horizon))], axis=1)


def how_many(
    source: EventLog | pd.Series,
    by: pd.Timestamp | str,
    *,
    history_days: int | None = None,
    runs: int = RUNS,
    seed: int | None = None,
    reruns: int = RERUNS,
) -> Forecast:
    """How many items will be finished by a date? Resamples the daily throughput of the history.

    Parameters
    ----------
    source : EventLog or Series
        A log, or finished items per day.
    by : Timestamp or str
        The last day counted (included).
    history_days, runs, seed, reruns
        As for `when_done`.

    Returns
    -------
    Forecast
        For 50, 85 and 95 % probability: ``items`` (at least this many), with ``moved``.
    """
    counts, first, mask, holidays, moved_on = _history(source, history_days)
    end = pd.Timestamp(by).tz_localize(None).normalize() if pd.Timestamp(by).tzinfo else pd.Timestamp(by).normalize()
    days = int(
        np.busday_count(
            np.datetime64(first.date()), np.datetime64(end.date()) + ONE_DAY, weekmask=mask, holidays=holidays
        )
    )
    if days < 1:
        raise VsmInputError(f"{end.date()} is not after the history ends", f"Give a date from {first.date()} on")
    recorded, rngs = generators(seed, reruns)
    outcomes = [rng.choice(counts, size=(runs, days)).sum(axis=1) for rng in rngs]
    lower = [100 - p for p in PERCENTILES]
    quantiles = [percentiles(o, lower, outcomes=True) for o in outcomes]
    table = pd.DataFrame({"probability": [p / 100 for p in PERCENTILES], "items": quantiles[0].astype(int)})
    table["moved"] = moved(quantiles)
    notes = {
        **_throughput_notes(counts, first, mask, moved_on),
        "days forecast": f"{days} counted days to {end.date()}",
    }
    return Forecast(f"items finished by {end.date()}", table, "items", recorded, runs, reruns, outcomes[0], notes)


def _throughput_notes(counts: np.ndarray, first: pd.Timestamp, mask: list[int], moved_on: int) -> dict[str, str]:
    days = "every day" if all(mask) else "working days only"
    notes = {
        "history": f"{len(counts)} counted days, {counts.sum():g} items finished ({counts.mean():.2f} a day)",
        "model": "each future day's throughput is drawn from the history's days, with replacement",
        "first forecast day": f"{first.date()} ({days})",
    }
    if not all(mask):
        notes["non-working days"] = (
            f"{moved_on} items finished on a weekend or holiday, counted on the next working day"
        )
    return notes
