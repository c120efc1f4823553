"""The `EventLog`: what happened to each item, in one canonical shape.

Readers (`vsm_widgets.io.exports`) turn interval logs and status histories into
an `EventLog`; flow metrics (`vsm_widgets.metrics.flow`) read it. The log is a frozen
value: derive a new one with `EventLog.replace`.

The canonical ``visits`` table has one row per visit of an item to a step or a
waiting state:

======== ======================================================================
column   meaning
======== ======================================================================
item     item key (str)
step     step name, or the waiting state's name for waiting rows (str)
kind     ``"active"`` (work is done) or ``"waiting"`` (a queue) (str)
start    when the visit began (datetime64[ns, UTC])
end      when it ended; NaT while the visit is still open (datetime64[ns, UTC])
row      the first spreadsheet row (header = 1) the visit came from (int)
======== ======================================================================

plus, where the export has them, ``type``, ``actor`` and ``team`` (str).

The ``items`` table has one row per item: ``item``, ``type`` (or missing),
``started`` (where the clock starts, per `start_point`), ``done`` (when the item
finished, NaT for work in progress) and ``finished`` (bool).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from vsm_widgets.calendar import Calendar

VISIT_COLUMNS = ("item", "step", "kind", "start", "end", "row")
OPTIONAL_COLUMNS = ("type", "actor", "team")
ITEM_COLUMNS = ("item", "type", "started", "done", "finished")
KINDS = ("active", "waiting")
START_POINTS = ("first_active", "first_status", "created")
BACKWARD_POLICIES = ("keep", "first", "last")
WHOLE_DAYS = ("exact", "exclusive", "inclusive")
BACKLOG_RETURNS = ("keep", "restart")


@dataclass(frozen=True)
class QualityIssue:
    """Rows that were dropped or corrected, for one reason.

    Parameters
    ----------
    reason : str
        Short, stable reason such as ``"unparseable timestamp"``.
    count : int
        How many input rows it concerns.
    action : str
        ``"dropped"``, ``"corrected"`` or ``"kept"`` (kept but flagged).
    rows : tuple of int
        Up to 10 example rows as a spreadsheet shows them.
    detail : str
        What was done and what the user may want to do.
    """

    reason: str
    count: int
    action: str = "dropped"
    rows: tuple[int, ...] = ()
    detail: str = ""


@dataclass(frozen=True)
class QualityReport:
    """Every input row accounted for: used, or counted with its reason.

    Parameters
    ----------
    rows_read : int
        Data rows in the input (header excluded).
    rows_used : int
        Rows that became part of the log.
    issues : tuple of QualityIssue
        Dropped, corrected or flagged rows, by reason.
    decisions : tuple of str
        Choices made while reading (columns recognised, time zone assumed ...).
    """

    rows_read: int
    rows_used: int
    issues: tuple[QualityIssue, ...] = ()
    decisions: tuple[str, ...] = ()

    @property
    def dropped(self) -> tuple[QualityIssue, ...]:
        """The issues whose rows were not used."""
        return tuple(i for i in self.issues if i.action == "dropped")

    def to_dict(self) -> dict:
        """The ``quality`` object of ``vsm metrics --json`` (DESIGN 4.2)."""
        return {
            "rows_read": int(self.rows_read),
            "rows_used": int(self.rows_used),
            "dropped": [{"reason": i.reason, "count": int(i.count)} for i in self.dropped],
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per issue, with its reason, count, action, example rows and detail."""
        return pd.DataFrame(
            [
                {
                    "reason": i.reason,
                    "count": i.count,
                    "action": i.action,
                    "rows": ", ".join(map(str, i.rows)),
                    "detail": i.detail,
                }
                for i in self.issues
            ],
            columns=["reason", "count", "action", "rows", "detail"],
        )


@dataclass(frozen=True, eq=False)
class EventLog:
    """Visits of items to steps, with the conventions they were read under.

    Parameters
    ----------
    visits : DataFrame
        The canonical visit table (see the module docstring).
    items : DataFrame
        One row per item: item, type, started, done, finished.
    steps : tuple of str
        Active steps in flow order.
    as_of : Timestamp
        The moment the export describes; open visits and unfinished items are
        measured up to it.
    calendar : Calendar
        How elapsed time is counted.
    start_point : str
        Where each item's clock starts: ``"first_active"``, ``"first_status"``
        or ``"created"``.
    backward_policy : str
        How backward moves in status histories were treated: ``"keep"``,
        ``"first"`` or ``"last"`` (DOMAIN 4.5).
    source : str
        The file the log was read from, or a description.
    quality : QualityReport
        What happened to every input row.
    whole_days : str
        Lead time in whole calendar days beside the exact elapsed time: ``"exact"``
        (none, the default), ``"exclusive"`` (done date - start date) or
        ``"inclusive"`` (the same + 1 day) (DOMAIN 4.6).
    day_zone : str
        The time zone whose calendar dates whole days count.
    backlog_return : str
        After a return to the backlog: ``"keep"`` (the clock runs on from the first
        start) or ``"restart"`` (it restarts at the next start) (DOMAIN 4.9).
    """

    visits: pd.DataFrame
    items: pd.DataFrame
    steps: tuple[str, ...]
    as_of: pd.Timestamp
    calendar: Calendar = field(default_factory=Calendar)
    start_point: str = "first_active"
    backward_policy: str = "keep"
    source: str = ""
    quality: QualityReport = field(default_factory=lambda: QualityReport(0, 0))
    whole_days: str = "exact"
    day_zone: str = "UTC"
    backlog_return: str = "keep"

    def replace(self, **changes: object) -> EventLog:
        """A copy with some fields changed, e.g. ``log.replace(calendar=Calendar.working_time())``."""
        return dataclasses.replace(self, **changes)

    @property
    def active(self) -> pd.DataFrame:
        """The active visits only."""
        return self.visits[self.visits["kind"] == "active"]

    def conventions(self) -> dict[str, str]:
        """The conventions the numbers of this log depend on, for readouts and subtitles."""
        starts = {
            "first_active": "first active step",
            "first_status": "first status",
            "created": "item created",
        }
        policies = {
            "keep": "every visit kept, returns counted as rework",
            "first": "first entry only",
            "last": "last entry only",
        }
        days = {
            "exact": "not counted: exact elapsed time only",
            "exclusive": f"calendar dates in {self.day_zone}, done date - start date, beside the exact time",
            "inclusive": f"calendar dates in {self.day_zone}, done date - start date + 1 day, beside the exact time",
        }
        returns = {
            "keep": "the clock runs on from the first start",
            "restart": "the clock restarts at the next start",
        }
        return {
            "calendar": self.calendar.describe(),
            "clock starts at": starts.get(self.start_point, self.start_point),
            "backward moves": policies.get(self.backward_policy, self.backward_policy),
            "whole days": days.get(self.whole_days, self.whole_days),
            "return to the backlog": returns.get(self.backlog_return, self.backlog_return),
            "as of": self.as_of.isoformat() if pd.notna(self.as_of) else "",
        }

    @classmethod
    def from_visits(
        cls,
        visits: pd.DataFrame,
        *,
        as_of: pd.Timestamp | str | None = None,
        calendar: Calendar | None = None,
        source: str = "",
        steps: tuple[str, ...] | None = None,
    ) -> EventLog:
        """Build a log from a clean visit table (tests, scenario replay, generators).

        The frame needs ``item, step, start, end``; ``kind`` defaults to
        ``"active"``. Naive timestamps are taken as UTC. An item is finished
        when none of its visits is open; its clock starts at its first visit.
        No quality checks are made: use `vsm_widgets.read_export` for user files.
        """
        frame = visits.copy()
        if "kind" not in frame:
            frame["kind"] = "active"
        if "row" not in frame:
            frame["row"] = range(2, len(frame) + 2)
        for column in ("start", "end"):
            stamps = pd.to_datetime(frame[column])
            frame[column] = stamps.dt.tz_localize("UTC") if stamps.dt.tz is None else stamps.dt.tz_convert("UTC")
        frame["item"] = frame["item"].astype(str)
        frame["step"] = frame["step"].astype(str)
        frame = frame.sort_values(["item", "start", "end"], kind="stable").reset_index(drop=True)
        items = items_from_visits(frame)
        stamp = pd.Timestamp(as_of) if as_of is not None else frame[["start", "end"]].max().max()
        if stamp.tzinfo is None:
            stamp = stamp.tz_localize("UTC")
        order = steps if steps is not None else step_order(frame)
        return cls(
            frame,
            items,
            tuple(order),
            stamp,
            calendar or Calendar(),
            source=source,
            quality=QualityReport(len(frame), len(frame)),
        )


def items_from_visits(visits: pd.DataFrame) -> pd.DataFrame:
    """One row per item: clock from its first visit, done at its last end when no visit is open."""
    grouped = visits.groupby("item", sort=True)
    items = pd.DataFrame(
        {
            "started": grouped["start"].min(),
            "last_end": grouped["end"].max(),
            "open": grouped["end"].count() < grouped.size(),
        }
    )
    items["finished"] = ~items["open"]
    items["done"] = items["last_end"].where(items["finished"])
    if "type" in visits:
        items["type"] = grouped["type"].first()
    else:
        items["type"] = pd.Series(pd.NA, index=items.index, dtype="object")
    return items.reset_index()[list(ITEM_COLUMNS)]


def step_order(visits: pd.DataFrame, item_codes: np.ndarray | None = None) -> tuple[str, ...]:
    """Active steps ordered by the median position at which items first enter them.

    Ties keep the text order of the step names, so the order does not depend on
    the order of rows in the file.

    Parameters
    ----------
    visits : DataFrame
        ``item``, ``step`` and ``kind``, grouped by item and in time order within each item.
    item_codes : numpy.ndarray, optional
        Integer codes of ``visits["item"]`` when the caller has them already.

    Returns
    -------
    tuple of str

    Examples
    --------
    >>> visits = pd.DataFrame({"item": ["a", "a", "b", "b"], "step": ["Dev", "QA", "Dev", "QA"], "kind": "active"})
    >>> step_order(visits)
    ('Dev', 'QA')
    """
    active = (visits["kind"] == "active").to_numpy()
    if not active.any():
        return ()
    step_codes, labels = pd.factorize(visits["step"] if active.all() else visits["step"][active], sort=True)
    codes = pd.factorize(visits["item"])[0] if item_codes is None else np.asarray(item_codes)
    item = codes[active].astype(np.int64)
    # Within each item visits are in time order, so the first occurrence of an
    # (item, step) pair is the item's first entry into that step.
    _, first = np.unique(item * (len(labels) + 1) + step_codes, return_index=True)
    first = np.sort(first)
    entered = item[first]
    starts = np.r_[0, np.flatnonzero(entered[1:] != entered[:-1]) + 1]
    position = np.arange(len(first)) - np.repeat(starts, np.diff(np.r_[starts, len(first)]))
    median = _median_positions(step_codes[first], position, len(labels))
    # By median position, ties in text order of the names (factorize sorted the codes by text).
    return tuple(str(labels[code]) for code in np.lexsort((np.arange(len(labels)), median)))


def _median_positions(step: np.ndarray, position: np.ndarray, n_steps: int) -> np.ndarray:
    """The median of the entry positions of each step (every step has at least one).

    Positions are small whole numbers, so a count per (step, position) gives each median exactly
    (the mean of the two middle values for an even count), without sorting the entries.
    """
    width = int(position.max()) + 1
    if n_steps * width > 4 * len(position) + 1024:
        return pd.Series(position).groupby(step).median().reindex(range(n_steps)).to_numpy()
    below = np.bincount(step * width + position, minlength=n_steps * width).reshape(n_steps, width).cumsum(axis=1)
    count = below[:, -1]
    low = np.argmax(below > ((count - 1) // 2)[:, None], axis=1)
    high = np.argmax(below > (count // 2)[:, None], axis=1)
    return (low + high) / 2
