"""Table rows of the editors: shared column layouts, headings, rows kept across edits, and a row's messages.

A row of fields shows the messages of its fields on a line of its own under
the row (`RowMessages`), each opened by the name of its field, so a long
message never widens one column and pushes the others out of line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from vsm_widgets.model.stream import ValueStream
from vsm_widgets.widgets._controls import Field
from vsm_widgets.widgets._messages import message_label, show_message


class RowMessages(widgets.VBox):
    """The messages of a row's fields, one line each, under the row; empty (and taking no room) when none.

    Parameters
    ----------
    fields : dict of str to Field
        The row's fields; each reports its messages here from now on.
    captions : dict of str to str
        The name opening each field's message, such as ``"Process time"``.
    """

    def __init__(self, fields: dict[str, Field], captions: dict[str, str]) -> None:
        super().__init__()
        self.add_class("vsm-row-messages")
        self._captions = captions
        self._fields = fields
        self._labels: dict[str, widgets.HTML] = {}
        for field in fields.values():
            field.on_message = self._changed

    def _changed(self, field: Field) -> None:
        if field.message:
            label = self._labels.get(field.key)
            if label is None:
                label = self._labels[field.key] = message_label()
                label.add_class(f"vsm-message-{field.key}")
            show_message(label, f"{self._captions.get(field.key, field.key)}: {field.message}")
        elif field.key in self._labels:
            self._labels.pop(field.key).close()
        shown = tuple(self._labels[key] for key in self._fields if key in self._labels)
        if shown != self.children:
            self.children = shown


def column_layouts(widths: dict[str, str]) -> dict[str, widgets.Layout]:
    """One fixed-width layout per column of an editor's table, shared by every row's field in that column.

    Examples
    --------
    >>> column_layouts({"name": "13em"})["name"].width
    '13em'
    """
    return {key: widgets.Layout(width=width, flex="0 0 auto") for key, width in widths.items()}


def heading_row(headings: dict[str, str], layouts: dict[str, widgets.Layout]) -> widgets.HBox:
    """The bold headings over an editor's table, each as wide as its column.

    Examples
    --------
    >>> heading_row({"name": "Step"}, column_layouts({"name": "13em"})).children[0].value
    '<b>Step</b>'
    """
    return widgets.HBox([widgets.HTML(f"<b>{text}</b>", layout=layouts[key]) for key, text in headings.items()])


def place_rows(rows: dict, keys: list, make: Callable[[object], widgets.Widget], box: widgets.Box) -> None:
    """Keep one row widget per key, in the order of `keys`: close rows whose key is gone, make missing ones.

    Rows that stay are reused, so a field the user is typing into keeps its
    state across an edit of another row.

    Parameters
    ----------
    rows : dict
        The editor's rows by key; changed in place.
    keys : list
        The keys of the model's rows, in order.
    make : callable
        Makes the row of a new key.
    box : ipywidgets.Box
        The box showing the rows.
    """
    for gone in [key for key in rows if key not in keys]:
        rows.pop(gone).close()
    for key in keys:
        if key not in rows:
            rows[key] = make(key)
    ordered = tuple(rows[key] for key in keys)
    if ordered != box.children:
        box.children = ordered


def show_afresh(editor: Any, stream: ValueStream) -> None:
    """Show `stream` in a table editor as a map of its own: every row reset, no message left.

    Parameters
    ----------
    editor : StepEditor or HandoffEditor
        An editor with ``stream``, ``_reset``, ``_show_stream`` and ``_say``.
    stream : ValueStream
    """
    editor._reset = True
    try:
        unchanged = stream == editor.stream
        editor.stream = stream
        if unchanged:  # traitlets tells no observer of an equal value
            editor._show_stream({"new": stream})
    finally:
        editor._reset = False
    editor._say("")
