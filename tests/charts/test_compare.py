import math

import pandas as pd
import pytest

from tests.charts.chart_spec import DROP, SCRIPT, days, escaped_in_svg, layers, rows_with, spec, svg
from vsm_widgets.charts.compare import headline_change_chart, paired_ladder_chart, paired_step_chart
from vsm_widgets.charts.theme import NEUTRAL
from vsm_widgets.charts.timeline import LADDER_SPAN
from vsm_widgets.future.compare import compare
from vsm_widgets.model.stream import Step


@pytest.fixture
def future(four_functions):
    """Two days off the wait before Delivery, Sales folded away, a quick check added after Ops."""
    shorter = four_functions.with_handoff(four_functions.handoff("ops", "delivery").replace(wait=days(5)))
    return shorter.remove_step("sales").add_step(Step("check", "Check", "Head of Ops", days(1)), after="ops")


def test_paired_ladders_share_one_time_scale(four_functions, future):
    chart = paired_ladder_chart(four_functions, future)
    made = spec(chart)
    lead = future.summary()["lead_time"]
    assert made["title"]["text"] == f"Lead time 44 days in the current state, {lead:g} days in the future state"
    assert rows_with(chart, text="Current state: lead time 44 days")
    assert rows_with(chart, text=f"Future state: lead time {lead:g} days")
    assert made["layer"][0]["encoding"]["x"]["scale"]["domain"] == [0, 44.0]
    # The current ladder sits above the future one.
    assert rows_with(chart, key="ops", kind="work")[0]["rung"] == LADDER_SPAN
    assert rows_with(chart, key="check", kind="work")[0]["rung"] == 0.0


def test_maps_in_different_units_are_drawn_in_the_unit_of_the_current_one(four_functions):
    in_hours = four_functions.replace(unit="hours")
    chart = paired_ladder_chart(four_functions, in_hours, labels=("Before", "After"))
    assert spec(chart)["title"]["text"] == "Lead time 44 days in the before, 44 days in the after"


def test_maps_on_different_day_lengths_are_refused(four_functions):
    with pytest.raises(ValueError, match="hours_per_day"):
        paired_ladder_chart(four_functions, four_functions.replace(hours_per_day=8))


def test_paired_step_bars_match_steps_and_mark_removed_and_new_ones(four_functions, future):
    chart = paired_step_chart(four_functions, future)
    made = spec(chart)
    assert made["title"]["text"] == "Process time 29 days → 22 days; waiting 15 days → 10 days"
    order = made["encoding"]["y"]["sort"]
    assert order == ["Marketing", "Sales (removed)", "Ops", "Delivery", "Customer", "Check (new)"]
    assert rows_with(chart, display="Delivery", state="Current state", part="waiting before", time=7.0)
    assert rows_with(chart, display="Check (new)", state="Future state", part="process time", time=1.0)
    assert not rows_with(chart, display="Sales (removed)", state="Future state")
    assert made["encoding"]["fillOpacity"]["scale"] == {
        "domain": ["Current state", "Future state"],
        "range": [0.15, 1.0],
    }
    assert made["encoding"]["stroke"]["field"] == "part"


@pytest.fixture
def changes():
    return pd.DataFrame(
        {
            "metric": ["lead_time", "wait_time", "activity_ratio", "unowned_handoffs"],
            "current": [44.0, 15.0, 0.659, 0.0],
            "future": [30.0, 8.0, 0.733, 2.0],
            "change": [-14.0, -7.0, 0.074, 2.0],
            "change_pct": [-31.8, -46.7, 11.2, math.nan],
            "unit": ["days", "days", "share", "arrows"],
        }
    )


def test_headline_changes_state_the_lead_time_change(changes, conventions):
    chart = headline_change_chart(changes, conventions)
    made = spec(chart)
    assert made["title"]["text"] == "Lead time falls 32 % (44 days → 30 days)"
    assert rows_with(chart, name="Wait time", label="15 days → 8 days (−47 %)")
    assert rows_with(chart, name="Activity ratio", label="65.9 % → 73.3 % (+11 %)")
    assert rows_with(chart, name="Unowned handoffs", label="0 arrows → 2 arrows", bar=0.0)
    bars = [unit for unit in layers(chart) if unit["mark"]["type"] == "bar"][0]
    assert bars["mark"]["color"] == NEUTRAL


def test_without_lead_time_the_largest_change_leads(changes, conventions):
    chart = headline_change_chart(changes[changes["metric"] != "lead_time"], conventions)
    assert spec(chart)["title"]["text"] == "Wait time falls 47 % (15 days → 8 days)"


def test_user_text_is_data_in_comparisons(hostile_map):
    future = hostile_map.with_handoff(hostile_map.handoff("a", "b").replace(wait=days(1)))
    for chart in (paired_ladder_chart(hostile_map, future), paired_step_chart(hostile_map, future)):
        image = svg(chart)
        assert escaped_in_svg(DROP, image) and "<script>" not in image
    assert rows_with(paired_step_chart(hostile_map, future), display=SCRIPT)


def test_the_headline_of_a_comparison_is_drawn_with_its_labels(four_functions):
    future = four_functions.with_handoff(four_functions.handoff("ops", "delivery").replace(wait=days(2)))
    comparison = compare(four_functions, future)
    chart = headline_change_chart(comparison.headline, {"unit": "days", "hours per day": "24"})
    assert spec(chart)["title"]["text"] == "Lead time falls 11 % (44 days → 39 days)"
    assert rows_with(chart, name="Process cycle efficiency (PCE)")
    assert rows_with(chart, name="Capacity of the constraint", label="0.083 items/day → 0.083 items/day (+0 %)")
