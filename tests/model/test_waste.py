import pytest

from vsm_widgets.model.waste import (
    VALUE_CLASSES,
    VALUE_KEYS,
    WASTE_KEYS,
    WASTES,
    normalise_value,
    normalise_waste,
    value_class,
    waste,
)


def test_the_eight_wastes_in_teaching_order():
    # DOMAIN section 2: defects, overproduction, waiting, non-utilised talent, transportation,
    # inventory, motion, extra processing (the "DOWNTIME" order).
    assert WASTE_KEYS == (
        "defects",
        "overproduction",
        "waiting",
        "non_utilised_talent",
        "transportation",
        "inventory",
        "motion",
        "extra_processing",
    )


@pytest.mark.parametrize("key", WASTE_KEYS)
def test_every_waste_has_words_for_people(key):
    entry = WASTES[key]
    assert entry.key == key
    assert entry.label and entry.label[0].isupper()
    assert entry.description.endswith(".")
    assert len(entry.examples) >= 2


def test_value_classes():
    assert VALUE_KEYS == ("va", "nnva", "nva")
    assert value_class("nnva").label == "Necessary, not value-adding"
    assert all(VALUE_CLASSES[k].description and VALUE_CLASSES[k].examples for k in VALUE_KEYS)


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("waiting", "waiting"),
        ("Extra processing", "extra_processing"),
        ("over-processing", "extra_processing"),
        ("Non-utilized talent", "non_utilised_talent"),
        ("transport", "transportation"),
        ("  WIP ", "inventory"),
        ("context switching", "motion"),
    ],
)
def test_normalise_waste_accepts_what_people_type(typed, key):
    assert normalise_waste(typed) == key


def test_unknown_waste_lists_the_eight():
    with pytest.raises(ValueError, match="unknown waste 'bureaucracy'; use one of defects, overproduction"):
        normalise_waste("bureaucracy")


@pytest.mark.parametrize(("typed", "key"), [("VA", "va"), ("nnva", "nnva"), ("Value-adding", "va"), ("waste", "nva")])
def test_normalise_value(typed, key):
    assert normalise_value(typed) == key


def test_unknown_value_class():
    with pytest.raises(ValueError, match="unknown value class 'maybe'"):
        normalise_value("maybe")


def test_lookup_by_alias_gives_the_entry():
    assert waste("handoffs").label == "Transportation"
    assert value_class("Waste") is VALUE_CLASSES["nva"]


def test_a_step_may_be_left_unclassified_and_adds_no_value_to_pce():
    from vsm_widgets.model.stream import Step, ValueStream
    from vsm_widgets.model.waste import normalise_step_value
    from vsm_widgets.units import Duration

    assert normalise_step_value("Not yet classified") == "unclassified"
    assert normalise_step_value("VA") == "va"
    with pytest.raises(ValueError, match="unknown value class 'unclassified'"):
        normalise_value("unclassified")  # an answer key must name a real class
    days = lambda n: Duration.of(n, "days")  # noqa: E731
    stream = ValueStream(
        "Two", [Step("a", process_time=days(2)), Step("b", process_time=days(2), value="unclassified")]
    )
    assert stream.activity_ratio() == pytest.approx(1.0)
    assert stream.pce() == pytest.approx(0.5)
