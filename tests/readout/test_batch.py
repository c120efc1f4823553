"""Batch readouts: one page per input in parallel, an index across them, failures reported, nothing partial."""

from __future__ import annotations

import contextlib
import errno
import io
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from tests.paths import FIXTURE_NOTEBOOKS, ROOT
from vsm_widgets import cli
from vsm_widgets.exceptions import ReadoutError
from vsm_widgets.io import atomic
from vsm_widgets.io.companions import companion_file
from vsm_widgets.readout import headline_numbers
from vsm_widgets.readout.batch import Batch, ReadoutResult, render_readouts
from vsm_widgets.readout.batch_jobs import readout_names
from vsm_widgets.readout.html_page import external_references, live_markup

FIXTURES = FIXTURE_NOTEBOOKS
OK = FIXTURES / "ok.ipynb"
MAX_PAGE_BYTES = 1_500_000
HEADER = "item,step,start,end\n"

slow = pytest.mark.slow


def _export(folder: Path, name: str, rows: int) -> Path:
    path = folder / f"{name}.csv"
    path.write_text(HEADER + "".join(f"I{i},Build,2026-01-01,2026-01-02\n" for i in range(rows)))
    return path


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("exports")
    paths = {
        "alpha": _export(folder, "alpha", 2),
        "empty": _export(folder, "empty", 0),
        "beta": _export(folder, "beta", 1),
        "gamma": _export(folder, "gamma", 3),
    }
    (folder / "alpha.mapping.yaml").write_text("columns: {item: item}\n")
    (folder / "gamma.scenario.yml").write_text("name: future\nchanges: []\n")
    return paths


@pytest.fixture(scope="module")
def cli_batch(inputs, tmp_path_factory) -> tuple[int, str, str, Path]:
    """``vsm readout`` on four exports, one of them empty (the notebook refuses it), on 2 workers."""
    out = tmp_path_factory.mktemp("readouts")
    stdout, stderr = io.StringIO(), io.StringIO()
    arguments = ["readout", *map(str, inputs.values()), "--out", str(out), "--notebook", str(OK)]
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = cli.main([*arguments, "--workers", "2"])
    return code, stdout.getvalue(), stderr.getvalue(), out


@slow
def test_a_broken_input_fails_alone_with_exit_code_1(cli_batch):
    code, stdout, _, out = cli_batch
    assert code == 1
    assert sorted(p.name for p in out.iterdir()) == [
        "alpha.html",
        "alpha.ipynb",
        "beta.html",
        "beta.ipynb",
        "gamma.html",
        "gamma.ipynb",
        "index.html",
    ]
    assert re.search(r"FAILED\s+empty\s+\S+empty\.csv: VsmError: \S+empty\.csv: the export has no rows", stdout)
    assert "3 of 4 readouts produced" in stdout
    assert f"Index: {out / 'index.html'}" in stdout


@slow
def test_off_a_terminal_there_is_no_progress_bar_but_each_failure_is_said(cli_batch):
    _, _, stderr, _ = cli_batch
    assert "readouts:" not in stderr and "%|" not in stderr
    assert "vsm: empty: failed: VsmError" in stderr


@slow
def test_progress_is_shown_on_standard_error_when_asked_for(inputs, tmp_path, capsys):
    render_readouts([inputs["alpha"]], tmp_path, notebook=OK, workers=1, progress=True)
    assert "readouts: 100%" in capsys.readouterr().err


@slow
def test_every_page_is_offline_static_and_small(cli_batch):
    out = cli_batch[3]
    pages = sorted(out.glob("*.html"))
    assert len(pages) >= 2, "the batch wrote its pages and index"
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert external_references(html) == [], page.name
        assert live_markup(html) == [], page.name
        assert page.stat().st_size < MAX_PAGE_BYTES, page.name


@slow
def test_parameters_and_companion_files_are_injected(cli_batch, inputs):
    out = cli_batch[3]
    parameters = {
        name: nbformat.read(out / f"{name}.ipynb", as_version=4).metadata.papermill.parameters
        for name in ("alpha", "beta", "gamma")
    }
    folder = inputs["alpha"].parent.resolve()
    assert parameters["alpha"] == {
        "input_path": str(folder / "alpha.csv"),
        "name": "alpha",
        "mapping_path": str(folder / "alpha.mapping.yaml"),
        "scenario_path": None,
    }
    assert parameters["beta"]["mapping_path"] is None
    assert parameters["gamma"]["scenario_path"] == str(folder / "gamma.scenario.yml")


@slow
def test_index_links_every_readout_and_lists_the_failure(cli_batch):
    index = (cli_batch[3] / "index.html").read_text(encoding="utf-8")
    # The fixture notebook reports one hour of lead time per row: 2 h, 1 h (worded 60 minutes), 3 h.
    for name, lead_time in (("alpha", "2 hours"), ("beta", "60 minutes"), ("gamma", "3 hours")):
        assert f'<a href="{name}.html">{name}</a>' in index
        assert lead_time in index
    assert "25 %" in index and "Review → Deploy: 2.5 hours" in index
    failed = index[index.index("Failed inputs") :]
    assert "empty.csv" in failed and "the export has no rows" in failed


@slow
def test_dask_local_cluster_produces_the_same_files(cli_batch, inputs, tmp_path):
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        distributed.Client(cluster) as client,
    ):
        batch = render_readouts(
            [inputs["alpha"], inputs["empty"]], tmp_path, notebook=OK, executor=client.get_executor(), check=False
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["alpha.html", "alpha.ipynb", "index.html"]
    assert [r.name for r in batch.failed] == ["empty"]
    assert batch.runner == "ClientExecutor"
    by_pool = nbformat.read(cli_batch[3] / "alpha.ipynb", as_version=4)
    by_dask = nbformat.read(tmp_path / "alpha.ipynb", as_version=4)
    assert by_dask.metadata.papermill.parameters == by_pool.metadata.papermill.parameters
    assert batch.results[0].summary == headline_numbers.summary_from_notebook(by_pool)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    # A zombie has exited; it only waits for its new parent to reap it.
    return not (stat.exists() and stat.read_text().split(")")[-1].split()[0] == "Z")


def _wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.2)


@slow
@pytest.mark.skipif(sys.platform == "win32", reason="sends SIGINT to a process group")
def test_an_interrupt_stops_the_batch_and_leaves_no_partial_file(tmp_path):
    folder, out = tmp_path / "exports", tmp_path / "readouts"
    folder.mkdir()
    exports = [_export(folder, name, 1) for name in ("one", "two")]
    command = [sys.executable, "-m", "vsm_widgets.cli", "readout", *map(str, exports), "--out", str(out)]
    command += ["--notebook", str(FIXTURES / "slow.ipynb"), "--workers", "2"]
    # A session of its own, so the test can press Ctrl-C for it: SIGINT to the whole process group.
    pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
    process = subprocess.Popen(command, cwd=ROOT, start_new_session=True, **pipes)
    markers = [path.with_suffix(".started") for path in exports]
    try:
        _wait_for(lambda: all(m.exists() and m.read_text() for m in markers), 300, "both kernels to start")
        os.killpg(process.pid, signal.SIGINT)
        _, stderr = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 130, stderr.decode()
    assert "interrupted; no partial file was kept" in stderr.decode()
    assert list(out.iterdir()) == []
    kernels = [int(m.read_text()) for m in markers]
    _wait_for(lambda: not any(_running(pid) for pid in kernels), 60, "the kernels to exit")


def test_batch_reports_each_input_and_the_index(tmp_path):
    batch = Batch(
        results=(
            ReadoutResult("alpha", Path("in/alpha.csv"), html_path=tmp_path / "alpha.html", seconds=4.2),
            ReadoutResult("beta", Path("in/beta.csv"), error="VsmError: no rows"),
        ),
        out_dir=tmp_path,
        index_path=tmp_path / "index.html",
        notebook="readout",
        runner="2 worker processes",
        seconds=9.0,
    )
    assert not batch.ok
    assert [r.name for r in batch.failed] == ["beta"]
    assert batch.format().splitlines() == [
        "1 of 2 readouts produced in 9.0 s (notebook readout, 2 worker processes)",
        f"  ok      alpha  {tmp_path / 'alpha.html'}  (4.2 s)",
        "  FAILED  beta   in/beta.csv: VsmError: no rows",
        f"Index: {tmp_path / 'index.html'}",
    ]


def _notebook_with_parameters(path: Path, source: str) -> Path:
    nb = new_notebook(
        cells=[new_code_cell(source, metadata={"tags": ["parameters"]})],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    )
    nbformat.write(nb, path)
    return path


@pytest.mark.parametrize(
    ("parameters_cell", "options", "message"),
    [
        ("name = 'x'", {}, "declares no input_path parameter"),
        ("input_path = None", {"scenario": "FUTURE"}, "takes no parameter scenario_path from the caller"),
        ("input_path = None", {"parameters": {"horizon": 90}}, "takes no parameter horizon"),
        ("input_path = None", {"parameters": {"input_path": "other.csv"}}, "takes no parameter input_path"),
    ],
)
def test_a_notebook_that_cannot_take_the_inputs_is_refused_before_running(tmp_path, parameters_cell, options, message):
    export = _export(tmp_path, "alpha", 1)
    future = tmp_path / "future.yaml"
    future.write_text("changes: []\n")
    options = {k: (future if v == "FUTURE" else v) for k, v in options.items()}
    notebook = _notebook_with_parameters(tmp_path / "custom.ipynb", parameters_cell)
    with pytest.raises(ReadoutError, match=message):
        render_readouts([export], tmp_path / "out", notebook=notebook, **options)
    assert not (tmp_path / "out").exists()


def test_missing_files_are_refused_before_running(tmp_path):
    export = _export(tmp_path, "alpha", 1)
    with pytest.raises(ReadoutError, match=r"no such file: .*missing\.csv, .*nomap\.yaml"):
        render_readouts([export, tmp_path / "missing.csv"], tmp_path, notebook=OK, mapping=tmp_path / "nomap.yaml")


def test_cli_exits_2_when_nothing_can_run(tmp_path, capsys):
    code = cli.main(["readout", str(tmp_path / "missing.csv"), "--out", str(tmp_path), "--notebook", "ok.ipynb"])
    assert code == 2
    assert "vsm readout:" in capsys.readouterr().err


def test_readout_names_are_distinct_file_stems():
    paths = [Path("a/team.csv"), Path("b/team.csv"), Path("ops.csv"), Path("x/index.csv"), Path("y/lab.csv")]
    assert readout_names(paths) == ["a-team", "b-team", "ops", "x-index", "lab"]
    assert readout_names([Path("ops.csv"), Path("y/ops.csv")]) == [f"{Path.cwd().name}-ops", "y-ops"]
    assert readout_names([Path("a/t.csv"), Path("a/t.xlsx")]) == ["a-t", "a-t-2"]


@pytest.mark.parametrize("suffix", [".yaml", ".yml"])
def test_companion_files_are_found_beside_the_input(tmp_path, suffix):
    export = _export(tmp_path, "mobile_team", 1)
    assert companion_file(export, "mapping") is None
    mapping = tmp_path / f"mobile_team.mapping{suffix}"
    mapping.write_text("{}")
    assert companion_file(export, "mapping") == mapping
    assert companion_file(export, "scenario") is None


@slow
def test_a_full_disk_fails_that_input_alone_and_the_index_does_not_link_it(inputs, tmp_path, monkeypatch):
    real = atomic._staged

    def disk_full_for_beta(target, text):
        if target.name == "beta.html":
            raise OSError(errno.ENOSPC, "No space left on device", str(target))
        return real(target, text)

    monkeypatch.setattr(atomic, "_staged", disk_full_for_beta)  # the batch writes in this process
    batch = render_readouts([inputs["alpha"], inputs["beta"]], tmp_path, notebook=OK, workers=1, check=False)
    assert [(r.name, r.error) for r in batch.results] == [
        ("alpha", None),
        ("beta", f"no space left on device writing {tmp_path / 'beta.html'}; free space and rerun"),
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["alpha.html", "alpha.ipynb", "index.html"]
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert '<a href="alpha.html">' in index and 'href="beta.html"' not in index


@slow
@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize(("sent", "code"), [(signal.SIGTERM, 143), (signal.SIGKILL, -signal.SIGKILL)])
def test_sigterm_or_sigkill_of_the_batch_leaves_no_process_and_no_partial_file(tmp_path, sent, code):
    psutil = pytest.importorskip("psutil")
    folder, out = tmp_path / "exports", tmp_path / "readouts"
    folder.mkdir()
    exports = [_export(folder, name, 1) for name in ("one", "two", "three")]
    command = [sys.executable, "-m", "vsm_widgets.cli", "readout", *map(str, exports), "--out", str(out)]
    command += ["--notebook", str(FIXTURES / "slow.ipynb"), "--workers", "2"]
    pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
    process = subprocess.Popen(command, cwd=ROOT, start_new_session=True, **pipes)
    markers = [path.with_suffix(".started") for path in exports[:2]]
    try:
        _wait_for(lambda: all(m.exists() and m.read_text() for m in markers), 300, "both kernels to start")
        # Everything the batch started: the fork server, the workers, their kernels.
        tree = psutil.Process(process.pid).children(recursive=True)
        kernels = [int(m.read_text()) for m in markers]
        assert set(kernels) <= {child.pid for child in tree}
        process.send_signal(sent)  # to the batch alone, as `kill` or a scheduler sends it
        _, stderr = process.communicate(timeout=60)
        _wait_for(lambda: not any(_running(child.pid) for child in tree), 10, "every process of the batch to end")
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == code, stderr.decode()
    if sent == signal.SIGTERM:
        assert "vsm: terminated; no partial file was kept" in stderr.decode()
    assert list(out.iterdir()) == []
