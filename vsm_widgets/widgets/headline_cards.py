"""`HeadlineCards`: the six numbers a coach reads off a map, as cards above the charts.

Lead time, process time, activity ratio, rolled %C&A, takt time and the
largest wait (on an arrow or inside a block, by the rule every page uses, with
its owner), all from `ValueStream.summary()` and worded as the readouts word
them (`vsm_widgets.wording.value_text`). Given a
baseline (the current state while the future state is shown) each card also
says what it was and by how much it moved. Names are escaped: they are what
users typed, never markup.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets

from vsm_widgets.charts.theme import ALERT, INK, NEUTRAL, WAITING, WORK
from vsm_widgets.model.stream import ValueStream
from vsm_widgets.wording import SHARE, change_text, percent, signed_percent, value_text, wait_place

CARD_TITLES = {
    "lead_time": "Lead time",
    "process_time": "Process time",
    "activity_ratio": "Activity ratio",
    "rolled_pct_ca": "Rolled %C&A",
    "takt_time": "Takt time",
    "largest_wait": "Largest wait",
}
"""The cards, in the order shown, by the `summary()` key each one reads."""

_ACCENTS = {
    "lead_time": INK,
    "process_time": WORK,
    "activity_ratio": WORK,
    "rolled_pct_ca": INK,
    "takt_time": NEUTRAL,
    "largest_wait": WAITING,
}
# Whether a larger number is better, so a change can be called an improvement.
_HIGHER_IS_BETTER = {"activity_ratio": True, "rolled_pct_ca": True}


def _quantity(value: float | None, unit: str, hours_per_day: float) -> str:
    # One wording for durations on every page (`value_text`): 648 hours read as 27 days, as in a readout.
    return "n/a" if value is None else value_text(value, unit, hours_per_day)


def _share(value: float | None) -> str:
    return percent(value, 1)


def card_values(summary: Mapping[str, Any], label: Any, owner: Any = None) -> dict[str, tuple[float | None, str, str]]:
    """The number, its text and the note under it for each card.

    Parameters
    ----------
    summary : mapping
        `ValueStream.summary()` of the map shown.
    label : callable
        Gives the name of a step id, ``"supplier"`` or ``"customer"`` (`ValueStream.label`).
    owner : callable, optional
        Gives the owner (or None) of the largest wait from its ``from`` and ``to`` ids: the
        arrow's owner, or the step's for the waiting inside a block.

    Returns
    -------
    dict
        ``key -> (number or None, text, note)``; texts are plain, not yet escaped.
    """
    unit, day = summary["unit"], summary["hours_per_day"]
    wait = summary["largest_wait"]
    unowned = [tuple(pair) for pair in summary["unowned_handoffs"]]
    takt = summary["takt_time"]
    constraint = summary["constraint"]
    if takt is None:
        takt_note = "needs demand_per_day on the map"
    elif summary["constraint_load"] is not None and constraint is not None:
        takt_note = f"constraint {label(constraint)}: {percent(summary['constraint_load'])} of takt"
    else:
        takt_note = ""
    where = wait_place(label(wait["from"]), label(wait["to"]))
    who = owner(wait["from"], wait["to"]) if owner is not None else None
    if who:
        where += f" (owner: {who})"
    elif (wait["from"], wait["to"]) in unowned or owner is not None:
        where += " (no owner)"
    wait_time = summary["wait_time"]
    return {
        "lead_time": (
            summary["lead_time"],
            _quantity(summary["lead_time"], unit, day),
            f"{_quantity(wait_time, unit, day)} waiting",
        ),
        "process_time": (
            summary["process_time"],
            _quantity(summary["process_time"], unit, day),
            "on the critical path",
        ),
        "activity_ratio": (
            summary["activity_ratio"],
            _share(summary["activity_ratio"]),
            f"PCE {_share(summary['pce'])} (value-adding steps only)",
        ),
        "rolled_pct_ca": (
            summary["rolled_pct_ca"],
            _share(summary["rolled_pct_ca"]),
            "chance an item passes with no rework",
        ),
        "takt_time": (takt, _quantity(takt, unit, day), takt_note),
        "largest_wait": (wait["wait"], _quantity(wait["wait"], unit, day), where),
    }


def _change(key: str, now: float | None, before: float | None, before_text: str) -> str:
    if now is None or before is None:
        return f"was {html.escape(before_text)}"
    if abs(now - before) < 1e-12:
        return "unchanged"
    if key in _HIGHER_IS_BETTER:
        # A ratio changes by percentage points, as the readouts say it.
        relative = f", {change_text(now - before, None, SHARE)}"
    else:
        relative = f", {signed_percent(100 * (now - before) / before)}" if before else ""
    better = (now > before) == _HIGHER_IS_BETTER.get(key, False)
    colour = WORK if better else ALERT
    return f'<span style="color:{colour}">was {html.escape(before_text)}{relative}</span>'


def _card_html(key: str, text: str, note: str, change: str) -> str:
    return (
        f'<div style="border-left:4px solid {_ACCENTS[key]};padding:4px 10px;min-width:10em;line-height:1.25">'
        f'<div style="font-size:0.85em;color:#444">{CARD_TITLES[key]}</div>'
        f'<div class="vsm-card-value" style="font-size:1.6em;font-weight:600;color:{INK}">{html.escape(text)}</div>'
        f'<div style="font-size:0.85em;color:#444">{html.escape(note)}</div>'
        + (f'<div class="vsm-card-change" style="font-size:0.85em">{change}</div>' if change else "")
        + "</div>"
    )


class HeadlineCards(widgets.HBox):
    """Six headline cards: lead time, process time, activity ratio, rolled %C&A, takt time, largest wait.

    Parameters
    ----------
    stream : ValueStream, optional
        The map to show first.

    Attributes
    ----------
    cards : dict of str to ipywidgets.HTML
        The card of each key in `CARD_TITLES`.
    texts : dict of str to str
        The big number of each card as shown, such as ``"648 hours"``.

    Examples
    --------
    >>> from vsm_widgets.model.stream import Step
    >>> from vsm_widgets.units import Duration
    >>> cards = HeadlineCards(ValueStream("Demo", [Step("a", process_time=Duration.of(5, "days"))]))
    >>> cards.texts["lead_time"]
    '5 days'
    """

    def __init__(self, stream: ValueStream | None = None, **kwargs: object) -> None:
        self.cards = {key: widgets.HTML() for key in CARD_TITLES}
        for key, card in self.cards.items():
            card.add_class("vsm-card")
            card.add_class(f"vsm-card-{key}")
        self.texts: dict[str, str] = {}
        super().__init__(children=tuple(self.cards.values()), **kwargs)
        self.layout.flex_flow = "row wrap"
        self.add_class("vsm-cards")
        if stream is not None:
            self.show(stream)

    def show(self, stream: ValueStream, baseline: ValueStream | None = None) -> None:
        """Show the numbers of `stream`; with a `baseline`, also what each was there and the change.

        Parameters
        ----------
        stream : ValueStream
            The map shown (the future state while comparing).
        baseline : ValueStream, optional
            The map to compare with (the current state).
        """
        values = card_values(stream.summary(), stream.label, _owner_of(stream))
        before = card_values(baseline.summary(), baseline.label, _owner_of(baseline)) if baseline is not None else {}
        for key, (now, text, note) in values.items():
            change = _change(key, now, before[key][0], before[key][1]) if key in before else ""
            self.cards[key].value = _card_html(key, text, note, change)
            self.texts[key] = text


def _owner_of(stream: ValueStream) -> Any:
    """Who owns a wait: the arrow's owner, or the step's for the waiting inside its block."""

    def owner(source: str, target: str) -> str | None:
        return stream.step(source).owner if source == target else stream.handoff(source, target).owner

    return owner
