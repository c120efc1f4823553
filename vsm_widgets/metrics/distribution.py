"""A distribution of durations summarised small enough to draw, whatever the number of items.

Layer 2, beside the flow metrics: charts draw these tables and never the raw
items. Percentile lines (median, 85th and 95th by default, DOMAIN 4.8), the
bins of a histogram, and a point cloud that is one point per item while the
items are few and counts per cell of a grid once they are many.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

PERCENTILES = (50, 85, 95)
PERCENTILE_METHOD = "linear interpolation between the two nearest ranks (numpy's default)"
"""How every percentile in the toolkit is taken (`percentiles`), as the conventions block prints it."""


def percentiles(
    values: pd.Series | np.ndarray | Sequence[float],
    ranks: Sequence[float],
    *,
    axis: int | None = None,
    outcomes: bool = False,
) -> np.ndarray:
    """The percentiles of the values: the one way the toolkit takes them, so every page agrees.

    Parameters
    ----------
    values : array-like of float
        Durations or counts; missing values (NaN) are ignored.
    ranks : sequence of float
        Percentiles between 0 and 100, such as ``(50, 85)``.
    axis : int, optional
        Take the percentiles along this axis of a 2-D array (one row per bootstrap resample).
    outcomes : bool, optional
        For forecasts of whole days or items: the smallest simulated outcome at or above each
        rank (the inverted distribution function), so the answer is an outcome that happened,
        not one interpolated between two.

    Returns
    -------
    numpy.ndarray
        One value per rank (along `axis`, one row per rank); NaN for each when there are no values.

    Examples
    --------
    >>> percentiles([1, 2, 3, 4], (50, 85)).round(2).tolist()
    [2.5, 3.55]
    >>> percentiles([1, 2, 3, 4], (50, 85), outcomes=True).tolist()
    [2.0, 4.0]
    >>> percentiles([], (50,)).tolist()
    [nan]
    """
    data = np.asarray(values, dtype=float)
    method = "inverted_cdf" if outcomes else "linear"
    missing = np.isnan(data)
    if axis is not None:
        take = np.nanpercentile if missing.any() else np.percentile
        return take(data, list(ranks), axis=axis, method=method)
    data = data[~missing]
    if data.size == 0:
        return np.full(len(ranks), np.nan)
    return np.percentile(data, list(ranks), method=method)


def percentile_lines(values: pd.Series | np.ndarray, ranks: Sequence[int] = PERCENTILES) -> pd.DataFrame:
    """The given percentiles of the values, one row each.

    Parameters
    ----------
    values : array-like of float
        Durations; missing values are ignored.
    ranks : sequence of int
        Percentiles between 0 and 100, taken by `percentiles`.

    Returns
    -------
    DataFrame
        ``percentile`` (int) and ``value`` (float); empty when there are no values.

    Examples
    --------
    >>> percentile_lines(range(1, 101))["value"].round(2).tolist()
    [50.5, 85.15, 95.05]
    """
    data = np.asarray(values, dtype=float)
    if np.isnan(data).all():
        return pd.DataFrame({"percentile": pd.Series(dtype=int), "value": pd.Series(dtype=float)})
    return pd.DataFrame({"percentile": list(ranks), "value": percentiles(data, ranks)})


def histogram(values: pd.Series | np.ndarray, max_bins: int = 40) -> pd.DataFrame:
    """Counts of values in equal-width bins (numpy's automatic width, at most `max_bins` bins).

    Parameters
    ----------
    values : array-like of float
        Durations; missing values are ignored.
    max_bins : int
        Most bins to return.

    Returns
    -------
    DataFrame
        ``bin_start``, ``bin_end`` and ``count``; empty when there are no values.

    Examples
    --------
    >>> histogram([1.0, 1.5, 2.0, 8.0], max_bins=4)["count"].tolist()
    [3, 0, 1]
    """
    data = np.asarray(values, dtype=float)
    data = data[~np.isnan(data)]
    if data.size == 0:
        return pd.DataFrame(
            {"bin_start": pd.Series(dtype=float), "bin_end": pd.Series(dtype=float), "count": pd.Series(dtype=int)}
        )
    edges = np.histogram_bin_edges(data, bins="auto")
    if edges.size - 1 > max_bins:
        edges = np.histogram_bin_edges(data, bins=max_bins)
    counts, edges = np.histogram(data, bins=edges)
    return pd.DataFrame({"bin_start": edges[:-1], "bin_end": edges[1:], "count": counts})


def point_cloud(
    frame: pd.DataFrame,
    x: str,
    y: str,
    keep: Sequence[str] = (),
    max_points: int = 2000,
    y_bins: int = 40,
) -> pd.DataFrame:
    """One point per row while there are at most `max_points` rows; counts on a grid beyond.

    Parameters
    ----------
    frame : DataFrame
        One row per item.
    x : str
        A datetime column (binned into equal time slices) or a categorical one
        (kept as it is).
    y : str
        A numeric column, binned into equal-width bins and drawn at the bin middle.
    keep : sequence of str
        Columns kept on individual points (item, type ...); missing once binned.
    max_points : int
        The most rows returned.
    y_bins : int
        Bins of `y` once binned (fewer when `x` has many categories).

    Returns
    -------
    DataFrame
        `x`, `y`, `keep` and ``count`` (1 for individual points).

    Examples
    --------
    >>> frame = pd.DataFrame({"step": ["a"] * 5 + ["b"] * 5, "age": range(10)})
    >>> len(point_cloud(frame, "step", "age", max_points=4, y_bins=2))
    2
    """
    data = frame.loc[frame[y].notna(), [x, y, *keep]]
    if len(data) <= max_points:
        return data.assign(count=1).reset_index(drop=True)
    is_time = pd.api.types.is_datetime64_any_dtype(data[x])
    if is_time:
        y_bins = max(1, min(y_bins, max_points))
        x_values = _time_slices(data[x], max(1, max_points // y_bins))
    else:
        categories = data[x].nunique()
        y_bins = max(1, min(y_bins, max_points // max(categories, 1)))
        x_values = data[x]
    lowest, highest = float(data[y].min()), float(data[y].max())
    width = (highest - lowest) / y_bins or 1.0
    index = np.minimum(((data[y].to_numpy(dtype=float) - lowest) // width).astype(int), y_bins - 1)
    middles = lowest + (index + 0.5) * width
    grid = pd.DataFrame({x: x_values.to_numpy(), y: middles})
    counted = grid.groupby([x, y], sort=True, observed=True).size().rename("count").reset_index()
    for column in keep:
        counted[column] = pd.Series(pd.NA, index=counted.index, dtype="object")
    return counted[[x, y, *keep, "count"]]


def _time_slices(stamps: pd.Series, slices: int) -> pd.Series:
    """The middle of the equal time slice each stamp falls in, with at most `slices` slices."""
    first, last = stamps.min(), stamps.max()
    width = (last - first) / slices
    if width <= pd.Timedelta(0):
        return stamps
    index = ((stamps - first) // width).clip(upper=slices - 1)
    return first + index * width + width / 2
