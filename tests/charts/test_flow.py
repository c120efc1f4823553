import numpy as np
import pandas as pd
import pytest

from tests.charts.chart_spec import (
    DROP,
    SCRIPT,
    data_rows,
    escaped_in_svg,
    layers,
    rows_with,
    spec,
    svg,
    tooltip_fields,
)
from vsm_widgets.charts.flow import (
    AGING_POINTS,
    aging_wip_chart,
    cumulative_flow_chart,
    flow_distribution_chart,
    throughput_chart,
    wip_run_chart,
)
from vsm_widgets.charts.theme import WAITING, WORK, log_conventions
from vsm_widgets.metrics.flow import item_metrics
from vsm_widgets.metrics.throughput import flow_distribution, throughput
from vsm_widgets.metrics.wip import aging_wip, cumulative_flow, wip_series
from vsm_widgets.model.event_log import EventLog

STATES = ["created", "Analysis", "Ready for dev", "Dev", "done"]


def cfd_table(days, states=STATES):
    dates = pd.date_range("2026-01-05", periods=days, freq="D")
    rows = [
        {"date": date, "state": state, "items": day if state == "done" else 3}
        for day, date in enumerate(dates)
        for state in states
    ]
    return pd.DataFrame(rows)


def test_cumulative_flow_keeps_flow_order_with_done_at_the_bottom(conventions):
    chart = cumulative_flow_chart(cfd_table(30), conventions)
    made = spec(chart)
    assert made["title"]["text"] == "29 items done and 12 still in the stream on 2026-02-03"
    assert made["encoding"]["color"]["sort"] == STATES
    assert made["encoding"]["order"]["field"] == "stack"
    assert rows_with(chart, state="done")[0]["stack"] < rows_with(chart, state="created")[0]["stack"]
    assert made["encoding"]["x"]["title"] == "Date (per day)"


def test_a_long_cumulative_flow_is_drawn_per_week_with_the_counts_at_each_week_end(conventions):
    chart = cumulative_flow_chart(cfd_table(3 * 365), conventions)
    assert spec(chart)["encoding"]["x"]["title"] == "Date (per week)"
    assert data_rows(chart) <= 2500
    first_week = rows_with(chart, state="done")[0]
    assert first_week["items"] == 6  # the Sunday of the first week, 2026-01-11, is day 6


def test_wip_run_chart_shows_the_end_and_peak_of_each_period(conventions):
    wip = pd.DataFrame(
        {
            "time": pd.to_datetime(["2026-01-05 09:00", "2026-01-05 12:00", "2026-01-06 10:00", "2026-01-08 10:00"]),
            "wip": [1, 3, 2, 2],
        }
    )
    wip["time"] = wip["time"].dt.tz_localize("UTC")
    chart = wip_run_chart(wip, conventions)
    assert [(row["wip_end"], row["wip_peak"]) for row in rows_with(chart)] == [(3, 3), (2, 3), (2, 2), (2, 2)]
    assert spec(chart)["title"]["text"] == "WIP fell from 3 to 2 items per day end; peak 3"


def test_throughput_stacks_types_and_names_the_busiest_period(conventions):
    weeks = pd.date_range("2026-01-05", periods=4, freq="W-MON")
    table = pd.DataFrame(
        {
            "period_start": np.repeat(weeks, 2),
            "type": [DROP, None] * 4,
            "finished": [1, 2, 3, 4, 0, 0, 5, 1],
        }
    )
    chart = throughput_chart(table, conventions)
    assert spec(chart)["title"]["text"] == "16 items finished in 4 weeks; the busiest week 7"
    assert rows_with(chart, type="(no type)", finished=4)
    assert spec(chart)["encoding"]["color"]["field"] == "type"
    assert escaped_in_svg(DROP, svg(chart))


def test_years_of_daily_throughput_are_drawn_in_longer_periods(conventions):
    days = pd.date_range("2023-01-01", periods=4 * 365, freq="D")
    table = pd.DataFrame({"period_start": np.repeat(days, 3), "type": ["a", "b", "c"] * len(days), "finished": 1})
    chart = throughput_chart(table, conventions)
    assert data_rows(chart) <= 2500
    assert sum(row["finished"] for row in rows_with(chart)) == 3 * 4 * 365
    assert spec(chart)["encoding"]["y"]["title"] == "Items finished per week"


@pytest.fixture
def aging():
    return pd.DataFrame(
        {
            "item": ["W1", "W2", "W3", SCRIPT],
            "type": ["feature", "feature", None, "defect"],
            "step": ["Dev", "Ready for QA", "Dev", "QA"],
            "kind": ["active", "waiting", "active", "active"],
            "age_hours": [30 * 24.0, 2 * 24.0, 18 * 24.0, 5 * 24.0],
            "step_age_hours": [24.0, 24.0, 24.0, 24.0],
        }
    )


def test_aging_wip_compares_each_item_with_the_percentiles_of_finished_work(aging, items, conventions):
    chart = aging_wip_chart(aging, items, conventions, order=["Dev", "Ready for QA", "QA"])
    made = spec(chart)
    assert made["title"]["text"] == (
        "2 of 4 items in progress are already older than 85 % of finished work took (17 days)"
    )
    points = layers(chart)[0]["encoding"]
    assert points["x"]["sort"] == ["Dev", "Ready for QA", "QA"]
    assert dict(zip(points["color"]["scale"]["domain"], points["color"]["scale"]["range"], strict=True)) == {
        "work": WORK,
        "waiting": WAITING,
    }
    assert rows_with(chart, item="W2", kind="waiting", age=2.0)
    assert rows_with(chart, item="W3", type="(no type)")
    assert [row["label"] for row in rows_with(chart) if "label" in row] == [
        "50th: 10 days",
        "85th: 17 days",
        "95th: 19 days",
    ]
    assert {"item", "step", "age", "step_age"} <= tooltip_fields(chart)
    assert escaped_in_svg(SCRIPT, svg(chart))


def test_many_items_in_progress_are_counted_per_step_and_age(items, conventions):
    count = 2 * AGING_POINTS
    many = pd.DataFrame(
        {
            "item": [f"W{i}" for i in range(count)],
            "type": "feature",
            "step": ["Dev", "QA"] * AGING_POINTS,
            "kind": "active",
            "age_hours": np.linspace(1, 900, count),
            "step_age_hours": 1.0,
        }
    )
    chart = aging_wip_chart(many, items, conventions)
    assert data_rows(chart) <= AGING_POINTS + 10
    assert sum(row["count"] for row in rows_with(chart) if "count" in row) == count
    assert layers(chart)[0]["encoding"]["size"]["field"] == "count"


def test_flow_distribution_names_the_largest_type(conventions):
    table = pd.DataFrame({"type": ["Story", DROP, "Bug"], "finished": [54, 6, 40], "share": [0.54, 0.06, 0.40]})
    chart = flow_distribution_chart(table, conventions)
    assert spec(chart)["title"]["text"] == "Type Story made up 54 % of finished items"
    assert rows_with(chart, type="Bug", label="40 % (40)")
    assert layers(chart)[0]["encoding"]["y"]["sort"] == ["Story", "Bug", DROP]
    assert escaped_in_svg(DROP, svg(chart))


def test_every_flow_chart_draws_the_tables_of_the_flow_layer():
    rows = []
    start = pd.Timestamp("2026-03-02 09:00")
    for item in range(12):
        begin = start + pd.Timedelta(days=item)
        kind = "defect" if item % 3 == 0 else "feature"
        rows.append((f"I{item}", "Build", begin, begin + pd.Timedelta(hours=6 + item), kind))
        end = begin + pd.Timedelta(days=2 + item % 3) if item < 9 else None
        rows.append((f"I{item}", "Test", begin + pd.Timedelta(days=1), end, kind))
    log = EventLog.from_visits(pd.DataFrame(rows, columns=["item", "step", "start", "end", "type"]), as_of="2026-03-20")
    conventions = log_conventions(log)
    items = item_metrics(log)
    charts = {
        "9 items done and 3 still in the stream on 2026-03-20": cumulative_flow_chart(
            cumulative_flow(log), conventions
        ),
        "WIP rose from 1 to 3 items per day end; peak 4": wip_run_chart(wip_series(log), conventions),
        "9 items finished in 3 weeks; the busiest week 5": throughput_chart(throughput(log), conventions),
        "3 of 3 items in progress are already older than 85 % of finished work took (4 days)": aging_wip_chart(
            aging_wip(log), items, conventions, log.steps
        ),
        "Type feature made up 67 % of finished items": flow_distribution_chart(flow_distribution(log), conventions),
    }
    for finding, chart in charts.items():
        made = spec(chart)["title"]
        assert made["text"] == finding
        assert made["subtitle"][0] == "unit: days · day: 24 h · calendar time · clock starts at first active step"
        assert "<svg" in svg(chart)
