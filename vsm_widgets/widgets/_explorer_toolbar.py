"""The toolbar of `MapExplorer`: the current / future switch, Undo and Redo, the map file and its actions.

Built here so the explorer's module holds its behaviour; the buttons call the
explorer's own `undo`, `redo`, `save`, `load`, `show_mermaid` and `export`.
"""

from __future__ import annotations

import os

import ipywidgets as widgets

from vsm_widgets.widgets._messages import message_label
from vsm_widgets.widgets.broken_change import BrokenChange


class ExplorerToolbar:
    """Makes the toolbar of an explorer that has ``scenario``, the actions above and ``_mended``."""

    def _toolbar(self, path: str | os.PathLike | None) -> widgets.Widget:
        self.view_switch = widgets.ToggleButtons(
            options=[("Current state", "current"), ("Future state", "future")],
            value="current",
            disabled=not self.scenario.changes,
            tooltips=["the map as it is", "the map after the scenario's changes"],
            style={"button_width": "8.5em"},
            layout=widgets.Layout(width="auto", flex="0 0 auto"),
        )
        button = widgets.Layout(width="auto", flex="0 0 auto")
        self.undo_button = widgets.Button(description="Undo", icon="undo", disabled=True, layout=button)
        self.redo_button = widgets.Button(description="Redo", icon="redo", disabled=True, layout=button)
        self.undo_button.on_click(lambda _button: self.undo())
        self.redo_button.on_click(lambda _button: self.redo())
        self.path_text = widgets.Text(
            value=str(path) if path is not None else "",
            placeholder="map file, such as maps/current.yaml",
            continuous_update=False,
            layout=widgets.Layout(width="24em"),
        )
        self.path_text.add_class("vsm-path")
        self.save_button = widgets.Button(
            description="Save", icon="save", tooltip="write the current state to the file", layout=button
        )
        self.load_button = widgets.Button(
            description="Load", icon="folder-open", tooltip="read the map in the file", layout=button
        )
        self.mermaid_button = widgets.Button(
            description="Mermaid", icon="code", tooltip="the map as Mermaid text", layout=button
        )
        self.save_button.add_class("vsm-save")
        self.load_button.add_class("vsm-load")
        self.save_button.on_click(lambda _button: self.save())
        self.load_button.on_click(lambda _button: self.load())
        self.mermaid_button.on_click(lambda _button: self.show_mermaid())
        self.export_button = widgets.Button(
            description="Export",
            icon="image",
            tooltip="the map shown as SVG and PNG, beside the map file",
            layout=button,
        )
        self.export_button.on_click(lambda _button: self.export())
        self._message = message_label()
        self._message.add_class("vsm-explorer-message")
        self.broken_change = BrokenChange(self._mended)
        self.unsaved = widgets.HTML("", layout=widgets.Layout(flex="0 0 auto", margin="0 0 0 6px"))
        self.unsaved.add_class("vsm-unsaved")
        tools = [self.view_switch, self.undo_button, self.redo_button, self.path_text, self.save_button, self.unsaved]
        row = widgets.HBox(
            [*tools, self.load_button, self.mermaid_button, self.export_button],
            layout=widgets.Layout(flex_flow="row wrap"),
        )
        return widgets.VBox([row, self._message, self.broken_change])
