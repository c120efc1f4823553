"""The scenario panel: the future state's changes listed, added, edited, moved, removed, saved and loaded.

The map is DOMAIN's software change (648 h of lead time, counted in hours on 24 h days) with its
sample scenario: the weekly board's 168 h cut to 24 h (-144), release work 6 h to 1 h (-5), the
144 h before development cut by half (-72), %C&A of analysis to 95 % (no time): 427 h, 17.8 days.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from tests.paths import BAD_SCENARIOS, MAPS
from vsm_widgets.exceptions import ScenarioError
from vsm_widgets.future.scenario import load_scenario, loads_scenario
from vsm_widgets.widgets import MapExplorer
from vsm_widgets.widgets.scenario_panel import ScenarioPanel

SCENARIO = MAPS / "software_delivery.scenario.yaml"


@pytest.fixture
def scenario_file(tmp_path: Path) -> Path:
    """A copy of the software delivery scenario (with its comments) that a test may save over."""
    return Path(shutil.copy(SCENARIO, tmp_path / "software_delivery.scenario.yaml"))


@pytest.fixture
def explorer(software_file: Path, scenario_file: Path) -> MapExplorer:
    explorer = MapExplorer.from_file(software_file, scenario=scenario_file)
    explorer.tabs.selected_index = explorer.tabs.titles.index("Future state")
    return explorer


def reader_message(change: str, number: int) -> str:
    """What the scenario file reader says of a file whose change `number` is `change`, without the file and line."""
    valid = "- {kind: cap_wip, limit: 3, waste: inventory}\n" * (number - 1)
    with pytest.raises(ScenarioError) as raised:
        loads_scenario(f"changes:\n{valid}- {change}\n")
    return str(ScenarioError(raised.value.problem, raised.value.hint))


def test_each_change_is_a_row_naming_its_target_as_people_call_it(software):
    panel = ScenarioPanel(software, load_scenario(SCENARIO))
    first, second, third, fourth = panel.rows
    options = dict((value, label) for label, value in first.fields["handoff"].options)
    assert options[first.fields["handoff"].value] == "Development and testing → Release"
    assert first.fields["amount"].value == "1 d"
    assert first.fields["waste"].value == "waiting"
    assert first.fields["owner"].value == "Head of Engineering"
    assert first.fields["due"].value == "2027-03-31"
    assert first.fields["why"].value.startswith("Standard changes are approved by the pipeline's checks")
    steps = dict((value, label) for label, value in second.fields["step"].options)
    assert steps[second.fields["step"].value] == "Release"
    assert third.fields["amount"].value == "50%"
    assert fourth.fields["amount"].value == "95%"
    assert [row.message for row in panel.rows] == ["", "", "", ""]
    assert panel.scenario == load_scenario(SCENARIO)


def test_a_new_change_says_what_it_still_needs_in_the_readers_words_and_counts_once_valid(explorer):
    panel = explorer.scenario_panel
    assert explorer.cards.texts["lead_time"] == "27 days"
    row = panel.add_change("set_wait")
    assert row.message == reader_message("{kind: set_wait}", 5)
    assert "names no waste" in row.message
    row.fields["waste"].value = "waiting"
    assert row.message == reader_message("{kind: set_wait, waste: waiting}", 5)
    row.fields["handoff"].value = ("release", "customer")
    row.fields["amount"].value = "next week"
    typed = "{kind: set_wait, waste: waiting, handoff: [release, customer], to: next week}"
    assert row.message == reader_message(typed, 5)
    assert len(panel.scenario.changes) == 4, "a change not yet valid is not in the future state"
    row.fields["amount"].value = "1 d"
    assert row.message == ""
    assert panel.scenario.changes[4].handoff == ("release", "customer")
    # The future view is drawn at once: 427 h less the 24 h the last arrow loses, 403 h = 16.8 days.
    assert explorer.view == "future"
    assert explorer.cards.texts["lead_time"] == "16.8 days"
    assert "was 27 days" in explorer.cards.cards["lead_time"].value
    future = explorer.scenario.apply(explorer.stream)
    assert future.lead_time().to("hours") == 403
    assert explorer.map_chart.spec["title"] == explorer._map_spec(future)["title"]


def test_a_bad_value_keeps_the_last_valid_change_and_its_message_goes_once_fixed(explorer):
    panel = explorer.scenario_panel
    explorer.view = "future"
    third = panel.rows[2]
    third.fields["amount"].value = "150%"
    typed = "{kind: cut_wait, handoff: [analysis, build], by: 150%, waste: inventory}"
    assert third.message == reader_message(typed, 3)
    assert panel.scenario.changes[2].by == 0.5
    assert explorer.cards.texts["lead_time"] == "17.8 days"
    third.fields["amount"].value = "25%"
    assert third.message == ""
    # A quarter of 144 h is 36 h cut instead of 72: 427 + 36 = 463 h, 19.3 days.
    assert panel.scenario.changes[2].by == 0.25
    assert explorer.cards.texts["lead_time"] == "19.3 days"


def test_a_change_the_map_cannot_carry_out_is_refused_with_the_appliers_message(explorer):
    panel = explorer.scenario_panel
    row = panel.add_change("cap_wip")
    row.fields["waste"].value = "inventory"
    row.fields["amount"].value = "8"
    assert row.message.startswith("change 5 (cap_wip): cap_wip turns a WIP limit into a lead time by Little's law")
    assert len(panel.scenario.changes) == 4


def test_editing_moving_and_removing_changes_move_the_future(explorer):
    panel = explorer.scenario_panel
    explorer.view = "future"
    panel.rows[1].fields["owner"].value = "Platform team"
    panel.rows[1].fields["due"].value = "2027-06-30"
    assert panel.scenario.changes[1].owner == "Platform team"
    assert panel.scenario.changes[1].due == dt.date(2027, 6, 30)
    first = panel.scenario.changes[0]
    panel.move(panel.rows[0], +1)
    assert panel.scenario.changes[1] == first
    assert [row.number.value for row in panel.rows[:2]] == ["<b>1</b>", "<b>2</b>"]
    panel.move(panel.rows[1], -1)
    assert panel.scenario.changes[0] == first
    panel.remove(panel.rows[0])
    # Without the daily board the 144 h come back: 427 + 144 = 571 h, 23.8 days.
    assert len(panel.scenario.changes) == 3
    assert explorer.cards.texts["lead_time"] == "23.8 days"


def test_save_keeps_the_comments_and_untouched_values_and_reads_back_as_edited(explorer, scenario_file):
    panel = explorer.scenario_panel
    original = scenario_file.read_text()
    panel.rows[1].fields["owner"].value = "Platform team"
    row = panel.add_change("set_wait")
    row.fields["handoff"].value = ("release", "customer")
    row.fields["amount"].value = "1 d"
    row.fields["waste"].value = "waiting"
    assert panel.has_unsaved_changes
    assert "unsaved changes" in panel.unsaved.value
    assert panel.save() == scenario_file
    assert panel.message == f"Saved the scenario to {scenario_file}."
    assert panel.unsaved.value == ""
    saved = scenario_file.read_text()
    old_lines, new_lines = original.splitlines(), saved.splitlines()
    edited = old_lines.index("    owner: Operations")
    assert new_lines[edited] == "    owner: Platform team"
    # Every other line, the header and both comments included, is byte for byte as it was.
    assert new_lines[:edited] + new_lines[edited + 1 : len(old_lines)] == old_lines[:edited] + old_lines[edited + 1 :]
    assert "    handoff: [build, release]   # the weekly change advisory board" in new_lines
    assert "  # Quality at the source: fewer stories come back from development with questions." in new_lines
    assert new_lines[len(old_lines) :] == [
        "  - kind: set_wait",
        "    handoff: [release, customer]",
        "    to: 1 d",
        "    waste: waiting",
    ]
    assert load_scenario(scenario_file) == panel.scenario
    assert load_scenario(scenario_file).changes[1].owner == "Platform team"
    panel.rows[0].fields["owner"].value = "CTO"
    assert panel.message == "", "Saved ... goes at the next edit"
    assert panel.has_unsaved_changes


def test_load_reads_another_scenario_and_a_bad_one_changes_nothing(explorer):
    panel = explorer.scenario_panel
    before = panel.scenario
    bad = BAD_SCENARIOS / "no_waste.yaml"
    with pytest.raises(ScenarioError) as raised:
        load_scenario(bad)
    assert not panel.load(bad)
    assert panel.message == f"Not loaded: {raised.value}"
    assert panel.scenario is before and len(panel.rows) == 4
    other = MAPS / "four_functions.scenario.yaml"
    assert panel.load(other)
    assert panel.message == f"Loaded {other}."
    assert panel.scenario == load_scenario(other)
    assert len(panel.rows) == 3
    assert not panel.has_unsaved_changes
    # Its arrows are not on this map: the first change says so under its row, in step names.
    assert panel.rows[0].message.startswith("change 1 (cut wait, marketing → sales) no longer fits the map")


def test_a_map_edit_that_breaks_a_change_is_named_on_its_row_and_dropping_it_empties_the_row(explorer):
    panel = explorer.scenario_panel
    explorer.step_editor.rows["build"].delete.click()
    first = panel.rows[0]
    assert first.message.startswith("change 1 (cut wait, Development and testing → Release) no longer fits the map")
    labels = dict((value, label) for label, value in first.fields["handoff"].options)
    assert labels[("build", "release")] == "Development and testing → Release (not on the map)"
    explorer.view = "future"
    explorer.broken_change.drop_button.click()
    assert len(panel.rows) == 3
    assert panel.scenario.changes[0].kind == "set_process_time"
    # The next change the lost step breaks is named in its turn, and the one dropped says nothing more.
    assert [row.message[:72] for row in panel.rows] == [
        "",
        "change 2 (cut wait, Analysis and refinement → Development and testing) n",
        "",
    ]


def test_a_change_pointed_at_another_arrow_shows_its_new_target_in_the_panel(explorer):
    panel = explorer.scenario_panel
    explorer.view = "future"
    explorer.step_editor.rows["build"].delete.click()
    explorer.broken_change.target.value = ("analysis", "release")
    explorer.broken_change.retarget_button.click()
    first = panel.rows[0]
    assert first.fields["handoff"].value == ("analysis", "release")
    assert first.message == ""
    assert panel.scenario.changes[0].handoff == ("analysis", "release")


def test_the_future_state_can_be_started_from_no_scenario(software):
    explorer = MapExplorer(software)
    assert explorer.view_switch.disabled
    explorer.tabs.selected_index = explorer.tabs.titles.index("Future state")
    row = explorer.scenario_panel.add_change("set_process_time")
    row.fields["step"].value = "build"
    row.fields["amount"].value = "20 h"
    row.fields["waste"].value = "defects"
    assert not explorer.view_switch.disabled
    assert explorer.view == "future"
    # 10 h less development and testing: 638 h, 26.6 days.
    assert explorer.cards.texts["lead_time"] == "26.6 days"


def _refused_by_the_reader(path: Path) -> bool:
    try:
        load_scenario(path)
    except ScenarioError:
        return True
    return False  # it reads; its change fails only when applied to a map


# The bad-scenario corpus's files that the reader itself refuses (the others fail only when applied).
FILE_ERRORS = sorted(p for p in BAD_SCENARIOS.glob("*.yaml") if p.name != "expected.yaml" and _refused_by_the_reader(p))


@pytest.mark.parametrize("bad", FILE_ERRORS, ids=lambda path: path.stem)
def test_loading_a_file_the_reader_refuses_shows_its_message_and_changes_nothing(explorer, bad):
    panel = explorer.scenario_panel
    before, rows = panel.scenario, list(panel.rows)
    with pytest.raises(ScenarioError) as raised:
        load_scenario(bad)
    assert not panel.load(bad)
    assert panel.message == f"Not loaded: {raised.value}"
    assert panel.scenario is before and panel.rows == rows


def test_a_step_given_a_new_id_breaks_the_changes_naming_the_old_one_and_each_is_named_in_turn(explorer):
    panel = explorer.scenario_panel
    # "release" still finds the step called Release whatever its id; "build" names Development and testing by id only.
    explorer.step_editor.rows["release"].fields["id"].input.value = "deploy"
    assert [row.message for row in panel.rows] == ["", "", "", ""]
    explorer.step_editor.rows["build"].fields["id"].input.value = "develop"
    # The old id is named by the name the step had (and still has): people never read ids.
    assert panel.rows[0].message == (
        "change 1 (cut wait, Development and testing → Release) no longer fits the map: "
        "the map has no handoff build -> release"
    )
    explorer.view = "future"
    explorer.broken_change.target.value = ("develop", "deploy")
    explorer.broken_change.retarget_button.click()
    # Re-targeted, change 1 fits; change 3 cuts the wait analysis -> build, which is named next.
    assert panel.rows[0].message == ""
    assert panel.rows[0].fields["handoff"].value == ("develop", "deploy")
    assert panel.rows[2].message.startswith(
        "change 3 (cut wait, Analysis and refinement → Development and testing) no longer"
    )


def test_steps_to_merge_are_chosen_by_name_and_named_by_id_in_the_change(software):
    panel = ScenarioPanel(software)
    row = panel.add_change("merge_steps")
    assert row.fields["steps"].allowed_tags == ["Analysis and refinement", "Development and testing", "Release"]
    row.fields["waste"].value = "motion"
    row.fields["steps"].value = ["Analysis and refinement", "Development and testing"]
    row.fields["amount"].value = "Analysis and build"
    assert row.message == ""
    (change,) = panel.scenario.changes
    assert change.steps == ("analysis", "build") and change.name == "Analysis and build"
    future = panel.scenario.apply(software)
    assert [step.name for step in future.steps] == ["Analysis and build", "Release"]
    row.fields["steps"].value = ["Development and testing"]
    assert row.message.startswith("change 1 (merge_steps): steps must list two or more steps")
    assert panel.scenario.changes == (change,)
