"""Files that travel with an input: ``NAME.mapping.yaml`` and ``NAME.scenario.yaml`` beside it.

Kept apart from the readout machinery so that `vsm metrics` can look for a mapping
without importing papermill (seconds of start-up on every run).
"""

from __future__ import annotations

from pathlib import Path

COMPANION_SUFFIXES = (".yaml", ".yml")


def companion_file(input_path: Path, kind: str) -> Path | None:
    """``NAME.<kind>.yaml`` (or ``.yml``) beside an input, if it exists.

    Parameters
    ----------
    input_path : Path
        The input, e.g. ``data/samples/mobile_team.csv``.
    kind : str
        ``"mapping"`` or ``"scenario"``.

    Returns
    -------
    Path or None
        E.g. ``data/samples/mobile_team.mapping.yaml``.

    Examples
    --------
    >>> companion_file(Path("data/samples/mobile_team.csv"), "mapping")
    PosixPath('data/samples/mobile_team.mapping.yaml')
    """
    for suffix in COMPANION_SUFFIXES:
        candidate = input_path.with_name(f"{input_path.stem}.{kind}{suffix}")
        if candidate.is_file():
            return candidate
    return None
