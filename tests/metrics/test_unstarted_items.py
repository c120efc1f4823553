"""Items that never reached their start point (DESIGN 4.6): no lead time, and every stream figure still comes out."""

import warnings

import pandas as pd
import pytest

from vsm_widgets.io.exports import read_export
from vsm_widgets.metrics import flow

MAPPING = {"statuses": {"To Do": {"kind": "waiting"}, "In Progress": "Development"}, "done": ["Done"]}


@pytest.fixture
def backlog_log(tmp_path):
    # A works 01-02 to 01-04 (48 h); B starts 01-03 and is still in progress; C never leaves the backlog;
    # D is closed straight from it on 01-05 (the latest change, so as_of).
    path = tmp_path / "backlog.csv"
    path.write_text(
        "item,status,timestamp\n"
        "A,To Do,2026-01-01T00:00:00Z\nA,In Progress,2026-01-02T00:00:00Z\nA,Done,2026-01-04T00:00:00Z\n"
        "B,To Do,2026-01-01T00:00:00Z\nB,In Progress,2026-01-03T00:00:00Z\n"
        "C,To Do,2026-01-02T00:00:00Z\n"
        "D,To Do,2026-01-01T00:00:00Z\nD,Done,2026-01-05T00:00:00Z\n",
        encoding="utf-8",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return read_export(path, MAPPING)


def test_stream_figures_come_out_beside_items_that_never_started(backlog_log):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning from a NaN window
        summary = flow.summary(backlog_log)
        law = flow.littles_law(backlog_log)
    # The window runs from the first start (01-02) to as_of (01-05): 72 h. A is in progress 48 h, B 48 h.
    assert summary["wip_mean"] == pytest.approx(96 / 72)
    # One item (A) finished with a lead time in 3 days: 7/3 a week.
    assert summary["throughput_per_week"] == pytest.approx(7 / 3)
    assert (summary["items"], summary["finished_items"]) == (4, 2)
    assert summary["lead_time"] == {"median": 48.0, "p85": 48.0, "mean": 48.0}
    # Little's law: 4/3 items / (1 item per 72 h) = 96 h predicted, 48 h observed.
    assert law.predicted_lead_time_hours == pytest.approx(96.0)
    assert law.observed_lead_time_mean_hours == pytest.approx(48.0)


def test_the_wip_series_has_no_undated_row(backlog_log):
    series = flow.wip_series(backlog_log)
    assert series["time"].notna().all()
    assert list(series["wip"]) == [1, 2, 1, 1]  # A starts 01-02, B 01-03, A done 01-04, as_of 01-05


def test_the_quality_report_says_which_items_have_no_lead_time(backlog_log):
    assert any(
        d.startswith("2 items never reached an active step") and "no lead time" in d
        for d in backlog_log.quality.decisions
    )
    items = flow.item_metrics(backlog_log).set_index("item")
    assert items.loc[["C", "D"], "lead_time_hours"].isna().all()
    assert items.loc[["C", "D"], "age_hours"].isna().all()
    assert list(flow.aging_wip(backlog_log)["item"]) == ["B"]


def test_an_item_closed_from_the_backlog_is_done_in_the_cumulative_flow(backlog_log):
    cfd = flow.cumulative_flow(backlog_log).pivot(index="date", columns="state", values="items")
    # At as_of: A and D done, B in Development, C in To Do.
    assert cfd.loc[pd.Timestamp("2026-01-05")].to_dict() == {"To Do": 1, "Development": 1, "done": 2}
