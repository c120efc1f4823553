"""The headline of a readout: the few numbers the batch index shows for it.

A readout notebook ends with ``display_summary(log_or_stream)``, which displays
a small JSON payload under its own mimetype. Front ends and the readout
template do not render it; the batch runner reads it from the executed notebook
to fill the summary table of ``index.html``. The payload is built here, not in
the notebook, so the notebooks hold no logic.

Payload keys: ``name``, ``source`` (``"export"`` or ``"map"``), ``unit``,
``lead_time`` (with ``lead_time_statistic`` saying which), ``flow_efficiency``
(with ``flow_efficiency_definition``), ``largest_wait`` (``{from, to, place,
wait, unit, statistic}`` or None; ``place`` worded as the readout words it) and
``conventions``; exports add ``items``, ``finished_items`` and ``cannot_show`` (the sentences saying
what the readout cannot show and why, `vsm_widgets.readout.limits.cannot_show`; empty when it shows all).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import nbformat
from IPython.display import display

from vsm_widgets.metrics import flow
from vsm_widgets.metrics.partition import largest_wait, partition
from vsm_widgets.model.event_log import EventLog
from vsm_widgets.model.stream import ValueStream
from vsm_widgets.wording import wait_place

SUMMARY_MIMETYPE = "application/vnd.vsm-widgets.summary+json"


def summary_payload(
    source: EventLog | ValueStream, *, name: str | None = None, limits: Sequence[str] = ()
) -> dict[str, Any]:
    """The headline numbers of an export or a map, plain and JSON-serialisable.

    Parameters
    ----------
    source : EventLog or ValueStream
        A timing export as read by `read_export`, or a value stream map.
    name : str, optional
        The readout's name; by default the export's file name or the map's name.
    limits : sequence of str, optional
        What the readout cannot show and why (`Workshop.limits`), for the index to repeat.

    Returns
    -------
    dict
        The payload described in the module docstring. For an export the lead time is the
        mean item's (the mean over finished items) in hours, flow efficiency the portfolio
        ratio, and the largest wait the partition's (`vsm_widgets.metrics.partition.largest_wait`),
        by the mean item's time there. For a map they are the critical-path lead time, the
        activity ratio and the map's largest wait (an arrow or inside a block), in the map's unit.

    Raises
    ------
    TypeError
        If `source` is neither an `EventLog` nor a `ValueStream`.
    """
    if isinstance(source, EventLog):
        return _export_payload(source, name) | {"cannot_show": list(limits)}
    if isinstance(source, ValueStream):
        return _map_payload(source, name)
    raise TypeError(f"summary_payload takes an EventLog or a ValueStream, not {type(source).__name__}")


def display_summary(source: EventLog | ValueStream, *, name: str | None = None, limits: Sequence[str] = ()) -> None:
    """Display the headline payload in a notebook, for the batch index to pick up.

    Call it in the last cell of a readout notebook. The output is invisible in JupyterLab
    and in the readout; `summary_from_notebook` reads it back from the executed notebook.

    Parameters
    ----------
    source : EventLog or ValueStream
        What the readout is about.
    name : str, optional
        The readout's name (the notebook's ``name`` parameter).
    limits : sequence of str, optional
        What the readout cannot show and why (`Workshop.limits`).
    """
    display({SUMMARY_MIMETYPE: summary_payload(source, name=name, limits=limits)}, raw=True)


def summary_from_notebook(nb: nbformat.NotebookNode) -> dict[str, Any] | None:
    """The headline payload an executed notebook displayed, the last one if several.

    Parameters
    ----------
    nb : NotebookNode
        An executed notebook.

    Returns
    -------
    dict or None
        The payload, or None when the notebook displayed none.
    """
    found = None
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            payload = output.get("data", {}).get(SUMMARY_MIMETYPE)
            if isinstance(payload, dict):
                found = payload
    return found


def _export_payload(log: EventLog, name: str | None) -> dict[str, Any]:
    summary = flow.summary(log)
    wait = largest_wait(partition(log))
    return {
        "name": name or (Path(log.source).stem if log.source else "export"),
        "source": "export",
        "unit": "hours",
        "hours_per_day": log.calendar.hours_per_day,
        "items": summary["items"],
        "finished_items": summary["finished_items"],
        "lead_time": summary["lead_time"]["mean"],
        "lead_time_statistic": "the mean item: mean over finished items, as the map draws it",
        "flow_efficiency": summary["flow_efficiency"],
        "flow_efficiency_definition": "active time / lead time, summed over finished items (portfolio ratio)",
        "largest_wait": None
        if wait is None
        else {
            "from": wait.source,
            "to": wait.target,
            "place": wait_place(wait.source, wait.target),
            "wait": wait.mean_hours,
            "unit": "hours",
            "statistic": "the mean item's time at the waiting place with the largest share of lead time",
        },
        "conventions": summary["conventions"],
    }


def _map_payload(stream: ValueStream, name: str | None) -> dict[str, Any]:
    summary = stream.summary()
    wait = summary["largest_wait"]
    return {
        "name": name or summary["name"],
        "source": "map",
        "unit": summary["unit"],
        "hours_per_day": stream.hours_per_day,
        "lead_time": summary["lead_time"],
        "lead_time_statistic": "total along the critical path",
        "flow_efficiency": summary["activity_ratio"],
        "flow_efficiency_definition": "activity ratio: process time / lead time along the critical path",
        "largest_wait": {
            **wait,
            "place": wait_place(stream.label(wait["from"]), stream.label(wait["to"])),
            "unit": summary["unit"],
            "statistic": "the largest wait on the critical path, on an arrow or inside a block",
        },
        "conventions": summary["conventions"],
    }
