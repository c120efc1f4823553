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
