from tests.flow_logs import visit_log
from vsm_widgets.metrics.pauses import pause_between_visits


def test_the_waiting_state_between_two_visits_and_whether_it_is_the_backlog():
    log = visit_log(
        [
            # A waits in Backlog before work, goes back there for 3 h, then 1 h in Blocked, between two Dev visits.
            ("A", "Backlog", "2026-01-05 08:00", "2026-01-05 09:00", "waiting"),
            ("A", "Dev", "2026-01-05 09:00", "2026-01-05 10:00", "active"),
            ("A", "Backlog", "2026-01-05 10:00", "2026-01-05 13:00", "waiting"),
            ("A", "Blocked", "2026-01-05 13:00", "2026-01-05 14:00", "waiting"),
            ("A", "Dev", "2026-01-05 14:00", "2026-01-05 15:00", "active"),
        ],
        as_of="2026-01-05 16:00",
        steps=("Dev",),
    )
    assert pause_between_visits(log, "Dev") == ("Backlog", True)
    assert pause_between_visits(log, "QA") == (None, False)
