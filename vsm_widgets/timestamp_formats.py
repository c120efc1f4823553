"""Which format a column of text timestamps is written in, guessed from its values.

An export rarely says how its times are written: ISO 8601, day-first or month-first with slashes,
dots or month names, a 12-hour clock. This module tries the common forms on a sample of a column,
settles day against month on the whole column when the sample fits both, and builds a ``strptime``
format from numeric dates for a refusal to suggest. It is apart from `vsm_widgets.timestamps`
because guessing a format is a choice about text, while that module turns parsed times into UTC
instants; both are bottom modules.
"""

from __future__ import annotations

import re

import pandas as pd

# Common forms besides ISO 8601, tried on a sample of each column; day-first
# before month-first, so an ambiguous 05/01/2026 reads as 5 January, except with
# a 12-hour clock: slashes and AM/PM are the US form (Azure DevOps' M/D/YYYY h:mm AM).
COMMON_FORMATS = (
    "%d/%b/%y %I:%M %p",
    "%d/%b/%Y %I:%M %p",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p",
    "%d/%m/%Y %I:%M:%S %p",
    "%d/%m/%Y %I:%M %p",
    "%d/%b/%y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
    "%d-%b-%Y %H:%M:%S",
    "%d-%b-%Y %H:%M",
    "%d %b %Y %H:%M",
)
# day, month and year in some order, then an optional time with optional seconds and AM/PM
_NUMERIC_SHAPE = re.compile(
    r"^(?P<a>\d{1,4})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)(?P<c>\d{1,4})"
    r"(?P<time>[ T]\d{1,2}:\d{2}(?P<seconds>:\d{2})?\s*(?P<clock>[AaPp][Mm])?)?$"
)
_SAMPLE = 500


def choose_format(text: pd.Series, column: str) -> tuple[str, str]:
    """The format that reads most of a sample of the column; ISO 8601 wins ties.

    Parameters
    ----------
    text : pandas.Series
        The column's non-empty cells without a UTC offset, as text.
    column : str
        The column's name in the file, for the decision.

    Returns
    -------
    tuple of str
        The format (``"ISO8601"`` or one of `COMMON_FORMATS`) and the decision that records the
        choice, empty when the column is ISO 8601.
    """
    sample = text.iloc[:_SAMPLE]
    iso = parse_with(sample, "ISO8601").notna().sum()
    if iso == len(sample):
        return "ISO8601", ""
    scores = [(int(parse_with(sample, f).notna().sum()), f) for f in COMMON_FORMATS]
    best_count = max(count for count, _ in scores)
    if best_count <= iso:
        return "ISO8601", ""
    best = next(f for count, f in scores if count == best_count)
    rivals = [f for count, f in scores if count == best_count and f != best and _day_month_swapped(f, best)]
    if not rivals:
        return best, f"column '{column}' read with the format {best}"
    # The sample fits day-first and month-first alike: the whole column decides, since a row
    # past the sample (13/02 or 02/13) may prove one order.
    read = {f: int(parse_with(text, f).notna().sum()) for f in (best, rivals[0])}
    if read[best] == read[rivals[0]]:
        # COMMON_FORMATS puts day-first first, and month-first first for a 12-hour clock (the US form)
        order = "month before day" if best.index("%m") < best.index("%d") else "day before month"
        return best, (
            f"column '{column}' read with the format {best} ({order}: every row also fits {rivals[0]}; "
            "give timestamp_format in a mapping to be sure)"
        )
    chosen, other = (best, rivals[0]) if read[best] > read[rivals[0]] else (rivals[0], best)
    more = read[chosen] - read[other]
    return chosen, (
        f"column '{column}' read with the format {chosen}: the first {len(sample)} rows also fit {other}, "
        f"but {more} more {'row' if more == 1 else 'rows'} of the column fit {chosen}"
    )


def suggest_format(values: pd.Series) -> str | None:
    """A ``strptime`` format for numeric dates, built from the values themselves.

    The order of day and month comes from a value above 12; when none decides it,
    month comes first with a 12-hour clock (the US form) and day first otherwise.
    The hour is ``%I`` with ``%p`` when the values carry AM or PM.

    Parameters
    ----------
    values : pandas.Series
        Timestamps as text, e.g. ``"1/5/2026 9:03:11 AM"``.

    Returns
    -------
    str or None
        The format that reads the most of a sample, or None when no value has the
        shape of a numeric date or the format built reads none of them.

    Examples
    --------
    >>> suggest_format(pd.Series(["1/5/2026 9:03:11 AM", "1/13/2026 4:05:59 PM"]))
    '%m/%d/%Y %I:%M:%S %p'
    >>> suggest_format(pd.Series(["13.01.2026 16:05"]))
    '%d.%m.%Y %H:%M'
    """
    sample = values.dropna().astype(str).str.strip().iloc[:_SAMPLE]
    parts = sample.str.extract(_NUMERIC_SHAPE).dropna(subset=["a", "b", "c"])
    if parts.empty:
        return None
    first = parts.iloc[0]
    twelve_hour = parts["clock"].notna().any()
    if len(first["a"]) == 4:
        date = f"%Y{first['sep']}%m{first['sep']}%d"
    else:
        year = "%Y" if len(first["c"]) == 4 else "%y"
        day_first = (parts["a"].astype(int) > 12).any() or (not (parts["b"].astype(int) > 12).any() and not twelve_hour)
        order = ("%d", "%m") if day_first else ("%m", "%d")
        date = first["sep"].join([*order, year])
    time = ""
    if parts["time"].notna().any():
        time = (" %I" if twelve_hour else " %H") + ":%M" + (":%S" if parts["seconds"].notna().any() else "")
        time += " %p" if twelve_hour else ""
    candidates = [date + time, date]
    best = max(candidates, key=lambda fmt: int(parse_with(sample, fmt).notna().sum()))
    return best if parse_with(sample, best).notna().any() else None


def _day_month_swapped(one: str, other: str) -> bool:
    return one.replace("%d", "<d>").replace("%m", "%d").replace("<d>", "%m") == other


def parse_with(text: pd.Series, fmt: str) -> pd.Series:
    """Text read with one format, as naive times; what the format does not read is NaT.

    Parameters
    ----------
    text : pandas.Series
        Timestamps as text.
    fmt : str
        ``"ISO8601"`` or a ``strptime`` format; an offset the format reads is dropped after
        conversion, so every result is on one naive clock.

    Returns
    -------
    pandas.Series
        datetime64, naive.
    """
    if fmt == "ISO8601":
        # Without a known format pandas guesses per value, which is slow and
        # reads 05/01 as May: insist on ISO 8601 and let the rest fail.
        parsed = pd.to_datetime(text, format="ISO8601", errors="coerce")
    else:
        parsed = pd.to_datetime(text, format=fmt, errors="coerce")
    if isinstance(parsed.dtype, pd.DatetimeTZDtype):
        parsed = parsed.dt.tz_localize(None)
    return parsed
