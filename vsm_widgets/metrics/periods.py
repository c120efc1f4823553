"""Calendar periods for tables over time: days, weeks, months, in the calendar's time zone.

A period table covers the log's window, from the period holding the first
``started`` to the one holding ``as_of``. ``freq`` is a pandas offset alias and
the period starts are the dates `pandas.date_range` gives for it: ``"D"`` days
from local midnight, ``"W-MON"`` weeks starting on Monday (``"W"`` alone means
``"W-SUN"``: weeks starting on Sunday), ``"MS"`` months, ``"QS"`` quarters.
Starts are naive timestamps on the wall clock of ``log.calendar.timezone``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from vsm_widgets.exceptions import VsmInputError
from vsm_widgets.model.event_log import EventLog
from vsm_widgets.timestamps import NOT_A_TIME, nanoseconds


def period_edges(log: EventLog, freq: str) -> pd.DatetimeIndex:
    """Starts of the periods from the one holding the first ``started`` to the one holding ``as_of``.

    Parameters
    ----------
    log : EventLog
    freq : str
        A pandas offset alias.

    Returns
    -------
    DatetimeIndex
        Naive local timestamps on the calendar's wall clock; empty for a log without items.

    Raises
    ------
    ValueError
        If `freq` is not a pandas offset alias.
    """
    zone = log.calendar.timezone
    try:
        offset = pd.tseries.frequencies.to_offset(freq)
    except ValueError:
        raise VsmInputError(
            f"freq {freq!r} is not a pandas offset alias; use 'D' (days), 'W-MON' (weeks from Monday), "
            "'MS' (months) or 'QS' (quarters)"
        ) from None
    if not len(log.items):
        return pd.DatetimeIndex([], dtype="datetime64[ns]")
    first = pd.Timestamp(log.items["started"].min()).tz_convert(zone).tz_localize(None).normalize()
    last = pd.Timestamp(log.as_of).tz_convert(zone).tz_localize(None)
    begin = offset.rollback(first)
    return pd.date_range(begin, max(last, begin), freq=offset).as_unit("ns")


def period_instants(log: EventLog, edges: pd.DatetimeIndex) -> np.ndarray:
    """The instants at which local period starts occur, as UTC nanoseconds.

    A local start that a daylight-saving change skips moves forward to the first
    instant that exists; one that occurs twice takes its first occurrence.

    Parameters
    ----------
    log : EventLog
    edges : DatetimeIndex
        From `period_edges`.

    Returns
    -------
    numpy.ndarray of int64
    """
    local = pd.DatetimeIndex(edges).tz_localize(
        log.calendar.timezone, ambiguous=np.ones(len(edges), dtype=bool), nonexistent="shift_forward"
    )
    return nanoseconds(local)


def period_of(log: EventLog, edges: pd.DatetimeIndex, stamps_ns: np.ndarray) -> np.ndarray:
    """Which period each instant falls in.

    Parameters
    ----------
    log : EventLog
    edges : DatetimeIndex
        From `period_edges`.
    stamps_ns : numpy.ndarray of int64
        UTC nanoseconds; `NOT_A_TIME` for missing.

    Returns
    -------
    numpy.ndarray of int
        Index into `edges`; -1 before the first period or when missing.
    """
    index = np.searchsorted(period_instants(log, edges), stamps_ns, side="right") - 1
    return np.where(stamps_ns == NOT_A_TIME, -1, index)
