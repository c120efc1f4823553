import json

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.map_strategies import streams
from tests.paths import BAD_MAPS, MAPS
from vsm_widgets.exceptions import MapFileError
from vsm_widgets.io import map_file
from vsm_widgets.io.map_file import dumps_map, load_map, loads_map, save_map
from vsm_widgets.model.stream import CUSTOMER, SUPPLIER, Step, ValueStream
from vsm_widgets.model.waste import VALUE_KEYS, WASTE_KEYS
from vsm_widgets.units import Duration

SAMPLES = ("four_functions", "software_delivery", "office", "manufacturing", "parallel", "teaching")
BAD = BAD_MAPS
EXPECTED = yaml.safe_load((BAD / "expected.yaml").read_text())

DESIGN_EXAMPLE = """
name: Quote to delivered solution
unit: days              # unit of bare numbers in this file
hours_per_day: 24
supplier: Customer request
customer: Customer
demand_per_day: 920
available_time_per_day: 55200 s
steps:
  - id: marketing
    name: Marketing
    owner: Head of Marketing
    process_time: 5
    lead_time: null
    pct_ca: 95%
    value: va
    wastes: [waiting]
    staff: 1
    colour: orange           # unknown to the model: kept
  - {id: sales, name: Sales, process_time: 8}
handoffs:
  - {from: supplier, to: marketing, wait: 0}
  - {from: marketing, to: sales, wait: 3, owner: null, sticky: yellow}
  - {from: sales, to: customer, wait: 5}
workshop: {date: 2026-03-02, room: B12}
"""


def test_reads_the_design_example():
    stream = loads_map(DESIGN_EXAMPLE)
    marketing = stream.step("marketing")
    assert marketing.process_time == Duration.of(5, "days")
    assert marketing.pct_ca == 0.95
    assert marketing.wastes == ("waiting",)
    assert stream.available_time_per_day == Duration(55200.0)
    assert stream.takt_time().seconds == 60  # 55,200 s / 920
    assert stream.lead_time().to("days") == 21  # 0 + 5 + 3 + 8 + 5
    # unknown keys survive on the map, a step and a handoff
    assert marketing.extra == {"colour": "orange"}
    assert stream.handoff("marketing", "sales").extra == {"sticky": "yellow"}
    assert stream.extra["workshop"]["room"] == "B12"


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_unknown_keys_survive_a_save(fmt):
    stream = loads_map(DESIGN_EXAMPLE)
    again = loads_map(dumps_map(stream, fmt), fmt)
    assert (again.steps, again.handoffs) == (stream.steps, stream.handoffs)
    assert again.step("marketing").extra == {"colour": "orange"}
    assert again.handoff("marketing", "sales").extra == {"sticky": "yellow"}
    # JSON has no dates: a YAML date comes back from JSON as its ISO text
    assert str(again.extra["workshop"]["date"]) == "2026-03-02"
    assert again.extra["workshop"]["room"] == "B12"


@pytest.mark.parametrize("name", SAMPLES)
@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_samples_round_trip(name, fmt):
    stream = load_map(MAPS / f"{name}.yaml")
    again = loads_map(dumps_map(stream, fmt), fmt)
    assert again == stream
    assert again.summary() == stream.summary()


def test_saving_keeps_the_spelling_of_quantities():
    stream = load_map(MAPS / "office.yaml")
    document = map_file.stream_to_dict(stream)
    register = document["steps"][0]
    assert (register["process_time"], register["lead_time"], register["pct_ca"]) == ("20 min", 0.5, "80%")
    # an edited value gets a new spelling: a short bare number in the map's unit
    edited = stream.with_step(stream.step("register").replace(process_time=Duration.of(2, "hours")))
    assert map_file.stream_to_dict(edited)["steps"][0]["process_time"] == 0.25  # 2 h of an 8-hour day


def test_quantities_without_a_spelling_prefer_bare_numbers_in_the_map_unit():
    steps = [
        Step("a", process_time=Duration.of(0.5, "days")),  # bare: 0.5
        Step("b", process_time=Duration(39.0)),  # 39 s is 0.000451... days: written "39 s"
        Step("c", process_time=Duration.of(20, "minutes"), pct_ca=0.07),
    ]
    document = map_file.stream_to_dict(ValueStream("Spelling", steps))
    assert [s["process_time"] for s in document["steps"]] == [0.5, "39 s", "20 min"]
    assert document["steps"][2]["pct_ca"] == "7%"


def test_a_map_without_handoffs_saves_them_explicitly():
    stream = loads_map("name: Plain\nunit: hours\nsteps:\n  - {id: a, process_time: 2}\n  - {id: b, process_time: 3}\n")
    assert [h.key for h in stream.handoffs] == [(SUPPLIER, "a"), ("a", "b"), ("b", CUSTOMER)]
    assert loads_map(dumps_map(stream)) == stream
    assert "- {from: a, to: b}" in dumps_map(stream)


def test_defaults_for_a_minimal_map():
    stream = loads_map("steps:\n  - {id: a, process_time: 1}\n", source="quick.yaml")
    assert (stream.name, stream.unit, stream.hours_per_day) == ("quick", "days", 24)


def test_save_map_writes_by_suffix_and_reads_back(tmp_path):
    stream = load_map(MAPS / "parallel.yaml")
    json_path = save_map(stream, tmp_path / "onboarding.json")
    assert json.loads(json_path.read_text())["unit"] == "days"
    assert load_map(json_path) == stream
    yaml_path = save_map(stream, tmp_path / "onboarding.yaml")
    assert yaml_path.read_text().startswith("# Value stream map")
    assert load_map(yaml_path) == stream
    assert sorted(p.name for p in tmp_path.iterdir()) == ["onboarding.json", "onboarding.yaml"]


def test_save_map_is_atomic(tmp_path, monkeypatch):
    target = tmp_path / "map.yaml"
    target.write_text("the old map\n")
    target.chmod(0o640)

    def crash(_fd):
        raise OSError("disk full")

    monkeypatch.setattr(map_file.os, "fsync", crash)
    with pytest.raises(OSError, match="disk full"):
        save_map(load_map(MAPS / "office.yaml"), target)
    assert target.read_text() == "the old map\n"  # the old file is whole
    assert [p.name for p in tmp_path.iterdir()] == ["map.yaml"]  # no temporary file left behind
    monkeypatch.undo()
    save_map(load_map(MAPS / "office.yaml"), target)
    assert load_map(target) == load_map(MAPS / "office.yaml")
    assert target.stat().st_mode & 0o777 == 0o640  # the replaced file's permissions are kept


def _expected(path) -> str:
    """The expected message; for JSON, with the line and wording of this Python's json module."""
    expected = EXPECTED[path.name]
    if "{json_message}" in expected:
        with pytest.raises(json.JSONDecodeError) as error:
            json.loads(path.read_text())
        expected = expected.format(json_line=error.value.lineno, json_message=error.value.msg)
    return expected


@pytest.mark.parametrize("name", sorted(EXPECTED), ids=str)
def test_broken_maps_name_file_line_and_key(name):
    path = BAD / name
    with pytest.raises(MapFileError) as caught:
        load_map(path)
    message = str(caught.value)
    assert message.startswith(str(path))
    assert message[len(str(path)) :].lstrip(",: ") == _expected(path)


def test_every_broken_map_has_an_expected_message():
    files = {p.name for p in BAD.iterdir() if p.name != "expected.yaml"}
    assert files == set(EXPECTED)


def test_teaching_answer_key_matches_the_map():
    stream = load_map(MAPS / "teaching.yaml")
    key = stream.extra["answer_key"]
    assert set(key["steps"]) == set(stream.step_ids)
    for answer in key["steps"].values():
        assert answer["value"] in VALUE_KEYS
        assert set(answer["wastes"]) <= set(WASTE_KEYS)
    assert key["bottleneck"] == stream.constraint().id
    assert tuple(key["largest_wait"]) == stream.largest_wait()[:2]
    assert key["rework"] == min(stream.steps, key=lambda s: s.pct_ca).id
    # the learners tag the steps: the map itself carries no wastes
    assert all(not s.wastes for s in stream.steps)
    assert loads_map(dumps_map(stream)).extra["answer_key"] == key


# ----- hypothesis: round trips of random valid maps --------------------------------------------


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stream=st.one_of(streams(branching=False), streams(branching=True)), fmt=st.sampled_from(["yaml", "json"]))
def test_round_trip_of_random_maps(stream, fmt):
    again = loads_map(dumps_map(stream, fmt), fmt)
    assert again == stream
    assert again.extra == stream.extra
    assert [s.extra for s in again.steps] == [s.extra for s in stream.steps]
    assert [h.extra for h in again.handoffs] == [h.extra for h in stream.handoffs]


def test_a_day_too_long_points_at_hours_per_day():
    with pytest.raises(MapFileError) as caught:
        loads_map("unit: days\nhours_per_day: 30\nsteps:\n  - {id: a, process_time: 1}\n", source="long.yaml")
    where = "long.yaml, line 2, column 'hours_per_day': "
    assert str(caught.value) == where + (
        "hours_per_day must be within (0, 24], got 30; write 24 for calendar time or 8 for working days."
    )


def test_a_json_map_with_a_byte_order_mark_reads_as_yaml_does(tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes(b'\xef\xbb\xbf{"name": "x", "steps": [{"id": "a", "process_time": 1}]}')
    assert load_map(path).step_ids == ("a",)
