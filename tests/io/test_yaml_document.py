"""The one YAML loader: lines of every key, duplicate keys refused in maps, scenarios and mappings alike."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc

import pytest

from vsm_widgets.exceptions import MapFileError, MappingError, ScenarioError, VsmInputError
from vsm_widgets.future.scenario import loads_scenario
from vsm_widgets.io.export_mapping import load_mapping
from vsm_widgets.io.map_file import loads_map
from vsm_widgets.io.yaml_document import MAX_ALIASES, document_of, load_yaml


def test_lines_of_keys_and_list_entries():
    doc = load_yaml("name: Demo\nsteps:\n  - id: a\n    process_time: 2\n  - id: b\n", "m.yaml")
    assert doc.data == {"name": "Demo", "steps": [{"id": "a", "process_time": 2}, {"id": "b"}]}
    assert doc.lines[("name",)] == 1
    assert doc.lines[("steps", 1)] == 5
    assert doc.line_of(("steps", 0, "process_time")) == 4
    assert doc.line_of(("steps", 1, "missing")) == 5  # the nearest entry that has a line
    assert doc.line_of(("nowhere",)) is None


def test_raw_keys_keep_words_yaml_reads_as_booleans():
    doc = load_yaml("statuses:\n  On: active\n  No: waiting\n")
    assert doc.data == {"statuses": {True: "active", False: "waiting"}}
    assert doc.raw_keys[("statuses",)] == ["On", "No"]


def test_empty_document():
    assert load_yaml("").data is None


@pytest.mark.parametrize(
    ("text", "line", "key"),
    [("a: 1\na: 2\n", 2, "a"), ("changes:\n  - by: 50%\n    kind: cut_wait\n    by: 10%\n", 4, "by")],
)
def test_a_key_written_twice_is_refused_with_its_line(text, line, key):
    with pytest.raises(VsmInputError) as caught:
        load_yaml(text, "f.yaml")
    assert (caught.value.line, caught.value.column) == (line, key)
    assert str(caught.value) == f"f.yaml, line {line}, column '{key}': key '{key}' appears twice. Keep one of them."


def test_the_same_key_in_two_mappings_is_fine():
    assert load_yaml("a: {x: 1}\nb: {x: 2}\n").data == {"a": {"x": 1}, "b": {"x": 2}}


def test_a_scenario_with_by_twice_is_refused():
    """It used to take the last value silently: 10 % instead of 50 %."""
    text = "name: s\nchanges:\n  - kind: cut_wait\n    handoff: [a, b]\n    by: 50%\n    by: 10%\n    waste: waiting\n"
    with pytest.raises(ScenarioError, match=r"line 6, column 'by': key 'by' appears twice"):
        loads_scenario(text)


def test_a_mapping_with_item_twice_is_refused(tmp_path):
    """It used to keep the last column silently."""
    path = tmp_path / "m.mapping.yaml"
    path.write_text("columns:\n  item: key\n  item: id\n")
    with pytest.raises(MappingError, match=r"line 3, column 'item': key 'item' appears twice"):
        load_mapping(path)


def test_a_map_with_a_key_twice_is_refused_in_yaml_and_json():
    with pytest.raises(MapFileError, match=r"line 4, column 'id': key 'id' appears twice"):
        loads_map("name: x\nsteps:\n  - id: a\n    id: b\n    process_time: 1\n")
    with pytest.raises(MapFileError, match=r"line 1, column 'name': key 'name' appears twice"):
        loads_map('{"name": "x", "name": "y", "steps": [{"id": "a", "process_time": 1}]}', fmt="json")


def test_syntax_errors_name_the_line_and_keep_the_readers_error_type():
    for error in (MapFileError, ScenarioError, MappingError):
        with pytest.raises(error) as caught:
            load_yaml("a: 1\nb: [1, 2\n", "f.yaml", error)
        assert caught.value.line == 3 and "not valid YAML" in caught.value.problem


def test_aliases_are_walked_once_and_refused_past_the_budget():
    laughs = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
    )
    # nine aliases a level over eight levels would be 9**9 nodes if expanded; the walk sees each node once
    with pytest.raises(VsmInputError, match=f"more than {MAX_ALIASES} aliases"):
        load_yaml(laughs, "laughs.yaml")
    assert load_yaml("base: &b {x: 1}\nother: *b\n").data == {"base": {"x": 1}, "other": {"x": 1}}


def test_deep_nesting_is_an_error_not_a_crash():
    with pytest.raises(VsmInputError, match="nested too deeply"):
        load_yaml("a: " + "[" * 5000 + "]" * 5000 + "\n", "deep.yaml")


def test_json_text_yaml_cannot_read_gives_data_without_lines():
    doc = document_of('{"a": "tab\there"}', {"a": "tab\there"}, "m.json")
    assert doc.data == {"a": "tab\there"} and doc.source == "m.json"


def test_a_value_repeated_quoted_and_plain_keeps_each_ones_type():
    # Tags of repeated scalars are remembered; a quoted "2" must stay text beside a plain 2.
    document = load_yaml('a: "2"\nb: 2\nc: "2"\nd: 2\ne: yes\nf: "yes"\ng: 2027-01-04\nh: "2027-01-04"\n')
    assert document.data == {
        "a": "2",
        "b": 2,
        "c": "2",
        "d": 2,
        "e": True,
        "f": "yes",
        "g": dt.date(2027, 1, 4),
        "h": "2027-01-04",
    }


@pytest.mark.parametrize("enabled", [True, False])
@pytest.mark.parametrize("text", ["a: 1\n", "a: 1\na: 2\n", "a: [1\n", "d: 2027-02-30\n"])
def test_the_garbage_collector_is_left_as_it_was_after_a_load(text, enabled):
    was_enabled = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        with contextlib.suppress(VsmInputError):
            load_yaml(text)
        with contextlib.suppress(VsmInputError):
            document_of(text, None)
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was_enabled else gc.disable)()
