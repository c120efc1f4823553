"""Flow over time from a timing export: cumulative flow, WIP, throughput, aging WIP, flow distribution.

Each chart takes a table of the flow metrics (`vsm_widgets.metrics.flow`,
`vsm_widgets.metrics.wip`, `vsm_widgets.metrics.throughput`; durations in hours) and the
conventions of the log (`vsm_widgets.charts.theme.log_conventions`). Long
spans are drawn in longer periods (`vsm_widgets.metrics.series`), and many items as
counts on a grid (`vsm_widgets.metrics.distribution`), so no chart grows with the export.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import altair as alt
import pandas as pd

from vsm_widgets.charts.marks import date_x, in_unit, percentile_rules, percentile_table, type_labels
from vsm_widgets.charts.spec_cache import validated_once
from vsm_widgets.charts.theme import INK, NEUTRAL, category_colour, kind_colour, title
from vsm_widgets.metrics.distribution import point_cloud
from vsm_widgets.metrics.series import coarsen, wip_by_period
from vsm_widgets.metrics.wip import AgingAgainstFinished, aging_against_finished
from vsm_widgets.wording import number, percent

# Row budgets well inside the 5,000 rows a chart may carry.
PERIOD_ROWS = 2500
AGING_POINTS = 2000
KIND_NAMES = {"active": "work", "waiting": "waiting"}


@validated_once
def cumulative_flow_chart(cfd: pd.DataFrame, conventions: Mapping[str, str]) -> alt.Chart:
    """The cumulative flow diagram: items per state over time, ``done`` at the bottom.

    Parameters
    ----------
    cfd : DataFrame
        From `vsm_widgets.metrics.wip.cumulative_flow`: ``date``, ``state``, ``items``
        with states in flow order and ``"done"`` last.
    conventions : mapping
        From `vsm_widgets.charts.theme.log_conventions`.

    Returns
    -------
    altair.Chart

    Examples
    --------
    >>> from vsm_widgets.io.exports import read_export
    >>> from vsm_widgets.charts.theme import log_conventions
    >>> log = read_export("data/samples/payments_team.csv", "data/samples/payments_team.mapping.yaml")
    >>> from vsm_widgets.metrics.wip import cumulative_flow
    >>> cumulative_flow_chart(cumulative_flow(log), log_conventions(log)).to_dict()["title"]["text"]
    '315 items done and 35 still in the stream on 2026-07-03'
    """
    states = list(dict.fromkeys(cfd["state"]))
    table, period = coarsen(cfd, "date", lasts=["items"], by=["state"], max_rows=PERIOD_ROWS)
    table = table.assign(stack=table["state"].map({s: len(states) - i for i, s in enumerate(states)}))
    if table.empty:
        finding = "No items yet"
    else:
        last = table[table["date"] == table["date"].max()]
        done = int(last.loc[last["state"] == "done", "items"].sum())
        open_items = int(last.loc[last["state"] != "done", "items"].sum())
        finding = f"{done:,} items done and {open_items:,} still in the stream on {last['date'].iloc[0]:%Y-%m-%d}"
    return (
        alt.Chart(table, title=title(finding, conventions), width=640, height=320)
        .mark_area(opacity=0.9)
        .encode(
            x=date_x("date", f"Date (per {period})"),
            y=alt.Y("items:Q", title="Items", stack="zero"),
            color=alt.Color("state:N", title="State", sort=states, scale=alt.Scale(domain=states, scheme="viridis")),
            order=alt.Order("stack:Q"),
            tooltip=[
                alt.Tooltip("date:T", title="date", timeUnit="utcyearmonthdate"),
                alt.Tooltip("state:N", title="state"),
                alt.Tooltip("items:Q", title="items"),
            ],
        )
    )


@validated_once
def wip_run_chart(wip: pd.DataFrame, conventions: Mapping[str, str]) -> alt.LayerChart:
    """Work in progress at the end of each period, with the peak within it.

    Parameters
    ----------
    wip : DataFrame
        From `vsm_widgets.metrics.wip.wip_series`: the step function ``time``, ``wip``.
    conventions : mapping
        From `vsm_widgets.charts.theme.log_conventions`.

    Returns
    -------
    altair.LayerChart

    Examples
    --------
    >>> from vsm_widgets.io.exports import read_export
    >>> from vsm_widgets.charts.theme import log_conventions
    >>> log = read_export("data/samples/payments_team.csv", "data/samples/payments_team.mapping.yaml")
    >>> from vsm_widgets.metrics.wip import wip_series
    >>> wip_run_chart(wip_series(log), log_conventions(log)).to_dict()["title"]["text"]
    'WIP rose from 3 to 35 items per day end; peak 42'
    """
    table, period = wip_by_period(wip)
    if table.empty:
        finding = "No work in progress"
    else:
        first, last, peak = int(table["wip_end"].iloc[0]), int(table["wip_end"].iloc[-1]), int(table["wip_peak"].max())
        trend = "rose" if last > first else "fell" if last < first else "held"
        finding = f"WIP {trend} from {first:,} to {last:,} items per {period} end; peak {peak:,}"
    # Layers share the data given once to the layer: Altair then has no data of theirs to compare.
    base = alt.Chart().encode(
        x=date_x("period_start", f"Period (per {period})"),
        tooltip=[
            alt.Tooltip("period_start:T", title=f"{period} from", timeUnit="utcyearmonthdate"),
            alt.Tooltip("wip_end:Q", title="WIP at end"),
            alt.Tooltip("wip_peak:Q", title="peak WIP"),
        ],
    )
    peak_line = base.mark_line(color=NEUTRAL, strokeDash=[4, 3], interpolate="step-after").encode(
        y=alt.Y("wip_peak:Q", title="Items in progress")
    )
    end_line = base.mark_line(color=INK, strokeWidth=2.5, interpolate="step-after", point=True).encode(
        y=alt.Y("wip_end:Q")
    )
    return alt.layer(
        peak_line,
        end_line,
        data=table,
        title=title(finding, conventions, "solid: WIP at the end of each period · dashed: peak within it"),
        width=640,
        height=280,
    )


@validated_once
def throughput_chart(throughput: pd.DataFrame, conventions: Mapping[str, str]) -> alt.Chart:
    """Items finished per period, stacked by type.

    Parameters
    ----------
    throughput : DataFrame
        From `vsm_widgets.metrics.throughput.throughput`: ``period_start``, ``type``, ``finished``.
    conventions : mapping
        From `vsm_widgets.charts.theme.log_conventions`.

    Returns
    -------
    altair.Chart

    Examples
    --------
    >>> from vsm_widgets.io.exports import read_export
    >>> from vsm_widgets.charts.theme import log_conventions
    >>> log = read_export("data/samples/payments_team.csv", "data/samples/payments_team.mapping.yaml")
    >>> from vsm_widgets.metrics.throughput import throughput
    >>> throughput_chart(throughput(log, "W-MON"), log_conventions(log)).to_dict()["title"]["text"]
    '315 items finished in 26 weeks; the busiest week 24'
    """
    typed = throughput.assign(type=type_labels(throughput["type"]))
    table, period = coarsen(typed, "period_start", sums=["finished"], by=["type"], max_rows=PERIOD_ROWS)
    per_period = table.groupby("period_start")["finished"].sum()
    if per_period.empty:
        finding = "No items finished yet"
    else:
        finding = (
            f"{int(per_period.sum()):,} items finished in {len(per_period):,} {period}s; "
            f"the busiest {period} {int(per_period.max()):,}"
        )
    return (
        alt.Chart(table, title=title(finding, conventions), width=640, height=280)
        .mark_bar()
        .encode(
            x=date_x("period_start", f"{period.capitalize()} starting", bands=True),
            y=alt.Y("finished:Q", title=f"Items finished per {period}", stack="zero"),
            color=alt.Color("type:N", title="Type", scale=category_colour()),
            tooltip=[
                alt.Tooltip("period_start:T", title=f"{period} from", timeUnit="utcyearmonthdate"),
                alt.Tooltip("type:N", title="type"),
                alt.Tooltip("finished:Q", title="finished"),
            ],
        )
    )


@validated_once
def aging_wip_chart(
    aging: pd.DataFrame,
    items: pd.DataFrame,
    conventions: Mapping[str, str],
    order: Sequence[str] | None = None,
) -> alt.LayerChart:
    """Age of each item in progress by the step it is in, against percentile lines of finished work.

    Parameters
    ----------
    aging : DataFrame
        From `vsm_widgets.metrics.wip.aging_wip`: ``item``, ``type``, ``step``,
        ``kind`` (active or waiting), ``age_hours``, ``step_age_hours``.
    items : DataFrame
        From `vsm_widgets.metrics.flow.item_metrics`: the finished items' lead times
        give the 50th, 85th and 95th percentile lines.
    conventions : mapping
        From `vsm_widgets.charts.theme.log_conventions`.
    order : sequence of str, optional
        Steps and waiting states in flow order (e.g. ``log.steps``); others
        follow in the order they appear.

    Returns
    -------
    altair.LayerChart

    Examples
    --------
    >>> from vsm_widgets.io.exports import read_export
    >>> from vsm_widgets.charts.theme import log_conventions
    >>> log = read_export("data/samples/payments_team.csv", "data/samples/payments_team.mapping.yaml")
    >>> from vsm_widgets.metrics.flow import item_metrics
    >>> from vsm_widgets.metrics.wip import aging_wip
    >>> chart = aging_wip_chart(aging_wip(log), item_metrics(log), log_conventions(log), log.steps)
    >>> chart.to_dict()["title"]["text"]
    '16 of 35 items in progress are already older than 85 % of finished work took (18.8 days)'
    """
    unit = conventions.get("unit", "hours")
    finished = items[items["finished"].astype(bool)]
    lines = percentile_table(finished["lead_time_hours"], conventions)
    steps = list(dict.fromkeys([*(order or ()), *aging["step"]]))
    steps = [step for step in steps if step in set(aging["step"])]
    kinds = dict(zip(aging["step"], aging["kind"].map(KIND_NAMES).fillna("work"), strict=True))
    frame = aging.assign(
        age=in_unit(aging["age_hours"], conventions),
        step_age=in_unit(aging["step_age_hours"], conventions),
        type=type_labels(aging["type"]),
    )
    cloud = point_cloud(frame, "step", "age", keep=("item", "type", "step_age"), max_points=AGING_POINTS)
    cloud["kind"] = cloud["step"].map(kinds)
    individual = bool((cloud["count"] == 1).all())
    points = (
        alt.Chart(cloud)
        .mark_circle(opacity=0.7, size=60)
        .encode(
            x=alt.X("step:N", title=None, sort=steps, axis=alt.Axis(labelAngle=-30)),
            y=alt.Y("age:Q", title=f"Age ({unit})"),
            color=alt.Color("kind:N", title="Where", scale=kind_colour()),
            tooltip=[
                alt.Tooltip("item:N", title="item"),
                alt.Tooltip("type:N", title="type"),
                alt.Tooltip("step:N", title="step"),
                alt.Tooltip("age:Q", title=f"age ({unit})", format=",.1f"),
                alt.Tooltip("step_age:Q", title=f"in this step ({unit})", format=",.1f"),
                alt.Tooltip("count:Q", title="items"),
            ],
        )
    )
    if not individual:
        points = points.encode(size=alt.Size("count:Q", title="Items", scale=alt.Scale(range=[20, 500])))
    finding = _aging_finding(aging_against_finished(aging, items), conventions)
    extra = "" if individual else f"{len(frame):,} items counted on a grid of steps and ages"
    return alt.layer(
        points,
        *percentile_rules(lines, orient="horizontal"),
        title=title(finding, conventions, extra),
        width=max(320, 80 * len(steps)),
        height=320,
    )


def _aging_finding(against: AgingAgainstFinished, conventions: Mapping[str, str]) -> str:
    if against.in_progress == 0:
        return "No work in progress"
    if not against.finished:
        return f"{against.in_progress:,} items in progress; no finished work to compare them with"
    p85 = in_unit(pd.Series([against.p85_hours]), conventions).iloc[0]
    return (
        f"{against.older:,} of {against.in_progress:,} items in progress are already older than "
        f"85 % of finished work took ({number(p85)} {conventions.get('unit', 'hours')})"
    )


@validated_once
def flow_distribution_chart(distribution: pd.DataFrame, conventions: Mapping[str, str]) -> alt.LayerChart:
    """Share of finished items by type.

    Parameters
    ----------
    distribution : DataFrame
        From `vsm_widgets.metrics.throughput.flow_distribution`: ``type``, ``finished``, ``share``.
    conventions : mapping
        From `vsm_widgets.charts.theme.log_conventions`.

    Returns
    -------
    altair.LayerChart

    Examples
    --------
    >>> from vsm_widgets.io.exports import read_export
    >>> from vsm_widgets.charts.theme import log_conventions
    >>> log = read_export("data/samples/payments_team.csv", "data/samples/payments_team.mapping.yaml")
    >>> from vsm_widgets.metrics.throughput import flow_distribution
    >>> flow_distribution_chart(flow_distribution(log), log_conventions(log)).to_dict()["title"]["text"]
    'Type Story made up 54 % of finished items'
    """
    table = distribution.assign(type=type_labels(distribution["type"])).sort_values("share", ascending=False)
    table = table.assign(
        label=[f"{percent(s)} ({int(n):,})" for s, n in zip(table["share"], table["finished"], strict=True)]
    )
    if table.empty:
        finding = "No items finished yet"
    else:
        top = table.iloc[0]
        finding = f"Type {top['type']} made up {percent(top['share'])} of finished items"
    order = list(table["type"])
    base = alt.Chart().encode(
        y=alt.Y("type:N", title=None, sort=order),
        x=alt.X("share:Q", title="Share of finished items", axis=alt.Axis(format="%")),
        tooltip=[
            alt.Tooltip("type:N", title="type"),
            alt.Tooltip("finished:Q", title="finished"),
            alt.Tooltip("share:Q", title="share", format=".1%"),
        ],
    )
    bars = base.mark_bar().encode(color=alt.Color("type:N", scale=category_colour(), legend=None, sort=order))
    labels = base.mark_text(align="left", dx=4).encode(text=alt.Text("label:N"))
    return alt.layer(bars, labels, data=table, title=title(finding, conventions), width=520, height=alt.Step(36))
