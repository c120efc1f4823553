"""Replay of every change kind on small logs, each checked against times worked out by hand.

Times are hours after T0. The main log (see `two_items`) is:

    A: Dev 0-10, Ready (waiting) 10-20, QA 20-24, Rel 30-31
    B: Dev 5-9, QA 19-21, Dev 21-23 (QA sent it back), QA 25-27, Rel 27-28
"""

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.flow_logs import random_logs, visit_log
from tests.paths import SAMPLES
from vsm_widgets.calendar import Calendar
from vsm_widgets.exceptions import ScenarioError
from vsm_widgets.future.scenario import loads_scenario
from vsm_widgets.io.exports import read_export
from vsm_widgets.metrics import flow

T0 = pd.Timestamp("2026-03-02 00:00")


def at(hours):
    return None if hours is None else T0 + pd.Timedelta(hours=hours)


def make_log(rows, as_of=100, **options):
    return visit_log([(i, s, at(a), at(b), k) for i, s, a, b, k in rows], as_of=at(as_of), **options)


def two_items():
    return make_log(
        [
            ("A", "Dev", 0, 10, "active"),
            ("A", "Ready", 10, 20, "waiting"),
            ("A", "QA", 20, 24, "active"),
            ("A", "Rel", 30, 31, "active"),
            ("B", "Dev", 5, 9, "active"),
            ("B", "QA", 19, 21, "active"),
            ("B", "Dev", 21, 23, "active"),
            ("B", "QA", 25, 27, "active"),
            ("B", "Rel", 27, 28, "active"),
        ],
        steps=("Dev", "QA", "Rel"),
    )


def replay(log, *changes):
    text = "changes:\n" + "".join(f"  - {{{change}, waste: waiting}}\n" for change in changes)
    return loads_scenario(text).replay(log)


def hours(log):
    """Visits as (item, step, kind, start, end) with times in hours after T0."""
    rows = []
    for row in log.visits.itertuples(index=False):
        start = (row.start - at(0).tz_localize("UTC")) / pd.Timedelta(hours=1)
        end = None if pd.isna(row.end) else (row.end - at(0).tz_localize("UTC")) / pd.Timedelta(hours=1)
        rows.append((row.item, row.step, row.kind, start, end))
    return rows


def test_cut_wait_by_a_share_halves_each_wait_and_moves_later_visits():
    result = hours(replay(two_items(), "kind: cut_wait, handoff: [Dev, QA], by: 50%"))
    assert result == [
        # A waited 10 h (10-20): now 5 h, and the waiting status inside shrinks with it.
        ("A", "Dev", "active", 0, 10),
        ("A", "Ready", "waiting", 10, 15),
        ("A", "QA", "active", 15, 19),
        ("A", "Rel", "active", 25, 26),
        # B waited 10 h (9-19) and, after rework, 2 h (23-25): now 5 h and 1 h.
        ("B", "Dev", "active", 5, 9),
        ("B", "QA", "active", 14, 16),
        ("B", "Dev", "active", 16, 18),
        ("B", "QA", "active", 19, 21),
        ("B", "Rel", "active", 21, 22),
    ]


def test_cut_wait_to_a_duration_never_lengthens_a_wait():
    result = hours(replay(two_items(), "kind: cut_wait, handoff: [Dev, QA], to: 4 h"))
    # 10 h waits become 4 h; B's 2 h wait stays 2 h.
    assert [r for r in result if r[1] == "QA"] == [
        ("A", "QA", "active", 14, 18),
        ("B", "QA", "active", 13, 15),
        ("B", "QA", "active", 19, 21),
    ]


def test_remove_step_drops_its_visits_and_the_waits_into_it():
    result = hours(replay(two_items(), "kind: remove_step, step: QA"))
    assert result == [
        # A loses 10 h of wait (with its waiting row) and 4 h of QA: Rel 30 -> 16.
        ("A", "Dev", "active", 0, 10),
        ("A", "Rel", "active", 16, 17),
        # B loses 10 + 2 h, then 2 + 2 h: the second Dev 21 -> 9, Rel 27 -> 11.
        ("B", "Dev", "active", 5, 9),
        ("B", "Dev", "active", 9, 11),
        ("B", "Rel", "active", 11, 12),
    ]


def test_parallel_starts_the_second_step_with_the_first():
    result = hours(replay(two_items(), "kind: parallel, steps: [QA, Rel]"))
    # A: Rel (1 h) now starts with QA at 20; the pair ends at max(24, 21) = 24.
    assert ("A", "Rel", "active", 20, 21) in result and ("A", "QA", "active", 20, 24) in result
    # B: only its second QA is followed by Rel: Rel 27-28 -> 25-26.
    assert ("B", "Rel", "active", 25, 26) in result
    done = replay(two_items(), "kind: parallel, steps: [QA, Rel]").items.set_index("item")["done"]
    assert done["A"] == at(24).tz_localize("UTC") and done["B"] == at(27).tz_localize("UTC")


def test_set_process_time_scales_every_visit_to_the_new_median():
    # Dev visits last 10, 4 and 2 h: median 4 h, so 2 h halves each of them.
    result = hours(replay(two_items(), "kind: set_process_time, step: Dev, to: 2 h"))
    assert result == [
        ("A", "Dev", "active", 0, 5),
        ("A", "Ready", "waiting", 5, 15),
        ("A", "QA", "active", 15, 19),
        ("A", "Rel", "active", 25, 26),
        ("B", "Dev", "active", 5, 7),
        ("B", "QA", "active", 17, 19),
        ("B", "Dev", "active", 19, 20),
        ("B", "QA", "active", 22, 24),
        ("B", "Rel", "active", 24, 25),
    ]


def test_set_wait_scales_every_wait_to_the_new_median():
    # Waits Dev -> QA are 10, 10 and 2 h: median 10 h, so 5 h halves them, like a 50 % cut.
    assert hours(replay(two_items(), "kind: set_wait, handoff: [Dev, QA], to: 5 h")) == hours(
        replay(two_items(), "kind: cut_wait, handoff: [Dev, QA], by: 50%")
    )


def test_set_pct_ca_drops_the_rework_loop():
    log = two_items()
    assert flow.step_metrics(log).set_index("step").loc["QA", "pct_ca"] == pytest.approx(2 / 3)
    result = replay(log, "kind: set_pct_ca, step: QA, to: 100%")
    # B's first QA (19-21) failed; its loop runs to the end of the repeat QA (27): 6 h go.
    assert hours(result)[4:] == [
        ("B", "Dev", "active", 5, 9),
        ("B", "QA", "active", 19, 21),
        ("B", "Rel", "active", 21, 22),
    ]
    assert flow.step_metrics(result).set_index("step").loc["QA", "pct_ca"] == 1.0


def test_set_pct_ca_drops_only_as_many_loops_as_the_target_needs():
    rows = []
    for n in range(4):
        # Each item: QA fails once (back to Dev), then passes; %C&A of QA = 1 - 4 / 8 = 50 %.
        base = 100 * n
        rows += [
            (f"I{n}", "Dev", base, base + 1, "active"),
            (f"I{n}", "QA", base + 1, base + 2, "active"),
            (f"I{n}", "Dev", base + 2, base + 3, "active"),
            (f"I{n}", "QA", base + 3, base + 4, "active"),
        ]
    log = make_log(rows, as_of=500, steps=("Dev", "QA"))
    result = replay(log, "kind: set_pct_ca, step: QA, to: 70%")
    # Dropping k loops gives (4 - k) / (8 - k) failures: k = 2 gives 2 / 6, %C&A 67 %; k = 3 gives 1 / 5, 80 %.
    pct = flow.step_metrics(result).set_index("step").loc["QA", "pct_ca"]
    assert pct == pytest.approx(0.8)
    # Spread over time, not the first three: items 0, 2 and 1 in van der Corput order.
    assert sorted(result.visits.groupby("item").size().items()) == [("I0", 2), ("I1", 2), ("I2", 2), ("I3", 4)]


def test_merge_steps_joins_each_run_and_drops_the_wait_between():
    result = hours(replay(two_items(), "kind: merge_steps, steps: [Dev, QA], name: Build"))
    assert result == [
        # A: Dev 0-10 + QA 4 h with the 10 h wait gone: Build 0-14; Rel keeps its 6 h wait: 20-21.
        ("A", "Build", "active", 0, 14),
        ("A", "Rel", "active", 20, 21),
        # B: Dev 5-9 + QA 2 h = 5-11; Dev 2 h + QA 2 h (2 h wait gone) = 11-15; Rel 15-16.
        ("B", "Build", "active", 5, 11),
        ("B", "Build", "active", 11, 15),
        ("B", "Rel", "active", 15, 16),
    ]
    assert replay(two_items(), "kind: merge_steps, steps: [Dev, QA], name: Build").steps == ("Build", "Rel")


def test_cap_wip_delays_starts_first_come_first_served():
    log = make_log(
        [
            ("A", "Dev", 0, 10, "active"),
            ("B", "Todo", 1, 4, "waiting"),
            ("B", "Dev", 4, 8, "active"),
            ("C", "Dev", 6, 7, "active"),
        ],
        as_of=50,
    )
    result = hours(replay(log, "kind: cap_wip, limit: 2"))
    # A holds a slot 0-10 and B 4-8; C (committed at 6) waits for B's slot at 8: delay 2 h.
    assert result == [
        ("A", "Dev", "active", 0, 10),
        ("B", "Todo", "waiting", 1, 4),
        ("B", "Dev", "active", 4, 8),
        ("C", "Dev", "active", 8, 9),
    ]
    one = hours(replay(log, "kind: cap_wip, limit: 1"))
    # With one slot: B waits for A (10, delay 6, its Todo stretches to 10), C for B (14, delay 8).
    assert one == [
        ("A", "Dev", "active", 0, 10),
        ("B", "Todo", "waiting", 1, 10),
        ("B", "Dev", "active", 10, 14),
        ("C", "Dev", "active", 14, 15),
    ]


def test_an_unfinished_item_holds_its_slot_for_as_long_as_it_was_seen():
    log = make_log([("A", "Dev", 0, None, "active"), ("B", "Dev", 2, 3, "active")], as_of=10)
    result = replay(log, "kind: cap_wip, limit: 1")
    # A is still open at the as-of time (10), so B starts then; the log's as-of moves to B's end.
    assert hours(result) == [("A", "Dev", "active", 0, None), ("B", "Dev", "active", 10, 11)]
    assert result.as_of == at(11).tz_localize("UTC")


def test_an_open_visit_of_a_removed_step_stays_as_waiting():
    log = make_log([("A", "Dev", 0, 4, "active"), ("A", "QA", 6, None, "active")], as_of=10)
    result = replay(log, "kind: remove_step, step: QA")
    # The 2 h wait into QA goes; the item is still in progress, now waiting from 4 on.
    assert hours(result) == [("A", "Dev", "active", 0, 4), ("A", "QA", "waiting", 4, None)]
    assert not result.items["finished"].iloc[0]


def test_work_in_parallel_keeps_its_length_when_a_step_is_removed():
    log = make_log(
        [("A", "Setup", 0, 10, "active"), ("A", "Check", 2, 4, "active"), ("A", "Start", 12, 13, "active")],
        as_of=20,
    )
    # Check ran inside Setup: removing it removes no time, since Setup was under way all along.
    assert hours(replay(log, "kind: remove_step, step: Check")) == [
        ("A", "Setup", "active", 0, 10),
        ("A", "Start", "active", 12, 13),
    ]


def test_overlapping_visits_of_a_removed_step_remove_their_time_once():
    log = make_log(
        [("A", "Setup", 0, 10, "active"), ("A", "Setup", 5, 15, "active"), ("A", "Start", 20, 21, "active")],
        as_of=30,
    )
    # Setup covers 0-15 once, not 10 + 10 hours: Start keeps its 5 h wait and moves from 20 to 5.
    assert hours(replay(log, "kind: remove_step, step: Setup")) == [("A", "Start", "active", 5, 6)]


def test_cut_wait_to_a_duration_is_measured_on_the_working_calendar():
    calendar = Calendar.working_time()
    friday = pd.Timestamp("2026-03-06 00:00")  # a Friday; working hours 09:00-17:00
    rows = [("A", "Dev", friday + pd.Timedelta(hours=9), friday + pd.Timedelta(hours=17), "active")]
    rows += [("A", "QA", friday + pd.Timedelta(days=3, hours=9), friday + pd.Timedelta(days=3, hours=10), "active")]
    log = visit_log(rows, as_of=friday + pd.Timedelta(days=4), calendar=calendar)
    # The wait runs from Friday 17:00 to Monday 09:00: 64 hours on the clock, no working time at all.
    result = replay(log, "kind: cut_wait, handoff: [Dev, QA], to: 1 h")
    pd.testing.assert_frame_equal(result.visits, log.visits)


def test_an_empty_scenario_replays_to_exactly_the_same_visits():
    for log in (two_items(), read_export(f"{SAMPLES}/payments_team.csv", f"{SAMPLES}/payments_team.mapping.yaml")):
        result = loads_scenario("name: nothing\nchanges: []\n").replay(log)
        pd.testing.assert_frame_equal(result.visits, log.visits)
        pd.testing.assert_frame_equal(result.items, log.items)
        assert result.calendar == log.calendar and result.conventions() == log.conventions()


def test_items_a_change_does_not_touch_keep_their_timestamps_exactly():
    log = read_export(f"{SAMPLES}/payments_team.csv", f"{SAMPLES}/payments_team.mapping.yaml")
    result = replay(log, "kind: cut_wait, handoff: [Code review, QA], by: 50%")
    passed = set(log.visits.loc[log.visits["step"] == "QA", "item"])
    untouched = ~log.visits["item"].isin(passed)
    pd.testing.assert_frame_equal(
        result.visits[~result.visits["item"].isin(passed)].reset_index(drop=True),
        log.visits[untouched].reset_index(drop=True),
    )
    # Replay keeps the items, their types and the conventions.
    assert list(result.items["item"]) == list(log.items["item"])
    assert list(result.items["type"]) == list(log.items["type"])
    assert result.start_point == log.start_point == "created"


def test_replay_refuses_what_a_log_cannot_show():
    with pytest.raises(ScenarioError, match=r"change 1 \(set_batch_size\): set_batch_size cannot be replayed"):
        replay(two_items(), "kind: set_batch_size, step: QA, to: 1")
    with pytest.raises(ScenarioError, match=r"no item in the log went from Rel to QA.*\[Dev, QA\]"):
        replay(two_items(), "kind: cut_wait, handoff: [Rel, QA], by: 50%")
    with pytest.raises(ScenarioError, match=r"the log has no step 'Deploy'. Name one of: Dev, QA, Rel"):
        replay(two_items(), "kind: remove_step, step: Deploy")


def test_steps_are_found_by_name_ignoring_case_and_punctuation():
    assert hours(replay(two_items(), "kind: remove_step, step: qa")) == hours(
        replay(two_items(), "kind: remove_step, step: QA")
    )


@settings(max_examples=30, deadline=None)
@given(random_logs(), st.data())
def test_cutting_any_wait_keeps_active_time_and_never_lengthens_an_item(drawn, data):
    rows, as_of = drawn
    log = visit_log(rows, as_of=as_of)
    handoffs = flow.handoff_metrics(log)
    if handoffs.empty:
        return
    source, target = data.draw(st.sampled_from(list(zip(handoffs["from"], handoffs["to"], strict=True))))
    result = replay(log, f"kind: cut_wait, handoff: ['{source}', '{target}'], by: 50%")
    before = flow.item_metrics(log).set_index("item")
    after = flow.item_metrics(result).set_index("item")
    assert list(after.index) == list(before.index)
    assert (after["finished"] == before["finished"]).all()
    # Finished items keep their work and wait less. (An unfinished item that now starts its open visit
    # earlier has been at work longer by the as-of time: its active time may grow, rightly.)
    done = before["finished"]
    assert after.loc[done, "active_time_hours"].to_numpy() == pytest.approx(
        before.loc[done, "active_time_hours"].to_numpy(), abs=1e-6
    )
    assert (after.loc[done, "lead_time_hours"] <= before.loc[done, "lead_time_hours"] + 1e-9).all()


@settings(max_examples=40, deadline=None)
@given(random_logs())
def test_an_empty_scenario_is_the_identity_on_any_log(drawn):
    rows, as_of = drawn
    log = visit_log(rows, as_of=as_of)
    result = loads_scenario("changes: []").replay(log)
    pd.testing.assert_frame_equal(result.visits, log.visits)
    pd.testing.assert_frame_equal(result.items, log.items)
