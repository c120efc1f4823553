"""`vsm compare` and `vsm map --scenario` through vsm_widgets.cli.main."""

import json

import pytest

from tests.paths import MAPS, SAMPLES
from vsm_widgets.cli import main


def test_map_with_a_scenario_prints_the_future_summary(capsys, tmp_path):
    scenario = tmp_path / "future.yaml"
    scenario.write_text("changes:\n  - {kind: cut_wait, handoff: [sales, ops], by: 50%, waste: waiting}\n")
    assert main(["map", str(MAPS / "four_functions.yaml"), "--scenario", str(scenario), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    # 44 days with the 5-day wait halved: 41.5 days; 12.5 of them on the arrows.
    assert (summary["lead_time"], summary["wait_time"], summary["unit"]) == (41.5, 12.5, "days")


def test_map_with_a_broken_scenario_names_the_file_line_and_change(capsys, tmp_path):
    scenario = tmp_path / "future.yaml"
    scenario.write_text("changes:\n  - {kind: remove_step, step: legal, waste: extra_processing}\n")
    assert main(["map", str(MAPS / "four_functions.yaml"), "--scenario", str(scenario), "--json"]) == 2
    error = capsys.readouterr().err
    assert f"{scenario}, line 2: change 1 (remove_step): the map has no step 'legal'" in error


def test_compare_two_maps_as_json(capsys):
    assert main(["compare", str(MAPS / "four_functions.yaml"), str(MAPS / "software_delivery.yaml"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    headline = {row["metric"]: row for row in data["headline"]}
    # 44 days against 648 hours = 27 days (the software map is in hours; the first map's unit wins).
    assert headline["lead_time"]["current"] == 44 and headline["lead_time"]["future"] == 27
    assert headline["lead_time"]["unit"] == "days"
    assert headline["lead_time"]["change_pct"] == pytest.approx((27 - 44) / 44 * 100)  # -38.6 %
    assert data["kind"] == "maps"


def test_compare_two_maps_as_text(capsys):
    assert main(["compare", str(MAPS / "four_functions.yaml"), str(MAPS / "four_functions.yaml")]) == 0
    out = capsys.readouterr().out
    assert "Lead time" in out and "44 days" in out and "+0.0 %" in out
    assert "Conventions:" in out


def test_compare_two_exports(capsys, tmp_path):
    mapping = SAMPLES / "payments_team.mapping.yaml"
    export = SAMPLES / "payments_team.csv"
    assert main(["compare", str(export), str(export), "--mapping", str(mapping), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    headline = {row["metric"]: row for row in data["headline"]}
    assert data["kind"] == "logs"
    assert headline["lead_time_median"]["change"] == 0 and headline["lead_time_median"]["unit"] == "hours"
    assert {row["status"] for row in data["steps"]} == {"same"}
    assert data["conventions"]["clock starts at"] == "item created"


def test_compare_a_map_with_an_export_is_an_error(capsys):
    assert main(["compare", str(MAPS / "four_functions.yaml"), str(SAMPLES / "onboarding.csv")]) == 2
    assert "cannot compare a map with an export. Compare two maps or two exports." in capsys.readouterr().err
