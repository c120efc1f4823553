"""Running maxima over rows grouped by item, as visits are once sorted.

Whether a visit overlaps an earlier one of its item, which visits open a block of
active time, which return to a step already left: each asks for the latest end so
far within the item. Visits that follow one another (nearly all) have ends that
already rise, so only the items where an end falls are left to pandas' grouped
running maximum, which costs a hash of every row.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def running_max(values: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """The running maximum of `values` within each group, restarting with every group.

    Parameters
    ----------
    values : numpy.ndarray of int
        Such as each visit's end in nanoseconds.
    groups : numpy.ndarray of int
        Non-negative group codes (the visit's item), rows of one group next to each other.

    Returns
    -------
    numpy.ndarray of int
        What ``pandas.Series(values).groupby(groups, sort=False).cummax()`` gives, as a new array.

    Examples
    --------
    >>> running_max(np.array([5, 3, 9, 1, 4, 2]), np.array([0, 0, 0, 1, 1, 2])).tolist()
    [5, 5, 9, 1, 4, 2]
    """
    result = np.array(values, copy=True)
    if len(result) < 2:
        return result
    falls = (result[1:] < result[:-1]) & (groups[1:] == groups[:-1])
    if not falls.any():
        return result
    falling = np.zeros(int(groups.max()) + 1, dtype=bool)
    falling[groups[1:][falls]] = True
    rows = falling[groups]
    result[rows] = pd.Series(result[rows]).groupby(groups[rows], sort=False).cummax().to_numpy()
    return result
