"""Little's law over a window of the log, with the assumptions it rests on checked against the data.

Average lead time = average WIP / average throughput holds only when arrivals
about equal departures over the window, all started work finishes, WIP is about
the same at both ends of the window and the age of WIP is not trending (DOMAIN
section 2). Each check reports whether it holds and the figures behind the
verdict; the thresholds below are documented in ``docs/metrics.md``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from vsm_widgets.metrics.throughput import throughput_rate
from vsm_widgets.metrics.visits import HOUR, ItemClock, clock_seconds, item_clock, window
from vsm_widgets.metrics.wip import wip_mean
from vsm_widgets.model.event_log import EventLog
from vsm_widgets.timestamps import NEVER

ARRIVALS_TOLERANCE = 0.10
STALE_WIP_SHARE = 0.05
WIP_ENDS_TOLERANCE = 0.20
AGE_TREND_TOLERANCE = 0.25
AGE_SAMPLES = 20


@dataclass(frozen=True)
class LittlesLaw:
    """Little's law over a window, with the assumptions it rests on checked against the data.

    Attributes
    ----------
    start, end : Timestamp
        The window: by default the log's first ``started`` to ``as_of``.
    wip_mean : float
        Time-weighted mean WIP over the window.
    throughput_per_day : float
        Items finished in the window per day of the log's calendar.
    predicted_lead_time_hours : float
        ``wip_mean / throughput``, in hours.
    observed_lead_time_mean_hours : float
        Mean lead time of the items finished in the window.
    assumptions : tuple of (str, bool, str)
        Name, whether it holds, and the figures behind the verdict.
    """

    start: pd.Timestamp
    end: pd.Timestamp
    wip_mean: float
    throughput_per_day: float
    predicted_lead_time_hours: float
    observed_lead_time_mean_hours: float
    assumptions: tuple[tuple[str, bool, str], ...]

    @property
    def holds(self) -> bool:
        """True when every assumption holds, so the prediction can be trusted."""
        return all(holds for _, holds, _ in self.assumptions)


def littles_law(
    log: EventLog, start: pd.Timestamp | str | None = None, end: pd.Timestamp | str | None = None
) -> LittlesLaw:
    """Check Little's law (lead time = WIP / throughput) over a window of the log.

    Parameters
    ----------
    log : EventLog
    start, end : Timestamp or str, optional
        The window; by default from the first ``started`` to ``as_of``. An export begins
        with nothing in progress, so a window that starts later leaves out the warm-up.

    Returns
    -------
    LittlesLaw
        See ``docs/metrics.md`` for the thresholds of each assumption.
    """
    clock = item_clock(log)
    low, high = window(log, start, end)
    high_clock = clock_seconds(log.calendar, np.array([high]))[0]
    mean_wip = wip_mean(log, start, end)
    per_day = throughput_rate(log, "days", start, end)
    in_progress_to = np.where(clock.finished, clock.close_ns, NEVER)
    departed = clock.finished & (clock.close_ns >= low) & (clock.close_ns <= high)
    arrivals = int(((clock.started_ns >= low) & (clock.started_ns <= high)).sum())
    lead = clock.seconds[departed] / HOUR
    per_hour = per_day / log.calendar.hours_per_day
    predicted = mean_wip / per_hour if per_hour > 0 else np.nan
    wip_before = int(((clock.started_ns < low) & (in_progress_to >= low)).sum())
    still = (clock.started_ns <= high) & (in_progress_to > high)
    checks = (
        _arrivals_check(arrivals, int(departed.sum())),
        _finishing_check(high_clock - clock.started[still], lead),
        _wip_ends_check(wip_before, int(still.sum()), mean_wip),
        _age_trend_check(log, clock, in_progress_to, low, high),
    )
    return LittlesLaw(
        pd.Timestamp(low, tz="UTC"),
        pd.Timestamp(high, tz="UTC"),
        mean_wip,
        float(per_day),
        float(predicted),
        float(lead.mean()) if len(lead) else np.nan,
        checks,
    )


def _arrivals_check(arrivals: int, departures: int) -> tuple[str, bool, str]:
    larger = max(arrivals, departures)
    gap = abs(arrivals - departures) / larger if larger else 0.0
    detail = (
        f"{arrivals} started and {departures} finished in the window: a gap of {gap:.0%} "
        f"(holds within {ARRIVALS_TOLERANCE:.0%})"
    )
    return ("arrivals about equal to departures", larger > 0 and gap <= ARRIVALS_TOLERANCE, detail)


def _finishing_check(ages: np.ndarray, lead_hours: np.ndarray) -> tuple[str, bool, str]:
    name = "all started work finishes"
    if not len(lead_hours):
        return (name, False, "no item finished in the window, so nothing shows that started work finishes")
    longest = float(lead_hours.max())
    stale = int((ages / HOUR > longest).sum())
    share = stale / len(ages) if len(ages) else 0.0
    detail = (
        f"{stale} of {len(ages)} items in progress are older than the longest lead time of finished work "
        f"({longest:,.1f} h) and may never finish (holds up to {STALE_WIP_SHARE:.0%} of WIP)"
    )
    return (name, share <= STALE_WIP_SHARE, detail)


def _wip_ends_check(wip_start: int, wip_end: int, mean_wip: float) -> tuple[str, bool, str]:
    tolerance = max(1.0, WIP_ENDS_TOLERANCE * (mean_wip if np.isfinite(mean_wip) else 0.0))
    detail = (
        f"WIP {wip_start} when the window opens and {wip_end} when it closes "
        f"(holds within {WIP_ENDS_TOLERANCE:.0%} of the mean WIP, at least 1 item: {tolerance:,.1f})"
    )
    return ("WIP about the same at both ends of the window", abs(wip_end - wip_start) <= tolerance, detail)


def _age_trend_check(
    log: EventLog, clock: ItemClock, in_progress_to: np.ndarray, low: int, high: int
) -> tuple[str, bool, str]:
    name = "age of WIP not trending"
    samples = low + (np.arange(1, AGE_SAMPLES + 1) * ((high - low) / AGE_SAMPLES)).astype(np.int64)
    # Items in progress at t: started <= t < done. Running sums of their clock starts give the mean age
    # at every sample at once; readings are taken from the window's start to keep the sums small.
    origin = clock_seconds(log.calendar, np.array([low]))[0]
    started = clock.started - origin
    by_start = np.argsort(clock.started_ns, kind="stable")
    by_end = np.argsort(in_progress_to, kind="stable")
    started_sum = np.concatenate([[0.0], np.cumsum(started[by_start])])
    ended_sum = np.concatenate([[0.0], np.cumsum(started[by_end])])
    arrived = np.searchsorted(clock.started_ns[by_start], samples, side="right")
    left = np.searchsorted(in_progress_to[by_end], samples, side="right")
    count = arrived - left
    valid = count > 0
    if valid.sum() < 3:
        return (name, False, "too few moments with work in progress to judge a trend")
    now = (clock_seconds(log.calendar, samples[valid]) - origin) / HOUR
    ages = now - (started_sum[arrived] - ended_sum[left])[valid] / count[valid] / HOUR
    # A window with no counted time between its samples (a weekend on working time) shows no trend.
    slope = np.polyfit(now, ages, 1)[0] if np.ptp(now) > 0 else 0.0
    change = slope * (now[-1] - now[0])
    level = ages.mean()
    detail = (
        f"mean age of WIP moves by {change:+,.1f} h across the window, against a mean of {level:,.1f} h "
        f"(least-squares line through {int(valid.sum())} evenly spaced moments; "
        f"holds within {AGE_TREND_TOLERANCE:.0%} of the mean)"
    )
    return (name, bool(abs(change) <= AGE_TREND_TOLERANCE * level), detail)
