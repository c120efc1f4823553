"""The map as a reader sees it: rendered to SVG, no two texts overlap and no arrow crosses a box.

Geometry is read from the SVG vl-convert renders, not from the chart's data:
each text's glyph box is estimated from its font size and its length (an
average advance of 0.56 em, 0.6 em in bold), each box from its path, each
arrow segment from its line. An arrow may touch the edges of the boxes it
connects; it may not enter any box.
"""

import html
import re

import pytest
import vl_convert as vlc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.charts.chart_spec import days
from tests.paths import MAPS, SAMPLES
from vsm_widgets.charts.map import value_stream_map
from vsm_widgets.charts.theme import INK
from vsm_widgets.future.scenario import load_scenario
from vsm_widgets.io.exports import read_export
from vsm_widgets.io.map_file import load_map
from vsm_widgets.model.stream import CUSTOMER, SUPPLIER, Handoff, Step, ValueStream

BOX_FILLS = ("#E8F1F8", "#EEEEEE")
_TRANSLATE = r'transform="translate\(([-\d.e]+),([-\d.e]+)\)"'
_TEXT = re.compile(r"<text ([^>]*)>([^<]*)</text>")
_LINE = re.compile(r"<line ([^>]*)/>")
_PATH = re.compile(r"<path ([^>]*)/>")


def _attribute(attributes, name):
    found = re.search(rf'\b{name}="([^"]*)"', attributes)
    return found.group(1) if found else None


def _origin(attributes):
    x, y = re.search(_TRANSLATE, attributes).groups()
    return float(x), float(y)


def text_boxes(image):
    """Glyph boxes (x0, y0, x1, y1, text) of the chart's text marks; the title is not a mark."""
    boxes = []
    for attributes, content in _TEXT.findall(image):
        if 'aria-roledescription="text mark"' not in attributes or not content.strip():
            continue
        x, baseline = _origin(attributes)
        size = float(_attribute(attributes, "font-size").rstrip("px"))
        text = html.unescape(content)
        width = len(text) * size * (0.6 if _attribute(attributes, "font-weight") == "bold" else 0.56)
        anchor = _attribute(attributes, "text-anchor") or "start"
        left = {"middle": x - width / 2, "end": x - width}.get(anchor, x)
        boxes.append((left, baseline - 0.72 * size, left + width, baseline + 0.2 * size, text))
    return boxes


def _path_extent(attributes):
    """The bounding box of a rect mark's path: vl-convert writes it in absolute moves, lines and curves (x,y pairs)."""
    translated = re.search(_TRANSLATE, attributes)
    x, y = (float(v) for v in translated.groups()) if translated else (0.0, 0.0)
    numbers = [float(n) for n in re.findall(r"-?[\d.]+(?:e-?\d+)?", _attribute(attributes, "d"))]
    xs, ys = numbers[0::2], numbers[1::2]
    return x + min(xs), y + min(ys), x + max(xs), y + max(ys)


def node_boxes(image):
    return [_path_extent(a) for a in _PATH.findall(image) if _attribute(a, "fill") in BOX_FILLS and "d=" in a]


def arrow_segments(image):
    segments = []
    for attributes in _LINE.findall(image):
        if _attribute(attributes, "stroke") != INK:
            continue
        x, y = _origin(attributes)
        segments.append(
            (x, y, x + float(_attribute(attributes, "x2") or 0), y + float(_attribute(attributes, "y2") or 0))
        )
    return segments


def overlapping_texts(image):
    boxes = text_boxes(image)
    return [
        (a[4], b[4])
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if min(a[2], b[2]) - max(a[0], b[0]) > 1 and min(a[3], b[3]) - max(a[1], b[1]) > 1
    ]


def crossed_boxes(image):
    """Arrow segments (all horizontal or vertical) that enter a box's inside; touching an edge is not crossing."""
    found = []
    for x0, y0, x1, y1 in node_boxes(image):
        for sx, sy, ex, ey in arrow_segments(image):
            left, right, top, bottom = min(sx, ex), max(sx, ex), min(sy, ey), max(sy, ey)
            if left < x1 - 1 and right > x0 + 1 and top < y1 - 1 and bottom > y0 + 1:
                found.append(((x0, y0, x1, y1), (sx, sy, ex, ey)))
    return found


def assert_legible(chart):
    image = vlc.vegalite_to_svg(chart.to_dict())
    assert arrow_segments(image) and node_boxes(image) and text_boxes(image)
    assert overlapping_texts(image) == []
    assert crossed_boxes(image) == []


def test_the_checks_see_an_overlap_and_a_crossing():
    image = (
        '<text aria-roledescription="text mark" text-anchor="middle" transform="translate(100,50)" '
        'font-size="14px">Equipment provisioning</text>'
        '<text aria-roledescription="text mark" text-anchor="middle" transform="translate(110,54)" '
        'font-size="12px">0.1 days</text>'
        '<path fill="#E8F1F8" d="M50,20L200,20L200,144L50,144Z"/>'
        f'<line transform="translate(10,80)" x2="300" y2="0" stroke="{INK}"/>'
    )
    assert overlapping_texts(image) == [("Equipment provisioning", "0.1 days")]
    assert crossed_boxes(image) == [((50, 20, 200, 144), (10, 80, 310, 80))]


SAMPLE_MAPS = sorted(path for path in MAPS.glob("*.yaml") if not path.name.endswith(".scenario.yaml"))


def test_the_sample_maps_are_found():
    assert len(SAMPLE_MAPS) >= 6


@pytest.mark.parametrize("path", SAMPLE_MAPS, ids=lambda path: path.stem)
def test_every_sample_map_its_plan_and_its_future_state_are_legible(path):
    current = load_map(path)
    assert_legible(value_stream_map(current))
    assert_legible(value_stream_map(current, max_width=None))
    plan = path.with_name(f"{path.stem}.scenario.yaml")
    if not plan.exists():  # a map drawn only as it is today, such as the onboarding workshop's estimates
        return
    scenario = load_scenario(plan)
    assert_legible(value_stream_map(current, scenario))
    assert_legible(value_stream_map(scenario.apply(current), scenario, current))


SAMPLE_EXPORTS = sorted([*SAMPLES.glob("*.csv"), *SAMPLES.glob("*.xlsx")])


@pytest.mark.parametrize("path", SAMPLE_EXPORTS, ids=lambda path: path.name)
def test_the_measured_map_of_every_sample_export_is_legible(path):
    assert len(SAMPLE_EXPORTS) >= 4
    mapping = path.with_name(f"{path.stem}.mapping.yaml")
    log = read_export(path, mapping if mapping.exists() else None)
    assert_legible(value_stream_map(ValueStream.from_events(log)))


def forty_steps():
    """A 40-step map with long names, two skip arrows and a parallel branch."""
    ids = [f"s{i}" for i in range(40)]
    steps = [
        Step(i, f"Step {n} of the long onboarding and provisioning route", f"Team {n % 7}", days(1 + n % 3))
        for n, i in enumerate(ids)
    ]
    steps.append(Step("branch", "Parallel contract and payroll paperwork", "HR", days(2)))
    pairs = [(SUPPLIER, ids[0]), *zip(ids, ids[1:], strict=False), (ids[-1], CUSTOMER)]
    pairs += [(ids[5], ids[8]), (ids[20], ids[22]), (ids[30], "branch"), ("branch", ids[31])]
    handoffs = [
        Handoff(a, b, days(0.5), inventory=None if n % 5 else 300, kind=("push", "fifo", "pull")[n % 3])
        for n, (a, b) in enumerate(pairs)
    ]
    return ValueStream("Forty steps", steps, handoffs, demand_per_day=100)


def test_a_forty_step_map_is_legible_wrapped_onto_tiers_and_at_its_natural_width():
    stream = forty_steps()
    assert len(stream.steps) == 41
    assert_legible(value_stream_map(stream))
    assert_legible(value_stream_map(stream, max_width=None))


names = st.text(st.characters(categories=("L", "N", "Zs")), max_size=60)


@st.composite
def random_maps(draw):
    """Up to 30 steps in flow order; each is fed by the one before, and sometimes also skips in or branches off."""
    count = draw(st.integers(1, 30))
    ids = [f"s{n}" for n in range(count)]
    pairs = set()
    for index, step_id in enumerate(ids):
        earlier = [SUPPLIER, *ids[:index]]
        pairs.add((earlier[-1], step_id) if draw(st.integers(0, 4)) else (draw(st.sampled_from(earlier)), step_id))
        if draw(st.integers(0, 3)) == 0:  # a skip arrow from further back
            pairs.add((draw(st.sampled_from(earlier)), step_id))
    fed = {source for source, _ in pairs}
    pairs |= {(step_id, CUSTOMER) for step_id in ids if step_id not in fed}
    steps = [Step(i, draw(names), draw(st.none() | names), days(draw(st.floats(0, 50))), wastes=()) for i in ids]
    handoffs = [
        Handoff(
            a,
            b,
            days(draw(st.floats(0, 30))),
            owner=draw(st.none() | names),
            kind=draw(st.sampled_from(["push", "pull", "fifo"])),
        )
        for a, b in sorted(pairs)
    ]
    return ValueStream(draw(names), steps, handoffs)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_maps(), st.sampled_from([None, 960, 600]))
def test_random_maps_with_skip_arrows_and_branches_are_legible_wrapped_or_not(stream, max_width):
    assert_legible(value_stream_map(stream, max_width=max_width))
