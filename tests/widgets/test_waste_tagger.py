"""WasteTagger: a learner tags the teaching map; check() explains each difference from the answer key."""

from __future__ import annotations

import pytest

from vsm_widgets.exceptions import VsmInputError
from vsm_widgets.model.waste import VALUE_CLASSES, WASTES
from vsm_widgets.widgets import WasteTagger


def answer_everything_right(tagger: WasteTagger, teaching) -> None:
    key = teaching.extra["answer_key"]
    answers = {**key["steps"], **{(arrow["from"], arrow["to"]): arrow for arrow in key["handoffs"]}}
    for element, expected in answers.items():
        tagger.answers[element].value.value = expected["value"]
        tagger.answers[element].wastes.value = [WASTES[w].label for w in expected["wastes"]]
    if tagger.bottleneck is not None:
        tagger.bottleneck.value = key["bottleneck"]


def test_the_learner_starts_blank_on_every_step_and_arrow(teaching):
    tagger = WasteTagger(teaching)
    assert set(tagger.answers) == {*teaching.step_ids, *(h.key for h in teaching.handoffs)}
    assert all(answer.value.value == "" and answer.wastes.value == [] for answer in tagger.answers.values())
    assert tagger.answers[("pack", "inspect")].name == "Pack parcel → Inspect parcel"


def test_right_answers_have_no_differences(teaching):
    tagger = WasteTagger(teaching)
    answer_everything_right(tagger, teaching)
    tagger.check_button.click()
    assert tagger.differences == []
    assert "All 14 answers match the key" in tagger.feedback.value


def test_a_wrong_value_class_is_explained_with_the_class_and_the_keys_reason(teaching):
    tagger = WasteTagger(teaching)
    answer_everything_right(tagger, teaching)
    tagger.answers["inspect"].value.value = "va"
    (difference,) = tagger.check()
    assert difference.element == "inspect" and difference.topic == "value"
    assert difference.given == "Value-adding" and difference.expected == "Necessary, not value-adding"
    assert VALUE_CLASSES["nnva"].description in difference.explanation
    assert "Inspection only exists because packing is unreliable" in difference.explanation
    assert "13 of 14 answers match the key" in tagger.feedback.value


def test_an_arrow_is_checked_like_a_step(teaching):
    tagger = WasteTagger(teaching)
    answer_everything_right(tagger, teaching)
    tagger.answers[("pack", "inspect")].wastes.value = ["Waiting"]
    (difference,) = tagger.check()
    assert (difference.element, difference.topic, difference.expected) == (
        ("pack", "inspect"),
        "missed waste",
        "Inventory",
    )
    assert difference.name == "Pack parcel → Inspect parcel"
    assert WASTES["inventory"].description in difference.explanation


def test_missed_and_extra_wastes_are_explained_with_their_descriptions(teaching):
    tagger = WasteTagger(teaching)
    answer_everything_right(tagger, teaching)
    tagger.answers["enter_order"].wastes.value = ["Transportation", "Motion"]
    differences = tagger.check()
    assert [(d.element, d.topic, d.given, d.expected) for d in differences] == [
        ("enter_order", "missed waste", "", "Extra processing"),
        ("enter_order", "extra waste", "Motion", ""),
    ]
    assert WASTES["extra_processing"].description in differences[0].explanation
    assert WASTES["motion"].description in differences[1].explanation
    assert "re-keying it adds nothing the customer sees" in differences[0].explanation


def test_the_bottleneck_question(teaching):
    tagger = WasteTagger(teaching)
    answer_everything_right(tagger, teaching)
    tagger.bottleneck.value = "pack"
    (difference,) = tagger.check()
    assert difference.topic == "bottleneck"
    assert (difference.given, difference.expected) == ("Pack parcel", "Inspect parcel")
    assert "14 min a parcel, slower than the 12-minute takt" in difference.explanation


def test_an_untouched_map_gives_no_answer_away(teaching):
    tagger = WasteTagger(teaching)
    differences = tagger.check()
    assert [d.element for d in differences] == [*teaching.step_ids, *(h.key for h in teaching.handoffs), "bottleneck"]
    assert {d.topic for d in differences} == {"not answered"}
    assert all(d.expected == "" and d.explanation == "Not answered yet." for d in differences)
    assert "0 of 14 answers match the key" in tagger.feedback.value
    assert "Inspect parcel</b> (not answered)" in tagger.feedback.value
    assert "Necessary" not in tagger.feedback.value and "The bottleneck is" not in tagger.feedback.value


def test_a_lesson_that_asks_for_the_bottleneck_later_leaves_it_out(teaching):
    tagger = WasteTagger(teaching, ask_bottleneck=False)
    assert tagger.bottleneck is None
    answer_everything_right(tagger, teaching)
    assert tagger.check() == []
    assert "All 13 answers match the key" in tagger.feedback.value


def test_a_missed_waste_is_explained_with_this_maps_reason_not_another_industrys_example(teaching):
    tagger = WasteTagger(teaching, ask_bottleneck=False)
    answer_everything_right(tagger, teaching)
    for handoff in teaching.handoffs:
        tagger.answers[handoff.key].wastes.value = []
    tagger.check()
    assert "weekly approval board" not in tagger.feedback.value, "a software example in a warehouse lesson"
    assert "In this map: " in tagger.feedback.value


def test_arrows_are_checked_when_the_key_lists_them(software):
    key = {
        "steps": {"build": {"value": "va", "wastes": ["defects"]}},
        "handoffs": [
            {"from": "build", "to": "release", "value": "nva", "wastes": ["waiting"], "why": "A weekly board."}
        ],
    }
    tagger = WasteTagger(software, answer_key=key)
    assert tagger.answers["build"].wastes.value == [], "the map's own tags are not given away"
    assert tagger.bottleneck is None
    tagger.answers["build"].value.value = "va"
    tagger.answers["build"].wastes.value = ["Defects"]
    tagger.answers[("build", "release")].value.value = "nva"
    tagger.answers[("build", "release")].wastes.value = ["Inventory"]
    differences = tagger.check()
    assert [(d.element, d.topic) for d in differences] == [
        (("build", "release"), "missed waste"),
        (("build", "release"), "extra waste"),
    ]
    assert differences[0].name == "Development and testing → Release"
    assert "A weekly board." in differences[0].explanation


def test_a_map_without_a_key_or_with_a_key_that_does_not_fit_is_refused(software):
    with pytest.raises(VsmInputError, match="has no answer_key"):
        WasteTagger(software)
    with pytest.raises(VsmInputError, match="step 'approval'"):
        WasteTagger(software, answer_key={"steps": {"approval": {"value": "nva"}}})
    with pytest.raises(VsmInputError, match="unknown waste 'laziness'"):
        WasteTagger(software, answer_key={"steps": {"build": {"wastes": ["laziness"]}}})


def test_feedback_is_text_not_markup(teaching):
    named = teaching.with_step(teaching.step("pack").replace(name="<b>Pack</b>"))
    tagger = WasteTagger(named)
    tagger.check()
    assert "<b>Pack</b>" not in tagger.feedback.value
    assert "&lt;b&gt;Pack&lt;/b&gt;" in tagger.feedback.value
