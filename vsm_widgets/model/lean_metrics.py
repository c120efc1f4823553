"""Lean metrics of a value stream map (DOMAIN sections 2 and 4).

`LeanMetrics` is mixed into `vsm_widgets.model.stream.ValueStream`; call the methods
on a stream: ``stream.lead_time()``, ``stream.summary()``. The same numbers as
tables (shares of lead time, time by waste, steps and handoffs) are in
`vsm_widgets.model.map_tables`.

Conventions, printed by `LeanMetrics.conventions` on every summary:

- **Lead time** sums, along the critical path, the wait on every handoff and
  the elapsed time of every step: its block lead time where given, else its
  process time. Manufacturing maps (inventory days plus cycle times), office
  maps (block lead times) and software maps (process times plus waits) are all
  this one sum.
- **Critical path**: the path from supplier to customer with the longest
  elapsed time. Ties go to the path with more process time, then to the one
  whose steps come earlier in file order (compared step by step from the
  supplier).
- **Process time** sums process times on the critical path; **wait time** is
  lead time minus process time (waits on arrows plus the waiting inside
  blocks).
- **Activity ratio** counts every step's process time; **PCE** only that of
  value-adding (``va``) steps. Both divide by lead time.
- **Rolled %C&A** multiplies the %C&A of every step, on the critical path or
  not: an item needs every part right.
- **Day length**: every conversion between days and hours uses the map's
  ``hours_per_day``.
- **Inventory** on a handoff without a wait becomes pieces / demand_per_day days.
- **Takt time** is available time per day (one day of ``hours_per_day`` when
  not given) / demand per day.
- **Constraint**: the step with the longest effective cycle time, process time
  / uptime / staff (ties: earlier in file order), reported against takt.
"""

from __future__ import annotations

import math
from functools import cached_property
from typing import TYPE_CHECKING, Any

from vsm_widgets.model.graph import CUSTOMER, SUPPLIER, longest_path, topological_order
from vsm_widgets.units import ZERO, Duration

if TYPE_CHECKING:
    from vsm_widgets.model.stream import Handoff, Step


def ratio(part: Duration, whole: Duration) -> float:
    """`part` as a share of `whole`; NaN when `whole` is zero.

    Examples
    --------
    >>> ratio(Duration(3600), Duration(7200))
    0.5
    """
    return part.seconds / whole.seconds if whole.seconds else math.nan


def _total(durations: Any) -> Duration:
    # The seconds summed in the same order as Duration + Duration would, without a Duration per step.
    return Duration(sum((d.seconds for d in durations), ZERO.seconds))


class LeanMetrics:
    """The lean metrics of a `ValueStream`, as methods (a mixin).

    Numbers come back as `Duration` or plain floats; `summary` and the data
    frames give plain numbers in the map's unit.
    """

    @cached_property
    def _critical(self) -> tuple[tuple[str, ...], tuple[Handoff, ...]]:
        nodes = [SUPPLIER, *self.step_ids, CUSTOMER]
        edges = [h.key for h in self.handoffs]
        rank = {node: index for index, node in enumerate(nodes)}
        steps = {s.id: s for s in self.steps}

        def node_score(node: str) -> tuple[float, float]:
            step = steps.get(node)
            return (step.elapsed.seconds, step.process_time.seconds) if step else (0.0, 0.0)

        edge_score = {h.key: (self.wait_of(h).seconds, 0.0) for h in self.handoffs}
        path = longest_path(topological_order(nodes, edges), edges, node_score, edge_score, rank)
        arrows = {h.key: h for h in self.handoffs}
        return tuple(path[1:-1]), tuple(arrows[pair] for pair in zip(path, path[1:], strict=False))

    @cached_property
    def _path_times(self) -> dict[str, Duration]:
        # Each total sums the whole critical path, and a summary asks for the lead time alone five times.
        steps = [self.step(i) for i in self.critical_path()]
        handoffs = self.critical_handoffs()
        return {
            "handoffs": _total(self.wait_of(h) for h in handoffs),
            "steps": _total(s.elapsed for s in steps),
            "process": _total(s.process_time for s in steps),
            "value_added": _total(s.process_time for s in steps if s.value == "va"),
            "unowned": _total(self.wait_of(h) for h in handoffs if h.owner is None),
        }

    # ----- times ---------------------------------------------------------------------------------

    def wait_of(self, handoff: Handoff) -> Duration:
        """Elapsed wait on a handoff: its wait, or its inventory in days of demand.

        Parameters
        ----------
        handoff : Handoff

        Returns
        -------
        Duration
            ``pieces / demand_per_day`` days (of ``hours_per_day`` hours) when
            the handoff gives an inventory and no wait.
        """
        if handoff.wait is not None:
            return handoff.wait
        return Duration.of(self.inventory_days(handoff), "days", self.hours_per_day)

    def inventory_days(self, handoff: Handoff) -> float | None:
        """Inventory on a handoff in days of customer demand; None without inventory or demand."""
        if handoff.inventory is None or not self.demand_per_day:
            return None
        return handoff.inventory / self.demand_per_day

    def critical_path(self) -> tuple[str, ...]:
        """Step ids of the critical path: the longest elapsed path from supplier to customer.

        Elapsed time sums handoff waits and step elapsed times (block lead time,
        else process time). Ties go to more process time, then to steps earlier
        in file order.
        """
        return self._critical[0]

    def critical_handoffs(self) -> tuple[Handoff, ...]:
        """The handoffs along the critical path, from the supplier to the customer."""
        return self._critical[1]

    def lead_time(self) -> Duration:
        """Total lead time: waits plus step elapsed times along the critical path."""
        return self.handoff_time() + self.step_time()

    def handoff_time(self) -> Duration:
        """Time on the arrows of the critical path (waits between steps)."""
        return self._path_times["handoffs"]

    def step_time(self) -> Duration:
        """Time inside the boxes of the critical path (block lead time, else process time)."""
        return self._path_times["steps"]

    def process_time(self) -> Duration:
        """Total process time: process times of the steps on the critical path."""
        return self._path_times["process"]

    def value_added_time(self) -> Duration:
        """Process time of the value-adding (``va``) steps on the critical path."""
        return self._path_times["value_added"]

    def wait_time(self) -> Duration:
        """Lead time not worked on: lead time minus process time (arrows plus waiting inside blocks)."""
        return self.lead_time() - self.process_time()

    def activity_ratio(self) -> float:
        """Process time / lead time (%Activity); NaN when the lead time is zero."""
        return ratio(self.process_time(), self.lead_time())

    def pce(self) -> float:
        """Process cycle efficiency: value-adding process time / lead time; NaN when the lead time is zero."""
        return ratio(self.value_added_time(), self.lead_time())

    def rolled_pct_ca(self) -> float:
        """Rolled %C&A: the product of every step's %C&A, the chance of passing with no rework."""
        return math.prod(s.pct_ca for s in self.steps)

    # ----- pace and the constraint ---------------------------------------------------------------

    def takt_time(self) -> Duration | None:
        """Available time per day / demand per day; None without demand.

        Without ``available_time_per_day`` the available time is one day of the
        map's ``hours_per_day``.
        """
        if not self.demand_per_day:
            return None
        available = self.available_time_per_day or Duration.of(1, "days", self.hours_per_day)
        return available / self.demand_per_day

    def constraint(self) -> Step | None:
        """The step with the longest effective cycle time (process time / uptime / staff).

        Ties go to the step earlier in file order; None when no step has any
        process time. Compare its `Step.effective_cycle_time` with `takt_time`:
        longer than takt means the step cannot keep up with demand.
        """
        longest = max(self.steps, key=lambda s: s.effective_cycle_time.seconds)
        return longest if longest.effective_cycle_time.seconds > 0 else None

    def largest_wait(self) -> tuple[str, str, Duration]:
        """``(source, target, wait)`` of the largest wait in the lead time (DESIGN 4.5).

        The places that wait are the critical path's arrows and the waiting inside its
        blocks (block lead time beyond process time), given as ``(step, step, wait)``;
        ties go to the first in flow order. This is the rule
        `vsm_widgets.metrics.partition.largest_wait` applies to the map's partition. A map
        whose critical path holds no waiting gives its first arrow, with no wait.
        """
        path = self.critical_path()
        places = []
        for index, handoff in enumerate(self.critical_handoffs()):
            places.append((handoff.source, handoff.target, self.wait_of(handoff)))
            if index < len(path):
                step = self.step(path[index])
                places.append((step.id, step.id, step.elapsed - step.process_time))
        if not places:
            first = self.handoffs[0]
            return first.source, first.target, self.wait_of(first)
        return max(places, key=lambda place: place[2].seconds)

    def unowned_handoffs(self) -> tuple[Handoff, ...]:
        """Every handoff nobody owns, in file order (the arrows between the boxes' owners)."""
        return tuple(h for h in self.handoffs if h.owner is None)

    def unowned_wait(self) -> Duration:
        """Wait on the critical path that sits on handoffs nobody owns."""
        return self._path_times["unowned"]

    # ----- summary -------------------------------------------------------------------------------

    def conventions(self) -> dict[str, str]:
        """The conventions behind the summary numbers, in words (printed on every readout)."""
        day = "calendar time" if self.hours_per_day >= 24 else "working time"
        conventions = {
            "lead_time": "waits on handoffs plus each step's block lead time (its process time where none is "
            "given), along the critical path",
            "critical_path": "the longest elapsed path from supplier to customer; ties go to more process time, "
            "then to steps earlier in the file",
            "day_length": f"1 day = {self.hours_per_day:g} h ({day})",
            "value_added_time": "activity ratio counts the process time of every step on the critical path; PCE "
            "only that of value-adding (va) steps",
            "rolled_pct_ca": "product of the %C&A of every step",
        }
        if self.demand_per_day:
            available = "available_time_per_day" if self.available_time_per_day else "one day of hours_per_day"
            conventions["takt_time"] = f"{available} / demand_per_day"
        if any(h.inventory is not None and h.wait is None for h in self.handoffs):
            conventions["inventory"] = "pieces / demand_per_day days of demand"
        return conventions

    def summary(self) -> dict[str, Any]:
        """The headline numbers as a flat dict of plain values in the map's unit (DESIGN 4.1).

        Returns
        -------
        dict
            The contract keys ``unit, lead_time, process_time, wait_time,
            activity_ratio, pce, rolled_pct_ca, takt_time_seconds`` (None
            without demand), ``critical_path`` (step ids), ``constraint`` (step
            id or None), ``largest_wait`` (``{from, to, wait}``),
            ``unowned_handoffs`` (list of ``[from, to]``); then ``name,
            hours_per_day, handoff_time, step_time, value_added_time,
            takt_time`` (in the unit), ``constraint_cycle_time_seconds``,
            ``constraint_load`` (effective cycle time / takt),
            ``unowned_wait`` and ``conventions``. Undefined ratios are None.
        """
        takt = self.takt_time()
        constraint = self.constraint()
        source, target, wait = self.largest_wait()

        def known(value: float) -> float | None:
            return None if math.isnan(value) else value

        return {
            "unit": self.unit,
            "lead_time": self.in_unit(self.lead_time()),
            "process_time": self.in_unit(self.process_time()),
            "wait_time": self.in_unit(self.wait_time()),
            "activity_ratio": known(self.activity_ratio()),
            "pce": known(self.pce()),
            "rolled_pct_ca": self.rolled_pct_ca(),
            "takt_time_seconds": takt.seconds if takt is not None else None,
            "critical_path": list(self.critical_path()),
            "constraint": constraint.id if constraint else None,
            "largest_wait": {"from": source, "to": target, "wait": self.in_unit(wait)},
            "unowned_handoffs": [[h.source, h.target] for h in self.unowned_handoffs()],
            "name": self.name,
            "hours_per_day": self.hours_per_day,
            "handoff_time": self.in_unit(self.handoff_time()),
            "step_time": self.in_unit(self.step_time()),
            "value_added_time": self.in_unit(self.value_added_time()),
            "takt_time": self.in_unit(takt) if takt is not None else None,
            "constraint_cycle_time_seconds": constraint.effective_cycle_time.seconds if constraint else None,
            "constraint_load": (
                constraint.effective_cycle_time / takt if constraint is not None and takt is not None else None
            ),
            "unowned_wait": self.in_unit(self.unowned_wait()),
            "conventions": self.conventions(),
        }
