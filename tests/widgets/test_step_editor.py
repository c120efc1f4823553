"""StepEditor: a user types into the fields and clicks the buttons; the model follows or explains."""

from __future__ import annotations

import pytest

from vsm_widgets.units import Duration
from vsm_widgets.widgets import StepEditor


def field(editor: StepEditor, step_id: str, key: str):
    return editor.rows[step_id].fields[key]


def type_into(editor: StepEditor, step_id: str, key: str, text) -> None:
    field(editor, step_id, key).input.value = text


def test_fields_show_the_step_with_units(software):
    editor = StepEditor(software)
    assert field(editor, "build", "name").input.value == "Development and testing"
    assert field(editor, "build", "owner").input.value == "Team lead"
    assert field(editor, "build", "process_time").input.value == "30 h"
    assert field(editor, "build", "lead_time").input.value == ""
    assert field(editor, "build", "pct_ca").input.value == "90%"
    assert field(editor, "build", "value").input.value == "va"
    assert field(editor, "build", "wastes").input.value == ["Defects"]
    assert field(editor, "build", "staff").input.value == "1"
    assert [row.step_id for row in editor._rows_box.children] == ["analysis", "build", "release"]


def test_a_bare_number_is_in_the_maps_unit_and_a_unit_may_be_typed(four_functions):
    editor = StepEditor(four_functions)
    type_into(editor, "sales", "process_time", "6")
    assert editor.stream.step("sales").process_time == Duration.of(6, "days")
    assert editor.stream.lead_time().to("days") == 42

    type_into(editor, "sales", "process_time", "36 h")
    assert editor.stream.step("sales").process_time == Duration.of(1.5, "days")
    assert field(editor, "sales", "process_time").input.value == "1.5 days"

    type_into(editor, "ops", "process_time", "90 min")
    assert field(editor, "ops", "process_time").input.value == "1.5 h"


def test_every_valid_entry_makes_one_new_stream_for_observers(four_functions):
    editor = StepEditor(four_functions)
    seen = []
    editor.observe(lambda change: seen.append(change["new"]), names="stream")
    type_into(editor, "ops", "owner", "  COO ")
    type_into(editor, "ops", "pct_ca", "80%")
    assert [s.step("ops").owner for s in seen] == ["COO", "COO"]
    assert seen[-1].step("ops").pct_ca == pytest.approx(0.8)
    assert four_functions.step("ops").owner == "Head of Ops", "the stream the editor was given is never changed"


def test_an_invalid_duration_shows_a_message_beside_the_field_and_keeps_the_model(four_functions):
    editor = StepEditor(four_functions)
    before = editor.stream
    type_into(editor, "sales", "process_time", "next week")

    process_time = field(editor, "sales", "process_time")
    assert "'next week' is not a duration" in process_time.message
    shown = editor.rows["sales"].messages.children
    assert [label.value.count("Process time: &#x27;next week&#x27; is not a duration") for label in shown] == [1], (
        "the message is shown on a line under the row, named by its field"
    )
    assert process_time.children == (process_time.input,), "the field keeps its column's width"
    assert process_time.input.value == "next week", "what the user typed stays to be corrected"
    assert editor.stream is before
    assert field(editor, "ops", "process_time").message == ""

    type_into(editor, "sales", "process_time", "9")
    assert process_time.message == ""
    assert editor.stream.step("sales").process_time == Duration.of(9, "days")


def test_the_models_refusal_is_shown_beside_the_field(four_functions):
    editor = StepEditor(four_functions)
    before = editor.stream
    type_into(editor, "ops", "lead_time", "2")
    assert "lead time (48 hours) is shorter than process time (288 hours)" in field(editor, "ops", "lead_time").message
    assert editor.stream is before

    type_into(editor, "ops", "lead_time", "20")
    assert editor.stream.step("ops").lead_time == Duration.of(20, "days")
    assert editor.stream.lead_time().to("days") == 52
    type_into(editor, "ops", "lead_time", "")
    assert editor.stream.step("ops").lead_time is None


@pytest.mark.parametrize(
    ("key", "text", "message"),
    [
        ("pct_ca", "95", "write '95%' or 0.95"),
        ("pct_ca", "0%", "must be a number within (0, 1]"),
        ("staff", "0", "must be a number above 0"),
        ("staff", "two", "'two' is not a number"),
        ("process_time", "-3", "is negative"),
        ("process_time", "", "a duration is needed"),
    ],
)
def test_nothing_typed_raises_into_the_notebook(four_functions, key, text, message):
    editor = StepEditor(four_functions)
    type_into(editor, "marketing", key, text)
    assert message in field(editor, "marketing", key).message
    assert editor.stream == four_functions


def test_percentages_names_owners_staff_value_and_wastes(four_functions):
    editor = StepEditor(four_functions)
    type_into(editor, "sales", "pct_ca", "0.9")
    type_into(editor, "sales", "name", "")
    type_into(editor, "sales", "owner", "")
    type_into(editor, "sales", "staff", "2.5")
    type_into(editor, "sales", "value", "nnva")
    type_into(editor, "sales", "wastes", ["Waiting", "Extra processing"])
    step = editor.stream.step("sales")
    assert step.pct_ca == pytest.approx(0.9)
    assert field(editor, "sales", "pct_ca").input.value == "90%"
    assert step.name == "sales", "an empty name falls back to the id"
    assert field(editor, "sales", "name").input.value == "sales"
    assert step.owner is None
    assert step.staff == 2.5
    assert step.value == "nnva"
    assert step.wastes == ("waiting", "extra_processing")


def test_add_duplicate_move_and_delete_with_the_buttons(four_functions):
    editor = StepEditor(four_functions)
    editor.add_button.click()
    assert editor.stream.step_ids[-1] == "new_step"
    assert editor.stream.handoff("new_step", "customer")
    assert [row.step_id for row in editor._rows_box.children][-1] == "new_step"

    type_into(editor, "sales", "wastes", ["Waiting"])
    editor.rows["sales"].duplicate.click()
    copy = editor.stream.step("sales_copy")
    assert editor.stream.step_ids[:3] == ("marketing", "sales", "sales_copy")
    assert copy.name == "Sales (copy)"
    assert copy.process_time == Duration.of(8, "days") and copy.wastes == ("waiting",)
    assert field(editor, "sales_copy", "process_time").input.value == "8 days"

    editor.rows["ops"].up.click()
    assert editor.stream.step_ids[:4] == ("marketing", "sales", "ops", "sales_copy")
    assert [row.step_id for row in editor._rows_box.children][:4] == ["marketing", "sales", "ops", "sales_copy"]
    assert editor.rows["marketing"].up.disabled and not editor.rows["marketing"].down.disabled
    assert editor.rows["new_step"].down.disabled

    editor.rows["sales_copy"].delete.click()
    assert "sales_copy" not in editor.stream.step_ids
    assert "sales_copy" not in editor.rows


def test_deleting_the_only_step_is_refused_with_a_message(four_functions):
    editor = StepEditor(four_functions)
    for step_id in ("marketing", "sales", "ops"):
        editor.rows[step_id].delete.click()
    last = editor.stream
    editor.rows["delivery"].delete.click()
    assert "the only step" in editor.message
    assert editor.stream is last
    editor.add_button.click()
    assert editor.message == ""


def test_a_stream_set_from_outside_refreshes_the_rows(four_functions):
    editor = StepEditor(four_functions)
    type_into(editor, "ops", "process_time", "soon")
    changed = four_functions.with_step(four_functions.step("sales").replace(process_time=Duration.of(2, "days")))
    editor.stream = changed
    assert field(editor, "sales", "process_time").input.value == "2 days"
    assert field(editor, "ops", "process_time").input.value == "soon", "an entry still being corrected stays"
    assert field(editor, "ops", "process_time").message

    editor.stream = changed.remove_step("ops")
    assert "ops" not in editor.rows
    assert [row.step_id for row in editor._rows_box.children] == ["marketing", "sales", "delivery"]


def test_what_users_type_stays_text(four_functions):
    editor = StepEditor(four_functions)
    type_into(editor, "sales", "name", "<script>alert(1)</script>")
    assert editor.stream.step("sales").name == "<script>alert(1)</script>"
    type_into(editor, "sales", "process_time", "<b>3</b>")
    html = editor.rows["sales"].messages.children[-1].value
    assert "<b>" not in html and "&lt;b&gt;" in html


def test_moving_a_step_reorders_its_row_without_rebuilding_it(four_functions):
    editor = StepEditor(four_functions)
    rows = dict(editor.rows)
    editor.rows["ops"].up.click()
    assert [row.step_id for row in editor._rows_box.children] == ["marketing", "ops", "sales", "delivery"]
    assert all(editor.rows[step_id] is row for step_id, row in rows.items()), "a field being typed in keeps its state"


def test_insert_after_splits_the_arrow_out_of_the_step(four_functions):
    editor = StepEditor(four_functions)
    pce, lead_time = four_functions.pce(), four_functions.lead_time()
    editor.rows["sales"].insert_after.click()
    stream = editor.stream
    assert stream.step_ids == ("marketing", "sales", "new_step", "ops", "delivery")
    assert stream.handoff("sales", "new_step").wait.seconds == 0
    assert stream.handoff("new_step", "ops").wait == four_functions.handoff("sales", "ops").wait
    assert ("sales", "ops") not in {h.key for h in stream.handoffs}
    assert stream.step("new_step").value == "unclassified"
    assert stream.lead_time() == lead_time and stream.pce() == pce

    type_into(editor, "new_step", "process_time", "2")
    assert editor.stream.pce() == pytest.approx(pce * 44 / 46), "a new step is work, not value-adding work"


def test_insert_parallel_gives_the_new_step_the_same_arrows_in_and_out(four_functions):
    editor = StepEditor(four_functions)
    editor.rows["ops"].insert_parallel.click()
    stream = editor.stream
    assert stream.step_ids.index("new_step") == stream.step_ids.index("ops") + 1
    assert {h.key for h in stream.incoming("new_step")} == {("sales", "new_step")}
    assert {h.key for h in stream.outgoing("new_step")} == {("new_step", "delivery")}
    assert stream.handoff("sales", "ops") and stream.handoff("ops", "delivery"), (
        "the step it runs beside keeps its arrows"
    )
    assert stream.lead_time() == four_functions.lead_time()


def test_a_new_steps_id_follows_its_name_until_the_ids_are_settled(four_functions):
    editor = StepEditor(four_functions)
    editor.rows["sales"].insert_after.click()
    row = editor.rows["new_step"]
    type_into(editor, "new_step", "name", "Credit check")
    assert "credit_check" in editor.stream.step_ids and "new_step" not in editor.stream.step_ids
    assert editor.rows["credit_check"] is row, "the row being typed in stays"
    assert editor.stream.handoff("sales", "credit_check") and editor.stream.handoff("credit_check", "ops")
    assert row.fields["id"].input.value == "credit_check"
    assert "vsm-step-credit_check-name" in row.fields["name"].input._dom_classes

    editor.settle_ids()
    type_into(editor, "credit_check", "name", "Credit and fraud check")
    assert "credit_check" in editor.stream.step_ids, "a saved id no longer follows the name"
    type_into(editor, "credit_check", "id", "fraud_check")
    assert editor.stream.handoff("fraud_check", "ops")
    type_into(editor, "fraud_check", "id", "sales")
    assert "used twice" in editor.rows["fraud_check"].fields["id"].message
    type_into(editor, "sales", "name", "Sales and quotes")
    assert "sales" in editor.stream.step_ids, "an existing step's id never follows its name"


def test_the_row_holds_name_owner_process_time_and_pct_ca_and_the_rest_opens_under_it(four_functions):
    editor = StepEditor(four_functions)
    row = editor.rows["sales"]
    in_row = [child for child in row.children[0].children if hasattr(child, "key")]
    assert [f.key for f in in_row] == ["name", "owner", "process_time", "pct_ca"]
    assert not row.details_open and row.details.layout.display == "none"
    row.toggle.click()
    assert row.details_open
    in_details = [box.children[1].key for box in row.details.children]
    assert in_details == ["lead_time", "value", "wastes", "staff", "id"]
