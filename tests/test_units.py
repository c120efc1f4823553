import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vsm_widgets.calendar import Calendar
from vsm_widgets.exceptions import CalendarError
from vsm_widgets.units import ZERO, Duration, normalise_unit, parse_duration, parse_percent, unit_seconds

HOUR = 3600.0


def stamps(*texts, tz="UTC"):
    return pd.Series(pd.to_datetime(list(texts))).dt.tz_localize(tz)


def elapsed_hours(calendar, start, end, tz="UTC"):
    return calendar.elapsed_seconds(stamps(start, tz=tz), stamps(end, tz=tz))[0] / HOUR


# Durations and units


@pytest.mark.parametrize(
    ("text", "unit"),
    [("s", "seconds"), ("min", "minutes"), ("H", "hours"), (" hrs ", "hours"), ("d", "days"), ("wk", "weeks")],
)
def test_unit_aliases(text, unit):
    assert normalise_unit(text) == unit


def test_unknown_unit_is_refused():
    with pytest.raises(ValueError, match="unknown time unit 'fortnight'"):
        normalise_unit("fortnight")


def test_day_and_week_follow_the_day_length():
    assert unit_seconds("days") == 86400.0
    assert unit_seconds("days", hours_per_day=8) == 8 * HOUR
    # A working week is five working days; a calendar week is seven days of 24 h.
    assert unit_seconds("weeks", hours_per_day=8) == 5 * 8 * HOUR
    assert unit_seconds("weeks") == 7 * 24 * HOUR


@pytest.mark.parametrize("hours_per_day", [0, -8, 25])
def test_day_length_out_of_range_is_refused(hours_per_day):
    with pytest.raises(ValueError, match="hours_per_day"):
        unit_seconds("days", hours_per_day)


def test_duration_converts_with_the_day_length():
    two_days = Duration.of(2, "days", hours_per_day=8)
    assert two_days.seconds == 16 * HOUR
    assert two_days.to("hours") == 16.0
    # The same 16 hours are 2 working days of 8 h but 2/3 of a calendar day.
    assert two_days.to("days", hours_per_day=8) == 2.0
    assert two_days.to("days") == pytest.approx(2 / 3)
    assert Duration.of(1, "weeks", hours_per_day=8).to("days", hours_per_day=8) == 5.0


def test_duration_arithmetic():
    a, b = Duration.of(90, "minutes"), Duration.of(30, "minutes")
    assert (a + b).to("hours") == 2.0
    assert (a - b).to("minutes") == 60.0
    assert (a * 2).to("hours") == 3.0
    assert (2 * a).to("hours") == 3.0
    assert a / b == 3.0
    assert (a / 3).to("minutes") == 30.0
    assert math.isnan(a / ZERO)
    assert b < a
    assert not ZERO
    assert a


def test_duration_refuses_other_operands():
    with pytest.raises(TypeError):
        Duration(1.0) + 1
    with pytest.raises(TypeError):
        Duration(1.0) * Duration(1.0)


def test_duration_format():
    assert Duration.of(2.5, "hours").format("hours") == "2.5 hours"
    assert Duration.of(1, "days").format("days") == "1 day"
    assert Duration.of(5, "days", hours_per_day=8).format("days", hours_per_day=8) == "5 days"
    assert Duration.of(100, "minutes").format("hours", digits=0) == "2 hours"


@pytest.mark.parametrize(
    ("value", "unit", "hours_per_day", "seconds"),
    [
        (5, "days", 24, 5 * 86400),
        (2, "days", 8, 16 * HOUR),
        ("10 min", "days", 24, 600),
        ("2.5 h", "days", 24, 2.5 * HOUR),
        ("1 s", "hours", 24, 1),
        ("3", "hours", 24, 3 * HOUR),
        (" 1.5e1 minutes ", "days", 24, 900),
        ("1 week", "days", 8, 5 * 8 * HOUR),
        (0, "hours", 24, 0),
    ],
)
def test_parse_duration(value, unit, hours_per_day, seconds):
    assert parse_duration(value, unit, hours_per_day).seconds == pytest.approx(seconds)


def test_parse_duration_passes_durations_through():
    duration = Duration(42.0)
    assert parse_duration(duration, "days") is duration


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("ten minutes", "not a duration"),
        ("-3 h", "negative"),
        (-1, "negative"),
        (float("inf"), "not a finite duration"),
        (True, "not a duration"),
        (None, "not a duration"),
        ([1, "h"], "not a duration"),
        ("5 parsecs", "unknown time unit"),
    ],
)
def test_parse_duration_errors(value, message):
    with pytest.raises(ValueError, match=message):
        parse_duration(value, "hours")


@pytest.mark.parametrize(
    ("value", "share"),
    [("95%", 0.95), (" 95 % ", 0.95), ("0.95", 0.95), (0.95, 0.95), (1, 1.0), (0, 0.0), ("100%", 1.0), ("0%", 0.0)],
)
def test_parse_percent(value, share):
    assert parse_percent(value) == pytest.approx(share)


@pytest.mark.parametrize("value", [95, "150%", -0.1, "-5%", "abc", "%", True, None, float("nan"), [0.5]])
def test_parse_percent_errors(value):
    with pytest.raises(ValueError, match="percentage|share"):
        parse_percent(value)


# Calendars: parsing and describing


def test_parse_calendar_time():
    for spec in (None, "", "  ", "calendar", "CALENDAR"):
        assert Calendar.parse(spec) == Calendar()
    assert not Calendar.parse(None).working
    assert Calendar().hours_per_day == 24.0


def test_parse_working_defaults():
    calendar = Calendar.parse("working")
    assert calendar.working
    assert calendar.weekdays == (0, 1, 2, 3, 4)
    assert (calendar.day_start, calendar.day_end, calendar.timezone, calendar.holidays) == (9.0, 17.0, "UTC", ())
    assert calendar.hours_per_day == 8.0


def test_parse_every_working_option():
    calendar = Calendar.parse("working:tue-sat,08:30-16:00,tz=Europe/Berlin,holidays=2026-12-26;2026-12-25")
    assert calendar.weekdays == (1, 2, 3, 4, 5)
    assert (calendar.day_start, calendar.day_end) == (8.5, 16.0)
    # 08:30 to 16:00 is 7.5 hours.
    assert calendar.hours_per_day == 7.5
    assert calendar.timezone == "Europe/Berlin"
    assert calendar.holidays == (dt.date(2026, 12, 25), dt.date(2026, 12, 26))


@pytest.mark.parametrize(
    ("spec", "weekdays"),
    [
        ("working:sat", (5,)),
        ("working:fri-mon", (0, 4, 5, 6)),
        ("working:mon,wed,fri", (0, 2, 4)),
        ("working:Mon-Thu", (0, 1, 2, 3)),
    ],
)
def test_parse_weekdays(spec, weekdays):
    assert Calendar.parse(spec).weekdays == weekdays


def test_parse_hours_without_minutes():
    calendar = Calendar.parse("working:8-16")
    assert (calendar.day_start, calendar.day_end) == (8.0, 16.0)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("business", "unknown calendar"),
        ("working:mon-fry", "not a weekday range"),
        ("working:xyz", "not a weekday range"),
        ("working:09:00-25:00", "not a time of day"),
        ("working:09:75-17:00", "not a time of day"),
        ("working:nine-five", "not a time of day"),
        ("working:17:00-09:00", "not a span within one day"),
        ("working:tz=Mars/Olympus", "unknown time zone"),
        ("working:holidays=2026-13-01", "holiday list"),
        ("working:weekends", "not understood"),
    ],
)
def test_parse_calendar_errors(spec, message):
    with pytest.raises(CalendarError, match=message):
        Calendar.parse(spec)


def test_invalid_working_days_are_refused():
    with pytest.raises(CalendarError, match="weekdays"):
        Calendar(working=True, weekdays=())
    with pytest.raises(CalendarError, match="weekdays"):
        Calendar(working=True, weekdays=(0, 7))


def test_describe():
    assert Calendar().describe() == "calendar time (24 h a day, every day)"
    assert Calendar.parse("working").describe() == "working time (Mon-Fri 09:00-17:00 UTC)"
    assert (
        Calendar.parse("working:mon,wed,fri,08:30-16:30,tz=Europe/Berlin,holidays=2026-12-25").describe()
        == "working time (Mon,Wed,Fri 08:30-16:30 Europe/Berlin, 1 holiday)"
    )
    assert Calendar.parse("working:sat-sun,holidays=2026-12-26;2026-12-27").describe() == (
        "working time (Sat,Sun 09:00-17:00 UTC, 2 holidays)"
    )


# Calendars: measuring elapsed time


def test_calendar_time_is_plain_elapsed_time():
    calendar = Calendar()
    # Mon 09:00 to Wed 10:30 is 2 days and 1.5 h = 49.5 h.
    assert elapsed_hours(calendar, "2026-01-05 09:00", "2026-01-07 10:30") == 49.5
    assert elapsed_hours(calendar, "2026-01-05 10:00", "2026-01-05 09:00") == -1.0


def test_missing_timestamps_give_nan():
    start = stamps("2026-01-05 09:00", "2026-01-05 09:00")
    end = pd.Series(pd.to_datetime(["2026-01-05 10:00", None])).dt.tz_localize("UTC")
    for calendar in (Calendar(), Calendar.working_time()):
        result = calendar.elapsed_seconds(start, end)
        assert result[0] == HOUR
        assert np.isnan(result[1])


def test_calendar_time_across_the_spring_clock_change():
    # Berlin moves from +01:00 to +02:00 on 2026-03-29 at 02:00: noon to noon is 23 h.
    assert elapsed_hours(Calendar(), "2026-03-28 12:00", "2026-03-29 12:00", tz="Europe/Berlin") == 23.0
    # ...and back on 2026-10-25 at 03:00: noon to noon is 25 h.
    assert elapsed_hours(Calendar(), "2026-10-24 12:00", "2026-10-25 12:00", tz="Europe/Berlin") == 25.0


WORKING = Calendar.working_time(hours=(9, 17), holidays=[dt.date(2026, 4, 6)])


@pytest.mark.parametrize(
    ("start", "end", "hours"),
    [
        # Partial day: 10:00 to 15:30 inside 09:00-17:00.
        ("2026-04-08 10:00", "2026-04-08 15:30", 5.5),
        # Before opening and after closing count from 09:00 and up to 17:00: 09-17 = 8 h.
        ("2026-04-08 06:00", "2026-04-08 20:00", 8.0),
        # Night: 18:00 Wed to 08:00 Thu is all outside working hours.
        ("2026-04-08 18:00", "2026-04-09 08:00", 0.0),
        # Weekend: Fri 16:00 to Mon 10:00 (Mon 2026-04-13 is a working day) = 1 h Fri + 1 h Mon.
        ("2026-04-10 16:00", "2026-04-13 10:00", 2.0),
        # Inside the weekend: Saturday 10:00 to Sunday 15:00 counts nothing.
        ("2026-04-11 10:00", "2026-04-12 15:00", 0.0),
        # Holiday: Fri 2026-04-03 15:00 to Tue 04-07 12:00, Mon 04-06 a holiday = 2 h + 3 h.
        ("2026-04-03 15:00", "2026-04-07 12:00", 5.0),
        # Starting on the holiday itself: Mon 04-06 10:00 to Tue 10:00 = Tue 09-10 = 1 h.
        ("2026-04-06 10:00", "2026-04-07 10:00", 1.0),
        # Two whole weeks: 10 working days of 8 h, less the holiday = 9 x 8 = 72 h.
        ("2026-03-30 09:00", "2026-04-13 09:00", 72.0),
    ],
)
def test_working_time(start, end, hours):
    assert elapsed_hours(WORKING, start, end) == pytest.approx(hours)


def test_working_time_follows_the_local_clock_across_the_clock_change():
    berlin = Calendar.parse("working:mon-fri,09:00-17:00,tz=Europe/Berlin")
    # Fri 2026-03-27 09:00 +01:00 is 08:00 UTC; Mon 2026-03-30 09:00 +02:00 is 07:00 UTC.
    # Friday's 8 working hours, and nothing yet on Monday: exactly 8 h across the change.
    assert elapsed_hours(berlin, "2026-03-27 08:00", "2026-03-30 07:00") == pytest.approx(8.0)
    # Local Fri 09:00 to Mon 17:00 is two whole working days: 16 h.
    assert elapsed_hours(berlin, "2026-03-27 09:00", "2026-03-30 17:00", tz="Europe/Berlin") == pytest.approx(16.0)


def test_working_hours_are_in_the_calendar_time_zone():
    new_york = Calendar.parse("working:tz=America/New_York")
    # 09:00-17:00 in New York in January (-05:00) is 14:00-22:00 UTC: 13:00-15:00 UTC holds 1 working hour.
    assert elapsed_hours(new_york, "2026-01-05 13:00", "2026-01-05 15:00") == pytest.approx(1.0)


def test_working_seconds_since_epoch_counts_whole_days():
    calendar = Calendar.working_time()
    index = pd.DatetimeIndex(["1970-01-05 09:00", "1970-01-05 17:00"]).tz_localize("UTC")
    # 1970-01-01 was a Thursday: Thu and Fri are 2 working days (16 h) before Monday 09:00.
    assert list(calendar.working_seconds_since_epoch(index) / HOUR) == [16.0, 24.0]


# Invariants

CALENDARS = [
    Calendar(),
    Calendar.working_time(),
    Calendar.parse("working:mon-sat,07:30-18:00,tz=Europe/Berlin,holidays=2026-04-06;2026-12-25"),
    Calendar.parse("working:sun-thu,08:00-16:00,tz=Asia/Jerusalem"),
    Calendar.parse("working:mon,wed,fri,10:00-14:00,tz=America/New_York"),
]
instants = st.integers(
    min_value=int(pd.Timestamp("2025-12-20", tz="UTC").timestamp()),
    max_value=int(pd.Timestamp("2027-01-10", tz="UTC").timestamp()),
)


def at(seconds):
    return pd.Series(pd.to_datetime(seconds, unit="s", utc=True))


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(CALENDARS), st.lists(instants, min_size=3, max_size=3))
def test_working_time_is_at_most_calendar_time_and_adds_up(calendar, seconds):
    a, b, c = sorted(seconds)
    ab = calendar.elapsed_seconds(at([a]), at([b]))[0]
    bc = calendar.elapsed_seconds(at([b]), at([c]))[0]
    ac = calendar.elapsed_seconds(at([a]), at([c]))[0]
    assert 0 <= ab <= b - a
    assert ac == pytest.approx(ab + bc, abs=1e-6)
