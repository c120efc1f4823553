"""Future-state scenarios (DESIGN 4.3): changes traced to waste, applied to maps and replayed on logs.

A `Scenario` is a list of `Change` values (`vsm_widgets.future.change`), each naming the waste it removes,
its owner, its due date and why. Together they are the implementation plan
(`Scenario.plan`). `Scenario.apply` gives the future map (the model of each
change kind is in `vsm_widgets.future.map_changes`); `Scenario.replay` gives the future
log, item by item (`vsm_widgets.future.log_changes`), so that distributions and not only
averages can be compared. ``docs/scenarios.md`` gives the semantics of every
change kind with worked examples.

A change that names no waste, or a step or handoff the map or log does not
have, is refused with a `ScenarioError` naming the file, the line, the change
(its number and kind) and what to do.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from vsm_widgets.exceptions import ScenarioError, StreamError
from vsm_widgets.future.carry_out import MAP_ONLY, apply_change, replay_change
from vsm_widgets.future.change import Change
from vsm_widgets.future.log_changes import items_after
from vsm_widgets.future.retime import Timeline
from vsm_widgets.io.atomic import write_atomically
from vsm_widgets.io.scenario_reader import CHANGE_KINDS, read_change, read_document
from vsm_widgets.io.scenario_roundtrip import dumps_scenario_keeping
from vsm_widgets.model.event_log import EventLog
from vsm_widgets.model.stream import ValueStream
from vsm_widgets.model.waste import WASTES

__all__ = [
    "CHANGE_KINDS",
    "MAP_ONLY",
    "REVIEW_DAYS",
    "Scenario",
    "change_from_entry",
    "dumps_scenario",
    "load_scenario",
    "loads_scenario",
    "save_scenario",
]

REVIEW_DAYS = (30, 60, 90)


@dataclass(frozen=True)
class Scenario:
    """A future state: a named list of changes.

    Parameters
    ----------
    name : str
        What the future state is called, such as ``"Next two quarters"``.
    changes : tuple of Change
        In the order they are applied.
    unit : str, optional
        Unit of bare numbers given as durations in the file.
    source : str, optional
        The file it was read from, for messages.
    extra : mapping
        Other top-level keys of the file, written back on save.
    """

    name: str = ""
    changes: tuple[Change, ...] = ()
    unit: str | None = None
    source: str | None = field(default=None, compare=False)
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)

    def apply(self, stream: ValueStream) -> ValueStream:
        """The future map: every change applied in order.

        Parameters
        ----------
        stream : ValueStream
            The current state.

        Returns
        -------
        ValueStream
            Equal to `stream` when there are no changes.

        Raises
        ------
        ScenarioError
            If a change names a step or handoff the map does not have, or the map
            cannot support it (the message says which change and what to do).
        """
        current = stream
        for number, change in enumerate(self.changes, 1):
            try:
                current = apply_change(current, change)
            except (ScenarioError, StreamError) as error:
                raise self._located(number, change, error) from None
        return current

    def replay(self, log: EventLog) -> EventLog:
        """The future log: every change replayed item by item on the measured visits.

        Parameters
        ----------
        log : EventLog
            The current state, as measured.

        Returns
        -------
        EventLog
            The same items, types, calendar and conventions with retimed visits;
            ``items.started`` and ``done`` are recomputed. With no changes the visits
            equal the input's exactly.

        Raises
        ------
        ScenarioError
            If a change names a step or handoff no item went through, or is of a
            kind a log cannot replay (`MAP_ONLY`).
        """
        if not self.changes:
            return log.replace(visits=log.visits.copy(), items=log.items.copy())
        timeline = Timeline.of(log)
        order = tuple(log.steps)
        for number, change in enumerate(self.changes, 1):
            try:
                timeline, order = replay_change(timeline, order, change, log)
            except (ScenarioError, StreamError) as error:
                raise self._located(number, change, error) from None
        visits = timeline.to_visits()
        latest = visits[["start", "end"]].max().max()
        as_of = max(log.as_of, latest) if pd.notna(latest) else log.as_of
        source = f"{log.source} replayed with {self.name or 'a scenario'}".strip()
        return log.replace(
            visits=visits,
            items=items_after(log.items, visits, log.start_point),
            steps=order,
            as_of=as_of,
            source=source,
        )

    def plan(self, start_date: dt.date | str) -> pd.DataFrame:
        """The implementation plan: one row per change, with the 30/60/90-day review dates.

        Parameters
        ----------
        start_date : date or ISO string
            When the plan starts; reviews fall 30, 60 and 90 days later.

        Returns
        -------
        DataFrame
            ``change`` (its number), ``kind``, ``what``, ``waste`` (label), ``owner``, ``due``,
            ``why``, ``review_30``, ``review_60``, ``review_90``.
        """
        start = pd.Timestamp(start_date).date()
        reviews = {f"review_{days}": start + dt.timedelta(days=days) for days in REVIEW_DAYS}
        rows = [
            {
                "change": number,
                "kind": change.kind,
                "what": change.describe(),
                "waste": WASTES[change.waste].label,
                "owner": change.owner,
                "due": change.due,
                "why": change.why,
                **reviews,
            }
            for number, change in enumerate(self.changes, 1)
        ]
        columns = ["change", "kind", "what", "waste", "owner", "due", "why", *reviews]
        # Object columns keep a missing owner as None (nobody owns it), not as NaN.
        return pd.DataFrame(rows, columns=columns, dtype=object).astype({"change": int})

    def to_dict(self) -> dict[str, Any]:
        """The scenario as its file writes it."""
        data: dict[str, Any] = {"name": self.name}
        if self.unit:
            data["unit"] = self.unit
        data.update({key: value for key, value in self.extra.items() if key not in ("name", "unit", "changes")})
        data["changes"] = [change.to_dict() for change in self.changes]
        return data

    def _located(self, number: int, change: Change, error: ScenarioError | StreamError) -> ScenarioError:
        """The error met while carrying out a change, naming the file, line and change."""
        problem = error.problem if isinstance(error, ScenarioError) else str(error)
        hint = error.hint if isinstance(error, ScenarioError) else ""
        return ScenarioError(f"change {number} ({change.kind}): {problem}", hint, file=self.source, line=change.line)


def loads_scenario(text: str, source: str | None = None) -> Scenario:
    """Read a scenario from YAML text (DESIGN 4.3).

    Parameters
    ----------
    text : str
        The YAML document. An empty document is a scenario with no changes.
    source : str, optional
        The file name messages should name.

    Returns
    -------
    Scenario

    Raises
    ------
    ScenarioError
        If the text is not a valid scenario; the message names the line, the
        change and what to do.

    Examples
    --------
    >>> scenario = loads_scenario("changes: [{kind: remove_step, step: approval, waste: extra_processing}]")
    >>> scenario.changes[0].describe()
    'Remove step approval'
    """
    document = read_document(text, source)
    changes = tuple(Change(**values) for values in document["changes"])
    return Scenario(document["name"], changes, document["unit"], source=source, extra=document["extra"])


def change_from_entry(entry: Mapping[str, Any], index: int, unit: str | None = None, line: int | None = None) -> Change:
    """One change built from its keys exactly as the scenario file reader builds each of its changes.

    Parameters
    ----------
    entry : mapping
        The change's keys and values as its YAML would give them, such as
        ``{"kind": "cut_wait", "handoff": ["build", "release"], "to": "1 d", "waste": "waiting"}``.
    index : int
        Its place in the scenario, from 0.
    unit : str, optional
        The scenario's unit of bare numbers given as durations.
    line : int, optional
        Its line in the scenario's file, when it came from one.

    Returns
    -------
    Change

    Raises
    ------
    ScenarioError
        With the reader's own message (no waste, an unknown key, a value that is not a duration ...).

    Examples
    --------
    >>> change_from_entry({"kind": "remove_step", "step": "approval", "waste": "over-processing"}, 0).waste
    'extra_processing'
    """
    return Change(**read_change(dict(entry), index, unit, line=line))


def load_scenario(path: str | os.PathLike[str]) -> Scenario:
    """Read a scenario file.

    Parameters
    ----------
    path : str or PathLike
        A YAML file.

    Returns
    -------
    Scenario

    Raises
    ------
    ScenarioError
        If the file is not a valid scenario.
    FileNotFoundError
        If there is no such file.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ScenarioError("is not UTF-8 text", "Save the scenario as UTF-8 YAML", file=str(path)) from None
    return loads_scenario(text, source=str(path))


def dumps_scenario(scenario: Scenario) -> str:
    """The scenario as YAML text, as `save_scenario` writes it."""
    header = "# Future-state scenario: the format is described in docs/scenarios.md of vsm-widgets\n"
    return header + yaml.dump(scenario.to_dict(), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=120)


class _Dumper(yaml.SafeDumper):
    """Writes short lists (a handoff, the steps to merge) on one line, as people write them."""


def _represent_list(dumper: yaml.SafeDumper, data: list) -> yaml.Node:
    flow = all(isinstance(value, str) for value in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(list, _represent_list)


def save_scenario(scenario: Scenario, path: str | os.PathLike[str]) -> Path:
    """Write a scenario file atomically: a temporary file in the same folder, then a rename.

    Saved over the file it was read from, the file is kept: its comments, key
    order and each untouched value as written (`vsm_widgets.io.scenario_roundtrip`).

    Parameters
    ----------
    scenario : Scenario
    path : str or PathLike

    Returns
    -------
    pathlib.Path
        The path written.
    """
    target = Path(path)
    text = None
    if scenario.source is not None and target.is_file() and Path(scenario.source).resolve() == target.resolve():
        lines = [change.line for change in scenario.changes]
        text = dumps_scenario_keeping(scenario.to_dict(), lines, target.read_text(encoding="utf-8"))
    return write_atomically(path, text if text is not None else dumps_scenario(scenario))
