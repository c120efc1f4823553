"""The lead-time ladder on a time scale, and each step's process time against its waiting.

The ladder follows the critical path (`vsm_widgets.metrics.ladder`): every waiting
segment on the upper rung in orange, every working segment on the lower rung
in blue, each as long as it lasts, so the eye sees where the lead time goes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

import altair as alt
import pandas as pd

from vsm_widgets.charts.spec_cache import ChartParts, LiveSpec, json_rows, validated_once
from vsm_widgets.charts.theme import (
    FONT_SIZES,
    INK,
    NEUTRAL,
    WAITING,
    WORK,
    kind_colour,
    map_conventions,
    readable,
    readable_together,
    title,
)
from vsm_widgets.metrics.ladder import ladder_segments, step_times
from vsm_widgets.metrics.mean_item import map_totals
from vsm_widgets.model.stream import ValueStream
from vsm_widgets.wording import percent, wait_place

LADDER_WIDTH = 760
LADDER_HEIGHT = 120
# Rough width of a label character at the theme's font size, to leave out labels that would not fit.
CHARACTER_PIXELS = 7.5
RUNG = {"waiting": 1.0, "work": 0.0}
# Rung units between the working rungs of ladders drawn one above the other.
LADDER_SPAN = 2.8
# Labels sit just above the waiting rung and just below the working one (in rung units: 1 is about 43 px).
LABEL_RUNG = {"waiting": 1.33, "work": -0.42}
LABEL_COLOUR = {"waiting": WAITING, "work": WORK}
OFF_PATH_OPACITY = 0.45
PARTS = ("waiting before", "waiting inside", "process time")
PART_COLOURS = (WAITING, "#F5C96B", WORK)


def _segment_rows(stream: ValueStream, x_max: float, offset: float) -> list[dict]:
    """The ladder's segments with their rung, label (where it fits) and tooltip texts."""
    pixels = LADDER_WIDTH / x_max if x_max > 0 else 0.0
    say = readable(stream)
    rows = []
    for segment in ladder_segments(stream).to_dict("records"):
        duration = say(segment["duration"])
        text = duration if segment["kind"] == "waiting" else segment["label"]
        fits = len(text) * CHARACTER_PIXELS <= segment["duration"] * pixels
        owner = segment["owner"]
        rows.append(
            {
                **segment,
                "map": stream.name,
                "rung": RUNG[segment["kind"]] + offset,
                "text": text if fits else "",
                "owner": owner if isinstance(owner, str) else "no owner",
                "duration_text": duration,
                "middle": (segment["start"] + segment["end"]) / 2,
                "label_y": LABEL_RUNG[segment["kind"]] + offset,
                "colour": LABEL_COLOUR[segment["kind"]],
            }
        )
    return rows


def _joints(rows: list[dict], offset: float) -> list[dict]:
    """Where the ladder steps between its rungs: every change from waiting to work or back, and both ends."""
    stamps = [row["start"] for i, row in enumerate(rows) if i == 0 or row["kind"] != rows[i - 1]["kind"]]
    if rows:
        stamps.append(rows[-1]["end"])
    return [{"start": stamp, "low": offset, "high": offset + 1.0} for stamp in stamps]


def _totals(stream: ValueStream, x_max: float, offset: float) -> list[dict]:
    """Waiting and process time at the end of each rung, with their shares of lead time."""
    summary = map_totals(stream)
    wait_text, process_text = readable_together(stream)([summary["wait_time"], summary["process_time"]])
    ratio = 1 - summary["waiting_share"]
    return [
        {
            "x": x_max,
            "y": offset + 1.0,
            "text": f"waiting {wait_text} ({percent(1 - ratio)})",
            "size": FONT_SIZES["text"],
        },
        {
            "x": x_max,
            "y": offset,
            "text": f"process {process_text} ({percent(ratio)})",
            "size": FONT_SIZES["text"],
        },
    ]


def ladder_layers(
    streams: Sequence[ValueStream], headings: Sequence[str] = (), x_max: float | None = None
) -> list[alt.Chart]:
    """The ladders of one or more maps, one above the other on a single time scale.

    Parameters
    ----------
    streams : sequence of ValueStream
        The maps, top to bottom; their numbers are in the first map's unit.
    headings : sequence of str
        A line of text above each ladder (none by default).
    x_max : float, optional
        The end of the time axis in the maps' unit; the longest lead time by default.

    Returns
    -------
    list of altair.Chart
        Rungs, the joints between them, segment labels, and totals with the
        headings; layer them with ``width=LADDER_WIDTH`` and
        ``height=LADDER_HEIGHT * len(streams)``.

    Examples
    --------
    >>> from vsm_widgets.model.stream import Step
    >>> from vsm_widgets.units import Duration
    >>> stream = ValueStream("One", [Step("a", process_time=Duration.of(2, "days"))])
    >>> [layer.mark.type for layer in ladder_layers([stream])]
    ['rule', 'rule', 'text', 'text']
    """
    end = x_max if x_max is not None else max(map_totals(stream)["lead_time"] for stream in streams)
    rows, joints, totals = [], [], []
    for index, stream in enumerate(streams):
        offset = (len(streams) - 1 - index) * LADDER_SPAN
        segments = _segment_rows(stream, end, offset)
        rows += segments
        joints += _joints(segments, offset)
        totals += _totals(stream, end, offset)
        if index < len(headings):
            totals.append({"x": 0.0, "y": offset + 1.75, "text": headings[index], "size": FONT_SIZES["heading"]})
    table = pd.DataFrame(rows)
    x = alt.X("start:Q", title=f"Elapsed time ({streams[0].unit})", scale=alt.Scale(domain=[0, end or 1], nice=False))
    rung_scale = alt.Scale(domain=[-0.9, -0.9 + LADDER_SPAN * len(streams)])
    y = alt.Y("rung:Q", axis=None, scale=rung_scale)
    tooltip = [
        alt.Tooltip("label:N", title="where"),
        alt.Tooltip("where:N", title="kind"),
        alt.Tooltip("duration_text:N", title="time"),
        alt.Tooltip("owner:N", title="owner"),
    ]
    rungs = (
        alt.Chart(table)
        .mark_rule(strokeWidth=6, strokeCap="butt")
        .encode(
            x=x, x2=alt.X2("end:Q"), y=y, color=alt.Color("kind:N", title=None, scale=kind_colour()), tooltip=tooltip
        )
    )
    joint_rules = (
        alt.Chart(pd.DataFrame(joints, columns=["start", "low", "high"]))
        .mark_rule(color=NEUTRAL, strokeWidth=1.5)
        .encode(x=alt.X("start:Q"), y=alt.Y("low:Q", axis=None, scale=rung_scale), y2=alt.Y2("high:Q"))
    )
    labels = (
        alt.Chart(pd.DataFrame([row for row in rows if row["text"]], columns=list(table.columns)))
        .mark_text(fontWeight="bold")
        .encode(
            x=alt.X("middle:Q"),
            y=alt.Y("label_y:Q", axis=None, scale=rung_scale),
            text=alt.Text("text:N"),
            color=alt.Color("colour:N", scale=None),
            tooltip=tooltip,
        )
    )
    total_text = (
        alt.Chart(pd.DataFrame(totals, columns=["x", "y", "text", "size"]))
        .mark_text(align="left", dx=10, fontWeight="bold", color=INK)
        .encode(
            x=alt.X("x:Q"),
            y=alt.Y("y:Q", axis=None, scale=rung_scale),
            text=alt.Text("text:N"),
            size=alt.Size("size:Q", scale=None),
        )
    )
    return [rungs, joint_rules, labels, total_text]


@validated_once
def ladder_chart(stream: ValueStream) -> alt.LayerChart:
    """The lead-time ladder alone, on a time scale: waiting above, process time below, totals at the end.

    Parameters
    ----------
    stream : ValueStream
        The map.

    Returns
    -------
    altair.LayerChart

    Examples
    --------
    >>> from vsm_widgets.io.map_file import load_map
    >>> chart = ladder_chart(load_map("data/samples/maps/four_functions.yaml"))
    >>> chart.to_dict()["title"]["text"]
    'Lead time 44 days: 29 days of work, 15 days of waiting'
    """
    summary = map_totals(stream)
    if summary["lead_time"]:
        lead, work, waiting = readable_together(stream)(
            [summary["lead_time"], summary["process_time"], summary["wait_time"]]
        )
        finding = f"Lead time {lead}: {work} of work, {waiting} of waiting"
    else:
        finding = "Lead time is zero: give the steps process times and the arrows waits"
    return alt.layer(
        *ladder_layers([stream]),
        title=title(finding, map_conventions(stream), f"{summary['what']}; each segment as long as it lasts"),
        width=LADDER_WIDTH,
        height=LADDER_HEIGHT,
    )


@validated_once
def step_time_chart(stream: ValueStream) -> alt.Chart:
    """Each step's process time against the waiting before and inside it, in flow order.

    Parameters
    ----------
    stream : ValueStream
        The map.

    Returns
    -------
    altair.Chart
        One stacked bar per step (and one for the wait before delivery);
        steps off the critical path are drawn paler.

    Examples
    --------
    >>> from vsm_widgets.io.map_file import load_map
    >>> chart = step_time_chart(load_map("data/samples/maps/four_functions.yaml"))
    >>> chart.to_dict()["title"]["text"]
    'The largest wait is between Ops and Delivery (7 days); Ops takes the most process time (12 days)'
    """
    return draw_step_times(step_time_parts(stream))


@validated_once
def step_time_parts(stream: ValueStream) -> ChartParts:
    """What `step_time_chart` shows: one bar segment per step and part, the title, the axis title and the step order.

    Parameters
    ----------
    stream : ValueStream
        The map.

    Returns
    -------
    ChartParts
        Dataset ``bars`` (see `part_rows`, with an ``opacity``); the frame
        holds ``x_title`` and ``order``, the steps' display names in flow order.

    Examples
    --------
    >>> from vsm_widgets.io.map_file import load_map
    >>> step_time_parts(load_map("data/samples/maps/four_functions.yaml")).frame["order"]
    ['Marketing', 'Sales', 'Ops', 'Delivery', 'Customer']
    """
    times = step_times(stream).to_dict("records")
    say = readable(stream)
    shown = display_names([row["name"] for row in times], [row["step"] for row in times])
    for row, display in zip(times, shown, strict=True):
        row["display"] = display
    bars = part_rows(times, say)
    for bar in bars:
        bar["opacity"] = 1.0 if bar["critical"] else OFF_PATH_OPACITY
    return ChartParts(
        datasets={"bars": json_rows(bars)},
        title=title(_step_finding(stream, times), map_conventions(stream), "pale bars: off the critical path"),
        frame={"x_title": f"Time ({stream.unit})", "order": shown},
    )


@validated_once
def draw_step_times(parts: ChartParts) -> alt.Chart:
    """Draw the parts of `step_time_chart` (`step_time_parts`) as stacked bars, one row per step.

    Parameters
    ----------
    parts : ChartParts
        From `step_time_parts`.

    Returns
    -------
    altair.Chart
    """
    return (
        alt.Chart(parts.data("bars"), title=parts.title, width=620, height=alt.Step(30))
        .mark_bar()
        .encode(
            y=alt.Y(field="display", type="nominal", title=None, sort=parts.frame["order"]),
            x=alt.X(field="time", type="quantitative", title=parts.frame["x_title"], stack="zero"),
            color=alt.Color(
                field="part", type="nominal", title=None, scale=alt.Scale(domain=list(PARTS), range=list(PART_COLOURS))
            ),
            order=alt.Order(field="order", type="quantitative"),
            opacity=alt.Opacity(field="opacity", type="quantitative", scale=None),
            tooltip=[
                alt.Tooltip(field="display", type="nominal", title="step"),
                alt.Tooltip(field="part", type="nominal", title="part"),
                alt.Tooltip(field="time_text", type="nominal", title="time"),
                alt.Tooltip(field="critical", type="nominal", title="on the critical path"),
            ],
        )
    )


def live_step_times() -> LiveSpec[ValueStream]:
    """The specification of `step_time_chart` for a map edited again and again, redrawn by its data where it can.

    Returns
    -------
    LiveSpec
        Called with a map, gives ``step_time_chart(map).to_dict(validate=False)``.
    """
    return LiveSpec(step_time_parts, draw_step_times)


def part_rows(records: list[dict], say: Callable[[float], str]) -> list[dict]:
    """One bar segment per step and part (waiting before, waiting inside, process time) that took any time.

    Parameters
    ----------
    records : list of dict
        Rows of `vsm_widgets.metrics.ladder.step_times` with a ``display`` name.
    say : callable
        Formats a duration of the map.

    Returns
    -------
    list of dict
        ``display``, ``step``, ``critical``, ``part``, ``order`` (stacking
        order), ``time`` and ``time_text``, plus the other keys of each record.

    Examples
    --------
    >>> rows = part_rows([{"display": "A", "step": "a", "critical": True, "waiting_before": 2.0,
    ...     "waiting_inside": 0.0, "process_time": 1.0}], lambda t: f"{t:g} d")
    >>> [(row["part"], row["time_text"]) for row in rows]
    [('waiting before', '2 d'), ('process time', '1 d')]
    """
    columns = ("waiting_before", "waiting_inside", "process_time")
    return [
        {**record, "part": part, "order": order, "time": record[column], "time_text": say(record[column])}
        for record in records
        for order, (column, part) in enumerate(zip(columns, PARTS, strict=True))
        if record[column] > 0
    ]


def display_names(names: Sequence[str], ids: Sequence[str]) -> list[str]:
    """Step names for axis labels, with the id added where two steps share a name.

    Examples
    --------
    >>> display_names(pd.Series(["Review", "Review", "Build"]), pd.Series(["r1", "r2", "b"]))
    ['Review (r1)', 'Review (r2)', 'Build']
    """
    repeated = {name for name, count in Counter(names).items() if count > 1}
    return [f"{n} ({i})" if n in repeated else n for n, i in zip(names, ids, strict=True)]


def _step_finding(stream: ValueStream, times: list[dict]) -> str:
    """The map's largest wait (the rule every page uses) and the step with the most process time (the first of ties)."""
    waiting = [row["waiting_before"] + row["waiting_inside"] for row in times]
    if not times or (max(waiting) <= 0 and max(row["process_time"] for row in times) <= 0):
        return "No time recorded on any step yet"
    say = readable(stream)
    most_work = max(times, key=lambda row: row["process_time"])
    work = f"{most_work['display']} takes the most process time ({say(most_work['process_time'])})"
    wait = map_totals(stream)["largest_wait"]
    if wait is None:
        return f"Nothing waits; {work}"
    return f"The largest wait is {wait_place(wait['from'], wait['to'])} ({say(wait['wait'])}); {work}"
