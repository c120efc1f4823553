from tests.flow_logs import visit_log
from vsm_widgets.calendar import Calendar
from vsm_widgets.metrics import flow
from vsm_widgets.model.event_log import QualityIssue, QualityReport
from vsm_widgets.readout.metrics_report import format_summary


def report_log():
    log = visit_log(
        [
            ("A", "Build", "2026-01-05 09:00", "2026-01-05 11:00"),
            ("A", "Test", "2026-01-05 12:00", "2026-01-05 13:00"),
            ("A", "Build", "2026-01-06 09:00", "2026-01-06 10:00"),
            ("B", "Build", "2026-01-05 10:00", "2026-01-05 12:00"),
            ("B", "Test", "2026-01-05 12:00", "2026-01-05 16:00"),
            ("C", "Build", "2026-01-07 09:00", None),
        ],
        as_of="2026-01-08 09:00",
        steps=("Build", "Test"),
    )
    quality = QualityReport(
        9,
        6,
        (
            QualityIssue("end before start", 2),
            QualityIssue("exact duplicate", 1),
            QualityIssue("naive timestamps taken as UTC", 6, action="corrected"),
        ),
    )
    return log.replace(quality=quality, source="exports/team-a.csv")


def test_report_shows_headline_numbers():
    log = report_log()
    text = format_summary(flow.summary(log), log)
    lines = text.splitlines()
    assert lines[0] == "Flow metrics: exports/team-a.csv"
    assert lines[1] == "3 items: 2 finished, 1 in progress. Durations in hours."
    # Lead times: A 25 h, B 6 h: median 15.5, p85 6 + 0.85 x 19 = 22.15, mean 15.5.
    assert any(line.split() == ["lead", "time", "15.5", "22.1", "15.5"] for line in lines)
    # Active: A 4 h, B 6 h; portfolio 10 / 31 = 32.3 %, mean of ratios (4/25 + 1) / 2 = 58.0 %.
    assert "32.3 % (portfolio" in text
    assert "58.0 % mean of per-item ratios" in text


def test_report_lists_steps_and_the_largest_waits_first():
    log = report_log()
    lines = format_summary(flow.summary(log), log).splitlines()
    build = next(line for line in lines if line.startswith("Build "))
    # Build: 4 visits by 3 items; closed ones last 2, 1 and 2 h; A's return makes Test's %C&A 50 %.
    assert build.split() == ["Build", "4", "3", "2.0", "2.0", "1.7", "100.0", "%"]
    test = next(line for line in lines if line.startswith("Test "))
    assert test.split()[-2:] == ["50.0", "%"]
    handoffs = [line for line in lines if " -> " in line]
    # Test -> Build waits 20 h (A, 13:00 to 09:00 next day); Build -> Test 1 h (A) and 0 h (B).
    assert [line.split(" -> ")[0] for line in handoffs] == ["Test", "Build"]
    assert handoffs[0].split()[-2:] == ["95.2", "%"]


def test_report_ends_with_conventions_and_data_quality():
    log = report_log().replace(calendar=Calendar.parse("working:tz=Europe/Berlin"))
    lines = format_summary(flow.summary(log), log).splitlines()
    conventions = lines.index("Conventions")
    quality = lines.index("Data quality")
    assert conventions < quality
    assert "  calendar: working time (Mon-Fri 09:00-17:00 Europe/Berlin)" in lines[conventions:quality]
    assert "  clock starts at: first active step" in lines[conventions:quality]
    assert "  backward moves: every visit kept, returns counted as rework" in lines[conventions:quality]
    assert "  as of: 2026-01-08T09:00:00+00:00" in lines[conventions:quality]
    assert lines[quality + 1 :] == [
        "  rows read: 9; rows used: 6",
        "  dropped: end before start (2 rows)",
        "  dropped: exact duplicate (1 row)",
        "  corrected: naive timestamps taken as UTC (6 rows)",
    ]


def test_report_limits_the_handoffs():
    log = report_log()
    text = format_summary(flow.summary(log), log, largest_handoffs=1)
    assert "Handoffs, largest total wait first (1 of 2)" in text
    assert text.count(" -> ") == 1
