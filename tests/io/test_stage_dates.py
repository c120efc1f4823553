"""Stage-date CSVs (tests/data/exports/stage_dates.csv, in ActionableAgile's layout): one date column per stage.

item  Backlog  Analysis  Analysis Done  Development  Test   Done
S-1   02-02    02-03     02-05          02-05        02-09  02-10
S-2   02-02    02-04     (skipped)      02-06        02-06  02-12
S-3   02-03    02-05     02-06          02-09        -      -       (in Development)
S-4   02-04    -         -              -            -      -       (still in the backlog)
S-5   -        -         -              -            -      -       (no date at all)
"""

import pandas as pd
import pytest

from tests.paths import EXPORTS
from vsm_widgets.exceptions import MappingError
from vsm_widgets.io.exports import read_export
from vsm_widgets.metrics import flow

STAGES = EXPORTS / "stage_dates.csv"


def day(d):
    return pd.Timestamp(2026, 2, d, tz="UTC")


def visits_of(log, item):
    rows = log.visits[log.visits["item"] == item]
    return [(r.step, r.kind, r.start, r.end) for r in rows.itertuples()]


def test_stage_columns_in_file_order_are_the_workflow():
    log = read_export(STAGES)
    assert log.steps == ("Analysis", "Development", "Test")
    decisions = log.quality.decisions
    assert "columns without dates are not stages: Link, Name, Blocked Days" in decisions
    assert "stages, in workflow order (file order): Backlog → Analysis → Analysis Done → Development → Test → Done" in (
        decisions
    )
    assert "the last stage is done: Done (give done: in a mapping to change)" in decisions
    # "Analysis Done" before the last stage is a queue, not the end of the item.
    assert "stages read as waiting from their names: Backlog, Analysis Done" in decisions


def test_each_stage_lasts_until_the_next_one_entered():
    log = read_export(STAGES)
    assert visits_of(log, "S-1") == [
        ("Backlog", "waiting", day(2), day(3)),
        ("Analysis", "active", day(3), day(5)),
        ("Analysis Done", "waiting", day(5), day(5)),  # entered and left on one day: a zero-length visit
        ("Development", "active", day(5), day(9)),
        ("Test", "active", day(9), day(10)),
    ]
    # S-2 skipped Analysis Done; Development and Test were entered on the same day, in workflow order.
    assert [v[0] for v in visits_of(log, "S-2")] == ["Backlog", "Analysis", "Development", "Test"]
    items = flow.item_metrics(log).set_index("item")
    # Lead times from the first active stage to Done: S-1 02-03 to 02-10 = 168 h, S-2 02-04 to 02-12 = 192 h.
    assert items.loc[["S-1", "S-2"], "lead_time_hours"].tolist() == [168.0, 192.0]
    assert not items.loc["S-3", "finished"] and pd.isna(items.loc["S-4", "started"])


def test_every_stage_date_is_counted_in_the_quality_report():
    log = read_export(STAGES)
    quality = log.quality
    # 6 + 5 + 4 + 1 filled stage cells, and one row for S-5, which has no date at all.
    assert quality.rows_read == 17
    missing = next(i for i in quality.issues if i.reason == "missing timestamp")
    assert (missing.count, missing.rows, missing.action) == (1, (6,), "dropped")
    assert quality.rows_used == 16


def test_a_mapping_names_the_stages_and_their_kinds():
    mapping = {
        "shape": "stage_dates",
        "stages": ["Backlog", "Analysis", "Development", "Done"],
        "statuses": {"Backlog": {"kind": "waiting"}, "Analysis": "Analysis", "Development": "Development"},
    }
    log = read_export(STAGES, mapping)
    # Only the named stages: S-1 is in Development from 02-05 until Done on 02-10.
    assert visits_of(log, "S-1")[-1] == ("Development", "active", day(5), day(10))
    assert log.steps == ("Analysis", "Development")


def test_a_stage_that_is_not_a_column_is_refused():
    with pytest.raises(MappingError, match="key 'stages': column 'Review' is not in stage_dates.csv"):
        read_export(STAGES, {"shape": "stage_dates", "stages": ["Backlog", "Review"]})
