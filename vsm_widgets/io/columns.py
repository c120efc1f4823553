"""Which column of an export is which, and which shape the export has.

The mapping's ``columns:`` wins; the rest are recognised from common names
(case-insensitive, ignoring spaces, underscores, dots and colons), including
process-mining names (``case:concept:name``) and Jira changelog exports
(``Issue key``, ``From Status``, ``To Status``, ``Changed``). Every
recognition is reported as a decision.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from vsm_widgets.exceptions import MissingColumnError
from vsm_widgets.io.export_mapping import Mapping

# Most specific names first: the first alias found in the file wins.
ALIASES: dict[str, tuple[str, ...]] = {
    "item": (
        "caseconceptname",
        "issuekey",
        "case",
        "caseid",
        "item",
        "itemid",
        "key",
        "ticket",
        "ticketid",
        "workitemid",
        "workitem",
        "issue",
        "issueid",
        "requestid",
        "orderid",
        "id",
    ),
    "step": ("step", "activity", "conceptname", "activityname", "stage", "task", "processstep", "phase", "station"),
    "status": ("tostatus", "status", "newstatus", "statusto", "tostate", "state", "newstate"),
    "from_status": ("fromstatus", "oldstatus", "statusfrom", "fromstate", "previousstatus"),
    "instance": ("conceptinstance", "activityinstance", "instance"),
    "current_status": ("status", "currentstatus"),
    "start": (
        "start",
        "started",
        "starttime",
        "starttimestamp",
        "startdate",
        "startedat",
        "startdatetime",
        "begin",
        "begintime",
    ),
    "end": (
        "end",
        "finished",
        "completed",
        "endtime",
        "endtimestamp",
        "enddate",
        "enddatetime",
        "finishedat",
        "completedat",
        "endedat",
        "finish",
        "finishtime",
        "completetime",
        "stop",
    ),
    "timestamp": (
        "timestamp",
        "timetimestamp",
        "changed",
        "changedat",
        "changeddate",
        "changedate",
        "transitiondate",
        "datetime",
        "eventtime",
        "date",
        "time",
    ),
    "transition": ("lifecycletransition", "lifecycle", "transition", "eventtype"),
    "type": ("type", "issuetype", "workitemtype", "itemtype", "casetype", "requesttype", "tickettype", "category"),
    "actor": ("actor", "resource", "orgresource", "assignee", "user", "performer", "person", "changedby", "author"),
    "team": ("team", "orggroup", "group", "department", "squad"),
    "created": (
        "created",
        "createddate",
        "createdat",
        "creationdate",
        "requested",
        "requestedat",
        "requestdate",
        "opened",
        "openedat",
    ),
}
REQUIRED = {
    "intervals": ("item", "step", "start", "end"),
    "status_history": ("item", "status", "timestamp"),
    "lifecycle": ("item", "step", "transition", "timestamp"),
    "stage_dates": ("item",),
}
OPTIONAL = {
    "intervals": ("type", "actor", "team", "created"),
    "status_history": ("type", "created", "actor", "team", "from_status", "current_status"),
    "lifecycle": ("type", "actor", "team", "created", "instance"),
    "stage_dates": ("type", "created"),
}
TIMESTAMP_COLUMNS = ("start", "end", "timestamp", "created")
_SHAPE_NAMES = {
    "intervals": "intervals",
    "status_history": "status history",
    "lifecycle": "lifecycle event log",
    "stage_dates": "stage dates (one date column per stage)",
}


@dataclass(frozen=True)
class ColumnPlan:
    """The shape of an export and the file column behind each canonical column.

    Parameters
    ----------
    shape : str
        ``"intervals"``, ``"status_history"`` or ``"lifecycle"``.
    columns : dict
        Canonical name -> column name in the file, for the columns the shape uses.
    decisions : tuple of str
        What was recognised or inferred.
    """

    shape: str
    columns: dict[str, str]
    decisions: tuple[str, ...] = field(default=())

    @property
    def timestamp_columns(self) -> set[str]:
        """File names of the columns that hold timestamps."""
        return {self.columns[c] for c in TIMESTAMP_COLUMNS if c in self.columns}


def normalise_name(name: str) -> str:
    """A column name as compared with the aliases: lower case, letters and digits only.

    Examples
    --------
    >>> normalise_name("case:concept:name"), normalise_name("Issue key"), normalise_name("Start_Time")
    ('caseconceptname', 'issuekey', 'starttime')
    """
    return re.sub(r"[^0-9a-z]", "", str(name).lower())


def plan_columns(header: list[str], mapping: Mapping, file: str | Path) -> ColumnPlan:
    """Decide the shape and the column behind each canonical column.

    Parameters
    ----------
    header : list of str
        The export's column names.
    mapping : Mapping
        Its ``columns:`` and ``shape:`` are used as given.
    file : str or Path
        The export, for messages.

    Returns
    -------
    ColumnPlan

    Raises
    ------
    MappingError
        If the mapping names a column the file does not have.
    MissingColumnError
        If the columns a shape needs cannot be found.
    """
    for canonical, column in mapping.columns.items():
        if column not in header:
            raise mapping.error(
                f"column '{column}' is not in {Path(file).name}",
                f"Its columns are: {', '.join(header)}. Correct the name (it is case-sensitive)",
                key=f"columns.{canonical}",
            )
    found = dict(mapping.columns)
    decisions: list[str] = []
    taken = set(found.values())
    by_name: dict[str, str] = {}
    for column in header:
        by_name.setdefault(normalise_name(column), column)
    for canonical, aliases in ALIASES.items():
        if canonical in found or (canonical == "current_status" and "from_status" not in found):
            continue
        for alias in aliases:
            column = by_name.get(alias)
            if column is not None and column not in taken:
                found[canonical] = column
                taken.add(column)
                break
    shape = mapping.shape or _infer_shape(found)
    if shape is None:
        raise _missing(header, found, file, None)
    if mapping.shape is None:
        decisions.append(f"read as {_SHAPE_NAMES[shape]} (from its columns)")
    if shape == "status_history" and "status" not in found and "step" in found:
        found["status"] = found.pop("step")
        decisions.append("each status (activity) lasts until the item's next row")
    if shape == "intervals" and "step" not in found and "status" in found:
        found["step"] = found.pop("status")
    if shape == "status_history" and "timestamp" not in found and "start" in found:
        found["timestamp"] = found.pop("start")
    missing = [c for c in REQUIRED[shape] if c not in found]
    if missing:
        raise _missing(header, found, file, shape)
    wanted = REQUIRED[shape] + OPTIONAL[shape]
    columns = {c: found[c] for c in wanted if c in found}
    recognised = [
        f"column '{column}' read as {canonical.replace('_', ' ')}"
        + (" (mapping)" if mapping.columns.get(canonical) == column else "")
        for canonical, column in columns.items()
    ]
    return ColumnPlan(shape, columns, tuple(recognised + decisions))


def _infer_shape(found: dict[str, str]) -> str | None:
    if "transition" in found and "timestamp" in found and ("step" in found or "status" in found):
        return "lifecycle"
    if "start" in found and "end" in found and ("step" in found or "status" in found):
        return "intervals"
    if "timestamp" in found and ("status" in found or "step" in found):
        return "status_history"
    if "start" in found and "status" in found:
        return "status_history"
    # An item column and none of the others: one row per item, its stages as date columns (ActionableAgile).
    if "item" in found and not {"step", "status", "start", "end", "timestamp", "transition"} & set(found):
        return "stage_dates"
    return None


# Jira's issue navigator "Export CSV": one row per issue with its current status, no changes.
_JIRA_ISSUE_CSV = {"issuekey", "summary", "status"}


def _missing(header: list[str], found: dict[str, str], file: str | Path, shape: str | None) -> MissingColumnError:
    names = {normalise_name(column) for column in header}
    if _JIRA_ISSUE_CSV <= names and "timestamp" not in found:
        return MissingColumnError(
            "this is Jira's own Export CSV (Issue key, Summary, Status): one row per issue with its current "
            "status only, so it has no status history to measure flow from",
            "Export the issues with their changelog as Jira JSON instead (the REST API's search with "
            "expand=changelog; see docs/exports.md, Jira), or a changelog CSV with From Status, To Status and Changed",
            file=file,
            row=1,
        )
    listed = ", ".join(f"'{c}'" for c in header)
    if shape is None:
        needed = "item, step, start and end (intervals), or item, status and timestamp (status history)"
        absent = ""
    else:
        needed = ", ".join(REQUIRED[shape]) + f" ({_SHAPE_NAMES[shape]})"
        absent = "; not found: " + ", ".join(c for c in REQUIRED[shape] if c not in found)
    return MissingColumnError(
        f"the columns needed were not found. Columns in the file: {listed}. Needed: {needed}{absent}",
        "Rename the columns, or give a mapping file (see docs/exports.md) with columns: {item: ..., ...}",
        file=file,
        row=1,
    )
