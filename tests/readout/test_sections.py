"""Readout sections, the conventions block, input checks and the Workshop that strings them together.

Expectations are worked out by hand from the small logs and maps of tests/test_findings.py.
"""

import datetime as dt

import pandas as pd
import pytest
from IPython.display import HTML, Markdown

from tests.flow_logs import visit_log
from tests.paths import EXPORTS, MAPS, SAMPLES
from tests.readout.test_findings import SCRIPT, export_log, four_functions
from vsm_widgets.exceptions import ScenarioError, VsmInputError
from vsm_widgets.future.compare import compare
from vsm_widgets.future.scenario import loads_scenario
from vsm_widgets.io.map_file import load_map
from vsm_widgets.model.event_log import QualityIssue, QualityReport
from vsm_widgets.model.stream import ValueStream
from vsm_widgets.readout.conventions import export_conventions, map_conventions
from vsm_widgets.readout.html_page import live_markup
from vsm_widgets.readout.inputs import load_input, load_optional_scenario
from vsm_widgets.readout.sections import (
    bullets,
    comparison_table,
    html_table,
    plan_summary,
    plan_table,
    quality_summary,
    quality_table,
    title,
)
from vsm_widgets.readout.workshop import Workshop

# The eight conventions DOMAIN section 4 asks every readout to state.
NAMED = ("Calendar", "Day length", "Clock starts at", "Backward moves", "What lead time sums", "Value-added time")
NAMED += ("Percentiles", "Flow efficiency")

PLAN = """
name: Next quarter
changes:
  - {kind: cut_wait, handoff: [ops, delivery], to: 2 days, waste: waiting, owner: Head of Ops, due: 2027-03-31,
     why: Delivery joins the stand-up}
  - {kind: set_process_time, step: sales, to: 6 days, waste: extra_processing}
"""


def test_user_text_is_escaped_in_tables_and_bullets():
    table = html_table(pd.DataFrame({"Step": [SCRIPT], "Hours": [3.0]}), caption="<b>x</b>")
    assert isinstance(table, HTML)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in table.data and "&lt;b&gt;x&lt;/b&gt;" in table.data
    assert live_markup(table.data) == []
    text = bullets([f"{SCRIPT} waits", "a | b"]).data
    assert text == "- &lt;script&gt;alert(1)&lt;/script&gt; waits\n- a \\| b"


def test_tables_align_numbers_right_and_show_missing_values_as_a_dash():
    table = html_table(pd.DataFrame({"Step": ["A", None], "Visits": [3, 4]})).data
    assert '<th style="text-align:right;white-space:nowrap">Visits</th>' in table
    assert '<td style="text-align:left;white-space:nowrap">\u2013</td>' in table


def test_title_says_what_the_readout_is_about():
    assert title("team", export_log(), "/data/team.csv").data == (
        "# team\n\n*A timing export (team.csv): 4 items, 3 of them finished, from 2026-01-05 to 2026-01-09.*"
    )
    assert title("q", four_functions(), "maps/q.yaml").data == (
        "# q\n\n*A value stream map, Quote (q.yaml), in days (1 day = 24 h).*"
    )
    assert "&lt;script&gt;" in title(SCRIPT, four_functions()).data


def test_data_quality_accounts_for_every_row():
    issues = (
        QualityIssue("exact duplicate", 2, "dropped", (4, 9), "the first is kept"),
        QualityIssue("unparseable timestamp", 1, "dropped", (7,)),
        QualityIssue("unmapped status", 1, "kept", (5,), f"kept as {SCRIPT}"),
    )
    log = export_log().replace(quality=QualityReport(10, 7, issues))
    assert quality_summary(log).data == (
        "10 rows read, 7 used. 3 rows dropped: 2 exact duplicate, 1 unparseable timestamp. 1 row kept but flagged: "
        "1 unmapped status."
    )
    table = quality_table(log)
    assert list(table["What was done"]) == ["dropped", "dropped", "kept, flagged"]
    assert list(table["Example rows"]) == ["4, 9", "7", "5"]
    assert "&lt;script&gt;" in html_table(table).data
    clean = export_log().replace(quality=QualityReport(7, 7))
    assert quality_summary(clean).data == "7 rows read, 7 used. No row was dropped, corrected or flagged."


def test_plan_names_owners_dates_and_the_reviews():
    scenario = loads_scenario(PLAN)
    table = plan_table(scenario)
    assert list(table.columns) == ["#", "Change", "Removes", "Owner", "Due", "Why"]
    assert table.iloc[0].tolist() == [
        1,
        "Cut the wait between ops and delivery to at most 2 days",
        "waiting",
        "Head of Ops",
        "2027-03-31",
        "Delivery joins the stand-up",
    ]
    assert table.iloc[1][["Owner", "Due"]].tolist() == ["nobody yet", "not set"]
    assert plan_summary(scenario, "2026-07-06").data.split("\n\n") == [
        "Next quarter: 2 changes, each naming the waste it removes. Review lead time and flow efficiency 30, 60 and "
        "90 days after 2026-07-06: on 2026-08-05, 2026-09-04 and 2026-10-04.",
        "Change 2 has no owner and no due date: a change nobody owns by a date does not happen.",
    ]


def test_comparison_table_words_every_number():
    current = four_functions()
    table = comparison_table(compare(current, loads_scenario(PLAN).apply(current)))
    rows = table.set_index("Measure")
    assert list(table.columns) == ["Measure", "Current state", "Future state", "Change"]
    assert rows.loc["Lead time"].tolist() == ["44 days", "37 days", "\u22127 days (\u221216 %)"]
    assert rows.loc["Activity ratio"].tolist() == ["65.9 %", "73 %", "+7.1 pp"]  # 29/44 -> 27/37
    assert rows.loc["Process time", "Change"] == "\u22122 days (\u22127 %)"


def test_export_conventions_state_every_convention_with_its_numbers():
    table = export_conventions(export_log()).set_index("Convention")["Used here"]
    assert set(NAMED) <= set(table.index)
    assert table["Calendar"] == "calendar time (24 h a day, every day)"
    assert table["Day length"].startswith("1 day = 24 h (calendar time)")
    assert table["Clock starts at"].startswith("the item's first active step")
    # Portfolio 26 / 96 = 27.1 %; per item 12/32, 6/16, 8/48: mean 30.6 %.
    assert "(27.1 %)" in table["Flow efficiency"] and "(30.6 %) is a different number" in table["Flow efficiency"]
    assert "linear interpolation" in table["Percentiles"]


def test_map_conventions_state_the_same_conventions():
    table = map_conventions(four_functions().replace(hours_per_day=8), "applied").set_index("Convention")
    assert set(NAMED) <= set(table.index)
    assert table.loc["Day length", "Used here"].startswith("1 day = 8 h (working time)")
    assert table.loc["Future state", "Used here"] == "applied"


def test_measured_map_conventions_say_how_it_was_summarised():
    workshop = Workshop("team", export_log())
    table = export_conventions(workshop.current, workshop.stream).set_index("Convention")["Used here"]
    assert table["Measured map"].startswith("the mean item: each step shows the finished items' mean work")
    assert "the largest share of the finished items' lead time" in table["Largest delay"]
    median = export_conventions(workshop.current, ValueStream.from_events(workshop.current, statistic="median"))
    assert median.set_index("Convention")["Used here"]["Measured map"].startswith("each step shows the median")


# ----- inputs and errors ---------------------------------------------------------------------------


def test_missing_or_wrong_inputs_are_clear_errors(tmp_path):
    with pytest.raises(VsmInputError, match="the parameter input_path is not set"):
        load_input(None)
    with pytest.raises(VsmInputError, match="no such file"):
        load_input(tmp_path / "missing.csv")
    with pytest.raises(VsmInputError, match="a folder, not a file"):
        load_input(tmp_path)
    with pytest.raises(VsmInputError, match="a mapping file reads exports"):
        load_input(f"{MAPS}/office.yaml", SAMPLES / "payments_team.mapping.yaml")
    with pytest.raises(VsmInputError, match="scenario_path"):
        load_optional_scenario(tmp_path / "future.yaml")
    assert load_optional_scenario(None) is None
    assert load_optional_scenario("") is None


def test_a_scenario_that_names_an_unknown_step_fails_with_its_line(tmp_path):
    scenario = tmp_path / "bad.scenario.yaml"
    scenario.write_text("changes:\n  - {kind: remove_step, step: nowhere, waste: waiting}\n")
    workshop = Workshop.open(f"{MAPS}/office.yaml", scenario_path=scenario)
    with pytest.raises(ScenarioError, match="change 1"):
        workshop.future_state()


def test_workshop_refuses_a_bad_plan_start_or_a_missing_scenario():
    with pytest.raises(VsmInputError, match="plan_start"):
        Workshop.open(f"{MAPS}/office.yaml", plan_start="next week")
    with pytest.raises(VsmInputError, match="scenario_path is not set"):
        Workshop.open(f"{MAPS}/office.yaml", scenario_required=True)


def test_notebooks_show_an_input_error_as_its_message_alone():
    error = VsmInputError("the parameter input_path is not set", "Give a file", column="input_path")
    assert error._render_traceback_() == [
        "VsmInputError: column 'input_path': the parameter input_path is not set. Give a file."
    ]


# ----- the workshop --------------------------------------------------------------------------------


def test_workshop_of_a_map_shows_map_sections_only():
    workshop = Workshop.open(
        f"{MAPS}/office.yaml", scenario_path=f"{MAPS}/office.scenario.yaml", plan_start=dt.date(2026, 7, 6)
    )
    assert workshop.name == "office" and not workshop.from_export
    assert workshop.data_quality() == [] and workshop.flow_over_time() == []
    assert workshop.future_stream == workshop.scenario.apply(workshop.current)
    shown = workshop.future_state()
    assert shown[0].data == "## The future state"
    assert any(isinstance(item, HTML) for item in shown)
    assert "30, 60 and 90 days after 2026-07-06" in workshop.plan()[1].data


def test_workshop_of_an_export_measures_its_map_and_replays_its_future():
    scenario = "changes:\n  - {kind: cut_wait, handoff: [Dev, QA], by: 50%, waste: waiting}\n"
    workshop = Workshop("team", export_log(), loads_scenario(scenario))
    assert [step.name for step in workshop.stream.steps] == ["Dev", "QA"]
    assert workshop.comparison.kind == "logs"
    # Waits 10, 20, 40 halve to 5, 10, 20: the median item's wait falls from 20 to 10 hours.
    rows = workshop.comparison.headline.set_index("metric")
    assert rows.loc["wait_time_median", ["current", "future"]].tolist() == pytest.approx([20.0, 10.0])
    assert workshop.future_stream.unit == workshop.stream.unit
    assert isinstance(workshop.first_page()[1], Markdown)
    assert len(workshop.flow_over_time()) == 8  # a heading and seven charts


def test_a_figure_decided_by_a_guess_is_said_first_with_the_mapping_lines():
    workshop = Workshop.open(str(EXPORTS / "azure_devops_revisions.csv"))
    heading, notice, summary = workshop.first_page()
    assert isinstance(notice, HTML) and isinstance(summary, Markdown)
    assert "<strong>Read with a guess.</strong> Flow efficiency 100 % is a guess" in notice.data
    assert "<pre>statuses:\n  New: {kind: waiting}\n  Active: {kind: active}\nstart_point: first_status\n</pre>" in (
        notice.data
    )
    assert live_markup(notice.data) == []


def test_a_mapped_export_has_no_guess_on_its_first_page():
    workshop = Workshop.open(
        str(SAMPLES / "payments_team.csv"), mapping_path=str(SAMPLES / "payments_team.mapping.yaml")
    )
    assert not any("Read with a guess" in getattr(shown, "data", "") for shown in workshop.first_page())


def test_workshop_without_scenario_promises_nothing():
    workshop = Workshop("team", visit_log([("A", "Dev", "2026-01-05", "2026-01-06")], as_of="2026-01-07"))
    assert workshop.future is None and workshop.comparison is None
    assert workshop.future_state() == [] and workshop.plan() == []
    assert "**Future state: none given.**" in workshop.first_page()[-1].data


def test_notebooks_draw_charts_as_inline_svg_without_aria_descriptions():
    import altair as alt
    import vl_convert

    from vsm_widgets.readout.notebook_setup import READOUT_THEME, prepare

    renderer, theme = alt.renderers.active, alt.theme.active
    try:
        prepare()
        assert (alt.renderers.active, alt.theme.active) == ("svg", READOUT_THEME)
        chart = alt.Chart(pd.DataFrame({"step": [SCRIPT], "hours": [3.0]})).mark_bar().encode(x="hours", y="step")
        svg = vl_convert.vegalite_to_svg(chart.to_dict())
        assert "aria-label" not in svg and "&lt;script&gt;" in svg
    finally:
        alt.renderers.enable(renderer)
        alt.theme.enable(theme)


def test_the_plan_of_a_map_names_steps_never_ids():
    stream = load_map(MAPS / "four_functions.yaml")
    table = plan_table(loads_scenario(PLAN), stream.label)
    assert table.iloc[0]["Change"] == "Cut the wait between Ops and Delivery to at most 2 days"
