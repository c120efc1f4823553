"""The mapping file: how a timing export's columns and statuses are read.

A mapping (YAML, JSON or a dict) renames columns to the canonical ones, fixes
the timestamp format and the time zone of naive timestamps, and for status
histories maps each status to a step as ``active`` or ``waiting``, names the
done statuses, the start point and the backward-move policy. Everything in it
is optional: what it leaves out is inferred by `vsm_widgets.io.exports` and the
inference is reported. docs/exports.md is the reference.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from vsm_widgets.exceptions import MappingError
from vsm_widgets.io.yaml_document import YamlDocument, load_yaml
from vsm_widgets.model.event_log import BACKLOG_RETURNS, BACKWARD_POLICIES, KINDS, START_POINTS, WHOLE_DAYS

SHAPES = ("intervals", "status_history", "lifecycle", "stage_dates")
CANONICAL_COLUMNS = (
    "item",
    "step",
    "status",
    "start",
    "end",
    "timestamp",
    "type",
    "actor",
    "team",
    "created",
    "from_status",
    "transition",
    "instance",
)
KEYS = (
    "shape",
    "columns",
    "timestamp_format",
    "timezone",
    "statuses",
    "done",
    "start_point",
    "backward_moves",
    "as_of",
    "end_steps",
    "stages",
    "whole_days",
    "backlog_return",
    "sheet",
)
_HINT = "See the mapping reference in docs/exports.md"


@dataclass(frozen=True)
class StatusRule:
    """Where one status (or step name) goes: the step it counts towards and its kind.

    Parameters
    ----------
    step : str
        The step (or waiting state) name the status's time is reported under.
    kind : str
        ``"active"`` or ``"waiting"``.
    """

    step: str
    kind: str


@dataclass(frozen=True)
class Mapping:
    """How to read one timing export.

    Parameters
    ----------
    shape : str or None
        ``"intervals"``, ``"status_history"``, ``"lifecycle"`` or ``"stage_dates"``; None to infer from the columns.
    columns : dict
        Canonical column name -> the export's column name.
    timestamp_format : str or None
        A ``strptime`` format for every timestamp column, or ``epoch_s``, ``epoch_ms`` or ``excel`` for
        times written as numbers; None to recognise ISO 8601 and common forms.
    timezone : str
        IANA zone of naive timestamps.
    statuses : dict
        Status (or step) name -> `StatusRule`, in flow order.
    done : tuple of str
        Statuses that mean the item is finished.
    start_point : str
        ``"first_active"``, ``"first_status"`` or ``"created"``.
    backward_moves : str
        ``"keep"``, ``"first"`` or ``"last"``.
    as_of : Timestamp or None
        The moment the export describes; None for its latest timestamp.
    end_steps : tuple of str
        Interval logs: an item is finished once it has completed a visit to one of these steps.
    stages : tuple of str
        Stage-date CSVs: the columns that hold the date each stage was entered, in workflow
        order; empty for every date column in file order.
    whole_days : str
        ``"exact"``, ``"exclusive"`` or ``"inclusive"``: lead time in calendar dates beside the exact time.
    backlog_return : str
        ``"keep"`` or ``"restart"``: whether the clock restarts after a return to the backlog.
    sheet : str, int or None
        XLSX sheet name or 0-based position; None for the first sheet.
    source : str
        Where the mapping came from (its path), for error messages.
    given : frozenset of str
        The keys the mapping set explicitly; the rest are defaults.
    lines : dict
        Key path (``"statuses.Blocked"``) -> line in the mapping file, for error messages.
    """

    shape: str | None = None
    columns: dict[str, str] = field(default_factory=dict)
    timestamp_format: str | None = None
    timezone: str = "UTC"
    statuses: dict[str, StatusRule] = field(default_factory=dict)
    done: tuple[str, ...] = ()
    start_point: str = "first_active"
    backward_moves: str = "keep"
    as_of: pd.Timestamp | None = None
    end_steps: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    whole_days: str = "exact"
    backlog_return: str = "keep"
    sheet: str | int | None = None
    source: str = ""
    given: frozenset[str] = frozenset()
    lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    def error(self, problem: str, hint: str = _HINT, key: str | None = None) -> MappingError:
        """A `MappingError` that names this mapping's file and the line of `key`."""
        line = self.lines.get(key) if key else None
        if line is None and key and "." in key:
            line = self.lines.get(key.split(".", 1)[0])
        # "key 'sheet' must be ..." reads as a sentence; other problems follow a colon.
        joiner = " " if problem.split(" ", 1)[0] in ("is", "has", "must", "names") else ": "
        text = f"key '{key}'{joiner}{problem}" if key else problem
        return MappingError(text, hint, file=self.source or None, line=line)

    @property
    def active_steps(self) -> tuple[str, ...]:
        """Active steps in the order the statuses list them: the flow order."""
        return tuple(dict.fromkeys(rule.step for rule in self.statuses.values() if rule.kind == "active"))


def load_mapping(spec: str | Path | dict | Mapping | None) -> Mapping:
    """Read and check a mapping.

    Parameters
    ----------
    spec : path, dict, Mapping or None
        A YAML or JSON file, the same content as a dict, a ready `Mapping`
        (returned as it is), or None for an empty mapping (everything inferred).

    Returns
    -------
    Mapping

    Raises
    ------
    MappingError
        If the file is missing or not YAML, or a key or value is not understood;
        the message names the file, the line, the key and what to do.

    Examples
    --------
    >>> m = load_mapping({"statuses": {"In Progress": "Development", "Blocked": {"kind": "waiting"}}})
    >>> m.statuses["In Progress"]
    StatusRule(step='Development', kind='active')
    >>> m.active_steps
    ('Development',)
    """
    if isinstance(spec, Mapping):
        return spec
    if spec is None:
        return Mapping()
    if isinstance(spec, dict):
        return _build(spec, source="", lines={})
    path = Path(spec)
    if not path.is_file():
        raise MappingError(
            "the mapping file does not exist" if not path.exists() else "the mapping path is not a file",
            "Check the path of the mapping file (the mapping argument, or --mapping on the command line)",
            file=path,
        )
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise MappingError("the mapping file is not UTF-8 text", "Save it as UTF-8 YAML", file=path) from None
    document = load_yaml(text, str(path), MappingError)
    content = document.data
    if content is None:
        content = {}
    if not isinstance(content, dict):
        raise MappingError(
            "the mapping must be a set of keys such as 'columns:' and 'statuses:'", _HINT, file=path, line=1
        )
    lines, raw_keys = _dotted(document)
    return _build(content, source=str(path), lines=lines, raw_keys=raw_keys)


def _dotted(document: YamlDocument) -> tuple[dict[str, int], dict[str, list[str]]]:
    """Lines of the top-level keys and of the keys one level down (``"statuses.Blocked"``), and the raw key text.

    The raw text matters for statuses: YAML 1.1 reads a status called ``On``
    or ``No`` as a boolean, and the user meant the word.
    """
    lines = {".".join(map(str, path)): line for path, line in document.lines.items() if len(path) <= 2}
    raw_keys = {path[0]: keys for path, keys in document.raw_keys.items() if len(path) == 1}
    return lines, raw_keys


def _build(
    content: dict, *, source: str, lines: dict[str, int], raw_keys: dict[str, list[str]] | None = None
) -> Mapping:
    draft = Mapping(source=source, lines=lines)
    raw_keys = raw_keys or {}
    content = {str(k): v for k, v in content.items()}
    for key in content:
        if key not in KEYS:
            raise draft.error("is not a mapping key", f"Use one of: {', '.join(KEYS)}. {_HINT}", key=key)
    values: dict[str, object] = {"source": source, "lines": lines, "given": frozenset(content)}
    values["shape"] = _choice(draft, content, "shape", SHAPES, None)
    values["columns"] = _columns(draft, content.get("columns"))
    values["timestamp_format"] = _text(draft, content, "timestamp_format")
    values["timezone"] = _timezone(draft, content)
    values["statuses"] = _statuses(draft, content.get("statuses"), raw_keys.get("statuses"))
    values["done"] = _names(draft, content, "done")
    values["start_point"] = _choice(draft, content, "start_point", START_POINTS, "first_active")
    values["backward_moves"] = _choice(draft, content, "backward_moves", BACKWARD_POLICIES, "keep")
    values["as_of"] = _as_of(draft, content)
    values["end_steps"] = _names(draft, content, "end_steps")
    values["stages"] = _names(draft, content, "stages")
    values["whole_days"] = _choice(draft, content, "whole_days", WHOLE_DAYS, "exact")
    values["backlog_return"] = _choice(draft, content, "backlog_return", BACKLOG_RETURNS, "keep")
    values["sheet"] = _sheet(draft, content)
    both = [status for status in values["done"] if status in values["statuses"]]
    if both:
        raise draft.error(
            f"status '{both[0]}' is both done and mapped to a step",
            "A done status ends the item; remove it from 'statuses:' or from 'done:'",
            key=f"statuses.{both[0]}",
        )
    if values["shape"] == "intervals" and "backward_moves" in content and values["backward_moves"] != "keep":
        raise draft.error(
            "backward-move policies apply to status histories only",
            "Interval logs keep every visit; remove 'backward_moves:' or use shape: status_history",
            key="backward_moves",
        )
    return Mapping(**values)


def _choice(draft: Mapping, content: dict, key: str, allowed: tuple[str, ...], default: str | None) -> str | None:
    if key not in content or content[key] is None:
        return default
    value = str(content[key]).strip()
    if value not in allowed:
        raise draft.error(f"{content[key]!r} is not understood", f"Use one of: {', '.join(allowed)}", key=key)
    return value


def _text(draft: Mapping, content: dict, key: str) -> str | None:
    value = content.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise draft.error("must be text", 'Quote it, for example "%d/%m/%Y %H:%M"', key=key)
    return value


def _timezone(draft: Mapping, content: dict) -> str:
    zone = content.get("timezone")
    if zone is None:
        return "UTC"
    try:
        pd.Timestamp("2026-01-01").tz_localize(str(zone))
    except Exception:
        raise draft.error(
            f"{zone!r} is not a time zone", "Use an IANA name such as Europe/Berlin or UTC", key="timezone"
        ) from None
    return str(zone)


def _columns(draft: Mapping, value: object) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise draft.error(
            "must map canonical names to the export's column names",
            "Write for example columns: {item: Issue key, status: Status, timestamp: Changed}",
            key="columns",
        )
    columns: dict[str, str] = {}
    for canonical, column in value.items():
        name = str(canonical)
        if name not in CANONICAL_COLUMNS:
            raise draft.error(
                "is not a canonical column",
                f"Use one of: {', '.join(CANONICAL_COLUMNS)}, each mapped to a column of the export",
                key=f"columns.{name}",
            )
        if column is None or (isinstance(column, str) and not column.strip()):
            raise draft.error("names no column", "Give the export's column name after the colon", key=f"columns.{name}")
        columns[name] = str(column)
    taken: dict[str, str] = {}
    for canonical, column in columns.items():
        if column in taken:
            raise draft.error(
                f"column '{column}' is already used for '{taken[column]}'",
                "Each export column can fill one canonical column",
                key=f"columns.{canonical}",
            )
        taken[column] = canonical
    return columns


def _statuses(draft: Mapping, value: object, raw_names: list[str] | None) -> dict[str, StatusRule]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise draft.error(
            "must map each status to a step and kind",
            "Write for example  In Progress: {step: Development, kind: active}  or  Blocked: {kind: waiting}",
            key="statuses",
        )
    names = raw_names if raw_names and len(raw_names) == len(value) else [str(k) for k in value]
    rules: dict[str, StatusRule] = {}
    for name, rule in zip(names, value.values(), strict=True):
        key = f"statuses.{name}"
        if isinstance(rule, str):
            rules[name] = StatusRule(rule.strip() or name, "active")
            continue
        if rule is None:
            raise draft.error(
                "has no step or kind", "Write  Status: Step  (an active step) or  Status: {kind: waiting}", key=key
            )
        if not isinstance(rule, dict):
            raise draft.error(
                f"{rule!r} is not a step", "Write  Status: Step  or  Status: {step: Step, kind: active}", key=key
            )
        unknown = [str(k) for k in rule if str(k) not in ("step", "kind")]
        if unknown:
            raise draft.error(f"'{unknown[0]}' is not understood", "A status takes 'step' and 'kind' only", key=key)
        kind = str(rule.get("kind", "active")).strip()
        if kind not in KINDS:
            hint = "Use kind: active or kind: waiting"
            if kind == "done":
                hint = "List done statuses under 'done:' instead"
            raise draft.error(f"kind '{kind}' is not understood", hint, key=key)
        step = rule.get("step", name)
        if step is None or not str(step).strip():
            raise draft.error("has an empty step", "Give a step name or leave 'step' out", key=key)
        rules[name] = StatusRule(str(step).strip(), kind)
    kinds: dict[str, str] = {}
    for name, rule in rules.items():
        if kinds.setdefault(rule.step, rule.kind) != rule.kind:
            raise draft.error(
                f"step '{rule.step}' is both active and waiting",
                "Statuses that share a step must share its kind; give the waiting status its own name",
                key=f"statuses.{name}",
            )
    return rules


def _names(draft: Mapping, content: dict, key: str) -> tuple[str, ...]:
    value = content.get(key)
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
        raise draft.error("must be a list of names", f"Write for example {key}: [Done, Closed]", key=key)
    return tuple(str(v) for v in value)


def _as_of(draft: Mapping, content: dict) -> pd.Timestamp | None:
    value = content.get("as_of")
    if value is None:
        return None
    try:
        stamp = pd.Timestamp(value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else str(value))
    except (ValueError, TypeError):
        stamp = pd.NaT
    if pd.isna(stamp):
        raise draft.error(
            f"{value!r} is not a timestamp", "Write an ISO 8601 time such as 2026-06-30T00:00:00Z", key="as_of"
        )
    if not pd.Timestamp.min < stamp.tz_localize(None) < pd.Timestamp.max:
        raise draft.error(
            f"'{value}' lies outside the times a nanosecond timestamp holds ({pd.Timestamp.min:%Y-%m-%d} to "
            f"{pd.Timestamp.max:%Y-%m-%d})",
            "Give the moment the export describes, usually the day it was taken",
            key="as_of",
        )
    return stamp


def _sheet(draft: Mapping, content: dict) -> str | int | None:
    value = content.get("sheet")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise draft.error(
            "must be a sheet name or its position (0 = first)", "Write for example sheet: Transitions", key="sheet"
        )
    return value
