"""`WasteTags`: the wastes of a step or arrow as removable tags, with a field that takes the next one on Enter.

ipywidgets' own tag input adds a typed tag only on Tab or a click, and once a
few tags fill it the place to type shrinks to a sliver that has to be hit
with the mouse. Here the typing field is always a full field of its own: a
coach types "waiting" (or "wait", "Extra processing", any spelling
`vsm_widgets.model.waste.normalise_waste` accepts) and presses Enter, and the
tag appears; each tag's button removes it.
"""

from __future__ import annotations

import ipywidgets as widgets
import traitlets

from vsm_widgets.model.waste import WASTES, normalise_waste

EMPTY_HINT = "type a waste, such as waiting, then Enter"
MORE_HINT = "add another waste: type it, then Enter"


class WasteTags(widgets.VBox):
    """Wastes as tags, and a field that adds the waste typed into it on Enter.

    Parameters
    ----------
    value : list of str
        The labels of the wastes shown (``WASTES[key].label``, such as ``"Waiting"``).
    layout : ipywidgets.Layout, optional
        The layout of the whole box (so a column of rows can share one).

    Attributes
    ----------
    value : list of str
        The labels of the wastes, in the order added (a traitlet: observe it).
    entry : ipywidgets.Combobox
        Where the next waste is typed; it offers the wastes not yet tagged.
    problem : str
        Why the latest typed text was not added (a traitlet); empty when it was.

    Examples
    --------
    >>> tags = WasteTags(["Defects"])
    >>> tags.entry.value = "wait"
    >>> tags.value
    ['Defects', 'Waiting']
    """

    value = traitlets.List(traitlets.Unicode())
    problem = traitlets.Unicode("")

    def __init__(self, value: list[str] | tuple[str, ...] = (), layout: widgets.Layout | None = None) -> None:
        self._chips = widgets.Box(layout=widgets.Layout(flex_flow="row wrap"))
        self.entry = widgets.Combobox(
            placeholder=EMPTY_HINT,
            ensure_option=False,
            continuous_update=False,
            layout=widgets.Layout(width="100%"),
        )
        self.entry.add_class("vsm-waste-entry")
        self.entry.observe(self._typed, names="value")
        super().__init__(children=(self._chips, self.entry), layout=layout or widgets.Layout())
        self.add_class("vsm-waste-tags")
        self.value = list(value)
        self._show(list(value))

    def _typed(self, change: dict) -> None:
        text = str(change["new"]).strip()
        if not text:
            return
        try:
            label = WASTES[normalise_waste(text)].label
        except ValueError as error:
            self.problem = str(error)
            return
        self.problem = ""
        # Cleared before the chip is drawn: the front end applies updates in order, so once a
        # chip shows, text typed after it can no longer be wiped by a late clear.
        self.entry.value = ""
        if label not in self.value:
            self.value = [*self.value, label]

    def _remove(self, label: str) -> None:
        self.value = [tag for tag in self.value if tag != label]

    @traitlets.observe("value")
    def _value_changed(self, change: dict) -> None:
        self._show(list(change["new"]))

    def _show(self, labels: list[str]) -> None:
        chips = []
        for label in labels:
            chip = widgets.Button(
                description=label,
                icon="times",
                tooltip=f"remove {label}",
                layout=widgets.Layout(width="auto", margin="0 4px 2px 0"),
            )
            chip.add_class("vsm-waste-tag")
            chip.on_click(lambda _chip, label=label: self._remove(label))
            chips.append(chip)
        for old in self._chips.children:
            old.close()
        self._chips.children = chips
        self.entry.options = [w.label for w in WASTES.values() if w.label not in labels]
        self.entry.placeholder = MORE_HINT if labels else EMPTY_HINT
