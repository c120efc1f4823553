"""`MeasuredComparison`: the workshop's estimates beside what a timing export measured.

The measured map comes from the log once (`ValueStream.from_events`); each
edit of the estimated map redraws the comparison: the headline numbers of both
maps, then every step and arrow found on both with the estimate, the measured
value and a sentence saying whether they agree (`vsm_widgets.metrics.estimates.estimate_gaps`).
All numbers are in the estimated map's unit and day length.
"""

from __future__ import annotations

import html

import ipywidgets as widgets

from vsm_widgets.metrics.estimates import estimate_gaps
from vsm_widgets.model.event_log import EventLog
from vsm_widgets.model.stream import ValueStream
from vsm_widgets.wording import number, percent

_TABLE = 'style="border-collapse:collapse;margin:4px 0 10px 0"'
_CELL = 'style="padding:2px 12px;text-align:{align};border-bottom:1px solid #ddd"'


def _cell(text: str, align: str = "left", tag: str = "td") -> str:
    return f"<{tag} {_CELL.format(align=align)}>{html.escape(text)}</{tag}>"


def headline_rows(estimated: ValueStream, measured: ValueStream) -> list[tuple[str, str, str]]:
    """The headline numbers of both maps as ``(what, estimated, measured)`` texts, in the estimated map's unit.

    Parameters
    ----------
    estimated : ValueStream
        The workshop's map.
    measured : ValueStream
        The map measured from a log.

    Returns
    -------
    list of (str, str, str)
    """
    unit, day = estimated.unit, estimated.hours_per_day

    def time(stream: ValueStream, method: str) -> str:
        return f"{number(getattr(stream, method)().to(unit, day))} {unit}"

    rows = [
        (label, time(estimated, method), time(measured, method))
        for label, method in (("Lead time", "lead_time"), ("Process time", "process_time"), ("Waiting", "wait_time"))
    ]
    rows.append(("Activity ratio", percent(estimated.activity_ratio(), 1), percent(measured.activity_ratio(), 1)))
    rows.append(("Rolled %C&A", percent(estimated.rolled_pct_ca(), 1), percent(measured.rolled_pct_ca(), 1)))
    return rows


class MeasuredComparison(widgets.VBox):
    """The estimated map beside the map measured from a timing export.

    Parameters
    ----------
    log : EventLog
        The timing export; its measured map is derived once.
    estimated : ValueStream, optional
        The map to compare first.

    Attributes
    ----------
    measured : ValueStream
        The map measured from `log`.
    gaps : pandas.DataFrame
        The latest comparison of steps and arrows (`vsm_widgets.metrics.estimates.estimate_gaps`).
    """

    def __init__(self, log: EventLog, estimated: ValueStream | None = None) -> None:
        self.measured = ValueStream.from_events(log)
        self.gaps = None
        self.headline = widgets.HTML()
        self.details = widgets.HTML()
        origin = self.measured.extra.get("measured_from", {})
        note = (
            f"Measured from {origin.get('items', 'the')} items ({origin.get('statistic', 'median')} of each step and "
            f"arrow); steps are matched by id or name."
        )
        super().__init__([widgets.HTML(f"<p>{html.escape(note)}</p>"), self.headline, self.details])
        self.add_class("vsm-measured")
        if estimated is not None:
            self.show(estimated)

    def show(self, estimated: ValueStream) -> None:
        """Compare `estimated` with the measured map.

        Parameters
        ----------
        estimated : ValueStream
            The workshop's map as it is now.
        """
        rows = headline_rows(estimated, self.measured)
        head = "".join(_cell(text, tag="th") for text in ("", "Estimated (the map)", "Measured (the log)"))
        body = "".join(
            f"<tr>{_cell(what)}{_cell(left, 'right')}{_cell(right, 'right')}</tr>" for what, left, right in rows
        )
        self.headline.value = f"<table {_TABLE}><tr>{head}</tr>{body}</table>"
        self.gaps = estimate_gaps(estimated, self.measured)
        if self.gaps.empty:
            self.details.value = "<p>No step or arrow of the map matches the log by id or name.</p>"
            return
        unit = estimated.unit
        head = "".join(_cell(text, tag="th") for text in ("Where", "What", f"Estimated ({unit})", f"Measured ({unit})"))
        body = "".join(
            f"<tr>{_cell(row.where)}{_cell(row.kind)}{_cell(number(row.estimated), 'right')}"
            f"{_cell(number(row.measured), 'right')}{_cell(row.finding)}</tr>"
            for row in self.gaps.itertuples(index=False)
        )
        self.details.value = f"<table {_TABLE}><tr>{head}{_cell('', tag='th')}</tr>{body}</table>"
