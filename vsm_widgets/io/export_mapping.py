"""The mapping file: how a timing export's columns and statuses are read.

A mapping (YAML, JSON or a dict) renames columns to the canonical ones, fixes
the timestamp format and the time zone of naive timestamps, and for status
histories maps each status to a step as ``active`` or ``waiting``, names the
done statuses, the start point and the backward-move policy. Everything in it
is optional: what it leaves out is inferred by `vsm_widgets.io.exports` and the
inference is reported. docs/exports.md is the reference. Each key's value is
checked in `vsm_widgets.io.mapping_keys`; this module finds the mapping and holds it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from vsm_widgets.exceptions import MappingError
from vsm_widgets.io.mapping_keys import REFERENCE_HINT, StatusRule, checked_values

if TYPE_CHECKING:
    from vsm_widgets.io.yaml_document import YamlDocument


@dataclass(frozen=True)
class Mapping:
    """How to read one timing export.

    Parameters
    ----------
    shape : str or None
        ``"intervals"``, ``"status_history"``, ``"lifecycle"`` or ``"stage_dates"``; None to infer from the columns.
    columns : dict
        Canonical column name -> the export's column name.
    timestamp_format : str or None
        A ``strptime`` format for every timestamp column, or ``epoch_s``, ``epoch_ms`` or ``excel`` for
        times written as numbers; None to recognise ISO 8601 and common forms.
    timezone : str
        IANA zone of naive timestamps.
    statuses : dict
        Status (or step) name -> `StatusRule`, in flow order.
    done : tuple of str
        Statuses that mean the item is finished.
    start_point : str
        ``"first_active"``, ``"first_status"`` or ``"created"``.
    backward_moves : str
        ``"keep"``, ``"first"`` or ``"last"``.
    as_of : Timestamp or None
        The moment the export describes; None for its latest timestamp.
    end_steps : tuple of str
        Interval logs: an item is finished once it has completed a visit to one of these steps.
    stages : tuple of str
        Stage-date CSVs: the columns that hold the date each stage was entered, in workflow
        order; empty for every date column in file order.
    whole_days : str
        ``"exact"``, ``"exclusive"`` or ``"inclusive"``: lead time in calendar dates beside the exact time.
    backlog_return : str
        ``"keep"`` or ``"restart"``: whether the clock restarts after a return to the backlog.
    sheet : str, int or None
        XLSX sheet name or 0-based position; None for the first sheet.
    source : str
        Where the mapping came from (its path), for error messages.
    given : frozenset of str
        The keys the mapping set explicitly; the rest are defaults.
    lines : dict
        Key path (``"statuses.Blocked"``) -> line in the mapping file, for error messages.
    """

    shape: str | None = None
    columns: dict[str, str] = field(default_factory=dict)
    timestamp_format: str | None = None
    timezone: str = "UTC"
    statuses: dict[str, StatusRule] = field(default_factory=dict)
    done: tuple[str, ...] = ()
    start_point: str = "first_active"
    backward_moves: str = "keep"
    as_of: pd.Timestamp | None = None
    end_steps: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    whole_days: str = "exact"
    backlog_return: str = "keep"
    sheet: str | int | None = None
    source: str = ""
    given: frozenset[str] = frozenset()
    lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    def error(self, problem: str, hint: str = REFERENCE_HINT, key: str | None = None) -> MappingError:
        """A `MappingError` that names this mapping's file and the line of `key`."""
        line = self.lines.get(key) if key else None
        if line is None and key and "." in key:
            line = self.lines.get(key.split(".", 1)[0])
        # "key 'sheet' must be ..." reads as a sentence; other problems follow a colon.
        joiner = " " if problem.split(" ", 1)[0] in ("is", "has", "must", "names") else ": "
        text = f"key '{key}'{joiner}{problem}" if key else problem
        return MappingError(text, hint, file=self.source or None, line=line)

    @property
    def active_steps(self) -> tuple[str, ...]:
        """Active steps in the order the statuses list them: the flow order."""
        return tuple(dict.fromkeys(rule.step for rule in self.statuses.values() if rule.kind == "active"))


def load_mapping(spec: str | Path | dict | Mapping | None) -> Mapping:
    """Read and check a mapping.

    Parameters
    ----------
    spec : path, dict, Mapping or None
        A YAML or JSON file, the same content as a dict, a ready `Mapping`
        (returned as it is), or None for an empty mapping (everything inferred).

    Returns
    -------
    Mapping

    Raises
    ------
    MappingError
        If the file is missing or not YAML, or a key or value is not understood;
        the message names the file, the line, the key and what to do.

    Examples
    --------
    >>> m = load_mapping({"statuses": {"In Progress": "Development", "Blocked": {"kind": "waiting"}}})
    >>> m.statuses["In Progress"]
    StatusRule(step='Development', kind='active')
    >>> m.active_steps
    ('Development',)
    """
    if isinstance(spec, Mapping):
        return spec
    if spec is None:
        return Mapping()
    if isinstance(spec, dict):
        return _build(spec, source="", lines={})
    path = Path(spec)
    if not path.is_file():
        raise MappingError(
            "the mapping file does not exist" if not path.exists() else "the mapping path is not a file",
            "Check the path of the mapping file (the mapping argument, or --mapping on the command line)",
            file=path,
        )
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise MappingError("the mapping file is not UTF-8 text", "Save it as UTF-8 YAML", file=path) from None
    from vsm_widgets.io.yaml_document import load_yaml  # here: an export read without a mapping needs no YAML

    document = load_yaml(text, str(path), MappingError)
    content = document.data
    if content is None:
        content = {}
    if not isinstance(content, dict):
        raise MappingError(
            "the mapping must be a set of keys such as 'columns:' and 'statuses:'", REFERENCE_HINT, file=path, line=1
        )
    lines, raw_keys = _dotted(document)
    return _build(content, source=str(path), lines=lines, raw_keys=raw_keys)


def _dotted(document: YamlDocument) -> tuple[dict[str, int], dict[str, list[str]]]:
    """Lines of the top-level keys and of the keys one level down (``"statuses.Blocked"``), and the raw key text.

    The raw text matters for statuses: YAML 1.1 reads a status called ``On``
    or ``No`` as a boolean, and the user meant the word.
    """
    lines = {".".join(map(str, path)): line for path, line in document.lines.items() if len(path) <= 2}
    raw_keys = {path[0]: keys for path, keys in document.raw_keys.items() if len(path) == 1}
    return lines, raw_keys


def _build(
    content: dict, *, source: str, lines: dict[str, int], raw_keys: dict[str, list[str]] | None = None
) -> Mapping:
    draft = Mapping(source=source, lines=lines)
    content = {str(k): v for k, v in content.items()}
    values = checked_values(draft, content, raw_keys or {})
    return Mapping(source=source, lines=lines, given=frozenset(content), **values)
