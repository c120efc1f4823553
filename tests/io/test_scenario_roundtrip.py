"""Saving a scenario over its file keeps what the edit did not change: comments, spellings, one-line changes."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from vsm_widgets.future.scenario import change_from_entry, loads_scenario, save_scenario
from vsm_widgets.io.scenario_roundtrip import dumps_scenario_keeping

ONE_LINE = """\
# Two changes, each on one line
name: Small plan
changes:
  - {kind: cut_wait, handoff: [sales, ops], by: 0.5, waste: waiting}   # halve the queue
  - {kind: remove_step, step: approval, waste: extra_processing, owner: CFO}
"""


def test_an_untouched_value_keeps_its_spelling_and_a_new_change_follows_the_files_style():
    scenario = loads_scenario(ONE_LINE)
    first, second = scenario.changes
    added = change_from_entry({"kind": "set_batch_size", "step": "ops", "to": 1, "waste": "inventory"}, 2)
    edited = dataclasses.replace(second, owner="Finance")
    document = dataclasses.replace(scenario, changes=(first, edited, added)).to_dict()
    text = dumps_scenario_keeping(document, [first.line, second.line, None], ONE_LINE)
    assert text.splitlines() == [
        "# Two changes, each on one line",
        "name: Small plan",
        "changes:",
        "  - {kind: cut_wait, handoff: [sales, ops], by: 0.5, waste: waiting}   # halve the queue",
        "  - {kind: remove_step, step: approval, waste: extra_processing, owner: Finance}",
        "  - {kind: set_batch_size, step: ops, to: 1, waste: inventory}",
    ]


def test_a_moved_change_takes_its_comment_and_a_removed_one_takes_it_away():
    scenario = loads_scenario(ONE_LINE)
    first, second = scenario.changes
    moved = dumps_scenario_keeping(
        dataclasses.replace(scenario, changes=(second, first)).to_dict(), [second.line, first.line], ONE_LINE
    )
    assert moved.splitlines()[3:] == [
        "  - {kind: remove_step, step: approval, waste: extra_processing, owner: CFO}",
        "  - {kind: cut_wait, handoff: [sales, ops], by: 0.5, waste: waiting}   # halve the queue",
    ]
    only_second = dataclasses.replace(scenario, changes=(second,)).to_dict()
    removed = dumps_scenario_keeping(only_second, [second.line], ONE_LINE)
    assert "halve the queue" not in removed
    assert loads_scenario(removed).changes == (second,)


def test_text_that_is_no_scenario_is_left_to_be_written_afresh():
    document = loads_scenario(ONE_LINE).to_dict()
    assert dumps_scenario_keeping(document, [3, 4], "- just a list\n") is None
    assert dumps_scenario_keeping(document, [3, 4], "changes: [{kind: nothing}]\n") is None


def test_saving_to_another_file_than_the_one_read_writes_it_afresh(tmp_path: Path):
    source = tmp_path / "plan.scenario.yaml"
    source.write_text(ONE_LINE)
    other = tmp_path / "other.scenario.yaml"
    other.write_text("# someone else's plan\nname: Other\nchanges: []\n")
    scenario = loads_scenario(ONE_LINE, source=str(source))
    save_scenario(scenario, other)
    text = other.read_text()
    assert "someone else's plan" not in text and "halve the queue" not in text
    assert loads_scenario(text) == scenario
    save_scenario(dataclasses.replace(scenario, name="Small plan, revised"), source)
    assert source.read_text() == ONE_LINE.replace("name: Small plan", "name: Small plan, revised")
