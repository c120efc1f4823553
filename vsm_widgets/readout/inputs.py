"""The files a notebook's parameters name, checked and read, with errors a user can act on.

Papermill passes whatever the user typed. A parameter left unset, a path to no
file, or a mapping given for a map file would otherwise surface as a bare
traceback deep in pandas or PyYAML; here each is a `VsmInputError` that names
the parameter and says what to do.
"""

from __future__ import annotations

import os
from pathlib import Path

from vsm_widgets.exceptions import VsmInputError
from vsm_widgets.future.scenario import Scenario, load_scenario
from vsm_widgets.io.exports import read_export
from vsm_widgets.io.jira_json import holds_jira_issues
from vsm_widgets.io.map_file import load_map
from vsm_widgets.model.event_log import EventLog
from vsm_widgets.model.stream import ValueStream

MAP_SUFFIXES = (".yaml", ".yml", ".json")


def require_file(path: str | os.PathLike | None, parameter: str, what: str) -> Path:
    """The path a parameter names, checked to be a file.

    Parameters
    ----------
    path : str, PathLike or None
        The parameter's value.
    parameter : str
        Its name, for the message.
    what : str
        What the file should be, such as ``"a timing export or a map file"``.

    Returns
    -------
    Path

    Raises
    ------
    VsmInputError
        If the parameter is unset or names no file.
    """
    if path is None or not str(path).strip():
        raise VsmInputError(
            f"the parameter {parameter} is not set", f"Give {what}: papermill ... -p {parameter} PATH", column=parameter
        )
    file = Path(path)
    if not file.is_file():
        where = "a folder, not a file" if file.is_dir() else "no such file"
        raise VsmInputError(
            f"{where} (from the parameter {parameter})",
            f"Give {what}; relative paths start in the notebook's folder",
            file=file,
            column=parameter,
        )
    return file


def is_map_file(path: str | os.PathLike) -> bool:
    """True when the file is a map (YAML or JSON), False when it is a timing export (Jira JSON included).

    Examples
    --------
    >>> is_map_file("maps/office.yaml"), is_map_file("team.csv")
    (True, False)
    """
    return Path(path).suffix.lower() in MAP_SUFFIXES and not holds_jira_issues(path)


def load_input(
    input_path: str | os.PathLike | None, mapping_path: str | os.PathLike | None = None
) -> EventLog | ValueStream:
    """Read a readout's input: a timing export (with its optional mapping) or a map file.

    Parameters
    ----------
    input_path : str or PathLike
        A CSV, TSV, XLSX, Parquet or Jira JSON export, or a YAML or JSON map file.
    mapping_path : str or PathLike, optional
        The export's mapping file.

    Returns
    -------
    EventLog or ValueStream

    Raises
    ------
    VsmInputError
        If a path is unset or wrong, a mapping is given for a map, or the file cannot be read
        (the reader's own error, naming the row or line).
    """
    source = require_file(input_path, "input_path", "a timing export (CSV, XLSX, Parquet) or a map file (YAML, JSON)")
    mapping = require_file(mapping_path, "mapping_path", "the export's mapping file") if mapping_path else None
    if is_map_file(source):
        if mapping is not None:
            raise VsmInputError(
                "a mapping file reads exports, and the input is a map file",
                "Leave mapping_path unset for a map, or give an export as input_path",
                file=mapping,
                column="mapping_path",
            )
        return load_map(source)
    return read_export(source, mapping=mapping)


def load_optional_scenario(scenario_path: str | os.PathLike | None) -> Scenario | None:
    """Read the scenario file a parameter names, or None when it is unset.

    Parameters
    ----------
    scenario_path : str, PathLike or None

    Returns
    -------
    Scenario or None

    Raises
    ------
    VsmInputError
        If the path names no file, or the file is not a valid scenario.
    """
    if scenario_path is None or not str(scenario_path).strip():
        return None
    return load_scenario(require_file(scenario_path, "scenario_path", "a scenario file (YAML)"))
