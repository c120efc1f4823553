import numpy as np
import pandas as pd

from tests.charts.chart_spec import SCRIPT, data_rows, escaped_in_svg, layers, rows_with, spec, svg, tooltip_fields
from vsm_widgets.charts.spc import SPC_POINTS, control_chart, xmr_chart
from vsm_widgets.metrics.xmr import xmr


def finished(hours, start="2026-01-05"):
    count = len(hours)
    return pd.DataFrame(
        {
            "item": [f"I{i}" for i in range(count)],
            "type": "story",
            "done": pd.date_range(start, periods=count, freq="D", tz="UTC"),
            "finished": True,
            "lead_time_hours": np.asarray(hours, dtype=float),
        }
    )


def test_a_stable_process_is_called_predictable_with_its_limits(conventions):
    hours = [24.0, 30, 26, 28, 27] * 4
    made = spec(xmr_chart(finished(hours), conventions))
    assert made["title"]["text"] == "Lead time is predictable: every item within 0.8–1.5 days, no run of eight"
    assert made["title"]["subtitle"][1] == "natural process limits from all 20 finished items"


def test_signals_are_marked_and_counted_in_the_title(conventions):
    hours = [24.0, 30, 26, 28, 27, 25, 29, 26, 200] + [40.0] * 8
    chart = xmr_chart(finished(hours), conventions, baseline=8)
    made = spec(chart)
    assert made["title"]["text"] == ("Signals of a real change: 9 items beyond the limits")
    assert made["title"]["subtitle"][1] == "natural process limits from the 8 baseline items (shaded)"
    assert rows_with(chart, item="I8", reading="beyond the limits")
    assert rows_with(chart, item="I0", reading="routine variation")
    points = [unit for unit in layers(chart) if unit["mark"]["type"] == "point"][0]["encoding"]
    assert points["shape"]["scale"]["range"] == ["circle", "triangle-up", "square"]
    assert rows_with(chart, label="baseline", start=0.5, end=8.5)


def test_a_run_of_eight_on_one_side_is_a_signal(conventions):
    hours = [24.0, 30, 26, 28, 27, 25, 29, 26] + [28.5] * 8
    chart = xmr_chart(finished(hours), conventions, baseline=8)
    assert spec(chart)["title"]["text"] == "Signals of a real change: 8 more in runs of eight on one side"
    assert len(rows_with(chart, reading="run of eight")) == 8


def test_limit_lines_carry_their_values_in_the_display_unit(conventions):
    hours = [24.0, 48.0] * 5
    chart = xmr_chart(finished(hours), conventions)
    assert rows_with(chart, line="mean", value=1.5, text="mean 1.5")
    assert rows_with(chart, line="URL", text="URL 3.3")
    assert rows_with(chart, line="LNPL", value=0.0)


def test_only_the_latest_points_are_drawn(conventions):
    hours = np.tile([20.0, 30.0], SPC_POINTS)
    chart = xmr_chart(finished(hours, start="2020-01-01"), conventions)
    assert data_rows(chart) < SPC_POINTS + 20
    assert spec(chart)["title"]["subtitle"][1].endswith("; the latest 1,000 of 2,000 items shown")


def test_too_few_items_have_no_limits(conventions):
    assert spec(xmr_chart(finished([30.0]), conventions))["title"]["text"] == (
        "Too few finished items for natural process limits"
    )


def test_any_xmr_analysis_of_hours_can_be_drawn(conventions):
    analysis = xmr([24.0, 30, 26, 28, 100])
    assert spec(control_chart(analysis, conventions))["title"]["text"] == (
        "Signals of a real change: 1 item beyond the limits"
    )


def test_item_names_are_data(conventions):
    items = finished([24.0, 30, 26, 28])
    items.loc[1, "item"] = SCRIPT
    chart = xmr_chart(items, conventions)
    assert rows_with(chart, item=SCRIPT) and "item" in tooltip_fields(chart)
    assert "<script>" not in svg(chart)
    assert escaped_in_svg(SCRIPT, svg(chart))
