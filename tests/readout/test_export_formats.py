"""The workshop readout end to end on each export format the readers add (slow: it starts a Jupyter kernel)."""

from __future__ import annotations

import pytest

from tests.paths import EXPORTS
from vsm_widgets.readout.batch import render_readouts
from vsm_widgets.readout.html_page import external_references

pytestmark = pytest.mark.slow


def test_a_readout_of_a_jira_json_export(tmp_path):
    batch = render_readouts([EXPORTS / "jira_search.json"], tmp_path, mapping=EXPORTS / "jira.mapping.yaml", workers=1)
    [result] = batch.results
    assert result.ok, result.error
    html = result.html_path.read_text(encoding="utf-8")
    assert external_references(html) == []
    # PRJ-11 is the one item finished with a lead time: 79 h (tests/io/test_jira_json.py); PRJ-15 was closed
    # straight from the backlog, finished without one.
    assert (result.summary["items"], result.summary["finished_items"]) == (5, 2)
    assert result.summary["lead_time"] == 79.0
    assert "85 % of the 1 finished item with a lead time (of 2 finished)" in html
