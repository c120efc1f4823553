"""One change from the current state to the future state: what it acts on, the waste it removes, its words.

A `Change` is a value: the kind, its target (a step, steps or a handoff), its amount, the waste,
owner, due date and why. It says itself in a few words for the plan and messages (`Change.describe`)
and as a scenario file writes it (`Change.to_dict`). It is apart from `vsm_widgets.future.scenario`,
which holds the list of changes and carries them out on maps and logs, because the editors and the
readouts read and word a change without applying anything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from vsm_widgets.io.scenario_reader import KIND_KEYS
from vsm_widgets.units import Duration, parse_duration
from vsm_widgets.wording import wait_place


@dataclass(frozen=True)
class Change:
    """One change from the current state to the future state.

    Parameters
    ----------
    kind : str
        One of `CHANGE_KINDS`.
    waste : str
        The waste it removes: a key of `vsm_widgets.model.waste.WASTES`.
    step : str, optional
        The step it acts on (remove_step, set_process_time, set_pct_ca, set_batch_size).
    steps : tuple of str
        The steps it joins (merge_steps: two or more in flow order; parallel: two).
    handoff : (str, str), optional
        The handoff it acts on (cut_wait, set_wait); ``supplier`` and ``customer`` name the ends.
    by : float, optional
        cut_wait: the share of the wait to cut, 0 to 1.
    to : str, float or None
        The new value: a duration with its unit (``"2 days"``) for cut_wait, set_wait and
        set_process_time; a share for set_pct_ca; a number for set_batch_size.
    limit : int, optional
        cap_wip: the most items in progress at once.
    name : str, optional
        merge_steps: the merged step's name.
    owner : str, optional
        Who makes the change happen.
    due : datetime.date, optional
        When it is due.
    why : str
        The reason, in the workshop's words.
    line : int, optional
        Line of the change in its file, for messages.
    """

    kind: str
    waste: str
    step: str | None = None
    steps: tuple[str, ...] = ()
    handoff: tuple[str, str] | None = None
    by: float | None = None
    to: str | float | None = None
    limit: int | None = None
    name: str | None = None
    owner: str | None = None
    due: dt.date | None = None
    why: str = ""
    line: int | None = field(default=None, compare=False)

    def duration(self, hours_per_day: float) -> Duration:
        """`to` as a duration, where a day lasts `hours_per_day` hours."""
        return parse_duration(self.to, "hours", hours_per_day)

    def describe(self, label: Callable[[str], str] | None = None) -> str:
        """The change in a few words, for the plan and messages.

        Parameters
        ----------
        label : callable, optional
            Gives a step's name from its id (`ValueStream.label`), so that people read names,
            never ids; by default the ids are shown as written.

        Returns
        -------
        str
            Such as ``"Cut the wait between Sales and Ops by 50%"``.
        """
        kind, target = self.kind, self.to
        name = label or str
        if kind == "remove_step":
            return f"Remove step {name(self.step)}"
        if kind == "merge_steps":
            merged = ", ".join(name(step) for step in self.steps)
            return f"Merge {merged} into one step" + (f" ({self.name})" if self.name else "")
        if kind == "parallel":
            return f"Run {name(self.steps[1])} in parallel with {name(self.steps[0])}"
        if kind in ("cut_wait", "set_wait"):
            where = wait_place(*(name(end) for end in self.handoff))
            if kind == "set_wait":
                return f"Set the wait {where} to {target}"
            amount = f"by {_percent(self.by)}" if self.by is not None else f"to at most {target}"
            return f"Cut the wait {where} {amount}"
        if kind == "set_process_time":
            return f"Set the process time of {name(self.step)} to {target}"
        if kind == "set_pct_ca":
            return f"Set the %C&A of {name(self.step)} to {_percent(target)}"
        if kind == "set_batch_size":
            return f"Set the batch size of {name(self.step)} to {float(target):g}"
        return f"Limit work in progress to {self.limit} items"

    def to_dict(self) -> dict[str, Any]:
        """The change as a scenario file writes it."""
        data: dict[str, Any] = {"kind": self.kind}
        for key in KIND_KEYS[self.kind]:
            value = getattr(self, key)
            if value is None or value == ():
                continue
            if key == "by" or (key == "to" and self.kind == "set_pct_ca"):
                value = _percent(value)
            elif key == "to" and self.kind == "set_batch_size" and float(value).is_integer():
                value = int(value)  # a batch of items is written as people count it: 1, not 1.0
            data[key] = list(value) if isinstance(value, tuple) else value
        data["waste"] = self.waste
        for key in ("owner", "due", "why"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        return data


def _percent(share: float | str | None) -> str:
    return f"{float(share) * 100:g}%" if share is not None else ""
