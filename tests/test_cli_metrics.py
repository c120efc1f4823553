import json
import shutil

import pytest

from tests.paths import EXPORTS
from vsm_widgets.cli import main

# C1: Paperwork Mon 5 Jan 09:00-12:00, Equipment Mon 10:00 - Tue 10:00 (parallel), Training Wed 09:00-17:00.
# C2: Paperwork Tue 09:00-11:30, Equipment from Wed 09:00, still open. The export ends Wed 17:00.
ONBOARDING = EXPORTS / "onboarding_intervals.csv"
DESIGN_KEYS = {
    "unit",
    "items",
    "finished_items",
    "lead_time",
    "active_time",
    "flow_efficiency",
    "flow_efficiency_mean_of_items",
    "throughput_per_week",
    "wip_mean",
    "steps",
    "handoffs",
    "quality",
    "largest_wait",
}


def test_the_report_names_the_largest_wait_of_the_partition(capsys):
    assert main(["metrics", str(ONBOARDING)]) == 0
    out = capsys.readouterr().out
    # 23 of C1's 56 h: 41.1 %.
    assert (
        "largest wait            between Equipment and Training: 23 h of the mean item's lead time "
        "(41.1 % of it, 100 % of all waiting)" in out
    )


def run_json(capsys, *args):
    assert main(["metrics", *map(str, args), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_json_has_the_contract_keys_with_numbers_worked_by_hand(capsys):
    metrics = run_json(capsys, ONBOARDING)
    assert DESIGN_KEYS <= set(metrics) <= DESIGN_KEYS | {"conventions"}
    assert metrics["unit"] == "hours"
    assert (metrics["items"], metrics["finished_items"]) == (2, 1)
    # C1: Mon 09:00 to Wed 17:00 = 56 h; active = union(09:00 Mon - 10:00 Tue) 25 h + Training 8 h = 33 h.
    assert metrics["lead_time"] == {"median": 56.0, "p85": 56.0, "mean": 56.0}
    assert metrics["active_time"]["median"] == 33.0
    # C1's partition: Paperwork 1 + 1 h, Equipment 1 + 22 h, Training 8 h, and 23 h (Tue 10:00 to Wed 09:00)
    # waiting between Equipment and Training: the only wait, 23 of the 56 h.
    assert metrics["largest_wait"] == {
        "from": "Equipment",
        "to": "Training",
        "kind": "waiting on handoff",
        "wait": 23.0,
        "share": pytest.approx(23 / 56),
        "share_of_waiting": 1.0,
    }
    assert metrics["flow_efficiency"] == pytest.approx(33 / 56)
    # WIP: C1 for all 56 h, C2 from Tue 09:00 to Wed 17:00 = 32 h: (56 + 32) / 56.
    assert metrics["wip_mean"] == pytest.approx(88 / 56)
    # One item finished in a 56 h window: 1 / (56 / 168) = 3 a week.
    assert metrics["throughput_per_week"] == pytest.approx(3.0)
    steps = {s["step"]: s for s in metrics["steps"]}
    assert list(steps) == ["Paperwork", "Equipment", "Training"]
    # Paperwork 3 h and 2.5 h: median 2.75, p85 = 2.5 + 0.85 * 0.5 = 2.925.
    assert steps["Paperwork"]["process_time"] == {"median": 2.75, "p85": pytest.approx(2.925), "mean": 2.75}
    # The open Equipment visit is left out of process time: only C1's 24 h.
    assert steps["Equipment"]["process_time"]["median"] == 24.0
    handoffs = {(h["from"], h["to"]): h for h in metrics["handoffs"]}
    # Paperwork -> Equipment: C1 overlaps (0 h), C2 waits Tue 11:30 -> Wed 09:00 = 21.5 h.
    assert handoffs[("Paperwork", "Equipment")]["count"] == 2
    assert handoffs[("Paperwork", "Equipment")]["wait"]["median"] == pytest.approx(10.75)
    # Equipment -> Training: Tue 10:00 -> Wed 09:00 = 23 h.
    assert handoffs[("Equipment", "Training")]["wait"]["mean"] == 23.0
    assert metrics["quality"] == {"rows_read": 5, "rows_used": 5, "dropped": []}


def test_working_calendar_counts_only_working_hours(capsys):
    metrics = run_json(capsys, ONBOARDING, "--calendar", "working:mon-fri,09:00-17:00")
    # Mon 09:00 to Wed 17:00 is three 8 h days = 24 h; active = 8 h Mon + 1 h Tue + 8 h Wed = 17 h.
    assert metrics["lead_time"]["median"] == 24.0
    assert metrics["active_time"]["median"] == 17.0
    assert metrics["flow_efficiency"] == pytest.approx(17 / 24)
    assert metrics["conventions"]["calendar"] == "working time (Mon-Fri 09:00-17:00 UTC)"


def test_the_table_prints_the_conventions_and_the_data_quality(capsys):
    assert main(["metrics", str(ONBOARDING)]) == 0
    out = capsys.readouterr().out
    assert "calendar time (24 h a day, every day)" in out
    assert "clock starts at: first active step" in out
    assert "rows read: 5; rows used: 5" in out


def test_a_mapping_beside_the_export_is_found_and_said(tmp_path, capsys):
    shutil.copy(EXPORTS / "software_status.csv", tmp_path / "team.csv")
    shutil.copy(EXPORTS / "software_status.mapping.yaml", tmp_path / "team.mapping.yaml")
    found = run_json(capsys, tmp_path / "team.csv")
    given = run_json(capsys, tmp_path / "team.csv", "--mapping", tmp_path / "team.mapping.yaml")
    assert found == given
    assert main(["metrics", str(tmp_path / "team.csv")]) == 0
    assert f"using the mapping beside the export: {tmp_path / 'team.mapping.yaml'}" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["no/such/export.csv"], "no/such/export.csv"),
        ([str(ONBOARDING), "--calendar", "fortnightly"], "unknown calendar 'fortnightly'"),
        ([str(ONBOARDING), "--calendar", "working:tz=Mars/Olympus"], "unknown time zone 'Mars/Olympus'"),
    ],
)
def test_errors_print_a_message_and_exit_2_without_a_traceback(capsys, args, message):
    assert main(["metrics", *args]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_help_describes_the_command(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["metrics", "--help"])
    assert exit_.value.code == 0
    assert "--calendar" in capsys.readouterr().out
