"""A value stream map as tables: shares of lead time, time by waste, its steps and its handoffs.

`MapTables` is mixed into `vsm_widgets.model.stream.ValueStream` beside
`vsm_widgets.model.lean_metrics.LeanMetrics`, whose numbers (critical path, waits,
lead time) these tables lay out row by row, in the map's unit.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from vsm_widgets.exceptions import VsmInputError
from vsm_widgets.model.graph import CUSTOMER
from vsm_widgets.model.lean_metrics import ratio
from vsm_widgets.model.waste import WASTE_KEYS, WASTES, normalise_waste
from vsm_widgets.units import Duration

if TYPE_CHECKING:
    import pandas as pd


class MapTables:
    """The tables of a `ValueStream`, as methods (a mixin).

    pandas is imported when a table is asked for, not with the model: ``vsm map`` on a map of
    10,000 steps needs none, and importing it costs more than half a second.
    """

    def shares(self) -> pd.DataFrame:
        """Each step's and handoff's elapsed time and share of lead time, in flow order.

        Returns
        -------
        pandas.DataFrame
            One row per handoff and step, each step after the handoffs into
            it: ``kind`` ("step" or "handoff"), ``key`` (step id or
            "source->target"), ``label``, ``source``, ``target`` (handoffs
            only), ``elapsed`` (in the map's unit), ``share`` (of lead time)
            and ``critical`` (on the critical path). Off-path shares are
            against the same lead time, so only critical shares add up to 1.
        """
        lead = self.lead_time()
        on_path = set(self.critical_path())
        arrows = set(self.critical_handoffs())
        rows = []
        for node in (*self.flow_order(), CUSTOMER):
            for handoff in self.incoming(node):
                wait = self.wait_of(handoff)
                rows.append(
                    {
                        "kind": "handoff",
                        "key": f"{handoff.source}->{handoff.target}",
                        "label": f"{self.label(handoff.source)} -> {self.label(handoff.target)}",
                        "source": handoff.source,
                        "target": handoff.target,
                        "elapsed": self.in_unit(wait),
                        "share": ratio(wait, lead),
                        "critical": handoff in arrows,
                    }
                )
            if node != CUSTOMER:
                step = self.step(node)
                rows.append(
                    {
                        "kind": "step",
                        "key": step.id,
                        "label": step.name,
                        "source": None,
                        "target": None,
                        "elapsed": self.in_unit(step.elapsed),
                        "share": ratio(step.elapsed, lead),
                        "critical": step.id in on_path,
                    }
                )
        import pandas as pd

        return pd.DataFrame(rows, columns=["kind", "key", "label", "source", "target", "elapsed", "share", "critical"])

    def time_by_waste(self, handoffs_as: str | None = "waiting") -> pd.DataFrame:
        """Elapsed time on the critical path per waste category.

        A step tagged with several wastes has its elapsed time split evenly
        between them, so the categories add up to the tagged time and never
        count a day twice. Untagged steps count nowhere.

        Parameters
        ----------
        handoffs_as : str or None
            The waste that waits on the critical path's handoffs count as
            (``"waiting"`` by default; ``"inventory"`` suits factory maps where
            arrows hold stock); None leaves arrows out.

        Returns
        -------
        pandas.DataFrame
            One row per waste in teaching order: ``waste`` (key), ``label``,
            ``time`` (in the map's unit) and ``share`` (of lead time).
        """
        try:
            arrows_to = None if handoffs_as is None else normalise_waste(handoffs_as)
        except ValueError as error:
            raise VsmInputError(f"handoffs_as: {error}, or None to leave the arrows out") from None
        seconds = dict.fromkeys(WASTE_KEYS, 0.0)
        for step_id in self.critical_path():
            step = self.step(step_id)
            for key in step.wastes:
                seconds[key] += step.elapsed.seconds / len(step.wastes)
        if arrows_to is not None:
            seconds[arrows_to] += self.handoff_time().seconds
        lead = self.lead_time()
        import pandas as pd

        return pd.DataFrame(
            {
                "waste": list(WASTE_KEYS),
                "label": [WASTES[k].label for k in WASTE_KEYS],
                "time": [self.in_unit(Duration(seconds[k])) for k in WASTE_KEYS],
                "share": [ratio(Duration(seconds[k]), lead) for k in WASTE_KEYS],
            }
        )

    def steps_frame(self) -> pd.DataFrame:
        """The steps as a tidy table, times in the map's unit, in file order.

        Returns
        -------
        pandas.DataFrame
            Columns ``id, name, owner, value, process_time, lead_time``
            (NaN when not given), ``elapsed, pct_ca, wastes`` (tuple of keys),
            ``staff, uptime, effective_cycle_time, batch_size, changeover``
            (NaN when not given), ``notes, critical`` (on the critical path).
        """
        on_path = set(self.critical_path())

        def number(duration: Duration | None) -> float:
            return self.in_unit(duration) if duration is not None else math.nan

        rows = [
            {
                "id": s.id,
                "name": s.name,
                "owner": s.owner,
                "value": s.value,
                "process_time": self.in_unit(s.process_time),
                "lead_time": number(s.lead_time),
                "elapsed": self.in_unit(s.elapsed),
                "pct_ca": s.pct_ca,
                "wastes": s.wastes,
                "staff": s.staff,
                "uptime": s.uptime,
                "effective_cycle_time": self.in_unit(s.effective_cycle_time),
                "batch_size": s.batch_size if s.batch_size is not None else math.nan,
                "changeover": number(s.changeover),
                "notes": s.notes,
                "critical": s.id in on_path,
            }
            for s in self.steps
        ]
        import pandas as pd

        return pd.DataFrame(rows)

    def handoffs_frame(self) -> pd.DataFrame:
        """The handoffs as a tidy table, waits in the map's unit, in file order.

        Returns
        -------
        pandas.DataFrame
            Columns ``source, target, source_label, target_label, wait,
            inventory`` (NaN when not given), ``inventory_days`` (NaN without
            inventory or demand), ``owner, kind, critical``.
        """
        arrows = set(self.critical_handoffs())
        rows = []
        for h in self.handoffs:
            days = self.inventory_days(h)
            rows.append(
                {
                    "source": h.source,
                    "target": h.target,
                    "source_label": self.label(h.source),
                    "target_label": self.label(h.target),
                    "wait": self.in_unit(self.wait_of(h)),
                    "inventory": h.inventory if h.inventory is not None else math.nan,
                    "inventory_days": days if days is not None else math.nan,
                    "owner": h.owner,
                    "kind": h.kind,
                    "critical": h in arrows,
                }
            )
        import pandas as pd

        return pd.DataFrame(rows)
