"""Reading a map document (the parsed YAML or JSON of a map file) into a `ValueStream`.

Every problem becomes a `MapFileError` that names the file, the line and the
key: the YAML text is composed once to learn the line of every key and list
item, and model errors (`StreamError`, which name a step or handoff and a
field) are pointed back at the entry they came from. `vsm_widgets.io.map_file` is
the public entry point.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from vsm_widgets.exceptions import MapFileError, StreamError
from vsm_widgets.io.yaml_document import KeyPath, YamlDocument
from vsm_widgets.model.elements import Handoff, Step
from vsm_widgets.model.field_checks import check_unit
from vsm_widgets.model.stream import ValueStream
from vsm_widgets.units import Duration, parse_duration, parse_percent

MAP_KEYS = (
    "name",
    "unit",
    "hours_per_day",
    "supplier",
    "customer",
    "demand_per_day",
    "available_time_per_day",
    "steps",
    "handoffs",
)
STEP_KEYS = (
    "id",
    "name",
    "owner",
    "process_time",
    "lead_time",
    "pct_ca",
    "value",
    "wastes",
    "staff",
    "uptime",
    "batch_size",
    "changeover",
    "notes",
)
HANDOFF_KEYS = ("from", "to", "wait", "inventory", "owner", "kind")

_STEP_DURATIONS = ("process_time", "lead_time", "changeover")
_STEP_SHARES = ("pct_ca", "uptime")
_STEP_NUMBERS = ("staff", "batch_size")
_FILE_KEY = {"source": "from", "target": "to"}  # model field -> file key of a handoff


def _spellings(data: dict, keys: tuple[str, ...]) -> dict[str, Any]:
    """The quantities as the file spells them, so a save writes "20 min" back as "20 min"."""
    return {key: data[key] for key in keys if data.get(key) is not None}


class _Reader:
    """Turns a parsed document into a stream, pointing every error at its line and key."""

    def __init__(self, document: YamlDocument) -> None:
        self.source = document.source
        self.document = document

    def fail(self, problem: str, hint: str = "", path: KeyPath = (), key: str | None = None) -> MapFileError:
        """The error for `path` (keys and list indexes); `key` names a key the entry lacks."""
        line = self.document.line_of(path)
        key = key or next((p for p in reversed(path) if isinstance(p, str)), None)
        return MapFileError(problem, hint, file=self.source, line=line, column=key)

    def read(self, data: object) -> ValueStream:
        if data is None:
            raise self.fail("the file is empty", "A map needs at least a name and a list of steps")
        if not isinstance(data, dict):
            raise self.fail(
                f"the map is a {type(data).__name__}, not a mapping of keys to values",
                "Start the file with keys such as 'name:', 'unit:' and 'steps:' (see docs/map-file.md)",
            )
        hours_per_day = data.get("hours_per_day", 24)
        # .nan slips past the range check further down and then surfaces as a bad process_time.
        if (
            isinstance(hours_per_day, bool)
            or not isinstance(hours_per_day, (int, float))
            or hours_per_day != hours_per_day
        ):
            raise self.fail(
                f"hours_per_day must be a number of hours, not {hours_per_day!r}",
                "Write 24 for calendar time or 8 for working days",
                ("hours_per_day",),
            )
        unit = data.get("unit", "days")
        try:
            unit = check_unit(unit, hours_per_day, what="")
        except StreamError as error:
            raise self.fail(str(error), "", (error.key,)) from None
        self.unit, self.hours_per_day = unit, hours_per_day
        steps_data = data.get("steps")
        if not steps_data:
            raise self.fail("the map has no steps", "Add a list under 'steps:', one entry per box", ("steps",))
        if not isinstance(steps_data, list):
            raise self.fail("'steps' must be a list", "Write each step on a line starting with '- '", ("steps",))
        handoffs_data = data.get("handoffs") or []
        if not isinstance(handoffs_data, list):
            raise self.fail(
                "'handoffs' must be a list", "Write each handoff on a line starting with '- '", ("handoffs",)
            )
        steps = [self._step(item, index) for index, item in enumerate(steps_data)]
        handoffs = [self._handoff(item, index) for index, item in enumerate(handoffs_data)]
        settings = {
            "name": data.get("name") if data.get("name") is not None else Path(self.source or "").stem,
            "unit": unit,
            "hours_per_day": hours_per_day,
            "supplier": "Supplier" if data.get("supplier") is None else data["supplier"],
            "customer": "Customer" if data.get("customer") is None else data["customer"],
            "demand_per_day": data.get("demand_per_day"),
            "available_time_per_day": self._duration(data, "available_time_per_day", ()),
            "extra": {k: v for k, v in data.items() if k not in MAP_KEYS},
            "written_as": _spellings(data, ("available_time_per_day",)),
        }
        try:
            return ValueStream(steps=steps, handoffs=handoffs, **settings)
        except StreamError as error:
            raise self.fail(str(error), "", self._locate(error, steps, handoffs)) from None

    def _locate(self, error: StreamError, steps: list[Step], handoffs: list[Handoff]) -> KeyPath:
        key = error.key
        if error.step is not None:
            indexes = [i for i, s in enumerate(steps) if s.id == error.step]
            if indexes:
                return ("steps", indexes[-1], key) if key else ("steps", indexes[-1])
        if error.handoff is not None:
            indexes = [i for i, h in enumerate(handoffs) if h.key == tuple(error.handoff)]
            if indexes:
                key = _FILE_KEY.get(key, key)
                return ("handoffs", indexes[-1], key) if key else ("handoffs", indexes[-1])
            return ("steps",)  # a handoff the map implied by listing steps in order
        return (key,) if key else ()

    def _duration(self, data: dict, key: str, path: KeyPath, what: str = "the map") -> Duration | None:
        value = data.get(key)
        if value is None:
            return None
        try:
            return parse_duration(value, self.unit, self.hours_per_day)
        except ValueError as error:
            raise self.fail(f"{what}: {error}", "", (*path, key)) from None

    def _share(self, data: dict, key: str, path: KeyPath, what: str) -> float | None:
        value = data.get(key)
        if value is None:
            return None
        try:
            return parse_percent(value)
        except ValueError as error:
            raise self.fail(f"{what}: {error}", "", (*path, key)) from None

    def _step(self, item: object, index: int) -> Step:
        path: KeyPath = ("steps", index)
        if not isinstance(item, dict):
            raise self.fail(f"step {index + 1} is not a mapping", "Give each step keys such as 'id:' and 'name:'", path)
        if item.get("id") is None or isinstance(item["id"], (dict, list)):
            raise self.fail(f"step {index + 1} has no id", "Give it a short unique id such as 'review'", path, key="id")
        step_id = str(item["id"])
        what = f"step '{step_id}'"
        if item.get("process_time") is None:
            hint = "Give its hands-on time, such as 'process_time: 2 h' (0 for none)"
            raise self.fail(f"{what} has no process_time", hint, path, key="process_time")
        fields: dict[str, Any] = {"id": step_id}
        for key in _STEP_DURATIONS:
            fields[key] = self._duration(item, key, path, what)
        for key in _STEP_SHARES:
            share = self._share(item, key, path, what)
            if share is not None:
                fields[key] = share
        for key in (*_STEP_NUMBERS, "name", "owner", "value", "notes"):
            if item.get(key) is not None:
                fields[key] = item[key]
        wastes = item.get("wastes")
        if wastes is not None:
            fields["wastes"] = (wastes,) if isinstance(wastes, str) else wastes
        fields["extra"] = {k: v for k, v in item.items() if k not in STEP_KEYS}
        fields["written_as"] = _spellings(item, (*_STEP_DURATIONS, *_STEP_SHARES))
        try:
            return Step(**fields)
        except StreamError as error:
            raise self.fail(str(error), "", (*path, error.key) if error.key else path) from None

    def _handoff(self, item: object, index: int) -> Handoff:
        path: KeyPath = ("handoffs", index)
        if not isinstance(item, dict):
            raise self.fail(f"handoff {index + 1} is not a mapping", "Write it as {from: a, to: b, wait: 2}", path)
        for key in ("from", "to"):
            if item.get(key) is None or isinstance(item[key], (dict, list)):
                hint = "Name a step id, supplier or customer"
                raise self.fail(f"handoff {index + 1} has no '{key}'", hint, path, key=key)
        what = f"handoff {item['from']} -> {item['to']}"
        fields: dict[str, Any] = {
            "source": str(item["from"]),
            "target": str(item["to"]),
            "wait": self._duration(item, "wait", path, what),
            "inventory": item.get("inventory"),
            "owner": item.get("owner"),
            "kind": item.get("kind") or "push",
            "extra": {k: v for k, v in item.items() if k not in HANDOFF_KEYS},
            "written_as": _spellings(item, ("wait",)),
        }
        try:
            return Handoff(**fields)
        except StreamError as error:
            key = _FILE_KEY.get(error.key, error.key)
            raise self.fail(str(error), "", (*path, key) if key else path) from None


def stream_from_dict(data: object, source: str | None = None, *, document: YamlDocument | None = None) -> ValueStream:
    """Build a stream from a parsed map document (the dict a YAML or JSON map file holds).

    Parameters
    ----------
    data : object
        The parsed document.
    source : str, optional
        The file name errors should name.
    document : YamlDocument, optional
        The parsed file, when there is one (`vsm_widgets.io.yaml_document`): errors then name its lines.

    Returns
    -------
    ValueStream

    Raises
    ------
    MapFileError
        If the document is not a valid map.
    """
    return _Reader(document or YamlDocument(data, source=source)).read(data)
