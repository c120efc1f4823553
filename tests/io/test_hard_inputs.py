"""Inputs a hostile or careless user hands the readers (issue 15): a message or a counted decision each."""

import datetime as dt
import os
import pathlib

import pandas as pd
import pytest

from tests.paths import BAD
from vsm_widgets.cli import main
from vsm_widgets.exceptions import ExportReadError
from vsm_widgets.io.exports import read_export

ROWS = "A,Build,2026-01-01 09:00,2026-01-02 09:00\nB,Build,2026-01-01 09:00,2026-01-03 09:00\n"


def test_header_names_with_spaces_are_trimmed_and_the_decision_says_so(tmp_path):
    path = tmp_path / "padded.csv"
    path.write_text(" item , step ,start, end\n" + ROWS, encoding="utf-8")
    log = read_export(path)
    assert log.quality.rows_used == 2
    assert (
        "header names with spaces around them read trimmed: ' item ' as 'item', ' step ' as 'step', "
        "' end' as 'end'" in log.quality.decisions
    )
    assert sorted(log.visits["item"]) == ["A", "B"]


def test_an_unreadable_file_is_a_message_and_exit_2(tmp_path, monkeypatch, capsys):
    path = tmp_path / "locked.csv"
    path.write_text("item,step,start,end\n" + ROWS, encoding="utf-8")
    opener = pathlib.Path.open

    def refuse(self, *args, **kwargs):
        if self == path:
            raise PermissionError(13, "Permission denied")
        return opener(self, *args, **kwargs)

    # The tests may run as root, whom chmod 000 does not stop; refuse the open itself.
    monkeypatch.setattr(pathlib.Path, "open", refuse)
    with pytest.raises(ExportReadError, match=r"locked\.csv: the file cannot be opened \(Permission denied\). Check"):
        read_export(path)
    assert main(["metrics", str(path)]) == 2
    err = capsys.readouterr().err
    assert "the file cannot be opened (Permission denied)" in err
    assert "Traceback" not in err


def test_a_symlink_loop_is_not_called_missing(tmp_path):
    (tmp_path / "a.csv").symlink_to(tmp_path / "b.csv")
    (tmp_path / "b.csv").symlink_to(tmp_path / "a.csv")
    with pytest.raises(ExportReadError, match=r"a\.csv: the path is a symbolic link that leads nowhere"):
        read_export(tmp_path / "a.csv")


def test_a_fifo_is_not_called_a_folder_and_is_not_opened(tmp_path):
    path = tmp_path / "pipe.csv"
    os.mkfifo(path)
    with pytest.raises(
        ExportReadError, match=r"pipe\.csv: this is not a regular file \(a pipe, a socket or a device\)"
    ):
        read_export(path)


FAR = pd.DataFrame(
    {
        "item": ["A", "B", "C", "D", "E"],
        "step": ["Build"] * 5,
        "start": [dt.datetime(2026, 1, 1, 9)] * 1 + [dt.datetime(1500, 1, 1)] + [dt.datetime(2026, 1, 1, 9)] * 3,
        "end": [
            dt.datetime(2026, 1, 2, 9),
            dt.datetime(2026, 1, 3, 9),
            dt.datetime(9999, 12, 31),
            dt.datetime(3000, 1, 1),
            dt.datetime(2026, 1, 4, 9),
        ],
    }
)


def _write(frame: pd.DataFrame, path: pathlib.Path) -> None:
    if path.suffix == ".csv":
        frame.to_csv(path, index=False)
    elif path.suffix == ".parquet":
        frame.astype({"start": "datetime64[us]", "end": "datetime64[us]"}).to_parquet(path, index=False)
    else:
        frame.to_excel(path, index=False)


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".xlsx"])
def test_times_outside_the_nanosecond_range_are_counted_and_year_9999_ends_are_open(tmp_path, suffix):
    path = tmp_path / f"far{suffix}"
    _write(FAR, path)
    log = read_export(path)
    issues = {issue.reason: issue for issue in log.quality.issues}
    # B starts in 1500 and D ends in 3000: dropped; C's 9999-12-31 means "no end date": open.
    assert (issues["timestamp out of range"].count, issues["timestamp out of range"].rows) == (2, (3, 5))
    assert issues["timestamp out of range"].action == "dropped"
    assert "outside 1677-09-21 to 2262-04-11" in issues["timestamp out of range"].detail
    assert (issues["far-future end read as open"].count, issues["far-future end read as open"].rows) == (1, (4,))
    assert issues["far-future end read as open"].action == "corrected"
    assert log.quality.rows_read == 5 and log.quality.rows_used == 3
    visits = log.visits.set_index("item")
    assert sorted(visits.index) == ["A", "C", "E"]
    assert pd.isna(visits.loc["C", "end"])


def test_an_end_at_the_largest_timestamp_is_not_read_as_open(tmp_path):
    path = tmp_path / "edge.csv"
    path.write_text(
        "item,step,start,end\nA,Build,2026-01-01 09:00,2026-01-02 09:00\n"
        f"B,Build,2026-01-01 09:00,{pd.Timestamp.max.isoformat()}\n",
        encoding="utf-8",
    )
    log = read_export(path)
    (issue,) = [i for i in log.quality.issues if i.reason == "timestamp out of range"]
    assert (issue.count, issue.rows) == (1, (3,))
    assert list(log.visits["item"]) == ["A"]
    assert log.items["item"].tolist() == ["A"]


def test_a_status_change_in_year_3000_is_counted(tmp_path):
    path = tmp_path / "history.csv"
    path.write_text(
        "item,status,timestamp\nA,Doing,2026-01-01 09:00\nA,Done,2026-01-02 09:00\nB,Doing,3000-01-01\n",
        encoding="utf-8",
    )
    log = read_export(path, {"statuses": {"Doing": "Doing"}, "done": ["Done"]})
    (issue,) = [i for i in log.quality.issues if i.reason == "timestamp out of range"]
    assert (issue.count, issue.rows, log.quality.rows_used) == (1, (4,), 2)


def test_a_mapping_name_this_export_lacks_is_a_decision_when_others_match():
    log = read_export(BAD / "interval_export.csv", {"end_steps": ["Test", "Shipped"]})
    assert "mapping key 'end_steps' names steps that this export does not have: 'Shipped'" in log.quality.decisions
    assert log.items.set_index("item")["finished"].to_dict() == {"A": True, "B": False}


def test_rows_swallowed_by_an_unterminated_quote_are_counted(tmp_path):
    lines = [f"I{i},Build,2026-01-01 09:00,2026-01-02 09:00" for i in range(10)]
    lines[3] = 'I3,"Build,2026-01-01 09:00,2026-01-02 09:00'
    path = tmp_path / "quote.csv"
    path.write_text("item,step,start,end\n" + "\n".join(lines) + "\n", encoding="utf-8")
    log = read_export(path)
    # Spreadsheet rows 5 (I3, which opens the quote) to 11 (I9, the last line) are one broken record.
    (issue,) = log.quality.issues
    assert (issue.reason, issue.count, issue.rows, issue.action) == (
        "unterminated quote",
        7,
        tuple(range(5, 12)),
        "dropped",
    )
    assert issue.detail.startswith("a quote opened in row 5 is never closed")
    assert (log.quality.rows_read, log.quality.rows_used) == (10, 3)
    assert log.visits["row"].tolist() == [2, 3, 4]


def _late_byte_file(path: pathlib.Path, first: str, encoding: str) -> int:
    """A file past the 64 KiB encoding sample, with `first` in row 2 and a cp1252 'ü' in the last row."""
    rows = [f"I{i},Build,2026-01-01 09:00,2026-01-02 09:00\n" for i in range(3000)]
    head = f"item,step,start,end\nI0,{first},2026-01-01 09:00,2026-01-02 09:00\n".encode(encoding)
    last = "Z,Prüfung,2026-01-01 09:00,2026-01-02 09:00\n".encode("cp1252")
    path.write_bytes(head + "".join(rows[1:]).encode() + last)
    return 3001 + 1


def test_one_late_cp1252_byte_in_a_utf8_file_is_refused_with_its_row(tmp_path):
    path = tmp_path / "late.csv"
    row = _late_byte_file(path, "Prüfung", "utf-8")
    assert path.stat().st_size > 64 * 1024
    with pytest.raises(ExportReadError, match=rf"late\.csv, row {row}, column 'step': the file is UTF-8 but"):
        read_export(path)


def test_a_file_consistently_in_cp1252_is_read_as_cp1252(tmp_path):
    path = tmp_path / "windows.csv"
    _late_byte_file(path, "Prüfung", "cp1252")
    log = read_export(path)
    assert "read as comma-separated text, cp1252" in log.quality.decisions
    assert set(log.steps) == {"Build", "Prüfung"}


def test_the_day_month_order_is_decided_on_every_row_not_the_first_500(tmp_path):
    # 600 rows that fit both orders, then one that only month first reads (13 is no month).
    rows = [f"I{i},Build,01/02/2026 09:00,03/04/2026 09:00" for i in range(600)]
    rows.append("LATE,Build,02/13/2026 09:00,03/04/2026 09:00")
    path = tmp_path / "order.csv"
    path.write_text("item,step,start,end\n" + "\n".join(rows) + "\n", encoding="utf-8")
    log = read_export(path)
    assert log.quality.rows_used == 601 and not log.quality.issues
    starts = log.visits.set_index("item")["start"]
    assert starts["I0"] == pd.Timestamp("2026-01-02 09:00", tz="UTC")
    assert starts["LATE"] == pd.Timestamp("2026-02-13 09:00", tz="UTC")
    assert (
        "column 'start' read with the format %m/%d/%Y %H:%M: the first 500 rows also fit %d/%m/%Y %H:%M, "
        "but 1 more row of the column fit %m/%d/%Y %H:%M" in log.quality.decisions
    )


def test_step_names_are_stripped_and_put_in_nfc_and_merges_are_reported(tmp_path):
    composed, decomposed = "Pr\u00fcfung", "Pru\u0308fung"
    rows = [
        "A,Build,2026-01-01 09:00,2026-01-02 09:00",
        "B,Build\t,2026-01-01 09:00,2026-01-02 09:00",
        f"C,{composed},2026-01-02 09:00,2026-01-03 09:00",
        f"D,{decomposed},2026-01-02 09:00,2026-01-03 09:00",
        "E,\uff22uild,2026-01-02 09:00,2026-01-03 09:00",
    ]
    path = tmp_path / "names.csv"
    path.write_text("item,step,start,end\n" + "\n".join(rows) + "\n", encoding="utf-8")
    log = read_export(path)
    # Full-width Ｂuild is another text under NFC: it stays a step of its own.
    assert sorted(log.steps) == sorted(["Build", composed, "\uff22uild"])
    (issue,) = [i for i in log.quality.issues if i.reason == "name normalised"]
    assert (issue.count, issue.rows, issue.action) == (2, (3, 5), "corrected")
    assert (
        f"step names that differ only by whitespace or Unicode form merged: 'Build\\t' into 'Build', "
        f"{decomposed!r} into {composed!r}" in log.quality.decisions
    )


@pytest.mark.parametrize("policy", ["keep", "first", "last"])
def test_no_backward_move_policy_changes_an_items_lead_time(tmp_path, policy):
    # The item starts in QA, moves back to Dev, then returns to QA. Under `last` the abandoned QA visit
    # folds into Dev; the To Do before it is the backlog and must stay outside the clock.
    path = tmp_path / "back.csv"
    path.write_text(
        "item,status,timestamp\nA,To Do,2026-01-01\nA,QA,2026-01-02\nA,Dev,2026-01-03\nA,QA,2026-01-04\n"
        "A,Done,2026-01-05\n",
        encoding="utf-8",
    )
    mapping = {"statuses": {"To Do": {"kind": "waiting"}, "Dev": "Dev", "QA": "QA"}, "done": ["Done"]}
    log = read_export(path, {**mapping, "backward_moves": policy})
    item = log.items.set_index("item").loc["A"]
    assert (item["done"] - item["started"]) == pd.Timedelta(hours=72)
    visits = [(v.step, v.start.day, v.end.day) for v in log.visits.itertuples()]
    expected = {
        "keep": [("To Do", 1, 2), ("QA", 2, 3), ("Dev", 3, 4), ("QA", 4, 5)],
        "first": [("To Do", 1, 2), ("QA", 2, 5)],
        "last": [("To Do", 1, 2), ("Dev", 2, 4), ("QA", 4, 5)],
    }
    assert visits == expected[policy]


def test_a_late_nul_byte_in_a_step_name_is_refused_with_its_row(tmp_path):
    # Past the 64 KiB sample, where the binary check does not look.
    rows = [f"I{i},Build,2026-01-01 09:00,2026-01-02 09:00" for i in range(3000)]
    rows.append("Z,Bu\x00ild,2026-01-01 09:00,2026-01-02 09:00")
    path = tmp_path / "late_nul.csv"
    path.write_text("item,step,start,end\n" + "\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(
        ExportReadError,
        match=r"late_nul\.csv, row 3002, column 'step': the step name 'Bu\\x00ild' holds a NUL byte",
    ):
        read_export(path)


def test_an_excel_sep_line_names_the_delimiter_and_rows_count_from_the_file(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_text("sep=;\nitem;step;start;end\nA;Build;2026-01-01 09:00;2026-01-02 09:00\n", encoding="utf-8")
    log = read_export(path)
    assert "the first line 'sep=;' names the delimiter (Excel's sep= line): skipped" in log.quality.decisions
    assert "read as semicolon-separated text, UTF-8" in log.quality.decisions
    assert log.visits["row"].tolist() == [3]


def test_a_cell_longer_than_a_read_block_is_read(tmp_path):
    path = tmp_path / "long.csv"
    note = "x" * (3 * 1024 * 1024)
    path.write_text(
        f'item,step,start,end,notes\nA,Build,2026-01-01 09:00,2026-01-02 09:00,"{note}"\n', encoding="utf-8"
    )
    log = read_export(path)
    assert (log.quality.rows_read, log.quality.rows_used) == (1, 1)


def test_a_mermaid_directive_in_a_step_name_stays_text():
    from vsm_widgets.io.map_file import loads_map
    from vsm_widgets.io.map_text import to_mermaid

    name = "%%{init: {'theme': 'dark'}}%% Review"
    stream = loads_map(f'name: X\nunit: hours\nsteps:\n  - {{id: a, name: "{name}", process_time: 2}}\n')
    chart = to_mermaid(stream)
    assert "%%{" not in chart and "}%%" not in chart
    assert "%%#123;init: #123;'theme': 'dark'#125;#125;%% Review" in chart
