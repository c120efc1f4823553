import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings

from tests.flow_logs import STEPS, random_logs, visit_log
from vsm_widgets.calendar import Calendar
from vsm_widgets.metrics import flow
from vsm_widgets.metrics.wip import aging_against_finished


def utc(text):
    return pd.Timestamp(text, tz="UTC")


def three_items():
    return visit_log(
        [
            # A: 01-05 09:00 to 01-06 10:00 (25 h); B: 01-05 10:00 to 15:00 (5 h); C: from 01-07 09:00, open.
            ("A", "Build", "2026-01-05 09:00", "2026-01-05 11:00"),
            ("A", "Test", "2026-01-06 09:00", "2026-01-06 10:00"),
            ("B", "Build", "2026-01-05 10:00", "2026-01-05 15:00"),
            ("C", "Build", "2026-01-07 09:00", None),
        ],
        as_of="2026-01-08 09:00",
        steps=("Build", "Test"),
    )


def test_wip_series_by_hand():
    series = flow.wip_series(three_items())
    assert list(series["time"]) == [
        utc("2026-01-05 09:00"),  # A starts: 1
        utc("2026-01-05 10:00"),  # B starts: 2
        utc("2026-01-05 15:00"),  # B done: 1
        utc("2026-01-06 10:00"),  # A done: 0
        utc("2026-01-07 09:00"),  # C starts: 1
        utc("2026-01-08 09:00"),  # as_of: the window ends, C still in progress
    ]
    assert list(series["wip"]) == [1, 2, 1, 0, 1, 1]


def test_wip_mean_is_time_weighted():
    # Item-hours in progress: A 25 + B 5 + C 24 (to as_of) = 54, over the 72 h from 01-05 09:00 to 01-08 09:00.
    assert flow.wip_mean(three_items()) == pytest.approx(54 / 72)
    # Only the first day, 01-05 09:00 to 01-06 09:00: A 24 h + B 5 h = 29 item-hours in 24 h.
    assert flow.wip_mean(three_items(), end="2026-01-06 09:00") == pytest.approx(29 / 24)


def test_a_window_that_ends_before_it_starts_says_what_to_pass():
    # as_of is 01-08 09:00, so an end of 01-10 stops there, before the start of 01-09.
    with pytest.raises(ValueError, match=r"ends \(2026-01-08 09:00:00\+00:00\) before it starts \(2026-01-09"):
        flow.wip_mean(three_items(), start="2026-01-09", end="2026-01-10")


def test_simultaneous_changes_make_one_row():
    log = visit_log(
        [
            ("A", "Build", "2026-01-05 09:00", "2026-01-05 10:00"),
            ("B", "Build", "2026-01-05 10:00", "2026-01-05 11:00"),
        ],
        as_of="2026-01-05 11:00",
    )
    series = flow.wip_series(log)
    # At 10:00 A finishes as B starts: WIP stays 1, in one row; B's finish coincides with as_of.
    assert list(series["time"]) == [utc("2026-01-05 09:00"), utc("2026-01-05 10:00"), utc("2026-01-05 11:00")]
    assert list(series["wip"]) == [1, 1, 0]


def test_wip_mean_on_working_time():
    log = visit_log(
        [
            # P: Fri 2026-04-10 09:00 to Mon 04-13 17:00; Q: Mon 09:00 to 13:00.
            ("P", "Build", "2026-04-10 09:00", "2026-04-13 17:00"),
            ("Q", "Build", "2026-04-13 09:00", "2026-04-13 13:00"),
        ],
        as_of="2026-04-13 17:00",
        calendar=Calendar.working_time(),
    )
    # Working time: window Fri 8 h + Mon 8 h = 16 h; item-hours P 16 + Q 4 = 20; 20 / 16.
    assert flow.wip_mean(log) == pytest.approx(1.25)
    # Calendar time: window 3 days 8 h = 80 h; item-hours 80 + 4 = 84; the weekend counts.
    assert flow.wip_mean(log.replace(calendar=Calendar())) == pytest.approx(84 / 80)


@settings(max_examples=40, deadline=None)
@given(random_logs())
def test_wip_series_is_never_negative_and_integrates_to_the_mean(case):
    rows, as_of = case
    log = visit_log(rows, as_of=as_of, steps=STEPS)
    series = flow.wip_series(log)
    assert (series["wip"] >= 0).all()
    assert series["time"].is_monotonic_increasing
    assert series["time"].iloc[-1] == log.as_of
    hours = series["time"].diff().dt.total_seconds().to_numpy()[1:] / 3600
    window = (log.as_of - log.items["started"].min()).total_seconds() / 3600
    if window > 0:
        area = float(np.sum(series["wip"].to_numpy()[:-1] * hours))
        assert flow.wip_mean(log) == pytest.approx(area / window)


def status_history():
    return visit_log(
        [
            ("S1", "Backlog", "2026-01-05 09:00", "2026-01-05 12:00", "waiting"),
            ("S1", "Dev", "2026-01-05 12:00", "2026-01-06 10:00"),
            ("S1", "Ready for test", "2026-01-06 10:00", "2026-01-07 09:00", "waiting"),
            ("S1", "Test", "2026-01-07 09:00", "2026-01-07 15:00"),
            ("S2", "Backlog", "2026-01-06 09:00", "2026-01-07 11:00", "waiting"),
            ("S2", "Dev", "2026-01-07 11:00", None),
            ("S3", "Backlog", "2026-01-08 08:00", None, "waiting"),
        ],
        as_of="2026-01-08 12:00",
        steps=("Dev", "Test"),
    )


def cfd_table(frame):
    return frame.pivot(index="date", columns="state", values="items")


def test_cumulative_flow_by_hand():
    cfd = flow.cumulative_flow(status_history())
    # States in flow order: items first enter Backlog, then Dev, Ready for test, Test; done last.
    assert list(dict.fromkeys(cfd["state"])) == ["Backlog", "Dev", "Ready for test", "Test", "done"]
    assert len(cfd) == 4 * 5
    table = cfd_table(cfd)
    expected = pd.DataFrame(
        {
            # End of 01-05: S1 in Dev since 12:00; S2 not started.
            "2026-01-05": [0, 1, 0, 0, 0],
            # End of 01-06: S1 waits in Ready for test, S2 in Backlog.
            "2026-01-06": [1, 0, 1, 0, 0],
            # End of 01-07: S1 done at 15:00, S2 in Dev since 11:00.
            "2026-01-07": [0, 1, 0, 0, 1],
            # 01-08 is counted at as_of 12:00: S3 entered Backlog at 08:00.
            "2026-01-08": [1, 1, 0, 0, 1],
        },
        index=["Backlog", "Dev", "Ready for test", "Test", "done"],
    ).T
    expected.index = pd.to_datetime(expected.index)
    assert list(table.index) == list(expected.index)
    np.testing.assert_array_equal(table[expected.columns].to_numpy(), expected.to_numpy())


def test_cumulative_flow_counts_created_items_before_their_first_visit():
    log = status_history()
    # S2 was requested on 01-05 at 18:00, a day before it entered the backlog.
    items = log.items.assign(started=log.items["started"].where(log.items["item"] != "S2", utc("2026-01-05 18:00")))
    cfd = flow.cumulative_flow(log.replace(items=items))
    assert list(dict.fromkeys(cfd["state"]))[0] == "created"
    table = cfd_table(cfd)
    assert table.loc["2026-01-05", "created"] == 1
    assert table.loc["2026-01-06", "created"] == 0


def test_aging_wip():
    aging = flow.aging_wip(status_history())
    assert list(aging.columns) == ["item", "type", "step", "kind", "age_hours", "step_age_hours"]
    assert list(aging["item"]) == ["S2", "S3"]
    s2, s3 = aging.iloc[0], aging.iloc[1]
    # S2: started 01-06 09:00, as_of 01-08 12:00 = 51 h; in Dev since 01-07 11:00 = 25 h.
    assert (s2["step"], s2["kind"], s2["age_hours"], s2["step_age_hours"]) == ("Dev", "active", 51.0, 25.0)
    # S3 waits in the backlog since 08:00: 4 h.
    assert (s3["step"], s3["kind"], s3["age_hours"], s3["step_age_hours"]) == ("Backlog", "waiting", 4.0, 4.0)
    assert s3["type"] == "all"


def test_aging_wip_prefers_the_open_visit():
    log = visit_log(
        [
            ("P", "Dev", "2026-01-07 00:00", None),
            ("P", "Review", "2026-01-07 06:00", "2026-01-07 08:00"),
        ],
        as_of="2026-01-08 12:00",
        steps=("Dev", "Review"),
    )
    row = flow.aging_wip(log).iloc[0]
    # Review started later but is over: the item is still in Dev, for 36 h.
    assert (row["step"], row["step_age_hours"]) == ("Dev", 36.0)


def test_aging_wip_of_an_item_with_no_visit_yet():
    log = status_history()
    extra = pd.DataFrame(
        {
            "item": ["S9"],
            "type": [pd.NA],
            "started": [utc("2026-01-08 10:00")],
            "done": pd.Series([pd.NaT], dtype=log.items["done"].dtype),
            "finished": [False],
        }
    )
    aging = flow.aging_wip(log.replace(items=pd.concat([log.items, extra], ignore_index=True)))
    row = aging.set_index("item").loc["S9"]
    # Requested at 10:00 and not yet in any state: "created" for 2 h.
    assert (row["step"], row["kind"], row["age_hours"], row["step_age_hours"]) == ("created", "waiting", 2.0, 2.0)


def test_aging_against_finished_counts_items_older_than_the_85th_percentile():
    aging = pd.DataFrame({"age_hours": [5.0, 37.0, 38.0, 100.0]})
    # finished lead times 10, 20, 30, 40 h: rank 0.85 * 3 = 2.55, so 30 + 0.55 * 10 = 35.5 h
    items = pd.DataFrame(
        {"finished": [True, True, True, True, False], "lead_time_hours": [40.0, 10.0, 30.0, 20.0, np.nan]}
    )
    against = aging_against_finished(aging, items)
    assert (against.in_progress, against.older, against.finished) == (4, 3, 4)
    assert against.p85_hours == pytest.approx(35.5)


def test_aging_against_nothing_finished_counts_no_item_as_older():
    against = aging_against_finished(
        pd.DataFrame({"age_hours": [5.0]}), pd.DataFrame(columns=["finished", "lead_time_hours"])
    )
    assert (against.in_progress, against.older, against.finished) == (1, 0, 0) and np.isnan(against.p85_hours)
