"""Text exports of a map: a Mermaid flowchart and a Markdown table (the `vsm map` summary is in `readout.map_report`).

Everything a user typed (step names, owners, labels, notes) is escaped so it is
shown as text and never read as markup: Mermaid entity codes in the flowchart,
HTML entities and backslash escapes in Markdown.
"""

from __future__ import annotations

import math
import re

from vsm_widgets.model.elements import Handoff, Step
from vsm_widgets.model.graph import CUSTOMER, SUPPLIER
from vsm_widgets.model.stream import ValueStream
from vsm_widgets.units import UNITS, Duration, normalise_unit
from vsm_widgets.wording import wait_place

# Braces too: Mermaid reads a `%%{init: ...}%%` directive anywhere in the text, labels included, and
# without its brace `%%` inside a one-line label is plain text.
_MERMAID_ENTITIES = {
    "#": "#35;",
    '"': "#quot;",
    "<": "#lt;",
    ">": "#gt;",
    "&": "#amp;",
    "`": "#96;",
    "{": "#123;",
    "}": "#125;",
}
_MARKDOWN_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_MARKDOWN_SPECIALS = set("\\`*_[]|~#!$@")
# A scheme before "://", or "www" before a dot: a backslash goes right after it.
_AUTOLINK = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*(?=://)|(?<![\w.])www(?=\.)", re.IGNORECASE)
_CONVENTION_LABELS = {"rolled_pct_ca": "rolled %C&A", "value_added_time": "value-added time"}


def mermaid_text(text: object) -> str:
    """User text made safe inside a quoted Mermaid label.

    Quotes, angle brackets, ampersands, backticks, ``#`` and braces
    become Mermaid entity codes (``#quot;``, ``#lt;`` ...), and line breaks
    become spaces, so the text cannot close the label, inject HTML or carry a
    ``%%{init: ...}%%`` directive.

    Parameters
    ----------
    text : object
        The text; converted with `str`.

    Returns
    -------
    str

    Examples
    --------
    >>> mermaid_text('<b>"Ops"</b>')
    '#lt;b#gt;#quot;Ops#quot;#lt;/b#gt;'
    """
    flat = " ".join(str(text).split())
    return "".join(_MERMAID_ENTITIES.get(char, char) for char in flat)


def markdown_text(text: object) -> str:
    r"""User text made safe inside a Markdown table cell.

    HTML special characters become entities and Markdown punctuation (links,
    emphasis, code, table pipes) is escaped with a backslash; line breaks
    become spaces.

    Parameters
    ----------
    text : object
        The text; converted with `str`.

    Returns
    -------
    str

    Examples
    --------
    >>> markdown_text("a|b <i>")
    'a\\|b &lt;i&gt;'
    """
    flat = " ".join(str(text).split())
    escaped = "".join(
        _MARKDOWN_ENTITIES.get(char) or ("\\" + char if char in _MARKDOWN_SPECIALS else char) for char in flat
    )
    # Renderers turn bare addresses into links (mistune's url plugin, GFM's autolink literals); an escaped
    # colon or dot reads the same but no longer looks like an address to them.
    return _AUTOLINK.sub(lambda found: found.group(0) + "\\", escaped)


def format_duration(duration: Duration, unit: str, hours_per_day: float = 24.0) -> str:
    """A duration for people: in `unit`, or in a smaller unit when it is under one `unit`.

    Three significant digits (none after the point from 100 up), so 188 s in
    a map counted in days reads "3.13 minutes" rather than "0 days", and a
    62 s cycle time does not round to the same "1 minute" as a 60 s takt.

    Parameters
    ----------
    duration : Duration
    unit : str
        The preferred unit (the map's).
    hours_per_day : float
        Length of a day.

    Returns
    -------
    str

    Examples
    --------
    >>> format_duration(Duration(188.0), "days")
    '3.13 minutes'
    >>> format_duration(Duration.of(7000 / 920, "days"), "days")
    '7.61 days'
    """
    unit = normalise_unit(unit)
    if 0 < abs(duration.to(unit, hours_per_day)) < 1:
        smaller = UNITS[: UNITS.index(unit)]
        unit = next((u for u in reversed(smaller) if abs(duration.to(u, hours_per_day)) >= 1), "seconds")
    size = abs(duration.to(unit, hours_per_day))
    return duration.format(unit, hours_per_day, 0 if size >= 100 else 1 if size >= 10 else 2)


def format_ratio(value: float | None) -> str:
    """A share as a percentage: ``"65.9 %"``; two significant digits below 0.1 %, and "n/a" when undefined.

    Parameters
    ----------
    value : float or None

    Returns
    -------
    str
    """
    if value is None or math.isnan(value):
        return "n/a"
    percent = value * 100
    return f"{percent:.2g} %" if 0 < abs(percent) < 0.1 else f"{percent:.1f} %"


def _time(stream: ValueStream, duration: Duration) -> str:
    return format_duration(duration, stream.unit, stream.hours_per_day)


def _step_times(stream: ValueStream, step: Step) -> list[str]:
    if step.lead_time is None:
        return [_time(stream, step.process_time)]
    return [f"PT {_time(stream, step.process_time)}", f"LT {_time(stream, step.lead_time)}"]


def _wait_text(stream: ValueStream, handoff: Handoff) -> str:
    wait = _time(stream, stream.wait_of(handoff))
    if handoff.inventory is None:
        return wait
    return (
        f"{handoff.inventory:,g} pieces = {wait}" if handoff.wait is None else f"{wait} ({handoff.inventory:,g} pieces)"
    )


def to_mermaid(stream: ValueStream) -> str:
    """A Mermaid flowchart of the map, left to right.

    Boxes show the step name and its time (process time, or process and block
    lead time); arrows show the wait, the inventory where given, the kind when
    not push, and the owner ("no owner" when nobody owns the arrow). Arrows
    with nothing to say are drawn bare. With parallel branches the critical
    path is drawn bold.

    Parameters
    ----------
    stream : ValueStream

    Returns
    -------
    str
        Mermaid source, starting ``flowchart LR``.
    """
    node = {SUPPLIER: "supplier", CUSTOMER: "customer"}
    node.update({step.id: f"step{index}" for index, step in enumerate(stream.steps, start=1)})
    lines = ["flowchart LR", f'  supplier(["{mermaid_text(stream.supplier)}"])']
    for step in stream.steps:
        parts = [f"<b>{mermaid_text(step.name)}</b>", *(mermaid_text(t) for t in _step_times(stream, step))]
        if step.pct_ca < 1:
            parts.append(f"%C#amp;A {mermaid_text(format_ratio(step.pct_ca))}")
        lines.append(f'  {node[step.id]}["{"<br/>".join(parts)}"]')
    lines.append(f'  customer(["{mermaid_text(stream.customer)}"])')
    for handoff in stream.handoffs:
        parts = []
        if stream.wait_of(handoff) or handoff.inventory is not None:
            parts.append(mermaid_text(_wait_text(stream, handoff)))
        if handoff.kind != "push":
            parts.append(handoff.kind.upper() if handoff.kind == "fifo" else handoff.kind)
        if parts or handoff.owner is not None:
            parts.append(f"owner: {mermaid_text(handoff.owner)}" if handoff.owner else "no owner")
        label = f'|"{"<br/>".join(parts)}"|' if parts else ""
        lines.append(f"  {node[handoff.source]} -->{label} {node[handoff.target]}")
    if not stream.is_linear():
        critical = ",".join(node[i] for i in stream.critical_path())
        lines += ["  classDef critical stroke-width:3px", f"  class {critical} critical"]
    return "\n".join(lines) + "\n"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    return [
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---" for _ in header) + "|",
        *("| " + " | ".join(row) + " |" for row in rows),
    ]


def headline_rows(stream: ValueStream, text=str, arrow: str = " -> ") -> list[tuple[str, str]]:
    """The headline numbers of a map as ``(label, value)`` rows, for the Markdown table and `vsm map`.

    Parameters
    ----------
    stream : ValueStream
    text : callable, optional
        Escapes user text (step names) for the output format.
    arrow : str, optional
        How an arrow between two steps is written.

    Returns
    -------
    list of (str, str)
    """
    takt = stream.takt_time()
    constraint = stream.constraint()
    source, target, wait = stream.largest_wait()
    unowned = stream.unowned_handoffs()
    rows = [
        ("lead time", _time(stream, stream.lead_time())),
        ("  on handoffs / in steps", f"{_time(stream, stream.handoff_time())} / {_time(stream, stream.step_time())}"),
        ("process time", _time(stream, stream.process_time())),
        ("wait time", _time(stream, stream.wait_time())),
        ("activity ratio", format_ratio(stream.activity_ratio())),
        ("PCE (value-adding only)", format_ratio(stream.pce())),
        ("rolled %C&A", format_ratio(stream.rolled_pct_ca())),
        ("takt time", _time(stream, takt) if takt is not None else "n/a (no demand per day)"),
        ("critical path", arrow.join(text(stream.label(i)) for i in stream.critical_path())),
    ]
    if constraint is None:
        rows.append(("constraint", "none (no step has process time)"))
    else:
        load = f", {constraint.effective_cycle_time / takt:.0%} of takt" if takt is not None else ""
        cycle = _time(stream, constraint.effective_cycle_time)
        rows.append(("constraint", f"{text(constraint.name)} ({cycle} effective cycle time{load})"))
    rows += [
        ("largest wait", f"{text(wait_place(stream.label(source), stream.label(target)))}: {_time(stream, wait)}"),
        (
            "unowned handoffs",
            f"{len(unowned)} of {len(stream.handoffs)}, holding {_time(stream, stream.unowned_wait())} "
            "of the critical path's waits",
        ),
    ]
    return rows


def convention_lines(stream: ValueStream) -> list[str]:
    """The conventions behind a map's numbers, one sentence each.

    Parameters
    ----------
    stream : ValueStream

    Returns
    -------
    list of str
    """
    lines = []
    for key, text in stream.conventions().items():
        lines.append(f"{_CONVENTION_LABELS.get(key, key.replace('_', ' '))}: {text}")
    return lines


def to_markdown(stream: ValueStream) -> str:
    """The map as Markdown: a steps table, a handoffs table and the headline numbers.

    Parameters
    ----------
    stream : ValueStream

    Returns
    -------
    str
    """
    on_path = set(stream.critical_path())
    arrows = set(stream.critical_handoffs())
    step_rows = [
        [
            markdown_text(s.name),
            markdown_text(s.owner or ""),
            s.value,
            _time(stream, s.process_time),
            _time(stream, s.lead_time) if s.lead_time is not None else "",
            format_ratio(s.pct_ca),
            ", ".join(s.wastes),
            "yes" if s.id in on_path else "",
        ]
        for s in stream.steps
    ]
    handoff_rows = [
        [
            markdown_text(stream.label(h.source)),
            markdown_text(stream.label(h.target)),
            _wait_text(stream, h),
            markdown_text(h.owner) if h.owner else "*nobody*",
            h.kind,
            "yes" if h in arrows else "",
        ]
        for h in stream.handoffs
    ]
    day = "calendar time" if stream.hours_per_day >= 24 else "working time"
    lines = [
        f"## {markdown_text(stream.name or 'Value stream map')}",
        "",
        f"Unit: {stream.unit}; 1 day = {stream.hours_per_day:g} h ({day}).",
        "",
        "### Steps",
        "",
        *_table(["step", "owner", "value", "process time", "lead time", "%C&A", "wastes", "critical path"], step_rows),
        "",
        "### Handoffs",
        "",
        *_table(["from", "to", "wait", "owner", "kind", "critical path"], handoff_rows),
        "",
        "### Headline numbers",
        "",
        *_table(
            ["measure", "value"], [[name.strip(), value] for name, value in headline_rows(stream, markdown_text, " → ")]
        ),
        "",
        "Conventions:",
        "",
        *(f"- {markdown_text(line)}" for line in convention_lines(stream)),
    ]
    return "\n".join(lines) + "\n"
