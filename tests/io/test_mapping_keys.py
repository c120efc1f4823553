from pathlib import Path

import pytest

from vsm_widgets.exceptions import MappingError
from vsm_widgets.io.export_mapping import load_mapping
from vsm_widgets.io.mapping_keys import StatusRule


def write(tmp_path: Path, text: str, name: str = "m.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_short_form_is_an_active_step_and_defaults_apply():
    mapping = load_mapping({"statuses": {"In Progress": "Development", "Review": "Development", "Test": "QA"}})
    assert mapping.statuses["In Progress"] == StatusRule("Development", "active")
    assert mapping.active_steps == ("Development", "QA")
    assert (mapping.start_point, mapping.backward_moves, mapping.timezone) == ("first_active", "keep", "UTC")


def test_status_names_yaml_reads_as_booleans_keep_their_text(tmp_path):
    mapping = load_mapping(write(tmp_path, "statuses:\n  On: {kind: waiting}\n  No: Development\n"))
    assert list(mapping.statuses) == ["On", "No"]


@pytest.mark.parametrize(
    ("text", "line", "pieces"),
    [
        ("shape: intervals\ncolour: red\n", 2, ["key 'colour'", "is not a mapping key", "Use one of"]),
        ("statuses:\n  To Do: {kind: waiting}\n  Doing: {kind: busy}\n", 3, ["statuses.Doing", "kind 'busy'"]),
        ("statuses:\n  Done: Development\ndone: [Done]\n", 2, ["'Done' is both done and mapped", "remove it"]),
        ("timezone: Mars/Olympus\n", 1, ["'Mars/Olympus' is not a time zone", "IANA"]),
        ("backward_moves: sometimes\n", 1, ["'sometimes' is not understood", "keep, first, last"]),
        ("start_point: whenever\n", 1, ["first_active, first_status, created"]),
        ("columns: {item: Key, colour: Colour}\n", 1, ["columns.colour", "is not a canonical column"]),
        ("statuses:\n  Doing: {kind: done}\n", 2, ["List done statuses under 'done:'"]),
        ("as_of: soon\n", 1, ["'soon' is not a timestamp"]),
        ("statuses:\n  A: {step: S, kind: active}\n  B: {step: S, kind: waiting}\n", 3, ["both active and waiting"]),
    ],
)
def test_invalid_mappings_name_the_file_line_key_and_what_to_do(tmp_path, text, line, pieces):
    path = write(tmp_path, text)
    with pytest.raises(MappingError) as caught:
        load_mapping(path)
    message = str(caught.value)
    assert message.startswith(f"{path}, line {line}: ")
    for piece in pieces:
        assert piece in message


def test_backward_moves_on_an_interval_mapping_is_refused():
    with pytest.raises(MappingError, match="backward-move policies apply to status histories only"):
        load_mapping({"shape": "intervals", "backward_moves": "first"})
