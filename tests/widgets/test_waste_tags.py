"""WasteTags: Enter adds the waste typed, in any spelling; a tag's button removes it; empty boxes give a hint."""

from __future__ import annotations

from vsm_widgets.widgets.step_editor import StepEditor
from vsm_widgets.widgets.waste_tags import EMPTY_HINT, MORE_HINT, WasteTags


def test_a_typed_waste_is_added_and_the_field_empties_for_the_next():
    tags = WasteTags()
    assert tags.entry.placeholder == EMPTY_HINT
    tags.entry.value = "waiting"
    assert tags.value == ["Waiting"]
    assert tags.entry.value == ""
    assert tags.entry.placeholder == MORE_HINT, "a box with tags still offers a place to type"
    tags.entry.value = "over-processing"
    tags.entry.value = "Waiting"
    assert tags.value == ["Waiting", "Extra processing"], "a waste is tagged once"
    assert "Waiting" not in tags.entry.options


def test_the_field_is_cleared_before_the_new_chip_is_sent():
    # The browser applies updates in the order they are sent: a chip drawn before the clear
    # arrives would let the clear wipe the next waste the user has already begun typing.
    tags = WasteTags(["Defects"])
    sent = []
    tags.entry.observe(lambda change: sent.append(("entry", change["new"])), names="value")
    tags._chips.observe(lambda change: sent.append(("chips", len(change["new"]))), names="children")
    tags.entry.value = "waiting"
    cleared = sent.index(("entry", ""))
    drawn = sent.index(("chips", 2))
    assert cleared < drawn


def test_a_word_that_is_no_waste_is_a_problem_and_adds_nothing():
    tags = WasteTags(["Defects"])
    tags.entry.value = "bureaucracy"
    assert "unknown waste 'bureaucracy'" in tags.problem
    assert tags.value == ["Defects"]
    tags.entry.value = "motion"
    assert tags.problem == ""


def test_a_tags_button_removes_it():
    tags = WasteTags(["Defects", "Waiting"])
    chip = next(c for c in tags._chips.children if c.description == "Defects")
    chip.click()
    assert tags.value == ["Waiting"]


def test_the_step_editor_takes_wastes_typed_into_its_tags(four_functions):
    editor = StepEditor(four_functions)
    wastes = editor.rows["sales"].fields["wastes"]
    wastes.input.entry.value = "wait"
    wastes.input.entry.value = "inventory"
    assert editor.stream.step("sales").wastes == ("waiting", "inventory")
    wastes.input.entry.value = "paperwork"
    assert "unknown waste 'paperwork'" in wastes.message
    assert "Wastes: unknown waste &#x27;paperwork&#x27;" in editor.rows["sales"].messages.children[0].value
    assert wastes.input.entry.value == "paperwork", "the typed word stays to be corrected"
    assert editor.stream.step("sales").wastes == ("waiting", "inventory")
