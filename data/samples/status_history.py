"""Jira-like status histories of two software teams, with their mappings and planted defects.

See generate.py and docs/samples.md for what is planted and why.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
from workclock import EXPORTED_AT, WEEK, WINDOW_START, WORK_HOURS_PER_DAY, WorkClock, shift

CREATION_WEEKS = 22
WEEKEND_SHARE = 0.04
MIN_DWELL_HOURS = 0.05
REWORK_LOOP = ("In Progress", "Code Review", "Ready for QA", "In QA")
# Dwell of a second pass through a step, relative to the first: fixing a QA finding is smaller than the story.
REWORK_SCALE = 0.35
TYPE_SCALE = {"Story": 1.0, "Bug": 0.6, "Task": 0.8, "Spike": 1.3}


@dataclass(frozen=True)
class Team:
    """One team's status-history export and the numbers planted in it."""

    name: str
    key: str
    timezone: str
    holidays: tuple[str, ...]
    items: int
    types: dict[str, float]
    dwell: dict[str, tuple[float, float]]  # status -> (median working hours, sigma) of a lognormal
    first_release: dt.datetime
    release_every_days: int
    release_cutoff_hours: float
    sent_back_once: int
    sent_back_twice: int
    blocked: int
    unfinished: dict[str, int]  # status an unfinished item is left in -> how many
    duplicates: int
    bad_timestamps: int
    unknown_status: str
    unknown_after: str  # the unknown status is inserted while the item sits in this status


PAYMENTS = Team(
    name="payments_team",
    key="PAY",
    timezone="Europe/Berlin",
    holidays=("2026-01-01", "2026-04-03", "2026-04-06", "2026-05-01", "2026-05-14", "2026-05-25"),
    items=350,
    types={"Story": 0.5, "Bug": 0.3, "Task": 0.15, "Spike": 0.05},
    dwell={
        "To Do": (10.0, 1.0),
        "In Progress": (12.0, 0.7),
        "Blocked": (12.0, 0.8),
        "Code Review": (2.5, 0.8),
        "Ready for QA": (34.0, 0.5),
        "In QA": (4.0, 0.6),
    },
    first_release=dt.datetime(2026, 1, 5, 14, 0),
    release_every_days=1,
    release_cutoff_hours=2.0,
    sent_back_once=52,
    sent_back_twice=4,
    blocked=31,
    unfinished={
        "To Do": 7,
        "In Progress": 8,
        "Blocked": 3,
        "Code Review": 3,
        "Ready for QA": 9,
        "In QA": 3,
        "Awaiting Release": 2,
    },
    duplicates=3,
    bad_timestamps=2,
    unknown_status="Waiting for Vendor",
    unknown_after="In Progress",
)

MOBILE = Team(
    name="mobile_team",
    key="MOB",
    timezone="Europe/Lisbon",
    holidays=("2026-01-01", "2026-04-03", "2026-05-01", "2026-06-04", "2026-06-10"),
    items=250,
    types={"Story": 0.45, "Bug": 0.4, "Task": 0.1, "Spike": 0.05},
    dwell={
        "To Do": (10.0, 1.0),
        "In Progress": (14.0, 0.7),
        "Blocked": (10.0, 0.8),
        "Code Review": (3.0, 0.8),
        "Ready for QA": (4.0, 0.7),
        "In QA": (5.0, 0.6),
    },
    first_release=dt.datetime(2026, 1, 13, 11, 0),
    release_every_days=14,
    release_cutoff_hours=18.0,
    sent_back_once=33,
    sent_back_twice=3,
    blocked=14,
    unfinished={
        "To Do": 5,
        "In Progress": 6,
        "Blocked": 1,
        "Code Review": 2,
        "Ready for QA": 2,
        "In QA": 2,
        "Awaiting Release": 7,
    },
    duplicates=2,
    bad_timestamps=1,
    unknown_status="Needs Design",
    unknown_after="To Do",
)

MAPPING = """\
# Mapping for {name}.csv, written by data/samples/generate.py.
shape: status_history
columns: {{item: Issue key, status: Status, timestamp: Changed, type: Issue Type, created: Created}}
timezone: {timezone}        # zone of naive timestamps (this export carries offsets)
as_of: "{as_of}"  # when the export was taken: unfinished items age up to here
statuses:                      # status -> step and kind; order of active steps = flow order
  To Do: {{kind: waiting}}
  In Progress: {{step: Development, kind: active}}
  Code Review: {{step: Code review, kind: active}}
  Ready for QA: {{kind: waiting}}
  In QA: {{step: QA, kind: active}}
  Awaiting Release: {{kind: waiting}}
  Blocked: {{kind: waiting}}
done: [Done]
start_point: created
backward_moves: keep
"""


def mapping_yaml(team: Team) -> str:
    """The mapping file of the team's export."""
    as_of = pd.Timestamp(EXPORTED_AT).tz_localize(team.timezone).isoformat()
    return MAPPING.format(name=team.name, timezone=team.timezone, as_of=as_of)


def _path(passes: int, blocked: bool, until: str = "Done") -> list[tuple[str, float]]:
    """Statuses an item goes through, each with the scale of its dwell, up to and including `until`."""
    path = [("To Do", 1.0)]
    if blocked:
        share = 0.4
        path += [("In Progress", share), ("Blocked", 1.0), ("In Progress", 1.0 - share)]
    else:
        path.append(("In Progress", 1.0))
    path += [("Code Review", 1.0), ("Ready for QA", 1.0), ("In QA", 1.0)]
    for _ in range(passes - 1):
        path += [(status, REWORK_SCALE) for status in REWORK_LOOP]
    path += [("Awaiting Release", 1.0), ("Done", 1.0)]
    names = [status for status, _ in path]
    return path[: names.index(until) + 1]


def _release(team: Team, clock: WorkClock, ready: dt.datetime, rng: np.random.Generator) -> dt.datetime:
    """When an item awaiting release since `ready` is released: the first slot whose cut-off it makes."""
    cutoff = dt.timedelta(hours=team.release_cutoff_hours)
    steps = max(0, (ready + cutoff - team.first_release).days // team.release_every_days)
    slot = team.first_release + dt.timedelta(days=steps * team.release_every_days)
    while slot - cutoff < ready or not clock.is_workday(slot.date()):
        slot += dt.timedelta(days=team.release_every_days)
    # Tickets are closed in the hour after the release goes out.
    return slot + dt.timedelta(seconds=int(rng.integers(300, 3600)))


def _weekend(before: dt.datetime, after: dt.datetime, rng: np.random.Generator) -> dt.datetime:
    """Now and then somebody moves a ticket on a Saturday: the change lands there if one lies between."""
    lands = rng.random() < WEEKEND_SHARE
    saturday = before.date() + dt.timedelta(days=(5 - before.weekday()) % 7 or 7)
    moment = dt.datetime.combine(saturday, dt.time(10)) + dt.timedelta(seconds=int(rng.integers(0, 6 * 3600)))
    return moment if lands and before < moment < after else after


def _times(
    team: Team,
    clock: WorkClock,
    rng: np.random.Generator,
    created: dt.datetime,
    path: list[tuple[str, float]],
    scale: dict[str, float],
) -> list[dt.datetime]:
    """When the item enters each status of `path`, starting at `created`."""
    times = [created]
    for status, dwell_scale in path[:-1]:
        if status == "Awaiting Release":
            times.append(_release(team, clock, times[-1], rng))
            continue
        median, sigma = team.dwell[status]
        hours = max(MIN_DWELL_HOURS, dwell_scale * scale.get(status, 1.0) * rng.lognormal(np.log(median), sigma))
        times.append(_weekend(times[-1], clock.add(times[-1], hours), rng))
    return times


def status_history(team: Team, rng: np.random.Generator) -> pd.DataFrame:
    """The team's export: one row per status change, with its planted defects."""
    clock = WorkClock(team.holidays)
    finished = team.items - sum(team.unfinished.values())
    order = rng.permutation(finished)
    passes = np.ones(finished, dtype=int)
    passes[order[: team.sent_back_once]] = 2
    passes[order[team.sent_back_once : team.sent_back_once + team.sent_back_twice]] = 3
    blocked = np.zeros(finished, dtype=bool)
    blocked[rng.choice(finished, team.blocked, replace=False)] = True
    types = rng.choice(list(team.types), size=team.items, p=list(team.types.values()))
    creation_hours = CREATION_WEEKS * 5 * WORK_HOURS_PER_DAY

    histories = []
    for index in range(finished):
        path = _path(int(passes[index]), bool(blocked[index]))
        created = clock.add(WINDOW_START, rng.uniform(0, creation_hours))
        times = _times(team, clock, rng, created, path, {"In Progress": TYPE_SCALE[types[index]]})
        overrun = times[-1] - (EXPORTED_AT - dt.timedelta(days=1))
        if overrun > dt.timedelta(0):
            # Whole fortnights keep weekdays, working hours and the mobile release train intact.
            times = shift(times, -2 * (overrun // (2 * WEEK) + 1))
        plain = bool(passes[index] == 1 and not blocked[index])
        histories.append(([status for status, _ in path], times, types[index], plain))

    left_in = [status for status, count in team.unfinished.items() for _ in range(count)]
    for offset, status in enumerate(left_in):
        path = _path(1, status == "Blocked", until=status)
        created = clock.add(EXPORTED_AT - 8 * WEEK, rng.uniform(0, 6 * 5 * WORK_HOURS_PER_DAY))
        times = _times(team, clock, rng, created, path, {"In Progress": TYPE_SCALE[types[finished + offset]]})
        # Age the work in progress: most of it moved last within the last fortnight, some is stuck for weeks.
        age = int(rng.choice([0, 0, 0, 1, 1, 2, 3, 5, 8]))
        times = shift(times, (EXPORTED_AT - age * WEEK - times[-1]) // WEEK)
        histories.append(([s for s, _ in path], times, types[finished + offset], False))

    histories.sort(key=lambda history: history[1][0])
    rows, plain = [], []
    for number, (statuses, times, issue_type, is_plain) in enumerate(histories, start=1001):
        key = f"{team.key}-{number}"
        stamps = [pd.Timestamp(moment).tz_localize(team.timezone).isoformat() for moment in times]
        rows += [[key, issue_type, status, stamp, stamps[0]] for status, stamp in zip(statuses, stamps, strict=True)]
        if is_plain and statuses[-1] == "Done":
            plain.append(key)
    frame = pd.DataFrame(rows, columns=["Issue key", "Issue Type", "Status", "Changed", "Created"])
    return _plant_defects(team, clock, frame, plain, rng)


def _plant_defects(
    team: Team, clock: WorkClock, frame: pd.DataFrame, plain: list[str], rng: np.random.Generator
) -> pd.DataFrame:
    """Defects of real exports, each on its own finished item with no rework and no block."""
    wanted = team.duplicates + team.bad_timestamps + 1
    targets = [str(key) for key in rng.choice(plain, size=wanted, replace=False)]
    duplicated = targets[: team.duplicates]
    garbled = targets[team.duplicates : team.duplicates + team.bad_timestamps]
    unknown = targets[-1]
    # A spreadsheet error value, and an hour of 25 from a broken export script.
    garbles = ["#VALUE!", "{date}T25{rest}"]

    source = list(frame.itertuples(index=False, name=None))
    rows = []
    for position, (key, issue_type, status, changed, created) in enumerate(source):
        if key in garbled and status == "In QA":
            bad = garbles[garbled.index(key)].format(date=changed[:10], rest=changed[13:])
            rows.append((key, issue_type, status, bad, created))
        else:
            rows.append((key, issue_type, status, changed, created))
        if key in duplicated and status == "Code Review":
            rows.append(rows[-1])
        if key == unknown and status == team.unknown_after:
            # Half a working hour later, before the item's next row (rows of an item are consecutive and in order).
            start, end = pd.Timestamp(changed), pd.Timestamp(source[position + 1][3])
            local = clock.add(start.tz_convert(team.timezone).tz_localize(None).to_pydatetime(), 0.5)
            moment = min(pd.Timestamp(local).tz_localize(team.timezone), start + (end - start) / 2)
            rows.append((key, issue_type, team.unknown_status, moment.floor("s").isoformat(), created))
    return pd.DataFrame(rows, columns=frame.columns)
