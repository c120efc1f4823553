"""`StepEditor`: a table of the boxes of a value stream map, one row per step.

A thin view over the immutable model: every valid entry makes a new
`ValueStream` (through the model's own edits) and sets the editor's `stream`
trait, which other widgets observe. An entry the model refuses shows the
model's message on a line under its row and leaves `stream` as it was.

A row holds what a coach reads aloud (name, owner, process time, %C&A) and
the row's buttons; the rest of the step (block lead time, value class,
wastes, staff, id) is in a details panel that opens under the row, so the
table fits a laptop screen with JupyterLab's file browser open.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets
import traitlets

from vsm_widgets.exceptions import VsmError
from vsm_widgets.model.stream import Handoff, Step, ValueStream
from vsm_widgets.model.waste import UNCLASSIFIED, VALUE_CLASSES, WASTES, normalise_waste
from vsm_widgets.widgets._controls import (
    Field,
    choice_field,
    format_duration,
    format_number,
    format_percent,
    icon_button,
    message_label,
    read_duration,
    read_number,
    read_percent,
    read_text,
    show_message,
    tags_field,
    text_field,
)
from vsm_widgets.widgets._rows import RowMessages, column_layouts, heading_row, place_rows

_WIDTHS = {
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
_HEADINGS = {"toggle": "", "name": "Step", "owner": "Owner", "process_time": "Process time", "pct_ca": "%C&A"}
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


def _unique_id(base: str, taken: tuple[str, ...]) -> str:
    if base not in taken:
        return base
    number = 2
    while f"{base}_{number}" in taken:
        number += 1
    return f"{base}_{number}"


def id_from_name(name: str, taken: tuple[str, ...]) -> str:
    """The id a step's name gives: lower case, words joined by ``_``, kept unique among `taken`.

    Parameters
    ----------
    name : str
        The step's name, such as ``"Security review"``.
    taken : tuple of str
        The ids already in the map (the step's own id left out).

    Returns
    -------
    str

    Examples
    --------
    >>> id_from_name("Security review", ("security_review",))
    'security_review_2'
    """
    words = "".join(c if c.isalnum() else " " for c in name.lower()).split()
    base = "_".join(words) or "step"
    if base in ("supplier", "customer"):
        base = f"{base}_step"
    return _unique_id(base, taken)


class _StepRow(widgets.VBox):
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


class StepEditor(widgets.VBox):
    """Edit the steps of a value stream map: one row per step.

    Each row holds the step's name, owner, process time (a number in the
    map's unit, or a number with its own unit such as ``"2.5 h"``) and %C&A,
    and buttons to insert a step after it or parallel to it, move it, duplicate
    it or delete it; its details panel holds the block lead time, value class,
    wastes, staff and id. "Add step" appends a step at the end of the flow.

    A new step is "not yet classified" (it adds nothing to PCE until someone
    says it adds value) and its id follows its name until `settle_ids` (the
    explorer calls it when the map is saved); an id can also be typed.

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
        The latest message about adding, inserting, moving, duplicating or deleting a step.

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
        self._reset = False
        self._message_text = ""
        self.new_ids: set[str] = set()
        self._rows_box = widgets.VBox()
        self.add_button = widgets.Button(
            description="Add step", icon="plus", tooltip="add a step at the end of the flow"
        )
        self.add_button.add_class("vsm-add-step")
        self.add_button.on_click(lambda _button: self.add_step())
        self._message = message_label()
        self._message.add_class("vsm-steps-message")
        header = heading_row(_HEADINGS, self._layouts)
        super().__init__(children=(header, self._rows_box, widgets.HBox([self.add_button, self._message])), **kwargs)
        self.add_class("vsm-step-editor")
        self.layout.overflow = "auto"  # a very narrow notebook scrolls the table rather than squeezing it
        self.stream = stream

    @traitlets.observe("stream")
    def _show_stream(self, change: dict) -> None:
        stream: ValueStream = change["new"]
        self._syncing = True
        try:
            ids = list(stream.step_ids)
            place_rows(self.rows, ids, lambda step_id: _StepRow(step_id, self, self._layouts), self._rows_box)
            for index, step in enumerate(stream.steps):
                self.rows[step.id].show(step, stream, index == 0, index == len(ids) - 1, reset=self._reset)
        finally:
            self._syncing = False
        self.new_ids &= set(stream.step_ids)

    def reset(self, stream: ValueStream) -> None:
        """Show `stream` as a map of its own: every field shows the model's value and no message remains.

        The explorer calls this on load, undo and redo, where an entry still
        being corrected belongs to a map no longer shown.

        Parameters
        ----------
        stream : ValueStream
        """
        self._reset = True
        try:
            unchanged = stream == self.stream
            self.stream = stream
            if unchanged:  # traitlets tells no observer of an equal value
                self._show_stream({"new": stream})
        finally:
            self._reset = False
        self._say("")

    def settle_ids(self) -> None:
        """Stop the ids of new steps following their names (the map has been saved with them)."""
        self.new_ids.clear()

    @property
    def message(self) -> str:
        """The latest message about a row action, as plain text; empty when the last action worked."""
        return self._message_text

    def _say(self, text: str) -> None:
        self._message_text = text
        show_message(self._message, text)

    def _read(self, key: str, raw: object) -> object:
        stream = self.stream
        if key in ("name", "notes", "id"):
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

    def _edit(self, step_id: str, key: str, value: object) -> tuple[ValueStream, str]:
        """The map after an entry, and the step's id in it (which a new name or a typed id changes)."""
        stream = self.stream
        if key == "id":
            if not value:
                raise ValueError("an id is needed; type one, such as security_review")
            return stream.rename_step(step_id, str(value)), str(value)
        edited = stream.with_step(stream.step(step_id).replace(**{key: value}))
        if key == "name" and step_id in self.new_ids:
            taken = tuple(i for i in stream.step_ids if i != step_id)
            new_id = id_from_name(edited.step(step_id).name, taken)
            if new_id != step_id:
                return edited.rename_step(step_id, new_id), new_id
        return edited, step_id

    def _on_entry(self, step_id: str, key: str, raw: object) -> None:
        if self._syncing:
            return
        row = self.rows[step_id]
        field = row.fields[key]
        try:
            edited, new_id = self._edit(step_id, key, self._read(key, raw))
        except (ValueError, VsmError) as error:
            field.show_message(str(error))
            return
        field.show_message("")
        self._say("")
        if new_id != step_id:
            self.rows[new_id] = self.rows.pop(step_id)
            row.rekey(new_id)
            if step_id in self.new_ids:
                self.new_ids.discard(step_id)
                self.new_ids.add(new_id)
        self.stream = edited

    def _new_step(self, name: str = "New step") -> Step:
        return Step(id_from_name(name, self.stream.step_ids), name, value=UNCLASSIFIED.key)

    def _on_action(self, step_id: str, action: str) -> None:
        stream = self.stream
        added: Step | None = None
        try:
            if action == "up":
                edited = stream.move_step(step_id, -1)
            elif action == "down":
                edited = stream.move_step(step_id, 1)
            elif action == "duplicate":
                step = stream.step(step_id)
                copy = step.replace(id=_unique_id(f"{step_id}_copy", stream.step_ids), name=f"{step.name} (copy)")
                edited = stream.add_step(copy, after=step_id)
            elif action == "insert_after":
                added = self._new_step()
                edited = stream.add_step(added, after=step_id)
            elif action == "insert_parallel":
                added = self._new_step()
                arrows = [Handoff(h.source, added.id) for h in stream.incoming(step_id)]
                arrows += [Handoff(added.id, h.target) for h in stream.outgoing(step_id)]
                edited = stream.add_step(added, after=step_id, handoffs=arrows)
            else:
                edited = stream.remove_step(step_id)
        except (ValueError, VsmError) as error:
            self._say(str(error))
            return
        self._say("")
        if added is not None:
            self.new_ids.add(added.id)
        self.stream = edited

    def add_step(self, name: str = "New step") -> str:
        """Add a step at the end of the flow, as the "Add step" button does.

        Parameters
        ----------
        name : str
            Its name; the id is made from it, kept unique, and follows the name until the map is saved.

        Returns
        -------
        str
            The new step's id.
        """
        step = self._new_step(name)
        try:
            edited = self.stream.add_step(step)
        except (ValueError, VsmError) as error:
            self._say(str(error))
            return ""
        self._say("")
        self.new_ids.add(step.id)
        self.stream = edited
        return step.id
