import pytest

from tests.paths import SAMPLES
from vsm_widgets.cli import main


def test_no_command_prints_the_commands_and_exits_2(capsys):
    assert main([]) == 2
    out = capsys.readouterr().out
    for command in ("metrics", "map", "compare", "readout"):
        assert command in out


@pytest.mark.parametrize("workers", ["0", "-1", "two"])
def test_readout_refuses_a_worker_count_below_one_before_any_kernel_starts(capsys, tmp_path, workers):
    with pytest.raises(SystemExit) as exit_:
        main(["readout", str(SAMPLES / "onboarding.csv"), "--out", str(tmp_path), "--workers", workers])
    assert exit_.value.code == 2
    assert f"argument --workers: {workers!r} is not a whole number of 1 or more" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
