"""Jira's REST JSON with its changelog, flattened into the rows of a Jira changelog CSV.

The search response (``/rest/api/2/search?expand=changelog``: an ``issues``
array), several pages of it as files in a folder, or one issue per file (as
extraction tools save them) all read the same way. Each status change of an
issue's changelog (a history ``item`` with ``field: status``, its
``fromString`` and ``toString``, at the history's ``created`` time, offset
included) becomes one row ``Issue key, Issue Type, Status, Created, From
Status, To Status, Changed, Author``, exactly the columns of Jira's changelog
CSV export, so the JSON and the same issues flattened to CSV give the same log.
An issue that never changed status is one row with empty From, To and
Changed: it is in its current status since it was created. Histories may come
newest-first (Jira Cloud's search) or oldest-first; rows are put in time order,
changes at the same moment in the order they happened.

The status categories Jira sends with each issue's current status
(``fields.status.statusCategory.key``: new, indeterminate, done) are collected
so that a log read without ``statuses:`` can take its default from them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from vsm_widgets.exceptions import ExportReadError
from vsm_widgets.io.tables import TableFile

COLUMNS = ("Issue key", "Issue Type", "Status", "Created", "From Status", "To Status", "Changed", "Author")
CATEGORIES = ("new", "indeterminate", "done")
_SNIFF_BYTES = 64 * 1024
_HINT = "Save the response of /rest/api/2/search?expand=changelog (or /rest/api/2/issue/KEY?expand=changelog)"


@dataclass(frozen=True)
class JiraExport:
    """A Jira JSON export read as a table.

    Parameters
    ----------
    table : TableFile
        The flattened rows, one per status change (or per unchanged issue).
    categories : dict
        Status name -> Jira status category key (new, indeterminate, done), for the
        statuses some issue is in now.
    decisions : tuple of str
        What was read and how.
    """

    table: TableFile
    categories: dict[str, str]
    decisions: tuple[str, ...]


def is_jira_json(path: str | Path) -> bool:
    """True for a ``.json`` file, or a folder holding ``.json`` files: read as Jira REST JSON.

    Examples
    --------
    >>> is_jira_json("issues.json"), is_jira_json("export.csv")
    (True, False)
    """
    path = Path(path)
    if path.is_dir():
        return any(path.glob("*.json"))
    return path.suffix.lower() == ".json"


def holds_jira_issues(path: str | Path) -> bool:
    """True for a ``.json`` file whose opening holds Jira issues (an ``issues`` array or a ``changelog``).

    A map file may be JSON too; this tells the two apart without reading the whole file.

    Examples
    --------
    >>> holds_jira_issues("data/samples/maps/four_functions.yaml")
    False
    """
    path = Path(path)
    if path.suffix.lower() != ".json" or not path.is_file():
        return False
    with path.open("rb") as handle:
        opening = handle.read(_SNIFF_BYTES)
    return b'"issues"' in opening or b'"changelog"' in opening


def read_jira_json(path: str | Path) -> JiraExport:
    """Read a Jira REST JSON file, or a folder of them, into changelog rows.

    Parameters
    ----------
    path : str or Path
        A search response with ``expand=changelog``, one issue, or a folder of such files.

    Returns
    -------
    JiraExport

    Raises
    ------
    ExportReadError
        A file that is not JSON, not a Jira response, or an issue without its key,
        fields, created time or changelog; the message names the file and the key path.
    """
    path = Path(path)
    if not path.exists():
        raise ExportReadError("the file does not exist", "Check the path and the file name", file=path)
    files = sorted(path.glob("*.json")) if path.is_dir() else [path]
    rows: list[tuple] = []
    categories: dict[str, str] = {}
    truncated: list[str] = []
    issues = 0
    for file in files:
        for where, issue in _issues(file):
            rows.extend(_issue_rows(file, where, issue, categories, truncated))
            issues += 1
    if not rows:
        raise ExportReadError("the JSON holds no issues", _HINT, file=path)
    frame = pd.DataFrame(rows, columns=list(COLUMNS), dtype=object)
    source = f"{len(files)} files" if path.is_dir() else "1 file"
    decisions = [f"Jira REST JSON: {issues} issues from {source}, {len(frame)} status changes and unchanged issues"]
    if truncated:
        decisions.append(
            f"the changelog of {len(truncated)} issues is incomplete in the response ({', '.join(truncated[:5])}): "
            "only the histories it holds are read; fetch /rest/api/2/issue/KEY/changelog for the rest"
        )
    table = TableFile(path, "frame", list(COLUMNS), "Jira REST JSON", _sheet_frame=frame)
    return JiraExport(table, categories, tuple(decisions))


def _issues(file: Path) -> list[tuple[str, dict]]:
    """The issues of one file, each with where it sits (``issues[3]``)."""
    try:
        data = json.loads(file.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        raise ExportReadError("the file is not UTF-8 text", _HINT, file=file) from None
    except json.JSONDecodeError as error:
        raise ExportReadError(
            f"the file is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})", _HINT, file=file
        ) from None
    if isinstance(data, dict) and isinstance(data.get("issues"), list):
        return [(f"issues[{i}]", issue) for i, issue in enumerate(data["issues"])]
    if isinstance(data, dict) and "fields" in data:
        return [("the issue", data)]
    if isinstance(data, list):
        return [(f"[{i}]", issue) for i, issue in enumerate(data)]
    raise ExportReadError("the JSON is neither a Jira search response (with 'issues') nor an issue", _HINT, file=file)


def _issue_rows(file: Path, where: str, issue: object, categories: dict[str, str], truncated: list[str]) -> list[tuple]:
    def refuse(key: str, what: str) -> ExportReadError:
        return ExportReadError(f"key '{where}.{key}': {what}", _HINT, file=file)

    if not isinstance(issue, dict) or not isinstance(issue.get("key"), str):
        raise refuse("key", "the issue has no key")
    name = issue["key"]
    fields = issue.get("fields")
    if not isinstance(fields, dict):
        raise refuse("fields", f"issue {name} has no fields")
    status = fields.get("status")
    current = status.get("name") if isinstance(status, dict) else None
    if not isinstance(current, str):
        raise refuse("fields.status.name", f"issue {name} has no current status")
    category = status.get("statusCategory")
    if isinstance(category, dict) and category.get("key") in CATEGORIES:
        categories.setdefault(current, category["key"])
    created = fields.get("created")
    if not isinstance(created, str):
        raise refuse("fields.created", f"issue {name} has no created time")
    kind = fields.get("issuetype")
    kind = kind.get("name") if isinstance(kind, dict) else None
    changelog = issue.get("changelog")
    if not isinstance(changelog, dict) or not isinstance(changelog.get("histories"), list):
        raise refuse("changelog", f"issue {name} has no changelog: the search was made without expand=changelog")
    histories = changelog["histories"]
    if isinstance(changelog.get("total"), int) and changelog["total"] > len(histories):
        truncated.append(name)
    changes = []
    for position, history in enumerate(histories):
        if not isinstance(history, dict) or not isinstance(history.get("created"), str):
            raise refuse(f"changelog.histories[{position}].created", f"a history of issue {name} has no time")
        author = history.get("author")
        author = author.get("displayName") if isinstance(author, dict) else None
        for item in history.get("items") or ():
            if isinstance(item, dict) and (item.get("field") == "status" or item.get("fieldId") == "status"):
                changes.append((history["created"], position, item.get("fromString"), item.get("toString"), author))
    if not changes:
        return [(name, kind, current, created, None, None, None, None)]
    moments = pd.to_datetime(pd.Series([c[0] for c in changes]), utc=True, format="ISO8601", errors="coerce")
    # Newest-first histories (Jira Cloud) are turned around, so changes at one moment keep the order they happened in.
    newest_first = len(changes) > 1 and moments.iloc[0] > moments.iloc[-1]
    order = sorted(
        range(len(changes)), key=lambda i: (pd.isna(moments.iloc[i]), moments.iloc[i], -i if newest_first else i)
    )
    return [(name, kind, current, created, changes[i][2], changes[i][3], changes[i][0], changes[i][4]) for i in order]
