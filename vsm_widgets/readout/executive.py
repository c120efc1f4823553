"""The first page of a readout: what an executive reads in a minute.

Lead time; how much of it is waiting; the largest delay and who owns it; what
the future state promises; and the plan in one line. The numbers come from
`vsm_widgets.readout.findings` (an export's items or a map's critical path) and from
the comparison of current and future state (`vsm_widgets.future.compare`).
"""

from __future__ import annotations

import html
import math

import pandas as pd
from IPython.display import HTML, Markdown

from vsm_widgets.future.compare import Comparison
from vsm_widgets.future.scenario import Scenario
from vsm_widgets.io.map_text import markdown_text
from vsm_widgets.metrics.guesses import Guess
from vsm_widgets.readout.findings import Headline
from vsm_widgets.wording import pair_text, percent, signed_percent

# The numbers a future state is judged by, for two logs (True) and two maps (False).
TIME_KEYS = {True: "lead_time_mean", False: "lead_time"}
TIME_LABELS = {True: "the mean item's lead time", False: "lead time"}
RATIO_KEYS = {True: "flow_efficiency", False: "activity_ratio"}
RATIO_LABELS = {True: "flow efficiency", False: "the activity ratio"}


def future_promise(comparison: Comparison, scenario: Scenario, hours_per_day: float = 24.0) -> str:
    """What the future state promises, from the comparison of current and future state.

    Parameters
    ----------
    comparison : Comparison
        `vsm_widgets.future.compare.compare` of the current state with the future one: two maps, or a
        log with its scenario replay.
    scenario : Scenario
        The changes that make the future state.
    hours_per_day : float
        The day length of the current state.

    Returns
    -------
    str
        Such as ``'"Next quarter" (3 changes) cuts the mean item's lead time from 13.9 days to 9.4 days
        (-31 %) and raises flow efficiency from 26.1 % to 36.5 %, if every change lands as planned.'``
    """
    logs = comparison.kind == "logs"
    rows = comparison.headline.set_index("metric")
    time, ratio = rows.loc[TIME_KEYS[logs]], rows.loc[RATIO_KEYS[logs]]
    lead = _movement(
        TIME_LABELS[logs],
        *pair_text(time["current"], time["future"], time["unit"], hours_per_day),
        time["change"],
        time["change_pct"],
    )
    share = _ratio_movement(ratio, RATIO_LABELS[logs])
    return f"{_scenario_name(scenario)} {lead} and {share}, if every change lands as planned."


def _ratio_movement(row: pd.Series, label: str) -> str:
    return _movement(label, percent(row["current"], 1), percent(row["future"], 1), row["change"], None)


def _movement(label: str, current: str, future: str, change: float, change_pct: float | None) -> str:
    if not change or not math.isfinite(change):
        return f"leaves {label} at {current}"
    verb = ("cuts" if label.endswith("lead time") else "lowers") if change < 0 else "raises"
    pct = f" ({signed_percent(change_pct)})" if change_pct is not None and math.isfinite(change_pct) else ""
    return f"{verb} {label} from {current} to {future}{pct}"


def executive_summary(
    headline: Headline, comparison: Comparison | None = None, scenario: Scenario | None = None
) -> Markdown:
    """The first page: what an executive reads in a minute, each line led by its number in bold.

    Parameters
    ----------
    headline : Headline
        From `vsm_widgets.readout.findings.export_headline` or `vsm_widgets.readout.map_findings.map_headline`.
    comparison : Comparison, optional
        Current against future state.
    scenario : Scenario, optional
        The changes that make the future state: what they are called, who owns them, when
        they are due.

    Returns
    -------
    IPython.display.Markdown
        Lead time; how much of it is waiting; the largest delay and who owns it; what the
        future state promises; the plan in one line.
    """
    lines = [_lead_line(headline), _waiting_line(headline), _delay_line(headline)]
    if comparison is not None and scenario is not None:
        lines.append(_future_line(comparison, scenario, headline.hours_per_day))
    else:
        lines.append(("Future state: none given", "Add a scenario file to see what the changes would promise."))
    if scenario is not None and scenario.changes:
        lines.append(_plan_line(scenario))
    return Markdown("\n\n".join(f"**{markdown_text(lead)}.** {markdown_text(text)}" for lead, text in lines))


def _lead_line(headline: Headline) -> tuple[str, str]:
    if not math.isfinite(headline.lead_time):
        return "Lead time: none yet", "No item has finished."
    lead = f"Lead time: {headline.time(headline.lead_time)}"
    if not headline.from_export:
        return lead, f"Along the critical path, {headline.clock}."
    return lead, (
        f"The mean item, {headline.clock}{', as the map below draws it' if headline.map_drawn else ''}; "
        f"half of the {headline.counted_items} "
        f"took at most {headline.time(headline.lead_time_median)}, 85 % at most "
        f"{headline.time(headline.lead_time_p85)}."
    )


def _waiting_line(headline: Headline) -> tuple[str, str]:
    if not math.isfinite(headline.waiting_share):
        return "Waiting: unknown", "There is no lead time yet to divide into work and waiting."
    return (
        f"Waiting: {percent(headline.waiting_share)} of lead time",
        f"Work is done on an item {percent(1 - headline.waiting_share)} of the time it spends in the stream.",
    )


def _delay_line(headline: Headline) -> tuple[str, str]:
    delay = headline.delay
    if delay is None:
        return "Largest delay: none", "No handoff holds any waiting."
    lead = f"Largest delay: {delay.length(headline.hours_per_day)} {delay.place()}"
    text = f"The mean item's wait there; {percent(delay.share_of_wait)} of all waiting. " if delay.from_export else ""
    if delay.owner:
        return lead, f"{text}{delay.owner} owns it."
    who = "Nobody is named as its owner" if delay.from_export else "Nobody owns it"
    return lead, f"{text}{who}: most organisations name owners for the boxes and rarely for the arrows between them."


def _future_line(comparison: Comparison, scenario: Scenario, hours_per_day: float) -> tuple[str, str]:
    logs = comparison.kind == "logs"
    rows = comparison.headline.set_index("metric")
    time, ratio = rows.loc[TIME_KEYS[logs]], rows.loc[RATIO_KEYS[logs]]
    current, future = pair_text(time["current"], time["future"], time["unit"], hours_per_day)
    pct = f" ({signed_percent(time['change_pct'])})" if math.isfinite(time["change_pct"]) else ""
    lead = f"Future state: {TIME_LABELS[logs].removeprefix('the ')} {current} \u2192 {future}{pct}"
    share = _movement(
        RATIO_LABELS[logs], percent(ratio["current"], 1), percent(ratio["future"], 1), ratio["change"], None
    )
    return lead, f"{_scenario_name(scenario)} {share}, if every change lands as planned."


def _scenario_name(scenario: Scenario) -> str:
    name = f'"{scenario.name}"' if scenario.name else "The future state"
    count = len(scenario.changes)
    return f"{name} ({count} change{'s' if count != 1 else ''})"


def _plan_line(scenario: Scenario) -> tuple[str, str]:
    owners = {change.owner for change in scenario.changes if change.owner}
    dues = [change.due for change in scenario.changes if change.due]
    count = len(scenario.changes)
    lead = f"Plan: {count} change{'s' if count != 1 else ''}, {len(owners)} owner{'s' if len(owners) != 1 else ''}"
    if dues:
        lead += f", the last due {max(dues):%Y-%m-%d}"
    text = "Each change names the waste it removes."
    unowned = sum(1 for change in scenario.changes if not change.owner)
    if unowned:
        text += f" {unowned} {'has' if unowned == 1 else 'have'} no owner yet: a change nobody owns does not happen."
    return lead, text


def guess_notice(guess: Guess) -> HTML:
    """A headline figure that a guess decided, said before the figures, with the mapping lines that decide it.

    Parameters
    ----------
    guess : Guess
        From `vsm_widgets.metrics.guesses.headline_guesses`.

    Returns
    -------
    IPython.display.HTML
        A paragraph and the YAML lines; status names are escaped, since they come from the export.
    """
    return HTML(
        f'<div class="guess"><p><strong>Read with a guess.</strong> {html.escape(guess.said)} '
        "To decide it, put these lines in the export's mapping file:</p>"
        f"<pre>{html.escape(guess.mapping)}</pre></div>"
    )
