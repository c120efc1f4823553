"""The map file actions of `MapExplorer`: Save, Load and Export, with the path typed in its toolbar.

Save writes the current state atomically and keeps the file it replaces
(`vsm_widgets.io.map_file.save_map`); Load shows another map afresh, and
Undo goes back to the one before. Either way the explorer remembers the map
on disk, so its "unsaved changes" marker can say whether the two differ.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from vsm_widgets.charts.map_export import export_map
from vsm_widgets.exceptions import VsmError
from vsm_widgets.io.map_file import load_map, save_map


def typed_path(
    field: Any, path: str | os.PathLike | None, say: Callable[[str], None], kind: str, example: str
) -> Path | None:
    """The file a Save or Load button acts on: `path` when given (and shown in `field`), else what is typed there.

    Parameters
    ----------
    field : ipywidgets.Text
        The path box beside the buttons.
    path : str or Path, optional
        A path given in code, which becomes the box's value.
    say : callable
        Shows a message when no path is typed.
    kind : str
        What the file is, for that message, such as ``"a map file"``.
    example : str
        A path of the right kind for that message, such as ``maps/current.yaml``.

    Returns
    -------
    Path or None
        None when the box is empty (the message says what to type).
    """
    if path is not None:
        field.value = str(path)
    text = field.value.strip()
    if not text:
        say(f"Type the path of {kind} first, such as {example}.")
        return None
    return Path(text).expanduser()


class MapFileActions:
    """Save, Load and Export for an explorer that has ``path_text``, ``stream``, ``step_editor`` and its messages."""

    def _path(self, path: str | os.PathLike | None) -> Path | None:
        return typed_path(self.path_text, path, self._say, "a map file", "maps/current.yaml")

    def save(self, path: str | os.PathLike | None = None) -> Path | None:
        """Write the current state to the map file, atomically (the Save button).

        Parameters
        ----------
        path : str or Path, optional
            Where to write; the path in the toolbar when left out (and it becomes that path).

        Returns
        -------
        Path or None
            The file written, or None when it could not be written (the message says why).
        """
        target = self._path(path)
        if target is None:
            return None
        try:
            written = save_map(self.stream, target)
        except (OSError, ValueError, VsmError) as error:
            self._say(f"Not saved: {error}")
            return None
        self._saved = self.stream
        self.step_editor.settle_ids()
        self._show_saved_state()
        self._say(f"Saved the current state to {written}.", error=False)
        return written

    def load(self, path: str | os.PathLike | None = None) -> bool:
        """Read the map file and explore it (the Load button); Undo goes back to the map before.

        Parameters
        ----------
        path : str or Path, optional
            The file to read; the path in the toolbar when left out.

        Returns
        -------
        bool
            True when the map was loaded; otherwise the message says why not.
        """
        source = self._path(path)
        if source is None:
            return False
        try:
            loaded = load_map(source)
        except (OSError, ValueError, VsmError) as error:
            self._say(f"Not loaded: {error}")
            return False
        self._saved = loaded
        self._show_map(loaded)
        self._say(f"Loaded {source}.", error=False)
        return True

    def export(self) -> tuple[Path, Path] | None:
        """Write the map shown as SVG and PNG, named after it, beside the map file or else here (the Export button)."""
        shown, baseline = self.shown()
        folder = Path(self.path_text.value.strip() or "map").expanduser().parent
        try:
            files = export_map(shown, folder, scenario=self.scenario if baseline else None, before=baseline)
        except OSError as error:
            self._say(f"Not exported: {error}")
            return None
        self._say(f"Exported the map to {files[0]} and {files[1].name}.", error=False)
        return files
