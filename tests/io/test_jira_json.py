"""Jira REST JSON with its changelog (tests/data/exports/jira_*: built from the shape of Jira's search response).

The five issues (times in the JSON are +01:00; below in UTC):
  PRJ-11 Story  created 01-05 08:00 in To Do; In Progress 01-06 09:00, In Review 01-07 13:30,
                Ready for QA 01-08 08:00, Testing 01-08 12:00, Done 01-09 16:00 (newest-first in the search)
  PRJ-12 Bug    created 01-06 10:00; In Progress 01-07 08:30, still there
  PRJ-13 Story  created 01-08 07:00 in To Do, never changed
  PRJ-14 Task   created 01-06 07:00; Analysis Done 01-07 09:00 (Jira category: indeterminate)
  PRJ-15 Task   created 01-05 11:00; Won't Do 01-06 11:00, closed straight from the backlog
"""

import json

import pandas as pd
import pytest

from tests.paths import EXPORTS
from vsm_widgets.cli import main
from vsm_widgets.exceptions import MappingError
from vsm_widgets.io.exports import read_export

MAPPING = EXPORTS / "jira.mapping.yaml"
SEARCH = EXPORTS / "jira_search.json"


def utc(day, hour, minute=0):
    return pd.Timestamp(2026, 1, day, hour, minute, tz="UTC")


def visits_of(log, item):
    rows = log.visits[log.visits["item"] == item]
    return [(r.step, r.kind, r.start, r.end) for r in rows.itertuples()]


def test_status_changes_come_from_the_changelog_in_time_order():
    log = read_export(SEARCH, MAPPING)
    assert visits_of(log, "PRJ-11") == [
        ("To Do", "waiting", utc(5, 8), utc(6, 9)),
        ("Development", "active", utc(6, 9), utc(8, 8)),  # In Progress then In Review: one step
        ("Ready for QA", "waiting", utc(8, 8), utc(8, 12)),
        ("QA", "active", utc(8, 12), utc(9, 16)),
    ]
    items = log.items.set_index("item")
    assert items.loc["PRJ-11", "done"] == utc(9, 16)
    assert items["type"].to_dict() == {
        "PRJ-11": "Story",
        "PRJ-12": "Bug",
        "PRJ-13": "Story",
        "PRJ-14": "Task",
        "PRJ-15": "Task",
    }
    # Non-status items (resolution, assignee, labels) are not status changes: 9 rows = 5 + 1 + 1 + 1 + 1.
    assert (log.quality.rows_read, log.quality.rows_used) == (9, 9)


def test_an_issue_that_never_changed_is_in_its_current_status_since_it_was_created():
    log = read_export(SEARCH, MAPPING)
    [(step, kind, start, end)] = visits_of(log, "PRJ-13")
    assert (step, kind, start) == ("To Do", "waiting", utc(8, 7)) and pd.isna(end)


@pytest.mark.parametrize("source", ["jira_pages", "jira_issues"])
def test_pages_and_one_issue_per_file_read_as_the_search_does(source):
    folder = EXPORTS / source
    assert sorted(folder.glob("*.json"))
    one, many = read_export(SEARCH, MAPPING), read_export(folder, MAPPING)
    # jira_issues holds PRJ-11's histories oldest-first; the order in the file does not matter.
    pd.testing.assert_frame_equal(one.visits, many.visits)
    pd.testing.assert_frame_equal(one.items, many.items)


def test_vsm_metrics_on_the_json_equals_the_same_issues_flattened_to_csv(capsys):
    outputs = []
    for export in (SEARCH, EXPORTS / "jira_search_flattened.csv"):
        assert main(["metrics", str(export), "--mapping", str(MAPPING), "--json"]) == 0
        outputs.append(json.loads(capsys.readouterr().out))
    assert outputs[0] == outputs[1]
    summary = outputs[0]
    # Finished with a lead time: PRJ-11 only, In Progress 01-06 09:00 to Done 01-09 16:00 = 79 h, of which
    # Development 47 h + QA 28 h = 75 h active. PRJ-15 is finished but never started: no lead time.
    assert (summary["items"], summary["finished_items"]) == (5, 2)
    assert summary["lead_time"] == {"median": 79.0, "p85": 79.0, "mean": 79.0}
    assert summary["active_time"]["mean"] == 75.0


def test_without_a_mapping_jira_status_categories_give_the_kinds():
    log = read_export(SEARCH)
    decisions = log.quality.decisions
    assert "done statuses from their Jira status category (done): Done, Won't Do" in decisions
    assert "statuses read as waiting from their Jira status category (new): To Do" in decisions
    assert "statuses read as active from their Jira status category (indeterminate): Analysis Done, In Progress" in (
        decisions
    )
    # No current issue is in these, so Jira sent no category for them: their names decide, and that is said too.
    assert "statuses read as waiting from their names: Ready for QA" in decisions
    assert "statuses read as active steps: In Review, Testing" in decisions
    # "Analysis Done" is work in progress by its category, not done by its name.
    prj14 = log.items.set_index("item").loc["PRJ-14"]
    assert not prj14["finished"] and prj14["started"] == utc(7, 9)


def test_a_mapping_for_jira_json_names_no_columns():
    with pytest.raises(MappingError, match="key 'columns': a Jira JSON export has no columns to name"):
        read_export(SEARCH, {"columns": {"item": "Issue key"}})


def test_a_changelog_cut_short_by_the_search_is_said(tmp_path):
    data = json.loads(SEARCH.read_text(encoding="utf-8"))
    data["issues"][0]["changelog"]["total"] = 120  # Jira's search returns at most 100 histories per issue
    path = tmp_path / "cut.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    decisions = read_export(path, MAPPING).quality.decisions
    assert any(d.startswith("the changelog of 1 issues is incomplete in the response (PRJ-11)") for d in decisions)
