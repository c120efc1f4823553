"""Carrying out one scenario change on a map or on a log.

The steps and handoffs a change names are looked up first: by id or by name,
and failing that ignoring case, spaces and punctuation (so ``code_review``
finds the log's ``Code review``). A name that matches nothing is refused with
the names that would. Then `vsm_widgets.future.map_changes` (maps) or
`vsm_widgets.future.log_changes` (logs) does the work. `vsm_widgets.future.scenario` adds the
file, line and change number to any error raised here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from vsm_widgets.exceptions import ScenarioError
from vsm_widgets.future import log_changes, map_changes
from vsm_widgets.future.retime import Timeline, handoffs
from vsm_widgets.model.event_log import EventLog
from vsm_widgets.model.graph import CUSTOMER, SUPPLIER
from vsm_widgets.model.stream import ValueStream
from vsm_widgets.timestamps import nanoseconds

if TYPE_CHECKING:
    from vsm_widgets.future.change import Change

MAP_ONLY = ("set_batch_size",)
"""Change kinds a log cannot replay defensibly: they apply to maps only (see ``docs/scenarios.md``)."""


def slug(text: str) -> str:
    """Lower-case words joined by underscores: ``"Code review"`` and ``"code-review"`` give ``"code_review"``."""
    return "_".join(re.findall(r"[a-z0-9]+", str(text).lower()))


def resolve(reference: str, candidates: Iterable[tuple[str, str]]) -> str | None:
    """The key of the candidate ``(key, label)`` that `reference` names: exactly, else by `slug`.

    Parameters
    ----------
    reference : str
        An id or name as a user wrote it.
    candidates : iterable of (str, str)
        Keys with their labels (a step id and its name).

    Returns
    -------
    str or None
        The key; None when nothing, or more than one candidate by slug, matches.
    """
    candidates = list(candidates)
    for key, label in candidates:
        if reference in (key, label):
            return key
    wanted = slug(reference)
    found = {key for key, label in candidates if wanted in (slug(key), slug(label))}
    return found.pop() if len(found) == 1 else None


def _unknown_step(reference: str, where: str, known: Iterable[str]) -> ScenarioError:
    return ScenarioError(f"{where} has no step '{reference}'", f"Name one of: {', '.join(known)}")


def _map_step(stream: ValueStream, reference: str) -> str:
    found = resolve(reference, ((s.id, s.name) for s in stream.steps))
    if found is None:
        raise _unknown_step(reference, "the map", stream.step_ids)
    return found


def _map_handoff(stream: ValueStream, pair: tuple[str, str]) -> tuple[str, str]:
    source = resolve(pair[0], [(SUPPLIER, stream.supplier), *((s.id, s.name) for s in stream.steps)])
    target = resolve(pair[1], [(CUSTOMER, stream.customer), *((s.id, s.name) for s in stream.steps)])
    keys = [h.key for h in stream.handoffs]
    if (source, target) not in keys:
        raise ScenarioError(
            f"the map has no handoff {pair[0]} -> {pair[1]}",
            "Name one of: " + ", ".join(f"[{a}, {b}]" for a, b in keys),
        )
    return source, target


def apply_change(stream: ValueStream, change: Change) -> ValueStream:
    """Apply one change to a map (see `vsm_widgets.future.map_changes`).

    Parameters
    ----------
    stream : ValueStream
    change : Change

    Returns
    -------
    ValueStream
    """
    kind, hours = change.kind, stream.hours_per_day
    if kind == "cap_wip":
        return map_changes.cap_wip(stream, change.limit)
    if kind in ("cut_wait", "set_wait"):
        source, target = _map_handoff(stream, change.handoff)
        if kind == "set_wait":
            return map_changes.set_wait(stream, source, target, change.duration(hours))
        if change.by is not None:
            return map_changes.cut_wait(stream, source, target, share=change.by)
        return map_changes.cut_wait(stream, source, target, to=change.duration(hours))
    if kind in ("merge_steps", "parallel"):
        ids = tuple(_map_step(stream, reference) for reference in change.steps)
        if kind == "parallel":
            _map_handoff(stream, ids)
            return map_changes.parallel(stream, *ids)
        return map_changes.merge_steps(stream, ids, change.name)
    step = _map_step(stream, change.step)
    if kind == "remove_step":
        return map_changes.remove_step(stream, step)
    if kind == "set_process_time":
        return map_changes.set_process_time(stream, step, change.duration(hours))
    if kind == "set_pct_ca":
        return map_changes.set_pct_ca(stream, step, float(change.to))
    return map_changes.set_batch_size(stream, step, float(change.to))


def _log_steps(timeline: Timeline, order: tuple[str, ...]) -> tuple[str, ...]:
    frame = timeline.frame
    present = set(frame.loc[frame["kind"] == "active", "step"])
    return tuple(name for name in order if name in present) + tuple(sorted(present - set(order)))


def _log_step(timeline: Timeline, order: tuple[str, ...], reference: str) -> str:
    names = _log_steps(timeline, order)
    found = resolve(reference, ((name, name) for name in names))
    if found is None:
        raise _unknown_step(reference, "the log", names)
    return found


def _log_handoff(timeline: Timeline, order: tuple[str, ...], pair: tuple[str, str]) -> tuple[str, str]:
    names = _log_steps(timeline, order)
    source = resolve(pair[0], [(SUPPLIER, SUPPLIER), *((n, n) for n in names)])
    target = resolve(pair[1], [(CUSTOMER, CUSTOMER), *((n, n) for n in names)])
    table = handoffs(timeline)
    made = list(dict.fromkeys(zip(table["source"], table["target"], strict=True)))
    if (source, target) not in made:
        raise ScenarioError(
            f"no item in the log went from {pair[0]} to {pair[1]}",
            "Name a handoff of the measured map: " + ", ".join(f"[{a}, {b}]" for a, b in made),
        )
    return source, target


def replay_change(
    timeline: Timeline, order: tuple[str, ...], change: Change, log: EventLog
) -> tuple[Timeline, tuple[str, ...]]:
    """Replay one change on a log's timeline (see `vsm_widgets.future.log_changes`).

    Parameters
    ----------
    timeline : Timeline
        The visits so far (after the earlier changes).
    order : tuple of str
        The active steps in flow order so far.
    change : Change
    log : EventLog
        The log being replayed: its calendar and as-of time.

    Returns
    -------
    (Timeline, tuple of str)
        The retimed visits and the new flow order.
    """
    kind, calendar = change.kind, log.calendar
    hours = calendar.hours_per_day
    if kind in MAP_ONLY:
        raise ScenarioError(
            "set_batch_size cannot be replayed on a log: an export does not record which items travelled "
            "together, so there is no measured batch to resize",
            "Apply this change to the map (vsm map --scenario), or leave it out of the scenario you replay",
        )
    if kind == "cap_wip":
        return log_changes.cap_wip(timeline, change.limit, nanoseconds(log.as_of)), order
    if kind in ("cut_wait", "set_wait"):
        source, target = _log_handoff(timeline, order, change.handoff)
        seconds = change.duration(hours).seconds if change.to is not None else None
        if kind == "set_wait":
            return log_changes.set_wait(timeline, calendar, source, target, seconds), order
        return log_changes.cut_wait(timeline, calendar, source, target, share=change.by, to_seconds=seconds), order
    if kind in ("merge_steps", "parallel"):
        names = tuple(_log_step(timeline, order, reference) for reference in change.steps)
        if kind == "parallel":
            _log_handoff(timeline, order, names)
            return log_changes.parallel(timeline, *names), order
        merged = change.name or " + ".join(names)
        if merged in set(_log_steps(timeline, order)) - set(names):
            raise ScenarioError(
                f"the merged step's name '{merged}' is already a step of the log", "Choose another name"
            )
        kept = tuple(name for name in order if name not in names)
        first = sum(1 for name in order[: order.index(names[0])] if name not in names) if names[0] in order else 0
        return log_changes.merge_steps(timeline, names, merged), (*kept[:first], merged, *kept[first:])
    step = _log_step(timeline, order, change.step)
    if kind == "remove_step":
        if len(_log_steps(timeline, order)) == 1:
            raise ScenarioError(f"'{step}' is the only step of the log", "A value stream needs at least one step")
        return log_changes.remove_step(timeline, step), tuple(name for name in order if name != step)
    if kind == "set_process_time":
        return log_changes.set_process_time(timeline, calendar, step, change.duration(hours).seconds), order
    return log_changes.set_pct_ca(timeline, step, float(change.to), _log_steps(timeline, order)), order
