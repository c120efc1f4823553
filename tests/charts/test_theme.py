from types import SimpleNamespace

import altair as alt
import pandas as pd
import pytest

from vsm_widgets.calendar import Calendar
from vsm_widgets.charts import theme
from vsm_widgets.charts.theme import (
    ALERT,
    CATEGORY_RANGE,
    WAITING,
    WORK,
    kind_colour,
    log_conventions,
    map_conventions,
    readable,
    readable_together,
    subtitle,
    title,
    use_theme,
)
from vsm_widgets.model.event_log import EventLog


def small_log(calendar=None, start_point=None):
    frame = pd.DataFrame({"item": ["A"], "step": ["Dev"], "start": ["2026-01-05 09:00"], "end": ["2026-01-06 17:00"]})
    log = EventLog.from_visits(frame, calendar=calendar)
    return log.replace(start_point=start_point) if start_point else log


def test_work_is_blue_and_waiting_orange_and_categories_borrow_neither():
    scale = kind_colour().to_dict()
    assert dict(zip(scale["domain"], scale["range"], strict=True)) == {"work": WORK, "waiting": WAITING}
    assert WORK == "#0072B2" and WAITING == "#E69F00" and ALERT == "#D55E00"
    assert WORK not in CATEGORY_RANGE and WAITING not in CATEGORY_RANGE


def test_the_theme_is_registered_with_projector_font_sizes():
    assert "vsm" in alt.theme.names()
    with alt.theme.enable("vsm"):
        config = alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q").to_dict()["config"]
    assert config["title"]["fontSize"] >= 18
    assert config["axis"]["labelFontSize"] >= 13
    assert config["text"]["fontSize"] >= 13


def test_use_theme_keeps_a_theme_the_user_chose():
    before = alt.theme.active
    try:
        alt.theme.enable("dark")
        use_theme()
        assert alt.theme.active == "dark"
        alt.theme.enable("default")
        use_theme()
        assert alt.theme.active == "vsm"
    finally:
        alt.theme.enable(before)


def test_subtitle_of_a_log_on_calendar_time():
    assert subtitle(log_conventions(small_log())) == (
        "unit: days · day: 24 h · calendar time · clock starts at first active step"
    )


def test_subtitle_of_a_log_on_working_time_names_the_calendar_and_day_length():
    log = small_log(Calendar.working_time(hours=(8.0, 16.0), timezone="Europe/Berlin"), start_point="created")
    text = subtitle(log_conventions(log, unit="hours"))
    assert (
        text
        == "unit: hours · day: 8 h · working time (Mon-Fri 08:00-16:00 Europe/Berlin) · clock starts at item created"
    )


def test_subtitle_of_a_map(four_functions):
    assert subtitle(map_conventions(four_functions)) == "unit: days · day: 24 h"
    assert subtitle(map_conventions(four_functions.replace(unit="hours", hours_per_day=8))) == "unit: hours · day: 8 h"


def test_title_puts_the_conventions_under_the_finding():
    made = title("Lead time 44 days", {"unit": "days", "hours per day": "24"}, "", "extra line").to_dict()
    assert made == {"text": "Lead time 44 days", "subtitle": ["unit: days · day: 24 h", "extra line"]}


@pytest.mark.parametrize(
    ("value", "unit", "hours_per_day", "text"),
    [
        (44.0, "days", 24, "44 days"),
        (1.0, "days", 24, "24 hours"),
        (2.54, "hours", 24, "2.5 hours"),
        (39 / 86400, "days", 24, "39 seconds"),
        (0.05, "days", 8, "24 minutes"),
        (1250.0, "hours", 24, "52.1 days"),
        (240.0, "hours", 24, "10 days"),
        (2.0, "days", 8, "2 days"),
        (float("nan"), "days", 24, "\u2013"),
    ],
)
def test_a_map_duration_reads_in_the_largest_unit_that_gives_two_of_it(value, unit, hours_per_day, text):
    # Every label of a chart and every title word a duration the one way the readout's text does.
    assert readable(SimpleNamespace(unit=unit, hours_per_day=hours_per_day))(value) == text


def test_parts_read_side_by_side_share_the_unit_of_the_largest():
    stream = SimpleNamespace(unit="hours", hours_per_day=24)
    assert readable_together(stream)([384.0, 43.0, 427.0]) == ["16 days", "1.8 days", "17.8 days"]
    assert readable(stream)(43.0) == "43 hours"


def test_hours_convert_to_the_display_unit_with_the_day_length():
    assert theme.hours_to_unit({"unit": "days", "hours per day": "8"}) == 1 / 8
    assert theme.hours_to_unit({"unit": "hours"}) == 1.0
