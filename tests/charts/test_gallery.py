"""The gallery notebook runs top to bottom under papermill from the notebooks folder, every chart as SVG."""

import nbformat
import papermill
import pytest

from tests.paths import NOTEBOOKS


def test_the_gallery_is_committed_without_outputs():
    notebook = nbformat.read(NOTEBOOKS / "gallery.ipynb", as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert all(not cell.outputs and cell.execution_count is None for cell in code)
    assert "parameters" in code[0].metadata.get("tags", [])


@pytest.mark.slow
def test_the_gallery_draws_every_chart_as_svg(tmp_path):
    executed = papermill.execute_notebook(
        str(NOTEBOOKS / "gallery.ipynb"),
        str(tmp_path / "gallery.ipynb"),
        cwd=str(NOTEBOOKS),
        kernel_name="python3",
        progress_bar=False,
    )
    charts = [cell for cell in executed.cells if cell.cell_type == "code" and cell.source.startswith("charts.")]
    assert len(charts) == 17
    for cell in charts:
        data = [output.get("data", {}) for output in cell.outputs]
        assert any("image/svg+xml" in kinds for kinds in data), cell.source
        assert not any("text/html" in kinds or "application/javascript" in kinds for kinds in data), cell.source
