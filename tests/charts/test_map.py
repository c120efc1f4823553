import pytest

from tests.charts.chart_spec import DROP, SCRIPT, days, escaped_in_svg, layers, rows_with, spec, svg, tooltip_fields
from tests.paths import MAPS, SAMPLES
from vsm_widgets.charts.map import value_stream_map
from vsm_widgets.charts.theme import ALERT, INK, NEUTRAL, WAITING, WORK
from vsm_widgets.io.exports import read_export
from vsm_widgets.io.map_file import load_map
from vsm_widgets.metrics import flow
from vsm_widgets.model.stream import Handoff, Step, ValueStream
from vsm_widgets.wording import percent, value_text


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
    assert rows_with(chart, source="ops", target="delivery", dash=[7, 5]) and rows_with(
        chart, source="ops", owned=False
    )
    assert rows_with(chart, source="supplier", target="marketing", dash=[1, 0])


def test_the_critical_path_is_drawn_thick_and_parallel_branches_sit_in_a_row_below(parallel):
    chart = value_stream_map(parallel)
    on_path = rows_with(chart, node="equipment")[0]
    branch = rows_with(chart, node="paperwork")[0]
    assert on_path["stroke_width"] > branch["stroke_width"]
    assert on_path["row"] == 0 and branch["row"] == 1
    assert branch["column"] == on_path["column"]


def test_the_ladder_follows_the_critical_path_with_totals_at_the_end(four_functions):
    chart = value_stream_map(four_functions, max_width=None)
    assert rows_with(chart, text="Waiting 15 days", colour=WAITING)
    assert rows_with(chart, text="Process 29 days", colour=WORK)
    assert rows_with(chart, text="Lead time 44 days", colour=INK)
    upper = [row for row in rows_with(chart, colour=WAITING) if "x2" in row]
    lower = [row for row in rows_with(chart, colour=WORK) if "x2" in row]
    assert len(upper) == 5 and len(lower) == 4


def test_a_block_lead_time_shows_on_the_process_rung(parallel):
    chart = value_stream_map(parallel)
    assert rows_with(chart, text="2 hours", colour=WORK) and rows_with(chart, text="block 6 days", colour=WORK)


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


def test_a_long_name_wraps_onto_lines_before_it_is_cut():
    stream = ValueStream("Wrap", [Step("a", "Equipment provisioning and account setup", process_time=days(1))])
    lines = [row["text"] for row in rows_with(value_stream_map(stream), weight="bold", size=14)]
    assert lines[:3] == ["Equipment", "provisioning and", "account setup"]


def test_the_tooltips_say_words_not_codes(parallel):
    chart = value_stream_map(parallel)
    record = rows_with(chart, node="record")[0]
    assert (record["value_text"], record["critical_text"]) == ("Necessary", "yes")
    assert rows_with(chart, node="paperwork")[0]["waste_text"] == "Extra processing"
    assert rows_with(chart, node="paperwork")[0]["critical_text"] == "no"
    assert {"value_text", "critical_text", "kind", "inventory_text"} <= tooltip_fields(chart)
    assert not rows_with(chart, value="nnva")


def skipping():
    """Build -> Release beside Build -> Review -> Release: the direct arrow skips the review box."""
    steps = [Step("build", "Build", process_time=days(1)), Step("review", "Security review", process_time=days(1))]
    steps.append(Step("release", "Release", process_time=days(1)))
    handoffs = [Handoff("supplier", "build"), Handoff("build", "review", days(1)), Handoff("review", "release")]
    handoffs += [Handoff("build", "release", days(2), kind="fifo"), Handoff("release", "customer")]
    return ValueStream("Skip", steps, handoffs)


def test_a_skip_arrow_leaves_from_the_top_and_runs_in_a_lane_above_the_box_it_skips():
    chart = value_stream_map(skipping(), max_width=None)
    review = rows_with(chart, node="review")[0]
    segments = rows_with(chart, source="build", target="release", part="arrow")
    assert len(segments) == 3
    lane = segments[1]
    assert lane["y"] == lane["y2"] < review["y0"]
    assert segments[0]["y"] == rows_with(chart, node="build")[0]["y0"]
    label = rows_with(chart, text="2 days", colour=WAITING)[0]
    assert lane["y"] - 20 < label["y"] < lane["y"] and not review["x0"] <= label["x"] <= review["x1"]


def test_fifo_pull_and_inventory_symbols_by_arrow(four_functions):
    stream = skipping()
    stream = stream.with_handoff(stream.handoff("review", "release").replace(kind="pull", inventory=40))
    chart = value_stream_map(stream)
    shapes = [row["shape"] for row in rows_with(chart, part="symbol")]
    assert "triangle-up" in shapes and any(shape.startswith("M-1,-0.45") for shape in shapes)
    assert any(shape.startswith("M-1,-1") for shape in shapes)
    assert rows_with(chart, text="40") and rows_with(chart, text="FIFO")
    # Push arrows (the rest) are striped under their labelled stretch; FIFO and pull ones are not.
    assert len(rows_with(chart, part="slot", push=True)) == 3


def test_kaizen_bursts_carry_the_numbers_of_the_plan_and_the_future_marks_its_changes(parallel):
    from vsm_widgets.future.scenario import load_scenario

    scenario = load_scenario(MAPS / "parallel.scenario.yaml")
    plan = value_stream_map(parallel, scenario)
    bursts = [row for row in rows_with(plan, part="symbol") if row["fill"] == "#F0E442"]
    assert len(bursts) == len(scenario.changes) == 2
    assert rows_with(plan, text="1", weight="bold") and rows_with(plan, text="2", weight="bold")
    future = value_stream_map(scenario.apply(parallel), scenario, parallel)
    marked = rows_with(future, part="highlight")
    assert len(marked) == 2  # the two waits the plan cuts, and nothing else
    assert any("marked: changed value" in line for line in spec(future)["title"]["subtitle"])


def test_a_map_wider_than_the_page_wraps_onto_a_second_tier_instead_of_shrinking(four_functions):
    made = spec(value_stream_map(four_functions))
    assert made["width"] <= 960 < spec(value_stream_map(four_functions, max_width=None))["width"]
    chart = value_stream_map(four_functions)
    sales, ops = rows_with(chart, node="sales")[0], rows_with(chart, node="ops")[0]
    assert ops["y0"] > sales["y1"] and ops["x0"] < sales["x0"]
    # Sales -> Ops runs from the top of Sales, down the right side, back left under the ladder, into the top of Ops.
    segments = rows_with(chart, source="sales", target="ops", part="arrow")
    assert segments[0]["y"] == sales["y0"] and segments[-1]["y2"] < ops["y0"]
    assert max(row["x"] for row in segments) > made["width"] - 60 and min(row["x"] for row in segments) < ops["x0"]
    # The ladder wraps with it: each tier has its own rungs, the totals come after the last.
    waits = [row for row in rows_with(chart, colour=WAITING) if "x2" in row and row["y"] == row["y2"]]
    assert {row["y"] for row in waits} == {waits[0]["y"], waits[-1]["y"]} and waits[-1]["y"] > ops["y1"]
    assert rows_with(chart, text="Lead time 44 days")[0]["y"] > ops["y1"]


def test_the_key_under_the_title_wraps_to_the_width_of_the_map(parallel):
    from vsm_widgets.future.scenario import load_scenario

    scenario = load_scenario(MAPS / "parallel.scenario.yaml")
    made = spec(value_stream_map(scenario.apply(parallel), scenario, parallel))
    key = made["title"]["subtitle"][2:]
    assert len(key) >= 2 and " · ".join(key).endswith("ladder: waiting above, process time below")
    assert all(len(line) * 14 * 0.5 <= made["width"] for line in key)


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
    lead = value_text(summary["lead_time"]["mean"], "hours")
    assert (
        f"Lead time {lead}, the mean item of 315 finished items (every box and arrow adds up to it)"
        in made["title"]["subtitle"]
    )
    assert rows_with(chart, text=f"Lead time {lead}")


def test_a_step_not_yet_classified_is_drawn_and_says_so():
    stream = ValueStream("New box", [Step("a", "A new box", process_time=days(1), value="unclassified")])
    record = rows_with(value_stream_map(stream), node="a")[0]
    assert record["value_text"] == "Not yet classified"
