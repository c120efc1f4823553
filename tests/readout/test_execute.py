"""One notebook for one input: papermill in a fresh kernel, clear failures, atomic writes."""

from __future__ import annotations

import base64
import errno
import json
import pickle
import re
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from tests.paths import FIXTURE_NOTEBOOKS
from vsm_widgets.exceptions import ReadoutError, VsmInputError
from vsm_widgets.io import atomic
from vsm_widgets.readout.execute import (
    ReadoutJob,
    RenderedReadout,
    execute_notebook,
    render_readout,
    write_readout,
)
from vsm_widgets.readout.html_page import external_references, live_markup

FIXTURES = FIXTURE_NOTEBOOKS
# Tests marked slow start Jupyter kernels.
slow = pytest.mark.slow


def _job(notebook: str, input_path: Path, name: str = "alpha", **options) -> ReadoutJob:
    return ReadoutJob(
        name=name,
        source=str(input_path),
        notebook=(FIXTURES / notebook).read_text(encoding="utf-8"),
        notebook_name=notebook,
        parameters={"input_path": str(input_path), "name": name},
        **options,
    )


def _tiny_notebook(source: str) -> nbformat.NotebookNode:
    return new_notebook(
        cells=[new_code_cell("name = 'tiny'", metadata={"tags": ["parameters"]}), new_code_cell(source)],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    )


def _printed(nb: nbformat.NotebookNode) -> str:
    return "".join(o.get("text", "") for cell in nb.cells for o in cell.get("outputs", []))


@pytest.fixture(scope="module")
def export(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("inputs") / "alpha.csv"
    path.write_text("item,step,start,end\nA,Build,2026-01-01,2026-01-02\nB,Review,2026-01-01,2026-01-03\n")
    return path


@pytest.fixture(scope="module")
def rendered(export) -> RenderedReadout:
    return render_readout(_job("ok.ipynb", export))


@slow
def test_rendered_readout_carries_page_notebook_and_headline(rendered, export):
    assert rendered.name == "alpha"
    assert "alpha: 2 rows, first step Build" in rendered.html
    assert external_references(rendered.html) == []
    assert rendered.summary["name"] == "alpha"
    assert rendered.summary["lead_time"] == 2.0
    assert rendered.seconds > 0


@slow
def test_executed_notebook_records_its_parameters_and_source(rendered, export):
    nb = nbformat.reads(rendered.notebook, as_version=4)
    assert nb.metadata.papermill.parameters == {"input_path": str(export), "name": "alpha"}
    assert nb.metadata.papermill.input_path == "ok.ipynb"
    assert "injected-parameters" in nb.cells[2].metadata.tags
    nbformat.validate(nb)


@slow
def test_a_step_named_like_a_script_shows_as_text(export):
    rendered = render_readout(_job("script_injection.ipynb", export))
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert rendered.html.count(escaped) >= 2  # printed, and in the table
    assert "<script" not in rendered.html.lower()
    assert live_markup(rendered.html) == []
    images = re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', rendered.html)
    svgs = [base64.b64decode(image).decode() for image in images]
    assert len(svgs) == 1 and escaped in svgs[0] and "<script>" not in svgs[0]
    assert rendered.summary["largest_wait"]["from"] == "<script>alert(1)</script>"


@slow
def test_a_cell_error_is_reported_by_its_message(export):
    with pytest.raises(ReadoutError) as caught:
        render_readout(_job("raises.ipynb", export))
    message = str(caught.value)
    assert message.startswith("VsmError: alpha: column 'start' is missing. Name the start column in a mapping file")
    assert "notebook cell In [3]" in message
    assert "Traceback" not in message and "\x1b[" not in message
    error = caught.value
    assert (error.ename, error.exec_count) == ("VsmError", 3)
    assert error.evalue.startswith("alpha: column 'start' is missing")
    # the executed notebook has papermill's injected parameters cell too, so the raising cell is not the first
    assert error.cell_index >= 2 and error.source.startswith("from vsm_widgets.exceptions import VsmError")


def test_errors_keep_their_fields_across_processes():
    error = ReadoutError(
        "VsmError: bad (notebook cell In [3])", cell_index=4, exec_count=3, ename="VsmError", evalue="bad"
    )
    again = pickle.loads(pickle.dumps(error))
    assert (str(again), again.cell_index, again.exec_count, again.ename) == (str(error), 4, 3, "VsmError")
    located = VsmInputError("no start column", "Name it", file="a.csv", row=2, column="start")
    back = pickle.loads(pickle.dumps(located))
    assert (str(back), back.file, back.row, back.column) == (str(located), "a.csv", 2, "start")


@slow
def test_a_dead_kernel_is_reported(export):
    with pytest.raises(ReadoutError, match="the kernel died while running notebook cell 3"):
        render_readout(_job("kernel_dies.ipynb", export))


@slow
def test_a_page_with_script_or_network_references_is_refused(export):
    nb = _tiny_notebook(
        "from IPython.display import HTML, display\n"
        "display(HTML('<script src=\"https://cdn.example/chart.js\"></script>'))"
    )
    job = ReadoutJob(name="tiny", source="tiny.csv", notebook=nbformat.writes(nb), notebook_name="tiny.ipynb")
    with pytest.raises(ReadoutError, match="external reference https://cdn.example/chart.js; <script> element"):
        render_readout(job)


@slow
def test_the_kernel_runs_in_a_folder_of_its_own():
    nb = execute_notebook(_tiny_notebook("import os\nprint(os.getcwd())"), {})
    workdir = Path(_printed(nb).strip())
    assert workdir != Path.cwd()
    assert workdir.name.startswith("vsm-readout-")
    assert not workdir.exists()


def _kernelspec(root: Path, name: str, script: str) -> None:
    folder = root / "kernels" / name
    folder.mkdir(parents=True)
    launcher = folder / "launch.py"
    launcher.write_text(script)
    argv = [sys.executable, str(launcher), "-f", "{connection_file}"]
    spec = {"argv": argv, "display_name": name, "language": "python"}
    (folder / "kernel.json").write_text(json.dumps(spec))


@slow
def test_a_kernel_that_fails_to_start_is_tried_again(tmp_path, monkeypatch):
    _kernelspec(
        tmp_path,
        "flaky",
        "import pathlib, sys\n"
        "marker = pathlib.Path(__file__).with_name('failed-once')\n"
        "if not marker.exists():\n"
        "    marker.write_text('')\n"
        "    sys.exit(3)\n"
        "from ipykernel import kernelapp\n"
        "kernelapp.launch_new_instance()\n",
    )
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    nb = execute_notebook(_tiny_notebook("print('second start')"), {}, kernel_name="flaky")
    assert (tmp_path / "kernels" / "flaky" / "failed-once").exists()
    assert _printed(nb).strip() == "second start"


@slow
def test_a_kernel_that_never_starts_is_reported(tmp_path, monkeypatch):
    _kernelspec(tmp_path, "broken", "import sys\nsys.exit(3)\n")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    with pytest.raises(ReadoutError, match=r"the 'broken' kernel did not start \(2 attempts\)"):
        execute_notebook(_tiny_notebook("print(1)"), {}, kernel_name="broken")


def test_a_missing_kernel_is_named():
    with pytest.raises(ReadoutError, match="no Jupyter kernel named 'no-such-kernel' is installed"):
        execute_notebook(_tiny_notebook("print(1)"), {}, kernel_name="no-such-kernel")


@slow
def test_write_readout_writes_page_and_notebook(tmp_path, rendered):
    html_path, notebook_path = write_readout(rendered, tmp_path)
    assert html_path == tmp_path / "alpha.html" and notebook_path == tmp_path / "alpha.ipynb"
    assert html_path.read_text(encoding="utf-8") == rendered.html
    nbformat.validate(nbformat.read(notebook_path, as_version=4))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["alpha.html", "alpha.ipynb"]


def test_a_full_disk_writes_neither_page_nor_notebook(tmp_path, monkeypatch):
    real = atomic._staged

    def disk_full_for_pages(target, text):
        if target.suffix == ".html":
            raise OSError(errno.ENOSPC, "No space left on device", str(target))
        return real(target, text)

    monkeypatch.setattr(atomic, "_staged", disk_full_for_pages)
    rendered = RenderedReadout("alpha", "<p>page</p>", "{}", None, 1.0)
    with pytest.raises(ReadoutError) as raised:
        write_readout(rendered, tmp_path)
    assert str(raised.value) == f"no space left on device writing {tmp_path / 'alpha.html'}; free space and rerun"
    assert list(tmp_path.iterdir()) == []
