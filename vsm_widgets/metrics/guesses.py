"""Guesses that decide a headline figure, each with the mapping lines that would replace it.

Without a mapping, a status history's statuses are sorted into active, waiting and
done by their names (docs/exports.md). Most of the time that is a fair start; but
when no name reads as waiting, all time inside the stream counts as work and flow
efficiency comes out near 100 %, and when no name reads as done, no item is
finished and there is no lead time. Those figures then come from the guess, not
from the data, so the command line and the readout say so first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vsm_widgets.io.exports import EVENTS_AS_INTERVALS
from vsm_widgets.io.status_history import ACTIVE_BY_NAME, NO_DONE_BY_NAME, WAITING_BY_NAME
from vsm_widgets.model.event_log import EventLog
from vsm_widgets.wording import percent


@dataclass(frozen=True)
class Guess:
    """One headline figure that a guess decided.

    Parameters
    ----------
    figure : str
        The figure, e.g. ``"flow efficiency"``.
    said : str
        What was guessed and what it did to the figure, as a sentence.
    mapping : str
        YAML lines for a mapping file that replace the guess with a decision.
    """

    figure: str
    said: str
    mapping: str

    def format(self) -> str:
        """The guess for a terminal: the sentence, then the mapping lines indented.

        Returns
        -------
        str
        """
        lines = "\n".join(f"    {line}" for line in self.mapping.splitlines())
        return (
            f"{self.said}\n  To decide it, put this in a mapping file (--mapping FILE, see docs/exports.md):\n{lines}"
        )


def _named(log: EventLog, prefix: str) -> list[str] | None:
    """The statuses a by-name decision lists; None when the kinds were not guessed."""
    for decision in log.quality.decisions:
        if decision.startswith(prefix):
            listed = decision.removeprefix(prefix)
            return [] if listed == "none" else listed.split(", ")
    return None


def headline_guesses(log: EventLog, summary: dict) -> list[Guess]:
    """The headline figures of `summary` that a guess about the statuses decided.

    Parameters
    ----------
    log : EventLog
        As read; its ``quality.decisions`` say what was guessed.
    summary : dict
        From `vsm_widgets.metrics.flow.summary` of the same log.

    Returns
    -------
    list of Guess
        Empty when the mapping decided the kinds of the statuses, or when the guesses
        left the headline figures to the data.
    """
    waiting, active = _named(log, WAITING_BY_NAME), _named(log, ACTIVE_BY_NAME)
    found: list[Guess] = []
    if waiting == [] and active and summary["flow_efficiency"] is not None:
        flow_order = [step for step in log.steps if step in active] or active
        kinds = {status: {"kind": "waiting" if status == flow_order[0] else "active"} for status in flow_order}
        found.append(
            Guess(
                "flow efficiency",
                f"Flow efficiency {percent(summary['flow_efficiency'])} is a guess: without a mapping every status "
                f"({', '.join(flow_order)}) was read as active work and none as waiting, so no time inside the "
                "stream counts as waiting. Mark the statuses where work waits (a queue, a backlog) as waiting; "
                f"with start_point: first_status the clock starts when an item enters {flow_order[0]}.",
                _mapping_lines({"statuses": kinds, "start_point": "first_status"}),
            )
        )
    events = next((d for d in log.quality.decisions if d.startswith(EVENTS_AS_INTERVALS)), None)
    if events is not None and summary["flow_efficiency"] is not None:
        columns = re.search(r"columns: \{status: (.+?), timestamp: (.+?)\}", events)
        status, timestamp = columns.groups() if columns else ("step", "start")
        found.append(
            Guess(
                "flow efficiency",
                f"Flow efficiency {percent(summary['flow_efficiency'])} comes from reading events as intervals: "
                "every visit starts and ends at the same moment, so no time counts as work and all of lead time "
                "falls between the events. Read the export as a status history, each event lasting until the "
                "item's next one, name the status that means finished, and mark where work waits.",
                _mapping_lines(
                    {
                        "shape": "status_history",
                        "columns": {"status": status, "timestamp": timestamp},
                        "done": [log.steps[-1]] if log.steps else [],
                    },
                ),
            )
        )
    if NO_DONE_BY_NAME in log.quality.decisions and log.steps:
        found.append(
            Guess(
                "lead time",
                "No item is finished, so there is no lead time: no status name reads as done (done, closed, "
                "resolved, released, completed) and the mapping names none. Name the statuses that mean finished.",
                _mapping_lines({"done": [log.steps[-1]]}),
            )
        )
    return found


def _mapping_lines(content: dict) -> str:
    """Mapping-file lines for a guess's way forward, keys in the order given."""
    import yaml  # here: vsm metrics imports no YAML unless a guess is made or a mapping given

    return yaml.safe_dump(content, sort_keys=False, default_flow_style=None, allow_unicode=True)
