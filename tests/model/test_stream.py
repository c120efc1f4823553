import pytest

from vsm_widgets.exceptions import StreamError
from vsm_widgets.model.stream import CUSTOMER, SUPPLIER, Handoff, Step, ValueStream
from vsm_widgets.units import ZERO, Duration


def days(n: float) -> Duration:
    return Duration.of(n, "days")


def four_functions() -> ValueStream:
    # DOMAIN section 2: Marketing 5 d -> 3 d -> Sales 8 d -> 5 d -> Ops 12 d -> 7 d -> Delivery 4 d
    steps = [Step("marketing", "Marketing", process_time=days(5)), Step("sales", "Sales", process_time=days(8))]
    steps += [Step("ops", "Ops", process_time=days(12)), Step("delivery", "Delivery", process_time=days(4))]
    handoffs = [
        Handoff(SUPPLIER, "marketing"),
        Handoff("marketing", "sales", days(3)),
        Handoff("sales", "ops", days(5)),
        Handoff("ops", "delivery", days(7)),
        Handoff("delivery", CUSTOMER),
    ]
    return ValueStream("Quote to delivered solution", steps, handoffs)


def branching() -> ValueStream:
    # a feeds b and c in parallel; both feed d
    steps = [Step(i, process_time=days(1)) for i in "abcd"]
    handoffs = [
        Handoff(SUPPLIER, "a"),
        Handoff("a", "b", days(1)),
        Handoff("a", "c", days(2)),
        Handoff("b", "d"),
        Handoff("c", "d", days(1)),
        Handoff("d", CUSTOMER),
    ]
    return ValueStream("Branches", steps, handoffs)


def keys(stream: ValueStream) -> list[tuple[str, str]]:
    return [h.key for h in stream.handoffs]


def test_a_stream_without_handoffs_is_the_steps_in_order():
    stream = ValueStream("Plain", [Step("a", process_time=days(2)), Step("b", process_time=days(3))])
    assert keys(stream) == [(SUPPLIER, "a"), ("a", "b"), ("b", CUSTOMER)]
    assert all(h.wait == ZERO and h.kind == "push" and h.owner is None for h in stream.handoffs)
    assert stream.is_linear()
    assert stream.lead_time() == days(5)  # 2 + 3, no waits


def test_defaults_and_queries():
    stream = four_functions()
    assert (stream.unit, stream.hours_per_day, stream.supplier, stream.customer) == (
        "days",
        24.0,
        "Supplier",
        "Customer",
    )
    assert stream.step_ids == ("marketing", "sales", "ops", "delivery")
    assert stream.step("ops").name == "Ops"
    assert stream.handoff("sales", "ops").wait == days(5)
    assert [h.key for h in stream.incoming("ops")] == [("sales", "ops")]
    assert stream.label(SUPPLIER) == "Supplier" and stream.label("ops") == "Ops"
    assert stream.in_unit(days(1.5)) == 1.5
    assert stream.quantity("36 h") == days(1.5)
    assert stream.flow_order() == stream.step_ids


def test_unit_names_are_normalised():
    assert four_functions().replace(unit="h").unit == "hours"


def test_streams_are_values():
    assert four_functions() == four_functions()
    assert hash(four_functions()) == hash(four_functions())
    assert four_functions() != four_functions().renamed("Another")


@pytest.mark.parametrize(
    ("change", "message", "where"),
    [
        (
            lambda s: s.replace(steps=[*s.steps, Step("ops", process_time=days(1))]),
            "step id 'ops' is used twice",
            {"step": "ops", "key": "id"},
        ),
        (
            lambda s: s.with_handoff(Handoff("sales", "opps")),
            "handoff sales -> opps: unknown step 'opps' as target",
            {"handoff": ("sales", "opps"), "key": "target"},
        ),
        (
            lambda s: s.add_handoff(Handoff("ghost", "ops")),
            "unknown step 'ghost' as source",
            {"handoff": ("ghost", "ops"), "key": "source"},
        ),
        (
            lambda s: s.add_handoff(Handoff("ops", "marketing", days(1))),
            r"handoff ops -> marketing closes a loop \(marketing -> sales -> ops -> marketing\)",
            {"handoff": ("ops", "marketing"), "key": "target"},
        ),
        (lambda s: s.add_handoff(Handoff("ops", "ops")), "leads back to its own step", {"key": "target"}),
        (lambda s: s.add_handoff(Handoff(SUPPLIER, CUSTOMER)), "skips every step", {"key": "target"}),
        (lambda s: s.add_handoff(Handoff("sales", "ops")), "appears twice", {"handoff": ("sales", "ops")}),
        (lambda s: s.add_handoff(Handoff(CUSTOMER, "ops")), "the stream ends at the customer", {"key": "source"}),
        (lambda s: s.add_handoff(Handoff("ops", SUPPLIER)), "the stream starts at the supplier", {"key": "target"}),
        (
            lambda s: s.add_step(Step("orphan"), handoffs=[Handoff("orphan", CUSTOMER)]),
            "step 'orphan' cannot be reached from the supplier",
            {"step": "orphan"},
        ),
        (
            lambda s: s.add_step(Step("dead_end"), handoffs=[Handoff("sales", "dead_end")]),
            "step 'dead_end' does not lead to the customer",
            {"step": "dead_end"},
        ),
        (
            lambda s: s.with_handoff(Handoff("sales", "ops", inventory=500)),
            "an inventory of 500 pieces needs demand_per_day",
            {"handoff": ("sales", "ops"), "key": "inventory"},
        ),
        (lambda s: s.replace(steps=[]), "the map has no steps", {"key": "steps"}),
        (lambda s: s.replace(unit="fortnights"), "unknown time unit 'fortnights'", {"key": "unit"}),
        (lambda s: s.replace(hours_per_day=25), r"hours_per_day must be within \(0, 24\]", {"key": "hours_per_day"}),
        (lambda s: s.replace(demand_per_day=0), "demand_per_day must be a number more than 0", {}),
        (lambda s: s.replace(available_time_per_day=ZERO), "available_time_per_day must be more than zero", {}),
    ],
)
def test_validation_names_the_step_or_handoff(change, message, where):
    stream = four_functions()
    with pytest.raises(StreamError, match=message) as caught:
        change(stream)
    for attribute, value in where.items():
        assert getattr(caught.value, attribute) == value


def test_edits_return_new_streams_and_leave_the_original_alone():
    stream = four_functions()
    edited = stream.with_step(stream.step("ops").replace(process_time=days(10)))
    assert stream.step("ops").process_time == days(12)
    assert edited.step("ops").process_time == days(10)
    assert keys(edited) == keys(stream)
    assert edited.lead_time() == days(42)  # 44 - 2


def test_with_step_appends_a_new_step_before_the_customer():
    stream = four_functions().with_step(Step("invoice", process_time=days(1)))
    assert stream.step_ids[-1] == "invoice"
    assert keys(stream)[-2:] == [("delivery", "invoice"), ("invoice", CUSTOMER)]
    assert stream.lead_time() == days(45)  # 44 + 1


def test_add_step_after_keeps_the_downstream_queue_in_place():
    stream = four_functions().add_step(Step("check", process_time=days(1)), after="marketing")
    assert stream.step_ids == ("marketing", "check", "sales", "ops", "delivery")
    assert stream.handoff("marketing", "check").wait == ZERO
    assert stream.handoff("check", "sales").wait == days(3)  # the queue in front of Sales stays in front of Sales
    assert keys(stream)[:3] == [(SUPPLIER, "marketing"), ("marketing", "check"), ("check", "sales")]
    assert stream.lead_time() == days(45)


def test_add_step_with_its_own_handoffs_makes_a_parallel_branch():
    legal = Step("legal", process_time=days(10))
    stream = four_functions().add_step(
        legal, after="sales", handoffs=[Handoff("sales", "legal"), Handoff("legal", "delivery")]
    )
    assert stream.step_ids == ("marketing", "sales", "legal", "ops", "delivery")
    assert not stream.is_linear()
    # via ops: 5 + 3 + 8 + 5 + 12 + 7 + 4 = 44; via legal: 5 + 3 + 8 + 10 + 4 = 30, so ops stays critical
    assert stream.critical_path() == ("marketing", "sales", "ops", "delivery")
    assert stream.lead_time() == days(44)


def test_remove_step_drops_its_queue_and_joins_the_neighbours():
    stream = four_functions().remove_step("sales")
    assert stream.step_ids == ("marketing", "ops", "delivery")
    # the 3 days in front of Sales go with it; the 5 days in front of Ops stay
    assert stream.handoff("marketing", "ops").wait == days(5)
    assert keys(stream) == [(SUPPLIER, "marketing"), ("marketing", "ops"), ("ops", "delivery"), ("delivery", CUSTOMER)]
    assert stream.lead_time() == days(33)  # 44 - 3 - 8


def test_remove_step_on_a_branch_keeps_existing_arrows():
    stream = branching().remove_step("b")
    # a -> b -> d becomes a -> d with b -> d's zero wait
    assert keys(stream) == [(SUPPLIER, "a"), ("a", "c"), ("a", "d"), ("c", "d"), ("d", CUSTOMER)]
    again = stream.remove_step("c")
    # a -> d exists already, so removing c adds nothing
    assert keys(again) == [(SUPPLIER, "a"), ("a", "d"), ("d", CUSTOMER)]


def test_remove_the_only_step_is_refused():
    with pytest.raises(StreamError, match="is the only step"):
        ValueStream("One", [Step("a")]).remove_step("a")


def test_remove_unknown_step():
    with pytest.raises(StreamError, match="no step 'ghost'"):
        four_functions().remove_step("ghost")


def test_move_step_in_a_linear_map_moves_it_with_its_queue():
    stream = four_functions().move_step("ops", -2)
    assert stream.step_ids == ("ops", "marketing", "sales", "delivery")
    assert [(h.key, h.wait.to("days")) for h in stream.handoffs] == [
        ((SUPPLIER, "ops"), 5.0),  # the 5 days that waited for Ops
        (("ops", "marketing"), 0.0),
        (("marketing", "sales"), 3.0),
        (("sales", "delivery"), 7.0),
        (("delivery", CUSTOMER), 0.0),
    ]
    assert stream.lead_time() == days(44)  # the same boxes and queues
    assert four_functions().move_step("ops", 10).step_ids[-1] == "ops"


def test_move_step_with_branches_changes_file_order_only():
    stream = branching().move_step("c", -1)
    assert stream.step_ids == ("a", "c", "b", "d")
    assert set(keys(stream)) == set(keys(branching()))


def test_rename_step_updates_its_handoffs():
    stream = four_functions().rename_step("ops", "operations")
    assert "operations" in stream.step_ids and stream.step("operations").name == "Ops"
    assert ("sales", "operations") in keys(stream) and ("operations", "delivery") in keys(stream)
    with pytest.raises(StreamError, match="used twice"):
        stream.rename_step("sales", "marketing")


def test_handoff_edits():
    stream = four_functions().with_handoff(Handoff("sales", "ops", days(2), owner="Stream owner"))
    assert stream.handoff("sales", "ops").owner == "Stream owner"
    assert stream.lead_time() == days(41)  # 44 - 3
    shortcut = stream.add_handoff(Handoff("marketing", "ops", days(1)))
    assert shortcut.remove_handoff("marketing", "ops") == stream
    with pytest.raises(StreamError, match="step 'marketing' does not lead to the customer"):
        stream.remove_handoff("sales", "ops")
    with pytest.raises(StreamError, match="no handoff ops -> sales"):
        stream.remove_handoff("ops", "sales")
