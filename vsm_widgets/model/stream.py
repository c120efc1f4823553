"""The value stream map model: the stream its steps and handoffs form.

`Step`, `Handoff` (from `vsm_widgets.model.elements`) and `ValueStream` are frozen
values. An edit returns a new stream, validated as a whole, so undo, scenarios
and comparisons come for free and no editor can leave another one holding a
broken map. Every problem is a `StreamError` naming the step or handoff (its
``step``, ``handoff`` and ``key`` attributes say where, for editors and for
map file messages).

The graph runs from the ``"supplier"`` node through the steps to the
``"customer"`` node. A stream built with no handoffs is the steps in the order
given, joined by push handoffs with zero wait. The lean metrics (critical path,
lead time, ratios, summary) are methods of `ValueStream`, documented in
`vsm_widgets.model.lean_metrics`; so are its edits (`vsm_widgets.model.map_edits`).

"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from vsm_widgets.exceptions import StreamError
from vsm_widgets.model.elements import HANDOFF_KINDS, Handoff, Step, freeze_extra, thaw_extra
from vsm_widgets.model.field_checks import check_duration, check_number, check_text, check_unit
from vsm_widgets.model.graph import CUSTOMER, ENDPOINTS, SUPPLIER, find_cycle, reachable, topological_order
from vsm_widgets.model.lean_metrics import LeanMetrics
from vsm_widgets.model.map_edits import MapEdits, chained_handoffs
from vsm_widgets.model.map_tables import MapTables
from vsm_widgets.units import Duration, parse_duration

__all__ = ["CUSTOMER", "HANDOFF_KINDS", "SUPPLIER", "Handoff", "Step", "ValueStream", "freeze_extra", "thaw_extra"]


@dataclass(frozen=True)
class ValueStream(LeanMetrics, MapTables, MapEdits):
    """A value stream map: steps joined by handoffs from supplier to customer.

    Parameters
    ----------
    name : str
        Title of the map.
    steps : sequence of Step
        The boxes, in file order (which also breaks ties, see `critical_path`).
    handoffs : sequence of Handoff
        The arrows. Empty means the steps in order with zero waits.
    unit : str
        Unit of the summary numbers and of bare numbers in the map file.
    hours_per_day : float
        Length of a day when converting units: 24 for calendar time, 8 for
        working days.
    supplier, customer : str
        Labels of the two ends.
    demand_per_day : float, optional
        Items the customer asks for per day: takt time and inventory days.
    available_time_per_day : Duration, optional
        Working time per day for takt time; one day of `hours_per_day` when
        left out.
    extra : mapping
        Unknown top-level keys from the map file, kept read-only.
    written_as : mapping
        How quantities were spelled in the map file (key to value, such as
        ``{"process_time": "20 min"}``), so saving keeps the user's spelling.
        Ignored by comparisons; used only while it still reads back to the
        current value.

    Raises
    ------
    StreamError
        If the map is inconsistent; the message names the step or handoff.

    Examples
    --------
    >>> from vsm_widgets.units import Duration
    >>> days = lambda n: Duration.of(n, "days")
    >>> stream = ValueStream("Two steps", [Step("a", process_time=days(2)), Step("b", process_time=days(3))])
    >>> [h.key for h in stream.handoffs]
    [('supplier', 'a'), ('a', 'b'), ('b', 'customer')]
    >>> stream.lead_time().to("days")
    5.0
    """

    name: str
    steps: tuple[Step, ...]
    handoffs: tuple[Handoff, ...] = ()
    unit: str = "days"
    hours_per_day: float = 24.0
    supplier: str = "Supplier"
    customer: str = "Customer"
    demand_per_day: float | None = None
    available_time_per_day: Duration | None = None
    extra: Mapping[str, Any] = field(default_factory=dict, hash=False)
    written_as: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def __post_init__(self) -> None:
        set_field = object.__setattr__
        steps = tuple(self.steps)
        handoffs = tuple(self.handoffs)
        if not handoffs and steps and all(isinstance(s, Step) for s in steps):
            handoffs = chained_handoffs([s.id for s in steps], {}, None)
        set_field(self, "steps", steps)
        set_field(self, "handoffs", handoffs)
        set_field(self, "extra", freeze_extra(self.extra))
        set_field(self, "written_as", freeze_extra(self.written_as))
        self._validate_settings()
        self._validate_graph()

    def _validate_settings(self) -> None:
        if not isinstance(self.name, str):
            raise StreamError(f"the map name must be text, not {self.name!r}; write it in quotes", key="name")
        for key in ("supplier", "customer"):
            check_text(getattr(self, key), "the map", key)
        object.__setattr__(self, "unit", check_unit(self.unit, self.hours_per_day))
        if self.demand_per_day is not None:
            check_number(self.demand_per_day, "the map", "demand_per_day", 0)
        if self.available_time_per_day is not None:
            check_duration(self.available_time_per_day, "the map", "available_time_per_day")
            if not self.available_time_per_day:
                raise StreamError(
                    "the map: available_time_per_day must be more than zero; give the working time a day, "
                    "such as '7.5 h'",
                    key="available_time_per_day",
                )

    def _validate_graph(self) -> None:
        if not self.steps:
            raise StreamError("the map has no steps; a value stream needs at least one: add a step", key="steps")
        seen: set[str] = set()
        for step in self.steps:
            if not isinstance(step, Step):
                raise StreamError(
                    f"steps must be Step values, not {step!r}; build each with Step(id, name, process_time=...)",
                    key="steps",
                )
            if step.id in seen:
                raise StreamError(f"step id '{step.id}' is used twice; ids must be unique", step=step.id, key="id")
            seen.add(step.id)
        pairs: set[tuple[str, str]] = set()
        for handoff in self.handoffs:
            if not isinstance(handoff, Handoff):
                raise StreamError(
                    f"handoffs must be Handoff values, not {handoff!r}; build each with Handoff(source, target, wait)",
                    key="handoffs",
                )
            self._validate_handoff(handoff, seen, pairs)
        edges = [h.key for h in self.handoffs]
        cycle = find_cycle([s.id for s in self.steps], edges)
        if cycle:
            closing = next(h for h in reversed(self.handoffs) if h.key in set(zip(cycle, cycle[1:], strict=False)))
            raise StreamError(
                f"handoff {closing.source} -> {closing.target} closes a loop ({' -> '.join(cycle)}); "
                "a map flows one way: show rework as a lower %C&A instead",
                handoff=closing.key,
                key="target",
            )
        from_supplier = reachable(SUPPLIER, edges)
        to_customer = reachable(CUSTOMER, edges, reverse=True)
        for step in self.steps:
            if step.id not in from_supplier:
                raise StreamError(
                    f"step '{step.id}' cannot be reached from the supplier; add a handoff into it",
                    step=step.id,
                    key="id",
                )
            if step.id not in to_customer:
                raise StreamError(
                    f"step '{step.id}' does not lead to the customer; add a handoff out of it",
                    step=step.id,
                    key="id",
                )

    def _validate_handoff(self, handoff: Handoff, step_ids: set[str], pairs: set[tuple[str, str]]) -> None:
        what = f"handoff {handoff.source} -> {handoff.target}"
        where = {"handoff": handoff.key}
        if handoff.source not in step_ids and handoff.source != SUPPLIER:
            hint = "the stream ends at the customer" if handoff.source == CUSTOMER else "add the step or fix the id"
            raise StreamError(f"{what}: unknown step '{handoff.source}' as source; {hint}", key="source", **where)
        if handoff.target not in step_ids and handoff.target != CUSTOMER:
            hint = "the stream starts at the supplier" if handoff.target == SUPPLIER else "add the step or fix the id"
            raise StreamError(f"{what}: unknown step '{handoff.target}' as target; {hint}", key="target", **where)
        if handoff.source == handoff.target:
            raise StreamError(f"{what} leads back to its own step; show rework as a lower %C&A", key="target", **where)
        if handoff.key == (SUPPLIER, CUSTOMER):
            raise StreamError(f"{what} skips every step; connect the supplier to a step", key="target", **where)
        if handoff.key in pairs:
            raise StreamError(f"{what} appears twice; keep one arrow per pair of steps", key="target", **where)
        pairs.add(handoff.key)
        if handoff.wait is None and self.demand_per_day is None:
            raise StreamError(
                f"{what}: an inventory of {handoff.inventory:g} pieces needs demand_per_day to become a wait; "
                "set demand_per_day on the map or give the wait",
                key="inventory",
                **where,
            )

    # ----- queries -------------------------------------------------------------------------------

    @classmethod
    def from_events(cls, log: Any, **options: Any) -> ValueStream:
        """The measured map of a timing export; see `vsm_widgets.metrics.measured_map.measured_map` for the options."""
        from vsm_widgets.metrics.measured_map import (
            measured_map,
        )  # derive builds on flow metrics, a layer this module must not import at load

        return measured_map(log, **options)

    # Lookups by id: a map of 10,000 steps asks for steps and arrows by id millions of times, and a
    # linear search each time made `vsm map` quadratic. The stream is frozen, so each is built once.
    @cached_property
    def _steps_by_id(self) -> dict[str, Step]:
        return {s.id: s for s in self.steps}

    @cached_property
    def _handoffs_by_key(self) -> dict[tuple[str, str], Handoff]:
        return {h.key: h for h in reversed(self.handoffs)}

    @cached_property
    def _arrows_in(self) -> dict[str, tuple[Handoff, ...]]:
        return _grouped(self.handoffs, lambda h: h.target)

    @cached_property
    def _arrows_out(self) -> dict[str, tuple[Handoff, ...]]:
        return _grouped(self.handoffs, lambda h: h.source)

    @property
    def step_ids(self) -> tuple[str, ...]:
        """Step ids in file order."""
        return tuple(s.id for s in self.steps)

    def step(self, step_id: str) -> Step:
        """The step with this id.

        Raises
        ------
        StreamError
            If there is none.
        """
        step = self._steps_by_id.get(step_id)
        if step is None:
            raise StreamError(
                f"no step '{step_id}' in the map; its steps are {', '.join(self.step_ids[:20])}"
                + (" ..." if len(self.steps) > 20 else ""),
                step=step_id,
                key="id",
            )
        return step

    def handoff(self, source: str, target: str) -> Handoff:
        """The handoff from `source` to `target`.

        Raises
        ------
        StreamError
            If there is none.
        """
        handoff = self._handoffs_by_key.get((source, target))
        if handoff is None:
            raise StreamError(
                f"no handoff {source} -> {target} in the map; add it, or check both ids", handoff=(source, target)
            )
        return handoff

    def incoming(self, node: str) -> tuple[Handoff, ...]:
        """Handoffs into a step (or the customer), in file order."""
        return self._arrows_in.get(node, ())

    def outgoing(self, node: str) -> tuple[Handoff, ...]:
        """Handoffs out of a step (or the supplier), in file order."""
        return self._arrows_out.get(node, ())

    def label(self, node: str) -> str:
        """The name of a step, or the supplier or customer label."""
        if node == SUPPLIER:
            return self.supplier
        if node == CUSTOMER:
            return self.customer
        return self.step(node).name

    def flow_order(self) -> tuple[str, ...]:
        """Step ids so that every handoff points forward; file order where the flow allows either."""
        order = topological_order([SUPPLIER, *self.step_ids, CUSTOMER], [h.key for h in self.handoffs])
        return tuple(node for node in order if node not in ENDPOINTS)

    def is_linear(self) -> bool:
        """True when the handoffs form one chain from supplier to customer (no branches)."""
        return len(self.handoffs) == len(self.steps) + 1 and all(
            len(self.incoming(s.id)) == 1 and len(self.outgoing(s.id)) == 1 for s in self.steps
        )

    def in_unit(self, duration: Duration) -> float:
        """A duration as a number in the map's unit (days of `hours_per_day` hours)."""
        return duration.to(self.unit, self.hours_per_day)

    def quantity(self, value: object) -> Duration:
        """Read a duration as a map file writes it: a bare number in the map's unit or ``"2.5 h"``.

        Raises
        ------
        ValueError
            If `value` is not a duration.
        """
        return parse_duration(value, self.unit, self.hours_per_day)

    # ----- edits: each returns a new, validated stream -------------------------------------------

    def replace(self, **changes: Any) -> ValueStream:
        """A copy with some fields changed, validated as a whole.

        Parameters
        ----------
        **changes
            Field names and their new values, such as ``hours_per_day=8`` or
            ``steps=...`` with ``handoffs=...``.

        Returns
        -------
        ValueStream
        """
        return dataclasses.replace(self, **changes)

    def renamed(self, name: str) -> ValueStream:
        """A copy with a new map name."""
        return self.replace(name=name)


def _grouped(handoffs: tuple[Handoff, ...], node_of: Callable[[Handoff], str]) -> dict[str, tuple[Handoff, ...]]:
    groups: dict[str, list[Handoff]] = {}
    for handoff in handoffs:
        groups.setdefault(node_of(handoff), []).append(handoff)
    return {node: tuple(found) for node, found in groups.items()}
