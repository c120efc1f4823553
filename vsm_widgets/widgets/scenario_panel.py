"""`ScenarioPanel`: the future state's changes edited in place, checked as the scenario file is, saved keeping it.

Each change of the scenario is a row (`vsm_widgets.widgets._change_row`):
kind, the step or arrow it acts on (named as people call them), the amount,
the waste it removes, owner, due date and why. Every entry builds the change
through the scenario file's own reader (`change_from_entry`) and carries it
out on the map, so a change with no waste, a target the map does not have or
a value that is no duration is refused with the reader's message under its
row, and the message goes once the row is valid again. Every valid edit
replaces `ScenarioPanel.scenario`; the explorer observes it and draws the
future. Save writes the scenario over its file keeping its comments
(`vsm_widgets.io.scenario_roundtrip`); Load reads another one.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import ipywidgets as widgets
import traitlets

from vsm_widgets.exceptions import ScenarioError, VsmError
from vsm_widgets.future.change import Change
from vsm_widgets.future.scenario import CHANGE_KINDS, Scenario, change_from_entry, load_scenario, save_scenario
from vsm_widgets.model.stream import ValueStream
from vsm_widgets.widgets._change_row import COLUMNS, HEADINGS, ChangeRow, kind_label
from vsm_widgets.widgets._map_file_actions import typed_path
from vsm_widgets.widgets._messages import message_label, show_message
from vsm_widgets.widgets._rows import column_layouts, heading_row
from vsm_widgets.widgets.broken_change import describe_broken, first_broken


def _reader_message(error: ScenarioError) -> str:
    """The reader's message without the file and line, which the row itself stands for."""
    return str(ScenarioError(error.problem, error.hint))


class ScenarioPanel(widgets.VBox):
    """List, add, edit, reorder and remove the changes of a future state, and save or load its file.

    Parameters
    ----------
    stream : ValueStream
        The current state the changes act on.
    scenario : Scenario, optional
        The future state to edit; a new, empty one when left out.
    path : str or Path, optional
        The scenario file Save writes and Load reads; by default the file `scenario` was read from.

    Attributes
    ----------
    scenario : Scenario
        The future state (a traitlet): every valid change of the rows, in their order. Every valid
        entry, move, removal and load replaces it; a refused entry leaves it.
    stream : ValueStream
        The current state (a traitlet); the rows offer its steps and arrows.
    rows : list of ChangeRow
        One per change, in order, including new changes not yet valid.
    message : str
        The news of the latest Save or Load: saved, loaded, or why not.

    Examples
    --------
    >>> from vsm_widgets.io.map_file import load_map  # doctest: +SKIP
    >>> ScenarioPanel(load_map("data/samples/maps/software_delivery.yaml"))  # doctest: +SKIP
    """

    scenario = traitlets.Instance(Scenario, allow_none=True)
    stream = traitlets.Instance(ValueStream)

    def __init__(
        self, stream: ValueStream, scenario: Scenario | None = None, path: str | os.PathLike | None = None
    ) -> None:
        scenario = scenario if scenario is not None else Scenario()
        self.rows: list[ChangeRow] = []
        self._names: dict[str, str] = {}
        self._broken: tuple[ChangeRow, str] | None = None
        self._targets: tuple = ()
        self._syncing = False
        self._base = scenario
        self._saved = scenario
        self._message_text = ""
        self.name_text = widgets.Text(
            value=scenario.name, placeholder="name of the future state", continuous_update=False
        )
        self.name_text.layout = widgets.Layout(width="28em")
        self.name_text.add_class("vsm-scenario-name")
        self.name_text.observe(self._renamed, names="value")
        self.path_text = widgets.Text(
            value=str(path if path is not None else scenario.source or ""),
            placeholder="scenario file, such as maps/future.scenario.yaml",
            continuous_update=False,
            layout=widgets.Layout(width="24em"),
        )
        self.path_text.add_class("vsm-scenario-path")
        button = widgets.Layout(width="auto", flex="0 0 auto")
        self.save_button = widgets.Button(description="Save scenario", icon="save", layout=button)
        self.load_button = widgets.Button(description="Load scenario", icon="folder-open", layout=button)
        self.save_button.add_class("vsm-scenario-save")
        self.load_button.add_class("vsm-scenario-load")
        self.save_button.on_click(lambda _button: self.save())
        self.load_button.on_click(lambda _button: self.load())
        self.unsaved = widgets.HTML("", layout=widgets.Layout(flex="0 0 auto", margin="0 0 0 6px"))
        self.unsaved.add_class("vsm-scenario-unsaved")
        self._message = message_label()
        self._message.add_class("vsm-scenario-message")
        self.new_kind = widgets.Dropdown(
            options=[(kind_label(kind), kind) for kind in CHANGE_KINDS], layout=widgets.Layout(width="12em")
        )
        self.new_kind.add_class("vsm-new-change-kind")
        self.add_button = widgets.Button(description="Add change", icon="plus", layout=button)
        self.add_button.add_class("vsm-add-change")
        self.add_button.on_click(lambda _button: self.add_change(self.new_kind.value))
        self._rows_box = widgets.VBox()
        self._rows_box.add_class("vsm-changes")
        toolbar = widgets.HBox(
            [self.name_text, self.path_text, self.save_button, self.unsaved, self.load_button],
            layout=widgets.Layout(flex_flow="row wrap"),
        )
        adding = widgets.HBox([widgets.HTML("New change:"), self.new_kind, self.add_button])
        headings = heading_row(HEADINGS, column_layouts(COLUMNS))
        super().__init__(children=(toolbar, self._message, headings, self._rows_box, adding))
        self.add_class("vsm-scenario-panel")
        self.stream = stream
        self.show(scenario)

    # ----- state ----------------------------------------------------------------------------------

    @property
    def message(self) -> str:
        """The news of the latest Save or Load as plain text; the next edit clears it."""
        return self._message_text

    @property
    def has_unsaved_changes(self) -> bool:
        """Whether the scenario differs from the one last loaded or saved."""
        return self.scenario != self._saved

    def _say(self, text: str, error: bool = True) -> None:
        self._message_text = text
        show_message(self._message, text, error)

    def _built(self) -> Scenario:
        changes = tuple(row.change for row in self.rows if row.change is not None)
        name = self.name_text.value.strip()
        return dataclasses.replace(self._base, name=name, changes=changes)

    def _commit(self) -> None:
        """The rows' valid changes become the scenario; the news of a save or load goes."""
        self._say("")
        self.scenario = self._built()
        self._number_rows()
        self._show_saved_state()

    def _show_saved_state(self) -> None:
        self.unsaved.value = (
            '<span title="the scenario has changes not saved to its file">● unsaved changes</span>'
            if self.has_unsaved_changes
            else ""
        )

    def _number_rows(self) -> None:
        for number, row in enumerate(self.rows, 1):
            row.show_number(number)
        self._show_broken()

    def _show_broken(self) -> None:
        """Say under its row which change the map no longer supports, in step names; clear what was said before."""
        valid = [row for row in self.rows if row.change is not None]
        found = first_broken(self.scenario, self.stream) if valid else None
        said = None
        if found is not None:
            row = valid[found[0]]
            said = (row, describe_broken(self.rows.index(row), row.change, found[2], self.stream, self._names))
        if self._broken is not None and self._broken != said:
            row, text = self._broken
            if row.message == text:
                row.show_message("")
        if said is not None:
            said[0].show_message(said[1])
        self._broken = said

    @traitlets.observe("stream")
    def _stream_changed(self, change: dict) -> None:
        stream: ValueStream = change["new"]
        self._names.update((step.id, step.name) for step in stream.steps)
        # A new time or owner leaves the targets on offer as they were; only new steps, names or arrows change them.
        steps = tuple((step.id, step.name) for step in stream.steps)
        targets = (steps, tuple(h.key for h in stream.handoffs), stream.supplier, stream.customer)
        if targets != self._targets:
            self._targets = targets
            for row in self.rows:
                row.show_targets(stream, self._names)
        if self.scenario is not None:
            self._show_broken()

    # ----- rows -----------------------------------------------------------------------------------

    def _row(self, change: Change | None, kind: str) -> ChangeRow:
        row = ChangeRow(change, kind, change.line if change else None, self._edited, self.move, self.remove)
        if change is not None:
            row.show_change(change)
        row.show_targets(self.stream, self._names)
        return row

    def _place(self) -> None:
        self._rows_box.children = tuple(self.rows)

    def show(self, scenario: Scenario) -> None:
        """Show `scenario` afresh (loaded, or mended by dropping or re-targeting a change): a row per change.

        Parameters
        ----------
        scenario : Scenario
        """
        for row in self.rows:
            row.close()
        self._base = scenario
        self.rows = [self._row(change, change.kind) for change in scenario.changes]
        self._place()
        self._syncing = True
        try:
            self.name_text.value = scenario.name
        finally:
            self._syncing = False
        self._commit()

    def _renamed(self, _change: dict) -> None:
        if not self._syncing:
            self._commit()

    def _edited(self, row: ChangeRow) -> None:
        """A field of `row` took an entry: build the change as the file reader would, and carry it out."""
        index = self.rows.index(row)
        try:
            change = change_from_entry(row.entry(), index, self._base.unit, line=row.line)
        except ScenarioError as error:
            row.show_message(_reader_message(error))
            return
        before = row.change
        row.change = change
        candidate = self._built()
        position = [r for r in self.rows if r.change is not None].index(row)
        found = first_broken(candidate, self.stream)
        if found is not None and found[0] == position:
            row.change = before
            row.show_message(_reader_message(ScenarioError(f"change {index + 1} ({change.kind}): {found[2]}")))
            return
        row.show_message("")
        self._commit()

    def add_change(self, kind: str) -> ChangeRow:
        """Add a change of `kind` at the end (the Add change button); it counts once its fields make it valid.

        Parameters
        ----------
        kind : str
            One of `CHANGE_KINDS`.

        Returns
        -------
        ChangeRow
            The new row, showing what it still needs (first of all, the waste it removes).
        """
        row = self._row(None, kind)
        self.rows.append(row)
        self._place()
        self._number_rows()
        self._edited(row)
        return row

    def move(self, row: ChangeRow, offset: int) -> None:
        """Move a change up (-1) or down (+1); a later change sees the earlier ones."""
        index = self.rows.index(row)
        target = index + offset
        if not 0 <= target < len(self.rows):
            return
        self.rows[index], self.rows[target] = self.rows[target], self.rows[index]
        self._place()
        self._commit()

    def remove(self, row: ChangeRow) -> None:
        """Take a change out of the scenario."""
        self.rows.remove(row)
        row.close()
        self._place()
        self._commit()

    # ----- the file -------------------------------------------------------------------------------

    def _path(self, path: str | os.PathLike | None) -> Path | None:
        return typed_path(self.path_text, path, self._say, "a scenario file", "maps/future.scenario.yaml")

    def save(self, path: str | os.PathLike | None = None) -> Path | None:
        """Write the scenario to its file, keeping the file's comments and untouched values (Save scenario).

        Changes not yet valid are not written; the message says how many.

        Parameters
        ----------
        path : str or Path, optional
            Where to write; the path typed in the panel when left out.

        Returns
        -------
        Path or None
            The file written, or None when it could not be written (the message says why).
        """
        target = self._path(path)
        if target is None:
            return None
        try:
            written = save_scenario(self.scenario, target)
            saved = load_scenario(written)
        except (OSError, ValueError, VsmError) as error:
            self._say(f"Not saved: {error}")
            return None
        for row, change in zip([r for r in self.rows if r.change is not None], saved.changes, strict=True):
            row.change, row.line = change, change.line
        self._base = self._saved = saved
        self.scenario = saved
        self._show_saved_state()
        left_out = sum(row.change is None for row in self.rows)
        note = f" Change(s) not yet valid are not in it: {left_out}." if left_out else ""
        self._say(f"Saved the scenario to {written}.{note}", error=False)
        return written

    def load(self, path: str | os.PathLike | None = None) -> bool:
        """Read another scenario file and edit it (Load scenario); a file that is no scenario changes nothing.

        Parameters
        ----------
        path : str or Path, optional
            The file to read; the path typed in the panel when left out.

        Returns
        -------
        bool
            True when it was loaded; otherwise the message gives the reader's reason.
        """
        source = self._path(path)
        if source is None:
            return False
        try:
            loaded = load_scenario(source)
        except (OSError, VsmError) as error:
            self._say(f"Not loaded: {error}")
            return False
        self._saved = loaded
        self.show(loaded)
        self._say(f"Loaded {source}.", error=False)
        return True
