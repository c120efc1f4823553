"""The data `load_yaml` builds as it walks is the data `yaml.safe_load` gives: the same values of the same types.

The walk builds plain documents itself and leaves aliases, merge keys and tags of a file's own to
PyYAML's constructor; either way a document it accepts must read exactly as ``yaml.safe_load`` reads it
with libyaml's parser, the parser the loader uses (it accepts a few texts PyYAML's own refuses, such as a
tab after a value).
"""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vsm_widgets.exceptions import VsmInputError
from vsm_widgets.io.yaml_document import load_yaml

SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
FUZZ = settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

# Spellings YAML 1.1 reads as something other than text, and a few it refuses.
TRICKY = [
    "1", "01", "-0", "+7", "0x1F", "0o17", "017", "0b101", "1_000", "1:30", "190:20:30", "1.5", "1e3", "6.8e+5",
    "1_0.5", ".inf", "-.Inf", ".NaN", "1:30.5", "true", "Yes", "off", "ON", "y", "n", "~", "null", "Null", "",
    "2027-01-01", "2027-02-30", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10", "2001-12-14 21:59:43 +1",
    "'quoted'", '"1"', "'2027-01-01'", "!!str 5", "!!int '7'", "!!float 3", "!!bool yes", "!!null ''", "!custom x",
    "=", "<<", "a b", "10 min", "95%", "9" * 5000, "[1, 2]", "{a: 1}", "[]", "{}", "&a 1", "*a", "!!binary aGk=",
]  # fmt: skip
KEYS = ["name", "steps", "On", "yes", "1", "01", "1.0", "=", "<<", "'<<'", "~", "2027-01-01", "[a]", "? x"]


@st.composite
def documents(draw: st.DrawFn) -> str:
    lines = []
    for _ in range(draw(st.integers(1, 8))):
        indent = "  " * draw(st.integers(0, 2))
        dash = draw(st.sampled_from(["", "- "]))
        key = draw(st.one_of(st.sampled_from(KEYS), st.text("ab:", max_size=3)))
        value = draw(st.one_of(st.sampled_from(TRICKY), st.text(max_size=4)))
        lines.append(f"{indent}{dash}{value}" if draw(st.booleans()) else f"{indent}{dash}{key}: {value}")
    return "\n".join(lines) + "\n"


def assert_same(ours: object, theirs: object) -> None:
    """Equal and of the same type all the way down, dict order included; NaN is NaN."""
    assert type(ours) is type(theirs), (ours, theirs)
    if isinstance(theirs, dict):
        assert len(ours) == len(theirs) and list(map(repr, ours)) == list(map(repr, theirs))
        for key in theirs:
            assert_same(ours[key], theirs[key])
    elif isinstance(theirs, list):
        assert len(ours) == len(theirs)
        for mine, yours in zip(ours, theirs, strict=True):
            assert_same(mine, yours)
    else:
        assert repr(ours) == repr(theirs)


def read_both(text: str) -> None:
    try:
        theirs = yaml.load(text, Loader=SAFE_LOADER)
    except (yaml.YAMLError, ValueError, RecursionError):
        with pytest.raises(VsmInputError):
            load_yaml(text)
        return
    except Exception as problem:  # such as KeyError for "!!bool maybe": PyYAML's own, as before
        with pytest.raises((VsmInputError, type(problem))):
            load_yaml(text)
        return
    try:
        ours = load_yaml(text).data
    except VsmInputError:
        return  # a key written twice, too many aliases or a type JSON cannot hold: refused on purpose
    assert_same(ours, theirs)


@FUZZ
@given(text=st.one_of(documents(), st.text(max_size=40)))
def test_any_document_reads_as_safe_load_reads_it(text):
    read_both(text)


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\nb: 0x1F\nc: 1:30\nd: .NaN\ne: Yes\nf: ~\ng: 2027-01-01\nh: 2001-12-14 21:59:43.10 -5\n",
        "1: a\n01: b\nOn: c\nyes: d\n",
        "base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n",
        "list: &l [1, 2]\nagain: *l\n",
        "'<<': 1\n=: 2\n",
        "a: !!str 5\nb: !!int '7'\nc: !!float 3\n",
        "- [1, [2, [3, {a: [4]}]]]\n",
        "5\n",
        "2027-01-01\n",
    ],
)
def test_each_kind_of_document_reads_as_safe_load_reads_it(text):
    read_both(text)


def test_a_document_with_an_alias_still_shares_the_anchor_value():
    data = load_yaml("list: &l [1, 2]\nagain: *l\n").data
    assert data == {"list": [1, 2], "again": [1, 2]} and data["list"] is data["again"]


def test_a_date_that_does_not_exist_is_refused_with_its_line_after_the_keys_are_checked():
    with pytest.raises(VsmInputError, match="line 2.*2027-02-30 is not a date that exists"):
        load_yaml("a: 1\nb: 2027-02-30\n")
    with pytest.raises(VsmInputError, match="key 'a' appears twice"):
        load_yaml("b: 2027-02-30\na: 1\na: 2\n")
    assert load_yaml("a: 2027-02-28\n").data == {"a": dt.date(2027, 2, 28)}
