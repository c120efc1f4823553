import pandas as pd
import pytest
import yaml

from tests.paths import EXPORTS
from vsm_widgets.io.exports import read_export

STATUS = EXPORTS / "software_status.csv"
MAPPING = yaml.safe_load((EXPORTS / "software_status.mapping.yaml").read_text(encoding="utf-8"))


def day(d: int, hour: int = 0) -> pd.Timestamp:
    return pd.Timestamp(2026, 1, d, hour, tz="UTC")


def read(**changes):
    return read_export(STATUS, {**MAPPING, **changes})


def visits_of(log, item):
    v = log.visits[log.visits["item"] == item]
    return [(r.step, r.kind, r.start, r.end) for r in v.itertuples()]


def test_each_status_lasts_until_the_next_change_and_same_step_statuses_merge():
    a = visits_of(read(), "A")
    # In Progress (2 Jan) and Code Review (3 Jan) both map to Development: one visit 2 -> 4 Jan.
    assert a[:2] == [("To Do", "waiting", day(1), day(2)), ("Development", "active", day(2), day(4))]


def test_keep_policy_keeps_every_visit_of_the_rework():
    # A: To Do 1, In Progress 2, Code Review 3, Ready for QA 4, In QA 5, In Progress 6 (back), In QA 8, Done 9.
    assert visits_of(read(), "A") == [
        ("To Do", "waiting", day(1), day(2)),
        ("Development", "active", day(2), day(4)),
        ("Ready for QA", "waiting", day(4), day(5)),
        ("QA", "active", day(5), day(6)),
        ("Development", "active", day(6), day(8)),
        ("QA", "active", day(8), day(9)),
    ]


def test_first_policy_gives_the_time_after_a_backward_move_to_the_furthest_step():
    # The return to Development (6 -> 8 Jan) stays with QA, the furthest step reached: QA runs 5 -> 9 Jan.
    log = read(backward_moves="first")
    assert visits_of(log, "A") == [
        ("To Do", "waiting", day(1), day(2)),
        ("Development", "active", day(2), day(4)),
        ("Ready for QA", "waiting", day(4), day(5)),
        ("QA", "active", day(5), day(9)),
    ]
    assert log.backward_policy == "first"


def test_last_policy_folds_abandoned_later_visits_into_the_earlier_step():
    # QA's first visit (5 -> 6 Jan) and the queue before it (4 -> 5) were abandoned by the move back on
    # 6 Jan: they fold into Development, which runs 2 -> 8 Jan; QA keeps its last entry, 8 -> 9 Jan.
    assert visits_of(read(backward_moves="last"), "A") == [
        ("To Do", "waiting", day(1), day(2)),
        ("Development", "active", day(2), day(8)),
        ("QA", "active", day(8), day(9)),
    ]


@pytest.mark.parametrize("policy", ["keep", "first", "last"])
def test_no_policy_changes_an_items_span_or_its_finish(policy):
    log = read(backward_moves=policy)
    a = log.visits[log.visits["item"] == "A"]
    assert (a["start"].min(), a["end"].max()) == (day(1), day(9))
    assert log.items.set_index("item").loc["A", "done"] == day(9)


def test_a_resumption_after_a_wait_is_not_a_backward_move():
    # B: Development, Blocked, Development again: same step, nothing to relabel under any policy.
    expected = [
        ("To Do", "waiting", day(2), day(3)),
        ("Development", "active", day(3), day(4)),
        ("Blocked", "waiting", day(4), day(5)),
        ("Development", "active", day(5), day(6)),
        ("Needs Info", "waiting", day(6), pd.NaT),
    ]
    for policy in ("keep", "first", "last"):
        got = visits_of(read(backward_moves=policy), "B")
        assert got[:4] == expected[:4]
        assert got[4][:3] == expected[4][:3] and pd.isna(got[4][3])


def test_unmapped_status_keeps_its_time_as_a_waiting_state_and_is_counted():
    log = read()
    unmapped = [i for i in log.quality.issues if i.reason == "unmapped status"][0]
    assert (unmapped.count, unmapped.action, unmapped.rows) == (1, "kept", (14,))
    assert "Needs Info" in unmapped.detail
    # B's last status is unmapped and B is unfinished: an open waiting visit, and B is still an item.
    assert not bool(log.items.set_index("item").loc["B", "finished"])


def test_an_item_that_left_done_again_is_not_finished():
    # C: In Progress 2, Done 3, In Progress 4 (reopened): the day in Done is a waiting state; C is open.
    c = visits_of(read(), "C")
    assert c[2] == ("Done", "waiting", day(3), day(4))
    assert c[3][:3] == ("Development", "active", day(4)) and pd.isna(c[3][3])
    assert not bool(read().items.set_index("item").loc["C", "finished"])


def test_done_is_the_entry_into_the_final_run_of_done_statuses():
    # D: In Progress 1 Jan 12:00, Done 2 Jan, Closed 3 Jan (twice): finished on 2 Jan.
    log = read()
    assert log.items.set_index("item").loc["D", "done"] == day(2)
    assert visits_of(log, "D") == [("Development", "active", day(1, 12), day(2))]


def test_duplicates_and_zero_length_statuses_are_counted():
    log = read()
    reasons = {i.reason: (i.count, i.rows) for i in log.quality.issues}
    assert reasons["exact duplicate"] == (1, (22,))  # D's second "Closed"
    # E: In Progress and Code Review both at 2 Jan 09:00: In Progress lasts no time (row 24), kept and flagged;
    # both are Development, so they are one visit.
    assert reasons["zero-length visit"] == (1, (24,))
    assert issue_action(log, "zero-length visit") == "kept"
    assert visits_of(log, "E") == [
        ("To Do", "waiting", day(1), day(2, 9)),
        ("Development", "active", day(2, 9), day(3)),
    ]
    # 25 rows = 24 used + 1 duplicate
    assert (log.quality.rows_read, log.quality.rows_used) == (25, 24)


def test_items_table_and_flow_order_come_from_the_mapping():
    log = read()
    assert log.steps == ("Development", "QA")
    items = log.items.set_index("item")
    assert items["started"].to_dict() == {"A": day(2), "B": day(3), "C": day(2), "D": day(1, 12), "E": day(2, 9)}
    assert items["finished"].to_dict() == {"A": True, "B": False, "C": False, "D": True, "E": True}
    assert items["type"].to_dict() == {"A": "Story", "B": "Bug", "C": "Story", "D": "Task", "E": "Task"}
    assert log.as_of == day(9)


def test_first_status_start_point_counts_from_the_first_row():
    items = read(start_point="first_status").items.set_index("item")
    assert items.loc["A", "started"] == day(1)  # To Do on 1 Jan, not In Progress on 2 Jan
    assert items.loc["D", "started"] == day(1, 12)


def test_without_statuses_kinds_done_and_flow_order_are_inferred_and_reported():
    log = read_export(STATUS, {"columns": MAPPING["columns"]})
    kinds = log.visits.drop_duplicates("step").set_index("step")["kind"].to_dict()
    assert kinds["To Do"] == kinds["Ready for QA"] == kinds["Blocked"] == "waiting"
    assert kinds["In Progress"] == kinds["Code Review"] == kinds["In QA"] == kinds["Needs Info"] == "active"
    decisions = log.quality.decisions
    assert "done statuses inferred from their names: Closed, Done" in decisions
    assert "statuses read as waiting from their names: Blocked, Ready for QA, To Do" in decisions
    # First entries: A enters In Progress 0, Code Review 1, In QA 2; B In Progress 0, Needs Info 1;
    # C In Progress 0; D In Progress 0; E Code Review 0 (its In Progress lasted no time).
    # Medians: In Progress 0, Code Review 0.5, Needs Info 1, In QA 2.
    assert log.steps == ("In Progress", "Code Review", "Needs Info", "In QA")
    assert any(d.startswith("flow order inferred") for d in decisions)


def test_jira_changelog_without_mapping():
    log = read_export(EXPORTS / "jira_changelog.csv")
    decisions = log.quality.decisions
    for expected in (
        "column 'Issue key' read as item",
        "column 'To Status' read as status",
        "column 'From Status' read as from status",
        "column 'Changed' read as timestamp",
        "column 'Created' read as created",
        "column 'Issue Type' read as type",
        "read as status history (from its columns)",
        "column 'Changed' read with the format %d/%b/%y %I:%M %p",
        "done statuses inferred from their names: Done",
        "statuses read as waiting from their names: Ready for QA, To Do",
    ):
        assert expected in decisions
    stamp = lambda d, h, m=0: pd.Timestamp(2026, 1, d, h, m, tz="UTC")  # noqa: E731
    # PRJ-1 was created 5 Jan 09:00 in To Do (the 'from' of its first change), then moved on 6 Jan 10:00.
    assert visits_of(log, "PRJ-1") == [
        ("To Do", "waiting", stamp(5, 9), stamp(6, 10)),
        ("In Progress", "active", stamp(6, 10), stamp(7, 14, 30)),
        ("In Review", "active", stamp(7, 14, 30), stamp(8, 9)),
        ("Ready for QA", "waiting", stamp(8, 9), stamp(8, 13)),
        ("Testing", "active", stamp(8, 13), stamp(9, 17)),
    ]
    # PRJ-3 never changed: in its current status since it was created; it never started active work.
    prj3 = visits_of(log, "PRJ-3")
    assert prj3[0][:3] == ("To Do", "waiting", stamp(8, 8)) and pd.isna(prj3[0][3])
    items = log.items.set_index("item")
    assert items.loc["PRJ-1", "done"] == stamp(9, 17)
    assert pd.isna(items.loc["PRJ-3", "started"])
    assert log.steps == ("In Progress", "In Review", "Testing")
    assert (log.quality.rows_read, log.quality.rows_used) == (7, 7)


def test_status_history_in_a_time_zone(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text(
        "item,status,timestamp\nA,In Progress,2026-03-28 12:00\nA,Done,2026-03-29 12:00\n", encoding="utf-8"
    )
    log = read_export(path, {"timezone": "Europe/Berlin"})
    # 12:00 CET = 11:00 UTC; 12:00 CEST = 10:00 UTC: the day of the change has 23 hours.
    visit = log.visits.iloc[0]
    assert (visit["start"], visit["end"]) == (
        pd.Timestamp("2026-03-28 11:00", tz="UTC"),
        pd.Timestamp("2026-03-29 10:00", tz="UTC"),
    )
    assert (visit["end"] - visit["start"]) == pd.Timedelta(hours=23)


def test_the_repeated_hour_in_a_status_history_is_settled_from_row_order(tmp_path):
    path = tmp_path / "s.csv"
    # In file order: 02:40, then 02:10 the same night: the second change happened after the clocks went back.
    path.write_text(
        "item,status,timestamp\nA,In Progress,2026-10-25 02:40\nA,Review,2026-10-25 02:10\nA,Done,2026-10-25 04:00\n",
        encoding="utf-8",
    )
    log = read_export(path, {"timezone": "Europe/Berlin"})
    starts = log.visits["start"].tolist()
    # 02:40 CEST = 00:40 UTC; 02:10 CET = 01:10 UTC
    assert starts == [pd.Timestamp("2026-10-25 00:40", tz="UTC"), pd.Timestamp("2026-10-25 01:10", tz="UTC")]
    assert [i.reason for i in log.quality.issues] == ["ambiguous local time"]


def test_as_of_defaults_to_the_latest_time_in_the_file_including_trailing_done_statuses(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text(
        "item,status,timestamp\nA,In Progress,2026-01-01\nA,Done,2026-01-02\nA,Closed,2026-01-03\n", encoding="utf-8"
    )
    log = read_export(path)
    # done on entering Done (2 Jan); the export still runs to the Closed change on 3 Jan
    assert log.items["done"].tolist() == [day(2)]
    assert log.as_of == day(3)


def test_a_spreadsheet_error_in_a_changelog_is_unparseable_not_a_time_without_offset(tmp_path):
    # Jira-style columns; every real time carries an offset, one cell holds a spreadsheet error.
    path = tmp_path / "changelog.csv"
    path.write_text(
        "Issue key,Status,Changed\n"
        "A,In Progress,2026-01-02T10:00:00+01:00\n"
        "A,Review,#VALUE!\n"
        "A,Done,2026-01-03T09:00:00Z\n",
        encoding="utf-8",
    )
    log = read_export(path)
    assert not any("mixes times" in d for d in log.quality.decisions)
    assert [(i.reason, i.rows) for i in log.quality.issues] == [("unparseable timestamp", (3,))]
    # 09:00 UTC on 2 Jan (10:00 at +01:00) until Done at 09:00 UTC on 3 Jan
    assert visits_of(log, "A") == [("In Progress", "active", day(2, 9), day(3, 9))]


def issue_action(log, reason):
    return next(i.action for i in log.quality.issues if i.reason == reason)
