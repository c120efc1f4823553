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
from typing import Any, NamedTuple

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
# The ladder under the rows of boxes: from the boxes to its upper rung, between its rungs, and its labels under.
LADDER_GAP, RUNG_SPACING, LADDER_FOOT = 44, 52, 48
TOTALS_WIDTH = 120  # right of the customer on an unwrapped map, for the ladder's totals
# A wrapped map's arrows from one tier to the next run down a channel right of the tier and into one left of it.
CHANNEL = 48


class Box(NamedTuple):
    """Where one node (supplier, step or customer) is drawn, in pixels from the top left."""

    node: str
    column: int
    row: int
    x0: float
    x1: float
    y0: float
    y1: float
    tier: int = 0

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
    start: float  # first and last column (in its tier) the arrow's lane segment spans
    end: float
    tier: int = 0


class Crossing(NamedTuple):
    """An arrow from one tier of a wrapped map to a later one.

    It leaves the top of its source along `leave` to the channel right of the
    tier, runs down it to lane `wrap` under that tier's ladder, back along it
    to the channel left of the tiers, down to `enter` and along it into the
    top of its target. `channel` numbers it among the arrows leaving its tier.
    """

    leave: Lane
    wrap: int
    enter: Lane
    channel: int


class Tier(NamedTuple):
    """One wrapped row of a map: the tops of its rows of boxes, its ladder's upper rung, its wrap lanes' top."""

    row_tops: tuple[float, ...]
    ladder_y: float
    wrap_top: float


@dataclass(frozen=True)
class MapLayout:
    """Box positions of a map, the lanes of its arrows and the tiers it wraps onto, in pixels.

    Parameters
    ----------
    boxes : dict of str to Box
        Every node (supplier, steps, customer) in flow order.
    lanes : dict of (str, str) to Lane
        The arrows within a tier that run in a lane, by handoff key; the others
        run straight or cross tiers.
    crossings : dict of (str, str) to Crossing
        The arrows from one tier to a later one.
    tiers : tuple of Tier
        One for an unwrapped map.
    left, right : float
        The left edge of the first column, and the right edge of the last
        column's gap (where a tier's channel begins).
    width, height : float
        The extent of the whole drawing, ladders and margins included.
    """

    boxes: dict[str, Box]
    lanes: dict[tuple[str, str], Lane]
    crossings: dict[tuple[str, str], Crossing]
    tiers: tuple[Tier, ...]
    left: float
    right: float
    width: float
    height: float

    def lane_y(self, lane: Lane) -> float:
        """The height of a lane's line: lane 0 nearest the row under its band, the next ones above it."""
        return self.tiers[lane.tier].row_tops[lane.band] - LANE_BELOW - lane.lane * LANE_PITCH

    def wrap_y(self, tier: int, lane: int) -> float:
        """The height of a wrap lane under a tier's ladder."""
        return self.tiers[tier].wrap_top + LANE_ABOVE + lane * LANE_PITCH

    def channel_x(self, crossing: Crossing, right: bool) -> float:
        """Where a crossing runs down the channel right of its tier, or left of the tiers (nearer the boxes first)."""
        count = sum(1 for other in self.crossings.values() if other.leave.tier == crossing.leave.tier)
        step = CHANNEL / (count + 1)
        offset = step * (crossing.channel + 1)
        return self.right + offset if right else self.left - offset


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


def _allocate(tracks: list[tuple[Any, int, int, float, float]]) -> dict[Any, Lane]:
    """One lane per overlapping track in each band of each tier: shorter ones nearer the row, longer ones over them."""
    tracks = sorted(tracks, key=lambda track: (track[1], track[2], track[4] - track[3], track[3]))
    taken: dict[tuple[int, int, int], list[tuple[float, float]]] = {}
    lanes = {}
    for name, tier, band, start, end in tracks:
        lane = 0
        while any(start <= b and a <= end for a, b in taken.get((tier, band, lane), [])):
            lane += 1
        taken.setdefault((tier, band, lane), []).append((start, end))
        lanes[name] = Lane(band, lane, start, end, tier)
    return lanes


def _tracks(
    stream: ValueStream, tier: dict[str, int], local: dict[str, int], row: dict[str, int], per_tier: int
) -> tuple[dict[tuple[str, str], Lane], dict[tuple[str, str], Crossing]]:
    """The lanes of the arrows within a tier, and the crossings of the arrows from one tier to a later one."""
    tracks = []
    leaving: dict[int, list[tuple[str, str]]] = {}
    for handoff in stream.handoffs:
        (source, target) = key = handoff.key
        if tier[source] == tier[target]:
            track = lane_track((local[source], row[source]), (local[target], row[target]))
            if track is not None:
                tracks.append((key, tier[source], *track))
            continue
        tracks.append(((key, "leave"), tier[source], row[source], local[source], per_tier))
        tracks.append(((key, "enter"), tier[target], row[target], -1, local[target]))
        leaving.setdefault(tier[source], []).append(key)
    lanes = _allocate(tracks)
    crossings = {
        key: Crossing(lanes.pop((key, "leave")), index, lanes.pop((key, "enter")), index)
        for keys in leaving.values()
        for index, key in enumerate(keys)
    }
    return lanes, crossings


def columns_per_tier(columns: int, max_width: float | None) -> int:
    """How many columns a tier holds: all of them when the map fits `max_width` pixels, else as many as fit.

    Examples
    --------
    >>> columns_per_tier(6, None), columns_per_tier(6, 2000), columns_per_tier(6, 960), columns_per_tier(6, 100)
    (6, 6, 3, 2)
    """
    natural = 2 * MARGIN + columns * COLUMN_WIDTH - GAP + TOTALS_WIDTH
    if max_width is None or natural <= max_width:
        return columns
    return max(2, int((max_width - 2 * MARGIN - 2 * CHANNEL) // COLUMN_WIDTH))


def map_layout(stream: ValueStream, max_width: float | None = None) -> MapLayout:
    """Columns by longest route from the supplier, rows by branch, the critical path on top, lanes between rows.

    A map wider than `max_width` pixels wraps onto tiers (the snake a wall map
    makes), each with its rows of boxes and its part of the ladder; arrows
    from one tier to the next run down channels at the sides.

    Parameters
    ----------
    stream : ValueStream
        The map.
    max_width : float, optional
        The widest the drawing may be; None never wraps.

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
    (Lane(band=1, lane=0, start=1, end=2, tier=0), Lane(band=1, lane=1, start=2, end=3, tier=0))
    >>> wrapped = map_layout(stream, max_width=700)
    >>> [box.tier for box in wrapped.boxes.values()], sorted(wrapped.crossings)
    ([0, 0, 1, 1, 1], [('a', 'b'), ('a', 'c')])
    """
    order, column, row = _columns_and_rows(stream)
    per_tier = columns_per_tier(max(column.values()) + 1, max_width)
    tier = {node: column[node] // per_tier for node in order}
    local = {node: column[node] % per_tier for node in order}
    lanes, crossings = _tracks(stream, tier, local, row, per_tier)
    wrapped = per_tier <= max(column.values())
    left = MARGIN + (CHANNEL if wrapped else 0)
    depth: dict[tuple[int, int], int] = {}
    for lane in [*lanes.values(), *(c.leave for c in crossings.values()), *(c.enter for c in crossings.values())]:
        depth[lane.tier, lane.band] = max(depth.get((lane.tier, lane.band), 0), lane.lane + 1)
    tiers = []
    top = float(MARGIN)
    for number in range(max(tier.values()) + 1):
        tops = []
        for band in range(max(row[node] for node in order if tier[node] == number) + 1):
            if (number, band) in depth:
                top += LANE_ABOVE + (depth[number, band] - 1) * LANE_PITCH + LANE_BELOW
            elif band:
                top += ROW_GAP
            tops.append(top)
            top += BOX_HEIGHT
        ladder_y = top + LADDER_GAP
        top = ladder_y + RUNG_SPACING + LADDER_FOOT
        tiers.append(Tier(tuple(tops), ladder_y, top))
        leaving = sum(1 for crossing in crossings.values() if crossing.leave.tier == number)
        if leaving:
            top += LANE_ABOVE + (leaving - 1) * LANE_PITCH + LANE_BELOW
    boxes = {}
    for node in order:
        x0 = left + local[node] * COLUMN_WIDTH
        y0 = tiers[tier[node]].row_tops[row[node]]
        boxes[node] = Box(node, column[node], row[node], x0, x0 + BOX_WIDTH, y0, y0 + BOX_HEIGHT, tier[node])
    right = left + per_tier * COLUMN_WIDTH
    width = right + CHANNEL + MARGIN if wrapped else boxes[CUSTOMER].x1 + MARGIN + TOTALS_WIDTH
    return MapLayout(boxes, lanes, crossings, tuple(tiers), left, right, float(width), top + MARGIN)
