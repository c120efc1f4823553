"""Timestamps: parsed in bulk, returned timezone-aware in UTC.

Values with an offset (``Z``, ``+02:00``) are converted to UTC, so mixed offsets
end up on one clock. Naive values are local times of the mapping's time zone
(UTC by default): a local time that does not exist (the hour skipped when
clocks go forward) is shifted forward by the gap, and a local time that happens
twice (the hour repeated when clocks go back) is read as its first occurrence
and flagged, so the shape readers can settle it from the order of events.
Nothing is parsed row by row in Python.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from vsm_widgets.serial_times import SERIAL_FORMATS, serial_nanoseconds, serial_seconds
from vsm_widgets.timestamp_formats import choose_format, parse_with

_OFFSET = re.compile(r"\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?)$")
UTC_NS = "datetime64[ns, UTC]"
# The instants a nanosecond timestamp holds, to the second; the two extremes themselves are left out
# because NaT and the "still open" sentinel (`NEVER`) are the int64 extremes.
_EARLIEST, _LATEST = pd.Timestamp.min.ceil("s"), pd.Timestamp.max.floor("s")
# Year 9999 is what exports write for "no end date" (9999-12-31).
PLACEHOLDER_YEAR = 9999
TOO_EARLY, TOO_LATE, PLACEHOLDER = -1, 1, 2
_YEAR_9999_S, _YEAR_10000_S = 253_370_764_800, 253_402_300_800  # 9999-01-01 and 10000-01-01, in Unix seconds
OUT_OF_RANGE_DETAIL = (
    f"the time lies outside {_EARLIEST:%Y-%m-%d} to {_LATEST:%Y-%m-%d}, the range a nanosecond timestamp holds "
    "(a start or change in year 9999 too); correct the year in that row"
)


# int64 sentinels for instants held as nanoseconds since 1970-01-01 UTC
NOT_A_TIME = np.iinfo(np.int64).min
NEVER = np.iinfo(np.int64).max


def nanoseconds(stamps: pd.Series | pd.DatetimeIndex | pd.Timestamp) -> np.ndarray | int:
    """Nanoseconds since 1970-01-01 UTC of timezone-aware timestamps; NaT becomes `NOT_A_TIME`.

    Parameters
    ----------
    stamps : Series, DatetimeIndex or Timestamp
        Timezone-aware timestamps of any resolution.

    Returns
    -------
    numpy.ndarray of int64, or int for a single Timestamp
    """
    if isinstance(stamps, pd.Timestamp):
        return int(stamps.value)
    return pd.DatetimeIndex(stamps).as_unit("ns").asi8


def as_utc(stamp: pd.Timestamp | str) -> pd.Timestamp:
    """A moment in UTC; a naive one is taken as UTC already.

    Examples
    --------
    >>> as_utc("2026-03-29 03:00+02:00")
    Timestamp('2026-03-29 01:00:00+0000', tz='UTC')
    """
    stamp = pd.Timestamp(stamp)
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")


@dataclass(frozen=True)
class ParsedTimes:
    """One timestamp column, parsed.

    Parameters
    ----------
    values : Series
        datetime64[ns, UTC]; NaT where the cell was empty or unparseable.
    missing : numpy.ndarray of bool
        The cell was empty.
    unparseable : numpy.ndarray of bool
        The cell held text that is not a timestamp.
    nonexistent : numpy.ndarray of bool
        A naive local time inside a clock-forward gap, shifted forward.
    ambiguous : numpy.ndarray of bool
        A naive local time in a repeated hour, read as its first occurrence.
    second_reading : Series
        For ambiguous cells, the second occurrence (UTC); NaT elsewhere.
    decisions : tuple of str
        How the column was read, when that was a choice.
    out_of_range : numpy.ndarray of int8, optional
        `TOO_EARLY` or `TOO_LATE` where a time lies outside what a nanosecond
        timestamp holds (about 1677 to 2262), `PLACEHOLDER` for a year-9999
        "no date" value, else 0. Such cells are NaT in `values`; all but
        placeholders are also `unparseable`.
    """

    values: pd.Series
    missing: np.ndarray
    unparseable: np.ndarray
    nonexistent: np.ndarray
    ambiguous: np.ndarray
    second_reading: pd.Series
    decisions: tuple[str, ...] = ()
    out_of_range: np.ndarray | None = None

    @property
    def beyond_range(self) -> np.ndarray:
        """Cells outside the nanosecond range that are not year-9999 placeholders."""
        flags = self.out_of_range if self.out_of_range is not None else np.zeros(len(self.values), np.int8)
        return (flags == TOO_EARLY) | (flags == TOO_LATE)

    @property
    def placeholder(self) -> np.ndarray:
        """Cells holding a year-9999 "no date" placeholder."""
        flags = self.out_of_range if self.out_of_range is not None else np.zeros(len(self.values), np.int8)
        return flags == PLACEHOLDER

    @classmethod
    def checked(cls, values: pd.Series) -> ParsedTimes:
        """Times already checked elsewhere (lifecycle pairs): nothing missing, unparseable or ambiguous."""
        none = np.zeros(len(values), bool)
        return _plain(values, none, none.copy())


def parse_timestamps(
    values: pd.Series, *, column: str, timestamp_format: str | None = None, timezone: str = "UTC"
) -> ParsedTimes:
    """Parse one column of timestamps to UTC.

    Parameters
    ----------
    values : Series
        Typed timestamps (naive or aware), dates, or text.
    column : str
        The column's name in the file, for the decisions.
    timestamp_format : str, optional
        A ``strptime`` format, or ``epoch_s``, ``epoch_ms`` or ``excel`` for times written as numbers
        (`vsm_widgets.serial_times`); without it ISO 8601 and `vsm_widgets.timestamp_formats.COMMON_FORMATS` are tried.
    timezone : str
        IANA zone of naive values.

    Returns
    -------
    ParsedTimes

    Examples
    --------
    >>> t = parse_timestamps(pd.Series(["2026-03-29 01:30", "2026-03-29 03:30"]), column="at",
    ...                      timezone="Europe/Berlin")
    >>> (t.values[1] - t.values[0]) / pd.Timedelta(hours=1)
    1.0
    """
    values = values.reset_index(drop=True)
    decisions: list[str] = []
    bounds = np.zeros(len(values), np.int8)
    if timestamp_format in SERIAL_FORMATS:
        return _serial(values, column, timestamp_format, timezone)
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        missing = values.isna().to_numpy()
        aware = _ns(values.dt.tz_convert("UTC"), UTC_NS, bounds)
        return _plain(aware, missing, np.isin(bounds, (TOO_EARLY, TOO_LATE)), decisions, bounds)
    if pd.api.types.is_datetime64_dtype(values.dtype):
        missing = values.isna().to_numpy()
        naive = _ns(values, "datetime64[ns]", bounds)
        return _localised(naive, missing, np.isin(bounds, (TOO_EARLY, TOO_LATE)), timezone, decisions, bounds)
    text = values.astype("string")
    missing = text.isna().to_numpy()
    parsed_aware = pd.Series(pd.NaT, index=text.index, dtype=UTC_NS)
    parsed_naive = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    if timestamp_format:
        with_offset = "%z" in timestamp_format or "%Z" in timestamp_format
        parsed = pd.to_datetime(text, format=timestamp_format, errors="coerce", utc=with_offset)
        if with_offset:
            parsed_aware = _ns(parsed, UTC_NS, bounds)
        else:
            parsed_naive = _ns(parsed, "datetime64[ns]", bounds)
    else:
        has_offset = text.str.contains(_OFFSET, na=False).to_numpy()
        if has_offset.any():
            parsed_aware[has_offset] = _ns(
                pd.to_datetime(text[has_offset], format="ISO8601", errors="coerce", utc=True), UTC_NS, bounds
            )
        naive = ~has_offset & ~missing
        if naive.any():
            chosen, note = choose_format(text[naive], column)
            if note:
                decisions.append(note)
            parsed = parse_with(text[naive], chosen)
            if chosen != "ISO8601":
                retry = parsed.isna()
                parsed[retry] = parse_with(text[naive][retry], "ISO8601")
            parsed_naive[naive] = _ns(parsed, "datetime64[ns]", bounds)
        # Only values that read as times count as "without an offset": text such
        # as #VALUE! is unparseable, not a second kind of time.
        if has_offset.any() and parsed_naive.notna().any():
            decisions.append(
                f"column '{column}' mixes times with and without a UTC offset: those without are read as {timezone}"
            )
    unparseable = ~missing & parsed_aware.isna().to_numpy() & parsed_naive.isna().to_numpy() & (bounds != PLACEHOLDER)
    if parsed_naive.notna().any():
        local = _localised(parsed_naive, parsed_naive.isna().to_numpy(), unparseable, timezone, decisions, bounds)
        filled = local.values.where(parsed_aware.isna(), parsed_aware)
        return ParsedTimes(
            filled,
            missing,
            unparseable,
            local.nonexistent,
            local.ambiguous,
            local.second_reading,
            tuple(decisions),
            bounds,
        )
    return _plain(parsed_aware, missing, unparseable, decisions, bounds)


def _serial(values: pd.Series, column: str, timestamp_format: str, timezone: str) -> ParsedTimes:
    """Times written as numbers: epoch values are UTC, Excel serials local wall time of `timezone`."""
    missing = values.isna().to_numpy() | (values.astype("string").str.strip() == "").fillna(True).to_numpy()
    seconds = serial_seconds(values, timestamp_format)
    bounds = np.zeros(len(values), np.int8)
    low, high = _EARLIEST.value / 1e9, _LATEST.value / 1e9
    bounds[seconds < low] = TOO_EARLY
    late = seconds >= high
    year_9999 = (seconds >= _YEAR_9999_S) & (seconds < _YEAR_10000_S)
    bounds[late] = np.where(year_9999[late], PLACEHOLDER, TOO_LATE)
    readable = np.isfinite(seconds) & (bounds == 0)
    ns = np.full(len(values), NOT_A_TIME, np.int64)
    ns[readable] = serial_nanoseconds(seconds[readable], timestamp_format)
    stamps = pd.Series(pd.to_datetime(ns, unit="ns"), dtype="datetime64[ns]").where(readable)
    unparseable = ~missing & ~readable & (bounds != PLACEHOLDER)
    decisions = [f"column '{column}' read as {SERIAL_FORMATS[timestamp_format]} (timestamp_format: {timestamp_format})"]
    if timestamp_format == "excel":
        return _localised(stamps, missing, unparseable, timezone, decisions, bounds)
    return _plain(stamps.dt.tz_localize("UTC"), missing, unparseable, decisions, bounds)


def _ns(values: pd.Series, dtype: str, bounds: np.ndarray) -> pd.Series:
    """`values` in nanoseconds; times that cannot be held become NaT, marked in `bounds` (by index label)."""
    aware = isinstance(values.dtype, pd.DatetimeTZDtype)
    low, high = (_EARLIEST.tz_localize("UTC"), _LATEST.tz_localize("UTC")) if aware else (_EARLIEST, _LATEST)
    early, late = (values < low).to_numpy(), (values >= high).to_numpy()
    if early.any() or late.any():
        labels = values.index.to_numpy()
        bounds[labels[early]] = TOO_EARLY
        bounds[labels[late]] = np.where(values[late].dt.year >= PLACEHOLDER_YEAR, PLACEHOLDER, TOO_LATE)
        values = values.where(~(early | late))
    return values.astype(dtype)


def _localised(
    naive: pd.Series,
    missing: np.ndarray,
    unparseable: np.ndarray,
    timezone: str,
    decisions: list[str],
    bounds: np.ndarray | None = None,
) -> ParsedTimes:
    none = np.zeros(len(naive), bool)
    if timezone == "UTC":
        return _plain(naive.dt.tz_localize("UTC"), missing, unparseable, decisions, bounds)
    # One pass marks both kinds of trouble as NaT; only those few rows are read again.
    strict = naive.dt.tz_localize(timezone, ambiguous="NaT", nonexistent="NaT")
    trouble = strict.isna().to_numpy() & naive.notna().to_numpy()
    values = strict.dt.tz_convert("UTC").astype(UTC_NS)
    nonexistent, ambiguous = none.copy(), none.copy()
    second = pd.Series(pd.NaT, index=naive.index, dtype=UTC_NS)
    if trouble.any():
        few = naive[trouble]
        first = few.dt.tz_localize(timezone, ambiguous=np.ones(len(few), bool), nonexistent="shift_forward")
        later = few.dt.tz_localize(timezone, ambiguous=np.zeros(len(few), bool), nonexistent="shift_forward")
        shifted = (first.dt.tz_localize(None) != few).to_numpy()
        twice = (first != later).to_numpy()
        values[trouble] = first.dt.tz_convert("UTC").astype(UTC_NS)
        nonexistent[np.flatnonzero(trouble)[shifted]] = True
        ambiguous[np.flatnonzero(trouble)[twice]] = True
        second[np.flatnonzero(trouble)[twice]] = later[twice].dt.tz_convert("UTC").astype(UTC_NS).to_numpy()
    return ParsedTimes(values, missing, unparseable, nonexistent, ambiguous, second, tuple(decisions), bounds)


def _plain(
    values: pd.Series,
    missing: np.ndarray,
    unparseable: np.ndarray,
    decisions: list[str] | None = None,
    bounds: np.ndarray | None = None,
) -> ParsedTimes:
    """A result with no daylight-saving trouble (aware input, or naive input read as UTC)."""
    none = np.zeros(len(values), bool)
    second = pd.Series(pd.NaT, index=values.index, dtype=UTC_NS)
    return ParsedTimes(
        values.astype(UTC_NS), missing, unparseable, none, none.copy(), second, tuple(decisions or ()), bounds
    )
