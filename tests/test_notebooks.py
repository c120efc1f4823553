"""The package's notebooks, executed through papermill on the samples, and their readouts checked.

Every notebook runs in a fresh kernel whose working folder is the notebook's own (as nbval runs
them), and writes its executed copy into a temporary folder of its own, so runs can go side by side.
Executions are shared through a module-scoped runner: a notebook run with the same parameters twice
is executed once. Expectations come from the properties the sample generator plants
(docs/samples.md), not from the code under test.
"""

import re
import threading

import nbformat
import numpy as np
import pandas as pd
import papermill
import pytest
from papermill.exceptions import PapermillExecutionError

from tests.paths import ROOT
from vsm_widgets.readout.headline_numbers import summary_from_notebook
from vsm_widgets.readout.html_page import external_references, live_markup, render_html

pytestmark = pytest.mark.slow

NOTEBOOKS = ROOT / "notebooks"
SAMPLES = ROOT / "data" / "samples"
MAPS = SAMPLES / "maps"
OURS = ("readout", "current_state", "future_state", "review", "teaching/lean_waste_analysis")
MAX_BYTES = 1_500_000
SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
PLAN_START = "2026-07-06"

# Planted in the samples (docs/samples.md): finished items, and the handoff with the largest share of the
# finished items' waiting (the partition's share the readouts show).
EXPORTS = {
    "payments_team": (315, "between Code review and QA", "64 % of all waiting"),
    "mobile_team": (225, "after QA, before the item is done", "66 % of all waiting"),
    "onboarding": (144, "between Background check and Equipment provisioning", "66 % of all waiting"),
}


class Runner:
    """Runs notebooks through papermill, once per notebook and parameters, each into its own folder."""

    def __init__(self, factory: pytest.TempPathFactory) -> None:
        self.factory = factory
        self.done: dict[tuple, nbformat.NotebookNode | PapermillExecutionError] = {}
        self.lock = threading.Lock()

    def __call__(self, notebook: str, **parameters: object) -> nbformat.NotebookNode:
        key = (notebook, tuple(sorted((k, str(v)) for k, v in parameters.items())))
        with self.lock:
            if key not in self.done:
                self.done[key] = self._execute(notebook, parameters)
        result = self.done[key]
        if isinstance(result, PapermillExecutionError):
            raise result
        return result

    def _execute(self, notebook: str, parameters: dict) -> nbformat.NotebookNode | PapermillExecutionError:
        source = NOTEBOOKS / f"{notebook}.ipynb"
        output = self.factory.mktemp(notebook.replace("/", "-")) / source.name
        try:
            return papermill.execute_notebook(
                source,
                output,
                parameters=parameters,
                cwd=source.parent,
                kernel_name="python3",
                progress_bar=False,
            )
        except PapermillExecutionError as error:
            error.output = nbformat.read(output, as_version=4)
            return error


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    return Runner(tmp_path_factory)


@pytest.fixture(scope="module")
def injected(tmp_path_factory):
    """A tiny export and a tiny map whose step and owner are named like markup."""
    folder = tmp_path_factory.mktemp("injection")
    export = folder / "injection.csv"
    starts = pd.date_range("2026-03-02 09:00", periods=6, freq="D")
    rows = []
    for n, start in enumerate(starts):
        rows.append((f"I-{n}", "Analysis", start, start + pd.Timedelta(hours=3)))
        rows.append((f"I-{n}", SCRIPT, start + pd.Timedelta(hours=20), start + pd.Timedelta(hours=26)))
    pd.DataFrame(rows, columns=["item", "step", "start", "end"]).to_csv(export, index=False)
    map_file = folder / "injection.yaml"
    map_file.write_text(
        "name: '<img src=x onerror=alert(1)>'\nunit: days\nsteps:\n"
        f"  - {{id: a, name: '{SCRIPT}', owner: '{SCRIPT}', process_time: 1}}\n"
        "  - {id: b, name: Build, process_time: 2}\n"
        f"handoffs:\n  - {{from: supplier, to: a, wait: 1}}\n  - {{from: a, to: b, wait: 3, owner: '{SCRIPT}'}}\n"
        "  - {from: b, to: customer, wait: 0}\n",
        encoding="utf-8",
    )
    return {"export": export, "map": map_file}


def readout_parameters(name: str) -> dict:
    parameters = {"input_path": str(SAMPLES / f"{name}.csv"), "name": name, "plan_start": PLAN_START}
    mapping, scenario = SAMPLES / f"{name}.mapping.yaml", SAMPLES / f"{name}.scenario.yaml"
    parameters["mapping_path"] = str(mapping) if mapping.exists() else None
    parameters["scenario_path"] = str(scenario) if scenario.exists() else None
    return parameters


def page(nb: nbformat.NotebookNode, name: str = "readout") -> str:
    summary = summary_from_notebook(nb)
    return render_html(nb, name=name, notebook="readout.ipynb", conventions=(summary or {}).get("conventions"))


def text_of(html: str) -> str:
    """The page's visible text, tags and inline images removed."""
    html = re.sub(r"<(style|script)\b.*?</\1>", " ", html, flags=re.DOTALL)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def assert_static_and_small(html: str) -> None:
    assert external_references(html) == []
    assert live_markup(html) == []
    assert len(html.encode("utf-8")) < MAX_BYTES


def errors(nb: nbformat.NotebookNode) -> list:
    return [o for cell in nb.cells for o in cell.get("outputs", []) if o.get("output_type") == "error"]


# ----- the notebooks as committed ------------------------------------------------------------------


@pytest.mark.parametrize("notebook", OURS)
def test_notebooks_are_committed_clean_with_documented_parameters(notebook):
    path = NOTEBOOKS / f"{notebook}.ipynb"
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    tagged = [cell for cell in nb.cells if "parameters" in cell.metadata.get("tags", [])]
    assert len(tagged) == 1
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert all(cell.outputs == [] and cell.execution_count is None for cell in code)
    declared = papermill.inspect_notebook(str(path))
    assert declared
    assert all(parameter["help"] and parameter["inferred_type_name"] != "None" for parameter in declared.values())


def test_readout_declares_what_the_batch_injects():
    declared = papermill.inspect_notebook(str(NOTEBOOKS / "readout.ipynb"))
    assert {"input_path", "name", "mapping_path", "scenario_path"} <= set(declared)


# ----- readouts ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_readout_of_each_sample_export(run, name):
    nb = run("readout", **readout_parameters(name))
    assert errors(nb) == []
    finished, place, share = EXPORTS[name]
    html = page(nb, name)
    assert_static_and_small(html)
    text = text_of(html)
    first_page = text[text.index("In one minute") : text.index("Findings")]
    assert f"of the {finished} finished items" in first_page
    assert "Largest delay: " in first_page and place in first_page and share in first_page
    assert "Future state: mean item's lead time" in first_page and "Plan: " in first_page
    for section in ("The current state", "Data quality", "The future state", "Implementation plan", "Conventions"):
        assert section in text
    assert "Workshop.open" not in html  # code is hidden
    summary = summary_from_notebook(nb)
    assert summary["name"] == name and summary["finished_items"] == finished


@pytest.mark.parametrize(("map_name", "scenario"), [("software_delivery", True), ("parallel", False)])
def test_readout_of_a_map(run, map_name, scenario):
    parameters = {
        "input_path": str(MAPS / f"{map_name}.yaml"),
        "mapping_path": None,
        "scenario_path": str(MAPS / f"{map_name}.scenario.yaml") if scenario else None,
        "plan_start": PLAN_START,
    }
    nb = run("readout", **parameters)
    assert errors(nb) == []
    html = page(nb, map_name)
    assert_static_and_small(html)
    text = text_of(html)
    assert "Data quality" not in text
    if scenario:
        # DOMAIN's software change: 27 days, 7.4 % activity ratio; the change advisory board owns one arrow.
        assert "Lead time: 27 days." in text and "Implementation plan" in text
    else:
        assert "Future state: none given." in text and "Implementation plan" not in text
    assert summary_from_notebook(nb)["source"] == "map"


@pytest.fixture(scope="module")
def large_export(tmp_path_factory):
    """1,990 items through four steps over 150 days: the most the lead-time scatter draws point by point."""
    rng = np.random.default_rng(7)
    items = 1990
    start = pd.Timestamp("2026-01-05 08:00") + pd.to_timedelta(rng.uniform(0, 150 * 24, items), unit="h")
    rows = []
    for step in ("Analysis", "Build", "Test", "Release"):
        begin = start + pd.to_timedelta(rng.exponential(30, items), unit="h")
        start = begin + pd.to_timedelta(rng.exponential(8, items), unit="h")
        rows.append(pd.DataFrame({"item": [f"I{n}" for n in range(items)], "step": step, "start": begin, "end": start}))
    export = tmp_path_factory.mktemp("large") / "large.csv"
    pd.concat(rows).to_csv(export, index=False)
    return export


@pytest.mark.parametrize(
    ("notebook", "parameters"),
    [
        ("readout", {"scenario_path": None, "plan_start": PLAN_START}),
        ("current_state", {}),
        ("review", {"baseline_path": "{export}", "since": "2026-04-01"}),
    ],
    ids=["readout", "current_state", "review"],
)
def test_pages_stay_small_for_a_large_export(run, large_export, notebook, parameters):
    # Charts get aggregated tables (the scatter switches to a grid above 2,000 items) and control charts draw
    # the latest items only, so a page does not grow with the export.
    given = {key: str(large_export) if value == "{export}" else value for key, value in parameters.items()}
    nb = run(notebook, input_path=str(large_export), mapping_path=None, **given)
    assert errors(nb) == []
    html = page(nb, "large")
    assert_static_and_small(html)
    assert "1,990" in text_of(html)


@pytest.mark.parametrize("kind", ["export", "map"])
def test_a_step_named_like_markup_shows_as_text(run, injected, kind):
    nb = run("readout", input_path=str(injected[kind]), mapping_path=None, scenario_path=None, plan_start=PLAN_START)
    assert errors(nb) == []
    html = page(nb, SCRIPT)
    assert_static_and_small(html)
    assert SCRIPT not in html and "<img src=x" not in html
    assert ESCAPED in html


# ----- the other notebooks -------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_current_state_of_each_sample_export(run, name):
    parameters = readout_parameters(name)
    del parameters["scenario_path"], parameters["plan_start"]
    nb = run("current_state", **parameters)
    assert errors(nb) == []
    html = page(nb, name)
    assert_static_and_small(html)
    text = text_of(html)
    for section in ("Findings", "The map", "Headline numbers", "Where the time goes", "Flow over time", "Data quality"):
        assert section in text
    finished, place, _ = EXPORTS[name]
    assert place in text[text.index("Findings") : text.index("The current state")]
    # Lead-time histogram, scatter, CFD, WIP, throughput, aging WIP, flow distribution, XmR, and the map.
    assert html.count('class="vsm-chart"') == 9


@pytest.mark.parametrize(
    "parameters",
    [
        {},  # a map: the software delivery sample and its scenario
        {
            "input_path": str(SAMPLES / "mobile_team.csv"),
            "mapping_path": str(SAMPLES / "mobile_team.mapping.yaml"),
            "scenario_path": str(SAMPLES / "mobile_team.scenario.yaml"),
        },
    ],
    ids=["map", "export"],
)
def test_future_state(run, parameters):
    nb = run("future_state", plan_start=PLAN_START, **parameters)
    assert errors(nb) == []
    html = page(nb)
    assert_static_and_small(html)
    text = text_of(html)
    assert "The future state" in text and "Implementation plan" in text
    assert "30, 60 and 90 days after 2026-07-06: on 2026-08-05, 2026-09-04 and 2026-10-04" in text


def test_review(run):
    nb = run("review")
    assert errors(nb) == []
    html = page(nb)
    assert_static_and_small(html)
    text = text_of(html)
    assert "did it work?" in text and "The verdict" in text
    assert "20260701 (pass it as the seed parameter to reproduce the intervals)" in text


@pytest.mark.parametrize("reveal", [False, True])
def test_teaching_lesson_runs_headless(run, reveal):
    nb = run("teaching/lean_waste_analysis", reveal=reveal)
    assert errors(nb) == []
    text = text_of(page(nb))
    assert "Not answered yet." in text
    assert ("Bottleneck: Inspect parcel" in text) is reveal
    assert "Lead time goes from" not in text  # no prediction was written down
    assert ("−5.6 hours (−53 %)" in text) is reveal, "exercise 5's answer waits for a prediction"
    assert text.count("weekly approval board") <= 1, "once, as the glossary's example of waiting"


# ----- bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("parameters", "ename", "message"),
    [
        ({"input_path": None}, "VsmInputError", "the parameter input_path is not set"),
        ({"mapping_path": "no/such/mapping.yaml"}, "VsmInputError", "no such file (from the parameter mapping_path)"),
        ({"input_path": str(SAMPLES / "onboarding.csv"), "mapping_path": None}, "ScenarioError", "change 1"),
    ],
    ids=["unset input", "missing mapping", "scenario for another stream"],
)
def test_bad_input_fails_with_one_clear_line(run, parameters, ename, message):
    with pytest.raises(PapermillExecutionError) as caught:
        run("readout", plan_start=PLAN_START, **parameters)
    assert caught.value.ename == ename and message in caught.value.evalue
    (error,) = errors(caught.value.output)
    assert error["traceback"] == [f"{ename}: {caught.value.evalue}"]
