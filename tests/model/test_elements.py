import pytest

from vsm_widgets.exceptions import StreamError
from vsm_widgets.model.elements import Handoff, Step, freeze_extra, thaw_extra
from vsm_widgets.units import ZERO, Duration

HOUR = Duration.of(1, "hours")


def test_step_defaults_and_elapsed_time():
    step = Step("review", process_time=2 * HOUR)
    assert step.name == "review"  # the id stands in for a missing name
    assert (step.pct_ca, step.value, step.wastes, step.staff, step.uptime) == (1.0, "va", (), 1, 1.0)
    assert step.elapsed == 2 * HOUR  # no block lead time: elapsed = process time
    assert step.replace(lead_time=24 * HOUR).elapsed == 24 * HOUR


def test_effective_cycle_time_allows_for_uptime_and_staff():
    # Learning to See, spot weld #2: 46 s at 80 % uptime = 57.5 s
    weld = Step("weld", process_time=Duration(46.0), uptime=0.8)
    assert weld.effective_cycle_time.seconds == pytest.approx(57.5)
    # half a person on a 7-minute inspection: 14 minutes a piece
    assert Step("inspect", process_time=Duration.of(7, "minutes"), staff=0.5).effective_cycle_time.to(
        "minutes"
    ) == pytest.approx(14)


def test_spellings_are_normalised():
    step = Step("a", value="NNVA", wastes=["Over-processing", "wait"], owner="")
    assert step.value == "nnva"
    assert step.wastes == ("extra_processing", "waiting")
    assert step.owner is None


@pytest.mark.parametrize(
    ("fields", "key", "message"),
    [
        (
            {"process_time": 2 * HOUR, "lead_time": HOUR},
            "lead_time",
            r"lead time \(1 hour\) is shorter than process time \(2 hours\)",
        ),
        ({"pct_ca": 0.0}, "pct_ca", r"pct_ca must be a number within \(0, 1\], not 0.0; write one such as 0.95$"),
        ({"pct_ca": 1.2}, "pct_ca", r"pct_ca must be a number within \(0, 1\]"),
        ({"uptime": 0}, "uptime", "uptime"),
        ({"staff": 0}, "staff", "staff must be a number more than 0, not 0; write one such as 1$"),
        ({"value": "maybe"}, "value", "unknown value class"),
        ({"wastes": ("bureaucracy",)}, "wastes", "unknown waste 'bureaucracy'"),
        ({"wastes": ("waiting", "Waiting")}, "wastes", "listed twice in .*; list each once$"),
        (
            {"process_time": 5},
            "process_time",
            r"must be a Duration, not 5; give one such as Duration.of\(2, 'hours'\)$",
        ),
        ({"process_time": Duration(-1.0)}, "process_time", "zero or more; write 0 for none$"),
    ],
)
def test_step_refuses_bad_fields_naming_step_and_key(fields, key, message):
    with pytest.raises(StreamError, match=message) as caught:
        Step("s1", **fields)
    assert caught.value.step == "s1"
    assert caught.value.key == key
    assert str(caught.value).startswith("step 's1': ")


@pytest.mark.parametrize("reserved", ["supplier", "customer"])
def test_step_ids_cannot_name_the_ends(reserved):
    with pytest.raises(StreamError, match="names an end of the stream"):
        Step(reserved)


def test_extra_is_read_only_and_detached_from_the_caller():
    given = {"colour": "red", "tags": ["a", "b"], "meta": {"x": 1}}
    step = Step("a", extra=given)
    given["colour"] = "blue"
    assert step.extra["colour"] == "red"
    assert step.extra["tags"] == ("a", "b")
    with pytest.raises(TypeError):
        step.extra["colour"] = "green"
    with pytest.raises(TypeError):
        step.extra["meta"]["x"] = 2
    assert thaw_extra(step.extra) == {"colour": "red", "tags": ["a", "b"], "meta": {"x": 1}}
    assert freeze_extra([{"a": [1]}]) == ({"a": (1,)},)


def test_how_a_file_spelled_a_value_does_not_change_equality():
    assert Step("a", process_time=HOUR, written_as={"process_time": "60 min"}) == Step("a", process_time=HOUR)


def test_handoff_wait_defaults():
    assert Handoff("a", "b").wait == ZERO
    # an inventory without a wait leaves the wait to the stream's demand
    assert Handoff("a", "b", inventory=7000).wait is None
    assert Handoff("a", "b", kind="FIFO").kind == "fifo"
    assert Handoff("a", "b", owner="").owner is None
    assert Handoff("a", "b").key == ("a", "b")


@pytest.mark.parametrize(
    ("fields", "key"),
    [({"kind": "shove"}, "kind"), ({"inventory": -3}, "inventory"), ({"wait": 2}, "wait"), ({"owner": 7}, "owner")],
)
def test_handoff_refuses_bad_fields_naming_itself(fields, key):
    with pytest.raises(StreamError, match="handoff a -> b: ") as caught:
        Handoff("a", "b", **fields)
    assert caught.value.handoff == ("a", "b")
    assert caught.value.key == key
