"""The value stream map: boxes, arrows, supplier and customer, and the lead-time ladder under it.

Boxes show the step's name, owner, process time and %C&A; arrows show their
wait and their owner, and an arrow nobody owns is dashed and labelled "no
owner" in vermillion. The critical path runs along the top row with thick
outlines; parallel branches sit in rows below (`vsm_widgets.charts.layout`).
Under the map the ladder follows the critical path: waiting on the upper rung
(orange), process time on the lower rung (blue), the totals at the end.

Styles travel in the data with identity scales (``scale=None``), so no layer
shares a colour scale with another and the few layers stay cheap to build.
The rows are plain records and every channel names its field and type, so
writing the specification out skips Altair's DataFrame cleaning and type
inference. The chart is drawn in two halves (`vsm_widgets.charts.spec_cache`):
`map_parts` computes the rows, title and canvas size, and `draw_map` draws
them, so that a live chart redraws an edited map by its data alone.
"""

from __future__ import annotations

import math
from typing import Any

import altair as alt

from vsm_widgets.charts.layout import BOX_WIDTH, COLUMN_WIDTH, Box, MapLayout, map_layout
from vsm_widgets.charts.spec_cache import ChartParts, LiveSpec, Record, validated_once
from vsm_widgets.charts.theme import (
    ALERT,
    INK,
    NEUTRAL,
    WAITING,
    WORK,
    map_conventions,
    map_durations,
    readable,
    title,
)
from vsm_widgets.metrics.mean_item import map_totals
from vsm_widgets.model.graph import CUSTOMER, SUPPLIER
from vsm_widgets.model.stream import ValueStream
from vsm_widgets.wording import percent, wait_place

LADDER_GAP = 44
RUNG_SPACING = 52
TOTALS_WIDTH = 140
STEP_FILL = "#E8F1F8"
END_FILL = "#EEEEEE"
OWNED_DASH, UNOWNED_DASH = [1, 0], [7, 5]
CRITICAL_STROKE, OTHER_STROKE = 3.5, 1.2
NO_OWNER = "no owner"


class _Canvas:
    """Encodings on a pixel grid: x from the left, y from the top, one data unit per pixel."""

    def __init__(self, width: float, height: float) -> None:
        self.x_scale = alt.Scale(domain=[0, width], nice=False, zero=False)
        self.y_scale = alt.Scale(domain=[0, height], reverse=True, nice=False, zero=False)

    def x(self, field: str) -> alt.X:
        return alt.X(field=field, type="quantitative", scale=self.x_scale, axis=None)

    def y(self, field: str) -> alt.Y:
        return alt.Y(field=field, type="quantitative", scale=self.y_scale, axis=None)

    def texts(self, data: alt.InlineData, **mark: Any) -> alt.Chart:
        """A text layer; each row gives ``x``, ``y``, ``text``, ``colour`` and ``size`` (font size)."""
        return (
            alt.Chart(data)
            .mark_text(**mark)
            .encode(
                x=self.x("x"),
                y=self.y("y"),
                text=alt.Text(field="text", type="nominal"),
                color=alt.Color(field="colour", type="nominal", scale=None),
                size=alt.Size(field="size", type="quantitative", scale=None),
            )
        )


def _text(x: float, y: float, text: str, colour: str, size: float = 14) -> Record:
    return {"x": x, "y": y, "text": text, "colour": colour, "size": size}


def _boxes(stream: ValueStream, place: dict[str, Box]) -> tuple[list[Record], list[Record], list[Record]]:
    """The step boxes, and their bold (name) and plain (owner, process time, %C&A) lines of text."""
    say = map_durations(stream)
    on_path = set(stream.critical_path())
    rows, bold, plain = [], [], []
    for step in stream.steps:
        box = place[step.id]
        owner = step.owner or NO_OWNER
        process = say(stream.in_unit(step.process_time))
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
                "value": step.value,
                "waste_text": ", ".join(step.wastes) or "none tagged",
                "critical": step.id in on_path,
                "stroke": INK if step.id in on_path else NEUTRAL,
                "stroke_width": CRITICAL_STROKE if step.id in on_path else OTHER_STROKE,
            }
        )
        bold.append(_text(box.xc, box.y0 + 22, step.name, INK, 15))
        plain.append(_text(box.xc, box.y0 + 44, owner, NEUTRAL if step.owner else ALERT))
        plain.append(_text(box.xc, box.y0 + 66, f"PT {process}", WORK))
        plain.append(_text(box.xc, box.y0 + 86, f"%C&A {percent(step.pct_ca)}", INK))
    return rows, bold, plain


def _arrows(stream: ValueStream, place: dict[str, Box]) -> tuple[list[Record], list[Record]]:
    """The arrows from box edge to box edge, and their wait (above) and owner (below) labels."""
    say = map_durations(stream)
    critical = set(stream.critical_handoffs())
    rows, labels = [], []
    for handoff in stream.handoffs:
        source, target = place[handoff.source], place[handoff.target]
        x, y, x2, y2 = source.x1, source.yc, target.x0 - 2, target.yc
        wait = say(stream.in_unit(stream.wait_of(handoff)))
        owner = handoff.owner or NO_OWNER
        rows.append(
            {
                "x": x,
                "y": y,
                "x2": x2,
                "y2": y2,
                "source": handoff.source,
                "target": handoff.target,
                "source_label": stream.label(handoff.source),
                "target_label": stream.label(handoff.target),
                "wait_text": wait,
                "owner_text": owner,
                "kind": handoff.kind,
                "owned": handoff.owner is not None,
                "dash": OWNED_DASH if handoff.owner else UNOWNED_DASH,
                "angle": math.degrees(math.atan2(y2 - y, x2 - x)),
                "stroke_width": CRITICAL_STROKE if handoff in critical else OTHER_STROKE + 0.3,
            }
        )
        middle_x, middle_y = (x + x2) / 2, (y + y2) / 2
        labels.append(_text(middle_x, middle_y - 9, wait, WAITING))
        labels.append(_text(middle_x, middle_y + 19, owner, NEUTRAL if handoff.owner else ALERT))
    return rows, labels


def _ladder(
    stream: ValueStream, layout: MapLayout, place: dict[str, Box], summary: dict[str, Any]
) -> tuple[list[Record], list[Record], list[Record]]:
    """The ladder aligned under the critical path: waits under arrows on top, process times under boxes below."""
    say = map_durations(stream)
    upper = layout.height + LADDER_GAP
    lower = upper + RUNG_SPACING
    rungs, labels = [], []
    for handoff in stream.critical_handoffs():
        start, end = place[handoff.source].x1, place[handoff.target].x0
        rungs.append({"x": start, "x2": end, "y": upper, "y2": upper, "colour": WAITING})
        labels.append(_text((start + end) / 2, upper - 8, say(stream.in_unit(stream.wait_of(handoff))), WAITING))
    for step_id in stream.critical_path():
        step = stream.step(step_id)
        start, end = place[step_id].x0, place[step_id].x1
        rungs.append({"x": start, "x2": end, "y": lower, "y2": lower, "colour": WORK})
        rungs.append({"x": start, "x2": start, "y": upper, "y2": lower, "colour": NEUTRAL})
        rungs.append({"x": end, "x2": end, "y": upper, "y2": lower, "colour": NEUTRAL})
        text = say(stream.in_unit(step.process_time))
        if step.lead_time is not None and step.lead_time.seconds > step.process_time.seconds:
            text += f" (block {say(stream.in_unit(step.lead_time))})"
        labels.append(_text((start + end) / 2, lower + 20, text, WORK))
    totals_x = place[CUSTOMER].x0 + 12
    say = readable(stream)
    totals = [
        _text(totals_x, upper + 5, f"Waiting {say(summary['wait_time'])}", WAITING, 16),
        _text(totals_x, lower + 5, f"Process {say(summary['process_time'])}", WORK, 16),
        _text(totals_x, lower + 34, f"Lead time {say(summary['lead_time'])}", INK, 16),
    ]
    return rungs, labels, totals


def _finding(stream: ValueStream, summary: dict[str, Any]) -> tuple[str, str]:
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


@validated_once
def value_stream_map(stream: ValueStream) -> alt.LayerChart:
    """The map with its lead-time ladder.

    Parameters
    ----------
    stream : ValueStream
        The map; its numbers are shown in its unit.

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
    return draw_map(map_parts(stream))


@validated_once
def map_parts(stream: ValueStream) -> ChartParts:
    """What the map shows: the rows of its boxes, arrows, ends, ladder and texts, its title and its canvas size.

    Parameters
    ----------
    stream : ValueStream
        The map; its numbers are shown in its unit.

    Returns
    -------
    ChartParts
        Datasets ``steps``, ``ends``, ``arrows``, ``rungs`` and the text layers
        ``names``, ``rung_labels``, ``lines``, ``arrow_labels`` and ``totals``;
        the frame holds the canvas ``width`` and ``height`` in pixels.

    Examples
    --------
    >>> from vsm_widgets.io.map_file import load_map
    >>> parts = map_parts(load_map("data/samples/maps/four_functions.yaml"))
    >>> [row["name"] for row in parts.datasets["steps"]], parts.frame
    (['Marketing', 'Sales', 'Ops', 'Delivery'], {'width': 1722.0, 'height': 264.0})
    """
    layout = map_layout(stream)
    place = layout.boxes
    summary = map_totals(stream)
    steps, names, lines = _boxes(stream, place)
    arrows, arrow_labels = _arrows(stream, place)
    rungs, rung_labels, totals = _ladder(stream, layout, place, summary)
    ends = [
        {"x0": place[n].x0, "x1": place[n].x1, "y0": place[n].y0, "y1": place[n].y1, "name": stream.label(n)}
        for n in (SUPPLIER, CUSTOMER)
    ]
    end_names = [_text(place[n].xc, place[n].yc + 5, stream.label(n), INK) for n in (SUPPLIER, CUSTOMER)]
    finding, note = _finding(stream, summary)
    say = readable(stream)
    legend = "thick outline: critical path · dashed arrow: nobody owns it · ladder: waiting above, process time below"
    return ChartParts(
        datasets={
            "steps": steps,
            "ends": ends,
            "arrows": arrows,
            "rungs": rungs,
            "names": [*names, *end_names],
            "rung_labels": rung_labels,
            "lines": lines,
            "arrow_labels": arrow_labels,
            "totals": totals,
        },
        title=title(
            finding, map_conventions(stream), note, f"Lead time {say(summary['lead_time'])}, {summary['what']}", legend
        ),
        frame={"width": layout.width + TOTALS_WIDTH, "height": layout.height + LADDER_GAP + RUNG_SPACING + 48},
    )


@validated_once
def draw_map(parts: ChartParts) -> alt.LayerChart:
    """Draw the parts of a map (`map_parts`) on a canvas one data unit per pixel.

    Parameters
    ----------
    parts : ChartParts
        From `map_parts`.

    Returns
    -------
    altair.LayerChart
    """
    width, height = parts.frame["width"], parts.frame["height"]
    canvas = _Canvas(width, height)
    arrows = parts.data("arrows")
    corners = {"x": canvas.x("x0"), "x2": alt.X2(field="x1"), "y": canvas.y("y0"), "y2": alt.Y2(field="y1")}
    boxes = (
        alt.Chart(parts.data("steps"))
        .mark_rect(fill=STEP_FILL, cornerRadius=3)
        .encode(
            **corners,
            stroke=alt.Stroke(field="stroke", type="nominal", scale=None),
            strokeWidth=alt.StrokeWidth(field="stroke_width", type="quantitative", scale=None),
            tooltip=[
                alt.Tooltip(field="name", type="nominal", title="step"),
                alt.Tooltip(field="owner_text", type="nominal", title="owner"),
                alt.Tooltip(field="process", type="nominal", title="process time"),
                alt.Tooltip(field="block", type="nominal", title="block lead time"),
                alt.Tooltip(field="pct", type="nominal", title="%C&A"),
                alt.Tooltip(field="value", type="nominal", title="value class"),
                alt.Tooltip(field="waste_text", type="nominal", title="wastes"),
                alt.Tooltip(field="critical", type="nominal", title="on the critical path"),
            ],
        )
    )
    end_boxes = (
        alt.Chart(parts.data("ends"))
        .mark_rect(fill=END_FILL, stroke=INK, strokeWidth=1.5, cornerRadius=18)
        .encode(**corners, tooltip=[alt.Tooltip(field="name", type="nominal", title="end")])
    )
    lines_between = {"x": canvas.x("x"), "x2": alt.X2(field="x2"), "y": canvas.y("y"), "y2": alt.Y2(field="y2")}
    arrow_lines = (
        alt.Chart(arrows)
        .mark_rule(color=INK)
        .encode(
            **lines_between,
            strokeWidth=alt.StrokeWidth(field="stroke_width", type="quantitative", scale=None),
            strokeDash=alt.StrokeDash(field="dash", type="nominal", scale=None),
            tooltip=[
                alt.Tooltip(field="source_label", type="nominal", title="from"),
                alt.Tooltip(field="target_label", type="nominal", title="to"),
                alt.Tooltip(field="wait_text", type="nominal", title="wait"),
                alt.Tooltip(field="owner_text", type="nominal", title="owner"),
                alt.Tooltip(field="kind", type="nominal", title="kind"),
            ],
        )
    )
    heads = (
        alt.Chart(arrows)
        .mark_point(shape="triangle-right", filled=True, size=140, color=INK, opacity=1)
        .encode(
            x=canvas.x("x2"),
            y=canvas.y("y2"),
            angle=alt.Angle(field="angle", type="quantitative", scale=None),
        )
    )
    ladder = (
        alt.Chart(parts.data("rungs"))
        .mark_rule(strokeWidth=4)
        .encode(**lines_between, color=alt.Color(field="colour", type="nominal", scale=None))
    )
    return alt.layer(
        boxes,
        end_boxes,
        arrow_lines,
        heads,
        ladder,
        canvas.texts(parts.data("names"), fontWeight="bold", limit=BOX_WIDTH - 10),
        canvas.texts(parts.data("rung_labels"), fontWeight="bold", limit=COLUMN_WIDTH - 10),
        canvas.texts(parts.data("lines"), limit=BOX_WIDTH - 10),
        canvas.texts(parts.data("arrow_labels"), fontWeight="bold", limit=COLUMN_WIDTH - BOX_WIDTH - 6),
        canvas.texts(parts.data("totals"), align="left", fontWeight="bold"),
        title=parts.title,
        width=width,
        height=height,
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
