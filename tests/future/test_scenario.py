"""Scenario files: reading, refusing, saving, the plan, and applying every change kind to maps by hand.

The four-function map (data/samples/maps/four_functions.yaml): supplier -0-> Marketing 5 -3-> Sales 8
-5-> Ops 12 -7-> Delivery 4 -0-> customer, in days: lead time 44 days, 15 of them on the arrows.
"""

import datetime as dt

import pytest
import yaml

from tests.paths import BAD_SCENARIOS, MAPS, SAMPLES
from vsm_widgets.exceptions import ScenarioError
from vsm_widgets.future.change import Change
from vsm_widgets.future.scenario import load_scenario, loads_scenario, save_scenario
from vsm_widgets.io.map_file import load_map
from vsm_widgets.model.stream import Handoff, Step, ValueStream
from vsm_widgets.units import Duration

BAD = BAD_SCENARIOS
EXPECTED = yaml.safe_load((BAD / "expected.yaml").read_text())

DESIGN_EXAMPLE = """
name: Future state, next two quarters
changes:
  - kind: cut_wait           # remove_step | merge_steps | parallel | cut_wait | set_wait |
    handoff: [sales, ops]    #   set_process_time | set_pct_ca | set_batch_size | cap_wip
    by: 50%                  # cut_wait: `by` a share, or `to` a duration
    waste: waiting           # required: one of the eight wastes
    owner: Head of Ops
    due: 2027-03-31
    why: A daily sync replaces the weekly handoff meeting
  - {kind: remove_step, step: approval, waste: extra_processing, owner: CFO, due: 2027-01-31}
"""


def four():
    return load_map(MAPS / "four_functions.yaml")


def days(n):
    return Duration.of(n, "days")


def apply(stream, change):
    return loads_scenario(f"changes:\n  - {{{change}, waste: waiting}}\n").apply(stream)


def lead(stream):
    return stream.lead_time().to(stream.unit, stream.hours_per_day)


def test_the_design_example_reads_with_owner_due_date_and_why():
    scenario = loads_scenario(DESIGN_EXAMPLE)
    cut, remove = scenario.changes
    assert scenario.name == "Future state, next two quarters"
    assert cut == Change(
        "cut_wait",
        "waiting",
        handoff=("sales", "ops"),
        by=0.5,
        owner="Head of Ops",
        due=dt.date(2027, 3, 31),
        why="A daily sync replaces the weekly handoff meeting",
    )
    assert (remove.kind, remove.step, remove.waste, remove.owner) == (
        "remove_step",
        "approval",
        "extra_processing",
        "CFO",
    )
    assert (cut.line, remove.line) == (4, 11)


def test_the_plan_lists_each_change_with_its_review_dates():
    plan = loads_scenario(DESIGN_EXAMPLE).plan("2027-01-01")
    assert list(plan["what"]) == ["Cut the wait between sales and ops by 50%", "Remove step approval"]
    assert list(plan["waste"]) == ["Waiting", "Extra processing"]
    assert list(plan["owner"]) == ["Head of Ops", "CFO"]
    assert list(plan["due"]) == [dt.date(2027, 3, 31), dt.date(2027, 1, 31)]
    # 2027-01-01 + 30 days = Jan 31; + 60 = Mar 2 (Jan has 31 days, Feb 28); + 90 = Apr 1.
    first = plan.iloc[0]
    assert (first["review_30"], first["review_60"], first["review_90"]) == (
        dt.date(2027, 1, 31),
        dt.date(2027, 3, 2),
        dt.date(2027, 4, 1),
    )
    assert plan.iloc[1]["why"] == ""


def test_a_change_without_an_owner_shows_none_in_the_plan():
    plan = loads_scenario("changes: [{kind: remove_step, step: a, waste: waiting}]").plan(dt.date(2027, 1, 1))
    assert plan.iloc[0]["owner"] is None


def test_save_and_load_give_the_same_scenario(tmp_path):
    scenario = loads_scenario(DESIGN_EXAMPLE + "horizon: two quarters\n")
    path = tmp_path / "future.scenario.yaml"
    path.write_text("old content")
    save_scenario(scenario, path)
    again = load_scenario(path)
    assert again == scenario
    assert again.extra == {"horizon": "two quarters"}
    assert "handoff: [sales, ops]" in path.read_text()
    assert [p.name for p in tmp_path.iterdir()] == ["future.scenario.yaml"]


def test_saving_over_a_file_replaces_it_whole(tmp_path, monkeypatch):
    path = tmp_path / "s.yaml"
    path.write_text("name: old\n")

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("os.replace", crash)
    with pytest.raises(OSError):
        save_scenario(loads_scenario(DESIGN_EXAMPLE), path)
    assert path.read_text() == "name: old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["s.yaml"]


def test_an_empty_scenario_changes_nothing():
    for name in ("four_functions", "manufacturing", "parallel", "office"):
        stream = load_map(MAPS / f"{name}.yaml")
        for text in ("", "name: nothing\n", "changes: []\n"):
            future = loads_scenario(text).apply(stream)
            assert future == stream and future.summary() == stream.summary()


def test_cut_wait_by_a_share():
    assert lead(apply(four(), "kind: cut_wait, handoff: [sales, ops], by: 50%")) == 41.5  # 44 - 5 / 2


def test_cut_wait_to_a_duration_never_lengthens():
    assert lead(apply(four(), "kind: cut_wait, handoff: [ops, delivery], to: 2 days")) == 39  # 44 - (7 - 2)
    assert apply(four(), "kind: cut_wait, handoff: [ops, delivery], to: 10 days") == four()


def test_set_wait():
    future = apply(four(), "kind: set_wait, handoff: [Marketing, Sales], to: 10 days")
    assert lead(future) == 51  # 44 + (10 - 3)


def test_remove_step_drops_its_queue_and_keeps_the_one_after():
    future = apply(four(), "kind: remove_step, step: sales")
    # Sales (8) and the 3-day queue into it go; Marketing now hands to Ops with Sales' 5-day wait.
    assert lead(future) == 33
    assert future.handoff("marketing", "ops").wait == days(5)


def test_merge_steps_adds_their_work_and_drops_the_wait_between():
    future = apply(four(), "kind: merge_steps, steps: [sales, ops], name: Sales and Ops")
    merged = future.step("sales")
    assert merged.name == "Sales and Ops" and merged.process_time == days(20)
    assert lead(future) == 39  # 44 - the 5-day wait
    assert [h.key for h in future.handoffs][1:3] == [("marketing", "sales"), ("sales", "delivery")]


def test_merge_steps_multiplies_pct_ca_and_sums_block_lead_times():
    office = load_map(MAPS / "office.yaml")
    future = apply(office, "kind: merge_steps, steps: [assess, approve]")
    merged = future.step("assess")
    assert merged.pct_ca == pytest.approx(0.65 * 0.95)
    assert merged.lead_time == Duration.of(5, "days", 8)  # 3 + 2 working days
    assert merged.name == "Assess damage + Approve payout"
    assert lead(future) == 10  # 11 - the 1-day wait between them


def test_parallel_lets_the_second_step_start_with_the_first():
    future = apply(four(), "kind: parallel, steps: [ops, delivery]")
    # Via Ops: 0 + 5 + 3 + 8 + 5 + 12 + 0 = 33; via Delivery: 0 + 5 + 3 + 8 + 5 + 4 + 0 = 25.
    assert lead(future) == 33
    assert future.handoff("sales", "delivery").wait == days(5)
    assert future.critical_path() == ("marketing", "sales", "ops")


def test_set_process_time_keeps_the_waiting_inside_a_block():
    office = load_map(MAPS / "office.yaml")
    future = apply(office, "kind: set_process_time, step: assess, to: 1 h")
    # Assess: 2 h of work in a 3-day block; 1 h of work leaves 3 days - 1 h.
    assert future.step("assess").lead_time == Duration.of(3, "days", 8) - Duration.of(1, "hours")
    assert lead(apply(four(), "kind: set_process_time, step: ops, to: 6 days")) == 38


def test_set_pct_ca_changes_the_rolled_pct_ca():
    software = load_map(MAPS / "software_delivery.yaml")
    future = apply(software, "kind: set_pct_ca, step: analysis, to: 100%")
    assert future.rolled_pct_ca() == pytest.approx(0.9 * 0.95)  # was 0.8 * 0.9 * 0.95


def small_factory(batch_size=11):
    return ValueStream(
        "factory",
        [Step("cut", process_time=days(0.5)), Step("weld", process_time=days(0.5), batch_size=batch_size)],
        [Handoff("supplier", "cut"), Handoff("cut", "weld", days(1)), Handoff("weld", "customer")],
        demand_per_day=10,
    )


def test_set_batch_size_changes_the_wait_for_a_batch_to_fill():
    future = apply(small_factory(11), "kind: set_batch_size, step: weld, to: 1")
    # (1 - 11) / 2 = -5 pieces at 10 a day: the 1-day queue into weld loses half a day.
    assert future.handoff("cut", "weld").wait == days(0.5)
    assert future.step("weld").batch_size == 1
    assert lead(future) == 1.5


def test_set_batch_size_with_inventory_moves_pieces():
    manufacturing = load_map(MAPS / "manufacturing.yaml")
    future = apply(manufacturing, "kind: set_batch_size, step: shipping, to: 20")
    # 1 -> 20 adds 9.5 pieces to the 4,140 waiting for shipping.
    assert future.handoff("assembly_2", "shipping").inventory == 4149.5


def test_cap_wip_shrinks_the_queues_to_littles_law():
    stream = ValueStream(
        "two steps",
        [Step("a", process_time=days(2)), Step("b", process_time=days(2))],
        [Handoff("supplier", "a"), Handoff("a", "b", days(6)), Handoff("b", "customer")],
        demand_per_day=1,
    )
    future = apply(stream, "kind: cap_wip, limit: 7")
    # 7 items at 1 a day allow 7 days; the steps take 4, so the 6-day queue becomes 3.
    assert future.handoff("a", "b").wait.to("days") == pytest.approx(3, abs=1e-9)
    assert apply(stream, "kind: cap_wip, limit: 20") == stream  # 10 days already within 20
    with pytest.raises(ScenarioError, match="the steps alone take 4 days.*Raise the limit to at least 4"):
        apply(stream, "kind: cap_wip, limit: 3")


def test_changes_apply_in_order_and_later_ones_see_earlier_ones():
    scenario = loads_scenario(
        """
changes:
  - {kind: merge_steps, steps: [sales, ops], waste: transportation}
  - {kind: set_process_time, step: sales, to: 14 days, waste: motion}
"""
    )
    assert lead(scenario.apply(four())) == 33  # 44 - 5 (merged wait) - 6 (20 -> 14 days)


def test_a_change_naming_a_missing_step_names_file_line_and_change(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(
        "name: x\nchanges:\n  - {kind: cut_wait, handoff: [sales, ops], by: 10%, waste: waiting}\n"
        "  - {kind: remove_step, step: legal, waste: extra_processing}\n"
    )
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path).apply(four())
    assert str(caught.value) == (
        f"{path}, line 4: change 2 (remove_step): the map has no step 'legal'. "
        "Name one of: marketing, sales, ops, delivery."
    )


def test_every_broken_scenario_has_its_message():
    files = sorted(p.name for p in BAD.iterdir() if p.name != "expected.yaml")
    assert files == sorted(EXPECTED)
    for name in files:
        path = BAD / name
        with pytest.raises(ScenarioError) as caught:
            load_scenario(path).apply(four())
        assert str(caught.value) == f"{path}, {EXPECTED[name]}" or str(caught.value) == f"{path}: {EXPECTED[name]}"


def test_sample_map_scenarios_apply_and_every_change_names_a_waste():
    paths = sorted(MAPS.glob("*.scenario.yaml"))
    assert paths, "the sample maps have scenarios"
    for path in paths:
        stream = load_map(MAPS / path.name.replace(".scenario", ""))
        scenario = load_scenario(path)
        assert scenario.changes and all(c.waste and c.owner and c.due and c.why for c in scenario.changes)
        future = scenario.apply(stream)
        assert lead(future) < lead(stream)


def test_every_sample_scenario_survives_a_save_and_load(tmp_path):
    paths = sorted([*MAPS.glob("*.scenario.yaml"), *SAMPLES.glob("*.scenario.yaml")])
    assert len(paths) >= 4, "the samples' scenarios were found"
    for path in paths:
        scenario = load_scenario(path)
        copy = save_scenario(scenario, tmp_path / path.name)
        assert load_scenario(copy) == scenario


def test_an_exponent_is_a_bare_number_in_the_files_unit():
    """YAML 1.1 reads 1e1 as text; it is 10 of the file's unit, not 10 hours."""
    text = "name: s\nunit: days\nchanges:\n  - {kind: set_wait, handoff: [a, b], to: 1e1, waste: waiting}\n"
    assert loads_scenario(text).changes[0].to == "10 days"
