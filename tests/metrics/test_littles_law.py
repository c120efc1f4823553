import pandas as pd
import pytest

from tests.flow_logs import visit_log
from vsm_widgets.metrics import flow

DAY0 = pd.Timestamp("2026-01-01")


def day(n):
    return DAY0 + pd.Timedelta(days=n)


def steady_stream(zombies=0):
    """One item a day, day 0 to day 31, each taking exactly 2 days; as_of is day 31 12:00.

    Items 30 and 31 are still in progress at as_of (they would finish on days 32 and 33).
    `zombies` items start on day 1 and never finish.
    """
    rows = [(f"I{i:02d}", "Work", day(i), day(i + 2) if i + 2 <= 31 else None) for i in range(32)]
    rows += [(f"Z{z}", "Work", day(1), None) for z in range(zombies)]
    return visit_log(rows, as_of=day(31) + pd.Timedelta(hours=12))


def checks(law):
    return {name: holds for name, holds, _ in law.assumptions}


def test_littles_law_holds_on_a_steady_window():
    law = flow.littles_law(steady_stream(), start=day(10), end=day(30))
    # WIP is 2 all along: items n-1 and n are in progress during day n.
    assert law.wip_mean == pytest.approx(2.0)
    # Items 8..28 finish within days 10..30: 21 departures in 20 days.
    assert law.throughput_per_day == pytest.approx(21 / 20)
    # Predicted lead time: 2 / 1.05 per day = 1.905 days = 45.7 h; observed: every item takes 48 h.
    assert law.predicted_lead_time_hours == pytest.approx(2 / 1.05 * 24)
    assert law.observed_lead_time_mean_hours == 48.0
    assert checks(law) == {
        # Arrivals: items 10..30 = 21; departures 21.
        "arrivals about equal to departures": True,
        # In progress on day 30: items 29 (1 day old) and 30 (0): younger than the 48 h lead times.
        "all started work finishes": True,
        # 2 items in progress when the window opens (8 and 9) and 2 when it closes (29 and 30).
        "WIP about the same at both ends of the window": True,
        # At each of the 20 sample days the two items in progress are 24 h and 0 h old: mean 12 h, flat.
        "age of WIP not trending": True,
    }
    assert law.holds
    assert (law.start, law.end) == (day(10).tz_localize("UTC"), day(30).tz_localize("UTC"))


def test_the_default_window_includes_the_warm_up():
    law = flow.littles_law(steady_stream())
    verdicts = checks(law)
    # From day 0, nothing is in progress when the window opens; 2 items are at as_of (items 30 and 31).
    assert not verdicts["WIP about the same at both ends of the window"]
    # 32 arrivals, 30 departures (items 0..29): a gap of 2/32 = 6 %, within 10 %.
    assert verdicts["arrivals about equal to departures"]
    assert not law.holds


def test_abandoned_work_breaks_the_law():
    law = flow.littles_law(steady_stream(zombies=1), start=day(10), end=day(30))
    verdicts = checks(law)
    details = {name: detail for name, _, detail in law.assumptions}
    # The zombie is 29 days old on day 30, far beyond the 48 h lead times: 1 of 3 items in progress.
    assert not verdicts["all started work finishes"]
    assert "1 of 3 items in progress" in details["all started work finishes"]
    # Its age grows by a day every day, so the mean age of WIP trends upward.
    assert not verdicts["age of WIP not trending"]
    # It sits in WIP at both ends, and started before the window: arrivals and departures still match.
    assert verdicts["arrivals about equal to departures"]
    assert verdicts["WIP about the same at both ends of the window"]
    # WIP 3 against 2 departing a day: predicted 3 / 1.05 days, well above the 48 h observed.
    assert law.predicted_lead_time_hours == pytest.approx(3 / 1.05 * 24)


def test_growing_backlog_breaks_arrivals_against_departures():
    rows = [(f"B{i}", "Work", day(i), day(i + 1) if i < 2 else None) for i in range(10)]
    law = flow.littles_law(visit_log(rows, as_of=day(10)))
    name, holds, detail = law.assumptions[0]
    # 10 started, 2 finished: a gap of 8/10 = 80 %.
    assert (name, holds) == ("arrivals about equal to departures", False)
    assert detail.startswith("10 started and 2 finished in the window: a gap of 80%")


def test_no_finished_work_cannot_show_that_work_finishes():
    law = flow.littles_law(visit_log([("A", "Work", day(0), None)], as_of=day(2)))
    assert checks(law)["all started work finishes"] is False
    assert law.throughput_per_day == 0.0
    assert pd.isna(law.predicted_lead_time_hours)
    assert pd.isna(law.observed_lead_time_mean_hours)
