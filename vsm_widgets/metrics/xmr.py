"""XmR charts (individuals and moving range): natural process limits and signals.

Layer 2, beside the flow metrics. For values in time order, the moving range is
the absolute difference of each value from the one before. The natural process
limits are ``mean ± 2.66 × average moving range`` and the upper range limit is
``3.268 × average moving range`` (Wheeler's scaling constants for moving
ranges of two points). Limits may come from a baseline period and be applied
to later points, which is how a change is judged against the way things were.

A point is a signal when it lies beyond the natural process limits, or when it
belongs to a run of eight or more consecutive points on one side of the
centre line; everything else is routine variation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from vsm_widgets.exceptions import VsmInputError
from vsm_widgets.timestamps import as_utc

NATURAL_LIMIT_SCALE = 2.66
RANGE_LIMIT_SCALE = 3.268
RUN_LENGTH = 8
POINT_COLUMNS = (
    "position",
    "value",
    "moving_range",
    "in_baseline",
    "beyond_limits",
    "in_run",
    "signal",
    "moving_range_beyond",
)


@dataclass(frozen=True)
class XmrLimits:
    """The centre line and limits of an XmR chart.

    Parameters
    ----------
    centre : float
        Mean of the baseline values.
    average_moving_range : float
        Mean of the moving ranges within the baseline.
    lower, upper : float
        Natural process limits; the lower one is raised to `floor` when given
        (a lead time cannot be negative).
    moving_range_upper : float
        Upper range limit of the moving-range chart.
    baseline_points : int
        How many values the limits were computed from.
    """

    centre: float
    average_moving_range: float
    lower: float
    upper: float
    moving_range_upper: float
    baseline_points: int

    @property
    def defined(self) -> bool:
        """True when there were enough baseline values (two or more) to compute limits."""
        return bool(np.isfinite(self.centre) and np.isfinite(self.average_moving_range))


@dataclass(frozen=True)
class Xmr:
    """An XmR analysis: the limits and one row per point.

    ``points`` has the columns of `POINT_COLUMNS` plus any passed through
    (item, type, done for lead times).
    """

    limits: XmrLimits
    points: pd.DataFrame

    @property
    def signals(self) -> int:
        """How many points are signals."""
        return int(self.points["signal"].sum())


def xmr(
    values: pd.Series | np.ndarray | list[float],
    baseline: int | np.ndarray | pd.Series | None = None,
    floor: float | None = None,
    run_length: int = RUN_LENGTH,
) -> Xmr:
    """Natural process limits and signals of values in time order.

    Parameters
    ----------
    values : array-like of float
        The measure in time order (e.g. lead times in completion order).
    baseline : int, boolean array or None
        The values the limits come from: the first `baseline` values, the
        values where the mask is true, or all values (None).
    floor : float, optional
        Smallest possible value; the lower limit is not drawn below it.
    run_length : int
        Consecutive points on one side of the centre line that make a run.

    Returns
    -------
    Xmr
        Limits (NaN with fewer than two baseline values) and the point table.

    Examples
    --------
    >>> result = xmr([10, 12, 11, 13, 12, 40])
    >>> round(result.limits.centre, 2), bool(result.points["beyond_limits"].iloc[-1])
    (16.33, True)
    >>> result = xmr([10, 12, 11, 13, 12, 40], baseline=5)
    >>> round(result.limits.upper, 2), bool(result.points["signal"].iloc[-1])
    (15.59, True)
    """
    data = np.asarray(values, dtype=float)
    count = len(data)
    mask = _baseline_mask(baseline, count)
    moving_range = np.full(count, np.nan)
    if count > 1:
        moving_range[1:] = np.abs(np.diff(data))
    pairs = mask.copy()
    pairs[0:1] = False
    pairs[1:] &= mask[:-1]
    base_values = data[mask]
    base_ranges = moving_range[pairs]
    if len(base_values) >= 2 and len(base_ranges) >= 1:
        centre = float(base_values.mean())
        average_range = float(base_ranges.mean())
    else:
        centre = average_range = float("nan")
    lower = centre - NATURAL_LIMIT_SCALE * average_range
    if floor is not None and np.isfinite(lower):
        lower = max(lower, float(floor))
    limits = XmrLimits(
        centre=centre,
        average_moving_range=average_range,
        lower=lower,
        upper=centre + NATURAL_LIMIT_SCALE * average_range,
        moving_range_upper=RANGE_LIMIT_SCALE * average_range,
        baseline_points=int(mask.sum()),
    )
    beyond = (data > limits.upper) | (data < limits.lower) if limits.defined else np.zeros(count, dtype=bool)
    in_run = _runs(data, centre, run_length) if limits.defined else np.zeros(count, dtype=bool)
    range_beyond = moving_range > limits.moving_range_upper if limits.defined else np.zeros(count, dtype=bool)
    points = pd.DataFrame(
        {
            "position": np.arange(1, count + 1),
            "value": data,
            "moving_range": moving_range,
            "in_baseline": mask,
            "beyond_limits": beyond,
            "in_run": in_run,
            "signal": beyond | in_run,
            "moving_range_beyond": range_beyond,
        },
        columns=list(POINT_COLUMNS),
    )
    return Xmr(limits, points)


def lead_time_xmr(
    items: pd.DataFrame,
    baseline: int | tuple[object, object] | None = None,
    column: str = "lead_time_hours",
) -> Xmr:
    """XmR analysis of the lead times of finished items in completion order.

    Parameters
    ----------
    items : DataFrame
        The table of `vsm_widgets.metrics.flow.item_metrics`: needs ``item``, ``done``,
        ``finished`` and `column`; ``type`` is passed through when present.
    baseline : int, (start, end) or None
        The first `baseline` finished items, the items done within the period
        ``[start, end)``, or all items.
    column : str
        The duration column to analyse.

    Returns
    -------
    Xmr
        Limits in the unit of `column` (never below zero) and one point per
        finished item with its ``item``, ``type`` and ``done``.

    Examples
    --------
    >>> import pandas as pd
    >>> items = pd.DataFrame({"item": list("abcd"), "finished": True, "lead_time_hours": [5.0, 7, 6, 8],
    ...     "done": pd.date_range("2026-01-01", periods=4, tz="UTC")})
    >>> lead_time_xmr(items).limits.centre
    6.5
    """
    finished = items[items["finished"].astype(bool) & items[column].notna() & items["done"].notna()]
    finished = finished.sort_values(["done", "item"], kind="stable")
    if isinstance(baseline, tuple):
        start, end = (as_utc(stamp) for stamp in baseline)
        mask: int | np.ndarray | None = ((finished["done"] >= start) & (finished["done"] < end)).to_numpy()
    else:
        mask = baseline
    result = xmr(finished[column].to_numpy(dtype=float), baseline=mask, floor=0.0)
    passed = [name for name in ("item", "type", "done") if name in finished]
    points = pd.concat([result.points, finished[passed].reset_index(drop=True)], axis=1)
    return Xmr(result.limits, points)


def _baseline_mask(baseline: int | np.ndarray | pd.Series | None, count: int) -> np.ndarray:
    if baseline is None:
        return np.ones(count, dtype=bool)
    if isinstance(baseline, (int, np.integer)) and not isinstance(baseline, bool):
        if baseline < 2:
            raise VsmInputError(f"a baseline needs at least two points, not {baseline}", "Give 2 or more")
        return np.arange(count) < baseline
    mask = np.asarray(baseline, dtype=bool)
    if mask.shape != (count,):
        raise VsmInputError(f"the baseline mask has {mask.size} entries for {count} values", "Give one entry per value")
    return mask


def _runs(data: np.ndarray, centre: float, run_length: int) -> np.ndarray:
    """Flag points in runs of `run_length` or more on one side of the centre (a point on it breaks a run)."""
    side = np.sign(data - centre)
    if len(side) == 0:
        return np.zeros(0, dtype=bool)
    run_id = np.concatenate([[0], np.cumsum(side[1:] != side[:-1])])
    lengths = np.bincount(run_id)
    return (lengths[run_id] >= run_length) & (side != 0)
