"""``vsm readout`` with notebook parameters and on dask, end to end with real kernels."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from tests.paths import FIXTURE_NOTEBOOKS
from vsm_widgets import cli

pytestmark = pytest.mark.slow


@pytest.fixture
def labelled(tmp_path) -> Path:
    """The fixture readout with one more parameter, declared as text."""
    nb = nbformat.read(FIXTURE_NOTEBOOKS / "ok.ipynb", as_version=4)
    (cell,) = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    cell.source += '\nlabel: str = "none"  # a label the caller chooses\n'
    path = tmp_path / "labelled.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.fixture
def export(tmp_path) -> Path:
    path = tmp_path / "team.csv"
    path.write_text("item,step,start,end\nA,Build,2026-01-01,2026-01-02\n")
    return path


def _injected(out: Path) -> dict:
    return nbformat.read(out / "team.ipynb", as_version=4).metadata.papermill.parameters


def test_a_parameter_from_the_command_line_reaches_the_notebook_typed_as_declared(labelled, export, tmp_path):
    out = tmp_path / "out"
    assert (
        cli.main(["readout", str(export), "--out", str(out), "--notebook", str(labelled), "-p", "label", "2026"]) == 0
    )
    assert _injected(out)["label"] == "2026"


def test_the_dask_executor_runs_the_batch_on_a_local_cluster(labelled, export, tmp_path, capsys):
    pytest.importorskip("distributed")
    out = tmp_path / "out"
    arguments = ["readout", str(export), "--out", str(out), "--notebook", str(labelled), "--executor", "dask"]
    assert cli.main([*arguments, "--workers", "1", "-p", "label", "dask"]) == 0
    captured = capsys.readouterr()
    assert "1 of 1 readouts produced" in captured.out and "ClientExecutor" in captured.out
    assert "vsm: readouts on a local dask cluster of 1 workers" in captured.err
    assert _injected(out)["label"] == "dask"


def test_the_dask_executor_runs_the_batch_on_a_given_scheduler(labelled, export, tmp_path, capsys):
    distributed = pytest.importorskip("distributed")
    out = tmp_path / "out"
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, dashboard_address=None) as cluster:
        arguments = ["readout", str(export), "--out", str(out), "--notebook", str(labelled)]
        code = cli.main([*arguments, "--executor", "dask", "--scheduler", cluster.scheduler_address])
    assert code == 0
    assert f"vsm: readouts on the dask cluster at {cluster.scheduler_address}" in capsys.readouterr().err
    assert (out / "team.html").is_file()
