"""Time series made short enough to draw, whatever the span of the export.

Layer 2, beside the flow metrics. Per-period tables (throughput, arrivals and
departures, cumulative flow) are merged into longer periods (day, week, month,
quarter, year) until they fit a row budget: counts per period add up, and a
cumulative or end-of-period value keeps the last one. The WIP step function
becomes WIP at the end of each period and its peak within the period.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

# Longer and longer periods, each named as axis titles print it.
PERIODS = (("D", "day"), ("W", "week"), ("M", "month"), ("Q", "quarter"), ("Y", "year"))
_PERIOD_DAYS = ((1, "day"), (7, "week"), (30.4, "month"), (91.3, "quarter"), (365.2, "year"))


def period_starts(stamps: pd.Series, freq: str) -> pd.Series:
    """The start of the day, week (Monday), month, quarter or year each timestamp falls in, time zone kept.

    Examples
    --------
    >>> stamps = pd.Series(pd.to_datetime(["2026-01-07 15:00"]).tz_localize("UTC"))
    >>> period_starts(stamps, "W").dt.strftime("%Y-%m-%d").tolist()
    ['2026-01-05']
    """
    zone = stamps.dt.tz
    naive = stamps.dt.tz_localize(None) if zone is not None else stamps
    starts = naive.dt.to_period(freq).dt.start_time.astype(naive.dtype)
    return starts.dt.tz_localize(zone) if zone is not None else starts


def period_name(stamps: pd.Series | Sequence[pd.Timestamp]) -> str:
    """The length of the periods that start at `stamps`, by their typical spacing: ``"week"``, ``"month"`` ...

    Examples
    --------
    >>> period_name(pd.Series(pd.date_range("2026-01-05", periods=4, freq="W-MON")))
    'week'
    """
    unique = pd.Series(pd.to_datetime(pd.Series(stamps)).drop_duplicates().sort_values())
    if len(unique) < 2:
        return "period"
    days = unique.diff().dropna().median() / pd.Timedelta(days=1)
    return min(_PERIOD_DAYS, key=lambda pair: abs(np.log(pair[0] / max(days, 1e-9))))[1]


def coarsen(
    frame: pd.DataFrame,
    time: str,
    sums: Sequence[str] = (),
    lasts: Sequence[str] = (),
    by: Sequence[str] = (),
    max_rows: int = 2000,
) -> tuple[pd.DataFrame, str]:
    """Merge consecutive periods until the table has at most `max_rows` rows.

    Parameters
    ----------
    frame : DataFrame
        One row per period (and per group of `by`), starting at `time`.
    time : str
        The column with each period's start.
    sums : sequence of str
        Counts per period: added up over the merged periods.
    lasts : sequence of str
        Values at the end of a period (cumulative counts, items in a state):
        the last one of the merged periods is kept.
    by : sequence of str
        Grouping columns kept as they are (type, state).
    max_rows : int
        The row budget.

    Returns
    -------
    (DataFrame, str)
        The table with the same columns, and the name of its period (``"week"`` ...).

    Examples
    --------
    >>> days = pd.DataFrame({"period_start": pd.date_range("2026-01-05", periods=14, tz="UTC"), "finished": 1})
    >>> weeks, name = coarsen(days, "period_start", sums=["finished"], max_rows=5)
    >>> name, weeks["finished"].tolist()
    ('week', [7, 7])
    """
    if len(frame) <= max_rows or frame.empty:
        return frame.reset_index(drop=True), period_name(frame[time]) if not frame.empty else "period"
    ordered = frame.sort_values(time, kind="stable")
    groups = len(ordered.drop_duplicates(list(by))) if by else 1
    for freq, name in PERIODS[1:]:
        starts = period_starts(ordered[time], freq)
        if starts.nunique() * groups > max_rows and freq != PERIODS[-1][0]:
            continue
        keyed = ordered.assign(**{time: starts})
        aggregations = {**{column: "sum" for column in sums}, **{column: "last" for column in lasts}}
        merged = keyed.groupby([time, *by], sort=True, observed=True, dropna=False).agg(aggregations).reset_index()
        return merged[list(frame.columns.intersection(merged.columns))], name
    raise AssertionError("the last period always returns")


def wip_by_period(wip: pd.DataFrame, max_periods: int = 400) -> tuple[pd.DataFrame, str]:
    """WIP at the end of each period and its peak within it, in the shortest period that fits `max_periods`.

    Parameters
    ----------
    wip : DataFrame
        The step function of `vsm_widgets.metrics.flow.wip_series`: ``time`` and ``wip``
        (the WIP from that moment until the next row).
    max_periods : int
        The most periods to return.

    Returns
    -------
    (DataFrame, str)
        ``period_start``, ``wip_end`` and ``wip_peak``, and the period's name.

    Examples
    --------
    >>> steps = pd.DataFrame({"time": pd.to_datetime(["2026-01-05 09:00", "2026-01-05 12:00",
    ...     "2026-01-06 10:00"]).tz_localize("UTC"), "wip": [1, 3, 2]})
    >>> table, name = wip_by_period(steps)
    >>> name, table["wip_end"].tolist(), table["wip_peak"].tolist()
    ('day', [3, 2], [3, 3])
    """
    columns = ["period_start", "wip_end", "wip_peak"]
    if wip.empty:
        return pd.DataFrame(columns=columns), "period"
    ordered = wip.sort_values("time", kind="stable")
    first, last = ordered["time"].iloc[0], ordered["time"].iloc[-1]
    freq, name = next(((f, n) for f, n in PERIODS if _period_count(first, last, f) <= max_periods), PERIODS[-1])
    starts = period_starts(ordered["time"], freq)
    span = pd.period_range(_naive(first), _naive(last), freq=freq)
    values = ordered.assign(period_start=starts).groupby("period_start", sort=True)["wip"]
    every = pd.DatetimeIndex(span.start_time).as_unit(starts.dt.unit)
    if starts.dt.tz is not None:
        every = every.tz_localize(starts.dt.tz)
    end = values.last().reindex(every)
    carried = end.ffill().shift(1)
    end = end.ffill()
    peak = np.fmax(values.max().reindex(every).to_numpy(dtype=float), carried.to_numpy(dtype=float))
    table = pd.DataFrame({"period_start": every, "wip_end": end.to_numpy(), "wip_peak": peak})
    table["wip_peak"] = table["wip_peak"].fillna(table["wip_end"])
    return table.astype({"wip_end": int, "wip_peak": int}), name


def _naive(stamp: pd.Timestamp) -> pd.Timestamp:
    return stamp.tz_localize(None) if stamp.tzinfo is not None else stamp


def _period_count(first: pd.Timestamp, last: pd.Timestamp, freq: str) -> int:
    return len(pd.period_range(_naive(first), _naive(last), freq=freq))
