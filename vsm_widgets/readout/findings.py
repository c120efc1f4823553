"""Findings: what the numbers of a stream say, in sentences a coach can read aloud.

Two sources give the numbers, both through the partition of lead time
(`vsm_widgets.metrics.partition`, DESIGN 4.5). A timing export (`EventLog`)
gives them per item: lead time is the mean item's (the mean of the finished
items, with the median and 85th percentile beside it), waiting is the
partition's waiting share (one minus the portfolio flow efficiency), and the
largest delay is the waiting place with the largest share, by the mean item's
time there (the definition the batch index and the map use). A map
(`ValueStream`) gives them along its critical path: lead time, waiting (lead
time minus process time) and its largest wait, on an arrow or inside a block;
its headline and findings are in `vsm_widgets.readout.map_findings`, worded
with the sentences here.

Every function returns plain text: step names and owners are put in as they
were typed. Escape the text where it goes into Markdown or HTML
(`vsm_widgets.readout.sections` and `vsm_widgets.readout.executive` do).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from vsm_widgets.metrics import flow
from vsm_widgets.metrics.distribution import percentiles
from vsm_widgets.metrics.partition import WAITING_KINDS, largest_wait, partition, waiting_share
from vsm_widgets.metrics.pauses import pause_between_visits
from vsm_widgets.metrics.wip import aging_against_finished
from vsm_widgets.model.event_log import EventLog
from vsm_widgets.wording import HOUR, duration_text, finished_count, percent, wait_place

CLOCK_PHRASES = {
    "created": "from creation to done",
    "first_status": "from its first status to done",
    "first_active": "from the start of work to done",
}


@dataclass(frozen=True)
class Delay:
    """The largest delay of a stream: where work waits, how long, and who owns the wait.

    Parameters
    ----------
    source, target : str
        The handoff's ends as people call them; ``"supplier"`` and ``"customer"`` for the
        ends of an export's stream.
    seconds : float
        How long work waits there (median per item for an export, the map's wait for a map).
    owner : str or None
        Who owns the handoff; None when nobody is named.
    share_of_wait : float or None
        Its part of all waiting (exports only).
    from_export : bool
        True when measured from an export, which cannot record who owns a handoff.
    inventory : float, optional
        Pieces waiting on the handoff, when a factory map counts its wait as inventory.
    pause : str, optional
        Between two visits to one step: the waiting state items spent most of that time in.
    to_backlog : bool
        That waiting state is the backlog: one items were in before they first started work.
    """

    source: str
    target: str
    seconds: float
    owner: str | None = None
    share_of_wait: float | None = None
    from_export: bool = False
    inventory: float | None = None
    pause: str | None = None
    to_backlog: bool = False

    def length(self, hours_per_day: float = 24.0) -> str:
        """How long work waits: ``"5 days"``, or ``"7.6 days (7,000 pieces)"`` for inventory."""
        pieces = f" ({self.inventory:,g} pieces)" if self.inventory is not None else ""
        return f"{duration_text(self.seconds, hours_per_day)}{pieces}"

    def place(self) -> str:
        """Where the delay is: ``"between Code review and QA"``, ``"before Development starts"``, ``"inside Ops"``."""
        place = wait_place(self.source, self.target)
        if self.source == self.target and self.pause:
            happened = f"the item went back to {self.pause}" if self.to_backlog else f"work paused in {self.pause}"
            return f"{place} ({happened})"
        return place

    def ownership(self) -> str:
        """Who owns the wait, as the end of a sentence."""
        if self.owner:
            return f"{self.owner} owns that {'step' if self.source == self.target else 'handoff'}"
        return "nobody is named as its owner" if self.from_export else "nobody owns that handoff"


@dataclass(frozen=True)
class Headline:
    """The numbers of the first page, from an export or a map.

    Parameters
    ----------
    from_export : bool
        True for an export, False for a map.
    lead_time : float
        Seconds: the mean item's lead time (the mean over finished items), or the map's
        critical-path lead time.
    waiting_share : float
        Part of lead time spent waiting (NaN when undefined).
    delay : Delay or None
        The largest delay.
    hours_per_day : float
        Length of a day, for reading the durations.
    lead_time_p85 : float, optional
        Seconds: the 85th percentile of finished items (exports).
    finished_items : int, optional
        Finished items (exports).
    lead_time_items : int, optional
        The finished items the lead-time figures were computed over: those whose clock
        started (an item closed straight from the backlog has no lead time).
    clock : str
        Where lead time runs, such as ``"from creation to done"`` or ``"from Customer request to Customer"``.
    lead_time_median : float, optional
        Seconds: the median finished item's lead time (exports).
    map_drawn : bool, optional
        Whether the page draws the measured map the mean item is read from (False when the export
        holds no map, `vsm_widgets.exceptions.MapNotMeasurable`).
    """

    from_export: bool
    lead_time: float
    waiting_share: float
    delay: Delay | None
    hours_per_day: float = 24.0
    lead_time_p85: float = math.nan
    finished_items: int = 0
    clock: str = ""
    lead_time_median: float = math.nan
    lead_time_items: int | None = None
    map_drawn: bool = True

    @property
    def counted_items(self) -> str:
        """The items the 85th percentile was computed over, named with their count (`finished_count`)."""
        counted = self.finished_items if self.lead_time_items is None else self.lead_time_items
        return finished_count(counted, self.finished_items)

    def time(self, seconds: float) -> str:
        """A duration of this stream, readable (see `duration_text`)."""
        return duration_text(seconds, self.hours_per_day)


def export_headline(log: EventLog, table: pd.DataFrame | None = None) -> Headline:
    """The first-page numbers of a timing export, all from its partition (DESIGN 4.5).

    Parameters
    ----------
    log : EventLog
    table : DataFrame, optional
        `vsm_widgets.metrics.partition.partition` of the log, when already computed.

    Returns
    -------
    Headline
        Lead time: the mean item's (the mean over finished items), with the median and 85th
        percentile beside it; waiting: the partition's waiting share (1 - portfolio flow
        efficiency); the largest delay: `vsm_widgets.metrics.partition.largest_wait`, by the
        mean item's time there.
    """
    table = partition(log) if table is None else table
    items = flow.item_metrics(log)
    finished = items[items["finished"]]
    lead = finished["lead_time_hours"].dropna().to_numpy(dtype=float)
    median, p85 = (float(v) * HOUR for v in percentiles(lead, (50, 85)))
    wait = largest_wait(table)
    delay = None
    if wait is not None:
        pause, to_backlog = pause_between_visits(log, wait.source) if wait.inside_step else (None, False)
        delay = Delay(
            wait.source,
            wait.target,
            wait.mean_hours * HOUR,
            share_of_wait=wait.share_of_waiting,
            from_export=True,
            pause=pause,
            to_backlog=to_backlog,
        )
    return Headline(
        True,
        float(lead.mean()) * HOUR if len(lead) else math.nan,
        waiting_share(table),
        delay,
        log.calendar.hours_per_day,
        p85,
        len(finished),
        CLOCK_PHRASES.get(log.start_point, "to done"),
        lead_time_median=median,
        lead_time_items=len(lead),
    )


def lead_time_sentence(headline: Headline) -> str:
    """How long the stream takes, with the statistic named.

    Examples
    --------
    >>> lead_time_sentence(Headline(False, 44 * 86400, 15 / 44, None, clock="from Customer request to Customer"))
    'Lead time is 44 days along the critical path, from Customer request to Customer.'
    """
    if not headline.from_export:
        return f"Lead time is {headline.time(headline.lead_time)} along the critical path, {headline.clock}."
    if headline.finished_items == 0 or headline.lead_time_items == 0:
        return "No item has finished yet, so there is no lead time to report."
    return (
        f"The mean item took {headline.time(headline.lead_time)} {headline.clock}; half of the "
        f"{headline.counted_items} took at most {headline.time(headline.lead_time_median)}, "
        f"85 % at most {headline.time(headline.lead_time_p85)}."
    )


def waiting_sentence(headline: Headline) -> str:
    """How much of lead time is waiting, where the largest delay is and who owns it, in one sentence.

    Examples
    --------
    >>> waiting_sentence(Headline(False, 10 * 86400, 0.713, Delay("Sales", "Ops", 4.2 * 86400)))
    '71 % of lead time is waiting; the largest delay is 4.2 days between Sales and Ops, and nobody owns that handoff.'
    """
    opening = f"{percent(headline.waiting_share)} of lead time is waiting"
    delay = headline.delay
    if delay is None:
        return f"{opening}; no handoff holds any waiting."
    share = f" (the mean item's wait; {percent(delay.share_of_wait)} of all waiting)" if delay.from_export else ""
    return (
        f"{opening}; the largest delay is {delay.length(headline.hours_per_day)} {delay.place()}{share}, "
        f"and {delay.ownership()}."
    )


def export_findings(log: EventLog) -> list[str]:
    """Findings of a timing export, most important first.

    Parameters
    ----------
    log : EventLog

    Returns
    -------
    list of str
        The waiting and its largest delay; lead time; the next largest waits; rework and the
        step with the lowest %C&A; work in progress older than most finished items took.
    """
    table = partition(log)
    headline = export_headline(log, table)
    if headline.finished_items:
        found = [waiting_sentence(headline), lead_time_sentence(headline)]
    else:  # no lead time to divide into work and waiting: say that once
        found = [lead_time_sentence(headline)]
    waits = table[table["kind"].isin(WAITING_KINDS)].sort_values("share", ascending=False, kind="stable")
    all_waiting = waits["share"].sum()
    others = [
        (wait_place(str(row["from"]), str(row["to"])), percent(row["share"] / all_waiting))
        for _, row in waits.iloc[1:3].iterrows()
    ]
    if others:
        places = [f"{place} ({share}{' of all waiting' if n == 0 else ''})" for n, (place, share) in enumerate(others)]
        found.append(f"The next largest waits are {' and '.join(places)}.")
    rework = _rework_finding(log)
    if rework:
        found.append(rework)
    aging = _aging_finding(log, headline)
    if aging:
        found.append(aging)
    return found


def _rework_finding(log: EventLog) -> str | None:
    items = flow.item_metrics(log)
    finished = items[items["finished"]]
    returned = int((finished["rework"] > 0).sum())
    if not returned:
        return None
    steps = flow.step_metrics(log).dropna(subset=["pct_ca"])
    worst = steps.loc[steps["pct_ca"].idxmin()] if len(steps) else None
    sentence = (
        f"{returned} of the {len(finished):,} finished items ({percent(returned / len(finished))}) went back to a "
        "step they had left or to an earlier one"
    )
    if worst is not None and worst["pct_ca"] < 1:
        sentence += (
            f"; {worst['step']} is complete and accurate for {percent(worst['pct_ca'])} of its visits, "
            "the lowest of any step"
        )
    return sentence + "."


def _aging_finding(log: EventLog, headline: Headline) -> str | None:
    aging = flow.aging_wip(log)
    if aging.empty:
        return None
    as_of = log.as_of.strftime("%Y-%m-%d")
    count = f"{len(aging)} item{'s are' if len(aging) != 1 else ' is'} still in progress on {as_of}"
    against = aging_against_finished(aging, flow.item_metrics(log))
    if not against.finished:
        return f"{count}."
    old = against.older
    if len(aging) == 1:
        which = "it is already" if old else "it is not yet"
    else:
        which = "none of them is" if old == 0 else f"{old} of them {'are' if old != 1 else 'is'} already"
    return f"{count}; {which} older than 85 % of finished items took ({headline.time(against.p85_hours * HOUR)})."
