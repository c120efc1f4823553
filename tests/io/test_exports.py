import hashlib
from pathlib import Path

import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.paths import DEGENERATE, EXPORTS
from vsm_widgets.exceptions import MissingColumnError
from vsm_widgets.io.columns import normalise_name, plan_columns
from vsm_widgets.io.export_mapping import Mapping
from vsm_widgets.io.exports import read_export

UTC = "UTC"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def comparable(log) -> pd.DataFrame:
    """Visits in a canonical order, without the file rows (which move when rows are shuffled)."""
    visits = log.visits.drop(columns="row")
    return visits.sort_values(list(visits.columns), kind="stable").reset_index(drop=True)


def quality_counts(log) -> set:
    return {(i.reason, i.action, i.count) for i in log.quality.issues}


@pytest.mark.parametrize(
    "name",
    [
        "onboarding_intervals.csv",
        "software_status.csv",
        "jira_changelog.csv",
        "lifecycle_events.csv",
        "semicolon_decimal_comma.csv",
        "latin_cp1252.csv",
        "utf8_bom.csv",
    ],
)
def test_reading_never_modifies_the_input(name):
    path = EXPORTS / name
    before = sha256(path)
    mapping = EXPORTS / "software_status.mapping.yaml" if name == "software_status.csv" else None
    mapping_before = sha256(mapping) if mapping else None
    read_export(path, mapping)
    assert sha256(path) == before
    if mapping:
        assert sha256(mapping) == mapping_before


def test_bom_is_not_part_of_the_first_column_name():
    log = read_export(EXPORTS / "utf8_bom.csv")
    assert "column 'case' read as item" in log.quality.decisions
    assert "read as comma-separated text, UTF-8 with BOM" in log.quality.decisions
    assert log.visits["item"].tolist() == ["B1", "B1"]


def test_semicolon_with_decimal_commas_and_dotted_dates():
    log = read_export(EXPORTS / "semicolon_decimal_comma.csv")
    assert log.quality.decisions[0] == "read as semicolon-separated text, UTF-8"
    assert "column 'start' read with the format %d.%m.%Y %H:%M" in log.quality.decisions
    # 05.01.2026 09:00 to 10:30 is 1.5 h (the file's own hours column says 1,5)
    visit = log.visits.iloc[0]
    assert (visit["start"], visit["end"] - visit["start"]) == (
        pd.Timestamp("2026-01-05 09:00", tz=UTC),
        pd.Timedelta(hours=1.5),
    )
    assert log.visits["start"].iloc[2] == pd.Timestamp("2026-01-13 08:00", tz=UTC)


def test_cp1252_text_is_decoded():
    log = read_export(EXPORTS / "latin_cp1252.csv")
    assert log.steps == ("Prüfung", "Übergabe")
    assert "read as comma-separated text, cp1252" in log.quality.decisions


def test_cp1252_detected_after_the_sample(tmp_path):
    # The first 64 KiB are plain ASCII; the only non-UTF-8 byte comes later, so the reader retries as cp1252.
    lines = ["item,step,start,end"] + [f"I{n},Build,2026-01-01 09:00,2026-01-01 10:00" for n in range(3000)]
    lines.append("I9999,Prüfung,2026-01-02 09:00,2026-01-02 10:00")
    path = tmp_path / "late.csv"
    path.write_bytes(("\n".join(lines) + "\n").encode("cp1252"))
    log = read_export(path)
    assert "Prüfung" in set(log.visits["step"])
    assert log.quality.rows_used == 3001


@pytest.mark.parametrize(("delimiter", "suffix", "label"), [("\t", ".tsv", "tab"), ("|", ".csv", "pipe")])
def test_other_delimiters(tmp_path, delimiter, suffix, label):
    source = pd.read_csv(EXPORTS / "onboarding_intervals.csv", dtype=str, keep_default_na=False)
    path = tmp_path / f"log{suffix}"
    source.to_csv(path, sep=delimiter, index=False)
    log = read_export(path)
    assert log.quality.decisions[0] == f"read as {label}-separated text, UTF-8"
    pd.testing.assert_frame_equal(log.visits, read_export(EXPORTS / "onboarding_intervals.csv").visits)


def test_utf16_text_from_a_spreadsheet(tmp_path):
    text = (EXPORTS / "onboarding_intervals.csv").read_text(encoding="utf-8").replace(",", "\t")
    path = tmp_path / "unicode.txt"
    path.write_bytes(text.encode("utf-16"))
    log = read_export(path)
    assert log.quality.decisions[0] == "read as tab-separated text, UTF-16"
    pd.testing.assert_frame_equal(log.visits, read_export(EXPORTS / "onboarding_intervals.csv").visits)


def test_xlsx_and_parquet_give_the_same_log_as_the_csv(tmp_path):
    csv_log = read_export(EXPORTS / "onboarding_intervals.csv")
    frame = pd.read_csv(EXPORTS / "onboarding_intervals.csv", dtype=str, keep_default_na=False)
    typed = frame.assign(start=pd.to_datetime(frame["start"]), end=pd.to_datetime(frame["end"].replace("", None)))
    xlsx = tmp_path / "log.xlsx"
    with pd.ExcelWriter(xlsx) as writer:
        pd.DataFrame({"note": ["not this sheet"]}).to_excel(writer, sheet_name="About", index=False)
        typed.to_excel(writer, sheet_name="Visits", index=False)
    parquet = tmp_path / "log.parquet"
    typed.to_parquet(parquet, index=False)
    xlsx_log = read_export(xlsx, {"sheet": "Visits"})
    parquet_log = read_export(parquet)
    for other in (xlsx_log, parquet_log):
        pd.testing.assert_frame_equal(other.visits, csv_log.visits)
        pd.testing.assert_frame_equal(other.items, csv_log.items)
        assert other.steps == csv_log.steps
    assert "read as XLSX workbook, sheet 'Visits'" in xlsx_log.quality.decisions
    assert "read as Parquet" in parquet_log.quality.decisions


def test_xlsx_first_sheet_by_default_and_text_dates(tmp_path):
    frame = pd.read_csv(EXPORTS / "onboarding_intervals.csv", dtype=str, keep_default_na=False)
    path = tmp_path / "text_dates.xlsx"
    frame.to_excel(path, index=False)
    pd.testing.assert_frame_equal(read_export(path).visits, read_export(EXPORTS / "onboarding_intervals.csv").visits)


def test_malformed_lines_are_counted_not_fatal(tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text(
        "item,step,start,end\n"
        "A,Build,2026-01-01 09:00,2026-01-01 10:00\n"
        "A,Test,2026-01-01 10:00,2026-01-01 11:00,extra,fields\n"
        "A,Ship,2026-01-01 11:00,2026-01-01 12:00\n",
        encoding="utf-8",
    )
    log = read_export(path)
    malformed = [i for i in log.quality.issues if i.reason == "malformed row"][0]
    assert (malformed.count, malformed.rows) == (1, (3,))
    # rows after the malformed one keep their spreadsheet numbers
    assert log.visits["row"].tolist() == [2, 4]
    assert (log.quality.rows_read, log.quality.rows_used) == (3, 2)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (["Issue key", "Status", "Changed"], {"item": "Issue key", "status": "Status", "timestamp": "Changed"}),
        (
            ["case_id", "Activity", "Start Time", "End_Time"],
            {"item": "case_id", "step": "Activity", "start": "Start Time", "end": "End_Time"},
        ),
        (["Work Item Id", "State", "Date"], {"item": "Work Item Id", "status": "State", "timestamp": "Date"}),
        (
            ["ticket", "stage", "started", "finished", "assignee", "Team"],
            dict(item="ticket", step="stage", start="started", end="finished", actor="assignee", team="Team"),
        ),
    ],
)
def test_column_names_are_recognised(header, expected):
    plan = plan_columns(header, Mapping(), "x.csv")
    for canonical, column in expected.items():
        assert plan.columns[canonical] == column


def test_normalised_names_ignore_case_spaces_and_punctuation():
    assert normalise_name("Start_Time") == normalise_name("start time") == "starttime"


def test_missing_columns_name_the_file_the_columns_found_and_the_way_out(tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("name,colour\nAnn,red\n", encoding="utf-8")
    with pytest.raises(MissingColumnError) as caught:
        read_export(path)
    message = str(caught.value)
    assert message.startswith(f"{path}, row 1: the columns needed were not found")
    assert "Columns in the file: 'name', 'colour'" in message
    assert "give a mapping file (see docs/exports.md)" in message


def test_a_shape_given_in_the_mapping_names_what_is_missing(tmp_path):
    path = tmp_path / "half.csv"
    path.write_text("item,step,start\nA,Build,2026-01-01\n", encoding="utf-8")
    with pytest.raises(MissingColumnError, match=r"Needed: item, step, start, end \(intervals\); not found: end"):
        read_export(path, {"shape": "intervals"})


def test_calendar_is_attached():
    from vsm_widgets.calendar import Calendar

    calendar = Calendar.working_time()
    assert read_export(EXPORTS / "onboarding_intervals.csv", calendar=calendar).calendar == calendar


INTERVAL_ROWS = (EXPORTS / "onboarding_intervals.csv").read_text(encoding="utf-8").splitlines()
STATUS_ROWS = (EXPORTS / "software_status.csv").read_text(encoding="utf-8").splitlines()


INTERVAL_LOG = read_export(EXPORTS / "onboarding_intervals.csv")
STATUS_MAPPING = yaml.safe_load((EXPORTS / "software_status.mapping.yaml").read_text(encoding="utf-8"))
STATUS_LOGS = {
    policy: read_export(EXPORTS / "software_status.csv", {**STATUS_MAPPING, "backward_moves": policy})
    for policy in ("keep", "first", "last")
}


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=st.permutations(list(range(len(INTERVAL_ROWS) - 1))), status_order=st.randoms(use_true_random=False))
def test_shuffling_rows_gives_the_same_log(tmp_path, order, status_order):
    shuffled = tmp_path / "shuffled.csv"
    body = INTERVAL_ROWS[1:]
    shuffled.write_text("\n".join([INTERVAL_ROWS[0], *[body[i] for i in order]]) + "\n", encoding="utf-8")
    original = INTERVAL_LOG
    moved = read_export(shuffled)
    pd.testing.assert_frame_equal(comparable(moved), comparable(original))
    pd.testing.assert_frame_equal(moved.items, original.items)
    assert (moved.steps, moved.as_of, quality_counts(moved)) == (
        original.steps,
        original.as_of,
        quality_counts(original),
    )

    rows = STATUS_ROWS[1:]
    status_order.shuffle(rows)
    status_file = tmp_path / "status.csv"
    status_file.write_text("\n".join([STATUS_ROWS[0], *rows]) + "\n", encoding="utf-8")
    for policy, base in STATUS_LOGS.items():
        other = read_export(status_file, {**STATUS_MAPPING, "backward_moves": policy})
        pd.testing.assert_frame_equal(comparable(other), comparable(base))
        pd.testing.assert_frame_equal(other.items, base.items)
        assert quality_counts(other) == quality_counts(base)


def test_paths_given_as_text_work():
    log = read_export(str(EXPORTS / "onboarding_intervals.csv"))
    assert len(log.visits) == 5
    pd.testing.assert_frame_equal(log.visits, INTERVAL_LOG.visits)


def test_a_quoted_line_break_after_the_sample_is_one_record(tmp_path):
    # 3000 plain rows fill the 64 KiB sample; row 3002 holds a note with a line break inside quotes.
    lines = ["item,step,start,end,note"] + [f"I{n},Build,2026-01-01 09:00,2026-01-01 10:00,ok" for n in range(3000)]
    lines.append('J,Build,2026-01-02 09:00,2026-01-02 10:00,"first line\nsecond line"')
    lines.append("K,Build,2026-01-03 09:00,2026-01-03 10:00,ok")
    path = tmp_path / "notes.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    log = read_export(path)
    assert (log.quality.rows_read, log.quality.rows_used) == (3002, 3002)
    rows = log.visits.set_index("item")["row"]
    # header = row 1, I0..I2999 = rows 2..3001, J = 3002, K = 3003 (a spreadsheet shows J on one row)
    assert (rows["J"], rows["K"]) == (3002, 3003)


def test_cells_padded_with_spaces_are_trimmed(tmp_path):
    path = tmp_path / "padded.csv"
    path.write_text(
        "item,step,start,end\n A , Build ,2026-01-01 09:00,2026-01-01 10:00\nA,   ,2026-01-01 10:00,\n",
        encoding="utf-8",
    )
    log = read_export(path)
    assert log.visits[["item", "step"]].values.tolist() == [["A", "Build"]]
    # a cell of spaces is empty: row 3 has no step
    assert [(i.reason, i.rows) for i in log.quality.issues] == [("missing step", (3,))]


def test_jiras_own_export_csv_is_named_and_the_json_export_pointed_to():
    with pytest.raises(MissingColumnError) as caught:
        read_export(EXPORTS / "jira_issue_navigator.csv")
    message = str(caught.value)
    assert "this is Jira's own Export CSV (Issue key, Summary, Status)" in message
    assert "no status history" in message and "Jira JSON" in message


def test_an_export_of_events_read_as_intervals_says_how_to_read_it_instead():
    log = read_export(DEGENERATE / "zero_length.csv")
    (hint,) = [d for d in log.quality.decisions if d.startswith("every visit starts and ends at the same moment")]
    assert "a log of events read as intervals" in hint
    # Named with the export's own columns, so the lines can go into a mapping as they are.
    assert "shape: status_history and columns: {status: step, timestamp: start}" in hint
    # One visit with a duration and the export is intervals after all: no hint.
    assert not any("same moment" in d for d in read_export(DEGENERATE / "open_in_new_step.csv").quality.decisions)


def test_the_suggested_event_reading_measures_the_time_between_events(tmp_path):
    # Z-n: Build at 09:00, Test at 12:00 of day n; read as a status history, Build lasts 3 hours.
    mapping = {"shape": "status_history", "columns": {"status": "step", "timestamp": "start"}, "done": ["Test"]}
    log = read_export(DEGENERATE / "zero_length.csv", mapping)
    build = log.visits[log.visits["step"] == "Build"]
    assert len(build) == 5 and ((build["end"] - build["start"]) == pd.Timedelta(hours=3)).all()


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet"])
@pytest.mark.parametrize(
    ("timestamp_format", "start", "end", "expected"),
    [
        # Hand-computed: 1,700,000,000 s is 2023-11-14 22:13:20 UTC, and 3,600 s later 23:13:20.
        ("epoch_s", 1700000000, 1700003600, ("2023-11-14 22:13:20", "2023-11-14 23:13:20")),
        # Excel serial 45,000 is 45,000 days after 1899-12-30: 2023-03-15; .5 of a day is noon.
        ("excel", 45000, 45000.5, ("2023-03-15", "2023-03-15 12:00")),
    ],
)
def test_times_written_as_numbers_read_with_their_timestamp_format(
    tmp_path, suffix, timestamp_format, start, end, expected
):
    rows = pd.DataFrame({"item": ["A"], "step": ["Build"], "start": [start], "end": [end]})
    path = tmp_path / f"export{suffix}"
    {".csv": rows.to_csv, ".xlsx": rows.to_excel, ".parquet": rows.to_parquet}[suffix](path, index=False)
    log = read_export(path, {"timestamp_format": timestamp_format})
    visit = log.visits.iloc[0]
    assert (visit["start"], visit["end"]) == tuple(pd.Timestamp(t, tz="UTC") for t in expected)
    assert "column 'start' read as" in " ".join(log.quality.decisions) and timestamp_format in " ".join(
        log.quality.decisions
    )
