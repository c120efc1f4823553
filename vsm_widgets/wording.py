"""How readouts word numbers: durations in a readable unit, shares, signed changes.

One place for it, so the first page, the findings and the tables say "13.2 days"
and "-31 %" the same way, and the same way as the chart titles
(`vsm_widgets.charts.theme`).
"""

from __future__ import annotations

import math

from vsm_widgets.units import UNITS, unit_seconds

SHARE = "share"
"""The unit of a ratio in a comparison table: its change is worded in percentage points."""

HOUR = 3600.0
# Durations read best in the largest of these units that gives at least two of it: 636 minutes read
# as 10.6 hours, 648 hours as 27 days. Weeks are left out: workshops count lead time in days.
READABLE_UNITS = ("seconds", "minutes", "hours", "days")
MINUS = "\u2212"
MISSING = "\u2013"


def number(value: float, digits: int = 1) -> str:
    """A number as titles print it: ``44``, ``2.5``, ``1,250``; a missing value as ``n/a``.

    Examples
    --------
    >>> number(44.0), number(2.54), number(1250.0), number(float("nan"))
    ('44', '2.5', '1,250', 'n/a')
    """
    if value is None or value != value:
        return "n/a"
    text = f"{value:,.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def percent(share: float, digits: int = 0) -> str:
    """A share as titles print it: ``0.713`` gives ``71 %``.

    Examples
    --------
    >>> percent(0.7134), percent(0.074, 1), percent(0.9996)
    ('71 %', '7.4 %', '99.96 %')
    """
    if share is None or share != share:
        return "n/a"
    text = number(100.0 * share, digits)
    # Never round a share that is not all or nothing to "0 %" or "100 %".
    while text in ("0", "100") and share not in (0.0, 1.0) and digits < 3:
        digits += 1
        text = number(100.0 * share, digits)
    return f"{text} %"


def duration_text(seconds: float, hours_per_day: float = 24.0) -> str:
    """A duration in the largest readable unit that gives at least two of it.

    Parameters
    ----------
    seconds : float
        The duration; counted seconds of the stream's clock.
    hours_per_day : float
        Length of a day, so that 16 working hours read as 2 days on an 8-hour day.

    Returns
    -------
    str
        Such as ``"13.2 days"``, ``"10.6 hours"`` or ``"n/a"`` for a missing value.

    Examples
    --------
    >>> duration_text(648 * 3600), duration_text(636 * 60), duration_text(30 * 3600)
    ('27 days', '10.6 hours', '30 hours')
    >>> duration_text(16 * 3600, hours_per_day=8)
    '2 days'
    """
    if seconds is None or not math.isfinite(seconds):
        return "n/a"
    if seconds == 0:
        return "0"
    return duration_in(seconds, readable_unit(seconds, hours_per_day), hours_per_day)


def readable_unit(seconds: float, hours_per_day: float = 24.0) -> str:
    """The largest of seconds, minutes, hours and days that gives at least two of it (see `duration_text`).

    Examples
    --------
    >>> readable_unit(636 * 60), readable_unit(30 * 3600), readable_unit(16 * 3600, hours_per_day=8)
    ('hours', 'hours', 'days')
    """
    unit = READABLE_UNITS[0]
    for candidate in READABLE_UNITS:
        if abs(seconds) >= 2 * unit_seconds(candidate, hours_per_day):
            unit = candidate
    return unit


def duration_in(seconds: float, unit: str, hours_per_day: float = 24.0) -> str:
    """A duration in a given unit, such as ``"0.9 days"``.

    Examples
    --------
    >>> duration_in(20 * 3600, "days"), duration_in(86400, "days")
    ('0.8 days', '1 day')
    >>> duration_in(6534, "minutes"), duration_in(282, "minutes")
    ('109 minutes', '4.7 minutes')
    """
    value = seconds / unit_seconds(unit, hours_per_day)
    # A tenth of a minute or a second is noise once there are ten of them: 109 minutes, not 108.9.
    text = number(value, 0 if unit in ("minutes", "seconds") and abs(value) >= 10 else 1)
    return f"{text} {unit[:-1] if text == '1' else unit}"


def pair_text(first: float | None, second: float | None, unit: str, hours_per_day: float = 24.0) -> tuple[str, str]:
    """Two values of one quantity, such as before and after, worded in the same unit.

    Durations take the readable unit of the larger one, so a change never reads "2 days → 43 hours".

    Parameters
    ----------
    first, second : float or None
        The values, in `unit`.
    unit : str
        As for `value_text`.
    hours_per_day : float
        Length of a day for time units.

    Returns
    -------
    (str, str)

    Examples
    --------
    >>> pair_text(48.0, 43.0, "hours"), pair_text(0.261, 0.365, "share")
    (('2 days', '1.8 days'), ('26.1 %', '36.5 %'))
    """
    first_text, second_text = texts_in_one_unit([first, second], unit, hours_per_day)
    return first_text, second_text


def texts_in_one_unit(values: list[float | None], unit: str, hours_per_day: float = 24.0) -> list[str]:
    """Values that are read side by side, such as the parts of a lead time, worded in one unit.

    Durations take the readable unit of the largest, so "waiting 16 days, process 1.8 days" can be
    added up by eye; anything else is worded as `value_text` words it.

    Parameters
    ----------
    values : list of float or None
        The values, in `unit`.
    unit : str
        As for `value_text`.
    hours_per_day : float
        Length of a day for time units.

    Returns
    -------
    list of str

    Examples
    --------
    >>> texts_in_one_unit([384.0, 43.0, 427.0], "hours")
    ['16 days', '1.8 days', '17.8 days']
    >>> texts_in_one_unit([30.0, None, 0.0], "hours")
    ['30 hours', '–', '0']
    """
    known = [v for v in values if v is not None and math.isfinite(v)]
    if unit not in UNITS or len(known) < 2:
        return [value_text(value, unit, hours_per_day) for value in values]
    scale = unit_seconds(unit, hours_per_day)
    shown = readable_unit(max(abs(v) for v in known) * scale, hours_per_day)

    def text(value: float | None) -> str:
        if value is None or not math.isfinite(value):
            return MISSING
        return "0" if value == 0 else duration_in(value * scale, shown, hours_per_day)

    return [text(value) for value in values]


def interval_text(low: float, high: float, unit: str, hours_per_day: float = 24.0) -> str:
    """An interval of changes, both ends signed and in the same unit.

    Parameters
    ----------
    low, high : float
        The ends, in `unit` (a time unit or ``"share"``).
    unit : str
    hours_per_day : float

    Returns
    -------
    str

    Examples
    --------
    >>> interval_text(23.2, 93.6, "hours"), interval_text(-0.037, 0.033, "share")
    ('+1 day to +3.9 days', '\u22123.7 pp to +3.3 pp')
    """
    if not (math.isfinite(low) and math.isfinite(high)):
        return MISSING
    if unit == SHARE:
        return f"{change_text(low, None, unit)} to {change_text(high, None, unit)}"
    if unit not in UNITS:
        return f"{low:+,.1f} to {high:+,.1f} {unit}".replace("-", MINUS)
    scale = unit_seconds(unit, hours_per_day)
    shown = readable_unit(max(abs(low), abs(high)) * scale, hours_per_day)

    def end(value: float) -> str:
        return ("+" if value >= 0 else MINUS) + duration_in(abs(value) * scale, shown, hours_per_day)

    return f"{end(low)} to {end(high)}"


def wait_place(source: str, target: str) -> str:
    """Where work waits, as every page words it: on an arrow, or inside a box.

    Parameters
    ----------
    source, target : str
        The names of the arrow's ends (``"supplier"`` and ``"customer"`` at the ends of a
        measured stream); the same name twice for the waiting inside that step.

    Returns
    -------
    str

    Examples
    --------
    >>> wait_place("Code review", "QA"), wait_place("Laptop and accounts", "Laptop and accounts")
    ('between Code review and QA', 'inside Laptop and accounts')
    >>> wait_place("supplier", "Development"), wait_place("QA", "customer")
    ('before Development starts', 'after QA, before the item is done')
    """
    if source == target:
        return f"inside {source}"
    if source == "supplier":
        return f"before {target} starts"
    if target == "customer":
        return f"after {source}, before the item is done"
    return f"between {source} and {target}"


def p_value_text(p: float) -> str:
    """A p-value as a person reads it: ``p = 0.042``, and ``p < 0.001`` below a thousandth.

    Examples
    --------
    >>> p_value_text(4.65e-06), p_value_text(0.0423), p_value_text(0.5)
    ('p < 0.001', 'p = 0.042', 'p = 0.5')
    """
    if p is None or not math.isfinite(p):
        return "p n/a"
    return "p < 0.001" if p < 0.001 else f"p = {p:.2g}"


def signed_percent(value: float, digits: int = 0) -> str:
    """A change in percent with its sign, a true minus as the comparison chart prints it.

    Examples
    --------
    >>> signed_percent(-31.4), signed_percent(12.0)
    ('\u221231 %', '+12 %')
    """
    return f"{value:+.{digits}f} %".replace("-", MINUS)


def value_text(value: float | None, unit: str, hours_per_day: float = 24.0) -> str:
    """A number with its unit as a table shows it: a duration, a share or a rate.

    Parameters
    ----------
    value : float or None
        The number, in `unit`.
    unit : str
        A time unit, ``"share"`` (a ratio shown as a percentage) or any other unit, such as
        ``"items/week"``.
    hours_per_day : float
        Length of a day for time units.

    Returns
    -------
    str
        A dash for a missing value.

    Examples
    --------
    >>> value_text(316.2, "hours"), value_text(0.2607, "share"), value_text(12.3, "items/week")
    ('13.2 days', '26.1 %', '12.3 items/week')
    """
    if value is None or not math.isfinite(value):
        return MISSING
    if unit == SHARE:
        return percent(value, 1)
    if unit in UNITS:
        return duration_text(value * unit_seconds(unit, hours_per_day), hours_per_day)
    return f"{number(value)} {unit}"


def change_text(change: float | None, change_pct: float | None, unit: str, hours_per_day: float = 24.0) -> str:
    """A change from one state to another: signed, shares in percentage points.

    Parameters
    ----------
    change : float or None
        Future minus current, in `unit`.
    change_pct : float or None
        The change in percent of the current value.
    unit : str
        As for `value_text`.
    hours_per_day : float
        Length of a day for time units.

    Returns
    -------
    str

    Examples
    --------
    >>> change_text(-99.4, -31.4, "hours"), change_text(0.104, 39.9, "share"), change_text(0.0, 0.0, "items")
    ('\u22124.1 days (\u221231 %)', '+10.4 pp', 'no change')
    """
    if change is None or not math.isfinite(change):
        return MISSING
    if change == 0:
        return "no change"
    if unit == SHARE:
        return signed_percent(change * 100, 1).replace("%", "pp")
    sign = "+" if change > 0 else MINUS
    pct = f" ({signed_percent(change_pct)})" if change_pct is not None and math.isfinite(change_pct) else ""
    return f"{sign}{value_text(abs(change), unit, hours_per_day)}{pct}"


def finished_count(counted: int, finished: int) -> str:
    """The finished items a figure was computed over, and how many finished in all when that differs.

    An item closed straight from the backlog is finished with no lead time, so a lead-time
    figure may cover fewer items than finished.

    Examples
    --------
    >>> finished_count(13, 17)
    '13 finished items with a lead time (of 17 finished)'
    >>> finished_count(3, 3), finished_count(1, 1)
    ('3 finished items', '1 finished item')
    """
    items = "item" if counted == 1 else "items"
    if counted == finished:
        return f"{counted:,} finished {items}"
    return f"{counted:,} finished {items} with a lead time (of {finished:,} finished)"
