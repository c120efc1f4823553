"""The mean item on a measured map, on the worked example of docs/readouts.md.

  A  Dev 0-10 h, QA 30-32 h  lead 32 h
  B  Dev 0-4 h,  QA 14-16 h  lead 16 h
  C  Dev 0-6 h,  QA 46-48 h  lead 48 h
The mean item: Dev 20 / 3 = 6.7 h, Dev -> QA 70 / 3 = 23.3 h, QA 2 h: 32 h; waiting 70 / 96 = 73 %.
"""

import pytest

from tests.flow_logs import visit_log
from tests.paths import MAPS
from vsm_widgets.charts.map import value_stream_map
from vsm_widgets.io.map_file import load_map
from vsm_widgets.metrics.mean_item import map_totals
from vsm_widgets.model.stream import ValueStream


def worked_example():
    rows = [
        ("A", "Dev", "2026-01-05 00:00", "2026-01-05 10:00"),
        ("A", "QA", "2026-01-06 06:00", "2026-01-06 08:00"),
        ("B", "Dev", "2026-01-05 00:00", "2026-01-05 04:00"),
        ("B", "QA", "2026-01-05 14:00", "2026-01-05 16:00"),
        ("C", "Dev", "2026-01-05 00:00", "2026-01-05 06:00"),
        ("C", "QA", "2026-01-06 22:00", "2026-01-07 00:00"),
    ]
    return visit_log(rows, as_of="2026-01-08")


def test_the_measured_map_holds_the_mean_item():
    stream = ValueStream.from_events(worked_example())
    assert stream.step("dev").process_time.to("hours") == pytest.approx(20 / 3)
    assert stream.wait_of(stream.handoff("dev", "qa")).to("hours") == pytest.approx(70 / 3)
    assert stream.step("qa").process_time.to("hours") == pytest.approx(2)
    totals = map_totals(stream)
    assert totals["lead_time"] == pytest.approx(32) and stream.unit == "hours"
    assert totals["waiting_share"] == pytest.approx(70 / 96)
    assert totals["largest_wait"] == {"from": "Dev", "to": "QA", "wait": pytest.approx(70 / 3), "share": 70 / 96}


def test_the_map_chart_says_what_the_first_page_says():
    title = value_stream_map(ValueStream.from_events(worked_example())).to_dict()["title"]
    assert title["text"] == "73 % of lead time is waiting; the largest wait is between Dev and QA (23.3 hours)"
    assert (
        "Lead time 32 hours, the mean item of 3 finished items (every box and arrow adds up to it)"
        in (title["subtitle"])
    )


def test_a_hand_built_map_totals_its_critical_path():
    totals = map_totals(load_map(MAPS / "four_functions.yaml"))
    # DOMAIN: 44 days, 15 of them on the arrows; the largest wait is Ops -> Delivery, 7 days.
    assert (totals["lead_time"], totals["wait_time"]) == (44, 15)
    assert totals["largest_wait"] == {"from": "Ops", "to": "Delivery", "wait": 7, "share": 7 / 44}
    assert totals["what"] == "along the critical path"
