"""Working time on a local wall clock, shared by the sample generators.

Work happens on weekdays between 08:30 and 17:30 outside public holidays;
times are naive local datetimes (the caller attaches the zone).
"""

from __future__ import annotations

import datetime as dt

WINDOW_START = dt.datetime(2026, 1, 5, 8, 30)
EXPORTED_AT = dt.datetime(2026, 7, 3, 17, 30)
DAY_START, DAY_END = dt.time(8, 30), dt.time(17, 30)
WORK_HOURS_PER_DAY = 9.0
WEEK = dt.timedelta(weeks=1)


class WorkClock:
    """Adds working hours (weekdays 08:30-17:30 outside holidays) to local wall-clock times."""

    def __init__(self, holidays: tuple[str, ...]) -> None:
        self.holidays = frozenset(dt.date.fromisoformat(day) for day in holidays)

    def is_workday(self, day: dt.date) -> bool:
        return day.weekday() < 5 and day not in self.holidays

    def next_open(self, moment: dt.datetime) -> dt.datetime:
        """The first working moment at or after `moment`."""
        while not (self.is_workday(moment.date()) and moment.time() < DAY_END):
            moment = dt.datetime.combine(moment.date() + dt.timedelta(days=1), DAY_START)
        return max(moment, dt.datetime.combine(moment.date(), DAY_START))

    def add(self, moment: dt.datetime, hours: float) -> dt.datetime:
        remaining = dt.timedelta(seconds=round(hours * 3600))
        moment = self.next_open(moment)
        while True:
            closing = dt.datetime.combine(moment.date(), DAY_END)
            if moment + remaining < closing:
                return moment + remaining
            remaining -= closing - moment
            moment = self.next_open(closing)


def shift(times: list[dt.datetime], weeks: int) -> list[dt.datetime]:
    return [moment + weeks * WEEK for moment in times]
