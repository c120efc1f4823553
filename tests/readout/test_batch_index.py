"""The batch index: a row per readout with its headline numbers, failures with their error, offline."""

from __future__ import annotations

import pytest

from vsm_widgets.readout.batch_index import IndexRow, format_quantity, format_share, render_index, write_index
from vsm_widgets.readout.html_page import external_references, live_markup

EXPORT_SUMMARY = {
    "name": "payments",
    "source": "export",
    "unit": "hours",
    "lead_time": 648.0,
    "lead_time_statistic": "median over finished items",
    "flow_efficiency": 48 / 648,
    "flow_efficiency_definition": "active time / lead time, summed over finished items (portfolio ratio)",
    "largest_wait": {"from": "Dev", "to": "Release", "wait": 400.0, "unit": "hours", "statistic": "median per item"},
    "conventions": {"calendar": "calendar time"},
}
MAP_SUMMARY = {
    "name": "Quote to delivered solution",
    "source": "map",
    "unit": "days",
    "lead_time": 44.0,
    "lead_time_statistic": "total along the critical path",
    "flow_efficiency": 29 / 44,
    "flow_efficiency_definition": "activity ratio",
    "largest_wait": {"from": "ops", "to": "delivery", "wait": 7.0, "unit": "days", "statistic": "longest wait"},
    "conventions": {},
}
SCRIPT = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def rows() -> list[IndexRow]:
    return [
        IndexRow("payments", "data/payments.csv", "payments.html", EXPORT_SUMMARY, None),
        IndexRow("four_functions", "maps/four_functions.yaml", "four_functions.html", MAP_SUMMARY, None),
        IndexRow("silent", "data/silent.csv", "silent.html", None, None),
        IndexRow("broken", "data/broken.csv", None, None, f"VsmError: step {SCRIPT} has no start column"),
    ]


@pytest.fixture(scope="module")
def page(rows) -> str:
    return render_index(rows, notebook="readout")


def test_every_readout_is_linked_with_its_headline_numbers(page):
    assert '<a href="payments.html">payments</a>' in page
    assert '<a href="four_functions.html">four_functions</a>' in page
    # 648 h = 27 days; 400 h / 24 = 16.7 days.
    for text in ("27 days", "7.4 %", "Dev → Release: 16.7 days"):
        assert text in page
    for text in ("44 days", "65.9 %", "ops → delivery: 7 days"):
        assert text in page


def test_failed_inputs_are_listed_with_their_error_as_text(page):
    assert "Failed inputs" in page
    assert "data/broken.csv" in page
    assert "VsmError: step &lt;script&gt;alert(1)&lt;/script&gt; has no start column" in page
    assert 'href="None"' not in page


def test_a_readout_without_summary_is_linked_with_dashes(page):
    assert '<a href="silent.html">silent</a>' in page
    assert "the notebook displayed no summary" in page


def test_counts_and_definitions_are_stated(page):
    assert "3 of 4 readouts produced" in page
    assert "Lead time (exports): median over finished items." in page
    assert "Flow efficiency (maps): activity ratio." in page


def test_index_is_offline_and_static(page):
    assert external_references(page) == []
    assert live_markup(page) == []


def test_names_from_data_are_escaped():
    page = render_index([IndexRow(SCRIPT, "x.csv", "x.html", {**EXPORT_SUMMARY, "name": SCRIPT}, None)])
    assert live_markup(page) == []
    assert "&lt;script&gt;" in page


def test_write_index_replaces_the_file_whole(tmp_path, rows):
    (tmp_path / "index.html").write_text("old")
    path = write_index(rows, tmp_path, notebook="readout")
    assert path == tmp_path / "index.html"
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.html"]


@pytest.mark.parametrize(
    ("value", "text"),
    # 316.2 h / 24 = 13.2 days; 30 h stays in hours (under two days); 16 h on an 8 h day = 2 days.
    [(316.2, "13.2 days"), (30, "30 hours"), (None, "–"), (float("nan"), "–")],
)
def test_format_quantity_words_durations_as_the_readouts_do(value, text):
    assert format_quantity(value, "hours") == text


def test_format_quantity_follows_the_day_length():
    assert format_quantity(16, "hours", hours_per_day=8) == "2 days"


@pytest.mark.parametrize(
    ("value", "text"),
    # 0.9996 is not all: it must not read as 100 %, as the readouts word it.
    [(0.0741, "7.4 %"), (1.0, "100 %"), (0.9996, "99.96 %"), (None, "–"), (True, "–")],
)
def test_format_share(value, text):
    assert format_share(value) == text


def test_a_readout_that_cannot_show_everything_says_so_in_its_row():
    said = "No item has finished yet, so lead time and the map of where time goes cannot be measured; 3 items ..."
    summary = {**EXPORT_SUMMARY, "lead_time": None, "cannot_show": [said, "a second sentence"]}
    page = render_index([IndexRow("wip", "data/wip.csv", "wip.html", summary, None)])
    assert f'<span class="note">{said}</span>' in page
    assert "a second sentence" not in page
    # Without a note the row has none.
    assert 'class="note"' not in render_index([IndexRow("p", "p.csv", "p.html", EXPORT_SUMMARY, None)])
