"""The script example of docs/readouts.md, saved as a file and run with python, as a reader would."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.doc_blocks import python_block_after
from tests.paths import SAMPLES

pytestmark = pytest.mark.slow
GUARD = 'if __name__ == "__main__":'


def _script(folder: Path, source: str) -> Path:
    path = folder / "make_readouts.py"
    path.write_text(source, encoding="utf-8")
    return path


def _run(script: Path, out: Path, *exports: Path) -> subprocess.CompletedProcess:
    command = [sys.executable, str(script), str(out), *map(str, exports)]
    return subprocess.run(command, cwd=script.parent, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def example() -> str:
    source = python_block_after("readouts.md", "From Python (a script)")
    assert GUARD in source
    return source


def test_the_example_renders_every_export_and_exits_0(example, tmp_path):
    run = _run(_script(tmp_path, example), tmp_path / "out", SAMPLES / "onboarding.csv")
    assert run.returncode == 0, run.stderr
    assert "1 of 1 readouts produced" in run.stdout
    assert "'lead_time'" in run.stdout
    assert (tmp_path / "out" / "onboarding.html").is_file()


def test_a_failed_input_ends_the_example_with_exit_code_1_and_its_error(example, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("item,step,start,end\n")
    run = _run(_script(tmp_path, example), tmp_path / "out", SAMPLES / "onboarding.csv", empty)
    assert run.returncode == 1
    assert "1 of 2 readouts failed" in run.stderr
    assert "FAILED  empty" in run.stderr
    assert (tmp_path / "out" / "onboarding.html").is_file()


def test_without_the_main_guard_the_script_fails_and_says_why(example, tmp_path):
    unguarded = example.replace(GUARD, "if True:")
    run = _run(_script(tmp_path, unguarded), tmp_path / "out", SAMPLES / "onboarding.csv")
    assert run.returncode == 1
    assert GUARD in run.stderr
    assert not (tmp_path / "out" / "onboarding.html").exists()
