"""The look shared by every chart: palette, font sizes, subtitles and size limits.

Meaning is carried by explicit colour scales in the encodings (work is always
blue, waiting always orange, an alarm always vermillion), so a chart keeps its
meaning under any Altair theme. The registered ``"vsm"`` theme only sets the
look: projector-readable fonts and a plain background.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import TYPE_CHECKING

import altair as alt

from vsm_widgets.charts.text_fit import text_width, wrap
from vsm_widgets.units import unit_seconds
from vsm_widgets.wording import texts_in_one_unit, value_text  # charts word numbers as readouts do

if TYPE_CHECKING:
    from vsm_widgets.model.event_log import EventLog
    from vsm_widgets.model.stream import ValueStream

# Okabe & Ito (2008): colours told apart under the common colour-vision deficiencies.
BLUE, ORANGE, BLUISH_GREEN, REDDISH_PURPLE = "#0072B2", "#E69F00", "#009E73", "#CC79A7"
SKY_BLUE, VERMILLION, YELLOW, BLACK = "#56B4E9", "#D55E00", "#F0E442", "#000000"
WORK = BLUE
WAITING = ORANGE
ALERT = VERMILLION
NEUTRAL = "#7F7F7F"
INK = "#1A1A1A"
# Categories (work types, states) never borrow the blue of work or the orange of waiting; past the
# Okabe-Ito colours come two of Paul Tol's, which keep the same colour-blind safety.
CATEGORY_RANGE = [BLUISH_GREEN, REDDISH_PURPLE, SKY_BLUE, BLACK, YELLOW, NEUTRAL, "#882255", "#44AA99"]

# Percentile lines of finished work, drawn darker and more solid as they get more demanding.
PERCENTILE_STYLE = {50: ("#555555", [6, 3]), 85: ("#222222", [2, 2]), 95: (INK, [])}

FONT = "Helvetica, Arial, sans-serif"
FONT_SIZES = {"label": 14, "axis_title": 15, "text": 14, "heading": 16, "subtitle": 14, "title": 20}

# No chart specification carries more than this many data rows, whatever the size of the export.
MAX_DATA_ROWS = 5000
THEME_NAME = "vsm"

WORK_KINDS = ("work", "waiting")


def kind_colour() -> alt.Scale:
    """The colour scale of the ``kind`` field shared by every chart: work blue, waiting orange.

    Returns
    -------
    altair.Scale
        A scale with domain ``("work", "waiting")``.

    Examples
    --------
    >>> kind_colour().to_dict()["range"]
    ['#0072B2', '#E69F00']
    """
    return alt.Scale(domain=list(WORK_KINDS), range=[WORK, WAITING])


def category_colour() -> alt.Scale:
    """The colour scale of work types and other categories (Okabe-Ito order).

    Examples
    --------
    >>> category_colour().to_dict()["range"][0]
    '#009E73'
    """
    return alt.Scale(range=CATEGORY_RANGE)


def theme_config() -> alt.theme.ThemeConfig:
    """The ``"vsm"`` theme: fonts large enough for a projector, a white background.

    Examples
    --------
    >>> theme_config()["config"]["title"]["fontSize"]
    20
    """
    sizes = FONT_SIZES
    axis = {
        "labelFontSize": sizes["label"],
        "titleFontSize": sizes["axis_title"],
        "labelFont": FONT,
        "titleFont": FONT,
        "labelLimit": 240,
        "labelSeparation": 6,
    }
    return {
        "background": "white",
        "config": {
            "font": FONT,
            "axis": axis,
            "legend": {
                "labelFontSize": sizes["label"],
                "titleFontSize": sizes["axis_title"],
                "labelLimit": 240,
                "orient": "bottom",
            },
            "header": {"labelFontSize": sizes["label"], "titleFontSize": sizes["axis_title"]},
            "text": {"fontSize": sizes["text"], "font": FONT},
            "title": {
                "fontSize": sizes["title"],
                "subtitleFontSize": sizes["subtitle"],
                "subtitleColor": "#444444",
                "anchor": "start",
                "font": FONT,
                "subtitleFont": FONT,
                "limit": 0,
            },
            "view": {"stroke": None},
            "range": {"category": CATEGORY_RANGE},
        },
    }


alt.theme.register(THEME_NAME, enable=False)(theme_config)


def use_theme() -> None:
    """Enable the ``"vsm"`` theme unless the user already chose another one.

    Called when `vsm_widgets.charts` is imported, so the charts look right in a
    notebook out of the box while a theme the user enabled on purpose stays.

    Examples
    --------
    >>> use_theme()
    >>> alt.theme.active
    'vsm'
    """
    if alt.theme.active == "default":
        alt.theme.enable(THEME_NAME)


def log_conventions(log: EventLog, unit: str = "days") -> dict[str, str]:
    """The conventions of an event log, with the unit its charts show durations in.

    Parameters
    ----------
    log : EventLog
        The log the charted tables were computed from.
    unit : str
        The unit the charts show durations in; flow tables are in hours and
        are converted with the day length of the log's calendar.

    Returns
    -------
    dict
        ``log.conventions()`` plus ``unit`` and ``hours per day``; the
        calendar is shortened to ``"calendar time"`` when every hour counts,
        because the day length already says so.

    Examples
    --------
    >>> import pandas as pd
    >>> from vsm_widgets.model.event_log import EventLog
    >>> log = EventLog.from_visits(pd.DataFrame({"item": ["A"], "step": ["Dev"],
    ...     "start": ["2026-01-05 09:00"], "end": ["2026-01-05 17:00"]}))
    >>> subtitle(log_conventions(log))
    'unit: days · day: 24 h · calendar time · clock starts at first active step'
    """
    conventions = dict(log.conventions())
    calendar = log.calendar
    conventions["unit"] = unit
    conventions["hours per day"] = f"{calendar.hours_per_day:g}"
    if not calendar.working:
        conventions["calendar"] = "calendar time"
    return conventions


def map_conventions(stream: ValueStream) -> dict[str, str]:
    """The conventions of a value stream map: its unit and day length.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> subtitle(map_conventions(SimpleNamespace(unit="days", hours_per_day=8)))
    'unit: days · day: 8 h'
    """
    return {"unit": str(stream.unit), "hours per day": f"{float(stream.hours_per_day):g}"}


def subtitle(conventions: Mapping[str, str]) -> str:
    """One line saying how the charted numbers were computed.

    Parameters
    ----------
    conventions : mapping
        From `log_conventions` or `map_conventions`; reads ``unit``,
        ``hours per day``, ``calendar`` and ``clock starts at`` where present.

    Returns
    -------
    str
        Such as ``"unit: days · day: 24 h · calendar time · clock starts at first active step"``.

    Examples
    --------
    >>> subtitle({"unit": "hours", "hours per day": "8", "calendar": "working time (Mon-Fri 09:00-17:00 UTC)"})
    'unit: hours · day: 8 h · working time (Mon-Fri 09:00-17:00 UTC)'
    """
    parts = []
    if conventions.get("unit"):
        parts.append(f"unit: {conventions['unit']}")
    if conventions.get("hours per day"):
        parts.append(f"day: {conventions['hours per day']} h")
    if conventions.get("calendar"):
        parts.append(str(conventions["calendar"]))
    if conventions.get("clock starts at"):
        parts.append(f"clock starts at {conventions['clock starts at']}")
    return " · ".join(parts)


def title(finding: str, conventions: Mapping[str, str], *extra: str, width: float | None = None) -> alt.Title:
    """A chart title: the finding on top, then the conventions line and any extra lines.

    Parameters
    ----------
    finding : str
        The one sentence the chart shows.
    conventions : mapping
        The conventions line (`subtitle`).
    *extra : str
        Further lines under it; empty ones are left out.
    width : float, optional
        Wrap the finding between words onto up to three lines when it is wider than this many
        pixels: a chart shown at its natural width in a frame (the map) would otherwise cut it.

    Returns
    -------
    altair.Title

    Examples
    --------
    >>> title("Lead time 44 days", {"unit": "days"}).to_dict()["subtitle"]
    ['unit: days']
    >>> title("93 % of lead time is waiting; the largest wait is between A and B", {}, width=400).to_dict()["text"]
    ['93 % of lead time is waiting; the', 'largest wait is between A and B']
    """
    lines = [line for line in (subtitle(conventions), *extra) if line]
    size = FONT_SIZES["title"]
    if width is not None and text_width(finding, size, bold=True) > width:
        return alt.Title(text=wrap(finding, width, size, bold=True), subtitle=lines)
    return alt.Title(text=finding, subtitle=lines)


def hours_to_unit(conventions: Mapping[str, str]) -> float:
    """The factor turning hours of a flow table into the display unit of `conventions`.

    Examples
    --------
    >>> hours_to_unit({"unit": "days", "hours per day": "8"})
    0.125
    """
    hours_per_day = float(conventions.get("hours per day") or 24)
    return 3600.0 / unit_seconds(conventions.get("unit") or "hours", hours_per_day)


def readable(stream: ValueStream) -> Callable[[float], str]:
    """Durations of a map, given in its unit, worded as the readout's text words them (`value_text`).

    Every duration a chart prints goes through it, titles and box labels alike, so a chart and the
    page around it state a number the same way: 648 hours read as 27 days in both, and a wait on an
    arrow reads as the title that names it.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> readable(SimpleNamespace(unit="hours", hours_per_day=24))(648)
    '27 days'
    """
    return partial(value_text, unit=stream.unit, hours_per_day=float(stream.hours_per_day))


def readable_together(stream: ValueStream) -> Callable[[list[float]], list[str]]:
    """Durations of a map read side by side, such as the parts of its lead time, worded in one unit.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> readable_together(SimpleNamespace(unit="hours", hours_per_day=24))([384, 43, 427])
    ['16 days', '1.8 days', '17.8 days']
    """
    return partial(texts_in_one_unit, unit=stream.unit, hours_per_day=float(stream.hours_per_day))
