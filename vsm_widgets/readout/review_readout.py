"""`ReviewReadout`: the 30/60/90-day review of a change (did it work?), section by section.

The review notebook opens one from its parameters (a baseline export, a later
export of the same stream, the date the change took effect) and displays one
section per cell. The statistics are `vsm_widgets.future.review`'s; this module words
them and draws the control chart, so the notebook holds no logic.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd
from IPython.display import Markdown

from vsm_widgets.charts.spc import control_chart
from vsm_widgets.charts.theme import log_conventions
from vsm_widgets.exceptions import VsmInputError
from vsm_widgets.future.review import Review, review
from vsm_widgets.io.exports import read_export
from vsm_widgets.io.map_text import markdown_text
from vsm_widgets.metrics.xmr import Xmr
from vsm_widgets.model.event_log import EventLog
from vsm_widgets.readout import sections
from vsm_widgets.readout.conventions import export_conventions
from vsm_widgets.readout.html_page import CONVENTIONS_SECTION
from vsm_widgets.readout.inputs import is_map_file, require_file
from vsm_widgets.readout.workshop import CONTROL_POINTS
from vsm_widgets.wording import HOUR, change_text, duration_text, interval_text, value_text

ESTIMATE_LABELS = {
    "lead_time_median": "Lead time, median",
    "lead_time_p85": "Lead time, 85th percentile",
    "flow_efficiency": "Flow efficiency (portfolio)",
}
FINDINGS = {
    "shorter": "Signal: lead times are shorter since the change.",
    "longer": "Signal: lead times are longer since the change.",
    "possible": "No clear signal yet: some of the evidence points one way, the rest does not agree.",
    "none": "No signal yet: lead times since the change look like those before it.",
    "too_few": "No signal yet: too few items have finished to tell.",
}


@dataclass(frozen=True)
class ReviewReadout:
    """A baseline export against a later one, ready to display.

    Parameters
    ----------
    name : str
        The readout's name.
    baseline, later : EventLog
        The stream before the change, and a later export of it (which may repeat the baseline's period).
    since : Timestamp or None
        When the change took effect; the baseline's moment of export when None.
    seed : int or None
        The bootstrap's seed; a fresh one, recorded in the readout, when None.
    """

    name: str
    baseline: EventLog
    later: EventLog
    since: pd.Timestamp | None = None
    seed: int | None = None

    @classmethod
    def open(
        cls,
        baseline_path: str | os.PathLike | None,
        later_path: str | os.PathLike | None,
        *,
        mapping_path: str | os.PathLike | None = None,
        since: str | None = None,
        seed: int | None = None,
        name: str | None = None,
    ) -> ReviewReadout:
        """Read both exports (with the same mapping) as a review notebook's parameters name them.

        Parameters
        ----------
        baseline_path : str or PathLike
            The export before the change.
        later_path : str or PathLike
            The later export.
        mapping_path : str or PathLike, optional
            The mapping both exports are read with.
        since : str, optional
            When the change took effect (ISO date or timestamp).
        seed : int, optional
            The bootstrap's seed.
        name : str, optional
            The readout's name; the later export's file name without suffix by default.

        Returns
        -------
        ReviewReadout

        Raises
        ------
        VsmInputError
            If a parameter is unset or wrong, names a map instead of an export, or `since` is
            not a date.
        """
        files = {
            parameter: require_file(path, parameter, "a timing export")
            for parameter, path in (("baseline_path", baseline_path), ("input_path", later_path))
        }
        for parameter, file in files.items():
            if is_map_file(file):
                raise VsmInputError(
                    "a review compares two timing exports, and this is a map file",
                    "Give the exports of the stream before and after the change",
                    file=file,
                    column=parameter,
                )
        mapping = require_file(mapping_path, "mapping_path", "the exports' mapping file") if mapping_path else None
        try:
            moment = pd.Timestamp(since) if since else None
        except ValueError:
            raise VsmInputError(
                f"since is {since!r}, not a date",
                "Give the day the change took effect, such as 2026-04-01",
                column="since",
            ) from None
        baseline, later = (read_export(file, mapping=mapping) for file in files.values())
        return cls(name or Path(files["input_path"]).stem, baseline, later, moment, seed)

    @cached_property
    def result(self) -> Review:
        """The review's statistics."""
        return review(self.baseline, self.later, self.since, seed=self.seed)

    @property
    def hours_per_day(self) -> float:
        """Length of a day of the baseline's calendar."""
        return self.baseline.calendar.hours_per_day

    def title(self) -> list[Any]:
        """The heading and what is reviewed."""
        result = self.result
        return [
            Markdown(f"# {markdown_text(self.name)}: did it work?"),
            Markdown(
                f"*{result.before_items:,} items finished up to {result.since:%Y-%m-%d %H:%M %Z} (the baseline) "
                f"against {result.after_items:,} finished since.*"
            ),
        ]

    def verdict(self) -> list[Any]:
        """The finding in one line, then the evidence in the review's own words."""
        result = self.result
        return [
            sections.heading("The verdict"),
            Markdown(f"**{markdown_text(FINDINGS[result.finding])}**"),
            Markdown(markdown_text(result.verdict)),
        ]

    def estimates(self) -> list[Any]:
        """Before, after and the difference with its bootstrap interval."""
        return [sections.heading("Before and after"), sections.html_table(self.estimate_table())]

    def estimate_table(self) -> pd.DataFrame:
        """The review's estimates worded: durations readable, shares in percent.

        Returns
        -------
        DataFrame
            Columns ``Measure``, ``Before``, ``After``, ``Difference`` and the interval.
        """
        result = self.result
        level = f"{result.confidence:.0%} interval of the difference"
        rows = []
        for row in result.estimates.itertuples(index=False):
            rows.append(
                (
                    ESTIMATE_LABELS.get(row.metric, row.metric),
                    value_text(row.before, row.unit, self.hours_per_day),
                    value_text(row.after, row.unit, self.hours_per_day),
                    change_text(row.difference, None, row.unit, self.hours_per_day),
                    interval_text(row.low, row.high, row.unit, self.hours_per_day),
                )
            )
        return pd.DataFrame(rows, columns=["Measure", "Before", "After", "Difference", level])

    def control_chart(self) -> list[Any]:
        """Lead times in completion order against the baseline's natural process limits."""
        result = self.result
        if result.xmr is None:
            return []
        limits, points = result.xmr.limits, result.xmr.points
        centre = duration_text(limits.centre * HOUR, self.hours_per_day)
        note = (
            f"Limits from the {limits.baseline_points:,} baseline items only (centre line {centre}); a point "
            "beyond them, or a run of eight on one side, after the change is a signal."
        )
        if len(points) > CONTROL_POINTS:
            note += f" The latest {CONTROL_POINTS:,} of {len(points):,} items are drawn; the verdict counts them all."
        drawn = Xmr(limits, points.tail(CONTROL_POINTS))
        return [
            sections.heading("Lead time in completion order"),
            Markdown(note),
            control_chart(drawn, log_conventions(self.later)),
        ]

    def conventions(self) -> list[Any]:
        """How the review and the numbers under it were computed."""
        result = self.result
        review_rows = pd.DataFrame(
            [
                ("Before and after", "items finished up to the change, against items finished after it"),
                ("Intervals", f"percentile bootstrap, {result.resamples:,} resamples, items resampled per period"),
                ("Seed", f"{result.seed} (pass it as the seed parameter to reproduce the intervals)"),
                ("Rank test", f"Mann-Whitney, two-sided, at the {result.alpha:.0%} level"),
                (
                    "Signal",
                    "only when the rank test, the median's interval and the control chart agree on the direction",
                ),
            ],
            columns=["Convention", "Used here"],
        )
        table = pd.concat([review_rows, export_conventions(self.later)], ignore_index=True)
        return [sections.heading(CONVENTIONS_SECTION), sections.html_table(table)]
