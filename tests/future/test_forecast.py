"""Forecasts: reproducible with a seed, honest about how much they move, right against analytic answers."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import binom

from tests.flow_logs import visit_log
from tests.paths import MAPS
from vsm_widgets.calendar import Calendar
from vsm_widgets.future.forecast import (
    Empirical,
    Triangular,
    daily_throughput,
    how_many,
    lead_time_forecast,
    measured_estimates,
    when_done,
)
from vsm_widgets.io.map_file import load_map
from vsm_widgets.model.stream import Step, ValueStream
from vsm_widgets.units import Duration

# numpy 2.5 deprecates date arithmetic in its generic unit; the forecasts must not rely on it.
pytestmark = pytest.mark.filterwarnings("error:The 'generic' unit for NumPy timedelta:DeprecationWarning")

LOW, LIKELY, HIGH = 2.0, 3.0, 8.0


def one_step():
    return ValueStream("one step", [Step("work", process_time=Duration.of(LIKELY, "days"))])


def triangular_quantile(p):
    """Inverse of the triangular CDF with low 2, mode 3, high 8 (days)."""
    if p < (LIKELY - LOW) / (HIGH - LOW):
        return LOW + math.sqrt(p * (HIGH - LOW) * (LIKELY - LOW))
    return HIGH - math.sqrt((1 - p) * (HIGH - LOW) * (HIGH - LIKELY))


def triangular_density(x):
    if x < LIKELY:
        return 2 * (x - LOW) / ((HIGH - LOW) * (LIKELY - LOW))
    return 2 * (HIGH - x) / ((HIGH - LOW) * (HIGH - LIKELY))


def test_a_one_step_map_forecasts_the_triangular_percentiles():
    runs = 20_000
    forecast = lead_time_forecast(one_step(), {"work": Triangular.of(LOW, LIKELY, HIGH)}, runs=runs, seed=1)
    assert forecast.unit == "days"
    for row in forecast.table.itertuples():
        p = row.percentile / 100
        exact = triangular_quantile(p)  # 50 %: 8 - sqrt(15) = 4.127; 85 %: 8 - sqrt(4.5) = 5.879; 95 %: 6.775
        # Standard error of a sample quantile: sqrt(p (1 - p) / n) / density; at 95 % that is 0.019 days.
        error = math.sqrt(p * (1 - p) / runs) / triangular_density(exact)
        assert row.lead_time == pytest.approx(exact, abs=4 * error)
        # Six runs of the same size spread over about 2.5 standard errors; far more would be a bug.
        assert 0 < row.moved < 8 * error


def test_the_same_seed_gives_the_same_forecast_and_another_seed_a_different_one():
    estimates = {"work": Triangular.of(LOW, LIKELY, HIGH)}
    first = lead_time_forecast(one_step(), estimates, runs=2000, seed=7)
    again = lead_time_forecast(one_step(), estimates, runs=2000, seed=7)
    other = lead_time_forecast(one_step(), estimates, runs=2000, seed=8)
    pd.testing.assert_frame_equal(first.table, again.table)
    np.testing.assert_array_equal(first.samples, again.samples)
    assert not np.array_equal(first.samples, other.samples)
    assert "seed 7" in first.format() and first.to_dict()["seed"] == 7


def test_without_a_seed_one_is_drawn_and_recorded():
    estimates = {"work": Triangular.of(LOW, LIKELY, HIGH)}
    drawn = lead_time_forecast(one_step(), estimates, runs=500)
    np.testing.assert_array_equal(
        drawn.samples, lead_time_forecast(one_step(), estimates, runs=500, seed=drawn.seed).samples
    )


def test_elements_without_an_estimate_keep_the_maps_values_on_the_critical_path():
    parallel = load_map(MAPS / "parallel.yaml")
    fixed = lead_time_forecast(parallel, runs=100, seed=0)
    # No distribution anywhere: every run is the map's 10.5 working days, and nothing moves.
    assert fixed.table["lead_time"].tolist() == [10.5, 10.5, 10.5]
    assert fixed.table["moved"].tolist() == [0, 0, 0]
    # Equipment (6 days) always 1 day: the paperwork branch (8.5 days) becomes the critical one.
    quick = lead_time_forecast(parallel, {"Laptop and accounts": Empirical((8 * 3600.0,))}, runs=100, seed=0)
    assert quick.table["lead_time"].tolist() == [8.5, 8.5, 8.5]


def test_an_estimate_for_something_the_map_lacks_is_refused():
    with pytest.raises(ValueError, match="the map has no step 'legal' to estimate"):
        lead_time_forecast(one_step(), {"legal": Triangular.of(1, 2, 3)})
    with pytest.raises(ValueError, match="low <= likely <= high"):
        Triangular.of(3, 2, 1)


def test_measured_estimates_take_each_items_total_time_by_hand():
    t = pd.Timestamp("2026-03-02")
    log = visit_log(
        [
            ("A", "Dev", t, t + pd.Timedelta(hours=2)),
            ("A", "QA", t + pd.Timedelta(hours=5), t + pd.Timedelta(hours=6)),
            ("A", "Dev", t + pd.Timedelta(hours=6), t + pd.Timedelta(hours=7)),
            ("B", "Dev", t, t + pd.Timedelta(hours=4)),
        ],
        as_of=t + pd.Timedelta(days=1),
    )
    estimates = measured_estimates(log)
    # Dev: A spent 2 + 1 h over two visits, B 4 h.
    assert sorted(estimates["Dev"].seconds) == [3 * 3600.0, 4 * 3600.0]
    assert estimates[("Dev", "QA")].seconds == (3 * 3600.0,)
    assert ("QA", "Dev") in estimates
    stream = ValueStream("m", [Step("dev", "Dev"), Step("qa", "QA")])
    # A map has no arrow back from QA to Dev: that rework wait is left out for it.
    assert ("QA", "Dev") not in measured_estimates(log, stream)


def test_when_done_with_a_steady_throughput_by_hand():
    history = pd.Series(2, index=pd.date_range("2026-03-01", periods=10, freq="D"))
    forecast = when_done(history, 9, seed=0, runs=200)
    # Two items a day: 9 items need 5 days, the first forecast day (March 11) counting as day 1.
    assert forecast.table["days"].tolist() == [5, 5, 5]
    assert forecast.table["date"].tolist() == [pd.Timestamp("2026-03-15").date()] * 3
    assert forecast.table["moved"].tolist() == [0, 0, 0]


def test_how_many_against_the_binomial_distribution():
    # A history of days finishing 0 or 1 item, half each: 100 days give Binomial(100, 0.5) items.
    history = pd.Series([0, 1] * 20, index=pd.date_range("2026-01-01", periods=40, freq="D"))
    by = pd.Timestamp("2026-02-10") + pd.Timedelta(days=99)
    forecast = how_many(history, by, seed=3, runs=20_000)
    for row in forecast.table.itertuples():
        # "At least this many with probability p" is the (1 - p) quantile.
        assert abs(row.items - binom.ppf(1 - row.probability, 100, 0.5)) <= 1
    assert forecast.notes["days forecast"] == "100 counted days to 2026-05-20"


def test_a_working_calendar_forecasts_on_working_days_only():
    calendar = Calendar.working_time()
    monday = pd.Timestamp("2026-03-02")
    rows = []
    for day in range(12):  # two weeks and two days of weekdays: one item finished each weekday at noon
        date = monday + pd.offsets.BDay(day)
        rows.append((f"I{day}", "Work", date + pd.Timedelta(hours=9), date + pd.Timedelta(hours=12)))
    log = visit_log(rows, as_of=pd.Timestamp("2026-03-17 17:00"), calendar=calendar)
    assert daily_throughput(log).tolist() == [1] * 12
    forecast = when_done(log, 5, seed=0, runs=100)
    # From Wednesday March 18: five working days end on Tuesday March 24, past the weekend.
    assert forecast.table["date"].tolist() == [pd.Timestamp("2026-03-24").date()] * 3


def test_forecasts_refuse_an_empty_history():
    with pytest.raises(ValueError, match="no item finished in the throughput history"):
        when_done(pd.Series([0, 0], index=pd.date_range("2026-01-01", periods=2)), 3)


def test_items_finished_on_a_weekend_count_on_the_next_working_day():
    calendar = Calendar.working_time()
    monday = pd.Timestamp("2026-03-02")
    # One item finished at noon each day from Monday 2 March to Wednesday 11 March, weekend included: 10 items.
    rows = [
        (f"I{day}", "Work", monday + pd.Timedelta(days=day, hours=9), monday + pd.Timedelta(days=day, hours=12))
        for day in range(10)
    ]
    log = visit_log(rows, as_of=pd.Timestamp("2026-03-11 17:00"), calendar=calendar)
    daily = daily_throughput(log)
    # Mon-Fri 1 each; Saturday's and Sunday's items join Monday 9 March's: 3; then Tuesday and Wednesday 1 each.
    assert daily.tolist() == [1, 1, 1, 1, 1, 3, 1, 1]
    assert daily.sum() == 10
    assert pd.Timestamp(daily.index[5]) == pd.Timestamp("2026-03-09")
    forecast = when_done(log, 5, seed=0, runs=100)
    assert (
        forecast.notes["non-working days"]
        == "2 items finished on a weekend or holiday, counted on the next working day"
    )
    assert forecast.notes["history"].startswith("8 counted days, 10 items finished")
