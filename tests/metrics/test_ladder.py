import pandas as pd
import pytest

from tests.paths import MAPS, SAMPLES
from vsm_widgets.io.map_file import load_map
from vsm_widgets.metrics.ladder import ladder_segments, step_times


@pytest.fixture(params=["four_functions", "parallel", "office", "manufacturing", "software_delivery", "teaching"])
def stream(request):
    return load_map(f"{SAMPLES}/maps/{request.param}.yaml")


def test_the_rungs_add_up_to_the_map_totals(stream):
    segments = ladder_segments(stream)
    summary = stream.summary()
    assert segments.loc[segments["kind"] == "waiting", "duration"].sum() == pytest.approx(summary["wait_time"])
    assert segments.loc[segments["kind"] == "work", "duration"].sum() == pytest.approx(summary["process_time"])
    assert segments["end"].iloc[-1] == pytest.approx(summary["lead_time"])
    assert segments["start"].iloc[1:].to_numpy() == pytest.approx(segments["end"].iloc[:-1].to_numpy())


def test_the_ladder_walks_the_critical_path_in_order():
    stream = load_map(MAPS / "four_functions.yaml")
    segments = ladder_segments(stream)
    assert segments["key"].tolist() == [
        "supplier->marketing",
        "marketing",
        "marketing->sales",
        "sales",
        "sales->ops",
        "ops",
        "ops->delivery",
        "delivery",
        "delivery->customer",
    ]
    assert pd.isna(segments["owner"].iloc[2]) and segments["owner"].iloc[1] == "Head of Marketing"


def test_step_times_split_waiting_before_and_inside_each_step():
    stream = load_map(MAPS / "parallel.yaml")
    times = step_times(stream).set_index("step")
    assert times.loc["equipment", "waiting_before"] == 1.0
    assert times.loc["equipment", "waiting_inside"] == pytest.approx(6 - 0.25)
    assert times.loc["equipment", "process_time"] == pytest.approx(0.25)
    # The first day waits for both branches: the longer of its two incoming waits.
    assert times.loc["first_day", "waiting_before"] == 1.0
    assert not times.loc["paperwork", "critical"]
    assert times.index[-1] == "customer" and times.loc["customer", "name"] == "New hire"
