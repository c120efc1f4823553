"""Save a scenario over its YAML file and keep the file: comments, key order and each value's own spelling.

A scenario file says more than its changes: a header naming the map it is
for, a comment beside a value, a change written on one line. As for maps
(`vsm_widgets.io.map_roundtrip`), the file is read with ruamel.yaml's
round-trip loader and only what the edit changed is written into it:

- a change is matched to the one it came from by its line in the file, so a
  change moved up or down takes its comments with it, and a removed one takes
  them away;
- a key whose value reads the same as before keeps its node as written
  (``by: 0.5`` stays ``0.5``, not ``50%``); a changed one is written as the
  editor gives it, a duration with the unit it was typed in;
- a new change is written in the style of the others: on one line when
  every change of the file is, else as a block, its lists on one line.

`vsm_widgets.future.scenario.save_scenario` calls `dumps_scenario_keeping`
whenever the target is an existing scenario file; a new file, or one whose
merged text would not read back as the scenario saved, is written afresh.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from vsm_widgets.io.map_roundtrip import refill_keeping_comments, round_trip_yaml
from vsm_widgets.io.scenario_reader import read_change, read_document

__all__ = ["dumps_scenario_keeping"]


def _node(value: Any) -> Any:
    """A value of a change as a round-trip node; a list (a handoff, the steps to merge) on one line."""
    if isinstance(value, (list, tuple)):
        node = CommentedSeq(value)
        node.fa.set_flow_style()
        return node
    return value


def _new_change(values: dict[str, Any], flow: bool) -> CommentedMap:
    node = CommentedMap((key, _node(value)) for key, value in values.items())
    if flow:
        node.fa.set_flow_style()
    return node


def _merge(old: CommentedMap, new: dict[str, Any], same: set[str]) -> None:
    """Write the change `new` into its node `old`: keys in `same` keep their nodes, new keys follow their neighbours."""
    for key in [k for k in old if k not in new]:
        del old[key]
    previous: str | None = None
    for key, value in new.items():
        if key in old:
            if key not in same:
                old[key] = _node(value)
        else:
            keys = list(old)
            old.insert(keys.index(previous) + 1 if previous in keys else len(keys), key, _node(value))
        previous = key


def _read(entries: list[dict[str, Any]], unit: str | None) -> list[dict[str, Any]]:
    """The checked values of each change, without the lines they stand on."""
    read = [read_change(entry, index, unit) for index, entry in enumerate(entries)]
    for values in read:
        values.pop("line", None)
    return read


def dumps_scenario_keeping(document: dict[str, Any], lines: Sequence[int | None], text: str) -> str | None:
    """The text of a scenario file after saving `document` over it, keeping all that the edit did not change.

    Parameters
    ----------
    document : dict
        The scenario as its file writes it (`Scenario.to_dict`): ``name``, optionally ``unit``
        and other keys, and ``changes``.
    lines : sequence of int or None
        For each change of `document`, the line of the change in `text` it came from; None for a new change.
    text : str
        The file's current text.

    Returns
    -------
    str or None
        The new text; None when `text` is not a scenario, or when the merged text would not
        read back as `document` (the caller then writes it afresh).
    """
    try:
        before = read_document(text)
        yaml = round_trip_yaml(text)
        doc = yaml.load(text)
        expected = _read(document["changes"], document.get("unit"))
    except Exception:  # any file that is no scenario of ours is written afresh, never half merged
        return None
    seq = doc.get("changes") if isinstance(doc, CommentedMap) else None
    if not isinstance(seq, CommentedSeq) or len(seq) != len(before["changes"]):
        return None
    for key in ("name", "unit"):
        if (document.get(key) or None) != (before[key] or None):
            if document.get(key):
                doc[key] = document[key]
            elif key in doc:
                del doc[key]
    by_line = {values["line"]: index for index, values in enumerate(before["changes"])}
    flow = bool(seq) and all(isinstance(item, CommentedMap) and item.fa.flow_style() for item in seq)
    items, sources = [], []
    for new, values, line in zip(document["changes"], expected, lines, strict=True):
        source = by_line.get(line) if line is not None else None
        if source is None or not isinstance(seq[source], CommentedMap):
            items.append(_new_change(new, flow))
            source = None
        else:
            old = before["changes"][source]
            same = {key for key in new if key in old and old[key] == values.get(key)}
            _merge(seq[source], new, same)
            items.append(seq[source])
        sources.append(source)
    refill_keeping_comments(seq, items, sources)
    out = io.StringIO()
    yaml.dump(doc, out)
    merged = out.getvalue()
    try:
        reread = read_document(merged)
        reads_back = _read_back(reread) == expected and reread["name"] == (document.get("name") or "")
    except Exception:
        reads_back = False
    return merged if reads_back else None


def _read_back(document: dict[str, Any]) -> list[dict[str, Any]]:
    changes = [dict(values) for values in document["changes"]]
    for values in changes:
        values.pop("line", None)
    return changes
