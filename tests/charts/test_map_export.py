import struct

from tests.paths import MAPS
from vsm_widgets.charts.map import map_parts
from vsm_widgets.charts.map_export import export_map
from vsm_widgets.future.scenario import load_scenario
from vsm_widgets.io.map_file import load_map


def png_size(data):
    """Width and height from a PNG's header chunk."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_one_call_writes_svg_and_a_png_at_twice_the_size_on_white_named_after_the_map(tmp_path):
    stream = load_map(MAPS / "parallel.yaml")
    svg, png = export_map(stream, tmp_path / "out")
    assert (svg.name, png.name) == (
        "offer_signed_to_productive_first_day.svg",
        "offer_signed_to_productive_first_day.png",
    )
    image = svg.read_text()
    assert "Create employee" in image and 'fill="white"' in image
    width, height = png_size(png.read_bytes())
    canvas = map_parts(stream).frame
    # Twice the canvas, plus twice the title and padding above it.
    assert width >= 2 * canvas["width"] and height >= 2 * canvas["height"] and width % 2 == 0
    assert sorted(path.name for path in tmp_path.joinpath("out").iterdir()) == sorted([svg.name, png.name])


def test_the_export_carries_the_plan_when_given_one(tmp_path):
    stream = load_map(MAPS / "four_functions.yaml")
    scenario = load_scenario(MAPS / "four_functions.scenario.yaml")
    svg, _ = export_map(scenario.apply(stream), tmp_path, scenario=scenario, before=stream)
    numbers = range(1, len(scenario.changes) + 1)
    assert all(f">{n}</text>" in svg.read_text() for n in numbers)
