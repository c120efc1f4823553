"""The Workshop on exports that hold less than a full readout: every section shows what it can and says the rest.

The fixtures are in tests/data/degenerate; what each can and cannot show is worked out in tests/readout/test_limits.py.
"""

import re

import altair as alt
import pytest
from IPython.display import HTML, Markdown

from tests.paths import DEGENERATE
from vsm_widgets.exceptions import MapNotMeasurable
from vsm_widgets.readout.workshop import Workshop

SECTIONS = ("title", "first_page", "findings", "current_map", "numbers", "where_time_goes", "flow_over_time")
SECTIONS += ("data_quality", "future_state", "plan", "conventions")
UNFIT = re.compile(r"\b(nan|NaN|None|inf)\b")


def shown(workshop: Workshop, section: str) -> tuple[str, int]:
    """The text a section displays, and how many charts it draws."""
    parts = getattr(workshop, section)()
    text = "\n".join(part.data for part in parts if isinstance(part, Markdown | HTML))
    return text, sum(isinstance(part, alt.TopLevelMixin) for part in parts)


@pytest.mark.parametrize("name", sorted(p.name for p in DEGENERATE.glob("*.csv")))
def test_every_section_of_a_degenerate_export_shows_without_nan(name):
    workshop = Workshop.open(str(DEGENERATE / name))
    for section in SECTIONS:
        text, _ = shown(workshop, section)
        assert not UNFIT.search(text), f"{section}: {UNFIT.search(text).group()} in {text!r}"


@pytest.mark.parametrize(
    ("name", "opening"),
    [
        ("all_in_progress.csv", "No item has finished yet"),
        ("every_step_rare.csv", "No step is shared by enough items to draw a map"),
        ("zero_length_items.csv", "Every visit in the export starts and ends at the same moment"),
    ],
)
def test_without_a_map_the_map_section_says_why_instead_of_drawing(name, opening):
    workshop = Workshop.open(str(DEGENERATE / name))
    text, charts = shown(workshop, "current_map")
    assert charts == 0
    assert f"> {opening}" in text
    first_page, _ = shown(workshop, "first_page")
    assert f"> {opening}" in first_page
    assert workshop.limits[0].startswith(opening)


def test_nothing_finished_draws_no_lead_time_chart_but_keeps_the_flow_and_the_aging():
    workshop = Workshop.open(str(DEGENERATE / "all_in_progress.csv"))
    assert isinstance(workshop.unmeasured, MapNotMeasurable) and workshop.unmeasured.reason == "no finished visit"
    text, charts = shown(workshop, "where_time_goes")
    assert charts == 0 and "Steps in flow order, per visit" in text and "Where the mean item's time goes" not in text
    # Cumulative flow, WIP run and aging stand; lead-time scatter, throughput, distribution and control chart go.
    assert shown(workshop, "flow_over_time")[1] == 3
    findings, _ = shown(workshop, "findings")
    assert "of lead time is waiting" not in findings
    assert "No item has finished yet, so there is no lead time to report." in findings
    conventions, _ = shown(workshop, "conventions")
    assert "Measured map" not in conventions


def test_a_map_that_exists_is_still_drawn():
    # One finished item makes a one-box map; an item open in a step no finished item visits is a box of its own.
    for name in ("one_row.csv", "open_in_new_step.csv"):
        workshop = Workshop.open(str(DEGENERATE / name))
        assert workshop.unmeasured is None
        assert shown(workshop, "current_map")[1] == 1
    assert [s.name for s in workshop.stream.steps] == ["Build", "Deploy", "Test"]


def test_without_a_map_the_first_page_does_not_point_at_one():
    rare = Workshop.open(str(DEGENERATE / "every_step_rare.csv"))
    first_page, _ = shown(rare, "first_page")
    assert "as the map below draws it" not in first_page
    # 40 items of 6 hours each: the mean item took 6 hours.
    assert "**Lead time: 6 hours.** The mean item, from the start of work to done; half of the 40" in first_page
    assert "as the map below draws it" in shown(Workshop.open(str(DEGENERATE / "one_row.csv")), "first_page")[0]
