"""MapExplorer: edits in either editor move the cards and the live charts; undo, save, load, future, log."""

from __future__ import annotations

import json

import altair as alt
import nbformat
import pytest

from tests.paths import SAMPLES
from vsm_widgets.charts import step_time_chart, value_stream_map
from vsm_widgets.charts.map import map_parts
from vsm_widgets.future.scenario import loads_scenario
from vsm_widgets.io.exports import read_export
from vsm_widgets.io.map_file import load_map, save_map
from vsm_widgets.model.stream import ValueStream
from vsm_widgets.units import Duration
from vsm_widgets.widgets import MapExplorer
from vsm_widgets.widgets.map_explorer import chart_spec

MAPS = SAMPLES / "maps"
CUT_THE_BOARD = """
name: Approve changes daily
changes:
  - kind: cut_wait
    handoff: [build, release]
    to: 24 h
    waste: waiting
    owner: Head of Engineering
    due: 2027-03-31
    why: A daily approval replaces the weekly change advisory board
"""


def type_process_time(explorer: MapExplorer, step_id: str, text: str) -> None:
    explorer.step_editor.rows[step_id].fields["process_time"].input.value = text


def shows(explorer: MapExplorer, stream: ValueStream) -> bool:
    """Whether both live charts show exactly the charts of `stream`."""
    return explorer.map_chart.spec == chart_spec(value_stream_map(stream)) and explorer.step_chart.spec == chart_spec(
        step_time_chart(stream)
    )


@pytest.fixture
def explorer(software_file) -> MapExplorer:
    return MapExplorer.from_file(software_file)


def test_the_charts_are_live_and_offline(explorer, software):
    assert isinstance(explorer.map_chart, alt.JupyterChart)
    assert shows(explorer, software)
    assert explorer.cards.texts["lead_time"] == "27 days"
    assert explorer.map_chart.embed_options["renderer"] == "svg"
    # The offline bundle carries vega-embed itself: nothing is imported from a CDN.
    assert "esm.sh" not in explorer.map_chart._esm and "cdn.jsdelivr" not in explorer.map_chart._esm


def test_an_edit_in_the_step_editor_moves_cards_and_charts(explorer):
    type_process_time(explorer, "build", "20")
    assert explorer.stream.step("build").process_time == Duration.of(20, "hours")
    assert explorer.cards.texts["lead_time"] == "26.6 days"
    assert explorer.cards.texts["process_time"] == "38 hours"
    assert shows(explorer, explorer.stream)
    assert "PT 20 hours" in json.dumps(explorer.map_chart.spec)
    assert explorer.handoff_editor.stream is explorer.stream, "both editors show the same map"


def test_an_edit_redraws_the_charts_by_their_data_and_a_new_step_draws_them_again(explorer):
    drawn = explorer._map_spec.drawn, explorer._step_spec.drawn
    for text in ("20", "25", "2 days", "30"):
        type_process_time(explorer, "build", text)
        assert shows(explorer, explorer.stream)
    explorer.handoff_editor.rows[("supplier", "analysis")].fields["wait"].input.value = "3 days"
    assert shows(explorer, explorer.stream)
    assert (explorer._map_spec.drawn, explorer._step_spec.drawn) == drawn, "same layout: data and title only"
    canvas = map_parts(explorer.stream).frame
    explorer.step_editor.rows["build"].duplicate.click()
    assert len(explorer.stream.steps) == 4
    assert shows(explorer, explorer.stream)
    # The map is drawn again only when its canvas changes: a wrapped map may take a new step on the same canvas.
    map_drawn = drawn[0] + (map_parts(explorer.stream).frame != canvas)
    assert (explorer._map_spec.drawn, explorer._step_spec.drawn) == (map_drawn, drawn[1] + 1)
    explorer.undo_button.click()
    type_process_time(explorer, "build", "21")
    assert shows(explorer, explorer.stream)
    assert "PT 21 hours" in json.dumps(explorer.map_chart.spec)


def test_an_edit_in_the_handoff_editor_moves_cards_and_charts(explorer):
    explorer.handoff_editor.rows[("supplier", "analysis")].fields["wait"].input.value = "2 days"
    assert explorer.cards.texts["lead_time"] == "19 days"
    assert explorer.cards.texts["largest_wait"] == "7 days"
    assert shows(explorer, explorer.stream)
    assert explorer.step_editor.stream is explorer.stream


def test_an_invalid_entry_leaves_model_cards_and_charts_alone(explorer, software):
    before = dict(explorer.map_chart.spec)
    type_process_time(explorer, "build", "a while")
    assert "'a while' is not a duration" in explorer.step_editor.rows["build"].fields["process_time"].message
    assert explorer.stream == software
    assert explorer.cards.texts["lead_time"] == "27 days"
    assert explorer.map_chart.spec == before
    assert explorer.undo_button.disabled, "a refused entry is not an edit to undo"


def test_undo_and_redo_walk_the_edits(explorer, software):
    assert explorer.undo_button.disabled and explorer.redo_button.disabled
    type_process_time(explorer, "build", "20")
    type_process_time(explorer, "release", "10")
    explorer.undo_button.click()
    assert explorer.stream.step("release").process_time == Duration.of(6, "hours")
    assert explorer.step_editor.rows["release"].fields["process_time"].input.value == "6 h"
    explorer.undo_button.click()
    assert explorer.stream == software
    assert explorer.undo_button.disabled
    assert explorer.cards.texts["lead_time"] == "27 days"
    assert shows(explorer, software)

    explorer.redo_button.click()
    assert explorer.stream.step("build").process_time == Duration.of(20, "hours")
    type_process_time(explorer, "analysis", "10")
    assert explorer.redo_button.disabled, "a new edit drops the edits undone before it"


def test_save_writes_the_map_file_and_load_reads_one(explorer, software_file, tmp_path):
    type_process_time(explorer, "build", "20")
    explorer.save_button.click()
    assert "Saved" in explorer.message
    assert load_map(software_file).step("build").process_time == Duration.of(20, "hours")
    assert not list(tmp_path.glob(".*.tmp")), "the temporary file of the atomic write is gone"

    other = tmp_path / "four.yaml"
    save_map(load_map(MAPS / "four_functions.yaml"), other)
    explorer.path_text.value = str(other)
    explorer.load_button.click()
    assert explorer.stream.name == "Quote to delivered solution"
    assert explorer.cards.texts["lead_time"] == "44 days"
    assert list(explorer.step_editor.rows) == ["marketing", "sales", "ops", "delivery"]
    explorer.undo_button.click()
    assert explorer.stream.step("build").process_time == Duration.of(20, "hours")


def test_a_file_that_cannot_be_read_or_written_is_a_message(explorer, software, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: [unclosed\n")
    explorer.path_text.value = str(broken)
    explorer.load_button.click()
    assert explorer.message.startswith("Not loaded:") and "broken.yaml" in explorer.message
    explorer.path_text.value = str(tmp_path / "missing.yaml")
    explorer.load_button.click()
    assert explorer.message.startswith("Not loaded:")
    assert explorer.stream == software
    assert explorer.cards.texts["lead_time"] == "27 days"

    explorer.path_text.value = str(tmp_path / "no such folder" / "map.yaml")
    explorer.save_button.click()
    assert explorer.message.startswith("Not saved:")
    explorer.path_text.value = ""
    explorer.save_button.click()
    assert "Type the path of a map file first" in explorer.message


def test_mermaid_export(explorer):
    type_process_time(explorer, "build", "20")
    explorer.mermaid_button.click()
    assert explorer.tabs.selected_index == explorer.tabs.titles.index("Mermaid")
    text = explorer.mermaid_text.value
    assert text.startswith("flowchart LR")
    assert "Development and testing" in text and "20 h" in text
    type_process_time(explorer, "build", "25")
    assert "25 h" in explorer.mermaid_text.value, "the open Mermaid tab follows the edits"


def test_the_future_state_beside_what_it_was(software_file):
    explorer = MapExplorer.from_file(software_file, scenario=loads_scenario(CUT_THE_BOARD))
    assert not explorer.view_switch.disabled
    explorer.view_switch.value = "future"
    assert explorer.view == "future"
    # The weekly board's 168 hours become 24: 144 hours less.
    assert explorer.cards.texts["lead_time"] == "21 days"
    assert "was 27 days, \u221222 %" in explorer.cards.cards["lead_time"].value
    future = explorer.scenario.apply(explorer.stream)
    assert shows(explorer, future)

    type_process_time(explorer, "build", "20")
    assert explorer.stream.step("build").process_time == Duration.of(20, "hours"), "edits go to the current state"
    assert explorer.cards.texts["lead_time"] == "20.6 days"

    explorer.view_switch.value = "current"
    assert explorer.cards.texts["lead_time"] == "26.6 days"
    assert "was" not in explorer.cards.cards["lead_time"].value


def test_a_future_the_map_no_longer_supports_is_a_message(software_file):
    explorer = MapExplorer.from_file(software_file, scenario=loads_scenario(CUT_THE_BOARD))
    explorer.view = "future"
    explorer.step_editor.rows["build"].delete.click()
    assert "The future state cannot be drawn" in explorer.view_message
    assert "build" in explorer.view_message
    assert shows(explorer, explorer.stream), "the current state is shown instead"


def test_without_a_scenario_there_is_no_future_to_switch_to(explorer):
    assert explorer.view_switch.disabled


def test_with_a_log_the_measured_values_sit_beside_the_estimates(tmp_path):
    log = read_export(SAMPLES / "onboarding.csv")
    measured = ValueStream.from_events(log)
    first = measured.steps[0]
    # The measured box holds the mean item's waiting inside it too; the estimate gives process time only.
    estimated = measured.with_step(first.replace(process_time=first.process_time * 2, lead_time=None))
    explorer = MapExplorer(estimated, log=log, path=tmp_path / "onboarding.yaml")
    assert explorer.tabs.titles[-1] == "Measured"
    gaps = explorer.measured.gaps
    row = gaps[(gaps["kind"] == "process time") & (gaps["where"] == first.name)].iloc[0]
    assert row["estimated"] == pytest.approx(2 * row["measured"])
    assert "Estimated (the map)" in explorer.measured.headline.value

    explorer.step_editor.rows[first.id].fields["process_time"].input.value = f"{first.process_time.seconds} s"
    gaps = explorer.measured.gaps
    row = gaps[(gaps["kind"] == "process time") & (gaps["where"] == first.name)].iloc[0]
    assert row["estimated"] == pytest.approx(row["measured"])
    assert "about right" in row["finding"]


NOTEBOOK = SAMPLES.parents[1] / "notebooks" / "explore_map.ipynb"


def test_the_notebook_is_committed_clean_with_a_parameters_cell():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert all(not cell.outputs and cell.execution_count is None for cell in code)
    assert "parameters" in code[0].metadata.get("tags", [])
    assert 'map_path: str = "../data/samples/maps/' in code[0].source


@pytest.mark.slow
def test_the_notebook_runs_under_papermill_from_its_folder(tmp_path):
    import papermill

    out = tmp_path / "explored.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOK),
        str(out),
        parameters={"map_path": "../data/samples/maps/teaching.yaml", "scenario_path": None},
        cwd=str(NOTEBOOK.parent),
        kernel_name="python3",
        progress_bar=False,
    )
    last = nbformat.read(out, as_version=4).cells[-1]
    (result,) = last.outputs
    assert "application/vnd.jupyter.widget-view+json" in result["data"]
    assert "MapExplorer" in result["data"]["text/plain"]


def test_the_export_button_writes_the_map_shown_beside_its_file(software_file):
    explorer = MapExplorer.from_file(software_file, scenario=loads_scenario(CUT_THE_BOARD))
    explorer.view = "future"
    explorer.export_button.click()
    stem = software_file.with_name(explorer.stream.name.lower().replace(" ", "_"))
    svg, png = stem.with_suffix(".svg"), stem.with_suffix(".png")
    assert svg.exists() and png.read_bytes().startswith(b"\x89PNG")
    # The future view is exported with the kaizen burst of the plan's one change on the arrow it cuts.
    assert ">1</text>" in svg.read_text() and str(svg) in explorer.message


def test_the_future_states_message_goes_when_the_problem_is_fixed_the_view_changes_or_a_map_loads(software_file):
    explorer = MapExplorer.from_file(software_file, scenario=loads_scenario(CUT_THE_BOARD))
    explorer.view = "future"
    explorer.step_editor.rows["build"].delete.click()
    assert explorer.view_message
    explorer.undo()
    assert explorer.view_message == "", "the fix (here: undo) brings the future back and the message goes"
    assert shows(explorer, explorer.scenario.apply(explorer.stream))

    explorer.step_editor.rows["build"].delete.click()
    explorer.view = "current"
    assert explorer.view_message == ""
    explorer.view = "future"
    assert explorer.view_message
    assert explorer.load(software_file)
    assert explorer.view_message == ""
    assert explorer.broken_change._actions.layout.display == "none"


def test_saved_goes_at_the_next_edit_and_the_marker_shows_unsaved_changes(explorer, software_file):
    assert not explorer.has_unsaved_changes and explorer.unsaved.value == ""
    type_process_time(explorer, "build", "20")
    assert explorer.has_unsaved_changes and "unsaved changes" in explorer.unsaved.value
    explorer.save()
    assert explorer.message.startswith("Saved") and explorer.unsaved.value == ""
    type_process_time(explorer, "build", "21")
    assert explorer.message == "", "Saved belongs to the save; the next edit clears it"
    assert "unsaved changes" in explorer.unsaved.value
    explorer.undo()
    assert not explorer.has_unsaved_changes, "undoing back to the saved map leaves nothing unsaved"


def test_a_refused_entry_goes_with_undo_and_with_loading_another_map(explorer, software_file):
    type_process_time(explorer, "analysis", "10")
    type_process_time(explorer, "build", "a while")
    build = explorer.step_editor.rows["build"]
    assert build.fields["process_time"].message and build.messages.children
    explorer.undo()
    assert build.fields["process_time"].message == "" and build.messages.children == ()
    assert build.fields["process_time"].input.value == "30 h"

    explorer.handoff_editor.rows[("build", "release")].fields["wait"].input.value = "soon"
    explorer.save(software_file.with_name("missing") / "map.yaml")
    assert explorer.message.startswith("Not saved:")
    assert explorer.load(software_file)
    assert explorer.handoff_editor.rows[("build", "release")].fields["wait"].message == ""
    assert explorer.handoff_editor.rows[("build", "release")].fields["wait"].input.value == "168 h"
    assert explorer.message.startswith("Loaded")


def test_the_docs_examples_pair_each_map_with_its_own_data():
    import ast
    import re

    from tests.paths import ROOT

    text = (ROOT / "docs" / "explorer.md").read_text()
    calls = [
        node
        for block in re.findall(r"```python\n(.*?)```", text, re.S)
        for node in ast.walk(ast.parse(block))
        if isinstance(node, ast.Call)
        and getattr(node.func, "attr", "") == "from_file"
        and getattr(node.func.value, "id", "") == "MapExplorer"
    ]
    assert len(calls) >= 2
    logs = 0
    for call in calls:
        path = ROOT / ast.literal_eval(call.args[0])
        options = {k.arg: ROOT / ast.literal_eval(k.value) for k in call.keywords}
        explorer = MapExplorer.from_file(path, **options)
        if "scenario" in options:
            future = explorer.scenario.apply(explorer.stream)
            assert future.lead_time() < explorer.stream.lead_time(), f"{options['scenario'].name} changes {path.name}"
        if "log" in options:
            logs += 1
            assert len(explorer.measured.gaps) >= len(explorer.stream.steps), (
                f"{options['log'].name} does not record the stream of {path.name}"
            )
    assert logs, "one example shows the Measured tab"


def test_a_change_the_map_broke_is_named_in_step_names_and_can_be_dropped(software_file):
    explorer = MapExplorer.from_file(software_file, scenario=loads_scenario(CUT_THE_BOARD))
    explorer.view = "future"
    explorer.step_editor.rows["build"].delete.click()
    message = explorer.view_message
    assert "change 1 (cut wait, Development and testing → Release) no longer fits the map" in message
    assert "Drop it, or point it at another step or arrow" in message
    assert explorer.broken_change._actions.layout.display == "flex"
    explorer.broken_change.drop_button.click()
    assert explorer.scenario.changes == ()
    assert explorer.view_message == "" and explorer.broken_change._actions.layout.display == "none"
    assert shows(explorer, explorer.stream)


def test_a_change_the_map_broke_can_be_pointed_at_another_arrow(software_file):
    explorer = MapExplorer.from_file(software_file, scenario=loads_scenario(CUT_THE_BOARD))
    explorer.view = "future"
    explorer.step_editor.rows["build"].delete.click()
    arrows = dict((value, label) for label, value in explorer.broken_change.target.options)
    assert arrows[("analysis", "release")] == "Analysis and refinement → Release"
    explorer.broken_change.target.value = ("analysis", "release")
    explorer.broken_change.retarget_button.click()
    assert explorer.scenario.changes[0].handoff == ("analysis", "release")
    assert explorer.view_message == ""
    future = explorer.scenario.apply(explorer.stream)
    assert future.handoff("analysis", "release").wait == Duration.of(24, "hours")
    assert shows(explorer, future)
