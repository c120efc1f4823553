"""`StepEditor`: a table of the boxes of a value stream map, one row per step.

A thin view over the immutable model: every valid entry makes a new
`ValueStream` (through the model's own edits) and sets the editor's `stream`
trait, which other widgets observe. An entry the model refuses shows the
model's message beside the field and leaves `stream` as it was.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets
import traitlets

from vsm_widgets.exceptions import VsmError
from vsm_widgets.model.stream import Step, ValueStream
from vsm_widgets.model.waste import VALUE_CLASSES, WASTES, normalise_waste
from vsm_widgets.widgets._controls import (
    Field,
    choice_field,
    column_layouts,
    format_duration,
    format_number,
    format_percent,
    heading_row,
    icon_button,
    message_label,
    place_rows,
    read_duration,
    read_number,
    read_percent,
    read_text,
    show_message,
    tags_field,
    text_field,
)

_WIDTHS = {
    "id": "8em",
    "name": "13em",
    "owner": "11em",
    "process_time": "7.5em",
    "lead_time": "7.5em",
    "pct_ca": "5.5em",
    "value": "15em",
    "wastes": "17em",
    "staff": "4.5em",
    "button": "2.6em",
}
_HEADINGS = {
    "id": "id",
    "name": "Step",
    "owner": "Owner",
    "process_time": "Process time",
    "lead_time": "Block lead time",
    "pct_ca": "%C&A",
    "value": "Value class",
    "wastes": "Wastes",
    "staff": "Staff",
}
_VALUE_OPTIONS = [(v.label, v.key) for v in VALUE_CLASSES.values()]
_WASTE_LABELS = [w.label for w in WASTES.values()]


def _waste_labels(keys: tuple[str, ...]) -> list[str]:
    return [WASTES[key].label for key in keys]


def _unique_id(base: str, taken: tuple[str, ...]) -> str:
    if base not in taken:
        return base
    number = 2
    while f"{base}_{number}" in taken:
        number += 1
    return f"{base}_{number}"


class _StepRow(widgets.HBox):
    """The fields and buttons of one step; reports entries and clicks to its editor."""

    def __init__(self, step_id: str, editor: StepEditor, layouts: dict[str, widgets.Layout]) -> None:
        self.step_id = step_id
        report = editor._on_entry
        entry: Callable[[str, object], None] = lambda key, raw: report(self.step_id, key, raw)  # noqa: E731
        css = f"vsm-step-{step_id}"
        self.id_label = widgets.Label(step_id, layout=layouts["id"])
        self.fields: dict[str, Field] = {
            "name": text_field("name", entry, layout=layouts["name"], css=f"{css}-name"),
            "owner": text_field("owner", entry, layout=layouts["owner"], placeholder="nobody", css=f"{css}-owner"),
            "process_time": text_field(
                "process_time",
                entry,
                layout=layouts["process_time"],
                tooltip="a number in the map's unit, or a number and a unit such as '2.5 h' or '10 min'",
                css=f"{css}-process_time",
            ),
            "lead_time": text_field(
                "lead_time",
                entry,
                layout=layouts["lead_time"],
                placeholder="= process time",
                tooltip="elapsed time through the step, at least its process time; empty when not measured",
                css=f"{css}-lead_time",
            ),
            "pct_ca": text_field(
                "pct_ca",
                entry,
                layout=layouts["pct_ca"],
                tooltip="percent complete and accurate: '95%' or 0.95",
                css=f"{css}-pct_ca",
            ),
            "value": choice_field(_VALUE_OPTIONS, "va", "value", entry, layout=layouts["value"], css=f"{css}-value"),
            "wastes": tags_field(_WASTE_LABELS, [], "wastes", entry, layout=layouts["wastes"], css=f"{css}-wastes"),
            "staff": text_field("staff", entry, layout=layouts["staff"], css=f"{css}-staff"),
        }
        act = editor._on_action
        self.up = icon_button("arrow-up", "move earlier", lambda: act(self.step_id, "up"), layout=layouts["button"])
        self.down = icon_button("arrow-down", "move later", lambda: act(self.step_id, "down"), layout=layouts["button"])
        self.duplicate = icon_button(
            "copy", "duplicate this step", lambda: act(self.step_id, "duplicate"), layout=layouts["button"]
        )
        self.delete = icon_button(
            "trash", "delete this step", lambda: act(self.step_id, "delete"), layout=layouts["button"]
        )
        super().__init__(
            children=(self.id_label, *self.fields.values(), self.up, self.down, self.duplicate, self.delete)
        )
        self.add_class("vsm-step-row")
        self.add_class(css)

    def show(self, step: Step, stream: ValueStream, first: bool, last: bool) -> None:
        unit, day = stream.unit, stream.hours_per_day
        fields = self.fields
        fields["name"].show_model(step.name)
        fields["owner"].show_model(step.owner or "")
        fields["process_time"].show_model(format_duration(step.process_time, unit, day))
        fields["lead_time"].show_model(format_duration(step.lead_time, unit, day))
        fields["pct_ca"].show_model(format_percent(step.pct_ca))
        fields["value"].show_model(step.value)
        fields["wastes"].show_model(_waste_labels(step.wastes))
        fields["staff"].show_model(format_number(step.staff))
        self.up.disabled = first
        self.down.disabled = last


class StepEditor(widgets.VBox):
    """Edit the steps of a value stream map: one row per step.

    Each row holds the step's name, owner, process time and block lead time
    (a number in the map's unit, or a number with its own unit such as
    ``"2.5 h"``), %C&A, value class, wastes and staff, with buttons to move
    the step earlier or later, duplicate it or delete it. "Add step" appends
    a new step at the end of the flow.

    Parameters
    ----------
    stream : ValueStream
        The map to edit.

    Attributes
    ----------
    stream : ValueStream
        The current map (a traitlet: observe it, or set it to show another map).
        Every valid entry replaces it with a new stream; an invalid one leaves it.
    rows : dict of str to row
        The row of each step id; ``rows[id].fields[key]`` is a `Field` whose
        ``input`` a user types into and whose ``message`` says why an entry was refused.
    message : str
        The latest message about adding, moving, duplicating or deleting a step.

    Examples
    --------
    >>> from vsm_widgets.units import Duration
    >>> editor = StepEditor(ValueStream("Demo", [Step("build", "Build", process_time=Duration.of(2, "days"))]))
    >>> editor.rows["build"].fields["process_time"].input.value = "3"
    >>> editor.stream.step("build").process_time.to("days")
    3.0
    >>> editor.rows["build"].fields["process_time"].input.value = "soon"
    >>> editor.stream.step("build").process_time.to("days")
    3.0
    """

    stream = traitlets.Instance(ValueStream)

    def __init__(self, stream: ValueStream, **kwargs: object) -> None:
        self._layouts = column_layouts(_WIDTHS)
        self.rows: dict[str, _StepRow] = {}
        self._syncing = False
        self._message_text = ""
        self._rows_box = widgets.VBox()
        self.add_button = widgets.Button(
            description="Add step", icon="plus", tooltip="add a step at the end of the flow"
        )
        self.add_button.add_class("vsm-add-step")
        self.add_button.on_click(lambda _button: self.add_step())
        self._message = message_label()
        header = heading_row(_HEADINGS, self._layouts)
        super().__init__(children=(header, self._rows_box, widgets.HBox([self.add_button, self._message])), **kwargs)
        self.add_class("vsm-step-editor")
        self.layout.overflow = "auto"  # a narrow notebook scrolls the table rather than squeezing it
        self.stream = stream

    @traitlets.observe("stream")
    def _show_stream(self, change: dict) -> None:
        stream: ValueStream = change["new"]
        self._syncing = True
        try:
            ids = list(stream.step_ids)
            place_rows(self.rows, ids, lambda step_id: _StepRow(step_id, self, self._layouts), self._rows_box)
            for index, step in enumerate(stream.steps):
                self.rows[step.id].show(step, stream, index == 0, index == len(ids) - 1)
        finally:
            self._syncing = False

    @property
    def message(self) -> str:
        """The latest message about a row action, as plain text; empty when the last action worked."""
        return self._message_text

    def _say(self, text: str) -> None:
        self._message_text = text
        show_message(self._message, text)

    def _read(self, key: str, raw: object) -> object:
        stream = self.stream
        if key in ("name", "notes"):
            return str(raw).strip()
        if key == "owner":
            return read_text(str(raw))
        if key == "process_time":
            return read_duration(str(raw), stream.unit, stream.hours_per_day)
        if key == "lead_time":
            return read_duration(str(raw), stream.unit, stream.hours_per_day, optional=True)
        if key == "pct_ca":
            return read_percent(str(raw))
        if key == "staff":
            return read_number(str(raw), positive=True)
        if key == "wastes":
            return tuple(normalise_waste(label) for label in raw)
        return raw

    def _on_entry(self, step_id: str, key: str, raw: object) -> None:
        if self._syncing:
            return
        field = self.rows[step_id].fields[key]
        try:
            value = self._read(key, raw)
            step = self.stream.step(step_id)
            edited = self.stream.with_step(step.replace(**{key: value}))
        except (ValueError, VsmError) as error:
            field.show_message(str(error))
            return
        field.show_message("")
        self.stream = edited

    def _on_action(self, step_id: str, action: str) -> None:
        try:
            if action == "up":
                edited = self.stream.move_step(step_id, -1)
            elif action == "down":
                edited = self.stream.move_step(step_id, 1)
            elif action == "duplicate":
                step = self.stream.step(step_id)
                copy = step.replace(id=_unique_id(f"{step_id}_copy", self.stream.step_ids), name=f"{step.name} (copy)")
                edited = self.stream.add_step(copy, after=step_id)
            else:
                edited = self.stream.remove_step(step_id)
        except (ValueError, VsmError) as error:
            self._say(str(error))
            return
        self._say("")
        self.stream = edited

    def add_step(self, name: str = "New step") -> str:
        """Add a step at the end of the flow, as the "Add step" button does.

        Parameters
        ----------
        name : str
            Its name; the id is made from it and kept unique.

        Returns
        -------
        str
            The new step's id.
        """
        base = "_".join(name.lower().split()) or "step"
        step_id = _unique_id(base, self.stream.step_ids)
        try:
            edited = self.stream.add_step(Step(step_id, name))
        except (ValueError, VsmError) as error:
            self._say(str(error))
            return ""
        self._say("")
        self.stream = edited
        return step_id
