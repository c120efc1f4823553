"""`Workshop`: everything a readout shows about one value stream, section by section.

A readout notebook opens a `Workshop` from its parameters and displays one
section per cell, so the notebook holds no logic of its own. The input is
either a timing export, whose map is measured from the data
(`ValueStream.from_events`) and whose future state is replayed item by item
(`Scenario.replay`), or a map file, whose future state is the scenario applied
to it (`Scenario.apply`). Each section method returns the objects to display in
order (headings as Markdown, tables as HTML, charts as Altair charts); a section
that does not apply to the input returns nothing, heading included.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from IPython.display import Markdown

from vsm_widgets import charts
from vsm_widgets.charts.theme import log_conventions
from vsm_widgets.exceptions import MapNotMeasurable, VsmInputError
from vsm_widgets.future.compare import Comparison, compare
from vsm_widgets.future.scenario import Scenario
from vsm_widgets.io.map_text import markdown_text
from vsm_widgets.metrics import flow
from vsm_widgets.metrics.guesses import headline_guesses
from vsm_widgets.model.event_log import EventLog
from vsm_widgets.model.stream import ValueStream
from vsm_widgets.readout import sections, time_tables
from vsm_widgets.readout.conventions import export_conventions, map_conventions
from vsm_widgets.readout.executive import executive_summary, future_promise, guess_notice
from vsm_widgets.readout.findings import Headline, export_findings, export_headline
from vsm_widgets.readout.html_page import CONVENTIONS_SECTION
from vsm_widgets.readout.inputs import load_input, load_optional_scenario, require_file
from vsm_widgets.readout.limits import cannot_show
from vsm_widgets.readout.map_findings import map_findings, map_headline

REPLAYED = "each change replayed item by item on the measured visits (Scenario.replay); items keep their types"
APPLIED = "the scenario's changes applied to the map in order (Scenario.apply)"
# Each point of a control chart costs about a kilobyte of SVG; the latest few hundred items tell whether
# lead time is predictable and keep a page of any export under its 1.5 MB budget.
CONTROL_POINTS = 300


@dataclass(frozen=True)
class Workshop:
    """One stream's current state, future state and plan, ready to display.

    Parameters
    ----------
    name : str
        The readout's name.
    current : EventLog or ValueStream
        The timing export as read, or the map.
    scenario : Scenario, optional
        The future state's changes.
    plan_start : date
        When the plan starts: the 30/60/90-day reviews count from it.
    source : Path, optional
        The input file.
    """

    name: str
    current: EventLog | ValueStream
    scenario: Scenario | None = None
    plan_start: dt.date = field(default_factory=dt.date.today)
    source: Path | None = None

    @classmethod
    def open(
        cls,
        input_path: str | os.PathLike | None,
        *,
        mapping_path: str | os.PathLike | None = None,
        scenario_path: str | os.PathLike | None = None,
        name: str | None = None,
        plan_start: str | dt.date | None = None,
        scenario_required: bool = False,
    ) -> Workshop:
        """Read the input, its mapping and the scenario a notebook's parameters name.

        Parameters
        ----------
        input_path : str or PathLike
            A timing export or a map file.
        mapping_path : str or PathLike, optional
            The export's mapping file.
        scenario_path : str or PathLike, optional
            The future state.
        name : str, optional
            The readout's name; the input's file name without suffix by default.
        plan_start : str or date, optional
            First day of the plan (ISO date); today by default.
        scenario_required : bool
            Refuse to open without a scenario (a future-state notebook has nothing to show without one).

        Returns
        -------
        Workshop

        Raises
        ------
        VsmInputError
            If a parameter is unset or wrong, or a file cannot be read; the message says which
            and what to do.
        """
        if scenario_required:
            require_file(scenario_path, "scenario_path", "the future state's scenario file (YAML)")
        current = load_input(input_path, mapping_path)
        scenario = load_optional_scenario(scenario_path)
        try:
            start = dt.date.fromisoformat(str(plan_start)) if plan_start else dt.date.today()
        except ValueError:
            raise VsmInputError(
                f"plan_start is {plan_start!r}, not a date",
                "Give the plan's first day as YYYY-MM-DD",
                column="plan_start",
            ) from None
        source = Path(input_path)
        return cls(name or source.stem, current, scenario, start, source)

    # ----- the states -----------------------------------------------------------------------------

    @property
    def from_export(self) -> bool:
        """True when the input is a timing export."""
        return isinstance(self.current, EventLog)

    @property
    def hours_per_day(self) -> float:
        """Length of a day of the current state."""
        return self.current.calendar.hours_per_day if self.from_export else self.current.hours_per_day

    @cached_property
    def _measured(self) -> ValueStream | MapNotMeasurable:
        if not self.from_export:
            return self.current
        try:
            return ValueStream.from_events(self.current, name=f"Measured map of {self.name}")
        except MapNotMeasurable as error:
            return error

    @property
    def stream(self) -> ValueStream:
        """The map: the input itself, or the map measured from the export.

        Raises
        ------
        MapNotMeasurable
            If the export holds no map (`unmeasured` says why; the sections show what they can).
        """
        if isinstance(self._measured, MapNotMeasurable):
            raise self._measured
        return self._measured

    @property
    def unmeasured(self) -> MapNotMeasurable | None:
        """Why no map could be measured from the export; None when it could, and for a map."""
        return self._measured if isinstance(self._measured, MapNotMeasurable) else None

    @cached_property
    def limits(self) -> list[str]:
        """What this readout cannot show and why (`vsm_widgets.readout.limits.cannot_show`); empty for a map."""
        return cannot_show(self.current, self.unmeasured) if self.from_export else []

    @property
    def no_lead_time(self) -> bool:
        """True for an export in which no item has finished, or every finished item took no time at all."""
        return self.from_export and not self.headline.lead_time > 0

    @cached_property
    def future(self) -> EventLog | ValueStream | None:
        """The future state: the replayed log or the changed map; None without a scenario."""
        if self.scenario is None:
            return None
        return self.scenario.replay(self.current) if self.from_export else self.scenario.apply(self.current)

    @cached_property
    def future_stream(self) -> ValueStream | None:
        """The future map: measured from the replayed log (in the current map's unit), or the changed map."""
        if self.future is None or self.unmeasured is not None:
            return None
        if self.from_export:
            return ValueStream.from_events(self.future, name=f"Future map of {self.name}", unit=self.stream.unit)
        return self.future

    @cached_property
    def comparison(self) -> Comparison | None:
        """Current against future state; None without a scenario."""
        return compare(self.current, self.future) if self.future is not None else None

    @cached_property
    def headline(self) -> Headline:
        """The first page's numbers."""
        if not self.from_export:
            return map_headline(self.current)
        return dataclasses.replace(export_headline(self.current), map_drawn=self.unmeasured is None)

    # ----- sections -------------------------------------------------------------------------------

    def title(self) -> list[Any]:
        """The heading and what the readout is about."""
        return [sections.title(self.name, self.current, self.source)]

    def first_page(self) -> list[Any]:
        """What an executive reads in a minute; first, any headline figure that a guess decided."""
        guesses = headline_guesses(self.current, flow.summary(self.current)) if self.from_export else []
        return [
            sections.heading("In one minute"),
            *(sections.notice(sentence) for sentence in self.limits),
            *(guess_notice(guess) for guess in guesses),
            executive_summary(self.headline, self.comparison, self.scenario),
        ]

    def findings(self) -> list[Any]:
        """The findings, most important first."""
        found = export_findings(self.current) if self.from_export else map_findings(self.current)
        return [sections.heading("Findings"), sections.bullets(found)]

    def current_map(self) -> list[Any]:
        """The map with its lead-time ladder; for an export, how it was measured."""
        shown: list[Any] = [sections.heading("The current state", 2), sections.heading("The map", 3)]
        if self.from_export:
            shown.append(
                Markdown(
                    "Measured from the export and drawn as the mean item: each box shows the time a finished item "
                    "spent at the step on average (its work, and its waiting inside the step), each arrow the time "
                    "it waited there. Together they add up to the mean lead time above; the medians and 85th "
                    "percentiles of single visits and passages are in the tables below."
                )
            )
        if self.unmeasured is not None or self.no_lead_time:
            return [shown[0], shown[1], *(sections.notice(sentence) for sentence in self.limits[:1])]
        return [*shown, charts.value_stream_map(self.stream)]

    def numbers(self) -> list[Any]:
        """The headline numbers as a table."""
        table = sections.headline_table(self.current) if self.from_export else sections.map_table(self.current)
        return [sections.heading("Headline numbers", 3), sections.html_table(table)]

    def where_time_goes(self) -> list[Any]:
        """Where the lead time goes: waits by handoff and steps (export), or shares and wastes (map)."""
        shown: list[Any] = [sections.heading("Where the time goes", 3)]
        if self.no_lead_time:
            # No lead time to cut into places or to count in a histogram; the visits still count.
            return [
                *shown,
                sections.notice(self.limits[0]),
                sections.html_table(time_tables.step_table(self.current), "Steps in flow order, per visit"),
            ]
        if self.from_export:
            shown += [
                sections.html_table(
                    time_tables.partition_table(self.current),
                    "Where the mean item's time goes: every place, adding up to its lead time",
                ),
                sections.html_table(time_tables.wait_table(self.current), "Waits per passage, the largest total first"),
                sections.html_table(time_tables.step_table(self.current), "Steps in flow order, per visit"),
                charts.lead_time_histogram(flow.item_metrics(self.current), self.log_conventions),
            ]
            return shown
        shown.append(charts.time_share_chart(self.current))
        if any(step.wastes for step in self.current.steps):
            shown.append(charts.waste_pareto_chart(self.current))
        return [*shown, charts.step_time_chart(self.current)]

    def flow_over_time(self) -> list[Any]:
        """The flow charts of an export: lead times, flow, work in progress and predictability."""
        if not self.from_export:
            return []
        log, conventions = self.current, self.log_conventions
        items = flow.item_metrics(log)
        finished = items[items["finished"]].sort_values("done", kind="stable")
        latest = finished.tail(CONTROL_POINTS)
        shown = [
            sections.heading("Flow over time", 3),
            charts.lead_time_scatter(items, conventions),
            charts.cumulative_flow_chart(flow.cumulative_flow(log), conventions),
            charts.wip_run_chart(flow.wip_series(log), conventions),
            charts.throughput_chart(flow.throughput(log), conventions),
            charts.aging_wip_chart(flow.aging_wip(log), items, conventions, log.steps),
            charts.flow_distribution_chart(flow.flow_distribution(log), conventions),
        ]
        if not len(finished):
            # Nothing finished: no lead times to scatter, count or chart; the flow and the aging stand.
            heading, _, flow_chart, wip, _, aging, _ = shown
            return [heading, flow_chart, wip, aging, sections.notice(self.limits[0])]
        if len(latest) < len(finished):
            shown.append(
                Markdown(
                    f"The control chart shows the latest {len(latest):,} of the {len(finished):,} finished items, "
                    "its limits computed from them."
                )
            )
        return [*shown, charts.xmr_chart(latest, conventions)]

    def data_quality(self) -> list[Any]:
        """What happened to every row of the export (nothing for a map)."""
        if not self.from_export:
            return []
        shown: list[Any] = [sections.heading("Data quality", 3), sections.quality_summary(self.current)]
        if self.current.quality.issues:
            shown.append(sections.html_table(sections.quality_table(self.current)))
        return [*shown, Markdown("How the export was read:"), sections.reading_decisions(self.current)]

    def future_state(self) -> list[Any]:
        """The future state against the current one (nothing without a scenario)."""
        if self.comparison is None:
            return []
        how = "replayed item by item on the export" if self.from_export else "applied to the map"
        ladders = (
            "The measured maps of both states, each drawn as its mean item as the map above is:"
            if self.from_export
            else "The two maps' lead-time ladders on one time scale:"
        )
        shown = [
            sections.heading("The future state"),
            Markdown(markdown_text(future_promise(self.comparison, self.scenario, self.hours_per_day))),
            Markdown(f"The scenario's changes, {how}."),
            sections.html_table(sections.comparison_table(self.comparison, self.hours_per_day)),
        ]
        if self.future_stream is None:
            missing = "Without a measured map of the current state there are no maps to set side by side."
            return [*shown, sections.notice(missing)]
        return [*shown, Markdown(ladders), charts.paired_ladder_chart(self.stream, self.future_stream)]

    def plan(self) -> list[Any]:
        """The implementation plan (nothing without a scenario)."""
        if self.scenario is None:
            return []
        return [
            sections.heading("Implementation plan"),
            sections.plan_summary(self.scenario, self.plan_start),
            sections.html_table(sections.plan_table(self.scenario, None if self.from_export else self.current.label)),
        ]

    def conventions(self) -> list[Any]:
        """Every convention that produced the numbers."""
        if self.from_export:
            future = REPLAYED if self.scenario is not None else None
            table = export_conventions(self.current, None if self.unmeasured else self.stream, future)
        else:
            table = map_conventions(self.current, APPLIED if self.scenario is not None else None)
        return [sections.heading(CONVENTIONS_SECTION), sections.html_table(table)]

    @cached_property
    def log_conventions(self) -> dict[str, str]:
        """The conventions chart subtitles state, durations in days."""
        return log_conventions(self.current)
