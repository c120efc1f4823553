"""review(): finds a planted improvement, keeps false alarms to its stated rate, says no more than it knows."""

import json

import numpy as np
import pandas as pd
import pytest
from scipy.stats import binom

from tests.flow_logs import visit_log
from tests.paths import SAMPLES
from vsm_widgets.exceptions import VsmInputError
from vsm_widgets.future.review import ALPHA, review
from vsm_widgets.model.event_log import EventLog
from vsm_widgets.readout.review_readout import ReviewReadout

T0 = pd.Timestamp("2026-01-05", tz="UTC")
CHANGE = T0 + pd.Timedelta(days=70)


def synthetic_log(seed, items, factor=1.0, first_day=0, days=60):
    """Items arriving over `days` days, lognormal lead times (median 48 h) times `factor`, 10-40 % active."""
    rng = np.random.default_rng(seed)
    arrivals = T0 + pd.to_timedelta(first_day + np.sort(rng.uniform(0, days, items)), unit="D")
    lead = pd.to_timedelta(rng.lognormal(np.log(48), 0.6, items) * factor, unit="h")
    active = lead * rng.uniform(0.1, 0.4, items)
    names = [f"{seed}-{n:03d}" for n in range(items)]
    visits = pd.DataFrame(
        {
            "item": names * 2,
            "step": ["Build"] * items + ["Ship"] * items,
            "kind": "active",
            "start": np.concatenate([arrivals, arrivals + lead - pd.Timedelta(minutes=1)]),
            "end": np.concatenate([arrivals + active, arrivals + lead]),
            "row": np.arange(2, 2 * items + 2),
        }
    ).sort_values(["item", "start"], ignore_index=True)
    # Built directly rather than through EventLog.from_visits: the false-alarm test builds 300 of these.
    done = arrivals + lead
    finished = pd.DataFrame({"item": names, "type": None, "started": arrivals, "done": done, "finished": True})
    return EventLog(visits, finished, ("Build", "Ship"), done.max())


def baseline(seed, items=40):
    # 60 days of arrivals ending by day 60, finished well before the change on day 70.
    return synthetic_log(seed, items).replace(as_of=CHANGE)


def later(seed, items=40, factor=1.0):
    return synthetic_log(seed, items, factor, first_day=75)


def test_a_planted_improvement_is_found():
    result = review(baseline(1), later(2, factor=0.5), seed=11)
    assert result.finding == "shorter"
    assert result.verdict.startswith("signal: lead times are shorter since the change")
    assert "40 items finished since the change" in result.verdict
    assert "not what changed it" in result.verdict
    median = result.estimates.set_index("metric").loc["lead_time_median"]
    assert median["high"] < 0 < median["before"] and median["low"] <= median["difference"] <= median["high"]
    assert result.signals_below > 0 and result.signals_above == 0
    assert result.p_value < ALPHA and result.prob_after_shorter > 0.5


def test_a_planted_slowdown_is_found_the_other_way():
    assert review(baseline(3), later(4, factor=2.0), seed=5).finding == "longer"


def test_false_alarms_stay_within_the_stated_rate():
    # With no change, a signal needs the rank test at ALPHA = 5 % (and two more checks to agree), so at most
    # 5 % of reviews may call one. Over 150 seeds that is 7.5 expected alarms; the test allows up to the
    # 99.5th percentile of Binomial(150, 0.05) (15), so it fails only if the true rate is clearly above 5 %,
    # while 150 reviews (about 0.05 s each) keep the test under 10 s.
    seeds = 150
    alarms = sum(
        review(baseline(2 * seed, 30), later(2 * seed + 1, 30), seed=seed, resamples=200).finding
        in ("shorter", "longer")
        for seed in range(seeds)
    )
    assert alarms <= binom.ppf(0.995, seeds, ALPHA)


def test_the_same_seed_gives_the_same_intervals_and_is_printed():
    first = review(baseline(5), later(6), seed=42)
    again = review(baseline(5), later(6), seed=42)
    other = review(baseline(5), later(6), seed=43)
    pd.testing.assert_frame_equal(first.estimates, again.estimates)
    assert not first.estimates["low"].equals(other.estimates["low"])
    assert "seed 42" in first.format() and first.to_dict()["seed"] == 42


def test_without_a_seed_one_is_drawn_and_recorded():
    result = review(baseline(5), later(6), resamples=100)
    assert review(baseline(5), later(6), seed=result.seed, resamples=100).estimates.equals(result.estimates)


def test_few_items_give_no_signal_and_say_how_many():
    result = review(baseline(7), later(8, items=3, factor=0.5), seed=1)
    assert result.finding in ("none", "possible")
    assert "3 items finished since the change" in result.verdict
    assert not result.verdict.startswith("signal")


def test_nothing_finished_since_the_change():
    result = review(baseline(7), baseline(7), seed=1)
    assert result.finding == "too_few"
    assert result.verdict == "no signal yet: 0 items finished since the change"


def test_a_later_export_that_repeats_the_baseline_counts_only_items_finished_since():
    before = baseline(9)
    after = later(10, factor=0.5)
    combined = EventLog.from_visits(pd.concat([before.visits, after.visits], ignore_index=True))
    result = review(before, combined, since=CHANGE, seed=2)
    assert (result.before_items, result.after_items) == (40, 40)
    assert result.finding == "shorter"


def hours_after(start, rows):
    return [(item, step, start + pd.Timedelta(hours=a), start + pd.Timedelta(hours=b)) for item, step, a, b in rows]


def test_estimates_by_hand_on_a_tiny_pair_of_logs():
    day = pd.Timestamp("2026-01-05")
    # Before: a works 0-2 and 9-10 (lead 10 h, active 3); b works 0-4 and 19-20 (lead 20 h, active 5).
    rows = [("a", "Do", 0, 2), ("a", "Ship", 9, 10), ("b", "Do", 0, 4), ("b", "Ship", 19, 20)]
    before = visit_log(hours_after(day, rows), as_of=day + pd.Timedelta(days=1))
    # After: c works 0-1 and 3-4 (lead 4 h, active 2); d works 0-2 and 5-6 (lead 6 h, active 3).
    later_day = day + pd.Timedelta(days=2)
    rows = [("c", "Do", 0, 1), ("c", "Ship", 3, 4), ("d", "Do", 0, 2), ("d", "Ship", 5, 6)]
    after = visit_log(hours_after(later_day, rows), as_of=later_day + pd.Timedelta(days=1))
    result = review(before, after, seed=0)
    estimates = result.estimates.set_index("metric")
    # Medians 15 h and 5 h; 85th percentiles 10 + .85 * 10 = 18.5 h and 4 + .85 * 2 = 5.7 h.
    assert estimates.loc["lead_time_median", ["before", "after", "difference"]].tolist() == [15, 5, -10]
    assert estimates.loc["lead_time_p85", ["before", "after"]].tolist() == pytest.approx([18.5, 5.7])
    # Flow efficiency: (3 + 5) / (10 + 20) before and (2 + 3) / (4 + 6) after.
    assert estimates.loc["flow_efficiency", ["before", "after"]].tolist() == pytest.approx([8 / 30, 0.5])
    # Every later item beat every earlier one: U = 4 of 4 pairs.
    assert result.prob_after_shorter == 1.0
    # Two items after the change cannot make a signal, however clear they look (the exact rank test's
    # smallest two-sided p for 2 against 2 is 2 / 6).
    assert result.p_value == pytest.approx(1 / 3)
    assert result.finding == "possible"
    assert result.verdict.startswith("no clear signal yet: 2 items finished since the change")


def test_the_review_serialises_to_plain_json():
    data = json.loads(json.dumps(review(baseline(1), later(2, factor=0.5), seed=11).to_dict()))
    assert data["finding"] == "shorter" and data["seed"] == 11 and data["after_items"] == 40
    assert [row["metric"] for row in data["estimates"]] == ["lead_time_median", "lead_time_p85", "flow_efficiency"]


def test_a_since_that_is_not_a_date_names_the_parameter_and_the_fix():
    export = SAMPLES / "payments_team.csv"
    with pytest.raises(VsmInputError) as caught:
        ReviewReadout.open(export, export, since="next quarter")
    assert str(caught.value) == (
        "column 'since': since is 'next quarter', not a date. Give the day the change took effect, such as 2026-04-01."
    )
