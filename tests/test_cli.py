import subprocess
import sys
import tomllib
from importlib import metadata

import pytest

import vsm_widgets
from tests.paths import ROOT, SAMPLES
from vsm_widgets.cli import main
from vsm_widgets.io.samples import sample_files


def test_no_command_prints_the_commands_and_exits_2(capsys):
    assert main([]) == 2
    out = capsys.readouterr().out
    for command in ("metrics", "map", "compare", "readout", "samples"):
        assert command in out


@pytest.mark.parametrize("workers", ["0", "-1", "two"])
def test_readout_refuses_a_worker_count_below_one_before_any_kernel_starts(capsys, tmp_path, workers):
    with pytest.raises(SystemExit) as exit_:
        main(["readout", str(SAMPLES / "onboarding.csv"), "--out", str(tmp_path), "--workers", workers])
    assert exit_.value.code == 2
    assert f"argument --workers: {workers!r} is not a whole number of 1 or more" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_the_version_is_the_one_in_pyproject_read_from_the_package_metadata(capsys):
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert vsm_widgets.__version__ == metadata.version("vsm-widgets") == declared
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out == f"vsm-widgets {declared}\n"


def test_python_dash_m_runs_the_command_line_under_its_own_name():
    run = subprocess.run([sys.executable, "-m", "vsm_widgets", "metrics"], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 2
    assert run.stderr.startswith("usage: python -m vsm_widgets metrics")


def test_samples_copies_every_export_mapping_scenario_and_map(tmp_path, capsys):
    names = sample_files()
    assert names
    assert main(["samples", str(tmp_path / "try")]) == 0
    copied = sorted(p.relative_to(tmp_path / "try") for p in (tmp_path / "try").rglob("*") if p.is_file())
    assert copied == names
    assert {name.suffix for name in names} == {".csv", ".xlsx", ".yaml"}
    assert any(name.parts[0] == "maps" for name in names)
    assert (tmp_path / "try" / "payments_team.csv").read_bytes() == (SAMPLES / "payments_team.csv").read_bytes()
    assert f"{len(names)} sample files copied" in capsys.readouterr().out
    assert main(["metrics", str(tmp_path / "try" / "payments_team.csv"), "--json"]) == 0


def test_samples_never_overwrites_a_file(tmp_path, capsys):
    (tmp_path / "payments_team.csv").write_text("mine\n")
    assert main(["samples", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "already has payments_team.csv" in err and "never overwritten" in err
    assert (tmp_path / "payments_team.csv").read_text() == "mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["payments_team.csv"]
