"""The symbols of the method on a map: inventory triangles, FIFO lanes, supermarkets, push stripes, kaizen bursts.

Each symbol is a row of plain values for one point layer (its ``shape`` is a
Vega symbol name or an SVG path in a square from -1 to 1), so the map's layers
stay few and a live redraw only replaces rows. The symbols of an arrow sit at
the left of its label slot, a kaizen burst at its right, and the wait and
owner are centred in what is left (`label_span`); a box's burst sits on its top
right corner, above its name.
"""

from __future__ import annotations

import math

from vsm_widgets.charts.layout import Box
from vsm_widgets.charts.routes import Slot
from vsm_widgets.charts.text_fit import cut, text_row
from vsm_widgets.charts.theme import ALERT, INK, YELLOW
from vsm_widgets.model.elements import Handoff
from vsm_widgets.wording import number

Record = dict

SYMBOL_WIDTH = 30  # room each arrow symbol takes at the left of its slot
BURST_ROOM = 40  # room a kaizen burst takes at the right of a slot
SLOT_PADDING = 14
BURST_RADIUS = 12
SYMBOL_TEXT_SIZE = 11
# A supermarket: shelves open towards the arrow's source, where the next step pulls from.
SUPERMARKET = "M-1,-1L1,-1L1,1L-1,1M-1,0L1,0"
FIFO_LANE = "M-1,-0.45L1,-0.45M-1,0.45L1,0.45"
STRIPE_DASH = [1.5, 3]
STRIPE_WIDTH = 7
STRIPE_COLOUR = "#CFCFCF"


def _burst_path(points: int = 12, inner: float = 0.62) -> str:
    """A kaizen burst: a star of `points` points, as an SVG path in the unit square."""
    corners = []
    for index in range(points * 2):
        radius = 1 if index % 2 == 0 else inner
        angle = math.pi * index / points
        corners.append(f"{radius * math.sin(angle):.3f},{-radius * math.cos(angle):.3f}")
    return "M" + "L".join(corners) + "Z"


KAIZEN_BURST = _burst_path()


def _symbol(x: float, y: float, shape: str, width: float, fill: str, stroke: str = INK) -> Record:
    # A point's size is the area of its square in square pixels.
    return {"part": "symbol", "x": x, "y": y, "shape": shape, "size": width * width, "fill": fill, "stroke": stroke}


def arrow_symbols(handoff: Handoff, slot: Slot) -> tuple[list[Record], list[Record], int]:
    """The symbols an arrow carries by its inventory and kind, with their texts, and how many there are.

    Parameters
    ----------
    handoff : Handoff
        The arrow.
    slot : Slot
        Its label slot (`vsm_widgets.charts.routes.Route`).

    Returns
    -------
    symbols, texts : list of dict
        Point rows and text rows.
    count : int
        Symbols placed at the left of the slot, for `label_span`.

    Examples
    --------
    >>> symbols, texts, count = arrow_symbols(Handoff("a", "b", inventory=7000, kind="fifo"), Slot(0, 120, 50))
    >>> [row["shape"] == FIFO_LANE for row in symbols], [row["text"] for row in texts], count
    ([False, True], ['7,000', 'FIFO'], 2)
    """
    symbols, texts = [], []
    x = slot.x0 + SLOT_PADDING + SYMBOL_WIDTH / 2
    if handoff.inventory is not None:
        symbols.append(_symbol(x, slot.y - 2, "triangle-up", 18, "#FFFFFF"))
        count = cut(number(handoff.inventory, 0), SYMBOL_WIDTH + 4, SYMBOL_TEXT_SIZE)
        texts.append(text_row(x, slot.y + 16, count, INK, SYMBOL_TEXT_SIZE))
        x += SYMBOL_WIDTH
    if handoff.kind == "fifo":
        symbols.append(_symbol(x, slot.y, FIFO_LANE, 24, "#FFFFFF"))
        texts.append(text_row(x, slot.y - 14, "FIFO", INK, SYMBOL_TEXT_SIZE, "bold"))
    elif handoff.kind == "pull":
        symbols.append(_symbol(x, slot.y, SUPERMARKET, 16, "#FFFFFF"))
    placed = len(symbols)
    return symbols, texts, placed


def label_span(slot: Slot, symbols: int, burst: bool) -> tuple[float, float]:
    """The stretch of a slot left for an arrow's wait and owner, after its symbols and its burst.

    Examples
    --------
    >>> label_span(Slot(0, 120, 50), 1, True)
    (44, 80)
    """
    return slot.x0 + SLOT_PADDING + symbols * SYMBOL_WIDTH, slot.x1 - (BURST_ROOM if burst else SLOT_PADDING)


def slot_row(slot: Slot, push: bool, about: Record) -> Record:
    """The labelled stretch of an arrow: where its tooltip is, and where a push arrow is striped.

    Only that stretch is striped (the striped arrow of the method): a long
    arrow striped all along its lanes and channels blurs into its neighbours.

    Examples
    --------
    >>> slot_row(Slot(0, 120, 50), True, {"wait_text": "3 days"})["x2"]
    120
    """
    return {"part": "slot", "x": slot.x0, "y": slot.y, "x2": slot.x1, "y2": slot.y, "push": push, **about}


def _burst(x: float, y: float, numbers: list[int]) -> tuple[Record, Record]:
    label = ",".join(str(n) for n in numbers)
    width = 2 * BURST_RADIUS + 6 * (len(label) - 1)
    return _symbol(x, y, KAIZEN_BURST, width, YELLOW, ALERT), text_row(x, y, label, INK, SYMBOL_TEXT_SIZE, "bold")


def box_burst(box: Box, numbers: list[int]) -> tuple[Record, Record]:
    """A kaizen burst on a box's top right corner, with the numbers of the changes in the plan."""
    return _burst(box.x1 - 2, box.y0 - 6, numbers)


def arrow_burst(slot: Slot, numbers: list[int]) -> tuple[Record, Record]:
    """A kaizen burst at the right of an arrow's slot, with the numbers of the changes in the plan."""
    return _burst(slot.x1 - BURST_ROOM / 2 - 8, slot.y, numbers)
