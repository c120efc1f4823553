"""`HandoffEditor`: a table of the arrows of a value stream map, one row per handoff.

Arrows carry most of the elapsed time of a knowledge-work stream and are the
part nobody owns, so an arrow without an owner is flagged in its row. Adding
a second arrow out of a step (or into one) draws a parallel branch; the model
refuses loops and arrows that would cut a step off, and the refusal is shown
beside the field or button that caused it.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets
import traitlets

from vsm_widgets.charts.theme import ALERT
from vsm_widgets.exceptions import VsmError
from vsm_widgets.model.stream import CUSTOMER, HANDOFF_KINDS, SUPPLIER, Handoff, ValueStream
from vsm_widgets.widgets._controls import (
    Field,
    choice_field,
    format_duration,
    format_number,
    icon_button,
    message_label,
    read_duration,
    read_number,
    read_text,
    show_message,
    text_field,
)
from vsm_widgets.widgets._rows import RowMessages, column_layouts, heading_row, place_rows, show_afresh

_WIDTHS = {
    "source": "13em",
    "target": "13em",
    "wait": "7.5em",
    "inventory": "6.5em",
    "owner": "11em",
    "kind": "6em",
    "flag": "9em",
    "button": "2.6em",
}
_HEADINGS = {
    "source": "From",
    "target": "To",
    "wait": "Wait",
    "inventory": "Inventory",
    "owner": "Owner",
    "kind": "Kind",
}
_KIND_OPTIONS = [(kind.upper() if kind == "fifo" else kind, kind) for kind in HANDOFF_KINDS]
_UNOWNED = (
    f'<span class="vsm-unowned" style="color:white;background:{ALERT};border-radius:3px;padding:1px 6px" '
    'title="nobody owns the time work waits on this arrow">no owner</span>'
)

Key = tuple[str, str]


def endpoint_options(stream: ValueStream) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The choices of the "from" and "to" drop-downs: the supplier or customer and every step by name.

    Parameters
    ----------
    stream : ValueStream
        The map.

    Returns
    -------
    sources, targets : list of (label, id)
        Step names are followed by their id where two steps share a name.
    """
    names = [step.name for step in stream.steps]
    steps = [
        (step.name if names.count(step.name) == 1 else f"{step.name} ({step.id})", step.id) for step in stream.steps
    ]
    sources = [(f"{stream.supplier} (supplier)", SUPPLIER), *steps]
    targets = [*steps, (f"{stream.customer} (customer)", CUSTOMER)]
    return sources, targets


def _set_options(field: Field, options: list[tuple[str, str]], value: str) -> None:
    # A drop-down falls back to its first option when its options change; put the model's value back.
    if list(field.input.options) != options:
        field.input.options = options
    field.input.value = value
    field.model_text = value


class _HandoffRow(widgets.VBox):
    """The fields of one arrow; reports entries and the remove button to its editor."""

    def __init__(self, key: Key, editor: HandoffEditor, layouts: dict[str, widgets.Layout]) -> None:
        self.key = key
        report = editor._on_entry
        entry: Callable[[str, object], None] = lambda field, raw: report(self.key, field, raw)  # noqa: E731
        css = f"vsm-handoff-{key[0]}-{key[1]}"
        self.fields: dict[str, Field] = {
            "source": choice_field([(key[0], key[0])], key[0], "source", entry, layout=layouts["source"]),
            "target": choice_field([(key[1], key[1])], key[1], "target", entry, layout=layouts["target"]),
            "wait": text_field(
                "wait",
                entry,
                layout=layouts["wait"],
                tooltip="a number in the map's unit, or with its own unit such as '3 days' or '4 h'",
                css=f"{css}-wait",
            ),
            "inventory": text_field(
                "inventory",
                entry,
                layout=layouts["inventory"],
                placeholder="pieces",
                tooltip="pieces waiting here; with the map's daily demand it gives the wait when no wait is given",
                css=f"{css}-inventory",
            ),
            "owner": text_field("owner", entry, layout=layouts["owner"], placeholder="nobody", css=f"{css}-owner"),
            "kind": choice_field(_KIND_OPTIONS, "push", "kind", entry, layout=layouts["kind"], css=f"{css}-kind"),
        }
        self.flag = widgets.HTML("", layout=layouts["flag"])
        self.remove = icon_button(
            "trash", "remove this arrow", lambda: editor._remove(self.key), layout=layouts["button"]
        )
        main = widgets.HBox([*self.fields.values(), self.flag, self.remove])
        self.messages = RowMessages(self.fields, _HEADINGS)
        super().__init__(children=(main, self.messages))
        self.add_class("vsm-handoff-row")
        self.add_class(css)

    def show(self, handoff: Handoff, stream: ValueStream, sources: list, targets: list, reset: bool = False) -> None:
        unit, day = stream.unit, stream.hours_per_day
        fields = self.fields
        if reset:
            for field in fields.values():
                field.model_text = None
                field.show_message("")
        _set_options(fields["source"], sources, handoff.source)
        _set_options(fields["target"], targets, handoff.target)
        fields["wait"].show_model(format_duration(handoff.wait, unit, day))
        if handoff.wait is None:
            fields["wait"].input.placeholder = f"{format_duration(stream.wait_of(handoff), unit, day)} from inventory"
        fields["inventory"].show_model(format_number(handoff.inventory))
        fields["owner"].show_model(handoff.owner or "")
        fields["kind"].show_model(handoff.kind)
        self.flag.value = "" if handoff.owner else _UNOWNED


class HandoffEditor(widgets.VBox):
    """Edit the handoffs (arrows) of a value stream map: one row per arrow.

    Each row holds where the arrow comes from and goes to, the wait on it (or
    an inventory count of pieces, turned into days with the map's demand), its
    owner (arrows nobody owns are flagged) and whether work is pushed, pulled
    or flows first-in-first-out. A row's bin removes the arrow; the controls
    at the bottom add one, so parallel branches can be drawn.

    Parameters
    ----------
    stream : ValueStream
        The map to edit.

    Attributes
    ----------
    stream : ValueStream
        The current map (a traitlet); every valid entry replaces it, an invalid one leaves it.
    rows : dict of (str, str) to row
        The row of each ``(source, target)``; ``rows[key].fields[name]`` is a `Field`.
    new_source, new_target, new_wait : ipywidgets
        The controls of the arrow "Add arrow" adds.
    message : str
        Why the latest add or remove was refused; empty when it worked.

    Examples
    --------
    >>> from vsm_widgets.model.stream import Step
    >>> editor = HandoffEditor(ValueStream("Demo", [Step("a"), Step("b")]))
    >>> editor.rows[("a", "b")].fields["wait"].input.value = "3"
    >>> editor.stream.handoff("a", "b").wait.to("days")
    3.0
    """

    stream = traitlets.Instance(ValueStream)

    def __init__(self, stream: ValueStream, **kwargs: object) -> None:
        self._layouts = column_layouts(_WIDTHS)
        self.rows: dict[Key, _HandoffRow] = {}
        self._syncing = False
        self._reset = False
        self._message_text = ""
        self._rows_box = widgets.VBox()
        self.new_source = widgets.Dropdown(description="From", layout=widgets.Layout(width="18em"))
        self.new_target = widgets.Dropdown(description="to", layout=widgets.Layout(width="18em"))
        self.new_wait = widgets.Text(
            value="0", description="wait", continuous_update=False, layout=widgets.Layout(width="12em")
        )
        self.add_button = widgets.Button(description="Add arrow", icon="plus", tooltip="add this arrow to the map")
        self.add_button.add_class("vsm-add-handoff")
        self.add_button.on_click(lambda _button: self.add_handoff())
        self._message = message_label()
        header = heading_row(_HEADINGS, self._layouts)
        adder = widgets.HBox([self.new_source, self.new_target, self.new_wait, self.add_button, self._message])
        super().__init__(children=(header, self._rows_box, adder), **kwargs)
        self.add_class("vsm-handoff-editor")
        self.layout.overflow = "auto"  # a narrow notebook scrolls the table rather than squeezing it
        self.stream = stream

    @traitlets.observe("stream")
    def _show_stream(self, change: dict) -> None:
        stream: ValueStream = change["new"]
        sources, targets = endpoint_options(stream)
        self._syncing = True
        try:
            keys = [handoff.key for handoff in stream.handoffs]
            place_rows(self.rows, keys, lambda key: _HandoffRow(key, self, self._layouts), self._rows_box)
            for handoff in stream.handoffs:
                self.rows[handoff.key].show(handoff, stream, sources, targets, reset=self._reset)
            for control, options in ((self.new_source, sources), (self.new_target, targets)):
                if list(control.options) != options:
                    chosen = control.value
                    control.options = options
                    ids = [value for _label, value in options]
                    control.value = chosen if chosen in ids else ids[0]
        finally:
            self._syncing = False

    def reset(self, stream: ValueStream) -> None:
        """Show `stream` as a map of its own: every field shows the model's value and no message remains.

        The explorer calls this on load, undo and redo, where an entry still
        being corrected belongs to a map no longer shown.

        Parameters
        ----------
        stream : ValueStream
        """
        show_afresh(self, stream)

    @property
    def message(self) -> str:
        """Why the latest add or remove was refused, as plain text; empty when it worked."""
        return self._message_text

    def _say(self, text: str) -> None:
        self._message_text = text
        show_message(self._message, text)

    def _read(self, name: str, raw: object) -> object:
        stream = self.stream
        if name == "wait":
            return read_duration(str(raw), stream.unit, stream.hours_per_day, optional=True)
        if name == "inventory":
            return read_number(str(raw), optional=True)
        if name == "owner":
            return read_text(str(raw))
        return raw

    def _on_entry(self, key: Key, name: str, raw: object) -> None:
        if self._syncing:
            return
        row = self.rows[key]
        field = row.fields[name]
        try:
            value = self._read(name, raw)
            handoff = self.stream.handoff(*key)
            changed = handoff.replace(**{name: value})
            if changed.key == key:
                edited = self.stream.with_handoff(changed)
            else:
                # A new end for an existing arrow: the arrow keeps its wait, owner and place in the file.
                edited = self.stream.replace(handoffs=[changed if h.key == key else h for h in self.stream.handoffs])
        except (ValueError, VsmError) as error:
            field.show_message(str(error))
            return
        field.show_message("")
        self._say("")
        if changed.key != key:
            self.rows[changed.key] = self.rows.pop(key)
            row.key = changed.key
        self.stream = edited

    def _remove(self, key: Key) -> None:
        try:
            edited = self.stream.remove_handoff(*key)
        except (ValueError, VsmError) as error:
            self._say(str(error))
            return
        self._say("")
        self.stream = edited

    def add_handoff(self) -> None:
        """Add the arrow chosen in the controls at the bottom, as the "Add arrow" button does."""
        try:
            wait = read_duration(self.new_wait.value, self.stream.unit, self.stream.hours_per_day)
            edited = self.stream.add_handoff(Handoff(self.new_source.value, self.new_target.value, wait))
        except (ValueError, VsmError) as error:
            self._say(str(error))
            return
        self._say("")
        self.stream = edited
