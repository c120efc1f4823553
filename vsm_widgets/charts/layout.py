"""Where the boxes of a map go: flow order left to right, parallel branches in rows below, lanes between rows.

A node's column is the number of arrows on the longest route to it from the
supplier, so every arrow points right. The critical path runs along the top
row; a step off it keeps the row of the branch it came from where it can, so
each parallel branch reads as a row of its own.

Above each row is a band of lanes for the arrows that cannot run straight
from one box to the box beside it (`vsm_widgets.charts.routes`): a skip arrow
of the row, or an arrow to or from the row above. How many lanes a band needs
depends on which arrows there are and never on their numbers, so an edit of a
wait or a process time keeps the layout (and the live chart's fast path).
Coordinates are pixels from the top left, and the chart scales map them one to
one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from vsm_widgets.model.graph import CUSTOMER, SUPPLIER, topological_order
from vsm_widgets.model.stream import ValueStream

COLUMN_WIDTH = 270
BOX_WIDTH = 150
GAP = COLUMN_WIDTH - BOX_WIDTH
BOX_HEIGHT = 124
MARGIN = 12
# A lane's line, its wait above and its owner below; lanes stack this far apart.
LANE_PITCH = 36
# From a row's top edge up to the nearest lane, and from the farthest lane up to the band's top.
LANE_BELOW, LANE_ABOVE = 24, 22
ROW_GAP = 30  # between two rows whose band has no lane


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


class Lane(NamedTuple):
    """The track of an arrow that leaves its row: which band (the one above `band`'s row) and which lane in it."""

    band: int
    lane: int
    start: float  # first and last column the arrow's lane segment spans
    end: float


@dataclass(frozen=True)
class MapLayout:
    """Box positions of a map and the lanes of its arrows, in pixels.

    Parameters
    ----------
    boxes : dict of str to Box
        Every node (supplier, steps, customer) in flow order.
    lanes : dict of (str, str) to Lane
        The arrows that run in a lane, by handoff key; the others run straight.
    row_tops : tuple of float
        The top edge of each row of boxes.
    width, height : float
        The extent of the boxes and lanes, margins included.
    """

    boxes: dict[str, Box]
    lanes: dict[tuple[str, str], Lane]
    row_tops: tuple[float, ...]
    width: float
    height: float

    def lane_y(self, lane: Lane) -> float:
        """The height of a lane's line: lane 0 nearest the row under its band, the next ones above it."""
        return self.row_tops[lane.band] - LANE_BELOW - lane.lane * LANE_PITCH


def _columns_and_rows(stream: ValueStream) -> tuple[list[str], dict[str, int], dict[str, int]]:
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
    return order, column, row


def lane_track(source: tuple[int, int], target: tuple[int, int]) -> tuple[int, float, float] | None:
    """The band and column span of an arrow between two (column, row) places, or None when it runs straight.

    An arrow to the box beside it in its row runs straight. A skip arrow runs in
    the band above its row; an arrow down a row or more runs in the band under
    its source, an arrow up in the band above its source. An arrow that crosses
    more than one row leaves its lane through the gap before its target, half
    a column early.

    Examples
    --------
    >>> lane_track((1, 0), (2, 0)) is None, lane_track((1, 0), (3, 0)), lane_track((1, 0), (2, 1))
    (True, (0, 1, 3), (1, 1, 2))
    >>> lane_track((2, 2), (3, 0))
    (2, 2, 2.5)
    """
    (source_column, source_row), (target_column, target_row) = source, target
    if source_row == target_row:
        return None if target_column == source_column + 1 else (source_row, source_column, target_column)
    band = source_row + 1 if target_row > source_row else source_row
    end = target_column if abs(target_row - source_row) == 1 else target_column - 0.5
    return band, source_column, end


def _lanes(stream: ValueStream, column: dict[str, int], row: dict[str, int]) -> dict[tuple[str, str], Lane]:
    """One lane per overlapping arrow in each band: shorter arrows nearer the row, so longer ones arch over them."""
    tracks = []
    for handoff in stream.handoffs:
        (source, target) = key = handoff.key
        track = lane_track((column[source], row[source]), (column[target], row[target]))
        if track is not None:
            tracks.append((key, *track))
    tracks.sort(key=lambda track: (track[1], track[3] - track[2], track[2]))
    taken: dict[tuple[int, int], list[tuple[float, float]]] = {}
    lanes = {}
    for key, band, start, end in tracks:
        lane = 0
        while any(start <= other_end and other_start <= end for other_start, other_end in taken.get((band, lane), [])):
            lane += 1
        taken.setdefault((band, lane), []).append((start, end))
        lanes[key] = Lane(band, lane, start, end)
    return lanes


def map_layout(stream: ValueStream) -> MapLayout:
    """Columns by longest route from the supplier, rows by branch, the critical path on top, lanes between rows.

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
    >>> layout = map_layout(stream)
    >>> [(box.node, box.column, box.row) for box in layout.boxes.values()]
    [('supplier', 0, 0), ('a', 1, 0), ('b', 2, 0), ('c', 2, 1), ('customer', 3, 0)]
    >>> layout.lanes[("a", "c")], layout.lanes[("c", "customer")]
    (Lane(band=1, lane=0, start=1, end=2), Lane(band=1, lane=1, start=2, end=3))
    """
    order, column, row = _columns_and_rows(stream)
    lanes = _lanes(stream, column, row)
    depth = {}
    for lane in lanes.values():
        depth[lane.band] = max(depth.get(lane.band, 0), lane.lane + 1)
    tops = []
    top = float(MARGIN)
    for band in range(max(row.values()) + 1):
        if band in depth:
            top += LANE_ABOVE + (depth[band] - 1) * LANE_PITCH + LANE_BELOW
        elif band:
            top += ROW_GAP
        tops.append(top)
        top += BOX_HEIGHT
    boxes = {}
    for node in order:
        x0 = MARGIN + column[node] * COLUMN_WIDTH
        y0 = tops[row[node]]
        boxes[node] = Box(node, column[node], row[node], x0, x0 + BOX_WIDTH, y0, y0 + BOX_HEIGHT)
    width = max(box.x1 for box in boxes.values()) + MARGIN
    return MapLayout(boxes, lanes, tuple(tops), float(width), top + MARGIN)
