from tests.charts.chart_spec import DROP, SCRIPT, escaped_in_svg, layers, rows_with, spec, svg, tooltip_fields
from tests.paths import MAPS
from vsm_widgets.charts.theme import WAITING, WORK
from vsm_widgets.charts.timeline import OFF_PATH_OPACITY, display_names, ladder_chart, step_time_chart
from vsm_widgets.io.map_file import load_map


def test_the_ladder_title_states_lead_time_work_and_waiting(four_functions):
    made = spec(ladder_chart(four_functions))["title"]
    assert made["text"] == "Lead time 44 days: 29 days of work, 15 days of waiting"
    assert made["subtitle"][0] == "unit: days · day: 24 h"


def test_each_segment_is_as_long_as_it_lasts_on_its_rung(four_functions):
    chart = ladder_chart(four_functions)
    ops = rows_with(chart, kind="work", key="ops")[0]
    assert (ops["start"], ops["end"]) == (21.0, 33.0)
    wait = rows_with(chart, kind="waiting", key="ops->delivery")[0]
    assert (wait["start"], wait["end"], wait["rung"]) == (33.0, 40.0, 1.0)
    rungs = layers(chart)[0]["encoding"]
    assert rungs["x"]["scale"]["domain"] == [0, 44.0]
    assert dict(zip(rungs["color"]["scale"]["domain"], rungs["color"]["scale"]["range"], strict=True)) == {
        "work": WORK,
        "waiting": WAITING,
    }


def test_the_ladder_totals_give_the_shares_at_the_end(four_functions):
    chart = ladder_chart(four_functions)
    assert rows_with(chart, text="waiting 15 days (34 %)")
    assert rows_with(chart, text="process 29 days (66 %)")


def test_waiting_inside_a_block_sits_on_the_waiting_rung():
    chart = ladder_chart(load_map(MAPS / "parallel.yaml"))
    inside = rows_with(chart, where="in step", key="equipment")[0]
    assert inside["kind"] == "waiting" and inside["duration"] == 6 - 0.25


def test_step_times_put_each_part_of_a_step_in_flow_order(four_functions):
    chart = step_time_chart(four_functions)
    assert spec(chart)["title"]["text"] == (
        "The largest wait is between Ops and Delivery (7 days); Ops takes the most process time (12 days)"
    )
    assert rows_with(chart, display="Ops", part="waiting before", time=5.0)
    assert rows_with(chart, display="Ops", part="process time", time=12.0)
    assert spec(chart)["encoding"]["y"]["sort"] == ["Marketing", "Sales", "Ops", "Delivery", "Customer"]


def test_steps_off_the_critical_path_are_paler():
    chart = step_time_chart(load_map(MAPS / "parallel.yaml"))
    assert {row["opacity"] for row in rows_with(chart, display="Contract and payroll")} == {OFF_PATH_OPACITY}
    assert {row["opacity"] for row in rows_with(chart, display="Laptop and accounts")} == {1.0}


def test_steps_that_share_a_name_are_told_apart():
    assert display_names(*map(__import__("pandas").Series, (["A", "A", "B"], ["x", "y", "z"]))) == [
        "A (x)",
        "A (y)",
        "B",
    ]


def test_user_text_is_data_in_ladder_and_step_charts(hostile_map):
    for chart in (ladder_chart(hostile_map), step_time_chart(hostile_map)):
        image = svg(chart)
        assert escaped_in_svg(DROP, image)
        assert "<script>" not in image
    assert rows_with(ladder_chart(hostile_map), label=f"{SCRIPT} → {DROP}", owner=SCRIPT)
    assert "label" in tooltip_fields(ladder_chart(hostile_map))
    assert rows_with(step_time_chart(hostile_map), display=SCRIPT)


def test_chart_titles_word_durations_as_the_page_does():
    # The software delivery map is counted in hours: 648 h read as 27 days in the titles, as in the text.
    software = load_map(MAPS / "software_delivery.yaml")
    assert ladder_chart(software).to_dict()["title"]["text"].startswith("Lead time 27 days:")
    parallel = load_map(MAPS / "parallel.yaml")
    # The step chart names the same largest wait as the map: 6 days of block lead time less 2 h, on 8-hour days.
    assert (
        step_time_chart(parallel)
        .to_dict()["title"]["text"]
        .startswith("The largest wait is inside Laptop and accounts (5.8 days);")
    )
