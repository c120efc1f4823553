import pytest

from tests.charts.chart_spec import DROP, SCRIPT, days, escaped_in_svg, layers, rows_with, spec, svg, tooltip_fields
from tests.paths import MAPS, SAMPLES
from vsm_widgets.charts.map import value_stream_map
from vsm_widgets.charts.theme import ALERT, INK, NEUTRAL, WAITING, WORK, quantity
from vsm_widgets.io.exports import read_export
from vsm_widgets.io.map_file import load_map
from vsm_widgets.metrics import flow
from vsm_widgets.model.stream import Handoff, Step, ValueStream
from vsm_widgets.wording import percent


@pytest.fixture
def parallel():
    return load_map(MAPS / "parallel.yaml")


def test_title_states_the_waiting_share_and_the_longest_wait(four_functions):
    made = spec(value_stream_map(four_functions))["title"]
    assert made["text"] == "34 % of lead time is waiting; the largest wait is between Ops and Delivery (7 days)"
    assert made["subtitle"][0] == "unit: days · day: 24 h"
    assert made["subtitle"][1] == "15 days of the 44 days wait on arrows nobody owns"


def test_boxes_carry_name_owner_process_time_and_pct_ca(four_functions):
    chart = value_stream_map(four_functions)
    assert rows_with(chart, text="Sales", colour=INK)
    assert rows_with(chart, text="Head of Sales", colour=NEUTRAL)
    assert rows_with(chart, text="PT 8 days", colour=WORK)
    assert rows_with(chart, text="%C&A 80 %")
    assert rows_with(chart, text="Customer request") and rows_with(chart, text="Customer")


def test_arrows_show_their_wait_and_an_arrow_nobody_owns_is_dashed_and_marked(four_functions):
    chart = value_stream_map(four_functions)
    assert rows_with(chart, text="7 days", colour=WAITING)
    assert len(rows_with(chart, text="no owner", colour=ALERT)) == 3
    assert rows_with(chart, text="Head of Delivery", colour=NEUTRAL)
    arrows = [unit for unit in layers(chart) if unit["mark"]["type"] == "rule" and "strokeDash" in unit["encoding"]]
    assert arrows[0]["encoding"]["strokeDash"] == {"field": "dash", "type": "nominal", "scale": None}
    assert rows_with(chart, source="ops", target="delivery", owned=False, dash=[7, 5])
    assert rows_with(chart, source="supplier", target="marketing", owned=True, dash=[1, 0])


def test_the_critical_path_is_drawn_thick_and_parallel_branches_sit_in_a_row_below(parallel):
    chart = value_stream_map(parallel)
    on_path = rows_with(chart, node="equipment")[0]
    branch = rows_with(chart, node="paperwork")[0]
    assert on_path["stroke_width"] > branch["stroke_width"]
    assert on_path["row"] == 0 and branch["row"] == 1
    assert branch["column"] == on_path["column"]


def test_the_ladder_follows_the_critical_path_with_totals_at_the_end(four_functions):
    chart = value_stream_map(four_functions)
    assert rows_with(chart, text="Waiting 15 days", colour=WAITING)
    assert rows_with(chart, text="Process 29 days", colour=WORK)
    assert rows_with(chart, text="Lead time 44 days", colour=INK)
    upper = [row for row in rows_with(chart, colour=WAITING) if "x2" in row]
    lower = [row for row in rows_with(chart, colour=WORK) if "x2" in row]
    assert len(upper) == 5 and len(lower) == 4


def test_a_block_lead_time_shows_on_the_process_rung(parallel):
    chart = value_stream_map(parallel)
    assert rows_with(chart, text="0.25 days (block 6 days)", colour=WORK)


def test_seconds_on_a_map_in_days_read_as_seconds():
    stream = ValueStream("Press", [Step("press", "Press", process_time=days(39 / 86400))])
    assert rows_with(value_stream_map(stream), text="PT 39 seconds")


def test_the_map_renders_to_svg_with_its_numbers(four_functions):
    image = svg(value_stream_map(four_functions))
    for text in ("Lead time 44 days", "Marketing", "no owner", "%C&amp;A 80 %"):
        assert text in image


def test_user_text_is_data_in_the_svg_and_the_tooltips(hostile_map):
    chart = value_stream_map(hostile_map)
    image = svg(chart)
    assert escaped_in_svg(SCRIPT, image) and escaped_in_svg(DROP, image)
    # The tooltips' text travels in each mark's aria-label, escaped like the rest.
    assert "step: &lt;script&gt;alert(1)&lt;/script&gt;; owner: &quot;; DROP TABLE;" in image
    assert rows_with(chart, name=SCRIPT, owner_text=DROP)
    assert rows_with(chart, source_label=SCRIPT, target_label=DROP, owner_text=SCRIPT)
    assert {"name", "owner_text", "source_label", "target_label"} <= tooltip_fields(chart)


def test_a_map_with_no_time_says_so():
    stream = ValueStream("Empty", [Step("a", "A")], [Handoff("supplier", "a"), Handoff("a", "customer")])
    assert spec(value_stream_map(stream))["title"]["text"].startswith("Lead time is zero")


def test_a_measured_map_draws_the_mean_item_and_says_so():
    log = read_export(SAMPLES / "payments_team.csv", mapping=SAMPLES / "payments_team.mapping.yaml")
    chart = value_stream_map(ValueStream.from_events(log))
    made = spec(chart)
    summary = flow.summary(log)
    # The title's waiting share is 1 - portfolio flow efficiency; its largest wait the partition's.
    waiting = percent(1 - summary["flow_efficiency"])
    assert (
        made["title"]["text"]
        == f"{waiting} of lead time is waiting; the largest wait is between Code review and QA (6.5 days)"
    )
    lead = quantity(summary["lead_time"]["mean"] / 24, "days")
    assert (
        f"Lead time {lead}, the mean item of 315 finished items (every box and arrow adds up to it)"
        in made["title"]["subtitle"]
    )
    assert rows_with(chart, text=f"Lead time {lead}")
