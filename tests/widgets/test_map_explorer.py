"""MapExplorer: edits in either editor move the cards and the live charts; undo, save, load, future, log."""

from __future__ import annotations

import json

import altair as alt
import nbformat
import pytest

from tests.paths import SAMPLES
from vsm_widgets.charts import step_time_chart, value_stream_map
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
    assert explorer.cards.texts["lead_time"] == "648 hours (27 days)"
    assert explorer.map_chart.embed_options["renderer"] == "svg"
    # The offline bundle carries vega-embed itself: nothing is imported from a CDN.
    assert "esm.sh" not in explorer.map_chart._esm and "cdn.jsdelivr" not in explorer.map_chart._esm


def test_an_edit_in_the_step_editor_moves_cards_and_charts(explorer):
    type_process_time(explorer, "build", "20")
    assert explorer.stream.step("build").process_time == Duration.of(20, "hours")
    assert explorer.cards.texts["lead_time"] == "638 hours (26.6 days)"
    assert explorer.cards.texts["process_time"] == "38 hours (1.6 days)"
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
    explorer.step_editor.rows["build"].duplicate.click()
    assert len(explorer.stream.steps) == 4
    assert shows(explorer, explorer.stream)
    assert (explorer._map_spec.drawn, explorer._step_spec.drawn) == (drawn[0] + 1, drawn[1] + 1)
    explorer.undo_button.click()
    type_process_time(explorer, "build", "21")
    assert shows(explorer, explorer.stream)
    assert "PT 21 hours" in json.dumps(explorer.map_chart.spec)


def test_an_edit_in_the_handoff_editor_moves_cards_and_charts(explorer):
    explorer.handoff_editor.rows[("supplier", "analysis")].fields["wait"].input.value = "2 days"
    assert explorer.cards.texts["lead_time"] == "456 hours (19 days)"
    assert explorer.cards.texts["largest_wait"] == "168 hours (7 days)"
    assert shows(explorer, explorer.stream)
    assert explorer.step_editor.stream is explorer.stream


def test_an_invalid_entry_leaves_model_cards_and_charts_alone(explorer, software):
    before = dict(explorer.map_chart.spec)
    type_process_time(explorer, "build", "a while")
    assert "'a while' is not a duration" in explorer.step_editor.rows["build"].fields["process_time"].message
    assert explorer.stream == software
    assert explorer.cards.texts["lead_time"] == "648 hours (27 days)"
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
    assert explorer.cards.texts["lead_time"] == "648 hours (27 days)"
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
    assert explorer.cards.texts["lead_time"] == "648 hours (27 days)"

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
    assert explorer.cards.texts["lead_time"] == "504 hours (21 days)"
    assert "was 648 hours (27 days), -22%" in explorer.cards.cards["lead_time"].value
    future = explorer.scenario.apply(explorer.stream)
    assert shows(explorer, future)

    type_process_time(explorer, "build", "20")
    assert explorer.stream.step("build").process_time == Duration.of(20, "hours"), "edits go to the current state"
    assert explorer.cards.texts["lead_time"] == "494 hours (20.6 days)"

    explorer.view_switch.value = "current"
    assert explorer.cards.texts["lead_time"] == "638 hours (26.6 days)"
    assert "was" not in explorer.cards.cards["lead_time"].value


def test_a_future_the_map_no_longer_supports_is_a_message(software_file):
    explorer = MapExplorer.from_file(software_file, scenario=loads_scenario(CUT_THE_BOARD))
    explorer.view = "future"
    explorer.step_editor.rows["build"].delete.click()
    assert "The future state cannot be drawn" in explorer.message
    assert shows(explorer, explorer.stream), "the current state is shown instead"


def test_without_a_scenario_there_is_no_future_to_switch_to(explorer):
    assert explorer.view_switch.disabled


def test_with_a_log_the_measured_values_sit_beside_the_estimates(tmp_path):
    log = read_export(SAMPLES / "onboarding.csv")
    measured = ValueStream.from_events(log)
    first = measured.steps[0]
    estimated = measured.with_step(first.replace(process_time=first.process_time * 2))
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
