"""Findings: what the numbers of a stream say, in sentences a coach can read aloud.

Two sources give the numbers, both through the partition of lead time
(`vsm_widgets.metrics.partition`, DESIGN 4.5). A timing export (`EventLog`)
gives them per item: lead time is the mean item's (the mean of the finished
items, with the median and 85th percentile beside it), waiting is the
partition's waiting share (one minus the portfolio flow efficiency), and the
largest delay is the waiting place with the largest share, by the mean item's
time there (the definition the batch index and the map use). A map
(`ValueStream`) gives them along its critical path: lead time, waiting (lead
time minus process time) and its largest wait, on an arrow or inside a block.

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
from vsm_widgets.metrics.partition import WAITING_KINDS, largest_wait, map_partition, partition, waiting_share
from vsm_widgets.metrics.pauses import pause_between_visits
from vsm_widgets.metrics.wip import aging_against_finished
from vsm_widgets.model.event_log import EventLog
from vsm_widgets.model.stream import ValueStream
from vsm_widgets.model.waste import WASTES
from vsm_widgets.units import Duration
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


def map_headline(stream: ValueStream) -> Headline:
    """The first-page numbers of a map, along its critical path.

    Parameters
    ----------
    stream : ValueStream

    Returns
    -------
    Headline
        Lead time and waiting (lead time minus process time) of the critical path; the
        largest delay is `vsm_widgets.metrics.partition.largest_wait` of the map (an arrow or
        the waiting inside a block), with its owner.
    """
    wait = largest_wait(map_partition(stream))
    lead = stream.lead_time()
    waiting = stream.wait_time() / lead if lead else math.nan
    delay = None
    if wait is not None:
        if wait.inside_step:
            owner, pieces = stream.step(wait.key).owner, None
        else:
            handoff = stream.handoff(*wait.key.split("->"))
            owner, pieces = handoff.owner, handoff.inventory if handoff.wait is None else None
        delay = Delay(wait.source, wait.target, wait.mean_hours * HOUR, owner, inventory=pieces)
    clock = f"from {stream.supplier} to {stream.customer}"
    return Headline(False, lead.seconds, waiting, delay, stream.hours_per_day, clock=clock)


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


def map_findings(stream: ValueStream) -> list[str]:
    """Findings of a value stream map, most important first.

    Parameters
    ----------
    stream : ValueStream

    Returns
    -------
    list of str
        The waiting and its largest delay; lead time and process time; where the waiting
        sits (arrows, inside boxes, unowned arrows); the constraint against takt; rework
        (rolled %C&A and the weakest step); the largest waste category when steps are tagged.
    """
    headline = map_headline(stream)
    hours_per_day = stream.hours_per_day

    def time(duration: Duration) -> str:
        return duration_text(duration.seconds, hours_per_day)

    found = [waiting_sentence(headline), lead_time_sentence(headline)]
    process, lead = stream.process_time(), stream.lead_time()
    ratios = f"activity ratio {percent(stream.activity_ratio(), 1)}"
    if not math.isclose(stream.pce(), stream.activity_ratio()) and math.isfinite(stream.pce()):
        ratios += f"; PCE {percent(stream.pce(), 1)}, counting value-adding steps only"
    found.append(f"Work is done on the item for {time(process)} of the {time(lead)} ({ratios}).")
    arrows, inside = stream.handoff_time(), stream.step_time() - process
    if arrows and inside:
        found.append(
            f"Of the waiting, {time(arrows)} is on the arrows between steps and {time(inside)} inside the boxes "
            "(block lead time beyond process time)."
        )
    unowned = stream.unowned_wait()
    if unowned:
        found.append(
            f"{time(unowned)} of the waiting on the critical path ({percent(unowned / lead)} of lead time) is on "
            "arrows nobody owns."
        )
    constraint = _constraint_finding(stream)
    if constraint:
        found.append(constraint)
    if stream.rolled_pct_ca() < 1:
        weakest = min(stream.steps, key=lambda s: s.pct_ca)
        found.append(
            f"Only {percent(stream.rolled_pct_ca())} of items pass every step without rework (rolled %C&A); "
            f"{weakest.name} is complete and accurate for {percent(weakest.pct_ca)} of its output, the lowest."
        )
    waste = _waste_finding(stream)
    if waste:
        found.append(waste)
    return found


def _constraint_finding(stream: ValueStream) -> str | None:
    step = stream.constraint()
    if step is None:
        return None
    cycle = duration_text(step.effective_cycle_time.seconds, stream.hours_per_day)
    takt = stream.takt_time()
    if takt is None:
        return f"{step.name} is the slowest step: {cycle} per item (process time / uptime / staff)."
    takt_text = duration_text(takt.seconds, stream.hours_per_day)
    if step.effective_cycle_time.seconds > takt.seconds:
        return (
            f"{step.name} is the constraint: {cycle} per item against a takt time of {takt_text}, so it cannot "
            "keep up with demand."
        )
    return f"{step.name} is the slowest step ({cycle} per item) and keeps up with the takt time of {takt_text}."


def _waste_finding(stream: ValueStream) -> str | None:
    # Arrows always count as waiting; the finding says more than the waiting sentence only when steps are tagged.
    if not any(stream.step(step_id).wastes for step_id in stream.critical_path()):
        return None
    table = stream.time_by_waste()
    table = table[table["share"] > 0].sort_values("share", ascending=False, kind="stable")
    first, *rest = [(WASTES[row.waste].label, row.share) for row in table.head(2).itertuples()]
    sentence = f"{first[0]} is the largest waste ({percent(first[1])} of lead time)"
    if rest:
        sentence += f"; next is {rest[0][0].lower()} ({percent(rest[0][1])})"
    return sentence + "."
