import numpy as np
import pandas as pd

from vsm_widgets.metrics.series import coarsen, period_name, period_starts, wip_by_period


def test_period_starts_keep_the_time_zone_and_weeks_start_on_monday():
    stamps = pd.Series(pd.to_datetime(["2026-01-07 15:00", "2026-01-11 23:00"]).tz_localize("Europe/Berlin"))
    starts = period_starts(stamps, "W")
    assert starts.dt.tz is not None
    assert starts.dt.strftime("%Y-%m-%d %H:%M").tolist() == ["2026-01-05 00:00", "2026-01-05 00:00"]


def test_period_names_come_from_the_spacing():
    assert period_name(pd.date_range("2026-01-01", periods=5, freq="D")) == "day"
    assert period_name(pd.date_range("2026-01-01", periods=5, freq="MS")) == "month"
    assert period_name(pd.date_range("2026-01-01", periods=5, freq="QS")) == "quarter"


def test_a_short_table_is_left_as_it_is():
    table = pd.DataFrame({"period_start": pd.date_range("2026-01-05", periods=3, freq="W-MON"), "finished": [1, 2, 3]})
    merged, name = coarsen(table, "period_start", sums=["finished"])
    assert name == "week" and merged["finished"].tolist() == [1, 2, 3]


def test_counts_add_up_and_cumulative_values_keep_the_last_in_longer_periods():
    days = pd.date_range("2024-01-01", periods=3 * 365, freq="D")
    table = pd.DataFrame(
        {
            "date": np.repeat(days, 2),
            "state": ["doing", "done"] * len(days),
            "items": np.ravel(np.column_stack([np.full(len(days), 4), np.arange(len(days))])),
            "arrived": 1,
        }
    )
    merged, name = coarsen(table, "date", sums=["arrived"], lasts=["items"], by=["state"], max_rows=400)
    assert name == "week" and len(merged) <= 400
    assert merged["arrived"].sum() == table["arrived"].sum()
    done = merged[merged["state"] == "done"]
    assert done["items"].iloc[0] == 6  # Sunday 2024-01-07 is day 6
    assert done["items"].iloc[-1] == len(days) - 1


def test_wip_is_read_at_each_period_end_and_at_its_peak():
    steps = pd.DataFrame(
        {
            "time": pd.to_datetime(["2026-01-05 09:00", "2026-01-05 12:00", "2026-01-05 15:00", "2026-01-08 10:00"]),
            "wip": [1, 4, 2, 0],
        }
    )
    steps["time"] = steps["time"].dt.tz_localize("UTC")
    table, name = wip_by_period(steps)
    assert name == "day"
    assert table["wip_end"].tolist() == [2, 2, 2, 0]
    assert table["wip_peak"].tolist() == [4, 2, 2, 2]


def test_a_long_wip_series_is_read_per_week():
    times = pd.date_range("2022-01-01", periods=5000, freq="7h", tz="UTC")
    table, name = wip_by_period(pd.DataFrame({"time": times, "wip": np.arange(5000) % 7}), max_periods=400)
    assert name == "week" and len(table) <= 400
    assert table["wip_peak"].max() == 6
