"""The readable report of `vsm metrics`: headline numbers, steps, the handoffs that wait most.

It reads the plain dict of `vsm_widgets.metrics.flow.summary`, so the text and the JSON
output can never disagree, and ends with the conventions the numbers depend on
and the data-quality lines, as every readout must.
"""

from __future__ import annotations

from collections.abc import Sequence

from vsm_widgets.metrics.guesses import Guess
from vsm_widgets.model.event_log import EventLog
from vsm_widgets.wording import number, percent, wait_place

LABEL_WIDTH = 24


def format_summary(summary: dict, log: EventLog, guesses: Sequence[Guess] = (), largest_handoffs: int = 10) -> str:
    """The readable report `vsm metrics` prints: headline numbers, steps, the handoffs that wait most.

    Parameters
    ----------
    summary : dict
        From `summary`, with the ``largest_wait`` of the partition
        (`vsm_widgets.metrics.partition.LargestWait.to_dict`) when `vsm metrics` adds it.
    log : EventLog
        For its conventions and data-quality report.
    guesses : sequence of Guess, optional
        Headline figures a guess decided (`vsm_widgets.metrics.guesses.headline_guesses`),
        said right after the numbers they decided.
    largest_handoffs : int
        How many handoffs to list, largest total wait first.

    Returns
    -------
    str
        Ends with the conventions the numbers depend on and the data-quality lines.
    """
    return "\n".join(
        [
            *_headline(summary, log),
            "",
            *_guesses(guesses),
            *_steps(summary["steps"]),
            "",
            *_handoffs(summary["handoffs"], largest_handoffs),
            "",
            *_footer(summary.get("conventions", log.conventions()), log),
        ]
    )


def _headline(summary: dict, log: EventLog) -> list[str]:
    started = log.items["started"].notna()
    finished = log.items["finished"]
    in_progress = int((started & ~finished).sum())
    not_started = int((~started & ~finished).sum())
    untimed = int((~started & finished).sum())
    counts = f"{summary['finished_items']:,} finished, {in_progress:,} in progress"
    if not_started:
        counts += f", {not_started:,} not started"
    if untimed:
        counts += f" ({untimed:,} of the finished never reached the start point: no lead time)"
    spread = ("median", "p85", "mean")
    return [
        f"Flow metrics: {log.source or 'event log'}",
        f"{summary['items']:,} items: {counts}. Durations in hours.",
        "",
        _row("", list(spread), LABEL_WIDTH),
        _row("lead time", [_number(summary["lead_time"][k]) for k in spread], LABEL_WIDTH),
        *(
            [_row("lead time, days", [_number(summary["lead_time_days"][k]) for k in spread], LABEL_WIDTH)]
            if "lead_time_days" in summary
            else []
        ),
        _row("active time", [_number(summary["active_time"][k]) for k in spread], LABEL_WIDTH),
        f"{'flow efficiency':<{LABEL_WIDTH}}{_percent(summary['flow_efficiency'])} "
        "(portfolio: total active / total lead time of finished items)",
        f"{'':<{LABEL_WIDTH}}{_percent(summary['flow_efficiency_mean_of_items'])} "
        "mean of per-item ratios (a different number)",
        *_largest_wait(summary.get("largest_wait")),
        f"{'throughput':<{LABEL_WIDTH}}{_number(summary['throughput_per_week'])} items per week",
        f"{'mean WIP':<{LABEL_WIDTH}}{_number(summary['wip_mean'])} items (time-weighted)",
    ]


def _largest_wait(wait: dict | None) -> list[str]:
    if not wait:
        return []
    return [
        f"{'largest wait':<{LABEL_WIDTH}}{wait_place(wait['from'], wait['to'])}: {number(wait['wait'])} h of the mean "
        f"item's lead time ({percent(wait['share'], 1)} of it, {percent(wait['share_of_waiting'], 1)} of all waiting)"
    ]


def _guesses(guesses: Sequence[Guess]) -> list[str]:
    lines = []
    for guess in guesses:
        lines += [f"GUESSED: {guess.format()}", ""]
    return lines


def _steps(steps: list[dict]) -> list[str]:
    width = max([LABEL_WIDTH, *(len(step["step"]) + 2 for step in steps)])
    lines = [_row("Steps in flow order", ["visits", "items", "PT median", "PT p85", "PT mean", "%C&A"], width)]
    for step in steps:
        spread = step["process_time"]
        cells = [f"{step['visits']:,}", f"{step['items']:,}", *(_number(spread[k]) for k in ("median", "p85", "mean"))]
        lines.append(_row(step["step"], [*cells, _percent(step["pct_ca"])], width))
    return lines


def _handoffs(handoffs: list[dict], largest: int) -> list[str]:
    def total(handoff: dict) -> float:
        return handoff["count"] * (handoff["wait"]["mean"] or 0.0)

    ranked = sorted(handoffs, key=total, reverse=True)
    all_waiting = sum(total(handoff) for handoff in ranked)
    shown = ranked[:largest]
    names = [f"{handoff['from']} -> {handoff['to']}" for handoff in shown]
    width = max([LABEL_WIDTH, *(len(name) + 2 for name in names)])
    lines = [
        f"Handoffs, largest total wait first ({len(shown)} of {len(ranked)})",
        _row("", ["count", "wait median", "wait p85", "wait mean", "share"], width),
    ]
    for name, handoff in zip(names, shown, strict=True):
        wait = handoff["wait"]
        share = total(handoff) / all_waiting if all_waiting else None
        cells = [f"{handoff['count']:,}", *(_number(wait[k]) for k in ("median", "p85", "mean")), _percent(share)]
        lines.append(_row(name, cells, width))
    return lines


def _footer(conventions: dict, log: EventLog) -> list[str]:
    quality = log.quality
    lines = ["Conventions", *(f"  {key}: {value}" for key, value in conventions.items())]
    lines += ["", "Data quality", f"  rows read: {quality.rows_read:,}; rows used: {quality.rows_used:,}"]
    lines += [f"  {issue.action}: {issue.reason} ({_rows(issue.count)})" for issue in quality.issues]
    if not quality.dropped:
        lines.append("  no rows dropped")
    return lines


def _rows(count: int) -> str:
    return f"{count:,} row" if count == 1 else f"{count:,} rows"


def _row(label: str, cells: list[str], width: int) -> str:
    return f"{label:<{width}}" + "".join(f"{cell:>12}" for cell in cells)


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:,.1f}"


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f} %"
