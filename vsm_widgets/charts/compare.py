"""Current against future state, before against after: paired ladders, paired step bars, headline changes.

The paired charts take two maps and draw them on one scale, so a shorter
lead time looks shorter. The headline chart draws the table of changes that
`vsm_widgets.future.compare` computes; this module computes no change itself.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import altair as alt
import pandas as pd

from vsm_widgets.charts.spec_cache import validated_once
from vsm_widgets.charts.theme import INK, NEUTRAL, map_conventions, readable, title
from vsm_widgets.charts.timeline import (
    LADDER_HEIGHT,
    LADDER_WIDTH,
    PART_COLOURS,
    PARTS,
    display_names,
    ladder_layers,
    part_rows,
)
from vsm_widgets.metrics.ladder import step_times
from vsm_widgets.metrics.mean_item import map_totals
from vsm_widgets.model.stream import ValueStream
from vsm_widgets.units import UNITS
from vsm_widgets.wording import number, pair_text, percent, value_text

STATES = ("current", "future")
SHARE_UNITS = ("share", "ratio", "fraction")


def _same_scale(current: ValueStream, future: ValueStream) -> ValueStream:
    """`future` in the unit of `current`; maps on different day lengths cannot share a time axis."""
    if future.hours_per_day != current.hours_per_day:
        raise ValueError(
            f"the maps count days differently ({current.hours_per_day:g} h and {future.hours_per_day:g} h a day); "
            "give both the same hours_per_day to compare them"
        )
    return future if future.unit == current.unit else future.replace(unit=current.unit)


@validated_once
def paired_ladder_chart(
    current: ValueStream, future: ValueStream, labels: tuple[str, str] = ("Current state", "Future state")
) -> alt.LayerChart:
    """The two lead-time ladders one above the other on the same time scale.

    Parameters
    ----------
    current, future : ValueStream
        The maps to compare (current and future state, or before and after).
    labels : (str, str)
        What to call them.

    Returns
    -------
    altair.LayerChart

    Raises
    ------
    ValueError
        If the maps have different day lengths.

    Examples
    --------
    >>> from vsm_widgets.io.map_file import load_map
    >>> from vsm_widgets.future.scenario import load_scenario
    >>> current = load_map("data/samples/maps/four_functions.yaml")
    >>> future = load_scenario("data/samples/maps/four_functions.scenario.yaml").apply(current)
    >>> paired_ladder_chart(current, future).to_dict()["title"]["text"]
    'Lead time 44 days in the current state, 36.5 days in the future state'
    """
    future = _same_scale(current, future)
    now, then = map_totals(current), map_totals(future)
    # Both lead times in one unit, worded as the page words the future state.
    leads = pair_text(now["lead_time"], then["lead_time"], current.unit, current.hours_per_day)
    finding = f"Lead time {leads[0]} in the {labels[0].lower()}, {leads[1]} in the {labels[1].lower()}"
    headings = [f"{label}: lead time {lead}" for label, lead in zip(labels, leads, strict=True)]
    return alt.layer(
        *ladder_layers([current, future], headings),
        title=title(finding, map_conventions(current), f"lead time {now['what']}"),
        width=LADDER_WIDTH,
        height=2 * LADDER_HEIGHT,
    )


@validated_once
def paired_step_chart(
    current: ValueStream, future: ValueStream, labels: tuple[str, str] = ("Current state", "Future state")
) -> alt.Chart:
    """Each step's process time and waiting in both maps, side by side, steps matched by id.

    Parameters
    ----------
    current, future : ValueStream
        The maps to compare.
    labels : (str, str)
        What to call them.

    Returns
    -------
    altair.Chart
        Two stacked bars per step, the current one in outline and the future
        one solid; a step only one map has is marked "(removed)" or "(new)".

    Examples
    --------
    >>> from vsm_widgets.io.map_file import load_map
    >>> from vsm_widgets.future.scenario import load_scenario
    >>> current = load_map("data/samples/maps/four_functions.yaml")
    >>> future = load_scenario("data/samples/maps/four_functions.scenario.yaml").apply(current)
    >>> paired_step_chart(current, future).to_dict()["title"]["text"]
    'Process time 29 days → 27 days; waiting 15 days → 9.5 days'
    """
    future = _same_scale(current, future)
    unit = current.unit
    say = readable(current)
    before = step_times(current).to_dict("records")
    after = step_times(future).to_dict("records")
    ids_before, ids_after = {row["step"] for row in before}, {row["step"] for row in after}
    names = {row["step"]: row["name"] for row in [*after, *before]}
    order = list(dict.fromkeys(row["step"] for row in [*before, *after]))
    marks = {s: " (removed)" if s not in ids_after else " (new)" if s not in ids_before else "" for s in order}
    shown = display_names(pd.Series([names[s] for s in order]), pd.Series(order))
    display = {s: f"{name}{marks[s]}" for s, name in zip(order, shown, strict=True)}
    bars = [
        {**bar, "state": state}
        for state, rows in zip(labels, (before, after), strict=True)
        for bar in part_rows([{**row, "display": display[row["step"]]} for row in rows], say)
    ]
    now, then = map_totals(current), map_totals(future)
    day = float(current.hours_per_day)
    process = pair_text(now["process_time"], then["process_time"], unit, day)
    waiting = pair_text(now["wait_time"], then["wait_time"], unit, day)
    finding = f"Process time {process[0]} → {process[1]}; waiting {waiting[0]} → {waiting[1]}"
    return (
        alt.Chart(
            pd.DataFrame(bars),
            title=title(
                finding, map_conventions(current), f"outlined: {labels[0].lower()} · solid: {labels[1].lower()}"
            ),
            width=620,
            height=alt.Step(18),
        )
        .mark_bar()
        .encode(
            y=alt.Y("display:N", title=None, sort=[display[s] for s in order]),
            yOffset=alt.YOffset("state:N", sort=list(labels), title=None),
            x=alt.X("time:Q", title=f"Time ({unit})", stack="zero"),
            color=alt.Color("part:N", title=None, scale=alt.Scale(domain=list(PARTS), range=list(PART_COLOURS))),
            stroke=alt.Stroke("part:N", title=None, scale=alt.Scale(domain=list(PARTS), range=list(PART_COLOURS))),
            fillOpacity=alt.FillOpacity(
                "state:N", title=None, scale=alt.Scale(domain=list(labels), range=[0.15, 1.0]), sort=list(labels)
            ),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("display:N", title="step"),
                alt.Tooltip("state:N", title="map"),
                alt.Tooltip("part:N", title="part"),
                alt.Tooltip("time_text:N", title="time"),
            ],
        )
    )


def _value_text(value: float, unit: str, hours_per_day: float) -> str:
    if unit in SHARE_UNITS:
        return percent(value, 1)
    if unit in UNITS:
        return value_text(value, unit, hours_per_day)
    # Rates such as 0.083 items/day keep two significant digits rather than rounding to 0.1.
    text = number(value) if abs(value) >= 1 or value == 0 else f"{value:.2g}"
    return f"{text} {unit}".strip()


@validated_once
def headline_change_chart(changes: pd.DataFrame, conventions: Mapping[str, str]) -> alt.HConcatChart:
    """The change of each headline number: ``current → future`` beside a bar of the change in percent.

    Parameters
    ----------
    changes : DataFrame
        The ``headline`` of `vsm_widgets.future.compare.compare`: ``metric`` (and
        ``label``, its name for people, when present), ``current``, ``future``,
        ``change`` (future − current), ``change_pct`` (the change in percent
        of the current value: −31.8 means 31.8 % lower; NaN when the current
        value is zero) and ``unit`` (``"share"`` for ratios shown as percentages).
    conventions : mapping
        From `map_conventions` or `log_conventions` of the current state.

    Returns
    -------
    altair.HConcatChart
        The numbers on the left, the bars on the right. Bars are grey whichever
        way they go: whether lower is better depends on the metric.

    Examples
    --------
    >>> changes = pd.DataFrame({"metric": ["lead_time"], "current": [44.0], "future": [30.0],
    ...     "change": [-14.0], "change_pct": [-31.8], "unit": ["days"]})
    >>> headline_change_chart(changes, {"unit": "days"}).to_dict()["title"]["text"]
    'Lead time falls 32 % (44 days → 30 days)'
    """
    hours_per_day = float(conventions.get("hours per day") or 24)
    names = (
        changes["label"] if "label" in changes else changes["metric"].map(lambda m: m.replace("_", " ").capitalize())
    )
    table = changes.assign(name=names.astype(str))
    table = table.assign(
        label=[
            f"{_value_text(c, u, hours_per_day)} → {_value_text(f, u, hours_per_day)}"
            + (f" ({_signed(p)} %)" if math.isfinite(p) else "")
            for c, f, p, u in zip(table["current"], table["future"], table["change_pct"], table["unit"], strict=True)
        ],
        bar=table["change_pct"].where(table["change_pct"].map(math.isfinite), 0.0),
    )
    y = alt.Y("name:N", title=None, sort=list(table["name"]), axis=alt.Axis(domain=False, ticks=False, grid=False))
    tooltip = [alt.Tooltip("name:N", title="metric"), alt.Tooltip("label:N", title="change")]
    numbers = (
        alt.Chart(table, width=260, height=alt.Step(34))
        .mark_text(align="left", x=12, color=INK, fontWeight="bold")
        .encode(y=y, text=alt.Text("label:N"), tooltip=tooltip)
    )
    bars = (
        alt.Chart(table)
        .mark_bar(color=NEUTRAL)
        .encode(
            y=alt.Y("name:N", sort=list(table["name"]), axis=None),
            x=alt.X("bar:Q", title="Change (% of current)"),
            tooltip=tooltip,
        )
    )
    zero = alt.Chart(pd.DataFrame({"anchor": [0.0]})).mark_rule(color=INK).encode(x=alt.X("anchor:Q"))
    return alt.hconcat(
        numbers,
        alt.layer(bars, zero, width=360, height=alt.Step(34)),
        spacing=8,
        title=title(_headline(table, hours_per_day), conventions),
    )


def _signed(value: float) -> str:
    """A signed whole percentage with a true minus sign: ``+13``, ``−29``."""
    return f"{value:+.0f}".replace("-", "\u2212")


def _headline(table: pd.DataFrame, hours_per_day: float) -> str:
    if table.empty:
        return "No headline numbers to compare"
    rows = table[table["metric"] == "lead_time"]
    finite = table[table["change_pct"].map(math.isfinite)]
    if rows.empty and finite.empty:
        return f"{table.iloc[0]['name']}: {table.iloc[0]['label']}"
    row = rows.iloc[0] if not rows.empty else finite.loc[finite["change_pct"].abs().idxmax()]
    if not math.isfinite(row["change_pct"]) or row["change"] == 0:
        return f"{row['name']}: {row['label']}"
    verb = "falls" if row["change"] < 0 else "rises"
    values = " → ".join(_value_text(row[state], row["unit"], hours_per_day) for state in STATES)
    return f"{row['name']} {verb} {number(abs(row['change_pct']), 0)} % ({values})"
