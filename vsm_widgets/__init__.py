"""vsm-widgets: value stream mapping in Jupyter.

The public API, re-exported from the modules that define it. Charts live in
`vsm_widgets.charts` and the editors in `vsm_widgets.widgets`; they are not
imported here so that reading an export or a map does not start Altair or
ipywidgets.
"""

from vsm_widgets.exceptions import (
    CalendarError,
    ExportReadError,
    MapFileError,
    MappingError,
    MissingColumnError,
    ReadoutError,
    ScenarioError,
    StreamError,
    VsmError,
    VsmInputError,
)
from vsm_widgets.future.compare import Comparison, compare
from vsm_widgets.future.forecast import how_many, lead_time_forecast, when_done
from vsm_widgets.future.review import Review, review
from vsm_widgets.future.scenario import Change, Scenario, load_scenario, loads_scenario, save_scenario
from vsm_widgets.io.export_mapping import Mapping, load_mapping
from vsm_widgets.io.exports import read_export
from vsm_widgets.io.map_file import dumps_map, load_map, loads_map, save_map
from vsm_widgets.metrics import flow
from vsm_widgets.metrics.measured_map import estimate_gaps, measured_gaps, measured_map, with_measurements
from vsm_widgets.model.event_log import EventLog, QualityIssue, QualityReport
from vsm_widgets.model.stream import Handoff, Step, ValueStream
from vsm_widgets.units import Calendar, Duration, parse_duration, parse_percent

__version__ = "0.1.0"

__all__ = [
    "CalendarError",
    "Calendar",
    "Change",
    "Comparison",
    "Duration",
    "EventLog",
    "ExportReadError",
    "Handoff",
    "MapFileError",
    "Mapping",
    "MappingError",
    "MissingColumnError",
    "QualityIssue",
    "QualityReport",
    "ReadoutError",
    "Review",
    "Scenario",
    "ScenarioError",
    "Step",
    "StreamError",
    "ValueStream",
    "VsmError",
    "VsmInputError",
    "compare",
    "dumps_map",
    "estimate_gaps",
    "flow",
    "how_many",
    "lead_time_forecast",
    "load_map",
    "load_mapping",
    "load_scenario",
    "loads_map",
    "loads_scenario",
    "measured_gaps",
    "measured_map",
    "read_export",
    "review",
    "save_map",
    "save_scenario",
    "parse_duration",
    "parse_percent",
    "when_done",
    "with_measurements",
]
