"""The future map: each kind of scenario change applied to a `ValueStream`.

`vsm_widgets.future.scenario` resolves the steps and handoffs a change names and calls
one function here; each returns a new stream. Problems the map itself cannot
support (a model that needs customer demand, steps that are not a chain) are
`ScenarioError` without a location: the scenario adds the file, line and change.
The semantics, with worked examples, are in ``docs/scenarios.md``.
"""

from __future__ import annotations

import math

from vsm_widgets.exceptions import ScenarioError
from vsm_widgets.model.stream import Handoff, ValueStream
from vsm_widgets.units import Duration

_BISECTIONS = 100


def remove_step(stream: ValueStream, step_id: str) -> ValueStream:
    """Remove a step; the wait into it goes, the waits out of it stay (`ValueStream.remove_step`)."""
    return stream.remove_step(step_id)


def merge_steps(stream: ValueStream, step_ids: tuple[str, ...], name: str | None) -> ValueStream:
    """Merge a chain of steps into one that does all their work, without the waits between them.

    The merged step keeps the first step's id, owner and other settings; its
    process time (and block lead time, where any step gives one) is the sum of
    theirs, its %C&A the product (the same chance of passing without rework),
    its value class the most valuable of theirs and its wastes all of theirs.
    """
    steps = [stream.step(step_id) for step_id in step_ids]
    for first, second in zip(step_ids, step_ids[1:], strict=False):
        if [h.target for h in stream.outgoing(first)] != [second] or [h.source for h in stream.incoming(second)] != [
            first
        ]:
            raise ScenarioError(
                f"steps {first} and {second} are not a chain: {first} must hand off to {second} only, "
                f"and {second} must take work from {first} only",
                "Merge steps that follow one another with no branch between them",
            )
    lead_times = [s.lead_time for s in steps]
    values = [s.value for s in steps]
    merged = steps[0].replace(
        name=name or " + ".join(s.name for s in steps),
        process_time=sum((s.process_time for s in steps), Duration(0.0)),
        lead_time=None if all(t is None for t in lead_times) else sum((s.elapsed for s in steps), Duration(0.0)),
        pct_ca=math.prod(s.pct_ca for s in steps),
        value=next((v for v in ("va", "nnva", "nva") if v in values), "unclassified"),
        wastes=tuple(dict.fromkeys(w for s in steps for w in s.wastes)),
    )
    inner = set(zip(step_ids, step_ids[1:], strict=False))
    last, gone = step_ids[-1], set(step_ids[1:])
    handoffs = [h.replace(source=merged.id) if h.source == last else h for h in stream.handoffs if h.key not in inner]
    return stream.replace(
        steps=[merged if s.id == merged.id else s for s in stream.steps if s.id not in gone], handoffs=handoffs
    )


def parallel(stream: ValueStream, first: str, second: str) -> ValueStream:
    """Let `second` run alongside `first`: it takes work when `first` does and feeds the same next steps.

    The handoff from `first` to `second` goes; every handoff into `first` gets a
    twin into `second` with the same wait, and every handoff out of `second` a
    twin out of `first`. The critical path then runs through the longer of the two.
    """
    stream.handoff(first, second)
    existing = {h.key for h in stream.handoffs}
    handoffs: list[Handoff] = []
    for handoff in stream.handoffs:
        if handoff.key == (first, second):
            continue
        handoffs.append(handoff)
        twin = None
        if handoff.target == first and (handoff.source, second) not in existing:
            twin = handoff.replace(target=second)
        elif handoff.source == second and (first, handoff.target) not in existing:
            twin = handoff.replace(source=first)
        if twin is not None:
            handoffs.append(twin)
            existing.add(twin.key)
    return stream.replace(handoffs=handoffs)


def _rescaled(handoff: Handoff, old: Duration, new: Duration) -> Handoff:
    """The handoff with a new wait; an inventory on it shrinks or grows in proportion."""
    inventory = handoff.inventory
    if inventory is not None:
        inventory = inventory * (new / old) if old.seconds else None
    return handoff.replace(wait=new, inventory=inventory)


def cut_wait(
    stream: ValueStream, source: str, target: str, share: float | None = None, to: Duration | None = None
) -> ValueStream:
    """Shorten the wait on a handoff by a share, or to at most `to` (never lengthening it)."""
    handoff = stream.handoff(source, target)
    old = stream.wait_of(handoff)
    new = old * (1.0 - share) if share is not None else Duration(min(old.seconds, to.seconds))
    return stream.with_handoff(_rescaled(handoff, old, new))


def set_wait(stream: ValueStream, source: str, target: str, to: Duration) -> ValueStream:
    """Set the wait on a handoff."""
    handoff = stream.handoff(source, target)
    return stream.with_handoff(_rescaled(handoff, stream.wait_of(handoff), to))


def set_process_time(stream: ValueStream, step_id: str, to: Duration) -> ValueStream:
    """Set a step's process time; a block lead time keeps the step's internal waiting (lead minus process)."""
    step = stream.step(step_id)
    lead = None if step.lead_time is None else to + (step.lead_time - step.process_time)
    return stream.with_step(step.replace(process_time=to, lead_time=lead))


def set_pct_ca(stream: ValueStream, step_id: str, share: float) -> ValueStream:
    """Set a step's %C&A."""
    return stream.with_step(stream.step(step_id).replace(pct_ca=share))


def set_batch_size(stream: ValueStream, step_id: str, size: float) -> ValueStream:
    """Set a step's batch size; the queue into it changes by the time an item waits for its batch.

    Items reach the step at the customer's demand rate, so a batch of ``B``
    fills in ``B / demand`` days and an item waits on average for ``(B - 1) / 2``
    others. Going from ``B0`` (1 when not given) to ``B1`` adds
    ``(B1 - B0) / (2 * demand_per_day)`` days to each handoff into the step
    (``(B1 - B0) / 2`` pieces where the handoff gives an inventory), never below zero.
    """
    step = stream.step(step_id)
    if not stream.demand_per_day:
        raise ScenarioError(
            "set_batch_size changes the wait for a batch to fill, which needs the customer demand",
            "Set demand_per_day on the map",
        )
    pieces = (size - (step.batch_size or 1)) / 2.0
    current = stream.with_step(step.replace(batch_size=size))
    for handoff in stream.incoming(step_id):
        if handoff.wait is None:
            changed = handoff.replace(inventory=max(0.0, handoff.inventory + pieces))
        else:
            wait = Duration.of(pieces / stream.demand_per_day, "days", stream.hours_per_day)
            changed = handoff.replace(wait=Duration(max(0.0, (handoff.wait + wait).seconds)))
        current = current.with_handoff(changed)
    return current


def cap_wip(stream: ValueStream, limit: float) -> ValueStream:
    """Cap the items in progress; by Little's law the queues shrink until lead time is ``limit / demand``.

    Average lead time is WIP over throughput, and in a map that keeps up with
    demand throughput is ``demand_per_day``. When the lead time is longer than
    ``limit / demand_per_day`` days, every handoff wait (and inventory) is scaled
    by one factor so that it is exactly that. Waiting inside blocks (block lead
    time over process time) is left alone. A cap the steps alone cannot meet
    would starve the customer, and is refused.
    """
    if not stream.demand_per_day:
        raise ScenarioError(
            "cap_wip turns a WIP limit into a lead time by Little's law, which needs the customer demand",
            "Set demand_per_day on the map",
        )
    target = Duration.of(limit / stream.demand_per_day, "days", stream.hours_per_day)
    if stream.lead_time().seconds <= target.seconds:
        return stream

    def scaled(factor: float) -> ValueStream:
        return stream.replace(
            handoffs=[_rescaled(h, stream.wait_of(h), stream.wait_of(h) * factor) for h in stream.handoffs]
        )

    floor = scaled(0.0).lead_time()
    if floor.seconds > target.seconds:
        needed = math.ceil(floor.to("days", stream.hours_per_day) * stream.demand_per_day)
        raise ScenarioError(
            f"a limit of {limit:g} items at {stream.demand_per_day:g} a day allows a lead time of "
            f"{stream.in_unit(target):.4g} {stream.unit}, but the steps alone take {stream.in_unit(floor):.4g} "
            f"{stream.unit}; the cap would keep the stream from meeting demand",
            f"Raise the limit to at least {needed}",
        )
    low, high = 0.0, 1.0
    for _ in range(_BISECTIONS):
        middle = (low + high) / 2
        if scaled(middle).lead_time().seconds > target.seconds:
            high = middle
        else:
            low = middle
    return scaled(low)
