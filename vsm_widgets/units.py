"""Durations, units, day length and business calendars.

The lowest layer of the package. A `Duration` is an amount of (working) time
held in seconds; converting it to days needs the length of a day, which every
map declares (24 for calendar time, 8 for working days). A `Calendar` measures
elapsed time between timestamps either on calendar time or on working time
(working weekdays, working hours and holidays).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from numbers import Real

import numpy as np
import pandas as pd

from vsm_widgets.exceptions import CalendarError

UNITS = ("seconds", "minutes", "hours", "days", "weeks")

_ALIASES = {
    "s": "seconds",
    "sec": "seconds",
    "secs": "seconds",
    "second": "seconds",
    "seconds": "seconds",
    "m": "minutes",
    "min": "minutes",
    "mins": "minutes",
    "minute": "minutes",
    "minutes": "minutes",
    "h": "hours",
    "hr": "hours",
    "hrs": "hours",
    "hour": "hours",
    "hours": "hours",
    "d": "days",
    "day": "days",
    "days": "days",
    "w": "weeks",
    "wk": "weeks",
    "wks": "weeks",
    "week": "weeks",
    "weeks": "weeks",
}

_QUANTITY = re.compile(r"^\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*([A-Za-z]*)\s*$")


def normalise_unit(unit: str) -> str:
    """Return the canonical name of a time unit.

    Parameters
    ----------
    unit : str
        A unit name or abbreviation: ``"s"``, ``"min"``, ``"h"``, ``"days"``, ``"wk"`` ...

    Returns
    -------
    str
        One of `UNITS`.

    Raises
    ------
    ValueError
        If the unit is not known.

    Examples
    --------
    >>> normalise_unit("min")
    'minutes'
    """
    key = str(unit).strip().lower()
    if key not in _ALIASES:
        raise ValueError(f"unknown time unit {unit!r}; use one of {', '.join(UNITS)}")
    return _ALIASES[key]


def unit_seconds(unit: str, hours_per_day: float = 24.0) -> float:
    """Seconds in one `unit`, where a day lasts `hours_per_day` hours.

    A week is five working days when the day is shorter than 24 hours and
    seven calendar days otherwise.

    Examples
    --------
    >>> unit_seconds("days", hours_per_day=8)
    28800.0
    """
    name = normalise_unit(unit)
    if not hours_per_day or hours_per_day <= 0 or hours_per_day > 24:
        raise ValueError(f"hours_per_day must be within (0, 24], got {hours_per_day!r}")
    day = 3600.0 * hours_per_day
    return {
        "seconds": 1.0,
        "minutes": 60.0,
        "hours": 3600.0,
        "days": day,
        "weeks": day * (7 if hours_per_day >= 24 else 5),
    }[name]


@dataclass(frozen=True, order=True)
class Duration:
    """An amount of time, stored in seconds.

    Parameters
    ----------
    seconds : float
        The length in seconds. Working seconds when the owner counts on
        working time: the day length given to `to` says how many make a day.

    Examples
    --------
    >>> Duration.of(2.5, "hours").to("minutes")
    150.0
    >>> Duration.of(1, "days", hours_per_day=8).to("hours")
    8.0
    """

    seconds: float

    @classmethod
    def of(cls, value: float, unit: str, hours_per_day: float = 24.0) -> Duration:
        """Build a duration of `value` `unit` (days of `hours_per_day` hours)."""
        return cls(float(value) * unit_seconds(unit, hours_per_day))

    def to(self, unit: str, hours_per_day: float = 24.0) -> float:
        """The length in `unit`, where a day lasts `hours_per_day` hours."""
        return self.seconds / unit_seconds(unit, hours_per_day)

    def format(self, unit: str, hours_per_day: float = 24.0, digits: int = 1) -> str:
        """A short human label such as ``"5 days"`` or ``"2.5 h"``."""
        value = self.to(unit, hours_per_day)
        text = f"{value:.{digits}f}".rstrip("0").rstrip(".") if digits else f"{value:.0f}"
        name = normalise_unit(unit)
        if text == "1":
            name = name[:-1]
        return f"{text} {name}"

    def __add__(self, other: Duration) -> Duration:
        if not isinstance(other, Duration):
            return NotImplemented
        return Duration(self.seconds + other.seconds)

    def __sub__(self, other: Duration) -> Duration:
        if not isinstance(other, Duration):
            return NotImplemented
        return Duration(self.seconds - other.seconds)

    def __mul__(self, factor: float) -> Duration:
        if not isinstance(factor, Real):
            return NotImplemented
        return Duration(self.seconds * float(factor))

    __rmul__ = __mul__

    def __truediv__(self, other: Duration | float) -> Duration | float:
        if isinstance(other, Duration):
            return self.seconds / other.seconds if other.seconds else math.nan
        if isinstance(other, Real):
            return Duration(self.seconds / float(other))
        return NotImplemented

    def __bool__(self) -> bool:
        return self.seconds != 0


ZERO = Duration(0.0)


def parse_duration(value: object, unit: str, hours_per_day: float = 24.0) -> Duration:
    """Read a quantity of time as written in a map or scenario file.

    Parameters
    ----------
    value : number, str or Duration
        A bare number in `unit`, or a string with its own unit such as
        ``"10 min"``, ``"2.5 h"``, ``"1 s"`` or ``"3 days"``.
    unit : str
        The unit of bare numbers.
    hours_per_day : float
        Length of a day for converting days and weeks.

    Returns
    -------
    Duration

    Raises
    ------
    ValueError
        If the value is not a quantity of time, or is negative or not finite.

    Examples
    --------
    >>> parse_duration("10 min", "days").seconds
    600.0
    >>> parse_duration(2, "days", hours_per_day=8).to("hours")
    16.0
    """
    if isinstance(value, Duration):
        return value
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a duration")
    if isinstance(value, Real):
        number, value_unit = float(value), unit
    elif isinstance(value, str):
        match = _QUANTITY.match(value)
        if not match:
            raise ValueError(
                f"{value!r} is not a duration; write a number, or a number and a unit such as '10 min' or '2.5 h'"
            )
        number = float(match.group(1))
        value_unit = match.group(2) or unit
    else:
        raise ValueError(f"{value!r} is not a duration")
    if not math.isfinite(number):
        raise ValueError(f"{value!r} is not a finite duration")
    if number < 0:
        raise ValueError(f"{value!r} is negative; durations are zero or more")
    return Duration.of(number, value_unit, hours_per_day)


def parse_percent(value: object) -> float:
    """Read a share written as ``"95%"``, ``95 %`` or ``0.95``, returning 0.95.

    Numbers above 1 are refused rather than guessed at: write ``"95%"``.

    Examples
    --------
    >>> parse_percent("95%")
    0.95
    """
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a percentage")
    if isinstance(value, str):
        text = value.strip()
        try:
            if text.endswith("%"):
                share = float(text[:-1].strip()) / 100.0
            else:
                share = float(text)
        except ValueError:
            raise ValueError(f"{value!r} is not a percentage; write '95%' or 0.95") from None
    elif isinstance(value, Real):
        share = float(value)
    else:
        raise ValueError(f"{value!r} is not a percentage; write '95%' or 0.95")
    if not math.isfinite(share) or share < 0 or share > 1:
        raise ValueError(f"{value!r} is not a share between 0 and 100 %; write '95%' or 0.95")
    return share


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
