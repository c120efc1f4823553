"""The text `vsm map` prints: a map's headline numbers, estimated against measured, and its conventions.

It sits above the metrics layer because it compares a map's estimates with the
measured values it carries (`vsm_widgets.metrics.estimates.measured_gaps`);
the Mermaid and Markdown exports are in `vsm_widgets.io.map_text`.
"""

from __future__ import annotations

from vsm_widgets.io.map_text import convention_lines, headline_rows
from vsm_widgets.metrics.estimates import carries_measurements, measured_gaps
from vsm_widgets.model.stream import ValueStream


def format_summary(stream: ValueStream) -> str:
    """The headline numbers and the conventions behind them, as `vsm map` prints them.

    Parameters
    ----------
    stream : ValueStream

    Returns
    -------
    str
    """
    rows = headline_rows(stream)
    width = max(len(name) for name, _ in rows) + 2
    day = "calendar time" if stream.hours_per_day >= 24 else "working time"
    lines = [
        stream.name or "Value stream map",
        f"{len(stream.steps)} steps, {len(stream.handoffs)} handoffs; unit: {stream.unit}, "
        f"1 day = {stream.hours_per_day:g} h ({day})",
        "",
        *(f"{name:<{width}}{value}" for name, value in rows),
    ]
    unowned = stream.unowned_handoffs()
    if unowned:
        lines += [" " * width + f"{stream.label(h.source)} -> {stream.label(h.target)}" for h in unowned]
    # Without measured values there is nothing to compare, and no reason to import pandas for it.
    gaps = measured_gaps(stream) if carries_measurements(stream) else ()
    if len(gaps):
        lines += ["", "Estimated against measured:", *(f"  {finding}" for finding in gaps["finding"])]
    lines += ["", "Conventions:", *(f"  {line}" for line in convention_lines(stream))]
    return "\n".join(lines) + "\n"
