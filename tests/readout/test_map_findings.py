"""Findings of a value stream map, worded from numbers computed by hand.

The four-function map (DOMAIN section 2): lead time 44 days, 29 days in the boxes, 15 on the arrows.
"""

from tests.readout.test_findings import SCRIPT, four_functions
from vsm_widgets.model.stream import CUSTOMER, SUPPLIER, Handoff, Step, ValueStream
from vsm_widgets.readout.findings import waiting_sentence
from vsm_widgets.readout.map_findings import map_findings, map_headline
from vsm_widgets.units import Duration


def test_map_findings_of_the_four_function_example():
    assert map_findings(four_functions()) == [
        "34 % of lead time is waiting; the largest delay is 7 days between Ops and Delivery, and nobody owns that "
        "handoff.",
        "Lead time is 44 days along the critical path, from Customer request to Customer.",
        "Work is done on the item for 29 days of the 44 days (activity ratio 65.9 %).",
        "15 days of the waiting on the critical path (34 % of lead time) is on arrows nobody owns.",
        "Ops is the slowest step: 12 days per item (process time / uptime / staff).",
    ]


def test_an_owned_handoff_names_its_owner():
    assert waiting_sentence(map_headline(four_functions(owner="Head of Ops"))) == (
        "34 % of lead time is waiting; the largest delay is 7 days between Ops and Delivery, and Head of Ops owns "
        "that handoff."
    )


def test_waiting_inside_boxes_is_told_apart_from_waiting_on_arrows():
    # 8-hour days: A takes 1 h of work within 1 day, B 2 h; 2 days wait between them.
    # Lead 2 + 1 + 0.25 = 3.25 days; process 3 h; inside the boxes 1 day + 2 h - 3 h = 7 h.
    hours = lambda n: Duration.of(n, "hours")  # noqa: E731
    steps = [
        Step("a", "A", process_time=hours(1), lead_time=Duration.of(1, "days", 8)),
        Step("b", "B", process_time=hours(2)),
    ]
    handoffs = [Handoff(SUPPLIER, "a"), Handoff("a", "b", Duration.of(2, "days", 8)), Handoff("b", CUSTOMER)]
    found = map_findings(ValueStream("Office", steps, handoffs, hours_per_day=8))
    assert found[0].startswith("88 % of lead time is waiting;")
    assert (
        "Of the waiting, 2 days is on the arrows between steps and 7 hours inside the boxes (block lead time beyond "
        "process time)." in found
    )


def test_the_constraint_is_judged_against_takt():
    # Inspection: 7 minutes with half a person is 14 minutes a parcel; takt 480 min / 40 = 12 minutes.
    minutes = lambda n: Duration.of(n, "minutes")  # noqa: E731
    steps = [Step("pack", "Pack", process_time=minutes(6)), Step("inspect", "Inspect", process_time=minutes(7))]
    stream = ValueStream(
        "Shop", [steps[0], steps[1].replace(staff=0.5)], unit="minutes", hours_per_day=8, demand_per_day=40
    )
    assert (
        "Inspect is the constraint: 14 minutes per item against a takt time of 12 minutes, so it cannot keep up "
        "with demand." in map_findings(stream)
    )


def test_rework_and_waste_findings_of_a_tagged_map():
    # Rolled %C&A 0.8 x 0.5 = 40 %; waiting is the 15 days on arrows (34 %), defects the 12 days of Ops (27 %).
    stream = four_functions()
    stream = stream.with_step(stream.step("sales").replace(pct_ca=0.8))
    stream = stream.with_step(stream.step("ops").replace(pct_ca=0.5, wastes=("defects",)))
    found = map_findings(stream)
    assert (
        "Only 40 % of items pass every step without rework (rolled %C&A); Ops is complete and accurate for 50 % of "
        "its output, the lowest." in found
    )
    assert "Waiting is the largest waste (34 % of lead time); next is defects (27 %)." in found


def test_findings_keep_user_text_as_typed_for_the_markdown_layer_to_escape():
    found = map_findings(four_functions(ops=SCRIPT))
    assert f"between {SCRIPT} and Delivery" in found[0]


def test_a_factory_delay_counts_its_pieces():
    # 7,000 pieces at 920 a day wait 7.6 days between stamping and welding (Learning to See).
    seconds = lambda n: Duration.of(n, "seconds")  # noqa: E731
    steps = [Step("stamp", "Stamping", process_time=seconds(1)), Step("weld", "Welding", process_time=seconds(39))]
    handoffs = [Handoff(SUPPLIER, "stamp"), Handoff("stamp", "weld", inventory=7000), Handoff("weld", CUSTOMER)]
    stream = ValueStream("Brackets", steps, handoffs, demand_per_day=920)
    assert waiting_sentence(map_headline(stream)).endswith(
        "the largest delay is 7.6 days (7,000 pieces) between Stamping and Welding, and nobody owns that handoff."
    )
