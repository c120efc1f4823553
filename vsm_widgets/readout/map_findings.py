"""Findings of a value stream map: what its critical path says, in sentences a coach can read aloud.

A map (`ValueStream`) gives its numbers along the critical path: lead time, waiting (lead time
minus process time) and its largest wait, on an arrow or inside a block, with the owner the map
names. Beyond the waiting and lead-time sentences an export shares (`vsm_widgets.readout.findings`),
a map says where the waiting sits, which step is the constraint against takt, how much rework the
rolled %C&A implies and which waste is largest; an export knows none of these, which is why they
are apart. Every function returns plain text, to be escaped where it goes into Markdown or HTML.
"""

from __future__ import annotations

import math

from vsm_widgets.metrics.partition import largest_wait, map_partition
from vsm_widgets.model.stream import ValueStream
from vsm_widgets.model.waste import WASTES
from vsm_widgets.readout.findings import Delay, Headline, lead_time_sentence, waiting_sentence
from vsm_widgets.units import Duration
from vsm_widgets.wording import HOUR, duration_text, percent


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
