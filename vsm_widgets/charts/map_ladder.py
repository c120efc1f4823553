"""The lead-time ladder under a map: waits on the upper rung, process times on the lower, totals at the end.

It follows the critical path tier by tier. Every duration is worded as the
map's title and the page word it (`vsm_widgets.charts.theme.readable`), and the
three totals share the lead time's unit so they add up by eye.
"""

from __future__ import annotations

from typing import Any

from vsm_widgets.charts.layout import BOX_WIDTH, MARGIN, RUNG_SPACING, MapLayout
from vsm_widgets.charts.spec_cache import Record
from vsm_widgets.charts.text_fit import cut, text_row
from vsm_widgets.charts.theme import INK, NEUTRAL, WAITING, WORK, readable, readable_together
from vsm_widgets.model.graph import CUSTOMER
from vsm_widgets.model.stream import ValueStream

# Box lines (owner, PT, %C&A) and ladder labels share one size; the totals stand out.
LINE_SIZE, TOTAL_SIZE = 13, 16


def ladder_rows(stream: ValueStream, layout: MapLayout, summary: dict[str, Any]) -> tuple[list[Record], list[Record]]:
    """The ladder under each tier along the critical path: waits under arrows on top, process times under boxes below.

    A wait on an arrow to the next tier is drawn to the tier's right edge, with
    its label, and again from the left edge into its target.

    Parameters
    ----------
    stream : ValueStream
        The map.
    layout : MapLayout
        Where its boxes and tiers sit (`vsm_widgets.charts.layout.map_layout`).
    summary : dict
        Its partition totals (`vsm_widgets.metrics.mean_item.map_totals`).

    Returns
    -------
    tuple of list
        The rungs (lines) and the texts (labels and the three totals) as chart rows.
    """
    say = readable(stream)
    place = layout.boxes
    rungs, texts = [], []

    def rung(x: float, x2: float, y: float, y2: float, colour: str) -> None:
        rungs.append({"x": x, "x2": x2, "y": y, "y2": y2, "colour": colour})

    for handoff in stream.critical_handoffs():
        source, target = place[handoff.source], place[handoff.target]
        upper = layout.tiers[source.tier].ladder_y
        end = target.x0 if source.tier == target.tier else layout.right
        rung(source.x1, end, upper, upper, WAITING)
        wait = cut(say(stream.in_unit(stream.wait_of(handoff))), end - source.x1 - 8, LINE_SIZE, bold=True)
        texts.append(text_row((source.x1 + end) / 2, upper - 10, wait, WAITING, LINE_SIZE, "bold"))
        if source.tier != target.tier:
            arrival = layout.tiers[target.tier].ladder_y
            rung(MARGIN, target.x0, arrival, arrival, WAITING)
    for step_id in stream.critical_path():
        step, box = stream.step(step_id), place[step_id]
        upper = layout.tiers[box.tier].ladder_y
        lower = upper + RUNG_SPACING
        rung(box.x0, box.x1, lower, lower, WORK)
        rung(box.x0, box.x0, upper, lower, NEUTRAL)
        rung(box.x1, box.x1, upper, lower, NEUTRAL)
        process = cut(say(stream.in_unit(step.process_time)), BOX_WIDTH - 4, LINE_SIZE, bold=True)
        texts.append(text_row(box.xc, lower + 14, process, WORK, LINE_SIZE, "bold"))
        if step.lead_time is not None and step.lead_time.seconds > step.process_time.seconds:
            block = cut(f"block {say(stream.in_unit(step.lead_time))}", BOX_WIDTH - 4, LINE_SIZE)
            texts.append(text_row(box.xc, lower + 31, block, WORK, LINE_SIZE))
    customer = place[CUSTOMER]
    upper = layout.tiers[customer.tier].ladder_y
    lower = upper + RUNG_SPACING
    totals_x = customer.x0 + 12
    # One unit for the three totals, the lead time's, so they add up by eye.
    waiting, process, lead = readable_together(stream)(
        [summary["wait_time"], summary["process_time"], summary["lead_time"]]
    )
    texts += [
        text_row(totals_x, upper + 5, f"Waiting {waiting}", WAITING, TOTAL_SIZE, "left"),
        text_row(totals_x, lower + 5, f"Process {process}", WORK, TOTAL_SIZE, "left"),
        text_row(totals_x, lower + 34, f"Lead time {lead}", INK, TOTAL_SIZE, "left"),
    ]
    return rungs, texts
