"""`WasteTagger`: a teaching mode where learners classify each step and arrow of a map.

The learner gives each step and each arrow a value class and the wastes they
see in it; `WasteTagger.check` compares the answers with the map's answer key
(the ``answer_key`` of a teaching map such as ``data/samples/maps/teaching.yaml``)
and explains every difference with the descriptions of `vsm_widgets.model.waste`
and the key's own reasons. Where the key names the bottleneck, the learner is
asked for it too.

The answer key of a map file::

    answer_key:
      steps:
        pack: {value: va, wastes: [defects], why: Four parcels in ten are packed wrong.}
      handoffs:                      # optional, like the map's own handoffs
        - {from: pack, to: inspect, value: nva, wastes: [waiting, inventory], why: ...}
      bottleneck: inspect            # optional
      bottleneck_why: ...
"""

from __future__ import annotations

import html
import os
from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets

from vsm_widgets.charts.theme import ALERT, WORK
from vsm_widgets.exceptions import VsmInputError
from vsm_widgets.io.map_file import load_map
from vsm_widgets.model.answer_key import Difference, Element, grade_answer, read_answer_key, with_reason
from vsm_widgets.model.stream import ValueStream
from vsm_widgets.model.waste import VALUE_CLASSES, WASTES, normalise_waste
from vsm_widgets.widgets.waste_tags import WasteTags

_UNSET = ""
NOT_ANSWERED = "not answered"
_VALUE_OPTIONS = [("choose…", _UNSET), *((v.label, v.key) for v in VALUE_CLASSES.values())]


class _Answer(widgets.HBox):
    """The learner's value class and wastes for one step or arrow."""

    def __init__(self, element: Element, name: str, layouts: dict[str, widgets.Layout]) -> None:
        self.element = element
        self.name = name
        css = f"vsm-tag-{element}" if isinstance(element, str) else f"vsm-tag-{element[0]}-{element[1]}"
        self.value = widgets.Dropdown(options=_VALUE_OPTIONS, value=_UNSET, layout=layouts["value"])
        self.wastes = WasteTags(layout=layouts["wastes"])
        self.value.add_class(f"{css}-value")
        self.wastes.add_class(f"{css}-wastes")
        super().__init__([widgets.Label(name, layout=layouts["name"]), self.value, self.wastes])

    def answer(self) -> tuple[str | None, set[str]]:
        return self.value.value or None, {normalise_waste(label) for label in self.wastes.value}


class WasteTagger(widgets.VBox):
    """Learners tag each step and arrow with a value class and wastes; `check` explains the differences.

    Parameters
    ----------
    stream : ValueStream
        A teaching map. Its own value classes and wastes are not shown: the learner starts blank.
    answer_key : mapping, optional
        The key (see the module documentation); the map's ``answer_key`` when left out.
    ask_bottleneck : bool
        Ask for the bottleneck too, when the key names one. A lesson that asks for it in a later
        exercise leaves it out here, so Check does not give that answer away.

    Attributes
    ----------
    answers : dict
        The answer row of each step id and ``(source, target)``; ``answers[id].value`` and
        ``answers[id].wastes`` are the drop-down and the `WasteTags` a learner fills (Enter adds a typed waste).
    bottleneck : ipywidgets.Dropdown or None
        The bottleneck question, when the key names one.
    differences : list of Difference
        From the latest `check`.

    Raises
    ------
    VsmInputError
        If the map has no answer key or the key does not fit the map.

    Examples
    --------
    >>> tagger = WasteTagger.from_file("data/samples/maps/teaching.yaml")  # doctest: +SKIP
    >>> tagger.answers["pack"].value.value = "va"  # doctest: +SKIP
    >>> [d.topic for d in tagger.check() if d.element == "pack"]  # doctest: +SKIP
    ['missed waste']
    """

    def __init__(
        self, stream: ValueStream, answer_key: Mapping[str, Any] | None = None, ask_bottleneck: bool = True
    ) -> None:
        key = answer_key if answer_key is not None else stream.extra.get("answer_key")
        if not key:
            raise VsmInputError(
                f"the map '{stream.name}' has no answer_key", "Use a teaching map, or pass answer_key=..."
            )
        self.stream = stream
        self.expected, self._bottleneck_key, self._bottleneck_why = read_answer_key(stream, key)
        self.differences: list[Difference] = []
        layouts = {
            "name": widgets.Layout(width="20em"),
            "value": widgets.Layout(width="15em"),
            "wastes": widgets.Layout(width="24em"),
        }
        self.answers: dict[Element, _Answer] = {}
        for step in stream.steps:
            self.answers[step.id] = _Answer(step.id, step.name, layouts)
        for handoff in stream.handoffs:
            name = f"{stream.label(handoff.source)} → {stream.label(handoff.target)}"
            self.answers[handoff.key] = _Answer(handoff.key, name, layouts)
        self.bottleneck: widgets.Dropdown | None = None
        questions: list[widgets.Widget] = []
        if self._bottleneck_key is not None and ask_bottleneck:
            self.bottleneck = widgets.Dropdown(
                options=[("choose…", _UNSET), *((s.name, s.id) for s in stream.steps)],
                value=_UNSET,
                description="Bottleneck",
                layout=widgets.Layout(width="35em"),
            )
            questions.append(self.bottleneck)
        self.check_button = widgets.Button(description="Check", icon="check", button_style="primary")
        self.check_button.on_click(lambda _button: self.check())
        self.feedback = widgets.HTML()
        self.feedback.add_class("vsm-feedback")
        steps = [self.answers[s.id] for s in stream.steps]
        arrows = [self.answers[h.key] for h in stream.handoffs]
        super().__init__(
            [
                widgets.HTML(
                    f"<h3>{html.escape(stream.name)}</h3><p>Give every step and arrow a value class "
                    "and the wastes you see in it, then press Check.</p>"
                ),
                _legend(),
                widgets.HTML("<b>Steps</b>"),
                *steps,
                widgets.HTML("<b>Arrows</b>"),
                *arrows,
                *questions,
                self.check_button,
                self.feedback,
            ]
        )
        self.add_class("vsm-waste-tagger")

    @classmethod
    def from_file(cls, path: str | os.PathLike) -> WasteTagger:
        """Open a teaching map file and tag it.

        Parameters
        ----------
        path : str or Path
            A map file with an ``answer_key``.

        Returns
        -------
        WasteTagger
        """
        return cls(load_map(path))

    def check(self) -> list[Difference]:
        """Compare the learner's answers with the key, show the feedback, and return the differences.

        Steps and arrows the key says nothing about are not marked; those the learner has not
        answered yet are counted as such, without the key's answer.

        Returns
        -------
        list of Difference
            Empty when every answer matches the key.
        """
        found: list[Difference] = []
        for element, expected in self.expected.items():
            answer = self.answers[element]
            value, wastes = answer.answer()
            if value is None and not wastes:
                found.append(Difference(element, answer.name, NOT_ANSWERED, "", "", "Not answered yet."))
                continue
            found += grade_answer(answer.name, element, value, wastes, expected)
        if self.bottleneck is not None and not self.bottleneck.value:
            found.append(Difference("bottleneck", "Bottleneck", NOT_ANSWERED, "", "", "Not answered yet."))
        elif self.bottleneck is not None and self.bottleneck.value != self._bottleneck_key:
            given = self.stream.step(self.bottleneck.value).name
            wanted = self.stream.step(self._bottleneck_key).name
            explanation = f"The bottleneck is {wanted}."
            found.append(
                Difference(
                    "bottleneck",
                    "Bottleneck",
                    "bottleneck",
                    given,
                    wanted,
                    with_reason(explanation, self._bottleneck_why),
                )
            )
        self.differences = found
        self.feedback.value = _feedback_html(found, len(self.expected) + (self.bottleneck is not None))
        return found


def _legend() -> widgets.Widget:
    rows = "".join(
        f"<li><b>{w.label}</b>: {html.escape(w.description)} <i>e.g. {html.escape(w.examples[0])}</i></li>"
        for w in WASTES.values()
    )
    classes = "".join(f"<li><b>{v.label}</b>: {html.escape(v.description)}</li>" for v in VALUE_CLASSES.values())
    accordion = widgets.Accordion(children=[widgets.HTML(f"<ul>{classes}</ul><ul>{rows}</ul>")])
    accordion.set_title(0, "The value classes and the eight wastes")
    return accordion


def _feedback_html(differences: list[Difference], questions: int) -> str:
    if not differences:
        return f'<p style="color:{WORK}"><b>All {questions} answers match the key.</b></p>'
    wrong = len({d.element for d in differences})
    items = "".join(
        f"<li><b>{html.escape(d.name)}</b> ({html.escape(d.topic)}): {html.escape(d.explanation)}</li>"
        for d in differences
    )
    return (
        f'<p style="color:{ALERT}"><b>{questions - wrong} of {questions} answers match the key; '
        f"{len(differences)} difference{'s' if len(differences) != 1 else ''}:</b></p><ul>{items}</ul>"
    )
