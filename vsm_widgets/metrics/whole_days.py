"""Lead time in whole calendar days (DOMAIN 4.6), the convention coaches compare against.

jira-agile-metrics counts done date - start date; ActionableAgile and
jirametrics add one day so that nothing takes zero days. Both count calendar
dates, here those of the mapping's time zone. The exact elapsed time stays the
basis of every other figure; this is printed beside it.
"""

from __future__ import annotations

import pandas as pd


def whole_days(started: pd.Series, done: pd.Series, zone: str, rule: str) -> pd.Series:
    """Lead time in calendar dates (DOMAIN 4.6): done date - start date, plus one day when ``inclusive``.

    Parameters
    ----------
    started, done : Series of UTC timestamps
    zone : str
        The time zone whose dates are counted.
    rule : {"exclusive", "inclusive"}

    Returns
    -------
    Series of float
        Whole days; NaN where either end is missing.

    Examples
    --------
    >>> start = pd.Series(pd.to_datetime(["2026-01-05 23:30"], utc=True))
    >>> done = pd.Series(pd.to_datetime(["2026-01-06 00:30"], utc=True))
    >>> whole_days(start, done, "UTC", "exclusive").tolist(), whole_days(start, done, "UTC", "inclusive").tolist()
    ([1.0], [2.0])
    """
    first = pd.DatetimeIndex(started).tz_convert(zone).tz_localize(None).normalize()
    last = pd.DatetimeIndex(done).tz_convert(zone).tz_localize(None).normalize()
    days = pd.Series((last - first).days, index=started.index, dtype=float)
    return days + 1.0 if rule == "inclusive" else days
