"""Save a map over its YAML file and keep the file: comments, key order, layout and each value's own spelling.

A coach's map file carries more than the map: a header saying where the
numbers came from, a reason beside a wait ("# weekly approval board"), the
order the team wrote the steps in, and units chosen value by value ("10 d"
in a map counted in hours). Writing the map out afresh loses all of that.
Here the file is read with ruamel.yaml's round-trip loader, and only what the
edit changed is written into that document:

- a value whose meaning is unchanged keeps its node as it was written;
- a changed duration keeps the unit it was written in when the new value can
  be said exactly in it (a wait of "7 d" edited to two days is "2 d", not a
  bare 48 in a map counted in hours);
- steps are matched by id and arrows by their two ends (an arrow that a new
  step took over matches the arrow it replaced), so a comment travels with
  its step or arrow when the order changes, and goes only with it;
- new keys go after the key that precedes them in the map file format; keys
  the edit removed are dropped, and a default the file left out stays out.

`vsm_widgets.io.map_file.save_map` calls `dumps_map_keeping` whenever the
target is an existing YAML map; a new file, a JSON file or one that is no map
is written afresh.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.util import load_yaml_guess_indent

from vsm_widgets.io.map_file import loads_map, stream_to_dict
from vsm_widgets.model.elements import Handoff, Step
from vsm_widgets.model.stream import ValueStream
from vsm_widgets.units import Duration, normalise_unit, parse_duration

__all__ = ["dumps_map_keeping", "refill_keeping_comments", "round_trip_yaml"]

_NUMBER_AND_UNIT = re.compile(r"^\s*[-+]?[0-9.]+(?:[eE][-+]?[0-9]+)?\s*([A-Za-z]+)\s*$")
_HANDOFF_KEYS = {"from": "source", "to": "target"}
_DURATIONS = ("process_time", "lead_time", "changeover", "wait", "available_time_per_day")


def _plain(number: float) -> int | float:
    return int(number) if float(number).is_integer() and abs(number) < 1e15 else float(number)


def _in_written_unit(duration: Duration, written: object, unit: str, hours_per_day: float) -> str | None:
    """`duration` in the unit `written` was spelled in ("7 d" gives "2 d"), when that reads back exactly."""
    match = _NUMBER_AND_UNIT.match(str(written)) if isinstance(written, str) else None
    if match is None:
        return None
    try:
        name = normalise_unit(match.group(1))
    except ValueError:
        return None
    text = f"{_plain(round(duration.to(name, hours_per_day), 9))!r} {match.group(1)}"
    return text if parse_duration(text, unit, hours_per_day) == duration else None


def _node(value: Any) -> Any:
    """A value from `stream_to_dict` as a round-trip node, keeping its flow style (arrows, waste lists)."""
    if isinstance(value, dict):
        node = CommentedMap((k, _node(v)) for k, v in value.items())
        if type(value) is not dict:  # map_file's one-line mappings
            node.fa.set_flow_style()
        return node
    if isinstance(value, list):
        node = CommentedSeq(_node(v) for v in value)
        if type(value) is not list:
            node.fa.set_flow_style()
        return node
    return value


def _merge(old: CommentedMap, new: dict[str, Any], same: Callable[[str], bool], restyle: Callable) -> None:
    """Write `new` into `old` in place: unchanged meanings keep their nodes, new keys follow their neighbours."""
    for key in [k for k in old if k not in new and not same(k)]:
        del old[key]
    previous: str | None = None
    for key, value in new.items():
        if key in old:
            if not same(key):
                old[key] = restyle(key, value, old[key])
        elif same(key):
            continue  # the file says it by leaving the key out (a default), and still means it
        else:
            keys = list(old)
            old.insert(keys.index(previous) + 1 if previous in keys else len(keys), key, _node(value))
        previous = key


def refill_keeping_comments(seq: CommentedSeq, items: list[Any], sources: list[int | None]) -> None:
    """Fill `seq` with `items`, each keeping the comment of the old item it came from.

    Parameters
    ----------
    seq : CommentedSeq
        A round-trip list, refilled in place.
    items : list
        Its new items, in order.
    sources : list of int or None
        For each item, the index in `seq` it came from (None for a new item).
    """
    comments = {index: seq.ca.items.get(index) for index in range(len(seq))}
    seq.clear()
    seq.ca.items.clear()
    for index, (item, source) in enumerate(zip(items, sources, strict=True)):
        seq.append(item)
        if source is not None and comments.get(source) is not None:
            seq.ca.items[index] = comments[source]


def _match_handoffs(old: list[Handoff], new: list[Handoff]) -> dict[int, int]:
    """New arrow index to old arrow index: by both ends, then into the same step, then out of the same step.

    A step keeps the queue in front of it when steps are inserted or moved
    (`ValueStream.add_step`, `ValueStream.move_step`), and a comment on an
    arrow is about that queue, so the end an arrow leads to decides first.
    """
    old_index = {h.key: i for i, h in enumerate(old)}
    matched = {n: old_index[h.key] for n, h in enumerate(new) if h.key in old_index}
    free = [i for i in range(len(old)) if i not in matched.values()]
    for end in ("target", "source"):
        for n, handoff in enumerate(new):
            if n in matched:
                continue
            found = next((i for i in free if getattr(old[i], end) == getattr(handoff, end)), None)
            if found is not None:
                matched[n] = found
                free.remove(found)
    return matched


class _Writer:
    """Merges the document of an edited stream into the round-trip document of its file."""

    def __init__(self, doc: CommentedMap, before: ValueStream, after: ValueStream) -> None:
        self.doc, self.before, self.after = doc, before, after

    def restyle(self, key: str, value: Any, old: Any) -> Any:
        if key in _DURATIONS and not isinstance(value, dict):
            element = self._current
            duration = getattr(element, key, None)
            if isinstance(duration, Duration):
                kept = _in_written_unit(duration, old, self.after.unit, self.after.hours_per_day)
                if kept is not None:
                    return kept
        if isinstance(old, CommentedSeq) and isinstance(value, list):
            flow = old.fa.flow_style()
            node = _node(list(value))
            if flow:
                node.fa.set_flow_style()
            return node
        return _node(value)

    def write(self) -> None:
        new = stream_to_dict(self.after)
        steps, handoffs = new.pop("steps"), new.pop("handoffs")
        self._current: Any = self.after
        top_same = self._same(self.before, self.after, {})
        _merge(
            self.doc,
            {**new, "steps": None, "handoffs": None},
            lambda k: k in ("steps", "handoffs") or top_same(k),
            self.restyle,
        )
        self._steps(steps)
        self._handoffs(handoffs)

    @staticmethod
    def _same(old: object, new: object, names: dict[str, str]) -> Callable[[str], bool]:
        def same(key: str) -> bool:
            attribute = names.get(key, key)
            if hasattr(new, attribute) and hasattr(old, attribute):
                return getattr(old, attribute) == getattr(new, attribute)
            extra_old, extra_new = getattr(old, "extra", {}), getattr(new, "extra", {})
            return key in extra_old and key in extra_new and extra_old[key] == extra_new[key]

        return same

    def _steps(self, rows: list[dict[str, Any]]) -> None:
        seq = self.doc.get("steps")
        if not isinstance(seq, CommentedSeq):
            self.doc["steps"] = _node(rows)
            return
        by_id = {item.get("id"): i for i, item in enumerate(seq) if isinstance(item, CommentedMap)}
        items, sources = [], []
        for step, row in zip(self.after.steps, rows, strict=True):
            source = by_id.get(step.id) if step.id in self.before.step_ids else None
            if source is None:
                items.append(_node(row))
            else:
                self._current = step
                _merge(seq[source], row, self._same(self.before.step(step.id), step, {}), self.restyle)
                items.append(seq[source])
            sources.append(source)
        refill_keeping_comments(seq, items, sources)

    def _handoffs(self, rows: list[dict[str, Any]]) -> None:
        seq = self.doc.get("handoffs")
        if not isinstance(seq, CommentedSeq) or len(seq) != len(self.before.handoffs):
            self.doc["handoffs"] = _node(rows)
            return
        matched = _match_handoffs(list(self.before.handoffs), list(self.after.handoffs))
        items, sources = [], []
        for index, (handoff, row) in enumerate(zip(self.after.handoffs, rows, strict=True)):
            source = matched.get(index)
            if source is None or not isinstance(seq[source], CommentedMap):
                items.append(_node(row))
                source = None
            else:
                self._current = handoff
                old: Step | Handoff = self.before.handoffs[source]
                _merge(seq[source], row, self._same(old, handoff, _HANDOFF_KEYS), self.restyle)
                items.append(seq[source])
            sources.append(source)
        refill_keeping_comments(seq, items, sources)


def round_trip_yaml(text: str) -> YAML:
    """A ruamel.yaml round-trip loader and dumper that writes with the indentation `text` was written in.

    Parameters
    ----------
    text : str
        A YAML file's text.

    Returns
    -------
    ruamel.yaml.YAML
    """
    _data, indent, offset = load_yaml_guess_indent(text)
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 1 << 16  # a line the file had on one line stays on one line
    sequence = indent or 2
    offset = offset or 0
    yaml.indent(mapping=max(sequence - offset, 2) if offset else sequence, sequence=sequence, offset=offset)
    return yaml


def dumps_map_keeping(stream: ValueStream, text: str) -> str | None:
    """The text of a YAML map file after saving `stream` over it, keeping all that the edit did not change.

    Parameters
    ----------
    stream : ValueStream
        The map to save.
    text : str
        The file's current text.

    Returns
    -------
    str or None
        The new text; None when `text` is not a map, or when the merged text
        would not read back as `stream` (the caller then writes it afresh).
    """
    try:
        before = loads_map(text)
        yaml = round_trip_yaml(text)
        doc = yaml.load(text)
    except Exception:  # any file that is no map of ours is written afresh, never half merged
        return None
    if not isinstance(doc, CommentedMap):
        return None
    _Writer(doc, before, stream).write()
    out = io.StringIO()
    yaml.dump(doc, out)
    merged = out.getvalue()
    # The emitter and the loader disagree on a few exotic plain scalars; a file that would not read back
    # as the map saved is never written.
    try:
        reads_back = loads_map(merged) == stream
    except Exception:
        reads_back = False
    return merged if reads_back else None
