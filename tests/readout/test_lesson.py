"""The lean waste lesson on the teaching map: the checks explain, and the key matches the map.

Teaching map (data/samples/maps/teaching.yaml): inspection takes 7 min with half an inspector, 14 min a
parcel against a takt of 480 min / 40 = 12 min; the longest queue (240 min) is pack -> inspect; packing
is right 60 % of the time. Lead time 605 min of waits + 31 min of work = 636 min. The lesson's future
state removes the inspection (its 7 min and the 240-min queue in front of it) and cuts the picking
queue from 120 to 30 min: 636 - 7 - 240 - 90 = 299 min.
"""

import pytest

from tests.paths import MAPS
from vsm_widgets.exceptions import VsmInputError
from vsm_widgets.future.scenario import load_scenario
from vsm_widgets.io.map_file import load_map
from vsm_widgets.readout import lesson
from vsm_widgets.units import ZERO

TEACHING = MAPS / "teaching.yaml"


@pytest.fixture(scope="module")
def stream():
    return load_map(TEACHING)


def test_the_key_matches_the_planted_problems(stream):
    table = lesson.verify_answer_key(stream)
    assert table["Agrees"].all()
    assert table.set_index("Check").loc["The largest wait", "Map"] == "pack -> inspect"


def test_an_edited_map_that_no_longer_teaches_its_key_is_caught(stream):
    full_time = stream.with_step(stream.step("inspect").replace(staff=1))
    with pytest.raises(VsmInputError, match="the answer key does not match the map"):
        lesson.verify_answer_key(full_time)


def test_classification_feedback(stream):
    answers = {
        "pack": ("va", ["defects"]),
        "inspect": ("va", ["defects"]),
        "label": ("maybe", []),
    }
    feedback = lesson.check_classes(stream, answers).set_index("Step or arrow")
    assert feedback.loc["Pack parcel", "Verdict"] == "right"
    assert feedback.loc["Inspect parcel", "Verdict"] == "not yet"
    assert feedback.loc["Inspect parcel", "Why"].startswith(
        "The key says Necessary, not value-adding, not Value-adding. Missed: Extra processing."
    )
    assert "unknown value class 'maybe'" in feedback.loc["Print label and hand over", "Why"]
    assert feedback.loc["Pick items", "Verdict"] == "not answered yet"
    assert "Necessary" not in feedback.loc["Pick items", "Why"], "an unanswered step gives nothing away"


def test_the_arrows_are_checked_against_the_key_too(stream):
    feedback = lesson.check_classes(stream, {("pack", "inspect"): ("nva", ["waiting"])}).set_index("Step or arrow")
    queue = feedback.loc["Pack parcel → Inspect parcel"]
    assert queue["Verdict"] == "not yet"
    assert queue["Why"].startswith("Missed: Inventory.")
    assert "parcels stacked in front of the half-time inspector" in queue["Why"]
    assert len(feedback) == len(stream.steps) + len(stream.handoffs)
    assert feedback.loc["Inspect parcel → Print label and hand over", "Verdict"] == "not answered yet"


@pytest.mark.parametrize(
    ("answer", "opening"),
    [
        ("", "*Not answered yet.* Divide each step's process time by its staff"),
        ("inspect", "**Right.** 7 min with half a person is 14 min a parcel"),
        ("Inspect parcel", "**Right.**"),
        ("pack", "**Not yet.** Pack parcel needs 6 minutes per item (process time / staff)."),
        ("<b>", "**Not yet.** There is no step &lt;b&gt;"),
    ],
)
def test_constraint_check(stream, answer, opening):
    assert lesson.check_constraint(stream, answer).data.startswith(opening)


def test_largest_wait_and_rework_checks(stream):
    assert lesson.check_largest_wait(stream, ("pack", "inspect")).data.startswith(
        "**Right.** Pack parcel → Inspect parcel holds 4 hours"
    )
    assert lesson.check_largest_wait(stream, ("pick", "pack")).data.startswith("**Not yet.**")
    assert lesson.check_largest_wait(stream, ("", "")).data.startswith("*Not answered yet.*")
    assert lesson.check_rework(stream, "Pack parcel").data.startswith("**Right.** 60 % complete and accurate")
    assert lesson.check_rework(stream, "inspect").data == (
        "**Not yet.** Inspect parcel is complete and accurate 100 % of the time. A map flows one way, so a rework "
        "loop shows as a low %C&amp;A: look for the step least often right first time."  # & escaped for Markdown
    )


def test_prediction_is_compared_with_the_future_map(stream):
    future = load_scenario(MAPS / "teaching.scenario.yaml").apply(stream)
    assert future.lead_time().to("minutes") == pytest.approx(299)
    assert lesson.check_prediction(stream, future, 300).data == (
        "You predicted 300 minutes. Lead time goes from 636 to 299 minutes. Your prediction is +0% off."
    )
    assert lesson.check_prediction(stream, future, None).data.startswith("*Not answered yet.*")


def test_solution_only_for_the_trainer(stream):
    assert lesson.solution(stream, reveal=False) == []
    table, notes = lesson.solution(stream, reveal=True)
    assert "Necessary, not value-adding" in table.data
    assert "Pack parcel → Inspect parcel" in table.data, "the key's arrows are in the solution"
    assert notes.data.startswith("**Bottleneck:** Inspect parcel.")


def test_step_table_gives_the_facts_without_the_answers(stream):
    table = lesson.step_table(stream).set_index("Step")
    assert table.loc["Inspect parcel (inspect)"].tolist() == ["Quality", "7 minutes", "0.5", "100 %", "4 hours"]
    assert "Value class" not in table.columns


def test_the_future_state_shows_only_once_predicted_or_for_the_trainer():
    from vsm_widgets.readout.workshop import Workshop

    workshop = Workshop.open(TEACHING, scenario_path=MAPS / "teaching.scenario.yaml", scenario_required=True)
    assert lesson.future_state(workshop, None, reveal=False) == []
    table, ladder = lesson.future_state(workshop, 400, reveal=False)
    assert "−5.6 hours (−53 %)" in table.data
    assert len(lesson.future_state(workshop, None, reveal=True)) == 2


def test_a_prediction_against_a_future_lead_time_of_zero_says_how_far_off_in_the_unit(stream):
    future = stream.replace(
        steps=[s.replace(process_time=ZERO, lead_time=None) for s in stream.steps],
        handoffs=[h.replace(wait=ZERO, inventory=None) for h in stream.handoffs],
    )
    assert future.lead_time() == ZERO
    assert lesson.check_prediction(stream, future, 30).data == (
        "You predicted 30 minutes. Lead time goes from 636 to 0 minutes. Your prediction is 30 minutes off."
    )
