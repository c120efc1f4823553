import json

from tests.paths import BAD_MAPS, MAPS
from vsm_widgets.cli import main
from vsm_widgets.io.map_file import load_map

FOUR = str(MAPS / "four_functions.yaml")


def test_vsm_map_prints_the_summary_with_conventions(capsys):
    assert main(["map", FOUR]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Quote to delivered solution\n")
    assert "lead time                 44 days" in out
    assert "activity ratio            65.9 %" in out  # 29 / 44
    assert "Conventions:" in out


def test_vsm_map_json_has_the_contract_keys(capsys):
    assert main(["map", str(MAPS / "manufacturing.yaml"), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary == json.loads(json.dumps(load_map(MAPS / "manufacturing.yaml").summary()))
    assert summary["unit"] == "days"
    assert summary["takt_time_seconds"] == 60  # 55,200 s / 920
    assert summary["critical_path"][0] == "stamping"
    assert summary["constraint"] == "assembly_1"
    assert summary["largest_wait"]["from"] == "stamping" and summary["largest_wait"]["to"] == "spot_weld_1"
    assert ["stamping", "spot_weld_1"] in summary["unowned_handoffs"]


def test_vsm_map_names_a_wait_inside_a_block(capsys):
    # parallel.yaml: 6 days of block lead time less 2 h of work leave 5.75 days inside Laptop and accounts.
    assert main(["map", str(MAPS / "parallel.yaml"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["largest_wait"] == {"from": "equipment", "to": "equipment", "wait": 5.75}
    assert main(["map", str(MAPS / "parallel.yaml")]) == 0
    assert "largest wait              inside Laptop and accounts: 5.75 days" in capsys.readouterr().out


def test_vsm_map_mermaid(capsys):
    assert main(["map", FOUR, "--mermaid"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("flowchart LR\n")
    assert '  step1 -->|"3 days<br/>no owner"| step2' in out


def test_vsm_map_markdown(capsys):
    assert main(["map", FOUR, "--markdown"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("## Quote to delivered solution")
    assert "| lead time | 44 days |" in out


def test_vsm_map_reports_a_broken_map(capsys):
    path = BAD_MAPS / "cycle.yaml"
    assert main(["map", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"vsm map: {path}, line 10, column 'to': handoff review -> draft closes a loop")


def test_vsm_map_missing_file(capsys, tmp_path):
    assert main(["map", str(tmp_path / "nowhere.yaml")]) == 2
    assert "nowhere.yaml: no such file" in capsys.readouterr().err
