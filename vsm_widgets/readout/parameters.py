"""``vsm readout -p NAME VALUE``: the notebook's own parameters, typed as its parameters cell declares.

papermill's command line reads ``True``, ``False``, ``None`` and numbers from the
text of a value whatever the parameter is, so ``-p since 2026`` would pass an
int to a date. Here the declared type decides: ``str`` stays text,
``Optional[...]`` takes ``None``, ``int``, ``float`` and ``bool`` are parsed and
refused when the value is not one. A parameter whose name ends in ``_path`` is
made absolute, because each kernel runs in a folder of its own.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import papermill

from vsm_widgets.exceptions import ReadoutError

# What the batch passes for each input itself (vsm_widgets.readout.batch_jobs).
PER_INPUT = ("input_path", "name", "mapping_path", "scenario_path")
_TRUE, _FALSE = ("true", "yes", "1"), ("false", "no", "0")
_OPTIONAL = re.compile(r"^Optional\[(.+)\]$")


def declared_parameters(notebook: Path) -> dict[str, dict[str, str]]:
    """The parameters cell of a notebook, as papermill reads it.

    Parameters
    ----------
    notebook : Path
        An ``.ipynb`` file with a cell tagged ``parameters``.

    Returns
    -------
    dict
        Name -> ``{name, inferred_type_name, default, help}``, in the cell's order.
    """
    return papermill.inspect_notebook(notebook)


def typed_parameters(notebook: Path, given: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """Check ``-p NAME VALUE`` pairs against the notebook and type each value.

    Parameters
    ----------
    notebook : Path
        The notebook the batch will run.
    given : iterable of (str, str)
        Names and values as typed on the command line.

    Returns
    -------
    dict
        Name -> value of the declared type.

    Raises
    ------
    ReadoutError
        A name the notebook does not declare (with the closest declared name and the whole
        list), one the batch sets for each input, or a value that is not of the declared type.

    Examples
    --------
    >>> from vsm_widgets.readout.notebook_paths import find_notebook
    >>> typed_parameters(find_notebook("review"), [("since", "2026-05-01"), ("seed", "7")])
    {'since': '2026-05-01', 'seed': 7}
    """
    pairs = list(given)
    if not pairs:
        return {}
    declared = declared_parameters(notebook)
    values = {}
    for name, text in pairs:
        if name in PER_INPUT:
            raise ReadoutError(
                f"-p {name}: the batch sets {name} for each input. Use the command's own arguments "
                "(the inputs, --mapping, --scenario) instead"
            )
        if name not in declared:
            close = difflib.get_close_matches(name, declared, n=1)
            nearest = f"Did you mean {close[0]}? " if close else ""
            raise ReadoutError(
                f"-p {name}: {notebook.name} has no parameter {name}. {nearest}"
                f"Its parameters: {', '.join(n for n in declared if n not in PER_INPUT)}"
            )
        values[name] = _typed(name, text, declared[name]["inferred_type_name"], notebook.name)
    return values


def _typed(name: str, text: str, type_name: str, notebook: str) -> Any:
    optional = _OPTIONAL.match(type_name)
    if optional:
        if text == "None":
            return None
        type_name = optional.group(1)
    try:
        if type_name == "int":
            return int(text)
        if type_name == "float":
            return float(text)
        if type_name == "bool":
            if text.lower() not in _TRUE + _FALSE:
                raise ValueError(text)
            return text.lower() in _TRUE
    except ValueError:
        raise ReadoutError(
            f"-p {name} {text}: {notebook} declares {name} as {type_name}, and {text!r} is not one"
        ) from None
    if name.endswith("_path"):
        return str(Path(text).resolve())
    return text
