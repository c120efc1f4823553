import numpy as np
import pandas as pd
import pytest

from tests.flow_logs import visit_log
from vsm_widgets.calendar import Calendar
from vsm_widgets.metrics.periods import period_edges, period_instants, period_of
from vsm_widgets.timestamps import NOT_A_TIME, nanoseconds


def log_in(zone, start="2026-03-26 12:00", as_of="2026-04-01 12:00"):
    return visit_log([("A", "Build", start, "2026-03-31 12:00")], as_of=as_of, calendar=Calendar(timezone=zone))


def test_weeks_start_on_the_monday_before_the_first_item():
    edges = period_edges(log_in("UTC"), "W-MON")
    # Thursday 03-26 falls in the week of Monday 03-23; as_of Wed 04-01 in the week of 03-30.
    assert list(edges) == [pd.Timestamp("2026-03-23"), pd.Timestamp("2026-03-30")]


def test_days_start_at_local_midnight_across_a_clock_change():
    log = log_in("Europe/Berlin")
    edges = period_edges(log, "D")
    assert edges[0] == pd.Timestamp("2026-03-26") and edges[-1] == pd.Timestamp("2026-04-01")
    instants = period_instants(log, edges)
    hours = np.diff(instants) / 3.6e12
    # Days 03-26 to 03-31: each lasts 24 h except 03-29 (the fourth), when Berlin springs forward: 23 h.
    assert list(hours) == [24, 24, 24, 23, 24, 24]


def test_a_midnight_skipped_by_the_clock_moves_forward():
    # Santiago springs forward at midnight on 2026-09-06: that day starts at 01:00 local (-03:00), 04:00 UTC.
    log = log_in("America/Santiago", start="2026-09-05 12:00", as_of="2026-09-07 12:00")
    instants = period_instants(log, pd.DatetimeIndex(["2026-09-06"]))
    assert instants[0] == nanoseconds(pd.Timestamp("2026-09-06 04:00", tz="UTC"))


def test_period_of():
    log = log_in("UTC")
    edges = period_edges(log, "W-MON")
    stamps = np.array(
        [
            nanoseconds(pd.Timestamp("2026-03-22 23:59", tz="UTC")),  # before the first period
            nanoseconds(pd.Timestamp("2026-03-23 00:00", tz="UTC")),
            nanoseconds(pd.Timestamp("2026-03-30 00:00", tz="UTC")),
            NOT_A_TIME,
        ]
    )
    assert list(period_of(log, edges, stamps)) == [-1, 0, 1, -1]


def test_an_unknown_freq_names_the_parameter_and_the_aliases_to_use():
    with pytest.raises(ValueError, match=r"freq 'weekly' is not a pandas offset alias; use 'D' \(days\), 'W-MON'"):
        period_edges(log_in("UTC"), "weekly")
