import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.flow_logs import STEPS, random_logs, visit_log, weekend_overlap_log
from tests.paths import MAPS, SAMPLES
from vsm_widgets.calendar import Calendar
from vsm_widgets.io.exports import read_export
from vsm_widgets.io.map_file import load_map
from vsm_widgets.metrics import flow
from vsm_widgets.metrics.partition import (
    ACTIVE,
    HANDOFF,
    IN_STEP,
    item_partition,
    largest_wait,
    map_partition,
    partition,
    waiting_share,
)


def hours_by_place(table, column="mean_hours"):
    return dict(zip(table["place"], table[column], strict=True))


def test_published_example_is_cut_into_its_waits_and_its_work():
    log = visit_log(
        [
            ("CR-1", "Requested", "2026-01-05 09:00", "2026-01-07 09:00", "waiting"),
            ("CR-1", "Analysis", "2026-01-07 09:00", "2026-01-07 21:00"),
            ("CR-1", "Development and testing", "2026-01-12 09:00", "2026-01-13 15:00"),
            ("CR-1", "Release", "2026-02-01 03:00", "2026-02-01 09:00"),
        ],
        as_of="2026-02-02 00:00",
    )
    table = partition(log)
    # 48 h requested + 12 h analysis + 4.5 days (108 h) + 30 h + 18.5 days (444 h) + 6 h = 648 h (27 days).
    assert hours_by_place(table) == {
        "supplier → Analysis": 48.0,
        "Analysis": 12.0,
        "Analysis → Development and testing": 108.0,
        "Development and testing": 30.0,
        "Development and testing → Release": 444.0,
        "Release": 6.0,
    }
    assert table["share"].sum() == pytest.approx(1.0)
    # Waiting 600 of 648 h: 1 - 7.4 % flow efficiency.
    assert waiting_share(table) == pytest.approx(600 / 648)
    wait = largest_wait(table)
    assert (wait.source, wait.target, wait.kind) == ("Development and testing", "Release", HANDOFF)
    assert wait.share == pytest.approx(444 / 648) and wait.share_of_waiting == pytest.approx(444 / 600)


def test_parallel_visits_share_the_instants_they_overlap():
    log = visit_log(
        [("A", "Build", "2026-03-02 00:00", "2026-03-02 04:00"), ("A", "Test", "2026-03-02 02:00", "2026-03-02 06:00")],
        "2026-03-03",
    )
    # 00-02 Build alone, 02-04 both (1 h each), 04-06 Test alone: 3 h each, 6 h of lead time, nothing waits.
    assert hours_by_place(partition(log)) == {"Build": 3.0, "Test": 3.0}
    three = visit_log(
        [
            ("A", "Build", "2026-03-02 00:00", "2026-03-02 03:00"),
            ("A", "Test", "2026-03-02 00:00", "2026-03-02 03:00"),
            ("A", "Release", "2026-03-02 00:00", "2026-03-02 06:00"),
        ],
        "2026-03-03",
    )
    # Three visits over 00-03 get 1 h each; Release alone 03-06 adds 3 h.
    assert hours_by_place(partition(three)) == {"Build": 1.0, "Test": 1.0, "Release": 4.0}


def test_rework_returns_to_the_step_and_waits_on_the_arrow_back():
    log = visit_log(
        [
            ("R", "Build", "2026-03-02 00:00", "2026-03-02 02:00"),
            ("R", "Test", "2026-03-02 03:00", "2026-03-02 04:00"),
            ("R", "Build", "2026-03-02 06:00", "2026-03-02 07:00"),
            ("R", "Test", "2026-03-02 08:00", "2026-03-02 09:00"),
        ],
        "2026-03-03",
    )
    table = partition(log)
    # Build 2 + 1 h, Test 1 + 1 h, Build -> Test 1 + 1 h, Test -> Build 2 h: 9 h from 00:00 to 09:00.
    assert hours_by_place(table) == {"Build": 3.0, "Build → Test": 2.0, "Test": 2.0, "Test → Build": 2.0}
    assert hours_by_place(table, "items") == {"Build": 1, "Build → Test": 1, "Test": 1, "Test → Build": 1}


def test_a_pause_between_two_visits_to_one_step_is_waiting_in_that_step():
    log = visit_log(
        [
            ("B", "Build", "2026-03-02 00:00", "2026-03-02 02:00"),
            ("B", "Blocked", "2026-03-02 02:00", "2026-03-02 05:00", "waiting"),
            ("B", "Build", "2026-03-02 05:00", "2026-03-02 06:00"),
            ("B", "Test", "2026-03-02 07:00", "2026-03-02 08:00"),
        ],
        "2026-03-03",
    )
    table = partition(log).set_index("place")
    # Blocked 02-05 sits between two Build visits: 3 h waiting in Build, not on an arrow.
    assert table.loc["Build", "kind"].tolist() == [ACTIVE, IN_STEP]
    assert table.loc["Build", "mean_hours"].tolist() == [3.0, 3.0]
    assert table.loc["Build → Test", "mean_hours"] == 1.0
    wait = largest_wait(partition(log))
    assert (wait.kind, wait.place, wait.mean_hours) == (IN_STEP, "Build", 3.0)
    assert wait.inside_step


def test_unfinished_items_are_left_out_and_the_mean_is_over_finished_items():
    log = visit_log(
        [
            ("done-1", "Build", "2026-03-02 00:00", "2026-03-02 04:00"),
            ("done-2", "Build", "2026-03-02 00:00", "2026-03-02 02:00"),
            ("done-2", "Test", "2026-03-02 04:00", "2026-03-02 06:00"),
            ("open", "Build", "2026-03-02 00:00", "2026-03-02 10:00"),
            ("open", "Test", "2026-03-02 11:00", None),
        ],
        "2026-03-03",
    )
    table = partition(log)
    # Two finished items, 4 h and 6 h: Build (4 + 2) / 2 = 3 h, the wait 2 / 2 = 1 h, Test 2 / 2 = 1 h.
    assert hours_by_place(table) == {"Build": 3.0, "Build → Test": 1.0, "Test": 1.0}
    assert hours_by_place(table, "items") == {"Build": 2, "Build → Test": 1, "Test": 1}
    assert set(item_partition(log)["item"]) == {"done-1", "done-2"}


def test_working_calendar_counts_only_working_hours_of_each_piece():
    log = weekend_overlap_log()
    # Fri 16-17 Build alone (1 h); the weekend counts nothing, Mon 09-10 both (0.5 h each); Mon 10-11 Review (1 h).
    assert hours_by_place(partition(log)) == pytest.approx({"Build": 1.5, "Review": 1.5})


def test_the_mean_item_of_every_sample_adds_up_and_waits_as_flow_efficiency_says():
    samples = sorted(SAMPLES.glob("*.csv"))
    assert samples
    for path in samples:
        mapping = path.with_suffix(".mapping.yaml")
        log = read_export(path, mapping=mapping if mapping.exists() else None)
        table = partition(log)
        items = flow.item_metrics(log)
        finished = items[items["finished"]]
        assert table["mean_hours"].sum() == pytest.approx(finished["lead_time_hours"].mean())
        assert waiting_share(table) == pytest.approx(1 - flow.flow_efficiency(log)["portfolio"])


def test_sample_largest_waits_are_the_planted_ones():
    # docs/samples.md: the handoff with the largest share of waiting in each sample.
    planted = {
        "payments_team": "Code review → QA",
        "mobile_team": "QA → customer",
        "onboarding": "Background check → Equipment provisioning",
    }
    for name, place in planted.items():
        mapping = SAMPLES / f"{name}.mapping.yaml"
        log = read_export(SAMPLES / f"{name}.csv", mapping=mapping if mapping.exists() else None)
        assert largest_wait(partition(log)).place == place


def test_map_partition_follows_the_critical_path():
    table = map_partition(load_map(MAPS / "four_functions.yaml"))
    # Marketing 5, 3, Sales 8, 5, Ops 12, 7, Delivery 4 days: 44 days; the supplier and customer arrows hold nothing.
    assert table["total_hours"].sum() == pytest.approx(44 * 24)
    assert waiting_share(table) == pytest.approx(15 / 44)
    wait = largest_wait(table)
    assert (wait.place, wait.key, wait.mean_hours) == ("Ops → Delivery", "ops->delivery", 7 * 24)


def test_map_largest_wait_counts_waiting_inside_blocks():
    table = map_partition(load_map(MAPS / "parallel.yaml"))
    # Laptop and accounts: block lead time 6 days of 8 h, process time 2 h, so 46 h wait inside the box,
    # more than any arrow (the longest is 1 day, 8 h). The critical path is 10.5 days = 84 h.
    wait = largest_wait(table)
    assert (wait.kind, wait.place, wait.key) == (IN_STEP, "Laptop and accounts", "equipment")
    assert wait.share == pytest.approx(46 / 84)
    assert table["total_hours"].sum() == pytest.approx(84)


def test_nothing_finished_gives_an_empty_table():
    log = visit_log([("open", "Build", "2026-03-02 00:00", None)], "2026-03-03")
    table = partition(log)
    assert table.empty and largest_wait(table) is None


@settings(max_examples=30, deadline=None)
@given(random_logs(), st.sampled_from([Calendar(), Calendar.working_time()]), st.data())
def test_pieces_are_never_negative_add_up_per_item_and_ignore_row_order(case, calendar, data):
    rows, as_of = case
    log = visit_log(rows, as_of=as_of, calendar=calendar, steps=STEPS)
    pieces = item_partition(log)
    assert (pieces["hours"] >= 0).all()
    items = flow.item_metrics(log)
    lead = items[items["finished"]].set_index("item")["lead_time_hours"]
    summed = pieces.groupby("item")["hours"].sum().reindex(lead.index, fill_value=0.0)
    pd.testing.assert_series_equal(summed, lead, check_names=False, atol=1e-9, rtol=1e-12)
    order = data.draw(st.permutations(range(len(rows))))
    shuffled = visit_log([rows[i] for i in order], as_of=as_of, calendar=calendar, steps=STEPS)
    pd.testing.assert_frame_equal(partition(shuffled), partition(log))


def test_the_worked_example_of_the_docs():
    # docs/metrics.md, "Where time goes": Build 3.5 h + 3 h waiting in it, Test 1.5 h, 2 h to the customer.
    log = visit_log(
        [
            ("W", "Build", "2026-03-02 00:00", "2026-03-02 02:00"),
            ("W", "Blocked", "2026-03-02 02:00", "2026-03-02 05:00", "waiting"),
            ("W", "Build", "2026-03-02 05:00", "2026-03-02 07:00"),
            ("W", "Test", "2026-03-02 06:00", "2026-03-02 08:00"),
            ("W", "Done", "2026-03-02 08:00", "2026-03-02 10:00", "waiting"),
        ],
        "2026-03-03",
        steps=("Build", "Test"),
    )
    table = partition(log)
    assert list(zip(table["place"], table["kind"], table["mean_hours"], strict=True)) == [
        ("Build", ACTIVE, 3.5),
        ("Build", IN_STEP, 3.0),
        ("Test", ACTIVE, 1.5),
        ("Test → customer", HANDOFF, 2.0),
    ]
    assert waiting_share(table) == pytest.approx(1 - flow.flow_efficiency(log)["portfolio"]) == 0.5
    assert largest_wait(table).place == "Build"


def test_every_sample_map_names_the_same_largest_wait_as_its_model():
    maps = sorted(MAPS.glob("*.yaml"))
    maps = [path for path in maps if not path.name.endswith(".scenario.yaml")]
    assert maps
    for path in maps:
        stream = load_map(path)
        source, target, wait = stream.largest_wait()
        found = largest_wait(map_partition(stream))
        assert found.key == (source if source == target else f"{source}->{target}")
        assert found.mean_hours == pytest.approx(wait.to("hours", stream.hours_per_day))
