"""The sections of a readout: Markdown text and tables a notebook displays as they are.

Each function returns Markdown (a string), a table (a DataFrame whose cells are
already worded for people) or an IPython display object, so the readout
notebooks hold no logic. Text users typed (step names, owners, reasons, file
names) is escaped wherever it goes into Markdown or HTML: a step named
``<script>alert(1)</script>`` is shown as that text.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd
from IPython.display import HTML, Markdown

from vsm_widgets.future.compare import Comparison
from vsm_widgets.future.scenario import REVIEW_DAYS, Scenario
from vsm_widgets.io.map_text import markdown_text
from vsm_widgets.metrics import flow
from vsm_widgets.model.event_log import EventLog
from vsm_widgets.model.stream import ValueStream
from vsm_widgets.model.waste import WASTES
from vsm_widgets.units import unit_seconds
from vsm_widgets.wording import HOUR, MISSING, change_text, duration_text, number, pair_text, percent

NOBODY = "nobody yet"
NOT_SET = "not set"


def heading(text: str, level: int = 2) -> Markdown:
    """A Markdown heading of the package's own words (user text would need `markdown_text`).

    Examples
    --------
    >>> heading("Findings").data
    '## Findings'
    """
    return Markdown(f"{'#' * level} {text}")


def bullets(sentences: Sequence[str]) -> Markdown:
    """Sentences as a Markdown bullet list, each escaped.

    Parameters
    ----------
    sentences : sequence of str
        Plain text, such as `vsm_widgets.readout.findings.export_findings` returns.

    Returns
    -------
    IPython.display.Markdown
    """
    return Markdown("\n".join(f"- {markdown_text(sentence)}" for sentence in sentences))


def notice(sentence: str) -> Markdown:
    r"""A sentence set apart as a quote: what a readout cannot show and why.

    Parameters
    ----------
    sentence : str
        Plain text, such as `vsm_widgets.readout.limits.cannot_show` returns; escaped.

    Returns
    -------
    IPython.display.Markdown

    Examples
    --------
    >>> notice("No item has finished yet: see https://example.com").data
    '> No item has finished yet: see https\\://example.com'
    """
    return Markdown(f"> {markdown_text(sentence)}")


def html_table(frame: pd.DataFrame, caption: str | None = None) -> HTML:
    """A table as static HTML: every cell escaped, text left and numbers right, no index.

    Parameters
    ----------
    frame : DataFrame
        Cells worded for people; missing values show as a dash.
    caption : str, optional
        A caption above the table.

    Returns
    -------
    IPython.display.HTML
    """
    numeric = [pd.api.types.is_numeric_dtype(frame[column]) for column in frame.columns]

    def cell(tag: str, value: object, right: bool) -> str:
        text = MISSING if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)
        # A date or a number is never broken across lines; text wraps at its spaces.
        keep = ";white-space:nowrap" if " " not in text else ""
        return f'<{tag} style="text-align:{"right" if right else "left"}{keep}">{html.escape(text)}</{tag}>'

    head = "".join(cell("th", column, right) for column, right in zip(frame.columns, numeric, strict=True))
    rows = "".join(
        "<tr>" + "".join(cell("td", value, right) for value, right in zip(row, numeric, strict=True)) + "</tr>"
        for row in frame.itertuples(index=False)
    )
    title = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return HTML(f'<table class="vsm-table">{title}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>')


def title(name: str, subject: EventLog | ValueStream, source: str | Path | None = None) -> Markdown:
    """The readout's heading and one line saying what it is about.

    Parameters
    ----------
    name : str
        The readout's name.
    subject : EventLog or ValueStream
        The export or the map.
    source : str or Path, optional
        The input file, named by its file name only.

    Returns
    -------
    IPython.display.Markdown
    """
    where = f" ({markdown_text(Path(source).name)})" if source else ""
    if isinstance(subject, ValueStream):
        day = f"1 day = {subject.hours_per_day:g} h"
        about = f"A value stream map, {markdown_text(subject.name)}{where}, in {subject.unit} ({day})."
    else:
        items = subject.items
        finished = int(items["finished"].sum())
        first, last = items["started"].min(), subject.as_of
        span = f", from {first:%Y-%m-%d} to {last:%Y-%m-%d}" if pd.notna(first) else ""
        about = f"A timing export{where}: {len(items):,} items, {finished:,} of them finished{span}."
    return Markdown(f"# {markdown_text(name)}\n\n*{about}*")


def quality_summary(log: EventLog) -> Markdown:
    """What happened to every row of the export, in two sentences.

    Parameters
    ----------
    log : EventLog

    Returns
    -------
    IPython.display.Markdown
        Rows read and used; rows dropped and kept-but-flagged, by reason.
    """
    quality = log.quality
    text = f"{quality.rows_read:,} rows read, {quality.rows_used:,} used."
    for action, label in (("dropped", "dropped"), ("corrected", "corrected"), ("kept", "kept but flagged")):
        issues = [issue for issue in quality.issues if issue.action == action]
        if issues:
            count = sum(issue.count for issue in issues)
            reasons = ", ".join(f"{issue.count:,} {issue.reason}" for issue in issues)
            text += f" {count:,} row{'s' if count != 1 else ''} {label}: {reasons}."
    if not quality.issues:
        text += " No row was dropped, corrected or flagged."
    return Markdown(markdown_text(text))


def quality_table(log: EventLog) -> pd.DataFrame:
    """Each reason rows were dropped, corrected or flagged, with example rows and what to do.

    Parameters
    ----------
    log : EventLog

    Returns
    -------
    DataFrame
        Columns ``Reason``, ``Rows``, ``What was done``, ``Example rows`` (as a spreadsheet
        numbers them) and ``Detail``.
    """
    frame = log.quality.to_frame()
    return pd.DataFrame(
        {
            "Reason": frame["reason"],
            "Rows": frame["count"].astype(int),
            "What was done": frame["action"].map({"kept": "kept, flagged"}).fillna(frame["action"]),
            "Example rows": frame["rows"],
            "Detail": frame["detail"],
        }
    )


def reading_decisions(log: EventLog) -> Markdown:
    """The choices made while reading the export (columns recognised, time zone, flow order).

    Parameters
    ----------
    log : EventLog

    Returns
    -------
    IPython.display.Markdown
    """
    decisions = log.quality.decisions or ("none recorded",)
    return Markdown("\n".join(f"- {markdown_text(decision)}" for decision in decisions))


def headline_table(log: EventLog) -> pd.DataFrame:
    """The headline numbers of an export, worded, with the statistic each one is.

    Parameters
    ----------
    log : EventLog

    Returns
    -------
    DataFrame
        Columns ``Measure`` and ``Value``.
    """
    summary = flow.summary(log)
    hours_per_day = log.calendar.hours_per_day

    def time(hours: float | None) -> str:
        return duration_text(hours * HOUR if hours is not None else math.nan, hours_per_day)

    lead, active = summary["lead_time"], summary["active_time"]
    rows = [
        ("Items", f"{summary['items']:,} ({summary['finished_items']:,} finished)"),
        ("Lead time, median", time(lead["median"])),
        ("Lead time, 85th percentile", time(lead["p85"])),
        ("Lead time, mean", time(lead["mean"])),
        ("Active time, median", time(active["median"])),
        ("Flow efficiency (portfolio: total active / total lead time)", percent(summary["flow_efficiency"], 1)),
        (
            "Mean of per-item flow efficiencies (a different number)",
            percent(summary["flow_efficiency_mean_of_items"], 1),
        ),
        ("Throughput", f"{number(summary['throughput_per_week'])} items a week"),
        ("Work in progress, mean", f"{number(summary['wip_mean'])} items"),
    ]
    return pd.DataFrame(rows, columns=["Measure", "Value"])


def map_table(stream: ValueStream) -> pd.DataFrame:
    """The headline numbers of a map along its critical path, worded.

    Parameters
    ----------
    stream : ValueStream

    Returns
    -------
    DataFrame
        Columns ``Measure`` and ``Value``.
    """
    summary = stream.summary()
    seconds = unit_seconds(stream.unit, stream.hours_per_day)

    def time(value: float | None) -> str:
        return duration_text(value * seconds if value is not None else math.nan, stream.hours_per_day)

    constraint = stream.step(summary["constraint"]).name if summary["constraint"] else "none"
    rows = [
        ("Lead time (critical path)", time(summary["lead_time"])),
        ("Process time", time(summary["process_time"])),
        ("Wait time", time(summary["wait_time"])),
        ("Activity ratio (process time / lead time)", percent(summary["activity_ratio"], 1)),
        ("PCE (value-adding process time / lead time)", percent(summary["pce"], 1)),
        ("Rolled %C&A", percent(summary["rolled_pct_ca"], 1)),
        ("Slowest step (effective cycle time)", constraint),
        ("Takt time", time(summary["takt_time"]) if summary["takt_time"] is not None else "no demand given"),
        ("Wait on arrows nobody owns (critical path)", time(summary["unowned_wait"])),
    ]
    return pd.DataFrame(rows, columns=["Measure", "Value"])


def comparison_table(
    comparison: Comparison, hours_per_day: float = 24.0, labels: tuple[str, str] = ("Current state", "Future state")
) -> pd.DataFrame:
    """Current against future (or before against after), every number worded.

    Parameters
    ----------
    comparison : Comparison
        From `vsm_widgets.future.compare.compare`.
    hours_per_day : float
        The current state's day length.
    labels : (str, str)
        What to call the two states, such as ``("Before", "After")``.

    Returns
    -------
    DataFrame
        Columns ``Measure``, the two `labels` and ``Change``; shares change in percentage
        points, times by a readable duration and a percentage.
    """
    rows = []
    for row in comparison.headline.itertuples(index=False):
        rows.append(
            (
                row.label,
                *pair_text(row.current, row.future, row.unit, hours_per_day),
                change_text(row.change, row.change_pct, row.unit, hours_per_day),
            )
        )
    return pd.DataFrame(rows, columns=["Measure", *labels, "Change"])


def plan_table(scenario: Scenario, label: Callable[[str], str] | None = None) -> pd.DataFrame:
    """The implementation plan: one row per change, with the waste it removes, its owner and due date.

    Parameters
    ----------
    scenario : Scenario
    label : callable, optional
        Gives a step's name from its id (`ValueStream.label` of the map the changes apply to), so
        the plan names steps as people call them.

    Returns
    -------
    DataFrame
        Columns ``#``, ``Change``, ``Removes``, ``Owner`` ("nobody yet" when none), ``Due``
        ("not set" when none) and ``Why``.
    """
    rows = [
        (
            number,
            change.describe(label),
            WASTES[change.waste].label.lower(),
            change.owner or NOBODY,
            f"{change.due:%Y-%m-%d}" if change.due else NOT_SET,
            change.why,
        )
        for number, change in enumerate(scenario.changes, 1)
    ]
    return pd.DataFrame(rows, columns=["#", "Change", "Removes", "Owner", "Due", "Why"])


def plan_summary(scenario: Scenario, start: dt.date | str) -> Markdown:
    """The plan in words: how many changes, when to review, and what is missing.

    Parameters
    ----------
    scenario : Scenario
    start : date or ISO string
        When the plan starts; the reviews fall 30, 60 and 90 days later.

    Returns
    -------
    IPython.display.Markdown
    """
    first = pd.Timestamp(start).date()
    reviews = [first + dt.timedelta(days=days) for days in REVIEW_DAYS]
    count = len(scenario.changes)
    text = [
        f"{markdown_text(scenario.name or 'The future state')}: {count} change{'s' if count != 1 else ''}, each naming "
        "the waste it removes. Review lead time and flow efficiency "
        f"{', '.join(str(d) for d in REVIEW_DAYS[:-1])} and {REVIEW_DAYS[-1]} days after {first:%Y-%m-%d}: on "
        f"{', '.join(f'{d:%Y-%m-%d}' for d in reviews[:-1])} and {reviews[-1]:%Y-%m-%d}."
    ]
    for position, change in enumerate(scenario.changes, 1):
        missing = [what for what, value in (("owner", change.owner), ("due date", change.due)) if not value]
        if missing:
            text.append(
                f"Change {position} has no {' and no '.join(missing)}: a change nobody owns by a date does not happen."
            )
    return Markdown("\n\n".join(text))
