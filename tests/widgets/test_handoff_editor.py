"""HandoffEditor: arrows edited, added and removed as a user would; refusals explained beside the field."""

from __future__ import annotations

import pytest

from vsm_widgets.units import Duration
from vsm_widgets.widgets import HandoffEditor


def field(editor: HandoffEditor, key: tuple[str, str], name: str):
    return editor.rows[key].fields[name]


def type_into(editor: HandoffEditor, key: tuple[str, str], name: str, text) -> None:
    field(editor, key, name).input.value = text


def test_rows_show_every_arrow_with_its_wait_owner_and_kind(four_functions):
    editor = HandoffEditor(four_functions)
    assert list(editor.rows) == [h.key for h in four_functions.handoffs]
    assert field(editor, ("sales", "ops"), "wait").input.value == "5 days"
    assert field(editor, ("sales", "ops"), "source").input.label == "Sales"
    assert field(editor, ("supplier", "marketing"), "source").input.label == "Customer request (supplier)"
    assert field(editor, ("delivery", "customer"), "target").input.label == "Customer (customer)"
    assert field(editor, ("sales", "ops"), "kind").input.value == "push"


def test_a_wait_typed_with_or_without_a_unit_changes_the_lead_time(four_functions):
    editor = HandoffEditor(four_functions)
    type_into(editor, ("sales", "ops"), "wait", "2")
    assert editor.stream.handoff("sales", "ops").wait == Duration.of(2, "days")
    assert editor.stream.lead_time().to("days") == 41
    type_into(editor, ("sales", "ops"), "wait", "12 h")
    assert field(editor, ("sales", "ops"), "wait").input.value == "0.5 days"


def test_arrows_nobody_owns_stand_out_until_someone_does(four_functions):
    editor = HandoffEditor(four_functions)
    row = editor.rows[("sales", "ops")]
    assert "no owner" in row.flag.value
    type_into(editor, ("sales", "ops"), "owner", "Head of Ops")
    assert editor.stream.handoff("sales", "ops").owner == "Head of Ops"
    assert row.flag.value == ""
    type_into(editor, ("sales", "ops"), "owner", " ")
    assert editor.stream.handoff("sales", "ops").owner is None
    assert "no owner" in row.flag.value


def test_kind_and_inventory(teaching):
    editor = HandoffEditor(teaching)
    type_into(editor, ("pick", "pack"), "kind", "fifo")
    assert editor.stream.handoff("pick", "pack").kind == "fifo"
    type_into(editor, ("pick", "pack"), "inventory", "20")
    assert editor.stream.handoff("pick", "pack").wait.to("minutes") == 20, "a given wait wins over the count"
    type_into(editor, ("pick", "pack"), "wait", "")
    handoff = editor.stream.handoff("pick", "pack")
    assert handoff.wait is None and handoff.inventory == 20
    # 20 pieces at a demand of 40 a day are half a day of 8 hours: 240 minutes.
    assert editor.stream.wait_of(handoff).to("minutes") == 240
    assert field(editor, ("pick", "pack"), "wait").input.placeholder == "240 min from inventory"


def test_inventory_without_demand_is_refused_beside_the_field(four_functions):
    editor = HandoffEditor(four_functions)
    type_into(editor, ("sales", "ops"), "wait", "")
    assert editor.stream.handoff("sales", "ops").wait == Duration(0.0)
    type_into(editor, ("sales", "ops"), "inventory", "7000")
    assert editor.stream.handoff("sales", "ops").inventory == 7000, (
        "a wait of zero is given, so the count is informational"
    )
    before = editor.stream
    type_into(editor, ("marketing", "sales"), "inventory", "many")
    assert "'many' is not a number" in field(editor, ("marketing", "sales"), "inventory").message
    assert editor.stream is before


def test_a_new_end_that_closes_a_loop_is_refused_and_the_model_kept(four_functions):
    editor = HandoffEditor(four_functions)
    before = editor.stream
    type_into(editor, ("ops", "delivery"), "target", "marketing")
    message = field(editor, ("ops", "delivery"), "target").message
    assert "handoff ops -> marketing closes a loop (marketing -> sales -> ops -> marketing)" in message
    assert editor.stream is before


def test_moving_an_arrow_end_keeps_its_wait_and_owner(four_functions):
    editor = HandoffEditor(four_functions)
    editor.new_source.value = "sales"
    editor.new_target.value = "delivery"
    editor.new_wait.value = "1"
    editor.add_button.click()
    type_into(editor, ("ops", "delivery"), "owner", "Head of Ops")
    type_into(editor, ("sales", "delivery"), "source", "marketing")
    moved = editor.stream.handoff("marketing", "delivery")
    assert moved.wait == Duration.of(1, "days")
    assert ("marketing", "delivery") in editor.rows and ("sales", "delivery") not in editor.rows
    assert editor.stream.handoff("ops", "delivery").owner == "Head of Ops"


def test_adding_an_arrow_draws_a_parallel_branch(four_functions):
    editor = HandoffEditor(four_functions)
    editor.new_source.value = "marketing"
    editor.new_target.value = "ops"
    editor.new_wait.value = "20"
    editor.add_button.click()
    assert editor.message == ""
    assert ("marketing", "ops") in editor.rows
    assert not editor.stream.is_linear()
    # Marketing 5 + 20 days of waiting + Ops 12 + 7 + Delivery 4 beats the path through Sales.
    assert editor.stream.lead_time().to("days") == 48
    assert editor.stream.critical_path() == ("marketing", "ops", "delivery")


@pytest.mark.parametrize(
    ("source", "target", "wait", "message"),
    [
        ("sales", "ops", "1", "appears twice"),
        ("ops", "marketing", "1", "closes a loop"),
        ("marketing", "sales", "later", "'later' is not a duration"),
    ],
)
def test_an_arrow_the_model_refuses_is_explained_beside_the_add_button(four_functions, source, target, wait, message):
    editor = HandoffEditor(four_functions)
    editor.new_source.value = source
    editor.new_target.value = target
    editor.new_wait.value = wait
    editor.add_button.click()
    assert message in editor.message
    assert editor.stream == four_functions


def test_removing_an_arrow_that_would_cut_a_step_off_is_refused(four_functions):
    editor = HandoffEditor(four_functions)
    editor.rows[("sales", "ops")].remove.click()
    assert "does not lead to the customer" in editor.message
    assert editor.stream == four_functions

    editor.new_source.value = "sales"
    editor.new_target.value = "delivery"
    editor.add_button.click()
    editor.new_source.value = "marketing"
    editor.new_target.value = "ops"
    editor.add_button.click()
    editor.rows[("sales", "ops")].remove.click()
    assert editor.message == ""
    assert ("sales", "ops") not in editor.rows
    assert [row.key for row in editor._rows_box.children] == [h.key for h in editor.stream.handoffs]
    assert editor.stream.critical_path() == ("marketing", "ops", "delivery")


def test_choices_follow_renamed_and_added_steps(four_functions):
    editor = HandoffEditor(four_functions)
    renamed = four_functions.with_step(four_functions.step("sales").replace(name="Sales desk"))
    editor.stream = renamed.add_step(renamed.step("ops").replace(id="ops2", name="Ops"), after="ops")
    assert field(editor, ("marketing", "sales"), "target").input.label == "Sales desk"
    assert field(editor, ("marketing", "sales"), "target").input.value == "sales"
    labels = [label for label, _ in editor.new_target.options]
    assert "Ops (ops)" in labels and "Ops (ops2)" in labels, "two steps of one name are told apart by id"
