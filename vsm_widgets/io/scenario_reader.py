"""Reading a scenario document (DESIGN 4.3) into checked values, every problem pointed at its line.

The YAML text is read once by `vsm_widgets.io.yaml_document`, which learns the line of every
change and key and refuses a key written twice.
`vsm_widgets.future.scenario` builds its `Change` and `Scenario` values from what
`read_document` returns; this module knows the file format, not the model.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Mapping
from typing import Any

from vsm_widgets.exceptions import ScenarioError
from vsm_widgets.io.yaml_document import load_yaml
from vsm_widgets.model.waste import WASTE_KEYS, normalise_waste
from vsm_widgets.units import normalise_unit, parse_duration, parse_percent

# What each kind names and sets; every change also has kind, waste, owner, due and why.
KIND_KEYS: Mapping[str, tuple[str, ...]] = {
    "remove_step": ("step",),
    "merge_steps": ("steps", "name"),
    "parallel": ("steps",),
    "cut_wait": ("handoff", "by", "to"),
    "set_wait": ("handoff", "to"),
    "set_process_time": ("step", "to"),
    "set_pct_ca": ("step", "to"),
    "set_batch_size": ("step", "to"),
    "cap_wip": ("limit",),
}
CHANGE_KINDS = tuple(KIND_KEYS)
PLAN_KEYS = ("waste", "owner", "due", "why")


def _suggest(word: object, choices: tuple[str, ...], lead: str = "Use one of") -> str:
    """A hint listing the choices, starting with the closest one when the word looks like a typo."""
    close = difflib.get_close_matches(str(word), choices, n=1)
    listed = f"{lead} {', '.join(choices)}"
    return f"Did you mean {close[0]}? {listed}" if close else listed


class _ChangeReader:
    """Reads one entry of ``changes``, pointing every problem at its file, line and key."""

    def __init__(self, entry: object, index: int, lines: dict, source: str | None, unit: str | None) -> None:
        self.entry, self.index, self.lines, self.source, self.unit = entry, index, lines, source, unit
        self.kind = entry.get("kind") if isinstance(entry, dict) else None

    def error(self, problem: str, hint: str = "", key: str | None = None) -> ScenarioError:
        line = self.lines.get(("changes", self.index, key)) if key else None
        label = f"change {self.index + 1}" + (f" ({self.kind})" if self.kind in KIND_KEYS else "")
        return ScenarioError(
            f"{label}: {problem}",
            hint,
            file=self.source,
            line=line or self.lines.get(("changes", self.index)),
            column=key,
        )

    def read(self) -> dict[str, Any]:
        entry = self.entry
        if not isinstance(entry, dict):
            raise self.error("is not a mapping of keys", "Write each change as '- kind: ..., waste: ...'")
        kind = entry.get("kind")
        if kind is None:
            raise self.error("has no kind", f"Add kind: one of {', '.join(CHANGE_KINDS)}")
        if kind not in KIND_KEYS:
            raise self.error(f"unknown kind {kind!r}", _suggest(kind, CHANGE_KINDS), "kind")
        allowed = ("kind", *KIND_KEYS[kind], *PLAN_KEYS)
        for key in entry:
            if key not in allowed:
                raise self.error(f"unknown key {key!r}", _suggest(key, allowed, f"A {kind} change takes"), str(key))
        values: dict[str, Any] = {"kind": kind, "waste": self._waste(), "line": self.lines.get(("changes", self.index))}
        values.update(self._plan_fields())
        for key in KIND_KEYS[kind]:
            values[key] = getattr(self, f"_{key}")()
        return values

    def _waste(self) -> str:
        waste = self.entry.get("waste")
        if waste is None or (isinstance(waste, str) and not waste.strip()):
            raise self.error(
                "names no waste; a change that removes no named waste is redesign for its own sake",
                f"Add waste: the waste it removes, one of {', '.join(WASTE_KEYS)}",
            )
        try:
            return normalise_waste(waste)
        except ValueError:
            raise self.error(f"unknown waste {waste!r}", f"Use one of {', '.join(WASTE_KEYS)}", "waste") from None

    def _plan_fields(self) -> dict[str, Any]:
        owner, due, why = self.entry.get("owner"), self.entry.get("due"), self.entry.get("why")
        for key, value in (("owner", owner), ("why", why)):
            if value is not None and not isinstance(value, str):
                raise self.error(f"{key} must be text, not {value!r}", "Quote it", key)
        if isinstance(due, dt.datetime):
            due = due.date()
        elif isinstance(due, str):
            try:
                due = dt.date.fromisoformat(due.strip())
            except ValueError:
                raise self.error(f"due {due!r} is not a date", "Write it as 2027-03-31", "due") from None
        elif due is not None and not isinstance(due, dt.date):
            raise self.error(f"due {due!r} is not a date", "Write it as 2027-03-31", "due")
        return {"owner": owner or None, "due": due, "why": (why or "").strip()}

    def _text(self, key: str, value: object) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.error(f"{key} must name a step, not {value!r}", "Use the step's id or name", key)
        return value.strip()

    def _required(self, key: str) -> object:
        if self.entry.get(key) is None:
            raise self.error(f"needs {key}", _EXAMPLES[self.kind], key if key in self.entry else None)
        return self.entry[key]

    def _step(self) -> str:
        return self._text("step", self._required("step"))

    def _steps(self) -> tuple[str, ...]:
        steps = self._required("steps")
        count = 2 if self.kind == "parallel" else None
        if not isinstance(steps, list) or len(steps) < 2 or (count and len(steps) != count):
            wanted = "exactly two steps" if count else "two or more steps, in flow order"
            raise self.error(f"steps must list {wanted}, not {steps!r}", _EXAMPLES[self.kind], "steps")
        names = tuple(self._text("steps", s) for s in steps)
        if len(set(names)) != len(names):
            raise self.error(f"steps lists a step twice: {list(names)}", "Name each step once", "steps")
        return names

    def _handoff(self) -> tuple[str, str]:
        pair = self._required("handoff")
        if isinstance(pair, str) and "->" in pair:
            pair = [part.strip() for part in pair.split("->")]
        if not isinstance(pair, list) or len(pair) != 2:
            raise self.error(f"handoff must be [from, to], not {pair!r}", _EXAMPLES[self.kind], "handoff")
        return (self._text("handoff", pair[0]), self._text("handoff", pair[1]))

    def _name(self) -> str | None:
        name = self.entry.get("name")
        if name is not None and (not isinstance(name, str) or not name.strip()):
            raise self.error(f"name must be text, not {name!r}", "Give the merged step a name", "name")
        return name.strip() if name else None

    def _by(self) -> float | None:
        by, to = self.entry.get("by"), self.entry.get("to")
        if by is not None and to is not None:
            raise self.error("gives both by and to; a wait is cut by a share or to a duration", "Keep one", "to")
        if by is None and to is None:
            raise self.error("needs by (a share) or to (a duration)", _EXAMPLES["cut_wait"])
        if by is None:
            return None
        try:
            return parse_percent(by)
        except ValueError:
            raise self.error(
                f"by {by!r} is not a share from 0 to 100%", "Write the share to cut as 50% or 0.5", "by"
            ) from None

    def _to(self) -> str | float | None:
        if self.kind == "cut_wait" and self.entry.get("to") is None:
            return None
        value = self._required("to")
        if self.kind == "set_pct_ca":
            try:
                share = parse_percent(value)
            except ValueError:
                raise self.error(
                    f"to {value!r} is not a share from 0 to 100%", "Write the target as 95%", "to"
                ) from None
            if share <= 0:
                raise self.error("a %C&A of 0 means nothing ever passes", "Give a target above 0%", "to")
            return share
        if self.kind == "set_batch_size":
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 1:
                raise self.error(f"a batch size is a number of items, 1 or more, not {value!r}", "Write to: 1", "to")
            return float(value)
        return self._duration(value)

    def _duration(self, value: object) -> str:
        # "1e1" is a bare number (YAML 1.1 reads it as text), not 1 of a unit called "e1"
        bare = not isinstance(value, str) or _BARE_NUMBER.fullmatch(value) is not None
        if bare and self.unit is None:
            raise self.error(
                f"the duration {value!r} has no unit",
                "Write it with its unit, such as '2 days' or '4 h', or set unit: at the top of the file",
                "to",
            )
        try:
            parse_duration(value, self.unit or "hours")
        except ValueError as error:
            raise self.error(str(error), "Write a duration such as '2 days' or '4 h'", "to") from None
        return f"{float(value):g} {self.unit}" if bare else value.strip()

    def _limit(self) -> int:
        limit = self._required("limit")
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise self.error(
                f"limit must be a whole number of items, 1 or more, not {limit!r}", "Write limit: 8", "limit"
            )
        return limit


_BARE_NUMBER = re.compile(r"\s*[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?\s*")

_EXAMPLES = {
    "remove_step": "Write step: the id or name of the step to remove",
    "merge_steps": "Write steps: [first, second] (and optionally name: for the merged step)",
    "parallel": "Write steps: [first, second], where second now follows first",
    "cut_wait": "Write handoff: [from, to] and by: 50% or to: '2 days'",
    "set_wait": "Write handoff: [from, to] and to: '2 days'",
    "set_process_time": "Write step: and to: '4 h'",
    "set_pct_ca": "Write step: and to: 95%",
    "set_batch_size": "Write step: and to: 1",
    "cap_wip": "Write limit: the most items in progress at once",
}


def read_change(
    entry: object, index: int, unit: str | None = None, source: str | None = None, line: int | None = None
) -> dict[str, Any]:
    """Check one change as the file reader checks each entry of ``changes``.

    An editor that builds a change field by field calls this, so a change it
    accepts is exactly one the file would accept, refused with the same message.

    Parameters
    ----------
    entry : mapping
        The change's keys and values as YAML would give them (``{"kind": "cut_wait", "by": "50%", ...}``).
    index : int
        Its place in the list, from 0 (the message says ``change index+1``).
    unit : str, optional
        The scenario's unit of bare numbers given as durations.
    source : str, optional
        The file name messages should name.
    line : int, optional
        The change's line in its file, kept in the result and named by messages.

    Returns
    -------
    dict
        The fields of `vsm_widgets.future.change.Change`, as `read_document` gives them.

    Raises
    ------
    ScenarioError
        Naming the change and key, and what to do.
    """
    lines = {("changes", index): line} if line is not None else {}
    return _ChangeReader(entry, index, lines, source, unit).read()


def read_document(text: str, source: str | None = None) -> dict[str, Any]:
    """Parse and check a scenario document.

    Parameters
    ----------
    text : str
        The YAML text; an empty document has no changes.
    source : str, optional
        The file name messages should name.

    Returns
    -------
    dict
        ``name``, ``unit`` (or None), ``extra`` (other top-level keys) and ``changes``: one
        dict of `vsm_widgets.future.change.Change` fields per change, durations as text with
        their unit, shares as floats, and ``line``.

    Raises
    ------
    ScenarioError
        Naming the file, line, change and key, and what to do.
    """
    document = load_yaml(text, source, ScenarioError)
    data, lines = document.data, document.lines
    data = {} if data is None else data
    if not isinstance(data, dict):
        raise ScenarioError(
            "a scenario file is a mapping with a name and a list of changes",
            "Start it with name: and changes: (see DESIGN.md section 4.3)",
            file=source,
            line=1,
        )
    name = data.get("name") or ""
    if not isinstance(name, str):
        raise ScenarioError(
            f"name must be text, not {name!r}", "Quote it", file=source, line=lines.get(("name",)), column="name"
        )
    unit = data.get("unit")
    if unit is not None:
        try:
            unit = normalise_unit(unit)
        except ValueError as error:
            raise ScenarioError(str(error), file=source, line=lines.get(("unit",)), column="unit") from None
    entries = data.get("changes") or []
    if not isinstance(entries, list):
        raise ScenarioError(
            "changes must be a list", "Start each change with '- kind:'", file=source, line=lines.get(("changes",))
        )
    return {
        "name": name,
        "unit": unit,
        "extra": {key: value for key, value in data.items() if key not in ("name", "unit", "changes")},
        "changes": [_ChangeReader(entry, index, lines, source, unit).read() for index, entry in enumerate(entries)],
    }
