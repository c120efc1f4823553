"""Zero-length visits (DESIGN 4.6): a day-stamped log's visits that start and end on one date are visits."""

import pytest

from vsm_widgets.io.exports import read_export
from vsm_widgets.metrics import flow


@pytest.fixture
def day_stamped(tmp_path):
    # A: Triage on 01-01 (stamped start = end), Build 01-02 to 01-04, Release on 01-05 (start = end).
    # B: only a Triage on 01-01, an item made of one atomic event.
    path = tmp_path / "days.csv"
    path.write_text(
        "item,step,start,end\n"
        "A,Triage,2026-01-01,2026-01-01\nA,Build,2026-01-02,2026-01-04\nA,Release,2026-01-05,2026-01-05\n"
        "B,Triage,2026-01-01,2026-01-01\n",
        encoding="utf-8",
    )
    return read_export(path, {"statuses": {"Triage": "Triage", "Build": "Build", "Release": "Release"}})


def test_zero_length_visits_start_and_end_the_clock(day_stamped):
    items = flow.item_metrics(day_stamped).set_index("item")
    # A runs from its Triage on 01-01 to its Release on 01-05: 96 h, of which the 48 h of Build are active.
    assert items.loc["A", "lead_time_hours"] == pytest.approx(96.0)
    assert items.loc["A", "active_time_hours"] == pytest.approx(48.0)
    # B is a finished item with a lead time of 0, not a vanished one.
    assert bool(items.loc["B", "finished"]) and items.loc["B", "lead_time_hours"] == 0.0
    assert flow.summary(day_stamped)["lead_time"]["median"] == pytest.approx(48.0)  # of 0 h and 96 h


def test_zero_length_visits_count_with_process_time_zero_and_pair_handoffs(day_stamped):
    steps = flow.step_metrics(day_stamped).set_index("step")
    assert steps.loc["Triage", ["visits", "items"]].tolist() == [2, 2]
    assert steps.loc["Triage", "process_time_median_hours"] == 0.0
    assert steps.loc["Release", "process_time_mean_hours"] == 0.0
    handoffs = flow.handoff_metrics(day_stamped).set_index(["from", "to"])
    # Triage ends 01-01, Build starts 01-02: 24 h; Build ends 01-04, Release starts 01-05: 24 h.
    assert handoffs.loc[("Triage", "Build"), "wait_median_hours"] == pytest.approx(24.0)
    assert handoffs.loc[("Build", "Release"), "wait_median_hours"] == pytest.approx(24.0)


def test_zero_length_visits_are_flagged_and_kept(day_stamped):
    issue = next(i for i in day_stamped.quality.issues if i.reason == "zero-length visit")
    assert (issue.count, issue.action, issue.rows) == (3, "kept", (2, 4, 5))
    assert (day_stamped.quality.rows_read, day_stamped.quality.rows_used) == (4, 4)
