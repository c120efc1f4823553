"""Saving over a YAML map keeps the file: comments, order, layout and each value's own unit."""

from __future__ import annotations

import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.map_strategies import streams
from tests.paths import MAPS
from vsm_widgets.io.map_file import dumps_map, load_map, loads_map, save_map
from vsm_widgets.io.map_roundtrip import dumps_map_keeping
from vsm_widgets.model.stream import Handoff, Step
from vsm_widgets.units import Duration

SAMPLE_MAPS = sorted(p.name for p in MAPS.glob("*.yaml") if not p.name.endswith(".scenario.yaml"))


@pytest.fixture
def software_file(tmp_path):
    return shutil.copy(MAPS / "software_delivery.yaml", tmp_path / "software_delivery.yaml")


@pytest.mark.parametrize("name", SAMPLE_MAPS)
def test_saving_an_unchanged_map_leaves_its_file_as_it_was(name, tmp_path):
    path = shutil.copy(MAPS / name, tmp_path / name)
    before = open(path, encoding="utf-8").read()
    save_map(load_map(path), path)
    assert open(path, encoding="utf-8").read() == before


def test_an_edited_wait_keeps_its_unit_and_its_comment(software_file):
    stream = load_map(software_file)
    board = stream.handoff("build", "release")
    save_map(stream.with_handoff(board.replace(wait=Duration.of(48, "hours"))), software_file)
    text = open(software_file, encoding="utf-8").read()
    assert "{from: build, to: release, wait: 2 d, owner: Change advisory board}   # weekly approval board" in text
    assert "wait: 48" not in text
    assert text.startswith("# A software change from request to production")
    assert "pct_ca: 80%            # one story in five comes back" in text
    assert load_map(software_file).handoff("build", "release").wait == Duration.of(2, "days")


def test_a_wait_its_unit_cannot_say_exactly_is_written_as_the_map_file_would(software_file):
    stream = load_map(software_file)
    board = stream.handoff("build", "release")
    save_map(stream.with_handoff(board.replace(wait=Duration.of(50, "hours"))), software_file)
    assert "{from: build, to: release, wait: 50, owner: Change advisory board}" in open(software_file).read()


def test_comments_travel_with_their_step_and_arrow_when_steps_move_and_are_inserted(software_file):
    stream = load_map(software_file)
    inserted = stream.add_step(Step("security", "Security review", value="unclassified"), after="analysis")
    moved = inserted.move_step("release", -1)
    save_map(moved, software_file)
    text = open(software_file, encoding="utf-8").read()
    lines = text.splitlines()
    order = [line.split(": ")[1] for line in lines if line.startswith("  - id: ")]
    assert order == ["analysis", "security", "release", "build"]
    assert "value: nnva            # required by the current tooling" in text, "a step's comment moves with it"
    arrows = {line.split("}")[0] + "}": line.split("#")[-1].strip() for line in lines if "{from:" in line}
    assert arrows["  - {from: security, to: release, wait: 7 d, owner: Change advisory board}"] == (
        "weekly approval board"
    ), "the queue in front of a step keeps its reason"
    assert arrows["  - {from: release, to: build, wait: 6 d}"] == "ready for development, waits for a sprint"
    assert load_map(software_file) == moved


def test_removed_steps_and_keys_go_and_new_keys_follow_their_neighbours(software_file):
    stream = load_map(software_file)
    edited = stream.remove_step("release").replace(demand_per_day=4)
    edited = edited.with_step(edited.step("build").replace(wastes=(), owner=None))
    save_map(edited, software_file)
    text = open(software_file, encoding="utf-8").read()
    assert "release" not in text.split("steps:")[1].split("handoffs:")[0]
    assert "customer: Users\ndemand_per_day: 4\nsteps:" in text
    build = text.split("- id: build")[1].split("- id:")[0]
    assert "owner" not in build.split("handoffs:")[0] and "wastes" not in build
    assert load_map(software_file) == edited


def test_a_file_that_is_no_map_is_written_afresh(tmp_path):
    target = tmp_path / "map.yaml"
    target.write_text("the old map\n")
    stream = load_map(MAPS / "office.yaml")
    assert dumps_map_keeping(stream, "the old map\n") is None
    save_map(stream, target)
    assert target.read_text() == dumps_map(stream)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    before=st.one_of(streams(branching=False), streams(branching=True)),
    after=st.one_of(streams(branching=False), streams(branching=True)),
)
def test_whatever_is_saved_over_a_map_reads_back_as_the_map_saved(before, after):
    text = dumps_map_keeping(after, dumps_map(before))
    assert text is None or loads_map(text) == after, "a merged file that would not read back is never written"


def test_an_arrow_added_for_a_branch_is_written_on_one_line(software_file):
    stream = load_map(software_file)
    branched = stream.add_step(
        Step("docs", "Documentation", process_time=Duration.of(4, "hours")),
        after="build",
        handoffs=[Handoff("build", "docs"), Handoff("docs", "customer", Duration.of(1, "days"))],
    )
    save_map(branched, software_file)
    text = open(software_file, encoding="utf-8").read()
    assert "  - {from: docs, to: customer, wait: 24}\n" in text
    assert load_map(software_file) == branched
