"""The lean waste lesson: exercises on a teaching map and the self-checks that answer them.

A teaching map (``data/samples/maps/teaching.yaml``) carries an ``answer_key``:
each step's value class and wastes, the bottleneck, the largest wait and the
step whose output comes back for rework. Learners write their answers in the
lesson notebook; each check here compares them with the key and explains,
never raising on a wrong or missing answer, so the notebook also runs
headless under papermill. `verify_answer_key` is the trainer's own check that
the planted problems really are in the map's numbers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
from IPython.display import Markdown

from vsm_widgets.exceptions import VsmInputError
from vsm_widgets.io.map_text import markdown_text
from vsm_widgets.model.answer_key import Difference, grade_answer, read_answer_key
from vsm_widgets.model.stream import ValueStream
from vsm_widgets.model.waste import VALUE_CLASSES, WASTES, normalise_value, normalise_waste
from vsm_widgets.readout.sections import comparison_table, html_table
from vsm_widgets.wording import duration_text, percent

NOT_ANSWERED = "not answered yet"
ASK = "*Not answered yet.*"
RIGHT = "right"
NOT_YET = "not yet"


def answer_key(stream: ValueStream) -> Mapping[str, Any]:
    """The map's ``answer_key``.

    Raises
    ------
    VsmInputError
        If the map has none.
    """
    key = stream.extra.get("answer_key")
    if not key:
        raise VsmInputError(f"the map '{stream.name}' has no answer_key", "Use a teaching map such as teaching.yaml")
    return key


def glossary() -> Markdown:
    """The three value classes and the eight wastes, each with an example, for learners."""
    classes = [f"- **{c.key}**, {c.label.lower()}: {c.description}" for c in VALUE_CLASSES.values()]
    wastes = [f"- **{w.key}**: {w.description} *For example: {w.examples[0]}.*" for w in WASTES.values()]
    return Markdown("\n".join(["Value classes:", "", *classes, "", "The eight wastes:", "", *wastes]))


def step_table(stream: ValueStream) -> pd.DataFrame:
    """The facts learners work from: each step's owner, time, staff, %C&A and the queue in front of it.

    Value classes and wastes are left out: they are what the learners decide.

    Parameters
    ----------
    stream : ValueStream

    Returns
    -------
    DataFrame
        Columns ``Step`` (its id in brackets), ``Owner``, ``Process time``, ``Staff``,
        ``%C&A`` and ``Wait before it``.
    """
    hours_per_day = stream.hours_per_day
    rows = []
    for step in stream.steps:
        waits = [stream.wait_of(h).seconds for h in stream.incoming(step.id)]
        rows.append(
            (
                f"{step.name} ({step.id})",
                step.owner or "",
                duration_text(step.process_time.seconds, hours_per_day),
                f"{step.staff:g}",
                percent(step.pct_ca),
                duration_text(max(waits, default=0.0), hours_per_day),
            )
        )
    return pd.DataFrame(rows, columns=["Step", "Owner", "Process time", "Staff", "%C&A", "Wait before it"])


def _name(stream: ValueStream, element: str | tuple[str, str]) -> str:
    if isinstance(element, str):
        return stream.step(element).name
    return f"{stream.label(element[0])} → {stream.label(element[1])}"


def check_classes(
    stream: ValueStream, answers: Mapping[str | tuple[str, str], tuple[str, Sequence[str]]]
) -> pd.DataFrame:
    """Each step's and arrow's value class and wastes as the learner gave them, against the key.

    Parameters
    ----------
    stream : ValueStream
        The teaching map.
    answers : mapping
        Step id, or ``(from, to)`` of an arrow, to ``(value class, [wastes])``, such as
        ``{"pack": ("va", ["defects"]), ("pack", "inspect"): ("nva", ["waiting"])}``. An
        empty value class and no wastes is an answer not given yet, and gets no explanation:
        the key is not given away before the learner answers.

    Returns
    -------
    DataFrame
        Columns ``Step or arrow``, ``Verdict`` ("right", "not yet" or "not answered yet") and ``Why``,
        the steps the key lists first, then its arrows.
    """
    expected, _, _ = read_answer_key(stream, answer_key(stream))
    rows = []
    for element, key in expected.items():
        name = _name(stream, element)
        given_value, given_wastes = answers.get(element, ("", ()))
        if not given_value and not given_wastes:
            rows.append((name, NOT_ANSWERED, "Give it a value class (va, nnva or nva) and the wastes you see."))
            continue
        try:
            value = normalise_value(given_value) if given_value else None
            wastes = {normalise_waste(w) for w in given_wastes}
        except ValueError as error:
            rows.append((name, NOT_YET, str(error)))
            continue
        differences = grade_answer(name, element, value, wastes, key)
        rows.append((name, NOT_YET if differences else RIGHT, _explain(differences, key.why)))
    return pd.DataFrame(rows, columns=["Step or arrow", "Verdict", "Why"])


def check_constraint(stream: ValueStream, answer: str) -> Markdown:
    """Whether the learner found the bottleneck: the step that cannot keep up with takt.

    Parameters
    ----------
    stream : ValueStream
    answer : str
        A step id or name; empty when not answered.

    Returns
    -------
    IPython.display.Markdown
    """
    key = answer_key(stream)
    wanted = key["bottleneck"]
    takt = stream.takt_time()
    takt_text = duration_text(takt.seconds, stream.hours_per_day) if takt is not None else "not set"
    hint = (
        f"Divide each step's process time by its staff and compare it with the takt time ({takt_text}): "
        "the step that needs longer per item than the customer allows cannot keep up."
    )
    return _verdict(stream, answer, wanted, key.get("bottleneck_why", ""), hint, _cycle_of)


def check_rework(stream: ValueStream, answer: str) -> Markdown:
    """Whether the learner found the step whose output comes back for rework.

    Parameters
    ----------
    stream : ValueStream
    answer : str
        A step id or name; empty when not answered.

    Returns
    -------
    IPython.display.Markdown
    """
    key = answer_key(stream)
    hint = "A map flows one way, so a rework loop shows as a low %C&A: look for the step least often right first time."
    return _verdict(stream, answer, key["rework"], key.get("rework_why", ""), hint, _pct_ca_of)


def check_largest_wait(stream: ValueStream, answer: tuple[str, str]) -> Markdown:
    """Whether the learner found the longest queue, and that it sits in front of the bottleneck.

    Parameters
    ----------
    stream : ValueStream
    answer : (str, str)
        The handoff's two steps, ids or names; empty strings when not answered.

    Returns
    -------
    IPython.display.Markdown
    """
    source, target = (_step_id(stream, part) for part in answer) if any(answer) else ("", "")
    wanted = tuple(answer_key(stream)["largest_wait"])
    wait = duration_text(stream.wait_of(stream.handoff(*wanted)).seconds, stream.hours_per_day)
    place = f"{stream.label(wanted[0])} → {stream.label(wanted[1])}"
    if not any(answer):
        return Markdown(f"{ASK} Read the waits on the arrows: which queue is longest, and what comes after it?")
    if (source, target) == wanted:
        return Markdown(f"**Right.** {markdown_text(place)} holds {wait}: the queue builds in front of the bottleneck.")
    return Markdown(f"**Not yet.** {markdown_text(' → '.join(map(str, answer)))} is not the longest wait; look again.")


def check_prediction(current: ValueStream, future: ValueStream, guess: float | None) -> Markdown:
    """The learner's predicted future lead time against the future map's.

    Parameters
    ----------
    current, future : ValueStream
        The map before and after the changes.
    guess : float or None
        The predicted lead time in the current map's unit; None when not answered.

    Returns
    -------
    IPython.display.Markdown
    """
    actual = future.lead_time().to(current.unit, current.hours_per_day)
    before = current.lead_time().to(current.unit, current.hours_per_day)
    if guess is None:
        return Markdown(f"{ASK} Write your prediction in the cell above before you look at the future state.")
    text = f"Lead time goes from {before:,.0f} to {actual:,.0f} {current.unit}."
    if not actual:
        # No share of zero exists: say how far off the guess is in the map's unit instead.
        closeness = "exactly right" if not guess else f"{guess:,.0f} {current.unit} off"
        return Markdown(f"You predicted {guess:,.0f} {current.unit}. {text} Your prediction is {closeness}.")
    off = (guess - actual) / actual
    return Markdown(f"You predicted {guess:,.0f} {current.unit}. {text} Your prediction is {off:+.0%} off.")


def future_state(workshop: Any, guess: float | None, reveal: bool) -> list[Any]:
    """The future state's numbers and ladder, once the learner has predicted them (or for the trainer).

    Exercise 5 asks for a prediction before the answer; with Run All the
    answer must not print right under the question.

    Parameters
    ----------
    workshop : Workshop
        The lesson's workshop (`vsm_widgets.readout.workshop.Workshop`), with its scenario.
    guess : float or None
        The learner's predicted lead time; None when not written down yet.
    reveal : bool
        The trainer's copy shows it regardless.

    Returns
    -------
    list
        The comparison table and the paired ladder, or nothing.
    """
    if guess is None and not reveal:
        return []
    # Altair loads ipywidgets; the lesson's checks run without either, so the chart is imported here.
    from vsm_widgets.charts.compare import paired_ladder_chart

    current = workshop.current
    return [
        html_table(comparison_table(workshop.comparison, current.hours_per_day)),
        paired_ladder_chart(current, workshop.future),
    ]


def solution(stream: ValueStream, reveal: bool) -> list[Any]:
    """The answer key as a table, for the trainer's copy; nothing when `reveal` is False.

    Parameters
    ----------
    stream : ValueStream
    reveal : bool

    Returns
    -------
    list
        A table of every step's and arrow's value class, wastes and why, then the bottleneck and rework notes.
    """
    if not reveal:
        return []
    key = answer_key(stream)
    entries = [
        *((stream.step(step_id).name, entry) for step_id, entry in key["steps"].items()),
        *((_name(stream, (entry["from"], entry["to"])), entry) for entry in key.get("handoffs") or ()),
    ]
    rows = [
        (
            name,
            VALUE_CLASSES[normalise_value(entry["value"])].label if entry.get("value") else "",
            ", ".join(WASTES[normalise_waste(w)].label for w in entry.get("wastes") or ()) or "none",
            entry.get("why", ""),
        )
        for name, entry in entries
    ]
    table = html_table(pd.DataFrame(rows, columns=["Step or arrow", "Value class", "Wastes", "Why"]))
    notes = [
        f"**{label}:** {markdown_text(stream.step(key[topic]).name)}. {markdown_text(key.get(f'{topic}_why', ''))}"
        for label, topic in (("Bottleneck", "bottleneck"), ("Rework", "rework"))
    ]
    return [table, Markdown("\n\n".join(notes))]


def verify_answer_key(stream: ValueStream) -> pd.DataFrame:
    """The trainer's check: the planted problems the key names are what the map's numbers show.

    Parameters
    ----------
    stream : ValueStream
        The teaching map.

    Returns
    -------
    DataFrame
        Columns ``Check``, ``Key``, ``Map`` and ``Agrees``, every row agreeing.

    Raises
    ------
    VsmInputError
        If any check disagrees: the map was edited and the lesson no longer teaches what its key says.
    """
    key = answer_key(stream)
    constraint = stream.constraint()
    takt = stream.takt_time()
    source, target, _ = stream.largest_wait()
    weakest = min(stream.steps, key=lambda s: s.pct_ca)
    checks = [
        ("The bottleneck has the longest effective cycle time", key["bottleneck"], constraint.id if constraint else ""),
        (
            "The bottleneck cannot keep up with takt",
            "slower than takt",
            "slower than takt"
            if takt is not None and constraint is not None and constraint.effective_cycle_time > takt
            else "keeps up",
        ),
        ("The largest wait", " -> ".join(key["largest_wait"]), f"{source} -> {target}"),
        ("The rework step has the lowest %C&A", key["rework"], weakest.id),
    ]
    table = pd.DataFrame(checks, columns=["Check", "Key", "Map"])
    table["Agrees"] = table["Key"] == table["Map"]
    if not table["Agrees"].all():
        wrong = "; ".join(f"{r.Check}: key {r.Key}, map {r.Map}" for r in table[~table["Agrees"]].itertuples())
        raise VsmInputError(f"the answer key does not match the map ({wrong})", "Fix the map or its answer_key")
    return table


def _explain(differences: Sequence[Difference], why: str) -> str:
    """The differences in one short sentence each, then the key's reason once."""
    parts = [f"The key says {d.expected}, not {d.given or 'nothing'}." for d in differences if d.topic == "value"]
    missed = [d.expected for d in differences if d.topic == "missed waste"]
    extra = [d.given for d in differences if d.topic == "extra waste"]
    if missed:
        parts.append(f"Missed: {', '.join(missed)}.")
    if extra:
        parts.append(f"The key does not list {', '.join(extra)}.")
    return " ".join([*parts, why]).strip()


def _step_id(stream: ValueStream, answer: str) -> str:
    text = str(answer).strip().lower()
    for step in stream.steps:
        if text in (step.id.lower(), step.name.lower()):
            return step.id
    return text


def _cycle_of(stream: ValueStream, step_id: str) -> str:
    step = stream.step(step_id)
    cycle = duration_text(step.effective_cycle_time.seconds, stream.hours_per_day)
    return f"{step.name} needs {cycle} per item (process time / staff)"


def _pct_ca_of(stream: ValueStream, step_id: str) -> str:
    step = stream.step(step_id)
    return f"{step.name} is complete and accurate {percent(step.pct_ca)} of the time"


def _verdict(stream: ValueStream, answer: str, wanted: str, why: str, hint: str, fact: Any) -> Markdown:
    if not str(answer).strip():
        return Markdown(f"{ASK} {markdown_text(hint)}")
    given = _step_id(stream, answer)
    if given == wanted:
        return Markdown(f"**Right.** {markdown_text(why)}")
    if given not in stream.step_ids:
        return Markdown(f"**Not yet.** There is no step {markdown_text(answer)}; use a name or id from the table.")
    return Markdown(f"**Not yet.** {markdown_text(fact(stream, given))}. {markdown_text(hint)}")
