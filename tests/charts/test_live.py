"""Live specifications: redrawing an edited map by its data gives exactly the specification of a full rebuild."""

import altair as alt
import pytest

from tests.charts.chart_spec import days
from tests.paths import MAPS, SAMPLES
from vsm_widgets.charts.map import live_map, map_parts, value_stream_map
from vsm_widgets.charts.spec_cache import ChartParts, LiveSpec, SharedRows, json_rows
from vsm_widgets.charts.timeline import live_step_times, step_time_chart
from vsm_widgets.io.map_file import load_map
from vsm_widgets.model.stream import Handoff, Step


def rebuilt(stream):
    """Both charts of the explorer, built and written out from scratch."""
    return value_stream_map(stream).to_dict(validate=False), step_time_chart(stream).to_dict(validate=False)


def test_edits_redraw_by_data_and_a_new_layout_draws_again(four_functions):
    charts = live_map(), live_step_times()
    ops = four_functions.step("ops")
    edits = [
        # (the map after the edit, whether the map and the step chart must be drawn again)
        (four_functions, (True, True)),
        (four_functions.with_step(ops.replace(process_time=days(20))), (False, False)),
        (four_functions.with_handoff(Handoff("sales", "ops", days(9))), (False, False)),
        (four_functions.with_step(four_functions.step("marketing").replace(owner=None)), (False, False)),
        # A new name is data on the map, and a new row label on the step chart.
        (four_functions.with_step(four_functions.step("sales").replace(name="Sales desk")), (False, True)),
        (four_functions.add_step(Step("legal", "Legal", "Counsel", days(2)), after="ops"), (True, True)),
        (four_functions.remove_step("delivery"), (True, True)),
        (four_functions.remove_step("delivery").with_step(ops.replace(process_time=days(1))), (False, False)),
    ]
    for stream, drawn in edits:
        before = [chart.drawn for chart in charts]
        specs = [chart(stream) for chart in charts]
        assert specs == list(rebuilt(stream))
        assert [chart.drawn - count for chart, count in zip(charts, before, strict=True)] == [int(d) for d in drawn]
    assert "PT 24 hours" in str(specs[0]["datasets"])


def test_the_critical_path_moving_to_the_other_branch_is_data_only():
    parallel = load_map(MAPS / "parallel.yaml")
    live = live_map()
    assert live(parallel) == rebuilt(parallel)[0]
    # Paperwork now takes 8 days instead of 4: the branch below becomes the critical path on the top row.
    slower = parallel.with_step(parallel.step("paperwork").replace(lead_time=days(8)))
    assert map_parts(slower).datasets["steps"][1]["row"] != map_parts(parallel).datasets["steps"][1]["row"]
    assert live(slower) == rebuilt(slower)[0]
    assert live.drawn == 1


def test_a_specification_handed_out_can_be_changed_without_harm(four_functions):
    live = live_map()
    first = live(four_functions)
    first["layer"][0]["mark"]["type"] = "bar"
    first["title"]["subtitle"].append("changed")
    edited = four_functions.with_step(four_functions.step("ops").replace(process_time=days(3)))
    second = live(edited)
    second["layer"][1]["encoding"]["x"]["scale"]["domain"][1] = 0
    second["datasets"].clear()
    assert live(edited) == rebuilt(edited)[0]
    assert live.drawn == 1


def test_another_theme_draws_again(four_functions):
    live = live_map()
    live(four_functions)
    with alt.theme.enable("default"):
        assert live(four_functions) == value_stream_map(four_functions).to_dict(validate=False)
    assert live(four_functions) == rebuilt(four_functions)[0]
    assert live.drawn == 3


def toy_parts(first, second):
    return ChartParts({"a": [{"n": first}], "b": [{"n": second}]}, alt.Title(f"{first}, {second}"), {"width": 50})


def toy_draw(parts):
    return alt.layer(
        alt.Chart(parts.data("a")).mark_point().encode(x=alt.X(field="n", type="quantitative")),
        alt.Chart(parts.data("b")).mark_tick().encode(x=alt.X(field="n", type="quantitative")),
        title=parts.title,
        width=parts.frame["width"],
    )


def test_datasets_that_cannot_be_told_apart_by_name_are_drawn_every_time():
    live = LiveSpec(lambda pair: toy_parts(*pair), toy_draw)
    drawn = []
    for pair in [(1, 1), (2, 2), (1, 2), (3, 3), (5, 6)]:
        spec = live(pair)
        assert spec == toy_draw(toy_parts(*pair)).to_dict(validate=False)
        assert [row["n"] for rows in spec["datasets"].values() for row in rows] == sorted(set(pair))
        drawn.append(live.drawn)
    # Equal rows share a name, so a template made from them would not know which layer is which; equal rows
    # put into a template made from distinct ones share a dataset, as Altair's own would.
    assert drawn == [1, 2, 3, 3, 3]


def test_shared_rows_are_not_copied_and_still_validate():
    rows, others = [{"n": 1.0}], [{"n": 2.0}]
    x = alt.X(field="n", type="quantitative")
    chart = alt.layer(
        alt.Chart(SharedRows(values=rows)).mark_point().encode(x=x),
        alt.Chart(SharedRows(values=others)).mark_tick().encode(x=x),
    )
    assert chart.copy().layer[0].data.values is rows
    spec = chart.to_dict()
    assert spec["datasets"][spec["layer"][0]["data"]["name"]] == [{"n": 1.0}]
    assert spec["datasets"][spec["layer"][1]["data"]["name"]] == [{"n": 2.0}]


def test_rows_carry_no_nan():
    assert json_rows([{"a": float("nan"), "b": float("inf"), "c": 2.0, "d": [1]}]) == [
        {"a": None, "b": None, "c": 2.0, "d": [1]}
    ]


@pytest.mark.parametrize("name", ["four_functions", "parallel", "software_delivery", "manufacturing", "office"])
def test_the_live_specifications_of_the_sample_maps_are_their_charts(name):
    stream = load_map(f"{SAMPLES}/maps/{name}.yaml")
    assert (live_map()(stream), live_step_times()(stream)) == rebuilt(stream)
