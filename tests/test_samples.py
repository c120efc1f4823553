"""The sample exports: reproducible from their generator, and what docs/samples.md promises holds.

Every expectation below is a number planted by data/samples/generate.py and listed in docs/samples.md,
or is computed here straight from the raw file with pandas, independently of the reader.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from tests.paths import ROOT
from vsm_widgets.io.exports import read_export
from vsm_widgets.metrics import flow

SAMPLES = ROOT / "data" / "samples"
GENERATED = (
    "payments_team.csv",
    "payments_team.mapping.yaml",
    "mobile_team.csv",
    "mobile_team.mapping.yaml",
    "onboarding.csv",
    "onboarding.xlsx",
)
TEAMS = {
    "payments_team": {
        "rows": 2615,
        "items": 350,
        "finished": 315,
        "left_in": {
            "To Do": 7,
            "Development": 8,
            "Blocked": 3,
            "Code review": 3,
            "Ready for QA": 9,
            "QA": 3,
            "Awaiting Release": 2,
        },
        "largest_wait": ("Code review", "QA"),
        "returns": 60,
        "reworked_items": 56,
        "rework_share": 0.178,
        "blocked_items": 34,
        "offsets": {"+01:00", "+02:00"},
        "duplicates": 3,
        "unparseable": 2,
        "unmapped": 1,
    },
    "mobile_team": {
        "rows": 1848,
        "items": 250,
        "finished": 225,
        "left_in": {
            "To Do": 5,
            "Development": 6,
            "Blocked": 1,
            "Code review": 2,
            "Ready for QA": 2,
            "QA": 2,
            "Awaiting Release": 7,
        },
        "largest_wait": ("QA", "customer"),
        "returns": 39,
        "reworked_items": 36,
        "rework_share": 0.160,
        "blocked_items": 15,
        "offsets": {"+00:00", "+01:00"},
        "duplicates": 2,
        "unparseable": 1,
        "unmapped": 1,
    },
}
HIRES, HIRE_ROWS, UNFINISHED_HIRES = 150, 737, 6
OVERLAPPING_HIRES, OVERLAPPING_VISITS = 139, 171


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("samples")
    subprocess.run([sys.executable, str(SAMPLES / "generate.py"), "--out", str(out)], check=True, capture_output=True)
    return out


@pytest.fixture(scope="module")
def team_logs() -> dict:
    return {name: read_export(SAMPLES / f"{name}.csv", mapping=SAMPLES / f"{name}.mapping.yaml") for name in TEAMS}


@pytest.fixture(scope="module")
def onboarding_log():
    return read_export(SAMPLES / "onboarding.csv")


def raw_history(name: str) -> pd.DataFrame:
    """The export as the file has it, with spreadsheet row numbers and instants parsed by pandas."""
    frame = pd.read_csv(SAMPLES / f"{name}.csv", dtype=str, keep_default_na=False)
    frame.index = frame.index + 2
    frame["instant"] = pd.to_datetime(frame["Changed"], utc=True, format="ISO8601", errors="coerce")
    return frame


def active_sequences(log) -> pd.DataFrame:
    active = log.visits[log.visits["kind"] == "active"].sort_values(["item", "start"], kind="stable")
    return active.assign(next_step=active.groupby("item")["step"].shift(-1))


# ---- the generator -------------------------------------------------------------------------------------


def _cells(workbook: Path) -> dict[str, list[tuple]]:
    """Every sheet's cell values: the bytes of an XLSX differ between openpyxl versions, the data must not."""
    import openpyxl

    book = openpyxl.load_workbook(workbook, read_only=True)
    try:
        return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}
    finally:
        book.close()


def test_a_fresh_run_writes_the_committed_files_with_the_same_data(fresh: Path) -> None:
    assert sorted(path.name for path in fresh.iterdir()) == sorted(GENERATED)
    for name in GENERATED:
        if name.endswith(".xlsx"):
            assert _cells(fresh / name) == _cells(SAMPLES / name), f"{name} differs: run generate.py"
        else:
            assert (fresh / name).read_bytes() == (SAMPLES / name).read_bytes(), f"{name} differs: run generate.py"


def test_committed_samples_stay_small() -> None:
    for name in GENERATED:
        assert (SAMPLES / name).stat().st_size < 1_000_000, name
    assert (SAMPLES / "onboarding.xlsx").stat().st_size < 300_000


# ---- software delivery status histories ----------------------------------------------------------------


@pytest.mark.parametrize("name", TEAMS)
def test_status_history_has_its_items_offsets_and_daylight_saving_change(name: str, team_logs: dict) -> None:
    planted, log, raw = TEAMS[name], team_logs[name], raw_history(name)
    assert len(raw) == planted["rows"] == log.quality.rows_read
    assert set(raw["Changed"].str[-6:][raw["instant"].notna()]) == planted["offsets"]
    assert len(log.items) == planted["items"]
    assert int(log.items["finished"].sum()) == planted["finished"]
    assert log.start_point == "created"


@pytest.mark.parametrize("name", TEAMS)
def test_lead_time_runs_from_created_to_done_across_offsets(name: str, team_logs: dict) -> None:
    raw = raw_history(name)
    done = raw[raw["Status"] == "Done"].set_index("Issue key")["instant"]
    created = pd.to_datetime(raw.groupby("Issue key")["Created"].first(), utc=True, format="ISO8601")
    expected = ((done - created[done.index]).dt.total_seconds() / 3600).sort_index()
    items = flow.item_metrics(team_logs[name]).set_index("item")
    measured = items.loc[expected.index, "lead_time_hours"]
    np.testing.assert_allclose(measured.to_numpy(), expected.to_numpy(), rtol=0, atol=1e-6)


@pytest.mark.parametrize("name", TEAMS)
def test_unfinished_items_are_kept_as_work_in_progress_where_they_were_left(name: str, team_logs: dict) -> None:
    planted, log = TEAMS[name], team_logs[name]
    items = flow.item_metrics(log)
    unfinished = items[~items["finished"]]
    assert len(unfinished) == sum(planted["left_in"].values())
    assert unfinished["age_hours"].gt(0).all()
    assert unfinished["lead_time_hours"].isna().all()
    open_visits = log.visits[log.visits["end"].isna()]
    assert set(open_visits["item"]) == set(unfinished["item"])
    assert Counter(open_visits["step"]) == Counter(planted["left_in"])


@pytest.mark.parametrize("name", TEAMS)
def test_the_planted_handoff_holds_the_most_waiting(name: str, team_logs: dict) -> None:
    handoffs = flow.handoff_metrics(team_logs[name])
    largest = handoffs.loc[handoffs["share_of_wait"].idxmax()]
    assert (largest["from"], largest["to"]) == TEAMS[name]["largest_wait"]
    assert largest["share_of_wait"] > 0.5
    assert handoffs["share_of_wait"].sum() == pytest.approx(1.0)


@pytest.mark.parametrize("name", TEAMS)
def test_qa_sends_the_planted_share_back_as_rework(name: str, team_logs: dict) -> None:
    planted, log = TEAMS[name], team_logs[name]
    sequences = active_sequences(log)
    returns = sequences[(sequences["step"] == "QA") & (sequences["next_step"] == "Development")]
    assert len(returns) == planted["returns"]
    reworked = set(returns["item"])
    assert len(reworked) == planted["reworked_items"]
    assert len(reworked) / planted["finished"] == pytest.approx(planted["rework_share"], abs=0.0005)

    steps = flow.step_metrics(log).set_index("step")
    qa_visits = int(steps.loc["QA", "visits"])
    assert steps.loc["QA", "pct_ca"] == pytest.approx(1 - planted["returns"] / qa_visits)

    items = flow.item_metrics(log).set_index("item")
    blocked = set(log.visits.loc[log.visits["step"] == "Blocked", "item"])
    assert len(blocked) == planted["blocked_items"]
    assert (items.loc[sorted(reworked), "rework"] >= 3).all()  # Development, Code review and QA again
    untouched = items.index.difference(sorted(reworked | blocked))
    assert (items.loc[untouched, "rework"] == 0).all()


@pytest.mark.parametrize("name", TEAMS)
def test_each_planted_defect_is_counted_with_its_reason_and_rows(name: str, team_logs: dict) -> None:
    planted, log, raw = TEAMS[name], team_logs[name], raw_history(name)
    mapping = yaml.safe_load((SAMPLES / f"{name}.mapping.yaml").read_text())
    known = set(mapping["statuses"]) | set(mapping["done"])
    expected = {
        "exact duplicate": ("dropped", set(raw.index[raw.drop(columns="instant").duplicated()])),
        "unparseable timestamp": ("dropped", set(raw.index[raw["instant"].isna()])),
        "unmapped status": ("kept", set(raw.index[~raw["Status"].isin(known)])),
    }
    sizes = [len(rows) for _, rows in expected.values()]
    assert sizes == [planted["duplicates"], planted["unparseable"], planted["unmapped"]]

    issues = {issue.reason: issue for issue in log.quality.issues}
    assert set(issues) == set(expected)
    for reason, (action, rows) in expected.items():
        assert (issues[reason].action, issues[reason].count, set(issues[reason].rows)) == (action, len(rows), rows)
    dropped = planted["duplicates"] + planted["unparseable"]
    assert log.quality.rows_used == planted["rows"] - dropped

    # Nothing is lost: the unknown status keeps its time as a waiting state under its own name.
    (row,) = expected["unmapped status"][1]
    kept = log.visits[log.visits["row"] == row]
    assert kept[["step", "kind"]].values.tolist() == [[raw.loc[row, "Status"], "waiting"]]


# ---- onboarding interval log ---------------------------------------------------------------------------


def test_onboarding_reads_without_a_mapping_and_uses_every_row(onboarding_log) -> None:
    log = onboarding_log
    assert log.quality.rows_read == HIRE_ROWS
    assert log.quality.rows_used == HIRE_ROWS
    assert not log.quality.dropped
    assert [(issue.reason, issue.action, issue.count) for issue in log.quality.issues] == [
        ("overlapping visits", "kept", OVERLAPPING_VISITS)
    ]
    assert len(log.items) == HIRES
    assert int((~log.items["finished"]).sum()) == UNFINISHED_HIRES
    assert set(log.visits["team"]) == {"HR", "IT", "Security vendor", "People"}
    assert "actor" in log.visits


def test_onboarding_parallel_work_counts_once_in_active_time(onboarding_log) -> None:
    visits = onboarding_log.visits.sort_values(["item", "start"], kind="stable")
    ends = visits["end"].fillna(onboarding_log.as_of)
    earlier_end = ends.groupby(visits["item"]).cummax().groupby(visits["item"]).shift()
    overlaps = visits["start"] < earlier_end
    assert int(overlaps.sum()) == OVERLAPPING_VISITS
    overlapping = set(visits.loc[overlaps, "item"])
    assert len(overlapping) == OVERLAPPING_HIRES

    items = flow.item_metrics(onboarding_log).set_index("item")
    finished = items[items["finished"]]
    visit_hours = ((visits["end"] - visits["start"]).dt.total_seconds() / 3600).groupby(visits["item"]).sum()
    parallel = finished.index.intersection(sorted(overlapping))
    serial = finished.index.difference(sorted(overlapping))
    assert (finished.loc[parallel, "active_time_hours"] < visit_hours[parallel] - 1e-9).all()
    np.testing.assert_allclose(finished.loc[serial, "active_time_hours"], visit_hours[serial], atol=1e-9)


def test_onboarding_waits_longest_for_the_hardware(onboarding_log) -> None:
    handoffs = flow.handoff_metrics(onboarding_log)
    largest = handoffs.loc[handoffs["share_of_wait"].idxmax()]
    assert (largest["from"], largest["to"]) == ("Background check", "Equipment provisioning")


def test_onboarding_xlsx_holds_the_same_visits_as_the_csv(onboarding_log) -> None:
    from_xlsx = read_export(SAMPLES / "onboarding.xlsx")
    columns = ["item", "step", "start", "end", "actor", "team"]
    pd.testing.assert_frame_equal(
        from_xlsx.visits[columns].reset_index(drop=True), onboarding_log.visits[columns].reset_index(drop=True)
    )
