"""A return to the backlog (DOMAIN 4.9): the clock runs on (default) or restarts at the next start (option)."""

import pandas as pd
import pytest

from vsm_widgets.io.exports import read_export
from vsm_widgets.metrics import flow

MAPPING = {"statuses": {"To Do": {"kind": "waiting"}, "In Progress": "Development"}, "done": ["Done"]}


@pytest.fixture
def export(tmp_path):
    # A starts 01-02, goes back to To Do on 01-03, starts again 01-06 and is done 01-07.
    # B runs straight through, 01-02 to 01-04. C starts 01-02 and is back in To Do since 01-03.
    path = tmp_path / "returns.csv"
    path.write_text(
        "item,status,timestamp\n"
        "A,To Do,2026-01-01T00:00:00Z\nA,In Progress,2026-01-02T00:00:00Z\nA,To Do,2026-01-03T00:00:00Z\n"
        "A,In Progress,2026-01-06T00:00:00Z\nA,Done,2026-01-07T00:00:00Z\n"
        "B,To Do,2026-01-01T00:00:00Z\nB,In Progress,2026-01-02T00:00:00Z\nB,Done,2026-01-04T00:00:00Z\n"
        "C,To Do,2026-01-01T00:00:00Z\nC,In Progress,2026-01-02T00:00:00Z\nC,To Do,2026-01-03T00:00:00Z\n",
        encoding="utf-8",
    )
    return path


def lead_hours(log):
    return flow.item_metrics(log).set_index("item")["lead_time_hours"]


def test_by_default_the_clock_runs_on_from_the_first_start(export):
    log = read_export(export, MAPPING)
    # A: 01-02 to 01-07 = 120 h, the three days back in To Do included. B: 48 h.
    assert lead_hours(log)[["A", "B"]].tolist() == [120.0, 48.0]
    assert log.conventions()["return to the backlog"] == "the clock runs on from the first start"
    assert any(d.startswith("2 items went back to the backlog after work began") for d in log.quality.decisions)


def test_restart_starts_the_clock_at_the_next_start(export):
    log = read_export(export, {**MAPPING, "backlog_return": "restart"})
    # A restarts on 01-06: 24 h to done. B never went back: 48 h. C has not started again: no clock.
    assert lead_hours(log)[["A", "B"]].tolist() == [24.0, 48.0]
    items = log.items.set_index("item")
    assert pd.isna(items.loc["C", "started"])
    assert log.conventions()["return to the backlog"] == "the clock restarts at the next start"
    assert (
        "2 items went back to the backlog after work began: their clocks restart at their next start "
        "(backlog_return: restart); 1 have not started again"
    ) in log.quality.decisions
