"""The sample exports, mappings, scenarios and maps, installed or in a source checkout.

A wheel carries them as ``vsm_widgets/data/samples`` (hatch force-includes in
``pyproject.toml``), so that the notebooks' default parameters, written as
``../data/samples/...`` from the notebooks folder, resolve in a wheel as in a
checkout, and ``vsm samples DIR`` gives a wheel's user files to try everything on.
The generator scripts beside them in a checkout are not samples and stay behind.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from vsm_widgets.exceptions import VsmInputError

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # vsm_widgets/, above this io/ folder
SAMPLE_SUFFIXES = (".csv", ".xlsx", ".yaml")


def shipped_folder(package_dir: Path, *parts: str) -> Path | None:
    """A folder the package ships: inside it in an installed wheel, else beside it in a source checkout.

    Parameters
    ----------
    package_dir : Path
        The ``vsm_widgets`` package folder.
    *parts : str
        The folder's path below the package (a wheel) or below the checkout, such as ``"notebooks"``.

    Returns
    -------
    Path or None
        None when neither folder exists.
    """
    for candidate in (package_dir.joinpath(*parts), package_dir.parent.joinpath(*parts)):
        if candidate.is_dir():
            return candidate
    return None


def samples_dir(package_dir: Path = PACKAGE_DIR) -> Path:
    """The folder of the samples.

    Parameters
    ----------
    package_dir : Path, optional
        The ``vsm_widgets`` package folder; the installed one by default.

    Returns
    -------
    Path
        ``<package>/data/samples`` in an installed wheel, otherwise ``data/samples`` beside the
        package in a source checkout.

    Raises
    ------
    VsmInputError
        If neither folder exists.
    """
    found = shipped_folder(package_dir, "data", "samples")
    if found is not None:
        return found
    raise VsmInputError(
        "the samples are not installed",
        "Reinstall vsm-widgets from its wheel, or run from a clone of the repository",
        file=package_dir / "data" / "samples",
    )


def sample_files(package_dir: Path = PACKAGE_DIR) -> list[Path]:
    """Every sample file, relative to `samples_dir`: exports, mappings, scenarios and maps.

    Parameters
    ----------
    package_dir : Path, optional
        The ``vsm_widgets`` package folder.

    Returns
    -------
    list of Path
        Sorted, e.g. ``maps/office.yaml``, ``payments_team.csv``.
    """
    folder = samples_dir(package_dir)
    return sorted(
        path.relative_to(folder) for path in folder.rglob("*") if path.is_file() and path.suffix in SAMPLE_SUFFIXES
    )


def copy_samples(destination: str | Path, package_dir: Path = PACKAGE_DIR) -> list[Path]:
    """Copy every sample into `destination`, keeping their layout (``maps/`` included).

    Parameters
    ----------
    destination : str or Path
        A folder, created if missing. No file in it is overwritten.
    package_dir : Path, optional
        The ``vsm_widgets`` package folder.

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    VsmInputError
        Before anything is copied, if `destination` is a file or already holds a file of the
        same name as a sample.
    """
    source, target = samples_dir(package_dir), Path(destination)
    if target.exists() and not target.is_dir():
        raise VsmInputError("this is a file, not a folder", "Give a folder to copy the samples into", file=target)
    names = sample_files(package_dir)
    taken = [name.as_posix() for name in names if (target / name).exists()]
    if taken:
        raise VsmInputError(
            f"the folder already has {', '.join(taken)}",
            "Give an empty or new folder; existing files are never overwritten",
            file=target,
        )
    written = []
    for name in names:
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        written.append(Path(shutil.copy2(source / name, target / name)))
    return written
