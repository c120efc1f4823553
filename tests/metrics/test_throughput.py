import pandas as pd
import pytest

from tests.flow_logs import visit_log
from vsm_widgets.calendar import Calendar
from vsm_widgets.metrics import flow


def typed_log(calendar=None):
    return visit_log(
        [
            ("T1", "Build", "2026-01-05 09:00", "2026-01-06 10:00", "active", "Feature"),
            ("T2", "Build", "2026-01-07 09:00", "2026-01-09 17:00", "active", "Defect"),
            ("T3", "Build", "2026-01-08 09:00", "2026-01-19 10:00", "active", "Feature"),
            ("T4", "Build", "2026-01-19 09:00", None, "active", "Feature"),
        ],
        as_of="2026-01-21 12:00",
        calendar=calendar,
    )


def mondays(*days):
    return [pd.Timestamp(day) for day in days]


def test_weekly_throughput_by_type_with_empty_weeks():
    table = flow.throughput(typed_log())
    assert list(table.columns) == ["period_start", "type", "finished"]
    # Weeks start on Monday: 01-05, 01-12, 01-19. T1 and T2 finish in the first, T3 in the third; none in the second.
    assert list(table["period_start"]) == mondays(*["2026-01-05"] * 2, *["2026-01-12"] * 2, *["2026-01-19"] * 2)
    assert list(table["type"]) == ["Defect", "Feature"] * 3
    assert list(table["finished"]) == [1, 1, 0, 0, 0, 1]


def test_throughput_without_types_is_labelled_all():
    log = visit_log(
        [
            ("A", "Build", "2026-01-05 09:00", "2026-01-05 10:00"),
            ("B", "Build", "2026-01-06 09:00", "2026-01-06 10:00"),
        ],
        as_of="2026-01-07 00:00",
    )
    daily = flow.throughput(log, "D")
    assert list(daily["type"]) == ["all"] * 3
    # One finished on 01-05, one on 01-06, none on 01-07 (up to as_of at midnight).
    assert list(daily["finished"]) == [1, 1, 0]


def test_arrivals_and_departures_by_hand():
    table = flow.arrivals_departures(typed_log())
    # Started: T1, T2, T3 in the first week, T4 in the third; finished: T1, T2, then T3.
    assert list(table["arrivals"]) == [3, 0, 1]
    assert list(table["departures"]) == [2, 0, 1]
    assert list(table["cumulative_arrivals"]) == [3, 3, 4]
    assert list(table["cumulative_departures"]) == [2, 2, 3]


def test_flow_distribution():
    table = flow.flow_distribution(typed_log())
    # Finished: T1 and T3 are features, T2 a defect; T4 is unfinished and not counted.
    assert table.to_dict("list") == {"type": ["Feature", "Defect"], "finished": [2, 1], "share": [2 / 3, 1 / 3]}


def test_throughput_rate_on_calendar_time():
    # Window 01-05 09:00 to 01-21 12:00 = 16 days and 3 h = 16.125 days; 3 items finished.
    log = typed_log()
    assert flow.throughput_rate(log, "days") == pytest.approx(3 / 16.125)
    assert flow.throughput_rate(log, "weeks") == pytest.approx(7 * 3 / 16.125)


def test_throughput_rate_on_working_time_is_not_diluted_by_weekends():
    log = typed_log(Calendar.working_time())
    # Working time from Mon 01-05 09:00 to Wed 01-21 12:00: two weeks (80 h) + Mon 8 h + Tue 8 h + Wed 3 h = 99 h,
    # 12.375 working days; a working week is 5 of them.
    assert flow.throughput_rate(log, "days") == pytest.approx(3 / 12.375)
    assert flow.throughput_rate(log, "weeks") == pytest.approx(5 * 3 / 12.375)
    with pytest.raises(ValueError, match="per must be"):
        flow.throughput_rate(log, "months")


def test_periods_follow_the_calendar_time_zone():
    log = visit_log([("A", "Build", "2026-01-11 20:00", "2026-01-11 23:30")], as_of="2026-01-13 00:00")
    # Done Sunday 23:30 UTC: the week of 01-05 in UTC, but Monday 00:30 in Berlin, the week of 01-12.
    utc = flow.throughput(log)
    assert utc.loc[utc["finished"] == 1, "period_start"].tolist() == mondays("2026-01-05")
    berlin = flow.throughput(log.replace(calendar=Calendar(timezone="Europe/Berlin")))
    assert berlin.loc[berlin["finished"] == 1, "period_start"].tolist() == mondays("2026-01-12")


def test_monthly_periods():
    table = flow.throughput(typed_log(), "MS")
    assert list(table["period_start"].unique()) == [pd.Timestamp("2026-01-01")]
    assert table.groupby("type")["finished"].sum().to_dict() == {"Defect": 1, "Feature": 2}
