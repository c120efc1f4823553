"""The workshop's estimates beside the values measured from the data.

A map drawn in a workshop holds guesses; `vsm_widgets.metrics.measured_map` draws the
same stream from a timing export. This module matches the two (steps by id or name,
arrows by their matched ends), tables the gaps with a sentence for each ("the team
estimated 2 days of waiting between Sales and Ops; the data says 6"), and writes the
measured values onto the workshop map so they survive a save. It is apart from the
measured map because it never measures: it compares two maps, however they were made.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from vsm_widgets.model.graph import CUSTOMER, SUPPLIER
from vsm_widgets.model.stream import Handoff, Step, ValueStream
from vsm_widgets.units import Duration, parse_duration

if TYPE_CHECKING:
    import pandas as pd


# The key under which a map file or `with_measurements` keeps what the data says of a step or an arrow.
MEASURED = "measured"


def _twins(estimated: ValueStream, measured: ValueStream) -> tuple[dict[str, Step], dict[tuple[str, str], Handoff]]:
    """Measured step for each estimated step id, and measured arrow for each estimated arrow key.

    Steps match by id or by name (case and spacing ignored); arrows by their matched ends.
    """
    lookup = {_key(s.id): s for s in measured.steps} | {_key(s.name): s for s in measured.steps}
    steps = {
        s.id: twin for s in estimated.steps if (twin := lookup.get(_key(s.id)) or lookup.get(_key(s.name))) is not None
    }
    ends = {SUPPLIER: SUPPLIER, CUSTOMER: CUSTOMER} | {k: v.id for k, v in steps.items()}
    measured_arrows = {h.key: h for h in measured.handoffs}
    arrows = {
        h.key: measured_arrows[key]
        for h in estimated.handoffs
        if (key := (ends.get(h.source), ends.get(h.target))) in measured_arrows
    }
    return steps, arrows


def estimate_gaps(estimated: ValueStream, measured: ValueStream, *, tolerance: float = 0.25) -> pd.DataFrame:
    """Workshop estimates beside measured values, step by step and arrow by arrow.

    Steps are matched by id or by name (case and spacing ignored); arrows by
    their matched ends. `measured_gaps` gives the same table from a map that
    carries measured values (rounded as they were written).

    Parameters
    ----------
    estimated : ValueStream
        The map the workshop drew.
    measured : ValueStream
        The map measured from the data (`vsm_widgets.metrics.measured_map.measured_map`).
    tolerance : float
        Relative difference under which estimate and data are said to agree.

    Returns
    -------
    DataFrame
        As `measured_gaps`.
    """
    steps, arrows = _twins(estimated, measured)
    rows = [
        ("process time", step.name, step.process_time, steps[step.id].process_time)
        for step in estimated.steps
        if step.id in steps
    ]
    rows += [
        ("wait", _arrow_label(estimated, h), estimated.wait_of(h), measured.wait_of(arrows[h.key]))
        for h in estimated.handoffs
        if h.key in arrows
    ]
    return _gap_frame(rows, estimated, tolerance)


def carries_measurements(stream: ValueStream) -> bool:
    """Whether any step or arrow of the map holds a ``measured:`` value (`measured_gaps` has rows).

    Parameters
    ----------
    stream : ValueStream

    Returns
    -------
    bool
    """
    return any(MEASURED in element.extra for element in (*stream.steps, *stream.handoffs))


def measured_gaps(stream: ValueStream, *, tolerance: float = 0.25) -> pd.DataFrame:
    """The measured values a map carries (``measured:`` keys) beside its estimates.

    Parameters
    ----------
    stream : ValueStream
        A map from `with_measurements`, or a map file holding ``measured:`` keys.
    tolerance : float
        Relative difference under which estimate and data are said to agree.

    Returns
    -------
    DataFrame
        Columns ``kind`` ("process time" or "wait"), ``where`` (step name or
        "A -> B"), ``estimated``, ``measured`` (in the map's unit), ``unit``,
        ``ratio`` (measured / estimated) and ``finding``, a sentence such as
        "the team estimated 2 days of waiting between Sales and Ops; the data says 6".
        Empty when the map carries no measured values.
    """

    def measured(extra: Mapping, key: str) -> Duration | None:
        written = (extra.get(MEASURED) or {}).get(key)
        return None if written is None else parse_duration(written, stream.unit, stream.hours_per_day)

    rows = [
        ("process time", step.name, step.process_time, data)
        for step in stream.steps
        if (data := measured(step.extra, "process_time")) is not None
    ]
    rows += [
        ("wait", _arrow_label(stream, h), stream.wait_of(h), data)
        for h in stream.handoffs
        if (data := measured(h.extra, "wait")) is not None
    ]
    return _gap_frame(rows, stream, tolerance)


def _arrow_label(stream: ValueStream, handoff: Handoff) -> str:
    return f"{stream.label(handoff.source)} -> {stream.label(handoff.target)}"


def _gap_frame(rows: list[tuple[str, str, Duration, Duration]], stream: ValueStream, tolerance: float) -> pd.DataFrame:
    """Estimated against measured durations, in the map's unit, with a finding for each row."""
    unit, hours_per_day = stream.unit, stream.hours_per_day
    # pandas only when there are values to compare: `vsm map` on a plain map has none and skips its import.
    import pandas as pd

    frame = pd.DataFrame(
        [(kind, where, a.to(unit, hours_per_day), b.to(unit, hours_per_day)) for kind, where, a, b in rows],
        columns=["kind", "where", "estimated", "measured"],
    )
    frame.insert(4, "unit", unit)
    frame["ratio"] = frame["measured"] / frame["estimated"].where(frame["estimated"] > 0)
    frame["finding"] = [_finding(row, unit, tolerance) for row in frame.itertuples(index=False)]
    return frame


def _key(text: str) -> str:
    return re.sub(r"[\s_\-]+", " ", str(text)).strip().lower()


def _finding(row, unit: str, tolerance: float) -> str:
    what = "waiting" if row.kind == "wait" else "work"
    place = f"between {row.where.replace(' -> ', ' and ')}" if row.kind == "wait" else f"in {row.where}"
    estimate, data = f"{row.estimated:.3g} {unit}", f"{row.measured:.3g}"
    agree = row.estimated > 0 and abs(row.measured - row.estimated) <= tolerance * row.estimated
    verdict = "about right" if agree else f"the data says {data}"
    return f"the team estimated {estimate} of {what} {place}; {verdict}"


def with_measurements(estimated: ValueStream, measured: ValueStream) -> ValueStream:
    """The workshop map carrying the measured values beside its estimates.

    Each matched step gets ``extra["measured"] = {"process_time": ..., "pct_ca": ...}``
    and each matched arrow ``extra["measured"] = {"wait": ...}``, written in the
    estimated map's unit; they survive a save to the map file.

    Parameters
    ----------
    estimated : ValueStream
    measured : ValueStream

    Returns
    -------
    ValueStream
    """
    steps, arrows = _twins(estimated, measured)
    unit, hours_per_day = estimated.unit, estimated.hours_per_day

    def written(duration: Duration) -> str:
        return f"{duration.to(unit, hours_per_day):.4g} {unit}"

    stream = estimated
    for step in estimated.steps:
        if step.id in steps:
            twin = steps[step.id]
            measured_values = {"process_time": written(twin.process_time), "pct_ca": round(twin.pct_ca, 4)}
            stream = stream.with_step(step.replace(extra={**step.extra, MEASURED: measured_values}))
    for handoff in estimated.handoffs:
        if handoff.key in arrows:
            extra = {**handoff.extra, MEASURED: {"wait": written(measured.wait_of(arrows[handoff.key]))}}
            stream = stream.with_handoff(handoff.replace(extra=extra))
    return stream
