"""The row of one step in `StepEditor`: what a coach reads aloud in the row, the rest in a details panel.

The row holds the step's name, owner, process time and %C&A and its buttons;
its messages sit on a line under it (`RowMessages`); the details panel under
that holds block lead time, value class, wastes, staff and id, and opens from
the arrow at the left of the row.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import ipywidgets as widgets

from vsm_widgets.model.stream import Step, ValueStream
from vsm_widgets.model.waste import UNCLASSIFIED, VALUE_CLASSES, WASTES
from vsm_widgets.widgets._controls import (
    Field,
    choice_field,
    format_duration,
    format_number,
    format_percent,
    icon_button,
    tags_field,
    text_field,
)
from vsm_widgets.widgets._rows import RowMessages

if TYPE_CHECKING:
    from vsm_widgets.widgets.step_editor import StepEditor

WIDTHS = {
    "toggle": "2.6em",
    "name": "14em",
    "owner": "11em",
    "process_time": "7.5em",
    "pct_ca": "5.5em",
    "id": "10em",
    "lead_time": "8em",
    "value": "15em",
    "wastes": "22em",
    "staff": "5em",
    "button": "2.6em",
}
HEADINGS = {"toggle": "", "name": "Step", "owner": "Owner", "process_time": "Process time", "pct_ca": "%C&A"}
_CAPTIONS = {
    "id": "Id",
    "name": "Step",
    "owner": "Owner",
    "process_time": "Process time",
    "lead_time": "Block lead time",
    "pct_ca": "%C&A",
    "value": "Value class",
    "wastes": "Wastes",
    "staff": "Staff",
}
_IN_ROW = ("name", "owner", "process_time", "pct_ca")
_IN_DETAILS = ("lead_time", "value", "wastes", "staff", "id")
_VALUE_OPTIONS = [*((v.label, v.key) for v in VALUE_CLASSES.values()), (UNCLASSIFIED.label, UNCLASSIFIED.key)]


def _waste_labels(keys: tuple[str, ...]) -> list[str]:
    return [WASTES[key].label for key in keys]


class StepRow(widgets.VBox):
    """The fields and buttons of one step, its messages and its details panel; reports to its editor."""

    def __init__(self, step_id: str, editor: StepEditor, layouts: dict[str, widgets.Layout]) -> None:
        self.step_id = step_id
        report = editor._on_entry
        entry: Callable[[str, object], None] = lambda key, raw: report(self.step_id, key, raw)  # noqa: E731
        self.fields: dict[str, Field] = {
            "name": text_field("name", entry, layout=layouts["name"]),
            "owner": text_field("owner", entry, layout=layouts["owner"], placeholder="nobody"),
            "process_time": text_field(
                "process_time",
                entry,
                layout=layouts["process_time"],
                tooltip="a number in the map's unit, or a number and a unit such as '2.5 h' or '10 min'",
            ),
            "pct_ca": text_field(
                "pct_ca", entry, layout=layouts["pct_ca"], tooltip="percent complete and accurate: '95%' or 0.95"
            ),
            "lead_time": text_field(
                "lead_time",
                entry,
                layout=layouts["lead_time"],
                placeholder="= process time",
                tooltip="elapsed time through the step, at least its process time; empty when not measured",
            ),
            "value": choice_field(_VALUE_OPTIONS, UNCLASSIFIED.key, "value", entry, layout=layouts["value"]),
            "wastes": tags_field([], "wastes", entry, layout=layouts["wastes"]),
            "staff": text_field("staff", entry, layout=layouts["staff"]),
            "id": text_field(
                "id",
                entry,
                layout=layouts["id"],
                tooltip="the key arrows and scenarios use; follows the name until saved",
            ),
        }
        act = editor._on_action
        button = layouts["button"]
        self.toggle = icon_button(
            "angle-down",
            "details: block lead time, value class, wastes, staff, id",
            self.toggle_details,
            layout=layouts["toggle"],
        )
        self.insert_after = icon_button(
            "plus",
            "insert a step after this one (it takes over the arrow out of it)",
            lambda: act(self.step_id, "insert_after"),
            layout=button,
        )
        self.insert_parallel = icon_button(
            "code-branch",
            "insert a step parallel to this one (same arrows in and out)",
            lambda: act(self.step_id, "insert_parallel"),
            layout=button,
        )
        self.up = icon_button("arrow-up", "move earlier", lambda: act(self.step_id, "up"), layout=button)
        self.down = icon_button("arrow-down", "move later", lambda: act(self.step_id, "down"), layout=button)
        self.duplicate = icon_button(
            "copy", "duplicate this step", lambda: act(self.step_id, "duplicate"), layout=button
        )
        self.delete = icon_button("trash", "delete this step", lambda: act(self.step_id, "delete"), layout=button)
        main = widgets.HBox(
            [
                self.toggle,
                *(self.fields[key] for key in _IN_ROW),
                self.insert_after,
                self.insert_parallel,
                self.up,
                self.down,
                self.duplicate,
                self.delete,
            ]
        )
        main.add_class("vsm-step-main")
        self.messages = RowMessages(self.fields, _CAPTIONS)
        self.details = widgets.Box(
            [self._captioned(key) for key in _IN_DETAILS],
            layout=widgets.Layout(display="none", flex_flow="row wrap", padding="0 0 6px 2.8em"),
        )
        self.details.add_class("vsm-step-details")
        super().__init__(children=(main, self.messages, self.details))
        self.add_class("vsm-step-row")
        self._css = ""
        self._name_css(step_id)

    def _captioned(self, key: str) -> widgets.Widget:
        caption = widgets.HTML(f"<small>{_CAPTIONS[key]}</small>")
        return widgets.VBox([caption, self.fields[key]], layout=widgets.Layout(margin="0 1em 0 0"))

    def _name_css(self, step_id: str) -> None:
        # DOM classes carry the id so that browser tests and styles find a step's fields.
        old, new = self._css, f"vsm-step-{step_id}"
        for widget, suffix in ((self, ""), *((f.input, f"-{key}") for key, f in self.fields.items())):
            if old:
                widget.remove_class(old + suffix)
            widget.add_class(new + suffix)
        self._css = new

    def rekey(self, step_id: str) -> None:
        """Follow a new id of the step shown."""
        self.step_id = step_id
        self._name_css(step_id)

    @property
    def details_open(self) -> bool:
        """Whether the details panel is showing."""
        return self.details.layout.display != "none"

    def toggle_details(self) -> None:
        """Open the details panel under the row, or close it."""
        self.details.layout.display = "none" if self.details_open else "flex"
        self.toggle.icon = "angle-up" if self.details_open else "angle-down"

    def show(self, step: Step, stream: ValueStream, first: bool, last: bool, reset: bool = False) -> None:
        unit, day = stream.unit, stream.hours_per_day
        values = {
            "name": step.name,
            "owner": step.owner or "",
            "process_time": format_duration(step.process_time, unit, day),
            "pct_ca": format_percent(step.pct_ca),
            "lead_time": format_duration(step.lead_time, unit, day),
            "value": step.value,
            "wastes": _waste_labels(step.wastes),
            "staff": format_number(step.staff),
            "id": step.id,
        }
        for key, value in values.items():
            if reset:
                self.fields[key].model_text = None
            self.fields[key].show_model(value)
        self.up.disabled = first
        self.down.disabled = last
