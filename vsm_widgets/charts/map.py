"""The value stream map: boxes, arrows, supplier and customer, and the lead-time ladder under it.

Drawn as a coach draws it on the wall. Boxes show the step's name (wrapped
onto up to three lines before anything is cut), owner, process time and
%C&A. The critical path runs along the top row with thick outlines; parallel
branches sit in rows below (`vsm_widgets.charts.layout`), and an arrow that
skips a box or changes row runs in a lane above the row, so no arrow crosses
a box it does not connect (`vsm_widgets.charts.routes`). Each arrow's wait and
owner sit on its own line; an arrow nobody owns is dashed and labelled "no
owner" in vermillion. Push arrows are striped, FIFO lanes and supermarkets
(pull) and inventory triangles are drawn where the model has them
(`vsm_widgets.charts.map_symbols`), and given a scenario the map carries a
numbered kaizen burst on each box or arrow a change of the plan acts on;
given the map before, the values that changed are marked. Under the map the
ladder follows the critical path: waiting on the upper rung (orange), process
time on the lower rung (blue), the totals at the end.

Styles travel in the data with identity scales (``scale=None``), and layers of
one kind of mark share a dataset and pick their rows by a ``part`` or
``weight`` field. The chart is drawn in two halves
(`vsm_widgets.charts.spec_cache`): `map_parts` computes the rows, title and
canvas size, and `draw_map` (`vsm_widgets.charts.map_drawing`) draws them, so
that a live chart redraws an edited map by its data alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import altair as alt

from vsm_widgets.charts.layout import BOX_WIDTH, Box, map_layout
from vsm_widgets.charts.map_drawing import draw_map
from vsm_widgets.charts.map_ladder import LINE_SIZE, ladder_rows
from vsm_widgets.charts.map_symbols import arrow_burst, arrow_symbols, box_burst, label_span, slot_row
from vsm_widgets.charts.plan_marks import changed_values, kaizen_numbers
from vsm_widgets.charts.routes import Route, map_routes
from vsm_widgets.charts.spec_cache import ChartParts, LiveSpec, Record, validated_once
from vsm_widgets.charts.text_fit import cut, text_row, text_width, wrap
from vsm_widgets.charts.theme import (
    ALERT,
    FONT_SIZES,
    INK,
    NEUTRAL,
    WAITING,
    WORK,
    map_conventions,
    readable,
    title,
)
from vsm_widgets.metrics.mean_item import map_totals
from vsm_widgets.model.graph import CUSTOMER, SUPPLIER
from vsm_widgets.model.stream import ValueStream
from vsm_widgets.model.waste import UNCLASSIFIED, VALUE_CLASSES, WASTES
from vsm_widgets.wording import percent, wait_place

if TYPE_CHECKING:
    from vsm_widgets.future.scenario import Scenario

__all__ = ["draw_map", "live_map", "map_parts", "value_stream_map"]

# Wide enough for a JupyterLab notebook on a 1366 px laptop with the file browser open; wider maps wrap.
PAGE_WIDTH = 960
OWNED_DASH, UNOWNED_DASH = [1, 0], [7, 5]
CRITICAL_STROKE, OTHER_STROKE = 3.5, 1.2
NO_OWNER = "no owner"
NAME_SIZE, LABEL_SIZE = 14, 12
NAME_LINE_HEIGHT = 17
SUBTITLE_SIZE = FONT_SIZES["subtitle"]
TEXT_WIDTH = BOX_WIDTH - 12
VALUE_WORDS = {
    key: value.label.split(",")[0].replace("Non-value-adding (waste)", "Waste")
    for key, value in {**VALUE_CLASSES, UNCLASSIFIED.key: UNCLASSIFIED}.items()
}


def _highlight(row: Record) -> Record:
    """A marker-pen band behind a line of text whose value the scenario changed."""
    half = text_width(row["text"], row["size"], row["weight"] == "bold") / 2 + 3
    return {"part": "highlight", "x0": row["x"] - half, "x1": row["x"] + half, "y0": row["y"] - 9, "y1": row["y"] + 9}


def _name_lines(name: str, box: Box, top: float, height: float) -> list[Record]:
    """A name wrapped onto up to three lines, centred in a band of the box."""
    lines = wrap(name, TEXT_WIDTH, NAME_SIZE, bold=True)
    first = top + height / 2 - (len(lines) - 1) * NAME_LINE_HEIGHT / 2
    return [
        text_row(box.xc, first + i * NAME_LINE_HEIGHT, line, INK, NAME_SIZE, "bold") for i, line in enumerate(lines)
    ]


def _boxes(
    stream: ValueStream, place: dict[str, Box], changed: dict[Any, set[str]], numbers: dict[Any, list[int]]
) -> tuple[list[Record], list[Record], list[Record]]:
    """The step boxes, their lines of text, and their marks (highlights of changed values, kaizen bursts)."""
    say = readable(stream)
    on_path = set(stream.critical_path())
    rows, texts, marks = [], [], []
    for step in stream.steps:
        box = place[step.id]
        owner = step.owner or NO_OWNER
        process = say(stream.in_unit(step.process_time))
        critical = step.id in on_path
        rows.append(
            {
                "x0": box.x0,
                "x1": box.x1,
                "y0": box.y0,
                "y1": box.y1,
                "node": step.id,
                "row": box.row,
                "column": box.column,
                "name": step.name,
                "owner_text": owner,
                "process": process,
                "block": say(stream.in_unit(step.lead_time)) if step.lead_time is not None else "not given",
                "pct": percent(step.pct_ca),
                "value_text": VALUE_WORDS[step.value],
                "waste_text": ", ".join(WASTES[key].label for key in step.wastes) or "none tagged",
                "critical_text": "yes" if critical else "no",
                "stroke": INK if critical else NEUTRAL,
                "stroke_width": CRITICAL_STROKE if critical else OTHER_STROKE,
            }
        )
        names = _name_lines(step.name, box, box.y0 + 4, 54)
        values = {
            "process": text_row(box.xc, box.y0 + 91, cut(f"PT {process}", TEXT_WIDTH, LINE_SIZE), WORK, LINE_SIZE),
            "pct": text_row(box.xc, box.y0 + 110, f"%C&A {percent(step.pct_ca)}", INK, LINE_SIZE),
        }
        owner_line = text_row(
            box.xc, box.y0 + 72, cut(owner, TEXT_WIDTH, LINE_SIZE), NEUTRAL if step.owner else ALERT, LINE_SIZE
        )
        texts += [*names, owner_line, *values.values()]
        marked = changed.get(step.id, set())
        marks += [_highlight(line) for line in names if "name" in marked]
        marks += [_highlight(row) for what, row in values.items() if what in marked]
        if step.id in numbers:
            burst, label = box_burst(box, numbers[step.id])
            marks.append(burst)
            texts.append(label)
    return rows, texts, marks


def _arrows(
    stream: ValueStream, routes: list[Route], changed: dict[Any, set[str]], numbers: dict[Any, list[int]]
) -> tuple[list[Record], list[Record], list[Record], list[Record]]:
    """Each arrow's segments and head, its wait (above the line) and owner (below), its symbols and stripes."""
    say = readable(stream)
    critical = set(stream.critical_handoffs())
    lines, heads, texts, marks = [], [], [], []
    for handoff, route in zip(stream.handoffs, routes, strict=True):
        wait = say(stream.in_unit(stream.wait_of(handoff)))
        owner = handoff.owner or NO_OWNER
        about = {
            "source": handoff.source,
            "target": handoff.target,
            "source_label": stream.label(handoff.source),
            "target_label": stream.label(handoff.target),
            "wait_text": wait,
            "owner_text": owner,
            "inventory_text": "none counted" if handoff.inventory is None else f"{handoff.inventory:g} pieces",
            "kind": {"fifo": "FIFO lane", "pull": "pull (supermarket)"}.get(handoff.kind, "push"),
            "owned": handoff.owner is not None,
        }
        style = {
            "part": "arrow",
            "dash": OWNED_DASH if handoff.owner else UNOWNED_DASH,
            "stroke_width": CRITICAL_STROKE if handoff in critical else OTHER_STROKE + 0.3,
        }
        corners = route.points
        for (x, y), (x2, y2) in zip(corners, corners[1:], strict=False):
            # Segments carry only their looks; the words about the arrow travel once, on its head and slot.
            lines.append(
                {"x": x, "y": y, "x2": x2, "y2": y2, "source": handoff.source, "target": handoff.target, **style}
            )
        marks.append(slot_row(route.slot, handoff.kind == "push", about))
        heads.append({"x": corners[-1][0], "y": corners[-1][1], "angle": route.angle, **about})
        symbols, symbol_texts, count = arrow_symbols(handoff, route.slot)
        marks += symbols
        texts += symbol_texts
        if handoff.key in numbers:
            burst, label = arrow_burst(route.slot, numbers[handoff.key])
            marks.append(burst)
            texts.append(label)
        start, end = label_span(route.slot, count, handoff.key in numbers)
        middle, room, y = (start + end) / 2, end - start, route.slot.y
        wait_label = text_row(middle, y - 10, cut(wait, room, LABEL_SIZE, bold=True), WAITING, LABEL_SIZE, "bold")
        owner_colour = NEUTRAL if handoff.owner else ALERT
        texts += [wait_label, text_row(middle, y + 11, cut(owner, room, LABEL_SIZE), owner_colour, LABEL_SIZE)]
        if "wait" in changed.get(handoff.key, set()):
            marks.append(_highlight(wait_label))
    return lines, heads, texts, marks


def _finding(stream: ValueStream, summary: dict[str, Any]) -> tuple[str, str]:
    """The map's title and the note under it: its one finding, computed here and nowhere else."""
    say = readable(stream)
    lead = summary["lead_time"]
    if not lead:
        return "Lead time is zero: give the steps process times and the arrows waits", ""
    largest = summary["largest_wait"]
    finding = f"{percent(summary['waiting_share'])} of lead time is waiting"
    if largest is not None:
        finding += f"; the largest wait is {wait_place(largest['from'], largest['to'])} ({say(largest['wait'])})"
    unowned = stream.unowned_wait().to(stream.unit, stream.hours_per_day)
    note = f"{say(unowned)} of the {say(lead)} wait on arrows nobody owns" if unowned else ""
    return finding, note


def _legend(stream: ValueStream, numbers: dict[Any, list[int]], marked: bool, width: float) -> list[str]:
    """What the marks mean, in lines no wider than the map, so the key never widens the chart past the page."""
    kinds = {handoff.kind for handoff in stream.handoffs}
    parts = ["thick outline: critical path", "dashed arrow: nobody owns it"]
    parts += ["striped arrow: push"] if "push" in kinds else []
    parts += ["▲ inventory"] if any(h.inventory is not None for h in stream.handoffs) else []
    parts += ["burst: change N of the plan"] if numbers else []
    parts += ["marked: changed value"] if marked else []
    parts.append("ladder: waiting above, process time below")
    lines = [parts[0]]
    for part in parts[1:]:
        joined = f"{lines[-1]} · {part}"
        if text_width(joined, SUBTITLE_SIZE) <= width * 0.9:  # room to spare, as estimates go
            lines[-1] = joined
        else:
            lines.append(part)
    return lines


@validated_once
def value_stream_map(
    stream: ValueStream,
    scenario: Scenario | None = None,
    before: ValueStream | None = None,
    max_width: float | None = PAGE_WIDTH,
) -> alt.LayerChart:
    """The map with its lead-time ladder.

    Parameters
    ----------
    stream : ValueStream
        The map; its numbers are shown in its unit.
    scenario : Scenario, optional
        A future state: each box and arrow one of its changes acts on carries
        a kaizen burst with the change's number in the implementation plan.
    before : ValueStream, optional
        The map before the scenario (with `stream` the future map): the values
        that differ from it are marked.
    max_width : float, optional
        The widest the drawing may be, in pixels: a wider map wraps onto tiers
        (the snake a wall map makes) so its text keeps its size. None never
        wraps (for a page that scrolls).

    Returns
    -------
    altair.LayerChart
        Boxes, arrows, the ends and the ladder in one pixel-for-pixel layer.

    Examples
    --------
    >>> from vsm_widgets.io.map_file import load_map
    >>> chart = value_stream_map(load_map("data/samples/maps/four_functions.yaml"))
    >>> chart.to_dict()["title"]["text"]
    '34 % of lead time is waiting; the largest wait is between Ops and Delivery (7 days)'
    """
    return draw_map(map_parts(stream, scenario, before, max_width))


@validated_once
def map_parts(
    stream: ValueStream,
    scenario: Scenario | None = None,
    before: ValueStream | None = None,
    max_width: float | None = PAGE_WIDTH,
) -> ChartParts:
    """What the map shows: the rows of its boxes, arrows, marks, ladder and texts, its title and its canvas size.

    Parameters
    ----------
    stream : ValueStream
        The map; its numbers are shown in its unit.
    scenario, before, max_width : optional
        As in `value_stream_map`.

    Returns
    -------
    ChartParts
        Datasets ``steps``, ``ends``, ``arrows`` (segments), ``heads``,
        ``marks`` (symbols, stripes, highlights), ``rungs`` and ``texts``;
        the frame holds the canvas ``width`` and ``height`` in pixels.

    Examples
    --------
    >>> from vsm_widgets.io.map_file import load_map
    >>> parts = map_parts(load_map("data/samples/maps/four_functions.yaml"))
    >>> [row["name"] for row in parts.datasets["steps"]], parts.frame
    (['Marketing', 'Sales', 'Ops', 'Delivery'], {'width': 930.0, 'height': 698.0})
    """
    layout = map_layout(stream, max_width)
    place = layout.boxes
    summary = map_totals(stream)
    numbers = kaizen_numbers(scenario)
    changed = changed_values(stream, before)
    steps, box_texts, box_marks = _boxes(stream, place, changed, numbers)
    arrows, heads, arrow_texts, arrow_marks = _arrows(stream, map_routes(stream, layout), changed, numbers)
    rungs, ladder_texts = ladder_rows(stream, layout, summary)
    ends = [
        {"x0": place[n].x0, "x1": place[n].x1, "y0": place[n].y0, "y1": place[n].y1, "name": stream.label(n)}
        for n in (SUPPLIER, CUSTOMER)
    ]
    end_names = [
        line
        for n in (SUPPLIER, CUSTOMER)
        for line in _name_lines(stream.label(n), place[n], place[n].y0, place[n].y1 - place[n].y0)
    ]
    finding, note = _finding(stream, summary)
    marks = [*arrow_marks, *box_marks]
    legend = _legend(stream, numbers, any(mark["part"] == "highlight" for mark in marks), layout.width)
    return ChartParts(
        datasets={
            "steps": steps,
            "ends": ends,
            "arrows": arrows,
            "heads": heads,
            "marks": marks,
            "rungs": rungs,
            "texts": [*box_texts, *end_names, *arrow_texts, *ladder_texts],
        },
        title=title(
            finding,
            map_conventions(stream),
            note,
            f"Lead time {readable(stream)(summary['lead_time'])}, {summary['what']}",
            *legend,
            width=PAGE_WIDTH,
        ),
        frame={"width": layout.width, "height": layout.height},
    )


def live_map() -> LiveSpec[ValueStream]:
    """The specification of `value_stream_map` for a map edited again and again, redrawn by its data where it can.

    Returns
    -------
    LiveSpec
        Called with a map, gives ``value_stream_map(map).to_dict(validate=False)``.

    Examples
    --------
    >>> from vsm_widgets.io.map_file import load_map
    >>> stream = load_map("data/samples/maps/four_functions.yaml")
    >>> live = live_map()
    >>> live(stream) == value_stream_map(stream).to_dict(validate=False)
    True
    """
    return LiveSpec(map_parts, draw_map)
