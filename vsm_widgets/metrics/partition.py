"""Where time goes: every finished item's lead time cut into disjoint pieces, one place each (DESIGN 4.5).

Each instant of a finished item's clock (from ``started`` to ``done``, on the
log's calendar) belongs to exactly one kind of place:

- **active** at a step, when at least one active visit runs; *k* parallel visits
  share the instant equally, so nothing counts twice;
- **waiting in step**, when no visit runs and the visits before and after the
  gap are at the same step (In Progress, Blocked, In Progress: the work paused);
- **waiting on handoff**, when no visit runs between leaving one step (the
  visit that ended last) and starting the next (the visit that starts first):
  the arrow between them, ``supplier`` before the first visit and ``customer``
  after the last.

Per item the pieces add up to its lead time; summed over items and divided by
their count they are the **mean item**, whose waiting share is one minus the
portfolio flow efficiency (`vsm_widgets.metrics.flow.flow_efficiency`).
`largest_wait` is the waiting place with the largest share: the one rule every
page uses. A hand-built map has the same table (`map_partition`), from its
critical path: arrows, the waiting inside blocks, and process times.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from vsm_widgets.metrics.lead_pieces import items_per_group, lead_pieces
from vsm_widgets.metrics.visits import HOUR
from vsm_widgets.model.event_log import EventLog
from vsm_widgets.units import unit_seconds

if TYPE_CHECKING:
    from vsm_widgets.model.stream import ValueStream

ACTIVE, IN_STEP, HANDOFF = "active", "waiting in step", "waiting on handoff"
WAITING_KINDS = (IN_STEP, HANDOFF)
COLUMNS = ("place", "kind", "from", "to", "key", "total_hours", "mean_hours", "share", "items")
ITEM_COLUMNS = ("item", "place", "kind", "from", "to", "hours")
ARROW = " \u2192 "


@dataclass(frozen=True)
class LargestWait:
    """The waiting place with the largest share of lead time.

    Attributes
    ----------
    kind : str
        ``"waiting on handoff"`` (an arrow) or ``"waiting in step"`` (inside a box).
    source, target : str
        The arrow's ends as people call them; both the step's name for waiting in a step.
    key : str
        ``"source->target"`` of the ids (a map) or names (an export), or the step's id or name.
    place : str
        ``"Code review → QA"`` or the step's name.
    mean_hours : float
        The mean item's time there (a map: its time along the critical path).
    share : float
        Part of lead time.
    share_of_waiting : float
        Part of all waiting.
    """

    kind: str
    source: str
    target: str
    key: str
    place: str
    mean_hours: float
    share: float
    share_of_waiting: float

    @property
    def inside_step(self) -> bool:
        """True when the wait is inside a box rather than on an arrow."""
        return self.kind == IN_STEP

    def to_dict(self) -> dict[str, str | float]:
        """The ``largest_wait`` of ``vsm metrics --json``: ``from``, ``to``, ``kind``, ``wait`` (hours), shares."""
        return {
            "from": self.source,
            "to": self.target,
            "kind": self.kind,
            "wait": self.mean_hours,
            "share": self.share,
            "share_of_waiting": self.share_of_waiting,
        }


def item_partition(log: EventLog) -> pd.DataFrame:
    """Each finished item's lead time cut into pieces, one row per item and place.

    Parameters
    ----------
    log : EventLog

    Returns
    -------
    DataFrame
        Columns ``item, place, kind, from, to, hours``: ``kind`` is ``"active"``,
        ``"waiting in step"`` or ``"waiting on handoff"``; ``from`` and ``to`` are the
        arrow's ends (``"supplier"`` and ``"customer"`` at the ends of the stream), both
        the step for a step's own time. Per item, ``hours`` sums to its lead time.
        Unfinished items have no lead time and no rows.

    Examples
    --------
    >>> import pandas as pd
    >>> log = EventLog.from_visits(pd.DataFrame({
    ...     "item": ["a", "a", "a"], "step": ["Build", "Build", "Test"],
    ...     "start": ["2026-01-01 00:00", "2026-01-01 06:00", "2026-01-01 12:00"],
    ...     "end": ["2026-01-01 04:00", "2026-01-01 08:00", "2026-01-01 13:00"]}))
    >>> item_partition(log)[["place", "hours"]].values.tolist()
    [['Build', 6.0], ['Build', 2.0], ['Build → Test', 4.0], ['Test', 1.0]]
    """
    pieces = lead_pieces(log)
    item, seconds, names = pieces.item, pieces.seconds, pieces.names
    codes = pieces.place
    frame = pd.DataFrame({"item": item, "code": codes, "seconds": seconds})
    grouped = frame.groupby(["item", "code"], sort=True)["seconds"].sum().reset_index()
    places = _places(grouped["code"].to_numpy(), names)
    keys = log.items["item"].to_numpy(dtype=object)
    return pd.DataFrame(
        {
            "item": keys[grouped["item"].to_numpy()],
            "place": places["place"],
            "kind": places["kind"],
            "from": places["from"],
            "to": places["to"],
            "hours": grouped["seconds"].to_numpy() / HOUR,
        },
        columns=list(ITEM_COLUMNS),
    )


def partition(log: EventLog) -> pd.DataFrame:
    """Where the finished items' lead time went, place by place: the mean item.

    Parameters
    ----------
    log : EventLog

    Returns
    -------
    DataFrame
        One row per place that holds time, in flow order (supplier arrows first, each step
        followed by its own waiting and the arrows leaving it): ``place`` (a step's name,
        or ``"A → B"``), ``kind`` (``"active"``, ``"waiting in step"``, ``"waiting on
        handoff"``), ``from``, ``to``, ``key`` (``"A->B"`` or the step), ``total_hours``
        (over finished items), ``mean_hours`` (total / finished items: the mean item),
        ``share`` (of the finished items' total lead time; the shares add up to 1) and
        ``items`` (finished items that spent time there). Empty when no item finished.

    Examples
    --------
    >>> import pandas as pd
    >>> log = EventLog.from_visits(pd.DataFrame({
    ...     "item": ["a", "a", "b"], "step": ["Build", "Test", "Build"],
    ...     "start": ["2026-01-01 00:00", "2026-01-01 10:00", "2026-01-01 00:00"],
    ...     "end": ["2026-01-01 04:00", "2026-01-01 12:00", "2026-01-01 02:00"]}))
    >>> partition(log)[["place", "mean_hours", "items"]].values.tolist()
    [['Build', 3.0, 2], ['Build → Test', 3.0, 1], ['Test', 1.0, 1]]
    """
    pieces = lead_pieces(log)
    item, seconds, names = pieces.item, pieces.seconds, pieces.names
    codes = pieces.place
    finished = int(log.items["finished"].sum())
    lead = float(seconds.sum())
    if not len(codes):
        return pd.DataFrame(columns=list(COLUMNS))
    # Place codes are few (3 kinds over pairs of nodes), so a count per code finds them without a sort.
    present = np.bincount(codes) > 0
    order = np.flatnonzero(present)
    inverse = (np.cumsum(present) - 1)[codes]
    total = np.bincount(inverse, weights=seconds, minlength=len(order))
    held = seconds > 0
    items = items_per_group(item[held], inverse[held], len(order))
    frame = pd.DataFrame(_places(order, names))
    frame["total_hours"] = total / HOUR
    frame["mean_hours"] = total / HOUR / finished
    frame["share"] = total / lead if lead > 0 else 0.0
    frame["items"] = items
    frame = frame[frame["total_hours"] > 0].reset_index(drop=True)
    return frame[list(COLUMNS)]


def map_partition(stream: ValueStream) -> pd.DataFrame:
    """A hand-built map's lead time by place along its critical path, in `partition`'s columns.

    A map describes one item: ``mean_hours`` equals ``total_hours`` and ``items`` is 1. Its
    places are the critical path's arrows (their waits), the waiting inside its blocks
    (block lead time beyond process time) and its process times; they add up to its lead time.

    Parameters
    ----------
    stream : ValueStream

    Returns
    -------
    DataFrame
        As `partition`; ``from``, ``to`` and ``place`` hold names, ``key`` the ids.

    Examples
    --------
    >>> from vsm_widgets.io.map_file import load_map
    >>> table = map_partition(load_map("data/samples/maps/parallel.yaml"))
    >>> largest_wait(table).place, round(largest_wait(table).mean_hours, 2)
    ('Laptop and accounts', 46.0)
    """
    # Imported here: the map's ladder and model are 20 ms of imports that `vsm metrics` on an export never needs.
    from vsm_widgets.metrics.ladder import ladder_segments

    segments = ladder_segments(stream)
    hours = segments["duration"].to_numpy(dtype=float) * unit_seconds(stream.unit, stream.hours_per_day) / HOUR
    lead = hours.sum()
    kinds = [ACTIVE if where == "step" else IN_STEP if where == "in step" else HANDOFF for where in segments["where"]]
    ends = [
        (label, label) if where != "arrow" else tuple(stream.label(end) for end in key.split("->"))
        for where, key, label in zip(segments["where"], segments["key"], segments["label"], strict=True)
    ]
    frame = pd.DataFrame(
        {
            "place": [a if kind != HANDOFF else f"{a}{ARROW}{b}" for kind, (a, b) in zip(kinds, ends, strict=True)],
            "kind": kinds,
            "from": [a for a, _ in ends],
            "to": [b for _, b in ends],
            "key": segments["key"].to_numpy(dtype=object),
            "total_hours": hours,
            "mean_hours": hours,
            "share": hours / lead if lead > 0 else np.zeros(len(hours)),
            "items": 1,
        },
        columns=list(COLUMNS),
    )
    return frame[frame["total_hours"] > 0].reset_index(drop=True)


def waiting_share(table: pd.DataFrame) -> float:
    """Part of lead time spent waiting (in steps and on handoffs), from `partition` or `map_partition`.

    Parameters
    ----------
    table : DataFrame

    Returns
    -------
    float
        NaN when the table holds no time.
    """
    if not len(table) or table["share"].sum() <= 0:
        return float("nan")
    return float(table.loc[table["kind"].isin(WAITING_KINDS), "share"].sum())


def largest_wait(table: pd.DataFrame) -> LargestWait | None:
    """The waiting place with the largest share of lead time (ties: the first in flow order).

    Parameters
    ----------
    table : DataFrame
        From `partition` (an export) or `map_partition` (a map).

    Returns
    -------
    LargestWait or None
        None when nothing waits.
    """
    waits = table[table["kind"].isin(WAITING_KINDS) & (table["share"] > 0)]
    if not len(waits):
        return None
    row = waits.loc[waits["share"].idxmax()]
    return LargestWait(
        kind=str(row["kind"]),
        source=str(row["from"]),
        target=str(row["to"]),
        key=str(row["key"]),
        place=str(row["place"]),
        mean_hours=float(row["mean_hours"]),
        share=float(row["share"]),
        share_of_waiting=float(row["share"] / waits["share"].sum()),
    )


def _places(codes: np.ndarray, names: list[str]) -> dict[str, list]:
    n_nodes = len(names)
    target = codes % n_nodes
    kind = (codes // n_nodes) % 3
    source = codes // n_nodes // 3
    kinds = np.array([ACTIVE, IN_STEP, HANDOFF], dtype=object)[kind]
    sources = [names[s] for s in source]
    targets = [names[t] for t in target]
    handoff = kind == 2
    return {
        "place": [f"{a}{ARROW}{b}" if h else a for a, b, h in zip(sources, targets, handoff, strict=True)],
        "kind": list(kinds),
        "from": sources,
        "to": targets,
        "key": [f"{a}->{b}" if h else a for a, b, h in zip(sources, targets, handoff, strict=True)],
    }
