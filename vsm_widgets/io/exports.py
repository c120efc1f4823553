"""Reading a timing export into an `EventLog`: the entry point `read_export`.

The steps, each in its own module: open the file and read its header
(`tables`; Jira REST JSON through `jira_json` and XES logs through `xes`, each
flattened to a table), decide the shape and which column is which (`columns`),
read just those columns (stage-date CSVs melted by `stage_dates`), parse the
timestamps (`timestamps`), turn the rows into visits (`intervals`,
`lifecycle`, `status_history`, with `backward_moves`), and build the items
table (`items`). Every row is accounted for in ``log.quality`` (`quality`).
docs/exports.md is the user's reference.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from vsm_widgets.calendar import Calendar
from vsm_widgets.exceptions import ExportReadError
from vsm_widgets.io.columns import TIMESTAMP_COLUMNS, plan_columns
from vsm_widgets.io.export_mapping import Mapping, load_mapping
from vsm_widgets.io.frames import is_in_memory, open_frame
from vsm_widgets.io.intervals import interval_visits
from vsm_widgets.io.items import interval_items, item_table
from vsm_widgets.io.jira_json import is_jira_json, read_jira_json
from vsm_widgets.io.lifecycle import pair_lifecycle
from vsm_widgets.io.mapping_names import check_mapping_names
from vsm_widgets.io.names import normalise_names
from vsm_widgets.io.quality import QualityTally
from vsm_widgets.io.stage_dates import read_stage_dates
from vsm_widgets.io.status_history import inferred_flow_order, status_visits
from vsm_widgets.io.tables import open_table
from vsm_widgets.io.xes import is_xes, read_xes
from vsm_widgets.model.event_log import EventLog
from vsm_widgets.serial_times import SERIAL_FORMATS, suggest_serial_format
from vsm_widgets.timestamp_formats import suggest_format
from vsm_widgets.timestamps import OUT_OF_RANGE_DETAIL, TOO_EARLY, TOO_LATE, ParsedTimes, parse_timestamps

# The start of the decision an interval export of events gets; `vsm_widgets.metrics.guesses` looks for it.
EVENTS_AS_INTERVALS = "every visit starts and ends at the same moment"


def read_export(
    path: str | Path | pd.DataFrame | pa.Table,
    mapping: str | Path | dict | Mapping | None = None,
    *,
    calendar: Calendar | None = None,
    as_of: str | pd.Timestamp | None = None,
) -> EventLog:
    """Read a timing export (CSV, TSV, XLSX, Parquet, Jira REST JSON, XES, or a table in memory) into an `EventLog`.

    Parameters
    ----------
    path : str, Path, pandas.DataFrame or pyarrow.Table
        The export. It is only read, never modified. A ``.json`` file, or a
        folder of them, is read as Jira REST JSON with its changelog; a ``.xes``
        or ``.xes.gz`` file as an XES event log, streamed. A DataFrame or a Table is
        read as the CSV it would write, with the same mapping and quality report
        (`vsm_widgets.io.frames`); messages and ``log.source`` call it ``<pandas DataFrame>``.
    mapping : path, dict, Mapping or None
        Columns, timestamp format, time zone, statuses and policies (see
        docs/exports.md). Without it, common column names are recognised and
        every choice is recorded in ``log.quality.decisions``.
    calendar : Calendar, optional
        How elapsed time is counted; calendar time by default.
    as_of : str or Timestamp, optional
        The moment the export describes (open visits run up to it). Overrides
        the mapping's ``as_of``; by default the latest timestamp in the file.

    Returns
    -------
    EventLog

    Raises
    ------
    ExportReadError
        The file cannot be used at all (missing, empty, not a table, corrupt,
        no usable timestamps).
    MissingColumnError
        The columns the shape needs are not there.
    MappingError
        The mapping is invalid or names a column the file does not have.

    Examples
    --------
    >>> log = read_export("tests/data/exports/onboarding_intervals.csv")
    >>> log.steps, log.quality.rows_used
    (('Paperwork', 'Equipment', 'Training'), 5)
    """
    rules = load_mapping(mapping)
    jira = None if is_in_memory(path) else (read_jira_json(path) if is_jira_json(path) else None)
    if jira is not None and rules.columns:
        raise rules.error(
            "a Jira JSON export has no columns to name",
            "Remove 'columns:' from the mapping; statuses, done and the policies apply as for a CSV",
            key="columns",
        )
    if is_in_memory(path):
        table, read_decisions = open_frame(path), ()
        path = table.label
    elif jira is not None:
        table, read_decisions = jira.table, jira.decisions
    elif is_xes(path):
        table, read_decisions = read_xes(path)
    else:
        table = open_table(path, rules.sheet)
        read_decisions = table.decisions
    plan = plan_columns(table.columns, rules, path)
    columns, decisions = plan.columns, [*read_decisions, *plan.decisions]
    if plan.shape == "stage_dates":
        stages = read_stage_dates(table, plan, rules)
        raw, columns, rules, shape = stages.raw, stages.columns, stages.mapping, "status_history"
        decisions += stages.decisions
    else:
        raw, shape = table.read(list(columns.values()), plan.timestamp_columns, rules.timestamp_format), plan.shape
    frame = raw.frame.rename(columns={column: canonical for canonical, column in columns.items()})
    frame["row"] = raw.rows
    tally = QualityTally(raw.rows_read)
    tally.decide(f"read as {table.description}")
    for decision in decisions:
        tally.decide(decision)
    tally.count(
        "malformed row",
        np.asarray(raw.malformed),
        "dropped",
        "the line has more or fewer fields than the header; check quoting in that row",
    )
    tally.count(
        "unterminated quote",
        np.asarray(raw.unterminated),
        "dropped",
        f"a quote opened in row {raw.unterminated[0] if raw.unterminated else 0} is never closed, so the lines "
        "after it were read as one cell; close the quote or remove it",
    )
    del raw  # the frame holds its columns; parsing the timestamps below can then let the unparsed ones go
    # Normalising the names hashes the item and step columns; an interval log's visits are sorted by those codes.
    # (Pairing lifecycle events makes new rows, which the codes of the rows as read would not describe.)
    encoded = {} if shape == "intervals" else None
    frame = normalise_names(frame, tally, path, columns, encoded)
    check_mapping_names(rules, frame, shape, path, tally)
    times = _parse_times(frame, columns, rules, path, tally)
    if shape == "status_history":
        history = status_visits(frame, times["timestamp"], rules, tally, jira.categories if jira else None)
        visits, codes, steps = history.visits, history.item_codes, history.steps
        base, rows_used = history.items, history.rows_used
    else:
        if shape == "lifecycle":
            frame = pair_lifecycle(frame, times["timestamp"], tally)
            times = {"start": ParsedTimes.checked(frame["start"]), "end": ParsedTimes.checked(frame["end"])}
        intervals = frame.drop(columns="created", errors="ignore")
        visits, codes, rows_used = interval_visits(intervals, times, tally, dict(rules.statuses), encoded)
        if shape == "intervals" and len(visits) and (visits["end"] == visits["start"]).all():
            tally.decide(_events_hint(columns))
        created = None
        if "created" in frame:
            created = frame.set_index("row")["created"].reindex(visits["row"].to_numpy())
        # The rows as read are not needed once the visits are built: letting them go here, before the
        # item tables, keeps them out of the peak memory of reading a large export.
        del frame, intervals, times, table
        base = interval_items(visits, codes, created, rules.end_steps, tally)
        steps = rules.active_steps if rules.statuses else inferred_flow_order(visits, codes, tally)
    if rules.backward_moves != "keep" and shape != "status_history":
        tally.decide("backward_moves applies to status histories only: every visit of this interval log is kept")
    if visits.empty and rows_used == 0:
        report = tally.report(rows_used)
        reasons = "; ".join(
            f"{issue.count} {issue.reason} (rows {', '.join(map(str, issue.rows))})" for issue in report.dropped
        )
        raise ExportReadError(
            f"no row could be used: {reasons}",
            "Fill in those cells, or give a mapping file (see docs/exports.md) that names the right columns",
            file=path,
        )
    items = item_table(base, visits, codes, rules.start_point, tally, rules.backlog_return)
    stamp = _as_of(as_of, rules, visits, base)
    first = visits["start"].min() if not visits.empty else pd.NaT
    if pd.notna(first) and stamp < first:
        # Every visit would lie after the moment the export describes: no duration could be measured.
        problem = f"as_of {stamp:%Y-%m-%d %H:%M} UTC is before the export's first visit ({first:%Y-%m-%d %H:%M} UTC)"
        hint = "Give the moment the export was taken, or leave as_of out to use its latest time"
        if as_of is None:
            raise rules.error(problem, hint, key="as_of")
        raise ExportReadError(problem, hint, file=path)
    return EventLog(
        visits=visits,
        items=items,
        steps=tuple(steps),
        as_of=stamp,
        calendar=calendar or Calendar(),
        start_point=rules.start_point,
        backward_policy=rules.backward_moves if shape == "status_history" else "keep",
        source=str(path),
        quality=tally.report(rows_used),
        whole_days=rules.whole_days,
        day_zone=rules.timezone,
        backlog_return=rules.backlog_return,
    )


def _events_hint(columns: dict[str, str]) -> str:
    """The decision for an interval export whose every visit lasts no time: events read as intervals."""
    return (
        f"{EVENTS_AS_INTERVALS}, so no work time can be measured: this looks like a log "
        "of events read as intervals. To measure the time between events, read it as a status history, each "
        "event lasting until the item's next one (a mapping with shape: status_history and columns: "
        f"{{status: {columns['step']}, timestamp: {columns['start']}}}), or as a lifecycle log if it has "
        "start and complete events"
    )


def _parse_times(
    frame: pd.DataFrame, columns: dict[str, str], rules: Mapping, path: str | Path, tally: QualityTally
) -> dict[str, ParsedTimes]:
    """Parse every timestamp column in place; refuse a file whose required times are all unreadable."""
    if "timezone" in rules.given:
        tally.decide(f"timestamps without a UTC offset read as {rules.timezone} local time (mapping)")
    else:
        tally.decide("timestamps without a UTC offset read as UTC (give timezone: in a mapping to change)")
    times: dict[str, ParsedTimes] = {}
    for canonical in TIMESTAMP_COLUMNS:
        if canonical not in frame:
            continue
        parsed = parse_timestamps(
            frame[canonical],
            column=columns[canonical],
            timestamp_format=rules.timestamp_format,
            timezone=rules.timezone,
        )
        raw_values = frame[canonical]
        frame[canonical] = parsed.values.set_axis(frame.index)
        for decision in parsed.decisions:
            tally.decide(decision)
        times[canonical] = parsed
        required = canonical in ("start", "timestamp")
        if required and parsed.unparseable.any() and not (~parsed.missing & ~parsed.unparseable).any():
            first = int(np.flatnonzero(parsed.unparseable)[0])
            if parsed.out_of_range is not None and parsed.out_of_range[first] in (TOO_EARLY, TOO_LATE):
                # Readable, but beyond what a timestamp holds: a format would not help, the year would.
                raise ExportReadError(
                    f"no value in this column is a usable timestamp: the first, '{raw_values.iloc[first]}', "
                    + OUT_OF_RANGE_DETAIL.split(" (")[0].removeprefix("the time "),
                    "Correct the years in the file, or leave the cells empty where there is no date",
                    file=path,
                    row=int(frame["row"].iloc[first]),
                    column=columns[canonical],
                )
            serial, suggested = suggest_serial_format(raw_values), suggest_format(raw_values)
            if serial:
                example = f"the values look like {SERIAL_FORMATS[serial]}: timestamp_format: {serial}"
            elif suggested:
                example = f'this file reads with timestamp_format: "{suggested}"'
            else:
                example = 'in strptime codes, such as timestamp_format: "%d/%m/%Y %H:%M", or epoch_s, epoch_ms, excel'

            raise ExportReadError(
                f"no value in this column could be read as a timestamp (the first is {raw_values.iloc[first]!r})",
                f"Give the format with timestamp_format: in a mapping (see docs/exports.md); {example}",
                file=path,
                row=int(frame["row"].iloc[first]),
                column=columns[canonical],
            )
    return times


def _as_of(given: str | pd.Timestamp | None, rules: Mapping, visits: pd.DataFrame, base: pd.DataFrame) -> pd.Timestamp:
    stamp = given if given is not None else rules.as_of
    if stamp is not None:
        stamp = pd.Timestamp(stamp)
        return stamp.tz_localize(rules.timezone).tz_convert("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
    # The latest time among the rows used; a status history's trailing done statuses count too.
    candidates = [visits["start"].max(), visits["end"].max(), base["done"].max()]
    if "last" in base:
        candidates.append(base["last"].max())
    known = [c for c in candidates if pd.notna(c)]
    return max(known) if known else pd.NaT
