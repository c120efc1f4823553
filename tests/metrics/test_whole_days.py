"""Lead time in whole calendar days (DOMAIN 4.6), beside the exact elapsed time, on the mapping's dates."""

import pytest

from vsm_widgets.io.exports import read_export
from vsm_widgets.metrics import flow


@pytest.fixture
def export(tmp_path):
    # A works from 01-05 23:30 UTC (01-06 00:30 in Berlin) to 01-07 08:00 UTC (09:00 in Berlin): 32.5 h.
    path = tmp_path / "days.csv"
    path.write_text(
        "item,step,start,end\nA,Build,2026-01-05T23:30:00Z,2026-01-07T08:00:00Z\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("rule", "zone", "days"),
    [
        ("exclusive", "UTC", 2.0),  # 01-07 - 01-05
        ("inclusive", "UTC", 3.0),  # the same + 1 day
        ("exclusive", "Europe/Berlin", 1.0),  # 01-07 - 01-06 on Berlin's dates
        ("inclusive", "Europe/Berlin", 2.0),
    ],
)
def test_whole_days_count_calendar_dates_in_the_mapping_zone(export, rule, zone, days):
    log = read_export(export, {"whole_days": rule, "timezone": zone})
    items = flow.item_metrics(log).set_index("item")
    assert items.loc["A", "lead_time_days"] == days
    assert items.loc["A", "lead_time_hours"] == 32.5  # the exact time stays the basis of every other figure
    summary = flow.summary(log)
    assert summary["lead_time_days"] == {"median": days, "p85": days, "mean": days}
    assert summary["conventions"]["whole days"].startswith(f"calendar dates in {zone}, done date - start date")


def test_by_default_lead_time_is_exact_elapsed_time_only(export):
    log = read_export(export)
    assert "lead_time_days" not in flow.item_metrics(log)
    assert "lead_time_days" not in flow.summary(log)
    assert log.conventions()["whole days"] == "not counted: exact elapsed time only"
