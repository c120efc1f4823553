import numpy as np
import pandas as pd
import pytest

from vsm_widgets.metrics.distribution import histogram, percentile_lines, percentiles, point_cloud


def test_percentile_lines_use_numpy_linear_interpolation_and_ignore_missing_values():
    lines = percentile_lines(pd.Series([*range(1, 101), np.nan], dtype=float))
    assert lines["percentile"].tolist() == [50, 85, 95]
    assert lines["value"].tolist() == pytest.approx([50.5, 85.15, 95.05])
    assert percentile_lines([]).empty


def test_histogram_counts_every_value_in_at_most_the_given_bins():
    values = np.random.default_rng(3).lognormal(3, 1, 50_000)
    bins = histogram(values, max_bins=25)
    assert len(bins) <= 25
    assert bins["count"].sum() == 50_000
    assert (bins["bin_end"] > bins["bin_start"]).all()
    assert bins["bin_start"].iloc[0] == values.min() and bins["bin_end"].iloc[-1] == pytest.approx(values.max())


def test_a_single_value_still_makes_a_bin():
    bins = histogram([3.0, 3.0])
    assert bins["count"].tolist() == [2]


def test_few_points_are_kept_one_by_one():
    frame = pd.DataFrame({"step": ["a", "b"], "age": [1.0, 2.0], "item": ["x", "y"]})
    cloud = point_cloud(frame, "step", "age", keep=["item"])
    assert cloud.to_dict("records") == [
        {"step": "a", "age": 1.0, "item": "x", "count": 1},
        {"step": "b", "age": 2.0, "item": "y", "count": 1},
    ]


def test_many_points_are_counted_on_a_grid_within_the_budget():
    count = 100_000
    frame = pd.DataFrame(
        {
            "done": pd.date_range("2024-01-01", periods=count, freq="10min", tz="UTC"),
            "lead": np.random.default_rng(5).lognormal(3, 1, count),
            "item": "i",
        }
    )
    cloud = point_cloud(frame, "done", "lead", keep=["item"], max_points=2000)
    assert len(cloud) <= 2000
    assert cloud["count"].sum() == count
    assert cloud["item"].isna().all()
    assert cloud["done"].min() >= frame["done"].min() and cloud["done"].max() <= frame["done"].max()


def test_categories_keep_their_names_on_the_grid():
    frame = pd.DataFrame({"step": ["a"] * 50 + ["b"] * 50, "age": np.arange(100.0)})
    cloud = point_cloud(frame, "step", "age", max_points=10)
    assert set(cloud["step"]) == {"a", "b"} and len(cloud) <= 10
    assert cloud.groupby("step")["count"].sum().tolist() == [50, 50]


def test_percentiles_is_linear_between_ranks_and_ignores_missing():
    # 1, 2, 3, 4: rank 0.85 * 3 = 2.55 lies between 3 and 4, so 3.55; the median between 2 and 3
    assert percentiles([4, np.nan, 1, 3, 2], (50, 85)).tolist() == pytest.approx([2.5, 3.55])


def test_percentiles_of_outcomes_are_outcomes_that_happened():
    assert percentiles([1, 2, 3, 4], (50, 85, 95), outcomes=True).tolist() == [2, 4, 4]


def test_percentiles_along_an_axis_per_resample():
    draws = np.array([[1.0, 2.0, 3.0], [10.0, 20.0, np.nan]])
    assert percentiles(draws, (50,), axis=1).tolist() == [[2.0, 15.0]]


def test_percentiles_of_nothing_are_nan_for_each_rank():
    assert np.isnan(percentiles([np.nan], (50, 85))).all()
