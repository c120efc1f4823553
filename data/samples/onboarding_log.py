"""Interval log of onboarding new hires: parallel work, a long wait for hardware, unfinished hires.

See generate.py and docs/samples.md for what is planted and why.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from status_history import PAYMENTS
from workclock import EXPORTED_AT, WEEK, WINDOW_START, WORK_HOURS_PER_DAY, WorkClock, shift

HIRES = 150
OFFER_WEEKS = 21
# Activity -> (team, people who do it).
ONBOARDING = {
    "HR paperwork": ("HR", ("Anna Keller", "Jonas Braun")),
    "Account setup": ("IT", ("Mia Wolf", "Luca Hahn", "Noah Vogel")),
    "Background check": ("Security vendor", ("TrustCheck GmbH",)),
    "Equipment provisioning": ("IT", ("Mia Wolf", "Luca Hahn", "Noah Vogel")),
    "Orientation": ("People", ("Sofia Lang", "Ben Roth")),
}
# The activity each unfinished hire is in when the log is exported (its visit has no end yet).
UNFINISHED_HIRES = (
    "HR paperwork",
    "Account setup",
    "Background check",
    "Background check",
    "Equipment provisioning",
    "Equipment provisioning",
)


def _hire(clock: WorkClock, rng: np.random.Generator, offer: dt.datetime) -> dict[str, list[dt.datetime]]:
    """One hire's visits, activity -> [start, end], from the day the offer is signed."""

    def hours(median: float, sigma: float) -> float:
        return float(rng.lognormal(np.log(median), sigma))

    paperwork = clock.add(offer, hours(4, 0.6))
    account = clock.add(offer, hours(8, 0.5))
    visits = {
        "HR paperwork": [paperwork, clock.add(paperwork, hours(10, 0.5))],
        "Account setup": [account, clock.add(account, hours(6, 0.6))],
    }
    check = clock.add(visits["HR paperwork"][1], hours(2, 0.8))
    visits["Background check"] = [check, clock.add(check, hours(30, 0.4))]
    # Hardware is ordered when the offer is signed; IT can only provision it once it arrives.
    arrival = clock.add(offer, hours(110, 0.25))
    visits["Equipment provisioning"] = [arrival, clock.add(arrival, hours(5, 0.5))]
    ready = max(visits["Equipment provisioning"][1], visits["Background check"][1])
    first_day = ready.date() + dt.timedelta(days=7 - ready.weekday())
    while not clock.is_workday(first_day):
        first_day += dt.timedelta(days=1)
    visits["Orientation"] = [dt.datetime.combine(first_day, dt.time(9)), dt.datetime.combine(first_day, dt.time(17))]
    return visits


def onboarding(rng: np.random.Generator) -> pd.DataFrame:
    """The onboarding interval log: one row per visit of a hire to an activity."""
    clock = WorkClock(PAYMENTS.holidays)
    finished = HIRES - len(UNFINISHED_HIRES)
    hires = []
    for _ in range(finished):
        visits = _hire(clock, rng, clock.add(WINDOW_START, rng.uniform(0, OFFER_WEEKS * 5 * WORK_HOURS_PER_DAY)))
        overrun = visits["Orientation"][1] - (EXPORTED_AT - dt.timedelta(days=1))
        if overrun > dt.timedelta(0):
            visits = {name: shift(span, -(overrun // WEEK + 1)) for name, span in visits.items()}
        hires.append(visits)
    for activity in UNFINISHED_HIRES:
        visits = _hire(clock, rng, clock.add(EXPORTED_AT - 6 * WEEK, rng.uniform(0, 5 * WORK_HOURS_PER_DAY)))
        weeks = (EXPORTED_AT - visits[activity][0]) // WEEK
        visits = {name: shift(span, weeks) for name, span in visits.items() if span[0] <= visits[activity][0]}
        # Whatever had not ended by the export is still open: the current activity at least.
        hires.append({name: [s, None if name == activity or e > EXPORTED_AT else e] for name, (s, e) in visits.items()})

    hires.sort(key=lambda visits: min(start for start, _ in visits.values()))
    rows = []
    for number, visits in enumerate(hires, start=1):
        for activity, (start, end) in sorted(visits.items(), key=lambda pair: pair[1][0]):
            team, people = ONBOARDING[activity]
            rows.append(
                {
                    "case": f"H-{number:03d}",
                    "activity": activity,
                    "start": start.strftime("%Y-%m-%d %H:%M"),
                    "end": end.strftime("%Y-%m-%d %H:%M") if end else "",
                    "resource": people[int(rng.integers(len(people)))],
                    "team": team,
                }
            )
    return pd.DataFrame(rows)
