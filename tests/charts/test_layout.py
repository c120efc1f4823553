from tests.paths import MAPS
from vsm_widgets.charts.layout import BOX_WIDTH, map_layout
from vsm_widgets.io.map_file import load_map


def test_every_arrow_points_right_and_the_critical_path_runs_along_the_top():
    stream = load_map(MAPS / "parallel.yaml")
    boxes = map_layout(stream).boxes
    for handoff in stream.handoffs:
        assert boxes[handoff.target].column > boxes[handoff.source].column
        assert boxes[handoff.target].x0 >= boxes[handoff.source].x1
    assert {node for node, box in boxes.items() if box.row == 0} >= {"supplier", "customer", *stream.critical_path()}
    assert boxes["paperwork"].row == 1 and boxes["paperwork"].column == boxes["equipment"].column


def test_a_linear_map_is_one_row_with_the_customer_last(four_functions):
    layout = map_layout(four_functions)
    assert [box.row for box in layout.boxes.values()] == [0] * 6
    assert list(layout.boxes) == ["supplier", "marketing", "sales", "ops", "delivery", "customer"]
    assert (
        layout.width >= layout.boxes["customer"].x1
        and layout.boxes["customer"].x1 - layout.boxes["customer"].x0 == BOX_WIDTH
    )


def test_a_wide_map_wraps_onto_tiers_of_whole_columns_and_crossing_arrows_get_a_channel_each(four_functions):
    layout = map_layout(four_functions, max_width=960)
    assert layout.width <= 960
    assert [box.tier for box in layout.boxes.values()] == [0, 0, 0, 1, 1, 1]
    assert list(layout.crossings) == [("sales", "ops")]
    assert layout.boxes["ops"].x0 == layout.boxes["supplier"].x0
    assert map_layout(four_functions).width > 960 and not map_layout(four_functions).crossings
