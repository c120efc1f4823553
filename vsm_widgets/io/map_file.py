"""The map file (DESIGN 4.1): read and write value stream maps as YAML or JSON.

Quantities of time are a bare number in the map's ``unit`` or a string with its
own unit ("10 min", "2.5 h", "1 s"); percentages are "95%" or 0.95. Keys the
model does not know (on the map, a step or a handoff) are kept and written
back. Every error names the file, the line and the key. Saving is atomic: a
temporary file in the same folder, then a rename, so a crash leaves the old
file whole. Saving over an existing YAML map keeps its comments, order and
spellings (`vsm_widgets.io.map_roundtrip`).

On save a quantity is written as a bare number in the map's unit when that
number reads back to exactly the same duration, and otherwise with the unit
that says it most briefly ("39 s" in a map counted in days), so load, save,
load gives an equal stream.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from vsm_widgets.exceptions import MapFileError, VsmInputError
from vsm_widgets.io.atomic import write_atomically
from vsm_widgets.io.map_reader import stream_from_dict
from vsm_widgets.io.yaml_document import collector_paused, document_of, load_yaml
from vsm_widgets.model.elements import Handoff, Step, thaw_extra
from vsm_widgets.model.stream import ValueStream
from vsm_widgets.units import Duration, parse_duration, parse_percent

__all__ = ["FORMATS", "dumps_map", "load_map", "loads_map", "save_map", "stream_from_dict", "stream_to_dict"]

FORMATS = ("yaml", "json")
_SHORT_NUMBER = 8  # characters: 0.5 or 0.125 days stay bare, 0.041666666666666664 days becomes "20 min"
_UNIT_ABBREVIATIONS = (("seconds", "s"), ("minutes", "min"), ("hours", "h"), ("days", "d"))


def _format_of(path: Path, fmt: str | None) -> str:
    if fmt is not None:
        if fmt not in FORMATS:
            raise VsmInputError(f"unknown map format {fmt!r}", "Use yaml or json")
        return fmt
    return "json" if path.suffix.lower() == ".json" else "yaml"


def loads_map(text: str, fmt: str = "yaml", source: str | None = None) -> ValueStream:
    r"""Read a map from text.

    Parameters
    ----------
    text : str
        The YAML or JSON document.
    fmt : {"yaml", "json"}
        Its format.
    source : str, optional
        The file name errors should name.

    Returns
    -------
    ValueStream

    Raises
    ------
    MapFileError
        If the text is not a valid map; the message names the line and key.

    Examples
    --------
    >>> stream = loads_map("name: Demo\nunit: hours\nsteps:\n  - {id: a, process_time: 2}\n")
    >>> stream.lead_time().to("hours")
    2.0
    """
    fmt = _format_of(Path(source or "map"), fmt)
    with collector_paused():  # the steps, like the parsed document, all live as long as the stream
        return _read(text, fmt, source)


def _read(text: str, fmt: str, source: str | None) -> ValueStream:
    if fmt == "json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise MapFileError(
                f"not valid JSON: {error.msg}", "Check the brackets, commas and quotes", file=source, line=error.lineno
            ) from None
        except ValueError as error:  # Python refuses integers of more than 4,300 digits
            raise MapFileError(
                f"not a usable JSON map: {str(error).split(':')[0]}", "Write numbers of a sensible size", file=source
            ) from None
        document = document_of(text, data, source, MapFileError)  # JSON is YAML, mostly: lines and duplicates
    else:
        document = load_yaml(text, source, MapFileError)
        data = document.data
    return stream_from_dict(data, source, document=document)


def load_map(path: str | os.PathLike[str], fmt: str | None = None) -> ValueStream:
    """Read a map file.

    Parameters
    ----------
    path : str or PathLike
        A ``.yaml``/``.yml`` or ``.json`` file.
    fmt : {"yaml", "json"}, optional
        The format; from the file suffix when left out (YAML unless ``.json``).

    Returns
    -------
    ValueStream

    Raises
    ------
    MapFileError
        If the file is not a valid map; the message names the file, line and key.
    FileNotFoundError
        If there is no such file.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")  # a byte-order mark is no reason to refuse JSON or YAML
    except UnicodeDecodeError:
        raise MapFileError("the file is not UTF-8 text", "Save it as UTF-8 YAML or JSON", file=path) from None
    return loads_map(text, _format_of(path, fmt), source=str(path))


# ----- writing -----------------------------------------------------------------------------------


def _plain(number: float) -> int | float:
    number = float(number)
    return int(number) if number.is_integer() and abs(number) < 1e15 else number


def _reads_back(check: Callable[[], bool]) -> bool:
    try:
        return check()
    except ValueError:
        return False


def _duration_out(duration: Duration, unit: str, hours_per_day: float, written: object = None) -> int | float | str:
    """The file's own spelling while it reads back exactly, else a short bare number, else the briefest "value unit"."""
    if written is not None and _reads_back(lambda: parse_duration(written, unit, hours_per_day) == duration):
        return written
    bare = _plain(duration.to(unit, hours_per_day))
    bare_exact = parse_duration(bare, unit, hours_per_day).seconds == duration.seconds
    if bare_exact and len(str(bare)) <= _SHORT_NUMBER:
        return bare
    candidates: list[tuple[int, int | float | str]] = [(len(str(bare)), bare)] if bare_exact else []
    for name, abbreviation in _UNIT_ABBREVIATIONS:
        number = _plain(duration.to(name, hours_per_day))
        text = f"{number!r} {abbreviation}"
        if parse_duration(text, unit, hours_per_day).seconds == duration.seconds:
            candidates.append((len(repr(number)), text))
    if not candidates:  # float seconds always read back exactly
        return f"{duration.seconds!r} s"
    return min(candidates, key=lambda c: c[0])[1]


def _share_out(share: float, written: object = None) -> str | float:
    if written is not None and _reads_back(lambda: parse_percent(written) == share):
        return written
    text = f"{_plain(round(share * 100, 10))!r}%"
    return text if parse_percent(text) == share else share


class _Flow(dict):
    """A mapping written on one line in YAML: handoffs read best that way."""


class _FlowList(list):
    """A list written on one line in YAML."""


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(_Flow, lambda d, data: d.represent_mapping("tag:yaml.org,2002:map", data, flow_style=True))
_Dumper.add_representer(_FlowList, lambda d, data: d.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True))


def _step_out(step: Step, unit: str, hours_per_day: float) -> dict[str, Any]:
    out: dict[str, Any] = {"id": step.id, "name": step.name}
    if step.owner is not None:
        out["owner"] = step.owner
    out["process_time"] = _duration_out(step.process_time, unit, hours_per_day, step.written_as.get("process_time"))
    for key in ("lead_time", "changeover"):
        if getattr(step, key) is not None:
            out[key] = _duration_out(getattr(step, key), unit, hours_per_day, step.written_as.get(key))
    if step.pct_ca != 1:
        out["pct_ca"] = _share_out(step.pct_ca, step.written_as.get("pct_ca"))
    out["value"] = step.value
    if step.wastes:
        out["wastes"] = _FlowList(step.wastes)
    if step.staff != 1:
        out["staff"] = _plain(step.staff)
    if step.uptime != 1:
        out["uptime"] = _share_out(step.uptime, step.written_as.get("uptime"))
    if step.batch_size is not None:
        out["batch_size"] = _plain(step.batch_size)
    if step.notes:
        out["notes"] = step.notes
    out.update(thaw_extra(step.extra))
    return out


def _handoff_out(handoff: Handoff, unit: str, hours_per_day: float) -> dict[str, Any]:
    out: dict[str, Any] = _Flow({"from": handoff.source, "to": handoff.target})
    if handoff.wait is not None and (handoff.wait or handoff.inventory is not None):
        out["wait"] = _duration_out(handoff.wait, unit, hours_per_day, handoff.written_as.get("wait"))
    if handoff.inventory is not None:
        out["inventory"] = _plain(handoff.inventory)
    if handoff.owner is not None:
        out["owner"] = handoff.owner
    if handoff.kind != "push":
        out["kind"] = handoff.kind
    out.update(thaw_extra(handoff.extra))
    return out


def stream_to_dict(stream: ValueStream) -> dict[str, Any]:
    """The map document of a stream: the dict `dumps_map` writes.

    Parameters
    ----------
    stream : ValueStream

    Returns
    -------
    dict
        Keys in the order of DESIGN 4.1, defaults left out, unknown keys last.
    """
    unit, hours = stream.unit, stream.hours_per_day
    doc: dict[str, Any] = {
        "name": stream.name,
        "unit": unit,
        "hours_per_day": _plain(hours),
        "supplier": stream.supplier,
        "customer": stream.customer,
    }
    if stream.demand_per_day is not None:
        doc["demand_per_day"] = _plain(stream.demand_per_day)
    if stream.available_time_per_day is not None:
        written = stream.written_as.get("available_time_per_day")
        doc["available_time_per_day"] = _duration_out(stream.available_time_per_day, unit, hours, written)
    doc["steps"] = [_step_out(s, unit, hours) for s in stream.steps]
    doc["handoffs"] = [_handoff_out(h, unit, hours) for h in stream.handoffs]
    doc.update(thaw_extra(stream.extra))
    return doc


def dumps_map(stream: ValueStream, fmt: str = "yaml") -> str:
    """Write a map as YAML or JSON text.

    Parameters
    ----------
    stream : ValueStream
    fmt : {"yaml", "json"}

    Returns
    -------
    str
        Text that `loads_map` reads back to an equal stream.
    """
    doc = stream_to_dict(stream)
    if _format_of(Path("map"), fmt) == "json":
        return json.dumps(doc, indent=2, ensure_ascii=False, default=str) + "\n"
    header = "# Value stream map: the format is described in docs/map-file.md of vsm-widgets\n"
    return header + yaml.dump(doc, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=120)


def save_map(stream: ValueStream, path: str | os.PathLike[str], fmt: str | None = None) -> Path:
    """Write a map file atomically: a temporary file in the same folder, then a rename.

    Parameters
    ----------
    stream : ValueStream
    path : str or PathLike
        Where to write; the format follows the suffix (``.json`` or YAML).
    fmt : {"yaml", "json"}, optional
        Override the format.

    Returns
    -------
    pathlib.Path
        The path written.

    Notes
    -----
    Over an existing YAML map the file is kept: its comments, key order,
    layout and each value's own spelling (`vsm_widgets.io.map_roundtrip`).
    """
    fmt = _format_of(Path(path), fmt)
    text = None
    if fmt == "yaml" and Path(path).is_file():
        from vsm_widgets.io.map_roundtrip import dumps_map_keeping  # it builds on this module

        text = dumps_map_keeping(stream, Path(path).read_text(encoding="utf-8"))
    return write_atomically(path, text if text is not None else dumps_map(stream, fmt))
