"""What a scenario marks on a map: the kaizen bursts of its plan, and the values the future state changed.

The map draws a burst on each box and arrow a change of the plan acts on,
numbered as the implementation plan numbers the changes (in the order they are
applied), and marks each value of the future map that differs from the
current one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from vsm_widgets.model.stream import ValueStream

if TYPE_CHECKING:
    from vsm_widgets.future.scenario import Scenario


def kaizen_numbers(scenario: Scenario | None) -> dict[Any, list[int]]:
    """The numbers in the plan of the changes acting on each step (by id) and each arrow (by key).

    Examples
    --------
    >>> from vsm_widgets.future.scenario import load_scenario
    >>> kaizen_numbers(load_scenario("data/samples/maps/parallel.scenario.yaml"))
    {('record', 'equipment'): [1], ('supplier', 'record'): [2]}
    """
    numbers: dict[Any, list[int]] = {}
    for number, change in enumerate(scenario.changes if scenario else (), 1):
        places = [change.step] if change.step else [*change.steps]
        places += [tuple(change.handoff)] if change.handoff else []
        for place in places:
            numbers.setdefault(place, []).append(number)
    return numbers


def changed_values(stream: ValueStream, before: ValueStream | None) -> dict[Any, set[str]]:
    """Which values of each step and arrow differ from the map before: ``name``, ``process``, ``pct``, ``wait``.

    A step the map before does not have counts as changed in all its values.
    """
    if before is None:
        return {}
    changed: dict[Any, set[str]] = {}
    old_steps = {step.id: step for step in before.steps}
    for step in stream.steps:
        old = old_steps.get(step.id)
        if old is None:
            changed[step.id] = {"name", "process", "pct"}
            continue
        changed[step.id] = {
            what
            for what, same in (
                ("name", old.name == step.name),
                ("process", old.process_time == step.process_time and old.lead_time == step.lead_time),
                ("pct", old.pct_ca == step.pct_ca),
            )
            if not same
        }
    old_waits = {handoff.key: before.wait_of(handoff) for handoff in before.handoffs}
    for handoff in stream.handoffs:
        if old_waits.get(handoff.key) != stream.wait_of(handoff):
            changed[handoff.key] = {"wait"}
    return changed
