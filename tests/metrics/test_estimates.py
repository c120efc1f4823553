from tests.flow_logs import log_of
from vsm_widgets.io.map_file import load_map, save_map
from vsm_widgets.metrics.estimates import carries_measurements, estimate_gaps, measured_gaps, with_measurements
from vsm_widgets.metrics.measured_map import measured_map
from vsm_widgets.model.stream import Handoff, Step, ValueStream
from vsm_widgets.units import Duration


def workshop_map() -> ValueStream:
    return ValueStream(
        "Workshop",
        (
            Step("build", "Build", process_time=Duration.of(3, "hours")),
            Step("qa", "Test", process_time=Duration.of(2, "hours")),
        ),
        (
            Handoff("supplier", "build", Duration(0)),
            Handoff("build", "qa", Duration.of(2, "hours")),
            Handoff("qa", "customer", Duration(0)),
        ),
        unit="hours",
    )


def test_estimates_and_data_side_by_side():
    log = log_of([("a", "Build", 0, 3), ("a", "Test", 9, 11), ("b", "Build", 0, 3), ("b", "Test", 9, 11)])
    gaps = estimate_gaps(workshop_map(), measured_map(log))
    wait = gaps[gaps["kind"] == "wait"].set_index("where")
    # Estimated 2 h between Build and Test; measured 9 - 3 = 6 h.
    assert wait.loc["Build -> Test", "measured"] == 6.0
    assert wait.loc["Build -> Test", "ratio"] == 3.0
    assert wait.loc["Build -> Test", "finding"] == (
        "the team estimated 2 hours of waiting between Build and Test; the data says 6"
    )
    work = gaps[gaps["kind"] == "process time"].set_index("where")
    assert work.loc["Build", "finding"] == "the team estimated 3 hours of work in Build; about right"


def test_measured_values_ride_on_the_workshop_map_and_survive_a_save(tmp_path):
    log = log_of([("a", "Build", 0, 3), ("a", "Test", 9, 11)])
    both = with_measurements(workshop_map(), measured_map(log))
    assert both.step("qa").extra["measured"]["process_time"] == "2 hours"
    assert both.handoff("build", "qa").extra["measured"]["wait"] == "6 hours"
    # The estimates themselves are untouched.
    assert both.lead_time() == workshop_map().lead_time()
    assert carries_measurements(both) and not carries_measurements(workshop_map())
    save_map(both, tmp_path / "map.yaml")
    assert load_map(tmp_path / "map.yaml").handoff("build", "qa").extra["measured"]["wait"] == "6 hours"


def test_steps_match_by_id_or_name_and_arrows_only_when_both_ends_match():
    # The workshop calls the step "Peer review" with id code-review; the data calls it "Code review".
    workshop = ValueStream(
        "Workshop",
        (
            Step("code-review", "Peer review", process_time=Duration.of(1, "hours")),
            Step("deploy", "Deploy", process_time=Duration.of(1, "hours")),
        ),
        (
            Handoff("supplier", "code-review", Duration(0)),
            Handoff("code-review", "deploy", Duration.of(1, "hours")),
            Handoff("deploy", "customer", Duration(0)),
        ),
        unit="hours",
    )
    log = log_of([("a", "Code review", 0, 2), ("a", "Ship", 5, 6)])
    gaps = estimate_gaps(workshop, measured_map(log))
    # code-review ~ code_review by id; "Deploy" has no twin, so neither it nor the arrows into and out of it
    # appear; only the supplier arrow into the review matches (0 h estimated, 0 h measured).
    assert list(zip(gaps["kind"], gaps["where"], strict=True)) == [
        ("process time", "Peer review"),
        ("wait", "Supplier -> Peer review"),
    ]
    assert gaps.iloc[0]["measured"] == 2.0


def test_a_saved_map_with_measurements_compares_them_in_its_summary(tmp_path, capsys):
    from vsm_widgets.cli import main

    log = log_of([("a", "Build", 0, 3), ("a", "Test", 9, 11)])
    save_map(with_measurements(workshop_map(), measured_map(log)), tmp_path / "map.yaml")
    gaps = measured_gaps(load_map(tmp_path / "map.yaml"))
    # Read back from the file: Build 3 h estimated, 3 h measured; Test 2 h and 2 h; the supplier arrow 0 and 0;
    # Build -> Test 2 h against 6 h; the customer arrow 0 and 0.
    assert gaps[["estimated", "measured"]].values.tolist() == [[3.0, 3.0], [2.0, 2.0], [0, 0], [2.0, 6.0], [0, 0]]
    assert main(["map", str(tmp_path / "map.yaml")]) == 0
    out = capsys.readouterr().out
    assert "Estimated against measured:" in out
    assert "the team estimated 2 hours of waiting between Build and Test; the data says 6" in out
    # A map without measured values prints no such section.
    assert measured_gaps(workshop_map()).empty
