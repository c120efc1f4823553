"""Where the readout notebooks are, installed or in a source checkout.

The notebooks live in the repository's top-level ``notebooks/`` folder, where
authors edit them and nbval runs them. A wheel carries a copy inside the
package as ``vsm_widgets/notebooks`` (a hatch force-include in
``pyproject.toml``), so ``pip install vsm-widgets`` alone can render readouts.
A source checkout or an editable install has no such copy and uses the
repository folder. (This module is not called ``notebooks.py`` because the
wheel's ``vsm_widgets/notebooks`` folder would share its import name.)
"""

from __future__ import annotations

import json
from pathlib import Path

from vsm_widgets.exceptions import ReadoutError
from vsm_widgets.io.samples import shipped_folder

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # vsm_widgets/, above this readout/ folder
SUFFIX = ".ipynb"


def notebooks_dir(package_dir: Path = PACKAGE_DIR) -> Path:
    """The folder of the readout notebooks.

    Parameters
    ----------
    package_dir : Path, optional
        The ``vsm_widgets`` package folder; the installed one by default.

    Returns
    -------
    Path
        ``<package>/notebooks`` in an installed wheel, otherwise ``notebooks/`` beside the
        package in a source checkout.

    Raises
    ------
    ReadoutError
        If neither folder exists.
    """
    found = shipped_folder(package_dir, "notebooks")
    if found is not None:
        return found
    raise ReadoutError(
        f"the readout notebooks are neither in {package_dir / 'notebooks'} (an installed wheel) nor in "
        f"{package_dir.parent / 'notebooks'} (a source checkout). Reinstall vsm-widgets"
    )


def available_notebooks(package_dir: Path = PACKAGE_DIR) -> list[str]:
    """Names of the notebooks `find_notebook` accepts, e.g. ``"readout"`` or ``"teaching/lean_waste_analysis"``.

    Parameters
    ----------
    package_dir : Path, optional
        The ``vsm_widgets`` package folder.

    Returns
    -------
    list of str
        Sorted names, without the ``.ipynb`` suffix.
    """
    folder = notebooks_dir(package_dir)
    return sorted(
        path.relative_to(folder).with_suffix("").as_posix()
        for path in folder.rglob(f"*{SUFFIX}")
        if ".ipynb_checkpoints" not in path.parts
    )


def find_notebook(notebook: str | Path, package_dir: Path = PACKAGE_DIR) -> Path:
    """Resolve a notebook given by name or by path.

    Parameters
    ----------
    notebook : str or Path
        A name in the package's notebooks folder (``"readout"``, ``"teaching/lean_waste_analysis"``),
        or the path of any ``.ipynb`` file.
    package_dir : Path, optional
        The ``vsm_widgets`` package folder.

    Returns
    -------
    Path
        The notebook file, absolute.

    Raises
    ------
    ReadoutError
        If there is no such notebook (the message lists the names there are), or a path names
        a file that is not a notebook.
    """
    given = Path(notebook)
    if given.suffix == SUFFIX:
        if given.is_file():
            check_notebook_file(given)
            return given.resolve()
        raise ReadoutError(f"{given}: no such notebook. Check the path")
    candidate = notebooks_dir(package_dir) / f"{given.as_posix()}{SUFFIX}"
    if candidate.is_file():
        return candidate
    names = ", ".join(available_notebooks(package_dir)) or "none"
    raise ReadoutError(f"there is no notebook named {str(notebook)!r}. Name one of: {names}; or give an .ipynb path")


def check_notebook_file(path: Path) -> None:
    """Refuse a file that is not a Jupyter notebook, saying what it is instead.

    Parameters
    ----------
    path : Path
        A file named ``*.ipynb``.

    Raises
    ------
    ReadoutError
        If it cannot be read, is not JSON, or is JSON but not a notebook (no ``cells`` list, no
        ``nbformat`` version).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise ReadoutError(
            f"{path}: not a notebook: byte {error.start} is not UTF-8 text. Give a notebook saved by Jupyter"
        ) from None
    except OSError as error:
        raise ReadoutError(f"{path}: cannot be read ({error.strerror}). Check its permissions") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ReadoutError(
            f"{path}: not a notebook: not JSON (line {error.lineno}, column {error.colno}: {error.msg}). "
            "Give a notebook saved by Jupyter"
        ) from None
    if not isinstance(document, dict) or not isinstance(document.get("cells"), list) or "nbformat" not in document:
        raise ReadoutError(
            f"{path}: not a notebook: JSON without a 'cells' list and an 'nbformat' version. "
            "Give a notebook saved by Jupyter"
        )
