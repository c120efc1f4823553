"""Guesses that decide a headline figure are found, and the mapping lines given replace them."""

from __future__ import annotations

import yaml

from tests.paths import DEGENERATE, EXPORTS, SAMPLES
from vsm_widgets.io.exports import read_export
from vsm_widgets.metrics import flow
from vsm_widgets.metrics.guesses import headline_guesses

AZURE = EXPORTS / "azure_devops_revisions.csv"


def _guesses(log):
    return headline_guesses(log, flow.summary(log))


def test_every_status_read_as_active_makes_flow_efficiency_a_guess():
    log = read_export(AZURE)
    assert flow.summary(log)["flow_efficiency"] == 1.0
    (guess,) = _guesses(log)
    assert guess.figure == "flow efficiency"
    assert guess.said.startswith("Flow efficiency 100 % is a guess: without a mapping every status (New, Active)")
    assert yaml.safe_load(guess.mapping) == {
        "statuses": {"New": {"kind": "waiting"}, "Active": {"kind": "active"}},
        "start_point": "first_status",
    }


def test_the_mapping_lines_given_change_the_figure_and_leave_no_guess():
    log = read_export(AZURE)
    (guess,) = _guesses(log)
    decided = read_export(AZURE, mapping=yaml.safe_load(guess.mapping))
    assert flow.summary(decided)["flow_efficiency"] < 0.8
    assert _guesses(decided) == []


def test_no_done_status_makes_lead_time_a_guess(tmp_path):
    export = tmp_path / "history.csv"
    export.write_text(
        "item,status,timestamp\nA,Queued for build,2026-01-01\nA,Build,2026-01-02\nA,Shipped,2026-01-04\n"
    )
    log = read_export(export)
    assert flow.summary(log)["finished_items"] == 0
    figures = {guess.figure: guess for guess in _guesses(log)}
    assert yaml.safe_load(figures["lead time"].mapping) == {"done": ["Shipped"]}
    decided = read_export(export, mapping=yaml.safe_load(figures["lead time"].mapping))
    assert flow.summary(decided)["finished_items"] == 1
    assert _guesses(decided) == []


def test_a_mapped_export_and_an_interval_log_have_no_guesses():
    mapped = read_export(SAMPLES / "payments_team.csv", mapping=SAMPLES / "payments_team.mapping.yaml")
    assert _guesses(mapped) == []
    assert _guesses(read_export(SAMPLES / "onboarding.csv")) == []


def test_events_read_as_intervals_make_flow_efficiency_a_guess_with_the_mapping_that_reads_them():
    events = DEGENERATE / "zero_length.csv"  # Build at 09:00, Test at 12:00, each lasting no time
    log = read_export(events)
    (guess,) = _guesses(log)
    assert guess.figure == "flow efficiency"
    assert guess.said.startswith("Flow efficiency 0 % comes from reading events as intervals")
    mapping = yaml.safe_load(guess.mapping)
    assert mapping == {"shape": "status_history", "columns": {"status": "step", "timestamp": "start"}, "done": ["Test"]}
    # Read that way, each Build lasts until its Test: 3 hours of the item's 3-hour lead time.
    decided = read_export(events, mapping=mapping)
    assert flow.summary(decided)["lead_time"]["median"] == 3.0
