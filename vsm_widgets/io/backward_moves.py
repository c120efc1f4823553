"""Backward moves in status histories: keep, first or last (DOMAIN section 4.5).

A backward move is entering an active step that comes earlier in flow order
than the furthest step the item has reached. The policies only relabel visits;
start and end times never change, so an item's lead time is the same under all
three. docs/exports.md has the exact rules and a worked example.

``keep``
    Every visit stays as it happened; flow metrics count the return as rework.
``first``
    Each step keeps its first entry. From a backward move until the item again
    reaches its furthest step, the time (waiting states in between included)
    belongs to the furthest step reached, as if the item had never moved back.
``last``
    Each step keeps its last entry. Visits to later steps that the item later
    abandoned by moving back, and the waiting around them (not the waiting
    before its first active visit), fold into the earlier step the item moved
    back to.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def apply_backward_policy(
    visits: pd.DataFrame, item_codes: np.ndarray, steps: tuple[str, ...], policy: str
) -> tuple[pd.DataFrame, np.ndarray]:
    """Relabel the visits of each item under `policy` and merge what became contiguous.

    Parameters
    ----------
    visits : DataFrame
        Canonical visits sorted by item and start, with consecutive visits of
        one item touching (a status history has no gaps).
    item_codes : numpy.ndarray
        The item's code per visit.
    steps : tuple of str
        Active steps in flow order.
    policy : str
        ``"keep"``, ``"first"`` or ``"last"``.

    Returns
    -------
    visits, item_codes
        The relabelled, merged visits and their item codes.

    Examples
    --------
    >>> t = pd.to_datetime(["2026-01-01", "2026-01-02", "2026-01-03", "2026-01-04"], utc=True)
    >>> v = pd.DataFrame({"item": "A", "step": ["Dev", "QA", "Dev", "QA"], "kind": "active",
    ...                   "start": t, "end": list(t[1:]) + [pd.NaT], "row": [2, 3, 4, 5]})
    >>> out, _ = apply_backward_policy(v, np.zeros(4, int), ("Dev", "QA"), "first")
    >>> out[["step", "row"]].values.tolist()
    [['Dev', 2], ['QA', 3]]
    """
    if policy == "keep" or visits.empty:
        return visits, item_codes
    position = {step: index for index, step in enumerate(steps)}
    active = (visits["kind"] == "active").to_numpy()
    index = np.where(active, visits["step"].map(position).to_numpy(dtype=float, na_value=np.nan), np.nan)
    frame = pd.DataFrame({"idx": index})
    by_item = frame["idx"].groupby(item_codes, sort=False)
    if policy == "first":
        furthest = by_item.cummax()
        furthest = furthest.groupby(item_codes, sort=False).ffill()
        before = furthest.groupby(item_codes, sort=False).shift(1)
        latest = by_item.ffill()
        following = frame["idx"].groupby(item_codes, sort=False).shift(-1)
        upcoming = following.groupby(item_codes, sort=False).bfill()
        span = np.where(
            active,
            (index < before).to_numpy(),
            ((latest < furthest) | (upcoming < furthest)).to_numpy(),
        )
        target = furthest.to_numpy()
    else:
        reverse = frame["idx"][::-1].groupby(item_codes[::-1], sort=False)
        lowest = reverse.cummin()[::-1]
        lowest = lowest[::-1].groupby(item_codes[::-1], sort=False).ffill()[::-1]
        after = lowest.groupby(item_codes, sort=False).shift(-1)
        upcoming = by_item.bfill()
        previous = by_item.ffill()
        # A waiting state before the item's first active visit is its backlog, not waiting around an
        # abandoned visit: folding it in would start the clock earlier and change the lead time.
        span = np.where(
            active,
            (index > after).to_numpy(),
            (previous.notna() & ((upcoming > lowest) | (previous > lowest))).to_numpy(),
        )
        target = np.where(active, after.to_numpy(), lowest.to_numpy())
    span &= ~np.isnan(target)
    relabelled = visits.copy()
    if span.any():
        names = np.asarray(steps, dtype=object)[target[span].astype(np.int64)]
        relabelled.loc[span, "step"] = names
        relabelled.loc[span, "kind"] = "active"
    return merge_consecutive(relabelled, item_codes)


def merge_consecutive(visits: pd.DataFrame, item_codes: np.ndarray) -> tuple[pd.DataFrame, np.ndarray]:
    """Merge consecutive visits of one item to the same step and kind into one visit.

    The merged visit starts when the first began, ends when the last ended
    (open if the last is open) and keeps the first one's row, actor and team.

    Parameters
    ----------
    visits : DataFrame
        Sorted by item and start.
    item_codes : numpy.ndarray
        The item's code per visit.

    Returns
    -------
    visits, item_codes
    """
    if len(visits) < 2:
        return visits, item_codes
    step = visits["step"].to_numpy(dtype=object)
    kind = visits["kind"].to_numpy(dtype=object)
    continues = np.zeros(len(visits), bool)
    continues[1:] = (item_codes[1:] == item_codes[:-1]) & (step[1:] == step[:-1]) & (kind[1:] == kind[:-1])
    if not continues.any():
        return visits, item_codes
    firsts = np.flatnonzero(~continues)
    lasts = np.append(firsts[1:] - 1, len(visits) - 1)
    merged = visits.iloc[firsts].reset_index(drop=True)
    merged["end"] = visits["end"].iloc[lasts].set_axis(merged.index)
    return merged, item_codes[firsts]
