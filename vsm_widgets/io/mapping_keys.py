"""Each key of a mapping read, checked and turned into its value.

A mapping is written by hand, often by someone who has not read docs/exports.md
to the end; every value is checked here, and a wrong one is refused with the
file, the line, the key and what to write instead. This is apart from
`vsm_widgets.io.export_mapping`, which finds the mapping (file, dict or ready
`Mapping`) and holds it: the rules for each key's value are their own job and
most of the code.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from vsm_widgets.model.event_log import BACKLOG_RETURNS, BACKWARD_POLICIES, KINDS, START_POINTS, WHOLE_DAYS

if TYPE_CHECKING:  # the draft is only asked for its errors
    from vsm_widgets.io.export_mapping import Mapping

REFERENCE_HINT = "See the mapping reference in docs/exports.md"
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


def checked_values(draft: Mapping, content: dict[str, object], raw_keys: dict[str, list[str]]) -> dict[str, object]:
    """The value of every mapping key from the keys a mapping file or dict gives.

    Parameters
    ----------
    draft : Mapping
        An empty mapping carrying the source and the lines of the keys, to word the errors.
    content : dict
        The mapping's keys (as text) and their values as YAML read them.
    raw_keys : dict
        Top-level key -> the text of the keys under it, for status names YAML would read as booleans.

    Returns
    -------
    dict
        Keyword arguments of `Mapping` for every key but ``source``, ``lines`` and ``given``.

    Raises
    ------
    MappingError
        If a key is not a mapping key, a value is not understood, or two keys contradict each other.
    """
    for key in content:
        if key not in KEYS:
            raise draft.error("is not a mapping key", f"Use one of: {', '.join(KEYS)}. {REFERENCE_HINT}", key=key)
    values: dict[str, object] = {}
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
    return values


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
