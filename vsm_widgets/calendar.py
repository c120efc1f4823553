"""Business calendars: how elapsed time between two timestamps is counted.

Calendar time counts every hour of every day; working time counts only working
weekdays between the day's start and end, less holidays, in the calendar's time
zone. Every flow metric measures durations through one `Calendar`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from vsm_widgets.exceptions import CalendarError

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _hours_of(text: str) -> float:
    match = re.fullmatch(r"(\d{1,2})(?::(\d{2}))?", text.strip())
    if not match:
        raise CalendarError(f"{text!r} is not a time of day", "Write hours as 09:00 or 17:30")
    minutes = int(match.group(2) or 0)
    hours = int(match.group(1)) + minutes / 60.0
    if hours > 24 or minutes >= 60:
        raise CalendarError(f"{text!r} is not a time of day", "Write hours between 00:00 and 24:00")
    return hours


@dataclass(frozen=True)
class Calendar:
    """How elapsed time between two timestamps is counted.

    Parameters
    ----------
    working : bool
        False for calendar time (every hour of every day counts); True for
        working time (only `weekdays` between `day_start` and `day_end`,
        outside `holidays`, in the local time of `timezone`).
    weekdays : tuple of int
        Working weekdays, Monday = 0.
    day_start, day_end : float
        Working hours as hours after local midnight, e.g. 9.0 and 17.0.
    holidays : tuple of datetime.date
        Dates that are not worked.
    timezone : str
        IANA zone whose wall clock the working hours follow.

    Examples
    --------
    >>> Calendar().describe()
    'calendar time (24 h a day, every day)'
    >>> Calendar.working_time().hours_per_day
    8.0
    """

    working: bool = False
    weekdays: tuple[int, ...] = (0, 1, 2, 3, 4)
    day_start: float = 9.0
    day_end: float = 17.0
    holidays: tuple[dt.date, ...] = field(default_factory=tuple)
    timezone: str = "UTC"

    def __post_init__(self) -> None:
        if self.working:
            if not self.weekdays or any(d not in range(7) for d in self.weekdays):
                raise CalendarError("working weekdays must be a non-empty subset of Monday to Sunday")
            if not 0 <= self.day_start < self.day_end <= 24:
                raise CalendarError(
                    f"working hours {self.day_start:g}-{self.day_end:g} are not a span within one day",
                    "Give a start before the end, such as 09:00-17:00",
                )

    @classmethod
    def calendar_time(cls) -> Calendar:
        """Every hour of every day counts (the default)."""
        return cls()

    @classmethod
    def working_time(
        cls,
        weekdays: tuple[int, ...] = (0, 1, 2, 3, 4),
        hours: tuple[float, float] = (9.0, 17.0),
        holidays: tuple[dt.date, ...] | list[dt.date] = (),
        timezone: str = "UTC",
    ) -> Calendar:
        """Only working hours on working weekdays outside holidays count."""
        days = tuple(sorted({pd.Timestamp(h).date() for h in holidays}))
        return cls(True, tuple(sorted(set(weekdays))), float(hours[0]), float(hours[1]), days, timezone)

    @classmethod
    def parse(cls, spec: str | None) -> Calendar:
        """Read a calendar from its command-line form.

        ``"calendar"`` (or empty) gives calendar time. ``"working"`` gives
        Monday to Friday 09:00-17:00 UTC; options follow a colon, separated by
        commas: ``"working:mon-fri,08:00-16:00,tz=Europe/Berlin,holidays=2026-12-25;2026-12-26"``.
        Weekday options add up: ``"working:mon,wed,fri"`` works those three days.
        """
        if spec is None or not str(spec).strip() or str(spec).strip().lower() == "calendar":
            return cls()
        head, _, rest = str(spec).strip().partition(":")
        if head.strip().lower() != "working":
            raise CalendarError(
                f"unknown calendar {spec!r}",
                "Use 'calendar' or 'working[:mon-fri,09:00-17:00,tz=Europe/Berlin,holidays=2026-12-25;2026-12-26]'",
            )
        days, hours, holidays, timezone = set(), (9.0, 17.0), [], "UTC"
        for part in filter(None, (p.strip() for p in rest.split(","))):
            low = part.lower()
            if low.startswith("tz="):
                timezone = part[3:]
            elif low.startswith("holidays="):
                try:
                    holidays = [dt.date.fromisoformat(d.strip()) for d in part[9:].split(";") if d.strip()]
                except ValueError as error:
                    raise CalendarError(f"holiday list {part!r}: {error}", "Write dates as 2026-12-25") from None
            elif re.fullmatch(r"[a-z]{3}(-[a-z]{3})?", low):
                first, _, last = low.partition("-")
                if first not in _WEEKDAYS or (last and last not in _WEEKDAYS):
                    raise CalendarError(f"{part!r} is not a weekday range", "Write mon-fri")
                lo = _WEEKDAYS.index(first)
                hi = _WEEKDAYS.index(last) if last else lo
                # Several weekday options add up ("mon,wed,fri"); a range may wrap ("fri-mon").
                days |= set(range(lo, hi + 1)) if lo <= hi else set(range(lo, 7)) | set(range(0, hi + 1))
            elif "-" in part:
                begin, _, end = part.partition("-")
                hours = (_hours_of(begin), _hours_of(end))
            else:
                raise CalendarError(
                    f"calendar option {part!r} is not understood", "Use weekdays, hours, tz= or holidays="
                )
        try:
            pd.Timestamp("2026-01-01").tz_localize(timezone)
        except Exception:
            raise CalendarError(f"unknown time zone {timezone!r}", "Use an IANA name such as Europe/Berlin") from None
        return cls.working_time(tuple(days) or (0, 1, 2, 3, 4), hours, holidays, timezone)

    @property
    def hours_per_day(self) -> float:
        """Hours in one counted day: 24 on calendar time, the working hours otherwise."""
        return self.day_end - self.day_start if self.working else 24.0

    def describe(self) -> str:
        """One line that says how time is counted, for readouts and chart subtitles."""
        if not self.working:
            return "calendar time (24 h a day, every day)"
        days = ",".join(_WEEKDAYS[d].capitalize() for d in self.weekdays)
        if self.weekdays == tuple(range(self.weekdays[0], self.weekdays[-1] + 1)) and len(self.weekdays) > 2:
            days = f"{_WEEKDAYS[self.weekdays[0]].capitalize()}-{_WEEKDAYS[self.weekdays[-1]].capitalize()}"
        text = f"working time ({days} {_clock(self.day_start)}-{_clock(self.day_end)} {self.timezone}"
        if self.holidays:
            text += f", {len(self.holidays)} holiday{'s' if len(self.holidays) != 1 else ''}"
        return text + ")"

    def elapsed_seconds(self, start: pd.Series | pd.DatetimeIndex, end: pd.Series | pd.DatetimeIndex) -> np.ndarray:
        """Counted seconds from each `start` to each `end`.

        Parameters
        ----------
        start, end : Series or DatetimeIndex of timezone-aware timestamps
            Missing values give NaN.

        Returns
        -------
        numpy.ndarray of float
            Calendar seconds, or working seconds on a working calendar. The
            sign follows ``end - start``.
        """
        start_index = pd.DatetimeIndex(start)
        end_index = pd.DatetimeIndex(end)
        if not self.working:
            delta = end_index - start_index
            return np.asarray(delta.total_seconds(), dtype=float)
        return self.working_seconds_since_epoch(end_index) - self.working_seconds_since_epoch(start_index)

    def working_seconds_since_epoch(self, stamps: pd.DatetimeIndex) -> np.ndarray:
        """Working seconds from 1970-01-01 (local) up to each timestamp.

        The difference of two such counts is the working time between them.
        Vectorised: a million timestamps take well under a second.
        """
        index = pd.DatetimeIndex(stamps)
        if index.tz is not None:
            index = index.tz_convert(self.timezone).tz_localize(None)
        missing = index.isna()
        days = index.floor("D")
        day_values = days.values.astype("datetime64[D]")
        seconds_into_day = (index - days).total_seconds().to_numpy(dtype=float)
        weekmask = [1 if d in self.weekdays else 0 for d in range(7)]
        holidays = np.array(self.holidays, dtype="datetime64[D]")
        safe_days = np.where(missing, np.datetime64("1970-01-01", "D"), day_values)
        whole_days = np.busday_count(np.datetime64("1970-01-01", "D"), safe_days, weekmask=weekmask, holidays=holidays)
        is_working_day = np.is_busday(safe_days, weekmask=weekmask, holidays=holidays)
        begin, finish = self.day_start * 3600.0, self.day_end * 3600.0
        within_day = np.clip(seconds_into_day, begin, finish) - begin
        total = whole_days * (finish - begin) + np.where(is_working_day, within_day, 0.0)
        return np.where(missing, np.nan, total.astype(float))


def _clock(hours: float) -> str:
    whole = int(hours)
    return f"{whole:02d}:{round((hours - whole) * 60):02d}"
