"""Durations, units and day length.

The lowest layer of the package. A `Duration` is an amount of (working) time
held in seconds; converting it to days needs the length of a day, which every
map declares (24 for calendar time, 8 for working days). Business calendars
are in `vsm_widgets.calendar`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from numbers import Real

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
_DURATION_HINT = "write a number, or a number and a unit such as '10 min' or '2.5 h'"


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
        raise ValueError(
            f"hours_per_day must be within (0, 24], got {hours_per_day!r}; "
            "write 24 for calendar time or 8 for working days"
        )
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
        raise ValueError(f"{value!r} is not a duration; {_DURATION_HINT}")
    if isinstance(value, Real):
        number, value_unit = float(value), unit
    elif isinstance(value, str):
        match = _QUANTITY.match(value)
        if not match:
            raise ValueError(f"{value!r} is not a duration; {_DURATION_HINT}")
        number = float(match.group(1))
        value_unit = match.group(2) or unit
    else:
        raise ValueError(f"{value!r} is not a duration; {_DURATION_HINT}")
    if not math.isfinite(number):
        raise ValueError(f"{value!r} is not a finite duration; {_DURATION_HINT}")
    if number < 0:
        raise ValueError(f"{value!r} is negative; durations are zero or more: write 0 for none")
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
        raise ValueError(f"{value!r} is not a percentage; write '95%' or 0.95")
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
