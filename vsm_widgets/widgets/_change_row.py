"""One row of the scenario panel: a change's kind, target, amount and waste; under them owner, due date and why.

The row only shows a change and gathers what the coach typed into the keys
and values a scenario file would hold (`ChangeRow.entry`); the panel builds
the change from them with the scenario file's own reader, so a row accepts
exactly what a file would. Targets are chosen from the map's steps and
arrows, named as people call them; a target the map no longer has stays
chosen, by the name it had, until the coach picks another.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as widgets
import yaml

from vsm_widgets.future.carry_out import resolve
from vsm_widgets.future.change import Change
from vsm_widgets.future.scenario import CHANGE_KINDS
from vsm_widgets.model.stream import ValueStream
from vsm_widgets.model.waste import WASTE_KEYS, WASTES
from vsm_widgets.widgets._controls import format_percent, icon_button
from vsm_widgets.widgets._messages import message_label, show_message
from vsm_widgets.widgets._rows import column_layouts

STEP_KINDS = ("remove_step", "set_process_time", "set_pct_ca", "set_batch_size")
ARROW_KINDS = ("cut_wait", "set_wait")
CHAIN_KINDS = ("merge_steps", "parallel")
# The first line holds what a coach reads aloud; owner, due date and why go on the line under it.
COLUMNS = {
    "number": "2em",
    "kind": "10.5em",
    "target": "27em",
    "amount": "7em",
    "waste": "11em",
}
HEADINGS = {
    "number": "",
    "kind": "Change",
    "target": "Step or arrow",
    "amount": "To / by",
    "waste": "Waste removed",
}
# What the amount field holds, per kind, as a hint in the empty field.
_AMOUNT_HINTS = {
    "remove_step": "",
    "merge_steps": "new name",
    "parallel": "",
    "cut_wait": "50% or 1 d",
    "set_wait": "2 d",
    "set_process_time": "4 h",
    "set_pct_ca": "95%",
    "set_batch_size": "1",
    "cap_wip": "8 items",
}
_LAYOUTS = column_layouts(COLUMNS)
_BUTTON = {"width": "2.8em", "padding": "0", "flex": "0 0 auto"}


def kind_label(kind: str) -> str:
    """A change kind as people say it: ``"cut_wait"`` is ``"cut wait"``, ``"set_pct_ca"`` is ``"set %C&A"``.

    Examples
    --------
    >>> kind_label("cut_wait"), kind_label("set_pct_ca"), kind_label("cap_wip")
    ('cut wait', 'set %C&A', 'cap WIP')
    """
    return kind.replace("pct_ca", "%C&A").replace("wip", "WIP").replace("_", " ")


def _yaml_value(text: str) -> Any:
    """A typed amount as the scenario file would hold it: ``8`` a number, ``"2 d"`` text."""
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError:
        return text
    return value if isinstance(value, (int, float, str)) and not isinstance(value, bool) else text


def _text(widget: widgets.Widget) -> str | None:
    return str(widget.value).strip() or None


class ChangeRow(widgets.VBox):
    """A change of the scenario as a row of fields, its owner, due date and why on a line under it, then its message.

    Parameters
    ----------
    change : Change or None
        The change shown; None for a new change of `kind`.
    kind : str
        The kind of a new change.
    line : int, optional
        The change's line in the scenario file it came from (None for a new change).
    on_edit : callable
        Called with the row whenever one of its fields takes an entry.
    on_move : callable
        Called with the row and -1 (up) or +1 (down).
    on_remove : callable
        Called with the row.

    Attributes
    ----------
    change : Change or None
        The last valid change of the row; None while a new change is not yet valid.
    fields : dict of str to ipywidgets.Widget
        ``kind``, ``step``, ``handoff``, ``steps``, ``amount``, ``waste``, ``owner``, ``due``, ``why``.
    message : str
        The reader's message for the row, as plain text; empty while the row is valid.
    """

    def __init__(
        self,
        change: Change | None,
        kind: str,
        line: int | None,
        on_edit: Callable[[ChangeRow], None],
        on_move: Callable[[ChangeRow, int], None],
        on_remove: Callable[[ChangeRow], None],
    ) -> None:
        self.change = change
        self.line = line
        self.message = ""
        self._syncing = False
        self._ids_by_name: dict[str, str] = {}
        self._on_edit = on_edit
        self.number = widgets.HTML(layout=_LAYOUTS["number"])
        self.fields: dict[str, widgets.Widget] = {
            "kind": widgets.Dropdown(options=[(kind_label(k), k) for k in CHANGE_KINDS], layout=_LAYOUTS["kind"]),
            "step": widgets.Dropdown(layout=_LAYOUTS["target"]),
            "handoff": widgets.Dropdown(layout=_LAYOUTS["target"]),
            "steps": widgets.TagsInput(allow_duplicates=False, placeholder="steps", layout=_LAYOUTS["target"]),
            "amount": widgets.Text(continuous_update=False, layout=_LAYOUTS["amount"]),
            "waste": widgets.Dropdown(
                options=[("choose a waste", None), *((WASTES[key].label, key) for key in WASTE_KEYS)],
                layout=_LAYOUTS["waste"],
            ),
            "owner": widgets.Text(
                continuous_update=False, placeholder="who makes it happen", layout=widgets.Layout(width="13em")
            ),
            "due": widgets.Text(
                continuous_update=False, placeholder="2027-03-31", layout=widgets.Layout(width="7.5em")
            ),
            "why": widgets.Text(
                continuous_update=False,
                placeholder="why: the change in the workshop's words",
                layout=widgets.Layout(width="auto", flex="1 1 auto"),
            ),
        }
        self._whole_stream = widgets.HTML("<i>the whole stream</i>", layout=_LAYOUTS["target"])
        for key, field in self.fields.items():
            field.add_class(f"vsm-change-{key}")
            field.observe(self._entered, names="value")
        buttons = [
            icon_button("arrow-up", "move the change up", lambda: on_move(self, -1), layout=widgets.Layout(**_BUTTON)),
            icon_button(
                "arrow-down", "move the change down", lambda: on_move(self, 1), layout=widgets.Layout(**_BUTTON)
            ),
            icon_button("trash", "remove the change", lambda: on_remove(self), layout=widgets.Layout(**_BUTTON)),
        ]
        self._target = widgets.Box(layout=widgets.Layout(flex="0 0 auto"))
        fields = [self.fields[key] for key in ("kind", "amount", "waste")]
        self._main = widgets.HBox([self.number, fields[0], self._target, *fields[1:], *buttons])
        self._main.add_class("vsm-change-main")
        indent = widgets.HTML("", layout=_LAYOUTS["number"])
        caption = {"flex": "0 0 auto", "margin": "0 4px 0 8px"}
        plan = []
        for key, text in (("owner", "Owner"), ("due", "Due"), ("why", "Why")):
            plan += [widgets.HTML(f"<small>{text}</small>", layout=widgets.Layout(**caption)), self.fields[key]]
        plan[0].layout.margin = "0 4px 0 0"
        self._why = widgets.HBox([indent, *plan], layout=widgets.Layout(width="100%"))
        self._why.add_class("vsm-change-plan")
        self._message = message_label()
        self._message.add_class("vsm-change-message")
        super().__init__(children=(self._main, self._why, self._message))
        self.add_class("vsm-change")
        self._syncing = True
        try:
            self.fields["kind"].value = change.kind if change is not None else kind
        finally:
            self._syncing = False

    @property
    def kind(self) -> str:
        """The kind chosen."""
        return self.fields["kind"].value

    def show_number(self, number: int) -> None:
        """Show the change's place in the scenario, from 1."""
        self.number.value = f"<b>{number}</b>"

    def show_message(self, text: str) -> None:
        """Show the reader's message under the row; empty clears it."""
        self.message = text
        show_message(self._message, text)
        if text:
            self.add_class("vsm-invalid")
        else:
            self.remove_class("vsm-invalid")

    def show_targets(self, stream: ValueStream, names: dict[str, str]) -> None:
        """Offer the map's steps and arrows as targets, keeping a target the map no longer has by its name.

        Parameters
        ----------
        stream : ValueStream
            The current state.
        names : dict of str to str
            Names of steps the map once had, by id, for a target deleted since.
        """
        self._syncing = True
        try:
            steps = [(step.name, step.id) for step in stream.steps]
            arrows = [(f"{stream.label(h.source)} → {stream.label(h.target)}", h.key) for h in stream.handoffs]
            step, handoff = self.fields["step"], self.fields["handoff"]
            chosen_step, chosen_arrow = step.value, handoff.value
            if self.change is not None and step.value is None and self.change.step:
                chosen_step = resolve(self.change.step, ((s.id, s.name) for s in stream.steps)) or self.change.step
            if self.change is not None and handoff.value is None and self.change.handoff:
                chosen_arrow = self._arrow_key(stream, self.change.handoff)
            if chosen_step is not None and chosen_step not in {value for _label, value in steps}:
                steps.append((f"{names.get(chosen_step, chosen_step)} (not on the map)", chosen_step))
            if chosen_arrow is not None and chosen_arrow not in [key for _label, key in arrows]:
                ends = " → ".join(names.get(node, node) for node in chosen_arrow)
                arrows.append((f"{ends} (not on the map)", chosen_arrow))
            step.options = [("choose a step", None), *steps]
            handoff.options = [("choose an arrow", None), *arrows]
            step.value, handoff.value = chosen_step, chosen_arrow
            self._ids_by_name = {step.name: step.id for step in stream.steps}
            tags = self.fields["steps"]
            chosen = list(tags.value)
            if self.change is not None and not chosen and self.change.steps:
                ids = {s.id: s.name for s in stream.steps}
                chosen = [ids.get(ref, names.get(ref, ref)) for ref in self.change.steps]
            tags.allowed_tags = sorted({*self._ids_by_name, *chosen})
            tags.value = chosen
        finally:
            self._syncing = False
        self._show_kind()

    @staticmethod
    def _arrow_key(stream: ValueStream, pair: tuple[str, str]) -> tuple[str, str]:
        ends = [("supplier", stream.supplier), ("customer", stream.customer), *((s.id, s.name) for s in stream.steps)]
        found = tuple(resolve(node, ends) for node in pair)
        return found if None not in found else pair

    def show_change(self, change: Change) -> None:
        """Fill the fields with `change` (a change loaded or mended); the kind's target fields show it."""
        self._syncing = True
        try:
            self.change = change
            self.fields["kind"].value = change.kind
            self.fields["amount"].value = self._amount_text(change)
            self.fields["waste"].value = change.waste
            self.fields["owner"].value = change.owner or ""
            self.fields["due"].value = change.due.isoformat() if change.due else ""
            self.fields["why"].value = change.why
            self.fields["step"].value = None
            self.fields["handoff"].value = None
            self.fields["steps"].value = []
        finally:
            self._syncing = False

    @staticmethod
    def _amount_text(change: Change) -> str:
        if change.kind == "cut_wait" and change.by is not None:
            return format_percent(change.by)
        if change.kind == "set_pct_ca":
            return format_percent(float(change.to))
        if change.kind == "set_batch_size":
            return f"{float(change.to):g}"
        if change.kind == "cap_wip":
            return str(change.limit)
        if change.kind == "merge_steps":
            return change.name or ""
        return str(change.to) if change.to is not None else ""

    def _show_kind(self) -> None:
        kind = self.kind
        if kind in STEP_KINDS:
            target = self.fields["step"]
        elif kind in ARROW_KINDS:
            target = self.fields["handoff"]
        elif kind in CHAIN_KINDS:
            target = self.fields["steps"]
        else:
            target = self._whole_stream
        if self._target.children != (target,):
            self._target.children = (target,)
        amount = self.fields["amount"]
        amount.placeholder = _AMOUNT_HINTS[kind]
        amount.disabled = not _AMOUNT_HINTS[kind]

    def _entered(self, change: dict) -> None:
        if change["owner"] is self.fields["kind"]:
            self._show_kind()
        if not self._syncing:
            self._on_edit(self)

    def entry(self) -> dict[str, Any]:
        """The change as the coach gave it, as the keys and values of a scenario file's entry.

        Returns
        -------
        dict
            Such as ``{"kind": "cut_wait", "handoff": ["build", "release"], "by": "50%", "waste": "waiting"}``;
            a field left empty is left out, so the reader says what is missing.
        """
        kind = self.kind
        entry: dict[str, Any] = {"kind": kind}
        if kind in STEP_KINDS and self.fields["step"].value is not None:
            entry["step"] = self.fields["step"].value
        elif kind in ARROW_KINDS and self.fields["handoff"].value is not None:
            entry["handoff"] = list(self.fields["handoff"].value)
        elif kind in CHAIN_KINDS and self.fields["steps"].value:
            entry["steps"] = [self._ids_by_name.get(name, name) for name in self.fields["steps"].value]
        amount = _text(self.fields["amount"])
        if amount is not None and _AMOUNT_HINTS[kind]:
            if kind == "merge_steps":
                entry["name"] = amount
            elif kind == "cap_wip":
                entry["limit"] = _yaml_value(amount)
            elif kind == "cut_wait" and amount.endswith("%"):
                entry["by"] = amount
            else:
                entry["to"] = _yaml_value(amount)
        for key in ("waste", "owner", "due", "why"):
            value = self.fields[key].value if key == "waste" else _text(self.fields[key])
            if value is not None:
                entry[key] = value
        return entry
