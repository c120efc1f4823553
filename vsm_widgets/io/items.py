"""The items table of an `EventLog`: where each item's clock starts and when it finished.

The start point is a convention the readout prints (DOMAIN section 3):
``first_active`` starts the clock at the item's first active visit (an item
that never reached an active step has not started: NaT), ``first_status`` at
its first row, and ``created`` at its created/requested time, falling back to
the first row where that is missing or later (counted and reported).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from vsm_widgets.io.quality import QualityTally
from vsm_widgets.model.event_log import ITEM_COLUMNS
from vsm_widgets.timestamps import NEVER, NOT_A_TIME, UTC_NS, nanoseconds


def interval_items(
    visits: pd.DataFrame, codes: np.ndarray, created: pd.Series | None, end_steps: tuple[str, ...], tally: QualityTally
) -> pd.DataFrame:
    """Per item of an interval log: first start, done, type and created.

    Without end steps an item is finished when none of its visits is open, at
    its last end. With end steps it is finished once it has completed a visit
    to one of them, at the latest such end.

    Parameters
    ----------
    visits : DataFrame
        Canonical visits sorted by item.
    codes : numpy.ndarray
        Item code per visit (sorted).
    created : Series or None
        The created time per visit (UTC), if the export has one.
    end_steps : tuple of str
        Steps that finish an item.
    tally : QualityTally
        Receives the decision on how finishing was decided.

    Returns
    -------
    DataFrame
        ``code, item, first, done`` and ``type``/``created`` where present.
    """
    bounds = group_bounds(codes)
    start, end = nanoseconds(visits["start"]), nanoseconds(visits["end"])
    open_visit = end == NOT_A_TIME
    base = pd.DataFrame({"code": codes[bounds], "item": visits["item"].iloc[bounds].to_numpy()})
    base["first"] = stamps(np.minimum.reduceat(start, bounds))
    if end_steps:
        closing = visits["step"].isin(list(end_steps)).to_numpy() & ~open_visit
        base["done"] = stamps(np.maximum.reduceat(np.where(closing, end, NOT_A_TIME), bounds))
        tally.decide(f"an item is finished once it has completed a visit to: {', '.join(end_steps)}")
    else:
        still_open = np.logical_or.reduceat(open_visit, bounds)
        base["done"] = stamps(np.where(still_open, NOT_A_TIME, np.maximum.reduceat(end, bounds)))
        tally.decide("an item is finished when none of its visits is open (give end_steps in a mapping to decide)")
    if "type" in visits:
        types = visits["type"]
        # An item's type is its first visit's, or its first given one when some visits have none.
        first_type = types.groupby(codes, sort=True).first() if types.hasnans else types.iloc[bounds]
        base["type"] = first_type.to_numpy(dtype=object)
    if created is not None:
        values = nanoseconds(created)
        base["created"] = stamps(np.minimum.reduceat(np.where(values == NOT_A_TIME, NEVER, values), bounds))
    return base


def item_table(
    base: pd.DataFrame,
    visits: pd.DataFrame,
    codes: np.ndarray,
    start_point: str,
    tally: QualityTally,
    backlog_return: str = "keep",
) -> pd.DataFrame:
    """The canonical items table: ``item, type, started, done, finished``.

    Parameters
    ----------
    base : DataFrame
        Per item, sorted by code: ``code, item, first, done`` and optionally ``type``, ``created``.
    visits : DataFrame
        Canonical visits sorted by item (for the first active visit).
    codes : numpy.ndarray
        Item code per visit.
    start_point : str
        ``"first_active"``, ``"first_status"`` or ``"created"``.
    tally : QualityTally
        Receives the items whose created time was missing or late, and those that returned to the backlog.
    backlog_return : str
        ``"keep"``: the clock runs on from the start point; ``"restart"``: an item that went back to
        a waiting state it was in before its first active step restarts its clock at its next start.

    Returns
    -------
    DataFrame
    """
    if start_point == "first_active":
        active = (visits["kind"] == "active").to_numpy()
        start = np.where(active, nanoseconds(visits["start"]), NEVER)
        bounds = group_bounds(codes)
        first_active = pd.Series(np.minimum.reduceat(start, bounds) if len(bounds) else [], index=codes[bounds])
        started = stamps(first_active.reindex(base["code"].to_numpy(), fill_value=NEVER).to_numpy(dtype=np.int64))
        never = int(started.isna().sum())
        if never:
            tally.decide(
                f"{never} items never reached an active step (start point first_active): they count as items with "
                "no lead time, and in no WIP, throughput or lead-time figure"
            )
    elif start_point == "first_status":
        started = base["first"]
    else:
        started = _created_start(base, tally)
    started = _after_backlog_returns(
        pd.Series(started).reset_index(drop=True), base, visits, codes, tally, backlog_return
    )
    items = pd.DataFrame(
        {
            "item": base["item"].astype(str).to_numpy(),
            "type": base["type"].to_numpy(dtype=object) if "type" in base else pd.NA,
            "started": pd.Series(started).astype(UTC_NS).array,
            "done": base["done"].astype(UTC_NS).array,
        }
    )
    items["finished"] = items["done"].notna()
    return items[list(ITEM_COLUMNS)]


def group_bounds(codes: np.ndarray) -> np.ndarray:
    """Positions where a new item begins in an array of sorted item codes."""
    if len(codes) == 0:
        return np.zeros(0, np.int64)
    return np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])


def stamps(ns: np.ndarray) -> pd.Series:
    """UTC timestamps from int64 nanoseconds; the extreme values mean 'none' (NaT)."""
    values = np.asarray(ns, dtype=np.int64)
    values = np.where(values == NEVER, NOT_A_TIME, values)
    # Passing tz= to the constructor reads the values as UTC wall times (the same instants) without
    # the per-value checks of tz_localize.
    return pd.Series(pd.DatetimeIndex(values.view("datetime64[ns]"), tz="UTC"))


def _created_start(base: pd.DataFrame, tally: QualityTally) -> pd.Series:
    first = base["first"]
    if "created" not in base:
        tally.decide(
            "start point 'created' asked for, but the export has no created column: "
            "clocks start at each item's first row"
        )
        return first
    created = base["created"]
    missing = created.isna()
    late = created > first
    if missing.any():
        tally.decide(f"{int(missing.sum())} items have no created time: their clocks start at their first row")
    if late.any():
        tally.decide(f"{int(late.sum())} items were created after their first row: their clocks start at that row")
    return created.where(~missing & ~late, first)


def _after_backlog_returns(
    started: pd.Series, base: pd.DataFrame, visits: pd.DataFrame, codes: np.ndarray, tally: QualityTally, policy: str
) -> pd.Series:
    """Clock starts after returns to the backlog: a waiting state the item was in before its first active step.

    Counted and said either way; under ``restart`` the clock of such an item starts at its
    first active visit after its last return (none yet: it has not started again).
    """
    # Compared as Arrow text: turning a million kinds into Python strings first costs about 60 MB.
    waits = (visits["kind"] == "waiting").to_numpy(dtype=bool)
    if not waits.any():
        # No waiting visits (an interval log of active work): nothing can return to the backlog, and the
        # tables below would cost a group-by over every visit for nothing.
        return started
    kind = visits["kind"].to_numpy()
    table = pd.DataFrame({"code": codes, "step": visits["step"].to_numpy(), "start": nanoseconds(visits["start"])})
    active = table[kind == "active"]
    first_active = active.groupby("code")["start"].min()
    table["first_active"] = first_active.reindex(table["code"].to_numpy(), fill_value=NEVER).to_numpy(np.int64)
    waiting = table[waits]
    before = waiting[waiting["start"] < waiting["first_active"]][["code", "step"]].drop_duplicates()
    returns = waiting[waiting["start"] >= waiting["first_active"]].merge(before, on=["code", "step"])
    if returns.empty:
        return started
    last_return = returns.groupby("code")["start"].max()
    count = len(last_return)
    if policy != "restart":
        tally.decide(
            f"{count} items went back to the backlog after work began: their clocks run on from the first start "
            "(give backlog_return: restart in a mapping to restart them at the next start)"
        )
        return started
    later = active.assign(back=last_return.reindex(active["code"].to_numpy(), fill_value=NEVER).to_numpy(np.int64))
    restart = later[later["start"] >= later["back"]].groupby("code")["start"].min()
    position = pd.Index(base["code"]).get_indexer(last_return.index)
    values = restart.reindex(last_return.index, fill_value=NEVER).to_numpy(np.int64)
    restarted = started.copy()
    restarted.iloc[position] = stamps(values).to_numpy()
    tally.decide(
        f"{count} items went back to the backlog after work began: their clocks restart at their next start "
        f"(backlog_return: restart); {int((values == NEVER).sum())} have not started again"
    )
    return restarted
