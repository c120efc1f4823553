"""`MapExplorer`: edit a value stream map and watch its numbers and charts move.

Both editors, the headline cards, and two live charts (the map with its
lead-time ladder, and each step's process time against its waiting) that
update in place through `altair.JupyterChart` with its offline bundle, so the
explorer works in a workshop room with no network, in JupyterLab and in
Voila. A switch shows the future state a `Scenario` makes of the map being
edited, with every card saying what it was before, and its Future state tab
edits that scenario change by change (`ScenarioPanel`); undo and redo walk the
edits; the map is saved to and loaded from its file (atomically, through
`vsm_widgets.io.map_file`); the Mermaid tab holds the map as a Mermaid flowchart.
Given a timing export, the Measured tab puts the map's estimates beside the
values measured from it.

The explorer draws what the layers below compute: metrics come from the
model, charts from `vsm_widgets.charts`, the future from the scenario.
"""

from __future__ import annotations

import os

import altair as alt
import ipywidgets as widgets
import traitlets

from vsm_widgets.charts import step_time_chart, value_stream_map
from vsm_widgets.charts.map import live_map
from vsm_widgets.charts.timeline import live_step_times
from vsm_widgets.exceptions import VsmError
from vsm_widgets.future.scenario import Scenario, load_scenario
from vsm_widgets.io.exports import read_export
from vsm_widgets.io.map_file import load_map
from vsm_widgets.io.map_text import to_mermaid
from vsm_widgets.model.event_log import EventLog
from vsm_widgets.model.stream import ValueStream
from vsm_widgets.widgets._explorer_toolbar import ExplorerToolbar
from vsm_widgets.widgets._history import History
from vsm_widgets.widgets._map_file_actions import MapFileActions
from vsm_widgets.widgets._messages import show_message
from vsm_widgets.widgets.demand_editor import DemandEditor
from vsm_widgets.widgets.handoff_editor import HandoffEditor
from vsm_widgets.widgets.headline_cards import HeadlineCards
from vsm_widgets.widgets.measured_comparison import MeasuredComparison
from vsm_widgets.widgets.scenario_panel import ScenarioPanel
from vsm_widgets.widgets.step_editor import StepEditor

# SVG so that the charts' text can be read and selected; no links that would need the network.
EMBED_OPTIONS = {"renderer": "svg", "actions": {"export": True, "source": False, "compiled": False, "editor": False}}
VIEWS = ("current", "future")


def chart_spec(chart: alt.TopLevelMixin) -> dict:
    """The Vega-Lite specification of a chart, without validating it against the schema again.

    The chart builders are validated against the Vega-Lite schema in their own
    tests; validating the whole specification again on each keystroke costs
    more than an edit may take (DESIGN section 5).

    Parameters
    ----------
    chart : altair chart
        A chart from `vsm_widgets.charts`.

    Returns
    -------
    dict
    """
    return chart.to_dict(validate=False)


def build_charts(stream: ValueStream) -> tuple[alt.TopLevelMixin, alt.TopLevelMixin]:
    """The explorer's two charts of a map: the map with its ladder, and process time against waiting per step.

    Parameters
    ----------
    stream : ValueStream
        The map shown.

    Returns
    -------
    map_chart, step_chart : altair charts
    """
    return value_stream_map(stream), step_time_chart(stream)


class MapExplorer(ExplorerToolbar, MapFileActions, widgets.VBox):
    """Edit a value stream map with live headline cards and charts.

    Parameters
    ----------
    stream : ValueStream
        The current state to explore.
    scenario : Scenario, optional
        A future state; enables the current/future switch. Without one, the Future state tab starts
        an empty scenario.
    log : EventLog, optional
        A timing export of the same stream; adds the Measured tab, the map's
        estimates beside the values measured from the log.
    path : str or Path, optional
        The map file that Save writes and Load reads (shown in the toolbar and changeable there).

    Attributes
    ----------
    stream : ValueStream
        The current state being edited (a traitlet). Every valid edit in either
        editor, every undo, redo and load replaces it.
    view : {"current", "future"}
        Which state the cards and charts show (a traitlet).
    step_editor : StepEditor
    handoff_editor : HandoffEditor
    demand_editor : DemandEditor
        The customer demand and available time per day: the takt time.
    scenario_panel : ScenarioPanel
        The Future state tab: the scenario's changes edited in place, saved to and loaded from its file.
    scenario : Scenario
        The future state shown in the future view: the panel's, after every valid edit there.
    cards : HeadlineCards
    map_chart, step_chart : altair.JupyterChart
        The live charts; their ``spec`` is the Vega-Lite specification shown.
    measured : MeasuredComparison or None
        The estimates beside the measured values, when a log was given.
    message : str
        The latest news of the toolbar: saved, loaded, or why not.

    Examples
    --------
    >>> from vsm_widgets.io.map_file import load_map  # doctest: +SKIP
    >>> MapExplorer(load_map("data/samples/maps/software_delivery.yaml"))  # doctest: +SKIP
    """

    stream = traitlets.Instance(ValueStream)
    view = traitlets.Enum(VIEWS, default_value="current")

    def __init__(
        self,
        stream: ValueStream,
        scenario: Scenario | None = None,
        log: EventLog | None = None,
        path: str | os.PathLike | None = None,
    ) -> None:
        alt.JupyterChart.enable_offline()
        self.scenario_panel = ScenarioPanel(stream, scenario)
        self.scenario = self.scenario_panel.scenario
        self._history = History(stream)
        self._message_text = ""
        self._saved = stream
        self.step_editor = StepEditor(stream)
        self.handoff_editor = HandoffEditor(stream)
        self.demand_editor = DemandEditor(stream)
        self.cards = HeadlineCards()
        # An edit redraws the charts by their data; only a new layout draws them again (DESIGN section 5).
        self._map_spec = live_map()
        self._step_spec = live_step_times()
        map_chart, step_chart = build_charts(stream)
        self.map_chart = alt.JupyterChart(map_chart, embed_options=EMBED_OPTIONS)
        self.step_chart = alt.JupyterChart(step_chart, embed_options=EMBED_OPTIONS)
        self.map_chart.add_class("vsm-map-chart")
        self.step_chart.add_class("vsm-step-chart")
        self.mermaid_text = widgets.Textarea(layout=widgets.Layout(width="100%", height="16em"))
        self.mermaid_text.add_class("vsm-mermaid")
        self.measured = MeasuredComparison(log) if log is not None else None
        super().__init__(children=(self._toolbar(path), self.cards, self._body()))
        self.add_class("vsm-explorer")
        widgets.link((self.view_switch, "value"), (self, "view"))
        self.tabs.observe(self._tab_opened, names="selected_index")
        self.step_editor.observe(self._edited, names="stream")
        self.handoff_editor.observe(self._edited, names="stream")
        self.demand_editor.observe(self._edited, names="stream")
        self.scenario_panel.observe(self._scenario_edited, names="scenario")
        self.stream = stream

    # ----- layout ---------------------------------------------------------------------------------

    def _body(self) -> widgets.Widget:
        # A long map scrolls sideways inside its own box instead of widening the notebook.
        scrolling = widgets.Layout(overflow="auto", width="100%")
        charts = widgets.VBox([widgets.Box([self.map_chart], layout=scrolling), self.step_chart])
        pages = {
            "Steps": self.step_editor,
            "Arrows": self.handoff_editor,
            "Demand and takt": self.demand_editor,
            "Future state": self.scenario_panel,
            "Mermaid": self.mermaid_text,
        }
        if self.measured is not None:
            pages["Measured"] = self.measured
        self.tabs = widgets.Tab(children=list(pages.values()), titles=list(pages))
        return widgets.VBox([charts, self.tabs])

    # ----- state ----------------------------------------------------------------------------------

    @property
    def message(self) -> str:
        """The news of the latest toolbar action (saved, loaded, or why not) as plain text.

        It belongs to that action: the next edit, undo, redo, switch of view or
        load replaces it or clears it.
        """
        return self._message_text

    @property
    def view_message(self) -> str:
        """Why the view chosen cannot be drawn, as plain text; empty whenever it can."""
        return self.broken_change.text

    @property
    def has_unsaved_changes(self) -> bool:
        """Whether the current state differs from the map last loaded or saved."""
        return self.stream != self._saved

    def _say(self, text: str, error: bool = True) -> None:
        self._message_text = text
        show_message(self._message, text, error)

    def _mended(self, scenario: Scenario) -> None:
        """The coach dropped or re-targeted the change the map broke: the panel shows it, and the future follows."""
        self.scenario_panel.show(scenario)

    def _scenario_edited(self, change: dict) -> None:
        """A change of the future state was edited: draw the future (at once, when the panel is open)."""
        self.scenario = change["new"]
        self.view_switch.disabled = not self.scenario.changes and self.view == "current"
        panel_open = self.tabs.selected_index == self.tabs.children.index(self.scenario_panel)
        if self.scenario.changes and panel_open and self.view == "current":
            self.view = "future"
        else:
            self._refresh()

    def _show_saved_state(self) -> None:
        unsaved = self.has_unsaved_changes
        self.unsaved.value = (
            '<span title="the map has changes not saved to its file">● unsaved changes</span>' if unsaved else ""
        )

    def _edited(self, change: dict) -> None:
        self.stream = change["new"]
        self._say("")

    def _show_map(self, stream: ValueStream) -> None:
        """Show a map of its own (load, undo, redo): no entry or message of the map before stays."""
        for editor in (self.step_editor, self.handoff_editor, self.demand_editor):
            editor.reset(stream)
        self.stream = stream

    @traitlets.observe("stream")
    def _stream_changed(self, change: dict) -> None:
        stream: ValueStream = change["new"]
        self._history.record(stream)
        self.broken_change.remember(stream)
        self.undo_button.disabled = not self._history.can_undo
        self.redo_button.disabled = not self._history.can_redo
        for editor in (self.step_editor, self.handoff_editor, self.demand_editor, self.scenario_panel):
            editor.stream = stream
        self._show_saved_state()
        self._refresh()

    @traitlets.observe("view")
    def _view_changed(self, change: dict) -> None:
        self._say("")
        self._refresh()

    def _mermaid_open(self) -> bool:
        return self.tabs.selected_index == self.tabs.children.index(self.mermaid_text)

    def _tab_opened(self, change: dict) -> None:
        if self._mermaid_open():
            self.mermaid_text.value = self.mermaid()

    def shown(self) -> tuple[ValueStream, ValueStream | None]:
        """The state the cards and charts show, and the state it is compared with.

        Returns
        -------
        shown : ValueStream
            The current state, or its future under the scenario in the future view.
        baseline : ValueStream or None
            The current state while the future is shown.
        """
        if self.view == "future" and self.scenario is not None:
            try:
                future = self.scenario.apply(self.stream)
            except (ValueError, VsmError):
                self.broken_change.show(self.scenario, self.stream)
                return self.stream, None
            self.broken_change.clear()
            return future, self.stream
        self.broken_change.clear()
        return self.stream, None

    def _refresh(self) -> None:
        shown, baseline = self.shown()
        self.cards.show(shown, baseline)
        # Setting `spec` redraws in place; setting `chart` would validate the whole specification again.
        # Each is `chart_spec` of the chart of `shown`, its data and title put into the one drawn before
        # whenever the layout is the same.
        self.map_chart.spec = self._map_spec(shown)
        self.step_chart.spec = self._step_spec(shown)
        if self._mermaid_open():
            self.mermaid_text.value = to_mermaid(shown)
        if self.measured is not None:
            self.measured.show(self.stream)

    # ----- actions --------------------------------------------------------------------------------

    def undo(self) -> None:
        """Go back to the state before the latest edit (the Undo button)."""
        before = self._history.back()
        if before is not None:
            self._say("")
            self._show_map(before)

    def redo(self) -> None:
        """Redo the edit the latest undo took back (the Redo button)."""
        after = self._history.forward()
        if after is not None:
            self._say("")
            self._show_map(after)

    def mermaid(self) -> str:
        """The state shown, as a Mermaid flowchart.

        Returns
        -------
        str
        """
        return to_mermaid(self.shown()[0])

    def show_mermaid(self) -> None:
        """Fill the Mermaid tab with the state shown and open it (the Mermaid button)."""
        self.mermaid_text.value = self.mermaid()
        self.tabs.selected_index = self.tabs.children.index(self.mermaid_text)

    @classmethod
    def from_file(
        cls,
        path: str | os.PathLike,
        scenario: Scenario | str | os.PathLike | None = None,
        log: EventLog | str | os.PathLike | None = None,
    ) -> MapExplorer:
        """Open the explorer on a map file; Save writes back to the same file.

        Parameters
        ----------
        path : str or Path
            A map file (YAML or JSON).
        scenario : Scenario, str or Path, optional
            A future state, or the scenario file that describes it.
        log : EventLog, str or Path, optional
            A timing export of the same stream, or its file (read with `read_export`).

        Returns
        -------
        MapExplorer

        Raises
        ------
        MapFileError
            If the file is not a valid map.
        ScenarioError
            If the scenario file is not a valid scenario.
        ExportReadError
            If the timing export cannot be read.
        """
        if scenario is not None and not isinstance(scenario, Scenario):
            scenario = load_scenario(scenario)
        if log is not None and not isinstance(log, EventLog):
            log = read_export(log)
        return cls(load_map(path), scenario=scenario, log=log, path=path)
