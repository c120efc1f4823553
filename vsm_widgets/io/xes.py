"""XES event logs (IEEE 1849; ``.xes`` and ``.xes.gz``), streamed into a lifecycle event table.

The file is parsed with `xml.etree.ElementTree.iterparse` and every trace is
cleared from the tree once its events are taken, so memory follows the events
kept (a few typed columns), not the XML: a log of a gigabyte is never held as a
tree. Each event becomes one row with the standard extensions' keys as
columns: ``case:concept:name`` (the trace's ``concept:name``),
``concept:name``, ``lifecycle:transition``, ``time:timestamp``,
``org:resource``, ``org:group`` and ``concept:instance``; from there the log
is read as any lifecycle table is (`vsm_widgets.io.lifecycle`): starts and
completes paired first in, first out per case, activity and instance. An
event without ``lifecycle:transition`` (and no global default for it) is an
atomic ``complete``, as the lifecycle extension defines.
"""

from __future__ import annotations

import gzip
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from vsm_widgets.exceptions import ExportReadError
from vsm_widgets.io.tables import TableFile

CASE, ACTIVITY, TRANSITION, TIME = "case:concept:name", "concept:name", "lifecycle:transition", "time:timestamp"
EVENT_KEYS = (ACTIVITY, TRANSITION, TIME, "org:resource", "org:group", "concept:instance")
COLUMNS = (CASE, *EVENT_KEYS)
SUFFIXES = (".xes", ".xes.gz")
_CHUNK = 100_000
_HINT = "Give an XES log (IEEE 1849) as .xes or .xes.gz, as process-mining tools export it"


def is_xes(path: str | Path) -> bool:
    """True for a ``.xes`` or ``.xes.gz`` file.

    Examples
    --------
    >>> is_xes("loans.xes.gz"), is_xes("loans.csv")
    (True, False)
    """
    return str(path).lower().endswith(SUFFIXES)


def read_xes(path: str | Path) -> tuple[TableFile, tuple[str, ...]]:
    """Stream an XES log into a table of events, one row per event in file order.

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    table : TableFile
        Columns `COLUMNS` as text (timestamps as the file writes them).
    decisions : tuple of str
        What was read, and how many events took the default transition.

    Raises
    ------
    ExportReadError
        The file is missing, not gzip where it says so, not XML, or not an XES log.
    """
    path = Path(path)
    if not path.is_file():
        raise ExportReadError("the file does not exist", "Check the path and the file name", file=path)
    columns: dict[str, list] = {name: [] for name in COLUMNS}
    batches: list[pa.RecordBatch] = []
    traces = defaulted = 0
    defaults: dict[str, str] = {}
    events: list[dict[str, str]] = []
    opener = gzip.open if str(path).lower().endswith(".gz") else open
    try:
        with opener(path, "rb") as handle:
            parser = ET.iterparse(handle, events=("start", "end"))
            _, root = next(parser)
            namespace = root.tag[: root.tag.index("}") + 1] if root.tag.startswith("{") else ""
            if root.tag != f"{namespace}log":
                raise ExportReadError(
                    f"the XML is not an XES log (its root is <{root.tag[len(namespace) :]}>)", _HINT, file=path
                )
            event_tag, trace_tag, global_tag = f"{namespace}event", f"{namespace}trace", f"{namespace}global"
            # Only the ends of events, traces and globals do anything: their attributes are their own children
            # (nested attributes sit deeper and are not read).
            for kind, element in parser:
                if kind == "start":
                    continue
                tag = element.tag
                if tag == event_tag:
                    events.append({c.get("key"): c.get("value") for c in element if c.get("key") in EVENT_KEYS})
                    element.clear()
                elif tag == trace_tag:
                    case = next((c.get("value") for c in element if c.get("key") == ACTIVITY), None)
                    traces += 1
                    for row in events:
                        if TRANSITION not in row:
                            defaulted += 1
                        columns[CASE].append(case)
                        for name in EVENT_KEYS:
                            columns[name].append(row.get(name, defaults.get(name)))
                    events.clear()
                    # The trace is taken: free it and everything read before it.
                    root.clear()
                    if len(columns[CASE]) >= _CHUNK:
                        batches.append(_batch(columns))
                elif tag == global_tag and element.get("scope", "event") == "event":
                    for child in element:
                        if child.get("key") == TRANSITION:
                            defaults[TRANSITION] = child.get("value")
    except ET.ParseError as error:
        problem = str(error).split(":")[0]
        raise ExportReadError(
            f"the file is not well-formed XML ({problem})", _HINT, file=path, line=error.position[0]
        ) from None
    except StopIteration:
        raise ExportReadError("the file holds no XML", _HINT, file=path) from None
    except (OSError, EOFError, zlib.error) as error:
        raise ExportReadError(f"the file cannot be read ({type(error).__name__}: {error})", _HINT, file=path) from None
    if columns[CASE]:
        batches.append(_batch(columns))
    if not batches:
        raise ExportReadError("the XES log holds no events", _HINT, file=path)
    table = pa.Table.from_batches(batches)
    default = defaults.get(TRANSITION, "complete") or "complete"
    decisions = [f"XES log: {table.num_rows} events in {traces} traces, streamed"]
    if defaulted:
        decisions.append(
            f"{defaulted} events have no lifecycle:transition: read as '{default}' "
            + (
                "(the log's global default)"
                if TRANSITION in defaults
                else "(atomic events, as the lifecycle extension says)"
            )
        )
    position = table.column_names.index(TRANSITION)
    table = table.set_column(position, TRANSITION, pc.fill_null(table.column(TRANSITION), default))
    file = TableFile(path, "arrow", list(COLUMNS), "XES event log (IEEE 1849)", _arrow_table=table)
    return file, tuple(decisions)


def _batch(columns: dict[str, list]) -> pa.RecordBatch:
    """The events gathered so far as one Arrow batch (text columns), and empty lists for the next ones."""
    arrays = [pa.array(columns[name], type=pa.string()) for name in COLUMNS]
    for name in COLUMNS:
        columns[name].clear()
    return pa.RecordBatch.from_arrays(arrays, names=list(COLUMNS))
