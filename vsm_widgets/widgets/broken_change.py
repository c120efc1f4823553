"""`BrokenChange`: which change of the future state an edit of the map broke, in step names, and two ways out.

Deleting or rewiring a step can leave a scenario's change pointing at
nothing ("no handoff build -> release"). The explorer then shows the current
state; this widget says which change no longer fits, naming steps as people
call them (a deleted step by the name it had), and offers to drop the change
or point it at another step or arrow of the map as it is now.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import ipywidgets as widgets

from vsm_widgets.exceptions import ScenarioError, VsmError
from vsm_widgets.future.change import Change
from vsm_widgets.future.scenario import Scenario
from vsm_widgets.model.stream import ValueStream
from vsm_widgets.widgets._messages import message_label, show_message

_STEP_KINDS = ("remove_step", "set_process_time", "set_pct_ca", "set_batch_size")
_ARROW_KINDS = ("cut_wait", "set_wait")


def first_broken(scenario: Scenario, stream: ValueStream) -> tuple[int, Change, str] | None:
    """The first change that cannot be carried out on `stream`, with the model's reason.

    Parameters
    ----------
    scenario : Scenario
    stream : ValueStream
        The current state.

    Returns
    -------
    (index, change, problem) or None
        The change's place in the list (from 0); None when every change fits.
    """
    for index, change in enumerate(scenario.changes):
        try:
            Scenario(changes=scenario.changes[: index + 1]).apply(stream)
        except (ScenarioError, ValueError, VsmError) as error:
            problem = error.problem if isinstance(error, ScenarioError) else str(error)
            return index, change, problem.split(": ", 1)[-1]
    return None


def describe_broken(index: int, change: Change, problem: str, stream: ValueStream, names: dict[str, str]) -> str:
    """Which change no longer fits, in step names: ``change 1 (cut wait, Build → Release) no longer fits ...``.

    Parameters
    ----------
    index : int
        The change's place in the scenario, from 0.
    change : Change
    problem : str
        The model's reason, from `first_broken`.
    stream : ValueStream
        The current state.
    names : dict of str to str
        Names of steps the map once had, by id: a step deleted since is named as it was.

    Returns
    -------
    str
    """

    def name(node: str) -> str:
        return stream.label(node) if node in (*stream.step_ids, "supplier", "customer") else names.get(node, node)

    if change.kind in _STEP_KINDS:
        where = name(change.step or "")
    elif change.kind in _ARROW_KINDS:
        where = " → ".join(name(node) for node in change.handoff or ())
    else:
        where = ", ".join(name(node) for node in change.steps) or "the map"
    return f"change {index + 1} ({change.kind.replace('_', ' ')}, {where}) no longer fits the map: {problem}"


class BrokenChange(widgets.VBox):
    """Say which change the map no longer supports, and drop it or re-target it.

    Parameters
    ----------
    on_fix : callable
        Called with the mended `Scenario` when the coach drops or re-targets the change.

    Attributes
    ----------
    text : str
        What is shown, as plain text; empty while every change fits.
    target : ipywidgets.Dropdown
        The steps (or arrows) of the map the change can point at instead.
    drop_button, retarget_button : ipywidgets.Button
    """

    def __init__(self, on_fix: Callable[[Scenario], None]) -> None:
        self._on_fix = on_fix
        self._names: dict[str, str] = {}
        self._broken: tuple[Scenario, int, Change] | None = None
        self.text = ""
        self._message = message_label()
        self._message.add_class("vsm-view-message")
        self.drop_button = widgets.Button(description="Drop this change", icon="trash", layout={"width": "auto"})
        self.target = widgets.Dropdown(layout={"width": "22em"})
        self.retarget_button = widgets.Button(description="Point it here", icon="crosshairs", layout={"width": "auto"})
        self.drop_button.on_click(lambda _button: self.drop())
        self.retarget_button.on_click(lambda _button: self.retarget())
        self._actions = widgets.HBox([self.drop_button, self.target, self.retarget_button])
        self._actions.layout.display = "none"
        super().__init__(children=(self._message, self._actions))
        self.add_class("vsm-broken-change")

    def remember(self, stream: ValueStream) -> None:
        """Note the names of a map's steps, so a step deleted later is still named as people knew it."""
        self._names.update((step.id, step.name) for step in stream.steps)

    def show(self, scenario: Scenario, stream: ValueStream) -> bool:
        """Check `scenario` against `stream`; show what is broken, or clear.

        Returns
        -------
        bool
            True when a change no longer fits (and is shown).
        """
        found = first_broken(scenario, stream)
        if found is None:
            self.clear()
            return False
        index, change, problem = found
        if change.kind in _STEP_KINDS:
            options = [(step.name, step.id) for step in stream.steps]
        elif change.kind in _ARROW_KINDS:
            options = [(f"{stream.label(h.source)} → {stream.label(h.target)}", h.key) for h in stream.handoffs]
        else:
            options = []
        self.text = (
            "The future state cannot be drawn, so the current state is shown: "
            f"{describe_broken(index, change, problem, stream, self._names)}. "
            + ("Drop it, or point it at another step or arrow." if options else "Drop it, or edit the scenario.")
        )
        show_message(self._message, self.text)
        self._broken = (scenario, index, change)
        self.target.options = options
        self.target.layout.display = self.retarget_button.layout.display = "" if options else "none"
        self._actions.layout.display = "flex"
        return True

    def clear(self) -> None:
        """Show nothing: every change fits, or no future is shown."""
        if self.text:
            self.text = ""
            show_message(self._message, "")
        self._broken = None
        self._actions.layout.display = "none"

    def _mend(self, changes: list[Change]) -> None:
        scenario, _index, _change = self._broken
        self._on_fix(dataclasses.replace(scenario, changes=tuple(changes)))

    def drop(self) -> None:
        """Take the broken change out of the scenario (the Drop button)."""
        if self._broken is not None:
            scenario, index, _change = self._broken
            self._mend([c for i, c in enumerate(scenario.changes) if i != index])

    def retarget(self) -> None:
        """Point the broken change at the step or arrow chosen (the Point it here button)."""
        if self._broken is None or self.target.value is None:
            return
        scenario, index, change = self._broken
        key = "step" if change.kind in _STEP_KINDS else "handoff"
        mended = dataclasses.replace(change, **{key: self.target.value})
        self._mend([mended if i == index else c for i, c in enumerate(scenario.changes)])
