"""No chart carries more than 5,000 data rows, whatever the size of the export."""

import numpy as np
import pandas as pd
import pytest

from tests.charts.chart_spec import data_rows, svg
from vsm_widgets.charts import (
    MAX_DATA_ROWS,
    aging_wip_chart,
    cumulative_flow_chart,
    flow_distribution_chart,
    ladder_chart,
    lead_time_histogram,
    lead_time_scatter,
    log_conventions,
    step_time_chart,
    throughput_chart,
    time_share_chart,
    value_stream_map,
    waste_pareto_chart,
    wip_run_chart,
    xmr_chart,
)
from vsm_widgets.metrics.flow import item_metrics
from vsm_widgets.metrics.throughput import flow_distribution, throughput
from vsm_widgets.metrics.wip import aging_wip, cumulative_flow, wip_series
from vsm_widgets.model.event_log import EventLog
from vsm_widgets.model.stream import ValueStream

ITEMS, STEPS = 25_000, 40


def million_row_log():
    """25,000 items through 40 steps over two years: 1,000,000 visits, 2 % of items still open."""
    rng = np.random.default_rng(20261123)
    arrival = np.datetime64("2024-01-01T00:00", "s") + np.sort(rng.integers(0, 2 * 365 * 86400, ITEMS)).astype(
        "timedelta64[s]"
    )
    work = rng.lognormal(7.5, 1, (ITEMS, STEPS)).astype("int64")
    queue = rng.lognormal(8.5, 1.2, (ITEMS, STEPS)).astype("int64")
    start = arrival[:, None] + (np.cumsum(queue + work, axis=1) - work).astype("timedelta64[s]")
    end = (start + work.astype("timedelta64[s]")).astype("datetime64[ns]")
    end[rng.random(ITEMS) < 0.02, -1] = np.datetime64("NaT")
    frame = pd.DataFrame(
        {
            "item": np.repeat(np.char.add("I", np.arange(ITEMS).astype(str)), STEPS),
            "step": np.tile(np.array([f"Step {i}" for i in range(STEPS)], dtype=object), ITEMS),
            "start": start.ravel(),
            "end": end.ravel(),
            "type": np.repeat(rng.choice(["feature", "defect", "debt", "risk"], ITEMS), STEPS),
        }
    )
    return EventLog.from_visits(frame, as_of="2026-01-15")


@pytest.mark.slow
def test_every_chart_of_a_million_row_log_carries_at_most_5000_data_rows():
    # One test rather than one per chart: the log is built once even when pytest-xdist spreads the tests.
    log = million_row_log()
    assert len(log.visits) == ITEMS * STEPS
    conventions = log_conventions(log)
    items = item_metrics(log)
    measured = ValueStream.from_events(log)
    charts = {
        "lead time histogram": lead_time_histogram(items, conventions),
        "lead time scatter": lead_time_scatter(items, conventions),
        "cumulative flow": cumulative_flow_chart(cumulative_flow(log, "D"), conventions),
        "WIP": wip_run_chart(wip_series(log), conventions),
        "throughput per day": throughput_chart(throughput(log, "D"), conventions),
        "aging WIP": aging_wip_chart(aging_wip(log), items, conventions, log.steps),
        "flow distribution": flow_distribution_chart(flow_distribution(log), conventions),
        "XmR": xmr_chart(items, conventions, baseline=1000),
        "measured map": value_stream_map(measured),
        "measured ladder": ladder_chart(measured),
        "measured step times": step_time_chart(measured),
        "measured time shares": time_share_chart(measured),
        "measured waste Pareto": waste_pareto_chart(measured),
    }
    rows = {name: data_rows(chart) for name, chart in charts.items()}
    assert MAX_DATA_ROWS == 5000
    assert all(0 < count <= MAX_DATA_ROWS for count in rows.values()), rows
    for name in ("lead time scatter", "cumulative flow", "XmR"):
        assert "<svg" in svg(charts[name]), name
