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

import ipywidgets as widgets
import traitlets

from vsm_widgets.exceptions import VsmError
from vsm_widgets.model.stream import Handoff, Step, ValueStream
from vsm_widgets.model.waste import UNCLASSIFIED, normalise_waste
from vsm_widgets.widgets._controls import (
    message_label,
    read_duration,
    read_number,
    read_percent,
    read_text,
    show_message,
)
from vsm_widgets.widgets._rows import column_layouts, heading_row, place_rows, show_afresh
from vsm_widgets.widgets._step_row import HEADINGS, WIDTHS, StepRow


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
        self._layouts = column_layouts(WIDTHS)
        self.rows: dict[str, StepRow] = {}
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
        header = heading_row(HEADINGS, self._layouts)
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
            place_rows(self.rows, ids, lambda step_id: StepRow(step_id, self, self._layouts), self._rows_box)
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
        show_afresh(self, stream)

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
