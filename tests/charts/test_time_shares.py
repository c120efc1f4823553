import pytest

from tests.charts.chart_spec import DROP, SCRIPT, escaped_in_svg, rows_with, spec, svg, tooltip_fields
from vsm_widgets.charts.theme import WAITING, WORK
from vsm_widgets.charts.time_shares import time_share_chart, waste_pareto_chart
from vsm_widgets.model.stream import Step, ValueStream


def test_shares_of_the_critical_path_add_up_and_name_the_largest(four_functions):
    chart = time_share_chart(four_functions)
    assert spec(chart)["title"]["text"] == "Ops takes the largest share of lead time (27 %); arrows take 34 %"
    rows = rows_with(chart, critical=True)
    assert sum(row["share"] for row in rows) == pytest.approx(1.0)
    assert rows_with(chart, display="Sales -> Ops", kind_name="waiting", share_text="11 %")
    assert rows_with(chart, display="Ops", kind_name="work", elapsed_text="12 days")


def test_boxes_are_blue_and_arrows_orange(four_functions):
    encoding = spec(time_share_chart(four_functions))["layer"][0]["encoding"]["color"]["scale"]
    assert dict(zip(encoding["domain"], encoding["range"], strict=True)) == {"work": WORK, "waiting": WAITING}


def test_pareto_orders_wastes_largest_first_with_a_cumulative_share(four_functions):
    chart = waste_pareto_chart(four_functions)
    made = spec(chart)
    # Waiting: 15 days on the arrows and 12 days of Ops tagged waiting; defects: Delivery's 4 days.
    assert made["title"]["text"] == "Waiting accounts for 61 % of lead time; with defects, 70 %"
    assert made["layer"][0]["encoding"]["x"]["sort"] == ["Waiting", "Defects"]
    assert rows_with(chart, label="Defects", cumulative=pytest.approx(31 / 44))
    assert made["title"]["subtitle"][1] == "arrows count as waiting; line: cumulative share"


def test_pareto_can_leave_the_arrows_out(four_functions):
    chart = waste_pareto_chart(four_functions, handoffs_as=None)
    assert rows_with(chart, label="Waiting", time=12.0)
    assert spec(chart)["title"]["subtitle"][1].startswith("arrows left out")


def test_a_map_with_no_tagged_waste_says_so():
    stream = ValueStream("Plain", [Step("a", "A")])
    assert spec(waste_pareto_chart(stream, handoffs_as=None))["title"]["text"] == (
        "No time on the critical path is tagged with a waste yet"
    )


def test_user_text_is_data_in_the_shares(hostile_map):
    chart = time_share_chart(hostile_map)
    assert escaped_in_svg(SCRIPT, svg(chart)) and escaped_in_svg(DROP, svg(chart))
    assert rows_with(chart, display=SCRIPT) and "display" in tooltip_fields(chart)
