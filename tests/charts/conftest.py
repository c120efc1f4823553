"""Fixtures of the chart tests: a worked-example map, a hostile map, and tables in the flow contract's shape."""

import numpy as np
import pandas as pd
import pytest

from tests.charts.chart_spec import CONVENTIONS, DROP, SCRIPT, days
from vsm_widgets.model.stream import Handoff, Step, ValueStream


@pytest.fixture
def four_functions():
    """The worked example of DOMAIN section 2: lead time 44 days, 15 of them on unowned arrows."""
    steps = [
        Step("marketing", "Marketing", "Head of Marketing", days(5)),
        Step("sales", "Sales", "Head of Sales", days(8), pct_ca=0.8),
        Step("ops", "Ops", "Head of Ops", days(12), wastes=("waiting",)),
        Step("delivery", "Delivery", "Head of Delivery", days(4), wastes=("defects",)),
    ]
    handoffs = [
        Handoff("supplier", "marketing", days(0), owner="Head of Marketing"),
        Handoff("marketing", "sales", days(3)),
        Handoff("sales", "ops", days(5)),
        Handoff("ops", "delivery", days(7)),
        Handoff("delivery", "customer", days(0), owner="Head of Delivery"),
    ]
    return ValueStream("Quote to delivered solution", steps, handoffs, supplier="Customer request")


@pytest.fixture
def hostile_map():
    """A map whose user text tries to be markup or SQL."""
    steps = [
        Step("a", SCRIPT, DROP, days(2)),
        Step("b", DROP, SCRIPT, days(3), lead_time=days(4)),
    ]
    handoffs = [Handoff("supplier", "a", days(1)), Handoff("a", "b", days(2), owner=SCRIPT), Handoff("b", "customer")]
    return ValueStream(SCRIPT, steps, handoffs, supplier=SCRIPT, customer=DROP)


@pytest.fixture
def items():
    """An item_metrics table: 200 finished items (lead times 1..200 hours) and 10 in progress."""
    done = pd.date_range("2026-01-05", periods=200, freq="6h", tz="UTC")
    finished = pd.DataFrame(
        {
            "item": [f"I{i}" for i in range(200)],
            "type": ["feature" if i % 4 else "defect" for i in range(200)],
            "done": done,
            "finished": True,
            "lead_time_hours": np.arange(1.0, 201.0) * 24 / 10,
        }
    )
    open_items = pd.DataFrame(
        {
            "item": [f"W{i}" for i in range(10)],
            "type": "feature",
            "done": pd.NaT,
            "finished": False,
            "lead_time_hours": np.nan,
        }
    )
    table = pd.concat([finished, open_items], ignore_index=True)
    table["done"] = pd.to_datetime(table["done"], utc=True)
    table.loc[0, "item"] = SCRIPT
    return table


@pytest.fixture
def conventions():
    return dict(CONVENTIONS)
