"""Edits of a value stream map: each returns a new map, validated as a whole.

The edits are methods of `vsm_widgets.model.stream.ValueStream` (this mixin), so
an editor, a scenario and a test all edit a map the same way.

Edits and the queues on arrows: the wait on a handoff is the queue in front of
its target. So inserting a step leaves the queues of the steps after it where
they are, removing a step drops the queue that fed it, and moving a step in a
linear map takes its queue with it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from vsm_widgets.exceptions import StreamError
from vsm_widgets.model.elements import Handoff, Step
from vsm_widgets.model.graph import CUSTOMER, SUPPLIER

if TYPE_CHECKING:
    from vsm_widgets.model.stream import ValueStream


def chained_handoffs(step_ids: list[str], arrows: Mapping[str, Handoff], last: Handoff | None) -> tuple[Handoff, ...]:
    """Handoffs joining `step_ids` in order, from the supplier to the customer; each step keeps its queue.

    Parameters
    ----------
    step_ids : list of str
        The steps, in flow order.
    arrows : mapping
        The handoff into each step that has one (its wait, owner and kind are kept); the others get a
        push handoff with zero wait.
    last : Handoff or None
        The handoff to the customer to keep, if any.

    Returns
    -------
    tuple of Handoff
    """
    chain = []
    previous = SUPPLIER
    for step_id in step_ids:
        arrow = arrows.get(step_id)
        chain.append(arrow.replace(source=previous) if arrow else Handoff(previous, step_id))
        previous = step_id
    chain.append(last.replace(source=previous) if last else Handoff(previous, CUSTOMER))
    return tuple(chain)


class MapEdits:
    """The structural edits of `ValueStream`: steps and handoffs added, replaced, moved and removed."""

    def with_step(self, step: Step) -> ValueStream:
        """Replace the step with the same id, or add it at the end (see `add_step`)."""
        if step.id not in self.step_ids:
            return self.add_step(step)
        return self.replace(steps=[step if s.id == step.id else s for s in self.steps])

    def add_step(self, step: Step, after: str | None = None, handoffs: Iterable[Handoff] | None = None) -> ValueStream:
        """Add a new step.

        Parameters
        ----------
        step : Step
            A step whose id is not yet in the map.
        after : str, optional
            The step it follows, in the file and in the flow; the last step in
            file order when left out. The handoffs that left `after` now leave
            the new step (keeping their waits: the queues of the steps
            downstream), and a push handoff with zero wait joins `after` to it.
        handoffs : iterable of Handoff, optional
            Connect the step with exactly these handoffs instead, for a
            parallel branch; the step then goes after `after` in file order.

        Returns
        -------
        ValueStream
        """
        if step.id in self.step_ids:
            raise StreamError(f"step id '{step.id}' is used twice; ids must be unique", step=step.id, key="id")
        anchor = after if after is not None else self.steps[-1].id
        self.step(anchor)
        position = self.step_ids.index(anchor) + 1
        steps = [*self.steps[:position], step, *self.steps[position:]]
        if handoffs is not None:
            return self.replace(steps=steps, handoffs=[*self.handoffs, *handoffs])
        arrows = [h.replace(source=step.id) if h.source == anchor else h for h in self.handoffs]
        first_moved = next(i for i, h in enumerate(self.handoffs) if h.source == anchor)
        arrows.insert(first_moved, Handoff(anchor, step.id))
        return self.replace(steps=steps, handoffs=arrows)

    def remove_step(self, step_id: str) -> ValueStream:
        """Remove a step and reconnect its neighbours.

        The handoff into the step is dropped with its wait (that queue fed only
        this step); each handoff out of it now starts at the step's
        predecessor, keeping its wait, owner and kind. With branches, every
        predecessor is joined to every successor this way, except where an
        arrow between them already exists (it is kept as it is) or where the
        supplier would be joined straight to the customer (the other branches
        carry the flow).

        Raises
        ------
        StreamError
            If the step does not exist or is the only one.
        """
        self.step(step_id)
        if len(self.steps) == 1:
            raise StreamError(
                f"step '{step_id}' is the only step; a value stream needs at least one: add another before removing it",
                step=step_id,
            )
        sources = [h.source for h in self.incoming(step_id)]
        existing = {h.key for h in self.handoffs if step_id not in h.key}
        arrows = []
        for h in self.handoffs:
            if h.target == step_id:
                continue
            if h.source != step_id:
                arrows.append(h)
                continue
            for source in sources:
                if (source, h.target) not in existing and (source, h.target) != (SUPPLIER, CUSTOMER):
                    arrows.append(h.replace(source=source))
                    existing.add((source, h.target))
        return self.replace(steps=[s for s in self.steps if s.id != step_id], handoffs=arrows)

    def move_step(self, step_id: str, offset: int) -> ValueStream:
        """Move a step `offset` places later (negative: earlier).

        In a linear map the flow follows: the handoffs are rebuilt in the new
        order, each step keeping the handoff into it (its queue) and the last
        handoff to the customer staying last. In a map with branches only the
        file order changes (it decides ties on the critical path and the order
        of tables and charts).

        Returns
        -------
        ValueStream
        """
        linear = self.is_linear()
        order = list(self.flow_order()) if linear else list(self.step_ids)
        if step_id not in order:
            self.step(step_id)
        position = order.index(step_id)
        order.insert(max(0, min(len(order) - 1, position + offset)), order.pop(position))
        steps = [self.step(i) for i in order]
        if not linear:
            return self.replace(steps=steps)
        arrows = {h.target: h for h in self.handoffs if h.target != CUSTOMER}
        return self.replace(steps=steps, handoffs=chained_handoffs(order, arrows, self.incoming(CUSTOMER)[0]))

    def rename_step(self, step_id: str, new_id: str) -> ValueStream:
        """Give a step a new id, updating the handoffs that name it."""
        step = self.step(step_id)
        if new_id != step_id and new_id in self.step_ids:
            raise StreamError(f"step id '{new_id}' is used twice; ids must be unique", step=new_id, key="id")
        renamed = step.replace(id=new_id, name=new_id if step.name == step.id else step.name)
        handoffs = [
            h.replace(
                source=new_id if h.source == step_id else h.source, target=new_id if h.target == step_id else h.target
            )
            for h in self.handoffs
        ]
        return self.replace(steps=[renamed if s.id == step_id else s for s in self.steps], handoffs=handoffs)

    def with_handoff(self, handoff: Handoff) -> ValueStream:
        """Replace the handoff between the same two steps, or add it."""
        if handoff.key in {h.key for h in self.handoffs}:
            return self.replace(handoffs=[handoff if h.key == handoff.key else h for h in self.handoffs])
        return self.add_handoff(handoff)

    def add_handoff(self, handoff: Handoff) -> ValueStream:
        """Add a new handoff (a second one between the same steps is refused)."""
        return self.replace(handoffs=[*self.handoffs, handoff])

    def remove_handoff(self, source: str, target: str) -> ValueStream:
        """Remove a handoff; refused when a step would be cut off from the supplier or customer."""
        self.handoff(source, target)
        return self.replace(handoffs=[h for h in self.handoffs if h.key != (source, target)])
