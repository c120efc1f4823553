"""What a batch of readouts will run: one job per input, with its name and parameters.

Everything that would make every input fail alike is checked here, before any
kernel starts: missing files, an unknown notebook parameter, a notebook that
cannot take an input, an output folder that cannot be written. Each input's readout gets a distinct file name, and a
mapping or scenario file not given explicitly is found beside the input as
``NAME.mapping.yaml`` or ``NAME.scenario.yaml``.

The notebook receives these parameters when its parameters cell declares them:
``input_path`` (required), ``name``, ``mapping_path`` and ``scenario_path``;
paths are absolute, because the kernel runs in a folder of its own.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import papermill

from vsm_widgets.exceptions import ReadoutError
from vsm_widgets.io.companions import companion_file
from vsm_widgets.readout.batch_index import INDEX_NAME
from vsm_widgets.readout.execute import ReadoutJob

# Names a readout may not take: the index lives beside the readouts.
RESERVED_NAMES = frozenset({Path(INDEX_NAME).stem})


def readout_names(inputs: Iterable[Path]) -> list[str]:
    """A distinct file name stem for each input's readout.

    The input's own stem where it is unique, else prefixed with its folder's name, else
    numbered. ``index`` is kept for the batch index.

    Parameters
    ----------
    inputs : iterable of Path
        The inputs in order.

    Returns
    -------
    list of str

    Examples
    --------
    >>> readout_names([Path("a/team.csv"), Path("b/team.csv"), Path("ops.csv")])
    ['a-team', 'b-team', 'ops']
    """
    paths = list(inputs)
    stems = [path.stem for path in paths]
    taken = set(RESERVED_NAMES)
    names = []
    for path, stem in zip(paths, stems, strict=True):
        name = stem if stems.count(stem) == 1 and stem not in taken else f"{path.resolve().parent.name}-{stem}"
        base, number = name, 2
        while name in taken:
            name, number = f"{base}-{number}", number + 1
        taken.add(name)
        names.append(name)
    return names


def plan_readouts(
    inputs: Iterable[str | Path],
    notebook: Path,
    *,
    scenario: str | Path | None = None,
    mapping: str | Path | None = None,
    parameters: Mapping[str, Any] | None = None,
) -> list[ReadoutJob]:
    """One job per input, after checking everything that would make every input fail alike.

    Parameters
    ----------
    inputs : iterable of str or Path
        Timing exports or map files.
    notebook : Path
        The notebook file.
    scenario, mapping : str or Path, optional
        Files for every input instead of the ones found beside each input.
    parameters : mapping, optional
        More parameters, the same for every input.

    Returns
    -------
    list of ReadoutJob
        In input order, with the parameters the notebook declares.

    Raises
    ------
    ReadoutError
        No inputs, a missing file, or parameters the notebook cannot take.
    """
    paths = [Path(p) for p in inputs]
    if not paths:
        raise ReadoutError("no inputs were given. Name one or more exports or map files")
    folders = [p for p in paths if p.is_dir()]
    if folders:
        # A folder holds mappings, scenarios and other files beside the exports: which are inputs is the caller's call.
        raise ReadoutError(
            f"{folders[0]} is a folder, not a file. Name the exports and maps in it, such as {folders[0] / '*.csv'}"
        )
    missing = [str(p) for p in paths if not p.is_file()]
    missing += [str(p) for p in (mapping, scenario) if p is not None and not Path(p).is_file()]
    if missing:
        raise ReadoutError(f"no such file: {', '.join(missing)}. Check the paths")
    try:
        declared = set(papermill.inspect_notebook(notebook))
    except ValueError as error:  # papermill cannot tell the notebook's language without a kernelspec
        raise ReadoutError(f"{notebook.name}: {error} Open and save it in Jupyter to record its kernel") from None
    extra = dict(parameters or {})
    text = notebook.read_text(encoding="utf-8")
    if not declared and not _has_parameters_cell(text):
        raise ReadoutError(
            f"{notebook}: no cell is tagged `parameters`, so no input can be given to it. Tag the cell that "
            "sets input_path `parameters` (JupyterLab: the cell's property inspector) and save the notebook"
        )
    if "input_path" not in declared:
        raise ReadoutError(
            f"{notebook.name} declares no input_path parameter, so it cannot be run for each input. Tag its "
            "parameters cell `parameters` and set input_path there"
        )
    wanted = {"mapping_path": mapping, "scenario_path": scenario}
    unknown = sorted({k for k, v in wanted.items() if v is not None} - declared) + sorted(set(extra) - declared)
    if unknown or "input_path" in extra:
        raise ReadoutError(
            f"{notebook.name} takes no parameter {', '.join(unknown or ['input_path'])} from the caller. "
            f"Its parameters: {', '.join(sorted(declared))}"
        )
    jobs = []
    for path, name in zip(paths, readout_names(paths), strict=True):
        files = {
            "input_path": path,
            "mapping_path": mapping if mapping is not None else companion_file(path, "mapping"),
            "scenario_path": scenario if scenario is not None else companion_file(path, "scenario"),
        }
        # Absolute, because the kernel runs in a folder of its own.
        values = {key: str(Path(value).resolve()) if value is not None else None for key, value in files.items()}
        values["name"] = name
        injected = {key: value for key, value in values.items() if key in declared} | extra
        jobs.append(
            ReadoutJob(name=name, source=str(path), notebook=text, notebook_name=notebook.name, parameters=injected)
        )
    return jobs


def _has_parameters_cell(text: str) -> bool:
    """Whether a notebook's JSON text has a cell tagged ``parameters``, as papermill looks for."""
    cells = json.loads(text).get("cells", [])
    return any("parameters" in cell.get("metadata", {}).get("tags", []) for cell in cells)


def output_folder(out_dir: str | Path) -> Path:
    """The batch's output folder, created if missing, once it is known that files can be written there.

    Parameters
    ----------
    out_dir : str or Path
        The folder asked for.

    Returns
    -------
    Path

    Raises
    ------
    ReadoutError
        If it names a file, cannot be created, or does not let files be written in it; checked
        before any kernel starts, so that no input runs for nothing.
    """
    folder = Path(out_dir)
    if folder.exists() and not folder.is_dir():
        raise ReadoutError(f"{folder}: is a file, not a folder. Give --out a folder (it is created if missing)")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ReadoutError(
            f"{folder}: the output folder cannot be created ({error.strerror}). Give --out a folder you can write in"
        ) from None
    try:
        # Writing is what counts: permission bits do not bind every user, a read-only mount binds all.
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:
        raise ReadoutError(
            f"{folder}: files cannot be written in this folder ({error.strerror}). "
            "Give --out a folder you can write in, or change its permissions"
        ) from None
    return folder
