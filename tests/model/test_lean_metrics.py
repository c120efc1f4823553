"""Lean metrics: expectations worked out by hand for each sample map and each convention (DOMAIN section 4)."""

import json
import math

import pytest
from hypothesis import given, settings

from tests.map_strategies import streams
from tests.paths import MAPS
from vsm_widgets.io.map_file import load_map, loads_map
from vsm_widgets.model.stream import CUSTOMER, SUPPLIER, Handoff, Step, ValueStream
from vsm_widgets.units import Duration

SAMPLES = ("four_functions", "software_delivery", "office", "manufacturing", "parallel", "teaching")
CONTRACT_KEYS = {
    "unit",
    "lead_time",
    "process_time",
    "wait_time",
    "activity_ratio",
    "pce",
    "rolled_pct_ca",
    "takt_time_seconds",
    "critical_path",
    "constraint",
    "largest_wait",
    "unowned_handoffs",
}


def sample(name: str) -> ValueStream:
    return load_map(MAPS / f"{name}.yaml")


def days(n: float, hours_per_day: float = 24) -> Duration:
    return Duration.of(n, "days", hours_per_day)


def test_four_functions_from_the_domain_notes():
    stream = sample("four_functions")
    summary = stream.summary()
    assert summary["lead_time"] == 44  # 5 + 3 + 8 + 5 + 12 + 7 + 4
    assert summary["handoff_time"] == 15  # 3 + 5 + 7 on the arrows
    assert summary["step_time"] == 29  # 5 + 8 + 12 + 4 in the boxes
    assert summary["activity_ratio"] == pytest.approx(0.659, abs=5e-4)  # 29 / 44 = 65.9 %
    assert summary["wait_time"] == 15
    assert summary["critical_path"] == ["marketing", "sales", "ops", "delivery"]
    assert summary["constraint"] == "ops"  # 12 days is the longest box
    assert summary["largest_wait"] == {"from": "ops", "to": "delivery", "wait": 7}
    # nobody owns any arrow, and so nobody owns the 15 days on them
    assert len(summary["unowned_handoffs"]) == 5 and summary["unowned_wait"] == 15
    assert summary["takt_time_seconds"] is None and summary["constraint_load"] is None


def test_summary_is_plain_json_with_the_contract_keys():
    for name in SAMPLES:
        summary = sample(name).summary()
        assert CONTRACT_KEYS <= summary.keys()
        assert json.loads(json.dumps(summary, allow_nan=False)) == summary
        assert summary["unowned_handoffs"] == [list(pair) for pair in summary["unowned_handoffs"]]
        assert set(summary["largest_wait"]) == {"from", "to", "wait"}


def test_software_map_sums_process_times_and_waits():
    # DOMAIN section 2: 12 h + 30 h + 6 h = 48 h of work, delivered 27 days = 648 h after the request
    stream = sample("software_delivery")
    assert stream.lead_time().to("hours") == 648  # 240 + 12 + 144 + 30 + 168 + 6 + 48
    assert stream.process_time().to("hours") == 48
    assert stream.lead_time().to("days") == 27
    assert stream.activity_ratio() == pytest.approx(48 / 648)  # 7.4 %
    # value-added time: release is nnva, so PCE counts 12 + 30 = 42 h only
    assert stream.pce() == pytest.approx(42 / 648)  # 6.5 %
    assert stream.rolled_pct_ca() == pytest.approx(0.80 * 0.90 * 0.95)  # 0.684
    # the change advisory board owns its arrow; the others are nobody's
    assert [h.key for h in stream.unowned_handoffs()] == [
        (SUPPLIER, "analysis"),
        ("analysis", "build"),
        ("release", CUSTOMER),
    ]
    assert stream.unowned_wait().to("hours") == 432  # 240 + 144 + 48


def test_office_map_sums_block_lead_times_on_8_hour_days():
    stream = sample("office")
    # arrows 1 + 2 + 1 + 0.5 + 0 = 4.5 days; blocks 0.5 + 3 + 2 + 1 = 6.5 days
    assert stream.handoff_time() == days(4.5, 8)
    assert stream.step_time() == days(6.5, 8)
    assert stream.lead_time().to("hours") == 88  # 11 days of 8 h
    # process time 20 + 120 + 15 + 30 = 185 minutes
    assert stream.process_time().to("minutes") == pytest.approx(185)
    assert stream.activity_ratio() == pytest.approx(185 / (88 * 60))  # 3.5 %
    assert stream.pce() == pytest.approx((120 + 30) / (88 * 60))  # assess and pay are va: 2.8 %
    assert stream.rolled_pct_ca() == pytest.approx(0.80 * 0.65 * 0.95 * 0.98)  # 0.48412
    assert stream.wait_time().to("minutes") == pytest.approx(88 * 60 - 185)
    assert stream.summary()["lead_time"] == 11


def test_day_length_convention_same_map_on_8_and_24_hour_days():
    text = (MAPS / "office.yaml").read_text()
    working = loads_map(text)
    calendar = loads_map(text.replace("hours_per_day: 8", "hours_per_day: 24"))
    # 11 days is 88 h of working time but 264 h of calendar time; the 185 min of work do not change
    assert working.lead_time().to("hours") == 88
    assert calendar.lead_time().to("hours") == 264
    assert calendar.process_time().to("minutes") == pytest.approx(185)
    assert working.activity_ratio() == pytest.approx(185 / 5280)  # 3.50 %
    assert calendar.activity_ratio() == pytest.approx(185 / 15840)  # 1.17 %
    assert working.activity_ratio() / calendar.activity_ratio() == pytest.approx(3)
    assert working.conventions()["day_length"] == "1 day = 8 h (working time)"
    assert calendar.conventions()["day_length"] == "1 day = 24 h (calendar time)"


def test_manufacturing_map_learning_to_see():
    stream = sample("manufacturing")
    # inventory days = pieces / 920 a day
    inventory = {h.target: stream.inventory_days(h) for h in stream.handoffs if h.inventory is not None}
    assert inventory == pytest.approx(
        {
            "spot_weld_1": 7000 / 920,  # 7.6
            "spot_weld_2": 1700 / 920,  # 1.8
            "assembly_1": 2450 / 920,  # 2.7
            "assembly_2": 1840 / 920,  # 2.0
            "shipping": 4140 / 920,  # 4.5
        }
    )
    waits = 5 + (7000 + 1700 + 2450 + 1840 + 4140) / 920  # 23.62 days
    assert stream.handoff_time().to("days") == pytest.approx(waits)
    assert round(waits, 1) == 23.6  # the published total
    assert stream.process_time().seconds == 188  # 1 + 39 + 46 + 62 + 40 (+ 0 for shipping)
    assert stream.lead_time().seconds == pytest.approx(waits * 86400 + 188)
    assert stream.takt_time().seconds == 60  # 55,200 s / 920
    # effective cycle times: stamping 1 / 0.85, weld 1 39, weld 2 46 / 0.8 = 57.5, assembly 1 62, assembly 2 40
    assert stream.constraint().id == "assembly_1"
    summary = stream.summary()
    assert summary["constraint_cycle_time_seconds"] == 62
    assert summary["constraint_load"] == pytest.approx(62 / 60)  # slower than takt
    assert summary["largest_wait"]["from"] == "stamping"
    assert summary["largest_wait"]["wait"] == pytest.approx(7000 / 920)
    assert summary["takt_time_seconds"] == 60
    assert stream.conventions()["inventory"] == "pieces / demand_per_day days of demand"


def test_value_added_time_activity_ratio_against_pce():
    # every step value-adding: the two agree
    four = sample("four_functions")
    assert four.pce() == four.activity_ratio()
    # onboarding: only the first day adds value; 4 h of 7 h of process time on the critical path
    parallel = sample("parallel")
    assert parallel.activity_ratio() == pytest.approx(7 / 84)  # (1 + 2 + 4) h / 10.5 days of 8 h
    assert parallel.pce() == pytest.approx(4 / 84)
    assert parallel.conventions()["value_added_time"].startswith("activity ratio counts")


def test_parallel_branch_critical_path():
    stream = sample("parallel")
    # via paperwork 1 + 1 + 0.5 + 4 + 1 + 1 + 0 = 8.5 days; via equipment 1 + 1 + 1 + 6 + 0.5 + 1 + 0 = 10.5 days
    assert stream.critical_path() == ("record", "equipment", "first_day")
    assert stream.lead_time() == days(10.5, 8)
    assert [h.key for h in stream.critical_handoffs()] == [
        (SUPPLIER, "record"),
        ("record", "equipment"),
        ("equipment", "first_day"),
        ("first_day", CUSTOMER),
    ]
    shares = stream.shares()
    # summing every box and arrow would claim 16 days
    assert shares["elapsed"].sum() == pytest.approx(16)
    assert shares.loc[shares["critical"], "share"].sum() == pytest.approx(1)
    assert set(shares.loc[~shares["critical"], "key"]) == {"record->paperwork", "paperwork", "paperwork->first_day"}


def tie_stream(second_branch_pt: float) -> ValueStream:
    # two branches of equal elapsed time (4 days): "early" listed first, "late" second
    early = Step("early", process_time=days(1), lead_time=days(4))
    late = Step("late", process_time=days(second_branch_pt), lead_time=days(4))
    handoffs = [
        Handoff(SUPPLIER, "early"),
        Handoff(SUPPLIER, "late"),
        Handoff("early", CUSTOMER),
        Handoff("late", CUSTOMER),
    ]
    return ValueStream("Tie", [early, late], handoffs)


def test_tie_rule_more_process_time_then_file_order():
    assert tie_stream(2).critical_path() == ("late",)  # equal elapsed, more process time wins
    assert tie_stream(1).critical_path() == ("early",)  # equal on both: earlier in the file wins
    assert tie_stream(1).move_step("late", -1).critical_path() == ("late",)


def test_rolled_pct_ca_counts_every_step_on_or_off_the_critical_path():
    stream = sample("parallel")
    paperwork = stream.step("paperwork").replace(pct_ca=0.5)
    assert stream.with_step(paperwork).rolled_pct_ca() == 0.5


def test_time_by_waste_splits_a_step_evenly_between_its_wastes():
    table = sample("office").time_by_waste().set_index("waste")
    # assess (3 days) is tagged waiting and defects: 1.5 days each; approve (2 days) waiting;
    # register (0.5 days) extra processing; the 4.5 days on arrows count as waiting
    assert table.loc["waiting", "time"] == pytest.approx(1.5 + 2 + 4.5)
    assert table.loc["defects", "time"] == pytest.approx(1.5)
    assert table.loc["extra_processing", "time"] == pytest.approx(0.5)
    assert table.loc["waiting", "share"] == pytest.approx(8 / 11)
    assert list(table.index) == [
        "defects",
        "overproduction",
        "waiting",
        "non_utilised_talent",
        "transportation",
        "inventory",
        "motion",
        "extra_processing",
    ]
    without_arrows = sample("office").time_by_waste(handoffs_as=None).set_index("waste")
    assert without_arrows.loc["waiting", "time"] == pytest.approx(3.5)
    factory = sample("manufacturing").time_by_waste(handoffs_as="inventory").set_index("waste")
    assert factory.loc["inventory", "time"] == pytest.approx(5 + 17130 / 920)  # 7000 + 1700 + 2450 + 1840 + 4140 pieces


def test_takt_time_defaults_to_one_working_day_of_available_time():
    stream = ValueStream(
        "Desk", [Step("a", process_time=Duration.of(20, "minutes"))], hours_per_day=8, demand_per_day=16
    )
    assert stream.takt_time().to("minutes") == 30  # 8 h / 16
    assert stream.conventions()["takt_time"] == "one day of hours_per_day / demand_per_day"


def test_teaching_map_planted_bottleneck():
    stream = sample("teaching")
    assert stream.takt_time().to("minutes") == 12  # 480 / 40
    assert stream.constraint().id == "inspect"
    assert stream.constraint().effective_cycle_time.to("minutes") == 14  # 7 / 0.5
    assert stream.largest_wait()[:2] == ("pack", "inspect")
    assert stream.lead_time().to("minutes") == 636  # 605 waiting + 31 working
    assert stream.rolled_pct_ca() == pytest.approx(0.90 * 0.98 * 0.95 * 0.60 * 1.0 * 0.97)


def test_frames_give_numbers_in_the_map_unit():
    stream = sample("office")
    steps = stream.steps_frame().set_index("id")
    assert steps.loc["assess", "process_time"] == 0.25  # 2 h of an 8-hour day
    assert steps.loc["assess", "lead_time"] == 3
    assert steps.loc["assess", "wastes"] == ("waiting", "defects")
    assert steps["critical"].all()
    handoffs = sample("manufacturing").handoffs_frame()
    row = handoffs[handoffs["target"] == "spot_weld_1"].iloc[0]
    assert row["inventory"] == 7000 and row["wait"] == pytest.approx(7000 / 920)
    assert math.isnan(handoffs.iloc[0]["inventory"])  # the coils are counted in days


def test_a_stream_with_no_time_has_undefined_ratios():
    summary = ValueStream("Empty", [Step("a")]).summary()
    assert summary["lead_time"] == 0
    assert summary["activity_ratio"] is None and summary["pce"] is None
    assert summary["constraint"] is None


def every_path(stream: ValueStream, node: str = SUPPLIER) -> list[list[Handoff]]:
    if node == CUSTOMER:
        return [[]]
    return [[h, *rest] for h in stream.outgoing(node) for rest in every_path(stream, h.target)]


@settings(max_examples=60, deadline=None)
@given(stream=streams(branching=True))
def test_lead_time_is_the_longest_path_and_never_shorter_than_process_time(stream):
    # brute force: walk every path from supplier to customer and add up its waits and step elapsed times
    def elapsed(path: list[Handoff]) -> float:
        steps = [stream.step(h.target).elapsed.seconds for h in path if h.target != CUSTOMER]
        return sum(stream.wait_of(h).seconds for h in path) + sum(steps)

    longest = max(elapsed(path) for path in every_path(stream))
    assert stream.lead_time().seconds == pytest.approx(longest, rel=1e-9, abs=1e-6)
    # every step's elapsed time is at least its process time, and waits are never negative
    assert stream.lead_time().seconds >= stream.process_time().seconds * (1 - 1e-12)


def test_time_by_waste_names_a_bad_handoffs_as():
    with pytest.raises(ValueError, match=r"^handoffs_as: unknown waste 'bureaucracy'; use one of defects, .*, or None"):
        sample("office").time_by_waste(handoffs_as="bureaucracy")


def test_largest_wait_counts_the_waiting_inside_a_block():
    stream = load_map(MAPS / "parallel.yaml")
    # Laptop and accounts: 6 days of block lead time, 2 h of work: 46 h (5.75 days of 8 h) waiting inside,
    # more than the longest arrow (1 day).
    source, target, wait = stream.largest_wait()
    assert (source, target) == ("equipment", "equipment")
    assert wait.to("hours", 8) == pytest.approx(46.0)
    assert stream.summary()["largest_wait"] == {"from": "equipment", "to": "equipment", "wait": pytest.approx(5.75)}
