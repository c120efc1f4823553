"""Where the lead time goes: each step's and handoff's share, and a Pareto of time by waste category.

Both read the map model (`ValueStream.shares`, `ValueStream.time_by_waste`),
so they serve a drawn map and the map measured from a timing export alike.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from vsm_widgets.charts.spec_cache import validated_once
from vsm_widgets.charts.theme import INK, WAITING, WORK, kind_colour, map_conventions, readable, title
from vsm_widgets.charts.timeline import display_names
from vsm_widgets.model.stream import ValueStream
from vsm_widgets.wording import percent

KINDS = {"step": "work", "handoff": "waiting"}


@validated_once
def time_share_chart(stream: ValueStream) -> alt.LayerChart:
    """Each step's and handoff's share of lead time along the critical path, in flow order.

    Parameters
    ----------
    stream : ValueStream
        The map.

    Returns
    -------
    altair.LayerChart
        One bar per box and arrow of the critical path (their shares add up to
        100 %): boxes blue, arrows orange.

    Examples
    --------
    >>> from vsm_widgets.io.map_file import load_map
    >>> chart = time_share_chart(load_map("data/samples/maps/four_functions.yaml"))
    >>> chart.to_dict()["title"]["text"]
    'Ops takes the largest share of lead time (27 %); arrows take 34 %'
    """
    shares = stream.shares()
    say = readable(stream)
    table = shares[shares["critical"]].reset_index(drop=True)
    table = table.assign(
        kind_name=table["kind"].map(KINDS),
        display=display_names(table["label"], table["key"]),
        elapsed_text=[say(v) for v in table["elapsed"]],
        share_text=[percent(v) for v in table["share"]],
    )
    # Layers share the data given once to the layer: Altair then has no data of theirs to compare.
    base = alt.Chart().encode(
        y=alt.Y("display:N", title=None, sort=list(table["display"])),
        x=alt.X("share:Q", title="Share of lead time", axis=alt.Axis(format="%")),
        tooltip=[
            alt.Tooltip("display:N", title="where"),
            alt.Tooltip("kind:N", title="kind"),
            alt.Tooltip("elapsed_text:N", title="time"),
            alt.Tooltip("share_text:N", title="share of lead time"),
        ],
    )
    bars = base.mark_bar().encode(color=alt.Color("kind_name:N", title=None, scale=kind_colour()))
    values = base.mark_text(align="left", dx=4, color=INK).encode(text=alt.Text("share_text:N"))
    return alt.layer(
        bars,
        values,
        data=table,
        title=title(_share_finding(table), map_conventions(stream), "along the critical path; shares add up to 100 %"),
        width=480,
        height=alt.Step(28),
    )


def _share_finding(table: pd.DataFrame) -> str:
    if table.empty or not table["share"].notna().any() or table["share"].max() <= 0:
        return "No time recorded on the critical path yet"
    arrows = table.loc[table["kind"] == "handoff", "share"].sum()
    top = table.loc[table["share"].idxmax()]
    return (
        f"{top['display']} takes the largest share of lead time ({percent(top['share'])}); "
        f"arrows take {percent(arrows)}"
    )


@validated_once
def waste_pareto_chart(stream: ValueStream, handoffs_as: str | None = "waiting") -> alt.LayerChart:
    """A Pareto of critical-path time by waste category: bars largest first and the cumulative share.

    Parameters
    ----------
    stream : ValueStream
        The map; steps count towards the wastes they are tagged with.
    handoffs_as : str or None
        The waste that waits on arrows count as (see `ValueStream.time_by_waste`).

    Returns
    -------
    altair.LayerChart

    Examples
    --------
    >>> from vsm_widgets.io.map_file import load_map
    >>> chart = waste_pareto_chart(load_map("data/samples/maps/office.yaml"))
    >>> chart.to_dict()["title"]["text"]
    'Waiting accounts for 73 % of lead time; with defects, 86 %'
    """
    say = readable(stream)
    wastes = stream.time_by_waste(handoffs_as=handoffs_as)
    table = wastes[wastes["time"] > 0].sort_values("time", ascending=False, kind="stable").reset_index(drop=True)
    table = table.assign(
        cumulative=table["share"].cumsum(),
        time_text=[say(v) for v in table["time"]],
        share_text=[percent(v) for v in table["share"]],
        middle=table["share"] / 2,
    )
    order = list(table["label"])
    x = alt.X("label:N", title=None, sort=order, axis=alt.Axis(labelAngle=-30))
    tooltip = [
        alt.Tooltip("label:N", title="waste"),
        alt.Tooltip("time_text:N", title="time"),
        alt.Tooltip("share_text:N", title="share of lead time"),
        alt.Tooltip("cumulative:Q", title="cumulative share", format=".0%"),
    ]
    bars = (
        alt.Chart()
        .mark_bar(color=WAITING)
        .encode(x=x, y=alt.Y("share:Q", title="Share of lead time", axis=alt.Axis(format="%")), tooltip=tooltip)
    )
    line = (
        alt.Chart()
        .mark_line(color=WORK, point=alt.OverlayMarkDef(color=WORK, size=60), strokeWidth=2.5)
        .encode(x=x, y=alt.Y("cumulative:Q", scale=alt.Scale(domain=[0, 1])), tooltip=tooltip)
    )
    labels = (
        alt.Chart()
        .mark_text(color=INK, fontWeight="bold")
        .encode(x=x, y=alt.Y("middle:Q"), text=alt.Text("share_text:N"))
    )
    note = "arrows count as " + handoffs_as.replace("_", " ") if handoffs_as else "arrows left out"
    return alt.layer(
        bars,
        labels,
        line,
        data=table,
        title=title(_waste_finding(table), map_conventions(stream), f"{note}; line: cumulative share"),
        width=max(320, 90 * len(table)),
        height=300,
    )


def _waste_finding(table: pd.DataFrame) -> str:
    if table.empty:
        return "No time on the critical path is tagged with a waste yet"
    top = table.iloc[0]
    finding = f"{top['label']} accounts for {percent(top['share'])} of lead time"
    if len(table) > 1:
        finding += f"; with {table.iloc[1]['label'].lower()}, {percent(table.iloc[1]['cumulative'])}"
    return finding
