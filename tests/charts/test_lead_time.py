import numpy as np
import pandas as pd
import pytest

from tests.charts.chart_spec import SCRIPT, data_rows, escaped_in_svg, layers, rows_with, spec, svg, tooltip_fields
from vsm_widgets.charts.lead_time import SCATTER_POINTS, lead_time_histogram, lead_time_scatter

FINDING = "Half of 200 finished items took up to 10 days; 85 % up to 17 days"


def test_histogram_counts_every_finished_item_and_states_the_percentiles(items, conventions):
    chart = lead_time_histogram(items, conventions)
    made = spec(chart)
    assert made["title"]["text"] == FINDING
    assert made["title"]["subtitle"] == ["unit: days · day: 24 h · calendar time · clock starts at first active step"]
    bars = [row for row in rows_with(chart) if "bin_start" in row]
    assert sum(row["count"] for row in bars) == 200
    assert bars[0]["bin_start"] == pytest.approx(0.1) and bars[-1]["bin_end"] == pytest.approx(20.0)
    assert [row["label"] for row in rows_with(chart) if "label" in row] == [
        "50th: 10 days",
        "85th: 17 days",
        "95th: 19 days",
    ]


def test_percentile_lines_are_vertical_on_the_histogram(items, conventions):
    rule = [unit for unit in layers(lead_time_histogram(items, conventions)) if unit["mark"]["type"] == "rule"][0]
    assert rule["encoding"]["x"]["field"] == "value" and "y" not in rule["encoding"]


def test_scatter_draws_each_item_over_its_completion_date(items, conventions):
    chart = lead_time_scatter(items, conventions)
    assert spec(chart)["title"]["text"] == FINDING
    points = layers(chart)[0]
    assert points["encoding"]["x"]["field"] == "done" and points["encoding"]["y"]["field"] == "lead_time"
    assert points["encoding"]["color"]["field"] == "type"
    assert len(rows_with(chart, count=1)) == 200
    assert rows_with(chart, item=SCRIPT, type="defect")
    assert {"item", "type", "done", "lead_time"} <= tooltip_fields(chart)
    assert escaped_in_svg(SCRIPT, svg(chart))


def test_many_items_are_counted_on_a_grid_sized_by_count(conventions):
    count = 3 * SCATTER_POINTS
    many = pd.DataFrame(
        {
            "item": [f"I{i}" for i in range(count)],
            "type": "story",
            "done": pd.date_range("2026-01-01", periods=count, freq="h", tz="UTC"),
            "finished": True,
            "lead_time_hours": np.linspace(1, 500, count),
        }
    )
    chart = lead_time_scatter(many, conventions)
    points = layers(chart)[0]
    assert points["encoding"]["size"]["field"] == "count"
    assert sum(row["count"] for row in rows_with(chart) if "count" in row) == count
    assert data_rows(chart) <= SCATTER_POINTS + 10
    assert spec(chart)["title"]["subtitle"][1] == "6,000 items counted on a grid of completion dates and lead times"


def test_no_finished_items_says_so(items, conventions):
    open_only = items[~items["finished"]]
    assert spec(lead_time_histogram(open_only, conventions))["title"]["text"] == "No finished items yet"
    assert spec(lead_time_scatter(open_only, conventions))["title"]["text"] == "No finished items yet"


def test_durations_follow_the_display_unit(items):
    chart = lead_time_histogram(items, {"unit": "hours", "hours per day": "24"})
    assert spec(chart)["title"]["text"] == "Half of 200 finished items took up to 241.2 hours; 85 % up to 408.4 hours"
