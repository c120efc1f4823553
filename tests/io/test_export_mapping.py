from pathlib import Path

import pandas as pd
import pytest

from tests.paths import EXPORTS
from vsm_widgets.exceptions import MappingError
from vsm_widgets.io.export_mapping import Mapping, load_mapping
from vsm_widgets.io.exports import read_export
from vsm_widgets.io.mapping_keys import StatusRule

FULL = """\
shape: status_history
columns: {item: Issue key, status: Status, timestamp: Changed, type: Issue Type, created: Created}
timestamp_format: "%d/%b/%y %I:%M %p"
timezone: Europe/Berlin
statuses:
  To Do: {kind: waiting}
  In Progress: {step: Development, kind: active}
  Code Review: {step: Development, kind: active}
  Ready for QA: {kind: waiting}
  In QA: {step: QA, kind: active}
  Blocked: {kind: waiting}
done: [Done, Closed]
start_point: first_active
backward_moves: last
as_of: 2026-06-30T00:00:00Z
"""


def write(tmp_path: Path, text: str, name: str = "m.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_documented_format_loads_every_key(tmp_path):
    mapping = load_mapping(write(tmp_path, FULL))
    assert mapping.shape == "status_history"
    assert mapping.columns["item"] == "Issue key"
    assert mapping.timestamp_format == "%d/%b/%y %I:%M %p"
    assert mapping.timezone == "Europe/Berlin"
    assert mapping.statuses["To Do"] == StatusRule("To Do", "waiting")  # step defaults to the status name
    assert mapping.statuses["Code Review"] == StatusRule("Development", "active")
    assert mapping.done == ("Done", "Closed")
    assert mapping.backward_moves == "last"
    assert mapping.as_of == pd.Timestamp("2026-06-30T00:00:00Z")
    # flow order = order of the active steps as the statuses list them, each once
    assert mapping.active_steps == ("Development", "QA")
    assert mapping.source == str(tmp_path / "m.yaml")


def test_none_gives_an_empty_mapping_and_a_mapping_passes_through():
    assert load_mapping(None) == Mapping()
    ready = Mapping(timezone="Europe/Berlin")
    assert load_mapping(ready) is ready


def test_yaml_syntax_error_names_the_line(tmp_path):
    path = write(tmp_path, "statuses:\n  To Do: {kind: waiting\n  Doing: x\n")
    with pytest.raises(MappingError, match=r"m\.yaml, line \d+: not valid YAML"):
        load_mapping(path)


def test_missing_mapping_file_is_a_mapping_error(tmp_path):
    with pytest.raises(MappingError, match="the mapping file does not exist. Check the path"):
        load_mapping(tmp_path / "nowhere.yaml")


def test_a_folder_given_as_mapping_names_the_folder(tmp_path):
    with pytest.raises(MappingError) as caught:
        load_mapping(tmp_path)
    assert str(caught.value).startswith(f"{tmp_path}: the mapping path is not a file. Check the path")


def test_a_mapping_that_is_a_list_is_refused(tmp_path):
    with pytest.raises(MappingError, match="line 1: the mapping must be a set of keys"):
        load_mapping(write(tmp_path, "- a\n- b\n"))


def test_a_column_not_in_the_export_names_the_mapping_line_and_the_columns_found(tmp_path):
    path = write(tmp_path, "columns:\n  item: Ticket\n  step: activity\n")
    with pytest.raises(MappingError) as caught:
        read_export(EXPORTS / "onboarding_intervals.csv", path)
    message = str(caught.value)
    assert f"{path}, line 2: key 'columns.item': column 'Ticket' is not in onboarding_intervals.csv" in message
    assert "Its columns are: case, activity, start, end, resource, team" in message


def test_intervals_mapping_renames_steps_and_marks_waiting(tmp_path):
    mapping = {
        "statuses": {"Paperwork": "Admin", "Equipment": {"kind": "waiting"}, "Training": "Training"},
        "end_steps": ["Training"],
    }
    log = read_export(EXPORTS / "onboarding_intervals.csv", mapping)
    kinds = dict(zip(log.visits["step"], log.visits["kind"], strict=True))
    assert kinds == {"Admin": "active", "Equipment": "waiting", "Training": "active"}
    assert log.steps == ("Admin", "Training")
    # end_steps: C1 completed Training at 2026-01-07 17:00, C2 never reached it.
    done = log.items.set_index("item")["done"]
    assert done["C1"] == pd.Timestamp("2026-01-07 17:00", tz="UTC")
    assert pd.isna(done["C2"])
