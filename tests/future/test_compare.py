"""compare(): headline numbers, per-step and per-handoff deltas, for two maps and for two logs, by hand."""

import json
import math

import pandas as pd
import pytest

from tests.flow_logs import visit_log
from tests.paths import MAPS
from vsm_widgets.exceptions import VsmInputError
from vsm_widgets.future.compare import compare
from vsm_widgets.future.scenario import load_scenario
from vsm_widgets.io.map_file import load_map

T0 = pd.Timestamp("2026-03-02 00:00")


def at(hours):
    return T0 + pd.Timedelta(hours=hours)


def row(comparison, metric):
    return comparison.headline.set_index("metric").loc[metric]


def test_two_sample_maps_by_hand():
    current = load_map(MAPS / "four_functions.yaml")
    future = load_scenario(MAPS / "four_functions.scenario.yaml").apply(current)
    comparison = compare(current, future)
    assert comparison.kind == "maps"
    lead = row(comparison, "lead_time")
    # 44 days; the plan: Marketing -> Sales 3 -> 1, Ops -> Delivery 7 -> 3.5, Sales 8 -> 6 days: 36.5 days.
    assert (lead["current"], lead["future"], lead["change"], lead["unit"]) == (44, 36.5, -7.5, "days")
    assert lead["change_pct"] == pytest.approx(-7.5 / 44 * 100)  # -17.0 %
    process = row(comparison, "process_time")
    assert (process["current"], process["future"]) == (29, 27)
    wait = row(comparison, "wait_time")
    assert (wait["current"], wait["future"]) == (15, 9.5)
    ratio = row(comparison, "activity_ratio")
    assert ratio["current"] == pytest.approx(29 / 44) and ratio["future"] == pytest.approx(27 / 36.5)
    assert ratio["unit"] == "share"
    # Capacity: the constraint is Ops, 12 days an item, so 1/12 of an item a day, before and after.
    assert row(comparison, "throughput")["current"] == pytest.approx(1 / 12)
    assert row(comparison, "throughput")["change"] == pytest.approx(0)
    steps = comparison.steps.set_index("step")
    assert steps.loc["sales", "status"] == "changed" and steps.loc["sales", "process_time_change"] == -2
    assert steps.loc["ops", "status"] == "same"
    handoffs = comparison.handoffs.set_index(["from", "to"])
    assert handoffs.loc[("ops", "delivery"), "wait_future"] == 3.5
    assert handoffs.loc[("sales", "ops"), "status"] == "same"


def test_removed_and_added_elements_are_marked():
    current = load_map(MAPS / "four_functions.yaml")
    future = current.remove_step("sales")
    comparison = compare(current, future)
    assert comparison.steps.set_index("step").loc["sales", "status"] == "removed"
    handoffs = comparison.handoffs.set_index(["from", "to"])["status"]
    assert handoffs[("marketing", "sales")] == "removed" and handoffs[("marketing", "ops")] == "added"
    assert math.isnan(comparison.handoffs.set_index(["from", "to"]).loc[("marketing", "ops"), "wait_current"])


def test_a_map_in_other_units_is_converted_to_the_current_maps_unit():
    current = load_map(MAPS / "four_functions.yaml")
    future = current.replace(unit="hours")
    lead = row(compare(current, future), "lead_time")
    assert (lead["current"], lead["future"], lead["change"]) == (44, 44, 0)


def small_logs():
    # Current: X works 0-2 and 9-10 (lead 10 h, active 3 h); Y works 0-5 and 19-20 (lead 20 h, active 6 h).
    current = visit_log(
        [
            ("X", "Do", at(0), at(2)),
            ("X", "Ship", at(9), at(10)),
            ("Y", "Do", at(0), at(5)),
            ("Y", "Ship", at(19), at(20)),
        ],
        as_of=at(20),
    )
    # Future: X lead 6 h (active 3), Y lead 10 h (active 6).
    future = visit_log(
        [
            ("X", "Do", at(0), at(2)),
            ("X", "Ship", at(5), at(6)),
            ("Y", "Do", at(0), at(5)),
            ("Y", "Ship", at(9), at(10)),
        ],
        as_of=at(20),
    )
    return current, future


def test_a_log_with_nothing_finished_has_no_lead_time_to_compare():
    current, _ = small_logs()
    unfinished = visit_log([("Z", "Do", at(0), at(2)), ("Z", "Ship", at(4), None)], as_of=at(20))
    comparison = compare(current, unfinished)
    for metric in ("lead_time_median", "lead_time_p85", "active_time_median", "wait_time_median"):
        assert math.isnan(row(comparison, metric)["future"]), metric
    assert row(comparison, "lead_time_median")["current"] == 15
    assert row(comparison, "finished_items")["future"] == 0


def test_two_small_logs_by_hand():
    current, future = small_logs()
    comparison = compare(current, future)
    assert comparison.kind == "logs"
    median = row(comparison, "lead_time_median")
    # Medians of (10, 20) and (6, 10): 15 and 8 hours.
    assert (median["current"], median["future"], median["change"], median["unit"]) == (15, 8, -7, "hours")
    # 85th percentile, linear between ranks: 10 + 0.85 * 10 = 18.5; 6 + 0.85 * 4 = 9.4.
    assert row(comparison, "lead_time_p85")[["current", "future"]].tolist() == pytest.approx([18.5, 9.4])
    # Portfolio flow efficiency: (3 + 6) / (10 + 20) = 0.3 now; (3 + 6) / (6 + 10) = 0.5625 after.
    efficiency = row(comparison, "flow_efficiency")
    assert efficiency[["current", "future"]].tolist() == pytest.approx([0.3, 0.5625])
    assert efficiency["change_pct"] == pytest.approx(0.2625 / 0.3 * 100)  # +87.5 %
    # Both finish 2 items over a 20-hour window: the same throughput.
    assert row(comparison, "throughput")["change"] == 0
    handoffs = comparison.handoffs.set_index(["from", "to"])
    # Waits Do -> Ship: 7 and 14 h (median 10.5) before; 3 and 4 h (median 3.5) after.
    assert handoffs.loc[("Do", "Ship"), ["wait_median_hours_current", "wait_median_hours_future"]].tolist() == [
        10.5,
        3.5,
    ]


def test_to_dict_is_plain_json_and_format_states_the_conventions():
    current, future = small_logs()
    comparison = compare(current, future)
    data = json.loads(json.dumps(comparison.to_dict()))
    assert data["headline"][0]["metric"] == "lead_time_mean"
    assert next(row for row in data["headline"] if row["metric"] == "lead_time_median") == {
        "metric": "lead_time_median",
        "label": "Lead time, median",
        "current": 15.0,
        "future": 8.0,
        "change": -7.0,
        "change_pct": pytest.approx(-7 / 15 * 100),
        "unit": "hours",
    }
    text = comparison.format()
    assert "Lead time, median" in text and "-46.7 %" in text
    # A ratio changes in percentage points only: no percentage of itself beside them.
    efficiency = next(line for line in text.splitlines() if line.startswith("Flow efficiency (portfolio)"))
    assert efficiency.rstrip().endswith("pp")
    assert "calendar: calendar time (24 h a day, every day)" in text


def test_a_map_and_a_log_cannot_be_compared():
    current, _ = small_logs()
    with pytest.raises(VsmInputError, match="cannot compare a map with an export"):
        compare(load_map(MAPS / "four_functions.yaml"), current)


def test_the_text_names_steps_not_ids_while_the_json_keeps_both():
    current = load_map(MAPS / "software_delivery.yaml")
    future = load_scenario(MAPS / "software_delivery.scenario.yaml").apply(current)
    comparison = compare(current, future)
    text = comparison.format()
    handoffs = text[text.index("Handoffs that changed:") :]
    assert "Analysis and refinement  Development and testing" in handoffs
    assert "analysis " not in handoffs and "build " not in handoffs
    steps = text[text.index("Steps that changed:") : text.index("Handoffs that changed:")]
    assert steps.splitlines()[1].startswith("name ") and "Release" in steps
    row = comparison.to_dict()["handoffs"][1]
    assert (row["from"], row["to"], row["from_name"], row["to_name"]) == (
        "analysis",
        "build",
        "Analysis and refinement",
        "Development and testing",
    )
