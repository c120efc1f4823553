"""Drawing the parts of a value stream map (`vsm_widgets.charts.map.map_parts`) on a pixel canvas.

Every layer reads its rows from the parts and takes its styles from them
through identity scales; layers of one kind of mark share a dataset and pick
their rows with a filter on ``part`` or ``weight``. So the specification
depends only on the canvas size, and a live chart redraws an edited map by
replacing its rows (`vsm_widgets.charts.spec_cache.LiveSpec`).
"""

from __future__ import annotations

from typing import Any

import altair as alt

from vsm_widgets.charts.map_symbols import STRIPE_COLOUR, STRIPE_DASH, STRIPE_WIDTH
from vsm_widgets.charts.spec_cache import ChartParts, validated_once
from vsm_widgets.charts.theme import INK

STEP_FILL = "#E8F1F8"
END_FILL = "#EEEEEE"
HIGHLIGHT_FILL = "#FFF3A3"


class _Canvas:
    """Encodings on a pixel grid: x from the left, y from the top, one data unit per pixel."""

    def __init__(self, width: float, height: float) -> None:
        self.x_scale = alt.Scale(domain=[0, width], nice=False, zero=False)
        self.y_scale = alt.Scale(domain=[0, height], reverse=True, nice=False, zero=False)

    def x(self, field: str) -> alt.X:
        return alt.X(field=field, type="quantitative", scale=self.x_scale, axis=None)

    def y(self, field: str) -> alt.Y:
        return alt.Y(field=field, type="quantitative", scale=self.y_scale, axis=None)

    def corners(self) -> dict[str, Any]:
        return {"x": self.x("x0"), "x2": alt.X2(field="x1"), "y": self.y("y0"), "y2": alt.Y2(field="y1")}

    def between(self) -> dict[str, Any]:
        return {"x": self.x("x"), "x2": alt.X2(field="x2"), "y": self.y("y"), "y2": alt.Y2(field="y2")}

    def texts(self, data: alt.InlineData, weight: str, **mark: Any) -> alt.Chart:
        """The text rows of one `weight`; each row gives ``x``, ``y``, ``text``, ``colour`` and ``size``."""
        return (
            alt.Chart(data)
            .transform_filter(alt.datum.weight == weight)
            .mark_text(**mark)
            .encode(
                x=self.x("x"),
                y=self.y("y"),
                text=alt.Text(field="text", type="nominal"),
                color=alt.Color(field="colour", type="nominal", scale=None),
                size=alt.Size(field="size", type="quantitative", scale=None),
            )
        )


def _nominal(field: str, title: str) -> alt.Tooltip:
    return alt.Tooltip(field=field, type="nominal", title=title)


ARROW_TOOLTIP = [
    _nominal("source_label", "from"),
    _nominal("target_label", "to"),
    _nominal("wait_text", "wait"),
    _nominal("owner_text", "owner"),
    _nominal("kind", "kind"),
    _nominal("inventory_text", "inventory"),
]
STEP_TOOLTIP = [
    _nominal("name", "step"),
    _nominal("owner_text", "owner"),
    _nominal("process", "process time"),
    _nominal("block", "block lead time"),
    _nominal("pct", "%C&A"),
    _nominal("value_text", "value class"),
    _nominal("waste_text", "wastes"),
    _nominal("critical_text", "on the critical path"),
]


@validated_once
def draw_map(parts: ChartParts) -> alt.LayerChart:
    """Draw the parts of a map on a canvas one data unit per pixel.

    Parameters
    ----------
    parts : ChartParts
        From `vsm_widgets.charts.map.map_parts`.

    Returns
    -------
    altair.LayerChart
    """
    width, height = parts.frame["width"], parts.frame["height"]
    canvas = _Canvas(width, height)
    marks, texts = parts.data("marks"), parts.data("texts")
    stripes = (
        alt.Chart(marks)
        .transform_filter((alt.datum.part == "slot") & alt.datum.push)
        .mark_rule(color=STRIPE_COLOUR, strokeWidth=STRIPE_WIDTH, strokeDash=STRIPE_DASH)
        .encode(**canvas.between())
    )
    # An invisible wide line over each arrow's labelled stretch, to hover for the arrow's tooltip.
    hover = (
        alt.Chart(marks)
        .transform_filter(alt.datum.part == "slot")
        .mark_rule(strokeWidth=16, strokeOpacity=0)
        .encode(**canvas.between(), tooltip=ARROW_TOOLTIP)
    )
    boxes = (
        alt.Chart(parts.data("steps"))
        .mark_rect(fill=STEP_FILL, cornerRadius=3)
        .encode(
            **canvas.corners(),
            stroke=alt.Stroke(field="stroke", type="nominal", scale=None),
            strokeWidth=alt.StrokeWidth(field="stroke_width", type="quantitative", scale=None),
            tooltip=STEP_TOOLTIP,
        )
    )
    end_boxes = (
        alt.Chart(parts.data("ends"))
        .mark_rect(fill=END_FILL, stroke=INK, strokeWidth=1.5, cornerRadius=18)
        .encode(**canvas.corners(), tooltip=[_nominal("name", "end")])
    )
    highlights = (
        alt.Chart(marks)
        .transform_filter(alt.datum.part == "highlight")
        .mark_rect(fill=HIGHLIGHT_FILL, cornerRadius=2)
        .encode(**canvas.corners())
    )
    arrows = (
        alt.Chart(parts.data("arrows"))
        .mark_rule(color=INK)
        .encode(
            **canvas.between(),
            strokeWidth=alt.StrokeWidth(field="stroke_width", type="quantitative", scale=None),
            strokeDash=alt.StrokeDash(field="dash", type="nominal", scale=None),
        )
    )
    heads = (
        alt.Chart(parts.data("heads"))
        .mark_point(shape="triangle-right", filled=True, size=140, color=INK, opacity=1)
        .encode(
            x=canvas.x("x"),
            y=canvas.y("y"),
            angle=alt.Angle(field="angle", type="quantitative", scale=None),
            tooltip=ARROW_TOOLTIP,
        )
    )
    symbols = (
        alt.Chart(marks)
        .transform_filter(alt.datum.part == "symbol")
        .mark_point(filled=True, opacity=1, strokeWidth=1.5, strokeOpacity=1)
        .encode(
            x=canvas.x("x"),
            y=canvas.y("y"),
            shape=alt.Shape(field="shape", type="nominal", scale=None),
            size=alt.Size(field="size", type="quantitative", scale=None),
            fill=alt.Fill(field="fill", type="nominal", scale=None),
            stroke=alt.Stroke(field="stroke", type="nominal", scale=None),
        )
    )
    ladder = (
        alt.Chart(parts.data("rungs"))
        .mark_rule(strokeWidth=4)
        .encode(**canvas.between(), color=alt.Color(field="colour", type="nominal", scale=None))
    )
    return alt.layer(
        stripes,
        boxes,
        end_boxes,
        highlights,
        arrows,
        heads,
        symbols,
        ladder,
        hover,
        canvas.texts(texts, "bold", fontWeight="bold"),
        canvas.texts(texts, "plain"),
        canvas.texts(texts, "left", align="left", fontWeight="bold"),
        title=parts.title,
        width=width,
        height=height,
    )
