"""The answer key of a teaching map, and grading a learner's answers against it.

A teaching map's ``answer_key`` gives each step (and optionally each arrow) its
value class, the wastes in it and why; the key may also name the bottleneck.
`read_answer_key` checks it against the map, and `grade_answer` explains every
difference between one answer and the key with the descriptions of
`vsm_widgets.model.waste`. The `WasteTagger` widget and the lesson both grade
through it, so the lesson needs no widget library.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from vsm_widgets.exceptions import VsmInputError
from vsm_widgets.model.stream import ValueStream
from vsm_widgets.model.waste import VALUE_CLASSES, WASTES, normalise_value, normalise_waste

Element = str | tuple[str, str]


@dataclass(frozen=True)
class Expected:
    """The answer key for one step or arrow.

    Parameters
    ----------
    value : str or None
        The value class key, or None when the key does not say.
    wastes : frozenset of str
        The waste keys.
    why : str
        The key's reason, shown with every difference.
    """

    value: str | None
    wastes: frozenset[str]
    why: str = ""


@dataclass(frozen=True)
class Difference:
    """One way the learner's answer differs from the key.

    Parameters
    ----------
    element : str or (str, str)
        The step id, or the arrow's ``(source, target)``; ``"bottleneck"`` for the bottleneck question.
    name : str
        How people call it: the step name or ``"A → B"``.
    topic : str
        ``"value"``, ``"missed waste"``, ``"extra waste"`` or ``"bottleneck"``.
    given : str
        The learner's answer (a label), empty when none.
    expected : str
        The key's answer (a label), empty when the key lists nothing.
    explanation : str
        Why, in words: the description of the class or waste and the key's reason.
    """

    element: Element
    name: str
    topic: str
    given: str
    expected: str
    explanation: str


def _read_expected(entry: Any, where: str) -> Expected:
    if not isinstance(entry, Mapping):
        raise VsmInputError(f"answer_key {where} must be a mapping with value, wastes and why", column=where)
    try:
        value = normalise_value(entry["value"]) if entry.get("value") else None
        wastes = frozenset(normalise_waste(w) for w in (entry.get("wastes") or ()))
    except ValueError as error:
        raise VsmInputError(f"answer_key {where}: {error}", column=where) from None
    return Expected(value, wastes, str(entry.get("why") or ""))


def read_answer_key(stream: ValueStream, key: Mapping[str, Any]) -> tuple[dict[Element, Expected], str | None, str]:
    """Read a teaching map's answer key, checking that it names only steps and arrows of the map.

    Parameters
    ----------
    stream : ValueStream
        The teaching map.
    key : mapping
        Its ``answer_key``: ``steps`` (id to value, wastes, why), optional
        ``handoffs`` (a list with ``from`` and ``to``), ``bottleneck`` and ``bottleneck_why``.

    Returns
    -------
    expected : dict
        Step id or ``(source, target)`` to `Expected`.
    bottleneck : str or None
        The step id of the bottleneck, where the key names it.
    bottleneck_why : str

    Raises
    ------
    VsmInputError
        If the key names a step or arrow the map does not have, or an unknown waste or value class.
    """
    expected: dict[Element, Expected] = {}
    for step_id, entry in (key.get("steps") or {}).items():
        if step_id not in stream.step_ids:
            raise VsmInputError(f"answer_key names step '{step_id}', which the map does not have", column="steps")
        expected[step_id] = _read_expected(entry, f"steps.{step_id}")
    arrows = {h.key for h in stream.handoffs}
    for entry in key.get("handoffs") or ():
        pair = (str(entry.get("from")), str(entry.get("to"))) if isinstance(entry, Mapping) else None
        if pair not in arrows:
            raise VsmInputError(f"answer_key names handoff {entry!r}, which the map does not have", column="handoffs")
        expected[pair] = _read_expected(entry, f"handoffs {pair[0]} -> {pair[1]}")
    bottleneck = key.get("bottleneck")
    if bottleneck is not None and bottleneck not in stream.step_ids:
        raise VsmInputError(f"answer_key names bottleneck '{bottleneck}', which is not a step", column="bottleneck")
    return expected, bottleneck, str(key.get("bottleneck_why") or "")


def _value_text(key: str | None) -> str:
    return VALUE_CLASSES[key].label if key else ""


def with_reason(text: str, why: str) -> str:
    """An explanation followed by the key's own reason for this map, when it gives one."""
    return f"{text} In this map: {why}" if why else text


def grade_answer(
    name: str, element: Element, value: str | None, wastes: set[str], expected: Expected
) -> list[Difference]:
    """The differences between one learner's answer and the key, each explained.

    Parameters
    ----------
    name : str
        How people call the step or arrow.
    element : str or (str, str)
        Its id.
    value : str or None
        The learner's value class key.
    wastes : set of str
        The learner's waste keys.
    expected : Expected
        The key.

    Returns
    -------
    list of Difference
    """
    found = []
    if expected.value is not None and value != expected.value:
        wanted = VALUE_CLASSES[expected.value]
        given = _value_text(value)
        opening = f"You classed it as {given}" if given else "You did not class it"
        explanation = f"{opening}; the key says {wanted.label}: {wanted.description}"
        found.append(Difference(element, name, "value", given, wanted.label, with_reason(explanation, expected.why)))
    for key in sorted(expected.wastes - wastes, key=list(WASTES).index):
        waste = WASTES[key]
        # The key's own reason speaks of this map; a generic example (software, office or factory) would not.
        example = "" if expected.why else f" For example: {waste.examples[0]}."
        explanation = f"Missed: {waste.label}. {waste.description}{example}"
        found.append(Difference(element, name, "missed waste", "", waste.label, with_reason(explanation, expected.why)))
    for key in sorted(wastes - expected.wastes, key=list(WASTES).index):
        waste = WASTES[key]
        explanation = f"The key does not list {waste.label} here. {waste.label} is: {waste.description}"
        found.append(Difference(element, name, "extra waste", waste.label, "", with_reason(explanation, expected.why)))
    return found
