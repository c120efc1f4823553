"""The lead-time ladder of a value stream map, and each step's time against its waiting.

Layer 3, beside the map model. The ladder walks the critical path from the
supplier to the customer: waiting (on an arrow, or inside a box whose block
lead time exceeds its process time) on one rung, process time on the other.
The waiting segments add up to the map's wait time and the working segments
to its process time, so the two rungs together are its lead time.
"""

from __future__ import annotations

import pandas as pd

from vsm_widgets.model.graph import CUSTOMER
from vsm_widgets.model.stream import Step, ValueStream
from vsm_widgets.units import Duration

SEGMENT_COLUMNS = ("position", "kind", "where", "key", "label", "owner", "duration", "start", "end")
STEP_TIME_COLUMNS = ("step", "name", "process_time", "waiting_inside", "waiting_before", "critical")


def ladder_segments(stream: ValueStream) -> pd.DataFrame:
    """The critical path as consecutive waiting and working segments, in the map's unit.

    A map measured with the mean item on it (`vsm_widgets.metrics.mean_item.on_map`) gives
    every box and arrow in flow order instead, so its ladder adds up to the mean lead time.

    Parameters
    ----------
    stream : ValueStream
        The map.

    Returns
    -------
    DataFrame
        One row per segment in flow order: ``position``, ``kind`` (``"waiting"``
        or ``"work"``), ``where`` (``"arrow"``, ``"in step"`` or ``"step"``),
        ``key`` (``"source->target"`` or the step id), ``label``, ``owner``
        (the arrow's or the step's), ``duration``, and ``start`` and ``end``
        (elapsed time since the supplier).

    Examples
    --------
    >>> from vsm_widgets.model.stream import Step
    >>> from vsm_widgets.units import Duration
    >>> stream = ValueStream("Two", [Step("a", "A", process_time=Duration.of(2, "days")),
    ...     Step("b", "B", process_time=Duration.of(1, "days"), lead_time=Duration.of(4, "days"))])
    >>> segments = ladder_segments(stream)
    >>> segments["where"].tolist()
    ['arrow', 'step', 'arrow', 'in step', 'step', 'arrow']
    >>> segments["end"].tolist()
    [0.0, 2.0, 2.0, 5.0, 6.0, 6.0]
    """
    if "mean_item" in stream.extra.get("measured_from", {}):
        return _timed(_mean_item_rows(stream))
    rows = []
    path = stream.critical_path()
    for index, handoff in enumerate(stream.critical_handoffs()):
        rows.append(
            {
                "kind": "waiting",
                "where": "arrow",
                "key": f"{handoff.source}->{handoff.target}",
                "label": f"{stream.label(handoff.source)} → {stream.label(handoff.target)}",
                "owner": handoff.owner,
                "duration": stream.in_unit(stream.wait_of(handoff)),
            }
        )
        if index < len(path):
            step = stream.step(path[index])
            inside = step.elapsed - step.process_time
            if inside.seconds > 0:
                rows.append(
                    {
                        "kind": "waiting",
                        "where": "in step",
                        "key": step.id,
                        "label": step.name,
                        "owner": step.owner,
                        "duration": stream.in_unit(inside),
                    }
                )
            rows.append(
                {
                    "kind": "work",
                    "where": "step",
                    "key": step.id,
                    "label": step.name,
                    "owner": step.owner,
                    "duration": stream.in_unit(step.process_time),
                }
            )
    return _timed(rows)


def _timed(rows: list[dict]) -> pd.DataFrame:
    elapsed = 0.0
    for position, row in enumerate(rows):
        row["position"], row["start"] = position, elapsed
        elapsed += row["duration"]
        row["end"] = elapsed
    return pd.DataFrame(rows, columns=list(SEGMENT_COLUMNS))


def _mean_item_rows(stream: ValueStream) -> list[dict]:
    """Every box and arrow of a measured map's mean item in flow order: together they are its lead time.

    Parallel branches share the instants they overlap in the partition, so the mean item's
    ladder runs through all of them, not along the critical path alone.
    """
    rows = []
    for node in (*stream.flow_order(), CUSTOMER):
        for handoff in stream.incoming(node):
            wait = stream.in_unit(stream.wait_of(handoff))
            if wait > 0:
                label = f"{stream.label(handoff.source)} → {stream.label(handoff.target)}"
                key = f"{handoff.source}->{handoff.target}"
                rows.append(
                    {
                        "kind": "waiting",
                        "where": "arrow",
                        "key": key,
                        "label": label,
                        "owner": handoff.owner,
                        "duration": wait,
                    }
                )
        if node == CUSTOMER:
            continue
        step = stream.step(node)
        inside = stream.in_unit(step.elapsed - step.process_time)
        if inside > 0:
            rows.append(
                {
                    "kind": "waiting",
                    "where": "in step",
                    "key": step.id,
                    "label": step.name,
                    "owner": step.owner,
                    "duration": inside,
                }
            )
        rows.append(
            {
                "kind": "work",
                "where": "step",
                "key": step.id,
                "label": step.name,
                "owner": step.owner,
                "duration": stream.in_unit(step.process_time),
            }
        )
    return rows


def step_times(stream: ValueStream) -> pd.DataFrame:
    """Each step's process time against the waiting before and inside it, in flow order and the map's unit.

    The customer closes the table, with the wait for delivery before it.

    Parameters
    ----------
    stream : ValueStream
        The map.

    Returns
    -------
    DataFrame
        ``step`` (id), ``name``, ``process_time``, ``waiting_inside`` (block
        lead time minus process time, 0 without a block lead time),
        ``waiting_before`` (the wait on the arrow into the step; where several
        arrows join, the longest, since the step waits for the last input) and
        ``critical``. The last row is the customer, with the wait for delivery.

    Examples
    --------
    >>> from vsm_widgets.model.stream import Handoff, Step
    >>> from vsm_widgets.units import Duration
    >>> days = lambda n: Duration.of(n, "days")
    >>> stream = ValueStream("Two", [Step("a", "A", process_time=days(2)), Step("b", "B", process_time=days(1))],
    ...     [Handoff("supplier", "a"), Handoff("a", "b", days(3)), Handoff("b", "customer")])
    >>> step_times(stream)[["name", "process_time", "waiting_before"]].values.tolist()
    [['A', 2.0, 0.0], ['B', 1.0, 3.0], ['Customer', 0.0, 0.0]]
    """
    path = set(stream.critical_path())
    rows = []
    for node in (*stream.flow_order(), CUSTOMER):
        step = stream.step(node) if node != CUSTOMER else Step("delivered", stream.customer)
        waits = [stream.wait_of(h).seconds for h in stream.incoming(node)]
        rows.append(
            {
                "step": node,
                "name": step.name,
                "process_time": stream.in_unit(step.process_time),
                "waiting_inside": stream.in_unit(step.elapsed - step.process_time),
                "waiting_before": stream.in_unit(Duration(max(waits, default=0.0))),
                "critical": node in path or node == CUSTOMER,
            }
        )
    return pd.DataFrame(rows, columns=list(STEP_TIME_COLUMNS))
