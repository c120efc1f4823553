"""Marks that several charts share: percentile lines of finished work, durations in the display unit, type labels."""

from __future__ import annotations

from collections.abc import Mapping

import altair as alt
import pandas as pd

from vsm_widgets.charts.theme import INK, PERCENTILE_STYLE, hours_to_unit
from vsm_widgets.metrics.distribution import percentile_lines
from vsm_widgets.wording import number

# The label of an item without a type, in legends and tooltips.
NO_TYPE = "(no type)"


def percentile_table(hours: pd.Series, conventions: Mapping[str, str]) -> pd.DataFrame:
    """The 50th, 85th and 95th percentiles of durations in hours, in the display unit, with their labels.

    Parameters
    ----------
    hours : Series
        Durations in hours (lead times of finished items).
    conventions : mapping
        Gives the display unit and day length.

    Returns
    -------
    DataFrame
        ``percentile``, ``value`` (display unit) and ``label`` such as ``"85th: 31 days"``.

    Examples
    --------
    >>> percentile_table(pd.Series([24.0, 48.0]), {"unit": "days"})["label"].tolist()
    ['50th: 1.5 days', '85th: 1.8 days', '95th: 1.9 days']
    """
    lines = percentile_lines(hours)
    lines["value"] = in_unit(lines["value"], conventions)
    unit = conventions.get("unit", "hours")
    lines["label"] = [f"{p}th: {number(v)} {unit}" for p, v in zip(lines["percentile"], lines["value"], strict=True)]
    return lines


def percentile_rules(lines: pd.DataFrame, orient: str = "horizontal") -> list[alt.Chart]:
    """Percentile lines across a chart, each labelled at its end.

    Colours and dashes travel in the data with identity scales, so the lines
    share no colour scale with the chart they are drawn over.

    Parameters
    ----------
    lines : DataFrame
        From `percentile_table`.
    orient : str
        ``"horizontal"`` (a value on the y axis) or ``"vertical"`` (on the x
        axis, labelled along the line).

    Returns
    -------
    list of altair.Chart
        The rules and their labels; layer them over a chart sharing the value axis.

    Examples
    --------
    >>> table = percentile_table(pd.Series([24.0, 48.0]), {"unit": "days"})
    >>> [layer.mark.type for layer in percentile_rules(table)]
    ['rule', 'text']
    """
    styles = [PERCENTILE_STYLE.get(int(p), (INK, [])) for p in lines["percentile"]]
    table = lines.assign(colour=[colour for colour, _ in styles], dash=[dash for _, dash in styles])
    position = alt.Y("value:Q") if orient == "horizontal" else alt.X("value:Q")
    base = alt.Chart(table).encode(
        position,
        color=alt.Color("colour:N", scale=None),
        tooltip=[alt.Tooltip("label:N", title="percentile")],
    )
    rules = base.mark_rule(strokeWidth=2).encode(strokeDash=alt.StrokeDash("dash:N", scale=None))
    if orient == "horizontal":
        text = base.mark_text(align="right", baseline="bottom", dy=-2, x="width", fontWeight="bold")
    else:
        text = base.mark_text(align="right", baseline="bottom", dx=-2, y=0, angle=270, fontWeight="bold")
    return [rules, text.encode(text=alt.Text("label:N"))]


def date_x(field: str, title: str, bands: bool = False) -> alt.X:
    """An x axis of dates in UTC labelled ``2026-01-05``, continuous or one band per period.

    Parameters
    ----------
    field : str
        The datetime column.
    title : str
        The axis title.
    bands : bool
        One band per value (for bars per period) instead of a continuous time axis.

    Examples
    --------
    >>> date_x("done", "Completed").to_dict()["scale"]
    {'type': 'utc'}
    """
    axis = alt.Axis(format="%Y-%m-%d", labelOverlap="greedy", labelAngle=0)
    if bands:
        return alt.X(f"{field}:O", title=title, timeUnit="utcyearmonthdate", axis=axis)
    return alt.X(f"{field}:T", title=title, scale=alt.Scale(type="utc"), axis=axis)


def in_unit(hours: pd.Series, conventions: Mapping[str, str]) -> pd.Series:
    """Durations in hours converted to the display unit of `conventions`.

    Examples
    --------
    >>> in_unit(pd.Series([48.0]), {"unit": "days", "hours per day": "24"}).tolist()
    [2.0]
    """
    return hours * hours_to_unit(conventions)


def type_labels(types: pd.Series) -> pd.Series:
    """Item types as a chart labels them: a missing type reads ``"(no type)"``.

    Examples
    --------
    >>> type_labels(pd.Series(["Bug", None])).tolist()
    ['Bug', '(no type)']
    """
    return types.astype("object").where(types.notna(), NO_TYPE)
