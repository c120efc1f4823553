"""Batch readouts of exports that hold less than a full readout, and of step names full of markup.

Each fixture in tests/data/degenerate is rendered through `render_readouts` as ``vsm readout`` does; the
pages are read as the text a person sees (scripts, styles and SVG charts removed, entities decoded).
"""

import html
import re

import pytest

from tests.paths import DEGENERATE
from vsm_widgets.readout.batch import render_readouts
from vsm_widgets.readout.html_page import external_references, live_markup

pytestmark = pytest.mark.slow

STATEMENTS = {
    "all_in_progress": "No item has finished yet, so lead time and the map of where time goes cannot be measured; "
    "7 items are in progress, the oldest for 6 days.",
    "every_step_rare": "No step is shared by enough items to draw a map: the 40 items pass through 40 different steps",
    "one_row": "Only one item has finished, so lead time, its percentiles and the map describe that one item",
    "zero_length": "Every visit in the export starts and ends at the same moment",
    "zero_length_items": "Every visit in the export starts and ends at the same moment, so no work time was measured; "
    "every item finishes the moment it starts, so lead time is 0",
}
MARKUP = ("Review https://example.com/x", "**bold** step", "<b>Build</b>", "[x](y) check", "`deploy`")
MARKUP += ("QA | sign-off", "$math$ test")


def page_text(page: str) -> str:
    stripped = re.sub(r"<(script|style|svg)\b[\s\S]*?</\1>", " ", page)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", stripped)))


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    out = tmp_path_factory.mktemp("degenerate")
    return render_readouts(sorted(DEGENERATE.glob("*.csv")), out, workers=2), out


def test_every_degenerate_export_gets_a_page(batch):
    result, out = batch
    assert [r.error for r in result.results] == [None] * 7
    for path in DEGENERATE.glob("*.csv"):
        page = (out / f"{path.stem}.html").read_text(encoding="utf-8")
        text = page_text(page)
        assert not re.search(r"\b(nan|NaN|None|Traceback)\b", text), path.name
        assert STATEMENTS.get(path.stem, "") in text


def test_the_index_row_says_what_the_page_cannot_show(batch):
    _, out = batch
    index = page_text((out / "index.html").read_text(encoding="utf-8"))
    for name, statement in STATEMENTS.items():
        # The row: the readout's name, its input file, then the note.
        assert re.search(rf"{name} \S*{name}\.csv {re.escape(statement)}", index), name
    assert "7 of 7 readouts produced" in index


def test_step_names_with_markup_show_literally_and_link_nowhere(batch):
    _, out = batch
    page = (out / "markup_in_names.html").read_text(encoding="utf-8")
    text = page_text(page)
    for name in MARKUP:
        assert name in text, name
    assert "<a href" not in page and "<strong>bold" not in page and "<code>deploy" not in page
    assert external_references(page) == [] and live_markup(page) == []
