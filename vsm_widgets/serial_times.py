"""Timestamps written as numbers: Unix seconds or milliseconds, and Excel serial day numbers.

A mapping names them with ``timestamp_format: epoch_s``, ``epoch_ms`` or ``excel``.
Epoch values count from 1970-01-01 00:00 UTC and may carry decimals (read to the
microsecond). Excel serials count days in the 1900 date system, as Excel shows
them: serial 1 is 1900-01-01, serial 60 is the 1900-02-29 that never was (Excel
keeps Lotus 1-2-3's leap-year bug, so the serial cannot be read), and serials past
60 count days since 1899-12-30; the fraction is the time of day (read to the
millisecond, as Excel keeps it). An Excel serial has no zone: it is local time, like
any time without an offset. Without a format, `suggest_serial_format` names the one
whose magnitude fits a column of numbers, for the error message.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

SERIAL_FORMATS = {
    "epoch_s": "seconds since 1970-01-01 UTC (Unix time)",
    "epoch_ms": "milliseconds since 1970-01-01 UTC",
    "excel": "Excel serial day numbers (1900 date system)",
}
# Which format a column of numbers is, from its median: (format, lowest, highest), the ranges apart by
# orders of magnitude. Unix seconds 1e8 to 1e11 are 1973 to 5138; milliseconds the same times; Excel
# serials 20,000 to 60,000 are 1954 to 2064.
_MAGNITUDES = (("epoch_s", 1e8, 1e11), ("epoch_ms", 1e11, 1e14), ("excel", 2e4, 6e4))
_DAY_S = 86_400
# Days from Excel's day zero to 1970-01-01: 1899-12-30 past the phantom leap day, 1899-12-31 before it.
_EXCEL_EPOCH_DAYS, _EXCEL_EARLY_EPOCH_DAYS, _EXCEL_LEAP_BUG = 25_569, 25_568, 60


def serial_seconds(values: pd.Series, timestamp_format: str) -> np.ndarray:
    """Seconds since 1970-01-01 of each value, NaN where a value is not a number the format reads.

    Parameters
    ----------
    values : Series
        Numbers, or text holding numbers.
    timestamp_format : {"epoch_s", "epoch_ms", "excel"}

    Returns
    -------
    numpy.ndarray of float
        For Excel serials, seconds of local wall time; NaN for text that is not a number,
        for serials below 1 and for serial 60 (1900-02-29, a day that does not exist).

    Examples
    --------
    >>> serial_seconds(pd.Series(["1700000000", "1700000000.5"]), "epoch_s").tolist()
    [1700000000.0, 1700000000.5]
    >>> (serial_seconds(pd.Series([45000, 60, 59, 1]), "excel") / 86400).tolist()
    [19431.0, nan, -25509.0, -25567.0]
    """
    numbers = _numbers(values)
    if timestamp_format == "epoch_s":
        return numbers
    if timestamp_format == "epoch_ms":
        return numbers / 1000
    days = np.where(numbers < _EXCEL_LEAP_BUG, numbers - _EXCEL_EARLY_EPOCH_DAYS, numbers - _EXCEL_EPOCH_DAYS)
    unreadable = (numbers < 1) | ((numbers >= _EXCEL_LEAP_BUG) & (numbers < _EXCEL_LEAP_BUG + 1))
    return np.where(unreadable, np.nan, days * _DAY_S)


def serial_nanoseconds(seconds: np.ndarray, timestamp_format: str) -> np.ndarray:
    """`serial_seconds` as int64 nanoseconds, rounded as the format is precise; only for finite, in-range values.

    Parameters
    ----------
    seconds : numpy.ndarray of float
    timestamp_format : {"epoch_s", "epoch_ms", "excel"}

    Returns
    -------
    numpy.ndarray of int64
        Rounded to the microsecond (epoch) or the millisecond (Excel, whose serials hold no finer time),
        so that ``1700000000.123`` is .123000 s and not the float's .12299990654.
    """
    step = 1_000_000 if timestamp_format == "excel" else 1_000
    whole = np.floor(seconds)
    fraction = np.round((seconds - whole) * (1e9 / step)).astype(np.int64) * step
    return whole.astype(np.int64) * 1_000_000_000 + fraction


def suggest_serial_format(values: pd.Series) -> str | None:
    """The numeric `timestamp_format` a column of numbers most likely is, from its magnitude.

    Parameters
    ----------
    values : Series
        The column as read (text or numbers).

    Returns
    -------
    str or None
        ``"epoch_s"``, ``"epoch_ms"`` or ``"excel"``; None when a value is not a number or
        the median fits none of them.

    Examples
    --------
    >>> suggest_serial_format(pd.Series(["1700000000", "1700003600"]))
    'epoch_s'
    >>> suggest_serial_format(pd.Series([1.7e12])), suggest_serial_format(pd.Series(["45000.5"]))
    ('epoch_ms', 'excel')
    >>> suggest_serial_format(pd.Series(["2026-01-05"])) is None
    True
    """
    given = values.dropna()
    numbers = _numbers(given)
    if not len(numbers) or np.isnan(numbers).any():
        return None
    middle = float(np.median(numbers))
    return next((name for name, low, high in _MAGNITUDES if low <= middle < high), None)


def _numbers(values: pd.Series) -> np.ndarray:
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        numbers = values.to_numpy(dtype=float, na_value=np.nan)
    else:
        numbers = pd.to_numeric(values.astype("string").str.strip(), errors="coerce").to_numpy(
            dtype=float, na_value=np.nan
        )
    return np.where(np.isfinite(numbers), numbers, np.nan)
