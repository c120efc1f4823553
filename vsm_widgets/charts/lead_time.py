"""How long finished items took: a lead-time histogram and a scatter over completion date.

Both take the table of `vsm_widgets.metrics.flow.item_metrics` (durations in hours)
and the conventions of the log (`vsm_widgets.charts.theme.log_conventions`),
and show durations in the unit the conventions name.
"""

from __future__ import annotations

from collections.abc import Mapping

import altair as alt
import pandas as pd

from vsm_widgets.charts.marks import date_x, in_unit, percentile_rules, percentile_table, type_labels
from vsm_widgets.charts.spec_cache import validated_once
from vsm_widgets.charts.theme import WORK, category_colour, title
from vsm_widgets.metrics.distribution import histogram, point_cloud
from vsm_widgets.wording import number

# Most points a scatter draws one by one; more items are counted on a grid.
SCATTER_POINTS = 2000


def _finished(items: pd.DataFrame) -> pd.DataFrame:
    return items[items["finished"].astype(bool) & items["lead_time_hours"].notna()]


def _percentile_finding(lines: pd.DataFrame, count: int, unit: str) -> str:
    if lines.empty:
        return "No finished items yet"
    value = dict(zip(lines["percentile"], lines["value"], strict=True))
    return (
        f"Half of {count:,} finished items took up to {number(value[50])} {unit}; 85 % up to {number(value[85])} {unit}"
    )


@validated_once
def lead_time_histogram(items: pd.DataFrame, conventions: Mapping[str, str]) -> alt.LayerChart:
    """Lead times of finished items in bins, with the 50th, 85th and 95th percentile lines.

    Parameters
    ----------
    items : DataFrame
        From `vsm_widgets.metrics.flow.item_metrics`: ``finished`` and ``lead_time_hours``.
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
    >>> from vsm_widgets.metrics.flow import item_metrics
    >>> lead_time_histogram(item_metrics(log), log_conventions(log)).to_dict()["title"]["text"]
    'Half of 315 finished items took up to 13.2 days; 85 % up to 18.8 days'
    """
    finished = _finished(items)
    unit = conventions.get("unit", "hours")
    bins = histogram(in_unit(finished["lead_time_hours"], conventions))
    lines = percentile_table(finished["lead_time_hours"], conventions)
    bars = (
        alt.Chart(bins)
        .mark_bar(color=WORK, opacity=0.85, binSpacing=1)
        .encode(
            x=alt.X("bin_start:Q", title=f"Lead time ({unit})", bin="binned"),
            x2=alt.X2("bin_end:Q"),
            y=alt.Y("count:Q", title="Finished items"),
            tooltip=[
                alt.Tooltip("bin_start:Q", title="from", format=",.1f"),
                alt.Tooltip("bin_end:Q", title="to", format=",.1f"),
                alt.Tooltip("count:Q", title="items"),
            ],
        )
    )
    return alt.layer(
        bars,
        *percentile_rules(lines, orient="vertical"),
        title=title(_percentile_finding(lines, len(finished), unit), conventions),
        width=640,
        height=320,
    )


@validated_once
def lead_time_scatter(items: pd.DataFrame, conventions: Mapping[str, str]) -> alt.LayerChart:
    """Each finished item's lead time over its completion date, with the 50th, 85th and 95th percentile lines.

    Up to 2,000 items are drawn one by one, coloured by type; more are counted
    on a grid of completion dates and lead times, and the circle size gives the count.

    Parameters
    ----------
    items : DataFrame
        From `vsm_widgets.metrics.flow.item_metrics`: ``item``, ``type``, ``done``,
        ``finished`` and ``lead_time_hours``.
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
    >>> from vsm_widgets.metrics.flow import item_metrics
    >>> chart = lead_time_scatter(item_metrics(log), log_conventions(log))
    >>> chart.to_dict()["layer"][0]["encoding"]["x"]["field"]
    'done'
    """
    finished = _finished(items).assign(
        lead_time=lambda frame: in_unit(frame["lead_time_hours"], conventions),
        type=lambda frame: type_labels(frame["type"]),
    )
    unit = conventions.get("unit", "hours")
    cloud = point_cloud(finished, "done", "lead_time", keep=("item", "type"), max_points=SCATTER_POINTS)
    lines = percentile_table(finished["lead_time_hours"], conventions)
    individual = bool((cloud["count"] == 1).all())
    encoding = {
        "x": date_x("done", "Completed"),
        "y": alt.Y("lead_time:Q", title=f"Lead time ({unit})"),
        "tooltip": [
            alt.Tooltip("item:N", title="item"),
            alt.Tooltip("type:N", title="type"),
            alt.Tooltip("done:T", title="completed", timeUnit="utcyearmonthdatehoursminutes"),
            alt.Tooltip("lead_time:Q", title=f"lead time ({unit})", format=",.1f"),
            alt.Tooltip("count:Q", title="items"),
        ],
    }
    if individual:
        encoding["color"] = alt.Color("type:N", title="Type", scale=category_colour())
        points = alt.Chart(cloud).mark_circle(size=45, opacity=0.7).encode(**encoding)
    else:
        encoding["size"] = alt.Size("count:Q", title="Items", scale=alt.Scale(range=[10, 400]))
        points = alt.Chart(cloud).mark_circle(color=WORK, opacity=0.6).encode(**encoding)
    extra = "" if individual else f"{len(finished):,} items counted on a grid of completion dates and lead times"
    return alt.layer(
        points,
        *percentile_rules(lines, orient="horizontal"),
        title=title(_percentile_finding(lines, len(finished), unit), conventions, extra),
        width=640,
        height=320,
    )
