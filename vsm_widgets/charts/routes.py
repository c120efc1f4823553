"""How each arrow of a map runs between its boxes without crossing another box.

An arrow to the box beside it in its row runs straight, edge to edge. Every
other arrow leaves its box from the top (or, going down a row, the bottom),
rises to its lane (`vsm_widgets.charts.layout`), runs along it and drops into
the top of its target (or rises into its bottom). An arrow that crosses more
than one row leaves its lane through the gap before its target and enters it
from the left. Bands hold no boxes and gaps between columns hold no boxes, so
no arrow crosses a box it does not connect.

Each arrow also gets a *slot*: a stretch of its own line over a gap between
columns, where its wait, owner and symbols are written. Vertical lines only
ever run inside a box's column, except the rare arrow across rows, so the
words in a slot are never crossed by another arrow's line.
"""

from __future__ import annotations

from typing import NamedTuple

from vsm_widgets.charts.layout import GAP, Box, Lane, MapLayout
from vsm_widgets.model.stream import ValueStream

HEAD_OFFSET = 7  # the arrowhead's middle sits this far outside the box edge it points at
ACROSS_ROWS_ENTRY = 16  # an arrow across rows enters its target this far below the middle, clear of the straight one


class Slot(NamedTuple):
    """The stretch of an arrow's line from `x0` to `x1` at height `y` where its labels are written."""

    x0: float
    x1: float
    y: float


class Route(NamedTuple):
    """The line of one arrow: its corner points from source to target, its head, and its label slot."""

    key: tuple[str, str]
    points: tuple[tuple[float, float], ...]
    angle: float  # of the head, clockwise from pointing right
    slot: Slot


def _enters_from_lane(lane: Lane) -> bool:
    """Whether an arrow drops from its lane straight into its target; one across rows ends half a column early."""
    return float(lane.end).is_integer()


def _ports(stream: ValueStream, layout: MapLayout) -> dict[tuple[tuple[str, str], str], float]:
    """Where each lane arrow meets the top or bottom of its boxes, spread along the side by where its far end is."""
    boxes = layout.boxes
    sides: dict[tuple[str, str], list[tuple[float, tuple[str, str], str]]] = {}
    for (source, target), lane in layout.lanes.items():
        above = lane.band == boxes[source].row
        sides.setdefault((source, "top" if above else "bottom"), []).append(
            (boxes[target].x0, (source, target), "source")
        )
        if _enters_from_lane(lane):
            side = "top" if lane.band == boxes[target].row else "bottom"
            sides.setdefault((target, side), []).append((boxes[source].x0, (source, target), "target"))
    for source, target in layout.crossings:
        # A crossing leaves towards the channel on the right and arrives from the one on the left.
        sides.setdefault((source, "top"), []).append((float("inf"), (source, target), "source"))
        sides.setdefault((target, "top"), []).append((float("-inf"), (source, target), "target"))
    ports = {}
    for (node, _side), users in sides.items():
        box = boxes[node]
        users.sort(key=lambda user: user[0])
        for index, (_, key, end) in enumerate(users, 1):
            ports[(key, end)] = box.x0 + (box.x1 - box.x0) * index / (len(users) + 1)
    return ports


def _straight(source: Box, target: Box) -> Route:
    head = target.x0 - HEAD_OFFSET
    return Route(
        (source.node, target.node),
        ((source.x1, source.yc), (head, target.yc)),
        0.0,
        Slot(source.x1, target.x0, source.yc),
    )


def _crossing(layout: MapLayout, key: tuple[str, str], ports: dict) -> Route:
    """An arrow to a later tier: up to its lane, right to the channel, down, left under the ladder, into the target."""
    crossing = layout.crossings[key]
    source, target = layout.boxes[key[0]], layout.boxes[key[1]]
    leave_x, enter_x = ports[(key, "source")], ports[(key, "target")]
    leave_y, enter_y = layout.lane_y(crossing.leave), layout.lane_y(crossing.enter)
    wrap_y = layout.wrap_y(crossing.leave.tier, crossing.wrap)
    right, left = layout.channel_x(crossing, right=True), layout.channel_x(crossing, right=False)
    points = (
        (leave_x, source.y0),
        (leave_x, leave_y),
        (right, leave_y),
        (right, wrap_y),
        (left, wrap_y),
        (left, enter_y),
        (enter_x, enter_y),
        (enter_x, target.y0 - HEAD_OFFSET),
    )
    middle = (layout.left + layout.right) / 2
    return Route(key, points, 90.0, Slot(middle - GAP, middle + GAP, wrap_y))


def map_routes(stream: ValueStream, layout: MapLayout) -> list[Route]:
    """The route of every handoff, in the stream's order.

    Parameters
    ----------
    stream : ValueStream
        The map.
    layout : MapLayout
        Its boxes and lanes (`vsm_widgets.charts.layout.map_layout`).

    Returns
    -------
    list of Route

    Examples
    --------
    >>> from vsm_widgets.charts.layout import map_layout
    >>> from vsm_widgets.model.stream import Handoff, Step
    >>> stream = ValueStream("Skip", [Step("a"), Step("b"), Step("c")], [Handoff("supplier", "a"),
    ...     Handoff("a", "b"), Handoff("b", "c"), Handoff("a", "c"), Handoff("c", "customer")])
    >>> route = {route.key: route for route in map_routes(stream, map_layout(stream))}[("a", "c")]
    >>> len(route.points), route.angle, route.points[1][1] < map_layout(stream).boxes["b"].y0
    (4, 90.0, True)
    """
    boxes = layout.boxes
    ports = _ports(stream, layout)
    routes = []
    for handoff in stream.handoffs:
        key = handoff.key
        source, target = boxes[key[0]], boxes[key[1]]
        lane = layout.lanes.get(key)
        if key in layout.crossings:
            routes.append(_crossing(layout, key, ports))
            continue
        if lane is None:
            routes.append(_straight(source, target))
            continue
        y = layout.lane_y(lane)
        leave_x = ports[(key, "source")]
        leave_y = source.y0 if lane.band == source.row else source.y1
        points = [(leave_x, leave_y), (leave_x, y)]
        if _enters_from_lane(lane):
            enter_x = ports[(key, "target")]
            from_above = lane.band == target.row
            head_y = target.y0 - HEAD_OFFSET if from_above else target.y1 + HEAD_OFFSET
            points += [(enter_x, y), (enter_x, head_y)]
            angle = 90.0 if from_above else -90.0
            slot_end = source.x1 + GAP
        else:
            turn_x = target.x0 - ACROSS_ROWS_ENTRY
            entry_y = target.yc + ACROSS_ROWS_ENTRY
            points += [(turn_x, y), (turn_x, entry_y), (target.x0 - HEAD_OFFSET, entry_y)]
            angle = 0.0
            slot_end = min(source.x1 + GAP, turn_x)
        routes.append(Route(key, tuple(points), angle, Slot(source.x1, slot_end, y)))
    return routes
