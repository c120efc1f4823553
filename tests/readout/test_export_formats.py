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
    assert "half of the 1 finished item with a lead time (of 2 finished) took at most" in html


def test_readouts_of_an_xes_log_and_a_stage_date_csv(tmp_path):
    inputs = [EXPORTS / "loan_events.xes", EXPORTS / "stage_dates.csv"]
    batch = render_readouts(inputs, tmp_path, workers=2)
    assert batch.ok, [result.error for result in batch.results]
    lead = {result.name: result.summary["lead_time"] for result in batch.results}
    # XES: C1 takes 5 h and C3 3 h (tests/io/test_xes.py); stage dates: S-1 168 h, S-2 192 h.
    assert lead == {"loan_events": 4.0, "stage_dates": 180.0}
    for result in batch.results:
        assert external_references(result.html_path.read_text(encoding="utf-8")) == []
