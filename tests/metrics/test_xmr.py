import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vsm_widgets.metrics.xmr import NATURAL_LIMIT_SCALE, RANGE_LIMIT_SCALE, lead_time_xmr, xmr


def test_limits_are_the_mean_plus_and_minus_2_66_average_moving_ranges():
    result = xmr([10.0, 12, 11, 13, 12])
    assert result.limits.centre == pytest.approx(11.6)
    assert result.limits.average_moving_range == pytest.approx(1.5)
    assert result.limits.upper == pytest.approx(11.6 + 2.66 * 1.5)
    assert result.limits.lower == pytest.approx(11.6 - 2.66 * 1.5)
    assert result.limits.moving_range_upper == pytest.approx(3.268 * 1.5)
    assert result.points["moving_range"].tolist()[1:] == [2.0, 1.0, 2.0, 1.0]
    assert np.isnan(result.points["moving_range"].iloc[0])


def test_limits_from_a_baseline_judge_the_points_after_it():
    result = xmr([10.0, 12, 11, 13, 12, 40], baseline=5)
    assert result.limits.baseline_points == 5
    assert result.limits.centre == pytest.approx(11.6)
    assert result.points["in_baseline"].tolist() == [True] * 5 + [False]
    assert result.points["beyond_limits"].tolist() == [False] * 5 + [True]
    assert result.signals == 1


def test_a_baseline_mask_may_pick_any_points():
    mask = np.array([False, True, True, True, False])
    result = xmr([100.0, 10, 12, 11, 100], baseline=mask)
    assert result.limits.centre == pytest.approx(11.0)
    assert result.limits.average_moving_range == pytest.approx(1.5)


BASELINE = [11.0, 9.0] * 4  # centre 10; ends below it, and no two points in a row on one side


def test_a_run_of_eight_on_one_side_is_a_signal_and_seven_is_not():
    seven = xmr(BASELINE + [10.5] * 7 + [9.5], baseline=len(BASELINE))
    assert not seven.points["in_run"].any()
    eight = xmr(BASELINE + [10.5] * 8 + [9.5], baseline=len(BASELINE))
    assert eight.limits.centre == pytest.approx(10.0)
    assert eight.points["in_run"].tolist() == [False] * 8 + [True] * 8 + [False]
    assert eight.points["signal"].sum() == 8


def test_a_point_on_the_centre_line_breaks_a_run():
    broken = xmr(BASELINE + [11.0] * 4 + [10.0] + [11.0] * 4, baseline=len(BASELINE))
    assert not broken.points["in_run"].any()
    longer = xmr(BASELINE + [11.0] * 4 + [10.0] + [11.0] * 8, baseline=len(BASELINE))
    assert longer.points["in_run"].tolist()[-8:] == [True] * 8


def test_the_lower_limit_stops_at_the_floor():
    result = xmr([1.0, 10, 1, 10], floor=0.0)
    assert result.limits.lower == 0.0


def test_too_few_values_have_no_limits_and_no_signals():
    result = xmr([5.0])
    assert not result.limits.defined
    assert result.signals == 0
    assert xmr([]).points.empty


def test_a_baseline_of_one_point_is_refused():
    with pytest.raises(ValueError, match="at least two"):
        xmr([1.0, 2.0, 3.0], baseline=1)


def test_lead_times_are_taken_in_completion_order_from_finished_items():
    items = pd.DataFrame(
        {
            "item": ["late", "early", "open", "middle"],
            "type": ["a", "b", "a", "b"],
            "done": pd.to_datetime(["2026-01-09", "2026-01-05", None, "2026-01-07"], utc=True),
            "finished": [True, True, False, True],
            "lead_time_hours": [30.0, 10.0, np.nan, 20.0],
        }
    )
    result = lead_time_xmr(items)
    assert result.points["item"].tolist() == ["early", "middle", "late"]
    assert result.points["value"].tolist() == [10.0, 20.0, 30.0]
    assert result.limits.lower >= 0.0


def test_a_baseline_period_takes_the_items_done_within_it():
    items = pd.DataFrame(
        {
            "item": list("abcdef"),
            "done": pd.date_range("2026-01-01", periods=6, freq="D", tz="UTC"),
            "finished": True,
            "lead_time_hours": [10.0, 12, 11, 13, 50, 60],
        }
    )
    result = lead_time_xmr(items, baseline=("2026-01-01", "2026-01-05"))
    assert result.limits.baseline_points == 4
    assert result.limits.centre == pytest.approx(11.5)
    assert result.points["signal"].tolist()[-2:] == [True, True]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(min_value=0, max_value=1e6, allow_nan=False), min_size=2, max_size=60))
def test_limits_are_symmetric_and_signals_are_beyond_them_or_in_runs(values):
    result = xmr(values)
    limits = result.limits
    assert limits.upper - limits.centre == pytest.approx(NATURAL_LIMIT_SCALE * limits.average_moving_range)
    assert limits.moving_range_upper == pytest.approx(RANGE_LIMIT_SCALE * limits.average_moving_range)
    points = result.points
    outside = (points["value"] > limits.upper) | (points["value"] < limits.lower)
    assert (points["beyond_limits"] == outside).all()
    assert (points["signal"] == (points["beyond_limits"] | points["in_run"])).all()
