"""`DemandEditor`: the customer's demand and the working time per day of a map, which give its takt time.

Takt time is the available working time per day divided by the customer's
daily demand (DOMAIN section 2); without a demand the explorer's takt card
says "n/a" and an arrow's inventory cannot be turned into days. These two
fields set them on the map, with the same parsers as the map file.
"""

from __future__ import annotations

import ipywidgets as widgets
import traitlets

from vsm_widgets.exceptions import VsmError
from vsm_widgets.model.stream import ValueStream
from vsm_widgets.widgets._controls import Field, format_duration, format_number, read_duration, read_number, text_field
from vsm_widgets.widgets._rows import RowMessages

_CAPTIONS = {"demand_per_day": "Customer demand per day", "available_time_per_day": "Available time per day"}


class DemandEditor(widgets.VBox):
    """Edit the customer demand per day and the available working time per day of a map.

    Parameters
    ----------
    stream : ValueStream
        The map to edit.

    Attributes
    ----------
    stream : ValueStream
        The current map (a traitlet); every valid entry replaces it, an invalid one leaves it.
    fields : dict of str to Field
        ``"demand_per_day"`` (items a day; empty for none) and ``"available_time_per_day"``
        (a duration; empty for one day of the map's day length).
    takt : ipywidgets.HTML
        The takt time these give, or what is missing for one.

    Examples
    --------
    >>> from vsm_widgets.model.stream import Step
    >>> editor = DemandEditor(ValueStream("Demo", [Step("a")], unit="hours", hours_per_day=8))
    >>> editor.fields["demand_per_day"].input.value = "16"
    >>> editor.stream.takt_time().to("hours")
    0.5
    """

    stream = traitlets.Instance(ValueStream)

    def __init__(self, stream: ValueStream, **kwargs: object) -> None:
        self._syncing = False
        layout = widgets.Layout(width="9em", flex="0 0 auto")
        self.fields: dict[str, Field] = {
            "demand_per_day": text_field(
                "demand_per_day",
                self._on_entry,
                layout=layout,
                placeholder="items a day",
                tooltip="how many items the customer asks for per day; empty when not known",
                css="vsm-demand",
            ),
            "available_time_per_day": text_field(
                "available_time_per_day",
                self._on_entry,
                layout=layout,
                tooltip="working time per day, such as '7.5 h' or '27000 s'; empty for one working day",
                css="vsm-available-time",
            ),
        }
        self.takt = widgets.HTML()
        self.takt.add_class("vsm-takt")
        boxes = [
            widgets.VBox(
                [widgets.HTML(f"<small>{_CAPTIONS[key]}</small>"), field], layout=widgets.Layout(margin="0 1em 0 0")
            )
            for key, field in self.fields.items()
        ]
        self.messages = RowMessages(self.fields, _CAPTIONS)
        super().__init__(children=(widgets.HBox([*boxes, self.takt]), self.messages), **kwargs)
        self.add_class("vsm-demand-editor")
        self.stream = stream

    @traitlets.observe("stream")
    def _show_stream(self, change: dict) -> None:
        stream: ValueStream = change["new"]
        unit, day = stream.unit, stream.hours_per_day
        self._syncing = True
        try:
            self.fields["demand_per_day"].show_model(format_number(stream.demand_per_day))
            self.fields["available_time_per_day"].show_model(format_duration(stream.available_time_per_day, unit, day))
            self.fields["available_time_per_day"].input.placeholder = f"{format_number(day)} h (one day)"
        finally:
            self._syncing = False
        takt = stream.takt_time()
        self.takt.value = (
            f"<b>Takt time</b> {format_duration(takt, unit, day)}"
            if takt is not None
            else "<b>Takt time</b> needs the customer's demand per day"
        )

    def reset(self, stream: ValueStream) -> None:
        """Show `stream` as a map of its own: the fields show its values and no message remains."""
        for field in self.fields.values():
            field.model_text = None
        unchanged = stream == self.stream
        self.stream = stream
        if unchanged:  # traitlets tells no observer of an equal value
            self._show_stream({"new": stream})

    def _on_entry(self, key: str, raw: object) -> None:
        if self._syncing:
            return
        stream = self.stream
        field = self.fields[key]
        try:
            if key == "demand_per_day":
                value = read_number(str(raw), optional=True, positive=True)
            else:
                value = read_duration(str(raw), stream.unit, stream.hours_per_day, optional=True)
            edited = stream.replace(**{key: value})
        except (ValueError, VsmError) as error:
            field.show_message(str(error))
            return
        field.show_message("")
        self.stream = edited
