"""Names a mapping gives (statuses, done statuses, end steps) checked against the export's own.

A mapping is often reused across exports, so a name that this export happens
not to have is only noted in a decision. When none of the names of a key occurs
the mapping cannot describe this export (every item would stay unfinished, or
every status unmapped): that is refused with the names the export does have.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from vsm_widgets.io.export_mapping import Mapping
from vsm_widgets.io.quality import QualityTally

_SHOWN = 20


def check_mapping_names(rules: Mapping, frame: pd.DataFrame, shape: str, path: str | Path, tally: QualityTally) -> None:
    """Check the mapping's `statuses`, `done` and `end_steps` against the names in the export's rows.

    Parameters
    ----------
    rules : Mapping
        The mapping.
    frame : DataFrame
        The export's rows under canonical column names.
    shape : str
        ``"status_history"``, ``"intervals"`` or ``"lifecycle"``.
    path : str or Path
        The export, for messages.
    tally : QualityTally
        Where names the export does not have are noted.

    Raises
    ------
    MappingError
        If `statuses`, `done` or `end_steps` names nothing the export has.
    """
    if shape == "status_history":
        columns = [c for c in ("status", "from_status", "current_status") if c in frame]
        present = set().union(*(_distinct(frame[c]) for c in columns))
        if "statuses" in rules.given:
            check_names(rules, "statuses", rules.statuses, present, "statuses", path, tally)
        check_names(rules, "done", rules.done, present, "statuses", path, tally)
        return
    if "statuses" not in rules.given and not rules.end_steps:
        return
    steps = _distinct(frame["step"])
    if "statuses" in rules.given:
        check_names(rules, "statuses", rules.statuses, steps, "steps", path, tally)
    # end_steps name steps after the mapping renamed them.
    renamed = {rules.statuses[s].step if s in rules.statuses else s for s in steps}
    check_names(rules, "end_steps", rules.end_steps, renamed, "steps", path, tally)


def check_names(
    rules: Mapping,
    key: str,
    named: Iterable[str],
    present: Iterable[str],
    kind: str,
    path: str | Path,
    tally: QualityTally,
) -> None:
    """Refuse `key` when none of its `named` values is `present`; note the absent ones otherwise.

    Parameters
    ----------
    rules : Mapping
        The mapping, for the file and line of `key`.
    key : str
        The mapping key (``"statuses"``, ``"done"``, ``"end_steps"``).
    named : iterable of str
        The names the key gives.
    present : iterable of str
        The names found in the export (missing values left out).
    kind : str
        What the names are (``"statuses"`` or ``"steps"``), for the message.
    path : str or Path
        The export, for the message.
    tally : QualityTally
        Where the absent names are noted.

    Raises
    ------
    MappingError
        If no name of `key` occurs in the export.
    """
    named = list(dict.fromkeys(named))
    if not named:
        return
    known = sorted(set(present))
    absent = [name for name in named if name not in set(known)]
    if not absent:
        return
    listed = ", ".join(f"'{name}'" for name in absent[:_SHOWN])
    if len(absent) == len(named):
        shown = ", ".join(known[:_SHOWN]) + (f" and {len(known) - _SHOWN} more" if len(known) > _SHOWN else "")
        raise rules.error(
            f"names {kind} that no row of {Path(path).name} has: {listed}",
            f"Its {kind} are: {shown}. Names are compared exactly, capitals and spaces included",
            key=key,
        )
    tally.decide(f"mapping key '{key}' names {kind} that this export does not have: {listed}")


def _distinct(values: pd.Series) -> set[str]:
    """The distinct names of a column: a million rows hold a few hundred, and `unique` finds them without a loop."""
    return set(values.dropna().unique())
