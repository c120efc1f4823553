"""The field checks of a map: durations, numbers, text and the time unit, refused with what to write.

`Step`, `Handoff` and `ValueStream` check every field on construction with these, so each
refusal is worded the same way: a `StreamError` naming what the field belongs to, the key and a
value to write instead. They are apart from `vsm_widgets.model.elements` because the whole map
(`vsm_widgets.model.stream`) and the map file reader check fields too, not only the elements.
"""

from __future__ import annotations

import math
from numbers import Real
from typing import Any

from vsm_widgets.exceptions import StreamError
from vsm_widgets.units import Duration, normalise_unit, unit_seconds


def check_duration(value: object, what: str, key: str, **where: Any) -> None:
    """Refuse anything but a finite, non-negative `Duration`.

    Parameters
    ----------
    value : object
        The value to check.
    what : str
        What it belongs to, for the message: ``"step 'review'"``.
    key : str
        The field name.
    **where
        ``step=`` or ``handoff=`` for the `StreamError`.

    Raises
    ------
    StreamError
    """
    if not isinstance(value, Duration):
        raise StreamError(
            f"{what}: {key} must be a Duration, not {value!r}; give one such as Duration.of(2, 'hours')",
            key=key,
            **where,
        )
    if not math.isfinite(value.seconds):
        raise StreamError(
            f"{what}: {key} is not a finite time (too large, or not a number); write one in the map's unit",
            key=key,
            **where,
        )
    if value.seconds < 0:
        raise StreamError(f"{what}: {key} must be zero or more; write 0 for none", key=key, **where)


def check_number(value: object, what: str, key: str, low: float, high: float | None = None, **where: Any) -> None:
    """Refuse anything but a finite number above `low` (and at most `high`).

    Parameters
    ----------
    value : object
        The value to check.
    what, key, **where
        As for `check_duration`.
    low : float
        Exclusive lower bound.
    high : float, optional
        Inclusive upper bound.

    Raises
    ------
    StreamError
    """
    ok = isinstance(value, Real) and not isinstance(value, bool) and math.isfinite(value) and value > low
    if ok and high is not None:
        ok = value <= high
    if not ok:
        span = f"within ({low:g}, {high:g}]" if high is not None else f"more than {low:g}"
        # A share (at most 1) is written like %C&A; a count like staff or demand.
        example = "such as 0.95" if high == 1 else f"such as {high:g}" if high is not None else f"such as {low + 1:g}"
        raise StreamError(
            f"{what}: {key} must be a number {span}, not {value!r}; write one {example}", key=key, **where
        )


def check_text(value: object, what: str, key: str, **where: Any) -> None:
    """Refuse anything but text or None.

    Parameters
    ----------
    value : object
        The value to check.
    what, key, **where
        As for `check_duration`.

    Raises
    ------
    StreamError
    """
    if value is not None and not isinstance(value, str):
        raise StreamError(f"{what}: {key} must be text, not {value!r}; write it in quotes", key=key, **where)


def check_unit(unit: object, hours_per_day: object, what: str = "the map") -> str:
    """The canonical name of a map's time unit, checked together with its day length.

    Parameters
    ----------
    unit : object
        A unit name or abbreviation (see `vsm_widgets.units.normalise_unit`).
    hours_per_day : object
        Length of a day in hours, within (0, 24].
    what : str
        What they belong to, to open the message; empty for none (a map file's
        error already points at the line).

    Returns
    -------
    str
        One of `vsm_widgets.units.UNITS`.

    Raises
    ------
    StreamError
        With ``key`` ``"unit"`` or ``"hours_per_day"``, whichever is wrong.
    """
    opening = f"{what}: " if what else ""
    try:
        name = normalise_unit(unit)
    except (ValueError, TypeError) as error:
        raise StreamError(f"{opening}{error}", key="unit") from None
    try:
        unit_seconds(name, hours_per_day)
    except (ValueError, TypeError) as error:
        raise StreamError(f"{opening}{error}", key="hours_per_day") from None
    return name
