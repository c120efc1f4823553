"""Where the boxes of a map go: flow order left to right, parallel branches in rows below.

A node's column is the number of arrows on the longest route to it from the
supplier, so every arrow points right. The critical path runs along the top
row; a step off it keeps the row of the branch it came from where it can, so
each parallel branch reads as a row of its own. Coordinates are pixels from
the top left, and the chart scales map them one to one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from vsm_widgets.model.graph import CUSTOMER, SUPPLIER, topological_order
from vsm_widgets.model.stream import ValueStream

COLUMN_WIDTH = 280
BOX_WIDTH = 158
BOX_HEIGHT = 96
ROW_HEIGHT = 150
MARGIN = 12


class Box(NamedTuple):
    """Where one node (supplier, step or customer) is drawn, in pixels from the top left."""

    node: str
    column: int
    row: int
    x0: float
    x1: float
    y0: float
    y1: float

    @property
    def xc(self) -> float:
        """The horizontal middle."""
        return (self.x0 + self.x1) / 2

    @property
    def yc(self) -> float:
        """The vertical middle."""
        return (self.y0 + self.y1) / 2


@dataclass(frozen=True)
class MapLayout:
    """Box positions of a map, in pixels.

    Parameters
    ----------
    boxes : dict of str to Box
        Every node (supplier, steps, customer) in flow order.
    width, height : float
        The extent of the boxes, margins included.
    """

    boxes: dict[str, Box]
    width: float
    height: float


def map_layout(stream: ValueStream) -> MapLayout:
    """Columns by longest route from the supplier, rows by branch, the critical path on top.

    Parameters
    ----------
    stream : ValueStream
        The map.

    Returns
    -------
    MapLayout

    Examples
    --------
    >>> from vsm_widgets.model.stream import Handoff, Step
    >>> from vsm_widgets.units import Duration
    >>> days = lambda n: Duration.of(n, "days")
    >>> stream = ValueStream("Fork", [Step("a", process_time=days(1)), Step("b", process_time=days(5)),
    ...     Step("c", process_time=days(2))], [Handoff("supplier", "a"), Handoff("a", "b"), Handoff("a", "c"),
    ...     Handoff("b", "customer"), Handoff("c", "customer")])
    >>> [(box.node, box.column, box.row) for box in map_layout(stream).boxes.values()]
    [('supplier', 0, 0), ('a', 1, 0), ('b', 2, 0), ('c', 2, 1), ('customer', 3, 0)]
    """
    nodes = [SUPPLIER, *stream.step_ids, CUSTOMER]
    edges = [h.key for h in stream.handoffs]
    order = topological_order(nodes, edges)
    column = dict.fromkeys(order, 0)
    for source, target in sorted(edges, key=lambda edge: order.index(edge[0])):
        column[target] = max(column[target], column[source] + 1)
    column[CUSTOMER] = max(column.values())
    on_top = {SUPPLIER, CUSTOMER, *stream.critical_path()}
    row: dict[str, int] = dict.fromkeys(on_top, 0)
    taken = {(column[node], 0) for node in on_top}
    sources: dict[str, list[str]] = {}
    for source, target in edges:
        sources.setdefault(target, []).append(source)
    for node in order:
        if node in row:
            continue
        branch_rows = [row[s] for s in sources.get(node, ()) if row.get(s, 0) > 0]
        wanted = branch_rows[0] if branch_rows else 1
        while (column[node], wanted) in taken:
            wanted += 1
        row[node] = wanted
        taken.add((column[node], wanted))
    boxes = {}
    for node in order:
        x0 = MARGIN + column[node] * COLUMN_WIDTH
        y0 = MARGIN + row[node] * ROW_HEIGHT
        boxes[node] = Box(node, column[node], row[node], x0, x0 + BOX_WIDTH, y0, y0 + BOX_HEIGHT)
    width = max(box.x1 for box in boxes.values()) + MARGIN
    height = max(box.y1 for box in boxes.values()) + MARGIN
    return MapLayout(boxes, float(width), float(height))
