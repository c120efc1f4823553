"""Where items wait between two visits to one step: a pause (Blocked), or a return to the backlog (To Do).

A handoff from a step to itself is work resumed after waiting. What the wait was
is in the waiting states between the two visits; a readout names the one that
held most of that time, and says so when it is a state the items were in before
they first started work: the item went back to the backlog.
"""

from __future__ import annotations

from vsm_widgets.model.event_log import EventLog


def pause_between_visits(log: EventLog, step: str) -> tuple[str | None, bool]:
    """The waiting state holding most of the time between two visits to `step`, and whether it is the backlog.

    Parameters
    ----------
    log : EventLog
    step : str
        An active step.

    Returns
    -------
    (str or None, bool)
        The waiting state (None when no waiting state lies between two visits to the step), and
        True when some item was in it before its first active visit.
    """
    visits = log.visits.sort_values(["item", "start"], kind="stable")
    active = visits["step"].where(visits["kind"] == "active")
    before = active.groupby(visits["item"]).ffill()
    after = active.groupby(visits["item"]).bfill()
    waiting = visits["kind"] == "waiting"
    between = visits[waiting & (before == step) & (after == step)]
    if between.empty:
        return None, False
    spent = (between["end"] - between["start"]).groupby(between["step"]).sum()
    pause = str(spent.idxmax())
    backlog = set(visits.loc[waiting & before.isna(), "step"])
    return pause, pause in backlog
