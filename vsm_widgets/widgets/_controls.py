"""Field builders shared by the editors: durations with their unit, percentages, counts and table rows.

Every text field an editor offers reads what the user typed with the same
parsers the map file uses (`vsm_widgets.units`), so ``"2.5 h"`` means the
same in a field as in a YAML file. A field never raises: a parser's error
becomes the message shown beside the field, and the editor keeps the model's
last valid value.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import ipywidgets as widgets

from vsm_widgets.units import Duration, parse_duration, parse_percent
from vsm_widgets.widgets._messages import message_label, show_message
from vsm_widgets.widgets.waste_tags import WasteTags

# Short spellings `parse_duration` reads back, so a displayed value can be typed again as it is.
_SHORT_UNITS = {"seconds": "s", "minutes": "min", "hours": "h", "days": "days", "weeks": "weeks"}
_FINER_UNITS = ("hours", "minutes", "seconds")


def _plain(number: float, digits: int = 3) -> str:
    text = f"{number:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _exact(number: float, digits: int = 3) -> bool:
    return math.isclose(number, round(number, digits), rel_tol=1e-9, abs_tol=1e-9)


def format_duration(duration: Duration | None, unit: str, hours_per_day: float = 24.0) -> str:
    """Show a duration as a field holds it: a number and a unit that reads back exactly.

    The map's unit is used when three decimals hold the value; otherwise the
    first finer unit that does (an hour in a map kept in days shows as
    ``"1 h"``, not ``"0.042 days"``), so a value left untouched is never
    rounded by being shown.

    Parameters
    ----------
    duration : Duration or None
        The value; None gives an empty field.
    unit : str
        The map's unit.
    hours_per_day : float
        The map's day length.

    Returns
    -------
    str
        Such as ``"5 days"``, ``"2.5 h"`` or ``""``.

    Examples
    --------
    >>> format_duration(Duration.of(1, "hours"), "days")
    '1 h'
    >>> format_duration(Duration.of(2.5, "days"), "days")
    '2.5 days'
    """
    if duration is None:
        return ""
    candidates = (unit, *(u for u in _FINER_UNITS if u != unit))
    for candidate in candidates:
        value = duration.to(candidate, hours_per_day)
        if _exact(value):
            return f"{_plain(value)} {_SHORT_UNITS[candidate]}"
    return f"{_plain(duration.to('seconds'))} s"


def read_duration(text: str, unit: str, hours_per_day: float = 24.0, *, optional: bool = False) -> Duration | None:
    """Read a duration typed into a field: a bare number in `unit`, or a number with its own unit.

    Parameters
    ----------
    text : str
        What the user typed, such as ``"3"``, ``"2.5 h"`` or ``"10 min"``.
    unit : str
        The unit of a bare number (the map's unit).
    hours_per_day : float
        The map's day length, for days and weeks.
    optional : bool
        When True an empty field means "not given" and gives None.

    Returns
    -------
    Duration or None

    Raises
    ------
    ValueError
        If the text is not a duration (the message says what to type).

    Examples
    --------
    >>> read_duration("2.5 h", "days").to("hours")
    2.5
    >>> read_duration(" ", "days", optional=True) is None
    True
    """
    if not str(text).strip():
        if optional:
            return None
        raise ValueError(f"a duration is needed; type a number of {unit} or a number with a unit such as '2.5 h'")
    return parse_duration(str(text).strip(), unit, hours_per_day)


def format_percent(share: float) -> str:
    """Show a share as a percentage field holds it.

    Examples
    --------
    >>> format_percent(0.95)
    '95%'
    """
    return f"{_plain(100.0 * share, 2)}%"


def read_percent(text: str) -> float:
    """Read a percentage typed into a field: ``"95%"`` or ``"0.95"`` give 0.95.

    Raises
    ------
    ValueError
        If the text is not a share between 0 and 100 %.

    Examples
    --------
    >>> read_percent("80 %")
    0.8
    """
    return parse_percent(str(text).strip())


def format_number(value: float | None) -> str:
    """Show a count or a number of people as a field holds it; None gives an empty field.

    Examples
    --------
    >>> format_number(2.0), format_number(None)
    ('2', '')
    """
    return "" if value is None else _plain(float(value))


def read_number(text: str, *, optional: bool = False, positive: bool = False) -> float | None:
    """Read a plain number typed into a field (staff, batch size, inventory pieces).

    Parameters
    ----------
    text : str
        What the user typed.
    optional : bool
        When True an empty field gives None.
    positive : bool
        When True zero is refused as well as negative numbers.

    Returns
    -------
    float or None

    Raises
    ------
    ValueError
        If the text is not a finite number in range.

    Examples
    --------
    >>> read_number("1.5")
    1.5
    """
    stripped = str(text).strip()
    if not stripped:
        if optional:
            return None
        raise ValueError("a number is needed")
    try:
        number = float(stripped.replace(",", ""))
    except ValueError:
        raise ValueError(f"{stripped!r} is not a number") from None
    if not math.isfinite(number) or number < 0 or (positive and number == 0):
        raise ValueError(f"{stripped!r} must be a number {'above' if positive else 'of at least'} 0")
    return number


def read_text(text: str) -> str | None:
    """Read a free-text field: surrounding spaces dropped, an empty field gives None.

    Examples
    --------
    >>> read_text("  Head of Ops "), read_text("")
    ('Head of Ops', None)
    """
    stripped = str(text).strip()
    return stripped or None


class Field(widgets.VBox):
    """One input with room for its message beneath it.

    The message widget is made the first time a message is shown, so a table
    of forty rows does not carry hundreds of empty labels; a row that shows
    its fields' messages on a line of its own (`RowMessages`) sets
    `on_message` instead, so a message never widens its column. `model_text` holds
    the model's value last shown (None until the editor first shows one), so
    an editor can tell an invalid entry the user is still correcting from a
    change of the model.

    Parameters
    ----------
    field : ipywidgets.Widget
        The input (a Text, Dropdown or TagsInput).
    key : str
        The model attribute it edits, such as ``"process_time"``.
    css : str
        A class for the input's DOM element, so browser tests and styles can find it.
    """

    def __init__(self, field: widgets.Widget, key: str, css: str = "") -> None:
        super().__init__(children=(field,))
        self.input = field
        self.key = key
        self.model_text: object = None
        self.on_message: Callable[[Field], None] | None = None
        self._message: widgets.HTML | None = None
        self._message_text = ""
        self.add_class("vsm-field")
        self.add_class(f"vsm-field-{key}")
        if css:
            field.add_class(css)

    @property
    def message(self) -> str:
        """The message shown beside the field, as plain text; empty when none."""
        return self._message_text

    def show_message(self, text: str) -> None:
        """Show a message beside the field (empty text clears it)."""
        if text == self._message_text:
            return
        self._message_text = text
        if text:
            self.add_class("vsm-invalid")
        else:
            self.remove_class("vsm-invalid")
        if self.on_message is not None:
            self.on_message(self)
            return
        if self._message is None:
            self._message = message_label()
        show_message(self._message, text)
        self.children = (self.input, self._message) if text else (self.input,)

    def show_model(self, value: object) -> None:
        """Show the model's value unless it is the one already shown; clears the message when it changes.

        An entry the user is still correcting stays as typed while the model
        value behind it is unchanged.
        """
        if value == self.model_text:
            return
        self.model_text = value
        self.input.value = value
        self.show_message("")


def text_field(
    key: str,
    on_change: Callable[[str, object], None],
    *,
    layout: widgets.Layout,
    placeholder: str = "",
    tooltip: str = "",
    css: str = "",
) -> Field:
    """A text input that reports a committed entry (Enter or leaving the field) to `on_change`.

    Parameters
    ----------
    key : str
        The model attribute it edits; passed back to `on_change`.
    on_change : callable
        Called as ``on_change(key, text)`` for every new entry.
    layout : ipywidgets.Layout
        Shared by the fields of one column, so a wide table stays light.
    placeholder, tooltip : str
        Hints shown in the empty field and on hover.
    css : str
        A DOM class for the input.

    Returns
    -------
    Field
    """
    box = widgets.Text(placeholder=placeholder, tooltip=tooltip or None, continuous_update=False, layout=layout)
    field = Field(box, key, css)
    box.observe(lambda change: on_change(key, change["new"]), names="value")
    return field


def choice_field(
    options: list[tuple[str, str]],
    value: str,
    key: str,
    on_change: Callable[[str, object], None],
    *,
    layout: widgets.Layout,
    css: str = "",
) -> Field:
    """A drop-down of labelled choices that reports a new choice to `on_change`.

    Returns
    -------
    Field
    """
    box = widgets.Dropdown(options=options, value=value, layout=layout)
    field = Field(box, key, css)
    box.observe(lambda change: on_change(key, change["new"]), names="value")
    return field


def tags_field(
    value: list[str],
    key: str,
    on_change: Callable[[str, object], None],
    *,
    layout: widgets.Layout,
    css: str = "",
) -> Field:
    """The wastes as tags (`WasteTags`: Enter adds the typed one) reporting the new list to `on_change`.

    A typed text that names no waste is the field's message.

    Returns
    -------
    Field
    """
    box = WasteTags(value, layout=layout)
    field = Field(box, key, css)
    box.observe(lambda change: on_change(key, list(change["new"])), names="value")
    box.observe(lambda change: field.show_message(change["new"]), names="problem")
    return field


def icon_button(icon: str, tooltip: str, on_click: Callable[[], None], *, layout: widgets.Layout) -> widgets.Button:
    """A small button with a Font Awesome icon and a tooltip saying what it does.

    Returns
    -------
    ipywidgets.Button
    """
    button = widgets.Button(icon=icon, tooltip=tooltip, layout=layout)
    button.add_class(f"vsm-{icon}")
    button.on_click(lambda _button: on_click())
    return button
