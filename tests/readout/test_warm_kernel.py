"""Warm kernels: a readout sees nothing of the one before, fails alone, and makes the page a new kernel makes."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from tests.paths import FIXTURE_NOTEBOOKS, MAPS, SAMPLES
from vsm_widgets.exceptions import ReadoutError
from vsm_widgets.readout.batch import render_readouts
from vsm_widgets.readout.batch_jobs import plan_readouts
from vsm_widgets.readout.warm_kernel import WarmKernel, render_readout_warm, worker_kernel

slow = pytest.mark.slow
KERNELSPEC = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}

# Leaves behind everything a notebook can set without meaning to: a name, a pandas option, an
# Altair theme, renderer and data transformer option, a seed, an environment variable, a file in
# its working folder, a display formatter, a warning filter.
SETS_STATE = """
import os, warnings
import altair as alt, numpy as np, pandas as pd
leaked = "from the first readout"
pd.set_option("display.max_rows", 3)
alt.theme.enable("dark")
alt.renderers.enable("html")
alt.data_transformers.enable("default", max_rows=10)
np.random.seed(0)
os.environ["VSM_LEAKED"] = "yes"
open("scratch.txt", "w").close()
get_ipython().display_formatter.formatters["text/html"].for_type(int, lambda n: "<b>int</b>")
warnings.simplefilter("error")
"""
REPORTS_STATE = """
import json, os, warnings
import altair as alt, numpy as np, pandas as pd
print(json.dumps({
    "leaked": "leaked" in globals(),
    "max_rows": pd.get_option("display.max_rows"),
    "theme": alt.theme.active,
    "renderer": alt.renderers.active,
    "max_rows_option": alt.data_transformers.options.get("max_rows"),
    "first_draw": float(np.random.rand()),
    "environment": os.environ.get("VSM_LEAKED"),
    "folder": os.listdir("."),
    "int_printer": int in get_ipython().display_formatter.formatters["text/html"].type_printers,
    "warnings_as_errors": any(f[0] == "error" and f[2] is Warning for f in warnings.filters),
}))
"""
# Rebinding a class attribute of a package the readouts use cannot be undone by a reset.
PATCHES_PANDAS = "import pandas as pd\npd.DataFrame.leaked = 'patched'"
REPORTS_PATCH = "import pandas as pd\nprint(hasattr(pd.DataFrame, 'leaked'))"
FIRST_DRAW_AFTER_SEED_0 = 0.5488135039273248  # numpy.random.seed(0); numpy.random.rand()


def _notebook(*sources: str) -> nbformat.NotebookNode:
    parameters = new_code_cell("input_path = None", metadata={"tags": ["parameters"]})
    return new_notebook(cells=[parameters, *map(new_code_cell, sources)], metadata=KERNELSPEC)


def _printed(nb: nbformat.NotebookNode) -> str:
    return "".join(o.get("text", "") for cell in nb.cells for o in cell.get("outputs", []) if o.output_type == "stream")


@pytest.fixture(scope="module")
def kernel():
    warm = WarmKernel("python3", start_attempts=2, start_timeout=120)
    yield warm
    warm.shutdown()


@slow
def test_state_one_readout_sets_does_not_reach_the_next(kernel):
    kernel.execute(_notebook(SETS_STATE), {}, source="sets.ipynb", cell_timeout=60)
    starts = kernel.starts
    state = json.loads(_printed(kernel.execute(_notebook(REPORTS_STATE), {}, source="reports.ipynb", cell_timeout=60)))
    first_draw = state.pop("first_draw")
    assert state == {
        "leaked": False,
        "max_rows": 60,  # pandas' default
        "theme": "vsm",  # as importing vsm_widgets.charts leaves it, which the warm-up did
        "renderer": "default",
        "max_rows_option": None,
        "environment": None,
        "folder": [],
        "int_printer": False,
        "warnings_as_errors": False,
    }
    assert first_draw != FIRST_DRAW_AFTER_SEED_0
    assert kernel.starts == starts, "all of it was put back without a new kernel"


@slow
def test_a_change_the_reset_cannot_undo_gets_a_new_kernel(kernel):
    kernel.execute(_notebook(PATCHES_PANDAS), {}, source="patches.ipynb", cell_timeout=60)
    starts = kernel.starts
    reported = kernel.execute(_notebook(REPORTS_PATCH), {}, source="reports.ipynb", cell_timeout=60)
    assert _printed(reported).strip() == "False"
    assert kernel.starts == starts + 1


@slow
def test_cells_are_counted_from_one_in_every_readout(kernel):
    for _ in range(2):
        executed = kernel.execute(_notebook("x = 1", "x + 1"), {}, source="count.ipynb", cell_timeout=60)
        assert [cell.execution_count for cell in executed.cells] == [1, 2, 3]


@slow
def test_a_readout_that_fails_or_kills_its_kernel_fails_alone(tmp_path):
    export = tmp_path / "alpha.csv"
    export.write_text("item,step,start,end\nI1,Build,2026-01-01,2026-01-02\n")

    def job(notebook: str):
        planned = plan_readouts([export], FIXTURE_NOTEBOOKS / notebook)[0]
        # slow.ipynb sleeps a minute in its second code cell: stopped after 3 s.
        return dataclasses.replace(planned, cell_timeout=3) if notebook == "slow.ipynb" else planned

    outcomes = []
    for notebook in ("ok.ipynb", "raises.ipynb", "ok.ipynb", "kernel_dies.ipynb", "ok.ipynb", "slow.ipynb", "ok.ipynb"):
        try:
            outcomes.append(("ok", render_readout_warm(job(notebook)).summary["lead_time"]))
        except ReadoutError as error:
            outcomes.append(("failed", str(error)))
    assert [outcome for outcome, _ in outcomes] == ["ok", "failed", "ok", "failed", "ok", "failed", "ok"]
    assert {outcomes[i][1] for i in (0, 2, 4, 6)} == {1.0}  # one row: one hour, says ok.ipynb
    assert outcomes[1][1].startswith("VsmError:")
    assert "the kernel died while running notebook cell" in outcomes[3][1]
    assert re.fullmatch(r"notebook cell \d+ ran longer than 3 s and was stopped", outcomes[5][1])
    worker_kernel(job("ok.ipynb")).shutdown()


def _sample_inputs() -> list[Path]:
    exports = [*SAMPLES.glob("*.csv"), *SAMPLES.glob("*.xlsx")]
    maps = [path for path in MAPS.glob("*.yaml") if path.name.count(".") == 1]  # not *.scenario.yaml
    return sorted(exports) + sorted(maps)


# What differs between two renderings of the same input and nothing else: the minute a page or
# the index says it was generated, papermill's and nbclient's clocks and durations in the executed
# notebook (keys start_time, end_time, duration, execution), and the random id papermill gives the
# cell it injects. Everything else, outputs and execution counts included, must be equal.
GENERATED_AT = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC")
TIMING_KEYS = {"start_time", "end_time", "duration", "execution"}


def _normalised_page(path: Path) -> str:
    return GENERATED_AT.sub("<generated at>", path.read_text(encoding="utf-8"))


def _normalised_notebook(path: Path) -> dict:
    nb = json.loads(path.read_text(encoding="utf-8"))

    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in TIMING_KEYS}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    for cell in nb["cells"]:
        if "injected-parameters" in cell["metadata"].get("tags", []):
            cell.pop("id")
    return strip(nb)


@slow
def test_warm_and_fresh_kernels_make_the_same_pages(tmp_path):
    inputs = _sample_inputs()
    assert len(inputs) >= 10, "every sample export and map"
    warm = render_readouts(inputs, tmp_path / "warm", workers=2)
    fresh = render_readouts(inputs, tmp_path / "fresh", workers=2, fresh_kernels=True)
    assert warm.ok and fresh.ok
    names = sorted(path.name for path in (tmp_path / "fresh").iterdir())
    assert sorted(path.name for path in (tmp_path / "warm").iterdir()) == names
    assert len(names) == 2 * len(inputs) + 1
    for name in names:
        warm_file, fresh_file = tmp_path / "warm" / name, tmp_path / "fresh" / name
        if name.endswith(".html"):
            assert _normalised_page(warm_file) == _normalised_page(fresh_file), name
        else:
            assert _normalised_notebook(warm_file) == _normalised_notebook(fresh_file), name
