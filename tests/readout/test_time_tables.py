"""The tables of "Where the time goes", on three finished items worked out by hand.

  A  Dev 0-10 h, QA 30-32 h  lead 32 h: Dev 10, wait 20, QA 2
  B  Dev 0-4 h,  QA 14-16 h  lead 16 h: Dev 4, wait 10, QA 2
  C  Dev 0-6 h,  QA 46-48 h  lead 48 h: Dev 6, wait 40, QA 2
The mean item: Dev 20 / 3 = 6.7 h, the wait 70 / 3 = 23.3 h, QA 2 h: 32 h, the mean lead time, of 96 h in all.
"""

from tests.flow_logs import visit_log
from vsm_widgets.readout.time_tables import partition_table, step_table, wait_table


def export_log():
    rows = [
        ("A", "Dev", "2026-01-05 00:00", "2026-01-05 10:00"),
        ("A", "QA", "2026-01-06 06:00", "2026-01-06 08:00"),
        ("B", "Dev", "2026-01-05 00:00", "2026-01-05 04:00"),
        ("B", "QA", "2026-01-05 14:00", "2026-01-05 16:00"),
        ("C", "Dev", "2026-01-05 00:00", "2026-01-05 06:00"),
        ("C", "QA", "2026-01-06 22:00", "2026-01-07 00:00"),
    ]
    return visit_log(rows, as_of="2026-01-09 12:00")


def test_partition_table_gives_the_mean_item_place_by_place():
    assert partition_table(export_log()).to_dict("records") == [
        {"Where": "Dev", "Kind": "work", "Mean item": "6.7 hours", "Share of lead time": "21 %", "Items": 3},
        {
            "Where": "between Dev and QA",
            "Kind": "waiting",
            "Mean item": "23.3 hours",
            "Share of lead time": "73 %",
            "Items": 3,
        },
        {"Where": "QA", "Kind": "work", "Mean item": "2 hours", "Share of lead time": "6 %", "Items": 3},
    ]


def test_wait_table_puts_the_largest_total_first_and_says_it_is_per_passage():
    assert wait_table(export_log()).to_dict("records") == [
        {
            "Where": "between Dev and QA",
            "Passages": 3,
            "Median wait per passage": "20 hours",
            "85th percentile per passage": "34 hours",  # waits 10, 20, 40: 20 + 0.7 * 20
        }
    ]


def test_step_table_says_its_figures_are_per_visit():
    table = step_table(export_log()).set_index("Step")
    # Dev visits of 10, 4 and 6 h: median 6 h; QA 2 h each.
    assert table.loc["Dev", "Median per visit"] == "6 hours"
    assert table.loc["QA", "85th percentile per visit"] == "2 hours"
