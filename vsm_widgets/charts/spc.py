"""The XmR chart: lead time in completion order against its natural process limits.

The limits and signals come from `vsm_widgets.metrics.xmr`; this module draws them.
Routine variation is drawn in ink; signals (a point beyond the limits, or in a
run of eight on one side of the centre line) in vermillion with their own
shape, so they stand out without colour too. Limits taken from a baseline are
drawn across the whole chart, with the baseline shaded.
"""

from __future__ import annotations

from collections.abc import Mapping

import altair as alt
import numpy as np
import pandas as pd

from vsm_widgets.charts.marks import NO_TYPE, type_labels
from vsm_widgets.charts.spec_cache import validated_once
from vsm_widgets.charts.theme import ALERT, INK, NEUTRAL, hours_to_unit, title
from vsm_widgets.metrics.xmr import Xmr, lead_time_xmr
from vsm_widgets.wording import number

# The most recent points drawn; the limits and signals still come from every point.
SPC_POINTS = 1000
READINGS = ("routine variation", "beyond the limits", "run of eight")
LIMIT_DASH = [6, 3]
BASELINE_FILL = "#F2F2F2"


def _reading(points: pd.DataFrame) -> pd.Series:
    reading = np.where(points["beyond_limits"], READINGS[1], np.where(points["in_run"], READINGS[2], READINGS[0]))
    return pd.Series(reading, index=points.index)


def _limit_lines(rows: list[tuple[str, float, str, list[int]]]) -> list[alt.Chart]:
    """Horizontal limit lines labelled at the right edge with their name and value."""
    table = pd.DataFrame(
        [
            {"line": name, "value": value, "colour": colour, "dash": dash, "text": f"{name} {number(value)}"}
            for name, value, colour, dash in rows
            if np.isfinite(value)
        ],
        columns=["line", "value", "colour", "dash", "text"],
    )
    base = alt.Chart(table).encode(
        y=alt.Y("value:Q"),
        color=alt.Color("colour:N", scale=None),
        tooltip=[alt.Tooltip("line:N", title="line"), alt.Tooltip("value:Q", format=",.2f")],
    )
    return [
        base.mark_rule(strokeWidth=2).encode(strokeDash=alt.StrokeDash("dash:N", scale=None)),
        base.mark_text(align="left", dx=6, x="width", fontWeight="bold").encode(text=alt.Text("text:N")),
    ]


def _finding(analysis: Xmr, shown: pd.DataFrame, unit: str, factor: float) -> str:
    limits = analysis.limits
    if not limits.defined:
        return "Too few finished items for natural process limits"
    beyond, runs = int(shown["beyond_limits"].sum()), int((shown["in_run"] & ~shown["beyond_limits"]).sum())
    if beyond == 0 and runs == 0:
        return (
            f"Lead time is predictable: every item within {number(limits.lower * factor)}–"
            f"{number(limits.upper * factor)} {unit}, no run of eight"
        )
    parts = []
    if beyond:
        parts.append(f"{beyond:,} item{'s' if beyond != 1 else ''} beyond the limits")
    if runs:
        parts.append(f"{runs:,} more in runs of eight on one side")
    return "Signals of a real change: " + " and ".join(parts)


@validated_once
def control_chart(analysis: Xmr, conventions: Mapping[str, str]) -> alt.VConcatChart:
    """Draw an XmR analysis of durations in hours: the individuals chart over the moving-range chart.

    Parameters
    ----------
    analysis : Xmr
        From `vsm_widgets.metrics.xmr.lead_time_xmr` (or `vsm_widgets.metrics.xmr.xmr` of
        hours); its points may carry ``item``, ``type`` and ``done``.
    conventions : mapping
        From `vsm_widgets.charts.theme.log_conventions`: the display unit.

    Returns
    -------
    altair.VConcatChart
        At most the latest 1,000 points are drawn; the limits and signals use them all.

    Examples
    --------
    >>> from vsm_widgets.metrics.xmr import xmr
    >>> chart = control_chart(xmr([24.0, 30, 26, 28, 100]), {"unit": "days"})
    >>> chart.to_dict()["title"]["text"]
    'Signals of a real change: 1 item beyond the limits'
    """
    unit = conventions.get("unit", "hours")
    factor = hours_to_unit(conventions)
    limits = analysis.limits
    shown = analysis.points.tail(SPC_POINTS)
    table = pd.DataFrame(
        {
            "position": shown["position"],
            "item": shown["item"] if "item" in shown else shown["position"].astype(str),
            "type": type_labels(shown["type"]) if "type" in shown else NO_TYPE,
            "done": shown["done"] if "done" in shown else pd.NaT,
            "value": shown["value"] * factor,
            "moving_range": shown["moving_range"] * factor,
            "reading": _reading(shown),
        }
    )
    position = alt.X("position:Q", title="Finished items in completion order", scale=alt.Scale(zero=False))
    tooltip = [
        alt.Tooltip("position:Q", title="#"),
        alt.Tooltip("item:N", title="item"),
        alt.Tooltip("type:N", title="type"),
        alt.Tooltip("done:T", title="completed", timeUnit="utcyearmonthdatehoursminutes"),
        alt.Tooltip("value:Q", title=f"lead time ({unit})", format=",.1f"),
        alt.Tooltip("moving_range:Q", title=f"moving range ({unit})", format=",.1f"),
        alt.Tooltip("reading:N", title="reading"),
    ]
    readings = list(READINGS)
    base = alt.Chart(table).encode(position, tooltip=tooltip)
    baseline = _baseline_band(analysis, shown)
    individuals = alt.layer(
        *baseline,
        base.mark_line(color=NEUTRAL, strokeWidth=1).encode(y=alt.Y("value:Q", title=f"Lead time ({unit})")),
        base.mark_point(filled=True, size=50).encode(
            y=alt.Y("value:Q"),
            color=alt.Color("reading:N", title=None, scale=alt.Scale(domain=readings, range=[INK, ALERT, ALERT])),
            shape=alt.Shape(
                "reading:N", title=None, scale=alt.Scale(domain=readings, range=["circle", "triangle-up", "square"])
            ),
        ),
        *_limit_lines(
            [
                ("UNPL", limits.upper * factor, ALERT, LIMIT_DASH),
                ("mean", limits.centre * factor, INK, []),
                ("LNPL", limits.lower * factor, ALERT, LIMIT_DASH),
            ]
        ),
        width=640,
        height=280,
    )
    moving = alt.layer(
        base.mark_line(color=NEUTRAL, strokeWidth=1, point=alt.OverlayMarkDef(color=INK, size=20)).encode(
            y=alt.Y("moving_range:Q", title=f"Moving range ({unit})")
        ),
        *_limit_lines(
            [
                ("URL", limits.moving_range_upper * factor, ALERT, LIMIT_DASH),
                ("mean mR", limits.average_moving_range * factor, INK, []),
            ]
        ),
        width=640,
        height=140,
    )
    count = len(analysis.points)
    source = (
        f"from the {limits.baseline_points:,} baseline items (shaded)"
        if limits.baseline_points < count
        else f"from all {count:,} finished items"
    )
    shown_note = f"; the latest {len(shown):,} of {count:,} items shown" if len(shown) < count else ""
    return alt.vconcat(
        individuals,
        moving,
        spacing=12,
        title=title(
            _finding(analysis, shown, unit, factor), conventions, f"natural process limits {source}{shown_note}"
        ),
    )


def _baseline_band(analysis: Xmr, shown: pd.DataFrame) -> list[alt.Chart]:
    """A shaded band behind the baseline points, when the limits come from only some of them."""
    in_baseline = shown.loc[shown["in_baseline"], "position"]
    if in_baseline.empty or analysis.limits.baseline_points >= len(analysis.points):
        return []
    band = pd.DataFrame({"start": [in_baseline.min() - 0.5], "end": [in_baseline.max() + 0.5], "label": ["baseline"]})
    return [
        alt.Chart(band)
        .mark_rect(color=BASELINE_FILL)
        .encode(x=alt.X("start:Q"), x2=alt.X2("end:Q"), tooltip=[alt.Tooltip("label:N", title="limits from")])
    ]


@validated_once
def xmr_chart(
    items: pd.DataFrame,
    conventions: Mapping[str, str],
    baseline: int | tuple[object, object] | None = None,
) -> alt.VConcatChart:
    """An XmR chart of the lead times of finished items in completion order.

    Parameters
    ----------
    items : DataFrame
        From `vsm_widgets.metrics.flow.item_metrics`: ``item``, ``type``, ``done``,
        ``finished`` and ``lead_time_hours``.
    conventions : mapping
        From `vsm_widgets.charts.theme.log_conventions`.
    baseline : int, (start, end) or None
        Where the limits come from: the first `baseline` finished items, those
        done within ``[start, end)``, or all (see `vsm_widgets.metrics.xmr.lead_time_xmr`).

    Returns
    -------
    altair.VConcatChart

    Examples
    --------
    >>> import pandas as pd
    >>> items = pd.DataFrame({"item": list("abcde"), "type": "story", "finished": True,
    ...     "done": pd.date_range("2026-01-05", periods=5, tz="UTC"), "lead_time_hours": [24.0, 30, 26, 28, 27]})
    >>> xmr_chart(items, {"unit": "days"}).to_dict()["title"]["text"]
    'Lead time is predictable: every item within 0.8–1.5 days, no run of eight'
    """
    return control_chart(lead_time_xmr(items, baseline=baseline), conventions)
