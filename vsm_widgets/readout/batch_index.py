"""The ``index.html`` of a batch of readouts: one row per input, failures included.

Each row links the input's readout and shows its headline numbers (lead time,
flow efficiency, largest wait) from the summary the readout notebook displayed
(`vsm_widgets.readout.headline_numbers`). Inputs that failed are listed with their error
instead of a link. Like the readouts, the page has inline CSS only and works
offline; every value from the data is escaped by the template engine.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from vsm_widgets.io.atomic import write_atomically
from vsm_widgets.units import Duration
from vsm_widgets.wording import duration_text, percent

TEMPLATES = Path(__file__).resolve().parent / "templates"
INDEX_TEMPLATE = "index.html.j2"
INDEX_NAME = "index.html"
MISSING = "–"


@dataclass(frozen=True)
class IndexRow:
    """One input of the batch, as the index shows it.

    Parameters
    ----------
    name : str
        The readout's name.
    input : str
        The input file.
    href : str or None
        The readout page relative to the index; None when the input failed.
    summary : dict or None
        The readout's headline payload.
    error : str or None
        Why the input failed.
    """

    name: str
    input: str
    href: str | None
    summary: dict[str, Any] | None
    error: str | None


def render_index(rows: Sequence[IndexRow], *, title: str = "Readouts", notebook: str = "") -> str:
    """The index page of a batch.

    Parameters
    ----------
    rows : sequence of IndexRow
        The inputs in the order they were given.
    title : str, optional
        Page heading.
    notebook : str, optional
        The notebook every readout was produced with.

    Returns
    -------
    str
        A self-contained HTML document.
    """
    produced = [row for row in rows if row.error is None]
    failed = [row for row in rows if row.error is not None]
    template = _environment().get_template(INDEX_TEMPLATE)
    return template.render(
        title=title,
        notebook=notebook,
        generated=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        produced=[_table_row(row) for row in produced],
        failed=failed,
        total=len(rows),
        definitions=_definitions(produced),
    )


def write_index(rows: Sequence[IndexRow], out_dir: str | Path, *, title: str = "Readouts", notebook: str = "") -> Path:
    """Write ``index.html`` into `out_dir` atomically.

    Parameters
    ----------
    rows : sequence of IndexRow
        The inputs in the order they were given.
    out_dir : str or Path
        The batch's folder.
    title : str, optional
        Page heading.
    notebook : str, optional
        The notebook every readout was produced with.

    Returns
    -------
    Path
        The index file.
    """
    path = Path(out_dir) / INDEX_NAME
    write_atomically(path, render_index(rows, title=title, notebook=notebook))
    return path


def format_quantity(value: float | None, unit: str, hours_per_day: float = 24.0) -> str:
    """A duration for the table, worded as the readouts word it, or a dash when unknown.

    Parameters
    ----------
    value : float or None
        The number.
    unit : str
        Its unit, e.g. ``"hours"``.
    hours_per_day : float
        Length of a day, so that 16 working hours read as 2 days on an 8-hour day.

    Returns
    -------
    str

    Examples
    --------
    >>> format_quantity(316.2, "hours")
    '13.2 days'
    >>> format_quantity(16, "hours", hours_per_day=8)
    '2 days'
    >>> format_quantity(None, "days")
    '–'
    """
    if not _known(value):
        return MISSING
    return duration_text(Duration.of(value, unit, hours_per_day).seconds, hours_per_day)


def format_share(value: float | None) -> str:
    """A ratio as the readouts word it (one decimal, never rounded to all or nothing), or a dash.

    Examples
    --------
    >>> format_share(0.0741), format_share(0.9996)
    ('7.4 %', '99.96 %')
    """
    return percent(value, 1) if _known(value) else MISSING


def _table_row(row: IndexRow) -> dict[str, str | None]:
    summary = row.summary or {}
    unit = summary.get("unit", "")
    day = summary.get("hours_per_day", 24.0)
    wait = summary.get("largest_wait")
    largest = MISSING
    if wait:
        where = wait.get("place") or f"{wait.get('from')} → {wait.get('to')}"
        largest = f"{where}: {format_quantity(wait.get('wait'), wait.get('unit', unit), day)}"
    return {
        "name": row.name,
        "input": row.input,
        "href": row.href,
        "lead_time": format_quantity(summary.get("lead_time"), unit, day),
        "flow_efficiency": format_share(summary.get("flow_efficiency")),
        "largest_wait": largest,
        "note": (summary.get("cannot_show") or [None])[0] if row.summary else "the notebook displayed no summary",
    }


def _definitions(rows: Sequence[IndexRow]) -> list[str]:
    """The distinct definitions behind the columns, so the table states what its numbers mean."""
    seen: list[str] = []
    for row in rows:
        summary = row.summary or {}
        for key, label in (
            ("lead_time_statistic", "Lead time"),
            ("flow_efficiency_definition", "Flow efficiency"),
        ):
            if summary.get(key):
                text = f"{label} ({summary.get('source', 'input')}s): {summary[key]}."
                if text not in seen:
                    seen.append(text)
        wait = summary.get("largest_wait") or {}
        if wait.get("statistic"):
            text = f"Largest wait ({summary.get('source', 'input')}s): {wait['statistic']}."
            if text not in seen:
                seen.append(text)
    return seen


def _known(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
